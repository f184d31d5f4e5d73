"""/compare/: the three offices side by side, accessible and within its query budget."""

import re
from html import unescape

import pytest

from careers.models import Office
from tests.factories import OfficeFactory, RoleFactory

CRITERIA = [
    "売上との関わり",
    "お客さんとの接点",
    "求められる専門性",
    "成果の見えやすさ",
    "働き方（残業・休日）の傾向",
    "未経験からの入りやすさ",
    "代表的な職種",
]


def table(html):
    match = re.search(r"<table.*?</table>", html, re.S)
    assert match
    return match.group(0)


def test_table_has_caption_office_columns_and_criteria_rows(client, real_content):
    response = client.get("/compare/")

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert html.count("<h1") == 1
    markup = table(html)
    caption = re.search(r'<caption id="([^"]+)">(.*?)</caption>', markup)
    assert caption and caption.group(2) == "3つの部門の比較表"
    columns = re.findall(
        r'<th scope="col" class="identity--[a-z]+"><svg class="icon"[^>]*>.*?</svg>'
        r'<a href="([^"]+)">([^<]+)</a>',
        markup,
    )
    assert columns == [
        ("/offices/front/", "フロントオフィス"),
        ("/offices/middle/", "ミドルオフィス"),
        ("/offices/back/", "バックオフィス"),
    ]
    assert re.findall(r'<th scope="row">([^<]+)</th>', markup) == CRITERIA
    # The scrolling wrapper is a named, focusable region: keyboard users can scroll it.
    region = re.search(r'<div class="table-scroll"([^>]*)>', html).group(1)
    assert 'role="region"' in region and 'tabindex="0"' in region
    assert f'aria-labelledby="{caption.group(1)}"' in region
    # The scroll hint comes before the table and describes its region.
    hint = re.search(r'<p class="meta table-scroll__hint" id="([^"]+)">', html)
    assert hint and hint.start() < html.index('<div class="table-scroll"')
    assert f'aria-describedby="{hint.group(1)}"' in region


def test_cells_hold_each_offices_comparison_values(client, real_content):
    markup = table(unescape(client.get("/compare/").content.decode()))
    rows = re.findall(r"<tr>(.*?)</tr>", markup, re.S)[1:]  # after the header row

    offices = list(Office.objects.published())
    keys = ["revenue", "customer_contact", "expertise", "visibility", "workstyle", "entry"]
    for row, key in zip(rows, keys, strict=False):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        assert cells == [office.comparison[key] for office in offices], key


def test_roles_row_links_every_published_role(client, real_content):
    RoleFactory(
        office=Office.objects.get(slug="back"), slug="draft", name="下書き", published=False
    )

    markup = table(client.get("/compare/").content.decode())
    roles_row = re.findall(r"<tr>(.*?)</tr>", markup, re.S)[-1]

    links = re.findall(r'<a href="(/offices/[^"]+/[^"]+/)">', roles_row)
    assert len(links) == 9
    assert "/offices/back/draft/" not in links


@pytest.mark.parametrize("path", ["/", "/offices/front/", "/offices/middle/", "/offices/back/"])
def test_compare_is_linked_from_home_and_every_office(client, real_content, path):
    assert 'href="/compare/"' in client.get(path).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("offices, roles", [(1, 1), (3, 10)])
def test_compare_takes_two_queries_whatever_the_rows(
    client, django_assert_num_queries, offices, roles
):
    for o in range(offices):
        office = OfficeFactory(comparison={"revenue": f"売上{o}"})
        for _ in range(roles):
            RoleFactory(office=office)

    with django_assert_num_queries(1 + 2):  # the content revision, offices, roles
        response = client.get("/compare/")

    html = response.content.decode()
    assert html.count('<th scope="col" class="identity--') == offices
    assert html.count("—") >= offices * 5  # values an office has not written yet


def test_no_offices_no_table(client, db):
    html = client.get("/compare/").content.decode()
    assert "<table" not in html
    assert "比較できる部門はまだありません。" in html
