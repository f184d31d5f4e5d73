from django.conf import settings
from django.core.management.base import BaseCommand

from careers.content import export


class Command(BaseCommand):
    help = "データベースの内容を content/ の形式で書き出します（編集内容をコミットするため）。"

    def add_arguments(self, parser):
        parser.add_argument("--path", default=settings.BASE_DIR / "content")

    def handle(self, *args, path, **options):
        written = export(path)
        self.stdout.write(
            self.style.SUCCESS(f"{len(written)} 件のファイルを書き出しました: {path}")
        )
