"""The one business-day calendar: weekends, Japan's national holidays, company closing days.

National holidays, including 振替休日 and 国民の休日, come from the `holidays` package
(its Japan calendar follows 国民の祝日に関する法律, 1949–2099). Company closing days
come from settings.COMPANY_CLOSED_DAYS (年末年始 12/29–1/3 by default). Dates are
Japan's, so every moment is read in Asia/Tokyo whatever the active time zone.

A request received on a business day is due CONSULTATION_REPLY_BUSINESS_DAYS business
days later at the same local time. One received on a closed day counts from the next
business day, so it is due by the end of the N-th business day after it: the
deadline never moves earlier for a later request.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

TOKYO = ZoneInfo("Asia/Tokyo")
# A year holds at least one business day whatever the closing days: past this, the
# settings close every day.
SEARCH_LIMIT_DAYS = 366


@lru_cache(maxsize=32)
def _national_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("JP", years=year))


@lru_cache(maxsize=8)
def _closing_days(entries: tuple[str, ...]) -> tuple[frozenset[tuple[int, int]], frozenset[date]]:
    """`MM-DD` entries (every year) and `YYYY-MM-DD` entries (once), parsed."""
    yearly, once = set(), set()
    for entry in entries:
        try:
            if entry.count("-") == 1:
                month, day = (int(part) for part in entry.split("-"))
                date(2000, month, day)  # a leap year: 02-29 is a valid yearly entry
                yearly.add((month, day))
            else:
                once.add(date.fromisoformat(entry))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"COMPANY_CLOSED_DAYS: {entry!r} is neither MM-DD nor YYYY-MM-DD"
            ) from error
    return frozenset(yearly), frozenset(once)


def is_national_holiday(day: date) -> bool:
    """Whether `day` is a national holiday in Japan (振替休日 and 国民の休日 included)."""
    return day in _national_holidays(day.year)


def is_business_day(day: date) -> bool:
    """Whether the company works on `day`: Monday–Friday, not a national holiday,
    not a company closing day. Raises ImproperlyConfigured for a malformed
    COMPANY_CLOSED_DAYS entry."""
    if day.weekday() >= 5 or day in _national_holidays(day.year):
        return False
    yearly, once = _closing_days(tuple(settings.COMPANY_CLOSED_DAYS))
    return (day.month, day.day) not in yearly and day not in once


def _step(day: date, count: int, direction: int) -> date:
    """The `count`-th business day after (direction 1) or before (-1) `day`, `day` excluded."""
    for _ in range(count):
        for _ in range(SEARCH_LIMIT_DAYS):
            day += timedelta(days=direction)
            if is_business_day(day):
                break
        else:
            raise ImproperlyConfigured("COMPANY_CLOSED_DAYS leaves no business day in a year")
    return day


def add_business_days(day: date, count: int) -> date:
    """The `count`-th business day after `day` (`day` itself not counted; count ≥ 0)."""
    return _step(day, count, 1)


def _reply_days(days: int | None) -> int:
    days = settings.CONSULTATION_REPLY_BUSINESS_DAYS if days is None else days
    if days < 1:
        raise ValueError(f"a reply takes at least one business day, not {days}")
    return days


def reply_by(received_at: datetime, days: int | None = None) -> datetime:
    """The moment a request received at `received_at` must have had its first reply.

    `days` business days (default CONSULTATION_REPLY_BUSINESS_DAYS) after the receipt
    day, at the same Asia/Tokyo time; for a receipt on a closed day, the end
    (23:59:59.999999) of the `days`-th business day after it. Returns an aware
    Asia/Tokyo datetime whose date is a business day. Raises ValueError for a naive
    `received_at` or days < 1.
    """
    if timezone.is_naive(received_at):
        raise ValueError("reply_by needs an aware datetime")
    local = received_at.astimezone(TOKYO)
    due_day = add_business_days(local.date(), _reply_days(days))
    due_time = local.time() if is_business_day(local.date()) else time.max
    return datetime.combine(due_day, due_time, TOKYO)


def overdue_cutoff(now: datetime | None = None, days: int | None = None) -> datetime:
    """The receipt moment before which a request is overdue at `now` (default: now).

    For every aware `received_at`: `reply_by(received_at) < now` exactly when
    `received_at < overdue_cutoff(now)`, so the inbox filter (a database comparison)
    and a single request's marker agree. On a closed day nothing falls due, so the
    cutoff is the one at the start of the next business day. Returns an aware
    Asia/Tokyo datetime; raises ValueError for days < 1.
    """
    moment = (now or timezone.now()).astimezone(TOKYO)
    day, at = moment.date(), moment.time()
    if not is_business_day(day):
        day, at = add_business_days(day, 1), time.min
    return datetime.combine(_step(day, _reply_days(days), -1), at, TOKYO)
