"""The consultation form page from the page cache: fresh tokens, right preselection."""

import re
import uuid
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careers.models import ConsultationRequest
from tests.factories import OfficeFactory, RoleFactory

pytestmark = pytest.mark.django_db
FORM_URL = "/consultation/"


@pytest.fixture
def roles():
    middle = OfficeFactory(slug="middle", name="ミドルオフィス")
    RoleFactory(office=middle, slug="risk-management", name="リスク管理")
    RoleFactory(office=middle, slug="legal-compliance", name="法務")


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def checked(html):
    return re.findall(r'name="interests" value="([^"]+)"[^>]*checked', html)


def page_entries():
    return {key for key in cache._cache if ":page:" in key}  # LocMemCache's own store


def test_a_cached_form_page_has_fresh_tokens_that_work(client, roles):
    first = client.get(FORM_URL)
    second = client.get(FORM_URL)
    assert second.context is None  # no template rendered: served from the cache
    html = [first.content.decode(), second.content.decode()]
    assert hidden(html[0], "token") != hidden(html[1], "token")
    assert hidden(html[0], "csrfmiddlewaretoken") != hidden(html[1], "csrfmiddlewaretoken")
    assert "\x00" not in html[1]
    uuid.UUID(hidden(html[1], "token"))
    assert second.cookies["csrftoken"]
    assert "no-store" in second["Cache-Control"]

    data = {
        "csrfmiddlewaretoken": hidden(html[1], "csrfmiddlewaretoken"),
        "token": hidden(html[1], "token"),
        "name": "山田 花子",
        "furigana": "やまだ はなこ",
        "email": "hanako@example.com",
        "phone": "090-1234-5678",
        "consent": "on",
        "step": "send",  # the confirmation page's 送信する
    }
    client.handler.enforce_csrf_checks = True
    assert client.post(FORM_URL, data).status_code == 302
    assert ConsultationRequest.objects.get().submission_token == uuid.UUID(data["token"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"role": "middle/risk-management"}, ["middle/risk-management"]),
        (
            {"from": "diagnosis", "result": "middle/legal-compliance,middle"},
            ["middle", "middle/legal-compliance"],
        ),
        ({}, []),
    ],
)
def test_the_preselection_survives_the_cache(client, roles, query, expected):
    first = client.get(FORM_URL, query).content.decode()
    second = client.get(FORM_URL, query)
    assert second.context is None
    assert sorted(checked(second.content.decode())) == sorted(expected) == sorted(checked(first))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    role=st.text(max_size=20),
    result=st.lists(st.sampled_from(["middle", "middle/risk-management", "x/y", "", "é"])),
)
def test_made_up_parameters_add_no_cache_entries(client, roles, role, result):
    client.get(FORM_URL)
    client.get(FORM_URL, {"role": "middle/risk-management"})
    before = page_entries()
    for query in ({"role": role + "?"}, {"from": "diagnosis", "result": ",".join(result) + ",,"}):
        response = client.get(f"{FORM_URL}?{urlencode(query)}")
        assert response.status_code == 200
    assert page_entries() == before
