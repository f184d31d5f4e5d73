"""What search engines read: sitemap.xml, robots.txt, canonical and OGP tags, JSON-LD;
the editor line on content pages. Glossary links: tests/test_glossary_links.py."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser

import pytest

from careers.models import Office, Role
from tests.factories import FaqFactory, OfficeFactory, RoleFactory

SITE_URL = "https://guide.example.jp"
EDITOR = "オフィスワーク転職ガイド編集部"


@pytest.fixture(autouse=True)
def site_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.EDITORIAL_ORGANIZATION = EDITOR


class HeadParser(HTMLParser):
    """<link rel=canonical> and the <meta property|name> tags."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.canonical = []
        self.meta = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content")


def jsonld(response):
    """Every JSON-LD block of a page as (nonce, data)."""
    html = response.content.decode()
    blocks = re.findall(
        r'<script type="application/ld\+json"(?: nonce="([^"]*)")?>(.*?)</script>', html, re.S
    )
    return [(nonce, json.loads(text)) for nonce, text in blocks]


def by_type(response):
    return {data["@type"]: data for _, data in jsonld(response)}


# --- robots.txt and sitemap.xml --------------------------------------------------------------


def test_robots_txt_allows_all_but_admin_and_thanks_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /consultation/thanks/" in lines
    assert "Disallow: /" not in lines
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in lines


def test_sitemap_lists_every_public_page_on_the_site_url(client, real_content):
    OfficeFactory(slug="hidden", published=False)
    RoleFactory(office=Office.objects.get(slug="back"), slug="draft", published=False)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ET.fromstring(response.content).findall("s:url", namespace)
    locations = [url.find("s:loc", namespace).text for url in urls]
    expected_paths = [
        "/",
        "/compare/",
        "/compare/roles/",
        "/career-map/",
        "/diagnosis/",
        "/glossary/",
        "/consultation/",
        "/privacy/",
        "/terms/",
        "/about/",
        *(f"/offices/{slug}/" for slug in ("front", "middle", "back")),
        *(role.get_absolute_url() for role in Role.objects.published()),
    ]
    assert sorted(locations) == sorted(SITE_URL + path for path in expected_paths)
    assert len(locations) == 10 + 3 + 9
    lastmods = {url.find("s:loc", namespace).text: url.find("s:lastmod", namespace) for url in urls}
    assert lastmods[f"{SITE_URL}/offices/middle/"] is not None
    assert lastmods[f"{SITE_URL}/offices/back/hr-labor/"] is not None


# --- Canonical, Open Graph, Twitter -----------------------------------------------------------

PAGES = {
    "/": ("website", "フロント・ミドル・バックオフィスの違いと仕事内容"),
    "/offices/middle/": ("article", "ミドルオフィスとは？仕事内容とメリット・デメリット"),
    "/offices/back/hr-labor/": ("article", "人事・労務の仕事内容・向いている人"),
    "/compare/": ("website", "フロント・ミドル・バックオフィスの比較表"),
    "/diagnosis/": ("website", "適職診断：あなたに合う部門と職種は？"),
    "/glossary/": ("website", "用語集"),
    "/consultation/": ("website", None),
    "/privacy/": ("website", None),
    "/terms/": ("website", None),
    "/about/": ("website", None),
}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_canonical_and_social_tags(client, real_content, path):
    response = client.get(path + "?utm_source=x")

    head = HeadParser(response.content.decode())
    og_type, og_title = PAGES[path]
    assert head.canonical == [SITE_URL + path]  # without the query string
    assert head.meta["og:url"] == SITE_URL + path
    assert head.meta["og:type"] == og_type
    assert head.meta["og:site_name"]
    assert head.meta["og:locale"] == "ja_JP"
    assert head.meta["og:description"].strip()
    assert head.meta["twitter:card"] == "summary"
    if og_title:
        assert head.meta["og:title"] == og_title


def test_office_description_is_its_summary_everywhere(client, real_content):
    office = Office.objects.get(slug="front")
    head = HeadParser(client.get("/offices/front/").content.decode())
    assert head.meta["description"] == head.meta["og:description"] == office.summary


# --- JSON-LD -------------------------------------------------------------------------------------


def test_office_page_has_article_breadcrumbs_and_faq_jsonld(client, real_content):
    office = Office.objects.get(slug="middle")

    response = client.get("/offices/middle/")

    data = by_type(response)
    assert set(data) == {"Article", "BreadcrumbList", "FAQPage"}
    for item in data.values():
        assert item["@context"] == "https://schema.org"

    article = data["Article"]
    assert article["headline"] == "ミドルオフィスとは？仕事内容とメリット・デメリット"
    assert article["description"] == office.summary
    modified = datetime.fromisoformat(article["dateModified"])
    assert modified.tzinfo is not None
    assert modified.replace(microsecond=0) == office.content_updated_at.replace(microsecond=0)
    for role in ("publisher", "author"):
        assert article[role] == {"@type": "Organization", "name": EDITOR, "url": f"{SITE_URL}/"}
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": f"{SITE_URL}/offices/middle/"}

    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "トップ", f"{SITE_URL}/"),
        (2, "ミドルオフィス", f"{SITE_URL}/offices/middle/"),
    ]

    faqs = list(office.faqs.all())
    questions = data["FAQPage"]["mainEntity"]
    assert len(questions) == len(faqs) == 3
    for question, faq in zip(questions, faqs, strict=True):
        assert question["@type"] == "Question"
        assert question["name"] == faq.question
        assert question["acceptedAnswer"]["@type"] == "Answer"
        text = question["acceptedAnswer"]["text"]
        assert text and "<" not in text  # plain text, markup removed


def test_role_page_has_article_and_three_breadcrumbs(client, real_content):
    role = Role.objects.get(slug="risk-management")

    data = by_type(client.get(role.get_absolute_url()))

    assert set(data) == {"Article", "BreadcrumbList", "FAQPage"}
    assert [q["name"] for q in data["FAQPage"]["mainEntity"]] == [
        faq.question for faq in role.faqs.all()
    ]
    assert data["Article"]["headline"] == "リスク管理の仕事内容・向いている人"
    assert data["Article"]["description"] == role.summary
    assert data["Article"]["mainEntityOfPage"]["@id"] == SITE_URL + role.get_absolute_url()
    assert data["Article"]["publisher"]["name"] == EDITOR
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["トップ", "ミドルオフィス", "リスク管理"]
    assert crumbs[-1]["item"] == SITE_URL + role.get_absolute_url()


def test_an_office_without_faqs_has_no_faqpage(client, db):
    OfficeFactory(slug="plain")
    assert set(by_type(client.get("/offices/plain/"))) == {"Article", "BreadcrumbList"}


def test_jsonld_carries_no_nonce_so_cached_pages_stay_valid(client, real_content):
    # Data blocks are not executed, so CSP needs no nonce; a cached page reused for
    # the next reader must not carry the first reader's nonce.
    first = client.get("/offices/front/")
    second = client.get("/offices/front/")
    assert first.content == second.content
    assert jsonld(first) and all(nonce == "" for nonce, _ in jsonld(first))
    assert "nonce-" not in second["Content-Security-Policy"]


def test_jsonld_cannot_break_out_of_its_script_element(client, db):
    hostile = '</script><script>alert(1)</script><!-- & "quoted"'
    office = OfficeFactory(slug="x", summary=hostile)
    FaqFactory(office=office, question=hostile, answer="答え")

    response = client.get("/offices/x/")

    html = response.content.decode()
    assert "<script>alert(1)" not in html
    data = by_type(response)
    assert data["Article"]["description"] == hostile
    assert data["FAQPage"]["mainEntity"][0]["name"] == hostile


@pytest.mark.parametrize(
    # One query per kind of record shown and one for the content revision.
    "path, budget",
    [("/offices/middle/", 1 + 4), ("/offices/middle/risk-management/", 1 + 6)],
)
def test_content_pages_stay_within_the_query_budget(
    client, real_content, django_assert_max_num_queries, path, budget
):
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200


# --- The editor line -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/offices/back/", "/offices/back/it-systems/"])
def test_content_pages_name_date_and_editor(client, real_content, path):
    html = client.get(path).content.decode()

    meta = re.search(r'<p class="meta">更新日: <time datetime="[\d-]+">.*?</p>', html, re.S)
    assert meta
    assert f'<span class="meta__editor">編集: {EDITOR}</span>' in meta.group(0)
