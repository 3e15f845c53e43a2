"""Actions ("you said, we did"): raising, updating, progress notes and the basic list.

Every status change goes through ``rules.apply_action_status`` so ``closed_on`` stays true to the
rule; closing an action requires an outcome (the "we did"). ``action_rows`` is the one query
that turns actions into ``ActionRow``s; meetings, Home and search reuse it with their own filters.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, String, case, func, select, type_coerce
from sqlalchemy.orm import Session

from . import audit, references, rules
from .db import Database
from .errors import NotFoundError, ValidationError
from .models import (
    Action,
    ActionUpdate,
    ExperienceItem,
    Locality,
    Meeting,
    StandardCheck,
    StrategicPriority,
)
from .vocab import CLOSED_STATUSES, ActionLevel, ActionStatus, AuditOperation

OWNER_MAX = 120
TITLE_MAX = 2000


@dataclass
class ActionInput:
    title: str
    detail: str = ""
    owner: str = ""
    level: ActionLevel = ActionLevel.LOCALITY
    strategic_priority_id: uuid.UUID | None = None
    #: None means today.
    raised_on: date | None = None
    due_on: date | None = None
    status: ActionStatus = ActionStatus.OPEN


@dataclass(frozen=True)
class ActionRow:
    id: uuid.UUID
    reference: str
    title: str
    owner: str
    level: ActionLevel
    priority_name: str
    raised_on: date
    due_on: date | None
    status: ActionStatus
    closed_on: date | None
    outcome: str
    #: Overdue today (``rules.overdue_today``).
    overdue: bool
    #: The latest progress note, "" when there is none.
    latest_progress: str
    #: Reference of the meeting it was raised at, "" when none.
    meeting_reference: str
    locality_name: str
    detail: str = ""
    strategic_priority_id: uuid.UUID | None = None
    meeting_id: uuid.UUID | None = None
    locality_id: uuid.UUID | None = None


@dataclass(frozen=True)
class PriorityRow:
    id: uuid.UUID
    name: str
    position: int
    retired: bool


# --- Foreign keys read fast ------------------------------------------------------------------


def raw_key(column: Any) -> Any:
    """A UUID foreign key selected as stored (no per-row conversion); pair with ``to_key``."""
    return type_coerce(column, String())


@lru_cache(maxsize=16384)
def _key_from_text(value: str) -> uuid.UUID:
    return uuid.UUID(value)


def to_key(value: Any) -> uuid.UUID | None:
    """The UUID of a value read through ``raw_key``. Keys such as a locality's repeat on every
    row of a long list; converting each text once (cached) saves most of a list's Python time
    (16,000 actions: 3 of its 4 UUID columns)."""
    if value is None or isinstance(value, uuid.UUID):
        return value
    return _key_from_text(str(value))


# --- Reading ---------------------------------------------------------------------------------


def _latest_progress() -> Any:
    return (
        select(ActionUpdate.note)
        .where(ActionUpdate.action_id == Action.id)
        .order_by(ActionUpdate.written_on.desc(), ActionUpdate.created_at.desc())
        .limit(1)
        .correlate(Action)
        .scalar_subquery()
    )


def action_rows(
    session: Session,
    *where: ColumnElement[bool],
    today: date | None = None,
    order_by: tuple[Any, ...] | None = None,
    limit: int | None = None,
) -> list[ActionRow]:
    """Actions matching ``where`` as rows, in one query (latest progress by a correlated
    subquery, so only the returned actions are looked at). Default order: newest raised first."""
    today = today or date.today()
    stmt = (
        select(
            Action.id,
            Action.reference,
            Action.title,
            Action.owner,
            Action.level,
            func.coalesce(StrategicPriority.name, ""),
            Action.raised_on,
            Action.due_on,
            Action.status,
            Action.closed_on,
            Action.outcome,
            case((rules.overdue_today(today), 1), else_=0),
            func.coalesce(_latest_progress(), ""),
            func.coalesce(Meeting.reference, ""),
            Locality.name,
            Action.detail,
            raw_key(Action.strategic_priority_id),
            raw_key(Action.meeting_id),
            raw_key(Action.locality_id),
        )
        .join(Locality, Locality.id == Action.locality_id)
        .outerjoin(StrategicPriority, StrategicPriority.id == Action.strategic_priority_id)
        .outerjoin(Meeting, Meeting.id == Action.meeting_id)
        .where(*where)
        .order_by(*(order_by or (Action.raised_on.desc(), Action.created_at.desc())))
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        ActionRow(
            id=r[0],
            reference=r[1],
            title=r[2],
            owner=r[3],
            level=r[4],
            priority_name=r[5],
            raised_on=r[6],
            due_on=r[7],
            status=r[8],
            closed_on=r[9],
            outcome=r[10],
            overdue=bool(r[11]),
            latest_progress=r[12],
            meeting_reference=r[13],
            locality_name=r[14],
            detail=r[15],
            strategic_priority_id=to_key(r[16]),
            meeting_id=to_key(r[17]),
            locality_id=to_key(r[18]),
        )
        for r in session.execute(stmt)
    ]


def get_action(db: Database, action_id: uuid.UUID, today: date | None = None) -> ActionRow:
    with db.session() as session:
        rows = action_rows(session, Action.id == action_id, today=today)
        if not rows:
            raise NotFoundError("That action is no longer in the database.")
        return rows[0]


def list_actions(
    db: Database,
    *,
    locality_id: uuid.UUID | None = None,
    meeting_id: uuid.UUID | None = None,
    open_only: bool = False,
    today: date | None = None,
) -> list[ActionRow]:
    """Actions, newest raised first. ``open_only`` keeps those open now (``rules.open_now``)."""
    today = today or date.today()
    where: list[ColumnElement[bool]] = []
    if locality_id is not None:
        where.append(Action.locality_id == locality_id)
    if meeting_id is not None:
        where.append(Action.meeting_id == meeting_id)
    if open_only:
        where.append(rules.open_now(today))
    with db.session() as session:
        return action_rows(session, *where, today=today)


def list_priorities(db: Database, include_retired: bool = False) -> list[PriorityRow]:
    with db.session() as session:
        stmt = select(StrategicPriority).order_by(
            StrategicPriority.position, StrategicPriority.name
        )
        if not include_retired:
            stmt = stmt.where(StrategicPriority.retired.is_(False))
        return [
            PriorityRow(p.id, p.name, p.position, bool(p.retired)) for p in session.scalars(stmt)
        ]


# --- Writing ---------------------------------------------------------------------------------


def _clean(
    session: Session, data: ActionInput, outcome: str, default_raised: date
) -> dict[str, Any]:
    """Validate the form (every problem at its field) before anything is written.
    ``raised_on`` None takes ``default_raised`` (today when raising, the stored date when
    updating)."""
    problems: dict[str, str] = {}
    title = " ".join((data.title or "").split())
    owner = " ".join((data.owner or "").split())
    raised_on = data.raised_on or default_raised
    if not title:
        problems["title"] = "Say what the action is."
    elif len(title) > TITLE_MAX:
        problems["title"] = f"Keep the action's title under {TITLE_MAX} characters."
    if len(owner) > OWNER_MAX:
        problems["owner"] = f"The owner can be at most {OWNER_MAX} characters."
    try:
        level = ActionLevel(data.level)
    except ValueError:
        problems["level"] = "Choose the level the action works at."
        level = ActionLevel.LOCALITY
    try:
        status = ActionStatus(data.status or ActionStatus.OPEN)
    except ValueError:
        problems["status"] = "Choose the action's status."
        status = ActionStatus.OPEN
    if data.due_on is not None and data.due_on < raised_on:
        problems["due_on"] = "The due date cannot be before the date it was raised."
    if status in CLOSED_STATUSES and not outcome.strip():
        problems["outcome"] = "Say what was done (the 'we did') before closing the action."
    if (
        data.strategic_priority_id is not None
        and session.get(StrategicPriority, data.strategic_priority_id) is None
    ):
        problems["strategic_priority"] = "Choose a strategic priority from the list."
    if problems:
        raise ValidationError(problems)
    return {
        "title": title,
        "detail": (data.detail or "").strip(),
        "owner": owner,
        "level": level,
        "strategic_priority_id": data.strategic_priority_id,
        "raised_on": raised_on,
        "due_on": data.due_on,
        "status": status,
        "outcome": outcome.strip(),
    }


def raise_action(
    db: Database,
    *,
    locality_id: uuid.UUID,
    data: ActionInput,
    meeting_id: uuid.UUID | None = None,
    experience_item_id: uuid.UUID | None = None,
    standard_check_id: uuid.UUID | None = None,
    outcome: str = "",
    today: date | None = None,
) -> uuid.UUID:
    """Raise an action in a locality, optionally from a meeting, an experience item or a
    standard check; its reference is the locality's next (``RUG-A3``). ``raised_on`` None is
    today. An action raised already closed takes ``raised_on`` as its closed date."""
    today = today or date.today()
    with db.transaction() as session:
        problems: dict[str, str] = {}
        if session.get(Locality, locality_id) is None:
            problems["locality"] = "Choose the locality the action belongs to."
        try:
            values = _clean(session, data, outcome, today)
        except ValidationError as error:
            raise ValidationError({**problems, **error.problems}) from None
        if problems:
            raise ValidationError(problems)
        for model, key, value in (
            (Meeting, "meeting", meeting_id),
            (ExperienceItem, "experience_item", experience_item_id),
            (StandardCheck, "standard_check", standard_check_id),
        ):
            if value is not None and session.get(model, value) is None:
                raise NotFoundError(f"The {key.replace('_', ' ')} this action comes from is gone.")
        status = values.pop("status")
        action = Action(
            locality_id=locality_id,
            meeting_id=meeting_id,
            experience_item_id=experience_item_id,
            standard_check_id=standard_check_id,
            reference=references.next_action_reference(session, locality_id),
            status=ActionStatus.OPEN,
            **values,
        )
        rules.apply_action_status(action, status, max(values["raised_on"], today))
        session.add(action)
        session.flush()
        audit.record(
            session, AuditOperation.CREATE, "action", action.id, f"Action {action.reference}"
        )
        return action.id


def update_action(
    db: Database,
    action_id: uuid.UUID,
    data: ActionInput,
    outcome: str | None = None,
    today: date | None = None,
) -> None:
    """Save the action form. ``outcome`` None keeps the outcome already recorded, and
    ``data.raised_on`` None the date it was raised. Closing
    records today as the closed date, reopening clears it (``rules.apply_action_status``)."""
    today = today or date.today()
    with db.transaction() as session:
        action = session.get(Action, action_id)
        if action is None:
            raise NotFoundError("That action is no longer in the database.")
        values = _clean(
            session, data, action.outcome if outcome is None else outcome, action.raised_on
        )
        status = values.pop("status")
        for key, value in values.items():
            setattr(action, key, value)
        rules.apply_action_status(action, status, today)
        audit.record(
            session, AuditOperation.UPDATE, "action", action.id, f"Action {action.reference}"
        )


def add_progress(
    db: Database, action_id: uuid.UUID, note: str, written_on: date | None = None
) -> uuid.UUID:
    """Add a dated progress note (``written_on`` None is today)."""
    text = (note or "").strip()
    if not text:
        raise ValidationError({"note": "Write the progress note first."})
    with db.transaction() as session:
        action = session.get(Action, action_id)
        if action is None:
            raise NotFoundError("That action is no longer in the database.")
        update = ActionUpdate(action_id=action_id, written_on=written_on or date.today(), note=text)
        session.add(update)
        session.flush()
        audit.record(
            session,
            AuditOperation.CREATE,
            "action_update",
            update.id,
            f"Progress on action {action.reference}",
        )
        return update.id
