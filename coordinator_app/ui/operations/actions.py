"""The writes of actions: raising, saving, progress notes. One ``Op`` each, telling the other
pages once (``actionsChanged``, and ``meetingsChanged`` for the meeting it was raised at)."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtWidgets import QWidget

from ...core import actions
from ...core.actions import ActionInput
from ..context import AppContext
from . import Op


def _told(ctx: AppContext, action_id: uuid.UUID, meeting_id: uuid.UUID | None) -> None:
    ctx.events.actionsChanged.emit(str(action_id))
    if meeting_id is not None:
        ctx.events.meetingsChanged.emit(str(meeting_id))


def raise_action(
    parent: QWidget | None,
    ctx: AppContext,
    *,
    locality_id: uuid.UUID | None,
    data: ActionInput,
    meeting_id: uuid.UUID | None = None,
    experience_item_id: uuid.UUID | None = None,
    standard_check_id: uuid.UUID | None = None,
    outcome: str = "",
    today: date | None = None,
) -> Op[uuid.UUID]:
    return Op(
        parent,
        lambda: actions.raise_action(
            ctx.db,
            locality_id=locality_id,  # type: ignore[arg-type]  # the core says it is missing
            data=data,
            meeting_id=meeting_id,
            experience_item_id=experience_item_id,
            standard_check_id=standard_check_id,
            outcome=outcome,
            today=today,
        ),
        changed=lambda saved: _told(ctx, saved, meeting_id),
    )


def update_action(
    parent: QWidget | None,
    ctx: AppContext,
    action_id: uuid.UUID,
    data: ActionInput,
    *,
    outcome: str | None,
    today: date | None,
    expected_version: int | None = None,
    meeting_id: uuid.UUID | None = None,
) -> Op[int]:
    return Op(
        parent,
        lambda: actions.update_action(
            ctx.db, action_id, data, outcome, today, expected_version=expected_version
        ),
        changed=lambda _version: _told(ctx, action_id, meeting_id),
    )


def add_progress(
    parent: QWidget | None, ctx: AppContext, action_id: uuid.UUID, note: str, written_on: date
) -> Op[uuid.UUID]:
    return Op(
        parent,
        lambda: actions.add_progress(ctx.db, action_id, note, written_on=written_on),
        changed=lambda _note: _told(ctx, action_id, None),
    )
