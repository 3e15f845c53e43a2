"""The shell: navigation, menus and shortcuts, the find box, Home, About and remembered state."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence

from coordinator_app.core import actions
from coordinator_app.core.vocab import ActionLevel, MeetingStatus
from coordinator_app.ui.main_window import (
    KEY_GEOMETRY,
    KEY_PAGE,
    PAGE_HOME,
    PAGE_MEETINGS,
    PAGE_PARTICIPANTS,
    PAGE_RETURNS,
    PAGE_TITLES,
    MainWindow,
)
from coordinator_app.ui.views.home import ROLE_ID

pytestmark = pytest.mark.usefixtures("own_settings")


@pytest.fixture
def window(qtbot, ctx, place):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    return win


def test_every_page_is_reachable_from_the_navigation_and_the_view_menu(window, qtbot) -> None:
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == list(PAGE_TITLES)
    for index in range(len(PAGE_TITLES)):
        window.show_page(index)
        assert window.pages.currentIndex() == index
    shortcuts = {a.shortcut().toString() for a in window.actions()}
    for index in range(len(PAGE_TITLES)):
        assert f"Ctrl+{index + 1}" in shortcuts


def test_standard_shortcuts_are_wired(window) -> None:
    assert window.act_new_meeting.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.act_find.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert window.act_print.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    assert window.act_quit.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)


def test_ctrl_n_asks_for_a_new_meeting_on_the_meetings_page(window, monkeypatch) -> None:
    from coordinator_app.ui.dialogs import meeting_dialogs

    asked: list[object] = []
    monkeypatch.setattr(
        meeting_dialogs.NewMeetingDialog, "ask", classmethod(lambda cls, *a, **k: asked.append(a))
    )
    window.act_new_meeting.trigger()
    assert window.pages.currentIndex() == PAGE_MEETINGS
    assert len(asked) == 1


def test_find_focuses_the_box(window, qtbot) -> None:
    window.act_find.trigger()
    qtbot.waitUntil(window.find_box.hasFocus)


def test_find_lists_people_meetings_and_actions(
    window, qtbot, add_person, place, ctx, add_meeting_at
) -> None:
    add_person("Zoë Okafor", locality_id=place.locality_id)
    meeting_id = add_meeting_at(place.forum_id, date(2025, 3, 25), MeetingStatus.PLANNED)
    actions.raise_action(
        ctx.db,
        locality_id=place.locality_id,
        meeting_id=meeting_id,
        data=actions.ActionInput(
            title="Zoned parking for carers",
            detail="",
            owner="Estates",
            level=ActionLevel.LOCALITY,
            strategic_priority_id=None,
            raised_on=date(2025, 3, 1),
            due_on=None,
        ),
    )
    window.find_box.setText("zo")
    window._run_find()
    found = [window._find_model.item(i).text() for i in range(window._find_model.rowCount())]
    assert any(text.startswith("Person · Zoë Okafor") for text in found)
    assert any(text.startswith("Action · ") and "Zoned parking" in text for text in found)


def test_home_shows_next_meetings_and_overdue_actions(qtbot, ctx, place, add_meeting_at) -> None:
    # TODAY in the UI fixtures is 20 March 2025.
    add_meeting_at(place.forum_id, date(2025, 3, 25), MeetingStatus.PLANNED)
    held = add_meeting_at(place.forum_id, date(2025, 2, 20))
    for title, due in (
        ("Fix the hearing loop", date(2025, 3, 19)),
        ("Print large-print agendas", date(2025, 3, 24)),
    ):
        actions.raise_action(
            ctx.db,
            locality_id=place.locality_id,
            meeting_id=held,
            data=actions.ActionInput(
                title=title,
                detail="",
                owner="Estates",
                level=ActionLevel.TEAM_WARD,
                strategic_priority_id=None,
                raised_on=date(2025, 2, 20),
                due_on=due,
            ),
        )
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    home = win.home
    texts = lambda lst: [lst.item(i).text() for i in range(lst.count())]  # noqa: E731
    assert any("Tue 25 Mar" in t and "(in 5 days)" in t for t in texts(home.next_meetings))
    assert texts(home.overdue) and "Overdue 1 day" in texts(home.overdue)[0]
    assert "Fix the hearing loop" in texts(home.overdue)[0]
    assert any("Print large-print agendas" in t for t in texts(home.due))
    assert "Overdue today: 1" in home.overdue_label.text()
    assert "Hello, Siân" in home.greeting.text()
    # Activating a meeting opens it on the Meetings page.
    with qtbot.waitSignal(home.openMeeting):
        home.next_meetings.itemActivated.emit(home.next_meetings.item(0))
    assert win.pages.currentIndex() == PAGE_MEETINGS


def test_home_lists_are_as_tall_as_their_rows(qtbot, ctx, place, add_meeting_at) -> None:
    """Two rows at least, nine at most (then they scroll), else as many as they hold: one
    meeting does not take a box of nine lines, so the month's figures, the projects and the
    charts move up into view."""
    add_meeting_at(place.forum_id, date(2025, 3, 25), MeetingStatus.PLANNED)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1366, 860)
    win.show()
    lists = win.home.next_meetings
    row = lists.sizeHintForRow(0)
    assert lists.count() == 1
    assert 2 * row <= lists.height() <= 2 * row + 2 * lists.frameWidth() + 2
    for day in range(1, 15):
        add_meeting_at(place.forum_id, date(2025, 4, day), MeetingStatus.PLANNED)
    win.home.refresh()
    shown = lists.count()  # Home shows the next few meetings only
    assert 2 < shown <= 9
    assert shown * row <= lists.height() <= shown * row + 2 * lists.frameWidth() + 2
    # The cards of a column stack on their own: the month's figures sit under the meetings,
    # not below the taller "Needs attention" card beside them.
    home = win.home
    assert home.month_card.geometry().top() < home.attention_card.geometry().bottom()


def test_home_accessible_names(qtbot, ctx, place, unnamed_controls) -> None:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    assert unnamed_controls(win.home) == []
    assert win.find_box.accessibleName()
    assert win.nav.accessibleName()


def test_the_page_and_geometry_are_remembered(qtbot, ctx, place) -> None:
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.show()
    first.show_page(PAGE_PARTICIPANTS)
    first.resize(1024, 700)
    first.close()
    assert int(QSettings().value(KEY_PAGE)) == PAGE_PARTICIPANTS
    assert not QSettings().value(KEY_GEOMETRY).isEmpty()
    second = MainWindow(ctx)
    qtbot.addWidget(second)
    assert second.pages.currentIndex() == PAGE_PARTICIPANTS


def test_about_names_the_data_location_and_licences(ctx) -> None:
    from coordinator_app.ui.main_window import about_text

    text = about_text(ctx.db.location)
    assert ctx.db.location in text
    for name in ("PySide6", "LGPL", "SQLAlchemy", "openpyxl", "MIT"):
        assert name in text


def test_the_status_bar_names_the_database(window, ctx) -> None:
    assert ctx.db.location in window.db_label.text()


@pytest.mark.sqlite_only
def test_the_last_backup_and_a_killed_backups_leftovers_come_once_home_is_shown(
    qtbot, ctx, place
) -> None:
    """Issue #23: the app fills Home without reading the backups folder (``attach`` with
    ``backup_status=False``, the opening without its clean-up); ``finish_opening``, once Home is
    shown, removes what a killed restore left and says when the last backup was made."""
    from coordinator_app.ui.app import finish_opening

    path = ctx.db.path
    leftover = path.with_name(f".{path.name}.restoring")
    leftover.write_bytes(b"half a copy of everyone's records")
    win = MainWindow()
    qtbot.addWidget(win)
    win.attach(ctx, backup_status=False)
    assert win.backup_label.text() == ""
    assert ctx.db.location in win.db_label.text()
    assert leftover.exists()
    finish_opening(win, ctx)
    assert not leftover.exists()
    assert win.backup_label.text() == "No backup yet"


def test_pages_other_than_home_are_built_on_first_use(qtbot, ctx, place) -> None:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show_page(PAGE_HOME)
    assert set(win._built) == {PAGE_HOME}
    win.show_page(PAGE_MEETINGS)
    assert win.pages.widget(PAGE_MEETINGS) is win._built[PAGE_MEETINGS]
    assert win.pages.currentIndex() == PAGE_MEETINGS


def test_print_offers_the_meeting_in_hand(window, monkeypatch, ctx, place, add_meeting_at) -> None:
    from coordinator_app.ui.dialogs import print_dialog

    meeting_id = add_meeting_at(place.forum_id, date(2025, 3, 25), MeetingStatus.PLANNED)
    asked: list[object] = []
    monkeypatch.setattr(
        print_dialog.PrintChooser,
        "ask",
        classmethod(lambda cls, c, mid, parent=None: asked.append(mid)),
    )
    window.show_page(PAGE_HOME)
    window.act_print.trigger()
    window.open_meeting(meeting_id)
    window.act_print.trigger()
    assert asked == [None, meeting_id]


def test_the_window_fits_the_screen_it_opens_on(qtbot, ctx, monkeypatch) -> None:
    """Issue #22: the window opened at 1200x800 and the status bar fell off a 1366x768 laptop
    screen. It now takes the room the screen has (less a margin), and a size saved on a bigger
    screen is fitted too."""
    from PySide6.QtCore import QRect, QSettings

    from coordinator_app.ui import main_window as mw
    from coordinator_app.ui.main_window import MainWindow

    class SmallScreen:
        def availableGeometry(self) -> QRect:
            return QRect(0, 0, 1366, 728)  # 768 less a taskbar

    monkeypatch.setattr(mw.MainWindow, "screen", lambda self: SmallScreen())
    QSettings().remove(mw.KEY_GEOMETRY)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert (window.width(), window.height()) == (1200, 688)
    big = QRect(0, 0, 1900, 1150)
    window.setGeometry(big)
    QSettings().setValue(mw.KEY_GEOMETRY, window.saveGeometry())
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    assert again.height() <= 688 and again.width() <= 1326
    QSettings().remove(mw.KEY_GEOMETRY)


def test_ctrl_f_finds_in_the_page_and_ctrl_shift_f_everywhere(window, qtbot) -> None:
    """Issue #22: Ctrl+F did nothing on Meetings and Participants (the page's shortcut and the
    window's clashed: "Ambiguous shortcut overload"), and the next typing went elsewhere."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtTest import QTest

    from coordinator_app.ui.main_window import (
        PAGE_ACTIONS,
        PAGE_HOME,
        PAGE_MEETINGS,
        PAGE_PARTICIPANTS,
    )

    warnings: list[str] = []
    old = qInstallMessageHandler(
        lambda kind, _ctx, text: warnings.append(text) if kind == QtMsgType.QtWarningMsg else None
    )
    try:
        for index in (PAGE_MEETINGS, PAGE_PARTICIPANTS, PAGE_ACTIONS):
            window.show_page(index)
            page = window.pages.currentWidget()
            window.nav.setFocus()
            QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
            assert page.text_filter.hasFocus(), window.focusWidget()
            QTest.keyClick(
                window,
                Qt.Key.Key_F,
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
            )
            assert window.find_box.hasFocus()
        window.show_page(PAGE_HOME)
        window.nav.setFocus()
        QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert window.find_box.hasFocus()
    finally:
        qInstallMessageHandler(old)
    assert not [w for w in warnings if "Ambiguous shortcut" in w]


def test_the_frame_paints_before_the_data_and_home_fills_in_on_attach(
    qtbot, ctx, place, add_meeting_at
) -> None:
    """The window start-up paints first (ui/app.py): navigation and Home's empty cards with no
    database; ``attach`` fills Home."""
    add_meeting_at(place.forum_id, date(2025, 3, 27), MeetingStatus.PLANNED)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.nav.count() == len(PAGE_TITLES)
    assert win.home.next_meetings.count() == 0 and win.home.month_form.rowCount() == 0
    win.home.refresh()  # nothing to read yet: stays empty, no error
    win.attach(ctx)
    items = [win.home.next_meetings.item(i) for i in range(win.home.next_meetings.count())]
    assert any(item.data(ROLE_ID) for item in items)
    assert win.home.month_form.rowCount() == 7


def test_the_page_shown_last_time_is_built_only_once_the_data_is_there(qtbot, ctx, place) -> None:
    QSettings().setValue(KEY_PAGE, PAGE_PARTICIPANTS)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.pages.currentIndex() == PAGE_HOME
    assert PAGE_PARTICIPANTS not in win._built
    win.attach(ctx)
    assert win.pages.currentIndex() == PAGE_PARTICIPANTS
    assert win.nav.currentRow() == PAGE_PARTICIPANTS


def _keep_returns(db) -> None:
    from coordinator_app.core import kept_returns
    from tests.core.test_board import _returns

    kept_returns.keep(db, _returns())


def test_the_groups_database_opens_on_the_trust_view(qtbot, ctx) -> None:
    """The engagement group's walk: its database (kept returns, no locality) opened on Home,
    which is about a coordinator's own meetings; the group came for the Trust view (issue
    #30). Whatever page was left open last time."""
    _keep_returns(ctx.db)
    QSettings().setValue(KEY_PAGE, PAGE_PARTICIPANTS)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.attach(ctx)
    assert win.pages.currentIndex() == PAGE_RETURNS
    assert win.nav.currentRow() == PAGE_RETURNS
    returns = win.returns
    assert returns.tabs.currentWidget() is returns.trust_view
    assert returns.trust_view.isVisible()
    assert returns.trust_view.picture is not None  # the kept returns' picture


@pytest.mark.parametrize("remembered", [None, PAGE_PARTICIPANTS])
def test_a_localitys_database_still_opens_on_home_or_the_page_left(
    qtbot, ctx, place, remembered
) -> None:
    """Home (or the page left open last time) for a locality's database, even one that kept
    returns; its Returns page opens on the Monthly return."""
    _keep_returns(ctx.db)
    if remembered is not None:
        QSettings().setValue(KEY_PAGE, remembered)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    assert win.pages.currentIndex() == (PAGE_HOME if remembered is None else remembered)
    win.show_page(PAGE_RETURNS)
    assert win.returns.tabs.currentIndex() == 0
