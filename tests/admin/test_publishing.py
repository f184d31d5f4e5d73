"""Saving in the admin stores a draft: the live row, its page and the content revision
stay as they are; drafts reopen in the usual forms; no lost update; list states."""

import re
from html import unescape

import pytest
from django.db import transaction
from django.db.models.signals import post_save
from django.test import Client

from careers.caching import current_revision
from careers.models import Office, Point, Revision, Role
from careers.publishing import scheduling, services
from tests.admin.helpers import form_data, logged_in
from tests.factories import OfficeFactory, PointFactory, RoleFactory

State = Revision.State


def role_url(role_pk):
    return f"/admin/careers/role/{role_pk}/change/"


@pytest.fixture
def role(db):
    office = OfficeFactory(slug="middle", name="ミドルオフィス")
    return RoleFactory(office=office, slug="risk-management", name="リスク管理", body="古い本文")


def save(client, url, **changes):
    """Open the change form at `url`, change fields, post it back; the response."""
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_a_save_is_a_draft_the_live_row_page_and_revision_stay(editor, role):
    page = Client().get(role.get_absolute_url())
    revision = current_revision()
    client = logged_in(editor)

    response = save(client, role_url(role.pk), name="市場リスク管理", body="新しい本文")

    assert response.status_code == 302
    assert response["Location"] == role_url(role.pk)  # back on the form, now the draft
    role.refresh_from_db()
    assert (role.name, role.body) == ("リスク管理", "古い本文")
    assert current_revision() == revision  # no cached page went stale
    again = Client().get(role.get_absolute_url())
    assert again.content == page.content
    [draft] = Revision.objects.open()
    assert draft.state == State.DRAFT and draft.created_by == editor
    assert (draft.data["name"], draft.data["body"]) == ("市場リスク管理", "新しい本文")
    assert draft.rows["record"]["id"] == role.pk
    message = unescape(client.get(role_url(role.pk)).content.decode())
    assert (
        "「ミドルオフィス / 市場リスク管理」の下書きを保存しました。公開中のページはまだ変わっていません。"
        in message
    )


def test_a_draft_reopens_in_the_form_with_its_new_inline_rows(editor, superuser):
    office = OfficeFactory(slug="back", name="バックオフィス")
    PointFactory(office=office, title="安定", body="本文")
    url = f"/admin/careers/office/{office.pk}/change/"
    client = logged_in(editor)
    data = form_data(client.get(url))
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS") and "point" in k)[
        : -len("-TOTAL_FORMS")
    ]
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    data.update(
        {
            f"{prefix}-1-kind": "demerit",
            f"{prefix}-1-title": "地味",
            f"{prefix}-1-body": "目立たない",
            f"{prefix}-1-order": "5",
        }
    )
    assert client.post(url, data).status_code == 302

    reopened = client.get(url)  # the draft's merit is a saved row of the form now
    html = reopened.content.decode()
    assert 'value="地味"' in html
    data = form_data(reopened)
    assert data[f"{prefix}-INITIAL_FORMS"] == 2
    [title] = [key for key, value in data.items() if value == "地味"]
    new_id = data[title.replace("-title", "-id")]
    assert new_id
    data[title] = "地道"
    assert client.post(url, data).status_code == 302

    assert Point.objects.filter(office=office).count() == 1  # live: still one
    assert Revision.objects.filter(state=State.REPLACED).count() == 1
    draft = services.open_draft(Office, office.pk)
    assert [d["title"] for d in draft.data["demerits"]] == ["地道"]
    services.publish(revision=draft, by=superuser)
    assert Point.objects.get(title="地道").pk == int(new_id)


def test_a_new_record_is_a_draft_until_published(editor, editor_in_chief, role):
    client = logged_in(editor)
    add = client.get("/admin/careers/role/add/")
    assert "新しいページは下書きとして保存されます" in add.content.decode()
    data = form_data(add)
    data.update(office=role.office.pk, slug="audit", name="内部監査", summary="要約", order="5")
    data["published"] = "on"

    response = client.post("/admin/careers/role/add/", data)

    assert response.status_code == 302
    assert not Role.objects.filter(slug="audit").exists()
    [draft] = Revision.objects.open()
    assert response["Location"] == role_url(draft.object_id)
    listing = client.get("/admin/careers/role/").content.decode()
    assert "まだ公開していない新しいページ（下書き）" in listing
    assert f'href="{role_url(draft.object_id)}"' in listing
    assert 'value="内部監査"' in client.get(role_url(draft.object_id)).content.decode()
    assert Client().get("/offices/middle/audit/").status_code == 404

    services.publish(revision=draft, by=editor_in_chief)

    assert Role.objects.get(slug="audit").pk == draft.object_id
    assert Client().get("/offices/middle/audit/").status_code == 200


def test_a_save_over_someone_elses_is_refused_showing_their_change_keeping_mine(editor, role):
    mine, theirs = logged_in(editor), logged_in(editor)
    my_form = form_data(mine.get(role_url(role.pk)))
    assert save(theirs, role_url(role.pk), summary="相手が直した要約").status_code == 302

    my_form["body"] = "わたしの新しい本文"
    response = mine.post(role_url(role.pk), my_form)

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "あなたが編集を始めた後にほかの人が保存しました" in html
    assert "わたしの新しい本文" in html  # my text is still in the form
    conflict = re.search(r'<section class="publishing-conflict".*?</section>', html, re.S)
    assert "<caption>要約</caption>" in conflict.group(0)
    assert (
        '<ins><span class="visually-hidden">追加: </span>相手が直した</ins>要約'
        in conflict.group(0)
    )
    assert Revision.objects.open().get().data["summary"] == "相手が直した要約"
    # Seen: saving again now stores my version (the form carries the new base).
    again = form_data(response)
    assert again["publishing_base"] == Revision.objects.open().get().pk
    assert mine.post(role_url(role.pk), again).status_code == 302
    assert Revision.objects.open().get().data["body"] == "わたしの新しい本文"


def test_the_list_shows_each_records_state(editor, editor_in_chief, role):
    office = role.office
    hidden = RoleFactory(office=office, name="非公開の職種", published=False)
    drafted = RoleFactory(office=office, name="下書きのある職種")
    reviewed = RoleFactory(office=office, name="レビュー待ちの職種")
    scheduled = RoleFactory(office=office, name="予約の職種")
    client = logged_in(editor)
    for record in (drafted, reviewed, scheduled):
        assert save(client, role_url(record.pk), summary="直した要約").status_code == 302
    services.request_review(revision=services.open_draft(Role, reviewed.pk), by=editor)
    draft = services.open_draft(Role, scheduled.pk)
    services.request_review(revision=draft, by=editor)
    go_live = draft.created_at.replace(year=2099, month=4, day=1, hour=1, minute=0)  # 10:00 JST
    scheduling.schedule(revision=draft, by=editor_in_chief, go_live_at=go_live)

    html = client.get("/admin/careers/role/").content.decode()

    def state(record):
        row = re.search(rf">{record.name}</a>.*?</tr>", html, re.S).group(0)
        return re.search(r'field-publishing_state"><a href="[^"]+">([^<]+)</a>', row).group(1)

    assert state(role) == "公開中"
    assert state(hidden) == "非公開"
    assert state(drafted) == "公開中・下書きあり"
    assert state(reviewed) == "公開中・下書きあり（レビュー待ち）"
    assert state(scheduled) == "公開中・予約公開 4/1 10:00"


def test_every_select_and_filter_reads_japanese(editor, role):
    PointFactory(office=role.office)
    client = logged_in(editor)
    for url in [
        f"/admin/careers/office/{role.office.pk}/change/",  # the merit inline's kind
        "/admin/careers/role/add/",  # the office select
        "/admin/careers/role/",  # filters and the action list
        "/admin/careers/diagnosisquestion/add/",
    ]:
        html = client.get(url).content.decode()
        assert "Select an option" not in html, url
        assert "---------" not in html, url
    assert "選択してください" in client.get("/admin/careers/role/add/").content.decode()


def test_comparison_values_are_one_field_each(editor):
    office = OfficeFactory(comparison={})
    url = f"/admin/careers/office/{office.pk}/change/"
    client = logged_in(editor)
    html = client.get(url).content.decode()
    assert 'name="comparison"' not in html
    for name, label in [("revenue", "売上との関わり"), ("entry", "未経験からの入りやすさ")]:
        assert f'<label for="id_comparison_{name}">{label}' in html

    response = save(client, url, comparison_revenue="直接つくる")
    assert response.status_code == 200
    assert "6項目すべてを入力するか、すべて空にしてください" in response.content.decode()

    values = {
        f"comparison_{key}": f"{key}の値"
        for key in ("revenue", "customer_contact", "expertise", "visibility", "workstyle", "entry")
    }
    assert save(client, url, **values).status_code == 302
    assert services.open_draft(Office, office.pk).data["comparison"] == {
        key: f"{key}の値"
        for key in ("revenue", "customer_contact", "expertise", "visibility", "workstyle", "entry")
    }


def test_fields_say_their_limits_and_count_characters(editor, role):
    client = logged_in(editor)
    html = unescape(client.get(role_url(role.pk)).content.decode())
    # The field's own limit: the smaller of max_length (200) and its validators (80).
    summary = re.search(r"<input[^>]*name=\"summary\"[^>]*>", html).group(0)
    assert 'data-limit="80"' in summary
    assert "80字以内" in html
    body = re.search(r"<textarea[^>]*name=\"body\"[^>]*>", html).group(0)
    assert 'data-limit="10000"' in body
    assert "10,000字以内" in html and "Markdown で書けます" in html
    assert "/static/js/admin-counter.js" in html

    # Without JavaScript the server says the same, and keeps the text.
    response = save(client, role_url(role.pk), body="あ" * 10_001)
    assert response.status_code == 200
    assert "長すぎます（10,001 文字）。10,000 文字以内にしてください。" in unescape(
        response.content.decode()
    )
    assert not Revision.objects.exists()


def test_work_a_save_leaves_for_after_commit_never_runs_for_a_draft(
    editor, editor_in_chief, role, django_capture_on_commit_callbacks
):
    """What a content save defers to after commit (the shared cache's revision, say)
    is dropped with the savepoint; a publish runs it once."""
    ran = []

    def after_save(sender, instance, **kwargs):
        transaction.on_commit(lambda: ran.append(instance.name))

    post_save.connect(after_save, sender=Role, dispatch_uid="test-after-save")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert (
                save(logged_in(editor), role_url(role.pk), name="下書きの名前").status_code == 302
            )
        assert ran == []
        with django_capture_on_commit_callbacks(execute=True):
            services.publish(revision=services.open_draft(Role, role.pk), by=editor_in_chief)
        assert ran == ["下書きの名前"]
    finally:
        post_save.disconnect(sender=Role, dispatch_uid="test-after-save")


def test_saving_a_draft_untouched_keeps_it_and_its_review_request(editor, role):
    client = logged_in(editor)
    assert save(client, role_url(role.pk), summary="直した要約").status_code == 302
    draft = services.request_review(revision=services.open_draft(Role, role.pk), by=editor)

    response = client.post(role_url(role.pk), form_data(client.get(role_url(role.pk))), follow=True)

    assert "変更がないため、下書きは作りませんでした。" in response.content.decode()
    assert list(Revision.objects.values_list("pk", "state")) == [(draft.pk, State.IN_REVIEW)]
