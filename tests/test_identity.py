"""Each office's colour and icon: AA contrast in every use, and the same on every page.

The shades are read from static/css/site.css itself (the one place they are
defined) and checked with WCAG 2.2's relative luminance and contrast ratio
(https://www.w3.org/TR/WCAG22/#dfn-relative-luminance).
"""

import re

import pytest
from django.conf import settings

from careers.identity import ICON_PATHS, Colour, Icon, icon_svg
from tests.factories import OfficeFactory, RoleFactory

CSS = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
AA_TEXT = 4.5


def css_colour(name: str, rule: str = ":root") -> str:
    """The value of custom property `--name` in the CSS rule whose selector is `rule`."""
    block = re.search(re.escape(rule) + r"\s*\{([^}]*)\}", CSS)
    assert block, rule
    value = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", block.group(1))
    assert value, (rule, name)
    return value.group(1)


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("colour", Colour.values)
def test_every_colour_is_aa_in_every_use(colour):
    rule = f".identity--{colour}"
    office, tint = css_colour("office", rule), css_colour("office-tint", rule)
    white, surface, text = "#ffffff", css_colour("surface"), css_colour("text")
    uses = {
        "icon, top rule and link-coloured text on the page": (office, white),
        "heading in the comparison table's header row": (office, surface),
        "office name and labels in the diagrams": (office, tint),
        "body text on the diagrams' boxes and the career map's nodes": (text, tint),
    }
    for use, (foreground, background) in uses.items():
        ratio = contrast(foreground, background)
        assert ratio >= AA_TEXT, f"{colour}: {use}: {ratio:.2f}"


def test_every_icon_has_a_drawing_and_is_hidden_from_screen_readers():
    assert set(ICON_PATHS) == set(Icon.values)
    svg = icon_svg(Icon.SHIELD)
    assert svg.startswith('<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">')
    assert "style=" not in svg
    assert icon_svg("no-such-icon") == ""


@pytest.mark.django_db
def test_an_editor_s_colour_and_icon_show_the_same_way_on_every_page(client):
    office = OfficeFactory(slug="back", name="バックオフィス", colour=Colour.GREEN, icon=Icon.GEAR)
    role = RoleFactory(office=office, slug="hr", name="人事")
    gear = ICON_PATHS[Icon.GEAR]

    pages = {
        "/": 'class="card identity--green"',
        "/compare/": '<th scope="col" class="identity--green">',
        "/offices/back/": '<header class="page-header identity--green">',
        role.get_absolute_url(): '<header class="page-header identity--green">',
        "/career-map/": '<li class="identity--green">',
    }
    for url, marker in pages.items():
        html = client.get(url).content.decode()
        assert marker in html, url
        assert gear in html, url
    for url in ("/", "/compare/"):
        diagram = re.search(
            r'<figure class="office-diagram">.*?</figure>', client.get(url).content.decode(), re.S
        )
        assert '<g class="identity--green">' in diagram.group(0), url
        assert gear in diagram.group(0), url
