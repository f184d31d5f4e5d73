"""Agents answer from the request: access, replies, contacts, timeline, dashboard, report."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from careers import services, services_agents, services_reader
from careers.business_days import TOKYO
from careers.models import AccessLog, ContactLog, ReplyTemplate
from careers.staff import AGENTS_GROUP
from tests.admin.helpers import ADMIN, REQUESTS, change_url, logged_in
from tests.factories import ConsultationRequestFactory, StaffFactory

REPORT = f"{REQUESTS}report/"


@pytest.fixture
def colleague(staff_groups):
    return StaffFactory(username="colleague", first_name="鈴木 次郎", group=AGENTS_GROUP)


@pytest.fixture
def theirs(colleague):
    request = ConsultationRequestFactory(name="同僚の相談者")
    services.assign(consultation=request, assignee=colleague, by=colleague)
    return request


# --- Access as the privacy policy says ------------------------------------------


def test_an_agent_never_opens_a_colleagues_request(agent, theirs, consultation):
    client = logged_in(agent)
    for url in [
        change_url(theirs),
        f"{REQUESTS}{theirs.pk}/history/",
        f"{REQUESTS}{theirs.pk}/reply/",
        f"{REQUESTS}{theirs.pk}/contact/",
    ]:
        assert client.get(url).status_code == 404, url
    listed = client.get(REQUESTS).content.decode()
    assert consultation.reference in listed and theirs.reference not in listed
    export = client.post(REQUESTS, {"action": "export_csv", "_selected_action": [theirs.pk]})
    assert export["Content-Type"].startswith("text/html")  # no export for agents
    assert client.get(REPORT).status_code == 403
    assert not AccessLog.objects.filter(request=theirs, user=agent).exists()


def test_a_lead_sees_assigns_and_exports_every_request(lead, theirs, agent):
    client = logged_in(lead)
    assert client.get(change_url(theirs)).status_code == 200
    export = client.post(REQUESTS, {"action": "export_csv", "_selected_action": [theirs.pk]})
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert client.get(REPORT).status_code == 200


def test_an_editor_is_refused_everything_here(editor, consultation):
    client = logged_in(editor)
    for url in [
        f"{REQUESTS}{consultation.pk}/reply/",
        f"{REQUESTS}{consultation.pk}/contact/",
        REPORT,
    ]:
        assert client.get(url).status_code == 403, url
    assert "転職相談の状況" not in client.get(ADMIN).content.decode()


def test_the_privacy_policy_says_what_the_permissions_do(client, db):
    html = client.get("/privacy/").content.decode()
    assert "担当するエージェントと、その責任者だけが閲覧できる" in html


# --- Request page: preferences, banner, reply, contact, timeline --------------------


def test_the_request_page_leads_with_the_readers_wishes_and_the_deadline(agent):
    late = ConsultationRequestFactory(
        phone="0312345678",
        email="a@example.com",
        contact_method="email",
        phone_unwanted=True,
        received_at=timezone.now() - timedelta(days=10),
    )
    html = logged_in(agent).get(change_url(late)).content.decode()
    top = html[: html.index("<fieldset")]
    assert "返信期限を過ぎています" in top
    assert "メールのみ・時間帯の指定なし・電話は不要" in top
    assert '<a href="tel:+81-3-1234-5678">03-1234-5678</a>' in top
    assert '<a href="mailto:a@example.com">a@example.com</a>' in top
    assert html.index('name="status"') < html.index("相談者が入力した内容")


def test_unknown_placeholders_are_refused_when_a_template_is_saved(db):
    template = ReplyTemplate(name="誤り", subject="件名", body="{氏名} 様 {年収}")
    with pytest.raises(ValidationError, match="年収"):
        template.full_clean()
    ReplyTemplate(name="正しい", subject="{reference}", body="{name} 様 {dates}").full_clean()


def test_reply_form_fills_a_template_then_sends_what_the_agent_edited(agent, consultation):
    agent.first_name = "佐藤 一郎"
    agent.save()
    template = ReplyTemplate.objects.create(
        name="面談日程",
        subject="面談のご案内（{受付番号}）",
        body="{氏名} 様\n{面談候補日}\n{担当者}",
    )
    client = logged_in(agent)
    url = f"{REQUESTS}{consultation.pk}/reply/"
    page = client.get(url, {"template": template.pk, "dates": "2026-05-12 14:00"})
    form = page.context["form"]
    assert form.initial["body"] == "山田 花子 様\n・2026年5月12日（火）14:00\n佐藤 一郎"
    data = {
        "template": template.pk,
        "dates": "2026-05-12 14:00",
        "subject": form.initial["subject"],
        "body": form.initial["body"] + "\nよろしくお願いします。",
        "token": form.initial["token"],
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same form again: one reply
    reply = consultation.replies.get()
    assert reply.body.endswith("よろしくお願いします。") and reply.template == template
    assert AccessLog.objects.filter(action="send", user=agent).count() == 1
    html = client.get(change_url(consultation)).content.decode()
    timeline = html[html.index('id="timeline-title"') :]
    assert "面談のご案内" in timeline and "送信待ち" in timeline


def test_a_call_against_the_readers_wishes_asks_why(agent, consultation):
    services_reader.change_preferences(
        consultation=consultation, contact_method="email", contact_time="", phone_unwanted=True
    )
    client = logged_in(agent)
    url = f"{REQUESTS}{consultation.pk}/contact/"
    data = {"channel": "phone", "result": "no_answer", "contacted_at": "2026-05-12 14:00"}
    asked = client.post(url, data)
    assert asked.status_code == 200
    assert "記録する理由を入力してください" in asked.content.decode()
    assert not ContactLog.objects.exists()
    data |= {"override_reason": "面談日の確認が急ぎのため", "next_action": "メールで再連絡"}
    assert client.post(url, data).status_code == 302
    contact = ContactLog.objects.get()
    assert (contact.channel, contact.result, contact.override_reason) == (
        "phone",
        "no_answer",
        "面談日の確認が急ぎのため",
    )
    html = client.get(change_url(consultation)).content.decode()
    assert "希望と異なる連絡の理由: 面談日の確認が急ぎのため" in html


def test_a_call_in_the_readers_time_band_needs_no_reason(agent, consultation):
    consultation.contact_time = "weekday_evening"
    consultation.save()
    url = f"{REQUESTS}{consultation.pk}/contact/"
    # 2026-05-12 is a Tuesday; 19:00 Tokyo is in 平日の夜.
    data = {"channel": "phone", "result": "reached", "contacted_at": "2026-05-12 19:00"}
    assert logged_in(agent).post(url, data).status_code == 302
    assert ContactLog.objects.get().override_reason == ""


def test_one_timeline_newest_first_with_every_kind(agent, consultation):
    services.assign(consultation=consultation, assignee=agent, by=agent)
    services.add_note(consultation=consultation, author=agent, body="メモの本文")
    services_agents.log_contact(
        consultation=consultation,
        author=agent,
        channel="email",
        result="sent",
        contacted_at=timezone.now(),
    )
    services_reader.change_preferences(
        consultation=consultation, contact_method="email", contact_time="", phone_unwanted=True
    )
    html = logged_in(agent).get(change_url(consultation)).content.decode()
    timeline = html[html.index('id="timeline-title"') :]
    order = [
        "本人の操作</span> 連絡の希望の変更",
        "対応状況</span> 新規 → 連絡済み",  # the contact moved it on
        "連絡</span> メール: 送信した",
        "メモ</span> メモ",
        "担当者</span> 担当者: agent",
        "受付</span> お申し込み",
    ]
    positions = [timeline.index(text) for text in order]
    assert positions == sorted(positions)
    assert "電話は不要" in timeline and "（本人）" in timeline


# --- Inbox: duplicates, search --------------------------------------------------------


def test_duplicates_are_flagged_in_the_list_naming_what_differs(agent):
    first = ConsultationRequestFactory(name="山田 花子", email="h@example.com", phone="09012345678")
    again = ConsultationRequestFactory(name="山田 花子", email="h@example.com", phone="0901234567")
    html = logged_in(agent).get(REQUESTS).content.decode()
    # Each row names the other and how the other's details differ from its own.
    assert f"{again.reference}（電話番号が1桁少ない）" in html
    assert f"{first.reference}（電話番号が1桁多い）" in html


@pytest.mark.parametrize("typed", ["with hyphen", "without", "lower case"])
def test_a_reference_is_found_with_or_without_its_hyphen(agent, consultation, typed):
    query = {
        "with hyphen": consultation.reference,
        "without": consultation.reference.replace("-", ""),
        "lower case": consultation.reference.replace("-", "").lower(),
    }[typed]
    ConsultationRequestFactory()
    response = logged_in(agent).get(REQUESTS, {"q": query})
    assert [r.reference for r in response.context["cl"].result_list] == [consultation.reference]


# --- Dashboard and report -----------------------------------------------------------


def test_the_dashboard_counts_and_links_to_the_filtered_inbox(agent, theirs):
    ConsultationRequestFactory(received_at=timezone.now() - timedelta(days=10))  # overdue
    mine = ConsultationRequestFactory(received_at=timezone.now() - timedelta(hours=5))
    services.assign(consultation=mine, assignee=agent, by=agent)
    services_agents.log_contact(
        consultation=mine,
        author=agent,
        channel="email",
        result="sent",
        contacted_at=mine.received_at + timedelta(hours=3),
    )
    response = logged_in(agent).get(ADMIN)
    html = response.content.decode()
    assert f'href="{REQUESTS}?status=new"><span class="agents-tiles__count">1</span> 新規' in html
    assert f'href="{REQUESTS}?overdue=yes"><span class="agents-tiles__count">1</span>' in html
    assert f'href="{REQUESTS}?assignee=me"><span class="agents-tiles__count">1</span>' in html
    assert f'href="{REQUESTS}?waiting=yes"><span class="agents-tiles__count">1</span>' in html
    assert "<td>agent</td><td>3.0 時間</td><td>1</td>" in html
    listed = logged_in(agent).get(f"{REQUESTS}?waiting=yes").context["cl"].result_list
    assert [r.reference for r in listed] == [mine.reference]


def test_the_report_counts_by_month_and_source_how_far_requests_got(lead, real_content):
    may = datetime(2026, 5, 10, 12, 0, tzinfo=TOKYO)
    page = ConsultationRequestFactory(source="page:middle/risk-management", received_at=may)
    services.change_status(consultation=page, status="interviewed", by=lead)
    services.change_status(consultation=page, status="closed", by=lead, close_reason="placed")
    ConsultationRequestFactory(source="page:middle/risk-management", received_at=may)
    ConsultationRequestFactory(source="diagnosis:back/accounting-finance", received_at=may)
    client = logged_in(lead)
    with time_machine.travel(datetime(2026, 6, 1, tzinfo=TOKYO)):
        csv_text = client.get(REPORT, {"format": "csv"}).content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("月,流入元,件数,連絡済み,面談済み,求人紹介中,クローズ（転職決定）")
    assert "2026-05,ガイドのページ（ミドルオフィス / リスク管理）,2,1,1,0,1,0,0,0,0" in lines
    assert "2026-05,適職診断の結果,1,0,0,0,0,0,0,0,0" in lines


def test_an_erased_request_is_read_only_so_nothing_personal_is_written_back(agent, consultation):
    """Found trying the site as an agent: after the reader's erasure the request
    could be reopened and a note with a phone number added."""
    consultation.assignee = agent
    consultation.save()
    with transaction.atomic():
        services.anonymize(ids=[consultation.pk], now=timezone.now())
    consultation.refresh_from_db()
    status_before = consultation.status
    client = logged_in(agent)

    page = client.get(change_url(consultation))
    assert page.status_code == 200  # still a record to read
    assert 'name="status"' not in page.content.decode()
    refused = client.post(
        change_url(consultation),
        {"status": "contacted", "notes-TOTAL_FORMS": "1", "notes-0-body": "090-1234-5678"},
    )
    assert refused.status_code == 403
    for action in ("reply", "contact"):
        assert client.post(f"{REQUESTS}{consultation.pk}/{action}/").status_code in (403, 404)
    consultation.refresh_from_db()
    assert consultation.status == status_before
    assert "090-1234-5678" not in str(list(consultation.notes.values_list("body", flat=True)))
