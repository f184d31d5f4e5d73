"""Admin: least-privilege groups, the agents' inbox, the editors' workspace, staff login."""

import csv
import io
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, resolve, reverse
from django.utils import timezone
from PIL import Image

from careers import markdownx_views, services
from careers.admin.site import GuideOTPAdminSite
from careers.markdown import render
from careers.models import AccessLog, ConsultationNote, ConsultationRequest
from careers.models.consultations import overdue_cutoff
from tests.factories import (
    ConsultationRequestFactory,
    OfficeFactory,
    PointFactory,
    RoleFactory,
)

ADMIN = "/admin/"
PASSWORD = "correct-horse-battery"
REQUESTS = "/admin/careers/consultationrequest/"
ACCESS_LOG = "/admin/careers/accesslog/"
MARKDOWNIFY = "/markdownx/markdownify/"
UPLOAD = "/markdownx/upload/"


@pytest.fixture
def groups(db):
    call_command("setup_groups", stdout=io.StringIO())


def staff(username, group=None, **extra):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)  # no authenticate(): django-axes needs a request for that
    return client


@pytest.fixture
def editor(groups):
    return staff("editor", "編集者")


@pytest.fixture
def agent(groups):
    return staff("agent", "エージェント")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("boss", password=PASSWORD)


@pytest.fixture
def consultation(db):
    return ConsultationRequestFactory(
        name="山田 花子",
        furigana="やまだ はなこ",
        email="Hanako@Example.com",
        phone="09012345678",
        message="経理に興味があります。",
    )


def change_url(obj):
    return f"{REQUESTS}{obj.pk}/change/"


def form_data(response):
    """What the browser would send back for an unchanged admin change form."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            data[form.add_prefix(name)] = "" if value is None else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


# --- Groups ------------------------------------------------------------------------


def codenames(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


DIAGNOSIS_MODELS = ["diagnosisquestion", "diagnosisanswer"]


def test_setup_groups_is_idempotent_and_least_privilege(groups):
    agents = Group.objects.get(name="エージェント")
    agents.permissions.add(
        *Group.objects.get(name="編集者").permissions.filter(codename="change_office")
    )
    call_command("setup_groups", stdout=io.StringIO())  # again: same groups, same rights

    assert Group.objects.filter(name__in=["編集者", "エージェント"]).count() == 2
    assert codenames("エージェント") == {
        "view_consultationrequest",
        "change_consultationrequest",
        "export_consultationrequest",
        "add_consultationnote",
        "view_consultationnote",
    }
    editor_rights = codenames("編集者")
    for model in ["office", "role", "point", "faq", "page", "term", *DIAGNOSIS_MODELS]:
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= editor_rights
    assert not any("consultation" in c or "accesslog" in c for c in editor_rights)
    # Editors may remove a merit, an FAQ or an answer from its parent's form, nothing else.
    assert {c for c in editor_rights if c.startswith("delete_")} == {
        "delete_point",
        "delete_faq",
        "delete_diagnosisanswer",
    }
    assert not any(c.startswith("delete_") for c in codenames("エージェント"))


# --- Permission matrix -------------------------------------------------------------


def request_urls(obj):
    return {
        "changelist": REQUESTS,
        "change": change_url(obj),
        "add": f"{REQUESTS}add/",
        "delete": f"{REQUESTS}{obj.pk}/delete/",
        "history": f"{REQUESTS}{obj.pk}/history/",
    }


def test_editor_is_refused_every_consultation_page_and_the_export(editor, consultation):
    client = logged_in(editor)
    for page, url in request_urls(consultation).items():
        assert client.get(url).status_code == 403, page
    export = client.post(REQUESTS, {"action": "export_csv", "_selected_action": [consultation.pk]})
    assert export.status_code == 403
    assert client.get(ACCESS_LOG).status_code == 403
    assert AccessLog.objects.count() == 0


def test_editor_works_on_content(editor):
    office = OfficeFactory()
    client = logged_in(editor)
    assert client.get("/admin/careers/office/").status_code == 200
    assert client.get(f"/admin/careers/office/{office.pk}/change/").status_code == 200
    assert client.get("/admin/careers/office/add/").status_code == 200
    assert client.get("/admin/careers/diagnosisquestion/").status_code == 200
    assert client.get(f"/admin/careers/office/{office.pk}/delete/").status_code == 403
    index = client.get(ADMIN).content.decode()
    assert "転職相談" not in index and "閲覧・出力記録" not in index


def test_agent_is_refused_content_access_log_add_and_delete(agent, consultation):
    office = OfficeFactory()
    role = RoleFactory(office=office)
    client = logged_in(agent)
    for url in [
        "/admin/careers/office/",
        f"/admin/careers/office/{office.pk}/change/",
        f"/admin/careers/role/{role.pk}/change/",
        "/admin/careers/page/add/",
        ACCESS_LOG,
        f"{REQUESTS}add/",
        f"{REQUESTS}{consultation.pk}/delete/",
    ]:
        assert client.get(url).status_code == 403, url
    changelist = client.get(REQUESTS)
    assert changelist.status_code == 200
    actions = dict(changelist.context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions
    assert {"assign_to_me", "export_csv"} <= actions.keys()
    client.post(REQUESTS, {"action": "delete_selected", "_selected_action": [consultation.pk]})
    assert ConsultationRequest.objects.filter(pk=consultation.pk).exists()
    assert client.get(f"{REQUESTS}{consultation.pk}/history/").status_code == 200


def test_only_a_superuser_deletes_requests_and_reads_the_access_log(superuser, consultation):
    client = logged_in(superuser)
    assert client.get(f"{REQUESTS}{consultation.pk}/delete/").status_code == 200
    assert client.get(ACCESS_LOG).status_code == 200
    assert client.get(f"{ACCESS_LOG}add/").status_code == 403


def test_anonymous_is_sent_to_the_admin_login(consultation):
    office = OfficeFactory()
    client = Client()
    for url in [
        *request_urls(consultation).values(),
        ACCESS_LOG,
        f"/admin/careers/office/{office.pk}/change/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/?next="), url


def test_staff_without_a_group_sees_nothing(db, consultation):
    client = logged_in(staff("newcomer"))
    assert client.get(REQUESTS).status_code == 403
    assert client.get("/admin/careers/office/").status_code == 403


# --- markdownx endpoints -------------------------------------------------------------


def test_markdownx_own_views_would_answer_anyone(rf):
    """Why guide/urls.py routes the widget's URLs to careers/markdownx_views.py."""
    from markdownx.views import MarkdownifyView

    request = rf.post(MARKDOWNIFY, {"content": "**x**"})
    request.user = AnonymousUser()
    assert MarkdownifyView.as_view()(request).status_code == 200
    assert resolve(MARKDOWNIFY).func is markdownx_views.markdownify
    assert resolve(UPLOAD).func is markdownx_views.upload
    assert reverse("markdownx_markdownify") == MARKDOWNIFY
    assert reverse("markdownx_upload") == UPLOAD


def test_markdownify_refuses_anonymous_and_agents(agent):
    for client in [Client(), logged_in(agent)]:
        assert client.post(MARKDOWNIFY, {"content": "**x**"}).status_code == 403
        assert client.post(UPLOAD, {"image": png_file()}).status_code == 403


def test_markdownify_gives_editors_the_sanitised_html(editor):
    response = logged_in(editor).post(
        MARKDOWNIFY, {"content": "**太字**\n\n<script>alert(1)</script>[x](javascript:alert(1))"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>太字</strong>" in html
    assert "<script" not in html and "javascript:" not in html
    assert logged_in(editor).get(MARKDOWNIFY).status_code == 405


def png_file(name="photo.png", size=(8, 8), content_type="image/png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_upload_stores_a_real_image_under_a_random_name(editor, media):
    response = logged_in(editor).post(UPLOAD, {"image": png_file("../../evil name.html")})

    assert response.status_code == 200
    code = response.json()["image_code"]
    match = re.fullmatch(r"!\[\]\(/media/markdownx/([0-9a-f]{32})\.png\)", code)
    assert match, code
    saved = media / "markdownx" / f"{match[1]}.png"
    assert Image.open(saved).format == "PNG"
    assert f'<img alt="" src="/media/markdownx/{match[1]}.png">' in render(code)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("page.png", b"<html><script>alert(1)</script>", "image/png"),
        SimpleUploadedFile(
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        SimpleUploadedFile("notes.txt", b"hello", "text/plain"),
    ],
    ids=["html-as-png", "svg", "text"],
)
def test_upload_rejects_what_is_not_a_raster_image(editor, media, upload):
    response = logged_in(editor).post(UPLOAD, {"image": upload})
    assert response.status_code == 400
    assert "PNG・JPEG・GIF・WebP" in response.json()["image"][0]
    assert not (media / "markdownx").exists()


def test_upload_rejects_an_image_over_the_size_limit(editor, media):
    big = io.BytesIO()
    Image.frombytes("RGB", (1024, 1024), os.urandom(3 * 1024 * 1024)).save(big, "PNG")
    assert big.tell() > settings.MARKDOWNX_UPLOAD_MAX_SIZE == 2 * 1024 * 1024

    response = logged_in(editor).post(
        UPLOAD, {"image": SimpleUploadedFile("big.png", big.getvalue(), "image/png")}
    )
    assert response.status_code == 400
    assert "以下にしてください" in response.json()["image"][0]
    assert not (media / "markdownx").exists()


def test_renderer_keeps_only_uploaded_images():
    assert render("![a](http://evil.example/x.png)") == "<p></p>"
    assert render("![a](/media/markdownx/../../settings.png)") == "<p></p>"
    assert "<img" not in render('<img src="data:image/png;base64,AAAA">')


# --- Editors' workspace ----------------------------------------------------------


def test_editing_a_merit_in_admin_shows_on_the_public_page_at_once(editor):
    office = OfficeFactory(slug="middle")
    merit = PointFactory(office=office, title="安定している", body="古い本文です。")
    client = logged_in(editor)
    url = f"/admin/careers/office/{office.pk}/change/"
    page = client.get(url)
    assert 'class="markdownx' in page.content.decode()  # the live-preview widget
    data = form_data(page)
    [key] = [k for k, v in data.items() if k.endswith("-id") and str(v) == str(merit.pk)]
    data[key.replace("-id", "-body")] = "新しい**本文**です。"

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    merit.refresh_from_db()
    assert merit.body_html == "<p>新しい<strong>本文</strong>です。</p>"
    public = Client().get(office.get_absolute_url()).content.decode()
    assert "新しい<strong>本文</strong>です。" in public
    assert "古い本文" not in public


def test_content_lists_are_ordered_and_filterable(editor):
    front = OfficeFactory(order=2)
    back = OfficeFactory(order=1)
    RoleFactory(office=front, name="営業")
    RoleFactory(office=back, name="経理")
    client = logged_in(editor)
    roles = client.get("/admin/careers/role/").content.decode()
    assert roles.index("経理") < roles.index("営業")
    filtered = client.get(f"/admin/careers/role/?office__id__exact={front.pk}").content.decode()
    assert "営業" in filtered and "経理" not in filtered
    assert 'name="form-0-order"' in roles  # list_editable order


def test_admin_pages_have_no_inline_script_or_style_and_speak_japanese(superuser, consultation):
    office = OfficeFactory()
    PointFactory(office=office)
    client = logged_in(superuser)
    for url in [
        ADMIN,
        REQUESTS,
        change_url(consultation),
        f"/admin/careers/office/{office.pk}/change/",
    ]:
        response = client.get(url)
        html = response.content.decode()
        assert "Content-Security-Policy" in response.headers, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "Select an option" not in html, url


# --- Agents' inbox -----------------------------------------------------------------


def test_inbox_lists_newest_first_with_the_columns_agents_need(agent, roles_for_interests):
    older = ConsultationRequestFactory(
        name="古い相談", received_at=timezone.now() - timedelta(days=10)
    )
    newer = ConsultationRequestFactory(
        name="新しい相談", interests=["middle/risk-management"], source="page:middle"
    )
    services.assign(consultation=newer, assignee=agent, by=agent)
    html = logged_in(agent).get(REQUESTS).content.decode()

    assert html.index(newer.reference) < html.index(older.reference)
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

    assert listed(client.get(f"{REQUESTS}?status__exact=contacted")) == {contacted.reference}
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
    other = staff("agent2", "エージェント")

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
    assert len(response.context["cl"].result_list) == 30


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
    assert change.detail == "status new -> closed (placed_elsewhere)"


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


def test_assignee_choices_are_agents_only(agent, editor, consultation):
    response = logged_in(agent).get(change_url(consultation))
    choices = response.context["adminform"].form.fields["assignee"].queryset
    assert list(choices) == [agent]


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
    assert "<textarea" not in html.split("電話で希望を確認した。")[0].rsplit("<fieldset", 1)[-1]
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


def test_csv_export_of_the_filtered_list(agent):
    new_one = ConsultationRequestFactory(name='=HYPERLINK("http://x")', message="a,b\n改行")
    new_two = ConsultationRequestFactory(name="佐藤 次郎")
    ConsultationRequestFactory(name="対象外の人", status=ConsultationRequest.Status.CONTACTED)

    response = logged_in(agent).post(
        f"{REQUESTS}?status__exact=new",
        {"action": "export_csv", "select_across": "1", "_selected_action": [new_one.pk]},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["受付番号", "受付日時", "氏名", "ふりがな", "メールアドレス", "電話番号"]
    assert {row[0] for row in rows[1:]} == {new_one.reference, new_two.reference}
    names = {row[2] for row in rows[1:]}
    assert names == {'\'=HYPERLINK("http://x")', "佐藤 次郎"}
    logs = AccessLog.objects.filter(action="export")
    assert {log.request for log in logs} == {new_one, new_two}
    assert {log.user for log in logs} == {agent}


def test_csv_export_needs_the_export_permission(db, consultation):
    viewer = staff("viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_consultationrequest"))
    response = logged_in(viewer).post(
        REQUESTS, {"action": "export_csv", "_selected_action": [consultation.pk]}
    )
    assert response.status_code == 200  # the list again: no such action for this user
    assert response["Content-Type"].startswith("text/html")
    assert not AccessLog.objects.filter(action="export").exists()


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


# --- Staff login -----------------------------------------------------------------


def test_login_locks_out_after_five_failures(db, settings):
    assert settings.AXES_ENABLED and settings.AXES_FAILURE_LIMIT == 5
    staff("agent")
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": "agent", "password": "wrong"})

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "agent", "password": PASSWORD}
    )

    assert response.status_code == 429
    assert "ログインの失敗が続いたため" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_works_before_the_limit(db):
    staff("agent")
    client = Client()
    client.post("/admin/login/", {"username": "agent", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "agent", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_two_factor_admin_site_when_required():
    """ADMIN_REQUIRE_2FA swaps in django-otp's admin site, keeping the `admin` URL names."""
    code = (
        "import django; django.setup(); from django.contrib import admin; "
        "from django.urls import reverse; "
        "print(admin.site.__class__.__name__, admin.site.login_form.__name__, reverse('admin:index'))"
    )
    env = {**os.environ, "ADMIN_REQUIRE_2FA": "1", "DJANGO_SETTINGS_MODULE": "guide.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split()[-3:] == [
        "GuideOTPAdminSite",
        "JapaneseOTPAuthenticationForm",
        "/admin/",
    ]


def test_add_totp_device_enrols_a_staff_user(agent):
    out = io.StringIO()
    call_command("add_totp_device", "agent", stdout=out)
    assert "otpauth://totp/" in out.getvalue()
    assert agent.totpdevice_set.get().confirmed


# The two-factor site as it runs with ADMIN_REQUIRE_2FA=1, for the test below.
urlpatterns = [path("admin/", GuideOTPAdminSite().urls)]


@pytest.mark.urls("tests.test_admin")
def test_two_factor_login_asks_for_the_code_in_japanese(db):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = staff("agent")
    device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)
    client = Client()
    page = client.get("/admin/login/").content.decode()
    assert "確認コード（6桁）" in page and "OTP" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=", page)

    without_code = client.post("/admin/login/", {"username": "agent", "password": PASSWORD})
    assert (
        "認証アプリに表示されている確認コードを入力してください。" in without_code.content.decode()
    )
    wrong_code = client.post(
        "/admin/login/", {"username": "agent", "password": PASSWORD, "otp_token": "000000"}
    )
    assert "確認コードが正しくありません。" in wrong_code.content.decode()
    assert client.get("/admin/").status_code == 302  # still not in

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "agent", "password": PASSWORD, "otp_token": f"{totp(device.bin_key):06d}"},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_inbox_names_where_a_request_came_from(agent, real_content):
    ConsultationRequestFactory(source="page:middle/risk-management")
    ConsultationRequestFactory(source="diagnosis:back/accounting-finance,back/hr-labor")
    ConsultationRequestFactory(source="")
    html = logged_in(agent).get(REQUESTS).content.decode()
    assert "ガイドのページ（ミドルオフィス / リスク管理）" in html
    assert "適職診断の結果（バックオフィス / 経理・財務、バックオフィス / 人事・労務）" in html
    assert "相談フォームへ直接" in html
