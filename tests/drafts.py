"""Drafts for tests, stored as the admin stores them (careers/admin/publishing.py)."""

from careers.publishing import services
from careers.publishing.records import applied, capture


def draft_of(record, *, by=None, **changes):
    """Save `record` with `changes` in a rolled-back savepoint and store the result as
    its draft (on top of its current head); the live row stays as it was."""
    model = type(record)
    for name, value in changes.items():
        setattr(record, name, value)
    with applied(None):
        record.save()
        captured = capture(model, record.pk)
    record.refresh_from_db()
    head = services.head(model, record.pk)
    return services.save_draft(captured=captured, by=by, base_id=head.pk if head else None)
