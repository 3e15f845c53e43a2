"""Meetings written: created, saved, deleted, and the forum's next sitting planned.

The reference (``RUG-2610``) is made from the locality and month, renewed when an edit moves the
meeting to another month or locality unless it was brought in by import (any other shape).
Deleting is refused while actions raised at the meeting exist; its experience items go with it,
their actions kept without the link.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, fields, forum_usual, references, rules, schema, versions
from ..db import Database
from ..errors import CoordinatorError, NotFoundError, ValidationError
from ..models import Action, AgendaItem, ExperienceItem, Forum, Meeting
from ..rows import MeetingRow, meeting_rows
from ..vocab import AuditOperation, MeetingFormat, MeetingStatus
from .common import _locality_code, _meeting, _parse, _unlink_actions
from .forums import usual_of
from .rows import MeetingInput

#: The first item of the agenda "Plan next meeting" makes, unless a standing item is it.
MATTERS_ARISING = "Matters arising"


def _clean_meeting(
    session: Session, data: MeetingInput, today: date | None = None
) -> tuple[Forum, dict[str, Any]]:
    """Validate the meeting form; every problem at its field, before anything is written."""
    today = today or date.today()
    problems: dict[str, str] = {}
    forum = session.get(Forum, data.forum_id) if data.forum_id is not None else None
    if forum is None:
        problems["forum"] = "Choose the forum this meeting belongs to."
    if data.meeting_date is None:
        problems["meeting_date"] = "Give the date of the meeting."
    fields.check_dates(problems, meeting_date=data.meeting_date)
    if (
        data.start_time is not None
        and data.end_time is not None
        and data.end_time <= data.start_time
    ):
        problems["end_time"] = "The meeting cannot end before it starts."
    fmt = _parse(MeetingFormat, data.format, problems, "format", "Choose the meeting's format.")
    status = _parse(MeetingStatus, data.status, problems, "status", "Choose the meeting's status.")
    if status == MeetingStatus.HELD and data.meeting_date is not None and data.meeting_date > today:
        problems["status"] = "A meeting in the future cannot be marked held yet."
    values: dict[str, Any] = {
        "venue": fields.MEETING_VENUE.clean(data.venue, problems),
        "chair": fields.MEETING_CHAIR.clean(data.chair, problems),
        "minute_taker": fields.MEETING_MINUTE_TAKER.clean(data.minute_taker, problems),
        "notes": fields.MEETING_NOTES.clean(data.notes, problems),
    }
    if problems:
        raise ValidationError(problems)
    assert forum is not None
    values.update(
        forum_id=forum.id,
        meeting_date=data.meeting_date,
        start_time=data.start_time,
        end_time=data.end_time,
        format=fmt,
        status=status,
    )
    return forum, values


def create_meeting(db: Database, data: MeetingInput, *, standing_items: bool = False) -> uuid.UUID:
    """A new meeting with the next free reference for its locality and month (``RUG-2610``,
    then ``RUG-2610-2``). With ``standing_items`` (a meeting planned in the app, not one
    imported or typed up from the past) its agenda starts with the forum's standing items."""
    with db.transaction() as session:
        forum, values = _clean_meeting(session, data)
        meeting = Meeting(
            reference=references.next_meeting_reference(
                session, _locality_code(session, forum), values["meeting_date"]
            ),
            **values,
        )
        session.add(meeting)
        session.flush()
        if standing_items:
            _add_standing_items(session, meeting, forum)
        audit.record(
            session, AuditOperation.CREATE, "meeting", meeting.id, f"Meeting {meeting.reference}"
        )
        return meeting.id


def _add_standing_items(
    session: Session, meeting: Meeting, forum: Forum, *, after: int = 0
) -> None:
    """The forum's standing items appended to the new meeting's agenda, numbered from
    ``after`` + 1; one already there by title (any case) is not added twice."""
    have = {
        title.casefold()
        for title in session.scalars(
            select(AgendaItem.title).where(AgendaItem.meeting_id == meeting.id)
        )
    }
    position = after
    for title in forum_usual.items_from_text(forum.standing_items):
        if title.casefold() in have:
            continue
        have.add(title.casefold())
        position += 1
        session.add(AgendaItem(meeting_id=meeting.id, position=position, title=title))


def _generated_stem(code: str, on: date) -> str:
    return f"{code}-{on:%y%m}"


def update_meeting(
    db: Database, meeting_id: uuid.UUID, data: MeetingInput, *, expected_version: int | None = None
) -> int:
    """Save the meeting's details; returns its new version. With ``expected_version`` (what the
    editor loaded) a meeting changed meanwhile is refused with ``ConflictError``."""
    with versions.guard("meeting"), db.transaction() as session:
        meeting = _meeting(session, meeting_id, expected_version)
        forum, values = _clean_meeting(session, data)
        old_forum = session.get(Forum, meeting.forum_id)
        old_stem = _generated_stem(
            _locality_code(session, old_forum) if old_forum else "", meeting.meeting_date
        )
        new_code = _locality_code(session, forum)
        new_stem = _generated_stem(new_code, values["meeting_date"])
        generated = meeting.reference == old_stem or meeting.reference.startswith(old_stem + "-")
        for key, value in values.items():
            setattr(meeting, key, value)
        if generated and new_stem != old_stem and not _papers_went_out(session, meeting.id):
            meeting.reference = references.next_meeting_reference(
                session, new_code, values["meeting_date"]
            )
        audit.record(
            session, AuditOperation.UPDATE, "meeting", meeting.id, f"Meeting {meeting.reference}"
        )
        return versions.saved_version(session, meeting)


def _papers_went_out(session: Session, meeting_id: uuid.UUID) -> bool:
    """Papers were sent for the meeting: its reference is on them (the agenda, the sign-in
    sheet, the invitation), so it stays when the meeting moves to another month."""
    found = session.execute(
        select(schema.papers_sent.c.id)
        .where(schema.papers_sent.c.meeting_id == meeting_id)
        .limit(1)
    ).first()
    return found is not None


def delete_meeting(
    db: Database, meeting_id: uuid.UUID, *, expected_version: int | None = None
) -> None:
    """Delete a meeting with its agenda, register, unnamed counts, payments, polls and the
    experience items recorded at it. Refused while it has actions raised at it: they stay on
    record, so cancel the meeting instead. With ``expected_version``, a meeting changed since
    it was loaded is not deleted (``ConflictError``)."""
    with versions.guard("meeting", deleting=True), db.transaction() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            raise NotFoundError("That meeting is no longer in the database.")
        versions.check(meeting, expected_version, "meeting", deleting=True)
        raised = list(
            session.scalars(
                select(Action.reference).where(Action.meeting_id == meeting_id).limit(4)
            )
        )
        if raised:
            shown = ", ".join(raised[:3]) + (", ..." if len(raised) > 3 else "")
            raise CoordinatorError(
                f"Meeting {meeting.reference} raised actions ({shown}) that must stay on record; "
                "mark the meeting cancelled instead of deleting it."
            )
        for item in session.scalars(
            select(ExperienceItem).where(ExperienceItem.meeting_id == meeting_id)
        ):
            _unlink_actions(session, item.id)
            session.delete(item)
        reference = meeting.reference
        session.delete(meeting)
        audit.record(session, AuditOperation.DELETE, "meeting", meeting_id, f"Meeting {reference}")


def next_sitting(on: date) -> date:
    """The same weekday of the month one month later (2nd Tuesday -> 2nd Tuesday); when the
    next month has no such occurrence (a 5th Friday), its last one."""
    month = rules.Month.of(on).following()
    occurrence = (on.day - 1) // 7
    offset = (on.weekday() - month.first.weekday()) % 7
    day = 1 + offset + 7 * occurrence
    while day > month.last.day:
        day -= 7
    return date(month.year, month.month, day)


#: "Plan next meeting" asks first when the forum already has a meeting planned this soon.
ALREADY_PLANNED_WITHIN = timedelta(weeks=8)


def already_planned(db: Database, meeting_id: uuid.UUID) -> MeetingRow | None:
    """A meeting of the same forum still planned, dated after this one and no later than eight
    weeks after the next sitting: what "Plan next meeting" would duplicate (it made RUG-2701-5
    beside RUG-2701-2 without a word). None when there is none."""
    with db.session() as session:
        source = _meeting(session, meeting_id)
        until = next_sitting(source.meeting_date) + ALREADY_PLANNED_WITHIN
        found = meeting_rows(
            session,
            Meeting.forum_id == source.forum_id,
            Meeting.id != meeting_id,
            Meeting.status == MeetingStatus.PLANNED,
            Meeting.meeting_date > source.meeting_date,
            Meeting.meeting_date <= until,
            order_by=(Meeting.meeting_date, Meeting.reference),
            limit=1,
        )
        return found[0] if found else None


def plan_next_meeting(db: Database, meeting_id: uuid.UUID) -> uuid.UUID:
    """Plan the forum's next sitting: on its usual day in the following month
    (``forum_usual.after_month``), else a month on (``next_sitting``), with the same venue,
    format, times, chair and minute taker. Its agenda is "Matters arising" then the forum's
    standing items, or the standing items alone, in their order, when one of them is it. The
    open actions from this and earlier meetings then show as its matters arising
    (``get_meeting``)."""
    with db.transaction() as session:
        source = _meeting(session, meeting_id)
        forum = session.get(Forum, source.forum_id)
        assert forum is not None
        on = forum_usual.after_month(usual_of(forum), source.meeting_date) or next_sitting(
            source.meeting_date
        )
        meeting = Meeting(
            reference=references.next_meeting_reference(
                session, _locality_code(session, forum), on
            ),
            forum_id=source.forum_id,
            meeting_date=on,
            start_time=source.start_time,
            end_time=source.end_time,
            venue=source.venue,
            format=source.format,
            status=MeetingStatus.PLANNED,
            chair=source.chair,
            minute_taker=source.minute_taker,
        )
        session.add(meeting)
        session.flush()
        standing = {t.casefold() for t in forum_usual.items_from_text(forum.standing_items)}
        first = MATTERS_ARISING.casefold() not in standing  # else where the forum put it
        if first:
            session.add(AgendaItem(meeting_id=meeting.id, position=1, title=MATTERS_ARISING))
            session.flush()
        _add_standing_items(session, meeting, forum, after=int(first))
        audit.record(
            session,
            AuditOperation.CREATE,
            "meeting",
            meeting.id,
            f"Meeting {meeting.reference} planned after {source.reference}",
        )
        return meeting.id
