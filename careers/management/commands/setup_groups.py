from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from careers.staff import group_permissions


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
