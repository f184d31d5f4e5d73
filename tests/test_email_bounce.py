"""A reader's address the relay refuses (5xx to RCPT TO) is shown to the agents on the
request and in the inbox; the agents' own email still goes (real relay, real worker)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from careers.models import ConsultationRequest, EmailDelivery
from tests.test_consultation import FORM_URL, valid_data

pytestmark = pytest.mark.usefixtures("transactional_db", "middle_and_back_roles")

Kind, State = EmailDelivery.Kind, EmailDelivery.State
MISTYPED = "hanako@exmaple.com"


def test_a_reader_address_refused_at_rcpt_shows_on_the_request(
    client, relay, run_worker, admin_client
):
    async def refuse_the_reader(server, session, envelope, address, rcpt_options):
        if address == MISTYPED:
            return "550 5.1.1 <hanako@exmaple.com>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    relay.handle_RCPT = refuse_the_reader
    assert client.post(FORM_URL, valid_data(email=MISTYPED)).status_code == 302
    request = ConsultationRequest.objects.get()
    run_worker()

    deliveries = {d.kind: d for d in request.email_deliveries.all()}
    reply = deliveries[Kind.AUTO_REPLY]
    assert (reply.state, reply.tries) == (State.FAILED, 1)  # permanent: not retried
    assert reply.last_error == "SMTPRecipientsRefused 550"  # the code, not the server's text
    assert deliveries[Kind.AGENTS_NOTIFICATION].state == State.SENT
    assert [to for _, to, _ in relay.messages] == [["agents@example.com"]]
    with time_machine.travel(timezone.now() + timedelta(hours=5), tick=False):
        run_worker()
    assert len(relay.messages) == 1

    inbox = admin_client.get(reverse("admin:careers_consultationrequest_changelist"))
    [row] = [row for row in inbox.content.decode().split("<tr") if request.reference in row]
    assert "未送信あり" in row
    page = admin_client.get(
        reverse("admin:careers_consultationrequest_change", args=[request.pk])
    ).content.decode()
    assert "送信失敗" in page and "別の方法で連絡" in page
