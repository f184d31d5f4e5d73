"""Imported while apps load, so it imports nothing that needs models (see admin/site.py)."""

from importlib import import_module

from django.contrib.admin.apps import AdminConfig


class GuideAdminConfig(AdminConfig):
    """Django's admin with our site (careers.admin.site) as `admin.site`."""

    default_site = "careers.admin.site.GuideAdminSite"

    def ready(self):
        # The site class lives in careers.admin, whose modules register on `admin.site`.
        # Imported first, they find it built; built first (by another app's admin),
        # the lazy site would import them mid-build, and they would register on a
        # second site that the first then replaces: an admin without our models.
        import_module("careers.admin")
        super().ready()


class OTPAdminConfig(GuideAdminConfig):
    default_site = "careers.admin.site.GuideOTPAdminSite"
