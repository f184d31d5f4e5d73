from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from careers.content import ContentError
from careers.publishing.loading import load_recorded


class Command(BaseCommand):
    help = "content/ の Markdown を検証し、データベースに反映します。"

    def add_arguments(self, parser):
        parser.add_argument("--path", default=settings.BASE_DIR / "content")
        parser.add_argument("--dry-run", action="store_true", help="検証と差分の表示だけを行う")
        parser.add_argument(
            "--force",
            action="store_true",
            help="管理画面で編集された記録もファイルの内容で上書きする",
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="公開せず、変わったファイルを下書き（出どころ: content/）として保存する",
        )

    def handle(self, *args, path, dry_run, force, draft, **options):
        try:
            changes = load_recorded(path, dry_run=dry_run, force=force, draft=draft)
        except ContentError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(error.problems)} 件の問題があるため、何も変更していません。"
            ) from None
        for change in changes:
            if change.action == "kept":
                self.stderr.write(
                    self.style.WARNING(
                        f"{change.path}: {change.label} は管理画面で編集されているため上書きしません"
                        "（上書きするには --force）"
                    )
                )
            elif change.action != "unchanged":
                self.stdout.write(f"{change.path}: {change.label} を{ACTION_LABELS[change.action]}")
        counts = {action: sum(c.action == action for c in changes) for action in ACTION_LABELS}
        summary = "、".join(f"{ACTION_LABELS[a]} {n} 件" for a, n in counts.items())
        prefix = "[dry-run] " if dry_run else "[下書き] " if draft else ""
        if counts["created"] == counts["updated"] == 0:
            self.stdout.write(f"{prefix}変更はありません（{summary}）。")
        else:
            self.stdout.write(self.style.SUCCESS(f"{prefix}{summary}。"))


ACTION_LABELS = {"created": "作成", "updated": "更新", "unchanged": "変更なし", "kept": "保持"}
