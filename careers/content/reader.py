"""Reading one file of content/: YAML front matter that remembers its lines, and
checks of keys and types that collect problems instead of stopping at the first."""

import re
from datetime import date
from pathlib import Path

import yaml
from django.core.exceptions import FieldDoesNotExist, ValidationError

from careers.content.schema import MARKDOWN_KEYS, SLUG_RE, Problem
from careers.markdown import validate_markdown


class Mapping(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line = 0
    key_lines: dict


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = Mapping()
    mapping.line = node.start_mark.line
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text until check() reads them: YAML's own reading of `2027-13-01` fails
# without a line to report, and a title that looks like a date is still a title.
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def as_date(value: object) -> date | None:
    """`value` (YAML text) as a date if it is one written `YYYY-MM-DD`, else None."""
    if not isinstance(value, str) or not DATE_RE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def line_of(mapping: "Mapping", key: str) -> int:
    """The file line of `key` in a front matter mapping (the mapping's own line if absent)."""
    return mapping.key_lines.get(key, mapping.line) + 2


def markdown_problem(text):
    """The renderer's message when `text` is over its limits (careers.markdown), else None."""
    try:
        validate_markdown(text)
    except ValidationError as error:
        return error.messages[0]
    return None


class Reader:
    """Parses and validates files, collecting problems instead of stopping at the first."""

    def __init__(self, root):
        self.root = Path(root)
        self.problems = []

    def problem(self, path, line, message):
        self.problems.append(Problem(path, line, message))

    def read(self, file_path):
        """Return (front matter mapping, body, path label) or None after a problem."""
        label = str(file_path.relative_to(self.root.parent))
        try:
            text = file_path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.problem(label, 1, "UTF-8 で保存してください")
            return None
        lines = text.split("\n")
        if not lines or lines[0].strip() != "---":
            self.problem(label, 1, "先頭行は '---'（フロントマターの開始）にしてください")
            return None
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            self.problem(label, 1, "フロントマターを閉じる '---' がありません")
            return None
        try:
            # The closing newline keeps a last `key: |` block value the same as any other.
            meta = yaml.load("\n".join(lines[1:end]) + "\n", Loader=_LineLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            self.problem(label, line, f"YAML を読めません: {getattr(error, 'problem', error)}")
            return None
        if not isinstance(meta, Mapping):
            self.problem(label, 2, "フロントマターは「キー: 値」の形で書いてください")
            return None
        body = "\n".join(lines[end + 1 :]).strip("\n")
        if message := markdown_problem(body):
            self.problem(label, end + 2, f"本文: {message}")
        return meta, body, label

    def check(self, label, mapping, spec, where="", model=None):
        """Check keys and types of a mapping against a spec; return a clean dict.

        With `model`, each value must also pass the validators of the model field of
        its name (lengths and spellings content/README.md states): what the admin
        refuses, the loader refuses too.
        """
        clean = {}
        for key in mapping:
            if key not in spec:
                self.problem(label, line_of(mapping, key), f"{where}未知のキー '{key}'")
        for key, (kind, required) in spec.items():
            if key not in mapping or mapping[key] is None:
                if required:
                    self.problem(label, mapping.line + 2, f"{where}必須のキー '{key}' がありません")
                continue
            value = mapping[key]
            if kind is date:
                value = as_date(value)
                if value is None:
                    message = f"{where}'{key}' は 2026-04-01 のように年-月-日で書いてください"
                    self.problem(label, line_of(mapping, key), message)
                    continue
            # bool is a subclass of int; "order: true" is still a mistake.
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                self.problem(label, line_of(mapping, key), f"{where}'{key}' の値の型が違います")
                continue
            if kind is str and not value.strip():
                self.problem(label, line_of(mapping, key), f"{where}'{key}' が空です")
                continue
            if key in MARKDOWN_KEYS and (message := markdown_problem(value)):
                self.problem(label, line_of(mapping, key), f"{where}'{key}': {message}")
                continue
            if key == "slug" and not SLUG_RE.match(value):
                self.problem(
                    label,
                    line_of(mapping, key),
                    f"スラッグ '{value}' は英小文字・数字・ハイフンで書いてください",
                )
                continue
            if model is not None and not self.passes_field(label, mapping, key, model, where):
                continue
            clean[key] = value
        return clean

    def passes_field(self, label, mapping, key, model, where):
        """Run the validators of `model`'s field `key` on its value; report each failure."""
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            return True
        if not field.concrete:  # a relation such as an office's faqs: checked item by item
            return True
        try:
            field.run_validators(mapping[key])
        except ValidationError as error:
            for message in error.messages:
                self.problem(label, line_of(mapping, key), f"{where}'{key}': {message}")
            return False
        return True

    def check_items(self, label, mapping, key, spec, where, model=None):
        """check() each item of the list `mapping[key]`; return the clean items."""
        items = []
        if not isinstance(mapping.get(key), list):
            return items  # missing or not a list: check() has reported it
        for index, item in enumerate(mapping[key], start=1):
            if not isinstance(item, Mapping):
                line = line_of(mapping, key)
                self.problem(label, line, f"{where} {index} 件目は「キー: 値」の形で書いてください")
                continue
            items.append(
                self.check(label, item, spec, where=f"{where} {index} 件目: ", model=model)
            )
        return items

    def slug_matches_file(self, label, meta, clean, file_path):
        if "slug" in clean and clean["slug"] != file_path.stem:
            self.problem(
                label,
                meta.key_lines["slug"] + 2,
                f"スラッグ '{clean['slug']}' とファイル名 '{file_path.name}' を一致させてください",
            )
