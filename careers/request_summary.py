"""What a reader is shown about their own request, in words.

The confirmation page (before anything is stored) and the thanks page (as stored)
show the same rows, so a typo seen on one looks the same on the other. The next
steps are said on the thanks page and in the auto-reply (templatetags/consultation.py).
"""

from collections.abc import Mapping
from dataclasses import dataclass

import phonenumbers
from django import forms
from django.conf import settings

from careers.forms import ConsultationForm
from careers.models.consultations import APPLICANT_FIELDS, ConsultationRequest

# The form's groups in its order (templates/includes/consultation_fields.html), so the
# reader checks their answers where they gave them.
SECTIONS = (
    ("あなたについて", ("name", "furigana", "birth_year", "prefecture", "current_status")),
    ("ご連絡先", ("email", "phone", "contact_method", "contact_time")),
    ("ご相談の内容", ("interests", "timing", "message")),
)
NOT_ENTERED, NOT_CHOSEN = "未入力", "未選択"

# What helps the first conversation; none of it is required.
PREPARATION = (
    "これまでの勤務先・期間・担当した仕事の簡単なメモ（履歴書や職務経歴書がなくても構いません）",
    "転職で実現したいことと、譲れない条件（勤務地、働き方、収入など）",
    "気になっている部門・職種や、聞いてみたいこと",
)


@dataclass(frozen=True)
class Row:
    """One answer: the form's label and the value in words (`multiline`: keep line breaks)."""

    label: str
    value: str
    multiline: bool = False


def stored_values(consultation: ConsultationRequest) -> dict[str, object]:
    """The applicant's fields of a stored request, as summary() reads them."""
    return {name: getattr(consultation, name) for name in APPLICANT_FIELDS}


def summary(
    values: Mapping[str, object], *, interest_labels: Mapping[str, str]
) -> list[tuple[str, list[Row]]]:
    """[(section title, [Row, …]), …] in the form's order.

    `values`: a ConsultationForm's cleaned data or stored_values() (phone as digits,
    birth year an int or None, interests a list of keys). `interest_labels`: key →
    words (selectors.interest_labels); an unknown key is shown as it is.
    """
    return [
        (title, [_row(name, values.get(name), interest_labels) for name in names])
        for title, names in SECTIONS
    ]


def _row(name: str, value: object, interest_labels: Mapping[str, str]) -> Row:
    field = ConsultationForm.base_fields[name]
    choice = isinstance(field, forms.ChoiceField)
    if not value:
        return Row(field.label, NOT_CHOSEN if choice else NOT_ENTERED)
    if name == "interests":
        words = "、".join(interest_labels.get(key, key) for key in value)
    elif name == "birth_year":
        words = f"{value}年"
    elif name == "phone":
        words = _phone(str(value))
    elif choice:
        words = dict(field.choices).get(value, str(value))
    else:
        words = str(value)
    return Row(field.label, words, multiline=name == "message")


def _phone(digits: str) -> str:
    """`09012345678` → `090-1234-5678` (phonenumbers' national format: it knows each
    area code's length); anything it cannot parse as it is."""
    try:
        number = phonenumbers.parse(digits, "JP")
    except phonenumbers.NumberParseException:
        return digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def next_steps() -> list[str]:
    """What happens after a request is stored, in order (one sentence each).

    The first conversation's length is said only when the agency has set it
    (CONSULTATION_FIRST_MEETING_LENGTH): this site makes no claim of its own.
    """
    length = settings.CONSULTATION_FIRST_MEETING_LENGTH
    how = "電話またはオンライン" + (f"、{length}" if length else "")
    return [
        f"{settings.AGENCY_NAME}のキャリアアドバイザーから、ご希望の方法と時間帯にご連絡し、"
        "初回の面談の日時を相談します。",
        f"初回の面談（{how}）では、これまでのお仕事と、転職で大切にしたいことを伺い、"
        "どんな部門・職種が合いそうかを一緒に整理します。",
        "ご希望に合う求人があればご紹介します。応募するかどうかは、あなたが決めます。"
        "ご相談・ご紹介は無料です。",
    ]
