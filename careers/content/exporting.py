"""Writing the database back to content/, in the format the loader reads.

Load → export on an unchanged database reproduces the files byte for byte.
"""

from pathlib import Path

import yaml

from careers.content.schema import DIAGNOSIS_PAGE_DEFAULTS, DIAGNOSIS_PAGE_SLUG, GLOSSARY_PAGE_SLUG
from careers.content.snapshots import (
    office_snapshot,
    page_snapshot,
    question_snapshot,
    role_snapshot,
    term_snapshot,
)
from careers.models import DiagnosisQuestion, Office, Page, Role, Term


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


def export(root: str | Path) -> list[Path]:
    """Write every office, role, page, the glossary and the diagnosis into `root`;
    return the paths written. Existing files are overwritten, others left alone."""
    root = Path(root)
    written = []

    def write(relative, front_matter, body):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_document_text(front_matter, body), encoding="utf-8")
        written.append(path)

    for office in Office.objects.prefetch_related("points", "faqs"):
        write(f"offices/{office.slug}.md", *_split_body(office_snapshot(office)))
    roles = Role.objects.select_related("office").prefetch_related(
        "day_items", "qualifications", "faqs", "figures"
    )
    for role in roles:
        write(f"roles/{role.office.slug}/{role.slug}.md", *_split_body(role_snapshot(role)))
    glossary_page = diagnosis_page = None
    for page in Page.objects.all():
        if page.slug == GLOSSARY_PAGE_SLUG:
            glossary_page = page
            continue
        if page.slug == DIAGNOSIS_PAGE_SLUG:
            diagnosis_page = page
            continue
        write(f"pages/{page.slug}.md", *_split_body(page_snapshot(page)))
    terms = [term_snapshot(term) for term in Term.objects.all()]
    if glossary_page or terms:
        front_matter = {
            "title": glossary_page.title if glossary_page else "用語集",
            "summary": glossary_page.summary if glossary_page else "",
        }
        if glossary_page and glossary_page.review_by:
            front_matter["review_by"] = glossary_page.review_by
        front_matter["terms"] = [{k: v for k, v in term.items() if k != "order"} for term in terms]
        write("glossary.md", front_matter, glossary_page.body if glossary_page else "")
    questions = [
        question_snapshot(q) for q in DiagnosisQuestion.objects.prefetch_related("answers")
    ]
    if diagnosis_page or questions:
        front_matter = {}
        for key, default in DIAGNOSIS_PAGE_DEFAULTS.items():
            value = getattr(diagnosis_page, key) if diagnosis_page else default
            if value != default:
                front_matter[key] = value
        if diagnosis_page and diagnosis_page.review_by:
            front_matter["review_by"] = diagnosis_page.review_by
        front_matter["questions"] = [
            {key: value for key, value in question.items() if key != "order"}
            for question in questions
        ]
        write("diagnosis.md", front_matter, diagnosis_page.body if diagnosis_page else "")
    return written
