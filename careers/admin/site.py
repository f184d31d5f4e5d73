"""The admin site, and what every admin page shares.

Settings install careers.admin_apps.GuideAdminConfig, whose default site is
GuideAdminSite; when settings.ADMIN_REQUIRE_2FA is on, OTPAdminConfig and the site
with a second factor instead. Either way `admin.site` (and every `@admin.register`)
is ours, and every admin view gets its input cleaned (careers/admin/input.py). The
OTP site keeps the name "admin": `admin:…` URLs reverse the same with and without
two-factor login. django-otp ships no Japanese, so the login page and its
messages are ours.
"""

from django import forms
from django.contrib.admin import AdminSite
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.models import Device

from careers.admin.input import CleanInputMixin
from careers.japanese import nfkc


class OTPCodeField(forms.CharField):
    """A one-time code as an authenticator app shows it and people type it: `228 151`,
    full-width digits, any spaces. Only the digits reach django-otp, so a valid code
    is never counted as a failed try."""

    def to_python(self, value):
        return "".join(nfkc(super().to_python(value)).split())


class JapaneseOTPAuthenticationForm(OTPAdminAuthenticationForm):
    otp_token = OTPCodeField(
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": "認証アプリに表示されている確認コードを入力してください。",
        "invalid_token": "確認コードが正しくありません。もう一度入力してください。",
        "n_failed_attempts": "確認コードの誤りが続いたため、しばらく確認できません。時間をおいてお試しください。",
        "verification_not_allowed": "現在、確認コードによる認証を受け付けていません。",
        "device_required": "端末を選択してください。",
    }

    def _chosen_device(self, user):
        """The device picked, or the user's only device: one step for the usual case.

        (django-otp 1.7 asks for an explicit choice, so as not to count a failure
        against every device; with a single device there is nothing to choose.)
        """
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user))
            if len(devices) == 1:
                device = Device.from_persistent_id(devices[0].persistent_id, for_verify=True)
        return device


class GuideAdminSite(CleanInputMixin, AdminSite):
    """The admin site without a second factor (development, tests)."""


class GuideOTPAdminSite(CleanInputMixin, OTPAdminSite):
    login_form = JapaneseOTPAuthenticationForm
    login_template = "admin/otp_login.html"

    def __init__(self, name="admin"):
        super().__init__(name)


# Django 6.1's "- Select an option -" has no Japanese translation yet.
BLANK_CHOICE = [("", "選択してください")]


class JapaneseChoicesMixin:
    """ModelAdmin/inline mixin: blank choices of selects and the action list in Japanese."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        field.choices = [
            (value, BLANK_CHOICE[0][1] if value == "" else label) for value, label in field.choices
        ]
        return field

    def get_action_choices(self, request, default_choices=None, action_location=None):
        kwargs = {} if action_location is None else {"action_location": action_location}
        return super().get_action_choices(request, default_choices or BLANK_CHOICE, **kwargs)


class ReadOnlyAdminMixin:
    """Nothing can be added, changed or deleted through this admin or inline."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
