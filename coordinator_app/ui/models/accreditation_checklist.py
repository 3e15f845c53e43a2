"""The checklist of one assessment as a two-level tree: each domain (in the framework's order)
with its standard checks under it.

Top-level rows are domains (``internalId`` 0); a check's ``internalId`` is its domain's row + 1,
so ``parent()`` needs no lookup. A domain row shows its name and how many of its standards are
met; a check row shows code, title, criticality and rating in words (never colour alone).

Pitfall: ``update_check`` replaces one row and emits ``dataChanged`` for it and its domain, so the
current index and selection survive a rating typed on the keyboard; ``set_checks`` resets.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ...core.accreditation import CheckRow, criticality_label
from ...core.vocab import Rating

_Index = QModelIndex | QPersistentModelIndex

COL_CODE, COL_TITLE, COL_CRITICALITY, COL_RATING, COL_FILES = range(5)
HEADERS = ("Code", "Standard", "Criticality", "Rating", "Evidence files")

CHECK_ID_ROLE = Qt.ItemDataRole.UserRole + 1  #: the check's id (a UUID) on check rows
CHECK_ROLE = Qt.ItemDataRole.UserRole + 2  #: the ``CheckRow`` on check rows
DOMAIN_ROLE = Qt.ItemDataRole.UserRole + 3  #: the domain's name on domain rows


class ChecklistModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._domains: list[str] = []
        self._checks: list[list[CheckRow]] = []
        self._where: dict[uuid.UUID, tuple[int, int]] = {}

    # --- contents -------------------------------------------------------------------------------

    def set_checks(self, checks: Sequence[CheckRow]) -> None:
        self.beginResetModel()
        self._domains, self._checks = [], []
        for check in checks:
            if not self._domains or self._domains[-1] != check.domain:
                self._domains.append(check.domain)
                self._checks.append([])
            self._checks[-1].append(check)
        self._where = {
            c.id: (d, r) for d, rows in enumerate(self._checks) for r, c in enumerate(rows)
        }
        self.endResetModel()

    def update_check(self, check: CheckRow) -> None:
        """Replace one check (same id) and repaint its row and its domain's summary."""
        place = self._where.get(check.id)
        if place is None:
            return
        domain, row = place
        self._checks[domain][row] = check
        parent = self.index(domain, 0)
        self.dataChanged.emit(self.index(row, 0, parent), self.index(row, len(HEADERS) - 1, parent))
        self.dataChanged.emit(parent, self.index(domain, len(HEADERS) - 1))

    def checks(self) -> list[CheckRow]:
        """Every check in the framework's order."""
        return [c for rows in self._checks for c in rows]

    def check_at(self, index: _Index) -> CheckRow | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        domain = index.internalId() - 1
        if not (0 <= domain < len(self._checks)) or not (
            0 <= index.row() < len(self._checks[domain])
        ):
            return None
        return self._checks[domain][index.row()]

    def index_of(self, check_id: uuid.UUID, column: int = 0) -> QModelIndex:
        place = self._where.get(check_id)
        if place is None:
            return QModelIndex()
        domain, row = place
        return self.index(row, column, self.index(domain, 0))

    def next_check(self, check_id: uuid.UUID) -> uuid.UUID | None:
        """The check after ``check_id`` in the framework's order (across domains), or None."""
        order = [c.id for c in self.checks()]
        try:
            position = order.index(check_id)
        except ValueError:
            return None
        return order[position + 1] if position + 1 < len(order) else None

    # --- Qt model -------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        if parent.internalId() != 0:
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(index.internalId()) - 1, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._domains)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._checks[parent.row()]) if parent.row() < len(self._checks) else 0
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._domain_data(index, role)
        check = self.check_at(index)
        if check is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._check_text(check, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_TITLE:
            return check.title
        if role == CHECK_ID_ROLE:
            return check.id
        if role == CHECK_ROLE:
            return check
        if (
            role == Qt.ItemDataRole.FontRole
            and column == COL_RATING
            and check.rating == Rating.NOT_YET_RATED
        ):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_FILES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _check_text(check: CheckRow, column: int) -> str:
        if column == COL_CODE:
            return check.code
        if column == COL_TITLE:
            return check.title
        if column == COL_CRITICALITY:
            return criticality_label(check.criticality)
        if column == COL_RATING:
            return check.rating.label
        if column == COL_FILES:
            return str(check.file_count) if check.file_count else ""
        return ""

    def _domain_data(self, index: _Index, role: int) -> Any:
        if not (0 <= index.row() < len(self._domains)):
            return None
        domain = self._domains[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if index.column() != COL_CODE:
                return ""
            rows = self._checks[index.row()]
            met = sum(1 for c in rows if c.rating == Rating.MET)
            rated = sum(1 for c in rows if c.rating != Rating.NOT_YET_RATED)
            return f"{domain}: {met} met, {rated} of {len(rows)} rated"
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == DOMAIN_ROLE:
            return domain
        return None
