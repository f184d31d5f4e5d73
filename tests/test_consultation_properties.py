"""Any input in any field of the consultation form: the form again with field errors
(200) or one stored row (302), never a 5xx; whatever is stored is normalised, fits its
column and has no invisible character (issue 12, item 9).

Posted through the real view and the Django test client to PostgreSQL, as raw
`application/x-www-form-urlencoded` bytes, so a field can carry what a form can:
NUL, lone surrogates (sent as their UTF-8-like bytes, which Django decodes with
replacement characters), combining marks, RTL marks, very long text.
"""

import uuid
from urllib.parse import quote

from django.core.cache import cache
from django.db import models
from hypothesis import event, given, settings
from hypothesis import strategies as st

from careers.japanese import (
    email_key,
    free_text,
    is_invisible,
    is_reading,
    japanese_phone_number,
    normalize_email,
    single_spaced,
    to_hiragana,
)
from careers.models import ConsultationRequest
from tests.test_consultation import FORM_URL, valid_data

# Characters that show as nothing, change length under NFKC, or cannot be stored.
ODD_CHARACTERS = st.one_of(
    st.sampled_from(["\x00", "\ud800", "\udfff", "\u200f", "\u202e", "\u061c", "\r"]),
    st.characters(categories=["Cf", "Cc", "Mn", "Me", "Zs", "Zl", "Zp", "Co", "Cs"]),
    st.sampled_from(["㍿", "ﷺ", "㌀", "ｶ", "ﾞ", "＠", "＋", "８"]),
)
ANY_TEXT = st.text(st.one_of(st.characters(), ODD_CHARACTERS), max_size=80)
NOISE = st.one_of(ODD_CHARACTERS, st.just("\r\n"), ANY_TEXT)
LONG_TEXT = st.builds(lambda part, times: part * times, ANY_TEXT, st.integers(1, 600))
# What a person's valid input may carry unseen: it must still be accepted.
INVISIBLE = st.one_of(st.characters(categories=["Cf"]), st.sampled_from(["\x00", "\u3164", "\x7f"]))


@st.composite
def sprinkled(draw, text: str, noise: st.SearchStrategy) -> str:
    """`text` with a few strings drawn from `noise` inserted at drawn places."""
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(noise) + text[at:]
    return text


def junk(valid: str) -> st.SearchStrategy:
    return st.one_of(sprinkled(valid, NOISE), ANY_TEXT, LONG_TEXT)


# Each stored text column → what storing it again would give (normalised means unchanged).
NORMALISED = {
    "name": single_spaced,
    "furigana": to_hiragana,
    "email": normalize_email,
    "phone": japanese_phone_number,
    "message": free_text,
    "source": single_spaced,
}


@st.composite
def form_data(draw) -> tuple[dict, set[str]]:
    """The valid form with a few fields (drawn, returned) made anything at all,
    and invisible characters sprinkled into the other text fields."""
    data = valid_data(token=str(uuid.uuid4()), step=None)  # 送信する is not fuzzed
    del data["consent"]
    if draw(st.booleans()):
        data["consent"] = "on"
    fuzzed = draw(st.sets(st.sampled_from(sorted(data)), max_size=3))
    for name, valid in data.items():
        if name in fuzzed and isinstance(valid, list):
            data[name] = draw(st.lists(st.one_of(st.sampled_from(valid), junk("")), max_size=3))
        elif name in fuzzed:
            data[name] = draw(junk(valid))
        elif name in NORMALISED:
            data[name] = draw(sprinkled(valid, INVISIBLE))
    return data | {"step": "send"}, fuzzed


def urlencoded(data: dict) -> bytes:
    """The body a browser would send, surrogates passed through as bytes."""

    def encode(text: str) -> str:
        return quote(text.encode("utf-8", "surrogatepass"), safe="")

    pairs = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(f"{encode(name)}={encode(item)}")
    return "&".join(pairs).encode("ascii")


def as_django_reads(text: str) -> str:
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def assert_stored_normalised(row: ConsultationRequest) -> None:
    for field in row._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(row, field.attname)
        if field.max_length is not None:
            assert len(value) <= field.max_length, field.name
        assert not any(is_invisible(char) for char in value), field.name
        if field.name in NORMALISED:
            assert NORMALISED[field.name](value) == value, field.name
    assert is_reading(row.furigana)
    assert row.email_normalized == email_key(row.email)
    assert row.name and row.furigana


@settings(max_examples=120)
@given(drawn=form_data())
def test_any_input_is_refused_field_by_field_or_stored_normalised(
    client, middle_and_back_roles, drawn
):
    data, fuzzed = drawn
    cache.clear()  # no rate limit between examples
    before = set(ConsultationRequest.objects.values_list("pk", flat=True))
    response = client.post(
        FORM_URL, urlencoded(data), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 302)
    event(f"answered {response.status_code}")
    new = ConsultationRequest.objects.exclude(pk__in=before)
    if response.status_code == 200:
        errors = response.context["form"].errors
        assert errors
        assert set(errors) <= fuzzed | {"consent"}, errors  # invisible characters are no error
        assert not new.exists()
        return
    honeypot_filled = bool(single_spaced(as_django_reads(data["website"])))
    assert new.count() == (0 if honeypot_filled else 1)
    for row in new:
        assert_stored_normalised(row)
