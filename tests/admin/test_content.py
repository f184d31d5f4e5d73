"""The editors' workspace: edits are drafts, lists, Japanese pages without inline code."""

import re

from django.test import Client

from careers.models import Office, Role
from careers.publishing import services
from tests.admin.helpers import ADMIN, REQUESTS, change_url, form_data, logged_in
from tests.drafts import draft_of
from tests.factories import OfficeFactory, PointFactory, RoleFactory

# --- Editors' workspace ----------------------------------------------------------


def test_editing_a_merit_in_admin_saves_a_draft_the_page_shows_once_published(
    editor, superuser, django_capture_on_commit_callbacks
):
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

    with django_capture_on_commit_callbacks(
        execute=True
    ):  # the content revision reaches the cache after commit
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


# --- Role pages' structured content -----------------------------------------------------


def _role_form(client, role):
    url = f"/admin/careers/role/{role.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    return url, page, form_data(page)


def test_editors_change_a_role_s_faq_inline_with_the_live_preview(
    editor, superuser, django_capture_on_commit_callbacks
):
    role = RoleFactory()
    faq = role.faqs.create(question="資格は必要ですか？", answer="古い回答です。")
    client = logged_in(editor)
    url, page, data = _role_form(client, role)
    html = page.content.decode()
    for inline in ("1日の流れ", "役立つ資格", "職種のよくある質問", "出典つきの数字"):
        assert inline in html, inline
    assert 'name="faqs-0-answer"' in html and 'class="markdownx' in html
    [key] = [k for k, v in data.items() if k.endswith("-id") and str(v) == str(faq.pk)]
    data[key.replace("-id", "-answer")] = "**新しい**回答です。"

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert "古い回答" in Client().get(role.get_absolute_url()).content.decode()  # a draft
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # the content revision reaches the cache after commit
        services.publish(revision=services.open_draft(Role, role.pk), by=superuser)
    public = Client().get(role.get_absolute_url()).content.decode()
    assert "<strong>新しい</strong>回答です。" in public
    assert '"@type": "FAQPage"' in public


def test_a_figure_cannot_be_saved_without_its_source(editor):
    role = RoleFactory()
    client = logged_in(editor)
    url, _, data = _role_form(client, role)
    data.update(
        {
            "figures-TOTAL_FORMS": "1",
            "figures-0-label": "合格率",
            "figures-0-value": "40%",
            "figures-0-source": "",
            "figures-0-url": "",
            "figures-0-as_of": "2025年",
            "figures-0-order": "0",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    errors = str(response.context["inline_admin_formsets"][3].formset.errors)
    assert "このフィールドは必須です。" in errors
    assert "年月日（2025-06-08）か年月（2025-12）で書いてください" in errors
    assert not role.figures.exists()


def test_career_map_links_must_name_existing_roles(editor):
    role = RoleFactory()
    client = logged_in(editor)
    url, _, data = _role_form(client, role)
    data["next_roles"] = '["middle/nowhere"]'

    response = client.post(url, data)

    assert response.status_code == 200
    assert "職種 &#x27;middle/nowhere&#x27; はありません" in response.content.decode()
