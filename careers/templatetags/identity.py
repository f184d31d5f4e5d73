"""`{% office_icon office %}`: the office's icon (careers/identity.py), decorative."""

from django import template

from careers.diagrams import office_description, office_layouts
from careers.identity import icon_svg

register = template.Library()


@register.simple_tag
def office_icon(office, css_class="icon"):
    return icon_svg(office.icon, css_class=css_class)


@register.inclusion_tag("includes/office_diagram.html")
def office_diagram(offices, prefix="offices"):
    """The three offices at a glance: two SVG layouts (CSS shows one) and their words.

    `offices` must have their published roles prefetched: this makes no query.
    """
    offices = list(offices)
    wide, tall = office_layouts(offices)
    return {
        "layouts": [("wide", wide), ("tall", tall)],
        "description": office_description(offices),
        "prefix": prefix,
    }
