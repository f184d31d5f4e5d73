"""The agents' report: requests per month by source, and how far they got.

Rows are (month, source): the month of receipt in Japan's time, and where the
request came from (careers/sources.py) — each guide page on its own, the 適職診断
as one, the form opened directly. Columns (REPORT_COLUMNS): 件数, then how many
ever reached 連絡済み, 面談済み and 求人紹介中 (from the status history, so a request
closed after an interview still counts as 面談済み), then how many are closed with
each close reason. It tells the editors which pages bring consultations that go
somewhere. Two queries whatever the range.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from careers.business_days import TOKYO
from careers.models import ConsultationRequest, RequestEvent
from careers.sources import SourceKind, stored_source

Status = ConsultationRequest.Status
CloseReason = ConsultationRequest.CloseReason

# Pipeline order: reaching one means having passed the ones before.
PIPELINE = [Status.NEW, Status.CONTACTED, Status.SCHEDULING, Status.INTERVIEWED, Status.INTRODUCING]
REACHED = [Status.CONTACTED, Status.INTERVIEWED, Status.INTRODUCING]
REPORT_COLUMNS = [
    "件数",
    *(status.label for status in REACHED),
    *(f"クローズ（{reason.label}）" for reason in CloseReason),
]


@dataclass
class ReportRow:
    month: str  # `2026-05`
    source: str  # in words
    total: int = 0
    reached: dict = field(default_factory=lambda: dict.fromkeys(REACHED, 0))
    closed: dict = field(default_factory=lambda: dict.fromkeys(CloseReason, 0))

    def cells(self) -> list[int]:
        """The counts in REPORT_COLUMNS order."""
        return [self.total, *self.reached.values(), *self.closed.values()]


def source_group(source: str, labels: dict[str, str]) -> str:
    """The report's source in words: each guide page, 「適職診断」, 「直接」."""
    parsed = stored_source(source)
    if parsed.kind == SourceKind.PAGE:
        return parsed.describe(labels)
    if parsed.kind == SourceKind.DIAGNOSIS:
        return "適職診断の結果"
    return "相談フォームへ直接"


def furthest(statuses: set[str]) -> int:
    """The furthest index in PIPELINE among `statuses` (クローズ is not a step)."""
    return max((PIPELINE.index(s) for s in statuses if s in PIPELINE), default=0)


def monthly_report(since: datetime, labels: dict[str, str]) -> list[ReportRow]:
    """Rows for requests received from `since` on, newest month first, then by
    count. `labels` maps interest keys to names (selectors.interest_labels)."""
    requests = list(
        ConsultationRequest.objects.filter(received_at__gte=since).values_list(
            "pk", "received_at", "source", "status", "close_reason"
        )
    )
    history = defaultdict(set)
    events = RequestEvent.objects.filter(
        kind=RequestEvent.Kind.STATUS, request__received_at__gte=since
    ).values_list("request_id", "data")
    for request_id, data in events:
        history[request_id].add(data.get("to"))
    rows = {}
    for pk, received_at, source, status, reason in requests:
        key = (f"{received_at.astimezone(TOKYO):%Y-%m}", source_group(source, labels))
        row = rows.setdefault(key, ReportRow(*key))
        row.total += 1
        reached = furthest(history[pk] | {status})
        for step in REACHED:
            if reached >= PIPELINE.index(step):
                row.reached[step] += 1
        if status == Status.CLOSED:
            row.closed[CloseReason(reason)] += 1
    return sorted(rows.values(), key=lambda r: (r.month, r.total), reverse=True)
