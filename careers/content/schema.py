"""The format of content/: which keys each kind of file takes, and how problems are reported.

`content/` holds one Markdown file with YAML front matter per office, role and
page, plus the glossary (glossary.md) and the 適職診断 (diagnosis.md); see
content/README.md for editors.
"""

import re
from dataclasses import dataclass, field
from datetime import date

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The keys each kind of front matter takes, in the order export writes them:
# key → (type, required). Every record may carry `review_by` (次回見直し日, a date).
REVIEW_BY = {"review_by": (date, False)}
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
    "colour": (str, True),
    "icon": (str, True),
    **REVIEW_BY,
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
    "entry_routes": (str, False),
    "day": (list, False),
    "qualifications": (list, False),
    "faqs": (list, False),
    "figures": (list, False),
    "next_roles": (list, False),
    "related_roles": (list, False),
    "next_steps": (list, False),
    **REVIEW_BY,
}
# A role's structured lists: key → (the keys of each item, how problems name it).
DAY_KEYS = {"time": (str, True), "task": (str, True)}
QUALIFICATION_KEYS = {
    "name": (str, True),
    "organiser": (str, True),
    "level": (str, True),
    "shows": (str, True),
}
# Every figure carries its source: name, address and as-of date (all required).
FIGURE_KEYS = {
    "label": (str, True),
    "value": (str, True),
    "source": (str, True),
    "url": (str, True),
    "as_of": (str, True),
}
ROLE_ITEMS = {
    "day": (DAY_KEYS, "1日の流れ"),
    "qualifications": (QUALIFICATION_KEYS, "役立つ資格"),
    "faqs": (FAQ_KEYS, "よくある質問"),
    "figures": (FIGURE_KEYS, "数字"),
}
ROLE_FAQ_COUNT = range(2, 5)
ROLE_LINK_KEYS = ("next_roles", "related_roles")
PAGE_KEYS = {"slug": (str, True), "title": (str, True), "summary": (str, True), **REVIEW_BY}
GLOSSARY_KEYS = {
    "title": (str, True),
    "summary": (str, True),
    **REVIEW_BY,
    "terms": (list, True),
}
TERM_KEYS = {
    "slug": (str, True),
    "term": (str, True),
    "reading": (str, True),
    "definition": (str, True),
    **REVIEW_BY,
}
GLOSSARY_PAGE_SLUG = "glossary"
# diagnosis.md: its body is the intro, stored as the Page "diagnosis"; title and
# summary are optional and written back only when they differ from these.
DIAGNOSIS_KEYS = {
    "title": (str, False),
    "summary": (str, False),
    **REVIEW_BY,
    "questions": (list, True),
}
DIAGNOSIS_PAGE_SLUG = "diagnosis"
DIAGNOSIS_PAGE_DEFAULTS = {"title": "適職診断", "summary": ""}
QUESTION_KEYS = {"slug": (str, True), "text": (str, True), **REVIEW_BY, "answers": (list, True)}
ANSWER_KEYS = {
    "slug": (str, True),
    "label": (str, True),
    "reason": (str, True),
    "experience": (str, False),
    "weights": (dict, True),
}
ANSWER_COUNT = range(2, 5)
# Front-matter values that are Markdown, as the models' `markdown_fields` name them;
# every file's body is Markdown too. The renderer's limits apply to these.
MARKDOWN_KEYS = {
    "body",
    "answer",
    "definition",
    "suited_for",
    "skills",
    "career_path",
    "entry_routes",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: shown to editors as `path:line: message`."""

    path: str  # relative to content/'s parent, e.g. content/roles/front/sales.md
    line: int  # 1-based line in the file
    message: str  # Japanese, for the editor

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """The tree is invalid; `problems` lists every Problem found, in file order."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Document:
    """One file of content/, parsed; `data` is what the database will hold."""

    path: str
    kind: str
    data: dict = field(default_factory=dict)
    parent: str = ""  # a role's office slug
    lines: dict = field(default_factory=dict)  # key → line, for checks across files

    @property
    def key(self) -> tuple[str, str, str | None]:
        """(kind, parent, slug): unique among the documents of a valid tree."""
        return (self.kind, self.parent, self.data.get("slug"))
