"""Normalising what Japanese readers type: width, kana, phone numbers, email addresses.

Used by the consultation form (to store one spelling of each value) and by the
agents' inbox search (to find it however it is typed again).
"""

import re
import unicodedata

# Hyphens, dashes and long-vowel marks people type between digit groups.
PHONE_SEPARATORS_RE = re.compile(r"[\s\-‐‑‒–—―−ー()（）]")


def nfkc(text: str) -> str:
    """Full-width ASCII and half-width katakana folded to their usual forms (Unicode NFKC)."""
    return unicodedata.normalize("NFKC", text)


def single_spaced(text: str) -> str:
    """`text` after NFKC with every run of whitespace made one space, ends trimmed."""
    return " ".join(nfkc(text).split())


def to_hiragana(text: str) -> str:
    """A reading in hiragana: `ヤマダ　ハナコ` → `やまだ はなこ`.

    NFKC first (half-width katakana become full-width), then katakana ァ–ヶ are
    shifted to their hiragana (U+30A1–U+30F6 → U+3041–U+3096), spaces single.
    Characters that are not katakana are left as they are.
    """
    text = nfkc(text)
    text = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)
    return " ".join(text.split())


def normalize_phone(text: str) -> str:
    """The digits of a phone number as dialled in Japan.

    `090-1234-5678`, `０９０１２３４５６７８` and `+81 90 1234 5678` all give
    `09012345678`. Separators are dropped; the result is not validated (it may
    still hold other characters; callers check it).
    """
    digits = PHONE_SEPARATORS_RE.sub("", nfkc(text))
    if digits.startswith("+81"):
        digits = "0" + digits[3:]
    return digits
