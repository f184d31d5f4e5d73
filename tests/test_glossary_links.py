"""Glossary links in office and role bodies (careers/glossary_links.py): the first mention
of each term links to the term's own entry on /glossary/, never a term inside a longer
phrase, and every glossary link on the site lands on an existing entry."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from careers.glossary_links import link_terms
from careers.models import Office, Role, Term
from tests.factories import OfficeFactory, RoleFactory

GLOSSARY_LINK_RE = re.compile(r'<a href="(/glossary/#[^"]+)">(.*?)</a>')


def make_term(term, slug):
    return Term.objects.create(term=term, slug=slug, reading="よみ", definition="説明です。")


def unlinked(html):
    """(`html` without its glossary links, [(start, end, url)] of each linked text in it)."""
    plain, spans, done = "", [], 0
    for match in GLOSSARY_LINK_RE.finditer(html):
        plain += html[done : match.start()]
        spans.append((len(plain), len(plain) + len(match.group(2)), match.group(1)))
        plain += match.group(2)
        done = match.end()
    return plain + html[done:], spans


def occurrences(text, phrase):
    """(start, end) of every occurrence of `phrase` in `text`, overlapping ones included."""
    return [
        (m.start(), m.start() + len(phrase)) for m in re.finditer(f"(?={re.escape(phrase)})", text)
    ]


def inside_a_longer_phrase(text, span, phrases):
    start, end = span
    return [
        phrase
        for phrase in phrases
        if len(phrase) > end - start
        for s, e in occurrences(text, phrase)
        if s <= start and end <= e
    ]


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


def test_a_term_inside_a_longer_name_is_not_a_mention():
    terms = [("労務", "/glossary/#labor-management"), ("人事・労務", None)]

    assert link_terms("<p>人事・労務が担当し、労務の知識が要ります。</p>", terms) == (
        '<p>人事・労務が担当し、<a href="/glossary/#labor-management">労務</a>の知識が要ります。</p>'
    )
    assert link_terms("<p>給与計算は人事・労務が担当します。</p>", terms) == (
        "<p>給与計算は人事・労務が担当します。</p>"
    )


def test_the_longer_of_two_overlapping_terms_wins_even_when_it_starts_later():
    # 健康年金 starts first, but 年金保険料 is longer; 保険 lies inside 年金保険料.
    terms = [("健康年金", "/glossary/#a"), ("年金保険料", "/glossary/#b"), ("保険", "/glossary/#c")]

    assert link_terms("<p>健康年金保険料</p>", terms) == (
        '<p>健康<a href="/glossary/#b">年金保険料</a></p>'
    )


def test_markup_and_entities_survive_linking():
    html = '<p>A &amp; B の<strong>決算</strong><img src="/m/a.png" alt="決算"></p>'

    assert link_terms(html, TERMS) == (
        '<p>A &amp; B の<strong><a href="/glossary/#closing-accounts">決算</a></strong>'
        '<img src="/m/a.png" alt="決算"></p>'
    )


PHRASE = st.text(alphabet="あいう", min_size=1, max_size=4)


@given(
    text=st.text(alphabet="あいう", max_size=30),
    phrases=st.dictionaries(PHRASE, st.booleans(), min_size=1, max_size=5),
)
def test_links_are_first_mentions_never_inside_a_longer_phrase(text, phrases):
    terms = [
        (p, f"/glossary/#t{i}" if term else None) for i, (p, term) in enumerate(phrases.items())
    ]
    url_of = dict(terms)
    html = f"<p>{text}</p>"

    plain, spans = unlinked(link_terms(html, terms))

    assert plain == html  # only links were added
    linked_urls = [url for _, _, url in spans]
    assert len(linked_urls) == len(set(linked_urls))  # each term at most once
    for start, end, url in spans:
        assert url_of[plain[start:end]] == url
        assert not inside_a_longer_phrase(plain, (start, end), phrases)
    # A term standing alone somewhere (overlapping no other phrase) is always linked.
    for phrase, url in terms:
        others = [o for p in phrases for o in occurrences(html, p)]
        alone = [
            (s, e)
            for s, e in occurrences(html, phrase)
            if all(o == (s, e) or o[1] <= s or e <= o[0] for o in others)
        ]
        if url and alone:
            assert url in linked_urls, phrase


def test_loaded_content_links_glossary_terms(real_content):
    hr = Role.objects.get(slug="hr-labor")
    assert '<a href="/glossary/#social-insurance">社会保険</a>' in hr.body_html
    middle = Office.objects.get(slug="middle")
    assert middle.body_html.count('href="/glossary/#front-office"') == 1
    # Its own subject is not linked on the page about it.
    risk = Role.objects.get(slug="risk-management")
    assert "/glossary/#risk-management" not in risk.body_html
    assert "/glossary/#middle-office" not in middle.body_html


def test_loaded_content_links_no_term_inside_an_office_or_role_name(real_content):
    # The case that was wrong: 労務 linked inside 「人事・労務が担当します」.
    accounting = Role.objects.get(slug="accounting-finance")
    assert "人事・労務が担当" in accounting.body_html
    assert "#labor-management" not in accounting.body_html
    names = [*Office.objects.values_list("name", flat=True)]
    names += Role.objects.values_list("name", flat=True)
    names += Term.objects.values_list("term", flat=True)
    for record in [*Office.objects.all(), *Role.objects.all()]:
        plain, spans = unlinked(record.body_html)
        for start, end, _ in spans:
            assert not inside_a_longer_phrase(plain, (start, end), names), (
                record,
                plain[start:end],
            )


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
def test_naming_or_removing_a_role_relinks_the_terms_inside_its_name():
    make_term("労務", "labor-management")
    office = OfficeFactory(body="給与計算は人事・労務が担当します。")
    assert 'href="/glossary/#labor-management"' in office.body_html  # no such role yet

    role = RoleFactory(office=office, name="人事・労務")
    office.refresh_from_db()
    assert "<a " not in office.body_html

    role.delete()
    office.refresh_from_db()
    assert 'href="/glossary/#labor-management"' in office.body_html


@pytest.mark.django_db
def test_a_new_body_links_existing_terms_when_saved():
    make_term("社会保険", "social-insurance")

    role = RoleFactory(body="社会保険の手続きをします。")

    assert role.body_html == (
        '<p><a href="/glossary/#social-insurance">社会保険</a>の手続きをします。</p>'
    )


class LinkParser(HTMLParser):
    """(href, text) of every <a> on a page."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.links, self._open = [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = [dict(attrs).get("href", ""), ""]

    def handle_data(self, data):
        if self._open:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            self.links.append(tuple(self._open))
            self._open = None


def test_every_glossary_link_on_the_site_lands_on_its_term(client, real_content):
    glossary = client.get(reverse("careers:glossary")).content.decode()
    anchors = set(re.findall(r'<dt id="([^"]+)"', glossary))
    assert anchors == {term.get_absolute_url().split("#")[1] for term in Term.objects.all()}
    assert unescape(glossary).count("<h1") == 1
    term_urls = {term.term: term.get_absolute_url() for term in Term.objects.all()}
    paths = ["/", "/compare/", "/glossary/", "/diagnosis/", "/consultation/", "/privacy/"]
    paths += [record.get_absolute_url() for record in [*Office.objects.all(), *Role.objects.all()]]

    wrong = []
    for path in paths:
        for href, text in LinkParser(client.get(path).content.decode()).links:
            if not href.startswith("/glossary/"):
                continue
            fragment = href.partition("#")[2]
            if (fragment and fragment not in anchors) or term_urls.get(text, href) != href:
                wrong.append((path, text, href))
    assert not wrong
