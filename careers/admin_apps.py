"""Imported while apps load, so it imports nothing that needs models (see admin_site.py)."""

from django.contrib.admin.apps import AdminConfig


class OTPAdminConfig(AdminConfig):
    default_site = "careers.admin.site.GuideOTPAdminSite"
