"""Text about a consultation request that pages and emails share."""

from django import template

from careers import request_summary

register = template.Library()


@register.simple_tag
def next_steps() -> list[str]:
    """`{% next_steps as steps %}`: what happens after a request (request_summary.next_steps)."""
    return request_summary.next_steps()
