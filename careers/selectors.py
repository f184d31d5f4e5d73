"""Reads used from more than one place: the form, the views and the admin."""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from careers.caching import current_revision
from careers.models import ConsultationRequest, ContactLog, EmailDelivery, Office, Role
from careers.staff import ASSIGNEE_GROUPS, sees_all_requests
from guide.errors import DATABASE_ERRORS

# (group label, [(key, label), …]): Django's grouped choices.
GroupedChoices = list[tuple[str, list[tuple[str, str]]]]

INTEREST_CHOICES_CACHE_KEY = "consultation:interest-choices"
INTEREST_KEY_RE = re.compile(r"^[a-z0-9-]+(?:/[a-z0-9-]+)?$")


def published_roles() -> Prefetch:
    """Prefetch an office's published roles in page order (for `prefetch_related`)."""
    return Prefetch("roles", queryset=Role.objects.filter(published=True).order_by("order", "pk"))


def interest_choices(revision: int | None = None) -> GroupedChoices:
    """Published offices and their roles as grouped choices, keyed `office` / `office/role`.

    Cached per content revision (read here unless the caller has it), so the form
    page asks the database only for the revision number. Raises OperationalError
    when the database is unreachable and the cache has no copy.
    """
    if revision is None:
        revision = current_revision()
    key = f"{INTEREST_CHOICES_CACHE_KEY}:{revision}"
    choices = cache.get(key)
    if choices is None:
        roles = list(Role.objects.published())
        choices = [
            (
                office.name,
                [(office.slug, f"{office.name}全般")]
                + [(role.key, role.name) for role in roles if role.office_id == office.pk],
            )
            for office in Office.objects.published()
        ]
        cache.set(key, choices, settings.PAGE_CACHE_SECONDS)
    return choices


def interest_choices_or_fallback(submitted_keys: list[str]) -> GroupedChoices:
    """The interest choices, or, with the database down, just the well-formed keys sent."""
    try:
        return interest_choices()
    except DATABASE_ERRORS:
        keys = [key for key in submitted_keys if INTEREST_KEY_RE.match(key)]
        return [("選択した部門・職種", [(key, key) for key in keys])]


def interest_labels(choices: GroupedChoices | None = None) -> dict[str, str]:
    """Interest key → its name in words: `middle` → 「ミドルオフィス全般」,
    `middle/legal-compliance` → 「ミドルオフィス / 法務・コンプライアンス」; of `choices`
    (a form's), else of interest_choices()."""
    labels = {}
    for office_name, options in interest_choices() if choices is None else choices:
        for key, label in options:
            labels[key] = label if "/" not in key else f"{office_name} / {label}"
    return labels


def assignable_agents() -> QuerySet:
    """Users a request can be assigned to: active staff in エージェント or エージェント責任者,
    by username. A superuser is not an agent and is not offered (unless in a group)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name__in=ASSIGNEE_GROUPS)
        .distinct()
        .order_by("username")
    )


def visible_consultations(user, queryset: QuerySet | None = None) -> QuerySet:
    """The requests `user` may open (careers/staff.py may_see_request), from
    `queryset` (default: all): for an agent, those nobody has taken and their own."""
    queryset = ConsultationRequest.objects.all() if queryset is None else queryset
    if sees_all_requests(user):
        return queryset
    return queryset.filter(Q(assignee__isnull=True) | Q(assignee=user))


def waiting_for_reader(queryset: QuerySet) -> QuerySet:
    """Open requests whose latest contact (ContactLog) left the next move to the
    reader: ContactLog.WAITING_RESULTS (不在, 留守番電話に伝言, 送信した)."""
    latest = ContactLog.objects.filter(request=OuterRef("pk")).order_by("-contacted_at", "-pk")
    return (
        queryset.exclude(status=ConsultationRequest.Status.CLOSED)
        .annotate(latest_contact_result=Subquery(latest.values("result")[:1]))
        .filter(latest_contact_result__in=ContactLog.WAITING_RESULTS)
    )


def with_email_problems(queryset: QuerySet) -> QuerySet:
    """Requests with an email that failed or whose fate is unknown (EmailDelivery.PROBLEM_STATES)."""
    problems = EmailDelivery.objects.filter(
        request=OuterRef("pk"), state__in=EmailDelivery.PROBLEM_STATES
    )
    return queryset.filter(Exists(problems))
