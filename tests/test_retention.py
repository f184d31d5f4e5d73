"""Retention: closed requests are anonymised after CONSULTATION_RETENTION_DAYS."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from careers import services
from careers.models import ConsultationNote, ConsultationRequest
from tests.factories import (
    ConsultationRequestFactory,
)

# --- Retention -------------------------------------------------------------------


@pytest.fixture
def retention_cases(agent):
    now = timezone.now()
    expired = ConsultationRequestFactory(
        name="期限切れ",
        message="相談内容",
        interests=["middle"],
        source="page:middle",
        prefecture="東京都",
        birth_year=1990,
        contact_method="phone",
        received_at=now - timedelta(days=500),
    )
    services.change_status(consultation=expired, status="closed", by=agent, close_reason="placed")
    ConsultationRequest.objects.filter(pk=expired.pk).update(closed_at=now - timedelta(days=366))
    services.add_note(consultation=expired, author=agent, body="面談で年収を聞いた。")
    recent = ConsultationRequestFactory(name="最近クローズ", received_at=now - timedelta(days=500))
    services.change_status(consultation=recent, status="closed", by=agent, close_reason="withdrawn")
    ConsultationRequest.objects.filter(pk=recent.pk).update(closed_at=now - timedelta(days=300))
    still_open = ConsultationRequestFactory(name="対応中", received_at=now - timedelta(days=900))
    return expired, recent, still_open


def snapshot():
    return list(ConsultationRequest.objects.order_by("pk").values()), list(
        ConsultationNote.objects.order_by("pk").values()
    )


def test_purge_dry_run_changes_nothing(retention_cases):
    before = snapshot()
    out = io.StringIO()
    call_command("purge_consultations", "--dry-run", stdout=out)
    assert "1 件" in out.getvalue()
    assert snapshot() == before


def test_purge_anonymises_only_expired_closed_requests(retention_cases):
    expired, recent, still_open = retention_cases
    others_before = [
        ConsultationRequest.objects.filter(pk=r.pk).values().get() for r in (recent, still_open)
    ]
    call_command("purge_consultations", stdout=io.StringIO())

    expired.refresh_from_db()
    assert expired.name == "（削除済み）"
    for field in [
        "furigana",
        "email",
        "email_normalized",
        "phone",
        "message",
        "prefecture",
        "contact_method",
    ]:
        assert getattr(expired, field) == "", field
    assert expired.birth_year is None and expired.anonymized_at is not None
    assert expired.interests == ["middle"] and expired.source == "page:middle"
    assert (expired.status, expired.close_reason) == ("closed", "placed")
    assert ConsultationNote.objects.get().body == "（削除済み）"
    assert [
        ConsultationRequest.objects.filter(pk=r.pk).values().get() for r in (recent, still_open)
    ] == others_before
    assert services.purge_expired() == 0  # already done
