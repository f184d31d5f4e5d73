"""The career map: where people in a role typically go next, and which roles share its skills.

Each role names, in its file of content/ (and in admin), the roles it leads to
(`next_roles`), the roles that share its skills (`related_roles`, shown both
ways), and destinations the guide has no page for (`next_steps`, free text, such
as 経営企画). Everything here works on roles already fetched: no queries.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from careers.models import Role

# How many places a role's map may name, so its small diagram stays legible.
MAX_LINKS = 4


def link_problems(keys: object, known: set[str], *, own_key: str = "") -> list[str]:
    """What is wrong with a list of role keys (`office/role`): Japanese messages, or []."""
    if not isinstance(keys, list):
        return ["職種のキー（'<部門>/<職種>'）のリストで書いてください"]
    problems = []
    seen = set()
    for key in keys:
        if not isinstance(key, str) or key not in known:
            problems.append(f"職種 '{key}' はありません（'<部門>/<職種>' の形で書いてください）")
        elif key == own_key:
            problems.append(f"'{key}' はこの職種自身です")
        elif key in seen:
            problems.append(f"'{key}' が重複しています")
        seen.add(key)
    if len(keys) > MAX_LINKS:
        problems.append(f"{MAX_LINKS}件までにしてください（いまは{len(keys)}件）")
    return problems


@dataclass
class RoleLinks:
    """One role's place on the map, with its neighbours resolved to published roles."""

    role: Role
    next_roles: list[Role] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    related: list[Role] = field(default_factory=list)  # both directions, in site order


def role_links(role: Role, roles: Sequence[Role]) -> RoleLinks:
    """`role`'s map from the published `roles` (in site order, offices loaded).

    Related roles are symmetric: a role is related to those it names and to those
    naming it. Keys of unpublished roles are left out.
    """
    by_key = {other.key: other for other in roles}
    next_roles = [by_key[key] for key in role.next_roles if key in by_key]
    related_keys = set(role.related_roles) | {
        other.key for other in roles if role.key in other.related_roles
    }
    related = [other for other in roles if other.key in related_keys and other.pk != role.pk]
    return RoleLinks(role, next_roles, list(role.next_steps), related)


def career_map(roles: Sequence[Role]) -> list[RoleLinks]:
    """Every published role's links, in site order."""
    return [role_links(role, roles) for role in roles]


def related_pairs(links: Iterable[RoleLinks]) -> list[tuple[Role, Role]]:
    """Each pair of related roles once, the earlier role (site order) first."""
    pairs, seen = [], set()
    for item in links:
        for other in item.related:
            key = frozenset((item.role.pk, other.pk))
            if key not in seen:
                seen.add(key)
                pairs.append((item.role, other))
    return pairs
