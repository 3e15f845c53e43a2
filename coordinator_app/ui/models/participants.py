"""The participant directory: everyone loaded once, filtered in memory."""

from __future__ import annotations

import uuid
from typing import Any

from ...core.people import ParticipantRow
from ...core.vocab import Category
from ..widgets import format_date
from .table import Column, RowFilterProxy, RowTableModel

COL_NAME = 0
COL_CATEGORY = 1
COL_LOCALITY = 2
COL_ORGANISATION = 3
COL_CONTACT = 4
COL_FORMAT = 5
COL_LAST_ATTENDED = 6
COL_ATTENDANCES = 7
COL_ACTIVE = 8


def contact_text(row: ParticipantRow) -> str:
    if not row.consent_to_contact:
        return "No consent"
    return ", ".join(part for part in (row.email, row.phone) if part) or "Consent, no details"


class ParticipantsModel(RowTableModel[ParticipantRow]):
    columns = (
        Column("Name", lambda r: r.name),
        Column("Category", lambda r: r.category.label),
        Column("Locality", lambda r: r.locality_name),
        Column("Organisation", lambda r: r.organisation),
        Column("Contact", contact_text),
        Column("Format", lambda r: r.accessible_format.label),
        Column("Last attended", lambda r: format_date(r.last_attended), lambda r: r.last_attended),
        Column("Attended", lambda r: str(r.attendance_count), lambda r: r.attendance_count, True),
        Column("Active", lambda r: "Yes" if r.active else "No (inactive)"),
    )

    def searchable(self, row: ParticipantRow) -> str:
        return f"{row.name} {row.organisation} {row.email} {row.phone}"


class ParticipantsFilter(RowFilterProxy):
    """Category, locality, active (True, False or None for everyone) and free text over name,
    organisation, email and phone."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.category: Category | None = None
        self.locality_id: uuid.UUID | None = None
        self.active: bool | None = True

    def accepts(self, row: ParticipantRow) -> bool:
        if self.category is not None and row.category != self.category:
            return False
        if self.locality_id is not None and row.locality_id != self.locality_id:
            return False
        return not (self.active is not None and row.active != self.active)
