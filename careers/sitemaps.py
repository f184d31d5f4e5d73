"""sitemap.xml: the guide's public pages, with absolute URLs on settings.SITE_URL.

URLs use SITE_URL rather than the request's host, so the sitemap names the
canonical address even when fetched through another name (a proxy, a health check).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from careers.models import Office, Role


class SiteUrlSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc or super().get_domain(site)


class StaticPagesSitemap(SiteUrlSitemap):
    names = (
        "careers:home",
        "careers:compare",
        "careers:compare_roles",
        "careers:career_map",
        "careers:diagnosis",
        "careers:glossary",
        "careers:consultation",
        "careers:privacy",
        "careers:terms",
        "careers:about",
    )

    def items(self):
        return list(self.names)

    def location(self, item):
        return reverse(item)


class OfficeSitemap(SiteUrlSitemap):
    def items(self):
        return Office.objects.published()

    def lastmod(self, office):
        return office.content_updated_at


class RoleSitemap(SiteUrlSitemap):
    def items(self):
        return Role.objects.published()

    def lastmod(self, role):
        return role.content_updated_at


SITEMAPS = {"pages": StaticPagesSitemap, "offices": OfficeSitemap, "roles": RoleSitemap}
