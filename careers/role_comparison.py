"""Choosing roles to compare side by side (`/compare/roles/?roles=front/sales&roles=…`).

A selection is valid with MIN_ROLES to MAX_ROLES published roles. Its canonical
query names each once, in site order, as a browser's GET form sends it; only
that URL is served (and cached), any other spelling of a valid choice redirects
to it, so the page cache holds one entry per choice.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

from careers.models import Role

MIN_ROLES, MAX_ROLES = 2, 3
PARAM = "roles"


@dataclass
class Selection:
    """What a query asks for: the chosen roles in site order, or a Japanese error."""

    roles: list[Role] = field(default_factory=list)
    error: str = ""
    # The query of the same choice in canonical form; None when there is none (an error).
    canonical_query: str | None = ""


def comparison_url(keys: Iterable[str]) -> str:
    """The page comparing the roles with these keys (`office/role`), keys as given."""
    query = urlencode([(PARAM, key) for key in keys])
    return reverse("careers:compare_roles") + (f"?{query}" if query else "")


def comparison_with(role: Role, neighbours: Sequence[Role], roles: Sequence[Role]) -> str:
    """The page comparing `role` with its first neighbour (else the first other role).

    `roles` are the published roles in site order; the pair keeps that order, so
    the link is the canonical URL. "" when there is no other role.
    """
    partner = next(iter(neighbours), None) or next((r for r in roles if r.pk != role.pk), None)
    if partner is None:
        return ""
    return comparison_url(r.key for r in roles if r.pk in (role.pk, partner.pk))


def select_roles(query: QueryDict, roles: Sequence[Role]) -> Selection:
    """The selection `query` makes among the published `roles` (site order, offices loaded).

    An empty query is the form alone (no error). Never raises on any input.
    """
    keys = query.getlist(PARAM)
    if not keys:
        return Selection()
    known = {role.key for role in roles}
    if any(key not in known for key in keys):
        return Selection(
            error="選べない職種が含まれています。下の一覧から選び直してください。",
            canonical_query=None,
        )
    chosen = [role for role in roles if role.key in keys]
    if len(chosen) < MIN_ROLES:
        error = f"比べる職種を{MIN_ROLES}つ以上選んでください。"
    elif len(chosen) > MAX_ROLES:
        error = f"一度に比べられるのは{MAX_ROLES}つまでです。選ぶ職種を減らしてください。"
    else:
        return Selection(chosen, "", urlencode([(PARAM, role.key) for role in chosen]))
    return Selection(chosen, error, None)
