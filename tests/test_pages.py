"""The public guide pages: crawl, structure, links, 404s, query counts, publishing."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag

import pytest
from django.conf import settings

from careers.models import Point
from tests.content_keys import OFFICES, ROLE_KEYS
from tests.factories import FaqFactory, OfficeFactory, PageFactory, PointFactory, RoleFactory


class PageParser(HTMLParser):
    """Collects what the tests check: links, <html lang>, h1s, title, meta description."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.lang = None
        self.h1_count = 0
        self.title = ""
        self.description = None
        self._in_title = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content")
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(response):
    return PageParser(response.content.decode())


def internal(links):
    """Site paths among `links`, without #fragments (`//host` is not internal)."""
    paths = []
    for href in links:
        path = urldefrag(href).url
        if href.startswith("/") and not href.startswith("//") and path:
            paths.append(path)
    return paths


def section(html, pattern):
    match = re.search(pattern, html, re.S)
    assert match, pattern
    return match.group(0)


# --- Crawl over the real content ---------------------------------------------------------


def test_crawl_from_home_reaches_every_page_and_every_link_works(client, real_content):
    seen, queue, broken = {"/": None}, deque(["/"]), []
    while queue:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200:
            broken.append(f"{url} → {response.status_code} (linked from {seen[url]})")
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        page = parse(response)
        assert page.lang == "ja", url
        assert page.h1_count == 1, url
        assert page.title.strip(), url
        assert page.description and page.description.strip(), url
        for path in internal(page.links):
            if path not in seen:
                seen[path] = url
                queue.append(path)

    assert not broken, "broken links:\n" + "\n".join(broken)
    for office in OFFICES:
        assert f"/offices/{office}/" in seen
    for role in ROLE_KEYS:
        assert f"/offices/{role}/" in seen
    assert "/glossary/" in seen


def test_home_lists_every_office_and_role(client, real_content):
    response = client.get("/")
    links = internal(parse(response).links)
    for office in OFFICES:
        assert f"/offices/{office}/" in links
    for role in ROLE_KEYS:
        assert f"/offices/{role}/" in links


# --- Page structure -------------------------------------------------------------------------


def test_role_page_breadcrumbs_and_sibling_links(client, real_content):
    response = client.get("/offices/middle/risk-management/")
    assert response.status_code == 200
    html = response.content.decode()

    breadcrumbs = section(html, r'<nav class="breadcrumbs.*?</nav>')
    assert internal(PageParser(breadcrumbs).links) == ["/", "/offices/middle/"]
    assert "ミドルオフィス" in breadcrumbs
    assert '<span aria-current="page">リスク管理</span>' in breadcrumbs

    siblings = section(
        html, r'<section class="no-print" aria-labelledby="siblings-title">.*?</section>'
    )
    assert internal(PageParser(siblings).links) == [
        "/offices/middle/sales-planning/",
        "/offices/middle/legal-compliance/",
        "/offices/middle/",
        # Compared with its first neighbour on the career map, in site order.
        "/compare/roles/?roles=middle%2Fsales-planning&roles=middle%2Frisk-management",
    ]
    assert parse(response).title.startswith("リスク管理の仕事内容")


def test_office_page_lists_roles_merits_and_demerits(client, real_content):
    response = client.get("/offices/back/")
    assert response.status_code == 200
    html = response.content.decode()

    roles = section(html, r'<section aria-labelledby="roles-title">.*?</section>')
    assert internal(PageParser(roles).links) == [
        "/offices/back/accounting-finance/",
        "/offices/back/hr-labor/",
        "/offices/back/general-affairs/",
        "/offices/back/it-systems/",
    ]
    assert '<h2 id="merits-title">バックオフィスで働くメリット</h2>' in html
    assert '<h2 id="demerits-title">バックオフィスで働くデメリット</h2>' in html
    merits = section(html, r'<section class="prose" aria-labelledby="merits-title">.*?</section>')
    demerits = section(
        html, r'<section class="prose" aria-labelledby="demerits-title">.*?</section>'
    )
    assert merits.count('<li class="point point--merit">') == 3
    assert demerits.count('<li class="point point--demerit">') == 3
    assert html.index("merits-title") < html.index("demerits-title")
    breadcrumbs = section(html, r'<nav class="breadcrumbs.*?</nav>')
    assert internal(PageParser(breadcrumbs).links) == ["/"]


@pytest.mark.django_db
def test_office_page_shows_points_in_order_under_the_right_heading(client):
    office = OfficeFactory(slug="middle", name="ミドルオフィス")
    PointFactory(office=office, kind=Point.Kind.DEMERIT, title="デメリットB", order=2)
    PointFactory(office=office, kind=Point.Kind.MERIT, title="メリットB", order=2)
    PointFactory(office=office, kind=Point.Kind.MERIT, title="メリットA", order=1)
    PointFactory(office=office, kind=Point.Kind.DEMERIT, title="デメリットA", order=1)
    FaqFactory(office=office, question="質問ですか？")

    html = client.get("/offices/middle/").content.decode()

    merits = section(html, r'aria-labelledby="merits-title">.*?</section>')
    demerits = section(html, r'aria-labelledby="demerits-title">.*?</section>')
    assert re.findall(r"</span>([^<]*)</h3>", merits) == ["メリットA", "メリットB"]
    assert re.findall(r"</span>([^<]*)</h3>", demerits) == ["デメリットA", "デメリットB"]
    assert "<dt>質問ですか？</dt>" in html


@pytest.mark.django_db
def test_merits_and_demerits_differ_in_words_and_sign_not_colour_alone(client):
    office = OfficeFactory(slug="back", name="バックオフィス")
    PointFactory(office=office, kind=Point.Kind.MERIT, title="良い点")
    PointFactory(office=office, kind=Point.Kind.DEMERIT, title="大変な点")

    html = client.get("/offices/back/").content.decode()

    merit = section(html, r'<li class="point point--merit">.*?</h3>')
    demerit = section(html, r'<li class="point point--demerit">.*?</h3>')
    # What a screen reader says: the hidden word, then the title; the sign is hidden from it.
    assert '<span class="visually-hidden">メリット：</span>良い点' in merit
    assert '<span class="visually-hidden">デメリット：</span>大変な点' in demerit
    signs = [
        re.search(r'<span class="point__mark" aria-hidden="true">(.)</span>', item).group(1)
        for item in (merit, demerit)
    ]
    assert signs == ["+", "−"]


# --- 404s ---------------------------------------------------------------------------------


@pytest.fixture
def published_and_hidden(db):
    front = OfficeFactory(slug="front", name="フロントオフィス")
    middle = OfficeFactory(slug="middle", name="ミドルオフィス")
    hidden_office = OfficeFactory(slug="hidden", name="非公開の部門", published=False)
    RoleFactory(office=front, slug="sales", name="営業")
    RoleFactory(office=middle, slug="risk-management", name="リスク管理")
    RoleFactory(office=middle, slug="draft-role", name="下書きの職種", published=False)
    RoleFactory(office=hidden_office, slug="secret", name="非公開部門の職種")
    return front, middle


@pytest.mark.parametrize(
    "url",
    [
        "/offices/nowhere/",
        "/offices/middle/nowhere/",
        "/offices/front/risk-management/",
        "/offices/hidden/",
        "/offices/hidden/secret/",
        "/offices/middle/draft-role/",
        "/no-such-page/",
    ],
    ids=[
        "unknown office",
        "unknown role",
        "role under the wrong office",
        "unpublished office",
        "role of an unpublished office",
        "unpublished role",
        "unknown path",
    ],
)
def test_missing_pages_are_404_with_the_japanese_page(client, published_and_hidden, url):
    response = client.get(url)

    assert response.status_code == 404
    html = response.content.decode()
    page = PageParser(html)
    assert page.lang == "ja"
    assert page.h1_count == 1
    assert "<h1>ページが見つかりません</h1>" in html
    assert page.title.startswith("ページが見つかりません")
    assert f'<a class="site-name" href="/">{settings.SITE_NAME}</a>' in html  # site layout
    assert '<footer class="site-footer">' in html


def test_published_pages_of_the_fixture_are_200(client, published_and_hidden):
    for url in ["/", "/offices/front/", "/offices/middle/", "/offices/middle/risk-management/"]:
        assert client.get(url).status_code == 200, url


# --- Unpublished records ----------------------------------------------------------------------


def test_unpublished_roles_and_offices_are_not_listed(client, published_and_hidden):
    home = client.get("/").content.decode()
    office = client.get("/offices/middle/").content.decode()
    role = client.get("/offices/middle/risk-management/").content.decode()

    for html in (home, office, role):
        assert "下書きの職種" not in html
        assert "/offices/middle/draft-role/" not in html
        assert "非公開の部門" not in html
        assert "非公開部門の職種" not in html
        assert "/offices/hidden/" not in html
    assert "/offices/middle/risk-management/" in home
    assert "/offices/middle/risk-management/" in office
    assert "/offices/front/sales/" in home


# --- Query counts ------------------------------------------------------------------------------

# One query per kind of record shown, plus one for the content revision (here not yet
# in the shared cache, since the factories' commits never happen; careers/caching.py).
EXPECTED_QUERIES = {
    "/": 1 + 3,
    "/offices/office-1/": 1 + 4,
    # The role with its day, qualifications, FAQs and figures; every published role
    # (siblings, career map).
    "/offices/office-1/role-1-1/": 1 + 6,
    "/career-map/": 1 + 1,
}


def build_site(offices, roles, points, faqs):
    PageFactory(slug="home", title="ようこそ")
    PageFactory(slug="career-agent", title="相談しませんか")
    for o in range(1, offices + 1):
        office = OfficeFactory(slug=f"office-{o}", order=o)
        for r in range(1, roles + 1):
            RoleFactory(office=office, slug=f"role-{o}-{r}", order=r)
        RoleFactory(office=office, slug=f"draft-{o}", published=False)
        for p in range(points):
            kind = Point.Kind.MERIT if p % 2 == 0 else Point.Kind.DEMERIT
            PointFactory(office=office, kind=kind, order=p)
        for f in range(faqs):
            FaqFactory(office=office, order=f)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "size",
    [(1, 2, 2, 1), (3, 20, 10, 5)],
    ids=["few rows", "many rows"],
)
@pytest.mark.parametrize("url", EXPECTED_QUERIES)
def test_query_count_does_not_grow_with_rows(client, django_assert_num_queries, size, url):
    build_site(*size)

    with django_assert_num_queries(EXPECTED_QUERIES[url]):
        response = client.get(url)
    # Served again from the cache: no query at all.
    with django_assert_num_queries(0):
        assert client.get(url).content == response.content

    assert response.status_code == 200
    offices, roles, points, _ = size
    html = response.content.decode()
    if url == "/":
        assert html.count('href="/offices/office-') == offices * (roles + 2)  # toc, card, roles
    elif url == "/career-map/":
        assert html.count('href="/offices/office-1/role-1-') == roles  # each role once
    elif url.count("/") == 3:
        assert html.count('<li class="point point--') == points
        assert html.count('href="/offices/office-1/role-1-') == roles
    else:
        assert html.count('href="/offices/office-1/role-1-') == roles - 1  # its siblings
