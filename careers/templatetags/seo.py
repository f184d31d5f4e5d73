"""`{% office_jsonld office %}`, `{% role_jsonld role %}`: JSON-LD data blocks for a page."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from careers import seo

register = template.Library()


def _scripts(context, items):
    # A LazyNonce is falsy until first used: test for None, not truth.
    nonce = context.get("csp_nonce")
    nonce_attr = format_html(' nonce="{}"', nonce) if nonce is not None else ""
    # seo.dumps() escapes <, > and &: the JSON cannot end the element early.
    return format_html_join(
        "\n",
        '<script type="application/ld+json"{}>{}</script>',
        ((nonce_attr, mark_safe(seo.dumps(item))) for item in items),
    )


@register.simple_tag(takes_context=True)
def office_jsonld(context, office):
    return _scripts(context, seo.office_data(office))


@register.simple_tag(takes_context=True)
def role_jsonld(context, role):
    return _scripts(context, seo.role_data(role))
