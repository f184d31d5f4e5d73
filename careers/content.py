"""content/ ↔ database.

`content/` holds one Markdown file with YAML front matter per office, role and
page, plus the glossary and the 適職診断 (diagnosis.md). `load()` validates the whole tree first and reports
every problem as `path:line: message`; only a valid tree is written, in one
transaction. `export()` writes the database back in the same format, so that
load → export on an unchanged database reproduces the files byte for byte.

A record remembers the fingerprint of what the loader last wrote to it. If its
current fingerprint differs, an editor changed it in admin since, and the
loader keeps the editor's version (with a warning) unless told to force.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from careers.diagnosis import weight_problems
from careers.glossary_links import relink_once
from careers.models import DiagnosisAnswer, DiagnosisQuestion, Faq, Office, Page, Point, Role, Term

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COMPARISON_KEYS = (
    "revenue",
    "customer_contact",
    "expertise",
    "visibility",
    "workstyle",
    "entry",
)

# The keys each kind of front matter takes, in the order export writes them:
# key → (type, required).
OFFICE_KEYS = {
    "slug": (str, True),
    "name": (str, True),
    "catchphrase": (str, True),
    "summary": (str, True),
    "order": (int, True),
    "published": (bool, True),
    "comparison": (dict, False),
    "merits": (list, True),
    "demerits": (list, True),
    "faqs": (list, False),
}
POINT_KEYS = {"title": (str, True), "body": (str, True)}
FAQ_KEYS = {"question": (str, True), "answer": (str, True)}
ROLE_KEYS = {
    "slug": (str, True),
    "name": (str, True),
    "summary": (str, True),
    "order": (int, True),
    "published": (bool, True),
    "suited_for": (str, False),
    "skills": (str, False),
    "career_path": (str, False),
}
PAGE_KEYS = {"slug": (str, True), "title": (str, True), "summary": (str, True)}
GLOSSARY_KEYS = {"title": (str, True), "summary": (str, True), "terms": (list, True)}
TERM_KEYS = {
    "slug": (str, True),
    "term": (str, True),
    "reading": (str, True),
    "definition": (str, True),
}
GLOSSARY_PAGE_SLUG = "glossary"
# diagnosis.md: its body is the intro, stored as the Page "diagnosis"; title and
# summary are optional and written back only when they differ from these.
DIAGNOSIS_KEYS = {"title": (str, False), "summary": (str, False), "questions": (list, True)}
DIAGNOSIS_PAGE_SLUG = "diagnosis"
DIAGNOSIS_PAGE_DEFAULTS = {"title": "適職診断", "summary": ""}
QUESTION_KEYS = {"slug": (str, True), "text": (str, True), "answers": (list, True)}
ANSWER_KEYS = {
    "slug": (str, True),
    "label": (str, True),
    "reason": (str, True),
    "weights": (dict, True),
}
ANSWER_COUNT = range(2, 5)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --- Reading ----------------------------------------------------------------------


class _Mapping(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line = 0
    key_lines: dict


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class Document:
    """One file of content/, parsed; `data` is what the database will hold."""

    path: str
    kind: str
    data: dict = field(default_factory=dict)
    parent: str = ""  # a role's office slug

    @property
    def key(self):
        return (self.kind, self.parent, self.data.get("slug"))


class _Reader:
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
        if not isinstance(meta, _Mapping):
            self.problem(label, 2, "フロントマターは「キー: 値」の形で書いてください")
            return None
        body = "\n".join(lines[end + 1 :]).strip("\n")
        return meta, body, label

    def check(self, label, mapping, spec, where=""):
        """Check keys and types of a mapping against a spec; return a clean dict."""
        clean = {}
        for key in mapping:
            if key not in spec:
                self.problem(label, _line(mapping, key), f"{where}未知のキー '{key}'")
        for key, (kind, required) in spec.items():
            if key not in mapping or mapping[key] is None:
                if required:
                    self.problem(label, mapping.line + 2, f"{where}必須のキー '{key}' がありません")
                continue
            value = mapping[key]
            # bool is a subclass of int; "order: true" is still a mistake.
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                self.problem(label, _line(mapping, key), f"{where}'{key}' の値の型が違います")
                continue
            if kind is str and not value.strip():
                self.problem(label, _line(mapping, key), f"{where}'{key}' が空です")
                continue
            if key == "slug" and not SLUG_RE.match(value):
                self.problem(
                    label,
                    _line(mapping, key),
                    f"スラッグ '{value}' は英小文字・数字・ハイフンで書いてください",
                )
                continue
            clean[key] = value
        return clean

    def check_items(self, label, mapping, key, spec, where):
        items = []
        if not isinstance(mapping.get(key), list):
            return items  # missing or not a list: check() has reported it
        for index, item in enumerate(mapping[key], start=1):
            if not isinstance(item, _Mapping):
                line = _line(mapping, key)
                self.problem(label, line, f"{where} {index} 件目は「キー: 値」の形で書いてください")
                continue
            items.append(self.check(label, item, spec, where=f"{where} {index} 件目: "))
        return items

    def slug_matches_file(self, label, meta, clean, file_path):
        if "slug" in clean and clean["slug"] != file_path.stem:
            self.problem(
                label,
                meta.key_lines["slug"] + 2,
                f"スラッグ '{clean['slug']}' とファイル名 '{file_path.name}' を一致させてください",
            )

    def office(self, file_path):
        parsed = self.read(file_path)
        if parsed is None:
            return None
        meta, body, label = parsed
        data = self.check(label, meta, OFFICE_KEYS)
        self.slug_matches_file(label, meta, data, file_path)
        if "comparison" in data:
            comparison = meta["comparison"]
            data["comparison"] = self.check(
                label,
                comparison,
                {key: (str, True) for key in COMPARISON_KEYS},
                where="comparison: ",
            )
        for key, where in (("merits", "メリット"), ("demerits", "デメリット")):
            data[key] = self.check_items(label, meta, key, POINT_KEYS, where)
        data["faqs"] = self.check_items(label, meta, "faqs", FAQ_KEYS, "よくある質問")
        data["body"] = body
        return Document(label, "office", data)

    def role(self, file_path):
        parsed = self.read(file_path)
        if parsed is None:
            return None
        meta, body, label = parsed
        data = self.check(label, meta, ROLE_KEYS)
        self.slug_matches_file(label, meta, data, file_path)
        data["body"] = body
        return Document(label, "role", data, parent=file_path.parent.name)

    def page(self, file_path):
        parsed = self.read(file_path)
        if parsed is None:
            return None
        meta, body, label = parsed
        data = self.check(label, meta, PAGE_KEYS)
        self.slug_matches_file(label, meta, data, file_path)
        data["body"] = body
        return Document(label, "page", data)

    def glossary(self, file_path):
        parsed = self.read(file_path)
        if parsed is None:
            return []
        meta, body, label = parsed
        data = self.check(label, meta, GLOSSARY_KEYS)
        page = {
            "slug": GLOSSARY_PAGE_SLUG,
            "title": data.get("title"),
            "summary": data.get("summary"),
        }
        page["body"] = body
        documents = [Document(label, "page", page)]
        for order, term in enumerate(self.check_items(label, meta, "terms", TERM_KEYS, "用語")):
            term["order"] = order
            documents.append(Document(label, "term", term))
        return documents

    def diagnosis(self, file_path, role_keys):
        """The intro page and one document per question; `role_keys` are `office/role`."""
        parsed = self.read(file_path)
        if parsed is None:
            return []
        meta, body, label = parsed
        data = self.check(label, meta, DIAGNOSIS_KEYS)
        page = {"slug": DIAGNOSIS_PAGE_SLUG}
        for key, default in DIAGNOSIS_PAGE_DEFAULTS.items():
            page[key] = data.get(key, default)
        page["body"] = body
        documents = [Document(label, "page", page)]
        questions = meta.get("questions") if isinstance(meta.get("questions"), list) else []
        seen = {}
        for number, raw in enumerate(questions, start=1):
            where = f"質問 {number} 件目"
            if not isinstance(raw, _Mapping):
                self.problem(
                    label, _line(meta, "questions"), f"{where}は「キー: 値」の形で書いてください"
                )
                continue
            question = self.check(label, raw, QUESTION_KEYS, where=f"{where}: ")
            question["answers"] = self.diagnosis_answers(label, raw, where, role_keys)
            question["order"] = number - 1
            slug = question.get("slug")
            if slug is None:
                continue
            if slug in seen:
                self.problem(
                    label,
                    _line(raw, "slug"),
                    f"{where}: スラッグ '{slug}' が質問 {seen[slug]} 件目と重複しています",
                )
                continue
            seen[slug] = number
            documents.append(Document(label, "question", question))
        return documents

    def diagnosis_answers(self, label, question, where, role_keys):
        answers = question.get("answers")
        if not isinstance(answers, list):
            return []  # missing or not a list: check() has reported it
        if len(answers) not in ANSWER_COUNT:
            self.problem(
                label,
                _line(question, "answers"),
                f"{where}: 回答は{ANSWER_COUNT.start}〜{ANSWER_COUNT.stop - 1}件にしてください"
                f"（いまは{len(answers)}件）",
            )
        clean, seen = [], {}
        for number, raw in enumerate(answers, start=1):
            at = f"{where}の回答 {number} 件目"
            if not isinstance(raw, _Mapping):
                self.problem(
                    label, _line(question, "answers"), f"{at}は「キー: 値」の形で書いてください"
                )
                continue
            answer = self.check(label, raw, ANSWER_KEYS, where=f"{at}: ")
            slug = answer.get("slug")
            if slug is not None and slug in seen:
                self.problem(
                    label,
                    _line(raw, "slug"),
                    f"{at}: スラッグ '{slug}' が同じ質問の回答 {seen[slug]} 件目と重複しています",
                )
            elif slug is not None:
                seen[slug] = number
            if "weights" in answer:
                weights = raw["weights"]
                for key, message in weight_problems(weights, role_keys):
                    self.problem(label, _line(weights, key), f"{at}: {message}")
                answer["weights"] = dict(weights)
            clean.append(answer)
        return clean


def _line(mapping, key):
    """The file line of `key` in a front matter mapping (the mapping's own line if absent)."""
    return mapping.key_lines.get(key, mapping.line) + 2


def read_tree(root):
    """Parse and validate every file under `root`; raise ContentError listing all problems."""
    root = Path(root)
    reader = _Reader(root)
    documents = []
    for file_path in sorted((root / "offices").glob("*.md")):
        documents.append(reader.office(file_path))
    for file_path in sorted((root / "roles").glob("*/*.md")):
        documents.append(reader.role(file_path))
    for file_path in sorted((root / "pages").glob("*.md")):
        documents.append(reader.page(file_path))
    if (root / "glossary.md").exists():
        documents.extend(reader.glossary(root / "glossary.md"))
    if (root / "diagnosis.md").exists():
        role_keys = {
            f"{doc.parent}/{doc.data['slug']}"
            for doc in documents
            if doc is not None and doc.kind == "role" and "slug" in doc.data
        }
        documents.extend(reader.diagnosis(root / "diagnosis.md", role_keys))
    documents = [doc for doc in documents if doc is not None]

    office_slugs = {doc.data.get("slug") for doc in documents if doc.kind == "office"}
    seen = {}
    for doc in documents:
        if doc.kind == "role" and doc.parent not in office_slugs:
            reader.problem(
                doc.path, 1, f"部門 '{doc.parent}' がありません（content/offices/ を確認）"
            )
        if doc.data.get("slug") is None:
            continue
        if doc.key in seen:
            reader.problem(
                doc.path, 1, f"スラッグ '{doc.data['slug']}' が {seen[doc.key]} と重複しています"
            )
        seen.setdefault(doc.key, doc.path)
    if reader.problems:
        raise ContentError(reader.problems)
    return documents


# --- Records as data --------------------------------------------------------------


def fingerprint(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def office_data(office):
    points = list(office.points.all())
    data = {
        "slug": office.slug,
        "name": office.name,
        "catchphrase": office.catchphrase,
        "summary": office.summary,
        "order": office.order,
        "published": office.published,
    }
    if office.comparison:
        data["comparison"] = {key: office.comparison[key] for key in COMPARISON_KEYS}
    for key, kind in (("merits", Point.Kind.MERIT), ("demerits", Point.Kind.DEMERIT)):
        data[key] = [{"title": p.title, "body": p.body} for p in points if p.kind == kind]
    data["faqs"] = [{"question": f.question, "answer": f.answer} for f in office.faqs.all()]
    data["body"] = office.body
    return data


def role_data(role):
    data = {key: getattr(role, key) for key in ("slug", "name", "summary", "order", "published")}
    for key in ("suited_for", "skills", "career_path"):
        if getattr(role, key):
            data[key] = getattr(role, key)
    data["body"] = role.body
    return data


def page_data(page):
    return {key: getattr(page, key) for key in ("slug", "title", "summary", "body")}


def term_data(term):
    return {key: getattr(term, key) for key in ("slug", "term", "reading", "definition", "order")}


def question_data(question):
    return {
        "slug": question.slug,
        "text": question.text,
        "order": question.order,
        "answers": [
            {key: getattr(answer, key) for key in ("slug", "label", "reason", "weights")}
            for answer in question.answers.all()
        ],
    }


# --- Writing to the database ------------------------------------------------------


@dataclass
class Change:
    action: str  # "created", "updated", "unchanged", "kept" (edited in admin, not overwritten)
    path: str
    label: str


def _existing(doc):
    model_filter = {
        "office": lambda: Office.objects.filter(slug=doc.data["slug"]),
        "role": lambda: Role.objects.filter(office__slug=doc.parent, slug=doc.data["slug"]),
        "page": lambda: Page.objects.filter(slug=doc.data["slug"]),
        "term": lambda: Term.objects.filter(slug=doc.data["slug"]),
        "question": lambda: DiagnosisQuestion.objects.filter(slug=doc.data["slug"]),
    }[doc.kind]
    return model_filter().first()


DATA_OF = {
    "office": office_data,
    "role": role_data,
    "page": page_data,
    "term": term_data,
    "question": question_data,
}


def _write(doc, record, offices):
    data = dict(doc.data)
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
    else:
        model = {"role": Role, "page": Page, "term": Term}[doc.kind]
        record = record or model()
        if doc.kind == "role":
            record.office = offices[doc.parent]
            for key in ("suited_for", "skills", "career_path"):
                data.setdefault(key, "")
        _assign(record, data)
        record.save()
    record.synced_fingerprint = fingerprint(DATA_OF[doc.kind](record))
    record.save(update_fields=["synced_fingerprint"])


def _assign(record, data):
    for key, value in data.items():
        setattr(record, key, value)


def load(root, *, dry_run=False, force=False):
    """Validate `root` and upsert it into the database; return the list of changes.

    Raises ContentError (and writes nothing) if any file is invalid.
    """
    documents = read_tree(root)
    changes = []
    # Glossary links in office and role bodies are redone once if any term changed.
    with transaction.atomic(), relink_once():
        offices = {office.slug: office for office in Office.objects.all()}
        for doc in documents:
            record = _existing(doc)
            label = f"{doc.parent + '/' if doc.parent else ''}{doc.data['slug']}"
            if record is None:
                action = "created"
            else:
                current = fingerprint(DATA_OF[doc.kind](record))
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


# --- Writing back to files --------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Indent list items under their key, as people write YAML by hand.
        return super().increase_indent(flow, indentless=False)


def _represent_str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _document_text(front_matter, body):
    yaml_text = yaml.dump(
        front_matter,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1000,
    )
    text = f"---\n{yaml_text}---\n"
    if body:
        text += f"\n{body}\n"
    return text


def _split_body(data):
    data = dict(data)
    return data, data.pop("body")


def export(root):
    """Write every office, role, page, the glossary and the diagnosis into `root`."""
    root = Path(root)
    written = []

    def write(relative, front_matter, body):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_document_text(front_matter, body), encoding="utf-8")
        written.append(path)

    for office in Office.objects.prefetch_related("points", "faqs"):
        write(f"offices/{office.slug}.md", *_split_body(office_data(office)))
    for role in Role.objects.select_related("office"):
        write(f"roles/{role.office.slug}/{role.slug}.md", *_split_body(role_data(role)))
    glossary_page = diagnosis_page = None
    for page in Page.objects.all():
        if page.slug == GLOSSARY_PAGE_SLUG:
            glossary_page = page
            continue
        if page.slug == DIAGNOSIS_PAGE_SLUG:
            diagnosis_page = page
            continue
        write(f"pages/{page.slug}.md", *_split_body(page_data(page)))
    terms = [term_data(term) for term in Term.objects.all()]
    if glossary_page or terms:
        front_matter = {
            "title": glossary_page.title if glossary_page else "用語集",
            "summary": glossary_page.summary if glossary_page else "",
            "terms": [{k: v for k, v in term.items() if k != "order"} for term in terms],
        }
        write("glossary.md", front_matter, glossary_page.body if glossary_page else "")
    questions = [question_data(q) for q in DiagnosisQuestion.objects.prefetch_related("answers")]
    if diagnosis_page or questions:
        front_matter = {}
        for key, default in DIAGNOSIS_PAGE_DEFAULTS.items():
            value = getattr(diagnosis_page, key) if diagnosis_page else default
            if value != default:
                front_matter[key] = value
        front_matter["questions"] = [
            {key: value for key, value in question.items() if key != "order"}
            for question in questions
        ]
        write("diagnosis.md", front_matter, diagnosis_page.body if diagnosis_page else "")
    return written
