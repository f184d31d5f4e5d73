"""HTTP caching: public guide pages with ETags and free 304s; everything else private."""

import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careers.models import DiagnosisQuestion

pytestmark = pytest.mark.django_db

GUIDE_PAGES = [
    "/",
    "/offices/middle/",
    "/offices/middle/risk-management/",
    "/compare/",
    "/glossary/",
    "/diagnosis/",
    "/privacy/",
    "/terms/",
    "/about/",
    "/career-map/",
]


def complete_answers():
    """The first answer of every real question, as a query string."""
    return urlencode({q.slug: q.answers.all()[0].slug for q in DiagnosisQuestion.objects.all()})


def assert_public(response, settings):
    assert response.status_code == 200
    cache_control = {
        part.strip() for part in response["Cache-Control"].split(",")
    }  # order is Django's
    assert cache_control == {
        "public",
        f"max-age={settings.HTTP_CACHE_MAX_AGE}",
        f"s-maxage={settings.HTTP_CACHE_SHARED_MAX_AGE}",
        f"stale-while-revalidate={settings.HTTP_CACHE_STALE_WHILE_REVALIDATE}",
        f"stale-if-error={settings.HTTP_CACHE_STALE_IF_ERROR}",
    }
    assert re.fullmatch(r'"[0-9a-f]{24}"', response["ETag"])
    assert "Last-Modified" in response
    assert not response.cookies
    assert "Set-Cookie" not in response
    vary = response.get("Vary", "").lower()
    assert "cookie" not in vary
    assert "accept-language" not in vary


def assert_private(response):
    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control
    assert "public" not in cache_control


@pytest.mark.parametrize("path", GUIDE_PAGES)
def test_guide_pages_are_public_with_an_etag_whether_rendered_or_cached(
    client, real_content, settings, path
):
    rendered = client.get(path)
    assert_public(rendered, settings)
    cached = client.get(path)
    assert_public(cached, settings)
    assert cached["ETag"] == rendered["ETag"]
    assert cached["Last-Modified"] == rendered["Last-Modified"]


def test_a_complete_diagnosis_result_is_public(client, real_content, settings):
    assert_public(client.get(f"/diagnosis/result/?{complete_answers()}"), settings)


@pytest.mark.parametrize("path", GUIDE_PAGES)
def test_a_matching_etag_is_answered_304_without_sql(
    client, real_content, django_assert_num_queries, settings, path
):
    tag = client.get(path)["ETag"]
    for sent in (tag, f"W/{tag}", f'"other", {tag}'):
        with django_assert_num_queries(0):
            response = client.get(path, headers={"If-None-Match": sent})
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == tag
        assert "public" in response["Cache-Control"]
        assert f"s-maxage={settings.HTTP_CACHE_SHARED_MAX_AGE}" in response["Cache-Control"]


def test_a_content_change_changes_the_etag(
    client, real_content, django_capture_on_commit_callbacks
):
    tag = client.get("/glossary/")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        DiagnosisQuestion.objects.first().save()
    response = client.get("/glossary/", headers={"If-None-Match": tag})
    assert response.status_code == 200
    assert response["ETag"] != tag


def test_a_new_release_changes_the_etag(client, real_content, settings):
    tag = client.get("/privacy/")["ETag"]
    settings.RELEASE = "next"
    assert client.get("/privacy/", headers={"If-None-Match": tag}).status_code == 200


def test_the_form_and_its_rerender_and_the_thanks_page_are_private(client, real_content):
    assert_private(client.get("/consultation/"))
    assert_private(client.get("/consultation/?role=middle/risk-management"))
    rerendered = client.post("/consultation/", {"name": "山田 花子", "email": "x"})
    assert rerendered.status_code == 200
    assert "山田 花子" in rerendered.content.decode()
    assert_private(rerendered)
    assert_private(client.get("/consultation/thanks/"))
    assert_private(client.get("/consultation/status/"))  # the reader's own request


def test_admin_pages_are_private(admin_client):
    assert_private(admin_client.get("/admin/"))
    assert_private(admin_client.get("/admin/careers/consultationrequest/"))
    assert_private(Client().get("/admin/login/"))


def test_the_admin_stays_japanese_without_locale_middleware(client, db):
    response = Client().get("/admin/login/", headers={"Accept-Language": "en-US,en"})
    html = response.content.decode()
    assert '<html lang="ja"' in html
    assert "ログイン" in html
    assert "Accept-Language" not in response.get("Vary", "")


def test_pages_without_an_explicit_policy_are_private(client, db):
    # A page nobody marked public (here the 404) is never stored by a cache.
    assert_private(client.get("/no-such-page/"))


def test_an_incomplete_diagnosis_is_private(client, real_content):
    assert_private(client.get("/diagnosis/result/?nothing=here"))


def test_a_public_page_that_sets_a_cookie_is_made_private(rf):
    from django.http import HttpResponse

    from careers.caching import make_public
    from guide.middleware import CacheControlMiddleware

    def view(request):
        response = HttpResponse("x")
        make_public(response, tag='"t"')
        response.set_cookie("visitor", "1")
        return response

    assert_private(CacheControlMiddleware(view)(rf.get("/")))


# --- The diagnosis cache (issue 12 #19) ----------------------------------------------
def page_entries():
    return {key for key in cache._cache if ":page:" in key}  # LocMemCache's own store


def test_only_complete_valid_answer_sets_are_cached_under_one_canonical_key(client, real_content):
    answers = complete_answers()
    client.get(f"/diagnosis/result/?{answers}")
    entries = page_entries()
    reordered = "&".join(reversed(answers.split("&")))
    for variant in (f"{answers}&utm_source=x", reordered, f"x=1&{answers}&y=2"):
        assert client.get(f"/diagnosis/result/?{variant}").status_code == 200
    assert page_entries() == entries


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(params=st.dictionaries(st.text(min_size=1, max_size=12), st.text(max_size=12), max_size=6))
def test_made_up_query_strings_add_no_cache_entries(client, real_content, params):
    client.get("/diagnosis/")
    before = page_entries()
    question = DiagnosisQuestion.objects.first()
    # Made-up parameters, and a real question with a made-up answer.
    for query in (urlencode(params), urlencode({**params, question.slug: "no-such-answer"})):
        for path in ("/diagnosis/", "/diagnosis/result/"):
            assert client.get(f"{path}?{query}").status_code == 200
    assert page_entries() == before
