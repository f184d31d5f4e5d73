"""Records as data: the content of an office, role, page, term or question as the
plain dict its file holds. The loader compares fingerprints of these to see whether
a record changed; the exporter writes them back to files."""

import hashlib
import json

from careers.models import DiagnosisQuestion, Office, Page, Point, Role, Term
from careers.models.content import COMPARISON_KEYS


def fingerprint(data: dict) -> str:
    """SHA-256 hex digest of `data` as canonical JSON (keys sorted; dates as ISO text)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _review_by(record) -> dict:
    """`{"review_by": date}` when the record has a 次回見直し日, else nothing: files
    without one are written as they were."""
    return {"review_by": record.review_by} if record.review_by else {}


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
    data.update(_review_by(office))
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
    data.update(_review_by(role))
    data["body"] = role.body
    return data


def page_snapshot(page: Page) -> dict:
    """slug, title, summary, review_by (when set) and body."""
    data = {key: getattr(page, key) for key in ("slug", "title", "summary")}
    return {**data, **_review_by(page), "body": page.body}


def term_snapshot(term: Term) -> dict:
    """A glossary entry: slug, term, reading, definition, review_by (when set) and its
    order in glossary.md."""
    data = {key: getattr(term, key) for key in ("slug", "term", "reading", "definition")}
    return {**data, **_review_by(term), "order": term.order}


def question_snapshot(question: DiagnosisQuestion) -> dict:
    """A 適職診断 question with its answers (slug, label, reason, weights) in order."""
    return {
        "slug": question.slug,
        "text": question.text,
        **_review_by(question),
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
