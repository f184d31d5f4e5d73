"""What readers see of the deeper guide: role pages, the offices at a glance, the
career map, roles side by side, the 適職診断's current work, print and the first screen."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from careers.models import Office, Role
from careers.role_comparison import MAX_ROLES, MIN_ROLES, select_roles
from tests.content_keys import ROLE_KEYS
from tests.test_diagnosis import RESULT_URL, STEADY_NUMBERS, checked_interests


def section(html, pattern):
    match = re.search(pattern, html, re.S)
    assert match, pattern
    return match.group(0)


# --- Role pages -------------------------------------------------------------------------------


def test_a_role_page_has_its_day_entry_routes_qualifications_figures_map_and_faq(
    client, real_content
):
    html = unescape(client.get("/offices/back/accounting-finance/").content.decode())

    headings = re.findall(r'<h2 id="[^"]+">([^<]+)</h2>', html)
    for heading in (
        "1日の流れ（例）",
        "未経験からの入り方",
        "役立つ資格",
        "数字で見る",
        "キャリアマップ",
        "よくある質問",
    ):
        assert heading in headings, heading
    day = section(html, r'<ol class="timeline">.*?</ol>')
    assert '<li><time datetime="09:00">9:00</time><span>' in day
    qualifications = section(html, r'<dl class="qualifications">.*?</dl>')
    assert "<dt>日商簿記検定</dt>" in qualifications
    assert "実施: 日本商工会議所・各地の商工会議所" in qualifications
    # A figure: the number, then beside it its source (linked) and its date.
    figure = section(html, r'<ul class="figures">.*?</ul>')
    assert re.search(
        r'<span class="figure__value">42\.4%</span><span class="figure__source">出典: '
        r'<a href="https://www\.u-can\.co\.jp/[^"]+" rel="external noopener">[^<]+</a>'
        r"（2025年6月8日時点）</span>",
        figure,
    )
    career = section(html, r'<section aria-labelledby="map-title">.*?</section>')
    assert '<a href="/offices/middle/risk-management/">リスク管理</a>' in career
    assert "<li>経営企画</li>" in career
    assert '<a href="/career-map/">' in career


def test_a_role_links_its_next_roles_and_neighbours_both_ways(client, real_content):
    sales = unescape(client.get("/offices/front/sales/").content.decode())
    affairs = unescape(client.get("/offices/back/general-affairs/").content.decode())
    hr = unescape(client.get("/offices/back/hr-labor/").content.decode())

    next_roles = section(sales, r"<h3>次に進む道</h3>.*?</ul>")
    assert '<a href="/offices/middle/sales-planning/">営業企画</a>' in next_roles
    # 総務 names 人事・労務 as related; the link shows on both pages.
    assert '<a href="/offices/back/hr-labor/">人事・労務</a>' in section(
        affairs, r"<h3>スキルが近い職種</h3>.*?</ul>"
    )
    assert '<a href="/offices/back/general-affairs/">総務</a>' in section(
        hr, r"<h3>スキルが近い職種</h3>.*?</ul>"
    )


# --- The offices at a glance -----------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/compare/"])
def test_the_offices_diagram_is_an_image_with_words_and_no_inline_style(client, real_content, url):
    html = unescape(client.get(url).content.decode())

    figure = section(html, r'<figure class="office-diagram">.*?</figure>')
    svgs = re.findall(
        r'<svg class="diagram diagram--(wide|tall)"[^>]*role="img" aria-labelledby="([^"]+)"',
        figure,
    )
    assert [name for name, _ in svgs] == ["wide", "tall"]
    for _, labelled_by in svgs:
        for ident in labelled_by.split():
            assert f'id="{ident}"' in figure
    desc = re.search(r"<desc [^>]*>(.*?)</desc>", figure).group(1)
    for office, catchphrase in (
        ("フロントオフィス", "攻め"),
        ("ミドルオフィス", "中間"),
        ("バックオフィス", "守り"),
    ):
        assert f"{office}（会社の「{catchphrase}」）" in desc
    for name in ("営業", "法務・コンプライアンス", "情報システム"):
        assert name in desc
    assert "商品やサービスを届け、売上を受け取る" in desc
    assert "style=" not in figure and "<script" not in figure


def test_an_editor_s_change_shows_in_the_diagram(client, real_content):
    Role.objects.filter(slug="sales").update(name="法人営業")
    Office.objects.filter(slug="middle").update(catchphrase="支え")
    Role.objects.first().save()  # any save bumps the content revision (the page cache)

    figure = section(
        unescape(client.get("/").content.decode()), r'<figure class="office-diagram">.*?</figure>'
    )

    assert ">法人営業</text>" in figure
    assert "ミドルオフィス「支え」" in figure


# --- The career map page ---------------------------------------------------------------------


def test_career_map_lists_every_role_with_its_paths_and_is_linked_from_every_page(
    client, real_content
):
    html = unescape(client.get("/career-map/").content.decode())

    listed = re.findall(r'<h3 class="office-heading">.*?<a href="/offices/([^"]+)/">', html)
    assert listed == ROLE_KEYS
    assert 'role="img" aria-labelledby="map-svg-title map-svg-desc"' in html
    desc = re.search(r'<desc id="map-svg-desc">(.*?)</desc>', html).group(1)
    assert "営業から営業企画へ" in desc and "人事・労務と総務" in desc
    assert html.count('class="diagram__link"') >= 5  # arrows of next roles
    assert 'class="diagram__link diagram__link--related"' in html
    footer = section(unescape(client.get("/privacy/").content.decode()), r"<footer.*?</footer>")
    assert '<a href="/career-map/">キャリアマップ</a>' in footer


# --- Roles side by side ----------------------------------------------------------------------

SALES_HR = "/compare/roles/?roles=front%2Fsales&roles=back%2Fhr-labor"


def test_two_chosen_roles_show_side_by_side_with_the_form_ticked(client, real_content):
    response = client.get(SALES_HR)

    assert response.status_code == 200
    html = unescape(response.content.decode())
    table = section(html, r"<table.*?</table>")
    columns = re.findall(r'<th scope="col"[^>]*>.*?<a href="([^"]+)">', table)
    assert columns == ["/offices/front/sales/", "/offices/back/hr-labor/"]
    rows = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert rows == ["仕事内容", "向いている人", "役立つ資格", "未経験からの入り方"]
    assert "<li>社会保険労務士</li>" in table
    ticked = re.findall(r'name="roles" value="([^"]+)" checked', html)
    assert ticked == ["front/sales", "back/hr-labor"]
    assert '<form method="get" action="/compare/roles/"' in html


@pytest.mark.parametrize(
    "query, location",
    [
        ("roles=back/hr-labor&roles=front/sales", SALES_HR),  # reversed, unencoded
        ("roles=front%2Fsales&roles=back%2Fhr-labor&roles=front%2Fsales", SALES_HR),  # twice
        ("roles=front%2Fsales&roles=back%2Fhr-labor&utm_source=x", SALES_HR),
        ("utm_source=x", "/compare/roles/"),
    ],
    ids=["order", "duplicate", "extra parameter", "no roles"],
)
def test_other_spellings_of_a_choice_redirect_to_its_canonical_url(
    client, real_content, query, location
):
    response = client.get(f"/compare/roles/?{query}")

    assert response.status_code == 302
    assert response["Location"] == location


@pytest.mark.parametrize(
    "query, message",
    [
        ("roles=front%2Fsales", "比べる職種を2つ以上選んでください。"),
        (
            "roles=front%2Fsales&roles=front%2Fretail&roles=back%2Fhr-labor&roles=back%2Fit-systems",
            "一度に比べられるのは3つまでです。",
        ),
        ("roles=front%2Fsales&roles=nowhere%2Fx", "選べない職種が含まれています。"),
        ("roles=%00%ff&roles=", "選べない職種が含まれています。"),
    ],
    ids=["too few", "too many", "unknown", "garbage"],
)
def test_an_invalid_choice_answers_400_in_japanese_and_is_not_cached(
    client, real_content, django_assert_max_num_queries, query, message
):
    url = f"/compare/roles/?{query}"
    response = client.get(url)

    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert message in html and 'id="error-summary"' in html
    assert "<table" not in html
    with django_assert_max_num_queries(10) as queries:
        client.get(url)
    assert len(queries) > 1  # rendered again: not served from the page cache


def test_a_canonical_choice_is_served_from_the_page_cache(
    client, real_content, django_assert_num_queries
):
    first = client.get(SALES_HR)
    with django_assert_num_queries(0):  # the revision too comes from the cache
        assert client.get(SALES_HR).content == first.content


def test_each_role_page_links_to_a_valid_comparison(client, real_content):
    for key in ROLE_KEYS:
        html = unescape(client.get(f"/offices/{key}/").content.decode())
        link = re.search(r'<a href="(/compare/roles/\?[^"]+)">', html).group(1)
        assert key in parse_qs(urlsplit(link).query)["roles"]
        assert client.get(link).status_code == 200, link


SITE_ROLES = [
    Role(office=Office(slug=key.split("/")[0]), slug=key.split("/")[1]) for key in ROLE_KEYS
]


@given(st.lists(st.sampled_from([*ROLE_KEYS, "front", "x/y", "", "front/sales/"]), max_size=6))
def test_any_choice_is_either_a_canonical_selection_or_a_japanese_error(keys):
    query = QueryDict(mutable=True)
    query.setlist("roles", keys)

    selection = select_roles(query, SITE_ROLES)

    if not keys:
        assert (selection.roles, selection.error, selection.canonical_query) == ([], "", "")
    elif selection.error:
        assert selection.canonical_query is None
    else:
        chosen = [role.key for role in selection.roles]
        assert MIN_ROLES <= len(chosen) <= MAX_ROLES
        assert chosen == [key for key in ROLE_KEYS if key in keys]  # site order, once each
        assert parse_qs(selection.canonical_query)["roles"] == chosen


# --- 適職診断: current work, progress, score, breadcrumb ----------------------------------------


def test_current_work_is_shown_as_experience_and_never_preselected(client, real_content):
    # A retail worker whose answers point at 販売.
    answers = {**STEADY_NUMBERS, "current-work": "retail", "people-or-numbers": "people"}

    html = unescape(client.get(RESULT_URL, answers).content.decode())

    experience = section(html, r'<section class="experience".*?</section>')
    assert '<h2 id="experience-title">今の経験が活きる</h2>' in experience
    assert '<a href="/offices/front/sales/">営業</a>' in experience
    results = section(html, r'<ol class="results">.*?</ol>')
    assert "/offices/front/retail/" not in results
    link = re.search(r'<a class="button" href="([^"]+)">診断結果をもとに', html).group(1)
    assert "front/retail" not in link
    form = client.get(link).content.decode()
    assert "front/retail" not in checked_interests(form)
    assert checked_interests(form)  # the recommendations are


def test_scores_say_what_they_are_out_of_and_the_breadcrumb_leads_back(client, real_content):
    html = unescape(client.get(RESULT_URL, STEADY_NUMBERS).content.decode())

    out_of = re.findall(r"スコア <strong>(\d+)</strong>点<span [^>]*>（満点 (\d+)点）</span>", html)
    assert len(out_of) == 3
    assert all(0 < int(score) <= int(best) for score, best in out_of)
    assert "14問それぞれで選んだ回答がその職種に与える0〜3点の合計です" in html
    crumbs = section(html, r'<nav class="breadcrumbs.*?</nav>')
    assert re.findall(r"<li>(?:<a [^>]*>)?(?:<span [^>]*>)?([^<]+)", crumbs) == [
        "トップ",
        "適職診断",
        "結果",
    ]
    assert '<a href="/diagnosis/">適職診断</a>' in crumbs


# --- Print, first screen, header, consent -------------------------------------------------------


def test_print_styles_hide_the_navigation_on_a4(client, real_content):
    html = client.get("/offices/front/sales/").content.decode()
    css = client.get(re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1))
    text = b"".join(css.streaming_content).decode() if css.streaming else css.content.decode()

    assert "@page { size: A4;" in text
    print_rules = section(text, r"@media print \{.*?\n\}")
    assert ".site-header, .site-footer, .breadcrumbs" in print_rules


def test_home_offers_the_ways_forward_first_and_the_header_a_consultation_button(
    client, real_content
):
    html = client.get("/").content.decode()

    ways = section(html, r'<ul class="ways".*?</ul>')
    assert re.findall(r'href="([^"]+)"', ways) == ["/diagnosis/", "/compare/", "/consultation/"]
    assert html.index('<ul class="ways"') < html.index('<figure class="office-diagram">')
    assert '<li class="nav__cta"><a href="/consultation/">転職相談</a></li>' in html


def test_the_consent_box_and_its_label_share_one_row(client, real_content):
    html = client.get("/consultation/").content.decode()

    row = section(html, r'<div class="consent__row">.*?</div>')
    assert 'id="id_consent"' in row and '<label for="id_consent">' in row
