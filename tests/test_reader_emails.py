"""Emails of the reader's page and the agents' replies, through the real worker and relay."""

import re
import uuid

import pytest

from careers import services_agents, services_reader, status_links
from careers.models import ConsultationRequest, EmailDelivery, ReplyTemplate
from tests.factories import ConsultationRequestFactory

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def reader(db):
    return ConsultationRequestFactory(
        name="山田 花子", email="hanako@example.com", phone="09012345678", message="相談"
    )


def test_erasure_confirmation_goes_to_the_address_erased_meanwhile_once(reader, relay, run_worker):
    second_click = ConsultationRequest.objects.get()  # loaded before the first is done
    services_reader.erase_personal_data(consultation=reader)
    reader.refresh_from_db()
    assert reader.email == "" and reader.name == "（削除済み）" and reader.anonymized_at
    # A second click sent meanwhile changes nothing and queues nothing.
    services_reader.erase_personal_data(consultation=second_click)
    run_worker()
    run_worker()

    [(_, recipients, message)] = relay.messages
    assert recipients == ["hanako@example.com"]
    assert reader.reference in message["Subject"] and "削除しました" in message["Subject"]
    assert "山田" not in message.get_content()
    delivery = EmailDelivery.objects.get(kind="erasure_confirmation")
    assert (delivery.state, delivery.recipient) == ("sent", "")  # the address let go
    # The reference, dates, source and status history stay; the link is gone.
    assert (reader.status, reader.close_reason, reader.status_key_hash) == (
        "closed",
        "withdrawn",
        "",
    )


def test_a_fresh_link_replaces_the_old_one(reader, relay, run_worker):
    old = status_links.issue(reader)
    assert services_reader.send_fresh_link(email="HANAKO@example.com", reference=reader.reference)
    run_worker()
    [(_, recipients, message)] = relay.messages
    assert recipients == ["hanako@example.com"]
    [link] = re.findall(r"https?://\S+/consultation/status/(\S+)/", message.get_content())
    assert status_links.resolve(link) == reader
    assert status_links.resolve(old) is None


def test_a_templated_reply_is_sent_once_with_reply_to_the_agent(reader, agent, relay, run_worker):
    agent.first_name, agent.email = "佐藤 一郎", "sato@agency.example.jp"
    agent.save()
    template = ReplyTemplate.objects.create(
        name="初回",
        subject="{受付番号} のご相談",
        body="{氏名} 様\n担当の{担当者}です。\n{面談候補日}",
    )
    token = uuid.uuid4()
    for _ in range(2):  # a double click
        services_agents.send_reply(
            consultation=reader,
            author=agent,
            subject=template.subject,
            body=template.body,
            token=token,
            template=template,
            dates=[],
        )
    run_worker()
    [(_, recipients, message)] = relay.messages
    assert recipients == ["hanako@example.com"]
    assert message["Reply-To"] == "sato@agency.example.jp"
    assert message["Subject"] == f"{reader.reference} のご相談"
    assert message.get_content().startswith("山田 花子 様\r\n担当の佐藤 一郎です。")
    assert "Auto-Submitted" not in message  # a person wrote it
    reader.refresh_from_db()
    assert reader.status == "contacted"  # a first reply answers a new request
    assert EmailDelivery.objects.get(kind="agent_reply").state == "sent"
