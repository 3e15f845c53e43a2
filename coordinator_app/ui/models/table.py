"""The base of every table model here: a list of plain rows (core dataclasses), columns declared
once, and sorting done on the Python list rather than by Qt comparing cell by cell.

Pitfalls:
- ``QSortFilterProxyModel`` sorting calls ``data()`` about 2·n·log n times; with 4,000 meetings
  that is ~100k Python calls per header click. ``RowFilterProxy.sort`` therefore asks the source
  model to sort its list (one ``sorted`` call) and only filters itself.
- Filtering is not ``QSortFilterProxyModel``'s either: it calls a Python ``filterAcceptsRow``
  once per source row on every filter change (every keystroke), 50-80 ms per keystroke with
  every locality of a trust-wide database (61,000 meetings). ``RowFilterProxy`` is a
  ``ShownRowsProxy``: a plain list of the source row numbers shown. The non-text filters
  (``accepts``) and the free text are kept apart: a keystroke only looks for the folded words in
  the folded texts kept by the source (``matching_rows``, loops in C), among the last
  keystroke's matches when the text was typed on; a keystroke that leaves the words unchanged
  (a trailing space) does not refilter at all.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import contains
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
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
class Folded(Generic[R]):
    """Rows read with the folded search text of each (``RowTableModel.folded``)."""

    rows: list[R]
    search: list[str]

    def __len__(self) -> int:
        return len(self.rows)


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
        rows: Sequence[R] | Folded[R],
        sort_column: int | None = None,
        order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
    ) -> None:
        """Replace the rows; with ``sort_column`` they are sorted before the view sees them (one
        reset, instead of a reset and then a re-layout that refilters every row again). Rows
        given as ``Folded`` (read with their folded search texts, off the GUI thread) bring
        their texts: no keystroke folds them."""
        self.beginResetModel()
        search: dict[int, str] = {}
        if isinstance(rows, Folded):
            search = dict(zip(map(id, rows.rows), rows.search, strict=True))
            rows = rows.rows
        self._rows = list(rows)
        if sort_column is not None and 0 <= sort_column < len(self.columns):
            self._rows.sort(
                key=_sort_key(self.columns[sort_column]),
                reverse=order == Qt.SortOrder.DescendingOrder,
            )
        self._search = search
        self._haystacks = None
        self.endResetModel()

    def folded(self, rows: list[R]) -> Folded[R]:
        """``rows`` with their folded search texts, for ``set_rows``. Plain Python over plain
        rows (``searchable`` reads nothing of Qt's), so a page calls it on the worker thread
        beside the query."""
        return Folded(rows, list(map(fold, map(self.searchable, rows))))

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
            texts: list[Any] = list(map(self._search.get, map(id, self._rows)))  # C loops
            if None in texts:  # some not folded yet
                texts = [
                    t if t is not None else self.search_text(r)
                    for t, r in zip(texts, self._rows, strict=True)
                ]
            self._haystacks = texts
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


class ShownRowsProxy(QAbstractProxyModel):
    """A proxy showing some of a ``RowTableModel``'s rows: ``_shown``, their source row numbers
    in ascending order (so in the source's sort order). Subclasses work out ``_shown``; this
    class answers Qt from it (a row number is a list index, a source row found by ``bisect``).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        #: Source row numbers, ascending: a list, a ``range`` (every row) or a numpy array (the
        #: actions list's ``TextIndex``); anything ``len``, indexing and ``bisect`` work on.
        self._shown: Sequence[int] = []
        self._columns = 0

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._columns

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if 0 <= row < len(self._shown) and 0 <= column < self._columns and not parent.isValid():
            return self.createIndex(row, column)
        return QModelIndex()

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def sibling(self, row: int, column: int, index: _Index) -> QModelIndex:
        return self.index(row, column)

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._shown) > 0

    def mapToSource(self, proxy_index: _Index) -> QModelIndex:
        source = self.sourceModel()
        if source is None or not proxy_index.isValid():
            return QModelIndex()
        row = proxy_index.row()
        if not 0 <= row < len(self._shown):
            return QModelIndex()
        return source.index(int(self._shown[row]), proxy_index.column())

    def mapFromSource(self, source_index: _Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        return self.index(self._proxy_row(source_index.row()), source_index.column())

    def _proxy_row(self, source_row: int) -> int:
        """The row showing source row ``source_row``, or -1."""
        shown = self._shown
        at = bisect_left(shown, source_row)
        return at if at < len(shown) and shown[at] == source_row else -1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        source = self.sourceModel()
        row = index.row()
        if source is None or not 0 <= row < len(self._shown):
            return None  # also an invalid index (row -1)
        return source.data(source.index(int(self._shown[row]), index.column()), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        source = self.sourceModel()
        if source is None or orientation == Qt.Orientation.Vertical:
            return None
        return source.headerData(section, orientation, role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the source's (one ``sorted`` over its list); the shown rows follow."""
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def row_at(self, proxy_row: int) -> Any:
        source = self.sourceModel()
        assert isinstance(source, RowTableModel)
        return source.row_at(self._shown[proxy_row])


def _narrows(old: list[str], new: list[str]) -> bool:
    """Whether every row having the words ``new`` has the words ``old`` (the text was typed on:
    each old word is part of a new one), so ``new`` need only be looked for in ``old``'s
    matches."""
    return bool(old) and " ".join(new).startswith(" ".join(old))


def matching_rows(haystacks: list[str], words: list[str], pool: list[int] | None) -> list[int]:
    """The numbers (ascending) of the ``haystacks`` holding every one of ``words``, among
    ``pool`` (ascending; None: all of them). The loops stay in C (``compress`` over
    ``map(contains, ...)``): no Python call per row."""
    rows: Any = range(len(haystacks)) if pool is None else pool
    for word in words:
        if len(rows) == len(haystacks):  # every row: the texts in order, no look-ups
            texts: Any = haystacks
            rows = range(len(haystacks))
        else:
            texts = map(haystacks.__getitem__, rows)
        rows = list(compress(rows, map(contains, texts, repeat(word))))
    return list(rows)


class RowFilterProxy(ShownRowsProxy):
    """Filters a ``RowTableModel`` through ``accepts(row)`` (the non-text filters) and the free
    text given to ``set_text`` (every folded word must be in the row's ``search_text``); sorting
    is delegated to the source (see the module's pitfall). Call ``refilter()`` after changing a
    filter attribute; ``set_text`` refilters by itself.

    A keystroke costs no Python call per row: the words are looked for in the source's folded
    texts by ``matching_rows`` (in C), among the last keystroke's matches when the text was
    typed on, and the rows shown change by one layout change that keeps the selection (Qt's
    ``QSortFilterProxyModel`` called a Python ``filterAcceptsRow`` for every row of the list on
    every keystroke: 50-80 ms with every locality of a trust-wide database). ``accepts`` is
    called per row only when a non-text filter changes or the rows do.
    """

    _shown: list[int]  # always a list here (``_source_removed`` slices and adds)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._source: RowTableModel[Any] | None = None
        self._words: list[str] = []
        self._structured: list[int] | None = None  #: source rows passing ``accepts``
        self._structured_for: tuple[Any, ...] = ()  #: the filter attributes it was made with
        #: The words last looked for and the source rows holding them (within ``_structured``).
        self._matched: tuple[list[str], list[int]] | None = None
        self._moving: tuple[list[QModelIndex], list[QPersistentModelIndex]] | None = None
        self._removing: tuple[int, int] | None = None

    def setSourceModel(self, model: Any) -> None:
        self.beginResetModel()
        super().setSourceModel(model)
        self._source = model if isinstance(model, RowTableModel) else None
        self._columns = model.columnCount()
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.rowsAboutToBeInserted.connect(self.beginResetModel)  # not made by these models
        model.rowsInserted.connect(self._source_reset)
        model.rowsAboutToBeRemoved.connect(self._source_removing)
        model.rowsRemoved.connect(self._source_removed)
        model.layoutAboutToBeChanged.connect(self._source_moving)
        model.layoutChanged.connect(self._source_moved)
        model.dataChanged.connect(self._source_data)
        self._forget()
        self._shown = self._accepted_rows()
        self.endResetModel()

    def _forget(self, *args: Any) -> None:
        """The source's rows or their order changed: what is kept by row number goes."""
        self._structured = None
        self._matched = None

    # --- following the source ---------------------------------------------------------------

    def _source_reset(self) -> None:
        self._forget()
        self._shown = self._accepted_rows()
        self.endResetModel()

    def _source_removing(self, parent: _Index, first: int, last: int) -> None:
        lo, hi = bisect_left(self._shown, first), bisect_right(self._shown, last)
        self._removing = (lo, hi)
        if lo < hi:
            self.beginRemoveRows(QModelIndex(), lo, hi - 1)

    def _source_removed(self, parent: _Index, first: int, last: int) -> None:
        lo, hi = self._removing or (0, 0)
        self._removing = None
        gone = last - first + 1
        self._shown = self._shown[:lo] + [n - gone for n in self._shown[hi:]]
        self._forget()
        if lo < hi:
            self.endRemoveRows()

    def _source_moving(self, *args: Any) -> None:
        """The source is about to re-order its rows (a sort): each persistent index here is
        remembered by its source row, to be put back on it (a ``QPersistentModelIndex`` of the
        source follows the row)."""
        self.layoutAboutToBeChanged.emit()
        old = list(self.persistentIndexList())
        self._moving = (old, [QPersistentModelIndex(self.mapToSource(i)) for i in old])

    def _source_moved(self, *args: Any) -> None:
        old, rows = self._moving or ([], [])
        self._moving = None
        self._forget()
        self._shown = self._accepted_rows()
        self.changePersistentIndexList(old, [self.mapFromSource(r) for r in rows])
        self.layoutChanged.emit()

    def _source_data(self, top: QModelIndex, bottom: QModelIndex, roles: Any = ()) -> None:
        if self._shown:
            last = len(self._shown) - 1
            self.dataChanged.emit(
                self.index(0, top.column()), self.index(last, bottom.column()), roles
            )

    # --- filtering ----------------------------------------------------------------------------

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
        self._words = words
        self._show(self._accepted_rows())

    def refilter(self) -> None:
        self._structured = None
        self._show(self._accepted_rows())

    def _filter_state(self) -> tuple[Any, ...]:
        """The public filter attributes (``locality_id``, ``status`` ...): when one was changed
        without ``refilter()`` the next ``set_text`` still applies it, as it always did."""
        return tuple(item for item in vars(self).items() if not item[0].startswith("_"))

    def _accepted_rows(self) -> list[int]:
        """The source rows passing every filter, ascending."""
        source = self._source
        if source is None:
            return []
        rows = source._rows
        state = self._filter_state()
        if self._structured is None or state != self._structured_for:
            self._structured = list(compress(range(len(rows)), map(self.accepts, rows)))
            self._structured_for = state
            self._matched = None
        words = self._words
        if not words:
            return self._structured
        matched = self._matched
        narrowing = matched is not None and _narrows(matched[0], words)
        pool = matched[1] if matched is not None and narrowing else self._structured
        found = matching_rows(source.haystacks(), words, None if len(pool) == len(rows) else pool)
        self._matched = (words, found)
        return found

    def _show(self, shown: list[int]) -> None:
        """Show ``shown`` instead: one layout change, the persistent indexes (the selection, the
        current row) kept on their rows, or let go when their row is no longer shown."""
        if shown == self._shown:
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        rows = [self._shown[i.row()] if 0 <= i.row() < len(self._shown) else -1 for i in old]
        self._shown = shown
        self.changePersistentIndexList(
            old,
            [self.index(self._proxy_row(r), i.column()) for r, i in zip(rows, old, strict=True)],
        )
        self.layoutChanged.emit()
