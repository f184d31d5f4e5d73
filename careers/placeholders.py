"""Placeholders of the agents' reply templates: `{氏名}` or `{name}` and the like.

The one list of what a template may name. Templates are checked when saved
(unknown names are refused) and filled when an agent applies one and again when
the reply is sent, so a placeholder typed into the edited text is filled too.
Only `{word}` with no braces or spaces inside is a placeholder; anything else is
left as written.
"""

import re
from collections.abc import Mapping

PLACEHOLDER_RE = re.compile(r"\{([^{}\s]+)\}")

# Placeholder → what it stands for (a key of the values given to fill()).
PLACEHOLDERS = {
    "氏名": "name",
    "name": "name",
    "受付番号": "reference",
    "reference": "reference",
    "担当者": "agent",
    "agent": "agent",
    "面談候補日": "dates",
    "dates": "dates",
}
# Shown to superusers under the template's text.
HELP_TEXT = "使える差し込み: {氏名}（{name}）、{受付番号}（{reference}）、{担当者}（{agent}）、{面談候補日}（{dates}）"


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders in `text` that PLACEHOLDERS does not know, in order, once each."""
    found = PLACEHOLDER_RE.findall(text)
    return list(dict.fromkeys(name for name in found if name not in PLACEHOLDERS))


def used_values(text: str) -> set[str]:
    """Which values (`name`, `reference`, `agent`, `dates`) `text` asks for."""
    return {PLACEHOLDERS[n] for n in PLACEHOLDER_RE.findall(text) if n in PLACEHOLDERS}


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with every known placeholder replaced by its value from `values`
    (keyed name/reference/agent/dates; a missing value gives ""). Unknown
    placeholders are left as written: callers refuse them first."""

    def replace(match: re.Match) -> str:
        key = PLACEHOLDERS.get(match.group(1))
        return match.group(0) if key is None else values.get(key, "")

    return PLACEHOLDER_RE.sub(replace, text)
