"""`manage.py create_staff`: one command gives a newcomer a staff user in a group."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from careers.staff import AGENTS_GROUP, EDITORS_GROUP, EDITORS_IN_CHIEF_GROUP


@pytest.fixture
def typed_passwords(monkeypatch):
    """What the person types at each password prompt, in order."""
    answers = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": answers.pop(0))
    return answers


def test_creates_a_staff_user_in_the_group_who_can_open_the_admin(db, client, typed_passwords):
    typed_passwords.extend(["長くて推測されにくい-pass-2026"] * 2)
    out = io.StringIO()

    call_command(
        "create_staff", "hanako", "--group", EDITORS_GROUP, "--name", "山田 花子", stdout=out
    )

    user = get_user_model().objects.get(username="hanako")
    assert user.is_staff and user.is_active and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS_GROUP]
    assert user.get_full_name() == "山田 花子"
    assert "スタッフ「hanako」を作成しました" in out.getvalue()
    assert user.check_password("長くて推測されにくい-pass-2026")
    client.force_login(user)  # no client.login(): django-axes needs a request for that
    assert client.get("/admin/careers/role/").status_code == 200
    assert client.get("/admin/careers/consultationrequest/").status_code == 403


def test_an_existing_user_is_made_staff_and_added_without_a_new_password(db, typed_passwords):
    user = get_user_model().objects.create_user("taro", password="x")
    call_command("create_staff", "taro", "--group", AGENTS_GROUP, stdout=io.StringIO())
    user.refresh_from_db()
    assert user.is_staff and user.check_password("x")
    assert list(user.groups.values_list("name", flat=True)) == [AGENTS_GROUP]


def test_an_editor_in_chief_is_created_like_any_staff(db, typed_passwords):
    typed_passwords.extend(["長くて推測されにくい-pass-2026"] * 2)
    call_command("create_staff", "chief", "--group", EDITORS_IN_CHIEF_GROUP, stdout=io.StringIO())
    user = get_user_model().objects.get(username="chief")
    assert list(user.groups.values_list("name", flat=True)) == ["編集長"]
    assert user.has_perm("careers.publish_revision") and user.has_perm("careers.change_role")


def test_a_weak_or_mistyped_password_is_refused(db, typed_passwords):
    typed_passwords.extend(["a", "b", "password", "password", "12345678", "12345678"])
    with pytest.raises(CommandError, match="パスワードを設定できませんでした"):
        call_command(
            "create_staff",
            "weak",
            "--group",
            EDITORS_GROUP,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert not get_user_model().objects.filter(username="weak").exists()


def test_an_unknown_group_is_refused(db):
    with pytest.raises(CommandError):
        call_command("create_staff", "x", "--group", "管理者", stdout=io.StringIO())
