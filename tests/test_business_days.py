"""The business-day calendar: national holidays, closing days, reply-by and overdue."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from careers.business_days import TOKYO, is_business_day, overdue_cutoff, reply_by
from careers.models import ConsultationRequest
from tests.factories import ConsultationRequestFactory


def tokyo(*args):
    return datetime(*args, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 5, 1), True),  # Friday before Golden Week
        (date(2026, 5, 4), False),  # みどりの日
        (date(2026, 5, 6), False),  # 振替休日 for 憲法記念日 on a Sunday
        (date(2026, 5, 7), True),
        (date(2026, 9, 22), False),  # 国民の休日 between 敬老の日 and 秋分の日
        (date(2026, 11, 3), False),  # 文化の日
        (date(2026, 11, 9), True),
        (date(2026, 12, 28), True),
        (date(2026, 12, 29), False),  # 年末年始 (company)
        (date(2027, 1, 4), True),
        (date(2026, 11, 7), False),  # Saturday
    ],
)
def test_business_days_know_holidays_and_closing_days(day, expected):
    assert is_business_day(day) is expected


def test_closing_days_come_from_settings(settings):
    settings.COMPANY_CLOSED_DAYS = ["08-13", "2026-08-14"]
    assert not is_business_day(date(2026, 8, 13)) and not is_business_day(date(2027, 8, 13))
    assert not is_business_day(date(2026, 8, 14)) and is_business_day(date(2026, 12, 29))
    settings.COMPANY_CLOSED_DAYS = ["13-01"]
    with pytest.raises(ImproperlyConfigured, match="13-01"):
        is_business_day(date(2026, 8, 13))


def test_reply_by_rejects_naive_times_and_zero_days():
    with pytest.raises(ValueError):
        reply_by(datetime(2026, 5, 1, 18, 0))
    with pytest.raises(ValueError):
        reply_by(tokyo(2026, 5, 1, 18, 0), days=0)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Golden Week: 05-03..05-06 are holidays (05-06 振替休日).
        (tokyo(2026, 5, 1, 18, 0), tokyo(2026, 5, 8, 18, 0)),
        # 文化の日 on Tuesday.
        (tokyo(2026, 11, 2, 9, 0), tokyo(2026, 11, 5, 9, 0)),
        # 年末年始: 12/29–1/3 closed, then Monday 01-04 and Tuesday 01-05.
        (tokyo(2026, 12, 28, 15, 30), tokyo(2027, 1, 5, 15, 30)),
        # Received on a Saturday: due by the end of Tuesday (Monday and Tuesday count).
        (tokyo(2026, 11, 7, 10, 0), datetime.combine(date(2026, 11, 10), time.max, TOKYO)),
        # Received on a holiday (文化の日): Wednesday and Thursday count.
        (tokyo(2026, 11, 3, 23, 0), datetime.combine(date(2026, 11, 5), time.max, TOKYO)),
        # UTC input is read as Japan's time: 2026-05-01 09:00 UTC is 18:00 in Tokyo.
        (datetime.fromisoformat("2026-05-01T09:00:00+00:00"), tokyo(2026, 5, 8, 18, 0)),
    ],
)
def test_reply_by(received, due, settings):
    settings.CONSULTATION_REPLY_BUSINESS_DAYS = 2
    assert reply_by(received) == due


@pytest.mark.parametrize(
    ("received", "still_in_time", "overdue_from"),
    [
        (tokyo(2026, 5, 1, 18, 0), [tokyo(2026, 5, 5, 9), tokyo(2026, 5, 7, 9), tokyo(2026, 5, 8, 18)],
         tokyo(2026, 5, 8, 18, 0, 1)),
        (tokyo(2026, 11, 2, 9, 0), [tokyo(2026, 11, 4, 17), tokyo(2026, 11, 5, 9)],
         tokyo(2026, 11, 5, 9, 0, 1)),
        (tokyo(2026, 12, 28, 15, 30), [tokyo(2026, 12, 30, 16), tokyo(2027, 1, 4, 16)],
         tokyo(2027, 1, 5, 15, 30, 1)),
        (tokyo(2026, 11, 7, 10, 0), [tokyo(2026, 11, 10, 23, 59)], tokyo(2026, 11, 11, 0, 0)),
        (tokyo(2026, 11, 3, 12, 0), [tokyo(2026, 11, 5, 23, 59)], tokyo(2026, 11, 6, 0, 0)),
    ],
)  # fmt: skip
def test_overdue_marker_and_filter_follow_the_calendar(
    db, settings, received, still_in_time, overdue_from
):
    settings.CONSULTATION_REPLY_BUSINESS_DAYS = 2
    request = ConsultationRequestFactory(received_at=received)
    for moment in [*still_in_time, overdue_from]:
        with time_machine.travel(moment, tick=False):
            overdue = moment == overdue_from
            assert request.is_overdue() is overdue, moment
            assert ConsultationRequest.objects.overdue().filter(pk=request.pk).exists() is overdue
    request.status = ConsultationRequest.Status.CONTACTED
    request.save()
    with time_machine.travel(overdue_from, tick=False):
        assert not request.is_overdue()
        assert not ConsultationRequest.objects.overdue().exists()


moments = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2027, 2, 1), timezones=st.just(TOKYO)
)


@given(received=moments, days=st.integers(min_value=1, max_value=5))
@hypothesis_settings(max_examples=300, deadline=None)
def test_reply_by_lands_on_a_business_day_exactly_n_business_days_later(received, days):
    due = reply_by(received, days)
    assert due > received
    assert is_business_day(due.date())
    between = [
        received.date() + timedelta(days=offset)
        for offset in range(1, (due.date() - received.date()).days + 1)
    ]
    assert sum(is_business_day(day) for day in between) == days


@given(first=moments, second=moments, days=st.integers(min_value=1, max_value=5))
@hypothesis_settings(max_examples=300, deadline=None)
def test_a_later_request_is_never_due_earlier(first, second, days):
    earlier, later = sorted([first, second])
    assert reply_by(earlier, days) <= reply_by(later, days)


@given(received=moments, now=moments, days=st.integers(min_value=1, max_value=5))
@hypothesis_settings(max_examples=500, deadline=None)
def test_the_overdue_cutoff_agrees_with_reply_by(received, now, days):
    assert (reply_by(received, days) < now) is (received < overdue_cutoff(now, days))
