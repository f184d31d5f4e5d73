"""Least privilege: what each staff group may open, and what the groups hold."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from careers.models import AccessLog, ConsultationRequest
from tests.admin.helpers import ACCESS_LOG, ADMIN, REQUESTS, change_url, logged_in
from tests.factories import OfficeFactory, RoleFactory, StaffFactory

# --- Groups ------------------------------------------------------------------------


def codenames(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


DIAGNOSIS_MODELS = ["diagnosisquestion", "diagnosisanswer"]


def test_setup_groups_is_idempotent_and_least_privilege(staff_groups):
    agents = Group.objects.get(name="エージェント")
    agents.permissions.add(
        *Group.objects.get(name="編集者").permissions.filter(codename="change_office")
    )
    call_command("setup_groups", stdout=io.StringIO())  # again: same groups, same rights

    assert (
        Group.objects.filter(name__in=["編集者", "エージェント", "エージェント責任者"]).count() == 3
    )
    agent_rights = {
        "view_consultationrequest",
        "change_consultationrequest",
        "add_consultationnote",
        "view_consultationnote",
    }
    assert codenames("エージェント") == agent_rights
    assert codenames("エージェント責任者") == agent_rights | {
        "view_all_consultationrequest",
        "assign_consultationrequest",
        "export_consultationrequest",
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


def test_the_editor_in_chief_is_an_editor_who_may_also_publish(staff_groups):
    editor_rights, chief_rights = codenames("編集者"), codenames("編集長")
    assert "view_revision" in editor_rights and "publish_revision" not in editor_rights
    assert chief_rights == editor_rights | {"publish_revision"}
    assert not any("consultation" in c or "accesslog" in c for c in chief_rights)
    # Versions are written only by the workflow, never edited or deleted as rows.
    assert not {"add_revision", "change_revision", "delete_revision"} & chief_rights


# --- Permission matrix -------------------------------------------------------------


def request_urls(obj):
    return {
        "changelist": REQUESTS,
        "change": change_url(obj),
        "add": f"{REQUESTS}add/",
        "delete": f"{REQUESTS}{obj.pk}/delete/",
        "history": f"{REQUESTS}{obj.pk}/history/",
    }


@pytest.mark.parametrize("who", ["editor", "editor_in_chief"])
def test_editors_are_refused_every_consultation_page_and_the_export(who, consultation, request):
    client = logged_in(request.getfixturevalue(who))
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
    assert "assign_to_me" in actions and "export_csv" not in actions  # leads export
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
    client = logged_in(StaffFactory(username="newcomer"))
    assert client.get(REQUESTS).status_code == 403
    assert client.get("/admin/careers/office/").status_code == 403
