"""Scheduled publishing: a reviewed draft goes live at a date and time (Asia/Tokyo).

Scheduling enqueues `publish_scheduled` with `run_after` = the time, in the same
transaction (django-tasks-db keeps tasks in our database), so the worker
(`manage.py db_worker`, polling every second) publishes it within a minute. The
task locks the revision and acts only if it is still scheduled for a time already
come: a duplicate task, a task left over from an earlier time after rescheduling,
or one for a draft replaced, sent back or unscheduled meanwhile does nothing. So
the draft goes live once, however many workers run.
"""

import logging
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from careers.models import Revision
from careers.publishing import services

logger = logging.getLogger(__name__)
State = Revision.State


def schedule(*, revision: Revision, by: AbstractBaseUser, go_live_at: datetime) -> Revision:
    """下書き/レビュー待ち/予約公開 → 予約公開 at `go_live_at` (aware, in the future).

    Raises PublishingError for a time not in the future or a draft no longer open,
    BrokenLinks while the draft has broken internal links (checked again on time).
    """
    if go_live_at <= timezone.now():
        raise services.PublishingError("公開日時には、これから先の日時を指定してください。")
    with transaction.atomic():
        locked = Revision.objects.select_for_update().get(pk=revision.pk)
        if locked.state not in Revision.OPEN_STATES:
            raise services.PublishingError("この下書きはすでに公開済みか、置き換えられています。")
        if problems := services.check_links(locked):
            raise services.BrokenLinks(problems)
        locked.state, locked.go_live_at = State.SCHEDULED, go_live_at
        locked.reviewed_by, locked.reviewed_at, locked.note = by, timezone.now(), ""
        locked.save(update_fields=["state", "go_live_at", "reviewed_by", "reviewed_at", "note"])
        publish_scheduled.using(run_after=go_live_at).enqueue(locked.pk)
    return locked


def unschedule(*, revision: Revision, by: AbstractBaseUser) -> Revision:
    """予約公開 → レビュー待ち; the task already queued will find nothing to do."""
    with transaction.atomic():
        locked = Revision.objects.select_for_update().get(pk=revision.pk)
        if locked.state != State.SCHEDULED:
            raise services.PublishingError("この下書きは予約されていません。")
        locked.state, locked.go_live_at = State.IN_REVIEW, None
        locked.save(update_fields=["state", "go_live_at"])
    return locked


@task
def publish_scheduled(revision_id: int) -> str:
    """Publish revision `revision_id` if it is scheduled for now or earlier; return what
    happened: "published", "early", "refused" (broken links, taken slug: back to
    review with the reason), "deleted" or `not-scheduled:<state>`."""
    with transaction.atomic():
        revision = Revision.objects.select_for_update().filter(pk=revision_id).first()
        if revision is None:
            return "deleted"
        if revision.state != State.SCHEDULED:
            return f"not-scheduled:{revision.state}"
        if revision.go_live_at > timezone.now():  # rescheduled later: its own task will come
            return "early"
        try:
            with transaction.atomic():
                services.publish(revision=revision, by=revision.reviewed_by)
        except services.PublishingError as error:
            # Back to the 編集長's list with the reason; nothing went live.
            revision.state, revision.go_live_at = State.IN_REVIEW, None
            revision.note = f"予約公開できませんでした: {error}"[:500]
            revision.save(update_fields=["state", "go_live_at", "note"])
            logger.warning("scheduled publish refused revision=%s", revision_id)
            return "refused"
    logger.info("scheduled publish done revision=%s", revision_id)
    return "published"
