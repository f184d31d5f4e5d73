"""Each office's identity: a colour and a small icon, chosen by editors from fixed sets.

Only the names live in the database (Office.colour, Office.icon). Each colour's
shades are the `.identity--<name>` rule of static/css/site.css, where every use
(cards, headings, the comparison table, the diagrams) reads them; tests/
test_identity.py checks every pair of them for WCAG 2.2 AA contrast. The icons
are our own simple line drawings on a 24×24 grid.
"""

from django.db import models
from django.utils.html import format_html


class Colour(models.TextChoices):
    ORANGE = "orange", "だいだい"
    PURPLE = "purple", "むらさき"
    TEAL = "teal", "青緑"
    BLUE = "blue", "青"
    GREEN = "green", "緑"


class Icon(models.TextChoices):
    ARROW = "arrow", "矢印（前へ進む）"
    BRIDGE = "bridge", "つながった輪（橋渡し）"
    SHIELD = "shield", "盾（守る）"
    CHART = "chart", "グラフ"
    GEAR = "gear", "歯車"


# Icon → SVG path data (stroked, 24×24 viewBox).
ICON_PATHS = {
    Icon.ARROW: "M3 12h14M12 6l6 6-6 6M20 5v14",
    Icon.BRIDGE: "M3 12a4 4 0 0 1 8 0a4 4 0 0 1-8 0M13 12a4 4 0 0 1 8 0a4 4 0 0 1-8 0M8 12h8",
    Icon.SHIELD: "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM8.5 12l2.5 2.5 4.5-5",
    Icon.CHART: "M4 20V4M4 20h16M8 16v-5M12 16V8M16 16v-8",
    Icon.GEAR: "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8M12 2v3M12 19v3M2 12h3M19 12h3M5 5l2 2M17 17l2 2M5 19l2-2M17 7l2-2",
}


def icon_svg(icon: str, *, css_class: str = "icon") -> str:
    """An inline, decorative <svg> of `icon` (an Icon value; unknown → no markup).

    Coloured by `currentColor`, so it takes the colour of the text around it;
    hidden from screen readers, which read the office's name beside it.
    """
    path = ICON_PATHS.get(icon)
    if path is None:
        return ""
    return format_html(
        '<svg class="{}" viewBox="0 0 24 24" aria-hidden="true">'
        '<path d="{}" fill="none" stroke="currentColor" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round"/></svg>',
        css_class,
        path,
    )
