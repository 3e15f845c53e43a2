"""The writes of meetings: details, agenda, register, payments, experience, polls. One ``Op``
each, every one telling the other pages once (``meetingsChanged``) when it is done.

Writes that carry ``expected_version`` return the meeting's new version, which the editor keeps
for its next save (two coordinators on one meeting: ``ConflictError``)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

from PySide6.QtWidgets import QWidget

from ...core import meetings, polls
from ...core.meetings import ExperienceInput, MeetingInput
from ...core.vocab import (
    AttendanceStatus,
    Category,
    ExpenseKind,
    PaymentMethod,
    PaymentStatus,
)
from ..context import AppContext
from . import Op


def _told(ctx: AppContext, meeting_id: uuid.UUID | None) -> Any:
    return lambda _value: ctx.events.meetingsChanged.emit(str(meeting_id) if meeting_id else "")


def create_meeting(
    parent: QWidget | None, ctx: AppContext, data: MeetingInput, *, standing_items: bool = False
) -> Op[uuid.UUID]:
    return Op(
        parent,
        lambda: meetings.create_meeting(ctx.db, data, standing_items=standing_items),
        changed=lambda saved: ctx.events.meetingsChanged.emit(str(saved)),
    )


def plan_next_meeting(
    parent: QWidget | None, ctx: AppContext, meeting_id: uuid.UUID
) -> Op[uuid.UUID]:
    return Op(
        parent,
        lambda: meetings.plan_next_meeting(ctx.db, meeting_id),
        title="Not planned",
        changed=lambda saved: ctx.events.meetingsChanged.emit(str(saved)),
    )


def update_meeting(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    data: MeetingInput,
    *,
    expected_version: int | None,
) -> Op[int]:
    return Op(
        parent,
        lambda: meetings.update_meeting(
            ctx.db, meeting_id, data, expected_version=expected_version
        ),
        changed=_told(ctx, meeting_id),
    )


def delete_meeting(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    *,
    expected_version: int | None,
) -> Op[None]:
    return Op(
        parent,
        lambda: meetings.delete_meeting(ctx.db, meeting_id, expected_version=expected_version),
        title="Not deleted",
        changed=_told(ctx, meeting_id),
    )


# --- the agenda ----------------------------------------------------------------------------


def add_agenda_item(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    title: str,
    discussion: str = "",
    decisions: str = "",
    *,
    position: int | None = None,
    expected_version: int | None,
) -> Op[uuid.UUID]:
    """A new item at the end, or at ``position`` (a removed one put back); its id. The
    meeting's version goes up by exactly one."""
    return Op(
        parent,
        lambda: meetings.add_agenda_item(
            ctx.db,
            meeting_id,
            title,
            discussion,
            decisions,
            position=position,
            expected_version=expected_version,
        ),
        changed=_told(ctx, meeting_id),
    )


def update_agenda_item(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    item_id: uuid.UUID,
    *,
    title: str,
    discussion: str,
    decisions: str,
    expected_version: int | None,
) -> Op[int]:
    return Op(
        parent,
        lambda: meetings.update_agenda_item(
            ctx.db,
            item_id,
            title=title,
            discussion=discussion,
            decisions=decisions,
            expected_version=expected_version,
        ),
        changed=_told(ctx, meeting_id),
    )


def move_agenda_item(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    item_id: uuid.UUID,
    delta: int,
    *,
    expected_version: int | None,
) -> Op[int]:
    return Op(
        parent,
        lambda: meetings.move_agenda_item(
            ctx.db, item_id, delta, expected_version=expected_version
        ),
        changed=_told(ctx, meeting_id),
    )


def delete_agenda_item(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    item_id: uuid.UUID,
    *,
    expected_version: int | None,
) -> Op[int]:
    return Op(
        parent,
        lambda: meetings.delete_agenda_item(ctx.db, item_id, expected_version=expected_version),
        title="Not removed",
        changed=_told(ctx, meeting_id),
    )


# --- the register --------------------------------------------------------------------------


def set_attendance(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    participant_id: uuid.UUID,
    status: AttendanceStatus,
    *,
    expected_version: int | None,
) -> Op[int]:
    return Op(
        parent,
        lambda: meetings.set_attendance(
            ctx.db, meeting_id, participant_id, status, expected_version=expected_version
        ),
        changed=_told(ctx, meeting_id),
    )


def remove_attendance(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    participant_id: uuid.UUID,
    *,
    expected_version: int | None,
) -> Op[int]:
    return Op(
        parent,
        lambda: meetings.remove_attendance(
            ctx.db, meeting_id, participant_id, expected_version=expected_version
        ),
        title="Not removed",
        changed=_told(ctx, meeting_id),
    )


def set_unnamed(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    category: Category,
    count: int,
    *,
    expected_version: int | None,
) -> Op[int]:
    return Op(
        parent,
        lambda: meetings.set_unnamed(
            ctx.db, meeting_id, category, count, expected_version=expected_version
        ),
        changed=_told(ctx, meeting_id),
    )


# --- payments ------------------------------------------------------------------------------


def set_payment(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    participant_id: uuid.UUID,
    *,
    status: PaymentStatus,
    amount_pence: int | None,
    expenses_pence: int = 0,
    paid_on: date | None,
    claimed_on: date | Literal["keep"] | None = "keep",
    expenses: Mapping[ExpenseKind, int] | None = None,
    method: PaymentMethod | None = None,
) -> Op[uuid.UUID]:
    """``expenses`` by kind, when given, replace ``expenses_pence`` (``meetings.set_payment``)."""
    return Op(
        parent,
        lambda: meetings.set_payment(
            ctx.db,
            meeting_id,
            participant_id,
            status=status,
            amount_pence=amount_pence,
            expenses_pence=expenses_pence,
            paid_on=paid_on,
            claimed_on=claimed_on,
            expenses=expenses,
            method=method,
        ),
        changed=_told(ctx, meeting_id),
    )


def offer_payments(
    parent: QWidget | None, ctx: AppContext, meeting_id: uuid.UUID
) -> Op[list[uuid.UUID]]:
    """The rate offered to everyone present not yet recorded; the new payments' ids."""
    return Op(
        parent,
        lambda: meetings.offer_payments_ids(ctx.db, meeting_id),
        title="Not offered",
        changed=_told(ctx, meeting_id),
    )


def mark_offered_paid(
    parent: QWidget | None, ctx: AppContext, meeting_id: uuid.UUID, paid_on: date
) -> Op[list[uuid.UUID]]:
    """Every payment still offered marked paid on ``paid_on``; their ids."""
    return Op(
        parent,
        lambda: meetings.mark_offered_paid_ids(ctx.db, meeting_id, paid_on),
        title="Not marked paid",
        changed=_told(ctx, meeting_id),
    )


def withdraw_offers(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    payment_ids: Sequence[uuid.UUID],
) -> Op[int]:
    """Undo of ``offer_payments``: those still offered removed; how many."""
    ids = list(payment_ids)
    return Op(
        parent,
        lambda: meetings.withdraw_offers(ctx.db, meeting_id, ids),
        title="Not undone",
        changed=_told(ctx, meeting_id),
    )


def unmark_paid(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    payment_ids: Sequence[uuid.UUID],
) -> Op[int]:
    """Undo of ``mark_offered_paid``: those still paid back to offered; how many."""
    ids = list(payment_ids)
    return Op(
        parent,
        lambda: meetings.unmark_paid(ctx.db, meeting_id, ids),
        title="Not undone",
        changed=_told(ctx, meeting_id),
    )


def remove_payment(
    parent: QWidget | None, ctx: AppContext, meeting_id: uuid.UUID, payment_id: uuid.UUID
) -> Op[None]:
    return Op(
        parent,
        lambda: meetings.remove_payment(ctx.db, payment_id),
        title="Not removed",
        changed=_told(ctx, meeting_id),
    )


# --- experience ------------------------------------------------------------------------------


def add_experience(
    parent: QWidget | None, ctx: AppContext, meeting_id: uuid.UUID, data: ExperienceInput
) -> Op[uuid.UUID]:
    return Op(
        parent,
        lambda: meetings.add_experience(ctx.db, meeting_id, data),
        changed=_told(ctx, meeting_id),
    )


def update_experience(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID | None,
    item_id: uuid.UUID,
    data: ExperienceInput,
) -> Op[None]:
    return Op(
        parent,
        lambda: meetings.update_experience(ctx.db, item_id, data),
        changed=_told(ctx, meeting_id),
    )


def delete_experience(
    parent: QWidget | None, ctx: AppContext, meeting_id: uuid.UUID, item_id: uuid.UUID
) -> Op[None]:
    return Op(
        parent,
        lambda: meetings.delete_experience(ctx.db, item_id),
        title="Not deleted",
        changed=_told(ctx, meeting_id),
    )


# --- quick polls -----------------------------------------------------------------------------


def add_poll(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    question: str,
    answers: Sequence[tuple[str, Any]],
) -> Op[uuid.UUID]:
    """A new quick poll at the meeting; its id."""
    rows = list(answers)
    return Op(
        parent,
        lambda: polls.add_poll(ctx.db, meeting_id, question, rows),
        title="Poll not saved",
        changed=_told(ctx, meeting_id),
    )


def update_poll(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    poll_id: uuid.UUID,
    question: str,
    answers: Sequence[tuple[str, Any]],
) -> Op[None]:
    rows = list(answers)
    return Op(
        parent,
        lambda: polls.update_poll(ctx.db, poll_id, question, rows),
        title="Poll not saved",
        changed=_told(ctx, meeting_id),
    )


def delete_poll(
    parent: QWidget | None, ctx: AppContext, meeting_id: uuid.UUID, poll_id: uuid.UUID
) -> Op[None]:
    return Op(
        parent,
        lambda: polls.delete_poll(ctx.db, poll_id),
        title="Not deleted",
        changed=_told(ctx, meeting_id),
    )
