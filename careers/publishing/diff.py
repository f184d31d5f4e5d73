"""What changed between two versions of a record, field by field, on the Markdown source.

Each top-level key of the snapshots (careers/content/snapshots.py) is one field; a
list of merits or FAQs is one field whose items are lines, so an inserted item
shows as inserted rather than as every later item changed. Lines are compared
with difflib; a changed line also shows which characters changed (Japanese has no
spaces to split words on). Templates render the result as a table with <del> and
<ins> (templates/admin/careers/publishing/diff.html).
"""

import difflib
from dataclasses import dataclass, field

from django.db import models

from careers.publishing.labels import key_label

# Unchanged lines kept around a change; longer unchanged runs are folded.
CONTEXT_LINES = 2


@dataclass
class Row:
    """One line of the table: the old and new text as (changed?, text) segments.
    `before` or `after` is None where a line was only added or only removed;
    `folded` counts unchanged lines left out instead."""

    before: list[tuple[bool, str]] | None = None
    after: list[tuple[bool, str]] | None = None
    folded: int = 0

    @property
    def changed(self) -> bool:
        return not self.folded and self.before != self.after


@dataclass
class FieldDiff:
    label: str
    rows: list[Row] = field(default_factory=list)


def _scalar(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, dict):
        return "、".join(f"{key}={item}" for key, item in value.items())
    return str(value)


def text_lines(model: type[models.Model], value: object) -> list[str]:
    """A snapshot value as the lines a person compares."""
    if isinstance(value, dict):
        return [f"{key_label(model, key)}: {_scalar(item)}" for key, item in value.items()]
    if isinstance(value, list):
        lines = []
        for number, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                lines.append(_scalar(item))
                continue
            lines.append(f"〔{number} 件目〕")
            for key, part in item.items():
                first, *rest = _scalar(part).splitlines() or [""]
                lines += [f"{key_label(model, key, nested=True)}: {first}", *rest]
        return lines
    # splitlines(): a browser's \r\n and a file's \n are the same line break to a reader.
    return _scalar(value).splitlines()


def _segments(before: str, after: str) -> tuple[list, list]:
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    old, new = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if before[i1:i2]:
            old.append((tag != "equal", before[i1:i2]))
        if after[j1:j2]:
            new.append((tag != "equal", after[j1:j2]))
    return old, new


def _rows(before: list[str], after: list[str]) -> list[Row]:
    rows = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            same = [Row([(False, line)], [(False, line)]) for line in before[i1:i2]]
            if len(same) > 2 * CONTEXT_LINES + 1:
                hidden = len(same) - 2 * CONTEXT_LINES
                same = [*same[:CONTEXT_LINES], Row(folded=hidden), *same[-CONTEXT_LINES:]]
            rows += same
            continue
        old, new = before[i1:i2], after[j1:j2]
        for index in range(max(len(old), len(new))):
            if index < len(old) and index < len(new):
                rows.append(Row(*_segments(old[index], new[index])))
            elif index < len(old):
                rows.append(Row(before=[(True, old[index])]))
            else:
                rows.append(Row(after=[(True, new[index])]))
    return rows


def diff(model: type[models.Model], before: dict | None, after: dict | None) -> list[FieldDiff]:
    """The fields that differ between snapshots `before` and `after` of a `model`
    record (None: the record did not exist), in the order the snapshot has them."""
    before, after = before or {}, after or {}
    keys = list(after) + [key for key in before if key not in after]
    changes = []
    for key in keys:
        if before.get(key) == after.get(key):
            continue
        old, new = text_lines(model, before.get(key)), text_lines(model, after.get(key))
        changes.append(FieldDiff(key_label(model, key), _rows(old, new)))
    return changes
