"""One action: the form (``ActionInput``), raising and updating it (every status change through
``rules.apply_action_status``; closing needs an outcome), reading it for the editor, its dated
progress notes, what raised it (``action_sources``) and changing its status alone
(``set_status``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from .. import audit, fields, references, rules, staff, versions
from ..db import Database
from ..errors import NotFoundError, ValidationError
from ..models import (
    Action,
    ActionUpdate,
    Assessment,
    ExperienceItem,
    Forum,
    Locality,
    Meeting,
    Standard,
    StandardCheck,
    StrategicPriority,
)
from ..rows import ActionRow, action_rows
from ..vocab import CLOSED_STATUSES, ActionLevel, ActionStatus, AuditOperation


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
    #: When a closed action was done (completed or cancelled): None is today when it is closed
    #: now, or the date already recorded. Never in the future, never before it was raised.
    closed_on: date | None = None
    #: The experience item ("you said") the action answers: an item's id, None for none, or
    #: ``KEEP`` to leave the link as it is (what a form without the choice sends).
    answers: uuid.UUID | str | None = "keep"


#: ``ActionInput.answers``: leave the link to what was said as it is.
KEEP = "keep"


# --- Reading ---------------------------------------------------------------------------------


def get_action(db: Database, action_id: uuid.UUID, today: date | None = None) -> ActionRow:
    """One action for an editor, with its ``version`` (read first: ``versions``)."""
    with db.session() as session:
        version = versions.current(
            session, Action, action_id, "That action is no longer in the database."
        )
        rows = action_rows(session, Action.id == action_id, today=today)
        if not rows:
            raise NotFoundError("That action is no longer in the database.")
        return rows[0]._replace(version=version)


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


# --- Writing ---------------------------------------------------------------------------------


def _clean(
    session: Session,
    data: ActionInput,
    outcome: str,
    default_raised: date,
    today: date | None = None,
) -> dict[str, Any]:
    """Validate the form (every problem at its field) before anything is written.
    ``raised_on`` None takes ``default_raised`` (today when raising, the stored date when
    updating)."""
    problems: dict[str, str] = {}
    title = fields.ACTION_TITLE.clean(data.title, problems, required="Say what the action is.")
    owner = fields.ACTION_OWNER.clean(data.owner, problems)
    detail = fields.ACTION_DETAIL.clean(data.detail, problems)
    outcome = fields.ACTION_OUTCOME.clean(outcome, problems)
    raised_on = data.raised_on or default_raised
    fields.check_dates(problems, raised_on=raised_on, due_on=data.due_on)
    level = fields.choice(
        ActionLevel, data.level, problems, "level", "Choose the level the action works at.",
        ActionLevel.LOCALITY,
    )  # fmt: skip
    status = fields.choice(
        ActionStatus, data.status or ActionStatus.OPEN, problems, "status",
        "Choose the action's status.", ActionStatus.OPEN,
    )  # fmt: skip
    if data.due_on is not None and data.due_on < raised_on and "due_on" not in problems:
        problems["due_on"] = "The due date cannot be before the date it was raised."
    if data.closed_on is not None:
        fields.check_dates(problems, closed_on=data.closed_on)
        if "closed_on" in problems:
            pass  # outside 1900-2100: said already
        elif data.closed_on > (today or date.today()):
            problems["closed_on"] = "The closed date cannot be in the future."
        elif data.closed_on < raised_on:
            problems["closed_on"] = "The closed date cannot be before the date it was raised."
    if status in CLOSED_STATUSES and not outcome:
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
        "detail": detail,
        "owner": owner,
        "owner_staff_id": staff.owner_id(session, owner),
        "level": level,
        "strategic_priority_id": data.strategic_priority_id,
        "raised_on": raised_on,
        "due_on": data.due_on,
        "status": status,
        "outcome": outcome,
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
            values = _clean(session, data, outcome, today, today)
        except ValidationError as error:
            raise ValidationError({**problems, **error.problems}) from None
        if problems:
            raise ValidationError(problems)
        if data.answers != KEEP:
            experience_item_id = _answered(session, data.answers, locality_id)
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
        rules.apply_action_status(action, status, data.closed_on or values["raised_on"])
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
    *,
    expected_version: int | None = None,
) -> int:
    """Save the action form; returns the new version. ``outcome`` None keeps the outcome
    already recorded, and ``data.raised_on`` None the date it was raised. Closing
    records today as the closed date, reopening clears it (``rules.apply_action_status``).
    With ``expected_version`` an action changed meanwhile is refused with ``ConflictError``;
    progress notes added meanwhile are not a change (``add_progress``)."""
    today = today or date.today()
    with versions.guard("action"), db.transaction() as session:
        action = session.get(Action, action_id)
        if action is None:
            raise NotFoundError("That action is no longer in the database.")
        versions.check(action, expected_version, "action")
        values = _clean(
            session, data, action.outcome if outcome is None else outcome, action.raised_on, today
        )
        status = values.pop("status")
        if data.answers != KEEP:
            action.experience_item_id = _answered(session, data.answers, action.locality_id)
        moved = _due_date_move(action.due_on, values["due_on"])
        for key, value in values.items():
            setattr(action, key, value)
        rules.apply_action_status(action, status, today)
        if data.closed_on is not None and action.closed_on is not None:
            action.closed_on = data.closed_on  # done on another day than it is recorded
        if moved:
            session.add(ActionUpdate(action_id=action.id, written_on=today, note=moved))
        audit.record(
            session, AuditOperation.UPDATE, "action", action.id, f"Action {action.reference}"
        )
        return versions.saved_version(session, action)


def _answered(session: Session, item_id: Any, locality_id: uuid.UUID) -> uuid.UUID | None:
    """The experience item an action answers, checked: it exists and was heard in the
    action's locality (``ValidationError`` at ``answers`` otherwise)."""
    if item_id is None:
        return None
    item = session.get(ExperienceItem, item_id)
    if item is None:
        raise ValidationError({"answers": "That experience item is no longer in the database."})
    if item.locality_id != locality_id:
        raise ValidationError({"answers": "Choose something said in the action's own locality."})
    return item.id


def _due_date_move(before: date | None, after: date | None) -> str:
    """The progress log's line for a due date moved ("" when it was not): the tracker's history
    keeps every promise made, not only the latest."""
    if before == after or before is None:
        return ""
    if after is None:
        return f"Due date {before:%d/%m/%Y} taken off."
    return f"Due date moved from {before:%d/%m/%Y} to {after:%d/%m/%Y}."


def add_progress(
    db: Database, action_id: uuid.UUID, note: str, written_on: date | None = None
) -> uuid.UUID:
    """Add a dated progress note (``written_on`` None is today). An append, not an edit: it
    takes no version and bumps none, so notes added from two places both land and never make
    an open editor's save of the action a conflict."""
    problems: dict[str, str] = {}
    text = fields.PROGRESS_NOTE.clean(note, problems, required="Write the progress note first.")
    fields.check_dates(problems, written_on=written_on)
    if problems:
        raise ValidationError(problems)
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


# --- One action: progress, source, status ----------------------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    id: uuid.UUID
    written_on: date
    note: str


def progress_log(db: Database, action_id: uuid.UUID) -> list[ProgressRow]:
    """The action's dated progress notes, oldest first (as written, for the editor's log)."""
    with db.session() as session:
        stmt = (
            select(ActionUpdate.id, ActionUpdate.written_on, ActionUpdate.note)
            .where(ActionUpdate.action_id == action_id)
            .order_by(ActionUpdate.written_on, ActionUpdate.created_at)
        )
        return [ProgressRow(*r) for r in session.execute(stmt)]


@dataclass(frozen=True)
class ActionSource:
    """Where an action came from. ``kind`` is "meeting", "experience" or "standard check";
    ``meeting_id`` is the meeting to open for the first two (an experience item heard at a
    meeting opens that meeting), ``assessment_id`` the assessment for a standard check."""

    kind: str
    id: uuid.UUID
    text: str
    meeting_id: uuid.UUID | None = None
    assessment_id: uuid.UUID | None = None


def _short(text: str, limit: int = 80) -> str:
    one = " ".join((text or "").split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


def action_sources(db: Database, action_id: uuid.UUID) -> list[ActionSource]:
    """The meeting, experience item and standard check that raised the action (each if any)."""
    with db.session() as session:
        action = session.get(Action, action_id)
        if action is None:
            raise NotFoundError("That action is no longer in the database.")
        found: list[ActionSource] = []
        if action.meeting_id is not None:
            row = session.execute(
                select(Meeting.reference, Meeting.meeting_date, Forum.name)
                .join(Forum, Forum.id == Meeting.forum_id)
                .where(Meeting.id == action.meeting_id)
            ).first()
            if row is not None:
                found.append(
                    ActionSource(
                        "meeting",
                        action.meeting_id,
                        f"Meeting {row[0]}: {row[2]}, {row[1]:%d/%m/%Y}",
                        meeting_id=action.meeting_id,
                    )
                )
        if action.experience_item_id is not None:
            item = session.get(ExperienceItem, action.experience_item_id)
            if item is not None:
                theme = f", {item.theme}" if item.theme else ""
                found.append(
                    ActionSource(
                        "experience",
                        item.id,
                        f"Experience ({item.kind.label}{theme}, {item.received_on:%d/%m/%Y}): "
                        f"{_short(item.summary)}",
                        meeting_id=item.meeting_id,
                    )
                )
        if action.standard_check_id is not None:
            check = session.execute(
                select(
                    Standard.code,
                    Standard.title,
                    Assessment.id,
                    Assessment.kind,
                    Assessment.assessed_on,
                )
                .select_from(StandardCheck)
                .join(Standard, Standard.id == StandardCheck.standard_id)
                .join(Assessment, Assessment.id == StandardCheck.assessment_id)
                .where(StandardCheck.id == action.standard_check_id)
            ).first()
            if check is not None:
                code, title, assessment_id, kind, assessed_on = check
                found.append(
                    ActionSource(
                        "standard check",
                        action.standard_check_id,
                        f"Standard {code} {_short(title, 60)} "
                        f"({kind.label.lower()} of {assessed_on:%d/%m/%Y})",
                        assessment_id=assessment_id,
                    )
                )
        return found


def set_status(
    db: Database,
    action_id: uuid.UUID,
    status: ActionStatus,
    *,
    outcome: str | None = None,
    today: date | None = None,
    expected_version: int | None = None,
) -> int:
    """Close, reopen or move an action on, keeping everything else as saved; returns the new
    version. Closing needs an outcome (``outcome`` None keeps the one recorded); reopening
    clears the closed date (``rules.apply_action_status``).

    Pitfall: the rest of the form is copied from a read in an earlier transaction, so the save
    is checked against that read's version (or ``expected_version`` when given): a change
    landing in between is a ``ConflictError``, never silently undone."""
    current = get_action(db, action_id, today)
    if expected_version is None:
        expected_version = current.version
    data = ActionInput(
        title=current.title,
        detail=current.detail,
        owner=current.owner,
        level=current.level,
        strategic_priority_id=current.strategic_priority_id,
        raised_on=current.raised_on,
        due_on=current.due_on,
        status=status,
    )
    return update_action(
        db, action_id, data, outcome=outcome, today=today, expected_version=expected_version
    )
