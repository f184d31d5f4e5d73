"""The editors' dashboard: pages due for review, drafts in review, scheduled
publications, other drafts and broken internal links."""

import re
from datetime import date, datetime, timedelta
from html import unescape

import pytest
import time_machine

from careers.business_days import TOKYO
from careers.models import Role, Term
from careers.publishing import scheduling, services
from tests.admin.helpers import ADMIN, logged_in
from tests.drafts import draft_of
from tests.factories import OfficeFactory, PageFactory, RoleFactory

DASHBOARD = "/admin/careers/revision/dashboard/"
TODAY = datetime(2026, 6, 1, 9, 0, tzinfo=TOKYO)


def section(html, title):
    match = re.search(rf"<h2 id=\"[a-z-]+\">{title}（(\d+)件）</h2>(.*?)</section>", html, re.S)
    assert match, title
    return int(match.group(1)), match.group(2)


@pytest.fixture
def site(db):
    """An office and three roles, last changed two months before TODAY."""
    with time_machine.travel(TODAY - timedelta(days=60)):
        office = OfficeFactory(slug="middle", name="ミドルオフィス")
        roles = {
            name: RoleFactory(office=office, slug=slug, name=name)
            for slug, name in [("risk", "リスク管理"), ("legal", "法務"), ("planning", "営業企画")]
        }
    return office, roles


def test_the_dashboard_lists_what_needs_the_editors(editor, editor_in_chief, site):
    office, roles = site
    with time_machine.travel(TODAY - timedelta(days=30)):
        services.mark_reviewed(record=roles["法務"], by=editor)  # reviewed before it was due
    Role.objects.filter(pk=roles["リスク管理"].pk).update(review_by=date(2026, 5, 1))
    Role.objects.filter(pk=roles["法務"].pk).update(review_by=date(2026, 5, 31))
    with time_machine.travel(TODAY - timedelta(days=60)):
        PageFactory(slug="home", title="トップ", review_by=date(2026, 7, 1))  # not yet due
        reviewed = PageFactory(
            slug="career-agent", title="相談のすすめ", review_by=date(2026, 5, 1)
        )
    with time_machine.travel(TODAY - timedelta(days=1)):
        services.mark_reviewed(record=reviewed, by=editor)  # reviewed after it was due
    in_review = draft_of(roles["リスク管理"], summary="直した要約", by=editor)
    services.request_review(revision=in_review, by=editor)
    planned = draft_of(roles["営業企画"], summary="来月の要約", by=editor)
    with time_machine.travel(TODAY, tick=False):
        scheduling.schedule(
            revision=planned, by=editor_in_chief, go_live_at=TODAY + timedelta(days=1)
        )
    draft_of(office, body="[廃止した職種](/offices/middle/gone/)へのリンク", by=editor)
    Term.objects.create(
        slug="kpi", term="KPI", reading="けーぴーあい", definition="[例](/nowhere/)"
    )

    with time_machine.travel(TODAY, tick=False):
        html = unescape(logged_in(editor).get(DASHBOARD).content.decode())

    count, due = section(html, "見直し日を過ぎたページ")
    assert count == 2
    assert due.index("リスク管理") < due.index("法務")  # the longest overdue first
    assert "相談のすすめ" not in due and "トップ" not in due
    count, waiting = section(html, "レビュー待ちの下書き")
    assert count == 1 and "ミドルオフィス / リスク管理" in waiting and "依頼: editor" in waiting
    count, scheduled = section(html, "予約公開")
    assert count == 1 and "2026年6月2日 09:00: " in scheduled
    count, drafts = section(html, "そのほかの下書き")
    assert count == 1 and "ミドルオフィス" in drafts
    count, broken = section(html, "リンク切れ")
    assert count == 2
    term = Term.objects.get()
    assert (
        f'<a href="/admin/careers/term/{term.pk}/publishing/">KPI（公開中）</a>'
        " — 説明: <code>/nowhere/</code>（このページはありません）"
    ) in broken
    assert (
        "ミドルオフィス（下書き）</a> — 本文: <code>/offices/middle/gone/</code>"
        "（職種が公開されていません）"
    ) in broken


def test_editors_reach_the_dashboard_from_the_admin_home(editor, agent):
    assert "編集ダッシュボード</a>" in logged_in(editor).get(ADMIN).content.decode()
    assert "編集ダッシュボード" not in logged_in(agent).get(ADMIN).content.decode()
    assert logged_in(agent).get(DASHBOARD).status_code == 403
