"""`load_content` with revisions: what content/ publishes is recorded like an editor's
publish, and `--draft` turns a changed file into a draft instead.

careers/content/loading.py keeps its guarantees (validation `path:line`, one
transaction, idempotence, records edited in admin kept); this wraps it:
- a normal load: each record it created or updated gets a published revision named
  as coming from content/ (the previous one becomes 過去の公開版), and its 更新日
  is now;
- `draft=True`: the load runs in a savepoint that is rolled back, and each record it
  would have created or updated gets a draft from content/ instead, for review in
  the admin like any other (an open draft of the record is replaced by it).
"""

from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from careers.content import Change, load
from careers.models import Revision
from careers.publishing import services
from careers.publishing.records import PUBLISHABLE, Capture, capture

WRITTEN = ("created", "updated")
CONTENT = Revision.Source.CONTENT


def _record_pk(change: Change) -> tuple[type, int]:
    """The model and primary key of the record a Change names (`kind:[office/]slug`)."""
    kind, key = change.label.split(":", 1)
    model = PUBLISHABLE[kind]
    if kind == "role":
        office, slug = key.split("/", 1)
        return model, model.objects.get(office__slug=office, slug=slug).pk
    return model, model.objects.get(slug=key).pk


def load_recorded(
    root: str | Path, *, dry_run: bool = False, force: bool = False, draft: bool = False
) -> list[Change]:
    """Load content/ at `root` as careers.content.load does, recording revisions (see
    the module docstring). Raises ContentError, writing nothing, for an invalid tree."""
    if dry_run:
        return load(root, dry_run=True, force=force)
    with transaction.atomic():
        with transaction.atomic():
            changes = load(root, force=force)
            captured = [capture(*_record_pk(c)) for c in changes if c.action in WRITTEN]
            if draft:  # undone, on_commit callbacks included (see records.applied)
                transaction.set_rollback(True)
        for item in captured:
            if draft:
                services.save_draft(
                    captured=item, by=None, base_id=None, check_base=False, source=CONTENT
                )
            else:
                _record_published(item)
    return changes


def _record_published(item: Capture) -> None:
    now = timezone.now()
    item.model.objects.filter(pk=item.pk).update(content_updated_at=now)
    versions = Revision.objects.of(item.model, item.pk)
    previous = versions.filter(state=Revision.State.PUBLISHED).first()
    versions.filter(state=Revision.State.PUBLISHED).update(state=Revision.State.SUPERSEDED)
    Revision.objects.create(
        content_type=ContentType.objects.get_for_model(item.model),
        object_id=item.pk,
        label=item.label,
        data=item.data,
        rows=item.rows,
        state=Revision.State.PUBLISHED,
        source=CONTENT,
        base=previous,
        published_at=now,
    )
