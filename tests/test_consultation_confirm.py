"""The confirmation step (確認画面) and the thanks page that repeats what was sent.

form →「入力内容を確認する」→ 入力内容の確認 →「修正する」(form as typed) or「送信する」
(checked again, stored once) → thanks. Every step is a POST answered with a page.
"""

import logging
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from careers import emails
from careers.business_days import TOKYO
from careers.models import ConsultationRequest, EmailDelivery
from careers.request_summary import SECTIONS, next_steps
from tests.test_consultation import FORM_URL, THANKS_URL, valid_data, writes

# What valid_data() is, as the confirmation and thanks pages should word it.
IN_WORDS = {
    "氏名": "山田 花子",
    "ふりがな": "やまだ はなこ",
    "生まれ年": "1999年",
    "お住まいの都道府県": "東京都",
    "現在の状況": "在職中",
    "メールアドレス": "Hanako.Yamada@Example.COM",
    "電話番号": "090-1234-5678",
    "希望の連絡方法": "メールのみ",
    "連絡を受けやすい時間帯": "平日の夜（18〜21時）",
    "興味のある部門・職種": "ミドルオフィス / リスク管理、バックオフィス全般",
    "希望の転職時期": "3か月以内",
    "相談したいこと": "未経験からリスク管理に挑戦できるか相談したいです。",
}


class FormParser(HTMLParser):
    """The confirmation page's answers (dt → dd text) and its form's hidden inputs."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.answers, self.hidden, self.buttons = {}, [], []
        self._dt = self._dd = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "dt":
            self._dt = ""
        elif tag == "dd" and self._dt is not None:
            self._dd = ""
        elif tag == "br" and self._dd is not None:
            self._dd += "\n"
        elif tag == "input" and attrs.get("type") == "hidden":
            self.hidden.append((attrs["name"], attrs.get("value", "")))
        elif tag == "button":
            self.buttons.append((attrs.get("name"), attrs.get("value")))

    def handle_endtag(self, tag):
        if tag == "dd" and self._dd is not None:
            self.answers[self._dt.strip()] = self._dd.strip()
            self._dt = self._dd = None

    def handle_data(self, data):
        if self._dd is not None:
            self._dd += data
        elif self._dt is not None:
            self._dt += data


def confirm(client, **overrides):
    response = client.post(FORM_URL, valid_data(step="confirm", **overrides))
    assert response.status_code == 200
    return response


def hidden_data(response):
    """What the confirmation page's form sends, as the test client posts it."""
    data = {}
    for name, value in FormParser(response.content.decode()).hidden:
        data.setdefault(name, []).append(value)
    return data


def test_confirming_shows_every_answer_in_words_and_stores_nothing(client, middle_and_back_roles):
    with CaptureQueriesContext(connection) as queries:
        response = confirm(client)
    assert writes(queries.captured_queries) == []
    assert not ConsultationRequest.objects.exists()
    assert response.templates[0].name == "careers/consultation_confirm.html"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    html = response.content.decode()
    assert html.count("<h1") == 1 and "<h1>入力内容の確認</h1>" in html
    assert "まだ送信されていません" in html and "2営業日以内" in html
    page = FormParser(html)
    assert page.answers == IN_WORDS
    assert page.buttons == [("step", "edit"), ("step", "send")]
    assert "修正する</button>" in html and "送信する</button>" in html
    # The input travels on as typed, in the POST body only: no honeypot, no URL.
    hidden = dict(page.hidden)
    assert hidden["name"] == "山田　花子" and hidden["phone"] == "０９０－１２３４－５６７８"
    assert "website" not in hidden
    assert 'action="/consultation/"' in html and "?" not in re.search(r'action="([^"]*)"', html)[1]


def test_the_confirmation_lists_the_answers_in_the_forms_order(client, middle_and_back_roles):
    form_html = client.get(FORM_URL).content.decode()
    form_html = form_html[form_html.index("<form") : form_html.index("</form>")]
    shown = list(
        dict.fromkeys(re.findall(r'<(?:input|select|textarea)[^>]* name="(\w+)"', form_html))
    )
    asked = [name for name in shown if name not in {"csrfmiddlewaretoken", "token", "source"}]
    assert asked[-2:] == ["website", "consent"]
    assert [name for _, names in SECTIONS for name in names] == asked[:-2]


def test_empty_optional_answers_are_said_to_be_empty(client, middle_and_back_roles):
    blank = dict.fromkeys(
        ("birth_year", "prefecture", "current_status", "timing", "contact_method"), ""
    )
    response = confirm(client, interests=None, message="", contact_time="", **blank)
    answers = FormParser(response.content.decode()).answers
    assert answers["相談したいこと"] == "未入力"
    for label in ("生まれ年", "現在の状況", "興味のある部門・職種", "希望の連絡方法"):
        assert answers[label] == "未選択", label


def test_a_multiline_message_keeps_its_lines_and_is_escaped(client, middle_and_back_roles):
    response = confirm(client, message="一行目\r\n<b>二行目</b>")
    html = response.content.decode()
    assert "一行目<br>&lt;b&gt;二行目&lt;/b&gt;" in html


def test_an_invalid_form_shows_its_errors_not_the_confirmation(client, middle_and_back_roles):
    response = client.post(FORM_URL, valid_data(step="confirm", phone="1234"))
    assert response.templates[0].name == "careers/consultation.html"
    html = response.content.decode()
    assert 'id="error-summary"' in html and "この電話番号は存在しない番号です。" in html


@pytest.mark.parametrize("step", [None, "", "store", "SEND"])
def test_a_post_without_the_send_step_only_confirms(client, middle_and_back_roles, step):
    response = client.post(FORM_URL, valid_data(step=step))
    assert response.status_code == 200
    assert "<h1>入力内容の確認</h1>" in response.content.decode()
    assert not ConsultationRequest.objects.exists()


def test_edit_returns_the_form_as_typed_without_errors(client, middle_and_back_roles):
    sent = hidden_data(confirm(client, message="一行目\r\n二行目"))
    response = client.post(FORM_URL, sent | {"step": ["edit"]})
    assert response.status_code == 200
    assert response.templates[0].name == "careers/consultation.html"
    html = response.content.decode()
    assert 'id="error-summary"' not in html and 'aria-invalid="true"' not in html
    assert 'value="山田　花子"' in html and 'value="０９０－１２３４－５６７８"' in html
    assert f'name="token" value="{sent["token"][0]}"' in html  # the same form, still once
    for key in ("middle/risk-management", "back"):
        assert re.search(rf'value="{key}"[^>]* checked', html), key
    assert re.search(r'name="consent" id="id_consent" required checked', html)
    assert ">\n一行目\r\n二行目</textarea>" in html
    assert '<option value="1999" selected>1999年</option>' in html
    assert not ConsultationRequest.objects.exists()


def test_send_from_the_confirmation_stores_it_once(client, middle_and_back_roles):
    sent = hidden_data(confirm(client)) | {"step": ["send"]}
    first = client.post(FORM_URL, sent)
    second = client.post(FORM_URL, sent)  # reload, double click
    assert first.status_code == second.status_code == 302
    request = ConsultationRequest.objects.get()
    assert (request.name, request.phone, request.birth_year) == ("山田 花子", "09012345678", 1999)
    assert request.interests == ["middle/risk-management", "back"]
    assert request.consented_at is not None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "1234", "この電話番号は存在しない番号です。"),
        ("interests", "middle/invented", "正しく選択してください。"),
        ("consent", "False", "送信するには、プライバシーポリシーへの同意が必要です。"),
        ("token", "not-a-token", "フォームの有効期限が切れました。"),
    ],
)
def test_send_checks_the_confirmations_hidden_data_again(
    client, middle_and_back_roles, field, value, message
):
    sent = hidden_data(confirm(client)) | {field: [value], "step": ["send"]}
    response = client.post(FORM_URL, sent)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ConsultationRequest.objects.exists()


def test_only_send_counts_against_the_rate_limit(client, middle_and_back_roles, settings):
    settings.CONSULTATION_RATE_LIMIT = 1
    data = valid_data(step="confirm")
    for _ in range(5):
        assert client.post(FORM_URL, data).status_code == 200
        assert client.post(FORM_URL, data | {"step": "edit"}).status_code == 200
    assert client.post(FORM_URL, data | {"step": "send"}).status_code == 302
    limited = client.post(FORM_URL, valid_data(name="二人目 太郎"))
    assert limited.status_code == 429
    assert 'value="二人目 太郎"' in limited.content.decode()  # input kept
    assert ConsultationRequest.objects.count() == 1


def test_the_honeypot_at_the_confirmation_pretends_success(client, middle_and_back_roles):
    response = client.post(FORM_URL, valid_data(step="confirm", website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == THANKS_URL
    assert not ConsultationRequest.objects.exists()


def test_every_step_needs_the_csrf_token(middle_and_back_roles):
    strict = Client(enforce_csrf_checks=True)
    for step in ("confirm", "edit", "send"):
        assert strict.post(FORM_URL, valid_data(step=step)).status_code == 403
    assert not ConsultationRequest.objects.exists()


def test_confirming_and_editing_write_nothing_personal_to_the_logs(
    client, middle_and_back_roles, caplog
):
    with caplog.at_level(logging.DEBUG):
        sent = hidden_data(confirm(client))
        client.post(FORM_URL, sent | {"step": ["edit"]})
        client.post(FORM_URL, sent | {"step": ["send"]})
    assert "consultation stored reference=" in caplog.text
    for personal in ("山田", "やまだ", "花子", "Hanako", "hanako", "09012345678", "０９０"):
        assert personal not in caplog.text


# --- The thanks page ------------------------------------------------------------------


def test_thanks_page_repeats_what_was_sent_and_says_what_comes_next(
    client, middle_and_back_roles, settings
):
    settings.AGENCY_EMAIL = "soudan@test.example.co.jp"
    response = client.post(FORM_URL, valid_data(), follow=True)
    assert response.redirect_chain == [(THANKS_URL, 302)]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    html = response.content.decode()
    assert FormParser(html).answers == {"受付番号": ConsultationRequest.objects.get().reference} | (
        IN_WORDS
    )
    assert "この後の流れ" in html and "面談の前にご用意いただくと役立つもの" in html
    assert html.count('href="mailto:soudan@test.example.co.jp"') >= 2
    assert 'href="/consultation/status/"' in html  # the lost-link form of the status page
    # No length of the first conversation is claimed unless the agency sets one.
    steps = html.split("この後の流れ")[1].split("</ol>")[0]
    assert "初回の面談（電話またはオンライン）" in steps and not re.search(r"\d+分|時間ほど", steps)


def test_the_first_meetings_length_is_the_agencys_own(client, middle_and_back_roles, settings):
    settings.CONSULTATION_FIRST_MEETING_LENGTH = "45分ほど"
    html = client.post(FORM_URL, valid_data(), follow=True).content.decode()
    assert "初回の面談（電話またはオンライン、45分ほど）" in html


def test_the_auto_reply_says_the_same_next_steps_as_the_thanks_page(
    client, middle_and_back_roles, settings
):
    settings.CONSULTATION_FIRST_MEETING_LENGTH = "45分ほど"
    html = client.post(FORM_URL, valid_data(), follow=True).content.decode()
    request = ConsultationRequest.objects.get()
    delivery = request.email_deliveries.get(kind=EmailDelivery.Kind.AUTO_REPLY)
    body = emails.build_message(delivery).body
    steps = next_steps()
    assert len(steps) == 3 and "45分ほど" in steps[1]
    for number, step in enumerate(steps, start=1):
        assert f"<li>{step}</li>" in html
        assert f"\n{number}. {step}\n" in body
    assert f"3. {steps[2]}\n\n■" in body  # the next section after one blank line


def test_thanks_page_forgets_what_was_sent_after_half_an_hour(client, middle_and_back_roles):
    start = datetime(2026, 6, 1, 10, 0, tzinfo=TOKYO)
    with time_machine.travel(start, tick=False):
        client.post(FORM_URL, valid_data())
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert "山田 花子" in client.get(THANKS_URL).content.decode()
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        html = client.get(THANKS_URL).content.decode()
    assert "山田 花子" not in html and ConsultationRequest.objects.get().reference not in html
    assert f'href="{FORM_URL}"' in html


def test_the_form_says_when_we_reply_and_why_we_ask_for_the_phone(
    client, middle_and_back_roles, settings
):
    settings.CONSULTATION_REPLY_BUSINESS_DAYS = 3
    html = client.get(FORM_URL).content.decode()
    before_form = html[: html.index("<form")]
    assert "送信後3営業日以内" in before_form and "送信の前に入力内容を確認できます" in before_form
    phone_help = re.search(r'id="id_phone_helptext">([^<]+)<', html)[1]
    assert "メールが届かないとき" in phone_help
    assert 'name="step" value="confirm">入力内容を確認する</button>' in html
