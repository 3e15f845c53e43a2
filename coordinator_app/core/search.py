"""Find anything by a few letters: participants (name, organisation), meetings (reference,
forum, venue) and actions (reference, title, owner). Every word typed must appear, ignoring case
and accents ("zoe" finds "Zoë"); at most ``limit`` of each, so it can answer every keystroke.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
        return SearchResults(participants, meetings, actions)
