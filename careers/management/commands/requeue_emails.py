from django.core.management.base import BaseCommand

from careers import tasks


class Command(BaseCommand):
    help = (
        "送信待ちのまま止まったメール（タスクを実行中のワーカーが停止したもの）を送信キューに戻し、"
        "送信中に止まったメールを「送信結果不明」にします（再送はしません）。"
        "ワーカーの起動時と、数分ごとの定期実行を想定しています。何度実行しても安全です。"
    )

    def handle(self, *args, **options):
        requeued, unknown = tasks.requeue_stalled()
        self.stdout.write(
            f"送信キューに戻したメール: {requeued} 件、送信結果不明にしたメール: {unknown} 件"
        )
