"""Publishing: a draft goes live in one transaction; refused while it links to a page
that is missing or unpublished; 更新日 follows the text; history, diff and rollback."""

from datetime import datetime

import pytest
import time_machine
from django.test import Client

from careers.business_days import TOKYO
from careers.caching import current_revision
from careers.models import Office, Revision, Role, Term
from careers.publishing import services
from careers.publishing.diff import diff
from careers.publishing.records import applied, capture
from tests.drafts import draft_of
from tests.factories import OfficeFactory, RoleFactory

pytestmark = pytest.mark.django_db
State = Revision.State
MONDAY = datetime(2026, 6, 1, 9, 30, tzinfo=TOKYO)


@pytest.fixture
def role():
    office = OfficeFactory(slug="middle", name="ミドルオフィス")
    RoleFactory(office=office, slug="legal", name="法務", order=1)
    return RoleFactory(office=office, slug="risk", name="リスク管理", body="古い本文", order=2)


def page_text(record):
    return Client().get(record.get_absolute_url()).content.decode()


def test_publishing_makes_the_draft_live_and_bumps_the_content_revision(
    role, editor_in_chief, django_capture_on_commit_callbacks
):
    draft = draft_of(role, body="新しい**本文**")
    assert "古い本文" in page_text(role)
    revision = current_revision()

    with django_capture_on_commit_callbacks(
        execute=True
    ):  # the content revision reaches the cache after commit
        published = services.publish(revision=draft, by=editor_in_chief)

    assert current_revision() > revision
    assert "新しい<strong>本文</strong>" in page_text(role)
    assert published.state == State.PUBLISHED
    assert (published.published_by, published.reviewed_by) == (editor_in_chief, editor_in_chief)
    assert published.data["body"] == "新しい**本文**"
    with pytest.raises(services.PublishingError, match="すでに公開済み"):
        services.publish(revision=draft, by=editor_in_chief)  # once only


def test_updated_date_is_the_last_publish_that_changed_the_text(role):
    with time_machine.travel(MONDAY, tick=False):
        services.publish(revision=draft_of(role, summary="書き直した要約"), by=None)
    html = page_text(role)
    assert '更新日: <time datetime="2026-06-01">2026年6月1日</time>' in html

    role.refresh_from_db()
    with time_machine.travel(datetime(2026, 7, 1, tzinfo=TOKYO), tick=False):
        services.publish(revision=draft_of(role, order=9), by=None)  # order only: no new text
        role.refresh_from_db()
        role.save()  # a save that changes nothing moves updated_at, not 更新日

    assert role.content_updated_at.astimezone(TOKYO).date() == MONDAY.date()
    assert '<time datetime="2026-06-01">' in page_text(role)


def test_every_publish_keeps_a_version_with_who_when_and_the_whole_content(role, editor_in_chief):
    first = services.publish(revision=draft_of(role, name="リスク管理（一）"), by=editor_in_chief)
    second = services.publish(revision=draft_of(role, name="リスク管理（二）"), by=None)

    versions = list(Revision.objects.of(Role, role.pk))
    assert [v.state for v in versions] == [State.PUBLISHED, State.SUPERSEDED]
    first.refresh_from_db()
    assert first.state == State.SUPERSEDED and first.data["name"] == "リスク管理（一）"
    assert first.published_by == editor_in_chief and first.published_at < second.published_at
    assert set(first.data) >= {"slug", "name", "summary", "order", "published", "body"}


def test_rolling_back_makes_an_old_version_the_new_draft(
    role, editor_in_chief, django_capture_on_commit_callbacks
):
    old = services.publish(revision=draft_of(role, body="一つ目の本文"), by=editor_in_chief)
    current = services.publish(revision=draft_of(role, body="二つ目の本文"), by=editor_in_chief)

    with pytest.raises(services.Conflict):
        services.restore(revision=old, by=editor_in_chief, base_id=old.pk)  # not the head
    draft = services.restore(revision=old, by=editor_in_chief, base_id=current.pk)

    assert draft.state == State.DRAFT and draft.restored_from == old
    assert draft.source == Revision.Source.ROLLBACK
    assert "二つ目の本文" in page_text(role)  # a draft, until published
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # the content revision reaches the cache after commit
        services.publish(revision=draft, by=editor_in_chief)
    assert "一つ目の本文" in page_text(role)


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("/offices/middle/nowhere/", "職種が公開されていません"),
        ("/offices/middle/hidden/", "職種が公開されていません"),
        ("/no-such-page/", "このページはありません"),
        ("/admin/", "読者向けのページではありません"),
        ("/glossary/#no-such-term", "用語集にこの用語がありません"),
    ],
)
def test_publishing_is_refused_while_a_draft_links_to_a_missing_page(role, link, reason):
    RoleFactory(office=role.office, slug="hidden", published=False)
    draft = draft_of(role, career_path=f"次は[ほかの仕事]({link})へ。")

    with pytest.raises(services.BrokenLinks) as refused:
        services.publish(revision=draft, by=None)

    [broken] = refused.value.links
    assert (broken.where, broken.url, broken.reason) == ("キャリアパス", link, reason)
    assert "リンク切れがあるため公開できません: キャリアパス: " in str(refused.value)
    role.refresh_from_db()
    assert "ほかの仕事" not in role.career_path  # nothing went live


def test_links_to_published_pages_and_to_the_draft_itself_are_fine(role):
    Term.objects.create(slug="kpi", term="KPI", reading="けーぴーあい", definition="指標")
    body = "[法務](/offices/middle/legal/)、[KPI](/glossary/#kpi)、[外部](https://example.com/)"
    draft = draft_of(role, body=body, slug="risk-new")
    draft_of_itself = f"{body}、[このページ](/offices/middle/risk-new/)"
    draft.data["body"] = draft_of_itself
    draft.save()

    services.publish(revision=draft, by=None)


def test_diff_is_field_by_field_on_the_markdown_source():
    before = {
        "name": "経理",
        "body": "一行目\n二行目\n三行目",
        "faqs": [{"question": "Q1", "answer": "A1"}],
    }
    after = {
        "name": "経理・財務",
        "body": "一行目\n二行目を直した\n三行目",
        "faqs": [{"question": "Q0", "answer": "A0"}, {"question": "Q1", "answer": "A1"}],
    }

    changes = {change.label: change for change in diff(Office, before, after)}

    assert list(changes) == ["名前", "本文", "よくある質問"]
    [name] = changes["名前"].rows
    assert name.before == [(False, "経理")] and name.after == [(False, "経理"), (True, "・財務")]
    body = [row for row in changes["本文"].rows if row.changed]
    assert [(row.before, row.after) for row in body] == [
        ([(False, "二行目")], [(False, "二行目"), (True, "を直した")])
    ]
    # An FAQ put first is one inserted item, not every later item changed.
    inserted = [row.after for row in changes["よくある質問"].rows if row.before is None]
    assert inserted == [[(True, "質問: Q0")], [(True, "回答: A0")], [(True, "〔2 件目〕")]]
    assert all(row.before == row.after for row in changes["よくある質問"].rows if row.before)


def test_marking_reviewed_shows_the_date_and_refreshes_cached_pages(
    role, editor, django_capture_on_commit_callbacks
):
    page_text(role)
    revision = current_revision()
    with (
        time_machine.travel(MONDAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),  # the revision reaches the cache
    ):
        services.mark_reviewed(record=role, by=editor)

    assert current_revision() > revision
    assert '最終確認日: <time datetime="2026-06-01">2026年6月1日</time>' in page_text(role)
    assert not Revision.objects.exists()  # not a new version of the text


def test_a_role_of_an_office_not_yet_published_waits_for_it(role, editor_in_chief):
    office = OfficeFactory.build(slug="front", name="フロントオフィス")
    with applied(None):
        office.save()
        office_capture = capture(Office, office.pk)
        new_role = RoleFactory(office=office, slug="sales", name="営業")
        role_capture = capture(Role, new_role.pk)
    office_draft = services.save_draft(captured=office_capture, by=None, base_id=None)
    role_draft = services.save_draft(captured=role_capture, by=None, base_id=None)

    with pytest.raises(
        services.PublishingError, match="先に「フロントオフィス」を公開してください"
    ):
        services.publish(revision=role_draft, by=editor_in_chief)

    services.publish(revision=office_draft, by=editor_in_chief)
    services.publish(revision=role_draft, by=editor_in_chief)
    assert Role.objects.get(slug="sales").office.slug == "front"
