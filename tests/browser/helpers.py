"""Crawling and form helpers shared by the browser tests."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit
from urllib.request import urlopen

# Never crawled: the admin, the editor's endpoints and static files.
CRAWL_SKIP = ("/admin/", "/markdownx/", "/static/", "/media/")
CRAWL_LIMIT = 300
REFERENCE_RE = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}$")


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _crawl_key(url):
    """One page per path and set of query parameter names: `/consultation/?role=x`
    and `?role=y` render the same template, so one of them is enough."""
    parts = urlsplit(url)
    return parts.path, tuple(sorted({name for name, _ in parse_qsl(parts.query)}))


def _sitemap_urls(base):
    try:
        with urlopen(base + "/sitemap.xml", timeout=10) as response:
            body = response.read().decode()
    except HTTPError:
        return []
    return [base + urlsplit(loc).path for loc in re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", body)]


def crawl(base):
    """Every HTML page reachable from `/` (and the sitemap) on the live server.

    A link that does not answer 200 is left out: broken links are reported by
    tests/test_pages.py, and these checks need pages to look at.
    """
    start = base + "/"
    queue = deque([start, *_sitemap_urls(base)])
    seen = set()
    pages = []
    while queue and len(pages) < CRAWL_LIMIT:
        url = queue.popleft()
        key = _crawl_key(url)
        if key in seen:
            continue
        seen.add(key)
        try:
            with urlopen(url, timeout=10) as response:
                content_type = response.headers.get("Content-Type", "")
                body = response.read().decode("utf-8", "replace")
        except HTTPError:
            continue
        if not content_type.startswith("text/html"):
            continue
        pages.append(url)
        parser = LinkParser()
        parser.feed(body)
        for href in parser.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if target.startswith(base + "/") and not parts.path.startswith(CRAWL_SKIP):
                queue.append(urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, "")))
    assert len(pages) >= 5, f"クロールで見つかったページが少なすぎます: {pages}"
    return pages


def fill_valid_form(page, *, name="山田 花子", email="hanako@example.com"):
    """Fill the fields a valid request needs (and check consent)."""
    page.fill("#id_name", name)
    page.fill("#id_furigana", "やまだ はなこ")
    page.fill("#id_email", email)
    page.fill("#id_phone", "090-1234-5678")
    page.check("#id_consent")


CONFIRM_BUTTON = "form[method=post] button[name=step][value=confirm]"
EDIT_BUTTON = "form[method=post] button[name=step][value=edit]"
SEND_BUTTON = "form[method=post] button[name=step][value=send]"


def _post(page, button):
    """Click `button`; returns the response to the POST it sends."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/consultation/" in r.url
    ) as info:
        page.click(button)
    page.wait_for_load_state()
    return info.value


def submit_form(page):
    """Press the consultation form's 「入力内容を確認する」; returns the response to the
    POST: the confirmation page, or the form again with its errors (both 200)."""
    return _post(page, CONFIRM_BUTTON)


def on_confirmation(page):
    """True when the page is the confirmation page (入力内容の確認)."""
    return page.locator("h1").inner_text() == "入力内容の確認"


def send_form(page):
    """Form → 確認 → 「送信する」, as a reader sends a request; returns the response to
    the last POST (302 to the thanks page when stored)."""
    response = submit_form(page)
    if response.status != 200 or not on_confirmation(page):
        return response
    return _post(page, SEND_BUTTON)


def edit_confirmation(page):
    """On the confirmation page, press 「修正する」; returns the response (the form)."""
    assert on_confirmation(page)
    return _post(page, EDIT_BUTTON)


def answers(page):
    """The confirmation or thanks page's answers: {label: value in words}."""
    return dict(
        zip(
            page.locator(".summary dt").all_inner_texts(),
            page.locator(".summary dd").all_inner_texts(),
            strict=True,
        )
    )


def error_state(page, base):
    """The form after an empty submission: (response to the POST, its HTML)."""
    page.goto(base + "/consultation/")
    response = submit_form(page)
    assert response.status == 200
    assert page.locator("#error-summary").is_visible()
    return response, response.text()


def thanks_reference(page):
    """The reference number the thanks page shows, checked against XXXX-XXXX."""
    assert urlsplit(page.url).path == "/consultation/thanks/"
    reference = page.locator(".reference dd").inner_text().strip()
    assert REFERENCE_RE.match(reference), reference
    return reference


def short(url):
    """`/offices/front/?role=x` for reports: the live server's address left out."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
