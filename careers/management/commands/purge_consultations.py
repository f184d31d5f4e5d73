from django.conf import settings
from django.core.management.base import BaseCommand

from careers import services


class Command(BaseCommand):
    help = (
        "クローズから CONSULTATION_RETENTION_DAYS 日を過ぎた転職相談の個人情報と対応メモを"
        "匿名化します。毎日1回の実行を想定しています。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="対象の件数を表示するだけで、変更しない"
        )

    def handle(self, *args, dry_run, **options):
        count = services.purge_expired(dry_run=dry_run)
        days = settings.CONSULTATION_RETENTION_DAYS
        if dry_run:
            self.stdout.write(
                f"匿名化の対象: {count} 件（クローズから {days} 日超）。変更していません。"
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{count} 件を匿名化しました（クローズから {days} 日超）。")
            )
