"""The limits content/README.md gives editors, as validators of the content models.

The admin shows a broken limit as the field's error; load_content runs the same
field validators and reports `path:line: message` (careers/content/reader.py), so
neither can store what the other would refuse.
"""

import re

from django.core.exceptions import ValidationError

from careers.japanese import is_reading

OFFICE_SUMMARY_LENGTH = 120
ROLE_SUMMARY_LENGTH = 80
PAGE_SUMMARY_LENGTH = 120
COMPARISON_VALUE_LENGTH = 40
REASON_LENGTH = 40  # a 適職診断 answer's 「あなたは〜」 phrase

# 「攻め」「中間」「守り」: one word, no brackets, no spaces.
CATCHPHRASE_RE = re.compile(r"[^\s()（）「」『』【】]+")


def validate_catchphrase(value: str) -> None:
    """One word without brackets or spaces (content/README.md). Raises ValidationError."""
    if not CATCHPHRASE_RE.fullmatch(value):
        raise ValidationError("括弧や空白を入れず、一語で書いてください（例: 攻め）。")


def validate_reading(value: str) -> None:
    """A glossary reading in hiragana (content/README.md). Raises ValidationError."""
    if not is_reading(value):
        raise ValidationError("よみがなはひらがなで書いてください。")


def validate_comparison(value: object) -> None:
    """Each value of an office's comparison table: text of at most
    COMPARISON_VALUE_LENGTH characters. Raises ValidationError naming the keys."""
    if not isinstance(value, dict):
        raise ValidationError("「キー: 値」の形で書いてください。")
    too_long = [
        key
        for key, text in value.items()
        if not isinstance(text, str) or len(text) > COMPARISON_VALUE_LENGTH
    ]
    if too_long:
        raise ValidationError(
            f"比較表の値は{COMPARISON_VALUE_LENGTH}字以内の文にしてください: {', '.join(too_long)}"
        )
