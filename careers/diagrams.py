"""Layouts of the guide's inline SVG diagrams, computed from records already fetched.

The templates (templates/includes/office_diagram.html, career_map_svg.html) only
draw what these functions place, so no query and no arithmetic happens in them.
Text is placed line by line: SVG does not wrap, so lines are broken here by an
estimate of their width (a full-width character is 1 em, any other 0.6 em).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from careers.identity import ICON_PATHS

# Between the customers and the first office, then between neighbouring offices:
# (short label for the wide layout, the sentence for the tall one and the text alternative).
FLOWS = (
    ("売上", "商品やサービスを届け、売上を受け取る"),
    ("支援", "専門知識でフロントを支える"),
    ("連携", "前線と会社の土台をつなぐ"),
)
CUSTOMERS = "お客さん"


def text_width(text: str, size: float) -> float:
    """Estimated width of `text` at font size `size` (both in SVG user units)."""
    return sum(size if ord(char) > 0x2000 else size * 0.6 for char in text)


def wrap(text: str, width: float, size: float) -> list[str]:
    """`text` broken into lines no wider than `width` (character by character)."""
    lines, line = [], ""
    for char in text:
        if line and text_width(line + char, size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


@dataclass
class Text:
    x: float
    y: float
    text: str
    css: str  # a class of static/css/site.css: diagram__name, diagram__text, …


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float
    css: str  # the identity class (identity--teal) or "diagram__customers"
    texts: list[Text] = field(default_factory=list)
    icon: str = ""  # SVG path data
    icon_x: float = 0
    icon_y: float = 0


@dataclass
class Arrow:
    path: str  # the line
    heads: str  # both arrowheads, as one path
    label: Text | None = None


@dataclass
class Layout:
    width: float
    height: float
    boxes: list[Box]
    arrows: list[Arrow]


def _double_arrow(x1, y1, x2, y2, head=7):
    """A line from (x1, y1) to (x2, y2) with an arrowhead at each end."""
    angle = math.atan2(y2 - y1, x2 - x1)
    heads = []
    for (x, y), direction in (((x2, y2), angle), ((x1, y1), angle + math.pi)):
        left = (x - head * math.cos(direction - 0.5), y - head * math.sin(direction - 0.5))
        right = (x - head * math.cos(direction + 0.5), y - head * math.sin(direction + 0.5))
        heads.append(f"M{left[0]:.1f} {left[1]:.1f}L{x:.1f} {y:.1f}L{right[0]:.1f} {right[1]:.1f}Z")
    return f"M{x1:.1f} {y1:.1f}L{x2:.1f} {y2:.1f}", "".join(heads)


def _office_texts(office, x, y, w, *, inline_catchphrase):
    """The texts of an office's box, from (x, y) down; returns (texts, height used)."""
    pad, texts = 12, []
    if inline_catchphrase:
        texts.append(
            Text(x + 44, y + 30, f"{office.name}「{office.catchphrase}」", "diagram__name")
        )
        y_next = y + 58
    else:
        texts.append(Text(x + 44, y + 30, office.name, "diagram__name"))
        texts.append(Text(x + pad, y + 56, f"会社の「{office.catchphrase}」", "diagram__catch"))
        y_next = y + 82
    flow = office.comparison.get("revenue", "") if office.comparison else ""
    for line in wrap(flow, w - 2 * pad, 14):
        texts.append(Text(x + pad, y_next, line, "diagram__text"))
        y_next += 20
    roles = list(office.roles.all())
    if roles:
        y_next += 6
        texts.append(Text(x + pad, y_next, "主な職種", "diagram__label"))
        y_next += 22
        columns = 2 if inline_catchphrase else 1
        column_width = (w - 2 * pad) / columns
        for index, role in enumerate(roles):
            column, row = index % columns, index // columns
            texts.append(
                Text(x + pad + column * column_width, y_next + row * 20, role.name, "diagram__role")
            )
        y_next += math.ceil(len(roles) / columns) * 20
    return texts, y_next - y + 4


def office_layouts(offices: Sequence) -> tuple[Layout, Layout]:
    """(wide, tall) layouts of the offices and how work flows between them.

    `offices` in page order, each with its published roles prefetched. Wide puts
    the customers and the offices side by side (for 48rem and up); tall stacks
    them for phones, legible at 320 px.
    """
    offices = list(offices)
    return _wide(offices), _tall(offices)


def _wide(offices):
    width, customers_w, gap, top = 960, 96, 56, 30
    count = max(len(offices), 1)
    box_w = (width - customers_w - gap * count) / count
    boxes, heights = [], []
    for index, office in enumerate(offices):
        x = customers_w + gap + index * (box_w + gap)
        texts, height = _office_texts(office, x, top, box_w, inline_catchphrase=False)
        heights.append(height)
        boxes.append(Box(x, top, box_w, 0, f"identity--{office.colour}", texts))
        boxes[-1].icon, boxes[-1].icon_x, boxes[-1].icon_y = (
            ICON_PATHS.get(office.icon, ""),
            x + 12,
            top + 12,
        )
    box_h = max(heights, default=80)
    for box in boxes:
        box.h = box_h
    middle = top + box_h / 2
    customers = Box(0, middle - 30, customers_w, 60, "diagram__customers")
    customers.texts.append(Text(customers_w / 2, middle + 6, CUSTOMERS, "diagram__customers-text"))
    arrows = []
    for index, box in enumerate(boxes):
        x1 = box.x - gap + 6
        line, heads = _double_arrow(x1, middle, box.x - 6, middle)
        label = FLOWS[min(index, len(FLOWS) - 1)][0]
        arrows.append(
            Arrow(line, heads, Text(box.x - gap / 2, middle - 12, label, "diagram__flow"))
        )
    return Layout(width, top + box_h + 10, [customers, *boxes], arrows)


def _tall(offices):
    width, gap, customers_h = 320, 56, 40
    boxes, arrows = [], []
    customers = Box(80, 1, 160, customers_h, "diagram__customers")
    customers.texts.append(Text(160, 27, CUSTOMERS, "diagram__customers-text"))
    y = customers_h + 1
    for index, office in enumerate(offices):
        arrow_top, y = y + 4, y + gap
        line, heads = _double_arrow(40, arrow_top, 40, y - 4)
        label = FLOWS[min(index, len(FLOWS) - 1)][1]
        arrows.append(
            Arrow(line, heads, Text(56, arrow_top + gap / 2 + 2, label, "diagram__flow-long"))
        )
        texts, height = _office_texts(office, 1, y, width - 2, inline_catchphrase=True)
        box = Box(1, y, width - 2, height, f"identity--{office.colour}", texts)
        box.icon, box.icon_x, box.icon_y = ICON_PATHS.get(office.icon, ""), 13, y + 12
        boxes.append(box)
        y += height
    return Layout(width, y + 2, [customers, *boxes], arrows)


def office_description(offices: Sequence) -> str:
    """The diagram in words: its text alternative."""
    parts = []
    for index, office in enumerate(offices):
        flow = FLOWS[min(index, len(FLOWS) - 1)][1]
        roles = "、".join(role.name for role in office.roles.all())
        revenue = office.comparison.get("revenue", "") if office.comparison else ""
        text = f"{office.name}（会社の「{office.catchphrase}」）は{revenue}部門で、前の段とは「{flow}」関係です。"
        if roles:
            text += f"主な職種は{roles}。"
        parts.append(text)
    return (
        f"左から{CUSTOMERS}、"
        + "、".join(o.name for o in offices)
        + "の順に並びます。"
        + "".join(parts)
    )


@dataclass
class Node:
    x: float
    y: float
    css: str  # identity class
    label: Text


@dataclass
class Edge:
    path: str
    head: str  # arrowhead path ("" for a related pair)
    related: bool


@dataclass
class MapLayout:
    width: float
    height: float
    nodes: list[Node]
    edges: list[Edge]


def career_map_layout(links: Sequence, related_pairs: Sequence) -> MapLayout:
    """Every role on a circle, in site order from the top, clockwise; arrows for where
    people go next and dashed chords between roles sharing skills.

    `links` are careers.career_map.RoleLinks, `related_pairs` its related_pairs().
    """
    width, height, radius, node_r = 720.0, 520.0, 170.0, 9.0
    cx, cy = width / 2, height / 2
    count = max(len(links), 1)
    position, nodes = {}, []
    for index, item in enumerate(links):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        position[item.role.pk] = (x, y)
        lx, ly = cx + (radius + 18) * math.cos(angle), cy + (radius + 18) * math.sin(angle)
        css = "diagram__node-label"
        if math.cos(angle) > 0.2:
            css += " diagram__node-label--start"
        elif math.cos(angle) < -0.2:
            css += " diagram__node-label--end"
        ly += 5 + (10 if math.sin(angle) > 0.9 else -6 if math.sin(angle) < -0.9 else 0)
        nodes.append(
            Node(x, y, f"identity--{item.role.office.colour}", Text(lx, ly, item.role.name, css))
        )
    edges, directed = [], set()
    for item in links:
        for target in item.next_roles:
            if target.pk not in position:
                continue
            directed.add(frozenset((item.role.pk, target.pk)))
            edges.append(_chord(position[item.role.pk], position[target.pk], node_r, related=False))
    for first, second in related_pairs:
        if frozenset((first.pk, second.pk)) not in directed:
            edges.append(_chord(position[first.pk], position[second.pk], node_r, related=True))
    return MapLayout(width, height, nodes, edges)


def _chord(start, end, node_r, *, related):
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1) or 1
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    gap = node_r + 3
    sx, sy, ex, ey = x1 + ux * gap, y1 + uy * gap, x2 - ux * gap, y2 - uy * gap
    head = ""
    if not related:
        angle, size = math.atan2(uy, ux), 9
        left = (ex - size * math.cos(angle - 0.45), ey - size * math.sin(angle - 0.45))
        right = (ex - size * math.cos(angle + 0.45), ey - size * math.sin(angle + 0.45))
        head = f"M{left[0]:.1f} {left[1]:.1f}L{ex:.1f} {ey:.1f}L{right[0]:.1f} {right[1]:.1f}Z"
    return Edge(f"M{sx:.1f} {sy:.1f}L{ex:.1f} {ey:.1f}", head, related)


def career_map_description(links: Sequence, related_pairs: Sequence) -> str:
    """The map in words: its text alternative."""
    moves = [f"{item.role.name}から{target.name}へ" for item in links for target in item.next_roles]
    pairs = [f"{first.name}と{second.name}" for first, second in related_pairs]
    text = f"{len(links)}職種を、部門ごとの色で円に並べた図です。"
    if moves:
        text += "矢印は次に進む道で、" + "、".join(moves) + "進む人がいます。"
    if pairs:
        text += "点線はスキルが近い組み合わせで、" + "、".join(pairs) + "です。"
    return text
