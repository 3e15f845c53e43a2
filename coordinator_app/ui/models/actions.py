"""The action tracker's table model and its filter proxy.

``ActionsModel`` holds every action once (``core.actions.TrackerRow``s). ``ActionsFilter`` is a
proxy that shows the rows passing every filter and counts, for each filter's choices, how many
rows that choice would show given the other filters (the counts beside the filters).

Pitfalls (measured with 20,000 actions):
- ``QSortFilterProxyModel`` calls a Python ``filterAcceptsRow`` once per source row on every
  change: 110-210 ms here. ``ActionsFilter`` is a ``table.ShownRowsProxy`` over a plain list of
  source rows instead, reset on each change (the view then asks only for the visible rows).
- The filters work on sets of row identities built once per load (``_facets``): a filter is a
  set intersection done in C, never a Python loop over 20,000 rows per keystroke. Only the free
  text needs a pass: ``compress`` over the folded texts by source row number (in C; no set of
  ids and no sort per keystroke), and typing more letters searches the previous matches only.
  The text's set of ids, needed only for the counts, is made when a combo's list opens.
- With every locality of a trust-wide database (288,000 actions) even that pass took 20-38 ms
  for a first or second letter (the words are in most of 29 MB of text), over the 30 ms a
  keystroke may take: the whole list read in the background brings a ``TextIndex`` too
  (``build_index(rows, text=True)``: the rows holding each letter and pair of letters), and a
  keystroke reads only the texts of rows holding every pair of its words' letters.
- Every rule shown (open now, overdue now, due this week) is the row's flag from the core query
  (``rules.open_now`` / ``overdue_today`` / ``due_within``); nothing is re-derived here.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QStyle

from ...core.actions import TrackerRow
from ...core.vocab import ActionStatus
from ..widgets import ERROR_COLOUR, format_date
from .table import (
    ID_ROLE,
    ROW_ROLE,
    SORT_ROLE,
    Column,
    Folded,
    RowTableModel,
    ShownRowsProxy,
    _sortable,
    fold,
    matching_rows,
)
from .text_index import TextIndex

_Index = QModelIndex | QPersistentModelIndex

_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ID, _ROW, _SORT = int(ID_ROLE), int(ROW_ROLE), int(SORT_ROLE)
_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)

COL_REFERENCE = 0
COL_TITLE = 1
COL_OWNER = 2
COL_LEVEL = 3
COL_PRIORITY = 4
COL_LOCALITY = 5
COL_RAISED = 6
COL_DUE = 7
COL_STATUS = 8

#: The status filter's choice "open now" (open or in progress: ``rules.open_now``).
OPEN_NOW = "open_now"

#: Filter names (for ``ActionsFilter.counts_for``).
FACETS = (
    "status",
    "overdue",
    "due_soon",
    "level",
    "priority",
    "locality",
    "forum",
    "owner",
)


def days_late(row: TrackerRow, today: date) -> int:
    """Whole days past the due date (Home's wording); only meaningful when ``row.overdue``."""
    return (today - row.due_on).days if row.due_on else 0


def status_text(row: TrackerRow, today: date) -> str:
    """The status as words; overdue is said in words, not only shown in colour."""
    if row.overdue:
        late = days_late(row, today)
        return f"Overdue {late} day{'s' if late != 1 else ''} · {row.status.label}"
    if row.due_soon:
        return f"Due this week · {row.status.label}"
    return row.status.label


@dataclass
class RowIndex:
    """The filters' sets over a list of rows: ``facets[facet][value]`` is the set of ``id(row)``
    having that value; ``keys[n]`` is ``id(rows[n])`` and ``hay[n]`` its folded search text.
    Pure Python (no Qt), so the page builds it on the worker thread beside the query."""

    facets: dict[str, dict[Any, set[int]]]
    everything: set[int]
    keys: list[int]
    hay: list[str]
    size: int
    #: The rows holding each letter and pair of letters (``text_index``), for the whole list.
    text: TextIndex | None = None


def search_text(row: TrackerRow) -> str:
    """What the free-text filter looks in: reference, title and owner."""
    return f"{row.reference} {row.title} {row.owner}"


def _group(keys: list[int], values: Any) -> dict[Any, set[int]]:
    groups: dict[Any, set[int]] = {}
    for key, value in zip(keys, values, strict=True):
        found = groups.get(value)
        if found is None:
            groups[value] = {key}
        else:
            found.add(key)
    return groups


#: Fewer actions than this are searched without a ``TextIndex`` (every text read per keystroke
#: takes under 5 ms; the index would cost numpy's import and its build on every load).
TEXT_INDEX_FROM = 40_000


def build_index(rows: list[TrackerRow], text: bool = False) -> RowIndex:
    """One pass per facet, the flags and texts through ``map``/``compress`` (loops in C); with
    ``text`` and at least ``TEXT_INDEX_FROM`` rows, the letter-pair index of the texts as well
    (``TextIndex``, 0.6-1.7 s at 288,000 actions: for the whole list read in the background, not
    the first screenful).
    Pitfall: this runs on the worker while the user may be typing; every object it makes
    counts towards a garbage collection that holds the GIL, so no per-row tuples."""
    keys = list(map(id, rows))
    facets: dict[str, dict[Any, set[int]]] = {
        "status": _group(keys, map(attrgetter("status"), rows)),
        "level": _group(keys, map(attrgetter("level"), rows)),
        "priority": _group(keys, (r.priority_key or "" for r in rows)),
        "locality": _group(keys, (r.locality_key or "" for r in rows)),
        "forum": _group(keys, (r.forum_key or "" for r in rows)),
        "owner": _group(keys, map(attrgetter("owner"), rows)),
        "overdue": {True: set(compress(keys, map(attrgetter("overdue"), rows)))},
        "due_soon": {True: set(compress(keys, map(attrgetter("due_soon"), rows)))},
    }
    facets["status"][OPEN_NOW] = set(compress(keys, map(attrgetter("is_open"), rows)))
    hay = list(map(fold, map(search_text, rows)))
    index = TextIndex(keys, hay) if text and len(rows) >= TEXT_INDEX_FROM else None
    return RowIndex(facets, set(keys), keys, hay, len(rows), index)


class ActionsModel(RowTableModel[TrackerRow]):
    """Every action, with names of priorities, localities and forums looked up from ``names``
    (hex key -> name, set by the page before the rows)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__((), parent)
        self.names: dict[str | None, str] = {None: ""}
        self.today = date.today()
        name = self.names.get
        self.columns = (  # type: ignore[misc]  # its own, per instance (today and names)
            Column("Reference", lambda r: r.reference, lambda r: (len(r.reference), r.reference)),
            Column("Action", lambda r: r.title),
            Column("Owner", lambda r: r.owner),
            Column("Level", lambda r: r.level.label),
            Column("Strategic priority", lambda r: name(r.priority_key, "")),
            Column("Locality", lambda r: name(r.locality_key, "")),
            Column("Raised", lambda r: format_date(r.raised_on), lambda r: r.raised_on),
            Column("Due", lambda r: format_date(r.due_on), lambda r: r.due_on),
            Column(
                "Status",
                lambda r: status_text(r, self.today),
                lambda r: (not r.overdue, not r.is_open, r.status.value),
            ),
        )
        self._warning: Any = None
        self._red: Any = None
        self._sort_keys: dict[int, dict[int, Any]] = {}
        self._display = [column.display for column in self.columns]

    def set_rows(
        self,
        rows: Sequence[TrackerRow] | Folded[TrackerRow],
        sort_column: int | None = None,
        order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
    ) -> None:
        self._sort_keys = {}
        super().set_rows(rows, sort_column, order)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """As the base class, with each column's sort keys worked out once per load (folding
        20,000 owners on every header click took a quarter of a second)."""
        if not 0 <= column < len(self.columns):
            return
        keys = self._sort_keys.get(column)
        if keys is None:
            spec = self.columns[column]
            key = spec.sort_key or spec.display
            keys = self._sort_keys[column] = {id(r): _sortable(key(r)) for r in self._rows}
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_items = [self._rows[i.row()] for i in old]
        self._rows.sort(key=lambda r: keys[id(r)], reverse=order == Qt.SortOrder.DescendingOrder)
        positions = {id(r): n for n, r in enumerate(self._rows)}
        new = [
            self.index(positions[id(item)], i.column())
            for item, i in zip(old_items, old, strict=True)
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def set_names(self, names: dict[str, str]) -> None:
        self._sort_keys = {}
        self.names.clear()
        self.names.update(names)
        self.names[None] = ""

    def id_at(self, row: int) -> uuid.UUID:
        return self._rows[row].id

    def row_of(self, row_id: uuid.UUID) -> int:
        key = row_id.hex
        for number, item in enumerate(self._rows):
            if item.key == key:
                return number
        return -1

    def searchable(self, row: TrackerRow) -> str:
        return search_text(row)

    def replace_row(self, new: TrackerRow) -> bool:
        """Put a re-read row in place of the one with its key (``dataChanged``, no reset).
        False when the row is not here (a new action: reload instead)."""
        for number, item in enumerate(self._rows):
            if item.key == new.key:
                self._rows[number] = new
                self._search.pop(id(item), None)
                self._sort_keys = {}
                self.dataChanged.emit(
                    self.index(number, 0), self.index(number, len(self.columns) - 1)
                )
                return True
        return False

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        return self.cell(self._rows[row], index.column(), role)

    def cell(self, item: TrackerRow, column: int, role: int) -> Any:
        """One cell's data. Pitfall: a view asks ~7 roles per visible cell on every paint, so
        this is the hot path: plain int comparisons, most frequent roles first, no Qt enums."""
        if role in (_DISPLAY, _ACCESSIBLE):
            return self._display[column](item)
        if role == _ALIGN:
            return _LEFT
        if role == _DECORATION:
            if column == COL_STATUS and item.overdue:
                if self._warning is None:
                    style = QApplication.style()
                    self._warning = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
                return self._warning
            return None
        if role == _FOREGROUND:
            if item.overdue and column in (COL_DUE, COL_STATUS):
                if self._red is None:
                    self._red = QBrush(QColor(ERROR_COLOUR))
                return self._red
            return None
        if role == _TOOLTIP:
            if item.overdue and column in (COL_DUE, COL_STATUS):
                return status_text(item, self.today)
            text = self._display[column](item)
            return text if len(text) > 40 else None
        if role == _ID:
            return str(item.id)
        if role == _ROW:
            return item
        if role == _SORT:
            spec = self.columns[column]
            key = spec.sort_key(item) if spec.sort_key else spec.display(item)
            return fold(key) if isinstance(key, str) else key
        return None


class ActionsFilter(ShownRowsProxy):
    """Shows the source rows that pass every filter. Set the filter attributes, then call
    ``refilter()``; ``counts_for(facet)[value]`` is how many rows choosing ``value`` for
    ``facet`` would show with the other filters as they are. A filter attribute None means "any"; ""
    for a key (priority, locality, forum) or the owner means "none given"."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.status: ActionStatus | str | None = None
        self.overdue_only = False
        self.due_soon_only = False
        self.level: Any = None
        self.priority_key: str | None = None
        self.locality_key: str | None = None
        self.forum_key: str | None = None
        self.owner: str | None = None
        self.due_from: date | None = None
        self.due_to: date | None = None
        self._text = ""
        self._text_match: set[int] | None = None
        #: Source row numbers (ascending) whose folded text has every word typed: a list, or a
        #: numpy array from the ``TextIndex`` (``_rows_list`` where Python needs a list).
        self._text_rows: Any = None
        #: ``id(row)`` and folded search text per source row number (rebuilt after a sort).
        self._aligned: tuple[list[int], list[str]] | None = None
        self._flag_rows: dict[str, set[int]] = {}
        #: ``_flag_rows`` as a numpy mask by source row number, for rows shown as an array.
        self._flag_masks: dict[str, Any] = {}
        self._due_cache: tuple[tuple[Any, Any], set[int]] | None = None
        self._pos: dict[int, int] | None = None
        self._facet_sets: dict[str, set[int]] = {}
        self._others: list[set[int]] | None = None
        self._rest: dict[str, set[int] | None] = {}
        self._facets: dict[str, dict[Any, set[int]]] | None = None
        self._all: set[int] = set()
        self._keys_hay: tuple[list[int], list[str]] = ([], [])
        self._expected: RowIndex | None = None
        self._text_index: TextIndex | None = None
        #: ``TextIndex.order`` for the source's rows as they are (None: not worked out yet).
        self._text_order: tuple[Any] | None = None

    # --- wiring -------------------------------------------------------------------------------

    def setSourceModel(self, model: Any) -> None:
        self.beginResetModel()
        super().setSourceModel(model)
        self._src: ActionsModel = model
        self._columns = model.columnCount()
        model.modelReset.connect(self._source_reset)
        model.layoutChanged.connect(self._source_layout)
        model.dataChanged.connect(self._source_data)
        self._facets = None
        self._compute()
        self.endResetModel()

    def _source(self) -> ActionsModel:
        model = self.sourceModel()
        assert isinstance(model, ActionsModel)
        return model

    def expect(self, index: RowIndex) -> None:
        """Use ``index`` (built off the GUI thread by ``build_index`` over the very rows about
        to be set on the source) at the source's next reset, instead of building it here."""
        self._expected = index

    def _source_reset(self) -> None:
        self.beginResetModel()
        expected, self._expected = self._expected, None
        self._forget_positions()
        if expected is not None and expected.size == self._src.rowCount():
            self._adopt(expected)
        else:
            self._facets = None
            self._text_index = None  # of the rows before
        self._compute()
        self.endResetModel()

    def _source_layout(self) -> None:
        # The source sorted its list: the same rows are shown, in its new order.
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        keys = [self._source().row_at(self._shown[i.row()]) for i in old]
        self._forget_positions()
        self._compute()
        rows = self._source()._rows
        positions = {id(rows[s]): n for n, s in enumerate(_rows_list(self._shown))}
        new = [
            self.index(positions[id(item)], i.column()) if id(item) in positions else QModelIndex()
            for item, i in zip(keys, old, strict=True)
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _source_data(self, top: QModelIndex, bottom: QModelIndex, roles: Any = ()) -> None:
        # A row re-read after an edit may now fail a filter: rebuild the index and refilter.
        self._follow_text(top.row(), bottom.row())
        self._facets = None
        self._forget_positions()
        self.refilter()

    # --- filtering ------------------------------------------------------------------------------

    def set_text(self, text: str) -> None:
        """Show the rows holding every word of ``text`` (the other filters as they are). The
        same words as before (a space typed after a word) change nothing: the list is not
        reset, so the row selected stays selected."""
        folded = " ".join(fold(text).split())
        if folded == self._text:
            return
        narrowing = self._text_rows is not None and self._text and folded.startswith(self._text)
        pool = self._text_rows if narrowing else None
        self._text = folded
        self._text_rows = self._match_text(pool) if folded else None
        self._text_match = None
        self.refilter()

    def _follow_text(self, first: int, last: int) -> None:
        """Rows ``first``..``last`` were replaced by newer copies (``ActionsModel.replace_row``):
        the letter-pair index follows them, or is dropped (the keystrokes then read every text,
        as without it, until the list is read again)."""
        index, aligned = self._text_index, self._aligned
        if index is None:
            return
        rows = self._src._rows
        if aligned is None or not 0 <= first <= last < min(len(rows), len(aligned[0])):
            self._text_index = None
            return
        for number in range(first, last + 1):
            row = rows[number]
            if not index.replace(aligned[0][number], id(row), fold(search_text(row))):
                self._text_index = None
                return

    def _forget_positions(self) -> None:
        """The source's row numbers changed (reset, sort, edit): drop what is keyed on them."""
        self._text_order = None
        self._pos = None
        self._aligned = None
        self._text_rows = None
        self._flag_rows = {}
        self._flag_masks = {}

    def _align(self) -> tuple[list[int], list[str]]:
        """``id(row)`` and the folded search text of each source row, by row number."""
        if self._aligned is None:
            if self._facets is None:
                self._build_facets()
            ids = [id(r) for r in self._src.rows()]
            text_of = dict(zip(*self._keys_hay, strict=True))
            self._aligned = (ids, [text_of[k] for k in ids])
        return self._aligned

    def _match_text(self, pool: Any = None) -> Any:
        """Source row numbers (ascending) whose text has every word: through the letter-pair
        index when there is one for these rows (``TextIndex.found``: a numpy array, no Python
        int per row matched), else typing on searches the last matches only
        (``table.matching_rows``: the loops stay in C)."""
        ids, texts = self._align()
        index = self._text_index
        if index is not None and self._text_order is None:
            self._text_order = (index.order(ids),)
        if index is not None and self._text_order is not None:
            order = self._text_order[0]
            if order is not False:
                return index.found(self._text.split(), texts, order)
            self._text_index = None  # of other rows
        return matching_rows(texts, self._text.split(), None if pool is None else _rows_list(pool))

    def _build_facets(self) -> None:
        kept = self._text_index  # the same rows (an edit followed by ``_follow_text``)
        self._adopt(build_index(self._source().rows()))
        self._text_index = kept

    def _adopt(self, index: RowIndex) -> None:
        self._facets, self._all = index.facets, index.everything
        self._text_index = index.text
        self._keys_hay = (index.keys, index.hay)
        self._forget_positions()
        self._aligned = self._keys_hay  # built over the source's rows in their order
        self._text_match = None
        self._due_cache = None

    def _positions(self) -> dict[int, int]:
        """``id(row)`` -> its row number in the source (rebuilt after a reset or a sort)."""
        if self._pos is None:
            ids = self._align()[0]
            self._pos = dict(zip(ids, range(len(ids)), strict=True))
        return self._pos

    def _chosen(self) -> dict[str, Any]:
        """The facet filters in force: facet -> chosen value."""
        chosen: dict[str, Any] = {}
        for facet, value in (
            ("status", self.status),
            ("level", self.level),
            ("priority", self.priority_key),
            ("locality", self.locality_key),
            ("forum", self.forum_key),
            ("owner", self.owner),
        ):
            if value is not None:
                chosen[facet] = value
        if self.overdue_only:
            chosen["overdue"] = True
        if self.due_soon_only:
            chosen["due_soon"] = True
        return chosen

    def _text_positions(self) -> list[int]:
        if self._text_rows is None:
            self._text_rows = self._match_text()
        return self._text_rows

    def _other_sets(self) -> list[set[int]]:
        """Sets from the filters that have no counts of their own: text and due dates. The text's
        set of ``id(row)`` is made only when counts need it (a keystroke needs row numbers)."""
        sets: list[set[int]] = []
        if self._text:
            if self._text_match is None:
                ids = self._align()[0]
                self._text_match = set(map(ids.__getitem__, _rows_list(self._text_positions())))
            sets.append(self._text_match)
        sets.extend(self._due_sets())
        return sets

    def _due_sets(self) -> list[set[int]]:
        sets: list[set[int]] = []
        if self.due_from is not None or self.due_to is not None:
            low, high = self.due_from, self.due_to
            if self._due_cache is None or self._due_cache[0] != (low, high):
                found = {
                    id(r)
                    for r in self._src.rows()
                    if r.due_on is not None
                    and (low is None or r.due_on >= low)
                    and (high is None or r.due_on <= high)
                }
                self._due_cache = ((low, high), found)
            sets.append(self._due_cache[1])
        return sets

    @staticmethod
    def _intersect(sets: list[set[int]]) -> set[int] | None:
        if not sets:
            return None
        ordered = sorted(sets, key=len)
        return ordered[0].intersection(*ordered[1:]) if len(ordered) > 1 else ordered[0]

    def _compute(self) -> None:
        if self.sourceModel() is None:
            self._shown = []
            return
        if self._facets is None:
            self._build_facets()
        facets = self._facets
        assert facets is not None
        empty: set[int] = set()
        self._facet_sets = {f: facets[f].get(v, empty) for f, v in self._chosen().items()}
        self._others = None  # made when counts ask (``_rest_for``)
        accepted = self._intersect([*self._facet_sets.values(), *self._due_sets()])
        if self._text:
            # Row numbers from the text (already in source order), then the other filters.
            shown = self._text_positions()
            if accepted is not None:
                ids = self._align()[0]
                inside = accepted.__contains__
                shown = _rows_list(shown)
                shown = list(compress(shown, map(inside, map(ids.__getitem__, shown))))
            self._shown = shown
        elif accepted is None:
            self._shown = range(self._src.rowCount())  # no list of every row to make and free
        else:
            position = self._positions()
            self._shown = sorted(map(position.__getitem__, accepted))
        self._rest = {}

    # --- counts ---------------------------------------------------------------------------------

    def _rest_for(self, facet: str) -> set[int] | None:
        """Rows passing every filter but ``facet``'s (None: all rows)."""
        if facet not in self._rest:
            if self._others is None:
                self._others = self._other_sets()
            self._rest[facet] = self._intersect(
                [s for f, s in self._facet_sets.items() if f != facet] + self._others
            )
        return self._rest[facet]

    def counts_for(self, facet: str) -> dict[Any, int]:
        """How many rows each choice of ``facet`` would show with the other filters as they
        are (key None: "any"). Worked out on demand (a combo's list opening): the count of the
        choice in force is always ``rowCount()``, so a filter change computes no counts."""
        assert self._facets is not None
        rest = self._rest_for(facet)
        values = self._facets[facet]
        if rest is None:
            counts = {v: len(s) for v, s in values.items()}
            counts[None] = len(self._all)
        else:
            counts = {v: len(s & rest) for v, s in values.items()}
            counts[None] = len(rest)
        return counts

    def flag_count(self, facet: str) -> int:
        """Rows an on/off filter ("overdue", "due_soon") would show if ticked, the rest as is."""
        assert self._facets is not None
        if facet in self._facet_sets:
            return len(self._shown)  # ticked: the flagged rows passing the rest are those shown
        # Not ticked: the rows passing the rest are those shown; count the flagged among them
        # by row number (a keystroke makes no set of ids).
        flagged = self._flag_rows.get(facet)
        if flagged is None:
            position = self._positions()
            keys = self._facets[facet].get(True, set())
            flagged = self._flag_rows[facet] = set(map(position.__getitem__, keys))
        if len(self._shown) == self._src.rowCount():
            return len(flagged)
        if isinstance(self._shown, list):
            return len(flagged.intersection(self._shown))
        # A numpy array (``TextIndex``): the flagged rows' mask read at the rows shown, in C.
        mask = self._flag_masks.get(facet)
        if mask is None:
            import numpy as np  # loaded already: the array shown is numpy's

            mask = self._flag_masks[facet] = np.zeros(self._src.rowCount(), dtype=bool)
            mask[list(flagged)] = True
        return int(mask[self._shown].sum())

    def refilter(self) -> None:
        self.beginResetModel()
        self._compute()
        self.endResetModel()

    # --- the proxy ------------------------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not 0 <= row < len(self._shown):
            return None  # also an invalid index (row -1)
        source = self._src
        return source.cell(source._rows[self._shown[row]], index.column(), role)

    # --- helpers --------------------------------------------------------------------------------

    def shown_rows(self) -> list[TrackerRow]:
        source = self._source()
        return [source.row_at(n) for n in _rows_list(self._shown)]

    def proxy_row_of(self, action_id: uuid.UUID) -> int:
        source_row = self._source().row_of(action_id)
        if source_row < 0:
            return -1
        index = self.mapFromSource(self._source().index(source_row, 0))
        return index.row() if index.isValid() else -1

    def filters_in_force(self) -> int:
        return len(self._chosen()) + bool(self._text) + len(self._due_sets())


def _rows_list(rows: Any) -> list[int]:
    """Row numbers as a list of Python ints (a numpy array's ``tolist``, a list as it is)."""
    return (
        rows if isinstance(rows, list) else list(rows) if isinstance(rows, range) else rows.tolist()
    )


def count_label(text: str, count: int | None) -> str:
    """ "Open (1,234)": a filter choice with its count."""
    return text if count is None else f"{text} ({count:,})"
