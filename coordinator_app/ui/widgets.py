"""Small shared widgets and helpers for forms: typed dates, times and pounds, errors shown at the
field, a search box that filters as you type, and the one confirmation function tests patch.

Pitfalls:
- The boxes parse with ``core.parsing`` (``parse_date``, ``parse_time``, ``parse_pounds``, kept
  importable from here), the very functions the import workbook uses, so a value a box takes
  the import takes too. They raise ``ValueError`` (``ParseError``) with a sentence fit to show
  beside the field; forms catch it and show it through ``FormErrors`` exactly like a core
  ``ValidationError``.
- ``confirm`` and ``inform`` are looked up on this module at call time (``widgets.confirm(...)``)
  so that ``monkeypatch.setattr(widgets, "confirm", ...)`` answers them in tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, time, timedelta
from typing import NamedTuple, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtGui import QGuiApplication, QHelpEvent, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..core.parsing import format_pounds, parse_date, parse_pounds, parse_time
from . import focus

# The questions live in ``questions``; the app calls them as ``widgets.confirm`` and so on, where
# the tests answer them (tests/ui/conftest.py).
from .questions import (  # noqa: F401
    KEEP_EDITING_TEXT,
    RELOAD_TEXT,
    ask_choice,
    ask_conflict,
    choice_box,
    confirm,
    inform,
)

#: Any widget: ``FormErrors.add_row`` hands back the widget it was given, as its own type.
W = TypeVar("W", bound=QWidget)

#: NHS error red; always paired with a sentence (never colour alone).
ERROR_COLOUR = focus.ERROR_COLOUR
INVALID_STYLE = f"border: 2px solid {ERROR_COLOUR};"
DATE_HINT = "day/month/year, e.g. 14/03/2025"

# --- parsing: the core's parsers, the same whichever door a value comes in by ---------------------


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_time(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


# --- widgets -------------------------------------------------------------------------------------


class DateEdit(QLineEdit):
    """A line edit that accepts a typed date (``core.parsing.parse_date``) and may be left empty.

    Up/Down move the date by a day, Page Up/Down by a week (from today when empty). ``value()``
    raises ``ValueError`` for text that is not a date, so the form can show it at the field.
    """

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.setPlaceholderText("dd/mm/yyyy")
        self.setToolTip(f"Type a date as {DATE_HINT}, or 'today'. Up and Down change it by a day.")
        # No clear button: its fade animation outlived a dialog closed just after a date was
        # typed or filled in, and Qt's animation timer then crashed the app (a segmentation
        # fault in QUnifiedTimer, reproduced 5 times in 6 by test_dialog_drafts, none without
        # it). Select and delete, or type over, clears a date as well.

    def value(self) -> date | None:
        return parse_date(self.text(), today=self._today)

    def set_value(self, value: date | None) -> None:
        self.setText(format_date(value))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Up: 1,
            Qt.Key.Key_Down: -1,
            Qt.Key.Key_PageUp: 7,
            Qt.Key.Key_PageDown: -7,
        }
        step = steps.get(Qt.Key(event.key()))
        if step is None:
            super().keyPressEvent(event)
            return
        try:
            current = self.value() or self._today or date.today()
        except ValueError:
            current = self._today or date.today()
        self.set_value(current + timedelta(days=step))
        self.editingFinished.emit()


class TimeEdit(QLineEdit):
    """A line edit for an optional time of day (``core.parsing.parse_time``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("hh:mm")
        self.setToolTip("Type a time such as 18:30 or 6.30pm; leave empty if not known.")

    def value(self) -> time | None:
        return parse_time(self.text())

    def set_value(self, value: time | None) -> None:
        self.setText(format_time(value))


class PoundsEdit(QLineEdit):
    """A line edit for an amount in pounds, kept as whole pence (``core.parsing.parse_pounds``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("0.00")
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def value(self) -> int:
        return parse_pounds(self.text())

    def set_value(self, pence: int) -> None:
        self.setText(format_pounds(pence))


class _Fitted(NamedTuple):
    """What ``RecordTable.fit_columns`` measured, kept to narrow again as the table resizes."""

    widths: dict[int, int]
    #: What each column needs to show its whole header (title, padding and the sort arrow).
    headers: dict[int, int]
    stretch: int | None
    fixed: set[int | None]
    em: int
    stretch_mode: bool  # the stretch column is in Stretch mode (not the stretched last one)


def fitting_cap(
    widths: list[int], available: int, *, floor: int, floors: list[int] | None = None
) -> int | None:
    """The largest width ``cap`` (at least ``floor``) such that the columns, each narrowed to
    at most ``cap``, fit in ``available``: the widest column's width when they fit already,
    None when even ``floor`` is too wide (the table will have to scroll sideways). Narrow
    columns keep their width: only the widest give way ("water-filling").

    ``floors`` gives each column a floor of its own as well (its header's width: a column is
    never narrowed below it, whatever the cap), so the width of column ``i`` at ``cap`` is
    ``min(widths[i], max(cap, floor, floors[i]))``."""
    own = floors or [0] * len(widths)

    def width_at(cap: int) -> int:
        return sum(min(w, max(cap, f)) for w, f in zip(widths, own, strict=True))

    if not widths or sum(widths) <= available:
        return max(widths, default=floor)
    if width_at(floor) > available:
        return None
    low, high = floor, max(widths)
    while low < high:
        middle = (low + high + 1) // 2
        if width_at(middle) <= available:
            low = middle
        else:
            high = middle - 1
    return low


class FoldingCompleter(QCompleter):
    """Completes a name from any part of it, forgiving as the lists' filters are: letter case,
    accents and apostrophes do not matter ("zoe" finds "Zoë Price", "oneill" finds "Siobhán
    O'Neill"). Both sides are folded (``models.table.fold``): each item's folded text is kept
    in ``SEARCH_ROLE`` (``fold_items`` after the items change) and the typed text is folded in
    ``splitPath``; choosing puts the item's own text in the box."""

    SEARCH_ROLE = Qt.ItemDataRole.UserRole + 7

    def __init__(self, model: QAbstractItemModel, parent: QObject | None = None) -> None:
        super().__init__(model, parent)
        self.setCompletionRole(self.SEARCH_ROLE)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseSensitive)  # both sides are folded
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.fold_items()

    def fold_items(self) -> None:
        """Fold every item's text into ``SEARCH_ROLE`` (call after the items change)."""
        from .models.table import fold

        model = self.model()
        for row in range(model.rowCount()):
            item = model.index(row, 0)
            model.setData(item, fold(str(item.data() or "")), self.SEARCH_ROLE)

    def splitPath(self, path: str) -> list[str]:
        from .models.table import fold

        return [fold(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


class SearchLineEdit(QLineEdit):
    """A filter box: filtering follows every keystroke (no debounce, the filter is in memory);
    Escape clears it. With ``lead_to(table)``, Down or Enter moves into the results (the first
    row chosen when none is), and a filter that leaves one row chooses it."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.setAccessibleName(placeholder)
        self._results: RecordTable | None = None

    def take_focus(self) -> bool:
        """Ctrl+F on a list page (``MainWindow.focus_find``): the keyboard into this box, its
        text chosen, when it is on screen. False when it is not (the window's find box
        takes it)."""
        if not self.isVisible():
            return False
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.selectAll()
        return True

    def lead_to(self, table: RecordTable) -> None:
        """The list this box filters (call once the page's own ``textChanged`` handler is
        connected: the one-row choice is made after the list has been filtered)."""
        self._results = table
        self.textChanged.connect(self._choose_a_lone_row)

    def _choose_a_lone_row(self, _text: str) -> None:
        table = self._results
        if table is not None and table.model() is not None and table.model().rowCount() == 1:
            table.select_row(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        table = self._results
        if (
            table is not None
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and table.model() is not None
            and table.model().rowCount() > 0
        ):
            if table.current_row() < 0:
                table.select_row(0)
            table.setFocus(Qt.FocusReason.TabFocusReason)
            return
        super().keyPressEvent(event)


class RecordTable(QTableView):
    """A read-only table of records: whole rows selected, Enter or double-click asks to open the
    current record (``openRequested``), Delete asks to delete it (``deleteRequested``); Tab
    leaves the table rather than walking its cells."""

    openRequested = Signal(int)  #: the current row of the view's model
    deleteRequested = Signal(int)

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: A fit asked for while hidden (``fit_columns``), done at the show event.
        self._pending_fit: tuple[int | None, dict[int, int] | None] | None = None
        #: The widths of the last fit, until the user sizes a column by hand.
        self._fitted: _Fitted | None = None
        self.setAccessibleName(accessible_name)
        self.setStyle(focus.plain_style(self))  # cells painted without a call into Python
        self.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setHighlightSections(False)
        self.doubleClicked.connect(lambda index: self.openRequested.emit(index.row()))

    #: How many rows ``fit_columns`` measures at most (``rows_to_fit``).
    FIT_SAMPLE = 100

    def rows_to_fit(self) -> int:
        """How many rows ``fit_columns`` measures, from the first one shown: a screenful, as
        many as the table could show were it as tall as its screen (at most ``FIT_SAMPLE``).
        The rows no window could show at once were most of the time the fitting took (25 to
        45 ms of the meetings list opening at sixteen times the large demo, issue #23)."""
        screen = self.screen()
        height = screen.availableGeometry().height() if screen is not None else 0
        row = max(1, self.verticalHeader().defaultSectionSize())
        return min(self.FIT_SAMPLE, height // row + 1) if height > 0 else self.FIT_SAMPLE

    def fit_columns(
        self, stretch_column: int | None = None, *, at_least: dict[int, int] | None = None
    ) -> None:
        """Size columns to their contents (the header and a screenful of rows from the first one
        shown, ``rows_to_fit``, so it stays quick with thousands), no wider than 24 ems
        (``at_least`` gives a column a width of its own as a floor), and let ``stretch_column``
        (else the last) take the spare width.

        When they would not all fit in the table's width, the widest (not ``stretch_column``,
        which keeps its own width up to 24 ems, nor those in ``at_least``) are narrowed to a
        common width, no narrower than 8 ems nor than their header, so that every column shows
        without scrolling sideways (a cell cut short shows all its text as its tooltip). When
        that is not enough, the stretch column gives way next, down to its own header's width;
        then the others are narrowed further, down to their headers: no header is cut while
        the headers fit ("Reference or kind" showed as "ference or ki" on the Projects page at
        1366x768 while its Text column kept 24 ems). When even the headers do not fit, the
        others are at 8 ems (or their header), the stretch column keeps its own width, and the
        table scrolls sideways. The narrowing follows the table's width as the window is
        resized, until the user sizes a column by hand.

        The widths are measured with the font metrics of the display text rather than with
        ``resizeColumnsToContents``, which asks the delegate for a size hint per cell (about ten
        ``data()`` calls each): with a Python model that was most of the time a long list took
        to open. Before the table is first shown its fonts are not final, so the fitting waits
        for the show event."""
        if not self.isVisible():
            self._pending_fit = (stretch_column, at_least)
            return
        self._pending_fit = None
        header = self.horizontalHeader()
        model = self.model()
        if model is None:
            return
        metrics = self.fontMetrics()
        header_metrics = header.fontMetrics()
        em = metrics.horizontalAdvance("M")
        widest = em * 24
        margin = 2 * (self.style().pixelMetric(self.style().PixelMetric.PM_FocusFrameHMargin) + 1)
        padding = margin + em // 2
        icon = self.iconSize().width() if self.iconSize().isValid() else 16
        first = max(self.rowAt(0), 0)
        rows = range(first, min(model.rowCount(), first + self.rows_to_fit()))
        display = Qt.ItemDataRole.DisplayRole
        decoration = Qt.ItemDataRole.DecorationRole
        widths: dict[int, int] = {}
        headers: dict[int, int] = {}
        for column in range(header.count()):
            if header.isSectionHidden(column):
                continue
            title = model.headerData(column, Qt.Orientation.Horizontal, display)
            # Room for the title and the sort arrow.
            width = header_metrics.horizontalAdvance(str(title or "")) + padding + em
            headers[column] = width
            texts = {model.index(row, column).data(display) for row in rows}
            texts.discard(None)
            if texts:
                width = max(width, max(metrics.horizontalAdvance(str(t)) for t in texts) + padding)
            if rows and model.index(first, column).data(decoration) is not None:
                width += icon + 4
            widths[column] = max(min(width, widest), (at_least or {}).get(column, 0))
        stretch_mode = stretch_column is not None
        if stretch_column is not None:
            header.setStretchLastSection(False)
        elif header.count():
            stretch_column = header.count() - 1  # the last section stretches
        fixed = set(at_least or ()) | {stretch_column}
        headers = {c: min(w, widths[c]) for c, w in headers.items()}  # 24 ems at most
        self._fitted = _Fitted(widths, headers, stretch_column, fixed, em, stretch_mode)
        self._apply_fit()
        if not getattr(self, "_watching_header", False):
            self._watching_header = True
            header.sectionResized.connect(self._section_resized)

    def _apply_fit(self) -> None:
        fitted = getattr(self, "_fitted", None)
        if fitted is None:
            return
        widest, floor = fitted.em * 24, fitted.em * 8
        room = self.viewport().width() - sum(
            fitted.widths.get(c, 0) for c in fitted.fixed if c != fitted.stretch
        )
        stretch_own = min(fitted.widths.get(fitted.stretch, 0), widest)  # type: ignore[arg-type]
        stretch_header = fitted.headers.get(fitted.stretch, 0)  # type: ignore[arg-type]
        columns = [c for c in fitted.widths if c not in fitted.fixed]
        widths = [fitted.widths[c] for c in columns]
        headers = [fitted.headers[c] for c in columns]
        at_floor = sum(min(w, max(floor, h)) for w, h in zip(widths, headers, strict=True))
        stretch = stretch_own
        cap = fitting_cap(widths, room - stretch_own, floor=floor, floors=headers)
        if cap is None and room - at_floor >= stretch_header:
            # The stretch column gives way, down to its header, before any header is cut.
            stretch, cap = room - at_floor, floor
        elif cap is None:
            # Then the others, down to their headers (their cells cut short, tooltips).
            stretch = stretch_header
            cap = fitting_cap(widths, room - stretch_header, floor=0, floors=headers)
        # Too narrow even for the headers: every column at 8 ems or its header, the stretch
        # column at its own width (not squeezed to nothing), and the table scrolls sideways.
        squeezed = cap is None
        if squeezed:
            stretch = stretch_own
        header = self.horizontalHeader()
        self._fitting = True
        try:
            for column, width in fitted.widths.items():
                if column == fitted.stretch:
                    if fitted.stretch_mode:
                        mode = (
                            header.ResizeMode.Interactive if squeezed else header.ResizeMode.Stretch
                        )
                        header.setSectionResizeMode(column, mode)
                    # It takes what is left; a stretched last section never shrinks below the
                    # width it was given, so it is given no more than was kept for it.
                    header.resizeSection(column, stretch)
                    continue
                if column in fitted.fixed:
                    header.resizeSection(column, width)
                    continue
                limit = floor if cap is None else cap
                header.resizeSection(column, min(width, max(limit, fitted.headers[column])))
        finally:
            self._fitting = False

    def sized_by_hand(self) -> bool:
        """The user has sized a column since the last ``fit_columns`` (which would undo it)."""
        return getattr(self, "_watching_header", False) and self._fitted is None

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        fitted = getattr(self, "_fitted", None)
        if fitted is None or getattr(self, "_fitting", False) or column == fitted.stretch:
            return
        self._fitted = None  # sized by hand: the user's widths stay from here on

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._apply_fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        pending = getattr(self, "_pending_fit", None)
        if pending is not None:
            stretch_column, at_least = pending
            self.fit_columns(stretch_column, at_least=at_least)

    def viewportEvent(self, event: QEvent) -> bool:
        """A cell whose text is cut short shows all of it as its tooltip (unless the model
        gives a tooltip of its own)."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.indexAt(event.pos())
            text = index.data(Qt.ItemDataRole.DisplayRole) if index.isValid() else None
            if text and index.data(Qt.ItemDataRole.ToolTipRole) is None:
                cell = self.visualRect(index)
                margin = self.fontMetrics().horizontalAdvance("M") // 2
                if self.fontMetrics().horizontalAdvance(str(text)) + margin > cell.width():
                    QToolTip.showText(event.globalPos(), str(text), self.viewport(), cell)
                    return True
        return super().viewportEvent(event)

    def current_row(self) -> int:
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().isRowSelected(index.row()):
            return -1
        return index.row()

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model().rowCount():
            self.selectRow(row)
            self.setCurrentIndex(self.model().index(row, 0))
            self.scrollTo(self.model().index(row, 0))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_row() >= 0:
            self.openRequested.emit(self.current_row())
            return
        if key == Qt.Key.Key_Delete and self.current_row() >= 0:
            self.deleteRequested.emit(self.current_row())
            return
        super().keyPressEvent(event)


class FocusScrollArea(QScrollArea):
    """A scroll area that is not a Tab stop itself and brings the control that takes the
    keyboard focus inside it into view.

    Qt makes every scroll area a Tab stop of its own, with no name and no focus shown (a screen
    reader said nothing, a sighted user saw nothing), and Tab onto a control below the visible
    part (Home's charts) left it out of sight. A control focused by a click is not scrolled to
    (it is in view already, and a jump under the mouse would surprise)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    @Slot(QWidget, QWidget)
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        content = self.widget()
        if new is None or content is None or not content.isAncestorOf(new):
            return
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            return
        # Not ensureWidgetVisible: it shows a widget's input-method cursor rectangle when it
        # has one, and a chart's (a graphics view's) is a point at its corner.
        margin = self.fontMetrics().lineSpacing()
        shown = QRect(new.mapTo(content, QPoint(0, 0)), new.size())
        shown.adjust(-margin, -margin, margin, margin)
        for bar, start, length, room in (
            (self.verticalScrollBar(), shown.top(), shown.height(), self.viewport().height()),
            (self.horizontalScrollBar(), shown.left(), shown.width(), self.viewport().width()),
        ):
            if length > room or start < bar.value():
                bar.setValue(start)  # too big to show whole: its start
            elif start + length > bar.value() + room:
                bar.setValue(start + length - room)


class FocusOutWatcher(QObject):
    """Emits ``focusLost`` when the watched widget loses focus (QPlainTextEdit has no
    ``editingFinished``; this is how its text gets saved on leaving the field)."""

    focusLost = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.focusLost.emit()
        return False


def plain_text_edit(accessible_name: str, *, lines: int = 4) -> QPlainTextEdit:
    """A multi-line text box where Tab moves on (rather than typing a tab)."""
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setAccessibleName(accessible_name)
    height = edit.fontMetrics().lineSpacing() * lines + 12
    edit.setMinimumHeight(height)
    return edit


def fill_combo(combo: QComboBox, items: Iterable[tuple[str, object]], *, keep: bool = True) -> None:
    """Replace a combo's items with ``(text, data)`` pairs, keeping the current data if it is
    still there."""
    current = combo.currentData() if keep else None
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    index = find_data(combo, current) if current is not None else -1
    combo.setCurrentIndex(max(index, 0) if combo.count() else -1)
    combo.blockSignals(False)


def find_data(combo: QComboBox, data: object) -> int:
    """The index of the item holding ``data``, or -1. Compared in Python: ``QComboBox.findData``
    does not compare Python objects (UUIDs) reliably."""
    for index in range(combo.count()):
        if combo.itemData(index) == data:
            return index
    return -1


def select_data(combo: QComboBox, data: object) -> None:
    index = find_data(combo, data)
    if index >= 0:
        combo.setCurrentIndex(index)


def one_line_summary(text: str, limit: int = 70) -> str:
    """``text`` on one line, cut at a word with "…" past ``limit`` characters (for a choice)."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    return line[: limit - 1].rsplit(" ", 1)[0] + "…"


def as_rich_text(text: str) -> str:
    """``text`` to put inside a label's rich text, its ``&``, ``<`` and ``>`` escaped. Not
    ``html.escape``: importing ``html`` builds its table of every named character, about 3 ms
    on the way to Home (issue #23)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def suggest(edit: QLineEdit, words: list[str]) -> QCompleter:
    """Offer ``words`` (already written elsewhere: owners, themes, services) as ``edit`` is
    typed in: any part of a word, any letter case. Free text stays allowed."""
    completer = QCompleter(words, edit)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    edit.setCompleter(completer)
    return completer


#: Room left around a window fitted to the screen (its frame and the taskbar's shadow).
SCREEN_MARGIN = 40


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Give ``window`` the size it asks for, or the screen's available area less a margin when
    that is smaller (a laptop's 1366x768 with a taskbar: the main window at 1200x800 put its
    status bar below the screen), and keep it on that screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    room = screen.availableGeometry()
    w = min(width, room.width() - SCREEN_MARGIN)
    h = min(height, room.height() - SCREEN_MARGIN)
    window.resize(max(w, 320), max(h, 240))
    frame = window.frameGeometry()
    frame.moveCenter(room.center())
    window.move(frame.topLeft())


class EnterOnly(QObject):
    """Enter (or Return) in ``widget`` emits ``pressed`` and goes no further: a dialog's default
    button does not also take it. For a box whose Enter does its own thing (a progress note's
    Add) inside a dialog with a Save button."""

    pressed = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.pressed.emit()
            return True
        return super().eventFilter(watched, event)


class FormErrors:
    """Shows validation problems at their fields: a red border plus the sentence in a label under
    the field (readable text; the colour only repeats it). ``problems`` use the core's field
    names (``ValidationError.problems``) or the UI's own for parse errors.

    Build a form with ``add_row(form, label_text, field_name, widget)``: it makes the label (with
    its buddy and mnemonic), the error label, and the accessible name (a description for a
    label showing a value: Qt reads a label's name instead of its text).
    """

    def __init__(self) -> None:
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}

    def add_row(self, form: QFormLayout, label_text: str, name: str | None, widget: W) -> W:
        label = QLabel(label_text)
        label.setBuddy(widget)
        said = label_text.replace("&", "")
        if isinstance(widget, QLabel):
            # A value shown (a locality that cannot change): its text is what must be heard;
            # a name would be read instead of it (issue #24). The row's label says what it is.
            widget.setAccessibleDescription(said)
        elif not widget.accessibleName():
            widget.setAccessibleName(said)
        if name is None:
            form.addRow(label, widget)
            return widget
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        error = self.error_label()
        box.addWidget(error)
        form.addRow(label, holder)
        self.register(name, widget, error)
        return widget

    def register(self, name: str, widget: QWidget, error: QLabel) -> None:
        """``widget``'s problems show in ``error``; once its value changes they go (the next
        save checks again): a name typed after "Please give the participant's name" is not
        still called wrong in red."""
        self._fields[name] = (widget, error)
        for changed in _edited_signals(widget):
            changed.connect(lambda *_: self._edited(name))

    def _edited(self, name: str) -> None:
        if name in self._fields and self._fields[name][0].property("invalid"):
            self.clear(name)

    def add_pair(
        self,
        form: QFormLayout,
        label: QLabel,
        first: tuple[str, QWidget],
        between: QWidget,
        second: tuple[str, QWidget],
        stretch: tuple[int, int] = (1, 1),
    ) -> None:
        """Two fields on one row of ``form`` ("Email [..] Phone [..]", "Start and end time
        [..] to [..]"), ``between`` them, each with its problem under it; ``label`` (its buddy
        the first) heads the row."""
        row = QWidget()
        grid = QGridLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        for column, (name, widget) in ((0, first), (2, second)):
            error = self.error_label()
            grid.addWidget(widget, 0, column)
            grid.addWidget(error, 1, column)
            grid.setColumnStretch(column, stretch[column // 2])
            self.register(name, widget, error)
        grid.addWidget(between, 0, 1)
        label.setBuddy(first[1])
        form.addRow(label, row)

    @staticmethod
    def error_label() -> QLabel:
        error = QLabel()
        error.setWordWrap(True)
        focus.show_as_error(error, True)  # red and bold, with no style sheet
        error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        error.hide()
        return error

    def show(
        self, problems: dict[str, str], *, fallback: str | None = None, focus: bool = True
    ) -> None:
        """Show ``problems``; one for a field this form does not have goes to ``fallback`` (or
        the first field) so that no sentence is ever swallowed. ``focus`` moves the keyboard to
        the first problem (right after a Save button; wrong when saving on leaving a field,
        where it would trap the user in the field)."""
        self.clear()
        first: QWidget | None = None
        for name, sentence in problems.items():
            target = name if name in self._fields else (fallback or next(iter(self._fields), None))
            if target is None:
                continue
            widget, error = self._fields[target]
            text = f"Error: {sentence}"
            # The label is read by its text (every sentence, "Error: " first): a name would be
            # read instead of it.
            error.setText(text if error.isHidden() else f"{error.text()}\n{text}")
            error.show()
            # Said when the field is focused: every sentence shown at it, not the last alone.
            described = widget.accessibleDescription() if widget.property("invalid") else ""
            widget.setAccessibleDescription(f"{described} {sentence}".strip())
            widget.setProperty("invalid", True)
            widget.setStyleSheet(INVALID_STYLE)
            first = first or widget
        if focus and first is not None and first.isVisible():
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self, name: str | None = None) -> None:
        names = [name] if name is not None else list(self._fields)
        for key in names:
            if key not in self._fields:
                continue
            widget, error = self._fields[key]
            error.clear()
            error.hide()
            widget.setProperty("invalid", False)
            widget.setStyleSheet("")
            widget.setAccessibleDescription("")

    def message(self, name: str) -> str:
        """The sentence shown at ``name`` ("" when none): tests and screen readers read it."""
        if name not in self._fields:
            return ""
        error = self._fields[name][1]
        return "" if error.isHidden() else error.text().removeprefix("Error: ")

    def has_errors(self) -> bool:
        return any(not error.isHidden() for _, error in self._fields.values())


def say_more(control: QAbstractButton, words: str) -> None:
    """``words`` a screen reader says of ``control`` (a button, a tick box), its accessible name
    kept in line with what it shows (WCAG 2.5.3, label in name: someone using speech input says
    what they see, and a count in the text is heard). Words that start with the shown text are
    its name ("Open" is "Open the selected participant"); others follow the text as its
    description ("Other activities", then "Involvement activities other than meetings"), the
    name left to Qt, which reads the text as it stands, so a count that changes stays in it.
    A control showing no text is named by them."""
    text = control.text()
    shown = shown_words(text)
    if shown and not words.casefold().startswith(shown.casefold()):
        # A name of its own only where the text has a symbol before its words ("← All
        # meetings" is "All meetings"): a name set would not follow a text that changes.
        symbol = not shown_words(text[:1]) and text[:1] != "&"
        control.setAccessibleName(shown if symbol else "")
        control.setAccessibleDescription(words)
    else:
        control.setAccessibleName(words)


def shown_words(text: str) -> str:
    """What a control's ``text`` says, as speech input would say it: no shortcut &, no symbol
    before the words (an arrow), no closing "…", spaces as one."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    text = " ".join(text.split()).removesuffix("…").removesuffix("...")
    return re.sub(r"^[^\w(]+", "", text).strip()


def _edited_signals(widget: QWidget) -> list[SignalInstance]:
    """The signals that say the user changed ``widget``'s value (typing or a choice; a line
    edit's ``textEdited``, not a value set by the code), none for a widget of another kind."""
    if isinstance(widget, QLineEdit):
        return [widget.textEdited]
    if isinstance(widget, QComboBox):
        line = widget.lineEdit()
        return [widget.activated] + ([line.textEdited] if line is not None else [])
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return [widget.textChanged]
    if isinstance(widget, QAbstractButton):
        return [widget.toggled]
    if isinstance(widget, QDateTimeEdit):
        return [widget.dateTimeChanged]
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return [widget.valueChanged]
    return []


def add_filter(
    grid: QGridLayout,
    row: int,
    column: int,
    text: str,
    widget: QWidget,
    name: str | None = None,
    span: int = 1,
) -> None:
    """Put a labelled filter control in a filter grid: the label (with its mnemonic) is the
    control's buddy; ``name`` sets the accessible name where the label text is not enough."""
    label = QLabel(text)
    label.setBuddy(widget)
    if name:
        widget.setAccessibleName(name)
    grid.addWidget(label, row, column)
    grid.addWidget(widget, row, column + 1, 1, span)


def fit_list_rows(widget: QListWidget, least: int, most: int, *, shrink: bool = False) -> None:
    """Make ``widget`` as tall as its rows, from ``least`` up to ``most`` (then it scrolls):
    three rows take three lines, not a fixed box of nine, so what follows moves up into view
    (Home's lists, the privacy review's pieces). Rows that wrap count at their own height.
    ``shrink``: that height is only the most, and the list gives way where the room runs out
    (in a dialog) rather than overlap what follows. Call it again after filling the list."""
    shown = max(least, min(widget.count(), most))
    heights = [widget.sizeHintForRow(r) for r in range(min(shown, widget.count()))]
    heights = [h for h in heights if h > 0] or [widget.fontMetrics().lineSpacing() + 4]
    heights += [heights[-1]] * (shown - len(heights))
    frame = 2 * widget.frameWidth() + 2
    if not shrink:
        widget.setFixedHeight(sum(heights) + frame)
        return
    widget.setMaximumHeight(sum(heights) + frame)
