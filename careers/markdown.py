"""Markdown → sanitised HTML.

The one renderer used by the content loader, by model saves in admin and by the
markdownx live preview, so an editor previews exactly what readers get.
"""

import re

import markdown as markdown_lib
import nh3
from django.conf import settings

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
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
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
