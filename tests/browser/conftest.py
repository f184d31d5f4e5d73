"""Real-browser checks: Chromium driven by Playwright against pytest-django's live_server.

The browser is Debian's Chromium (Playwright cannot download its own here). Without
/usr/bin/chromium the tests are skipped on a developer machine but fail in CI
(`CI=true`), so a broken CI image cannot pass silently. BROWSER_EXECUTABLE
points at another Chromium build.

Pages come from a crawl that starts at `/` (plus /sitemap.xml when there is
one), so every new page linked from the site is checked without editing these
tests.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.browser.helpers import crawl
from tests.conftest import insert_content

CHROMIUM = os.environ.get("BROWSER_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _unavailable(reason):
    if IN_CI:
        pytest.fail(f"ブラウザテストを実行できません (CI): {reason}", pytrace=False)
    pytest.skip(f"ブラウザテストをスキップ: {reason}")


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all browser tests.

    Package-scoped, i.e. alive exactly while tests/browser runs: Playwright's
    sync API keeps an asyncio loop running in this thread, which makes Django
    refuse ORM calls from it. DJANGO_ALLOW_ASYNC_UNSAFE is therefore set only
    while the browser is up and removed with it, so the rest of the suite keeps
    Django's check.
    """
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        _unavailable(f"{CHROMIUM} がありません (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright がインストールされていません (pip install -e '.[dev]')")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(browser, live_server, settings, content_rows):
    """The live server's base URL, with the repository's content in the database.

    live_server uses a transactional database that is emptied after each test,
    so the session's content rows are written again for each test.
    """
    settings.CONSULTATION_RATE_LIMIT = 100_000
    cache.clear()  # cached interest choices from other tests' content
    insert_content(content_rows)
    yield live_server.url
    cache.clear()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def pages(site):
    """Absolute URLs of every crawled page."""
    return crawl(site)
