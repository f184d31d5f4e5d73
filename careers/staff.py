"""Staff groups and the permissions each grants: who may do what in the admin.

`manage.py setup_groups` writes these groups; `manage.py create_staff` puts a
user in one. 編集者 write drafts of content and ask for review; 編集長 may also
publish, schedule, send back and roll back (careers/publishing/); neither sees
consultation requests. エージェント work the requests nobody has taken and their
own, as the privacy policy promises (「ご相談に対応する担当者だけが閲覧できる」);
エージェント責任者 see every request, assign them and export them. Only superusers
delete requests, read the access log or write reply templates (no group grants any
of these).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from careers.models import CONTENT_MODELS

EDITORS_GROUP = "編集者"
EDITORS_IN_CHIEF_GROUP = "編集長"
AGENTS_GROUP = "エージェント"
AGENT_LEADS_GROUP = "エージェント責任者"
# Groups whose members are offered as assignees.
ASSIGNEE_GROUPS = (AGENTS_GROUP, AGENT_LEADS_GROUP)
# Permission codenames (app `careers`): reading revisions (the dashboard, history,
# previews), and publishing them.
VIEW_REVISIONS = "view_revision"
PUBLISH = "publish_revision"

# Editors add and change content; offices, roles and pages are unpublished rather
# than deleted, but a merit, an FAQ or a diagnosis answer that no longer fits can
# be removed from its parent's form.
EDITOR_ACTIONS = ("add", "change", "view")
EDITOR_DELETABLE = ("point", "faq", "diagnosisanswer")
# Agents work requests (never add or delete them) and add notes (never change them).
AGENT_PERMISSIONS = (
    "view_consultationrequest",
    "change_consultationrequest",
    "add_consultationnote",
    "view_consultationnote",
)
# Leads also see every request (their colleagues' too), assign and export.
LEAD_PERMISSIONS = (
    *AGENT_PERMISSIONS,
    "view_all_consultationrequest",
    "assign_consultationrequest",
    "export_consultationrequest",
)


def content_model_names() -> list[str]:
    """Model names (`office`, `role`, …) of every content model, in CONTENT_MODELS order."""
    return [model._meta.model_name for model in CONTENT_MODELS]


def group_permissions() -> dict[str, list[str]]:
    """Group name → permission codenames (app `careers`) the group holds, exactly."""
    editor = [f"{action}_{name}" for name in content_model_names() for action in EDITOR_ACTIONS]
    editor += [f"delete_{name}" for name in EDITOR_DELETABLE]
    editor.append(VIEW_REVISIONS)
    return {
        EDITORS_GROUP: editor,
        EDITORS_IN_CHIEF_GROUP: [*editor, PUBLISH],
        AGENTS_GROUP: list(AGENT_PERMISSIONS),
        AGENT_LEADS_GROUP: list(LEAD_PERMISSIONS),
    }


def sees_all_requests(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether `user` may open every request, a colleague's included (leads, superusers)."""
    return user.is_active and user.has_perm("careers.view_all_consultationrequest")


def may_see_request(user: AbstractBaseUser | AnonymousUser, assignee_id: int | None) -> bool:
    """Whether `user` may open a request assigned to `assignee_id` (None: nobody):
    leads and superusers any; an agent one nobody has taken, or their own."""
    if not (user.is_active and user.has_perm("careers.view_consultationrequest")):
        return False
    return sees_all_requests(user) or assignee_id in (None, user.pk)


def can_publish(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether `user` may publish, schedule, send back and roll back drafts (編集長, superusers)."""
    return bool(user.is_active and user.is_staff and user.has_perm(f"careers.{PUBLISH}"))


def reviewer_emails() -> list[str]:
    """The addresses of the active 編集長, by username: who is told of a review request."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=EDITORS_IN_CHIEF_GROUP)
        .exclude(email="")
    )
    return list(users.order_by("username").values_list("email", flat=True))


def is_editor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether `user` is active staff allowed to change some content (editors, superusers)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and any(user.has_perm(f"careers.change_{name}") for name in content_model_names())
    )


def display_name(user: AbstractBaseUser | None) -> str:
    """How staff see a colleague: full name, else username; 「—」 for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
