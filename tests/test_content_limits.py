"""The limits content/README.md states hold in the admin and in load_content alike
(issue 12, item 15): what one refuses, the other refuses, the loader as path:line."""

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from careers.content import ContentError, load
from careers.models import (
    CONTENT_MODELS,
    DiagnosisAnswer,
    Figure,
    Office,
    Page,
    Role,
    RoleDayItem,
    Term,
)
from tests.admin.helpers import form_data, logged_in
from tests.factories import OfficeFactory, RoleFactory
from tests.test_content import (
    GLOSSARY,
    OFFICE_MIDDLE,
    PAGE_HOME,
    ROLE_RISK,
    VALID_TREE,
    _replace,
    write_tree,
)
from tests.test_diagnosis import DIAGNOSIS, diagnosis_tree

COMPARISON = "revenue: 間接的に貢献する"

# (model, field, file, the line in it, its text, a too-long or misspelt replacement)
BROKEN = [
    (Office, "summary", "offices/middle.md", 5, "summary: 専門知識でフロントを支える部門です。", "summary: " + "あ" * 121),
    (Office, "name", "offices/middle.md", 3, "name: ミドルオフィス", "name: " + "あ" * 51),
    (Office, "catchphrase", "offices/middle.md", 4, "catchphrase: 中間", "catchphrase: 中間（支え）"),
    (Office, "comparison", "offices/middle.md", 8, COMPARISON, "revenue: " + "あ" * 41),
    (Role, "summary", "roles/middle/risk-management.md", 4, "summary: 損失の危険を予測する仕事です。", "summary: " + "あ" * 81),
    (Page, "summary", "pages/home.md", 4, "summary: 三つの部門を紹介します。", "summary: " + "あ" * 121),
    (Page, "summary", "glossary.md", 3, "summary: 用語をまとめました。", "summary: " + "あ" * 121),
    (Term, "reading", "glossary.md", 7, "reading: こんぷらいあんす", "reading: コンプライアンス"),
]  # fmt: skip
TEXTS = {
    "offices/middle.md": OFFICE_MIDDLE,
    "roles/middle/risk-management.md": ROLE_RISK,
    "pages/home.md": PAGE_HOME,
    "glossary.md": GLOSSARY,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "field", "path", "line", "old", "new"), BROKEN)
def test_the_loader_refuses_what_the_model_refuses(tmp_path, model, field, path, line, old, new):
    root = write_tree(tmp_path / "content", VALID_TREE)
    write_tree(root, {path: _replace(TEXTS[path], old, new)})
    with pytest.raises(ContentError) as refused:
        load(root)
    [problem] = refused.value.problems
    assert (problem.path, problem.line) == (f"content/{path}", line)
    assert f"'{field}'" in problem.message or "比較表" in problem.message
    assert not model.objects.exists()  # nothing written

    value = new.split(": ", 1)[1]
    record = model._meta.get_field(field)
    with pytest.raises(ValidationError):
        record.run_validators({"revenue": value} if field == "comparison" else value)


@pytest.mark.django_db
def test_a_diagnosis_reason_of_41_characters_is_refused(tmp_path):
    root = diagnosis_tree(tmp_path / "content", _replace(DIAGNOSIS, "数字が好き", "あ" * 41))
    with pytest.raises(ContentError) as refused:
        load(root)
    [problem] = refused.value.problems
    assert (problem.path, problem.line) == ("content/diagnosis.md", 8)
    assert "'reason'" in problem.message and "40" in problem.message


@pytest.mark.django_db
def test_every_limit_of_the_content_models_is_tried_on_the_loader():
    """A limit added to a model without a loader test fails here."""
    limited = {
        (model, field.name)
        for model in CONTENT_MODELS
        for field in model._meta.concrete_fields
        if field._validators  # declared ones: the limits of content/README.md
    }
    # A role's day and figures are tried in tests/test_role_content.py
    # ("a time that is not a time", the malformed as_of cases).
    tried = {(model, field) for model, field, *_ in BROKEN} | {
        (DiagnosisAnswer, "reason"),
        (RoleDayItem, "time"),
        (Figure, "as_of"),
    }
    assert limited <= tried


def test_limits_at_the_edge_are_accepted():
    for model, field, limit in ((Office, "summary", 120), (Role, "summary", 80)):
        validators = model._meta.get_field(field).validators
        assert any(isinstance(v, MaxLengthValidator) and v.limit_value == limit for v in validators)
        for validator in validators:
            validator("あ" * limit)


def test_the_admin_refuses_a_role_summary_over_80_characters(editor):
    role = RoleFactory(office=OfficeFactory(slug="back"))
    client = logged_in(editor)
    url = f"/admin/careers/role/{role.pk}/change/"
    data = form_data(client.get(url))
    data["summary"] = "あ" * 86
    response = client.post(url, data)
    assert response.status_code == 200
    assert "80 文字以下" in str(response.context["adminform"].form.errors["summary"])
    role.refresh_from_db()
    assert len(role.summary) < 86
