"""Normalising what Japanese readers type: width, kana, invisible characters, line
endings, phone numbers, email addresses.

The one place these rules live: the consultation form stores one spelling of each
value with them, the agents' inbox search finds a value however it is typed again,
and the admin stores `\\n` line endings with them.
"""

import re
import unicodedata

import phonenumbers

# Hangul fillers: letters (not Cf) that Unicode marks Default_Ignorable and fonts draw
# as nothing, so a "name" of them looks blank too.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
KEPT_CONTROLS = frozenset("\n\t")

# Full-width ASCII (U+FF01–U+FF5E) → ASCII, and the ideographic space → a space.
HALF_WIDTH_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# Hyphens, dashes and long-vowel marks people type between digit groups.
PHONE_SEPARATORS_RE = re.compile(r"[\s\-‐‑‒–—―−ー()（）]")
PHONE_CHARACTERS_RE = re.compile(r"\+?[0-9]+")
JAPAN = "JP"

# Separators in the reading of a foreign name, after NFKC: `スミス・ジョン`,
# `ジャン＝ポール`. Each spelling maps to the one stored.
KANA_SEPARATORS = {"・": "・", "·": "・", "=": "＝", "゠": "＝"}
READING_RE = re.compile(r"[ぁ-ゖゝゞー・＝ ]+")
KANA_LETTER_RE = re.compile(r"[ぁ-ゖ]")


def is_invisible(char: str) -> bool:
    """True for a character that shows as nothing and carries no text.

    That is a format character (Unicode category Cf: U+200B zero width space,
    U+200E/F direction marks, U+FEFF, U+2060 word joiner, U+202A–E embeddings…),
    a control character (Cc, NUL included) other than line feed and tab, or a
    Hangul filler (INVISIBLE_LETTERS).
    """
    category = unicodedata.category(char)
    if category == "Cc":
        return char not in KEPT_CONTROLS
    return category == "Cf" or char in INVISIBLE_LETTERS


def normalize_newlines(text: str) -> str:
    """`text` with `\\r\\n` and a lone `\\r` (what browsers send from a textarea) as `\\n`."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def remove_invisible(text: str) -> str:
    """`text` without invisible characters (see is_invisible); line feeds and tabs stay."""
    return "".join(char for char in text if not is_invisible(char))


def nfkc(text: str) -> str:
    """Full-width ASCII and half-width katakana folded to their usual forms (Unicode NFKC).

    NFKC may lengthen a text (`㍿` → `株式会社`, up to 18 characters for one):
    check lengths on the result.
    """
    return unicodedata.normalize("NFKC", text)


def single_spaced(text: str) -> str:
    """One line as stored: invisible characters removed, NFKC, every run of
    whitespace (line breaks included) one space, ends trimmed."""
    return " ".join(nfkc(remove_invisible(text)).split())


def free_text(text: str) -> str:
    """A multi-line text as stored: `\\n` line endings, invisible characters
    removed, ends trimmed.

    Not NFKC: the reader's words stay as written, and the result is never longer
    than what the browser counted for `maxlength` (which counts a line break once).
    """
    return remove_invisible(normalize_newlines(text)).strip()


def to_hiragana(text: str) -> str:
    """A reading in hiragana: `ヤマダ　ハナコ` → `やまだ はなこ`, `スミス･ジョン` → `すみす・じょん`.

    single_spaced() first (so half-width katakana become full-width), then
    katakana ァ–ヶ are shifted to hiragana (U+30A1–U+30F6 → U+3041–U+3096),
    ヽヾ to ゝゞ, and the separators of foreign names (KANA_SEPARATORS) take one
    spelling each. Other characters are left as they are (see is_reading).
    """
    text = single_spaced(text)
    return "".join(_hiragana(char) for char in text)


def _hiragana(char: str) -> str:
    if "ァ" <= char <= "ヶ" or char in "ヽヾ":
        return chr(ord(char) - 0x60)
    return KANA_SEPARATORS.get(char, char)


def is_reading(text: str) -> bool:
    """True when `text` (a to_hiragana() result) is a reading: hiragana, ー, the
    separators ・ and ＝, and spaces, with at least one kana letter."""
    return bool(READING_RE.fullmatch(text) and KANA_LETTER_RE.search(text))


def normalize_email(text: str) -> str:
    """An email address as stored: invisible characters removed, full-width ASCII
    in any part made half-width (`ｈａｎａｋｏ＠ｅｘａｍｐｌｅ.com` →
    `hanako@example.com`), ends trimmed. Not validated; the length never grows."""
    return remove_invisible(text).translate(HALF_WIDTH_ASCII).strip()


def email_key(text: str) -> str:
    """What two spellings of one address share, to match repeat requests:
    normalize_email() with ASCII letters lower-cased (the length stays the same)."""
    return "".join(char.lower() if char.isascii() else char for char in normalize_email(text))


def normalize_phone(text: str) -> str:
    """The digits of a phone number as dialled in Japan, for searching.

    `090-1234-5678`, `０９０１２３４５６７８`, `+81 90 1234 5678` and
    `+81 090-1234-5678` all give `09012345678`: separators are dropped, and after
    +81 the optional trunk 0 too. Not validated (the result may still hold other
    characters); japanese_phone_number() validates.
    """
    digits = PHONE_SEPARATORS_RE.sub("", single_spaced(text))
    if digits.startswith("+81"):
        digits = "0" + digits[3:].removeprefix("0")
    return digits


class PhoneNumberError(ValueError):
    """A phone number that cannot be stored; `reason` says why.

    "format": not digits (with separators, an optional leading +);
    "foreign": a number outside Japan; "impossible": no such number in Japan's
    numbering plan (wrong length or prefix).
    """

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def japanese_phone_number(text: str) -> str:
    """A phone number in Japan as stored: its national digits, `09012345678`.

    Valid means valid in Japan's numbering plan as the `phonenumbers` library
    (Google's libphonenumber metadata, from the 総務省 numbering plan) knows it:
    070/080/090 mobiles have 11 digits, fixed lines 10, 0120 toll-free 10, and so
    on. Raises PhoneNumberError.
    """
    digits = normalize_phone(text)
    if not PHONE_CHARACTERS_RE.fullmatch(digits):
        raise PhoneNumberError("format")
    try:
        number = phonenumbers.parse(digits, JAPAN)
    except phonenumbers.NumberParseException as error:
        raise PhoneNumberError("impossible") from error
    if number.country_code != phonenumbers.country_code_for_region(JAPAN):
        raise PhoneNumberError("foreign")
    if not phonenumbers.is_valid_number(number):
        raise PhoneNumberError("impossible")
    return "0" + phonenumbers.national_significant_number(number)


def _parsed_phone(digits: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(digits, JAPAN)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def format_phone(digits: str) -> str:
    """A stored phone number (digits) as people write it in Japan: `09012345678` →
    `090-1234-5678`, `0312345678` → `03-1234-5678` (the `phonenumbers` package's
    national format, which knows each area code's length). Anything it cannot
    parse is returned as it is."""
    number = _parsed_phone(digits) if digits else None
    if number is None:
        return digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def phone_uri(digits: str) -> str:
    """A `tel:` URI (RFC 3966, E.164): `09012345678` → `tel:+81-90-1234-5678`; "" if unparseable."""
    number = _parsed_phone(digits) if digits else None
    if number is None:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966)


def normalize_reference(text: str) -> str:
    """A reference as typed (`k7m2q9xp`, `K7M2－Q9XP`, spaces) in its stored form
    `K7M2-Q9XP`; text that cannot be one is returned folded but otherwise as typed."""
    compact = "".join(ch for ch in nfkc(text).upper() if ch.isalnum())
    return f"{compact[:4]}-{compact[4:]}" if len(compact) == 8 else compact
