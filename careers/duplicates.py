"""Possible duplicates: the same person asking twice, usually with one detail typed
differently (most often a phone number one digit short).

Two requests received within DUPLICATE_WINDOW (90 days) of each other are possible
duplicates when they share the email address, the phone number, or the name with
its reading. Each flag names what differs, so an agent sees at a glance whether it
is a typo or a different person. One query for any number of requests.
"""

from dataclasses import dataclass

from django.db.models import Q

from careers.models import ConsultationRequest
from careers.models.consultations import DUPLICATE_WINDOW


@dataclass(frozen=True)
class Duplicate:
    """Another request that may be the same person's, and how it differs."""

    other: ConsultationRequest
    differences: tuple[str, ...]

    def describe(self) -> str:
        """`電話番号が1桁少ない`, `メールアドレスが異なる、氏名が異なる`, or `同じ内容`."""
        return "、".join(self.differences) or "同じ内容"


def _compact(name: str) -> str:
    return "".join(name.split())


def phone_difference(mine: str, theirs: str) -> str:
    """How `theirs` differs from `mine` (digits), in words; "" when equal.

    One digit fewer or more than `mine`, or one digit changed, is named as such:
    the usual typos. Anything else is 「電話番号が異なる」.
    """
    if mine == theirs:
        return ""
    if len(theirs) == len(mine) - 1 and any(
        mine[:i] + mine[i + 1 :] == theirs for i in range(len(mine))
    ):
        return "電話番号が1桁少ない"
    if len(theirs) == len(mine) + 1 and any(
        theirs[:i] + theirs[i + 1 :] == mine for i in range(len(theirs))
    ):
        return "電話番号が1桁多い"
    if len(theirs) == len(mine) and sum(a != b for a, b in zip(mine, theirs, strict=True)) == 1:
        return "電話番号が1桁違う"
    return "電話番号が異なる"


def differences(mine: ConsultationRequest, theirs: ConsultationRequest) -> tuple[str, ...]:
    """What differs between two requests among name, email address and phone number."""
    found = []
    if _compact(mine.name) != _compact(theirs.name):
        found.append("氏名が異なる")
    if mine.email_normalized != theirs.email_normalized:
        found.append("メールアドレスが異なる")
    phone = phone_difference(mine.phone, theirs.phone)
    if phone:
        found.append(phone)
    return tuple(found)


def _same_person(a: ConsultationRequest, b: ConsultationRequest) -> bool:
    return (
        a.email_normalized == b.email_normalized
        or a.phone == b.phone
        or (_compact(a.name) == _compact(b.name) and a.furigana == b.furigana)
    )


def possible_duplicates(
    requests: list[ConsultationRequest],
) -> dict[int, list[Duplicate]]:
    """For each of `requests` (by pk), the other requests that may be the same
    person's, newest first. Anonymised requests match nothing. One query."""
    live = [r for r in requests if r.anonymized_at is None and r.email_normalized]
    if not live:
        return {}
    same = (
        Q(email_normalized__in={r.email_normalized for r in live})
        | Q(phone__in={r.phone for r in live})
        | Q(name__in={r.name for r in live})
    )
    start = min(r.received_at for r in live) - DUPLICATE_WINDOW
    end = max(r.received_at for r in live) + DUPLICATE_WINDOW
    candidates = list(
        ConsultationRequest.objects.filter(same, received_at__range=(start, end))
        .filter(anonymized_at__isnull=True)
        .order_by("-received_at")
    )
    found = {}
    for request in live:
        matches = [
            Duplicate(other, differences(request, other))
            for other in candidates
            if other.pk != request.pk
            and abs(other.received_at - request.received_at) <= DUPLICATE_WINDOW
            and _same_person(request, other)
        ]
        if matches:
            found[request.pk] = matches
    return found
