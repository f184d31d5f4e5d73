"""What every admin view receives (careers/admin/input.py): no query string on any
list page gives a 5xx, and text is stored with `\\n` line endings only."""

import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.main import ALL_VAR, ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from careers import services
from careers.content import export
from careers.models import AccessLog, ConsultationRequest, Page, Revision
from tests.admin.helpers import REQUESTS, change_url, form_data, logged_in
from tests.factories import FaqFactory, OfficeFactory, PageFactory, PointFactory, RoleFactory

# Tried on every parameter: the NUL of the report (PostgreSQL refuses it), a digit
# that int() refuses, a number beyond any column and any date.
JUNK_VALUES = ["back\x00", "²", "99999999999999999999"]
# Generated, for any mix of parameters: those and digits that are not ASCII,
# impossible dates, lone surrogates, long and arbitrary text.
JUNK = st.one_of(
    st.sampled_from(
        [*JUNK_VALUES, "\x00", "٣", "-1", "1.5", "1e9", "2024-02-30", "\ud800", "'\"<>;--", ""]
    ),
    st.just("x" * 5000),
    st.text(st.characters(codec="utf-8") | st.sampled_from(["\x00", "\ud800"]), max_size=40),
    st.integers().map(str),
)


def encoded(query: dict[str, str]) -> str:
    """A query string as a browser could send it, lone surrogates as raw bytes."""
    return "&".join(
        f"{quote(key)}={quote(value.encode('utf-8', 'surrogatepass'), safe='')}"
        for key, value in query.items()
    )


@pytest.fixture
def everything(superuser, agent, consultation):
    """A row for every list page, with the filters' related rows."""
    for slug in ("middle", "back"):  # two of each: a filter with one choice is not shown
        office = OfficeFactory(slug=slug)
        RoleFactory(office=office, slug="accounting")
        PointFactory(office=office)
        FaqFactory(office=office)
    PageFactory()
    services.assign(consultation=consultation, assignee=agent, by=agent)
    services.record_access(user=agent, action=AccessLog.Action.VIEW, consultation=consultation)
    return superuser


@pytest.fixture
def superuser_client(everything):
    return logged_in(everything)


@pytest.fixture
def list_pages(superuser_client) -> list[tuple[str, list[str]]]:
    """(changelist URL, the parameters of its filters, search and date hierarchy)
    for every registered ModelAdmin."""
    client = superuser_client
    pages = []
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        changelist = response.context["cl"]
        list_filter = model_admin.get_list_filter(response.wsgi_request)
        assert len(changelist.filter_specs) == len(list_filter), url  # every filter shown
        params = [name for spec in changelist.filter_specs for name in spec.expected_parameters()]
        if model_admin.search_fields:
            params.append(SEARCH_VAR)
        if changelist.date_hierarchy:
            params += [f"{changelist.date_hierarchy}__{part}" for part in ("year", "month", "day")]
        pages.append((url, params))
    return pages


def test_every_list_parameter_survives_junk(superuser_client, list_pages):
    client = superuser_client
    failures = []
    for url, params in list_pages:
        for param in params:
            for value in JUNK_VALUES:
                response = client.get(url, QUERY_STRING=encoded({param: value}))
                if response.status_code >= 500:
                    failures.append((url, param, value[:20]))
    assert failures == []
    # All the list filters were there to try: the inbox's seven among them.
    inbox = dict(list_pages)[REQUESTS]
    assert {"status", "assignee", "interest", "overdue", "waiting", "email_problem", "q"} <= set(
        inbox
    )


@hypothesis_settings(max_examples=100)
@given(data=st.data())
def test_no_query_string_on_any_list_page_is_a_5xx(superuser_client, list_pages, data):
    url, params = data.draw(st.sampled_from(list_pages))
    params = [*params, ORDER_VAR, PAGE_VAR, ALL_VAR]  # Django's own, the same on every page
    query = data.draw(st.dictionaries(st.sampled_from(params), JUNK, min_size=1, max_size=4))
    response = superuser_client.get(url, QUERY_STRING=encoded(query))
    assert response.status_code < 500, (url, query)


def test_a_nul_in_the_interest_filter_is_ignored(agent, consultation):
    consultation.interests = ["back"]
    consultation.save()
    response = logged_in(agent).get(REQUESTS, QUERY_STRING="interest=back%00")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_our_admins_are_registered_with_and_without_two_factor_login():
    """Building the lazy admin site must not import careers.admin mid-build (which
    registered our models on a second site, then dropped)."""
    code = (
        "import django; django.setup(); from django.contrib import admin; "
        "from careers.models import ConsultationRequest, Role; "
        "print(admin.site.__class__.__name__, admin.site.is_registered(ConsultationRequest), "
        "admin.site.is_registered(Role))"
    )
    for required, site in (("0", "GuideAdminSite"), ("1", "GuideOTPAdminSite")):
        env = {
            **os.environ,
            "ADMIN_REQUIRE_2FA": required,
            "DJANGO_SETTINGS_MODULE": "guide.settings",
        }
        result = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.split()[-3:] == [site, "True", "True"]
    assert admin.site.is_registered(ConsultationRequest)


# --- Line endings: browsers send a textarea's lines as \r\n ----------------------
def crlf(data: dict) -> dict:
    return {
        key: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for key, value in data.items()
    }


def text_values(obj) -> dict[str, str]:
    return {
        field.name: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if isinstance(getattr(obj, field.attname), str)
    }


def test_an_untouched_change_form_changes_nothing_in_any_content_admin(superuser, tmp_path):
    office = OfficeFactory(slug="back", body="一行目\n二行目")
    role = RoleFactory(office=office, suited_for="- 数字が好きな人\n- 細かい作業が得意な人")
    PointFactory(office=office, body="本文\n続き")
    FaqFactory(office=office, answer="回答\n続き")
    PageFactory(body="本文\n続き")
    client = logged_in(superuser)
    # Merits and FAQs are edited inside their office's form (careers/admin/content.py).
    for obj in (office, role, *Page.objects.all()):
        url = reverse(f"admin:careers_{obj._meta.model_name}_change", args=[obj.pk])
        before = text_values(type(obj).objects.get(pk=obj.pk))
        response = client.post(url, crlf(form_data(client.get(url))), follow=True)
        assert response.redirect_chain, (url, response.context and response.context["errors"])
        after = text_values(type(obj).objects.get(pk=obj.pk))
        assert {k: v for k, v in after.items() if k != "updated_at"} == {
            k: v for k, v in before.items() if k != "updated_at"
        }, url
        # Nothing recorded as changed: no draft is stored for an untouched form.
        assert "変更がないため、下書きは作りませんでした。" in response.content.decode(), url
        assert not Revision.objects.exists(), url

    export(tmp_path)
    exported = (tmp_path / "roles" / "back" / f"{role.slug}.md").read_text(encoding="utf-8")
    assert "suited_for: |-\n  - 数字が好きな人\n  - 細かい作業が得意な人\n" in exported


def test_a_note_is_stored_with_line_feeds(agent, consultation):
    client = logged_in(agent)
    data = form_data(client.get(change_url(consultation)))
    note = next(key for key in data if key.endswith("-body"))
    data[note] = "電話した。\r\n来週また連絡する。"
    assert client.post(change_url(consultation), data).status_code == 302
    assert consultation.notes.get().body == "電話した。\n来週また連絡する。"
