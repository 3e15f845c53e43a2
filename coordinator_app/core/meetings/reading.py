"""Meetings read: the list (Core rows, newest first), one meeting in full (``MeetingDetail``,
read in one session) and a meeting found by its reference or UUID.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, time
from typing import Any

from sqlalchemy import ColumnElement, case, func, select

from .. import rules, schema, versions
from ..db import Database
from ..errors import NotFoundError
from ..models import (
    Action,
    AgendaItem,
    Attendance,
    ExperienceItem,
    InvolvementPayment,
    Meeting,
    Participant,
    Poll,
    UnnamedAttendance,
)
from ..payments.activities import expenses_by_payment
from ..payments.receipts import receipt_counts
from ..rows import MeetingRow, action_rows, meeting_rows, merged
from ..vocab import (
    AccessibleFormat,
    AttendanceStatus,
    Category,
    ExpenseKind,
    ForumKind,
    MeetingStatus,
    PaymentMethod,
    PaymentStatus,
)
from .common import _experience_row
from .rows import AgendaItemRow, MeetingDetail, PaymentRow, PollRow, RegisterRow


def list_meetings(
    db: Database,
    *,
    locality_id: uuid.UUID | None = None,
    forum_id: uuid.UUID | None = None,
    status: MeetingStatus | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    events: bool | None = None,
    limit: int | None = None,
    locality_ids: Sequence[uuid.UUID] | None = None,
) -> list[MeetingRow]:
    """Meetings newest first. ``date_to`` is inclusive. ``events`` True keeps only engagement
    events (forums of kind event), False leaves them out, None keeps both. ``limit``: only the
    newest that many (the first screenful of a long list; ~10 ms for 300 of 3,800 meetings,
    where the whole list takes ~90 ms).

    ``locality_ids`` (the list's scope: the coordinator's own localities, ``None`` for all)
    reads each of their forums' meetings on its own, newest first from the index on
    (forum, date, time, reference) (migration 0007, ``schema``'s "The lists' indexes"), and merges
    them (``rows.merged``): the first screenful never sorts a whole trust's meetings, and costs
    the same however many other localities the database holds."""
    where: list[ColumnElement[bool]] = []
    if locality_id is not None:
        where.append(schema.forums.c.locality_id == locality_id)
    if forum_id is not None:
        where.append(schema.meetings.c.forum_id == forum_id)
    if status is not None:
        where.append(schema.meetings.c.status == MeetingStatus(status))
    if date_from is not None:
        where.append(schema.meetings.c.meeting_date >= date_from)
    if date_to is not None:
        where.append(schema.meetings.c.meeting_date <= date_to)
    if events is True:
        where.append(schema.forums.c.kind == ForumKind.EVENT)
    elif events is False:
        where.append(schema.forums.c.kind != ForumKind.EVENT)
    with db.reading() as conn:  # Core rows: no ORM objects for a list of thousands
        if locality_ids is None:
            return meeting_rows(conn, *where, limit=limit)
        forums = [forum_id] if forum_id is not None else []
        if not forums:
            forums = list(
                conn.scalars(
                    select(schema.forums.c.id).where(
                        schema.forums.c.locality_id.in_(list(locality_ids))
                    )
                )
            )
        streams = [
            meeting_rows(conn, schema.meetings.c.forum_id == forum, *where, limit=limit)
            for forum in forums
        ]
        if forum_id is not None:  # one forum, and it must be in scope
            streams = [
                [r for r in stream if r.locality_id in set(locality_ids)] for stream in streams
            ]
        return merged(streams, meeting_order, descending=True, limit=limit)


def meeting_order(row: MeetingRow) -> tuple[Any, ...]:
    """The list's order as a key (``meeting_rows``: date, start time, reference, newest first;
    a meeting with no start time after those with one on its day, as SQL orders NULL)."""
    return (row.meeting_date, row.start_time is not None, row.start_time or time.min, row.reference)


def get_meeting(db: Database, meeting_id: uuid.UUID) -> MeetingDetail:
    """Everything about one meeting, read in one session: agenda, register (present, then
    apologies, then absent, by name), unnamed counts, payments, experience, the actions raised
    at it, its matters arising (with their latest progress) and its polls."""
    with db.session() as session:
        version = versions.current(
            session, Meeting, meeting_id, "That meeting is no longer in the database."
        )
        rows = meeting_rows(session, Meeting.id == meeting_id)
        if not rows:
            raise NotFoundError("That meeting is no longer in the database.")
        row = rows[0]
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        agenda = [
            AgendaItemRow(a.id, a.position, a.title, a.discussion, a.decisions)
            for a in session.scalars(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting_id)
                .order_by(AgendaItem.position, AgendaItem.created_at)
            )
        ]
        status_order = case(
            (Attendance.status == AttendanceStatus.PRESENT, 0),
            (Attendance.status == AttendanceStatus.APOLOGIES, 1),
            else_=2,
        )
        register = [
            RegisterRow(
                r[0],
                r[1],
                Category(r[2]),
                AttendanceStatus(r[3]),
                AccessibleFormat(r[4]),
                bool(r[5]),
            )
            for r in session.execute(
                select(
                    Participant.id,
                    Participant.name,
                    Participant.category,
                    Attendance.status,
                    Participant.accessible_format,
                    Participant.name_in_minutes,
                )
                .join(Participant, Participant.id == Attendance.participant_id)
                .where(Attendance.meeting_id == meeting_id)
                .order_by(status_order, func.lower(Participant.name), Participant.id)
            )
        ]
        order = list(Category)
        unnamed = dict(
            sorted(
                (
                    (Category(u.category), u.count)
                    for u in session.scalars(
                        select(UnnamedAttendance).where(UnnamedAttendance.meeting_id == meeting_id)
                    )
                    if u.count
                ),
                key=lambda kv: order.index(kv[0]),
            )
        )
        paid_here = session.execute(
            select(InvolvementPayment, Participant.name)
            .join(Participant, Participant.id == InvolvementPayment.participant_id)
            .where(InvolvementPayment.meeting_id == meeting_id)
            .order_by(func.lower(Participant.name), Participant.id)
        ).all()
        kinds = expenses_by_payment(session, {p.id: p.expenses_pence for p, _ in paid_here})
        receipts = receipt_counts(session, kinds)
        payments = [
            PaymentRow(
                p.id,
                p.participant_id,
                name,
                PaymentStatus(p.status),
                p.amount_pence,
                p.expenses_pence,
                p.paid_on,
                p.claimed_on,
                PaymentMethod(p.method),
                tuple((k, kinds[p.id][k]) for k in ExpenseKind if k in kinds[p.id]),
                receipts.get(p.id, 0),
            )
            for p, name in paid_here
        ]
        answering: dict[uuid.UUID | None, list[str]] = {}
        for item_id, reference in session.execute(
            select(Action.experience_item_id, Action.reference)
            .join(ExperienceItem, ExperienceItem.id == Action.experience_item_id)
            .where(ExperienceItem.meeting_id == meeting_id)
            .order_by(Action.raised_on, Action.created_at)
        ):
            answering.setdefault(item_id, []).append(reference)
        experience = [
            replace(_experience_row(e), actions=tuple(answering.get(e.id, ())))
            for e in session.scalars(
                select(ExperienceItem)
                .where(ExperienceItem.meeting_id == meeting_id)
                .order_by(ExperienceItem.received_on, ExperienceItem.created_at)
            )
        ]
        oldest_first = (Action.raised_on, Action.created_at)
        actions = action_rows(session, Action.meeting_id == meeting_id, order_by=oldest_first)
        matters = action_rows(
            session,
            rules.matters_arising_clause(meeting.forum_id, meeting.meeting_date),
            order_by=oldest_first,
        )
        polls = [
            PollRow(p.id, p.question, [(a.answer, a.count) for a in p.answers])
            for p in session.scalars(
                select(Poll).where(Poll.meeting_id == meeting_id).order_by(Poll.position)
            )
        ]
        return MeetingDetail(
            **{name: getattr(row, name) for name in MeetingRow.__dataclass_fields__},
            chair=meeting.chair,
            minute_taker=meeting.minute_taker,
            notes=meeting.notes,
            agenda=agenda,
            register=register,
            unnamed=unnamed,
            payments=payments,
            experience=experience,
            actions=actions,
            matters_arising=matters,
            polls=polls,
            version=version,
        )


def resolve_meeting(db: Database, reference_or_uuid: str) -> uuid.UUID:
    """The meeting named by its UUID or its reference (any case), as the command line takes it."""
    text = (reference_or_uuid or "").strip()
    with db.session() as session:
        try:
            as_uuid = uuid.UUID(text)
        except ValueError:
            as_uuid = None
        if as_uuid is not None and session.get(Meeting, as_uuid) is not None:
            return as_uuid
        if text:
            found = session.scalar(select(Meeting.id).where(Meeting.reference == text))
            if found is None:
                found = session.scalar(
                    select(Meeting.id).where(func.upper(Meeting.reference) == text.upper())
                )
            if found is not None:
                return found
    raise NotFoundError(f"There is no meeting with reference or id '{text}'.")
