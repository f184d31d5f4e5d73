"""What readers type into the consultation form: normalised, honestly refused, never a 5xx
(issue 12, items 1–8). Generated inputs over every field: test_consultation_properties.py."""

import logging
import re

import pytest
from django.db import DataError, IntegrityError
from django.test import Client

from careers.models import ConsultationRequest
from tests.test_consultation import FORM_URL, valid_data


def stored(client, **fields) -> ConsultationRequest:
    response = client.post(FORM_URL, valid_data(**fields))
    assert response.status_code == 302, response.context["form"].errors
    return ConsultationRequest.objects.latest("received_at")


def refused(client, field, value) -> list[str]:
    """The field's errors when `value` is sent in it (and nothing was stored)."""
    before = ConsultationRequest.objects.count()
    response = client.post(FORM_URL, valid_data(**{field: value}))
    assert response.status_code == 200
    assert ConsultationRequest.objects.count() == before
    errors = response.context["form"].errors
    assert list(errors) == [field]
    return errors[field]


# --- 1. Full-width email ---------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("hina.aoki@ｅｘａｍｐｌｅ.com", "hina.aoki@example.com"),
        ("ｈｉｎａ．ａｏｋｉ＠ｅｘａｍｐｌｅ．ｃｏｍ", "hina.aoki@example.com"),
        ("Hina.Aoki＠Example.COM", "Hina.Aoki@Example.COM"),
    ],
)
def test_full_width_email_is_stored_half_width_and_matches_duplicates(
    client, middle_and_back_roles, typed, expected
):
    first = stored(client, email="hina.aoki@example.com")
    second = stored(client, email=typed)
    assert second.email == expected
    assert second.email_normalized == "hina.aoki@example.com"
    assert list(ConsultationRequest.objects.possible_duplicates_of(second)) == [first]


# --- 2. Length after normalisation; only a lost connection is an outage ----------
@pytest.mark.parametrize(("field", "value"), [("name", "㍿" * 30), ("furigana", "㌀" * 30)])
def test_value_too_long_once_normalised_is_the_fields_error(
    client, middle_and_back_roles, caplog, field, value
):
    with caplog.at_level(logging.INFO):
        [error] = refused(client, field, value)
    assert "100文字以内" in error and "120文字" in error
    assert "unavailable" not in caplog.text


@pytest.mark.parametrize("error", [DataError, IntegrityError])
def test_a_database_bug_is_a_500_not_an_outage(middle_and_back_roles, monkeypatch, caplog, error):
    def broken(**kwargs):
        raise error("value too long for type character varying(100)")

    monkeypatch.setattr("careers.services.submit_consultation", broken)
    with caplog.at_level(logging.INFO):
        response = Client(raise_request_exception=False).post(FORM_URL, valid_data())
    assert response.status_code == 500
    assert "受け付けられていません" not in response.content.decode()
    assert "unavailable" not in caplog.text


# --- 3. Invisible characters ------------------------------------------------------
@pytest.mark.parametrize("field", ["name", "furigana"])
@pytest.mark.parametrize("invisible", ["\u200b", "\u200e\u200f", "\ufeff \u2060", "\x00"])
def test_a_name_of_invisible_characters_is_blank(client, middle_and_back_roles, field, invisible):
    assert refused(client, field, invisible) == [
        {"name": "氏名を入力してください。", "furigana": "ふりがなを入力してください。"}[field]
    ]


def test_a_message_of_invisible_characters_is_refused(client, middle_and_back_roles):
    [error] = refused(client, "message", "\u200b\r\n\u200e")
    assert "見える文字" in error


def test_invisible_characters_are_removed_from_every_text_field(client, middle_and_back_roles):
    request = stored(
        client,
        name="山田\u200b花子",
        furigana="\ufeffやまだ\u200dはなこ",
        email="hanako\u200b@example.com",
        phone="090\u20601234\u200e5678",
        message="相談\u200bしたい\u202eです",
    )
    assert (request.name, request.furigana) == ("山田花子", "やまだはなこ")
    assert (request.email, request.phone) == ("hanako@example.com", "09012345678")
    assert request.message == "相談したいです"


def test_the_inbox_finds_a_name_however_it_is_typed(superuser, middle_and_back_roles):
    stored(Client(), name="山田\u200b花子")
    client = Client()
    client.force_login(superuser)
    for search in ("山田花子", "山田\u200b花子", "山田\u200e花子"):
        page = client.get("/admin/careers/consultationrequest/", {"q": search})
        assert page.context["cl"].result_count == 1, search


# --- 4 and 7. Phone numbers --------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "expected"),
    [("+81 090-1234-5678", "09012345678"), ("+81 3-1234-5678", "0312345678")],
)
def test_international_format_drops_the_trunk_zero(client, middle_and_back_roles, typed, expected):
    assert stored(client, phone=typed).phone == expected


@pytest.mark.parametrize("typed", ["080-4567-123", "090-1234-567", "03-123-456", "0120-12-345"])
def test_impossible_number_is_refused_saying_so(client, middle_and_back_roles, typed):
    [error] = refused(client, "phone", typed)
    assert error.startswith("この電話番号は存在しない番号です。")
    assert "11桁" in error


# --- 5. Katakana names ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "expected"),
    [("スミス・ジョン", "すみす・じょん"), ("ｼﾞｬﾝ=ﾎﾟｰﾙ", "じゃん＝ぽーる")],
)
def test_foreign_name_in_katakana_is_accepted(client, middle_and_back_roles, typed, expected):
    assert stored(client, furigana=typed).furigana == expected


# --- 6. The browser's limits are the server's ------------------------------------
def test_message_the_browser_allows_is_accepted(client, middle_and_back_roles):
    """20 lines, 2000 characters as Chromium counts them (a line break is one)."""
    lines = ["あ" * 99] * 19 + ["あ" * (2000 - 19 * 100)]
    typed = "\n".join(lines)
    assert len(typed) == 2000
    request = stored(client, message=typed.replace("\n", "\r\n"))
    assert request.message == typed


def test_every_maxlength_on_the_page_is_what_the_server_counts(client, middle_and_back_roles):
    html = client.get(FORM_URL).content.decode()
    limits = dict(re.findall(r'name="(\w+)"[^>]*maxlength="(\d+)"', html))
    assert {"name", "furigana", "email", "phone", "message"} <= set(limits)
    full = {
        "name": "山" * int(limits["name"]),
        "furigana": "や" * int(limits["furigana"]),
        "email": "a" * (int(limits["email"]) - len("@example.com")) + "@example.com",
        "phone": "+81 (90) 1234 - 5678".ljust(int(limits["phone"])),
        "message": "\r\n".join(["あ" * 9] * (int(limits["message"]) // 10)),
    }
    for field, value in full.items():
        response = client.post(FORM_URL, valid_data(**{field: value}))
        assert response.status_code == 302, (field, response.context["form"].errors)
    assert ConsultationRequest.objects.count() == len(full)


# --- 8. The rate limit keeps the form ----------------------------------------------
def test_rate_limited_submission_keeps_the_input_and_says_how_long(
    client, middle_and_back_roles, settings
):
    settings.CONSULTATION_RATE_LIMIT = 1
    settings.CONSULTATION_RATE_WINDOW_SECONDS = 600
    stored(client)
    data = valid_data(name="二回目 太郎", message="もう一度\r\n送ります")
    response = client.post(FORM_URL, data)
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "10分ほど時間をおいてから" in html
    assert 'value="二回目 太郎"' in html
    assert re.search(r">\s*もう一度\r?\n送ります</textarea>", html)
    assert f'name="token" value="{data["token"]}"' in html
    assert re.search(r'value="middle/risk-management"[^>]* checked', html)
    assert re.search(r'name="consent"[^>]* checked', html)
    assert "入力内容に" not in html  # not checked: nothing to correct yet
    assert ConsultationRequest.objects.count() == 1
