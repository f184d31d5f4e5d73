"""Thin views: fetch with a named queryset, render a template."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from careers import consultation_flow
from careers.caching import cache_key, cached_page, current_revision
from careers.diagnosis import TOP_ROLES, Choice, DiagnosisForm, rank_offices, score_roles
from careers.forms import ConsultationForm
from careers.models import ConsultationRequest, DiagnosisQuestion, Office, Page, Role, Term
from careers.models.content import COMPARISON_CRITERIA
from careers.request_summary import PREPARATION, next_steps, stored_values, summary
from careers.selectors import interest_choices, interest_labels, published_roles
from careers.sources import Source


@cached_page
def home(request):
    offices = Office.objects.published().prefetch_related(published_roles())
    pages = {page.slug: page for page in Page.objects.filter(slug__in=["home", "career-agent"])}
    return render(
        request,
        "careers/home.html",
        {"offices": offices, "intro": pages.get("home"), "agent_page": pages.get("career-agent")},
    )


@cached_page
def office_detail(request, office):
    office = get_object_or_404(
        Office.objects.published().prefetch_related(published_roles(), "points", "faqs"),
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


@cached_page
def role_detail(request, office, role):
    role = get_object_or_404(Role.objects.published(), office__slug=office, slug=role)
    # Through the related manager each sibling shares role.office: no query per link.
    siblings = role.office.roles.filter(published=True).exclude(pk=role.pk)
    return render(request, "careers/role_detail.html", {"role": role, "siblings": siblings})


@cached_page
def glossary(request):
    page = Page.objects.filter(slug="glossary").first()
    return render(request, "careers/glossary.html", {"page": page, "terms": Term.objects.all()})


@cached_page
def compare(request):
    offices = list(Office.objects.published().prefetch_related(published_roles()))
    rows = [
        (label, [office.comparison.get(key, "") for office in offices])
        for key, label in COMPARISON_CRITERIA
    ]
    return render(request, "careers/compare.html", {"offices": offices, "rows": rows})


@cached_page(by_query=True)
def diagnosis(request):
    """The questions; answers in the query string (「回答を見直す」) are preselected."""
    questions = list(DiagnosisQuestion.objects.prefetch_related("answers"))
    form = DiagnosisForm(questions=questions, initial=request.GET.dict())
    intro = Page.objects.filter(slug="diagnosis").first()
    return render(request, "careers/diagnosis.html", {"form": form, "intro": intro})


@cached_page(by_query=True)
def diagnosis_result(request):
    # The form is sent with GET: the answers are preferences, not personal data,
    # and nothing is stored, so the result can be bookmarked, reloaded and
    # shared, and needs no session or CSRF token.
    questions = list(DiagnosisQuestion.objects.prefetch_related("answers"))
    form = DiagnosisForm(request.GET, questions=questions)
    if not questions or not form.is_valid():
        intro = Page.objects.filter(slug="diagnosis").first()
        return render(request, "careers/diagnosis.html", {"form": form, "intro": intro})
    roles = {role.key: role for role in Role.objects.published()}
    choices = [Choice(answer.reason, answer.weights) for answer in form.chosen_answers()]
    scores = score_roles(choices, list(roles))
    top = [
        {"role": roles[s.key], "score": s.score, "reasons": s.reasons} for s in scores[:TOP_ROLES]
    ]
    offices = {role.office.slug: role.office for role in roles.values()}
    ranked = rank_offices(scores, list(offices))
    keys = ",".join(item["role"].key for item in top)
    query = urlencode({"from": "diagnosis", "result": keys}, safe="/,")
    return render(
        request,
        "careers/diagnosis_result.html",
        {
            "recommendations": top,
            "office": offices[ranked[0].slug] if ranked else None,
            "question_count": len(questions),
            "consultation_url": f"{reverse('careers:consultation')}?{query}",
            "review_url": f"{reverse('careers:diagnosis')}?{urlencode(form.cleaned_data)}",
            "canonical_path": reverse("careers:diagnosis"),
        },
    )


def consultation(request):
    if request.method == "POST":
        return consultation_flow.post(request)
    revision = current_revision()
    form = ConsultationForm(interest_choices=interest_choices(revision))
    # `?role=middle/risk-management` (or `?role=middle`) from a guide page
    # preselects that interest and is remembered as the request's source.
    key = request.GET.get("role", "")
    known = form.interest_keys()
    if key in known:
        form.initial = ConsultationForm.initial_for(interests=(key,), source=Source.page(key))
    elif request.GET.get("from") == "diagnosis":
        # `?from=diagnosis&result=front/sales,middle/sales-planning,…`: the 適職診断's roles.
        result = request.GET.get("result", "").split(",")
        source = Source.diagnosis(key for key in result if key in known)
        form.initial = ConsultationForm.initial_for(interests=source.keys, source=source)
    else:
        form.initial = ConsultationForm.initial_for()
    # The unbound fields differ only by content, year (birth years) and preselection;
    # the tokens are rendered outside the cached fragment.
    fields_cache_key = cache_key(
        revision, "consultation", timezone.localdate().year, ",".join(form.initial["interests"])
    )
    return render(
        request,
        "careers/consultation.html",
        {"form": form, "fields_cache_key": fields_cache_key},
    )


@never_cache
def consultation_thanks(request):
    """The reference, the reply-by date and what was sent, for the browser that sent it
    (consultation_flow.sent_reference); a pointer to the form for anyone else."""
    reference = consultation_flow.sent_reference(request)
    consultation = reference and ConsultationRequest.objects.filter(reference=reference).first()
    context = {
        "reference": reference,
        "next_steps": next_steps(),
        "preparation": PREPARATION,
    }
    if consultation:
        context |= {
            # The same date as the auto-reply's (careers/business_days.py).
            "reply_due_at": consultation.reply_due_at(),
            "sections": summary(stored_values(consultation), interest_labels=interest_labels()),
        }
    return render(request, "careers/consultation_thanks.html", context)


@cached_page
def privacy(request):
    return render(
        request,
        "careers/privacy.html",
        {
            "retention_days": settings.CONSULTATION_RETENTION_DAYS,
            "contact_email": settings.CONTACT_EMAIL,
        },
    )


@cached_page
def about(request):
    """運営者情報: who runs the site and which agency answers requests (from settings)."""
    return render(request, "careers/about.html")


@cached_page
def terms(request):
    """利用規約: our own terms of use, naming the operator and agency from settings."""
    return render(request, "careers/terms.html")
