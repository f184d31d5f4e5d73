"""The whole-page cache: fast repeats, and never a stale page after a content change."""

import pytest

from careers.caching import cache_key, current_revision
from careers.models import ContentRevision, Point, Role
from tests.factories import OfficeFactory, PointFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def role():
    office = OfficeFactory(slug="middle", name="ミドルオフィス")
    return RoleFactory(office=office, slug="risk-management", name="リスク管理")


ROLE_URL = "/offices/middle/risk-management/"


def test_a_cached_page_costs_one_query(client, role, django_assert_num_queries):
    first = client.get(ROLE_URL)
    with django_assert_num_queries(1):
        second = client.get(ROLE_URL)
    assert second.status_code == 200
    assert second.content == first.content


def test_a_save_shows_on_the_page_at_once(client, role):
    client.get(ROLE_URL)
    role.name = "市場リスク管理"
    role.save()
    assert "<h1>市場リスク管理</h1>" in client.get(ROLE_URL).content.decode()


def test_deleting_a_point_shows_at_once_even_through_a_queryset(client, role):
    PointFactory(office=role.office, title="消えるメリット")
    assert "消えるメリット" in client.get("/offices/middle/").content.decode()
    Point.objects.filter(title="消えるメリット").delete()
    assert "消えるメリット" not in client.get("/offices/middle/").content.decode()


def test_every_content_change_bumps_the_revision(role):
    before = current_revision()
    PointFactory(office=role.office)
    assert current_revision() == before + 1
    assert ContentRevision.objects.count() == 1


def test_a_not_found_page_is_not_cached(client, role):
    # update() sends no signal, so the revision stays: only a cached 404 could hide the role.
    Role.objects.filter(pk=role.pk).update(published=False)
    assert client.get(ROLE_URL).status_code == 404
    Role.objects.filter(pk=role.pk).update(published=True)
    assert client.get(ROLE_URL).status_code == 200


def test_unknown_query_strings_share_the_page(client, role, django_assert_num_queries):
    client.get(ROLE_URL)
    with django_assert_num_queries(1):
        assert client.get(ROLE_URL + "?utm_source=x").status_code == 200


def test_a_new_release_does_not_reuse_old_pages(settings, role):
    settings.RELEASE = "a"
    old = cache_key(1, "x")
    settings.RELEASE = "b"
    assert cache_key(1, "x") != old


def test_the_consultation_form_is_not_cached_whole(client, role):
    first = client.get("/consultation/")
    second = client.get("/consultation/")
    # Each render has its own one-time token (and CSRF token).
    assert first.context["form"]["token"].value() != second.context["form"]["token"].value()
