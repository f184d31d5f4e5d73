"""Writes of the editorial workflow, keyword-only: drafts, review, publishing, rollback.

States and who moves a record between them (views check who; these check what):

    (save in admin, load_content --draft, restore)      → 下書き        editors, 編集長
    下書き → レビュー待ち (request_review)                                 editors, 編集長
    レビュー待ち/予約公開 → 下書き (send_back)                              編集長
    下書き/レビュー待ち → 予約公開 (scheduling.schedule, unschedule back)   編集長
    下書き/レビュー待ち/予約公開 → 公開中 (publish, or the worker on time)  編集長
    公開中 → 過去の公開版 (when another version is published)
    open draft → 上書きされた下書き (a newer save) / 取り下げた下書き (discard)

Each record has at most one open draft and one published version (database
constraints). Saving checks the version the editor's form was opened on, so a
change saved by someone else meanwhile is never silently overwritten.
"""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from careers import tasks
from careers.caching import bump_revision
from careers.glossary_links import relink_once
from careers.models import EmailDelivery, Revision
from careers.publishing.links import BrokenLink, SiteIndex, broken_links
from careers.publishing.records import Capture, apply, capture, snapshot

logger = logging.getLogger(__name__)
State = Revision.State
# Snapshot keys that are not the text: a publish changing only these keeps 更新日.
NOT_TEXT = ("review_by", "order")


class PublishingError(Exception):
    """A step the workflow refuses; the message is Japanese, for the editor."""


class Conflict(PublishingError):
    """Someone else saved the record since the editor's form was opened."""

    def __init__(self, *, base: Revision | None, head: Revision | None):
        self.base, self.head = base, head
        super().__init__(
            "このページは、あなたが編集を始めた後にほかの人が保存しました。"
            "変更点を確かめ、必要ならあなたの入力に反映してから、もう一度保存してください。"
        )


class BrokenLinks(PublishingError):
    def __init__(self, links: list[BrokenLink]):
        self.links = links
        super().__init__(
            "リンク切れがあるため公開できません: " + "、".join(str(link) for link in links)
        )


def head(model: type[models.Model], pk: object) -> Revision | None:
    """The version an editor's form shows: the open draft, else the published one."""
    return (
        Revision.objects.of(model, pk)
        .filter(state__in=[*Revision.OPEN_STATES, State.PUBLISHED])
        .first()
    )


def open_draft(model: type[models.Model], pk: object) -> Revision | None:
    return Revision.objects.of(model, pk).open().first()


def _locked(revision: Revision, states: tuple, message: str) -> Revision:
    locked = Revision.objects.select_for_update().get(pk=revision.pk)
    if locked.state not in states:
        raise PublishingError(message)
    return locked


def save_draft(
    *,
    captured: Capture,
    by: AbstractBaseUser | None,
    base_id: int | None,
    check_base: bool = True,
    source: str = Revision.Source.ADMIN,
    restored_from: Revision | None = None,
) -> Revision:
    """Store `captured` as the record's new draft, replacing its open draft (a
    scheduled publication is thereby cancelled, a review request withdrawn).

    `base_id` is the head (see `head`) the editor's form was opened on; with
    `check_base`, raises Conflict if the head is another version now.
    """
    with transaction.atomic():
        current = (
            Revision.objects.of(captured.model, captured.pk)
            .filter(state__in=[*Revision.OPEN_STATES, State.PUBLISHED])
            .select_for_update()
            .first()
        )
        if check_base and (current.pk if current else None) != base_id:
            base = Revision.objects.filter(pk=base_id).first() if base_id else None
            raise Conflict(base=base, head=current)
        Revision.objects.of(captured.model, captured.pk).open().update(state=State.REPLACED)
        try:
            with transaction.atomic():
                return Revision.objects.create(
                    content_type=ContentType.objects.get_for_model(captured.model),
                    object_id=captured.pk,
                    label=captured.label,
                    data=captured.data,
                    rows=captured.rows,
                    source=source,
                    base=current,
                    restored_from=restored_from,
                    created_by=by,
                )
        except IntegrityError:  # another draft was saved at the same moment
            raise Conflict(base=current, head=head(captured.model, captured.pk)) from None


def request_review(*, revision: Revision, by: AbstractBaseUser) -> Revision:
    """下書き → レビュー待ち; the 編集長 are emailed (once per version) by the worker."""
    with transaction.atomic():
        locked = _locked(
            revision, (State.DRAFT,), "この下書きはレビューを依頼できる状態ではありません。"
        )
        locked.state = State.IN_REVIEW
        locked.submitted_by, locked.submitted_at = by, timezone.now()
        locked.note = ""
        locked.save(update_fields=["state", "submitted_by", "submitted_at", "note"])
        kind = EmailDelivery.Kind.REVIEW_REQUEST
        if not locked.email_deliveries.filter(kind=kind).exists():
            tasks.queue_emails(kinds=[kind], revision=locked)
    return locked


def send_back(*, revision: Revision, by: AbstractBaseUser, note: str = "") -> Revision:
    """レビュー待ち or 予約公開 → 下書き, with the 編集長's note for the editor."""
    with transaction.atomic():
        locked = _locked(
            revision,
            (State.IN_REVIEW, State.SCHEDULED),
            "差し戻せるのはレビュー待ちか予約公開の下書きです。",
        )
        locked.state, locked.go_live_at = State.DRAFT, None
        locked.reviewed_by, locked.reviewed_at, locked.note = by, timezone.now(), note[:500]
        locked.save(update_fields=["state", "go_live_at", "reviewed_by", "reviewed_at", "note"])
    return locked


def discard(*, revision: Revision, by: AbstractBaseUser) -> Revision:
    """An open draft → 取り下げた下書き: the live record stays as it is."""
    with transaction.atomic():
        locked = _locked(
            revision, Revision.OPEN_STATES, "この下書きはすでに公開済みか、置き換えられています。"
        )
        locked.state, locked.note = State.DISCARDED, f"取り下げ: {by}"[:500]
        locked.save(update_fields=["state", "note"])
    return locked


def check_links(revision: Revision) -> list[BrokenLink]:
    """The draft's internal links that would be broken once it is live."""
    index = SiteIndex().including(revision.model, revision.rows["record"])
    return broken_links(revision.model, revision.data, index)


def _missing_parent(revision: Revision) -> str | None:
    """The name of the record a draft belongs to (a role's office) when that record is
    not live yet, else None. Foreign keys are checked only at commit (deferred), so
    this is said before writing."""
    values = revision.rows["record"]
    for field in revision.model._meta.concrete_fields:
        if field.many_to_one and values.get(field.attname) is not None:
            target = field.related_model
            if not target.objects.filter(pk=values[field.attname]).exists():
                draft = Revision.objects.of(target, values[field.attname]).first()
                return draft.label if draft else str(field.verbose_name)
    return None


def _text(data: dict) -> dict:
    return {key: value for key, value in data.items() if key not in NOT_TEXT}


def publish(*, revision: Revision, by: AbstractBaseUser | None) -> Revision:
    """Make an open draft the live record, in one transaction.

    The rows are written through the models (careers/publishing/records.py), so the
    content revision is bumped (every cached page goes stale) and glossary links
    are redone once. 更新日 moves only when the text changed. Raises BrokenLinks
    while the draft links to a missing or unpublished page, PublishingError when
    the draft is no longer open or a slug is taken meanwhile.
    """
    with transaction.atomic():
        locked = _locked(
            revision, Revision.OPEN_STATES, "この下書きはすでに公開済みか、置き換えられています。"
        )
        if problems := check_links(locked):
            raise BrokenLinks(problems)
        if parent := _missing_parent(locked):
            raise PublishingError(f"先に「{parent}」を公開してください（まだ公開されていません）。")
        model = locked.model
        live = model.objects.filter(pk=locked.object_id).first()
        before = snapshot(live) if live else None
        try:
            with transaction.atomic(), relink_once():
                apply(model, locked.rows)
        except IntegrityError:
            raise PublishingError(
                "スラッグなど、ほかと重ならない値が別のページと重なっているため公開できません。"
            ) from None
        now = timezone.now()
        published = capture(model, locked.object_id)
        if before is None or _text(before) != _text(published.data):
            model.objects.filter(pk=locked.object_id).update(content_updated_at=now)
        Revision.objects.of(model, locked.object_id).filter(state=State.PUBLISHED).update(
            state=State.SUPERSEDED
        )
        locked.state, locked.published_by, locked.published_at = State.PUBLISHED, by, now
        locked.data, locked.rows, locked.label = published.data, published.rows, published.label
        if locked.reviewed_by_id is None:
            locked.reviewed_by, locked.reviewed_at = by, now
        locked.save()
    return locked


def restore(*, revision: Revision, by: AbstractBaseUser, base_id: int | None) -> Revision:
    """A past version becomes the record's new draft (then reviewed and published as any)."""
    captured = Capture(
        revision.model, revision.object_id, revision.label, revision.data, revision.rows
    )
    return save_draft(
        captured=captured,
        by=by,
        base_id=base_id,
        source=Revision.Source.ROLLBACK,
        restored_from=revision,
    )


def mark_reviewed(*, record: models.Model, by: AbstractBaseUser) -> None:
    """「変更なしで確認済み」: record 最終確認日 on the live row (shown on its page)."""
    model = type(record)
    with transaction.atomic():
        model.objects.filter(pk=record.pk).update(last_reviewed_at=timezone.now())
        bump_revision()  # update() sends no signal; the page shows the date
    logger.info("content reviewed %s=%s by user=%s", model._meta.model_name, record.pk, by.pk)
