"""The editorial journey in a real browser under the strict CSP: an editor changes a role
and asks for review; the 編集長, told by email, previews it on the real page, compares
it with the live version, schedules it two minutes ahead, sees it go live (the real
worker, the clock moved), then rolls back."""

import io
import re
from datetime import timedelta
from urllib.request import urlopen

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from careers.models import Revision, Role
from careers.staff import EDITORS_GROUP, EDITORS_IN_CHIEF_GROUP
from tests.browser.test_admin_browser import RECORD_CSP_VIOLATIONS, assert_clean
from tests.factories import STAFF_PASSWORD, StaffFactory

ROLE_PATH = "/offices/middle/risk-management/"
NEW_TEXT = "予約公開で変わるリスク管理の新しい段落です。"


@pytest.fixture
def seeded(live_server, staff_groups):
    """content/ loaded the way `make run` loads it: every record published from content/."""
    cache.clear()
    call_command("load_content", stdout=io.StringIO())
    yield live_server.url
    cache.clear()


def new_page(context):
    page = context.new_page()
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and page.errors.append(f"{response.status} {response.url}")
        ),
    )
    return page


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def live(base):
    with urlopen(base + ROLE_PATH, timeout=10) as response:
        return response.read().decode()


def test_draft_review_preview_compare_schedule_publish_and_roll_back(
    browser, seeded, relay, run_worker, settings
):
    base = settings.SITE_URL = seeded  # the email links to this server
    StaffFactory(username="hanako", group=EDITORS_GROUP, first_name="花子")
    StaffFactory(username="chief", group=EDITORS_IN_CHIEF_GROUP, email="chief@example.com")
    role = Role.objects.get(slug="risk-management")
    assert NEW_TEXT not in live(base)

    # --- The editor changes the role and asks for review.
    editor_context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    editor = new_page(editor_context)
    log_in(editor, base, "hanako")
    editor.goto(f"{base}/admin/careers/role/{role.pk}/change/")
    body = editor.locator("#id_body")
    body.fill(body.input_value() + "\n\n" + NEW_TEXT)
    counter = editor.locator("#id_body-count")
    assert re.fullmatch(r"[\d,]+ / 10,000 字", counter.inner_text())
    with editor.expect_navigation():
        editor.locator("input[name=_save]").first.click()
    assert "下書きを保存しました。公開中のページはまだ変わっていません。" in editor.inner_text(
        ".messagelist"
    )
    assert NEW_TEXT not in live(base)
    editor.click("text=公開・履歴（レビュー依頼・比較・公開）")
    with editor.expect_navigation():
        editor.click("button:has-text('レビューを依頼する')")
    assert "レビューを依頼しました" in editor.inner_text(".messagelist")
    assert_clean(editor)

    # --- The worker emails the 編集長 a link to the draft.
    run_worker()
    [(_, recipients, email)] = relay.messages
    assert recipients == ["chief@example.com"]
    link = re.search(r"https?://\S+/publishing/", email.get_content()).group(0)

    # --- The 編集長 previews it on the real page and compares it with the live version.
    chief_context = browser.new_context(locale="ja-JP", viewport={"width": 1440, "height": 900})
    chief = new_page(chief_context)
    log_in(chief, base, "chief")
    chief.goto(link)
    assert "レビュー待ち" in chief.inner_text("#content-main")
    diff = chief.locator("table.diff", has_text="仕事内容")
    assert diff.locator("ins", has_text=NEW_TEXT).count() == 1
    chief.click("text=下書きをプレビュー")
    frames = chief.locator(".preview-frame iframe")
    assert frames.count() == 2
    for index in range(2):
        frame = chief.frame_locator(".preview-frame iframe").nth(index)
        assert NEW_TEXT in frame.locator("main").inner_text()
        assert "プレビュー（未公開）" in frame.locator(".preview-banner").inner_text()
        assert frame.locator(".breadcrumbs a", has_text="ミドルオフィス").count() == 1
    assert_clean(chief)

    # --- Scheduled two minutes ahead (Asia/Tokyo), it goes live when the time comes.
    chief.go_back()
    go_live = timezone.localtime() + timedelta(minutes=2)
    chief.fill("#id_go_live_at", f"{go_live:%Y-%m-%dT%H:%M}")
    with chief.expect_navigation():
        chief.click("button:has-text('予約する')")
    assert f"{go_live:%H:%M} に公開するよう予約しました。" in chief.inner_text(".messagelist")
    run_worker()
    assert NEW_TEXT not in live(base)
    with time_machine.travel(go_live + timedelta(minutes=1)):
        run_worker()
    assert NEW_TEXT in live(base)
    published = Revision.objects.of(Role, role.pk).get(state=Revision.State.PUBLISHED)
    assert published.data["body"].endswith(NEW_TEXT) and published.reviewed_by.username == "chief"
    chief.reload()

    # --- Then rolled back to the version loaded from content/.
    row = chief.locator(".publishing-history tr", has_text="過去の公開版")
    with chief.expect_navigation():
        row.locator("button:has-text('この版に戻して公開する')").click()
    assert "に戻して公開しました。" in chief.inner_text(".messagelist")
    assert NEW_TEXT not in live(base)
    assert_clean(chief)
    editor_context.close()
    chief_context.close()
