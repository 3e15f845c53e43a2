"""The organisation a coordinator works in: localities and their forums, set up and changed from
the app (the welcome's answers are not final).

- A **locality** is added, renamed, marked as one the coordinator coordinates ("yours": Home and
  the lists start with those), and retired. A **forum** is added (``meetings.create_forum``),
  renamed, given its kind, usual venue and format, usual day, times and standing agenda items
  (``core.forum_usual``), and retired.
- **Retiring never deletes.** A retired locality or forum keeps its meetings, actions, returns
  and history; it is only left out of what is offered for new work (the forum list of a new
  meeting, the localities of a new action). Restoring brings it back.
- Names stay unique (a locality's among localities, a forum's within its locality, any case);
  a locality keeps its code when renamed, so meeting references (``RUG-2610``) never change.

Every function is one transaction with its audit record, and refuses bad input with a
``ValidationError`` naming the field, changing nothing.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from . import audit, fields, forum_usual, meetings
from .db import Database
from .errors import NotFoundError, ValidationError
from .models import Forum, Locality
from .settings import ensure_locality
from .vocab import AuditOperation, ForumKind, MeetingFormat

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _locality(session: Session, locality_id: uuid.UUID) -> Locality:
    locality = session.get(Locality, locality_id)
    if locality is None:
        raise NotFoundError("That locality is no longer in the database.")
    return locality


def _forum(session: Session, forum_id: uuid.UUID) -> Forum:
    forum = session.get(Forum, forum_id)
    if forum is None:
        raise NotFoundError("That forum is no longer in the database.")
    return forum


def _locality_name(name: str, problems: dict[str, str]) -> str:
    found: dict[str, str] = {}
    clean = fields.LOCALITY_NAME.clean(name, found, required="Please give the locality's name.")
    if found:
        problems["name"] = next(iter(found.values()))
    return clean


def add_locality(db: Database, name: str, *, coordinated: bool = True) -> uuid.UUID:
    """A new locality (with a fresh code); refused when one of that name exists already."""
    problems: dict[str, str] = {}
    clean = _locality_name(name, problems)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        taken = session.scalar(
            select(Locality.id).where(func.lower(Locality.name) == clean.lower())
        )
        if taken is not None:
            raise ValidationError({"name": f"There is already a locality called '{clean}'."})
        return ensure_locality(session, clean, coordinated=coordinated)


def rename_locality(db: Database, locality_id: uuid.UUID, name: str) -> None:
    """Rename a locality; its code (and so every meeting reference) stays."""
    problems: dict[str, str] = {}
    clean = _locality_name(name, problems)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        locality = _locality(session, locality_id)
        taken = session.scalar(
            select(Locality.id).where(
                func.lower(Locality.name) == clean.lower(), Locality.id != locality_id
            )
        )
        if taken is not None:
            raise ValidationError({"name": f"There is already a locality called '{clean}'."})
        if locality.name == clean:
            return
        old = locality.name
        locality.name = clean
        audit.record(
            session,
            AuditOperation.UPDATE,
            "locality",
            locality.id,
            f"Locality {old} renamed {clean}",
        )


def set_locality_coordinated(db: Database, locality_id: uuid.UUID, coordinated: bool) -> None:
    """Mark a locality as one the coordinator coordinates ("yours"), or not."""
    with db.transaction() as session:
        locality = _locality(session, locality_id)
        if bool(locality.coordinated) == coordinated:
            return
        locality.coordinated = coordinated
        word = "coordinated" if coordinated else "not coordinated"
        audit.record(
            session, AuditOperation.UPDATE, "locality", locality.id, f"Locality {word} here"
        )


def set_locality_active(db: Database, locality_id: uuid.UUID, active: bool) -> None:
    """Retire a locality (``active`` False) or restore it. Nothing is deleted: its meetings,
    actions and history stay, and its returns can still be made."""
    with db.transaction() as session:
        locality = _locality(session, locality_id)
        if bool(locality.active) == active:
            return
        locality.active = active
        word = "restored" if active else "retired"
        audit.record(session, AuditOperation.UPDATE, "locality", locality.id, f"Locality {word}")


def update_forum(
    db: Database,
    forum_id: uuid.UUID,
    *,
    name: str,
    kind: ForumKind,
    default_venue: str = "",
    default_format: MeetingFormat = MeetingFormat.IN_PERSON,
    usual: forum_usual.Usual | None = None,
) -> None:
    """Save a forum's name, kind, usual venue and format, and (given ``usual``) its usual day,
    times and standing items (its locality stays). Meetings already planned keep their own."""
    problems: dict[str, str] = {}
    clean = fields.FORUM_NAME.clean(name, problems, required="Please give the forum's name.")
    if usual is not None:
        usual = forum_usual.clean(
            problems,
            week=usual.week,
            weekday=usual.weekday,
            start=usual.start,
            end=usual.end,
            standing_items=usual.standing_items,
        )
    venue = fields.FORUM_VENUE.clean(default_venue, problems)
    clean_kind = fields.choice(
        ForumKind, kind, problems, "kind", "Choose what kind of forum it is.", ForumKind.OTHER
    )
    clean_format = fields.choice(
        MeetingFormat,
        default_format,
        problems,
        "default_format",
        "Choose a usual format.",
        MeetingFormat.IN_PERSON,
    )
    with db.transaction() as session:
        forum = _forum(session, forum_id)
        if clean and session.scalar(
            select(Forum.id).where(
                Forum.locality_id == forum.locality_id,
                func.lower(Forum.name) == clean.lower(),
                Forum.id != forum_id,
            )
        ):
            problems["name"] = f"This locality already has a forum called '{clean}'."
        if problems:
            raise ValidationError(problems)
        forum.name = clean
        forum.kind = clean_kind
        forum.default_venue = venue
        forum.default_format = clean_format
        if usual is not None:
            meetings.set_usual(forum, usual)
        audit.record(session, AuditOperation.UPDATE, "forum", forum.id, f"Forum {clean}")


def set_forum_active(db: Database, forum_id: uuid.UUID, active: bool) -> None:
    """Retire a forum (``active`` False) or restore it. Its meetings and their papers stay; it is
    no longer offered for a new meeting."""
    with db.transaction() as session:
        forum = _forum(session, forum_id)
        if bool(forum.active) == active:
            return
        forum.active = active
        word = "restored" if active else "retired"
        audit.record(session, AuditOperation.UPDATE, "forum", forum.id, f"Forum {word}")
