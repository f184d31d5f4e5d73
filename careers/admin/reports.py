"""The report page (and its CSV) for leads: careers/reports.py in a table."""

import csv
from datetime import datetime, time, timedelta

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from careers.admin.exports import csv_safe
from careers.business_days import TOKYO
from careers.reports import REPORT_COLUMNS, monthly_report
from careers.selectors import interest_labels

MONTHS = 12


def _since() -> datetime:
    """The first day of the month MONTHS-1 months ago, Japan's time."""
    today = timezone.now().astimezone(TOKYO).date().replace(day=1)
    for _ in range(MONTHS - 1):
        today = (today - timedelta(days=1)).replace(day=1)
    return datetime.combine(today, time.min, TOKYO)


def report_view(model_admin, request):
    """`?format=csv` downloads the same rows as CSV (UTF-8 with BOM, for Excel)."""
    rows = monthly_report(_since(), interest_labels())
    headers = ["月", "流入元", *REPORT_COLUMNS]
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="consultation-report-{timezone.localtime():%Y%m%d}.csv"'
        )
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([csv_safe(row.month), csv_safe(row.source), *row.cells()])
        return response
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"流入元別の相談件数と進み具合（直近{MONTHS}か月）",
        "headers": headers,
        "rows": rows,
    }
    return TemplateResponse(request, "admin/careers/consultationrequest/report.html", context)
