"""Revisions of content records: drafts, reviews, scheduled and past publications.

The live row (Office, Role, …) is what readers see. Every other version of a record
is a Revision: a draft an editor saved, the one waiting for review or scheduled,
and each version that was ever published. careers/publishing/ writes them; this
module only says what one is.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from careers.models.diagnosis import OrderedJSONField


class RevisionQuerySet(models.QuerySet):
    def of(self, model: type[models.Model], pk: object) -> "RevisionQuerySet":
        """The revisions of record `pk` of `model`, newest first."""
        content_type = ContentType.objects.get_for_model(model)
        return self.filter(content_type=content_type, object_id=pk).order_by("-pk")

    def open(self) -> "RevisionQuerySet":
        """Drafts not yet published, replaced or discarded (at most one per record)."""
        return self.filter(state__in=Revision.OPEN_STATES)


def _user_field(verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class Revision(models.Model):
    """One version of one content record: its content/ snapshot and its rows.

    `data` is the record as its content/ file holds it (careers/content/snapshots.py):
    what diffs compare and what export would write. `rows` is the editable column
    values of the record and of its children, primary keys included, so a draft is
    applied back as exactly the rows the admin saved (careers/publishing/records.py).
    """

    class State(models.TextChoices):
        DRAFT = "draft", "下書き"
        IN_REVIEW = "in_review", "レビュー待ち"
        SCHEDULED = "scheduled", "予約公開"
        PUBLISHED = "published", "公開中"
        SUPERSEDED = "superseded", "過去の公開版"
        REPLACED = "replaced", "上書きされた下書き"
        DISCARDED = "discarded", "取り下げた下書き"

    class Source(models.TextChoices):
        ADMIN = "admin", "管理画面"
        CONTENT = "content", "content/ から読み込み"
        ROLLBACK = "rollback", "過去の版から復元"

    # A record's draft in progress: at most one at a time.
    OPEN_STATES = (State.DRAFT, State.IN_REVIEW, State.SCHEDULED)
    # Versions readers saw: the history of a record.
    PUBLIC_STATES = (State.PUBLISHED, State.SUPERSEDED)

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name="種類", related_name="+"
    )
    # The record's primary key; a new record keeps the key its first draft reserved
    # (its row exists only once published).
    object_id = models.PositiveBigIntegerField("記録のID")
    record = GenericForeignKey("content_type", "object_id")
    label = models.CharField("名前", max_length=200)
    data = OrderedJSONField("内容", encoder=DjangoJSONEncoder)
    rows = OrderedJSONField("行", encoder=DjangoJSONEncoder)
    state = models.CharField("状態", max_length=20, choices=State, default=State.DRAFT)
    source = models.CharField("作成元", max_length=20, choices=Source, default=Source.ADMIN)
    # The version the editor's form was opened on (lost-update check), and for a
    # rollback the version it restores.
    base = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    restored_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="復元元の版",
    )
    created_by = _user_field("作成者")
    created_at = models.DateTimeField("作成日時", default=timezone.now)
    submitted_by = _user_field("レビュー依頼者")
    submitted_at = models.DateTimeField("レビュー依頼日時", null=True, blank=True)
    reviewed_by = _user_field("レビューした編集長")
    reviewed_at = models.DateTimeField("レビュー日時", null=True, blank=True)
    go_live_at = models.DateTimeField("公開予定日時", null=True, blank=True)
    published_by = _user_field("公開した人")
    published_at = models.DateTimeField("公開日時", null=True, blank=True)
    note = models.CharField("メモ", max_length=500, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = "版"
        verbose_name_plural = "版（下書き・公開履歴）"
        ordering = ["-pk"]
        permissions = [("publish_revision", "下書きを公開・予約・差し戻しできる（編集長）")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state__in=["draft", "in_review", "scheduled"]),
                name="revision_one_open_draft",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state="published"),
                name="revision_one_published",
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="revision_record"),
            models.Index(
                fields=["state", "go_live_at"],
                name="revision_pending",
                condition=Q(state__in=["in_review", "scheduled"]),
            ),
        ]

    def __str__(self):
        return f"{self.label}（第{self.pk}版・{self.get_state_display()}）"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def model(self) -> type[models.Model]:
        return self.content_type.model_class()
