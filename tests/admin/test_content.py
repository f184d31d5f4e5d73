"""The editors' workspace: edits are drafts, lists, Japanese pages without inline code."""

import re

from django.test import Client

from careers.models import Office
from careers.publishing import services
from tests.admin.helpers import ADMIN, REQUESTS, change_url, form_data, logged_in
from tests.drafts import draft_of
from tests.factories import OfficeFactory, PointFactory, RoleFactory

# --- Editors' workspace ----------------------------------------------------------


def test_editing_a_merit_in_admin_saves_a_draft_the_page_shows_once_published(editor, superuser):
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
    assert merit.body_html == "<p>古い本文です。</p>"  # the live row is untouched
    assert "古い本文" in Client().get(office.get_absolute_url()).content.decode()

    services.publish(revision=services.open_draft(Office, office.pk), by=superuser)

    merit.refresh_from_db()  # the same row: the draft keeps the merit's id
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
    # Lists edit nothing in place: one stray click there would change the live site.
    assert 'name="form-0-order"' not in roles and 'name="form-0-published"' not in roles


def test_admin_pages_have_no_inline_script_or_style_and_speak_japanese(superuser, consultation):
    office = OfficeFactory()
    PointFactory(office=office)
    draft = draft_of(office, body="下書きの本文")
    client = logged_in(superuser)
    for url in [
        ADMIN,
        REQUESTS,
        change_url(consultation),
        f"/admin/careers/office/{office.pk}/change/",
        f"/admin/careers/office/{office.pk}/publishing/",
        "/admin/careers/office/",
        "/admin/careers/revision/",
        "/admin/careers/revision/dashboard/",
        f"/admin/careers/revision/{draft.pk}/preview/",
        f"/admin/careers/revision/{draft.pk}/compare/live/",
    ]:
        response = client.get(url)
        html = response.content.decode()
        assert "Content-Security-Policy" in response.headers, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "Select an option" not in html, url
