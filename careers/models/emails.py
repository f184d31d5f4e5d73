"""The record of each email the site owes: checked before sending, so each goes at most once."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from careers.models.consultations import ConsultationRequest


class EmailDelivery(models.Model):
    """One email about one consultation request, of one kind.

    Holds no personal data: the address and text are built from the request when
    sending, and an error is kept as its class and SMTP reply code only.
    """

    class Kind(models.TextChoices):
        AGENTS_NOTIFICATION = "agents_notification", "エージェントへの通知"
        AUTO_REPLY = "auto_reply", "自動返信メール"

    class State(models.TextChoices):
        QUEUED = "queued", "送信待ち"
        SENDING = "sending", "送信中"
        SENT = "sent", "送信済み"
        FAILED = "failed", "送信失敗"
        # The worker stopped while the relay may have taken the message: not sent
        # again, since a second copy is worse than asking the agents to check.
        UNKNOWN = "unknown", "送信結果不明"

    # What agents must look at: the email did not (or may not have) reached anyone.
    PROBLEM_STATES = (State.FAILED, State.UNKNOWN)

    request = models.ForeignKey(
        ConsultationRequest,
        on_delete=models.CASCADE,
        related_name="email_deliveries",
        verbose_name="転職相談",
    )
    kind = models.CharField("種類", max_length=30, choices=Kind)
    state = models.CharField("状態", max_length=20, choices=State, default=State.QUEUED)
    tries = models.PositiveSmallIntegerField("送信を試みた回数", default=0)
    last_error = models.CharField(
        "最後のエラー", max_length=100, blank=True, help_text="例外の種類と SMTP の応答コードのみ"
    )
    message_id = models.CharField("Message-ID", max_length=255, blank=True)
    created_at = models.DateTimeField("作成日時", default=timezone.now)
    # When the next try may run; a queued row long past it lost its task (requeue_emails).
    next_attempt_at = models.DateTimeField("次に送信を試みる日時", default=timezone.now)
    last_attempt_at = models.DateTimeField("最後に送信を試みた日時", null=True, blank=True)
    sent_at = models.DateTimeField("送信日時", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "メール送信記録"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="email_delivery_once_per_kind")
        ]
        indexes = [
            # requeue_emails looks for queued and sending rows only.
            models.Index(
                fields=["state", "next_attempt_at"],
                name="email_delivery_pending",
                condition=Q(state__in=["queued", "sending"]),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.get_state_display()}）"

    @property
    def has_problem(self):
        return self.state in self.PROBLEM_STATES
