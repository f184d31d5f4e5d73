"""Records as data: the content of an office, role, page, term or question as the
plain dict its file holds. The loader compares fingerprints of these to see whether
a record changed; the exporter writes them back to files."""

import hashlib
import json

from careers.models import DiagnosisQuestion, Office, Page, Point, Role, Term
from careers.models.content import COMPARISON_KEYS


def fingerprint(data: dict) -> str:
    """SHA-256 hex digest of `data` as canonical JSON (keys sorted)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def office_snapshot(office: Office) -> dict:
    """The office's front matter keys and body, with merits, demerits and FAQs as lists."""
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
    data["colour"] = office.colour
    data["icon"] = office.icon
    data["body"] = office.body
    return data


# A role's lists of related records: front matter key → (related name, item keys).
ROLE_ITEM_FIELDS = {
    "day": ("day_items", ("time", "task")),
    "qualifications": ("qualifications", ("name", "organiser", "level", "shows")),
    "faqs": ("faqs", ("question", "answer")),
    "figures": ("figures", ("label", "value", "source", "url", "as_of")),
}
ROLE_TEXT_FIELDS = ("suited_for", "skills", "career_path", "entry_routes")
ROLE_LIST_FIELDS = ("next_roles", "related_roles", "next_steps")


def role_snapshot(role: Role) -> dict:
    """The role's front matter keys (optional ones only when set, in ROLE_KEYS order) and body."""
    data = {key: getattr(role, key) for key in ("slug", "name", "summary", "order", "published")}
    for key in ROLE_TEXT_FIELDS:
        if getattr(role, key):
            data[key] = getattr(role, key)
    for key, (related, keys) in ROLE_ITEM_FIELDS.items():
        items = [{k: getattr(item, k) for k in keys} for item in getattr(role, related).all()]
        if items:
            data[key] = items
    for key in ROLE_LIST_FIELDS:
        if getattr(role, key):
            data[key] = list(getattr(role, key))
    data["body"] = role.body
    return data


def page_snapshot(page: Page) -> dict:
    """slug, title, summary and body."""
    return {key: getattr(page, key) for key in ("slug", "title", "summary", "body")}


def term_snapshot(term: Term) -> dict:
    """A glossary entry: slug, term, reading, definition and its order in glossary.md."""
    return {key: getattr(term, key) for key in ("slug", "term", "reading", "definition", "order")}


def question_snapshot(question: DiagnosisQuestion) -> dict:
    """A 適職診断 question with its answers (slug, label, reason, weights) in order."""
    return {
        "slug": question.slug,
        "text": question.text,
        "order": question.order,
        "answers": [_answer_snapshot(answer) for answer in question.answers.all()],
    }


def _answer_snapshot(answer) -> dict:
    data = {key: getattr(answer, key) for key in ("slug", "label", "reason")}
    if answer.experience:
        data["experience"] = answer.experience
    data["weights"] = answer.weights
    return data


# Document kind → its snapshot function.
SNAPSHOTS = {
    "office": office_snapshot,
    "role": role_snapshot,
    "page": page_snapshot,
    "term": term_snapshot,
    "question": question_snapshot,
}
