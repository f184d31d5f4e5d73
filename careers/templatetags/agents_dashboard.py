"""`{% agents_dashboard %}`: the agents' dashboard on the admin's front page."""

from django import template
from django.urls import reverse

from careers.admin.dashboard import first_contact_medians, tiles
from careers.staff import sees_all_requests

register = template.Library()


@register.inclusion_tag("admin/careers/dashboard.html", takes_context=True)
def agents_dashboard(context):
    """Nothing for users who may not view requests (editors): they see the usual index."""
    user = context["request"].user
    if not user.has_perm("careers.view_consultationrequest"):
        return {"show": False}
    return {
        "show": True,
        "tiles": tiles(user),
        "medians": first_contact_medians(user),
        "report_url": reverse("admin:consultation_report") if sees_all_requests(user) else "",
    }
