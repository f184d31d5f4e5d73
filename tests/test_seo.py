"""What search engines read: sitemap.xml, robots.txt, canonical and OGP tags, JSON-LD;
the editor line on content pages; glossary links rendered into office and role bodies."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from careers.glossary_links import link_terms
from careers.models import Office, Role, Term
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
        "/diagnosis/",
        "/glossary/",
        "/consultation/",
        "/privacy/",
        *(f"/offices/{slug}/" for slug in ("front", "middle", "back")),
        *(role.get_absolute_url() for role in Role.objects.published()),
    ]
    assert sorted(locations) == sorted(SITE_URL + path for path in expected_paths)
    assert len(locations) == 6 + 3 + 9
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
    assert modified.replace(microsecond=0) == office.updated_at.replace(microsecond=0)
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

    assert set(data) == {"Article", "BreadcrumbList"}
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
    # One query per kind of record shown (at most 4) and one for the content revision.
    "path, budget",
    [("/offices/middle/", 1 + 4), ("/offices/middle/risk-management/", 1 + 4)],
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


# --- Glossary links --------------------------------------------------------------------------------


def make_term(term, slug):
    return Term.objects.create(term=term, slug=slug, reading="よみ", definition="説明です。")


TERMS = [("決算", "/glossary/#closing-accounts"), ("社会保険", "/glossary/#social-insurance")]


def test_first_mention_of_each_term_is_linked_once():
    html = "<p>決算と社会保険。</p><p>また決算。</p>"

    assert link_terms(html, TERMS) == (
        '<p><a href="/glossary/#closing-accounts">決算</a>と'
        '<a href="/glossary/#social-insurance">社会保険</a>。</p><p>また決算。</p>'
    )


def test_terms_inside_links_headings_and_code_are_left_alone():
    html = (
        "<h2>決算の時期</h2><p><a href='/x/'>社会保険の手続き</a>と<code>決算</code></p>"
        "<p>決算と社会保険</p>"
    )

    linked = link_terms(html, TERMS)

    assert linked.startswith(
        "<h2>決算の時期</h2><p><a href='/x/'>社会保険の手続き</a>と<code>決算</code></p>"
    )
    assert linked.endswith(
        '<p><a href="/glossary/#closing-accounts">決算</a>と'
        '<a href="/glossary/#social-insurance">社会保険</a></p>'
    )


def test_a_term_is_not_linked_on_its_own_page_and_longer_terms_win():
    terms = [("リスク", "/glossary/#risk"), ("リスク管理", "/glossary/#risk-management")]

    assert link_terms("<p>リスク管理です。</p>", terms, own_name="リスク管理") == (
        "<p>リスク管理です。</p>"
    )
    assert link_terms("<p>リスク管理とリスク</p>", terms) == (
        '<p><a href="/glossary/#risk-management">リスク管理</a>と'
        '<a href="/glossary/#risk">リスク</a></p>'
    )


def test_markup_and_entities_survive_linking():
    html = '<p>A &amp; B の<strong>決算</strong><img src="/m/a.png" alt="決算"></p>'

    assert link_terms(html, TERMS) == (
        '<p>A &amp; B の<strong><a href="/glossary/#closing-accounts">決算</a></strong>'
        '<img src="/m/a.png" alt="決算"></p>'
    )


def test_loaded_content_links_glossary_terms(real_content):
    hr = Role.objects.get(slug="hr-labor")
    assert '<a href="/glossary/#social-insurance">社会保険</a>' in hr.body_html
    middle = Office.objects.get(slug="middle")
    assert middle.body_html.count('href="/glossary/#front-office"') == 1
    # Its own subject is not linked on the page about it.
    risk = Role.objects.get(slug="risk-management")
    assert "/glossary/#risk-management" not in risk.body_html
    assert "/glossary/#middle-office" not in middle.body_html


@pytest.mark.django_db
def test_saving_or_deleting_a_term_relinks_bodies_without_touching_updated_at():
    office = OfficeFactory(body="決算の仕事です。")
    role = RoleFactory(office=office, body="決算を担当します。")
    updated = (office.updated_at, role.updated_at)
    assert "<a " not in office.body_html

    term = make_term("決算", "closing-accounts")

    office.refresh_from_db()
    role.refresh_from_db()
    assert '<a href="/glossary/#closing-accounts">決算</a>' in office.body_html
    assert '<a href="/glossary/#closing-accounts">決算</a>' in role.body_html
    assert (office.updated_at, role.updated_at) == updated

    term.slug = "kessan"
    term.save()
    office.refresh_from_db()
    assert 'href="/glossary/#kessan"' in office.body_html

    term.delete()
    office.refresh_from_db()
    assert "<a " not in office.body_html


@pytest.mark.django_db
def test_a_new_body_links_existing_terms_when_saved():
    make_term("社会保険", "social-insurance")

    role = RoleFactory(body="社会保険の手続きをします。")

    assert role.body_html == (
        '<p><a href="/glossary/#social-insurance">社会保険</a>の手続きをします。</p>'
    )


def test_glossary_links_lead_to_existing_anchors(client, real_content):
    glossary = client.get(reverse("careers:glossary")).content.decode()
    anchors = set(re.findall(r'<dt id="([^"]+)"', glossary))
    for record in [*Office.objects.all(), *Role.objects.all()]:
        for slug in re.findall(r'href="/glossary/#([^"]+)"', record.body_html):
            assert slug in anchors, (record, slug)
    assert Term.objects.count() == len(anchors)
    assert unescape(glossary).count("<h1") == 1
