"""A content record as a revision holds it, and back.

A publishable record has its own entry in content/ (careers.models.content.
LoadedContentModel): an office, role, page, glossary term or 適職診断 question.
Its children are the content rows that are deleted with it (an office's merits,
demerits and FAQs, a question's answers, any list a role gains): they are found
from the model's relations, so a new kind of child needs no change here.

A revision keeps the record twice (careers/models/revisions.py):
- `data`, the content/ snapshot (careers/content/snapshots.py): what people compare
  and what export writes;
- `rows`, the editable columns of the record and its children with their primary
  keys. Applying them rebuilds exactly those rows, ids included, so a draft reopens
  in the admin's own forms and inlines, and a publish writes what was previewed.

`applied()` shows a revision in the database for the length of a block and then
undoes everything written in it (rolled back, on_commit callbacks dropped), with the
shared cache switched off, so nothing computed from a draft can outlive the block.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.urls import reverse

from careers.content.snapshots import SNAPSHOTS
from careers.models import CONTENT_MODELS, DiagnosisQuestion, Office, Page, Revision, Role, Term
from careers.models.base import LoadedContentModel

# Document kind (careers/content/schema.py) → model: what can be drafted and published.
PUBLISHABLE: dict[str, type[LoadedContentModel]] = {
    "office": Office,
    "role": Role,
    "page": Page,
    "term": Term,
    "question": DiagnosisQuestion,
}
KIND_OF = {model: kind for kind, model in PUBLISHABLE.items()}
# Where a page is shown: its slug → the public page (a page has no URL of its own).
PAGE_PATHS = {"glossary": "careers:glossary", "diagnosis": "careers:diagnosis"}


@dataclass(frozen=True)
class Capture:
    """A record as a revision stores it (see the module docstring)."""

    model: type[models.Model]
    pk: int
    label: str
    data: dict
    rows: dict


def is_publishable(model: type[models.Model]) -> bool:
    return model in KIND_OF


def children(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Relations to the content rows that cascade with a `model` record, e.g. Office →
    points and faqs; not roles (an office with roles cannot be deleted)."""
    return [
        relation
        for relation in model._meta.related_objects
        if relation.on_delete is models.CASCADE and relation.related_model in CONTENT_MODELS
    ]


def _plain(value: object) -> object:
    """`value` as it comes back from a JSON column (dates as ISO strings)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _row(instance: models.Model) -> dict:
    """The primary key and the editable columns (Markdown sources, not their HTML;
    not the bookkeeping a publish or the loader keeps on the live row)."""
    return {
        field.attname: field.value_from_object(instance)
        for field in instance._meta.concrete_fields
        if field.editable or field.primary_key
    }


def snapshot(record: LoadedContentModel) -> dict:
    """The record's content/ snapshot, as stored in a revision's `data`."""
    return _plain(SNAPSHOTS[KIND_OF[type(record)]](record))


def capture(model: type[LoadedContentModel], pk: int) -> Capture:
    """Read record `pk` (and its children) as it is now in the database."""
    record = model.objects.get(pk=pk)
    rows = {
        "record": _row(record),
        "children": {
            relation.get_accessor_name(): [
                _row(child) for child in getattr(record, relation.get_accessor_name()).all()
            ]
            for relation in children(model)
        },
    }
    return Capture(model, record.pk, str(record)[:200], snapshot(record), _plain(rows))


def _assign(instance: models.Model, values: dict) -> None:
    for name, value in values.items():
        setattr(instance, name, instance._meta.get_field(name).to_python(value))


def apply(model: type[LoadedContentModel], rows: dict) -> LoadedContentModel:
    """Write `rows` (from `capture`): the record's editable columns and exactly its
    children, with their ids. Saves go through the models, so Markdown is rendered
    again and the content revision and glossary links follow (signals). Columns a
    revision does not hold (the loader's fingerprint, 更新日, 最終確認日) are not
    written, so a change to them meanwhile is kept.

    Raises IntegrityError when a unique value (a slug) is taken meanwhile.
    """
    values = rows["record"]
    pk_name = model._meta.pk.attname
    record = model.objects.filter(pk=values[pk_name]).first() or model()
    _assign(record, values)
    if record._state.adding:
        record.save(force_insert=True)
    else:  # only what a revision holds and what saving derives from it
        derived = [f"{name}_html" for name in model.markdown_fields]
        auto = [f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        record.save(update_fields=[*(set(values) - {pk_name}), *derived, *auto])
    for relation in children(model):
        child_model = relation.related_model
        manager = getattr(record, relation.get_accessor_name())
        manager.all().delete()  # all first: items may swap unique values (slugs)
        items = rows["children"].get(relation.get_accessor_name(), [])
        ids = [item[pk_name] for item in items]
        taken = set(child_model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for item in items:
            child = child_model()
            _assign(child, item)
            setattr(child, relation.field.attname, record.pk)
            if child.pk in taken:  # now another record's child: a new row instead
                child.pk = None
            child.save(force_insert=True)
    return record


def public_path(model: type[models.Model], values: dict) -> str:
    """The path of the public page that shows a record with the columns `values`
    (a revision's `rows["record"]`): its own page, or the page it is part of."""
    if model is Office:
        return reverse("careers:office", args=[values["slug"]])
    if model is Role:
        office = Office.objects.filter(pk=values["office_id"]).values_list("slug", flat=True)
        return reverse("careers:role", args=[office.first() or "-", values["slug"]])
    if model is Term:
        return reverse("careers:glossary")
    if model is DiagnosisQuestion:
        return reverse("careers:diagnosis")
    return reverse(PAGE_PATHS.get(values["slug"], "careers:home"))


@contextmanager
def applied(revision: Revision | None) -> Iterator[LoadedContentModel | None]:
    """Within the block the database holds `revision` as if it were published (None:
    the live rows as they are); at its end everything written in the block is
    rolled back, and the on_commit callbacks registered in it are dropped.

    The block is an atomic() marked for rollback, not a bare savepoint: Django drops
    the callbacks of an atomic block rolled back, but not those of a savepoint made
    by hand. The shared cache is off in the block (a dummy in this thread only): a
    page, choice list or revision number computed from a draft is never stored.
    """
    cache = caches[DEFAULT_CACHE_ALIAS]
    caches[DEFAULT_CACHE_ALIAS] = DummyCache(DEFAULT_CACHE_ALIAS, {})
    try:
        with transaction.atomic():
            try:
                yield None if revision is None else apply(revision.model, revision.rows)
            finally:
                transaction.set_rollback(True)
    finally:
        caches[DEFAULT_CACHE_ALIAS] = cache
