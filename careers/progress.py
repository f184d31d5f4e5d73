"""A request's progress in the reader's words (their status page).

受付済み → 担当者が決まりました → ご連絡しました → 面談 → 終了: five steps the reader
understands, read from the agents' pipeline (ConsultationRequest.Status) and the
assignee. Agents' finer steps (面談調整中, 求人紹介中) fold into the nearest one.
"""

from dataclasses import dataclass

from careers.models import ConsultationRequest

Status = ConsultationRequest.Status

STAGES = ("受付済み", "担当者が決まりました", "ご連絡しました", "面談", "終了")

# Agents' status → the reader's step (index into STAGES); NEW depends on the assignee.
STEP_OF_STATUS = {
    Status.CONTACTED: 2,
    Status.SCHEDULING: 2,
    Status.INTERVIEWED: 3,
    Status.INTRODUCING: 3,
    Status.CLOSED: 4,
}


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    current: bool


def reader_step(consultation: ConsultationRequest) -> int:
    """The index in STAGES `consultation` has reached."""
    if consultation.status == Status.NEW:
        return 1 if consultation.assignee_id else 0
    return STEP_OF_STATUS[consultation.status]


def reader_steps(consultation: ConsultationRequest) -> list[Step]:
    """All five steps, each marked done (reached) and current (the one reached last)."""
    reached = reader_step(consultation)
    return [Step(label, i <= reached, i == reached) for i, label in enumerate(STAGES)]
