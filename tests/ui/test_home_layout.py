"""Home on a coordinator's laptop (journey 1): a 1366x768 screen less a Windows taskbar leaves
the window 1366x728. What the coordinator opens the app for (the next meetings, what needs
attention, this month so far) and the rest of the cards are in view without scrolling, whatever
the lists hold; the charts come whole with one scroll to the end; Tab reads the left column,
then the right, then the charts.

Over the small demo data (ending on 20 March 2025): five meetings planned, overdue actions.
"""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

from coordinator_app.ui.main_window import PAGE_HOME, MainWindow
from coordinator_app.ui.views.home import HomePage

LAPTOP = (1366, 728)


def _in(view: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(view, QPoint(0, 0)), widget.size())


def _cards(home: HomePage) -> list[QWidget]:
    """The cards above the charts, in reading order."""
    return [
        home.meetings_card,
        home.attention_card,
        home.month_card,
        home.accreditation_card,
        home.seldom_card,
        home.projects_card,
    ]


@pytest.fixture
def laptop(qtbot, demo_ctx) -> HomePage:
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.resize(*LAPTOP)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(PAGE_HOME)
    home = window.home
    qtbot.waitUntil(
        lambda: home.charts.actions_plot is not None and home.charts.actions_plot.isVisible(),
        timeout=10_000,
    )
    QApplication.processEvents()  # the layout the charts asked for, before measuring
    assert (window.width(), window.height()) == LAPTOP
    return home


def _fill_every_list(home: HomePage, rows: int = 20) -> None:
    """More rows in each list than it shows (a busy month): each then scrolls at its most."""
    for lists in (home.next_meetings, home.overdue, home.due, home.unpaid, home.projects):
        for n in range(rows):
            home._add(lists, f"Row {n} of a long list", uuid.uuid4(), "action")
        home._fit_rows(lists)
    QApplication.processEvents()


@pytest.mark.parametrize("busy", [False, True], ids=["demo", "every list full"])
def test_what_home_is_opened_for_is_in_view_without_scrolling(laptop, busy) -> None:
    home = laptop
    if busy:
        _fill_every_list(home)
    else:  # the demo's own lists are there
        assert home.next_meetings.count() == 5 and home.overdue.count() > 1
    view = home.scroll_area.viewport()
    assert home.scroll_area.verticalScrollBar().value() == 0
    for card in _cards(home):
        shown = _in(view, card)
        assert view.rect().contains(shown), f"{card.title.text()} at {shown} in {view.rect()}"
    # The month so far is beside the meetings and what needs attention (not under them).
    assert home.month_card.geometry().left() > home.meetings_card.geometry().right()
    assert home.attention_card.geometry().top() > home.meetings_card.geometry().bottom()


def test_the_charts_come_whole_with_one_scroll(laptop) -> None:
    home = laptop
    bar = home.scroll_area.verticalScrollBar()
    view = home.scroll_area.viewport()
    assert not view.rect().contains(_in(view, home.charts_card))  # below the fold at first
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    assert view.rect().contains(_in(view, home.charts_card))
    # Nothing is cut off inside the charts either: the month axis's label shows whole.
    for plot in (home.charts.attendance_plot, home.charts.actions_plot):
        axis = plot.getPlotItem().getAxis("bottom")
        label = axis.label.mapRectToScene(axis.label.boundingRect())
        shown = plot.mapFromScene(label).boundingRect()
        assert plot.viewport().rect().contains(shown), (shown, plot.viewport().rect())


def test_tab_reads_the_left_column_then_the_right_then_the_charts(qtbot, laptop) -> None:
    home = laptop
    window = home.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    expected = [
        home.locality,
        home.email_owners,
        home.next_meetings,
        home.overdue,
        home.due,
        home.unpaid,
        home.projects,
        home.charts.attendance_plot,
        home.charts.actions_plot,
    ]
    home.locality.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(home.locality.hasFocus)
    walked = [home.locality]
    for _ in expected[1:]:
        before = QApplication.focusWidget()
        qtbot.keyClick(before, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda before=before: QApplication.focusWidget() is not before)
        walked.append(QApplication.focusWidget())
    assert walked == expected
