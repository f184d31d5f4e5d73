"""`{% office_jsonld office %}`, `{% role_jsonld role %}`: JSON-LD data blocks for a page."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from careers import seo

register = template.Library()


def _scripts(items):
    # Data blocks are never executed, so the CSP needs no nonce for them (and a
    # cached page must not carry one request's nonce). seo.dumps() escapes <, >
    # and &: the JSON cannot end the element early.
    return format_html_join(
        "\n",
        '<script type="application/ld+json">{}</script>',
        ((mark_safe(seo.dumps(item)),) for item in items),
    )


@register.simple_tag
def office_jsonld(office):
    return _scripts(seo.office_jsonld(office))


@register.simple_tag
def role_jsonld(role):
    return _scripts(seo.role_jsonld(role))
