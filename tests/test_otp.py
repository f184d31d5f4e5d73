"""Two-factor admin login: the code is accepted as an authenticator app shows it."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import path
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from careers.admin.site import GuideOTPAdminSite, JapaneseOTPAuthenticationForm

PASSWORD = "correct-horse-battery"
# The two-factor site as it runs with ADMIN_REQUIRE_2FA=1.
urlpatterns = [path("admin/", GuideOTPAdminSite().urls)]

FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
# Spaces people and apps put in a code: ASCII, no-break, ideographic (full-width), tab.
SPACES = st.text(st.sampled_from(" \u00a0\u3000\t"), max_size=2)


@st.composite
def displayed(draw, code):
    """`code` as typed from an app: any digit full-width, spaces between or around."""
    parts = [draw(SPACES)]
    for digit in code:
        parts += [FULL_WIDTH[digit] if draw(st.booleans()) else digit, draw(SPACES)]
    return "".join(parts)


@given(data=st.data(), code=st.from_regex(r"[0-9]{6}", fullmatch=True))
def test_the_code_field_keeps_only_the_digits(data, code):
    field = JapaneseOTPAuthenticationForm.base_fields["otp_token"]
    assert field.clean(data.draw(displayed(code))) == code


@pytest.fixture
def enrolled(db):
    user = User.objects.create_user("agent", password=PASSWORD, is_staff=True)
    return TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)


@pytest.mark.urls("tests.test_otp")
@pytest.mark.parametrize(
    "shown",
    [lambda c: f"{c[:3]} {c[3:]}", lambda c: "".join(FULL_WIDTH[d] for d in c), str.strip],
    ids=["spaced", "full-width", "plain"],
)
def test_a_valid_code_as_shown_logs_in_without_a_failed_try(enrolled, shown):
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "agent",
            "password": PASSWORD,
            "otp_token": shown(f"{totp(enrolled.bin_key):06d}"),
        },
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    enrolled.refresh_from_db()
    assert enrolled.throttling_failure_count == 0
