"""The content revision and the whole-page cache: zero-query repeats, never a stale page."""

import pytest
from django.core.cache import cache
from django.db import transaction

from careers.caching import REVISION_KEY, bump_revision, cache_key, current_revision
from careers.models import ContentRevision, Point, Role
from tests.factories import OfficeFactory, PointFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def role():
    office = OfficeFactory(slug="middle", name="ミドルオフィス")
    return RoleFactory(office=office, slug="risk-management", name="リスク管理")


ROLE_URL = "/offices/middle/risk-management/"


def test_a_cached_page_costs_no_query(client, role, django_assert_num_queries):
    first = client.get(ROLE_URL)
    with django_assert_num_queries(0):
        second = client.get(ROLE_URL)
    assert second.status_code == 200
    assert second.content == first.content


def test_the_revision_is_read_from_postgresql_only_when_the_cache_lost_it(
    role, django_assert_num_queries
):
    number = ContentRevision.objects.get().number
    cache.delete(REVISION_KEY)
    with django_assert_num_queries(1):
        assert current_revision() == number
    with django_assert_num_queries(0):
        assert current_revision() == number


def test_a_save_shows_on_the_page_once_committed(client, role, django_capture_on_commit_callbacks):
    client.get(ROLE_URL)
    with django_capture_on_commit_callbacks(execute=True):
        role.name = "市場リスク管理"
        role.save()
    assert "<h1>市場リスク管理</h1>" in client.get(ROLE_URL).content.decode()


def test_the_shared_cache_gets_the_new_revision_only_after_commit(
    role, django_capture_on_commit_callbacks
):
    before = current_revision()
    with django_capture_on_commit_callbacks() as callbacks:
        role.save()
        # Inside the transaction other workers must keep the committed number.
        assert cache.get(REVISION_KEY) == before
    assert len(callbacks) == 1
    callbacks[0]()
    assert cache.get(REVISION_KEY) == before + 1


def test_a_rolled_back_save_changes_neither_the_row_nor_the_cache(
    role, django_capture_on_commit_callbacks
):
    before = current_revision()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        role.save()
        raise RuntimeError("rolled back")
    assert ContentRevision.objects.get().number == before
    assert current_revision() == before


def test_deleting_a_point_shows_at_once_even_through_a_queryset(
    client, role, django_capture_on_commit_callbacks
):
    PointFactory(office=role.office, title="消えるメリット")
    assert "消えるメリット" in client.get("/offices/middle/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Point.objects.filter(title="消えるメリット").delete()
    assert "消えるメリット" not in client.get("/offices/middle/").content.decode()


def test_every_content_change_bumps_the_revision(role, django_capture_on_commit_callbacks):
    before = current_revision()
    with django_capture_on_commit_callbacks(execute=True):
        PointFactory(office=role.office)
    assert current_revision() == before + 1
    assert ContentRevision.objects.count() == 1


def test_publishing_code_can_bump_the_revision_itself(
    client, role, django_capture_on_commit_callbacks
):
    client.get(ROLE_URL)
    # A change without a model signal (as a publish may make) plus an explicit bump.
    Role.objects.filter(pk=role.pk).update(name="公開された名前")
    with django_capture_on_commit_callbacks(execute=True):
        bump_revision()
    assert "<h1>公開された名前</h1>" in client.get(ROLE_URL).content.decode()


def test_a_not_found_page_is_not_cached(client, role):
    # update() sends no signal, so the revision stays: only a cached 404 could hide the role.
    Role.objects.filter(pk=role.pk).update(published=False)
    assert client.get(ROLE_URL).status_code == 404
    Role.objects.filter(pk=role.pk).update(published=True)
    assert client.get(ROLE_URL).status_code == 200


def test_unknown_query_strings_share_the_page(client, role, django_assert_num_queries):
    client.get(ROLE_URL)
    with django_assert_num_queries(0):
        assert client.get(ROLE_URL + "?utm_source=x").status_code == 200


def test_a_new_release_does_not_reuse_old_pages(client, settings, role):
    settings.RELEASE = "a"
    client.get(ROLE_URL)
    Role.objects.filter(pk=role.pk).update(name="新しいテンプレート")
    settings.RELEASE = "b"
    assert "<h1>新しいテンプレート</h1>" in client.get(ROLE_URL).content.decode()
    old = cache_key(1, "x")
    settings.RELEASE = "c"
    assert cache_key(1, "x") != old
