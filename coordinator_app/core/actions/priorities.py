"""The trust's strategic priorities that actions are linked to: listed in their order, created,
renamed, moved up or down and retired (or brought back), each change checked against the version
the list showed (``versions``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit, fields, versions
from ..db import Database
from ..errors import NotFoundError, ValidationError
from ..models import StrategicPriority
from ..vocab import AuditOperation


@dataclass(frozen=True)
class PriorityRow:
    id: uuid.UUID
    name: str
    position: int
    retired: bool
    #: The priority's ``row_version`` when listed: pass it back to ``rename_priority``,
    #: ``move_priority`` and ``retire_priority`` as ``expected_version``.
    version: int = 0


def list_priorities(db: Database, include_retired: bool = False) -> list[PriorityRow]:
    with db.session() as session:
        stmt = select(StrategicPriority).order_by(
            StrategicPriority.position, StrategicPriority.name
        )
        if not include_retired:
            stmt = stmt.where(StrategicPriority.retired.is_(False))
        return [
            PriorityRow(p.id, p.name, p.position, bool(p.retired), int(p.row_version))
            for p in session.scalars(stmt)
        ]


#: What a ``ConflictError`` from the priority services calls the record.
PRIORITY_WHAT = "strategic priority"


def _priority_name(session: Session, name: str, exclude: uuid.UUID | None = None) -> str:
    problems: dict[str, str] = {}
    clean = fields.PRIORITY_NAME.clean(name, problems, required="Name the strategic priority.")
    if problems:
        raise ValidationError(problems)
    for other in session.scalars(select(StrategicPriority)):
        if other.id != exclude and other.name.casefold() == clean.casefold():
            state = " (retired)" if other.retired else ""
            raise ValidationError(
                {"name": f"There is already a priority called {other.name}{state}."}
            )
    return clean


def _priority(
    session: Session, priority_id: uuid.UUID, expected_version: int | None = None
) -> StrategicPriority:
    """The priority, checked against the version the dialog listed (when given)."""
    priority = session.get(StrategicPriority, priority_id)
    if priority is None:
        raise NotFoundError("That strategic priority is no longer in the database.")
    versions.check(priority, expected_version, PRIORITY_WHAT)
    return priority


def create_priority(db: Database, name: str) -> uuid.UUID:
    """Add a priority at the end of the list."""
    with db.transaction() as session:
        clean = _priority_name(session, name)
        last = session.scalar(select(func.max(StrategicPriority.position)))
        priority = StrategicPriority(name=clean, position=0 if last is None else last + 1)
        session.add(priority)
        session.flush()
        audit.record(
            session, AuditOperation.CREATE, "strategic_priority", priority.id, f"Priority {clean}"
        )
        return priority.id


def rename_priority(
    db: Database, priority_id: uuid.UUID, name: str, *, expected_version: int | None = None
) -> int:
    """Rename a priority; its actions keep it (they point at it, not at its name). Returns its
    new version. With ``expected_version`` (the version the list showed) a priority someone else
    renamed, retired or moved meanwhile is refused with ``ConflictError``."""
    with versions.guard(PRIORITY_WHAT), db.transaction() as session:
        priority = _priority(session, priority_id, expected_version)
        clean = _priority_name(session, name, exclude=priority_id)
        old, priority.name = priority.name, clean
        audit.record(
            session,
            AuditOperation.UPDATE,
            "strategic_priority",
            priority.id,
            f"Priority {old} renamed {clean}",
        )
        return versions.saved_version(session, priority)


def move_priority(
    db: Database, priority_id: uuid.UUID, delta: int, *, expected_version: int | None = None
) -> None:
    """Move a priority up (``delta`` < 0) or down the list; positions are renumbered 0..n-1.
    Moving past either end stops there. With ``expected_version``, a priority changed since it
    was listed (renamed, retired or moved by someone else) is not moved (``ConflictError``).

    Pitfall: renumbering changes (and so bumps the version of) every priority whose position
    moves, so after someone else's move the dialog must list again before acting on any of
    them; at worst that is a needless conflict, never a lost change."""
    with versions.guard(PRIORITY_WHAT), db.transaction() as session:
        ordered = list(
            session.scalars(
                select(StrategicPriority).order_by(
                    StrategicPriority.position, StrategicPriority.name
                )
            )
        )
        index = next((i for i, p in enumerate(ordered) if p.id == priority_id), None)
        if index is None:
            raise NotFoundError("That strategic priority is no longer in the database.")
        versions.check(ordered[index], expected_version, PRIORITY_WHAT)
        target = max(0, min(len(ordered) - 1, index + delta))
        ordered.insert(target, ordered.pop(index))
        for position, priority in enumerate(ordered):
            priority.position = position


def retire_priority(
    db: Database,
    priority_id: uuid.UUID,
    retired: bool = True,
    *,
    expected_version: int | None = None,
) -> int:
    """Retire a priority (no longer offered for new actions; old actions keep it and still show
    its name), or bring it back with ``retired=False``. Returns its new version. With
    ``expected_version``, a priority changed since it was listed is refused (``ConflictError``):
    the dialog's Retire / Restore button was chosen for the state it showed."""
    with versions.guard(PRIORITY_WHAT), db.transaction() as session:
        priority = _priority(session, priority_id, expected_version)
        priority.retired = retired
        audit.record(
            session,
            AuditOperation.UPDATE,
            "strategic_priority",
            priority.id,
            f"Priority {priority.name} {'retired' if retired else 'restored'}",
        )
        return versions.saved_version(session, priority)
