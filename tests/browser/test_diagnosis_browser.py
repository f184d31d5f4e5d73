"""適職診断 and the comparison table in a real browser: without JavaScript, keyboard only
for the answers, accessible (axe), valid HTML, and no page-level horizontal scroll at 320px."""

import json
import shutil
import subprocess

import pytest

from tests.browser.test_quality import axe_violations, vnu_jar

WIDTHS = [320, 1280]


def answer_all(page, skip=()):
    """Choose the first answer of every question (except the `skip` slugs), by keyboard."""
    for group in page.locator("form.diagnosis fieldset").all():
        first = group.locator('input[type="radio"]').first
        if first.get_attribute("name") in skip:
            continue
        first.focus()
        page.keyboard.press("Space")


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(
        locale="ja-JP", java_script_enabled=False, viewport={"width": 320, "height": 800}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def states(page, site):
    """(name, url, html) of the form, its error state and a result."""
    page.goto(site + "/diagnosis/")
    form = (page.url, page.content())
    answer_all(page, skip={"work-pace"})
    page.get_by_role("button", name="結果を見る").click()
    errors = (page.url, page.content())
    page.goto(site + "/diagnosis/")
    answer_all(page)
    page.get_by_role("button", name="結果を見る").click()
    result = (page.url, page.content())
    return {"診断フォーム": form, "診断フォーム (エラー表示)": errors, "診断結果": result}


def test_diagnosis_journey_without_javascript(site, no_js_page):
    page = no_js_page
    page.goto(site + "/diagnosis/")
    answer_all(page, skip={"work-pace"})
    page.get_by_role("button", name="結果を見る").click()

    summary = page.locator("#error-summary")
    assert "1問の回答がありません" in summary.inner_text()
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.name") == "work-pace"
    page.keyboard.press("Space")
    page.get_by_role("button", name="結果を見る").click()

    assert page.get_by_role("heading", level=1).inner_text() == "適職診断の結果"
    assert page.locator("li.result").count() == 3
    page.get_by_role("link", name="診断結果をもとに無料で相談する").click()
    assert page.url.startswith(site + "/consultation/?from=diagnosis&result=")
    assert page.locator('input[name="interests"]:checked').count() == 3


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_scroll_and_table_scrolls_inside(site, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="ja-JP")
    try:
        page = context.new_page()
        for name, (url, _) in states(page, site).items():
            page.goto(url)
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert scroll <= inner, f"{name} at {width}px: {scroll} > {inner}"
        page.goto(site + "/compare/")
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner
        region = page.get_by_role("region", name="3つの部門の比較表")
        if width == 320:  # the table is wider than the screen: its region scrolls, by keyboard too
            assert region.evaluate("el => el.scrollWidth > el.clientWidth")
            region.focus()
            page.keyboard.press("ArrowRight")
            for _ in range(20):  # scrolling may be animated
                if region.evaluate("el => el.scrollLeft") > 0:
                    break
                page.wait_for_timeout(100)
            assert region.evaluate("el => el.scrollLeft") > 0
    finally:
        context.close()


def test_axe_finds_no_violations_in_the_diagnosis(site, page):
    reports = {}
    for name, (url, _) in states(page, site).items():
        page.goto(url)
        violations, report = axe_violations(page)
        if violations:
            reports[name] = report
    assert not reports, "\n\n".join(f"== {name}\n{report}" for name, report in reports.items())


def test_diagnosis_html_is_valid(site, page, tmp_path):
    java = shutil.which("java")
    if java is None:
        pytest.skip("java がありません (apt-get install -y default-jre-headless)")
    names = {}
    for index, (name, (_, html)) in enumerate(states(page, site).items()):
        path = tmp_path / f"diagnosis-{index}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = name
    result = subprocess.run(
        [
            *(java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", "--stdout"),
            *sorted(str(tmp_path / name) for name in names),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{names.get(m.get('url', '').rsplit('/', 1)[-1], '?')}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] in {"error", "non-document-error"}
    ]
    assert not errors, "\n".join(errors)
