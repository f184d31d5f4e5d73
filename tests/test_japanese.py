"""The normalisers of careers/japanese.py, on examples and on generated text."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careers.japanese import (
    PhoneNumberError,
    email_key,
    free_text,
    is_invisible,
    is_reading,
    japanese_phone_number,
    normalize_email,
    normalize_phone,
    single_spaced,
    to_hiragana,
)

FORMAT_CHARACTERS = st.characters(categories=["Cf"])
# What readers' text is made of, with the invisible ones mixed in.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
KATAKANA = st.characters(min_codepoint=ord("ァ"), max_codepoint=ord("ヶ"))
FULL_WIDTH = {chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)}


def sprinkle(draw, text: str, noise) -> str:
    """`text` with characters drawn from `noise` inserted at drawn places."""
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(noise) + text[at:]
    return text


# --- Invisible characters (issue 12, item 3) -------------------------------------
@pytest.mark.parametrize("char", ["\u200b", "\u200e", "\u200f", "\ufeff", "\u2060", "\x00"])
def test_known_invisible_characters_are_invisible(char):
    assert is_invisible(char)
    assert single_spaced(f"山田{char}花子") == "山田花子"


@given(TEXT)
def test_no_normaliser_leaves_a_format_or_control_character(text):
    for normalise in (single_spaced, to_hiragana, free_text, normalize_email):
        assert not any(is_invisible(char) for char in normalise(text))
        assert not any(unicodedata.category(char) == "Cf" for char in normalise(text))


@given(st.data(), TEXT)
def test_format_characters_change_nothing_else(data, text):
    noisy = sprinkle(data.draw, text, FORMAT_CHARACTERS)
    assert single_spaced(noisy) == single_spaced(text)
    assert free_text(noisy) == free_text(text)
    assert to_hiragana(noisy) == to_hiragana(text)


@given(TEXT)
def test_normalisers_are_idempotent(text):
    for normalise in (single_spaced, to_hiragana, free_text, normalize_email, email_key):
        assert normalise(normalise(text)) == normalise(text)


# --- Line endings (item 6) -------------------------------------------------------
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=300))
def test_free_text_never_counts_more_than_the_browser(text):
    """The browser counts a textarea's API value: lines end in \\n, one character each."""
    browser_value = text.replace("\r\n", "\n").replace("\r", "\n")
    sent = browser_value.replace("\n", "\r\n")
    assert "\r" not in free_text(sent)
    assert len(free_text(sent)) <= len(browser_value)


# --- Email (item 1) --------------------------------------------------------------
@given(st.emails(), st.data())
def test_full_width_in_any_part_of_an_email_becomes_half_width(email, data):
    widened = "".join(
        FULL_WIDTH.get(char, char) if data.draw(st.booleans()) else char for char in email
    )
    assert normalize_email(widened) == email
    assert email_key(widened) == email_key(email.upper()) == email_key(email)


def test_email_key_keeps_the_length():
    assert email_key("İ@EXAMPLE.jp") == "İ@example.jp"


# --- Kana (item 5) ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("スミス・ジョン", "すみす・じょん"),
        ("ｽﾐｽ･ｼﾞｮﾝ", "すみす・じょん"),
        ("スミス·ジョン", "すみす・じょん"),
        ("ジャン＝ポール", "じゃん＝ぽーる"),
        ("ジャン゠ポール", "じゃん＝ぽーる"),
        ("ジャン=ポール", "じゃん＝ぽーる"),
        ("ヤマダ　ハナコ", "やまだ はなこ"),
        ("ヴィヴァルディ", "ゔぃゔぁるでぃ"),
    ],
)
def test_foreign_names_in_katakana_are_readings(typed, stored):
    assert to_hiragana(typed) == stored
    assert is_reading(stored)


@given(
    st.lists(st.text(KATAKANA, min_size=1, max_size=6), min_size=1, max_size=4).flatmap(
        lambda words: st.tuples(
            st.just(words),
            st.lists(
                st.sampled_from(["・", "･", "＝", "゠", " ", "　", "ー"]),
                min_size=len(words) - 1,
                max_size=len(words) - 1,
            ),
        )
    )
)
def test_any_katakana_name_with_separators_is_a_reading(words_and_separators):
    words, separators = words_and_separators
    typed = words[0] + "".join(sep + word for sep, word in zip(separators, words[1:], strict=True))
    assert is_reading(to_hiragana(typed))


@pytest.mark.parametrize("typed", ["", "・・", "＝", "Smith", "山田", "すみす-じょん", "\u200b"])
def test_not_a_reading(typed):
    assert not is_reading(to_hiragana(typed))


# --- Phone numbers (items 4 and 7) -----------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+81 090-1234-5678", "09012345678"),
        ("+81 90 1234 5678", "09012345678"),
        ("＋８１　９０－１２３４－５６７８", "09012345678"),
        ("090\u200b1234\u200b5678", "09012345678"),
        ("03-1234-5678", "0312345678"),
        ("+81 3 1234 5678", "0312345678"),
        ("+81 03-1234-5678", "0312345678"),
        ("0120-123-456", "0120123456"),
        ("050-1234-5678", "05012345678"),
    ],
)
def test_phone_numbers_are_stored_as_national_digits(typed, stored):
    assert japanese_phone_number(typed) == stored
    assert normalize_phone(typed) == stored


@given(st.sampled_from(["070", "080", "090"]), st.integers(1, 9), st.text("0123456789"))
def test_mobile_numbers_have_eleven_digits(prefix, fourth, rest):
    typed = f"{prefix}{fourth}{rest}"
    if len(typed) == 11:
        assert japanese_phone_number(typed) == typed
        assert japanese_phone_number("+81 " + typed[1:]) == typed
        assert japanese_phone_number("+81 " + typed) == typed
    else:
        with pytest.raises(PhoneNumberError) as refused:
            japanese_phone_number(typed)
        assert refused.value.reason == "impossible"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("080-4567-123", "impossible"),
        ("1234", "impossible"),
        ("00-0000-0000", "impossible"),
        ("090-abcd-efgh", "format"),
        ("tel:0312345678", "format"),
        ("+1 650 253 0000", "foreign"),
        ("", "format"),
    ],
)
def test_impossible_or_foreign_numbers_are_refused(typed, reason):
    with pytest.raises(PhoneNumberError) as refused:
        japanese_phone_number(typed)
    assert refused.value.reason == reason
