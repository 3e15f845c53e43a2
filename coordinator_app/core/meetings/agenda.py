"""A meeting's agenda: items added (at the end or at a position), edited, moved and removed,
always numbered 1..n. The agenda is part of the meeting: each change bumps its version.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, fields, versions
from ..db import Database
from ..errors import ConflictError, NotFoundError, ValidationError
from ..models import AgendaItem, Meeting
from ..vocab import AuditOperation
from .common import _meeting


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
    position: int | None = None,
    expected_version: int | None = None,
) -> uuid.UUID:
    """Add an item at the end of the agenda, or at ``position`` (1 is first; beyond the end is
    the end), the items from there on moving down one: how a removed item is put back where it
    was (the editor's undo). Returns its id. The meeting's version goes up by exactly one (the
    agenda is part of the meeting), so an editor that passed ``expected_version`` now holds
    ``expected_version + 1``."""
    clean, discussed, decided = _agenda_text(title, discussion, decisions)
    with versions.guard("meeting"), db.transaction() as session:
        meeting = _meeting(session, meeting_id, expected_version)
        items = _agenda_items(session, meeting_id)
        item = AgendaItem(
            meeting_id=meeting_id,
            position=len(items) + 1,
            title=clean,
            discussion=discussed,
            decisions=decided,
        )
        at = len(items) if position is None else max(0, min(len(items), int(position) - 1))
        items.insert(at, item)
        _renumber(items)
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
