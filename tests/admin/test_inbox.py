"""The agents' inbox: list, filters, search, detail, pipeline, notes, duplicates, sources."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careers import services
from careers.models import AccessLog, ConsultationNote, ConsultationRequest
from careers.models.consultations import overdue_cutoff
from careers.staff import AGENTS_GROUP
from tests.admin.helpers import REQUESTS, change_url, form_data, logged_in
from tests.factories import ConsultationRequestFactory, OfficeFactory, RoleFactory, StaffFactory

# --- Agents' inbox -----------------------------------------------------------------


def test_inbox_lists_by_urgency_with_the_columns_agents_need(agent, roles_for_interests):
    older = ConsultationRequestFactory(
        name="古い相談", received_at=timezone.now() - timedelta(days=10)
    )
    newer = ConsultationRequestFactory(
        name="新しい相談",
        interests=["middle/risk-management"],
        source="page:middle",
        phone="09012345678",
        contact_method="email",
        phone_unwanted=True,
    )
    contacted = ConsultationRequestFactory(status=ConsultationRequest.Status.CONTACTED)
    closed = ConsultationRequestFactory(
        status=ConsultationRequest.Status.CLOSED, close_reason="placed"
    )
    services.assign(consultation=newer, assignee=agent, by=agent)
    html = logged_in(agent).get(REQUESTS).content.decode()

    # 新規 by reply-by time (the oldest is due first), then the others; closed hidden.
    assert html.index(older.reference) < html.index(newer.reference)
    assert html.index(newer.reference) < html.index(contacted.reference)
    assert closed.reference not in html
    assert '<a href="tel:+81-90-1234-5678">090-1234-5678</a>' in html
    assert "メールのみ・時間帯の指定なし・電話は不要" in html
    assert "ミドルオフィス / リスク管理" in html
    assert "ガイドのページ（ミドルオフィス全般）" in html
    assert "期限超過" in html  # the 10-day-old 新規 request
    row = html[html.index(older.reference) :]
    assert "未割り当て" in row[: row.index("</tr>")]


@pytest.fixture
def roles_for_interests(db):
    middle = OfficeFactory(slug="middle", name="ミドルオフィス")
    back = OfficeFactory(slug="back", name="バックオフィス")
    RoleFactory(office=middle, slug="risk-management", name="リスク管理")
    RoleFactory(office=back, slug="accounting-finance", name="経理・財務")


def listed(response):
    return {obj.reference for obj in response.context["cl"].result_list}


def test_inbox_filters(agent, roles_for_interests):
    mine = ConsultationRequestFactory(interests=["middle/risk-management"])
    services.assign(consultation=mine, assignee=agent, by=agent)
    late = ConsultationRequestFactory(
        interests=["back/accounting-finance"], received_at=timezone.now() - timedelta(days=8)
    )
    contacted = ConsultationRequestFactory(
        interests=["back"], status=ConsultationRequest.Status.CONTACTED
    )
    client = logged_in(agent)

    assert listed(client.get(f"{REQUESTS}?status=contacted")) == {contacted.reference}
    assert listed(client.get(f"{REQUESTS}?assignee=me")) == {mine.reference}
    assert listed(client.get(f"{REQUESTS}?assignee=none")) == {late.reference, contacted.reference}
    assert listed(client.get(f"{REQUESTS}?interest=back/accounting-finance")) == {late.reference}
    assert listed(client.get(f"{REQUESTS}?overdue=yes")) == {late.reference}
    changelist = client.get(REQUESTS).context["cl"]
    [received] = [spec for spec in changelist.filter_specs if spec.title == "受付日時"]
    past_week = list(received.choices(changelist))[2]
    assert past_week["display"] == "過去 7 日間"
    recent = client.get(REQUESTS + past_week["query_string"])
    assert listed(recent) == {mine.reference, contacted.reference}


@pytest.mark.parametrize(
    "query",
    [
        "090-1234-5678",
        "０９０１２３４５６７８",
        "+81 90 1234 5678",
        "山田",
        "ヤマダ",
        "hanako@",
        "KEY",
    ],
)
def test_inbox_search(agent, consultation, query):
    ConsultationRequestFactory(name="別の人", phone="08011112222")
    if query == "KEY":
        query = consultation.reference.lower()
    response = logged_in(agent).get(REQUESTS, {"q": query})
    assert listed(response) == {consultation.reference}


def test_overdue_counts_business_days_only(db, settings):
    settings.CONSULTATION_REPLY_BUSINESS_DAYS = 2
    tokyo = ZoneInfo("Asia/Tokyo")
    monday = datetime(2026, 11, 30, 10, 0, tzinfo=tokyo)
    assert overdue_cutoff(monday) == datetime(2026, 11, 26, 10, 0, tzinfo=tokyo)  # Thursday
    friday_evening = ConsultationRequestFactory(
        received_at=datetime(2026, 11, 27, 18, 0, tzinfo=tokyo)
    )
    assert not friday_evening.is_overdue(now=monday)
    assert friday_evening.is_overdue(now=datetime(2026, 12, 1, 18, 1, tzinfo=tokyo))


def test_inbox_list_queries_do_not_grow_with_rows(
    agent, roles_for_interests, django_assert_num_queries
):
    client = logged_in(agent)
    other = StaffFactory(username="agent2", group=AGENTS_GROUP)

    def make(count):
        for i in range(count):
            r = ConsultationRequestFactory(interests=["middle/risk-management"])
            services.assign(consultation=r, assignee=other if i % 2 else agent, by=agent)

    make(1)
    client.get(REQUESTS)  # warm the session and interest-label caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(REQUESTS).status_code == 200
    make(29)
    with django_assert_num_queries(len(one)):
        response = client.get(REQUESTS)
    assert len(response.context["cl"].result_list) == 16  # the others are a colleague's


def test_detail_view_writes_an_access_log_row(agent, consultation):
    response = logged_in(agent).get(change_url(consultation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "山田 花子" in html and 'name="name"' not in html  # read-only applicant fields
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.request) == (agent, "view", consultation)
    assert "山田" not in log.detail and "@" not in log.detail


def test_closing_needs_a_reason(agent, consultation):
    client = logged_in(agent)
    data = form_data(client.get(change_url(consultation)))
    data.update(status="closed", close_reason="")

    response = client.post(change_url(consultation), data)

    assert response.status_code == 200
    assert "クローズするときは、クローズ理由を選択してください。" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == "new" and consultation.closed_at is None

    data.update(close_reason="placed_elsewhere")
    assert client.post(change_url(consultation), data).status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == "closed"
    assert consultation.close_reason == "placed_elsewhere"
    assert consultation.closed_at is not None
    assert consultation.name == "山田 花子"  # the applicant's fields are never written
    change = AccessLog.objects.get(action="change")
    assert change.detail == "status from=new to=closed reason=placed_elsewhere"


def test_change_status_service_rules(agent, consultation):
    with pytest.raises(ValueError):
        services.change_status(consultation=consultation, status="closed", by=agent)
    services.change_status(
        consultation=consultation, status="closed", by=agent, close_reason="placed"
    )
    services.change_status(consultation=consultation, status="contacted", by=agent)  # reopened
    consultation.refresh_from_db()
    assert (consultation.status, consultation.close_reason, consultation.closed_at) == (
        "contacted",
        "",
        None,
    )


def test_assign_to_me_action(agent, consultation):
    response = logged_in(agent).post(
        REQUESTS, {"action": "assign_to_me", "_selected_action": [consultation.pk]}
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.assignee == agent


def test_assignee_choices_are_agents_only(agent, lead, editor, superuser, consultation):
    response = logged_in(lead).get(change_url(consultation))
    choices = response.context["adminform"].form.fields["assignee"].queryset
    assert list(choices) == [agent, lead]  # no editor, no superuser
    # An agent does not assign: the assignee is shown, not offered.
    page = logged_in(agent).get(change_url(consultation))
    assert "assignee" not in page.context["adminform"].form.fields


def test_notes_are_added_with_author_and_never_edited(agent, consultation):
    client = logged_in(agent)
    data = form_data(client.get(change_url(consultation)))
    new_note = next(k for k in data if k.endswith("-0-body"))
    data[new_note] = "電話で希望を確認した。"
    assert client.post(change_url(consultation), data).status_code == 302
    note = ConsultationNote.objects.get()
    assert (note.author, note.body, note.request) == (agent, "電話で希望を確認した。", consultation)

    page = client.get(change_url(consultation))
    html = page.content.decode()
    assert "電話で希望を確認した。" in html
    # Saved notes are in the timeline, as text, never in a field.
    timeline = html[html.index('id="timeline-title"') :]
    assert "電話で希望を確認した。" in timeline and "<textarea" not in timeline
    data = form_data(page)
    saved_prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data[f"{saved_prefix}-0-body"] = "書き換えた"  # a forged field for the saved note
    data[f"{saved_prefix}-0-DELETE"] = "on"
    client.post(change_url(consultation), data)
    note.refresh_from_db()
    assert note.body == "電話で希望を確認した。"

    note.body = "書き換えた"
    with pytest.raises(ValueError):
        note.save()


def test_possible_duplicates_link_to_each_other(agent):
    now = timezone.now()
    first = ConsultationRequestFactory(
        email="Taro@Example.com", phone="09011112222", received_at=now - timedelta(days=30)
    )
    same_email = ConsultationRequestFactory(email="taro@example.com", phone="08000000001")
    same_phone = ConsultationRequestFactory(email="other@example.com", phone="09011112222")
    long_ago = ConsultationRequestFactory(
        email="taro@example.com", received_at=now - timedelta(days=150)
    )
    unrelated = ConsultationRequestFactory()

    html = logged_in(agent).get(change_url(first)).content.decode()

    assert "重複の可能性あり" in html
    assert change_url(same_email) in html and change_url(same_phone) in html
    assert change_url(long_ago) not in html
    unrelated_html = logged_in(agent).get(change_url(unrelated)).content.decode()
    assert "重複の可能性あり" not in unrelated_html


def test_inbox_names_where_a_request_came_from(agent, real_content):
    ConsultationRequestFactory(source="page:middle/risk-management")
    ConsultationRequestFactory(source="diagnosis:back/accounting-finance,back/hr-labor")
    ConsultationRequestFactory(source="")
    html = logged_in(agent).get(REQUESTS).content.decode()
    assert "ガイドのページ（ミドルオフィス / リスク管理）" in html
    assert "適職診断の結果（バックオフィス / 経理・財務、バックオフィス / 人事・労務）" in html
    assert "相談フォームへ直接" in html
