"""Japanese names for the keys of a content snapshot (careers/content/snapshots.py),
as diffs and link reports show them: a model field's verbose name where the key is
a field, else the few keys that group several rows."""

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from careers.models.content import COMPARISON_CRITERIA
from careers.publishing.records import children

# Keys that are not one field: lists of children, the comparison table and its rows.
GROUP_LABELS = {
    "merits": "メリット",
    "demerits": "デメリット",
    "faqs": "よくある質問",
    "answers": "回答",
    "comparison": "比較表の値",
    **dict(COMPARISON_CRITERIA),
}


def key_label(model: type[models.Model], key: str, *, nested: bool = False) -> str:
    """The name of snapshot `key` of a `model` record; `nested` for a key inside a list
    item (a merit's 見出し), looked up on the child models first."""
    if key in GROUP_LABELS:
        return GROUP_LABELS[key]
    related = [relation.related_model for relation in children(model)]
    for candidate in [*related, model] if nested else [model, *related]:
        try:
            field = candidate._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        if hasattr(field, "verbose_name"):
            return str(field.verbose_name)
    return key


def path_label(model: type[models.Model], path: tuple) -> str:
    """`("merits", 0, "title")` → 「メリット 1 件目 見出し」."""
    words = []
    for depth, part in enumerate(path):
        if isinstance(part, int):
            words.append(f"{part + 1} 件目")
        else:
            words.append(key_label(model, part, nested=depth > 0))
    return " ".join(words)
