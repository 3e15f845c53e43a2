"""The attendance register of one meeting (named participants and their status), with the
forum's regulars not yet marked shown as "expected" at the foot (``core.meetings.expected``)."""

from __future__ import annotations

from ...core.meetings import ExpectedRow, RegisterRow
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

#: A regular not yet marked: not on the register, nothing counted.
EXPECTED_TEXT = "Expected (not yet marked)"

_STATUS_ORDER = {
    AttendanceStatus.PRESENT: 0,
    AttendanceStatus.APOLOGIES: 1,
    AttendanceStatus.ABSENT: 2,
    None: 3,
}


def _status_text(row: RegisterRow | ExpectedRow) -> str:
    return EXPECTED_TEXT if row.status is None else STATUS_TEXT[row.status]


class RegisterModel(RowTableModel[RegisterRow | ExpectedRow]):
    id_attr = "participant_id"
    columns = (
        Column("Name", lambda r: r.name),
        Column("Category", lambda r: r.category.label),
        Column("Status", _status_text, lambda r: _STATUS_ORDER[r.status]),
        Column("Format", lambda r: r.accessible_format.label),
    )

    def counts(self) -> dict[AttendanceStatus, int]:
        """How many are marked with each status (the expected are on no count)."""
        result = dict.fromkeys(AttendanceStatus, 0)
        for row in self._rows:
            if row.status is not None:
                result[row.status] += 1
        return result

    def expected_count(self) -> int:
        return sum(1 for row in self._rows if row.status is None)
