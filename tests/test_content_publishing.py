"""content/ stays the seed of the workflow: a load publishes (or, with --draft, drafts)
revisions named as coming from content/; `review_by` round-trips through front matter."""

from datetime import date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from careers.business_days import TOKYO
from careers.content import ContentError, export, load
from careers.models import Office, Page, Revision, Role, Term
from careers.publishing import services
from tests.drafts import draft_of
from tests.test_content import GLOSSARY, PAGE_HOME, ROLE_LEGAL, ROLE_RISK, write_tree

pytestmark = pytest.mark.django_db
State = Revision.State
Source = Revision.Source
LOADED = datetime(2026, 6, 1, 10, 0, tzinfo=TOKYO)


@pytest.fixture
def tree(tmp_path):
    from tests.test_content import VALID_TREE

    return write_tree(tmp_path / "content", VALID_TREE)


def load_content(tree, *args):
    out = StringIO()
    call_command("load_content", "--path", str(tree), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_load_records_what_it_publishes_as_coming_from_content(tree):
    with time_machine.travel(LOADED, tick=False):
        load_content(tree)

    versions = Revision.objects.all()
    assert versions.count() == 7  # one per document
    assert {(v.state, v.source) for v in versions} == {(State.PUBLISHED, Source.CONTENT)}
    role = Role.objects.get(slug="risk-management")
    assert Revision.objects.of(Role, role.pk).get().data["name"] == "リスク管理"
    assert role.content_updated_at == LOADED

    load_content(tree)  # unchanged files: nothing new
    assert Revision.objects.count() == 7

    write_tree(tree, {"roles/middle/legal-compliance.md": ROLE_LEGAL.replace("法務・", "法務と")})
    later = datetime(2026, 7, 1, 10, 0, tzinfo=TOKYO)
    with time_machine.travel(later, tick=False):
        load_content(tree)
    legal = Role.objects.get(slug="legal-compliance")
    assert [v.state for v in Revision.objects.of(Role, legal.pk)] == [
        State.PUBLISHED,
        State.SUPERSEDED,
    ]
    assert legal.content_updated_at == later
    assert Role.objects.get(slug="risk-management").content_updated_at == LOADED


def test_load_draft_stores_drafts_and_changes_nothing_live(tree):
    load_content(tree)
    write_tree(tree, {"roles/middle/legal-compliance.md": ROLE_LEGAL.replace("法務・", "法務と")})
    page = Client().get("/offices/middle/legal-compliance/").content

    out = load_content(tree, "--draft")

    assert "[下書き] 作成 0 件、更新 1 件" in out
    legal = Role.objects.get(slug="legal-compliance")
    assert legal.name == "法務・コンプライアンス"
    assert Client().get("/offices/middle/legal-compliance/").content == page
    draft = services.open_draft(Role, legal.pk)
    assert (draft.state, draft.source, draft.data["name"]) == (
        State.DRAFT,
        Source.CONTENT,
        "法務とコンプライアンス",
    )
    services.publish(revision=draft, by=None)
    assert {c.action for c in load(tree)} == {"unchanged"}  # the file and the page agree


def test_a_published_admin_edit_is_kept_by_the_loader(tree):
    load_content(tree)
    role = Role.objects.get(slug="risk-management")
    services.publish(revision=draft_of(role, name="リスク管理（編集部）"), by=None)

    err = StringIO()
    call_command("load_content", "--path", str(tree), stdout=StringIO(), stderr=err)

    assert (
        "role:middle/risk-management は管理画面で編集されているため上書きしません" in err.getvalue()
    )
    assert Role.objects.get(pk=role.pk).name == "リスク管理（編集部）"


def test_review_by_round_trips_through_front_matter(tree, tmp_path):
    write_tree(
        tree,
        {
            "roles/middle/risk-management.md": ROLE_RISK.replace(
                "    published: true\n", "    published: true\n    review_by: 2027-03-31\n"
            ),
            "pages/home.md": PAGE_HOME.replace(
                "    summary:", "    review_by: 2027-01-15\n    summary:"
            ),
            "glossary.md": GLOSSARY.replace(
                "    terms:", "    review_by: 2027-02-01\n    terms:"
            ).replace(
                "        definition: 法令遵守のことです。",
                "        definition: 法令遵守のことです。\n        review_by: 2027-04-01",
            ),
        },
    )
    load(tree)

    assert Role.objects.get(slug="risk-management").review_by == date(2027, 3, 31)
    assert Page.objects.get(slug="home").review_by == date(2027, 1, 15)
    assert Page.objects.get(slug="glossary").review_by == date(2027, 2, 1)
    assert Term.objects.get(slug="compliance").review_by == date(2027, 4, 1)
    assert Office.objects.get().review_by is None
    exported = tmp_path / "exported"
    export(exported)
    role_file = (exported / "roles/middle/risk-management.md").read_text()
    assert "review_by: 2027-03-31\n" in role_file
    assert "review_by: 2027-02-01\nterms:\n" in (exported / "glossary.md").read_text()
    assert {c.action for c in load(exported)} == {"unchanged"}

    # Taken out of the file, the date is cleared.
    write_tree(tree, {"pages/home.md": PAGE_HOME})
    load(tree)
    assert Page.objects.get(slug="home").review_by is None


@pytest.mark.parametrize("value", ["2027-13-01", "来年の春", "2027-03-31 10:00", "20270331"])
def test_a_review_by_that_is_not_a_date_is_reported_with_its_line(tree, value):
    write_tree(
        tree,
        {
            "roles/middle/legal-compliance.md": ROLE_LEGAL.replace(
                "    published: true\n", f"    published: true\n    review_by: {value}\n"
            )
        },
    )
    with pytest.raises(ContentError) as error:
        load(tree)
    assert [str(p) for p in error.value.problems] == [
        "content/roles/middle/legal-compliance.md:7: 'review_by' は 2026-04-01 のように年-月-日で書いてください"
    ]
