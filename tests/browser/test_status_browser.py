"""The reader's status page in Chromium: the journey without JavaScript, and the same
accessibility (axe), HTML (Nu), width and weight checks as the crawled pages.
Status pages are linked from no page, so they are listed here."""

import json
import shutil
import subprocess

import pytest

from careers import status_links
from careers.models import ConsultationRequest, EmailDelivery
from tests.browser.test_quality import (
    MAX_HTML_GZIP_BYTES,
    MAX_PAGE_BYTES,
    MAX_REQUESTS,
    axe_violations,
    measure,
    vnu_jar,
)
from tests.factories import ConsultationRequestFactory


@pytest.fixture
def status_url(site):
    request = ConsultationRequestFactory(
        name="山田 花子", email="hanako@example.com", contact_method="phone"
    )
    return f"{site}/consultation/status/{status_links.issue(request)}/"


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    yield context.new_page()
    context.close()


def screens(page, site, status_url):
    """Every screen of the reader's page, as (name, HTML) after visiting it in `page`."""
    found = []
    page.goto(status_url)
    found.append(("状況", page.content()))
    page.get_by_label("メールのみ").check()
    page.get_by_role("button", name="変更内容を確認する").click()
    found.append(("連絡の希望（確認）", page.content()))
    page.goto(status_url)
    page.get_by_role("button", name="取り下げる（確認へ）").click()
    found.append(("取り下げ（確認）", page.content()))
    page.goto(status_url)
    page.get_by_role("button", name="個人情報を削除する（確認へ）").click()
    found.append(("削除（確認）", page.content()))
    page.goto(site + "/consultation/status/")
    found.append(("リンクの再送", page.content()))
    page.get_by_role("button", name="リンクを送る").click()
    found.append(("リンクの再送（エラー）", page.content()))
    page.goto(site + "/consultation/status/erased/")
    found.append(("削除の完了", page.content()))
    return found


def test_the_reader_changes_withdraws_and_erases_without_javascript(no_js_page, status_url):
    page = no_js_page
    page.goto(status_url)
    page.get_by_label("電話は不要").check()
    page.get_by_role("button", name="変更内容を確認する").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("連絡の希望を変更します")
    page.get_by_role("button", name="この内容で変更する").click()
    assert page.get_by_role("status").inner_text() == "連絡の希望を変更しました。"
    request = ConsultationRequest.objects.get()
    assert request.phone_unwanted

    page.get_by_role("button", name="個人情報を削除する（確認へ）").click()
    page.get_by_role("button", name="削除する").click()
    assert page.get_by_role("heading", level=1).inner_text() == "個人情報を削除しました"
    request.refresh_from_db()
    assert request.anonymized_at and request.email == ""
    assert EmailDelivery.objects.filter(kind="erasure_confirmation").count() == 1
    assert page.goto(status_url).status == 404  # the link died with the data


def test_status_pages_are_accessible_valid_narrow_and_light(
    site, status_url, page, browser, tmp_path
):
    problems = []
    documents = []
    for name, html in screens(page, site, status_url):
        documents.append((name, html))
    for name in ("状況",):
        page.goto(status_url)
        violations, report = axe_violations(page)
        if violations:
            problems.append(f"axe {name}:\n{report}")
    for url in (site + "/consultation/status/", site + "/consultation/status/erased/"):
        page.goto(url)
        violations, report = axe_violations(page)
        if violations:
            problems.append(f"axe {url}:\n{report}")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(status_url)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        problems.append(f"320px で横スクロール: {width}")
    cost = measure(browser, status_url)
    if (
        cost["bytes"] > MAX_PAGE_BYTES
        or cost["requests"] > MAX_REQUESTS
        or cost["html_gzip"] > MAX_HTML_GZIP_BYTES
        or cost["fonts"]
    ):
        problems.append(f"予算超過: {cost}")

    java = shutil.which("java")
    if java:
        files = []
        for index, (_, html) in enumerate(documents):
            path = tmp_path / f"status-{index}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
        result = subprocess.run(
            [java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", "--stdout", *files],
            capture_output=True,
            text=True,
            timeout=300,
        )
        for message in json.loads(result.stdout)["messages"]:
            if message["type"] in {"error", "non-document-error"}:
                index = int(message.get("url", "-0.html").rsplit("-", 1)[-1].split(".")[0])
                problems.append(f"HTML {documents[index][0]}: {message['message']}")
    assert not problems, "\n\n".join(problems)
