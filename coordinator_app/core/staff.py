"""The trust's staff who own actions: a list kept in the app (name and work e-mail), so an
action's owner can be chosen from it and a reminder has someone to go to (issue #29).

An action's ``owner`` stays text (what the tracker, the return and the minutes show); when it
is a staff member's name (any case, spaces ignored) their reminders are addressed to them
(``addresses``). Staff are never deleted, only set aside (``active`` False), so an old action's
owner keeps their name. Only staff belong here: never a service user or carer (their names are
hidden from reminders by the redactor whatever the list says).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from . import audit, fields, schema
from .db import Database
from .errors import NotFoundError, ValidationError
from .vocab import AuditOperation


@dataclass(frozen=True)
class StaffRow:
    id: uuid.UUID
    name: str
    email: str
    active: bool


def _key(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def list_staff(db: Database, *, include_set_aside: bool = False) -> list[StaffRow]:
    """The staff list by name (the active ones unless ``include_set_aside``)."""
    s = schema.staff
    stmt = select(s.c.id, s.c.name, s.c.email, s.c.active)
    if not include_set_aside:
        stmt = stmt.where(s.c.active.is_(True))
    with db.reading() as conn:
        rows = conn.execute(stmt).all()
    found = [StaffRow(r.id, r.name, r.email, bool(r.active)) for r in rows]
    return sorted(found, key=lambda r: (r.name.casefold(), r.id))


def save_staff(
    db: Database,
    name: str,
    email: str,
    *,
    staff_id: uuid.UUID | None = None,
    active: bool = True,
) -> uuid.UUID:
    """Add a staff member (``staff_id`` None) or change one. Refused, with nothing changed: an
    empty name, a name already on the list, an e-mail address that is not one."""
    clean = " ".join((name or "").split())
    problems: dict[str, str] = {}
    if not clean:
        problems["name"] = "Give the staff member's name."
    elif len(clean) > 255:
        problems["name"] = "A name can be at most 255 characters long."
    address = fields.PARTICIPANT_EMAIL.clean(email, problems)
    if address and not fields.EMAIL_RE.match(address):
        problems["email"] = fields.EMAIL_SENTENCE
    s = schema.staff
    with db.transaction() as session:
        if not problems:
            twin = session.execute(
                select(s.c.id).where(func.lower(s.c.name) == clean.lower(), s.c.id != staff_id)
            ).first()
            if twin is not None:
                problems["name"] = f"{clean} is already on the staff list."
        if problems:
            raise ValidationError(problems)
        if staff_id is None:
            staff_id = uuid.uuid4()
            session.execute(
                s.insert().values(id=staff_id, name=clean, email=address, active=active)
            )
            what = AuditOperation.CREATE
        else:
            done = session.execute(
                s.update()
                .where(s.c.id == staff_id)
                .values(name=clean, email=address, active=active, row_version=s.c.row_version + 1)
            )
            if done.rowcount == 0:  # type: ignore[attr-defined]
                raise NotFoundError("That staff member is no longer on the list.")
            what = AuditOperation.UPDATE
        audit.record(session, what, "staff", staff_id, "Staff list changed")
    return staff_id


def addresses(db: Database) -> dict[str, str]:
    """Each active staff member's e-mail address by their name folded (``recipient``)."""
    return {_key(r.name): r.email for r in list_staff(db) if r.email}


def recipient(owner: str, known: dict[str, str]) -> str:
    """The e-mail address of the action owner ``owner`` from ``addresses``; "" if none."""
    return known.get(_key(owner), "")


def owner_choices(db: Database) -> list[str]:
    """What an action's owner is chosen from: the staff list, then any other owner already
    named on an action, A to Z without repeats (the editors' suggestions)."""
    from .actions import owners

    named = [r.name for r in list_staff(db)]
    seen = {_key(n) for n in named}
    others = [o for o in owners(db) if _key(o) not in seen]
    return sorted(named, key=str.casefold) + others
