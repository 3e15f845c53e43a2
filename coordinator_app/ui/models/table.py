"""The base of every table model here: a list of plain rows (core dataclasses), columns declared
once, and sorting done on the Python list rather than by Qt comparing cell by cell.

Pitfalls:
- ``QSortFilterProxyModel`` sorting calls ``data()`` about 2·n·log n times; with 4,000 meetings
  that is ~100k Python calls per header click. ``RowFilterProxy.sort`` therefore asks the source
  model to sort its list (one ``sorted`` call) and only filters itself.
- ``filterAcceptsRow`` reads the row object directly, never through ``data()``.
- Qt calls ``filterAcceptsRow`` once per source row on every filter change (every keystroke), so
  the proxy works out a list of booleans in one comprehension per change and answers each call
  with an index into it. The non-text filters (``accepts``) and the free text are kept apart: a
  keystroke only re-matches the folded words against the precomputed haystacks, and a keystroke
  that leaves the words unchanged (a trailing space) does not refilter at all.
"""

from __future__ import annotations

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

from ...core.text import unaccent

R = TypeVar("R")

ID_ROLE = Qt.ItemDataRole.UserRole + 1  #: the row's id as a string
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  #: the plain row object
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  #: the value the column sorts by

_Index = QModelIndex | QPersistentModelIndex


def fold(text: str) -> str:
    """Text for forgiving matching: case-folded, accents dropped, apostrophes removed
    ("Zoë O'Neill" -> "zoe oneill"). Accents go with ``core.text.unaccent``, one translate pass
    per text, so the first keystroke in a 4,000-name directory folds every name in a few ms."""
    if text.isascii():
        return text.lower().replace("'", "")
    return unaccent(text.casefold()).replace("'", "").replace("\u2019", "")


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


def _sort_key(column: Column[Any]) -> Callable[[Any], tuple[bool, Any]]:
    key = column.sort_key or column.display
    return lambda row: _sortable(key(row))


class RowTableModel(QAbstractTableModel, Generic[R]):
    """A read-only table over ``rows``. Subclasses declare ``columns`` and ``id_attr``."""

    columns: ClassVar[Sequence[Column[Any]]] = ()
    id_attr: ClassVar[str] = "id"

    def __init__(self, rows: Sequence[R] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = list(rows)
        self._search: dict[int, str] = {}
        self._haystacks: list[str] | None = None
        # Any re-ordering (this class's sort or a subclass's) makes the row-ordered list stale.
        self.layoutAboutToBeChanged.connect(self._forget_haystacks)

    def _forget_haystacks(self, *args: Any) -> None:
        self._haystacks = None

    # --- contents -------------------------------------------------------------------------------

    def set_rows(
        self,
        rows: Sequence[R],
        sort_column: int | None = None,
        order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
    ) -> None:
        """Replace the rows; with ``sort_column`` they are sorted before the view sees them (one
        reset, instead of a reset and then a re-layout that refilters every row again)."""
        self.beginResetModel()
        self._rows = list(rows)
        if sort_column is not None and 0 <= sort_column < len(self.columns):
            self._rows.sort(
                key=_sort_key(self.columns[sort_column]),
                reverse=order == Qt.SortOrder.DescendingOrder,
            )
        self._search = {}
        self._haystacks = None
        self.endResetModel()

    def update_rows(self, rows: Sequence[R], columns: Sequence[int]) -> None:
        """Replace every row with a newer copy of itself (same rows, same order, only
        ``columns`` changed, none of them searched): no reset, so the selection and the scroll
        position stay, and the folded search texts are kept (a keystroke right after need not
        fold every row again)."""
        if len(rows) != len(self._rows):
            raise ValueError("update_rows keeps the rows: use set_rows to change them")
        old, self._rows = self._rows, list(rows)
        # Each new copy takes over its old row's folded text (kept by id, whatever the order).
        search = self._search
        self._search = {
            id(new): text
            for previous, new in zip(old, self._rows, strict=True)
            if (text := search.get(id(previous))) is not None
        }
        if self._rows and columns:
            self.dataChanged.emit(
                self.index(0, min(columns)), self.index(len(self._rows) - 1, max(columns))
            )

    def haystacks(self) -> list[str]:
        """``search_text`` of every row, in row order; kept until the rows or their order
        change."""
        if self._haystacks is None:
            self._haystacks = [self.search_text(row) for row in self._rows]
        return self._haystacks

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

    def remove(self, row_id: uuid.UUID) -> bool:
        """Take the row holding ``row_id`` out at once (a record just deleted, before the list is
        read again); False when there is none."""
        number = self.row_of(row_id)
        if number < 0:
            return False
        self.beginRemoveRows(QModelIndex(), number, number)
        del self._rows[number]
        self._haystacks = None  # row-ordered; the texts kept by id stay valid
        self.endRemoveRows()
        return True

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
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_items = [self._rows[i.row()] for i in old]
        self._rows.sort(
            key=_sort_key(self.columns[column]), reverse=order == Qt.SortOrder.DescendingOrder
        )
        positions = {id(r): n for n, r in enumerate(self._rows)}
        new = [
            self.index(positions[id(item)], i.column())
            for item, i in zip(old_items, old, strict=True)
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


class RowFilterProxy(QSortFilterProxyModel):
    """Filters a ``RowTableModel`` through ``accepts(row)`` (the non-text filters) and the free
    text given to ``set_text`` (every folded word must be in the row's ``search_text``); sorting
    is delegated to the source (see the module's pitfall). Call ``refilter()`` after changing a
    filter attribute; ``set_text`` refilters by itself.

    What is accepted is worked out in one Python pass per filter change and kept as a list of
    booleans by source row, so Qt's per-row ``filterAcceptsRow`` calls (also made after every
    sort) are a list index. The lists are forgotten whenever the source's rows or their order
    change.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._source: RowTableModel[Any] | None = None
        self._words: list[str] = []
        self._structured: list[bool] | None = None  #: ``accepts`` by source row
        self._structured_for: tuple[Any, ...] = ()  #: the filter attributes it was made with
        self._text: list[bool] | None = None  #: the words, by source row (None: no words)
        self._mask: list[bool] | None = None  #: both, by source row

    def setSourceModel(self, model: Any) -> None:
        super().setSourceModel(model)
        self._source = model if isinstance(model, RowTableModel) else None
        self._forget()
        for signal in (
            model.modelAboutToBeReset,
            model.rowsAboutToBeInserted,
            model.rowsAboutToBeRemoved,
            model.layoutAboutToBeChanged,
        ):
            signal.connect(self._forget)

    def _forget(self, *args: Any) -> None:
        self._structured = self._text = self._mask = None

    def accepts(self, row: Any) -> bool:
        """Subclasses: whether ``row`` passes the non-text filters."""
        return True

    def search_text(self, row: Any) -> str:
        """The source model's folded search text for ``row``."""
        return self._source.search_text(row) if self._source is not None else ""

    def set_text(self, text: str) -> None:
        """Filter by every word of ``text`` (case, accents and apostrophes ignored)."""
        words = fold(text).split()
        if words == self._words and self._filter_state() == self._structured_for:
            return  # e.g. a space typed after a word: nothing to do
        self.beginFilterChange()
        self._words = words
        self._text = self._mask = None
        self.endFilterChange()

    def _filter_state(self) -> tuple[Any, ...]:
        """The public filter attributes (``locality_id``, ``status`` ...): when one was changed
        without ``refilter()`` the next ``set_text`` still applies it, as it always did."""
        return tuple(item for item in vars(self).items() if not item[0].startswith("_"))

    def _accepted_rows(self) -> list[bool]:
        source = self._source
        if source is None:
            return []
        rows = source._rows
        state = self._filter_state()
        if (
            self._structured is None
            or len(self._structured) != len(rows)
            or state != self._structured_for
        ):
            self._structured = [self.accepts(r) for r in rows]
            self._structured_for = state
        words = self._words
        if not words:
            self._text = None
            return self._structured
        if self._text is None or len(self._text) != len(rows):
            haystacks = source.haystacks()
            if len(words) == 1:
                word = words[0]
                self._text = [word in h for h in haystacks]
            else:
                self._text = [all(w in h for w in words) for h in haystacks]
        return [a and b for a, b in zip(self._structured, self._text, strict=True)]

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        mask = self._mask
        if mask is None:
            mask = self._mask = self._accepted_rows()
        return mask[source_row] if source_row < len(mask) else True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def refilter(self) -> None:
        self.beginFilterChange()
        self._structured = self._mask = None
        self.endFilterChange()

    def row_at(self, proxy_row: int) -> Any:
        source = self.sourceModel()
        assert isinstance(source, RowTableModel)
        return source.row_at(self.mapToSource(self.index(proxy_row, 0)).row())
