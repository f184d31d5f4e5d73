"""The admin in a real browser under the site's strict CSP: login, live preview, inbox."""

import pytest

from tests.factories import (
    STAFF_PASSWORD,
    ConsultationRequestFactory,
    OfficeFactory,
    StaffFactory,
)

# Registered before any page script runs; CSP violations are reported to it.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def admin_page(browser, live_server, context, staff_groups):
    page = context.new_page()
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error" and errors.append(f"{message.text} {message.location}")
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and errors.append(f"{response.status} {response.url}")
        ),
    )
    page.errors = errors
    return page


def log_in(page, base, group):
    user = StaffFactory(username=group, group=group)
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", group)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return user


def assert_clean(page):
    assert page.evaluate("window.__cspViolations") == []
    # The admin links no icon, so the browser asks for /favicon.ico on its own.
    assert [error for error in page.errors if "/favicon.ico" not in error] == []


def test_editor_previews_markdown_through_the_site_renderer(admin_page, live_server):
    office = OfficeFactory(body="元の本文")
    page = admin_page
    log_in(page, live_server.url, "編集者")
    page.goto(f"{live_server.url}/admin/careers/office/{office.pk}/change/")

    page.fill("#id_body", "**太字**の本文\n\n<script>window.__hacked = 1</script>")
    page.dispatch_event("#id_body", "input")
    page.locator(".markdownx-preview strong").first.wait_for()

    assert page.inner_text(".markdownx-preview strong") == "太字"
    assert page.evaluate("window.__hacked") is None
    assert "<script" not in page.inner_html(".markdownx-preview")
    assert_clean(page)


def test_agent_works_the_inbox_under_the_csp(admin_page, live_server):
    request = ConsultationRequestFactory(name="山田 花子")
    page = admin_page
    log_in(page, live_server.url, "エージェント")
    page.goto(f"{live_server.url}/admin/careers/consultationrequest/")
    assert page.locator(f"text={request.reference}").count() == 1
    page.click(f"text={request.reference}")
    page.select_option("#id_status", "closed")
    with page.expect_navigation():
        page.click("input[name=_save]")

    assert "クローズするときは、クローズ理由を選択してください。" in page.inner_text(".errorlist")
    page.select_option("#id_close_reason", "withdrawn")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.url == f"{live_server.url}/admin/careers/consultationrequest/"
    request.refresh_from_db()
    assert request.status == "closed"
    assert_clean(page)
