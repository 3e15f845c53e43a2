"""Actions ("you said, we did"): raising, updating, progress notes, the tracker's list, the
"you said, we did" pairs, owners' reminders and the trust's strategic priorities.

Every status change goes through ``rules.apply_action_status`` so ``closed_on`` stays true to the
rule; closing an action requires an outcome (the "we did"). ``action_rows`` is the one query
that turns actions into ``ActionRow``s; meetings, Home and search reuse it with their own filters.
``tracker_rows`` is the lean twin for the tracker's 20,000-row list: the rule flags (open now,
overdue today, due within seven days) are computed by the database from ``rules``, never in
Python, so the tracker, Home and the return agree.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, String, case, func, select, type_coerce
from sqlalchemy.orm import Session

from . import audit, fields, references, rules, versions
from .db import Database
from .document import Block, Column, Document, Heading, Paragraph, Table, spans
from .errors import NotFoundError, ValidationError
from .models import (
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
from .privacy import Redact
from .rows import ActionRow as ActionRow
from .rows import _as_stored_text, _key_from_text, action_rows, merged, raw_key
from .rows import to_key as to_key
from .vocab import CLOSED_STATUSES, ActionLevel, ActionStatus, AuditOperation


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


@dataclass(frozen=True)
class PriorityRow:
    id: uuid.UUID
    name: str
    position: int
    retired: bool
    #: The priority's ``row_version`` when listed: pass it back to ``rename_priority``,
    #: ``move_priority`` and ``retire_priority`` as ``expected_version``.
    version: int = 0


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
        return replace(rows[0], version=version)


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
            PriorityRow(p.id, p.name, p.position, bool(p.retired), int(p.row_version))
            for p in session.scalars(stmt)
        ]


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


# --- The tracker's list ----------------------------------------------------------------------

#: Home's and the tracker's "due this week": due from today up to six days ahead.
DUE_SOON_DAYS = 7
#: What a ``ConflictError`` from the priority services calls the record.
PRIORITY_WHAT = "strategic priority"

_LEVELS = {member.value: member for member in ActionLevel}
_STATUSES = {member.value: member for member in ActionStatus}
_FLAG_OPEN, _FLAG_OVERDUE, _FLAG_DUE_SOON = 1, 2, 4
#: ``tracker_rows`` calls its ``checkpoint`` before each this many rows (about 10 ms of work).
_CHECKPOINT_ROWS = 1000
#: The tracker's order: newest raised first; the id breaks ties so a first screenful read with
#: a limit is exactly the head of the whole list.
_TRACKER_ORDER = (Action.raised_on.desc(), Action.created_at.desc(), Action.id.desc())


@dataclass(slots=True)
class TrackerRow:
    """One action in the tracker's list: plain values only, kept lean so 20,000 rows load fast.

    Keys are the stored 32-digit hex text of the UUIDs (``key``, ``priority_key``...; compare
    with ``uuid.hex``); ``id`` converts on demand. Names are looked up by the view from
    ``list_priorities`` and the localities and forums, once, rather than carried on every row.

    ``is_open``, ``overdue`` and ``due_soon`` are ``rules.open_now``, ``rules.overdue_today`` and
    ``rules.due_within(today, DUE_SOON_DAYS)`` as of the ``today`` the rows were read for:
    reload the rows when the date changes (the page does when shown)."""

    key: str
    reference: str
    title: str
    owner: str
    level: ActionLevel
    status: ActionStatus
    raised_on: date
    due_on: date | None
    closed_on: date | None
    priority_key: str | None
    locality_key: str
    forum_key: str | None
    meeting_key: str | None
    #: "meeting", "experience", "standard check" or "" (raised directly).
    source: str
    is_open: bool
    overdue: bool
    due_soon: bool

    @property
    def id(self) -> uuid.UUID:
        return _key_from_text(self.key)


def tracker_rows(
    db: Database,
    *,
    today: date | None = None,
    action_ids: list[uuid.UUID] | None = None,
    limit: int | None = None,
    checkpoint: Callable[[], None] | None = None,
    locality_ids: Sequence[uuid.UUID] | None = None,
) -> list[TrackerRow]:
    """Every action (or those in ``action_ids``) for the tracker, newest raised first; with
    ``limit``, only the first ``limit`` of them in that order (the tracker's first screenful,
    read before the whole list). Pitfall: values are read as stored text through a Core
    connection and converted here; the ORM's per-row type processing costs more than the query
    itself on 20,000 rows.

    ``locality_ids`` (the tracker's scope: the coordinator's own localities; None for all) reads
    each locality's actions on its own, in order from the index on (locality, raised, created,
    id), and merges them: the first screenful stops after ``limit`` rows of each, whatever the
    size of the database. Without a scope the index on (raised, created, id) gives the order
    (migration 0007, ``schema``'s "The lists' indexes"; without those indexes SQLite sorts instead).

    ``checkpoint`` is called before each ``_CHECKPOINT_ROWS`` rows are converted: a worker
    thread passes one that waits while the user types, so the window keeps the interpreter."""
    today = today or date.today()
    flags = type_coerce(
        case((rules.open_now(today), _FLAG_OPEN), else_=0)
        + case((rules.overdue_today(today), _FLAG_OVERDUE), else_=0)
        + case((rules.due_within(today, DUE_SOON_DAYS), _FLAG_DUE_SOON), else_=0),
        Integer(),
    )
    text = String()
    source = case(
        (Action.meeting_id.is_not(None), "meeting"),
        (Action.experience_item_id.is_not(None), "experience"),
        (Action.standard_check_id.is_not(None), "standard check"),
        else_="",
    )
    stmt = (
        select(
            type_coerce(Action.id, text),
            Action.reference,
            Action.title,
            Action.owner,
            type_coerce(Action.level, text),
            type_coerce(Action.status, text),
            type_coerce(Action.raised_on, text),
            type_coerce(Action.due_on, text),
            type_coerce(Action.closed_on, text),
            raw_key(Action.strategic_priority_id),
            raw_key(Action.locality_id),
            raw_key(Meeting.forum_id),
            raw_key(Action.meeting_id),
            source,
            flags,
            type_coerce(Action.created_at, text),  # the merge's key, with raised_on and id
        )
        .outerjoin(Meeting, Meeting.id == Action.meeting_id)
        .order_by(*_TRACKER_ORDER)
    )
    if action_ids is not None:
        stmt = stmt.where(Action.id.in_(action_ids))
    if limit is not None:
        stmt = stmt.limit(limit)
    streams = (
        [stmt]
        if locality_ids is None
        else [stmt.where(Action.locality_id == lid) for lid in dict.fromkeys(locality_ids)]
    )
    with db.session() as session:
        connection = session.connection()
        read: list[Sequence[Any]] = [connection.execute(one).all() for one in streams]
    texts: list[list[Any]] = [
        [_as_stored_text(r) for r in part] if part and not isinstance(part[0][0], str) else [*part]
        for part in read  # a driver that types results (psycopg)
    ]
    raw = merged(texts, _tracker_key, descending=True, limit=limit)
    parsed: dict[str, date] = {}

    def day(text: str) -> date:
        # Dates repeat across thousands of rows: parse each distinct text once.
        found = parsed.get(text)
        if found is None:
            found = parsed[text] = date.fromisoformat(text)
        return found

    levels, statuses = _LEVELS, _STATUSES
    rows: list[TrackerRow] = []
    for start in range(0, len(raw), _CHECKPOINT_ROWS):
        if checkpoint is not None:
            checkpoint()
        rows += [
            TrackerRow(
                r[0].replace("-", "") if len(r[0]) != 32 else r[0],
                r[1],
                r[2],
                r[3],
                levels[r[4]],
                statuses[r[5]],
                day(r[6]),
                day(r[7]) if r[7] else None,
                day(r[8]) if r[8] else None,
                r[9],
                r[10],
                r[11],
                r[12],
                r[13],
                bool(r[14] & _FLAG_OPEN),
                bool(r[14] & _FLAG_OVERDUE),
                bool(r[14] & _FLAG_DUE_SOON),
            )
            for r in raw[start : start + _CHECKPOINT_ROWS]
        ]
    return rows


def _tracker_key(r: Any) -> tuple[str, str, str]:
    """``_TRACKER_ORDER`` of a row read by ``tracker_rows`` (raised on, created at, id: all
    stored text, which orders as SQL orders it)."""
    return r[6], r[15], r[0]


def owners(db: Database) -> list[str]:
    """Every owner named on an action, A to Z (for the owner filter and the editor's list)."""
    with db.session() as session:
        names = session.scalars(select(Action.owner).distinct().where(Action.owner != ""))
        return sorted(names, key=str.casefold)


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


# --- You said, we did --------------------------------------------------------------------------


@dataclass(frozen=True)
class PairRow:
    """An experience item ("you said") with one action it led to (or none) and its outcome."""

    experience_id: uuid.UUID
    received_on: date
    locality_name: str
    forum_name: str
    kind: str
    theme: str
    service: str
    summary: str
    response: str
    action_id: uuid.UUID | None
    action_reference: str
    action_title: str
    action_status: ActionStatus | None
    closed_on: date | None
    outcome: str
    due_on: date | None = None

    @property
    def we_did(self) -> str:
        """The "we did": the action's outcome once recorded, else where the action stands,
        else the response given to the item."""
        if self.action_id is not None:
            if self.outcome:
                return self.outcome
            status = self.action_status.label if self.action_status else ""
            due = f", due {self.due_on:%d/%m/%Y}" if self.due_on else ""
            return f"{self.action_title} ({status.lower()}{due})"
        return self.response

    @property
    def status_text(self) -> str:
        if self.action_status is None:
            return "Responded" if self.response else "No action yet"
        if self.action_status.is_closed and self.closed_on:
            return f"{self.action_status.label} {self.closed_on:%d/%m/%Y}"
        return self.action_status.label


def you_said_we_did(
    db: Database,
    *,
    locality_id: uuid.UUID | None = None,
    forum_id: uuid.UUID | None = None,
    theme: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    with_actions_only: bool = False,
) -> list[PairRow]:
    """Experience items received from ``date_from`` to ``date_to`` (both inclusive), each with
    the actions raised from it (one row per action; an item with none has one row), newest
    first. ``theme`` matches whole, ignoring case. Forum is the forum of the meeting the item
    was heard at (items brought straight to the coordinator have none)."""
    stmt = (
        select(
            ExperienceItem.id,
            ExperienceItem.received_on,
            Locality.name,
            func.coalesce(Forum.name, ""),
            ExperienceItem.kind,
            ExperienceItem.theme,
            ExperienceItem.service,
            ExperienceItem.summary,
            ExperienceItem.response,
            Action.id,
            func.coalesce(Action.reference, ""),
            func.coalesce(Action.title, ""),
            Action.status,
            Action.closed_on,
            func.coalesce(Action.outcome, ""),
            Action.due_on,
        )
        .join(Locality, Locality.id == ExperienceItem.locality_id)
        .outerjoin(Meeting, Meeting.id == ExperienceItem.meeting_id)
        .outerjoin(Forum, Forum.id == Meeting.forum_id)
        .outerjoin(Action, Action.experience_item_id == ExperienceItem.id)
        .order_by(ExperienceItem.received_on.desc(), ExperienceItem.created_at, Action.reference)
    )
    if locality_id is not None:
        stmt = stmt.where(ExperienceItem.locality_id == locality_id)
    if forum_id is not None:
        stmt = stmt.where(Meeting.forum_id == forum_id)
    if theme:
        stmt = stmt.where(func.lower(ExperienceItem.theme) == theme.strip().lower())
    if date_from is not None:
        stmt = stmt.where(ExperienceItem.received_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(ExperienceItem.received_on <= date_to)
    if with_actions_only:
        stmt = stmt.where(Action.id.is_not(None))
    with db.session() as session:
        return [
            PairRow(
                experience_id=r[0],
                received_on=r[1],
                locality_name=r[2],
                forum_name=r[3],
                kind=r[4].label,
                theme=r[5],
                service=r[6],
                summary=r[7],
                response=r[8],
                action_id=r[9],
                action_reference=r[10],
                action_title=r[11],
                action_status=None if r[12] is None else ActionStatus(r[12]),
                closed_on=r[13],
                outcome=r[14],
                due_on=r[15],
            )
            for r in session.execute(stmt)
        ]


def experience_themes(db: Database) -> list[str]:
    """Every theme named on an experience item, A to Z (for the theme filter)."""
    with db.session() as session:
        names = session.scalars(
            select(ExperienceItem.theme).distinct().where(ExperienceItem.theme != "")
        )
        return sorted(names, key=str.casefold)


PAIR_HEADERS = ("Date", "Forum", "Theme", "You said", "We did", "Status")


def pair_cells(row: PairRow, redact: Redact) -> tuple[str, ...]:
    """The cells of one printed / copied row, in ``PAIR_HEADERS`` order, with names and contact
    details hidden by ``redact`` (the return's redactor: ``privacy.redactor_of``), since the
    table leaves the coordinator (a poster, a newsletter)."""
    forum = row.forum_name or row.locality_name
    return (
        f"{row.received_on:%d/%m/%Y}",
        redact(forum),
        redact(row.theme),
        redact(row.summary),
        redact(row.we_did),
        row.status_text,
    )


#: The printed table's columns (landscape A4): the two that matter, what was said and what was
#: done, take three fifths of the width.
PAIR_COLUMNS = (
    ("Date", 9.5),
    ("Forum", 12.5),
    ("Theme", 11),
    ("You said", 29),
    ("We did", 29),
    ("Status", 9),
)


def you_said_we_did_document(
    rows: list[PairRow],
    title: str,
    *,
    redact: Redact,
    trust_name: str = "",
    logo_png: bytes | None = None,
) -> Document:
    """The "You said, we did" table (poster and newsletter format) as a landscape A4 document
    under the trust's name: a header row repeated on each page, "You said" and "We did" given
    most of the width; names and contact details hidden by ``redact`` (required: the table
    leaves the coordinator)."""
    columns = tuple(Column(header, width) for header, width in PAIR_COLUMNS)
    body: Block
    if rows:
        body = Table(columns, tuple(tuple(spans(c) for c in pair_cells(r, redact)) for r in rows))
    else:
        body = Paragraph(spans("Nothing heard in this period."))
    heading = redact(title) or "You said, we did"
    return Document(
        title=heading,
        blocks=(Heading(1, heading), body),
        trust_name=trust_name,
        logo_png=logo_png,
        landscape=True,
    )


def you_said_we_did_table_html(rows: list[PairRow], *, redact: Redact) -> str:
    """The table as HTML for the clipboard (Word and Outlook paste it as a table): every value
    escaped, a header row."""
    from html import escape

    def cell(text: str) -> str:
        return escape(text).replace("\n", "<br>")

    head = "".join(f'<th align="left">{escape(h)}</th>' for h in PAIR_HEADERS)
    body = "".join(
        "<tr>"
        + "".join(f'<td valign="top">{cell(c)}</td>' for c in pair_cells(r, redact))
        + "</tr>"
        for r in rows
    )
    if not rows:
        body = f'<tr><td colspan="{len(PAIR_HEADERS)}">Nothing heard in this period.</td></tr>'
    return (
        '<table border="1" cellspacing="0" cellpadding="4">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def you_said_we_did_text(rows: list[PairRow], *, redact: Redact) -> str:
    """Tab-separated text with a header row (pastes as a table into Excel); tabs and line
    breaks inside a cell become spaces so that every row stays one line."""

    def clean(text: str) -> str:
        return " ".join(text.replace("\t", " ").split())

    lines = ["\t".join(PAIR_HEADERS)]
    lines += ["\t".join(clean(c) for c in pair_cells(r, redact)) for r in rows]
    return "\n".join(lines) + "\n"


# --- Reminders -------------------------------------------------------------------------------


def owner_reminders(
    db: Database, today: date | None = None, *, locality_ids: list[uuid.UUID] | None = None
) -> dict[str, list[ActionRow]]:
    """Each owner's actions open now (``rules.open_now``), most urgent first (overdue, then by
    due date; no due date last), owners A to Z. Actions with no owner are left out."""
    today = today or date.today()
    where: list[ColumnElement[bool]] = [rules.open_now(today), Action.owner != ""]
    if locality_ids:
        where.append(Action.locality_id.in_(locality_ids))
    with db.session() as session:
        rows = action_rows(
            session,
            *where,
            today=today,
            order_by=(Action.due_on.is_(None), Action.due_on, Action.reference),
        )
    grouped: dict[str, list[ActionRow]] = {}
    for row in rows:
        grouped.setdefault(row.owner, []).append(row)
    return {owner: grouped[owner] for owner in sorted(grouped, key=str.casefold)}


# --- Strategic priorities ----------------------------------------------------------------------


def _priority_name(session: Session, name: str, exclude: uuid.UUID | None = None) -> str:
    problems: dict[str, str] = {}
    clean = fields.PRIORITY_NAME.clean(name, problems, required="Name the strategic priority.")
    if problems:
        raise ValidationError(problems)
    for other in session.scalars(select(StrategicPriority)):
        if other.id != exclude and other.name.casefold() == clean.casefold():
            state = " (retired)" if other.retired else ""
            raise ValidationError(
                {"name": f"There is already a priority called {other.name}{state}."}
            )
    return clean


def _priority(
    session: Session, priority_id: uuid.UUID, expected_version: int | None = None
) -> StrategicPriority:
    """The priority, checked against the version the dialog listed (when given)."""
    priority = session.get(StrategicPriority, priority_id)
    if priority is None:
        raise NotFoundError("That strategic priority is no longer in the database.")
    versions.check(priority, expected_version, PRIORITY_WHAT)
    return priority


def create_priority(db: Database, name: str) -> uuid.UUID:
    """Add a priority at the end of the list."""
    with db.transaction() as session:
        clean = _priority_name(session, name)
        last = session.scalar(select(func.max(StrategicPriority.position)))
        priority = StrategicPriority(name=clean, position=0 if last is None else last + 1)
        session.add(priority)
        session.flush()
        audit.record(
            session, AuditOperation.CREATE, "strategic_priority", priority.id, f"Priority {clean}"
        )
        return priority.id


def rename_priority(
    db: Database, priority_id: uuid.UUID, name: str, *, expected_version: int | None = None
) -> int:
    """Rename a priority; its actions keep it (they point at it, not at its name). Returns its
    new version. With ``expected_version`` (the version the list showed) a priority someone else
    renamed, retired or moved meanwhile is refused with ``ConflictError``."""
    with versions.guard(PRIORITY_WHAT), db.transaction() as session:
        priority = _priority(session, priority_id, expected_version)
        clean = _priority_name(session, name, exclude=priority_id)
        old, priority.name = priority.name, clean
        audit.record(
            session,
            AuditOperation.UPDATE,
            "strategic_priority",
            priority.id,
            f"Priority {old} renamed {clean}",
        )
        return versions.saved_version(session, priority)


def move_priority(
    db: Database, priority_id: uuid.UUID, delta: int, *, expected_version: int | None = None
) -> None:
    """Move a priority up (``delta`` < 0) or down the list; positions are renumbered 0..n-1.
    Moving past either end stops there. With ``expected_version``, a priority changed since it
    was listed (renamed, retired or moved by someone else) is not moved (``ConflictError``).

    Pitfall: renumbering changes (and so bumps the version of) every priority whose position
    moves, so after someone else's move the dialog must list again before acting on any of
    them; at worst that is a needless conflict, never a lost change."""
    with versions.guard(PRIORITY_WHAT), db.transaction() as session:
        ordered = list(
            session.scalars(
                select(StrategicPriority).order_by(
                    StrategicPriority.position, StrategicPriority.name
                )
            )
        )
        index = next((i for i, p in enumerate(ordered) if p.id == priority_id), None)
        if index is None:
            raise NotFoundError("That strategic priority is no longer in the database.")
        versions.check(ordered[index], expected_version, PRIORITY_WHAT)
        target = max(0, min(len(ordered) - 1, index + delta))
        ordered.insert(target, ordered.pop(index))
        for position, priority in enumerate(ordered):
            priority.position = position


def retire_priority(
    db: Database,
    priority_id: uuid.UUID,
    retired: bool = True,
    *,
    expected_version: int | None = None,
) -> int:
    """Retire a priority (no longer offered for new actions; old actions keep it and still show
    its name), or bring it back with ``retired=False``. Returns its new version. With
    ``expected_version``, a priority changed since it was listed is refused (``ConflictError``):
    the dialog's Retire / Restore button was chosen for the state it showed."""
    with versions.guard(PRIORITY_WHAT), db.transaction() as session:
        priority = _priority(session, priority_id, expected_version)
        priority.retired = retired
        audit.record(
            session,
            AuditOperation.UPDATE,
            "strategic_priority",
            priority.id,
            f"Priority {priority.name} {'retired' if retired else 'restored'}",
        )
        return versions.saved_version(session, priority)
