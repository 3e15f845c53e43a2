"""Focus you can see and follow (issue #24 item 2).

- Every kind of control shows a ring at least 2 pixels thick, in a colour at 3:1 or more against
  the window and the fields, under a light palette, a dark one and a light one whose highlight
  is pale: measured on the screen's pixels (the control grabbed focused and not), so it holds
  whatever draws the ring. Buttons, check boxes and tabs showed no change at all; the fields'
  fixed NHS blue stood at 2.2:1 on a dark window.
- Tab from a page's tab bar goes into the page, and a screen reader meets the tabs before the
  page they show (Qt listed them last).
- A chart on Home focused by the keyboard is scrolled into view.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QColor, QImage, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QGraphicsView,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStyleFactory,
    QTableWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.exceptions import TimeoutError as WaitTimeout

from coordinator_app.ui import focus
from coordinator_app.ui.main_window import (
    PAGE_ACCREDITATION,
    PAGE_ACTIONS,
    PAGE_HOME,
    PAGE_RETURNS,
    MainWindow,
)
from coordinator_app.ui.widgets import RecordTable

ROLE = QPalette.ColorRole

#: A light system whose accent colour is pale (a yellow accent): its highlight is at 1.4:1.
PALE_ACCENT = {ROLE.Highlight: "#f5d76e"}


def _luminance(colour: QColor) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: QColor, second: QColor) -> float:
    """WCAG's contrast ratio, computed here (not the app's own function) to check it."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _palette(kind: str, dark: dict) -> QPalette:
    palette = QStyleFactory.create("Fusion").standardPalette()
    for role, colour in {"light": {}, "dark": dark, "pale accent": PALE_ACCENT}[kind].items():
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture(params=["light", "dark", "pale accent"])
def look(request, qapp: QApplication, app_look: None, dark_colours: dict) -> QPalette:
    """The app's look (its style, as at start-up), then the system's palette changes to
    ``param`` (a laptop going dark: the ring's colour is read from the palette as it paints)."""

    chosen = _palette(request.param, dark_colours)
    qapp.setPalette(chosen)
    return chosen


# --- the colour -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["light", "dark", "pale accent"])
def test_the_focus_colour_stands_out_3_to_1_from_the_window_and_the_fields(
    kind, dark_colours
) -> None:
    from coordinator_app.ui.focus import focus_colour

    palette = _palette(kind, dark_colours)
    colour = focus_colour(palette)
    for role in (ROLE.Window, ROLE.Base):
        assert contrast(colour, palette.color(role)) >= 3.0, (kind, role, colour.name())
    if kind != "pale accent":  # the system's own colour, when it is good enough
        assert colour == palette.color(ROLE.Highlight)


# --- the ring, on the screen ------------------------------------------------------------------


def _three_rows() -> QStandardItemModel:
    model = QStandardItemModel(3, 2)
    model.setHorizontalHeaderLabels(["Name", "When"])
    for row in range(3):
        for column in range(2):
            model.setItem(row, column, QStandardItem(f"cell {row}.{column}"))
    return model


def _panel() -> tuple[QWidget, dict[str, QWidget]]:
    panel = QWidget()
    layout = QVBoxLayout(panel)
    row = QHBoxLayout()
    layout.addLayout(row)
    made: dict[str, QWidget] = {
        "push button": QPushButton("&Save"),
        "check box": QCheckBox("Over&due now"),
        "radio button": QRadioButton("&Laptop"),
        "tool button": QToolButton(),
    }
    made["tool button"].setText("Tool")  # type: ignore[attr-defined]
    for widget in made.values():
        row.addWidget(widget)
    row.addStretch(1)
    combo = QComboBox()
    combo.addItems(["One", "Two"])
    items = QListWidget()
    items.addItems(["a", "b", "c"])
    table = QTableWidget(3, 2)
    table.setHorizontalHeaderLabels(["Name", "When"])
    records = RecordTable("Records")  # painted by plain Fusion (focus.plain_style)
    records.setModel(_three_rows())
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "&Tracker")
    tabs.addTab(QWidget(), "&You said")
    more: dict[str, QWidget] = {
        "line edit": QLineEdit(),
        "combo box": combo,
        "list": items,
        "table": table,
        "record table": records,
        "text box": QPlainTextEdit(),
        "chart (graphics view)": QGraphicsView(),
        "tab": tabs,
    }
    for widget in more.values():
        widget.setMaximumHeight(80)
        layout.addWidget(widget)
    made.update(more)
    return panel, made


def _runs(flags: list[bool]) -> list[int]:
    runs, length = [], 0
    for flag in [*flags, False]:
        if flag:
            length += 1
        elif length:
            runs.append(length)
            length = 0
    return runs


def _ring_problem(before: QImage, after: QImage, area: QRect, palette: QPalette) -> str | None:
    """How the focus shown in ``area`` falls short, or None. A pixel belongs to the ring when
    focusing changed it and it stands out 3:1 from both the window and the field colour; the
    middle row must cross the ring at least 2 pixels thick on the left and on the right, and
    the middle column at top and bottom."""
    window, base = palette.color(ROLE.Window), palette.color(ROLE.Base)

    def ring(x: int, y: int) -> bool:
        now, was = after.pixelColor(x, y), before.pixelColor(x, y)
        return (
            now != was
            and contrast(now, was) > 1.3
            and contrast(now, window) >= 3.0
            and contrast(now, base) >= 3.0
        )

    middle_y, middle_x = area.center().y(), area.center().x()
    row = [ring(x, middle_y) for x in range(area.left(), area.right() + 1)]
    column = [ring(middle_x, y) for y in range(area.top(), area.bottom() + 1)]
    half_row, half_column = len(row) // 2, len(column) // 2
    sides = {
        "left": row[:half_row],
        "right": row[half_row:],
        "top": column[:half_column],
        "bottom": column[half_column:],
    }
    thin = [side for side, flags in sides.items() if max(_runs(flags), default=0) < 2]
    return f"no ring 2 px thick at 3:1 on the {', '.join(thin)}" if thin else None


def test_every_kind_of_control_shows_a_ring_you_can_see(qtbot, look: QPalette) -> None:
    panel, made = _panel()
    qtbot.addWidget(panel)
    panel.resize(520, 760)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    outside = QLineEdit()  # the focus waits here between two controls
    outside.setParent(panel)
    outside.move(0, 740)
    outside.show()
    problems = {}
    for name, widget in made.items():
        target = widget.tabBar() if isinstance(widget, QTabWidget) else widget
        outside.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.waitUntil(outside.hasFocus)
        before = panel.grab().toImage()
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.waitUntil(target.hasFocus)
        after = panel.grab().toImage()
        if isinstance(widget, QTabWidget):
            area = widget.tabBar().tabRect(0)  # the current tab
        else:
            area = QRect(QPoint(0, 0), target.size())
        area = QRect(target.mapTo(panel, area.topLeft()), area.size()).adjusted(-3, -3, 3, 3)
        problem = _ring_problem(before, after, area, look)
        if problem:
            problems[name] = problem
    assert not problems, f"{len(problems)} of {len(made)} kinds of control: {problems}"


def test_a_record_tables_cells_are_painted_without_a_call_into_python(
    qtbot, monkeypatch, app_look
) -> None:
    """The lists' tables (``RecordTable``) are painted by Fusion itself: through the focus
    ring's style every cell called ``drawControl`` and ``drawPrimitive`` in Python, about 20 ms
    a repaint of the actions tracker, at every keystroke of its filter (issue #23)."""
    calls: list[str] = []
    for name in ("drawControl", "drawPrimitive"):
        original = getattr(focus.FocusRingStyle, name)

        def counted(self, *args, _original=original, _name=name):  # type: ignore[no-untyped-def]
            calls.append(_name)
            return _original(self, *args)

        monkeypatch.setattr(focus.FocusRingStyle, name, counted)
    records = RecordTable("Records")
    records.setModel(_three_rows())
    qtbot.addWidget(records)
    records.resize(300, 160)
    records.show()
    qtbot.waitExposed(records)
    records.viewport().grab()
    assert calls == []
    button = QPushButton("&Save")  # the ring's own controls still go through it
    qtbot.addWidget(button)
    button.show()
    qtbot.waitExposed(button)
    button.grab()
    assert "drawPrimitive" in calls


# --- the order of the keyboard and of a screen reader ---------------------------------------


pytestmark = pytest.mark.usefixtures("own_settings")


@pytest.fixture
def window(qtbot, ctx, place, app_look):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1366, 740)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


def _tab(qtbot, window, backwards: bool = False) -> QWidget:
    before = QApplication.focusWidget()
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    modifier = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(before, key, modifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not before)
    return QApplication.focusWidget()


@pytest.mark.parametrize("page", [PAGE_ACTIONS, PAGE_ACCREDITATION, PAGE_RETURNS])
def test_tab_goes_from_the_tab_bar_into_the_page_and_back(qtbot, window, page) -> None:
    window.show_page(page)
    tabs = window.page(page).findChildren(QTabWidget)[0]
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        shown = tabs.currentWidget()
        tabs.tabBar().setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(tabs.tabBar().hasFocus)
        first = _tab(qtbot, window)
        assert shown.isAncestorOf(first), (tabs.tabText(index), type(first).__name__)
        assert _tab(qtbot, window, backwards=True) is tabs.tabBar()


@pytest.mark.parametrize("page", [PAGE_ACTIONS, PAGE_ACCREDITATION, PAGE_RETURNS])
def test_a_screen_reader_meets_the_tabs_before_the_page_they_show(window, page) -> None:
    """What AT-SPI lists, in order, under a tab widget: the tab list first (Qt put it last, so
    reading down the page met every control of the page before the tabs that choose it)."""
    window.show_page(page)
    for tabs in window.page(page).findChildren(QTabWidget):
        face = QAccessible.queryAccessibleInterface(tabs)
        roles = [face.child(i).role() for i in range(face.childCount())]
        assert roles[0] == QAccessible.Role.PageTabList, roles


# --- following the focus ----------------------------------------------------------------------


def test_a_chart_focused_by_the_keyboard_on_home_is_scrolled_into_view(qtbot, window) -> None:
    """The window at its smallest (900x600): the charts start below what Home shows. Tab onto
    one scrolls Home until the whole chart shows (it went on out of sight)."""
    from PySide6.QtWidgets import QScrollArea

    window.resize(window.minimumSize())
    home = window.home
    window.show_page(PAGE_HOME)
    qtbot.waitUntil(
        lambda: home.charts.actions_plot is not None and home.charts.actions_plot.isVisible(),
        timeout=10_000,
    )
    QApplication.processEvents()  # the layout the charts asked for, before measuring
    chart = home.charts.attendance_plot
    viewport = home.findChild(QScrollArea).viewport()

    def span() -> tuple[int, int]:
        top = chart.mapTo(viewport, QPoint(0, 0)).y()
        return top, top + chart.height()

    assert span()[1] > viewport.height(), "the chart starts (at least partly) out of sight"
    chart.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(chart.hasFocus)
    try:
        qtbot.waitUntil(lambda: span()[0] >= 0 and span()[1] <= viewport.height())
    except WaitTimeout:
        raise AssertionError(f"chart at {span()} in a view {viewport.height()} high") from None


def test_tab_on_home_goes_from_the_projects_to_the_charts(qtbot, window) -> None:
    """The charts are made after the rest of the window (when they load): Tab went from Home's
    projects list up to the find box, and reached the charts only after it."""
    home = window.home
    window.show_page(PAGE_HOME)
    # Shown a moment after they are made (a layout shows a new widget by a queued call).
    qtbot.waitUntil(
        lambda: home.charts.actions_plot is not None and home.charts.actions_plot.isVisible(),
        timeout=10_000,
    )
    home.projects.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(home.projects.hasFocus)
    assert _tab(qtbot, window) is home.charts.attendance_plot
    assert _tab(qtbot, window) is home.charts.actions_plot
    assert _tab(qtbot, window, backwards=True) is home.charts.attendance_plot
    assert _tab(qtbot, window, backwards=True) is home.projects
