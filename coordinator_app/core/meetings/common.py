"""The private helpers the meetings sub-modules share, kept in one place: a meeting or
participant fetched or refused, a fixed-list word parsed, the locality code a reference starts
with, an experience item as a row, and the unlinking of actions from an item about to go.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import fields, versions
from ..errors import NotFoundError
from ..models import Action, ExperienceItem, Forum, Locality, Meeting, Participant
from ..vocab import ExperienceKind
from .rows import ExperienceRow


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


def _locality_code(session: Session, forum: Forum) -> str:
    code = session.scalar(select(Locality.code).where(Locality.id == forum.locality_id))
    return code or "MTG"


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


def _unlink_actions(session: Session, item_id: uuid.UUID) -> None:
    """Actions raised from an experience item outlive it, without the link."""
    for action in session.scalars(select(Action).where(Action.experience_item_id == item_id)):
        action.experience_item_id = None
