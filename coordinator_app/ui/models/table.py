"""The base of every table model here: a list of plain rows (core dataclasses), columns declared
once, and sorting done on the Python list rather than by Qt comparing cell by cell.

Pitfalls:
- ``QSortFilterProxyModel`` sorting calls ``data()`` about 2·n·log n times; with 4,000 meetings
  that is ~100k Python calls per header click. ``RowFilterProxy.sort`` therefore asks the source
  model to sort its list (one ``sorted`` call) and only filters itself.
- ``filterAcceptsRow`` reads the row object directly, never through ``data()``.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

R = TypeVar("R")

ID_ROLE = Qt.ItemDataRole.UserRole + 1  #: the row's id as a string
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  #: the plain row object
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  #: the value the column sorts by

_Index = QModelIndex | QPersistentModelIndex


def fold(text: str) -> str:
    """Text for forgiving matching: case-folded, accents dropped, apostrophes removed
    ("Zoë O'Neill" -> "zoe oneill")."""
    if text.isascii():
        return text.lower().replace("'", "")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("'", "").replace("\u2019", "")


@dataclass(frozen=True)
class Column(Generic[R]):
    header: str
    display: Callable[[R], str]
    #: Sort key (None sorts last); the display text, case-folded, when not given.
    sort_key: Callable[[R], Any] | None = None
    align_right: bool = False


def _sortable(value: Any) -> tuple[bool, Any]:
    if isinstance(value, str):
        value = fold(value)
    return (value is None, value if value is not None else 0)


class RowTableModel(QAbstractTableModel, Generic[R]):
    """A read-only table over ``rows``. Subclasses declare ``columns`` and ``id_attr``."""

    columns: ClassVar[Sequence[Column[Any]]] = ()
    id_attr: ClassVar[str] = "id"

    def __init__(self, rows: Sequence[R] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = list(rows)
        self._search: dict[int, str] = {}

    # --- contents -------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._search = {}
        self.endResetModel()

    def search_text(self, row: R) -> str:
        """The words a free-text filter looks in, folded (see ``fold``); computed once per row
        and kept until the rows are replaced, so each keystroke only compares strings."""
        key = id(row)
        text = self._search.get(key)
        if text is None:
            text = self._search[key] = fold(self.searchable(row))
        return text

    def searchable(self, row: R) -> str:
        """Subclasses: the text a free-text filter matches against."""
        return ""

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def id_at(self, row: int) -> uuid.UUID:
        return getattr(self._rows[row], self.id_attr)

    def row_of(self, row_id: uuid.UUID) -> int:
        """The row number holding ``row_id``, or -1."""
        for number, item in enumerate(self._rows):
            if getattr(item, self.id_attr) == row_id:
                return number
        return -1

    # --- Qt model -------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        item = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.display(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = column.display(item)
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.align_right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return str(getattr(item, self.id_attr))
        if role == ROW_ROLE:
            return item
        if role == SORT_ROLE:
            key = column.sort_key(item) if column.sort_key else column.display(item)
            return fold(key) if isinstance(key, str) else key
        return self.extra_data(item, index.column(), role)

    def extra_data(self, item: R, column: int, role: int) -> Any:
        """Other roles for subclasses (e.g. an icon beside a status)."""
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].header
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        spec = self.columns[column]
        key = spec.sort_key or spec.display
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_items = [self._rows[i.row()] for i in old]
        self._rows.sort(
            key=lambda r: _sortable(key(r)), reverse=order == Qt.SortOrder.DescendingOrder
        )
        positions = {id(r): n for n, r in enumerate(self._rows)}
        new = [
            self.index(positions[id(item)], i.column())
            for item, i in zip(old_items, old, strict=True)
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


class RowFilterProxy(QSortFilterProxyModel):
    """Filters a ``RowTableModel`` through ``accepts(row)``; sorting is delegated to the source
    (see the module's pitfall). Call ``refilter()`` after changing a filter attribute.

    The rows accepted are worked out in one Python pass per filter change and kept as a set, so
    Qt's per-row ``filterAcceptsRow`` calls (also made after every sort) are a set lookup.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._accepted: set[int] | None = None

    def setSourceModel(self, model: Any) -> None:
        super().setSourceModel(model)
        self._accepted = None
        model.modelAboutToBeReset.connect(self._forget)
        model.rowsAboutToBeInserted.connect(self._forget)

    def _forget(self, *args: Any) -> None:
        self._accepted = None

    def accepts(self, row: Any) -> bool:
        return True

    def search_text(self, row: Any) -> str:
        """The source model's folded search text for ``row``."""
        source = self.sourceModel()
        return source.search_text(row) if isinstance(source, RowTableModel) else ""

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        source = self.sourceModel()
        if not isinstance(source, RowTableModel) or source_parent.isValid():
            return True
        if self._accepted is None:
            self._accepted = {id(r) for r in source.rows() if self.accepts(r)}
        return id(source.row_at(source_row)) in self._accepted

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def refilter(self) -> None:
        self.beginFilterChange()
        self._accepted = None
        self.endFilterChange()

    def row_at(self, proxy_row: int) -> Any:
        source = self.sourceModel()
        assert isinstance(source, RowTableModel)
        return source.row_at(self.mapToSource(self.index(proxy_row, 0)).row())
