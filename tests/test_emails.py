"""The emails: queued with what they are about, sent by the real task worker
(django-tasks-db's db_worker) to a real SMTP relay (aiosmtpd), each at most once."""

import io
import itertools
import logging
import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from careers import services, status_links, tasks
from careers.business_days import TOKYO
from careers.forms import ConsultationForm
from careers.models import ConsultationRequest, EmailDelivery
from careers.publishing import services as services_publishing
from careers.selectors import interest_choices
from careers.staff import EDITORS_GROUP, EDITORS_IN_CHIEF_GROUP
from tests.drafts import draft_of
from tests.factories import StaffFactory
from tests.test_consultation import FORM_URL, valid_data

# The worker sees committed rows only, as in production.
pytestmark = pytest.mark.usefixtures("transactional_db", "middle_and_back_roles")

State = EmailDelivery.State
Kind = EmailDelivery.Kind
FRIDAY_EVENING = datetime(2026, 5, 1, 18, 0, tzinfo=TOKYO)  # before Golden Week
# What the reader typed that must never reach the agents (and, but for the address,
# not the auto-reply either).
PERSONAL = (
    "山田",
    "花子",
    "やまだ",
    "ヤマダ",
    "Hanako",
    "hanako",
    "09012345678",
    "東京都",
    "未経験",
)


def submit(client, **overrides):
    assert client.post(FORM_URL, valid_data(**overrides)).status_code == 302
    return ConsultationRequest.objects.latest("received_at")


def states(request):
    return {d.kind: d.state for d in request.email_deliveries.all()}


def sent_to(relay, address):
    return [message for _, recipients, message in relay.messages if address in recipients]


def test_a_stored_request_sends_the_auto_reply_and_the_agents_email(
    client, relay, run_worker, settings, caplog
):
    settings.CONSULTATION_NOTIFY_EMAILS = ["agents@example.com", "lead@example.com"]
    settings.SITE_URL = "https://guide.example.jp"
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        request = submit(client)
        assert relay.messages == []  # the POST itself sends nothing
        with caplog.at_level(logging.DEBUG):
            run_worker()

    [(_, to_reader, reply), (_, to_agents, notice)] = sorted(
        relay.messages, key=lambda m: m[2]["Auto-Submitted"], reverse=True
    )
    deliveries = {d.kind: d for d in request.email_deliveries.all()}
    # The auto-reply: to the reader, Japanese subject decoded as written.
    assert to_reader == ["Hanako.Yamada@Example.COM"]
    assert reply["Subject"] == (
        f"【オフィスワーク転職ガイド】転職相談のお申し込みを受け付けました（受付番号 {request.reference}）"
    )
    assert reply["Auto-Submitted"] == "auto-replied"
    assert reply["Reply-To"] == settings.AGENCY_EMAIL
    assert reply["Message-ID"] == deliveries[Kind.AUTO_REPLY].message_id
    assert reply["Message-ID"].endswith("@guide.example.jp>")
    assert reply.get_content_type() == "text/plain" and reply.get_content_charset() == "utf-8"
    assert reply.as_bytes().isascii()  # encoded for any relay and client: no raw 8-bit
    body = reply.get_content()
    for expected in (
        request.reference,
        "2026年5月1日（金）18:00",
        "ミドルオフィス / リスク管理、バックオフィス全般",
        "希望の連絡方法: メールのみ",
        "希望の連絡時間帯: 平日の夜（18〜21時）",
        "2026年5月8日（金）までに",  # 05-03..05-06 are holidays
        "取り下げ",
        settings.CONTACT_EMAIL,
        settings.AGENCY_NAME,
        f"許可番号 {settings.AGENCY_LICENSE_NUMBER}",
    ):
        assert expected in body
    # No tracking: the reader's own status link, the lost-link form, the site.
    status_link, lookup, home = re.findall(r"https?://\S+", body)
    assert status_link.startswith("https://guide.example.jp/consultation/status/")
    assert request.reference not in status_link and "hanako" not in status_link.lower()
    with time_machine.travel(FRIDAY_EVENING, tick=False):  # the link's 30 days
        assert status_links.resolve(status_link.rsplit("/", 2)[-2]) == request
    assert (lookup, home) == (
        "https://guide.example.jp/consultation/status/",
        "https://guide.example.jp/",
    )
    for personal in ("山田", "花子", "090", "未経験"):
        assert personal not in body

    # The agents' email: reference, dates, interests in words, a link; nothing personal.
    assert to_agents == ["agents@example.com", "lead@example.com"]
    assert notice["Subject"] == f"【転職相談】新しいお申し込み（受付番号 {request.reference}）"
    assert notice["Auto-Submitted"] == "auto-generated"
    assert notice["Message-ID"] == deliveries[Kind.AGENTS_NOTIFICATION].message_id
    text = notice.get_content()
    assert "返信期限: 2026年5月8日（金）18:00（2営業日以内）" in text
    assert "興味のある部門・職種: ミドルオフィス / リスク管理、バックオフィス全般" in text
    assert (
        f"https://guide.example.jp/admin/careers/consultationrequest/{request.pk}/change/" in text
    )
    # Message-ID and Date are random and time digits: checked above, left out here.
    headers = [f"{k}: {v}" for k, v in notice.items() if k not in ("Message-ID", "Date")]
    everything = "\n".join([*headers, text])
    for personal in PERSONAL:
        assert personal not in everything

    assert all(d.state == State.SENT and d.tries == 1 and d.sent_at for d in deliveries.values())
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert f"email sent reference={request.reference}" in caplog.text
    for personal in PERSONAL:
        assert personal not in caplog.text


def test_a_rolled_back_request_sends_nothing(relay, run_worker):
    form = ConsultationForm(valid_data(), interest_choices=interest_choices())
    assert form.is_valid()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.submit_consultation(data=form.cleaned_data, token=form.cleaned_data["token"])
        raise RuntimeError("a later step failed")
    assert not EmailDelivery.objects.exists() and not DBTaskResult.objects.exists()
    run_worker()
    assert relay.messages == []


def test_a_refused_email_is_retried_with_backoff(client, relay, run_worker, settings):
    relay.refuse_rcpt = "451 4.3.0 Try again later"
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        request = submit(client)
        run_worker()
        assert relay.messages == [] and set(states(request).values()) == {State.QUEUED}
        delivery = request.email_deliveries.first()
        assert delivery.tries == 1 and delivery.last_error == "SMTPRecipientsRefused 451"
        assert delivery.next_attempt_at == FRIDAY_EVENING + timedelta(seconds=60)
        relay.refuse_rcpt = None
        run_worker()  # not due yet
        assert relay.messages == []
    with time_machine.travel(FRIDAY_EVENING + timedelta(seconds=60), tick=False):
        run_worker()
    assert len(relay.messages) == 2
    assert set(states(request).values()) == {State.SENT}
    assert {d.tries for d in request.email_deliveries.all()} == {2}


def test_while_the_relay_is_down_emails_wait_then_fail_after_the_last_retry(
    client, relay, run_worker, admin_client
):
    relay.stop()
    moment = FRIDAY_EVENING
    with time_machine.travel(moment, tick=False):
        request = submit(client)
    schedule = []
    for _ in range(10):  # more rounds than retries: the last failure must stop them
        with time_machine.travel(moment, tick=False):
            run_worker()
        delivery = request.email_deliveries.get(kind=Kind.AUTO_REPLY)
        if delivery.state != State.QUEUED:
            break
        schedule.append(delivery.next_attempt_at - FRIDAY_EVENING)
        moment = delivery.next_attempt_at
    assert schedule[0] <= timedelta(minutes=1)  # the first retry within about a minute
    assert all(b - a > schedule[0] for a, b in itertools.pairwise(schedule))  # further apart
    assert schedule[-1] >= timedelta(hours=1)  # retried over at least an hour
    assert set(states(request).values()) == {State.FAILED}
    assert delivery.tries == len(schedule) + 1 and delivery.last_error == "ConnectionRefusedError"
    assert not DBTaskResult.objects.filter(status="READY").exists()

    # The agents see it: in the inbox list and on the request.
    inbox = admin_client.get(reverse("admin:careers_consultationrequest_changelist"))
    assert "未送信あり" in inbox.content.decode()
    page = admin_client.get(
        reverse("admin:careers_consultationrequest_change", args=[request.pk])
    ).content.decode()
    assert "自動返信メール（送信失敗、" in page and "別の方法で連絡" in page  # in the timeline


def test_an_address_the_relay_rejects_fails_at_once_and_shows_in_the_inbox(
    client, relay, run_worker, admin_client
):
    relay.refuse_rcpt = "550 5.1.1 No such user"
    request = submit(client)
    run_worker()
    delivery = request.email_deliveries.get(kind=Kind.AUTO_REPLY)
    assert (delivery.state, delivery.tries) == (State.FAILED, 1)
    assert delivery.last_error == "SMTPRecipientsRefused 550"
    other = submit(client, email="other@example.com")
    relay.refuse_rcpt = None
    run_worker()
    inbox = admin_client.get(reverse("admin:careers_consultationrequest_changelist"))
    [problem_row] = [row for row in inbox.content.decode().split("<tr") if "未送信あり" in row]
    # (The duplicates column names the other request: look at the row's own link.)
    assert f">{request.reference}</a>" in problem_row
    assert f">{other.reference}</a>" not in problem_row


def test_the_outage_passes_and_every_email_goes_once(client, relay, run_worker):
    relay.stop()
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        requests = [submit(client) for _ in range(3)]
        run_worker()
    assert relay.messages == []
    relay.start()
    with time_machine.travel(FRIDAY_EVENING + timedelta(minutes=1), tick=False):
        run_worker()
    ids = sorted(message["Message-ID"] for _, _, message in relay.messages)
    expected = sorted(EmailDelivery.objects.values_list("message_id", flat=True))
    assert len(expected) == 2 * len(requests) and ids == expected


def test_a_worker_dying_after_the_relay_took_the_email_never_sends_it_again(
    client, relay, run_worker, monkeypatch
):
    record = tasks._record

    def die_before_recording_sent(delivery, state, **kwargs):
        if state == State.SENT:
            raise SystemExit("worker killed")
        return record(delivery, state, **kwargs)

    monkeypatch.setattr(tasks, "_record", die_before_recording_sent)
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        request = submit(client)
        run_worker()
        assert len(relay.messages) == 2 and set(states(request).values()) == {State.SENDING}
        monkeypatch.undo()  # the worker is restarted
        run_worker()
    with time_machine.travel(FRIDAY_EVENING + timedelta(minutes=10), tick=False):
        call_command("requeue_emails")
        run_worker()
    assert len(relay.messages) == 2
    assert set(states(request).values()) == {State.UNKNOWN}
    assert {d.last_error for d in request.email_deliveries.all()} == {"WorkerStopped"}


def test_a_reply_lost_after_the_message_was_handed_over_is_not_retried(client, relay, run_worker):
    relay.hang_after_data = 2  # longer than the mailer's 1 s timeout
    request = submit(client)
    run_worker()
    assert len(relay.messages) == 2  # the relay has them, the worker never heard so
    assert set(states(request).values()) == {State.UNKNOWN}
    relay.hang_after_data = 0
    with time_machine.travel(datetime.now(TOKYO) + timedelta(days=1), tick=False):
        call_command("requeue_emails")
        run_worker()
    assert len(relay.messages) == 2


def test_duplicate_and_lost_tasks_still_send_each_email_once(client, relay, run_worker):
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        request = submit(client)
        delivery = request.email_deliveries.get(kind=Kind.AUTO_REPLY)
        tasks.send_email.enqueue(delivery.pk)  # a duplicate trigger
        # The other task was claimed by a worker that died before it began.
        other = request.email_deliveries.get(kind=Kind.AGENTS_NOTIFICATION)
        DBTaskResult.objects.filter(args_kwargs__args=[other.pk]).update(status="RUNNING")
        run_worker()
        assert len(relay.messages) == 1 and states(request)[Kind.AGENTS_NOTIFICATION] == "queued"
    with time_machine.travel(FRIDAY_EVENING + timedelta(minutes=10), tick=False):
        call_command("requeue_emails")
        run_worker()
        call_command("requeue_emails")
        run_worker()
    assert sorted(m["Auto-Submitted"] for _, _, m in relay.messages) == [
        "auto-generated",
        "auto-replied",
    ]
    assert set(states(request).values()) == {State.SENT}


def test_an_auto_reply_for_a_request_anonymised_first_is_not_sent(client, relay, run_worker):
    request = submit(client)
    ConsultationRequest.objects.filter(pk=request.pk).update(email="")
    run_worker()
    assert [recipients for _, recipients, _ in relay.messages] == [["agents@example.com"]]
    assert states(request)[Kind.AUTO_REPLY] == State.FAILED


def test_development_prints_emails_readably(client, settings):
    """`make run`: the worker prints each email with its subject and body as written."""
    stream = io.StringIO()
    settings.MAILERS = {
        "default": {"BACKEND": "guide.mail.ReadableConsoleBackend", "OPTIONS": {"stream": stream}}
    }
    request = submit(client)
    tasks.send_email.call(request.email_deliveries.get(kind=Kind.AUTO_REPLY).pk)
    printed = stream.getvalue()
    assert (
        f"Subject: 【オフィスワーク転職ガイド】転職相談のお申し込みを受け付けました（受付番号 {request.reference}）"
        in printed
    )
    assert "■ ご連絡の目安" in printed and "Auto-Submitted: auto-replied" in printed
    assert states(request)[Kind.AUTO_REPLY] == State.SENT


# --- The 編集長's review request ------------------------------------------------------


def test_a_review_request_emails_the_editors_in_chief_once(
    relay, run_worker, settings, staff_groups, middle_and_back_roles
):
    settings.SITE_URL = "https://guide.example.jp"
    StaffFactory(username="chief", group=EDITORS_IN_CHIEF_GROUP, email="chief@example.com")
    StaffFactory(username="chief2", group=EDITORS_IN_CHIEF_GROUP, email="")  # no address
    StaffFactory(
        username="gone", group=EDITORS_IN_CHIEF_GROUP, email="g@example.com", is_active=False
    )
    StaffFactory(username="writer", group=EDITORS_GROUP, email="writer@example.com")
    editor = StaffFactory(username="hanako", group=EDITORS_GROUP, first_name="花子")
    role = middle_and_back_roles["risk"]
    draft = draft_of(role, body="新しい本文", by=editor)

    services_publishing.request_review(revision=draft, by=editor)
    assert relay.messages == []  # sent by the worker, after commit
    run_worker()

    [(_, to, message)] = relay.messages
    assert to == ["chief@example.com"]
    assert message["Subject"] == (
        f"【レビュー依頼】職種「ミドルオフィス / リスク管理」の下書き（第{draft.pk}版）"
    )
    assert message["Auto-Submitted"] == "auto-generated"
    text = message.get_content()
    assert "花子 さんから、下書きのレビュー依頼がありました。" in text
    assert f"https://guide.example.jp/admin/careers/role/{role.pk}/publishing/" in text
    [delivery] = EmailDelivery.objects.filter(revision=draft)
    assert delivery.state == State.SENT and delivery.reference == f"revision-{draft.pk}"

    # Sent back and asked again, the same version: no second email.
    services_publishing.send_back(revision=draft, by=editor, note="")
    services_publishing.request_review(revision=draft, by=editor)
    tasks.send_email.call(delivery.pk)  # a duplicate task
    run_worker()
    assert len(relay.messages) == 1
