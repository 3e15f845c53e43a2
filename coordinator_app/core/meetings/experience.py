"""Experience heard ("you said"): items recorded at a meeting or brought in outside one, saved
and deleted (actions raised from an item outlive it, without the link), and the themes and
services already in use, for the form to suggest.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select

from .. import audit, fields
from ..db import Database
from ..errors import NotFoundError, ValidationError
from ..models import ExperienceItem, Forum, Locality, Meeting
from ..vocab import AuditOperation, ExperienceKind
from .common import _meeting, _parse, _unlink_actions
from .rows import ExperienceInput, ExperienceWords


def experience_words(db: Database) -> ExperienceWords:
    with db.session() as session:

        def distinct(column: Any) -> list[str]:
            found = session.scalars(select(column).distinct().where(column != ""))
            return sorted(found, key=str.casefold)

        return ExperienceWords(distinct(ExperienceItem.theme), distinct(ExperienceItem.service))


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
