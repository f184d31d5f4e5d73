"""The admin site with a second factor, used when settings.ADMIN_REQUIRE_2FA is on.

settings swaps `django.contrib.admin` for careers.admin_apps.OTPAdminConfig, whose
default site is this one, so `admin.site` (and every `@admin.register`) is this
site. It keeps the name "admin": `admin:…` URLs reverse the same with and without
two-factor login.
"""

from django_otp.admin import OTPAdminSite


class GuideOTPAdminSite(OTPAdminSite):
    def __init__(self, name="admin"):
        super().__init__(name)
