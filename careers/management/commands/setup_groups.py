from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from careers.admin import AGENTS_GROUP, EDITORS_GROUP

# Content the editors keep up to date. They add and change; offices, roles and
# pages are unpublished rather than deleted, but a merit, an FAQ or a diagnosis
# answer that no longer fits can be removed from its parent's form.
EDITOR_MODELS = ["office", "role", "point", "faq", "page", "term"]
EDITOR_ACTIONS = ["add", "change", "view"]
EDITOR_DELETABLE = ["point", "faq", "diagnosisanswer"]
# Agents work requests (never add or delete them) and add notes (never change them).
AGENT_PERMISSIONS = [
    "view_consultationrequest",
    "change_consultationrequest",
    "export_consultationrequest",
    "add_consultationnote",
    "view_consultationnote",
]


def editor_models():
    """The content models, and the 適職診断 ones where that app part exists."""
    names = list(EDITOR_MODELS)
    for model in apps.get_app_config("careers").get_models():
        if model._meta.model_name.startswith("diagnosis"):
            names.append(model._meta.model_name)
    return names


def group_permissions():
    editor = [f"{action}_{model}" for model in editor_models() for action in EDITOR_ACTIONS]
    editor += [f"delete_{model}" for model in EDITOR_DELETABLE]
    return {EDITORS_GROUP: editor, AGENTS_GROUP: AGENT_PERMISSIONS}


class Command(BaseCommand):
    help = (
        "管理画面のグループ（編集者・エージェント）と権限を作成・更新します。"
        "何度実行しても同じ状態になります。"
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            for name, codenames in group_permissions().items():
                permissions = list(
                    Permission.objects.filter(
                        content_type__app_label="careers", codename__in=codenames
                    )
                )
                missing = set(codenames) - {p.codename for p in permissions}
                if missing:
                    raise CommandError(
                        "権限が見つかりません（先に migrate を実行してください）: "
                        + ", ".join(sorted(missing))
                    )
                group, created = Group.objects.get_or_create(name=name)
                # set(): exactly these, so a permission added by hand is taken away again.
                group.permissions.set(permissions)
                verb = "作成" if created else "更新"
                self.stdout.write(
                    f"グループ「{name}」を{verb}しました（権限 {len(permissions)} 件）。"
                )
