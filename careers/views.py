"""Thin views: fetch with a named queryset, render a template."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from careers import consultation_flow
from careers.caching import (
    cache_key,
    cached_form_page,
    cached_page,
    current_revision,
    diagnosis_form_key,
    diagnosis_result_key,
    query_key,
)
from careers.career_map import career_map as build_career_map
from careers.career_map import related_pairs, role_links
from careers.diagnosis import (
    TOP_ROLES,
    Choice,
    DiagnosisForm,
    max_scores,
    rank_offices,
    score_roles,
)
from careers.diagrams import career_map_description, career_map_layout
from careers.forms import ConsultationForm
from careers.models import ConsultationRequest, DiagnosisQuestion, Office, Page, Role, Term
from careers.models.content import COMPARISON_CRITERIA
from careers.request_summary import PREPARATION, next_steps, stored_values, summary
from careers.role_comparison import comparison_url, comparison_with, select_roles
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
    role = get_object_or_404(
        Role.objects.published().prefetch_related("day_items", "qualifications", "faqs", "figures"),
        office__slug=office,
        slug=role,
    )
    # Every published role once: siblings and the career map come from this list.
    roles = list(Role.objects.published())
    links = role_links(role, roles)
    return render(
        request,
        "careers/role_detail.html",
        {
            "role": role,
            "links": links,
            "siblings": [r for r in roles if r.office_id == role.office_id and r.pk != role.pk],
            "compare_url": comparison_with(role, [*links.next_roles, *links.related], roles),
        },
    )


@cached_page
def career_map(request):
    roles = list(Role.objects.published())
    links = build_career_map(roles)
    pairs = related_pairs(links)
    return render(
        request,
        "careers/career_map.html",
        {
            "links": links,
            "layout": career_map_layout(links, pairs),
            "description": career_map_description(links, pairs),
        },
    )


@cached_page(key=query_key)
def compare_roles(request):
    """Two or three roles side by side, chosen with a GET form (no JavaScript).

    Only the canonical query of a valid choice answers 200 (and is cached);
    other spellings of it redirect there, and invalid choices answer 400 with
    the form and a message.
    """
    roles = list(Role.objects.published().prefetch_related("qualifications"))
    selection = select_roles(request.GET, roles)
    query = request.META.get("QUERY_STRING", "")
    if selection.canonical_query is not None and selection.canonical_query != query:
        return redirect(comparison_url(role.key for role in selection.roles))
    chosen = {role.pk for role in selection.roles}
    offices = {}
    for role in roles:
        offices.setdefault(role.office, []).append((role, role.pk in chosen))
    return render(
        request,
        "careers/compare_roles.html",
        {"selection": selection, "offices": offices.items(), "canonical_path": request.path},
        status=400 if selection.error else 200,
    )


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


@cached_page(key=diagnosis_form_key)
def diagnosis(request):
    """The questions; answers in the query string (「回答を見直す」) are preselected."""
    questions = list(DiagnosisQuestion.objects.prefetch_related("answers"))
    form = DiagnosisForm(questions=questions, initial=request.GET.dict())
    intro = Page.objects.filter(slug="diagnosis").first()
    return render(request, "careers/diagnosis.html", {"form": form, "intro": intro})


@cached_page(key=diagnosis_result_key)
def diagnosis_result(request):
    # The form is sent with GET: the answers are preferences, not personal data,
    # and nothing is stored, so the result can be bookmarked, reloaded and
    # shared, and needs no session or CSRF token.
    questions = list(DiagnosisQuestion.objects.prefetch_related("answers"))
    form = DiagnosisForm(request.GET, questions=questions)
    if not questions or not form.is_valid():
        intro = Page.objects.filter(slug="diagnosis").first()
        return render(request, "careers/diagnosis.html", {"form": form, "intro": intro})
    published = list(Role.objects.published())
    roles = {role.key: role for role in published}
    choices = [Choice(answer.reason, answer.weights) for answer in form.chosen_answers()]
    # The reader's current work is where they come from, not where to go: it is
    # shown as 「今の経験が活きる」 and never recommended or preselected on the form.
    experience = roles.get(form.experience())
    scores = [s for s in score_roles(choices, list(roles)) if s.key != form.experience()]
    out_of = max_scores([a.weights for a in q.answers.all()] for q in questions)
    top = [
        {
            "role": roles[s.key],
            "score": s.score,
            "out_of": out_of.get(s.key, 0),
            "reasons": s.reasons,
        }
        for s in scores[:TOP_ROLES]
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
            "experience": role_links(experience, published) if experience else None,
            "best_office": offices[ranked[0].slug] if ranked else None,
            "question_count": len(questions),
            "consultation_url": f"{reverse('careers:consultation')}?{query}",
            "review_url": f"{reverse('careers:diagnosis')}?{urlencode(form.cleaned_data)}",
            "canonical_path": reverse("careers:diagnosis"),
        },
    )


@cached_form_page
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
