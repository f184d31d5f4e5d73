"""Previews: the draft on its real page, never stored or indexed; the 監修者's share link."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.utils import timezone

from careers.models import Revision, Role
from careers.publishing import services
from careers.publishing.preview import SHARE_SALT, share_url
from careers.publishing.records import applied, capture
from tests.admin.helpers import logged_in
from tests.factories import OfficeFactory, PointFactory, RoleFactory

ROLE_URL = "/offices/middle/risk/"


@pytest.fixture
def draft(db):
    office = OfficeFactory(slug="middle", name="ミドルオフィス")
    RoleFactory(office=office, slug="legal", name="法務・コンプライアンス", order=1)
    role = RoleFactory(office=office, slug="risk", name="リスク管理", body="公開中の本文", order=2)
    PointFactory(office=office, title="専門性")
    role.body = "下書きの**本文**"
    with applied(None):
        role.save()
        captured = capture(Role, role.pk)
    return services.save_draft(captured=captured, by=None, base_id=None)


def cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def preview_page(revision):
    return f"/admin/careers/revision/{revision.pk}/preview/page/"


def test_staff_see_the_draft_on_its_real_page_marked_and_never_stored(editor, draft):
    public = Client().get(ROLE_URL)
    client = logged_in(editor)

    response = client.get(preview_page(draft))

    html = response.content.decode()
    assert response.status_code == 200
    assert "下書きの<strong>本文</strong>" in html and "公開中の本文" not in html
    assert 'role="status">プレビュー（未公開）: ミドルオフィス / リスク管理' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert {"private", "no-store"} <= cache_control(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # The real neighbours: breadcrumbs, sibling roles, the canonical address.
    assert '<a href="/offices/middle/">ミドルオフィス</a>' in html
    assert '<a href="/offices/middle/legal/">法務・コンプライアンス</a>' in html
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{ROLE_URL}">' in html
    # Nothing of the draft reached the page cache or the database.
    assert Client().get(ROLE_URL).content == public.content
    Role.objects.get(slug="legal").save()  # any later content change
    assert "公開中の本文" in Client().get(ROLE_URL).content.decode()
    assert Role.objects.get(slug="risk").body == "公開中の本文"


def test_only_the_preview_page_may_be_framed_and_only_by_us(editor, draft):
    client = logged_in(editor)
    frames = client.get(f"/admin/careers/revision/{draft.pk}/preview/")
    html = frames.content.decode()
    assert html.count(f'<iframe src="{preview_page(draft)}"') == 2
    assert "スマートフォン（幅 390px）" in html and "パソコン" in html
    assert frames["X-Frame-Options"] == "DENY"

    page = client.get(preview_page(draft))
    assert page["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in page["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in Client().get(ROLE_URL)["Content-Security-Policy"]


def test_an_unpublished_new_role_is_previewed_too(editor, draft):
    role = Role.objects.get(slug="legal")
    role.slug, role.name, role.published = "new-role", "新しい職種", False
    with applied(None):
        role.pk = None
        role.save()
        captured = capture(Role, role.pk)
    new = services.save_draft(captured=captured, by=None, base_id=None)

    html = logged_in(editor).get(preview_page(new)).content.decode()

    assert "<h1>新しい職種</h1>" in html
    assert Client().get("/offices/middle/new-role/").status_code == 404


def test_previews_are_for_content_staff_only(agent, draft):
    assert logged_in(agent).get(preview_page(draft)).status_code == 403
    anonymous = Client().get(preview_page(draft))
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


def test_a_share_link_shows_that_one_draft_to_anyone_for_seven_days(draft):
    url = share_url(draft)
    assert str(draft.pk) not in url.split("/")[-2][:3]  # an opaque token, not an id

    response = Client().get(url)

    assert response.status_code == 200
    assert "下書きの<strong>本文</strong>" in response.content.decode()
    assert {"private", "no-store"} <= cache_control(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert Client().get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert Client().get(url).status_code == 404


def test_a_forged_altered_or_withdrawn_share_link_is_a_plain_404(draft):
    token = share_url(draft).split("/")[-2]
    forged = [
        signing.dumps(draft.pk),  # no salt: another purpose's signature
        signing.dumps(draft.pk, salt="another-purpose"),
        signing.dumps(draft.pk + 1, salt=SHARE_SALT)[:-1] + "x",
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "not-a-token",
    ]
    for value in forged:
        response = Client().get(f"/preview/{value}/")
        assert response.status_code == 404, value
        assert "下書き" not in response.content.decode()
        assert "<h1>ページが見つかりません</h1>" in response.content.decode()

    services.discard(revision=draft, by=None)
    assert Client().get(f"/preview/{token}/").status_code == 404
    assert Revision.objects.get().state == Revision.State.DISCARDED


def test_a_new_save_retires_the_share_link_of_the_old_draft(draft):
    url = share_url(draft)
    role = Role.objects.get(slug="risk")
    with applied(draft):
        role.refresh_from_db()
        role.summary = "また直した"
        role.save()
        captured = capture(Role, role.pk)
    services.save_draft(captured=captured, by=None, base_id=draft.pk)

    assert Client().get(url).status_code == 404
    assert re.search(r"preview/[^/]+/$", url)
