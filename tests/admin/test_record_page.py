"""A record's 公開・履歴 page: who may press which button, and what each does."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
import time_machine
from django.test import Client

from careers.business_days import TOKYO
from careers.models import EmailDelivery, Revision, Role
from careers.publishing import services
from tests.admin.helpers import logged_in
from tests.drafts import draft_of
from tests.factories import OfficeFactory, RoleFactory

State = Revision.State
NOON = datetime(2026, 6, 1, 12, 0, tzinfo=TOKYO)


@pytest.fixture
def role(db):
    office = OfficeFactory(slug="middle", name="ミドルオフィス")
    return RoleFactory(office=office, slug="risk", name="リスク管理", body="公開中の本文")


def page_url(record):
    return f"/admin/careers/role/{record.pk}/publishing/"


def act(client, record, action, **data):
    """Press a button; the page it leads back to, as text."""
    response = client.post(page_url(record), {"action": action, **data})
    assert response.status_code == 302, response.status_code
    assert response["Location"] == page_url(record)
    return unescape(client.get(page_url(record)).content.decode())


def test_an_editor_asks_for_review_and_the_chief_is_emailed_through_the_worker(
    editor, editor_in_chief, role
):
    draft = draft_of(role, body="新しい本文", by=editor)
    html = unescape(logged_in(editor).get(page_url(role)).content.decode())
    assert "公開中の版との違い" in html and "<caption>仕事内容</caption>" in html
    assert "いま公開する" not in html  # not the editor's button

    html = act(logged_in(editor), role, "request_review")

    assert "レビューを依頼しました。編集長にメールで知らせます。" in html
    draft.refresh_from_db()
    assert draft.state == State.IN_REVIEW and draft.submitted_by == editor
    [email] = EmailDelivery.objects.all()
    assert (email.revision, email.kind, email.state) == (draft, "review_request", "queued")


def test_an_editor_cannot_publish_schedule_or_send_back(editor, role):
    draft_of(role, body="新しい本文")
    client = logged_in(editor)
    for action in ("publish", "schedule", "unschedule", "send_back", "restore_and_publish"):
        assert client.post(page_url(role), {"action": action}).status_code == 403, action
    assert Role.objects.get().body == "公開中の本文"


def test_agents_and_strangers_never_see_the_page(agent, role):
    assert logged_in(agent).get(page_url(role)).status_code == 403
    assert Client().get(page_url(role)).status_code == 302  # to the login


def test_the_chief_publishes_from_the_page(editor_in_chief, role):
    draft_of(role, body="新しい本文")
    html = act(logged_in(editor_in_chief), role, "publish")
    assert "公開しました。" in html
    assert Role.objects.get().body == "新しい本文"


def test_the_time_is_typed_in_tokyo_time_and_must_be_ahead(editor_in_chief, role):
    draft = draft_of(role, body="新しい本文")
    client = logged_in(editor_in_chief)
    with time_machine.travel(NOON, tick=False):
        html = act(client, role, "schedule", go_live_at="2026-06-01T11:59")
        assert "公開日時には、これから先の日時を指定してください。" in html
        html = act(client, role, "schedule", go_live_at="あした")
        assert "公開日時を「2026-04-01 10:00」の形で入力してください。" in html
        html = act(client, role, "schedule", go_live_at="2026-06-01T12:02")

    assert "2026年6月1日 12:02 に公開するよう予約しました。" in html
    draft.refresh_from_db()
    assert draft.state == State.SCHEDULED
    assert draft.go_live_at == datetime(2026, 6, 1, 3, 2, tzinfo=UTC)  # 12:02 in Tokyo
    assert "予約を取り消す" in html


def test_rolling_back_from_the_history(editor_in_chief, role):
    client = logged_in(editor_in_chief)
    first = services.publish(revision=draft_of(role, body="一つ目"), by=editor_in_chief)
    services.publish(revision=draft_of(role, body="二つ目"), by=editor_in_chief)
    html = unescape(client.get(page_url(role)).content.decode())
    head = re.search(r'name="head" value="(\d*)"', html).group(1)
    history = re.search(r'<table class="publishing-history">.*?</table>', html, re.S).group(0)
    assert history.count("<tr>") == 3  # the header and the two versions
    assert f"/admin/careers/revision/{first.pk}/compare/live/" in history

    html = act(client, role, "restore_and_publish", revision=first.pk, head=head)

    assert f"第{first.pk}版の内容に戻して公開しました。" in html
    assert Role.objects.get().body == "一つ目"
    # A page opened before that shows a stale history: its button is refused.
    html = act(client, role, "restore", revision=first.pk, head=head)
    assert "ほかの人が保存しました" in html


def test_comparing_any_two_versions(editor_in_chief, role):
    first = services.publish(revision=draft_of(role, summary="最初の要約"), by=editor_in_chief)
    second = draft_of(role, summary="次の要約")
    client = logged_in(editor_in_chief)

    html = client.get(f"/admin/careers/revision/{second.pk}/compare/{first.pk}/").content.decode()

    assert f'<th scope="col">第{first.pk}版（公開中）</th>' in html
    assert "<caption>要約</caption>" in html
    assert '<del><span class="visually-hidden">削除: </span>最初</del>' in html
    assert '<ins><span class="visually-hidden">追加: </span>次</ins>' in html
    live = client.get(f"/admin/careers/revision/{second.pk}/compare/live/").content.decode()
    assert "公開中の版" in live and "<caption>要約</caption>" in live
    assert client.get(f"/admin/careers/revision/{second.pk}/compare/999999/").status_code == 404


def test_a_share_link_is_made_for_the_draft(editor, role, settings):
    settings.SITE_URL = "https://guide.example.jp"
    draft_of(role, body="監修してほしい本文")
    html = act(logged_in(editor), role, "share")
    pattern = r"（この版だけ・閲覧のみ・7日間有効）: https://guide\.example\.jp(/preview/[^/]+/)"
    path = re.search(pattern, html).group(1)
    assert "監修してほしい本文" in Client().get(path).content.decode()


def test_marking_reviewed_from_the_page(editor, role):
    with time_machine.travel(NOON, tick=False):
        html = act(logged_in(editor), role, "mark_reviewed")
    assert "変更なしで確認済みにしました" in html
    assert "最終確認日</dt><dd>2026年6月1日" in html
