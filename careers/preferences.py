"""The reader's contact preferences, read by agents: may we call now?

Time bands are ConsultationRequest.ContactTime, in Japan's time (Asia/Tokyo): 平日
is a business day by careers/business_days.py's calendar without company closing
days (national holidays count as 土日祝). Hours are those the choices name.
"""

from datetime import datetime, time

from careers.business_days import TOKYO, is_national_holiday
from careers.models import ConsultationRequest

ContactTime = ConsultationRequest.ContactTime

# Band → (start, end) local time on the days the band covers.
BAND_HOURS = {
    ContactTime.WEEKDAY_DAYTIME: (time(9), time(18)),
    ContactTime.WEEKDAY_EVENING: (time(18), time(21)),
}


def is_weekday(moment: datetime) -> bool:
    """Monday–Friday and not a national holiday, in Japan."""
    day = moment.astimezone(TOKYO).date()
    return day.weekday() < 5 and not is_national_holiday(day)


def within_band(band: str, moment: datetime) -> bool:
    """Whether aware `moment` falls in time band `band` ("" or いつでもよい: always)."""
    if band in ("", ContactTime.ANYTIME):
        return True
    if band == ContactTime.WEEKEND:
        return not is_weekday(moment)
    start, end = BAND_HOURS[band]
    local = moment.astimezone(TOKYO).time()
    return is_weekday(moment) and start <= local < end


def call_concerns(consultation: ConsultationRequest, moment: datetime) -> list[str]:
    """Why a phone call at `moment` goes against what the reader chose, in words
    for the agent; empty when it does not."""
    concerns = []
    if consultation.phone_unwanted:
        concerns.append("相談者は「電話は不要」を選んでいます。")
    elif consultation.contact_method == ConsultationRequest.ContactMethod.EMAIL:
        concerns.append("相談者の希望の連絡方法は「メールのみ」です。")
    if not within_band(consultation.contact_time, moment):
        band = consultation.get_contact_time_display()
        concerns.append(f"希望の時間帯（{band}）の外です。")
    return concerns
