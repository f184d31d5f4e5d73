"""Staff login: lockout after failures, two-factor login in Japanese, TOTP enrolment."""

import io
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import path

from careers.admin.site import GuideOTPAdminSite
from tests.factories import (
    STAFF_PASSWORD,
    StaffFactory,
)

# --- Staff login -----------------------------------------------------------------


def test_login_locks_out_after_five_failures(db, settings):
    assert settings.AXES_ENABLED and settings.AXES_FAILURE_LIMIT == 5
    StaffFactory(username="agent")
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": "agent", "password": "wrong"})

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "agent", "password": STAFF_PASSWORD}
    )

    assert response.status_code == 429
    assert "ログインの失敗が続いたため" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_works_before_the_limit(db):
    StaffFactory(username="agent")
    client = Client()
    client.post("/admin/login/", {"username": "agent", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "agent", "password": STAFF_PASSWORD}
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


@pytest.mark.urls("tests.admin.test_site")
def test_two_factor_login_asks_for_the_code_in_japanese(db):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = StaffFactory(username="agent")
    device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)
    client = Client()
    page = client.get("/admin/login/").content.decode()
    assert "確認コード（6桁）" in page and "OTP" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=", page)

    without_code = client.post("/admin/login/", {"username": "agent", "password": STAFF_PASSWORD})
    assert (
        "認証アプリに表示されている確認コードを入力してください。" in without_code.content.decode()
    )
    wrong_code = client.post(
        "/admin/login/", {"username": "agent", "password": STAFF_PASSWORD, "otp_token": "000000"}
    )
    assert "確認コードが正しくありません。" in wrong_code.content.decode()
    assert client.get("/admin/").status_code == 302  # still not in

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "agent",
            "password": STAFF_PASSWORD,
            "otp_token": f"{totp(device.bin_key):06d}",
        },
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
