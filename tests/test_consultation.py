import logging
import re
import uuid
from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.business_days import TOKYO
from careers.consultation_flow import THANKS_COOKIE
from careers.models import ConsultationRequest, EmailDelivery
from tests.factories import OfficeFactory

FORM_URL = reverse("careers:consultation")
THANKS_URL = reverse("careers:consultation_thanks")


def valid_data(**overrides):
    data = {
        "name": "山田　花子",
        "furigana": "ヤマダ　ハナコ",
        "email": "Hanako.Yamada@Example.COM",
        "phone": "０９０－１２３４－５６７８",
        "birth_year": "1999",
        "prefecture": "東京都",
        "current_status": "employed",
        "interests": ["middle/risk-management", "back"],
        "timing": "3months",
        "contact_method": "email",
        "contact_time": "weekday_evening",
        "message": "未経験からリスク管理に挑戦できるか相談したいです。",
        "consent": "on",
        "website": "",
        "token": str(uuid.uuid4()),
        "source": "",
        # The confirmation page's 送信する (tests/test_consultation_confirm.py has the steps).
        "step": "send",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def writes(queries):
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_form_page_labels_every_field_and_makes_no_write(client, middle_and_back_roles):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(FORM_URL)
    assert response.status_code == 200
    assert writes(queries.captured_queries) == []
    html = response.content.decode()
    for field_id in ("id_name", "id_furigana", "id_email", "id_phone", "id_birth_year"):
        assert f'<label for="{field_id}">' in html
    assert 'type="email"' in html and 'autocomplete="email"' in html
    assert 'type="tel"' in html and 'inputmode="tel"' in html
    assert 'autocomplete="bday-year"' in html
    assert 'autocomplete="address-level1"' in html
    assert "利用目的" in html and f'href="{reverse("careers:privacy")}"' in html
    # Grouped interests from the database, one legend per office.
    assert "<legend>ミドルオフィス</legend>" in html
    assert 'value="middle/risk-management"' in html


def test_form_asks_nothing_the_employment_security_act_forbids(client, middle_and_back_roles):
    html = client.get(FORM_URL).content.decode()
    for forbidden in ("本籍", "出生地", "家族", "宗教", "信条", "労働組合", "支持政党"):
        assert forbidden not in html.split("<form")[1]


def test_form_page_makes_no_query_once_cached(
    client, middle_and_back_roles, django_assert_num_queries
):
    client.get(FORM_URL)
    with django_assert_num_queries(0):
        assert client.get(FORM_URL).status_code == 200


def test_form_page_shows_content_changes_at_once(
    client, middle_and_back_roles, django_capture_on_commit_callbacks
):
    client.get(FORM_URL)
    with django_capture_on_commit_callbacks(execute=True):
        middle_and_back_roles["risk"].name = "市場リスク管理"
        middle_and_back_roles["risk"].save()
    assert "市場リスク管理" in client.get(FORM_URL).content.decode()


def test_valid_post_stores_one_normalised_request_and_redirects(client, middle_and_back_roles):
    data = valid_data()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(FORM_URL, data)
    assert response.status_code == 302
    assert response["Location"] == THANKS_URL
    # The request, its two email records and their two tasks (careers/tasks.py).
    inserts = writes(queries.captured_queries)
    assert len(inserts) == 4 and "careers_consultationrequest" in inserts[0]
    assert sum('"careers_emaildelivery"' in sql for sql in inserts) == 1
    assert sum('"django_tasks_database_dbtaskresult"' in sql for sql in inserts) == 2

    request = ConsultationRequest.objects.get()
    assert request.name == "山田 花子"
    assert request.furigana == "やまだ はなこ"
    assert request.email == "Hanako.Yamada@Example.COM"
    assert request.email_normalized == "hanako.yamada@example.com"
    assert request.phone == "09012345678"
    assert request.birth_year == 1999
    assert request.prefecture == "東京都"
    assert request.interests == ["middle/risk-management", "back"]
    assert request.status == ConsultationRequest.Status.NEW
    assert request.consented_at is not None
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", request.reference)


def test_thanks_page_shows_reference_and_reply_date(client, middle_and_back_roles, settings):
    settings.CONSULTATION_REPLY_BUSINESS_DAYS = 3
    # Friday before Golden Week (05-03..05-06 holidays): Thursday, Friday, Monday.
    with time_machine.travel(datetime(2026, 5, 1, 18, 0, tzinfo=TOKYO), tick=False):
        response = client.post(FORM_URL, valid_data(), follow=True)
    request = ConsultationRequest.objects.get()
    html = response.content.decode()
    assert "お申し込みを受け付けました" in html
    assert request.reference in html
    assert "<strong>2026年5月11日（月）まで</strong>に" in html and "3営業日以内" in html
    # Nothing personal travels in the URL.
    assert response.redirect_chain == [(THANKS_URL, 302)]


def test_thanks_page_without_a_submission_points_to_the_form(client, db):
    html = client.get(THANKS_URL).content.decode()
    assert "受け付けました" not in html
    assert f'href="{FORM_URL}"' in html


def test_thanks_cookie_cannot_be_forged(client, db):
    client.cookies[THANKS_COOKIE] = "AAAA-BBBB"
    assert "AAAA-BBBB" not in client.get(THANKS_URL).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "氏名を入力してください。"),
        ("furigana", "", "ふりがなを入力してください。"),
        ("furigana", "Yamada Hanako", "ふりがなは、ひらがなまたはカタカナで入力してください。"),
        ("furigana", "山田はなこ", "ふりがなは、ひらがなまたはカタカナで入力してください。"),
        ("email", "", "メールアドレスを入力してください。"),
        ("email", "hanako@", "メールアドレスの形式が正しくありません。"),
        ("phone", "", "電話番号を入力してください。"),
        ("phone", "1234", "この電話番号は存在しない番号です。"),
        ("phone", "090-1234-56789", "この電話番号は存在しない番号です。"),
        ("phone", "090-abcd-efgh", "電話番号は数字とハイフンで入力してください。"),
        ("birth_year", "1850", "正しく選択してください。"),
        ("prefecture", "火星", "正しく選択してください。"),
        ("interests", ["middle/unknown"], "正しく選択してください。"),
        ("message", "あ" * 2001, "2000"),
        ("consent", None, "送信するには、プライバシーポリシーへの同意が必要です。"),
    ],
)
def test_invalid_field_shows_japanese_error_and_keeps_input(
    client, middle_and_back_roles, field, value, message
):
    data = valid_data(**{field: value})  # None drops the field, like an unticked box
    response = client.post(FORM_URL, data)
    assert response.status_code == 200
    assert not ConsultationRequest.objects.exists()
    html = response.content.decode()
    assert message in html
    assert 'id="error-summary"' in html and "autofocus" in html
    # The summary links to the field (a group's first option), which exists on the page.
    bound = response.context["form"][field]
    anchor = bound.subwidgets[0].id_for_label if bound.use_fieldset else bound.id_for_label
    assert anchor and f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    assert 'aria-invalid="true"' in html
    # What the reader typed in the other fields is still there.
    if field != "name":
        assert 'value="山田　花子"' in html
    if field != "phone":
        assert 'value="０９０－１２３４－５６７８"' in html


def test_phone_accepts_common_japanese_formats(client, middle_and_back_roles):
    for number, expected in [
        ("03-1234-5678", "0312345678"),
        ("+81 90 1234 5678", "09012345678"),
        ("(03)1234-5678", "0312345678"),
    ]:
        client.post(FORM_URL, valid_data(phone=number))
        assert ConsultationRequest.objects.latest("received_at").phone == expected


def test_honeypot_pretends_success_but_stores_nothing(client, middle_and_back_roles):
    response = client.post(FORM_URL, valid_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not ConsultationRequest.objects.exists()
    assert not EmailDelivery.objects.exists()


def test_rate_limit_answers_429_in_japanese(client, middle_and_back_roles, settings, caplog):
    settings.CONSULTATION_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(FORM_URL, valid_data()).status_code == 302
    with caplog.at_level(logging.DEBUG):
        response = client.post(FORM_URL, valid_data(name="三人目 太郎"))
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.CONSULTATION_RATE_WINDOW_SECONDS)
    assert 'lang="ja"' in response.content.decode()
    assert ConsultationRequest.objects.count() == 2
    assert "三人目" not in caplog.text


def test_rate_limit_is_per_client(client, middle_and_back_roles, settings):
    settings.CONSULTATION_RATE_LIMIT = 1
    assert client.post(FORM_URL, valid_data(), REMOTE_ADDR="192.0.2.1").status_code == 302
    assert client.post(FORM_URL, valid_data(), REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.post(FORM_URL, valid_data(), REMOTE_ADDR="192.0.2.2").status_code == 302


def test_repeated_token_creates_one_request_and_the_same_thanks(client, middle_and_back_roles):
    data = valid_data()
    first = client.post(FORM_URL, data, follow=True)
    second = client.post(FORM_URL, data, follow=True)
    request = ConsultationRequest.objects.get()
    assert request.reference in first.content.decode()
    assert request.reference in second.content.decode()


def test_role_link_preselects_interest_and_records_source(client, middle_and_back_roles):
    response = client.get(FORM_URL, {"role": "middle/risk-management"})
    form = response.context["form"]
    assert form["interests"].value() == ["middle/risk-management"]
    assert 'value="middle/risk-management" id="id_interests_' in response.content.decode()
    assert re.search(
        r'<input type="checkbox" name="interests" value="middle/risk-management"[^>]* checked',
        response.content.decode(),
    )
    data = valid_data(source=form["source"].value(), token=str(form["token"].value()))
    client.post(FORM_URL, data)
    assert ConsultationRequest.objects.get().source == "page:middle/risk-management"


def test_office_link_preselects_the_whole_office(client, middle_and_back_roles):
    form = client.get(FORM_URL, {"role": "back"}).context["form"]
    assert form["interests"].value() == ["back"]
    assert form["source"].value() == "page:back"


@pytest.mark.parametrize(
    "value", ["middle/nope", "<script>", "../../etc", "middle/risk-management/x"]
)
def test_unknown_role_parameter_is_ignored(client, middle_and_back_roles, value):
    form = client.get(FORM_URL, {"role": value}).context["form"]
    assert form["interests"].value() == []
    assert form["source"].value() == ""


def test_tampered_source_is_not_stored(client, middle_and_back_roles):
    client.post(FORM_URL, valid_data(source="page:evil/<b>"))
    assert ConsultationRequest.objects.get().source == ""


def test_each_form_render_gets_a_new_token(client, middle_and_back_roles):
    def token():  # the second page comes from the page cache: read the HTML
        html = client.get(FORM_URL).content.decode()
        return re.search(r'name="token" value="([^"]+)"', html).group(1)

    assert token() != token()


def test_missing_token_is_an_error_not_a_request(client, middle_and_back_roles):
    data = valid_data(token=None)
    response = client.post(FORM_URL, data)
    assert response.status_code == 200
    assert not ConsultationRequest.objects.exists()


def test_csrf_is_enforced(middle_and_back_roles):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(FORM_URL, valid_data())
    assert response.status_code == 403
    assert not ConsultationRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_database_down_says_not_received_and_keeps_input(client):
    OfficeFactory(slug="middle", name="ミドルオフィス")
    settings_dict = connection.settings_dict
    original_port = settings_dict["PORT"]
    connection.close()
    settings_dict["PORT"] = "1"  # nothing listens there: connections are refused at once
    try:
        response = client.post(FORM_URL, valid_data(interests=["middle"]))
    finally:
        connection.close()
        settings_dict["PORT"] = original_port
    assert response.status_code == 503
    html = response.content.decode()
    assert "受け付けられていません" in html
    assert "受け付けました" not in html
    assert 'value="山田　花子"' in html
    assert 'value="middle" id="id_interests_0_0" checked' in html or 'value="middle"' in html
    assert not ConsultationRequest.objects.exists()


def test_privacy_page_states_operator_purpose_retention_and_contact(client, db, settings):
    settings.SITE_OPERATOR = "テスト運営株式会社"
    settings.CONSULTATION_RETENTION_DAYS = 365
    settings.CONTACT_EMAIL = "privacy@test.example"
    html = client.get(reverse("careers:privacy")).content.decode()
    for expected in (
        "テスト運営株式会社",
        "利用目的",
        "365日",
        "第三者",
        "開示",
        "削除",
        "mailto:privacy@test.example",
    ):
        assert expected in html


def test_consultation_posts_write_no_personal_data_to_the_logs(
    client, middle_and_back_roles, caplog
):
    with caplog.at_level(logging.DEBUG):
        assert client.post(FORM_URL, valid_data()).status_code == 302
        assert client.post(FORM_URL, valid_data(email="hanako@")).status_code == 200
    assert "consultation stored reference=" in caplog.text  # the logs were captured
    for personal in (
        "山田",
        "やまだ",
        "ヤマダ",
        "花子",
        "Hanako",
        "hanako",
        "09012345678",
        "０９０",
    ):
        assert personal not in caplog.text
