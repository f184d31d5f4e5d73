"""The admin site with a second factor, used when settings.ADMIN_REQUIRE_2FA is on.

settings swaps `django.contrib.admin` for careers.admin_apps.OTPAdminConfig, whose
default site is this one, so `admin.site` (and every `@admin.register`) is this
site. It keeps the name "admin": `admin:…` URLs reverse the same with and without
two-factor login. django-otp ships no Japanese, so the login page and its
messages are ours.
"""

from django import forms
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.models import Device


class JapaneseOTPAuthenticationForm(OTPAdminAuthenticationForm):
    otp_token = forms.CharField(
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


class GuideOTPAdminSite(OTPAdminSite):
    login_form = JapaneseOTPAuthenticationForm
    login_template = "admin/otp_login.html"

    def __init__(self, name="admin"):
        super().__init__(name)
