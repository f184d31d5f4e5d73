"""Markdown → sanitised HTML.

The one renderer used by the content loader, by model saves in admin and by the
markdownx live preview, so an editor previews exactly what readers get.

CommonMark (markdown-it-py) with GFM tables: a nested list is indented to its
parent item's text (two spaces under `- `).
"""

import re
import unicodedata

import nh3
from django.conf import settings
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# An image is kept only when it is one the editor uploaded (careers/markdownx_views.py):
# a random name under MEDIA_URL/markdownx/. Any other <img> is removed whole.
UPLOADED_IMAGE_NAME = r"markdownx/[0-9a-f]{32}\.(?:png|jpg|gif|webp)"
IMG_WITHOUT_SRC_RE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
# Lone surrogates cannot be encoded for the sanitiser; they are never text anyway.
SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


def _is_cjk(char: str | None) -> bool:
    """Wide or full-width, and not Hangul: the characters CSS Text 3 joins across a line
    break (https://drafts.csswg.org/css-text-3/#line-break-transform)."""
    return (
        char is not None
        and unicodedata.east_asian_width(char) in ("F", "W", "H")
        and "HANGUL" not in unicodedata.name(char, "")
    )


def _edge_char(children: list[Token], start: int, step: int) -> str | None:
    """The text character next to children[start] going by `step` (-1 back, 1 on),
    looking through emphasis and link markup; None at a break, an image or the end."""
    index = start + step
    while 0 <= index < len(children):
        token = children[index]
        if token.type in ("text", "code_inline") and token.content:
            return token.content[-1] if step < 0 else token.content[0]
        if token.nesting == 0 and token.type not in ("text", "code_inline"):
            return None  # a break, an image, inline HTML: not text to join to
        index += step
    return None


def _join_cjk_lines(state: StateCore) -> None:
    """Drop a soft line break between two CJK characters: a Japanese sentence wrapped
    in the source must not show a space; between Latin words the break stays a space."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = block.children
        block.children = [
            token
            for index, token in enumerate(children)
            if not (
                token.type == "softbreak"
                and _is_cjk(_edge_char(children, index, -1))
                and _is_cjk(_edge_char(children, index, 1))
            )
        ]


# No raw HTML blocks: a tag an editor types stays inline, so the Markdown after it on
# the line is still Markdown, and the sanitiser removes the tag (content/README.md).
_parser = MarkdownIt("commonmark").enable("table").disable("html_block")
_parser.core.ruler.push("join_cjk_lines", _join_cjk_lines)
# Links keep their text whatever the URL; the sanitiser's ALLOWED_URL_SCHEMES is the one
# rule for which URLs survive (markdown-it would leave a refused link as literal text).
_parser.validateLink = lambda url: True


def _filter_attribute(tag, attribute, value):
    if tag != "img":
        return value
    if attribute == "src":
        pattern = re.escape(settings.MEDIA_URL) + UPLOADED_IMAGE_NAME
        return value if re.fullmatch(pattern, value) else None
    if attribute == "alt":
        return value.replace("<", "").replace(">", "")
    return None


def render(text: str) -> str:
    """Sanitised HTML for a Markdown source string ("" for ""): only ALLOWED_TAGS and
    ALLOWED_ATTRIBUTES survive, and only images uploaded through the editor."""
    if not text:
        return ""
    html = _parser.render(SURROGATE_RE.sub("\ufffd", text))
    # The page template owns the only h1; a stray top-level heading becomes an h2.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
    )
    return IMG_WITHOUT_SRC_RE.sub("", html).strip()
