"""Thin views: fetch with a named queryset, render a template."""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from careers import ratelimit, services
from careers.forms import ConsultationForm, interest_choices, interest_choices_or_fallback
from careers.models import Office, Page, Role, Term

logger = logging.getLogger(__name__)

# Carries the reference number to the thanks page, so no personal data (and no
# guessable id) ever appears in a URL.
THANKS_COOKIE = "consultation_reference"


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
    # Through the related manager each sibling shares role.office: no query per link.
    siblings = role.office.roles.filter(published=True).exclude(pk=role.pk)
    return render(request, "careers/role_detail.html", {"role": role, "siblings": siblings})


def glossary(request):
    page = Page.objects.filter(slug="glossary").first()
    return render(request, "careers/glossary.html", {"page": page, "terms": Term.objects.all()})


def consultation(request):
    if request.method == "POST":
        return _submit_consultation(request)
    choices = interest_choices()
    form = ConsultationForm(interest_choices=choices)
    # `?role=middle/risk-management` (or `?role=middle`) from a guide page
    # preselects that interest and is remembered as the request's source.
    key = request.GET.get("role", "")
    if key in form.interest_keys():
        form.initial = ConsultationForm.initial_for(interests=[key], source=f"page:{key}")
    else:
        form.initial = ConsultationForm.initial_for()
    return render(request, "careers/consultation.html", {"form": form})


def _submit_consultation(request):
    if ratelimit.is_limited(request):
        return render(request, "429.html", status=429)
    choices = interest_choices_or_fallback(request.POST.getlist("interests"))
    form = ConsultationForm(request.POST, interest_choices=choices)
    if not form.is_valid():
        return render(request, "careers/consultation.html", {"form": form})
    ratelimit.record_submission(request)
    if form.is_spam:
        return redirect("careers:consultation_thanks")
    try:
        consultation_request, _ = services.submit_consultation(
            data=form.cleaned_data,
            token=form.cleaned_data["token"],
            source=form.cleaned_data["source"],
        )
    except DatabaseError:
        # Never claim success: say plainly it was not received, keep the input.
        logger.error("consultation not stored: database unavailable")
        return render(
            request,
            "careers/consultation.html",
            {"form": form, "database_unavailable": True},
            status=503,
        )
    response = redirect("careers:consultation_thanks")
    response.set_signed_cookie(
        THANKS_COOKIE,
        consultation_request.reference,
        salt=THANKS_COOKIE,
        max_age=24 * 60 * 60,
        path=reverse("careers:consultation_thanks"),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def consultation_thanks(request):
    reference = request.get_signed_cookie(THANKS_COOKIE, default=None, salt=THANKS_COOKIE)
    return render(
        request,
        "careers/consultation_thanks.html",
        {"reference": reference, "reply_days": settings.CONSULTATION_REPLY_BUSINESS_DAYS},
    )


def privacy(request):
    return render(
        request,
        "careers/privacy.html",
        {
            "retention_days": settings.CONSULTATION_RETENTION_DAYS,
            "contact_email": settings.CONTACT_EMAIL,
        },
    )
