"""The flat lists of the Accreditation page: loaded frameworks, a locality's assessments, its
history of results and the standards that moved between its latest two assessments.

Each is a ``RowTableModel`` over core dataclasses; the result words are always written out (no
meaning by colour alone).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from ...core.accreditation import AssessmentInfo, HistoryRow, StandardChange, criticality_label
from ...core.standards import FrameworkInfo
from ...core.vocab import AssessmentStatus
from ..widgets import format_date
from .table import Column, RowTableModel


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}%"


COL_FW_NAME, COL_FW_VERSION, COL_FW_ISSUED, COL_FW_STANDARDS = range(4)


class FrameworksModel(RowTableModel[FrameworkInfo]):
    columns: ClassVar = (
        Column("Framework", lambda f: f.name),
        Column("Version", lambda f: f.version),
        Column("Issued on", lambda f: format_date(f.issued_on), sort_key=lambda f: f.issued_on),
        Column(
            "Standards",
            lambda f: str(f.standard_count),
            sort_key=lambda f: f.standard_count,
            align_right=True,
        ),
    )

    def searchable(self, row: FrameworkInfo) -> str:
        return f"{row.name} {row.version}"


COL_AS_DATE, COL_AS_KIND, COL_AS_FRAMEWORK, COL_AS_ASSESSORS, COL_AS_STATUS, COL_AS_RESULT = range(
    6
)


class AssessmentsModel(RowTableModel[AssessmentInfo]):
    """A locality's assessments; ``results`` maps an assessment id to its result word (what it
    gives, or would give if submitted now)."""

    columns: ClassVar = (
        Column(
            "Assessed on", lambda a: format_date(a.assessed_on), sort_key=lambda a: a.assessed_on
        ),
        Column("Kind", lambda a: a.kind.label),
        Column("Framework", lambda a: f"{a.framework_name} (version {a.framework_version})"),
        Column("Assessors", lambda a: a.assessors),
        Column(
            "Status",
            lambda a: "Submitted" if a.status == AssessmentStatus.SUBMITTED else "Draft",
        ),
        Column("Result", lambda a: ""),  # filled by data() from ``results``
    )

    def __init__(self, rows: Sequence[AssessmentInfo] = (), parent: Any = None) -> None:
        super().__init__(rows, parent)
        self.results: dict[uuid.UUID, str] = {}

    def set_results(self, rows: Sequence[AssessmentInfo], results: Mapping[uuid.UUID, str]) -> None:
        self.results = dict(results)
        self.set_rows(rows)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            index.isValid()
            and index.column() == COL_AS_RESULT
            and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)
            and 0 <= index.row() < len(self._rows)
        ):
            row = self._rows[index.row()]
            text = self.results.get(row.id, "")
            if text and row.status != AssessmentStatus.SUBMITTED:
                return f"{text} (if submitted now)"
            return text
        return super().data(index, role)

    def searchable(self, row: AssessmentInfo) -> str:
        return f"{row.kind.label} {row.assessors} {row.framework_name}"


class HistoryModel(RowTableModel[HistoryRow]):
    """A locality's submitted assessments with the result each gave, newest first."""

    id_attr: ClassVar[str] = "assessment_id"
    columns: ClassVar = (
        Column(
            "Assessed on", lambda h: format_date(h.assessed_on), sort_key=lambda h: h.assessed_on
        ),
        Column("Kind", lambda h: h.kind.label),
        Column("Result", lambda h: h.result.value),
        Column(
            "Standards met",
            lambda h: _pct(h.met_percent),
            sort_key=lambda h: h.met_percent,
            align_right=True,
        ),
        Column("Framework", lambda h: f"{h.framework_name} (version {h.framework_version})"),
    )


class ChangesModel(RowTableModel[StandardChange]):
    """Standards that improved (or slipped) between two assessments."""

    id_attr: ClassVar[str] = "code"
    columns: ClassVar = (
        Column("Code", lambda c: c.code),
        Column("Criticality", lambda c: criticality_label(c.criticality)),
        Column("Was", lambda c: c.before.label),
        Column("Now", lambda c: c.after.label),
        Column("Standard", lambda c: c.title),
    )
