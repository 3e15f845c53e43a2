"""The attendance register of one meeting (named participants and their status)."""

from __future__ import annotations

from ...core.meetings import RegisterRow
from ...core.vocab import AttendanceStatus
from .table import Column, RowTableModel

COL_NAME = 0
COL_CATEGORY = 1
COL_STATUS = 2
COL_FORMAT = 3

#: Status shown as a word with a mark, never by colour alone.
STATUS_TEXT = {
    AttendanceStatus.PRESENT: "✓ Present",
    AttendanceStatus.APOLOGIES: "Apologies",
    AttendanceStatus.ABSENT: "✗ Absent",
}

_STATUS_ORDER = {
    AttendanceStatus.PRESENT: 0,
    AttendanceStatus.APOLOGIES: 1,
    AttendanceStatus.ABSENT: 2,
}


class RegisterModel(RowTableModel[RegisterRow]):
    id_attr = "participant_id"
    columns = (
        Column("Name", lambda r: r.name),
        Column("Category", lambda r: r.category.label),
        Column("Status", lambda r: STATUS_TEXT[r.status], lambda r: _STATUS_ORDER[r.status]),
        Column("Format", lambda r: r.accessible_format.label),
    )

    def counts(self) -> dict[AttendanceStatus, int]:
        result = dict.fromkeys(AttendanceStatus, 0)
        for row in self._rows:
            result[row.status] += 1
        return result
