"""The agents' view of a request's emails, mixed into the inbox admin (careers/admin/inbox.py).

An email that failed, or whose fate is unknown, is shown in the inbox list and on the
request, so agents reach the reader another way instead of waiting on a log line.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.html import format_html

from careers.models import EmailDelivery

State = EmailDelivery.State

# What an agent should do about a problem, by state.
ADVICE = {
    State.FAILED: "届いていません。相談者に電話など別の方法で連絡してください。",
    State.UNKNOWN: "届いたか確認できません（再送はしません）。必要なら別の方法で連絡してください。",
}


class EmailDeliveryAdminMixin:
    """Adds `email_alert` to the inbox list; the request page shows each email in its
    timeline (careers/admin/timeline.py), with ADVICE when it needs the agent."""

    def get_queryset(self, request):
        problems = EmailDelivery.objects.filter(
            request=OuterRef("pk"), state__in=EmailDelivery.PROBLEM_STATES
        )
        # One subquery in the list's own query: no extra query per row.
        return super().get_queryset(request).annotate(email_problem=Exists(problems))

    @admin.display(description="メール")
    def email_alert(self, obj):
        if obj.email_problem:
            return format_html('<strong class="consultation-alert">{}</strong>', "未送信あり")
        return ""
