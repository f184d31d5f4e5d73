"""Writing content/ to the database: validate the whole tree, then upsert it in one
transaction.

A record remembers the fingerprint of what the loader last wrote to it. If its
current fingerprint differs, an editor changed it in admin since, and the
loader keeps the editor's version (with a warning) unless told to force.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from careers.content.schema import Document
from careers.content.snapshots import (
    ROLE_ITEM_FIELDS,
    ROLE_LIST_FIELDS,
    ROLE_TEXT_FIELDS,
    SNAPSHOTS,
    fingerprint,
)
from careers.content.validation import read_tree
from careers.glossary_links import relink_once
from careers.models import (
    DiagnosisAnswer,
    DiagnosisQuestion,
    Faq,
    Figure,
    Office,
    Page,
    Point,
    Qualification,
    Role,
    RoleDayItem,
    RoleFaq,
    Term,
)

# A role's lists → the model of their items.
ROLE_ITEM_MODELS = {
    "day": RoleDayItem,
    "qualifications": Qualification,
    "faqs": RoleFaq,
    "figures": Figure,
}


@dataclass
class Change:
    """What `load()` did (or, in a dry run, would do) with one document."""

    action: str  # "created", "updated", "unchanged", "kept" (edited in admin, not overwritten)
    path: str
    label: str


def _existing(doc: Document):
    model_filter = {
        "office": lambda: Office.objects.filter(slug=doc.data["slug"]),
        "role": lambda: Role.objects.filter(office__slug=doc.parent, slug=doc.data["slug"]),
        "page": lambda: Page.objects.filter(slug=doc.data["slug"]),
        "term": lambda: Term.objects.filter(slug=doc.data["slug"]),
        "question": lambda: DiagnosisQuestion.objects.filter(slug=doc.data["slug"]),
    }[doc.kind]
    return model_filter().first()


def _write(doc, record, offices):
    data = dict(doc.data)
    data.setdefault("review_by", None)  # a date taken out of the file is cleared
    if doc.kind == "office":
        merits, demerits, faqs = data.pop("merits"), data.pop("demerits"), data.pop("faqs")
        data.setdefault("comparison", {})
        record = record or Office()
        _assign(record, data)
        record.save()
        record.points.all().delete()
        record.faqs.all().delete()
        for kind, items in ((Point.Kind.MERIT, merits), (Point.Kind.DEMERIT, demerits)):
            for order, item in enumerate(items):
                Point(office=record, kind=kind, order=order, **item).save()
        for order, item in enumerate(faqs):
            Faq(office=record, order=order, **item).save()
        offices[record.slug] = record
    elif doc.kind == "question":
        answers = data.pop("answers")
        record = record or DiagnosisQuestion()
        _assign(record, data)
        record.save()
        record.answers.all().delete()
        for order, item in enumerate(answers):
            DiagnosisAnswer(question=record, order=order, **item).save()
    elif doc.kind == "role":
        items = {key: data.pop(key, []) for key in ROLE_ITEM_FIELDS}
        record = record or Role()
        record.office = offices[doc.parent]
        for key in ROLE_TEXT_FIELDS:
            data.setdefault(key, "")
        for key in ROLE_LIST_FIELDS:
            data.setdefault(key, [])
        _assign(record, data)
        record.save()
        for key, model in ROLE_ITEM_MODELS.items():
            getattr(record, ROLE_ITEM_FIELDS[key][0]).all().delete()
            for order, item in enumerate(items[key]):
                model(role=record, order=order, **item).save()
    else:
        model = {"page": Page, "term": Term}[doc.kind]
        record = record or model()
        _assign(record, data)
        record.save()
    record.synced_fingerprint = fingerprint(SNAPSHOTS[doc.kind](record))
    record.save(update_fields=["synced_fingerprint"])


def _assign(record, data):
    for key, value in data.items():
        setattr(record, key, value)


def load(root: str | Path, *, dry_run: bool = False, force: bool = False) -> list["Change"]:
    """Validate the tree at `root` (content/) and upsert it; return one Change per document.

    `dry_run` writes nothing; `force` overwrites records edited in admin since the
    last load (otherwise they are "kept"). Raises ContentError, writing nothing,
    if any file is invalid.
    """
    documents = read_tree(root)
    changes = []
    # Glossary links in office and role bodies are redone once if any term or name changed.
    with transaction.atomic(), relink_once():
        offices = {office.slug: office for office in Office.objects.all()}
        for doc in documents:
            record = _existing(doc)
            label = f"{doc.parent + '/' if doc.parent else ''}{doc.data['slug']}"
            if record is None:
                action = "created"
            else:
                current = fingerprint(SNAPSHOTS[doc.kind](record))
                if current == fingerprint(_comparable(doc)):
                    action = "unchanged"
                elif current != record.synced_fingerprint and not force:
                    action = "kept"
                else:
                    action = "updated"
            changes.append(Change(action, doc.path, f"{doc.kind}:{label}"))
            if action in ("created", "updated") and not dry_run:
                _write(doc, record, offices)
            elif action == "created" and doc.kind == "office":
                # A dry run still needs the office to check its roles against.
                offices[doc.data["slug"]] = Office(slug=doc.data["slug"])
    return changes


def _comparable(doc):
    """The document's data in the shape DATA_OF produces from a saved record."""
    data = dict(doc.data)
    if doc.kind == "office" and not data.get("comparison"):
        data.pop("comparison", None)
    return data
