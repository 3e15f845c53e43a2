"""A meeting's calendar invitation: an RFC 5545 ``.ics`` file (issue #29, `invite`).

Contracts:
- **One UID per meeting, for ever**: ``<meeting id>@involvement-coordinator``, so a calendar
  replaces the event when the invitation is sent again after the meeting moves, and removes it
  when a cancellation arrives. ``SEQUENCE`` is the meeting's row version less one: it goes up
  with every change to the meeting (never down), which is what a calendar needs to take the
  newer copy.
- A cancelled meeting is ``METHOD:CANCEL`` with ``STATUS:CANCELLED``; any other is
  ``METHOD:PUBLISH`` (an announcement, with no organiser: the coordinator's address would be
  personal data and is not needed).
- Start and end in the Europe/London time zone (its ``VTIMEZONE`` is included); a meeting with
  no start time is an all-day event; with no end time the event has no end (a calendar shows
  the start).
- ``LOCATION`` is the venue, the online link, or both for a hybrid meeting; ``URL`` is the link.
- **No personal data**: ``SUMMARY`` is the forum's name, and the forum's name and venue go
  through the return's redactor (every service user and carer hidden, every contact detail);
  no attendee, no organiser, no chair.

``meeting_row`` is the one read of a meeting for the invitation and the papers
(``core/papers.py``, ``core/invitation_updates.py``).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from . import schema
from .db import Database
from .errors import NotFoundError
from .files import atomic_write
from .members import MeetingLink
from .privacy import redactor_of
from .vocab import MeetingFormat, MeetingStatus

LONDON = ZoneInfo("Europe/London")
PRODUCT_ID = "-//NHS involvement//Involvement Coordinator//EN"
UID_DOMAIN = "involvement-coordinator"


@dataclass(frozen=True)
class MeetingRow:
    """A meeting as its invitation and papers need it, as stored (not yet redacted)."""

    meeting_id: uuid.UUID
    reference: str
    forum_id: uuid.UUID
    forum_name: str
    meeting_date: date
    start_time: time | None
    end_time: time | None
    venue: str
    format: MeetingFormat
    status: MeetingStatus
    row_version: int
    link: MeetingLink


def meeting_row(db: Database, meeting_id: uuid.UUID) -> MeetingRow:
    """The meeting, its forum's name and its online link, in one read. Raises
    ``NotFoundError`` when the meeting is gone."""
    m, f = schema.meetings, schema.forums
    with db.reading() as conn:
        row = conn.execute(
            select(
                m.c.reference,
                m.c.forum_id,
                m.c.meeting_date,
                m.c.start_time,
                m.c.end_time,
                m.c.venue,
                m.c.format,
                m.c.status,
                m.c.row_version,
                m.c.online_link,
                m.c.print_link,
                f.c.name.label("forum_name"),
                f.c.online_link.label("forum_link"),
            )
            .join(f, f.c.id == m.c.forum_id)
            .where(m.c.id == meeting_id)
        ).first()
    if row is None:
        raise NotFoundError("That meeting is no longer in the database.")
    return MeetingRow(
        meeting_id=meeting_id,
        reference=row.reference,
        forum_id=row.forum_id,
        forum_name=row.forum_name,
        meeting_date=row.meeting_date,
        start_time=row.start_time,
        end_time=row.end_time,
        venue=row.venue or "",
        format=MeetingFormat(row.format),
        status=MeetingStatus(row.status),
        row_version=int(row.row_version or 1),
        link=MeetingLink(row.online_link or "", row.forum_link or "", bool(row.print_link)),
    )


def meeting_uid(meeting_id: uuid.UUID) -> str:
    """The invitation's UID: the same for every invitation of this meeting."""
    return f"{meeting_id}@{UID_DOMAIN}"


def location(fmt: MeetingFormat, venue: str, link: str) -> str:
    """Where the meeting is: the venue, the online link, or both for a hybrid meeting."""
    venue = venue.strip()
    if fmt == MeetingFormat.ONLINE:
        return link or venue or "Online"
    if fmt == MeetingFormat.HYBRID and link:
        return f"{venue} or online: {link}" if venue else f"Online: {link}"
    return venue


def invitation_facts(db: Database, meeting_id: uuid.UUID) -> str:
    """What the invitation says that a calendar acts on (date, start and end, venue, format,
    online link, cancelled or not), as JSON with sorted keys: two equal strings are the same
    invitation. Kept with each sending that carried an invitation (``papers_sent.invitation``),
    so ``core/invitation_updates.py`` can tell when the meeting has moved since. Raises
    ``NotFoundError`` when the meeting is gone."""
    row = meeting_row(db, meeting_id)
    fmt = row.format
    facts = {
        "date": row.meeting_date.isoformat(),
        "start": row.start_time.isoformat("minutes") if row.start_time else None,
        "end": row.end_time.isoformat("minutes") if row.end_time else None,
        "venue": row.venue.strip() if fmt != MeetingFormat.ONLINE else "",
        "format": fmt.value,
        "link": row.link.link if fmt != MeetingFormat.IN_PERSON else "",
        "cancelled": row.status == MeetingStatus.CANCELLED,
    }
    return json.dumps(facts, sort_keys=True)


def invitation_bytes(db: Database, meeting_id: uuid.UUID, *, now: datetime | None = None) -> bytes:
    """The meeting's invitation as an ``.ics`` file's bytes (module docstring). Raises
    ``NotFoundError`` when the meeting is gone."""
    from icalendar import Calendar, Event

    row = meeting_row(db, meeting_id)
    link = row.link.link
    redact = redactor_of(db)
    fmt = row.format
    cancelled = row.status == MeetingStatus.CANCELLED
    summary = redact(row.forum_name).strip() or "Forum meeting"

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", meeting_uid(meeting_id))
    event.add("sequence", max(row.row_version - 1, 0))
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("summary", summary)
    if row.start_time is not None:
        start = datetime.combine(row.meeting_date, row.start_time, tzinfo=LONDON)
        event.add("dtstart", start)
        if row.end_time is not None:
            event.add("dtend", datetime.combine(row.meeting_date, row.end_time, tzinfo=LONDON))
    else:
        event.add("dtstart", row.meeting_date)
        event.add("dtend", row.meeting_date + timedelta(days=1))
    place = location(fmt, redact(row.venue), link)
    if place:
        event.add("location", place)
    if link and fmt != MeetingFormat.IN_PERSON:
        event.add("url", link)
    details = [f"{summary}, meeting {row.reference} ({fmt.label.lower()})."]
    if link and fmt != MeetingFormat.IN_PERSON:
        details.append(f"Join online: {link}")
    if cancelled:
        details.insert(0, "This meeting has been cancelled.")
    event.add("description", "\n".join(details))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def write_invitation(
    db: Database, meeting_id: uuid.UUID, path: str | Path, *, now: datetime | None = None
) -> Path:
    """Write the invitation to ``path`` atomically (never half written)."""
    data = invitation_bytes(db, meeting_id, now=now)
    return atomic_write(path, lambda temp: temp.write_bytes(data))
