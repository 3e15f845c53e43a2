"""Forums and their meetings: the register, agenda, payments, experience heard and the next
sitting. Every write is one transaction, validated before anything is written, and audited.

Deleting a meeting removes its agenda, register, unnamed counts, payments, polls and the
experience items recorded at it; it is refused while actions raised at the meeting exist (they
must stay on record: cancel the meeting instead). A meeting's reference (``RUG-2610``) is made
from its locality and month; it is renewed when an edit moves the meeting to another month or
locality, unless it was a reference brought in by import (any other shape), which is kept.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from . import audit, fields, references, rules, schema, versions
from .db import Database
from .errors import ConflictError, CoordinatorError, NotFoundError, ValidationError
from .models import (
    Action,
    AgendaItem,
    Attendance,
    ExperienceItem,
    Forum,
    InvolvementPayment,
    Locality,
    Meeting,
    Participant,
    Poll,
    UnnamedAttendance,
)
from .rows import ActionRow, MeetingRow, action_rows, meeting_rows
from .rows import LocalityRow as LocalityRow
from .rows import list_localities as list_localities
from .settings import settings_row
from .vocab import (
    MAX_PENCE,
    MAX_POUNDS_TEXT,
    AccessibleFormat,
    AttendanceStatus,
    AuditOperation,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingFormat,
    MeetingStatus,
    PaymentStatus,
)

MATTERS_ARISING = "Matters arising"


@dataclass(frozen=True)
class ForumRow:
    id: uuid.UUID
    name: str
    kind: ForumKind
    locality_id: uuid.UUID
    locality_name: str
    default_venue: str
    default_format: MeetingFormat
    active: bool


@dataclass
class MeetingInput:
    forum_id: uuid.UUID | None
    meeting_date: date | None
    start_time: time | None = None
    end_time: time | None = None
    venue: str = ""
    format: MeetingFormat = MeetingFormat.IN_PERSON
    status: MeetingStatus = MeetingStatus.PLANNED
    chair: str = ""
    minute_taker: str = ""
    notes: str = ""


@dataclass(frozen=True)
class AgendaItemRow:
    id: uuid.UUID
    position: int
    title: str
    discussion: str
    decisions: str


@dataclass(frozen=True)
class RegisterRow:
    participant_id: uuid.UUID
    name: str
    category: Category
    status: AttendanceStatus
    accessible_format: AccessibleFormat
    #: Consent to be named in minutes (the minutes decide what to print).
    name_in_minutes: bool = False


@dataclass(frozen=True)
class PaymentRow:
    id: uuid.UUID
    participant_id: uuid.UUID
    name: str
    status: PaymentStatus
    amount_pence: int
    expenses_pence: int
    paid_on: date | None = None


@dataclass(frozen=True)
class ExperienceRow:
    id: uuid.UUID
    received_on: date
    kind: ExperienceKind
    theme: str
    service: str
    summary: str
    response: str
    responded_on: date | None = None


@dataclass(frozen=True)
class PollRow:
    id: uuid.UUID
    question: str
    answers: list[tuple[str, int]]


@dataclass(frozen=True)
class MeetingDetail(MeetingRow):
    chair: str = ""
    minute_taker: str = ""
    notes: str = ""
    agenda: list[AgendaItemRow] = field(default_factory=list)
    register: list[RegisterRow] = field(default_factory=list)
    unnamed: dict[Category, int] = field(default_factory=dict)
    payments: list[PaymentRow] = field(default_factory=list)
    experience: list[ExperienceRow] = field(default_factory=list)
    #: Actions raised at this meeting.
    actions: list[ActionRow] = field(default_factory=list)
    #: Actions raised at the forum's earlier meetings, open on this meeting's date.
    matters_arising: list[ActionRow] = field(default_factory=list)
    polls: list[PollRow] = field(default_factory=list)
    #: The meeting's ``row_version`` when read: pass it back as ``expected_version`` to save.
    #: The agenda and register count as part of the meeting (changing them bumps it).
    version: int = 0


@dataclass
class ExperienceInput:
    kind: ExperienceKind
    theme: str = ""
    service: str = ""
    summary: str = ""
    response: str = ""
    received_on: date | None = None
    responded_on: date | None = None


# --- Small helpers ---------------------------------------------------------------------------


def _meeting(
    session: Session, meeting_id: uuid.UUID, expected_version: int | None = None
) -> Meeting:
    """The meeting, checked against the version the editor loaded (when given)."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFoundError("That meeting is no longer in the database.")
    versions.check(meeting, expected_version, "meeting")
    return meeting


def _participant(session: Session, participant_id: uuid.UUID) -> Participant:
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise NotFoundError("That participant is no longer in the database.")
    return participant


def _parse(enum_cls: Any, value: Any, problems: dict[str, str], key: str, sentence: str) -> Any:
    """A word of a fixed list, or None with ``sentence`` at ``key`` (``fields.choice``)."""
    return fields.choice(enum_cls, value, problems, key, sentence, None)


# --- Localities and forums -------------------------------------------------------------------


def list_forums(
    db: Database, locality_id: uuid.UUID | None = None, include_inactive: bool = False
) -> list[ForumRow]:
    """Forums by locality then name."""
    with db.session() as session:
        stmt = (
            select(Forum, Locality.name)
            .join(Locality, Locality.id == Forum.locality_id)
            .order_by(Locality.name, Forum.name)
        )
        if locality_id is not None:
            stmt = stmt.where(Forum.locality_id == locality_id)
        if not include_inactive:  # a retired forum, or one of a retired locality
            stmt = stmt.where(Forum.active.is_(True), Locality.active.is_(True))
        return [
            ForumRow(
                f.id,
                f.name,
                ForumKind(f.kind),
                f.locality_id,
                locality_name,
                f.default_venue,
                MeetingFormat(f.default_format),
                bool(f.active),
            )
            for f, locality_name in session.execute(stmt)
        ]


def create_forum(
    db: Database,
    *,
    locality_id: uuid.UUID,
    name: str,
    kind: ForumKind,
    default_venue: str = "",
    default_format: MeetingFormat = MeetingFormat.IN_PERSON,
) -> uuid.UUID:
    """A new forum; its name must be unique within the locality (ignoring case)."""
    problems: dict[str, str] = {}
    clean = fields.FORUM_NAME.clean(name, problems, required="Please give the forum's name.")
    venue = fields.FORUM_VENUE.clean(default_venue, problems)
    kind = _parse(ForumKind, kind, problems, "kind", "Choose what kind of forum it is.")
    default_format = _parse(
        MeetingFormat, default_format, problems, "default_format", "Choose a usual format."
    )
    with db.transaction() as session:
        if session.get(Locality, locality_id) is None:
            problems["locality"] = "Choose the locality the forum belongs to."
        elif clean and session.scalar(
            select(Forum.id).where(
                Forum.locality_id == locality_id, func.lower(Forum.name) == clean.lower()
            )
        ):
            problems["name"] = f"This locality already has a forum called '{clean}'."
        if problems:
            raise ValidationError(problems)
        forum = Forum(
            locality_id=locality_id,
            name=clean,
            kind=kind,
            default_venue=venue,
            default_format=default_format,
        )
        session.add(forum)
        session.flush()
        audit.record(session, AuditOperation.CREATE, "forum", forum.id, f"Forum {clean}")
        return forum.id


# --- Meetings: reading -----------------------------------------------------------------------


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
) -> list[MeetingRow]:
    """Meetings newest first. ``date_to`` is inclusive. ``events`` True keeps only engagement
    events (forums of kind event), False leaves them out, None keeps both. ``limit``: only the
    newest that many (the first screenful of a long list; ~10 ms for 300 of 3,800 meetings,
    where the whole list takes ~90 ms)."""
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
        return meeting_rows(conn, *where, limit=limit)


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
        payments = [
            PaymentRow(
                p.id,
                p.participant_id,
                name,
                PaymentStatus(p.status),
                p.amount_pence,
                p.expenses_pence,
                p.paid_on,
            )
            for p, name in session.execute(
                select(InvolvementPayment, Participant.name)
                .join(Participant, Participant.id == InvolvementPayment.participant_id)
                .where(InvolvementPayment.meeting_id == meeting_id)
                .order_by(func.lower(Participant.name), Participant.id)
            )
        ]
        experience = [
            _experience_row(e)
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


# --- Meetings: writing -----------------------------------------------------------------------


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


def _locality_code(session: Session, forum: Forum) -> str:
    code = session.scalar(select(Locality.code).where(Locality.id == forum.locality_id))
    return code or "MTG"


def create_meeting(db: Database, data: MeetingInput) -> uuid.UUID:
    """A new meeting with the next free reference for its locality and month (``RUG-2610``,
    then ``RUG-2610-2``)."""
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
        audit.record(
            session, AuditOperation.CREATE, "meeting", meeting.id, f"Meeting {meeting.reference}"
        )
        return meeting.id


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
        if generated and new_stem != old_stem:
            meeting.reference = references.next_meeting_reference(
                session, new_code, values["meeting_date"]
            )
        audit.record(
            session, AuditOperation.UPDATE, "meeting", meeting.id, f"Meeting {meeting.reference}"
        )
        return versions.saved_version(session, meeting)


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


def plan_next_meeting(db: Database, meeting_id: uuid.UUID) -> uuid.UUID:
    """Plan the forum's next sitting a month on (``next_sitting``) with the same venue, format,
    times, chair and minute taker, and a first agenda item "Matters arising"; the open actions
    from this and earlier meetings then show as its matters arising (``get_meeting``)."""
    with db.transaction() as session:
        source = _meeting(session, meeting_id)
        forum = session.get(Forum, source.forum_id)
        assert forum is not None
        on = next_sitting(source.meeting_date)
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
        session.add(AgendaItem(meeting_id=meeting.id, position=1, title=MATTERS_ARISING))
        audit.record(
            session,
            AuditOperation.CREATE,
            "meeting",
            meeting.id,
            f"Meeting {meeting.reference} planned after {source.reference}",
        )
        return meeting.id


# --- Agenda ----------------------------------------------------------------------------------


def _agenda_text(title: str, discussion: str, decisions: str) -> tuple[str, str, str]:
    """An agenda item's title, discussion and decisions, tidied; ``ValidationError`` naming
    each one that is missing or too long."""
    problems: dict[str, str] = {}
    clean = fields.AGENDA_TITLE.clean(title, problems, required="Give the agenda item a title.")
    discussed = fields.AGENDA_DISCUSSION.clean(discussion, problems)
    decided = fields.AGENDA_DECISIONS.clean(decisions, problems)
    if problems:
        raise ValidationError(problems)
    return clean, discussed, decided


def _agenda_items(session: Session, meeting_id: uuid.UUID) -> list[AgendaItem]:
    return list(
        session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position, AgendaItem.created_at)
        )
    )


def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position


def add_agenda_item(
    db: Database,
    meeting_id: uuid.UUID,
    title: str,
    discussion: str = "",
    decisions: str = "",
    *,
    expected_version: int | None = None,
) -> uuid.UUID:
    """Add an item at the end of the agenda; returns its id. The meeting's version goes up by
    exactly one (the agenda is part of the meeting), so an editor that passed
    ``expected_version`` now holds ``expected_version + 1``."""
    clean, discussed, decided = _agenda_text(title, discussion, decisions)
    with versions.guard("meeting"), db.transaction() as session:
        meeting = _meeting(session, meeting_id, expected_version)
        items = _agenda_items(session, meeting_id)
        _renumber(items)
        item = AgendaItem(
            meeting_id=meeting_id,
            position=len(items) + 1,
            title=clean,
            discussion=discussed,
            decisions=decided,
        )
        session.add(item)
        session.flush()
        audit.record(
            session,
            AuditOperation.CREATE,
            "agenda_item",
            item.id,
            f"Agenda item {item.position} of {meeting.reference}",
        )
        versions.touch(session, meeting)
        return item.id


def _agenda_item(
    session: Session, item_id: uuid.UUID, expected_version: int | None
) -> tuple[AgendaItem, Meeting]:
    """An agenda item and its meeting, checked against the meeting's version the editor
    loaded. An item gone while the editor held a version was removed by someone else (which
    changed the meeting): a conflict, so the editor offers to reload."""
    item = session.get(AgendaItem, item_id)
    if item is None:
        if expected_version is not None:
            raise ConflictError("meeting")
        raise NotFoundError("That agenda item is no longer in the database.")
    return item, _meeting(session, item.meeting_id, expected_version)


def update_agenda_item(
    db: Database,
    item_id: uuid.UUID,
    *,
    title: str,
    discussion: str,
    decisions: str,
    expected_version: int | None = None,
) -> int:
    """Save an agenda item's text; returns the meeting's new version."""
    clean, discussed, decided = _agenda_text(title, discussion, decisions)
    with versions.guard("meeting"), db.transaction() as session:
        item, meeting = _agenda_item(session, item_id, expected_version)
        item.title = clean
        item.discussion = discussed
        item.decisions = decided
        audit.record(
            session, AuditOperation.UPDATE, "agenda_item", item.id, f"Agenda item {item.position}"
        )
        return versions.touch(session, meeting)


def move_agenda_item(
    db: Database, item_id: uuid.UUID, delta: int, *, expected_version: int | None = None
) -> int:
    """Move an item ``delta`` places (negative is up), stopping at either end; the agenda is
    renumbered 1..n. Returns the meeting's new version."""
    with versions.guard("meeting"), db.transaction() as session:
        item, meeting = _agenda_item(session, item_id, expected_version)
        items = _agenda_items(session, item.meeting_id)
        index = items.index(item)
        target = max(0, min(len(items) - 1, index + int(delta)))
        items.insert(target, items.pop(index))
        _renumber(items)
        audit.record(session, AuditOperation.UPDATE, "agenda_item", item.id, "Agenda item moved")
        return versions.touch(session, meeting)


def delete_agenda_item(
    db: Database, item_id: uuid.UUID, *, expected_version: int | None = None
) -> int:
    """Remove an agenda item and renumber the rest; returns the meeting's new version."""
    with versions.guard("meeting"), db.transaction() as session:
        item, meeting = _agenda_item(session, item_id, expected_version)
        items = [i for i in _agenda_items(session, item.meeting_id) if i.id != item_id]
        session.delete(item)
        session.flush()
        _renumber(items)
        audit.record(session, AuditOperation.DELETE, "agenda_item", item_id, "Agenda item deleted")
        return versions.touch(session, meeting)


# --- Register --------------------------------------------------------------------------------


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


# --- Payments --------------------------------------------------------------------------------


def set_payment(
    db: Database,
    meeting_id: uuid.UUID,
    participant_id: uuid.UUID,
    *,
    status: PaymentStatus,
    amount_pence: int | None = None,
    expenses_pence: int = 0,
    paid_on: date | None = None,
) -> uuid.UUID:
    """Record (or change) a participant's involvement payment for a meeting. ``amount_pence``
    None takes the trust's set rate from the settings. Marked paid without a date, ``paid_on``
    keeps the date already recorded or takes today; any other status clears it."""
    problems: dict[str, str] = {}
    status = _parse(PaymentStatus, status, problems, "status", "Choose offered, declined or paid.")
    if amount_pence is not None and amount_pence < 0:
        problems["amount"] = "The amount cannot be negative."
    elif amount_pence is not None and amount_pence > MAX_PENCE:
        problems["amount"] = f"The amount can be at most {MAX_POUNDS_TEXT}."
    if expenses_pence is None or expenses_pence < 0:
        problems["expenses"] = "Expenses cannot be negative."
    elif expenses_pence > MAX_PENCE:
        problems["expenses"] = f"Expenses can be at most {MAX_POUNDS_TEXT}."
    fields.check_dates(problems, paid_on=paid_on)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        meeting = _meeting(session, meeting_id)
        _participant(session, participant_id)
        if amount_pence is None:
            amount_pence = settings_row(session).default_payment_pence
        row = session.scalar(
            select(InvolvementPayment).where(
                InvolvementPayment.meeting_id == meeting_id,
                InvolvementPayment.participant_id == participant_id,
            )
        )
        return _save_payment(
            session, meeting, participant_id, row, status, amount_pence, expenses_pence, paid_on
        )


def _save_payment(
    session: Session,
    meeting: Meeting,
    participant_id: uuid.UUID,
    row: InvolvementPayment | None,
    status: PaymentStatus,
    amount_pence: int,
    expenses_pence: int,
    paid_on: date | None,
) -> uuid.UUID:
    """Write one payment (``row`` None: a new one) in the caller's transaction, with its audit
    record. Marked paid without a date it keeps the one recorded or takes today; any other
    status clears it."""
    operation = AuditOperation.UPDATE
    if row is None:
        row = InvolvementPayment(meeting_id=meeting.id, participant_id=participant_id)
        session.add(row)
        operation = AuditOperation.CREATE
    if status == PaymentStatus.PAID:
        row.paid_on = paid_on or row.paid_on or date.today()
    else:
        row.paid_on = None
    row.status = status
    row.amount_pence = int(amount_pence)
    row.expenses_pence = int(expenses_pence)
    session.flush()
    audit.record(
        session,
        operation,
        "involvement_payment",
        row.id,
        f"Involvement payment at {meeting.reference} ({status.label.lower()})",
    )
    return row.id


#: There as part of their job, so not offered an involvement payment by ``offer_payments``.
NOT_OFFERED_PAYMENT = frozenset({Category.STAFF, Category.PARTNER})


def offer_payments(db: Database, meeting_id: uuid.UUID) -> int:
    """Offer the trust's set rate (settings) to everyone marked present at the meeting who has
    no payment recorded yet, except staff and partner organisations (there as part of their
    job); returns how many were offered. One transaction. Each payment stays "offered", with no
    expenses, until it is marked paid or declined: people may decline, since payments can
    affect benefits."""
    with db.transaction() as session:
        meeting = _meeting(session, meeting_id)
        rate = settings_row(session).default_payment_pence
        recorded = select(InvolvementPayment.participant_id).where(
            InvolvementPayment.meeting_id == meeting_id
        )
        people = session.scalars(
            select(Participant.id)
            .join(Attendance, Attendance.participant_id == Participant.id)
            .where(
                Attendance.meeting_id == meeting_id,
                Attendance.status == AttendanceStatus.PRESENT,
                Participant.category.not_in(sorted(NOT_OFFERED_PAYMENT)),
                Participant.anonymised_at.is_(None),
                Participant.id.not_in(recorded),
            )
            .order_by(Participant.name, Participant.id)
        ).all()
        for participant_id in people:
            _save_payment(
                session, meeting, participant_id, None, PaymentStatus.OFFERED, rate, 0, None
            )
        return len(people)


def mark_offered_paid(db: Database, meeting_id: uuid.UUID, paid_on: date | None = None) -> int:
    """Mark every payment of the meeting still "offered" as paid on ``paid_on`` (today when
    None), in one transaction; returns how many. Declined and already paid ones stay as they
    are. (Journey step 6: the claims from the sign-in sheet, marked in one step, not five keys
    a person.)"""
    problems: dict[str, str] = {}
    fields.check_dates(problems, paid_on=paid_on)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        meeting = _meeting(session, meeting_id)
        offered = session.scalars(
            select(InvolvementPayment).where(
                InvolvementPayment.meeting_id == meeting_id,
                InvolvementPayment.status == PaymentStatus.OFFERED,
            )
        ).all()
        for row in offered:
            _save_payment(
                session,
                meeting,
                row.participant_id,
                row,
                PaymentStatus.PAID,
                row.amount_pence,
                row.expenses_pence,
                paid_on or date.today(),
            )
        return len(offered)


def remove_payment(db: Database, payment_id: uuid.UUID) -> None:
    with db.transaction() as session:
        row = session.get(InvolvementPayment, payment_id)
        if row is None:
            return
        session.delete(row)
        audit.record(
            session,
            AuditOperation.DELETE,
            "involvement_payment",
            payment_id,
            "Involvement payment removed",
        )


# --- Experience ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExperienceWords:
    """The themes and services already written on experience items, A to Z: what the form
    suggests, so "Crisis line" does not drift into "crisis-line" and "Crisis Line Team"."""

    themes: list[str]
    services: list[str]


def experience_words(db: Database) -> ExperienceWords:
    with db.session() as session:

        def distinct(column: Any) -> list[str]:
            found = session.scalars(select(column).distinct().where(column != ""))
            return sorted(found, key=str.casefold)

        return ExperienceWords(distinct(ExperienceItem.theme), distinct(ExperienceItem.service))


def _experience_row(e: ExperienceItem) -> ExperienceRow:
    return ExperienceRow(
        e.id,
        e.received_on,
        ExperienceKind(e.kind),
        e.theme,
        e.service,
        e.summary,
        e.response,
        e.responded_on,
    )


def _clean_experience(data: ExperienceInput, default_received: date) -> dict[str, Any]:
    problems: dict[str, str] = {}
    kind = _parse(
        ExperienceKind, data.kind, problems, "kind", "Choose compliment, concern, suggestion..."
    )
    summary = fields.EXPERIENCE_SUMMARY.clean(
        data.summary, problems, required="Write a short summary of what was said."
    )
    response = fields.EXPERIENCE_RESPONSE.clean(data.response, problems)
    theme = fields.EXPERIENCE_THEME.clean(data.theme, problems)
    service = fields.EXPERIENCE_SERVICE.clean(data.service, problems)
    received_on = data.received_on or default_received
    fields.check_dates(problems, received_on=received_on, responded_on=data.responded_on)
    if (
        data.responded_on is not None
        and data.responded_on < received_on
        and "responded_on" not in problems
    ):
        problems["responded_on"] = "The response cannot be dated before the item was received."
    if problems:
        raise ValidationError(problems)
    return {
        "kind": kind,
        "theme": theme,
        "service": service,
        "summary": summary,
        "response": response,
        "received_on": received_on,
        "responded_on": data.responded_on,
    }


def add_experience(db: Database, meeting_id: uuid.UUID, data: ExperienceInput) -> uuid.UUID:
    """Record an experience item heard at a meeting (``received_on`` None is the meeting date)."""
    with db.transaction() as session:
        meeting = _meeting(session, meeting_id)
        values = _clean_experience(data, meeting.meeting_date)
        forum = session.get(Forum, meeting.forum_id)
        assert forum is not None
        item = ExperienceItem(locality_id=forum.locality_id, meeting_id=meeting_id, **values)
        session.add(item)
        session.flush()
        audit.record(
            session,
            AuditOperation.CREATE,
            "experience_item",
            item.id,
            f"Experience item ({values['kind'].label.lower()}) at {meeting.reference}",
        )
        return item.id


def add_experience_for_locality(
    db: Database, locality_id: uuid.UUID, data: ExperienceInput
) -> uuid.UUID:
    """Record an item brought to the coordinator outside a meeting (``received_on`` None is
    today)."""
    values = _clean_experience(data, date.today())
    with db.transaction() as session:
        if session.get(Locality, locality_id) is None:
            raise ValidationError({"locality": "Choose the locality the item belongs to."})
        item = ExperienceItem(locality_id=locality_id, meeting_id=None, **values)
        session.add(item)
        session.flush()
        audit.record(
            session,
            AuditOperation.CREATE,
            "experience_item",
            item.id,
            f"Experience item ({values['kind'].label.lower()})",
        )
        return item.id


def update_experience(db: Database, item_id: uuid.UUID, data: ExperienceInput) -> None:
    """Save an experience item; ``received_on`` None keeps its meeting's date (or its own)."""
    with db.transaction() as session:
        item = session.get(ExperienceItem, item_id)
        if item is None:
            raise NotFoundError("That experience item is no longer in the database.")
        default = item.received_on
        if item.meeting_id is not None:
            meeting = session.get(Meeting, item.meeting_id)
            if meeting is not None:
                default = meeting.meeting_date
        values = _clean_experience(data, default)
        for key, value in values.items():
            setattr(item, key, value)
        audit.record(
            session,
            AuditOperation.UPDATE,
            "experience_item",
            item.id,
            f"Experience item ({values['kind'].label.lower()})",
        )


def _unlink_actions(session: Session, item_id: uuid.UUID) -> None:
    """Actions raised from an experience item outlive it, without the link."""
    for action in session.scalars(select(Action).where(Action.experience_item_id == item_id)):
        action.experience_item_id = None


def delete_experience(db: Database, item_id: uuid.UUID) -> None:
    """Delete an experience item; actions raised from it keep existing without the link."""
    with db.transaction() as session:
        item = session.get(ExperienceItem, item_id)
        if item is None:
            return
        _unlink_actions(session, item_id)
        session.delete(item)
        audit.record(
            session, AuditOperation.DELETE, "experience_item", item_id, "Experience item deleted"
        )
