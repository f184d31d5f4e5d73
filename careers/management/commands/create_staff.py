import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from careers.staff import group_permissions


class Command(BaseCommand):
    help = (
        "管理画面を使うスタッフを作成し（スタッフ権限つき）、グループに入れます。"
        "既にいるユーザーはグループに追加します。例: manage.py create_staff hanako --group 編集者"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--group", required=True, choices=list(group_permissions()), help="所属するグループ"
        )
        parser.add_argument("--name", default="", help="表示名（例: 山田 花子）")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, group, name, email, **options):
        call_command("setup_groups", stdout=self.stdout)  # idempotent: the group exists after
        users = get_user_model().objects
        # Asked before the transaction: a write lock held while someone types would
        # make SQLite refuse the worker's writes, and theirs ("database is locked").
        password = None
        if not users.filter(username=username).exists():
            password = self.ask_password(users.model(username=username))
        with transaction.atomic():
            user = users.filter(username=username).first()
            created = user is None
            if created:
                user = users.model(username=username)
                user.set_password(password or self.ask_password(user))
            user.is_staff = True
            user.is_active = True
            user.first_name = name or user.first_name
            user.email = email or user.email
            user.save()
            user.groups.add(Group.objects.get(name=group))
        verb = "作成しました" if created else "更新しました"
        self.stdout.write(f"スタッフ「{username}」を{verb}（グループ: {group}）。")
        self.stdout.write("管理画面: /admin/ からログインできます。")

    def ask_password(self, user):
        """Asked twice at the terminal and checked by AUTH_PASSWORD_VALIDATORS."""
        for _ in range(3):
            password = getpass.getpass("パスワード: ")
            if password != getpass.getpass("パスワード（確認）: "):
                self.stderr.write("パスワードが一致しません。")
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            return password
        raise CommandError("パスワードを設定できませんでした。")
