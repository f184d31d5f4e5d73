"""The record of each email the site owes: checked before sending, so each goes at most once.

An email is about a consultation request (the emails to the reader and the agents)
or about a revision (the 編集長's review request); exactly one of the two is set.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from careers.models.consultations import ConsultationRequest
from careers.models.replies import AgentReply


class EmailDelivery(models.Model):
    """One email about one consultation request or one revision, of one kind.

    The address and text are built from the request (or its AgentReply), or the
    revision, when sending, and an error is kept as its class and SMTP reply code only. The one
    exception is `recipient`: the erasure confirmation goes after the address is
    erased from the request, so its address is captured here when it is queued and
    blanked once the email is sent or given up.
    """

    class Kind(models.TextChoices):
        AGENTS_NOTIFICATION = "agents_notification", "エージェントへの通知"
        AUTO_REPLY = "auto_reply", "自動返信メール"
        AGENT_REPLY = "agent_reply", "担当者からの返信"
        STATUS_LINK = "status_link", "確認ページのリンク"
        ERASURE_CONFIRMATION = "erasure_confirmation", "個人情報の消去のお知らせ"
        REVIEW_REQUEST = "review_request", "レビュー依頼の通知"

    # At most one of these per request (the constraint below names them too);
    # replies and fresh links may be many.
    ONCE_PER_REQUEST = (Kind.AGENTS_NOTIFICATION, Kind.AUTO_REPLY, Kind.ERASURE_CONFIRMATION)
    # The emails that carry a fresh status link (careers/status_links.py).
    WITH_STATUS_LINK = (Kind.AUTO_REPLY, Kind.STATUS_LINK)

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
        null=True,
        blank=True,
        related_name="email_deliveries",
        verbose_name="転職相談",
    )
    revision = models.ForeignKey(
        "careers.Revision",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="email_deliveries",
        verbose_name="版",
    )
    kind = models.CharField("種類", max_length=30, choices=Kind)
    reply = models.OneToOneField(
        AgentReply,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delivery",
        verbose_name="返信",
    )
    recipient = models.EmailField("宛先（送信まで保持）", blank=True)
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
            models.UniqueConstraint(
                fields=["request", "kind"],
                condition=Q(kind__in=["agents_notification", "auto_reply", "erasure_confirmation"]),
                name="email_delivery_once_per_kind",
            ),
            # A reply email has its reply; no other kind has one.
            models.CheckConstraint(
                condition=Q(kind="agent_reply", reply__isnull=False)
                | (~Q(kind="agent_reply") & Q(reply__isnull=True)),
                name="email_delivery_reply_kind",
            ),
            models.UniqueConstraint(
                fields=["revision", "kind"], name="email_delivery_once_per_revision_kind"
            ),
            models.CheckConstraint(
                condition=(Q(request__isnull=False) & Q(revision__isnull=True))
                | (Q(request__isnull=True) & Q(revision__isnull=False)),
                name="email_delivery_about_one_thing",
            ),
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

    @property
    def reference(self) -> str:
        """What the email is about, for logs: a request's reference or `revision-<id>`."""
        return self.request.reference if self.request_id else f"revision-{self.revision_id}"
