"""Ctrl+Z on the meeting editor's Agenda tab (issue #22 item 9): the tab's own last
changes taken back, newest first, each proven against the database; nothing to undo is said;
another meeting loaded forgets them. (The register's undo is in ``test_meetings_page``.)"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from coordinator_app.core import meetings
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.vocab import MeetingStatus
from coordinator_app.ui.views.meeting.editor import TAB_AGENDA
from coordinator_app.ui.views.meetings import MeetingsPage


def open_page(qtbot, ctx, meeting_id: uuid.UUID, tab: int) -> MeetingsPage:
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitExposed(page)
    page.open_meeting(meeting_id)
    page.editor.tabs.setCurrentIndex(tab)
    return page


def new_meeting(ctx, place, on: date = date(2025, 3, 14)) -> uuid.UUID:
    return meetings.create_meeting(
        ctx.db, MeetingInput(forum_id=place.forum_id, meeting_date=on, status=MeetingStatus.HELD)
    )


def ctrl_z(widget) -> None:
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


# --- the agenda ----------------------------------------------------------------------------------


def agenda(ctx, meeting_id) -> list[tuple[int, str, str, str]]:
    return [
        (i.position, i.title, i.discussion, i.decisions)
        for i in meetings.get_meeting(ctx.db, meeting_id).agenda
    ]


def test_ctrl_z_in_the_agenda_takes_back_a_remove_a_move_and_an_add(qtbot, ctx, place):
    meeting_id = new_meeting(ctx, place)
    welcome = meetings.add_agenda_item(ctx.db, meeting_id, "Welcome", "Introductions", "None")
    meetings.add_agenda_item(ctx.db, meeting_id, "Crisis line")
    editor = open_page(qtbot, ctx, meeting_id, TAB_AGENDA).editor
    tab = editor.agenda_tab
    assert "Ctrl+Z" in tab.agenda_feedback.text()
    assert tab.agenda_feedback.accessibleName() == "Agenda message"

    qtbot.keyClicks(editor.agenda_new_edit, "Any other business")
    qtbot.keyClick(editor.agenda_new_edit, Qt.Key.Key_Return)
    editor._select_agenda(welcome)
    editor.move_agenda_item(1)
    editor.move_agenda_item(1)
    editor.move_agenda_item(1)  # at the end already: not a change
    assert agenda(ctx, meeting_id) == [
        (1, "Crisis line", "", ""),
        (2, "Any other business", "", ""),
        (3, "Welcome", "Introductions", "None"),
    ]
    editor._select_agenda(welcome)
    editor.remove_agenda_item()
    assert [t for _p, t, _d, _e in agenda(ctx, meeting_id)] == ["Crisis line", "Any other business"]

    ctrl_z(editor.agenda_table)  # the remove: back at its place, with its notes
    assert agenda(ctx, meeting_id)[2] == (3, "Welcome", "Introductions", "None")
    assert tab.agenda_feedback.text() == "Undone: Item 3, “Welcome”, is back, with its notes."
    assert tab.item_discussion_edit.toPlainText() == "Introductions"  # chosen again
    ctrl_z(editor.agenda_table)  # the second move (the restored item: a new id)
    assert [t for _p, t, _d, _e in agenda(ctx, meeting_id)] == [
        "Crisis line",
        "Welcome",
        "Any other business",
    ]
    assert tab.agenda_feedback.text() == "Undone: “Welcome” is back at item 2."
    ctrl_z(editor.agenda_table)  # the first move
    assert [t for _p, t, _d, _e in agenda(ctx, meeting_id)] == [
        "Welcome",
        "Crisis line",
        "Any other business",
    ]
    ctrl_z(editor.agenda_new_edit)  # empty: the list's undo; the add taken back
    assert agenda(ctx, meeting_id) == [
        (1, "Welcome", "Introductions", "None"),
        (2, "Crisis line", "", ""),
    ]
    assert tab.agenda_feedback.text() == "Undone: “Any other business” is off the agenda again."
    assert tab.undo_last() is False
    assert tab.agenda_feedback.text() == "Nothing to undo in the agenda."
    assert editor.version == meetings.get_meeting(ctx.db, meeting_id).version  # each one kept


def test_ctrl_z_with_a_title_being_typed_is_the_boxs_own(qtbot, ctx, place, type_text):
    meeting_id = new_meeting(ctx, place)
    editor = open_page(qtbot, ctx, meeting_id, TAB_AGENDA).editor
    qtbot.keyClicks(editor.agenda_new_edit, "Welcome")
    qtbot.keyClick(editor.agenda_new_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.agenda_new_edit, "Crisis")
    ctrl_z(editor.agenda_new_edit)
    assert [t for _p, t, _d, _e in agenda(ctx, meeting_id)] == ["Welcome"]  # not undone
    assert editor.agenda_new_edit.text() == ""  # the typing was
    (item,) = meetings.get_meeting(ctx.db, meeting_id).agenda
    editor._select_agenda(item.id)
    type_text(editor.item_discussion_edit, "Said")
    ctrl_z(editor.item_discussion_edit)
    assert editor.item_discussion_edit.toPlainText() == ""  # the box's own undo
    assert [t for _p, t, _d, _e in agenda(ctx, meeting_id)] == ["Welcome"]


def test_undoing_an_add_whose_item_has_notes_asks_first(qtbot, ctx, place, questions):
    meeting_id = new_meeting(ctx, place)
    editor = open_page(qtbot, ctx, meeting_id, TAB_AGENDA).editor
    qtbot.keyClicks(editor.agenda_new_edit, "Welcome")
    qtbot.keyClick(editor.agenda_new_edit, Qt.Key.Key_Return)
    editor.item_discussion_edit.setPlainText("Everyone introduced themselves")
    questions.answer = False
    assert editor.agenda_tab.undo_last() is False  # saved the notes, then asked: kept
    assert questions.asked[-1].endswith("has notes now. Remove it and its notes?")
    assert agenda(ctx, meeting_id) == [(1, "Welcome", "Everyone introduced themselves", "")]
    questions.answer = True
    assert editor.agenda_tab.undo_last()  # still there to undo
    assert agenda(ctx, meeting_id) == []


def test_agenda_undo_after_another_meeting_loaded_does_nothing(qtbot, ctx, place):
    first = new_meeting(ctx, place)
    second = new_meeting(ctx, place, date(2025, 4, 11))
    page = open_page(qtbot, ctx, first, TAB_AGENDA)
    editor = page.editor
    qtbot.keyClicks(editor.agenda_new_edit, "Welcome")
    qtbot.keyClick(editor.agenda_new_edit, Qt.Key.Key_Return)
    page.open_meeting(second)
    ctrl_z(editor.agenda_table)
    assert editor.agenda_tab.agenda_feedback.text() == "Nothing to undo in the agenda."
    assert [t for _p, t, _d, _e in agenda(ctx, first)] == ["Welcome"]
    assert agenda(ctx, second) == []
