"""Pure rules behind the reader's page and the inbox: time bands, steps, phone typos."""

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careers.business_days import TOKYO
from careers.duplicates import phone_difference
from careers.japanese import format_phone, normalize_reference
from careers.models import ConsultationRequest
from careers.preferences import call_concerns, within_band
from careers.progress import STAGES, reader_step

TUESDAY_19H = datetime(2026, 5, 12, 19, 0, tzinfo=TOKYO)
CHILDRENS_DAY_10H = datetime(2026, 5, 5, 10, 0, tzinfo=TOKYO)  # a Tuesday holiday


@pytest.mark.parametrize(
    ("band", "moment", "inside"),
    [
        ("weekday_evening", TUESDAY_19H, True),
        ("weekday_day", TUESDAY_19H, False),
        ("weekday_day", CHILDRENS_DAY_10H, False),  # 祝日 is not 平日
        ("weekend", CHILDRENS_DAY_10H, True),
        ("anytime", TUESDAY_19H, True),
        ("", TUESDAY_19H, True),
    ],
)
def test_time_bands_follow_japans_calendar(band, moment, inside):
    assert within_band(band, moment) is inside


def test_call_concerns_name_each_wish_broken():
    request = ConsultationRequest(
        contact_method="either", contact_time="weekday_day", phone_unwanted=True
    )
    assert call_concerns(request, TUESDAY_19H) == [
        "相談者は「電話は不要」を選んでいます。",
        "希望の時間帯（平日の日中（9〜18時））の外です。",
    ]
    assert call_concerns(ConsultationRequest(contact_method="phone"), TUESDAY_19H) == []


@pytest.mark.parametrize(
    ("status", "assigned", "step"),
    [("new", False, 0), ("new", True, 1), ("scheduling", True, 2), ("introducing", True, 3)],
)
def test_reader_steps_in_plain_words(status, assigned, step):
    request = ConsultationRequest(status=status, assignee_id=1 if assigned else None)
    assert reader_step(request) == step
    assert STAGES[4] == "終了"


digits = st.text(alphabet="0123456789", min_size=10, max_size=11).map(lambda d: "0" + d[1:])


@given(digits, st.data())
def test_one_digit_dropped_is_named_as_such(phone, data):
    index = data.draw(st.integers(min_value=0, max_value=len(phone) - 1))
    shorter = phone[:index] + phone[index + 1 :]
    assert phone_difference(phone, shorter) == "電話番号が1桁少ない"
    assert phone_difference(shorter, phone) == "電話番号が1桁多い"
    assert phone_difference(phone, phone) == ""


def test_phone_formats_and_references_as_people_write_them():
    assert format_phone("09012345678") == "090-1234-5678"
    assert format_phone("0312345678") == "03-1234-5678"
    assert format_phone("0901234567") == "0901234567"  # not a number: shown as stored
    assert normalize_reference("k7m2ｑ9xp") == "K7M2-Q9XP"
    assert normalize_reference(" K7M2 - Q9XP ") == "K7M2-Q9XP"
