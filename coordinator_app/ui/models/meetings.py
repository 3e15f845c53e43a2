"""The meetings list: every meeting loaded once, filtered in memory as the user types."""

from __future__ import annotations

import uuid
from datetime import date
from enum import Enum
from typing import Any

from ...core.meetings import MeetingRow
from ...core.vocab import ForumKind, MeetingStatus
from ..widgets import format_date, format_time
from .table import Column, RowFilterProxy, RowTableModel

COL_DATE = 0
COL_REFERENCE = 1
COL_FORUM = 2
COL_LOCALITY = 3
COL_TIME = 4
COL_STATUS = 5
COL_ATTENDED = 6
COL_APOLOGIES = 7
COL_ACTIONS = 8


def attended(row: MeetingRow) -> int:
    """Named participants present plus unnamed attendees."""
    return row.present_count + row.unnamed_count


class MeetingsModel(RowTableModel[MeetingRow]):
    columns = (
        Column("Date", lambda r: format_date(r.meeting_date), lambda r: r.meeting_date),
        Column("Reference", lambda r: r.reference),
        Column("Forum", lambda r: r.forum_name),
        Column("Locality", lambda r: r.locality_name),
        Column("Start", lambda r: format_time(r.start_time), lambda r: r.start_time),
        Column("Status", lambda r: r.status.label),
        Column("Attended", lambda r: str(attended(r)), attended, align_right=True),
        Column("Apologies", lambda r: str(r.apologies_count), lambda r: r.apologies_count, True),
        Column("Actions", lambda r: str(r.actions_raised), lambda r: r.actions_raised, True),
    )

    def searchable(self, row: MeetingRow) -> str:
        return (
            f"{row.reference} {row.forum_name} {row.locality_name} {row.venue} "
            f"{format_date(row.meeting_date)} {row.status.label}"
        )


class EventsFilter(Enum):
    SHOWN = "shown"  #: forums and engagement events
    ONLY = "only"  #: engagement events only
    HIDDEN = "hidden"  #: standing forums only


class MeetingsFilter(RowFilterProxy):
    """Locality, forum, status, date range, events and free text (reference, forum, locality,
    venue; case- and accent-insensitive). Set the attributes, then ``refilter()``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.locality_id: uuid.UUID | None = None
        self.forum_id: uuid.UUID | None = None
        self.status: MeetingStatus | None = None
        self.date_from: date | None = None
        self.date_to: date | None = None
        self.events = EventsFilter.SHOWN

    def accepts(self, row: MeetingRow) -> bool:
        if self.locality_id is not None and row.locality_id != self.locality_id:
            return False
        if self.forum_id is not None and row.forum_id != self.forum_id:
            return False
        if self.status is not None and row.status != self.status:
            return False
        if self.date_from is not None and row.meeting_date < self.date_from:
            return False
        if self.date_to is not None and row.meeting_date > self.date_to:
            return False
        is_event = row.forum_kind == ForumKind.EVENT
        if self.events is EventsFilter.ONLY and not is_event:
            return False
        return not (self.events is EventsFilter.HIDDEN and is_event)
