"""The rows that lists and Home show (localities, meetings, actions, improvement projects), read
with Core queries over the tables of ``core.schema``.

Nothing here loads the ORM: the window shows Home, and a list shows its first screenful, before
the ORM's classes are imported and configured (about a quarter of a second on a laptop). The
modules that edit these records (``meetings``, ``actions``, ``projects``) re-export what is
here, so callers keep importing from them. Every function takes a ``Reader``: an ORM session or
a Core connection (``Database.reading``); the ``where`` and ``order_by`` clauses may be built
from the tables or from the ORM classes mapped onto them.

``LocalityRow``, ``ForumChoice`` and ``ActionRow`` are NamedTuples, not dataclasses: this
module is on the way to Home, where each dataclass costs about 0.7 ms to define
(``tests/cli/test_start_dataclasses.py``). Copy one with ``_replace`` (``dataclasses.replace``
refuses it); it equals a plain tuple of the same values. ``MeetingRow`` and ``ProjectRow`` stay
dataclasses: the editors' details subclass them with fields of their own.
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import ColumnElement, Select, String, case, func, select, type_coerce

from . import rules, schema
from .rules import Month
from .vocab import (
    ActionLevel,
    ActionStatus,
    AttendanceStatus,
    ForumKind,
    MeetingFormat,
    MeetingStatus,
    ProjectStatus,
)

if TYPE_CHECKING:
    from .db import Database, Reader


# --- Foreign keys read fast ------------------------------------------------------------------


def raw_key(column: Any) -> Any:
    """A UUID foreign key selected as stored (no per-row conversion); pair with ``to_key``."""
    return type_coerce(column, String())


@lru_cache(maxsize=16384)
def _key_from_text(value: str) -> uuid.UUID:
    return uuid.UUID(value)


def _as_stored_text(row: Any) -> tuple[Any, ...]:
    """A row read from a driver that returns UUIDs and dates as objects (psycopg), turned into
    the text SQLite hands back for ``type_coerce(..., String())``: 32-digit hex keys, ISO dates.
    Only called when the first value is not text, so SQLite pays nothing."""
    return tuple(
        v.hex if isinstance(v, uuid.UUID) else v.isoformat() if isinstance(v, date) else v
        for v in row
    )


def required_key(value: Any) -> uuid.UUID:
    """``to_key`` of a column that is never empty (a meeting's forum, a forum's locality)."""
    key = to_key(value)
    assert key is not None, "a required key was empty"
    return key


def to_key(value: Any) -> uuid.UUID | None:
    """The UUID of a value read through ``raw_key``. Keys such as a locality's repeat on every
    row of a long list; converting each text once (cached) saves most of a list's Python time
    (16,000 actions: 3 of its 4 UUID columns)."""
    if value is None or isinstance(value, uuid.UUID):
        return value
    return _key_from_text(str(value))


# --- Scope: the coordinator's own localities, and reading a list in streams --------------------


def coordinated_localities(session: Reader) -> list[uuid.UUID]:
    """The localities this laptop's coordinator looks after (``localities.coordinated``), by
    name; [] when none is marked, which the lists take as "every locality"."""
    return list(
        session.scalars(
            select(schema.localities.c.id)
            .where(schema.localities.c.coordinated.is_(True))
            .order_by(schema.localities.c.name)
        )
    )


def merged(
    streams: Iterable[list[Any]],
    key: Callable[[Any], Any],
    *,
    descending: bool,
    limit: int | None = None,
) -> list[Any]:
    """Rows from several streams, each already in the list's order (read from an index, one
    per locality or forum), merged into that order and cut at ``limit``: the first screenful of
    a few localities without sorting all their rows. Python work is proportional to the rows
    read, which a ``limit`` on each stream keeps to a screenful per stream."""
    lists = [s for s in streams if s]
    if len(lists) == 1:
        rows = lists[0]
    else:
        rows = list(heapq.merge(*lists, key=key, reverse=descending))
    return rows if limit is None else rows[:limit]


# --- Localities -------------------------------------------------------------------------------


class LocalityRow(NamedTuple):
    id: uuid.UUID
    name: str
    code: str
    coordinated: bool
    active: bool


def list_localities(db: Database) -> list[LocalityRow]:
    """Every locality, by name."""
    localities = schema.localities.c
    with db.reading() as conn:
        return [
            LocalityRow(row[0], row[1], row[2], bool(row[3]), bool(row[4]))
            for row in conn.execute(
                select(
                    localities.id,
                    localities.name,
                    localities.code,
                    localities.coordinated,
                    localities.active,
                ).order_by(localities.name)
            )
        ]


class ForumChoice(NamedTuple):
    """A forum as a list's forum filter offers it."""

    id: uuid.UUID
    name: str
    locality_name: str


def forum_choices(
    db: Database, locality_ids: Sequence[uuid.UUID] | None = None
) -> list[ForumChoice]:
    """Every forum, retired ones too, by locality then name (as ``meetings.list_forums``), for
    a list's forum filter; ``locality_ids``: only those localities' (None: all). Core rows and
    three columns: a trust-wide database's 900 forums in a few ms, where ``list_forums`` built
    an ORM object with its usual day for each (90 ms, three times over, when the Meetings list
    was switched to "All localities" at sixteen times the large demo)."""
    forums, localities = schema.forums.c, schema.localities.c
    stmt = (
        select(raw_key(forums.id), forums.name, localities.name)
        .join(schema.localities, localities.id == forums.locality_id)
        .order_by(localities.name, forums.name)
    )
    if locality_ids is not None:
        stmt = stmt.where(forums.locality_id.in_(list(locality_ids)))
    with db.reading() as conn:
        return [ForumChoice(required_key(r[0]), r[1], r[2]) for r in conn.execute(stmt)]


# --- Meetings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRow:
    id: uuid.UUID
    reference: str
    forum_id: uuid.UUID
    forum_name: str
    forum_kind: ForumKind
    locality_id: uuid.UUID
    locality_name: str
    meeting_date: date
    start_time: time | None
    end_time: time | None
    venue: str
    format: MeetingFormat
    status: MeetingStatus
    #: Named participants marked present.
    present_count: int
    apologies_count: int
    #: Sum of the unnamed counts over all categories.
    unnamed_count: int
    actions_raised: int


def _count_where(table: Any, *where: ColumnElement[bool]) -> Any:
    """How many rows of ``table`` belong to the meeting of the enclosing query."""
    return (
        select(func.count())
        .select_from(table)
        .where(table.c.meeting_id == schema.meetings.c.id, *where)
        .correlate(schema.meetings)
        .scalar_subquery()
    )


def _meeting_select() -> Select[Any]:
    """Meetings with their figures: correlated counts over indexed meeting_id columns, so a
    filtered list only looks at its own meetings' attendances."""
    unnamed = (
        select(func.coalesce(func.sum(schema.unnamed_attendances.c.count), 0))
        .where(schema.unnamed_attendances.c.meeting_id == schema.meetings.c.id)
        .correlate(schema.meetings)
        .scalar_subquery()
    )
    return (
        select(
            schema.meetings.c.id,
            schema.meetings.c.reference,
            raw_key(schema.meetings.c.forum_id),
            schema.forums.c.name,
            schema.forums.c.kind,
            raw_key(schema.forums.c.locality_id),
            schema.localities.c.name,
            schema.meetings.c.meeting_date,
            schema.meetings.c.start_time,
            schema.meetings.c.end_time,
            schema.meetings.c.venue,
            schema.meetings.c.format,
            schema.meetings.c.status,
            _count_where(
                schema.attendances, schema.attendances.c.status == AttendanceStatus.PRESENT
            ),
            _count_where(
                schema.attendances, schema.attendances.c.status == AttendanceStatus.APOLOGIES
            ),
            unnamed,
            _count_where(schema.actions),
        )
        .join(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
        .join(schema.localities, schema.localities.c.id == schema.forums.c.locality_id)
    )


def _to_row(r: Any) -> MeetingRow:
    return MeetingRow(
        id=r[0],
        reference=r[1],
        forum_id=required_key(r[2]),
        forum_name=r[3],
        forum_kind=r[4],
        locality_id=required_key(r[5]),
        locality_name=r[6],
        meeting_date=r[7],
        start_time=r[8],
        end_time=r[9],
        venue=r[10],
        format=r[11],
        status=r[12],
        present_count=int(r[13] or 0),
        apologies_count=int(r[14] or 0),
        unnamed_count=int(r[15] or 0),
        actions_raised=int(r[16] or 0),
    )


def meeting_rows(
    session: Reader,
    *where: ColumnElement[bool],
    order_by: tuple[Any, ...] | None = None,
    limit: int | None = None,
) -> list[MeetingRow]:
    """Meetings matching ``where`` as rows in one query (newest first unless ``order_by``)."""
    stmt = _meeting_select().where(*where)
    stmt = stmt.order_by(
        *(
            order_by
            or (
                schema.meetings.c.meeting_date.desc(),
                schema.meetings.c.start_time.desc(),
                schema.meetings.c.reference.desc(),
            )
        )
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_to_row(r) for r in session.execute(stmt)]


# --- Actions ----------------------------------------------------------------------------------


class ActionRow(NamedTuple):
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
    #: The staff member the owner was chosen as from the staff list (``actions.owner_staff_id``),
    #: None for an owner typed as free text: such an owner is that person whoever shares the
    #: name (``privacy.Piece.staff_id``).
    owner_staff_id: uuid.UUID | None = None
    #: The row's version, filled by ``get_action`` only (0 in lists): pass it back as
    #: ``expected_version`` when saving from an editor.
    version: int = 0


def _latest_progress() -> Any:
    return (
        select(schema.action_updates.c.note)
        .where(schema.action_updates.c.action_id == schema.actions.c.id)
        .order_by(
            schema.action_updates.c.written_on.desc(), schema.action_updates.c.created_at.desc()
        )
        .limit(1)
        .correlate(schema.actions)
        .scalar_subquery()
    )


def action_rows(
    session: Reader,
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
            schema.actions.c.id,
            schema.actions.c.reference,
            schema.actions.c.title,
            schema.actions.c.owner,
            schema.actions.c.level,
            func.coalesce(schema.strategic_priorities.c.name, ""),
            schema.actions.c.raised_on,
            schema.actions.c.due_on,
            schema.actions.c.status,
            schema.actions.c.closed_on,
            schema.actions.c.outcome,
            case((rules.overdue_today(today), 1), else_=0),
            func.coalesce(_latest_progress(), ""),
            func.coalesce(schema.meetings.c.reference, ""),
            schema.localities.c.name,
            schema.actions.c.detail,
            raw_key(schema.actions.c.strategic_priority_id),
            raw_key(schema.actions.c.meeting_id),
            raw_key(schema.actions.c.locality_id),
            raw_key(schema.actions.c.owner_staff_id),
        )
        .join(schema.localities, schema.localities.c.id == schema.actions.c.locality_id)
        .outerjoin(
            schema.strategic_priorities,
            schema.strategic_priorities.c.id == schema.actions.c.strategic_priority_id,
        )
        .outerjoin(schema.meetings, schema.meetings.c.id == schema.actions.c.meeting_id)
        .where(*where)
        .order_by(
            *(order_by or (schema.actions.c.raised_on.desc(), schema.actions.c.created_at.desc()))
        )
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
            owner_staff_id=to_key(r[19]),
        )
        for r in session.execute(stmt)
    ]


# --- Improvement projects ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectRow:
    id: uuid.UUID
    locality_id: uuid.UUID
    locality_name: str
    title: str
    service: str
    lead: str
    status: ProjectStatus
    started_on: date | None
    ended_on: date | None
    outcome: str
    people_count: int


def project_rows(session: Reader, *where: ColumnElement[bool]) -> list[ProjectRow]:
    """Improvement projects matching ``where``, latest start first, not yet started last."""
    projects = schema.improvement_projects.c
    people = (
        select(func.count(schema.project_participants.c.id))
        .where(schema.project_participants.c.project_id == projects.id)
        .correlate(schema.improvement_projects)
        .scalar_subquery()
    )
    query = (
        select(
            projects.id,
            projects.locality_id,
            schema.localities.c.name,
            projects.title,
            projects.service,
            projects.lead,
            projects.status,
            projects.started_on,
            projects.ended_on,
            projects.outcome,
            people,
        )
        .join(schema.localities, schema.localities.c.id == projects.locality_id)
        .where(*where)
        .order_by(
            projects.started_on.is_(None),
            projects.started_on.desc(),
            func.lower(projects.title),
            projects.id,
        )
    )
    return [
        ProjectRow(*row[:6], ProjectStatus(row[6]), *row[7:10], people_count=int(row[10] or 0))
        for row in session.execute(query)
    ]


def active_projects(
    db: Database, locality_ids: Iterable[uuid.UUID] | None, today: date
) -> list[ProjectRow]:
    """For Home: projects marked active that are active this month by the return's rule
    (``rules.project_active_in``), in the given localities (all when None)."""
    where: list[ColumnElement[bool]] = [
        schema.improvement_projects.c.status == ProjectStatus.ACTIVE,
        rules.project_active_in(Month.of(today)),
    ]
    if locality_ids is not None:
        where.append(schema.improvement_projects.c.locality_id.in_(list(locality_ids)))
    with db.reading() as conn:
        return project_rows(conn, *where)
