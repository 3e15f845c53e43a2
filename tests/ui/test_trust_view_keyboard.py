"""The Trust view (ui/views/trust_view.py) as a laptop shows it (1366x768) and as the keyboard
walks it: the measures by locality fit the width with every header whole (empty or not), each
short header's full meaning its tooltip and accessible description; Tab goes from the tab bar
through the tables, the targets, "You said, we did", the kept returns, the group's summary and
"Save Board report…" and back to the tab bar, reaching every control, trapped nowhere, and the
mnemonics on the tab are unique; the Consolidate tab beside it is walked the same way."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QTabWidget,
    QWidget,
)

from coordinator_app.core import kept_returns
from coordinator_app.core.board import Target
from coordinator_app.core.board_report import LOCALITY_MEASURES
from coordinator_app.ui.main_window import PAGE_RETURNS, MainWindow
from coordinator_app.ui.views import returns as returns_view
from coordinator_app.ui.views import trust_view
from coordinator_app.ui.views.returns import ReturnFileRow
from coordinator_app.ui.views.trust_view import TrustView
from coordinator_app.ui.widgets import RecordTable
from tests.core.test_board import OCT, _returns


@pytest.fixture(autouse=True)
def _fresh_settings(own_settings, tmp_path, monkeypatch):
    ini = str(tmp_path / "settings.ini")
    monkeypatch.setattr(trust_view, "settings", lambda: QSettings(ini, QSettings.Format.IniFormat))


def _shown(qtbot, view: QWidget) -> None:
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)


def _heard(widget: QWidget) -> str:
    """The name a screen reader is given: a button's own text when no name is set on it (its
    longer words are its description: ``widgets.say_more``)."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def _fits(table) -> list[str]:
    """The columns of ``table`` narrower than their header or a cell, and any sideways scroll."""
    header, problems = table.horizontalHeader(), []
    for column in range(header.count()):
        need = max(header.sectionSizeHint(column), table.sizeHintForColumn(column))
        if header.sectionSize(column) < need:
            title = " ".join(
                str(table.model().headerData(column, Qt.Orientation.Horizontal)).split()
            )
            problems.append(f"{title}: {header.sectionSize(column)} < {need}")
    if table.horizontalScrollBar().maximum() > 0:
        problems.append(f"scrolls sideways by {table.horizontalScrollBar().maximum()} px")
    return problems


def test_the_measures_by_locality_fit_a_laptop_with_every_header_whole(
    qtbot, demo_ctx, app_look
) -> None:
    empty = TrustView(demo_ctx)
    _shown(qtbot, empty)
    assert _fits(empty.places_table) == [] and _fits(empty.place_actions_table) == []
    view = TrustView(demo_ctx)
    _shown(qtbot, view)
    view.set_returns([r for r in _returns() if r.month.year == 2026])  # four over three months
    assert view.places_model.rowCount() == 5
    assert _fits(view.places_table) == [] and _fits(view.place_actions_table) == []
    view.trend_place_combo.setCurrentText("Avon")
    assert _fits(view.trend_table) == []


def test_a_short_header_says_its_full_meaning(qtbot, demo_ctx) -> None:
    view = TrustView(demo_ctx)
    _shown(qtbot, view)
    model, horizontal = view.places_model, Qt.Orientation.Horizontal
    change = next(
        c for c in range(model.columnCount()) if "last month" in model.headerData(c, horizontal)
    )
    assert model.headerData(change, horizontal) == "Change on\nlast month"
    meaning = model.headerData(change, horizontal, Qt.ItemDataRole.ToolTipRole)
    assert meaning.startswith("Attendances: the change from the month before")
    face = QAccessible.queryAccessibleInterface(view.places_table)
    headers = [face.child(i) for i in range(face.childCount())]
    cell = [h for h in headers if h.role() == QAccessible.Role.ColumnHeader][change]
    assert cell.text(QAccessible.Text.Name) == "Change on last month"
    assert cell.text(QAccessible.Text.Description) == meaning
    for column in range(model.columnCount()):
        assert model.headerData(column, horizontal, Qt.ItemDataRole.ToolTipRole)
    trend = view.trend_model
    assert [trend.headerData(c, horizontal) for c in (2, 3)] == [
        "Change on last month",
        "Change on a year ago",
    ]
    assert "same month a year before" in trend.headerData(
        3, horizontal, Qt.ItemDataRole.AccessibleDescriptionRole
    )


@pytest.fixture
def window(qtbot, ctx, place, app_look):
    """The Returns page's Trust view of kept returns and October's just consolidated (as
    "Consolidate…" gives them to it), with a target and a featured action, so that every
    control is enabled."""
    returns = [r for r in _returns() if r.month.year == 2026]
    kept_returns.keep(ctx.db, [r for r in returns if r.month != OCT])
    kept_returns.save_target(ctx.db, Target("Attendances", 10))
    kept_returns.feature(ctx.db, "Avon", "A-2", True)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


def _header_problems(table) -> list[str]:
    """A header's text (each line) wider than its section with its padding, and any sideways
    scroll of ``table``."""
    header, problems = table.horizontalHeader(), []
    metrics = header.fontMetrics()
    padding = 2 * header.style().pixelMetric(header.style().PixelMetric.PM_HeaderMargin) + 4
    for column in range(header.count()):
        title = str(table.model().headerData(column, Qt.Orientation.Horizontal))
        text = max(metrics.horizontalAdvance(line) for line in title.split("\n"))
        if text + padding > header.sectionSize(column):
            problems.append(f"{' '.join(title.split())}: {header.sectionSize(column)} px")
    if table.horizontalScrollBar().maximum() > 0:
        problems.append(f"scrolls sideways by {table.horizontalScrollBar().maximum()} px")
    if header.length() > table.viewport().width():  # the scroll bar's range may lag a layout
        problems.append(f"columns {header.length()} px wide in {table.viewport().width()} px")
    return problems


def test_in_the_main_window_every_table_shows_every_column_whole(qtbot, window) -> None:
    """At 1366x768 the page list beside it leaves the Trust view about 1130 pixels: the
    measures by locality, sixteen columns in one table, scrolled sideways there; in two, as
    in the Board report, every column and header shows."""
    window.show_page(PAGE_RETURNS)
    page = window.page(PAGE_RETURNS)
    view = page.findChild(TrustView)
    tabs = next(t for t in page.findChildren(QTabWidget) if t.indexOf(view) >= 0)
    view.keep_returns([r for r in _returns() if r.month == OCT])  # four localities, 3 months
    tabs.setCurrentWidget(view)
    qtbot.waitUntil(view.places_table.isVisible)
    assert view.places_model.rowCount() == 5
    assert view.places_table.width() < 1366 - 150  # the page list takes its share
    tables = view.findChildren(RecordTable)
    problems = {t.accessibleName(): _header_problems(t) for t in tables}
    assert {name: found for name, found in problems.items() if found} == {}
    assert view.places_table in tables and view.place_actions_table in tables
    # Each measure is in one of the two tables once, the actions in the Board report's words.
    horizontal = Qt.Orientation.Horizontal
    actions = view.place_actions_model
    assert [actions.headerData(c, horizontal) for c in range(actions.columnCount())] == [
        "Locality",
        *(header for _measure, header in LOCALITY_MEASURES[1]),
    ]
    assert view.places_model.columnCount() + actions.columnCount() == 16 + 1


def _long_named(returns: list) -> list:
    """``returns`` with Dorset called "North Warwickshire" and Avon's themes a long name, as a
    real trust's are."""
    import dataclasses

    changed = []
    for data in returns:
        if data.locality == "Dorset":
            data = dataclasses.replace(data, locality="North Warwickshire")
        if data.locality == "Avon":
            said = [(*row[:3], "Communication and information", *row[4:]) for row in
                    data.tables["Experience"]]  # fmt: skip
            data = dataclasses.replace(data, tables={**data.tables, "Experience": said})
        changed.append(data)
    return changed


def test_in_the_main_window_no_cell_is_cut_while_its_table_has_room(qtbot, window) -> None:
    """The exceptions ("North Warwic…") and what people said ("Communicati…") kept Qt's
    100-pixel columns beside a wide empty one at 1366x768: a table whose columns, each as wide
    as its header and cells, fit its width cuts no text."""
    window.show_page(PAGE_RETURNS)
    page = window.page(PAGE_RETURNS)
    view = page.findChild(TrustView)
    tabs = next(t for t in page.findChildren(QTabWidget) if t.indexOf(view) >= 0)
    view.keep_returns(_long_named([r for r in _returns() if r.month == OCT]))
    tabs.setCurrentWidget(view)
    qtbot.waitUntil(view.places_table.isVisible)
    assert any(e.locality == "North Warwickshire" for e in view.exceptions_model.rows())
    assert view.themes_model.rowCount() and view.highlights_model.rowCount()
    cut = {}
    for table in view.findChildren(RecordTable):
        header = table.horizontalHeader()
        need = sum(
            max(header.sectionSizeHint(c), table.sizeHintForColumn(c))
            for c in range(header.count())
        )
        if need <= table.viewport().width() and _fits(table):
            cut[table.accessibleName()] = _fits(table)
    assert cut == {}


def _tab(qtbot, backwards: bool = False) -> QWidget:
    before = QApplication.focusWidget()
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    modifier = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(before, key, modifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not before, timeout=2000)
    return QApplication.focusWidget()


def _reachable(view: QWidget) -> list[QWidget]:
    """The controls of ``view`` Tab should reach (enabled, shown, taking Tab focus)."""
    found = []
    for widget in view.findChildren(QWidget):
        if widget.focusProxy() is not None or not widget.isVisibleTo(view):
            continue
        if widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            found.append(widget)
    return found


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def _walk(qtbot, scope: QWidget, backwards: bool = False) -> tuple[list[QWidget], QWidget]:
    """Press Tab (Shift+Tab) from the focused control until the focus leaves ``scope``: the
    controls reached in ``scope``, in order, and where the focus went. Fails on a trap (a
    control reached twice) or a walk that never leaves."""
    walked: list[QWidget] = []
    while True:
        reached = _tab(qtbot, backwards)
        if not scope.isAncestorOf(reached):
            return walked, reached
        assert reached not in walked, f"Tab came back to {reached.accessibleName()}: a trap"
        walked.append(reached)
        assert len(walked) < 60, "Tab never leaves"


def _letters_used_twice(tabs: QTabWidget, scope: QWidget) -> dict[str, list[str]]:
    """The Alt letters given to more than one of ``tabs``' tabs and ``scope``'s buttons and
    labelled controls."""
    letters: dict[str, list[str]] = {}
    for index in range(tabs.count()):
        letter = _mnemonic(tabs.tabText(index))
        if letter:
            letters.setdefault(letter, []).append(f"tab {tabs.tabText(index)}")
    for widget in scope.findChildren(QWidget):
        text = widget.text() if isinstance(widget, QAbstractButton | QLabel) else ""
        letter = (
            _mnemonic(text)
            if isinstance(widget, QAbstractButton)
            or (isinstance(widget, QLabel) and widget.buddy() is not None)
            else None
        )
        if letter:
            letters.setdefault(letter, []).append(text)
    return {letter: used for letter, used in letters.items() if len(used) > 1}


def test_tab_walks_the_trust_view_reaching_every_control_and_trapped_nowhere(qtbot, window) -> None:
    window.show_page(PAGE_RETURNS)
    page = window.page(PAGE_RETURNS)
    view = page.findChild(TrustView)
    tabs = next(t for t in page.findChildren(QTabWidget) if t.indexOf(view) >= 0)
    view.keep_returns([r for r in _returns() if r.month == OCT])  # what "Consolidate…" does
    tabs.setCurrentWidget(view)
    assert view.picture is not None and view.picture.latest == OCT
    assert view.remove_target_button.isEnabled()
    bar = tabs.tabBar()
    bar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(bar.hasFocus)
    walked, _after = _walk(qtbot, view)
    names = [_heard(w) for w in walked]
    missed = [_heard(w) for w in _reachable(view) if w not in walked]
    assert missed == [], f"Tab never reaches {missed}; it went {names}"
    expected_order = [
        view.exceptions_table,
        view.month_combo,
        view.places_table,
        view.place_actions_table,
        view.themes_table,
        view.trend_measure_combo,
        view.trend_place_combo,
        view.trend_table,
        view.ratings_table,
        view.targets_table,
        view.measure_combo,
        view.direction_combo,
        view.value_spin,
        view.per_combo,
        view.add_target_button,
        view.remove_target_button,
        view.highlights_table,
        view.feature_button,
        view.kept_table,
        view.forget_button,
        view.narrative,
        view.save_button,
    ]
    # Each stop a control that shows its focus: no stop on the scroll area around them all.
    assert walked == expected_order, names
    # Back again, Shift+Tab walks it in reverse to the tab bar.
    view.save_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.save_button.hasFocus)
    backwards, reached = _walk(qtbot, view, backwards=True)
    assert backwards == list(reversed(walked[:-1]))
    assert reached is bar
    # Space ticks the chosen action to feature it, as on a check box, and again unticks it.
    view.highlights_table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.highlights_table.hasFocus)
    view.highlights_table.setCurrentIndex(view.highlights_model.index(0, 0))
    chosen = view.highlights_model.rows()[0].action.reference
    featured = {a.reference for a in view.picture.featured}
    qtbot.keyClick(view.highlights_table, Qt.Key.Key_Space)
    assert {a.reference for a in view.picture.featured} == featured ^ {chosen}
    assert view.highlights_table.hasFocus() and view.highlights_table.currentIndex().row() == 0
    qtbot.keyClick(view.highlights_table, Qt.Key.Key_Space)
    assert {a.reference for a in view.picture.featured} == featured
    # Mnemonics: one letter for one control on the tab (the page's tabs' own letters too).
    assert _letters_used_twice(tabs, view) == {}


def test_every_button_of_the_trust_view_has_its_own_alt_letter(qtbot, window) -> None:
    """Alt and the underlined letter press each button ("Add &target": Alt+T adds the new
    target), each letter once on the tab."""
    window.show_page(PAGE_RETURNS)
    page = window.page(PAGE_RETURNS)
    view = page.findChild(TrustView)
    tabs = next(t for t in page.findChildren(QTabWidget) if t.indexOf(view) >= 0)
    tabs.setCurrentWidget(view)
    qtbot.waitUntil(view.add_target_button.isVisible)
    buttons = [b for b in view.findChildren(QAbstractButton) if b.text()]
    assert {b.text(): _mnemonic(b.text()) for b in buttons if not _mnemonic(b.text())} == {}
    assert _letters_used_twice(tabs, view) == {}
    before = len(kept_returns.load_targets(window.ctx.db))
    view.month_combo.setFocus()
    qtbot.keyClick(view.month_combo, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(kept_returns.load_targets(window.ctx.db)) == before + 1)


def test_tab_walks_the_consolidate_tab_reaching_every_control_and_trapped_nowhere(
    qtbot, window, tmp_path
) -> None:
    """The engagement group's Consolidate tab, beside the Trust view it feeds: with returns
    chosen (one ready, one refused) and a consolidation saved, Tab goes from the tab bar
    through choosing the returns, the list, "Consolidate…" and "Open folder", then leaves;
    Shift+Tab walks it back to the tab bar; each control has a name and a letter of its own."""
    window.show_page(PAGE_RETURNS)
    page = window.page(PAGE_RETURNS)
    page.tabs.setCurrentIndex(returns_view.TAB_CONSOLIDATE)
    tab = page.tabs.currentWidget()
    page.set_return_files(
        [
            ReturnFileRow(tmp_path / "Return-Avon-2026-10.xlsx", "Avon", "2026-10", "Sam"),
            ReturnFileRow(tmp_path / "notes.xlsx", problem="notes.xlsx is not a return"),
        ]
    )
    page.open_consolidated_button.show()  # as after "Consolidate…" saved the workbook
    bar = page.tabs.tabBar()
    bar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(bar.hasFocus)
    walked, _after = _walk(qtbot, tab)
    names = [_heard(w) for w in walked]
    assert walked == [
        page.choose_folder_button,
        page.choose_files_button,
        page.clear_button,
        page.files_table,
        page.consolidate_button,
        page.open_consolidated_button,
    ], names
    missed = [_heard(w) for w in _reachable(tab) if w not in walked]
    assert missed == [], f"Tab never reaches {missed}; it went {names}"
    assert all(names) and len(set(names)) == len(names), names
    page.open_consolidated_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(page.open_consolidated_button.hasFocus)
    backwards, reached = _walk(qtbot, tab, backwards=True)
    assert backwards == list(reversed(walked[:-1]))
    assert reached is bar
    assert _letters_used_twice(page.tabs, tab) == {}
