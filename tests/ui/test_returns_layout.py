"""The Returns page's monthly return on a coordinator's laptop (journey 12): a 1366x768 screen
less a Windows taskbar leaves the window 1366x728. The month's figures all show without
scrolling, the privacy review's parts are as tall as what they hold, the locality and the month
are chosen on one line, the Export button is in view, and Tab walks the page in reading order.

Over the small demo data, with what Gareth Hughes (a service user) said at a Coventry meeting
of February 2025 typed in: the return's privacy review lists each piece (his name is hidden).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

from coordinator_app.core import meetings, people
from coordinator_app.core.db import Database
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.rules import Month
from coordinator_app.core.vocab import AttendanceStatus, Category, ExperienceKind, MeetingStatus
from coordinator_app.ui.main_window import PAGE_RETURNS, MainWindow
from coordinator_app.ui.privacy_review import LIST_ROWS, REWORD_LINES
from coordinator_app.ui.views.returns import TAB_RETURN, ReturnsPage
from tests.ui.test_mnemonics import clashes

#: The window on a 1366x768 laptop with the Windows taskbar (40 pixels) along the bottom.
LAPTOP = (1366, 728)


#: What was said, one piece each for the privacy review.
SAID = [f"Gareth said the crisis line rang out {n} times." for n in range(2, 10)]


@pytest.fixture
def said(demo_db: Database) -> Callable[..., None]:
    """``said(texts, locality="Coventry")``: a meeting held on 26 February 2025 in the
    locality's first forum, Gareth Hughes present, an experience item for each text."""

    def add(texts: list[str], locality: str = "Coventry") -> None:
        place = next(r for r in meetings.list_localities(demo_db) if r.name == locality)
        forum = next(f for f in meetings.list_forums(demo_db) if f.locality_id == place.id)
        meeting = meetings.create_meeting(
            demo_db,
            MeetingInput(
                forum_id=forum.id,
                meeting_date=Month(2025, 2).first.replace(day=26),
                status=MeetingStatus.HELD,
            ),
        )
        gareth = people.create_participant(
            demo_db, people.ParticipantInput(name="Gareth Hughes", category=Category.SERVICE_USER)
        )
        meetings.set_attendance(demo_db, meeting, gareth, AttendanceStatus.PRESENT)
        for text in texts:
            meetings.add_experience(
                demo_db, meeting, ExperienceInput(ExperienceKind.CONCERN, summary=text)
            )

    return add


def _settle() -> None:
    """Let a new size hint go up the nested layouts (each step is a posted event)."""
    for _ in range(4):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def _in_window(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _returns_window(qtbot, ctx, locality: str = "Coventry") -> tuple[MainWindow, ReturnsPage]:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*LAPTOP)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(PAGE_RETURNS)
    page = window.page(PAGE_RETURNS)
    assert isinstance(page, ReturnsPage)
    page.tabs.setCurrentIndex(TAB_RETURN)
    index = page.locality_combo.findText(locality)
    page.locality_combo.setCurrentIndex(index)
    _settle()  # the layout the new figures and review asked for
    return window, page


def test_the_whole_month_end_fits_a_laptop_window(qtbot, demo_ctx, said) -> None:
    said(SAID)
    window, page = _returns_window(qtbot, demo_ctx)
    panel = page.review_panel
    assert page.month() == Month(2025, 2)
    assert {i.text for i in panel.items()} >= set(SAID)  # the data is there
    # The window kept the laptop's size: nothing inside asked for more height than it has.
    assert (window.width(), window.height()) == LAPTOP

    # The Export button, whole, inside the window (it was pushed below the screen).
    export = _in_window(window, page.export_button)
    assert page.export_button.isVisible() and window.rect().contains(export), export
    assert export.bottom() < _in_window(window, window.statusBar()).top()

    # Every figure shows without scrolling (rows were spaced for lists of records: 23
    # measures needed a scroll bar), and the table is no taller than its rows.
    table = page.figures_table
    assert table.model().rowCount() == 23
    assert table.verticalScrollBar().maximum() == 0
    last = table.visualRect(table.model().index(22, 1))
    assert table.viewport().rect().contains(last)
    rows = table.horizontalHeader().height() + 23 * table.rowHeight(22)
    assert rows <= table.height() <= rows + 2 * table.frameWidth()
    # ... and no measure is cut short ("People involved in improvement pro…").
    measures = table.horizontalHeader().sectionSize(0)
    longest = max(
        table.fontMetrics().horizontalAdvance(table.model().index(r, 0).data()) for r in range(23)
    )
    assert measures > longest

    # The locality and the month on one line.
    line = {_in_window(window, w).center().y() for w in (page.locality_combo, page.month_edit)}
    assert max(line) - min(line) <= 4, line

    # The review's parts are as tall as what they hold: eight pieces show six rows then
    # scroll; a one-line piece gets a rewording box of two lines, not half the page.
    rows = panel.list.sizeHintForRow(0)
    assert panel.list.height() <= LIST_ROWS[1] * rows + 2 * panel.list.frameWidth() + 2
    assert panel.list.verticalScrollBar().maximum() > 0
    assert "\n" not in panel.editor.toPlainText()
    lines = panel.editor.fontMetrics().lineSpacing()
    assert panel.editor.height() < (REWORD_LINES[0] + 1) * lines + 20
    # The piece is shown whole (it does not scroll) in a box no taller than it needs.
    assert panel.piece_view.verticalScrollBar().maximum() == 0
    assert panel.piece_view.height() <= panel.piece_view.document().size().height() + lines + 8


def test_the_rewording_box_grows_with_what_is_typed_up_to_its_most(qtbot, demo_ctx, said) -> None:
    said(SAID[:1])
    _window, page = _returns_window(qtbot, demo_ctx)
    editor = page.review_panel.editor
    short = editor.height()
    editor.setPlainText("\n".join(f"Line {n}" for n in range(4)))
    _settle()
    four = editor.height()
    assert four > short
    editor.setPlainText("\n".join(f"Line {n}" for n in range(40)))
    _settle()
    assert editor.height() > four
    assert editor.height() < (REWORD_LINES[1] + 1) * editor.fontMetrics().lineSpacing() + 20
    assert editor.verticalScrollBar().maximum() > 0  # the rest scrolls


def test_a_long_piece_is_shown_in_a_taller_box_than_a_short_one(qtbot, demo_ctx, said) -> None:
    """An experience summary of several sentences shows in a taller box than a one-line one
    (up to its most, then it scrolls), and the Export button stays in view."""
    long_text = " ".join(
        ["Gareth said the crisis line rang out three times before anyone answered."] * 6
    )
    said([SAID[0], long_text], "Rugby")
    _window, page = _returns_window(qtbot, demo_ctx, "Rugby")
    panel = page.review_panel
    rows = {item.text: row for row, item in enumerate(panel.items())}
    assert long_text in rows
    panel.list.setCurrentRow(rows[SAID[0]])
    _settle()
    short = panel.piece_view.height()
    panel.list.setCurrentRow(rows[long_text])
    # The new height goes up the nested layouts by posted events: wait for it.
    qtbot.waitUntil(lambda: panel.piece_view.height() > short)
    assert panel.piece_view.verticalScrollBar().maximum() > 0  # more than ten lines: scrolls
    assert panel.editor.height() > panel.editor.fontMetrics().lineSpacing() * REWORD_LINES[0] + 8
    window = page.window()
    export = _in_window(window, page.export_button)
    assert window.rect().contains(export)


def _tab(qtbot, backwards: bool = False) -> QWidget:
    """Tab (or Shift+Tab) until the focus moves on: the month box takes one Tab to go from its
    month to its year, as Qt's date boxes do."""
    before = QApplication.focusWidget()
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    modifier = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), key, modifier)
        if QApplication.focusWidget() is not before:
            break
    assert QApplication.focusWidget() is not before, f"Tab stays in {before.accessibleName()}"
    return QApplication.focusWidget()


def test_tab_walks_the_monthly_return_in_reading_order(qtbot, demo_ctx, said) -> None:
    """From the tab bar: the locality and the month (left to right), the figures, then the
    review beside them (the pieces, the piece, the rewording and its Save), then Export; every
    control reached once, and Shift+Tab walks it back. Each Alt letter reaches one place."""
    said(SAID)
    window, page = _returns_window(qtbot, demo_ctx)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel = page.review_panel
    expected = [
        page.locality_combo,
        page.previous_button,
        page.month_edit,
        page.next_button,
        page.figures_table,
        panel.list,
        panel.piece_view,
        panel.editor,
        panel.save_button,
        page.export_button,
    ]
    page.tabs.tabBar().setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(page.tabs.tabBar().hasFocus)
    walked = [_tab(qtbot) for _ in expected]
    assert [w.accessibleName() for w in walked] == [w.accessibleName() for w in expected]
    assert walked == expected
    # Reading order on the screen: each control is right of the one before on its line, or on
    # a line below, or (the review) in the column to the right of the figures.
    spots = [_in_window(window, w) for w in walked]
    for before, after in itertools.pairwise(spots):
        assert after.top() >= before.top() - 4 or after.left() > before.right(), (before, after)
    back = [_tab(qtbot, backwards=True) for _ in expected[:-1]]
    assert back == list(reversed(expected[:-1]))
    assert clashes(window) == {}
