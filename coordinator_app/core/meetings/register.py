"""A meeting's register: who was present, sent apologies or was absent, the unnamed counts by
category, the forum's regulars and those of them still "expected" on a register. A change to the
register bumps the meeting's version; one that changes nothing does not.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select

from .. import audit, versions
from ..db import Database
from ..errors import ValidationError
from ..models import Attendance, Meeting, Participant, UnnamedAttendance
from ..vocab import AccessibleFormat, AttendanceStatus, AuditOperation, Category, MeetingStatus
from .common import _meeting, _parse, _participant
from .rows import ExpectedRow


def set_attendance(
    db: Database,
    meeting_id: uuid.UUID,
    participant_id: uuid.UUID,
    status: AttendanceStatus,
    *,
    expected_version: int | None = None,
) -> int:
    """Mark a participant present, apologies or absent at a meeting (adds or changes the row).
    Returns the meeting's version, bumped when the register changed."""
    problems: dict[str, str] = {}
    status = _parse(
        AttendanceStatus, status, problems, "status", "Choose present, apologies or absent."
    )
    if problems:
        raise ValidationError(problems)
    with versions.guard("meeting"), db.transaction() as session:
        meeting = _meeting(session, meeting_id, expected_version)
        _participant(session, participant_id)
        row = session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting_id, Attendance.participant_id == participant_id
            )
        )
        if row is None:
            row = Attendance(meeting_id=meeting_id, participant_id=participant_id, status=status)
            session.add(row)
            session.flush()
            operation = AuditOperation.CREATE
        elif row.status != status:
            row.status = status
            operation = AuditOperation.UPDATE
        else:
            return int(meeting.row_version)
        audit.record(
            session,
            operation,
            "attendance",
            row.id,
            f"Attendance at {meeting.reference} ({status.label.lower()})",
        )
        return versions.touch(session, meeting)


def remove_attendance(
    db: Database,
    meeting_id: uuid.UUID,
    participant_id: uuid.UUID,
    *,
    expected_version: int | None = None,
) -> int:
    """Take someone off the register; returns the meeting's version (bumped when removed)."""
    with versions.guard("meeting"), db.transaction() as session:
        meeting = _meeting(session, meeting_id, expected_version)
        row = session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting_id, Attendance.participant_id == participant_id
            )
        )
        if row is None:
            return int(meeting.row_version)
        session.delete(row)
        audit.record(
            session,
            AuditOperation.DELETE,
            "attendance",
            row.id,
            f"Attendance at {meeting.reference} removed",
        )
        return versions.touch(session, meeting)


def set_unnamed(
    db: Database,
    meeting_id: uuid.UUID,
    category: Category,
    count: int,
    *,
    expected_version: int | None = None,
) -> int:
    """Set the number of unnamed attendees of a category; 0 removes the row. Returns the
    meeting's version (bumped when the count changed)."""
    problems: dict[str, str] = {}
    category = _parse(Category, category, problems, "category", "Choose a category.")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        problems["count"] = "The number of unnamed attendees must be a whole number, 0 or more."
    if problems:
        raise ValidationError(problems)
    with versions.guard("meeting"), db.transaction() as session:
        meeting = _meeting(session, meeting_id, expected_version)
        row = session.scalar(
            select(UnnamedAttendance).where(
                UnnamedAttendance.meeting_id == meeting_id, UnnamedAttendance.category == category
            )
        )
        summary = f"Unnamed {category.label.lower()} count at {meeting.reference}: {count}"
        if count == 0:
            if row is None:
                return int(meeting.row_version)
            session.delete(row)
            audit.record(session, AuditOperation.DELETE, "unnamed_attendance", row.id, summary)
        elif row is None:
            row = UnnamedAttendance(meeting_id=meeting_id, category=category, count=count)
            session.add(row)
            session.flush()
            audit.record(session, AuditOperation.CREATE, "unnamed_attendance", row.id, summary)
        elif row.count != count:
            row.count = count
            audit.record(session, AuditOperation.UPDATE, "unnamed_attendance", row.id, summary)
        else:
            return int(meeting.row_version)
        return versions.touch(session, meeting)


def regulars(
    db: Database, forum_id: uuid.UUID, limit: int = 30, *, today: date | None = None
) -> list[tuple[uuid.UUID, str, Category]]:
    """The people present most often at this forum in the 12 months up to today (active, not
    anonymised), most frequent first: for the sign-in sheet and the register's type-ahead."""
    today = today or date.today()
    since = today - timedelta(days=365)
    with db.session() as session:
        times = func.count().label("times")
        stmt = (
            select(Participant.id, Participant.name, Participant.category, times)
            .join(Attendance, Attendance.participant_id == Participant.id)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(
                Meeting.forum_id == forum_id,
                Meeting.meeting_date >= since,
                Meeting.meeting_date <= today,
                Meeting.status != MeetingStatus.CANCELLED,
                Attendance.status == AttendanceStatus.PRESENT,
                Participant.active.is_(True),
                Participant.anonymised_at.is_(None),
            )
            .group_by(Participant.id, Participant.name, Participant.category)
            .order_by(times.desc(), func.lower(Participant.name), Participant.id)
            .limit(limit)
        )
        return [(r[0], r[1], Category(r[2])) for r in session.execute(stmt)]


#: A held meeting's register still shows who was expected for this many days after it: the
#: evening's typing-up from the sign-in sheet, or a week later (journey step 6).
EXPECTED_AFTER_DAYS = 28


def expected(
    db: Database, meeting_id: uuid.UUID, *, today: date | None = None
) -> list[ExpectedRow]:
    """The forum's regulars (``regulars`` up to the meeting's date) not on this meeting's
    register, by name: for a planned meeting, and for a held one up to ``EXPECTED_AFTER_DAYS``
    after its date; none for a cancelled meeting or an older one."""
    today = today or date.today()
    with db.session() as session:
        meeting = _meeting(session, meeting_id)
        status, when, forum_id = (
            MeetingStatus(meeting.status),
            meeting.meeting_date,
            meeting.forum_id,
        )
        if status == MeetingStatus.CANCELLED or (
            status == MeetingStatus.HELD and when < today - timedelta(days=EXPECTED_AFTER_DAYS)
        ):
            return []
        marked = set(
            session.scalars(
                select(Attendance.participant_id).where(Attendance.meeting_id == meeting_id)
            )
        )
    ids = [pid for pid, _n, _c in regulars(db, forum_id, today=when) if pid not in marked]
    if not ids:
        return []
    with db.session() as session:
        rows = session.execute(
            select(
                Participant.id,
                Participant.name,
                Participant.category,
                Participant.accessible_format,
            )
            .where(Participant.id.in_(ids))
            .order_by(func.lower(Participant.name), Participant.id)
        )
        return [ExpectedRow(r[0], r[1], Category(r[2]), AccessibleFormat(r[3])) for r in rows]
