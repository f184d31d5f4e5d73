"""What a reader does, in a real browser: find a role, ask for a consultation, check it on
the confirmation page, send it, get a reference."""

from urllib.parse import parse_qs, urlsplit

from careers.models import ConsultationRequest
from tests.browser.helpers import (
    answers,
    edit_confirmation,
    fill_valid_form,
    on_confirmation,
    send_form,
    submit_form,
    thanks_reference,
)


def role_key(url):
    """`/offices/middle/risk-management/` → `middle/risk-management`."""
    _, offices, office, role, _ = urlsplit(url).path.split("/")
    assert offices == "offices"
    return f"{office}/{role}"


def open_role_from_home(page, base):
    """Home → the first office → its first role, by clicking links. Returns the role key."""
    page.goto(base + "/")
    page.locator("#offices .card h3 a").first.click()
    page.wait_for_url("**/offices/*/")
    page.locator(".card h3 a").first.click()
    page.wait_for_url("**/offices/*/*/")
    return role_key(page.url)


def open_consultation_from_role(page, key):
    """The role page's call to action preselects the role on the form."""
    page.locator(".cta a.button").click()
    page.wait_for_url(lambda url: "/consultation/?role=" in url)
    assert parse_qs(urlsplit(page.url).query)["role"] == [key]
    checkbox = page.locator(f'input[name="interests"][value="{key}"]')
    assert checkbox.is_checked(), f"{key} のチェックボックスが選択されていません"
    assert page.locator('input[name="interests"]:checked').count() == 1


def assert_stored(reference, *, key, email="hanako@example.com"):
    request = ConsultationRequest.objects.get(reference=reference)
    assert request.email == email
    assert key in request.interests
    assert request.source == f"page:{key}"
    return request


def test_role_to_consultation_to_confirmation_to_thanks(site, page):
    """Form → 確認 → 修正する (input kept) → 確認 → 送信する → thanks."""
    key = open_role_from_home(page, site)
    assert page.locator("h1").inner_text()
    open_consultation_from_role(page, key)

    fill_valid_form(page, email="hanako@exmaple.com")  # a typo the reader will catch
    page.fill("#id_message", "一行目\n二行目")
    response = submit_form(page)
    assert response.status == 200 and on_confirmation(page)
    assert urlsplit(page.url).path == "/consultation/" and not urlsplit(page.url).query
    assert page.title().startswith("入力内容の確認")
    # A fresh page: focus at its start, one h1 and the answers under h2s, in words.
    assert page.evaluate("document.activeElement === document.body")
    headings = page.locator("main h1, main h2").evaluate_all("hs => hs.map(h => h.tagName)")
    assert headings == ["H1", "H2", "H2", "H2"]
    shown = answers(page)
    assert shown["メールアドレス"] == "hanako@exmaple.com"
    assert shown["電話番号"] == "090-1234-5678"
    assert shown["相談したいこと"] == "一行目\n二行目"
    assert page.locator(".summary dd").filter(has_text="/").count() >= 1  # role in words
    assert ConsultationRequest.objects.count() == 0

    assert edit_confirmation(page).status == 200
    assert page.locator("h1").inner_text() == "無料の転職相談を申し込む"
    assert page.input_value("#id_name") == "山田 花子"
    assert page.input_value("#id_email") == "hanako@exmaple.com"
    assert page.input_value("#id_message") == "一行目\n二行目"
    assert page.locator(f'input[name="interests"][value="{key}"]').is_checked()
    assert page.locator("#id_consent").is_checked()
    page.fill("#id_email", "hanako@example.com")

    response = send_form(page)
    assert response.status == 302
    page.wait_for_url("**/consultation/thanks/")
    reference = thanks_reference(page)
    request = assert_stored(reference, key=key)
    assert request.message == "一行目\n二行目"
    assert ConsultationRequest.objects.count() == 1
    # The thanks page repeats what was sent.
    assert answers(page)["メールアドレス"] == "hanako@example.com"


def test_invalid_submission_shows_errors_keeps_input_then_succeeds(site, page):
    key = open_role_from_home(page, site)
    open_consultation_from_role(page, key)
    page.fill("#id_name", "山田 花子")
    page.fill("#id_email", "not-an-email")
    page.fill("#id_message", "未経験でも応募できるか知りたいです。")
    response = submit_form(page)

    assert response.status == 200
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.title().startswith("入力内容をご確認ください")
    # Each summary entry links to a field that exists and is marked invalid.
    targets = summary.locator("a").evaluate_all("links => links.map(a => a.hash.slice(1))")
    assert {"id_furigana", "id_email", "id_phone", "id_consent"} <= set(targets)
    for target in targets:
        assert page.locator(f"#{target}").get_attribute("aria-invalid") == "true", target
    # What the reader typed is still there, including the preselected role.
    assert page.input_value("#id_name") == "山田 花子"
    assert page.input_value("#id_email") == "not-an-email"
    assert page.input_value("#id_message") == "未経験でも応募できるか知りたいです。"
    assert page.locator(f'input[name="interests"][value="{key}"]').is_checked()
    assert ConsultationRequest.objects.count() == 0

    fill_valid_form(page)
    assert send_form(page).status == 302
    page.wait_for_url("**/consultation/thanks/")
    request = assert_stored(thanks_reference(page), key=key)
    assert request.message == "未経験でも応募できるか知りたいです。"


def tab_until(page, selector, limit=200):
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab で {selector} に到達できません")


def test_keyboard_only_journey(site, page):
    """Home → role → form → 確認 → thanks with Tab, Enter, Space and typing only."""
    page.goto(site + "/")
    tab_until(page, "#offices .card h3 a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/offices/*/")
    tab_until(page, ".card h3 a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/offices/*/*/")
    key = role_key(page.url)
    tab_until(page, ".cta a.button")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/consultation/?role=" in url)
    assert page.locator(f'input[name="interests"][value="{key}"]').is_checked()

    for selector, text in [
        ("#id_name", "山田 花子"),
        ("#id_furigana", "やまだ はなこ"),
        ("#id_email", "hanako@example.com"),
        ("#id_phone", "090-1234-5678"),
    ]:
        tab_until(page, selector)
        page.keyboard.type(text)
    tab_until(page, "#id_consent")
    page.keyboard.press("Space")
    assert page.is_checked("#id_consent")
    tab_until(page, "form[method=post] button[value=confirm]")
    page.keyboard.press("Enter")
    page.locator("h1", has_text="入力内容の確認").wait_for()
    tab_until(page, "form[method=post] button[value=send]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/consultation/thanks/")
    assert_stored(thanks_reference(page), key=key)


def test_reading_and_submitting_need_no_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(site + "/offices/middle/risk-management/")
        assert page.locator("h1").inner_text() == "リスク管理"
        assert page.locator("#tasks-title + *").inner_text().strip()
        open_consultation_from_role(page, "middle/risk-management")

        # An invalid submission works without JavaScript too (autofocus is HTML).
        assert submit_form(page).status == 200
        assert page.locator("#error-summary").is_visible()
        fill_valid_form(page)
        assert submit_form(page).status == 200 and on_confirmation(page)
        assert edit_confirmation(page).status == 200
        assert page.input_value("#id_name") == "山田 花子"
        assert send_form(page).status == 302
        page.wait_for_url("**/consultation/thanks/")
        assert_stored(thanks_reference(page), key="middle/risk-management")
    finally:
        context.close()
