"""The deeper guide in Chromium: the first screen on a phone, the diagrams at both
widths, roles compared without JavaScript, and role and office pages in print."""

import pytest

from tests.browser.test_quality import axe_violations

WAYS = ["/diagnosis/", "/compare/", "/consultation/"]


def test_the_ways_forward_are_on_a_phone_s_first_screen(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(site + "/")
        for href in WAYS:
            box = page.locator(f'.ways a[href="{href}"]').bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= 667, (href, box)
        button = page.locator(".nav__cta a").bounding_box()
        assert button["y"] + button["height"] <= 667 and button["height"] >= 32
    finally:
        context.close()


@pytest.mark.parametrize("width, shown, hidden", [(320, "tall", "wide"), (1280, "wide", "tall")])
def test_one_diagram_layout_fits_each_width(browser, site, width, shown, hidden):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="ja-JP")
    try:
        page = context.new_page()
        for url in ("/", "/compare/"):
            page.goto(site + url)
            visible = page.locator(f".office-diagram .diagram--{shown}")
            assert (
                visible.is_visible()
                and not page.locator(f".office-diagram .diagram--{hidden}").is_visible()
            )
            box = visible.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
            # Legible: the office names are drawn at 12 CSS pixels or more.
            name = visible.locator(".diagram__name").first.bounding_box()
            assert name["height"] >= 12, name
    finally:
        context.close()


def test_roles_are_compared_with_the_form_alone_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(site + "/compare/roles/")
        page.check('input[value="front/sales"]')
        page.check('input[value="back/hr-labor"]')
        page.click("form.choose-roles button[type=submit]")
        page.wait_for_url("**/compare/roles/?roles=*")
        headers = page.locator(".compare-roles thead th").all_inner_texts()
        assert [h.split("\n")[0].strip() for h in headers] == ["営業", "人事・労務"]

        page.uncheck('input[value="back/hr-labor"]')
        page.click("form.choose-roles button[type=submit]")
        assert "比べる職種を2つ以上選んでください。" in page.locator("#error-summary").inner_text()
    finally:
        context.close()


def test_a_choice_s_error_state_is_accessible(site, page):
    # Not crawled (it answers 400), so checked here; axe needs JavaScript.
    response = page.goto(site + "/compare/roles/?roles=front%2Fsales")
    assert response.status == 400
    violations, report = axe_violations(page)
    assert not violations, report


@pytest.mark.parametrize("path", ["/offices/back/accounting-finance/", "/offices/middle/"])
def test_role_and_office_pages_print_on_a4_without_the_navigation(browser, site, path):
    # A4 less 15 mm margins each side is 180 mm ≈ 680 CSS pixels wide.
    context = browser.new_context(viewport={"width": 680, "height": 1000}, locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(site + path)
        assert page.locator(".site-header nav").is_visible()
        page.emulate_media(media="print")
        for hidden in (".site-header", ".site-footer", ".breadcrumbs", ".cta"):
            assert not page.locator(hidden).first.is_visible(), hidden
        assert page.locator("h1").is_visible()
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
    finally:
        context.close()
