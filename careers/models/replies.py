"""Replies agents send from a request, and the templates they start from."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from careers.models.consultations import ConsultationRequest
from careers.placeholders import HELP_TEXT, unknown_placeholders


def validate_placeholders(text: str) -> None:
    """Refuse `{…}` names careers/placeholders.py does not know (a typo sends as written)."""
    unknown = unknown_placeholders(text)
    if unknown:
        names = "、".join(f"{{{name}}}" for name in unknown)
        raise ValidationError(f"使えない差し込みがあります: {names}。{HELP_TEXT}")


class ReplyTemplate(models.Model):
    """A reply text agents choose and edit (managed by superusers, in Japanese)."""

    name = models.CharField("テンプレート名", max_length=100, unique=True)
    subject = models.CharField(
        "件名", max_length=150, validators=[validate_placeholders], help_text=HELP_TEXT
    )
    body = models.TextField(
        "本文", max_length=4000, validators=[validate_placeholders], help_text=HELP_TEXT
    )
    order = models.PositiveSmallIntegerField("表示順", default=0)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "返信テンプレート"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class AgentReply(models.Model):
    """One email an agent wrote to the reader; sent by the worker (EmailDelivery.reply).

    `token` is the reply form's: sending the same form twice stores one reply.
    Subject and body are erased with the request's personal data.
    """

    request = models.ForeignKey(
        ConsultationRequest,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name="転職相談",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="送信した人",
    )
    template = models.ForeignKey(
        ReplyTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="テンプレート",
    )
    token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    subject = models.CharField("件名", max_length=150)
    body = models.TextField("本文", max_length=6000)
    reply_to = models.EmailField("返信先", blank=True)
    created_at = models.DateTimeField("作成日時", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "担当者からの返信"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.request.reference}: {self.subject}"
