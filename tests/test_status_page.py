"""The reader's status page: the link, what it shows, and what the reader may do."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from careers import services_reader, status_links
from careers.models import AccessLog, ConsultationRequest, EmailDelivery, RequestEvent
from tests.factories import ConsultationRequestFactory

LOOKUP = "/consultation/status/"


@pytest.fixture
def request_(db):
    return ConsultationRequestFactory(
        name="山田 花子",
        furigana="やまだ はなこ",
        email="Hanako@Example.com",
        phone="09012345678",
        message="経理に興味があります。",
        contact_method="phone",
        contact_time="weekday_evening",
    )


def page_url(token, action=""):
    return f"/consultation/status/{token}/" + (f"{action}/" if action else "")


# --- The link ----------------------------------------------------------------------


def test_a_token_names_nothing_and_opens_only_its_own_request(request_):
    token = status_links.issue(request_)
    other = ConsultationRequestFactory()
    other_token = status_links.issue(other)
    assert request_.reference not in token and request_.reference.replace("-", "") not in token
    assert "hanako" not in token.lower() and str(request_.pk) != token.split(":")[0]
    assert status_links.resolve(token) == request_
    assert status_links.resolve(other_token) == other
    # Only the hash is stored: the key itself opens nothing from the database.
    assert request_.status_key_hash and request_.status_key_hash not in token


def test_a_forged_expired_replaced_or_other_purpose_token_opens_nothing(request_, settings):
    token = status_links.issue(request_)
    key = signing.TimestampSigner(salt=status_links.SALT).unsign(token)
    assert status_links.resolve(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    # The same key signed for another purpose (e.g. a preview share link) is refused.
    assert status_links.resolve(signing.TimestampSigner(salt="preview").sign(key)) is None
    settings.CONSULTATION_STATUS_LINK_DAYS = 30
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert status_links.resolve(token) is None
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert status_links.resolve(token) == request_
    fresh = status_links.issue(request_)
    assert status_links.resolve(token) is None and status_links.resolve(fresh) == request_


def test_a_wrong_or_expired_link_answers_404_with_nothing_personal(client, request_):
    token = status_links.issue(request_)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = client.get(page_url(token))
    assert response.status_code == 404
    html = response.content.decode()
    assert "山田" not in html and request_.reference not in html
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert client.get(page_url("nonsense")).status_code == 404


# --- The page ----------------------------------------------------------------------


def test_the_page_shows_reference_status_agent_and_preferences(client, request_, agent):
    agent.first_name = "佐藤 一郎"
    agent.save()
    request_.assignee = agent
    request_.save()
    token = status_links.issue(request_)
    response = client.get(page_url(token))
    html = response.content.decode()
    assert response.status_code == 200
    assert request_.reference in html
    assert '<li class="steps__done" aria-current="step">担当者が決まりました' in html
    assert "佐藤 一郎" in html
    assert "電話も可" in html and "平日の夜（18〜21時）" in html
    assert "山田" not in html and "09012345678" not in html  # the page needs neither
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert token not in html.split("<body")[0]  # canonical and og:url name no token
    log = AccessLog.objects.get()
    assert (log.user, log.by_reader, log.action, log.request) == (None, True, "view", request_)


def test_changing_preferences_is_confirmed_then_recorded_as_done_by_the_reader(client, request_):
    token = status_links.issue(request_)
    data = {"contact_method": "email", "contact_time": "", "phone_unwanted": "on"}
    confirm = client.post(page_url(token, "preferences"), data)
    assert confirm.status_code == 200
    assert "この内容で変更する" in confirm.content.decode()
    request_.refresh_from_db()
    assert request_.contact_method == "phone"  # nothing changed before the confirmation

    done = client.post(page_url(token, "preferences"), {**data, "confirm": "1"})
    assert done.status_code == 302 and done["Location"].endswith("?done=preferences")
    request_.refresh_from_db()
    assert (request_.contact_method, request_.contact_time, request_.phone_unwanted) == (
        "email",
        "",
        True,
    )
    event = RequestEvent.objects.get(kind="preferences")
    assert event.by_reader and event.actor is None
    assert "連絡の希望を変更しました。" in client.get(done["Location"]).content.decode()


def test_an_invalid_preference_is_shown_on_the_page(client, request_):
    token = status_links.issue(request_)
    response = client.post(page_url(token, "preferences"), {"contact_method": "fax"})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()


def test_withdrawing_closes_the_request_for_the_agents_at_once(client, request_):
    token = status_links.issue(request_)
    assert "取り下げる" in client.post(page_url(token, "withdraw")).content.decode()
    assert ConsultationRequest.objects.get().status == "new"
    client.post(page_url(token, "withdraw"), {"confirm": "1"})
    request_.refresh_from_db()
    assert (request_.status, request_.close_reason) == ("closed", "withdrawn")
    kinds = list(RequestEvent.objects.values_list("kind", "by_reader"))
    assert kinds == [("withdrawn", True), ("status", True)]
    assert "本人の希望で終了" in client.get(page_url(token)).content.decode()


def test_the_actions_need_post_and_csrf(request_):
    from django.test import Client

    token = status_links.issue(request_)
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(page_url(token, "withdraw")).status_code == 405
    assert strict.post(page_url(token, "withdraw"), {"confirm": "1"}).status_code == 403
    request_.refresh_from_db()
    assert request_.status == "new"


def test_rate_limited(client, request_, settings):
    settings.CONSULTATION_STATUS_RATE_LIMIT = 2
    token = status_links.issue(request_)
    assert [client.get(page_url(token)).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(page_url("whatever")).status_code == 429  # guessing counts too


# --- Lost link ---------------------------------------------------------------------


@pytest.mark.parametrize("reference_as_typed", ["exact", "no hyphen, lower case"])
def test_lost_link_answers_the_same_and_sends_only_on_a_match(client, request_, reference_as_typed):
    reference = request_.reference
    if reference_as_typed != "exact":
        reference = reference.replace("-", "").lower()
    match = client.post(LOOKUP, {"email": "hanako@example.com", "reference": reference})
    wrong = client.post(LOOKUP, {"email": "someone@example.com", "reference": reference})
    assert match.status_code == wrong.status_code == 200
    assert match.content == wrong.content  # nothing tells whether it matched
    assert list(EmailDelivery.objects.values_list("kind", flat=True)) == ["status_link"]


def test_lost_link_form_has_its_own_rate_limit(client, request_, settings):
    settings.CONSULTATION_STATUS_LOOKUP_RATE_LIMIT = 1
    data = {"email": "hanako@example.com", "reference": request_.reference}
    assert client.post(LOOKUP, data).status_code == 200
    assert client.post(LOOKUP, data).status_code == 429
    assert EmailDelivery.objects.count() == 1
    # The status page's own bucket is untouched.
    assert client.get(page_url(status_links.issue(request_))).status_code == 200


def test_an_erased_request_gets_no_link(request_):
    services_reader.erase_personal_data(consultation=request_)
    assert not services_reader.send_fresh_link(
        email="hanako@example.com", reference=request_.reference
    )
