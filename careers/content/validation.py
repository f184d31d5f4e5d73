"""Validating the whole of content/: each kind of file, then the tree as a whole."""

from pathlib import Path

from careers.career_map import link_problems
from careers.content.reader import Mapping, Reader, line_of
from careers.content.schema import (
    ANSWER_COUNT,
    ANSWER_KEYS,
    DIAGNOSIS_KEYS,
    DIAGNOSIS_PAGE_DEFAULTS,
    DIAGNOSIS_PAGE_SLUG,
    FAQ_KEYS,
    GLOSSARY_KEYS,
    GLOSSARY_PAGE_SLUG,
    OFFICE_KEYS,
    PAGE_KEYS,
    POINT_KEYS,
    QUESTION_KEYS,
    ROLE_FAQ_COUNT,
    ROLE_ITEMS,
    ROLE_KEYS,
    ROLE_LINK_KEYS,
    TERM_KEYS,
    ContentError,
    Document,
)
from careers.diagnosis import weight_problems
from careers.identity import Colour, Icon
from careers.models import DiagnosisAnswer, DiagnosisQuestion, Faq, Office, Page, Point, Role, Term
from careers.models.content import COMPARISON_KEYS
from careers.models.roles import AS_OF_RE, TIME_RE


class TreeReader(Reader):
    """Reads each kind of file of content/ into Documents."""

    def office(self, file_path):
        parsed = self.read(file_path)
        if parsed is None:
            return None
        meta, body, label = parsed
        data = self.check(label, meta, OFFICE_KEYS, model=Office)
        self.slug_matches_file(label, meta, data, file_path)
        if "comparison" in data:
            comparison = meta["comparison"]
            data["comparison"] = self.check(
                label,
                comparison,
                {key: (str, True) for key in COMPARISON_KEYS},
                where="comparison: ",
            )
            if data["comparison"]:
                self.passes_field(label, meta, "comparison", Office, "")
        for key, where in (("merits", "メリット"), ("demerits", "デメリット")):
            data[key] = self.check_items(label, meta, key, POINT_KEYS, where, model=Point)
        data["faqs"] = self.check_items(label, meta, "faqs", FAQ_KEYS, "よくある質問", model=Faq)
        for key, choices in (("colour", Colour), ("icon", Icon)):
            if key in data and data[key] not in choices.values:
                names = "、".join(choices.values)
                self.problem(
                    label, line_of(meta, key), f"'{key}' は {names} のどれかにしてください"
                )
        data["body"] = body
        return Document(label, "office", data)

    def role(self, file_path):
        parsed = self.read(file_path)
        if parsed is None:
            return None
        meta, body, label = parsed
        data = self.check(label, meta, ROLE_KEYS, model=Role)
        self.slug_matches_file(label, meta, data, file_path)
        for key, (kind, _) in ROLE_KEYS.items():
            # An empty list would not survive export (it is left out): leave the key out.
            if kind is list and key in data and not data[key]:
                self.problem(
                    label,
                    line_of(meta, key),
                    f"'{key}' が空です（使わないときはキーごと省いてください）",
                )
                del data[key]
        for key, (spec, where) in ROLE_ITEMS.items():
            if key in data:
                data[key] = self.check_items(label, meta, key, spec, where)
        self.role_items(label, meta, data)
        if "next_steps" in data and not all(
            isinstance(step, str) and step.strip() for step in data["next_steps"]
        ):
            self.problem(
                label, line_of(meta, "next_steps"), "'next_steps' は職種名の文字列で書いてください"
            )
        data["body"] = body
        lines = {key: line_of(meta, key) for key in ROLE_LINK_KEYS if key in data}
        return Document(label, "role", data, parent=file_path.parent.name, lines=lines)

    def role_items(self, label, meta, data):
        """Checks of a role's lists beyond keys and types: counts, times, sources."""
        faqs = data.get("faqs")
        if faqs is not None and len(faqs) not in ROLE_FAQ_COUNT:
            self.problem(
                label,
                line_of(meta, "faqs"),
                f"よくある質問は{ROLE_FAQ_COUNT.start}〜{ROLE_FAQ_COUNT.stop - 1}件にしてください"
                f"（いまは{len(faqs)}件）",
            )
        for key, check, message in (
            ("day", lambda item: TIME_RE.match(item.get("time", "0:00")), "時刻は 9:00 の形で"),
            (
                "figures",
                lambda item: item.get("url", "https://").startswith(("https://", "http://")),
                "出典の url は https:// で始まるアドレスで",
            ),
            (
                "figures",
                lambda item: AS_OF_RE.match(item.get("as_of", "2000-01")),
                "as_of は 2025-06-08 か 2025-06 の形で",
            ),
        ):
            raws = [raw for raw in meta.get(key) or [] if isinstance(raw, Mapping)]
            for number, (item, raw) in enumerate(
                zip(data.get(key, []), raws, strict=True), start=1
            ):
                if not check(item):
                    where = ROLE_ITEMS[key][1]
                    self.problem(
                        label, raw.line + 2, f"{where} {number} 件目: {message}書いてください"
                    )

    def page(self, file_path):
        parsed = self.read(file_path)
        if parsed is None:
            return None
        meta, body, label = parsed
        data = self.check(label, meta, PAGE_KEYS, model=Page)
        self.slug_matches_file(label, meta, data, file_path)
        data["body"] = body
        return Document(label, "page", data)

    def glossary(self, file_path):
        parsed = self.read(file_path)
        if parsed is None:
            return []
        meta, body, label = parsed
        data = self.check(label, meta, GLOSSARY_KEYS, model=Page)
        page = {
            "slug": GLOSSARY_PAGE_SLUG,
            "title": data.get("title"),
            "summary": data.get("summary"),
        }
        page.update({"review_by": data["review_by"]} if "review_by" in data else {})
        page["body"] = body
        documents = [Document(label, "page", page)]
        terms = self.check_items(label, meta, "terms", TERM_KEYS, "用語", model=Term)
        for order, term in enumerate(terms):
            term["order"] = order
            documents.append(Document(label, "term", term))
        return documents

    def diagnosis(self, file_path, role_keys):
        """The intro page and one document per question; `role_keys` are `office/role`."""
        parsed = self.read(file_path)
        if parsed is None:
            return []
        meta, body, label = parsed
        data = self.check(label, meta, DIAGNOSIS_KEYS, model=Page)
        page = {"slug": DIAGNOSIS_PAGE_SLUG}
        for key, default in DIAGNOSIS_PAGE_DEFAULTS.items():
            page[key] = data.get(key, default)
        page.update({"review_by": data["review_by"]} if "review_by" in data else {})
        page["body"] = body
        documents = [Document(label, "page", page)]
        questions = meta.get("questions") if isinstance(meta.get("questions"), list) else []
        seen = {}
        for number, raw in enumerate(questions, start=1):
            where = f"質問 {number} 件目"
            if not isinstance(raw, Mapping):
                self.problem(
                    label, line_of(meta, "questions"), f"{where}は「キー: 値」の形で書いてください"
                )
                continue
            question = self.check(
                label, raw, QUESTION_KEYS, where=f"{where}: ", model=DiagnosisQuestion
            )
            question["answers"] = self.diagnosis_answers(label, raw, where, role_keys)
            question["order"] = number - 1
            slug = question.get("slug")
            if slug is None:
                continue
            if slug in seen:
                self.problem(
                    label,
                    line_of(raw, "slug"),
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
                line_of(question, "answers"),
                f"{where}: 回答は{ANSWER_COUNT.start}〜{ANSWER_COUNT.stop - 1}件にしてください"
                f"（いまは{len(answers)}件）",
            )
        clean, seen = [], {}
        for number, raw in enumerate(answers, start=1):
            at = f"{where}の回答 {number} 件目"
            if not isinstance(raw, Mapping):
                self.problem(
                    label, line_of(question, "answers"), f"{at}は「キー: 値」の形で書いてください"
                )
                continue
            answer = self.check(label, raw, ANSWER_KEYS, where=f"{at}: ", model=DiagnosisAnswer)
            slug = answer.get("slug")
            if slug is not None and slug in seen:
                self.problem(
                    label,
                    line_of(raw, "slug"),
                    f"{at}: スラッグ '{slug}' が同じ質問の回答 {seen[slug]} 件目と重複しています",
                )
            elif slug is not None:
                seen[slug] = number
            if "experience" in answer and answer["experience"] not in role_keys:
                self.problem(
                    label,
                    line_of(raw, "experience"),
                    f"{at}: 職種 '{answer['experience']}' はありません（'<部門>/<職種>' の形で書いてください）",
                )
            if "weights" in answer:
                weights = raw["weights"]
                for key, message in weight_problems(weights, role_keys):
                    self.problem(label, line_of(weights, key), f"{at}: {message}")
                answer["weights"] = dict(weights)
            clean.append(answer)
        return clean


def read_tree(root: str | Path) -> list[Document]:
    """Parse and validate every file under `root` (content/); return its Documents.

    Raises ContentError listing every problem found, in file order.
    """
    root = Path(root)
    reader = TreeReader(root)
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

    check_role_links(reader, documents)
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


def check_role_links(reader: TreeReader, documents: list[Document]) -> None:
    """Every role key a role's career map names must be a role of the tree."""
    roles = [doc for doc in documents if doc.kind == "role" and "slug" in doc.data]
    known = {f"{doc.parent}/{doc.data['slug']}" for doc in roles}
    for doc in roles:
        for key in ROLE_LINK_KEYS:
            if key not in doc.data:
                continue
            own_key = f"{doc.parent}/{doc.data['slug']}"
            for message in link_problems(doc.data[key], known, own_key=own_key):
                reader.problem(doc.path, doc.lines[key], f"{key}: {message}")
