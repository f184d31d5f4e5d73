"""Markdown → sanitised HTML.

The one renderer used by the content loader, by model saves in admin and by the
markdownx live preview, so an editor previews exactly what readers get.

CommonMark (markdown-it-py) with GFM tables: a nested list is indented to its
parent item's text (two spaces under `- `), and the parser keeps no recursion,
so its time grows with the length of the text times the nesting limit. Both are
bounded here, and what is over a bound is refused with a message for the editor
(`validate_markdown`) rather than rendered slowly or cut off.
"""

import re
import unicodedata

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# Longest Markdown value, in characters. The longest text in content/ is about
# 1,200; at this length the worst inputs we know of render in well under a second.
MAX_MARKDOWN_CHARS = 10_000
# Deepest nesting of lists and quotes, and of emphasis and links within a line.
MAX_NESTING = 5

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

CONTAINERS = {"bullet_list_open", "ordered_list_open", "blockquote_open"}
CONTAINERS_CLOSE = {name.replace("_open", "_close") for name in CONTAINERS}


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


# Every list level takes two parser levels (list, item) and the text inside one
# more: one level of lists past MAX_NESTING still parses, so it is seen and refused.
# No raw HTML blocks: a tag an editor types stays inline, so the Markdown after it on
# the line is still Markdown, and the sanitiser removes the tag (content/README.md).
_parser = (
    MarkdownIt("commonmark", {"maxNesting": 2 * MAX_NESTING + 2})
    .enable("table")
    .disable("html_block")
)
_parser.core.ruler.push("join_cjk_lines", _join_cjk_lines)
# Links keep their text whatever the URL; the sanitiser's ALLOWED_URL_SCHEMES is the one
# rule for which URLs survive (markdown-it would leave a refused link as literal text).
_parser.validateLink = lambda url: True


def _deepest(tokens: list[Token], opening: set[str] | None, closing: set[str] | None) -> int:
    """The most tokens of `opening` open at once (any paired token when None)."""
    depth = deepest = 0
    for token in tokens:
        if (token.nesting == 1) if opening is None else (token.type in opening):
            depth += 1
            deepest = max(deepest, depth)
        elif (token.nesting == -1) if closing is None else (token.type in closing):
            depth -= 1
    return deepest


def _parse(text: str) -> list[Token]:
    """Tokens for `text`; ValidationError when it is too long or nests too deep."""
    if len(text) > MAX_MARKDOWN_CHARS:
        raise ValidationError(
            "長すぎます（%(length)s 文字）。%(limit)s 文字以内にしてください。",
            code="markdown_too_long",
            params={"length": f"{len(text):,}", "limit": f"{MAX_MARKDOWN_CHARS:,}"},
        )
    tokens = _parser.parse(SURROGATE_RE.sub("\ufffd", text))
    inline_depth = max(
        (_deepest(t.children or [], None, None) for t in tokens if t.type == "inline"), default=0
    )
    if _deepest(tokens, CONTAINERS, CONTAINERS_CLOSE) > MAX_NESTING or inline_depth > MAX_NESTING:
        raise ValidationError(
            "リスト・引用や、強調・リンクの入れ子が深すぎます。%(limit)s 段までにしてください。",
            code="markdown_too_deep",
            params={"limit": MAX_NESTING},
        )
    return tokens


def validate_markdown(text: str) -> None:
    """Raise ValidationError (Japanese message) when `text` is longer than
    MAX_MARKDOWN_CHARS characters or nests lists, quotes, emphasis or links deeper than
    MAX_NESTING; used by the admin forms (model validation), the content loader and the
    live preview."""
    _parse(text)


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
    ALLOWED_ATTRIBUTES survive, and only images uploaded through the editor.

    Raises ValidationError as validate_markdown does: nothing over the limits is
    rendered, whichever way it arrives.
    """
    if not text:
        return ""
    html = _parser.renderer.render(_parse(text), _parser.options, {})
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
