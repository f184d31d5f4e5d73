"""CSV export of consultation requests, for agents with the export permission.

Every exported request is recorded in the access log. Cells a spreadsheet would
read as a formula are neutralised (OWASP "CSV injection").
"""

import csv
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone

from careers.japanese import format_phone, nfkc
from careers.models import AccessLog, ConsultationRequest
from careers.selectors import interest_labels
from careers.sources import stored_source
from careers.staff import display_name


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


# (header, value of a request), in column order.
CSV_COLUMNS: list[tuple[str, Callable[[ConsultationRequest], object]]] = [
    ("受付番号", lambda r: r.reference),
    ("受付日時", lambda r: _local(r.received_at)),
    ("氏名", lambda r: r.name),
    ("ふりがな", lambda r: r.furigana),
    ("メールアドレス", lambda r: r.email),
    # Formatted: Excel keeps `090-1234-5678` as text, but drops the 0 of `09012345678`.
    ("電話番号", lambda r: format_phone(r.phone)),
    ("生まれ年", lambda r: r.birth_year or ""),
    ("都道府県", lambda r: r.prefecture),
    ("現在の状況", lambda r: r.get_current_status_display()),
    ("興味のある部門・職種", lambda r: "、".join(r.interest_words)),
    ("希望の転職時期", lambda r: r.get_timing_display()),
    ("希望の連絡方法", lambda r: r.get_contact_method_display()),
    ("希望の連絡時間帯", lambda r: r.get_contact_time_display()),
    ("電話は不要", lambda r: "はい" if r.phone_unwanted else ""),
    ("相談したいこと", lambda r: r.message),
    ("流入元", lambda r: r.source_words),
    ("対応状況", lambda r: r.get_status_display()),
    ("担当者", lambda r: display_name(r.assignee) if r.assignee else ""),
    ("クローズ理由", lambda r: r.get_close_reason_display()),
    ("クローズ日時", lambda r: _local(r.closed_at)),
]


# What starts a formula (OWASP "CSV injection"), once width-folded: ＝＋－＠ too.
FORMULA_STARTS = frozenset("=+-@")


def csv_safe(value: object) -> str:
    """`value` as text a spreadsheet shows as typed: a leading apostrophe when it
    starts with a tab or carriage return, or when its first character after any
    whitespace is, or folds under NFKC to, one of = + - @ (`＝`, `＋`, `－`, `＠`,
    `﹦`…), since spreadsheets trim the one and read the other as the formula sign."""
    value = str(value)
    first = value.lstrip()[:1]
    if value[:1] in ("\t", "\r") or nfkc(first)[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def consultations_csv(queryset: QuerySet, *, user: AbstractBaseUser) -> HttpResponse:
    """A UTF-8 CSV download (with BOM, for Excel) of the requests, newest first;
    one access log row per exported request, written by `user`."""
    rows = list(queryset.select_related("assignee").order_by("-received_at", "-pk"))
    labels = interest_labels()
    for row in rows:  # in words, with the labels read once
        row.interest_words = [labels.get(key, key) for key in row.interests]
        row.source_words = stored_source(row.source).describe(labels)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="consultations-{timezone.localtime():%Y%m%d-%H%M}.csv"'
    )
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # the BOM: Excel then reads the file as UTF-8
    writer = csv.writer(response)
    writer.writerow([header for header, _ in CSV_COLUMNS])
    for row in rows:
        writer.writerow([csv_safe(value(row)) for _, value in CSV_COLUMNS])
    AccessLog.objects.bulk_create(
        AccessLog(
            user=user,
            action=AccessLog.Action.EXPORT,
            request=row,
            detail=f"CSV出力（{len(rows)}件）",
        )
        for row in rows
    )
    return response
