"""The tracker's list (``tracker_rows``: lean ``TrackerRow``s, the rule flags computed by the
database from ``rules``), the owners named on actions, and each owner's open actions for a
reminder (``owner_reminders``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, String, case, select, type_coerce

from .. import rules
from ..db import Database
from ..models import Action, Meeting
from ..rows import ActionRow, _as_stored_text, _key_from_text, action_rows, merged, raw_key
from ..vocab import ActionLevel, ActionStatus

#: Home's and the tracker's "due this week": due from today up to six days ahead.
DUE_SOON_DAYS = 7

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
