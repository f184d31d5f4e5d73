"""Who we are, wherever a reader decides to trust us: the footer of every page, 運営者情報
(/about/), 利用規約 (/terms/) and /privacy/, all from settings."""

import pytest
from django.urls import reverse

from guide import errors

OPERATOR = "株式会社テスト編集"
AGENCY = {
    "AGENCY_NAME": "株式会社テストキャリア",
    "AGENCY_LICENSE_NUMBER": "27-ユ-301234",
    "AGENCY_ADDRESS": "〒530-0001 大阪府大阪市北区梅田九丁目0番0号",
    "AGENCY_EMAIL": "soudan@test.example.co.jp",
}


@pytest.fixture
def who_we_are(settings):
    settings.SITE_OPERATOR = OPERATOR
    settings.CONTACT_EMAIL = "info@test.example.co.jp"
    for name, value in AGENCY.items():
        setattr(settings, name, value)


def footer(html):
    return html[html.index('<footer class="site-footer">') :]


def assert_names_the_agency(html):
    for value in AGENCY.values():
        assert value in html, value
    assert f'href="mailto:{AGENCY["AGENCY_EMAIL"]}"' in html
    assert "有料職業紹介事業" in html and "許可番号" in html


@pytest.mark.parametrize("name", ["home", "consultation", "privacy", "terms", "about"])
def test_every_page_footer_names_the_operator_agency_and_links_terms(client, db, who_we_are, name):
    html = footer(client.get(reverse(f"careers:{name}")).content.decode())
    assert f"運営: {OPERATOR}" in html
    assert_names_the_agency(html)
    for page in ("about", "terms", "privacy"):
        assert f'href="{reverse(f"careers:{page}")}"' in html


def test_error_pages_rendered_without_a_request_name_the_agency_too(rf, who_we_are):
    """The 503 page is rendered without a RequestContext (guide/errors.py)."""
    html = footer(errors.service_unavailable(rf.get("/")).content.decode())
    assert_names_the_agency(html)


def test_about_page_names_who_runs_the_site_and_who_answers_requests(client, db, who_we_are):
    response = client.get(reverse("careers:about"))
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "<h1>運営者情報</h1>" in main
    assert OPERATOR in main and 'href="mailto:info@test.example.co.jp"' in main
    assert_names_the_agency(main)
    assert "職業安定法第30条" in main  # why the licence matters, with its source


def test_terms_page_states_the_terms_in_our_words(client, db, who_we_are):
    html = client.get(reverse("careers:terms")).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "<h1>利用規約</h1>" in main
    assert OPERATOR in main and AGENCY["AGENCY_NAME"] in main
    assert AGENCY["AGENCY_LICENSE_NUMBER"] in main
    for subject in ("無料", "個人情報", "取り下げ", "準拠法"):
        assert subject in main
    assert f'href="{reverse("careers:privacy")}"' in main


def test_privacy_page_names_the_agency_that_receives_the_data(client, db, who_we_are):
    html = client.get(reverse("careers:privacy")).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert OPERATOR in main
    assert_names_the_agency(main)
