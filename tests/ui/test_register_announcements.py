"""What a screen reader is told at a meeting's register (the walk of 2026-12, keyboard only):
who Enter will mark while the focus stays in the find box (the list of matches never takes
it), and the result of marking and the save, which show on plain labels that say nothing.

``heard`` keeps the announcements the app hands Qt's accessibility (``ui.announce``); Qt's
AT-SPI bridge passes them on as ``object:announcement`` (checked under Xvfb with pyatspi).
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible

from coordinator_app.core.vocab import Category
from coordinator_app.ui.views.meeting.editor import TAB_REGISTER


@pytest.fixture
def heard(monkeypatch) -> list[str]:
    """The sentences announced from here on, each checked to be polite (never cutting in)."""
    said: list[str] = []
    send = QAccessible.updateAccessibility

    def spy(event) -> None:
        if event.type() == QAccessible.Event.Announcement:
            assert event.politeness() == QAccessible.AnnouncementPoliteness.Polite
            said.append(event.message())
        send(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", spy)
    return said


@pytest.fixture
def register(qtbot, place, add_person, add_meeting_at, show_meetings):
    """The register of a held meeting, the focus in its find box; two Sam Patels are known."""
    add_person("Sam Patel", organisation="Age UK")
    add_person("Sam Patel", Category.STAFF)
    page = show_meetings(add_meeting_at(place.forum_id))
    editor = page.editor
    editor.tabs.setCurrentIndex(TAB_REGISTER)
    editor.find_edit.setFocus()
    return editor


def test_the_register_says_who_enter_will_mark_as_up_and_down_choose(qtbot, register, heard):
    find, matches = register.find_edit, register.suggestions
    qtbot.keyClicks(find, "sam pa")
    assert heard[-1] == f"Enter marks {matches.item(0).text()}: 1 of 2."
    qtbot.keyClick(find, Qt.Key.Key_Down)
    assert heard[-1] == f"Enter marks {matches.item(1).text()}: 2 of 2."
    assert find.hasFocus()
    qtbot.keyClick(find, Qt.Key.Key_Down)  # already the last: nothing new to say
    qtbot.keyClick(find, Qt.Key.Key_Up)
    assert heard[-2:] == [
        f"Enter marks {matches.item(1).text()}: 2 of 2.",
        f"Enter marks {matches.item(0).text()}: 1 of 2.",
    ]
    qtbot.keyClicks(find, "x")
    assert heard[-1] == "No match: Enter adds a new person."


def test_the_register_announces_the_mark_and_the_save(qtbot, register, heard):
    qtbot.keyClicks(register.find_edit, "sam pa")
    heard.clear()
    qtbot.keyClick(register.find_edit, Qt.Key.Key_Return)
    assert "Sam Patel: Present." in heard
    assert any(re.fullmatch(r"All changes saved \(\d\d:\d\d\)\.", said) for said in heard)
    assert register.register_feedback.text() == "Sam Patel: Present."


def test_an_undo_at_the_register_is_said_once(qtbot, register, heard):
    qtbot.keyClicks(register.find_edit, "sam pa")
    qtbot.keyClick(register.find_edit, Qt.Key.Key_Return)
    table = register.register_table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_A)
    assert heard[-1] == "Sam Patel: Apologies."
    heard.clear()
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [said for said in heard if not said.startswith("All changes saved")] == [
        "Undone: Sam Patel is present again."
    ]


def test_a_routine_save_is_not_announced_again_a_change_of_state_is(register, heard):
    """The editor saves on every pause in typing: "All changes saved" each minute would talk
    over the typing. Said when the state changes: the first save, "Not saved", saved again."""
    editor = register
    editor.set_save_state("All changes saved (10:01).")
    editor.set_save_state("All changes saved (10:02).")
    editor.set_save_state("Not saved: the disk is full.")
    editor.set_save_state("All changes saved (10:04).")
    editor.set_save_state("All changes saved. The meeting's invitation is out of date.")
    assert heard == [
        "All changes saved (10:01).",
        "Not saved: the disk is full.",
        "All changes saved (10:04).",
        "All changes saved. The meeting's invitation is out of date.",
    ]
