"""Thin views: fetch with a named queryset, render a template."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from careers.models import Office, Page, Role, Term


def _published_roles():
    return Prefetch("roles", queryset=Role.objects.filter(published=True).order_by("order", "pk"))


def home(request):
    offices = Office.objects.published().prefetch_related(_published_roles())
    pages = {page.slug: page for page in Page.objects.filter(slug__in=["home", "career-agent"])}
    return render(
        request,
        "careers/home.html",
        {"offices": offices, "intro": pages.get("home"), "agent_page": pages.get("career-agent")},
    )


def office_detail(request, office):
    office = get_object_or_404(
        Office.objects.published().prefetch_related(_published_roles(), "points", "faqs"),
        slug=office,
    )
    points = list(office.points.all())
    return render(
        request,
        "careers/office_detail.html",
        {
            "office": office,
            "merits": [p for p in points if p.kind == p.Kind.MERIT],
            "demerits": [p for p in points if p.kind == p.Kind.DEMERIT],
        },
    )


def role_detail(request, office, role):
    role = get_object_or_404(Role.objects.published(), office__slug=office, slug=role)
    siblings = Role.objects.filter(office=role.office, published=True).exclude(pk=role.pk)
    return render(request, "careers/role_detail.html", {"role": role, "siblings": siblings})


def glossary(request):
    page = Page.objects.filter(slug="glossary").first()
    return render(request, "careers/glossary.html", {"page": page, "terms": Term.objects.all()})
