"""Participants: the people who take part, their consents, and finding them again.

Contact details are kept only with consent to contact. Two participants may share a name (it
happens); ``possible_duplicates`` points a likely duplicate out but never blocks saving.
Searching folds case and accents ("zoe" finds "Zoë") and ignores apostrophes ("oneill" finds
"O'Neill"); on SQLite this uses a ``ic_fold`` SQL function registered on the connection, on
other databases it falls back to ``lower()`` (case-insensitive only).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from .db import Database
from .vocab import AccessibleFormat, Category

NAME_MAX = 200


@dataclass
class ParticipantInput:
    """What the participant form edits. Text is trimmed on save."""

    name: str
    category: Category
    locality_id: uuid.UUID | None = None
    organisation: str = ""
    email: str = ""
    phone: str = ""
    consent_to_contact: bool = False
    name_in_minutes: bool = False
    consent_date: date | None = None
    accessible_format: AccessibleFormat = AccessibleFormat.STANDARD
    notes: str = ""
    active: bool = True


@dataclass(frozen=True)
class ParticipantRow:
    id: uuid.UUID
    name: str
    category: Category
    locality_name: str
    organisation: str
    email: str
    phone: str
    consent_to_contact: bool
    name_in_minutes: bool
    consent_date: date | None
    accessible_format: AccessibleFormat
    notes: str
    active: bool
    #: Date of the latest meeting (not cancelled) they were marked present at.
    last_attended: date | None
    #: Meetings (not cancelled) they were marked present at.
    attendance_count: int
    locality_id: uuid.UUID | None = None


def list_participants(
    db: Database,
    *,
    category: Category | None = None,
    locality_id: uuid.UUID | None = None,
    active: bool | None = True,
    text: str = "",
) -> list[ParticipantRow]:
    raise NotImplementedError


def get_participant(db: Database, participant_id: uuid.UUID) -> ParticipantRow:
    raise NotImplementedError


def create_participant(db: Database, data: ParticipantInput) -> uuid.UUID:
    raise NotImplementedError


def update_participant(db: Database, participant_id: uuid.UUID, data: ParticipantInput) -> None:
    raise NotImplementedError


def delete_participant(db: Database, participant_id: uuid.UUID) -> None:
    raise NotImplementedError


def possible_duplicates(
    db: Database, name: str, email: str = "", exclude_id: uuid.UUID | None = None
) -> list[ParticipantRow]:
    raise NotImplementedError


def find_participants(
    db: Database, text: str, limit: int = 20, *, forum_id: uuid.UUID | None = None
) -> list[ParticipantRow]:
    raise NotImplementedError
