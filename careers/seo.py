"""What search engines read: robots.txt and the JSON-LD data of content pages.

JSON-LD is built here as plain dicts (easy to test) and written into pages by
the `{% office_jsonld %}` / `{% role_jsonld %}` tags (careers/templatetags/seo.py).
"""

import json
from html import unescape

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.views.decorators.http import require_GET

from careers.models import Faq, Office, Role, RoleFaq

# In a <script> element only "</script" or "<!--" could end or confuse the data;
# escaping <, > and & (valid JSON escapes) rules both out.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def absolute_url(path: str) -> str:
    """`path` (starting with /) on the canonical SITE_URL."""
    return settings.SITE_URL + path


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        f"Disallow: {reverse('careers:consultation_thanks')}",
        "",
        f"Sitemap: {absolute_url(reverse('careers:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def dumps(data: object) -> str:
    """JSON for a `<script type="application/ld+json">` element; safe inside HTML."""
    return json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)


def organization() -> dict:
    """The editorial organisation (settings.EDITORIAL_ORGANIZATION) as a schema.org Organization."""
    return {
        "@type": "Organization",
        "name": settings.EDITORIAL_ORGANIZATION,
        "url": absolute_url("/"),
    }


def article(record: Office | Role, *, headline: str, description: str) -> dict:
    """A schema.org Article for an office or role page."""
    url = absolute_url(record.get_absolute_url())
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": headline,
        "description": description,
        "inLanguage": "ja",
        "dateModified": timezone.localtime(record.content_updated_at).isoformat(timespec="seconds"),
        "author": organization(),
        "publisher": organization(),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
    }


def breadcrumb_list(crumbs: list[tuple[str, str]]) -> dict:
    """A schema.org BreadcrumbList; `crumbs`: (name, path) pairs from the top page down."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute_url(path)}
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }


def faq_page(faqs: list[Faq] | list[RoleFaq]) -> dict:
    """A schema.org FAQPage of the FAQs, answers as plain text."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": faq.question,
                "acceptedAnswer": {"@type": "Answer", "text": _plain(faq.answer_html)},
            }
            for faq in faqs
        ],
    }


def _plain(html: str) -> str:
    return unescape(strip_tags(html)).strip()


def office_jsonld(office: Office) -> list[dict]:
    """JSON-LD of an office page: Article, BreadcrumbList and (if it has any) FAQPage.

    Uses the office's prefetched FAQs: no query of its own.
    """
    home = ("トップ", reverse("careers:home"))
    data = [
        article(
            office,
            headline=f"{office.name}とは？仕事内容とメリット・デメリット",
            description=office.summary,
        ),
        breadcrumb_list([home, (office.name, office.get_absolute_url())]),
    ]
    faqs = list(office.faqs.all())
    if faqs:
        data.append(faq_page(faqs))
    return data


def role_jsonld(role: Role) -> list[dict]:
    """JSON-LD of a role page: Article, BreadcrumbList and (if it has any) FAQPage.

    role.office must be loaded; uses the role's prefetched FAQs.
    """
    home = ("トップ", reverse("careers:home"))
    office = role.office
    data = [
        article(role, headline=f"{role.name}の仕事内容・向いている人", description=role.summary),
        breadcrumb_list(
            [home, (office.name, office.get_absolute_url()), (role.name, role.get_absolute_url())]
        ),
    ]
    faqs = list(role.faqs.all())
    if faqs:
        data.append(faq_page(faqs))
    return data
