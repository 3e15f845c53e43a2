"""The trust's staff who own actions: a list kept in the app (name and work e-mail), so an
action's owner can be chosen from it and a reminder has someone to go to (issue #29).

An action's ``owner`` stays text (what the tracker, the return and the minutes show). When it
is a staff member's name as the action is saved (any case, spaces ignored: chosen from the
list), the action keeps them by id too (``actions.owner_staff_id``, ``owner_id``). Renaming the
staff member then renames the owner of every action they own, in the same transaction (actions
older than the id, named as they were, are linked first), so their actions and reminders stay
theirs. Reminders are addressed by the id, falling back to the name for actions with none
(``addresses``). Staff are never deleted, only set aside (``active`` False), so an old action's
owner keeps their name. Only staff belong here: never a service user or carer (their names are
hidden from reminders by the redactor whatever the list says).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
        if not problems and staff_id is not None:
            _rename_owner(session, staff_id, clean, problems)
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


def _rename_owner(
    session: Session, staff_id: uuid.UUID, new_name: str, problems: dict[str, str]
) -> None:
    """The owner of every action the staff member owns follows their new name (module
    docstring); a name too long to be an action's owner is a problem at ``name``."""
    s, a = schema.staff, schema.actions
    old = session.execute(select(s.c.name).where(s.c.id == staff_id)).scalar()
    if old is None or old == new_name:
        return
    named = session.execute(
        select(a.c.id, a.c.owner).where(
            a.c.owner_staff_id.is_(None), func.lower(func.trim(a.c.owner)) == old.lower()
        )
    ).all()
    for chunk in _chunks([r.id for r in named if _key(r.owner) == _key(old)]):
        session.execute(a.update().where(a.c.id.in_(chunk)).values(owner_staff_id=staff_id))
    owns = session.execute(select(a.c.id).where(a.c.owner_staff_id == staff_id).limit(1)).first()
    if owns is None:
        return
    if len(new_name) > fields.OWNER_MAX:
        problems["name"] = (
            f"{old} owns actions, whose owner can be at most {fields.OWNER_MAX} characters long."
        )
        return
    session.execute(
        a.update()
        .where(a.c.owner_staff_id == staff_id)
        .values(owner=new_name, row_version=a.c.row_version + 1)
    )


def _chunks(ids: list[uuid.UUID], size: int = 500) -> list[list[uuid.UUID]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def owner_id(session: Session, owner: str) -> uuid.UUID | None:
    """The staff member an action's ``owner`` text names (any case, spaces ignored; set aside
    or not), or None: kept on the action as it is saved (``actions.owner_staff_id``)."""
    key = _key(owner)
    if not key:
        return None
    s = schema.staff
    for found, name in session.execute(select(s.c.id, s.c.name)).all():
        if _key(name) == key:
            return found  # type: ignore[no-any-return]
    return None


def addresses(db: Database) -> dict[str, str]:
    """Each reminder's recipient by the owner's name folded (``recipient``): an action owned by
    id (``owner_staff_id``) goes to that staff member, whatever its owner text says (an action
    renamed by hand, say); others by name. Active staff with an address only."""
    active = {r.id: r.email for r in list_staff(db) if r.email}
    found = {_key(r.name): r.email for r in list_staff(db) if r.email}
    a = schema.actions
    with db.reading() as conn:
        owned = conn.execute(
            select(a.c.owner, a.c.owner_staff_id)
            .where(a.c.owner_staff_id.is_not(None), a.c.owner != "")
            .distinct()
        ).all()
    for owner, staff_id in owned:
        if staff_id in active:
            found[_key(owner)] = active[staff_id]
    return found


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
