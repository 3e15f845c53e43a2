"""Find anything by a few letters: participants (name, organisation), meetings (reference,
forum, venue) and actions (reference, title, owner). Every word typed must appear, ignoring case
and accents ("zoe" finds "Zoë"); at most ``limit`` of each, so it can answer every keystroke.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from sqlalchemy import func

from .db import Database
from .models import Action, Forum, Meeting, Participant
from .people import ParticipantRow, contains_all_words, participant_rows, search_words
from .rows import ActionRow, MeetingRow, action_rows, meeting_rows


@dataclass(frozen=True)
class SearchResults:
    participants: list[ParticipantRow] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.participants or self.meetings or self.actions)


def find_everything(db: Database, text: str, limit: int = 8) -> SearchResults:
    """Up to ``limit`` participants (by name; anonymised ones never), meetings (newest first)
    and actions (newest raised first) matching ``text``. Participant rows carry no attendance
    figures (``get_participant`` has them)."""
    if not search_words(text):
        return SearchResults()
    with db.session() as session:
        participants = participant_rows(
            session,
            Participant.anonymised_at.is_(None),
            contains_all_words(session, [Participant.name, Participant.organisation], text),
            attendance="none",
            limit=limit,
        )
        meetings = meeting_rows(
            session,
            contains_all_words(session, [Meeting.reference, Forum.name, Meeting.venue], text),
            limit=limit,
        )
        actions = action_rows(
            session,
            contains_all_words(session, [Action.reference, Action.title, Action.owner], text),
            limit=limit,
        )
        reference = text.strip().upper()
        if _REFERENCE.fullmatch(reference):
            # A reference typed whole comes first: "RUG-2612-2" listed RUG-2612-3 above it
            # (newest first), and Enter opened the wrong meeting.
            exact_meetings = meeting_rows(
                session, func.upper(Meeting.reference) == reference, limit=1
            )
            exact_actions = action_rows(session, func.upper(Action.reference) == reference, limit=1)
            meetings = _first(exact_meetings, meetings, limit)
            actions = _first(exact_actions, actions, limit)
        return SearchResults(participants, meetings, actions)


#: What a meeting's or an action's reference can look like ("RUG-2612-2", "RUG-A390"): only
#: then is the typed text looked up whole (never a pasted oddity such as a lone surrogate).
_REFERENCE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,39}")


class _Row(Protocol):
    @property
    def id(self) -> uuid.UUID: ...


R = TypeVar("R", bound=_Row)


def _first(exact: list[R], found: list[R], limit: int) -> list[R]:
    """``exact`` at the top of ``found`` (once), still at most ``limit`` rows."""
    if not exact:
        return found
    ids: set[uuid.UUID] = {row.id for row in exact}
    return [*exact, *(row for row in found if row.id not in ids)][:limit]
