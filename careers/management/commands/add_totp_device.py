from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "スタッフに2段階認証（TOTP）の端末を登録し、認証アプリに登録する otpauth:// の URL を"
        "表示します（ADMIN_REQUIRE_2FA を有効にする前に）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="認証アプリ", help="端末の名前")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or not user.is_staff:
            raise CommandError(f"有効なスタッフユーザー「{username}」が見つかりません。")
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write("次の URL を認証アプリに登録してください（他人に見せないこと）:")
        self.stdout.write(device.config_url)
