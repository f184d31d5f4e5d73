"""The consultation form in Chromium at its edges (issue 12): what the browser's
limits let through the server accepts, and a rate-limited submission keeps the form."""

from careers.models import ConsultationRequest
from tests.browser.helpers import fill_valid_form, send_form, thanks_reference
from tests.browser.test_quality import axe_violations


def test_a_message_as_long_as_the_browser_allows_is_accepted(site, page):
    """2000 characters over 20 lines: Chromium counts each line break once, sends it
    as CRLF; the server counts it once too."""
    page.goto(site + "/consultation/")
    fill_valid_form(page)
    message = "\n".join(["あ" * 99] * 19 + ["あ" * 100])
    page.fill("#id_message", message)
    assert page.evaluate(
        "() => { const t = document.querySelector('#id_message');"
        " return [t.value.length, t.maxLength, t.validity.tooLong]; }"
    ) == [2000, 2000, False]
    assert send_form(page).status == 302
    page.wait_for_url("**/consultation/thanks/")
    request = ConsultationRequest.objects.get(reference=thanks_reference(page))
    assert request.message == message


def test_a_rate_limited_submission_keeps_the_form_and_says_how_long(site, page, settings):
    settings.CONSULTATION_RATE_LIMIT = 0  # every submission is over the limit
    settings.CONSULTATION_RATE_WINDOW_SECONDS = 600
    page.goto(site + "/consultation/")
    fill_valid_form(page, name="スミス ジョン")
    page.fill("#id_message", "一行目\n二行目")
    response = send_form(page)  # only 送信する counts

    assert response.status == 429
    assert response.headers["retry-after"] == "600"
    alert = page.locator("#rate-limited")
    assert "10分ほど時間をおいてから" in alert.inner_text()
    assert page.evaluate("document.activeElement.id") == "rate-limited"
    assert page.title().startswith("送信できませんでした")
    assert page.input_value("#id_name") == "スミス ジョン"
    assert page.input_value("#id_message") == "一行目\n二行目"
    assert page.locator("#id_consent").is_checked()
    violations, report = axe_violations(page)
    assert not violations, report
    assert not ConsultationRequest.objects.exists()
