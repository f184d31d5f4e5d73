"""Scheduled publishing with the real task backend (django-tasks-db's db_worker) and the
clock moved by time-machine: on time, once, whatever other tasks exist."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django_tasks_db.models import DBTaskResult

from careers.business_days import TOKYO
from careers.models import Revision, Role
from careers.publishing import scheduling, services
from tests.drafts import draft_of
from tests.factories import OfficeFactory, RoleFactory

# The worker sees committed rows only, as in production.
pytestmark = pytest.mark.usefixtures("transactional_db")
State = Revision.State
NOON = datetime(2026, 6, 1, 12, 0, tzinfo=TOKYO)
ROLE_URL = "/offices/middle/risk/"


@pytest.fixture
def draft():
    office = OfficeFactory(slug="middle", name="ミドルオフィス")
    RoleFactory(office=office, slug="legal", name="法務")
    role = RoleFactory(office=office, slug="risk", name="リスク管理", body="公開中の本文")
    return draft_of(role, body="予約した本文")


def at(moment, worker):
    """Run the worker until no task is ready, with the clock at `moment`; what each
    task of scheduled publishing returned, oldest first."""
    with time_machine.travel(moment, tick=False):
        worker()
    results = DBTaskResult.objects.filter(
        task_path__endswith="publish_scheduled", status="SUCCESSFUL"
    )
    return list(
        results.order_by("finished_at", "enqueued_at").values_list("return_value", flat=True)
    )


def live_body():
    return Role.objects.get(slug="risk").body


def test_a_scheduled_draft_goes_live_on_time_and_once(draft, editor_in_chief, run_worker):
    with time_machine.travel(NOON, tick=False):
        scheduling.schedule(
            revision=draft, by=editor_in_chief, go_live_at=NOON + timedelta(minutes=2)
        )
        scheduling.publish_scheduled.enqueue(draft.pk)  # a stray duplicate, due at once

    assert at(NOON, run_worker) == ["early"]  # the duplicate finds it is not yet time
    assert at(NOON + timedelta(minutes=1), run_worker) == ["early"]  # the real one waits
    assert live_body() == "公開中の本文"
    with time_machine.travel(NOON + timedelta(minutes=2)):
        scheduling.publish_scheduled.enqueue(draft.pk)  # a second worker's copy

    results = at(NOON + timedelta(minutes=2, seconds=30), run_worker)

    assert sorted(results[1:]) == ["not-scheduled:published", "published"]
    assert live_body() == "予約した本文"
    assert "予約した本文" in Client().get(ROLE_URL).content.decode()
    published = Revision.objects.get(state=State.PUBLISHED)
    assert published.published_at == NOON + timedelta(minutes=2, seconds=30)
    assert published.published_by == published.reviewed_by == editor_in_chief
    assert at(NOON + timedelta(hours=1), run_worker) == results  # nothing left to run


def test_rescheduling_later_leaves_the_first_task_nothing_to_do(draft, editor_in_chief, run_worker):
    with time_machine.travel(NOON, tick=False):
        scheduling.schedule(
            revision=draft, by=editor_in_chief, go_live_at=NOON + timedelta(minutes=2)
        )
        scheduling.schedule(
            revision=draft, by=editor_in_chief, go_live_at=NOON + timedelta(hours=2)
        )

    assert at(NOON + timedelta(minutes=3), run_worker) == ["early"]
    assert live_body() == "公開中の本文"
    assert at(NOON + timedelta(hours=2, seconds=5), run_worker) == ["early", "published"]
    assert live_body() == "予約した本文"


@pytest.mark.parametrize("change", ["unschedule", "send_back", "new_save", "publish_now"])
def test_a_cancelled_or_replaced_schedule_publishes_nothing(
    draft, editor_in_chief, run_worker, change
):
    with time_machine.travel(NOON, tick=False):
        scheduling.schedule(
            revision=draft, by=editor_in_chief, go_live_at=NOON + timedelta(minutes=2)
        )
        if change == "unschedule":
            scheduling.unschedule(revision=draft, by=editor_in_chief)
        elif change == "send_back":
            services.send_back(revision=draft, by=editor_in_chief, note="表現を見直してください")
        elif change == "new_save":
            draft_of(Role.objects.get(slug="risk"), body="あとで直した本文")
        else:
            services.publish(revision=draft, by=editor_in_chief)
            Role.objects.filter(slug="risk").update(body="公開後に変えた本文")

    [result] = at(NOON + timedelta(minutes=5), run_worker)

    expected = {
        "unschedule": (State.IN_REVIEW, "公開中の本文"),
        "send_back": (State.DRAFT, "公開中の本文"),
        "new_save": (State.REPLACED, "公開中の本文"),
        "publish_now": (State.PUBLISHED, "公開後に変えた本文"),
    }[change]
    assert (result, live_body()) == (f"not-scheduled:{expected[0]}", expected[1])


def test_a_draft_whose_link_broke_meanwhile_is_not_published(draft, editor_in_chief, run_worker):
    role = Role.objects.get(slug="risk")
    draft = draft_of(role, body="[法務](/offices/middle/legal/)も見てください")
    with time_machine.travel(NOON, tick=False):
        scheduling.schedule(
            revision=draft, by=editor_in_chief, go_live_at=NOON + timedelta(minutes=2)
        )
    Role.objects.filter(slug="legal").update(published=False)

    assert at(NOON + timedelta(minutes=3), run_worker) == ["refused"]

    draft.refresh_from_db()
    assert draft.state == State.IN_REVIEW and draft.go_live_at is None
    assert draft.note.startswith("予約公開できませんでした: リンク切れがあるため公開できません")
    assert live_body() == "公開中の本文"
