"""What happens to a request over time, beside the emails and notes: events and contacts.

The request page's timeline (careers/timeline.py) merges these with the records
that already exist (the request's receipt, EmailDelivery, ConsultationNote,
AgentReply), so no fact is stored twice: an email's delivery state lives on its
EmailDelivery row and changes after the fact.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from careers.models.consultations import ConsultationRequest


class RequestEvent(models.Model):
    """A change no other record keeps: status, assignee, the reader's own actions.

    `data` holds codes and ids only (statuses, reasons, a user id, preference
    codes), never what the reader wrote. `actor` is the staff user; with
    `by_reader` the reader did it on their status page; with neither, the system.
    """

    class Kind(models.TextChoices):
        STATUS = "status", "対応状況の変更"
        ASSIGNMENT = "assignment", "担当者の変更"
        PREFERENCES = "preferences", "連絡の希望の変更"
        WITHDRAWN = "withdrawn", "取り下げ"
        ERASED = "erased", "個人情報の消去"

    request = models.ForeignKey(
        ConsultationRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name="転職相談",
    )
    kind = models.CharField("種類", max_length=20, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作した人",
    )
    by_reader = models.BooleanField("本人による操作", default=False)
    data = models.JSONField("内容", default=dict, blank=True)
    created_at = models.DateTimeField("日時", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "対応の記録"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}（{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}）"


class ContactLog(models.Model):
    """One contact with the reader, as a contact: channel, result, the next step.

    `override_reason` is the agent's answer when a call went against the reader's
    wishes (「電話は不要」, メールのみ, or outside their time band). Free text
    (next action, reason) is erased with the request's personal data.
    """

    class Channel(models.TextChoices):
        PHONE = "phone", "電話"
        EMAIL = "email", "メール"
        OTHER = "other", "その他"

    class Result(models.TextChoices):
        REACHED = "reached", "つながった"
        NO_ANSWER = "no_answer", "不在"
        VOICEMAIL = "voicemail", "留守番電話に伝言"
        SENT = "sent", "送信した（返事待ち）"
        REPLIED = "replied", "返事があった"
        OTHER = "other", "その他"

    # After these the next move is the reader's: the inbox's 「返事待ち」.
    WAITING_RESULTS = (Result.NO_ANSWER, Result.VOICEMAIL, Result.SENT)

    request = models.ForeignKey(
        ConsultationRequest,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name="転職相談",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="記録した人",
    )
    channel = models.CharField("方法", max_length=10, choices=Channel)
    result = models.CharField("結果", max_length=20, choices=Result)
    contacted_at = models.DateTimeField("連絡した日時", default=timezone.now)
    next_action = models.CharField("次にすること", max_length=200, blank=True)
    next_action_on = models.DateField("次にする日", null=True, blank=True)
    override_reason = models.CharField("希望と異なる連絡の理由", max_length=300, blank=True)
    created_at = models.DateTimeField("記録日時", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "連絡の記録"
        ordering = ["contacted_at", "pk"]
        indexes = [models.Index(fields=["request", "-contacted_at"], name="contact_latest")]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.get_result_display()}"
