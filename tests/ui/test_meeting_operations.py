"""The meeting editor writes through ``ui/operations``: every write runs on the one background
thread (on a trust server each SQL statement is a network round trip, so one Enter in the
register used to freeze the window for 22 of them), tells the other pages exactly once, and an
idle pause that comes while a save is under way waits for it instead of racing it.

No sleeps: a write held on the worker is released by a ``threading.Event`` the GUI side sets.
"""

from __future__ import annotations

import ast
import threading
import uuid
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from sqlalchemy import event

import coordinator_app
from coordinator_app.core import drafts, meetings
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.vocab import (
    AttendanceStatus,
    Category,
    ExperienceKind,
    MeetingStatus,
    PaymentStatus,
)
from coordinator_app.ui.views.meeting.editor import TAB_REGISTER

UI = Path(coordinator_app.__file__).parent / "ui"
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def open_meeting(show_meetings, ctx, place):
    meeting_id = meetings.create_meeting(
        ctx.db,
        MeetingInput(
            forum_id=place.forum_id,
            meeting_date=date(2025, 3, 14),
            venue="Benn Hall",
            status=MeetingStatus.HELD,
        ),
    )
    return show_meetings(meeting_id), meeting_id


def _find_and_press_enter(qtbot, editor, type_text, name: str) -> None:
    editor.tabs.setCurrentIndex(TAB_REGISTER)
    editor.find_edit.setFocus()
    type_text(editor.find_edit, name)
    assert editor.suggestions.count() == 1
    qtbot.keyClick(editor.find_edit, Qt.Key.Key_Return)


# --- the register's Enter, off the GUI thread ------------------------------------------------


def test_the_registers_enter_marks_present_on_the_worker_thread(
    qtbot, open_meeting, add_person, type_text, monkeypatch
) -> None:
    page, meeting_id = open_meeting
    editor = page.editor
    zoe = add_person("Zoë Hart")
    ran_on: list[threading.Thread] = []
    real = meetings.set_attendance

    def recording(*args, **kwargs):
        ran_on.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(meetings, "set_attendance", recording)
    _find_and_press_enter(qtbot, editor, type_text, "Zoë")
    assert len(ran_on) == 1
    assert ran_on[0] is not threading.main_thread()
    assert editor.find_edit.text() == ""  # done, and the box ready for the next name
    assert [(r.participant_id, r.status) for r in editor.register_model.rows()] == [
        (zoe, AttendanceStatus.PRESENT)
    ]
    assert meetings.get_meeting(page.ctx.db, meeting_id).register[0].participant_id == zoe


def test_the_registers_enter_runs_no_sql_on_the_gui_thread_until_written(
    qtbot, open_meeting, add_person, type_text
) -> None:
    """Every statement up to the register's write runs on the worker; the GUI thread only
    reads the lists again once it is done (and never writes)."""
    page, meeting_id = open_meeting
    editor = page.editor
    add_person("Siân Evans")
    seen: list[tuple[bool, str]] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        on_gui = threading.current_thread() is threading.main_thread()
        seen.append((on_gui, statement.lstrip().split(None, 1)[0].upper()))

    editor.tabs.setCurrentIndex(TAB_REGISTER)
    type_text(editor.find_edit, "Siân")  # the matches are read as the name is typed
    engine = page.ctx.db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        qtbot.keyClick(editor.find_edit, Qt.Key.Key_Return)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    written = [n for n, (_gui, verb) in enumerate(seen) if verb in WRITES]
    assert written, seen  # the mark was written...
    assert not any(gui for gui, _verb in seen[: written[-1] + 1]), seen  # ...all of it off-GUI
    assert not [verb for gui, verb in seen if gui and verb in WRITES], seen  # the GUI only reads
    assert len(meetings.get_meeting(page.ctx.db, meeting_id).register) == 1


# --- one announcement per write -----------------------------------------------------------------


def test_each_write_tells_the_other_pages_once(qtbot, open_meeting, add_person, type_text) -> None:
    page, meeting_id = open_meeting
    editor = page.editor
    db = page.ctx.db
    alice = add_person("Alice Brown")
    told: list[str] = []
    page.ctx.events.meetingsChanged.connect(told.append)

    def once(write) -> None:
        told.clear()
        write()
        assert told == [str(meeting_id)], write

    once(lambda: editor.set_attendance(alice, AttendanceStatus.PRESENT))
    once(lambda: editor.set_unnamed(Category.STAFF, 2))
    editor.agenda_new_edit.setText("Welcome")
    once(editor.add_agenda_item)
    editor.item_discussion_edit.setPlainText("Everyone introduced themselves")
    once(editor.save_agenda_item)
    once(lambda: editor.move_agenda_item(1))
    editor.chair_edit.setText("Seán Byrne")
    once(editor.save_details)
    editor.new_poll()
    editor.poll_question_edit.setText("Confident?")
    editor.poll_answers_edit.setPlainText("Yes = 3")
    once(editor.save_poll)
    editor.polls_table.select_row(0)
    once(editor.delete_poll)
    once(editor.offer_payments)
    stored = meetings.get_meeting(db, meeting_id)
    assert stored.chair == "Seán Byrne" and stored.unnamed == {Category.STAFF: 2}
    assert [p.status for p in stored.payments] == [PaymentStatus.OFFERED]

    told.clear()
    qtbot.mouseClick(editor.plan_next_button, Qt.MouseButton.LeftButton)
    (new_id,) = told
    assert editor.meeting_id == uuid.UUID(new_id) != meeting_id
    told.clear()
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert told == [new_id]
    assert page.stack.currentWidget() is page.list_panel


def test_removing_a_payment_and_an_experience_item_runs_in_the_background(
    qtbot, open_meeting, add_person
) -> None:
    """Nothing waits for these: the list follows once the operation is done."""
    page, meeting_id = open_meeting
    editor = page.editor
    db = page.ctx.db
    alice = add_person("Alice Brown")
    meetings.set_attendance(db, meeting_id, alice, AttendanceStatus.PRESENT)
    meetings.offer_payments(db, meeting_id)
    meetings.add_experience(
        db, meeting_id, ExperienceInput(kind=ExperienceKind.COMPLIMENT, summary="Kind staff")
    )
    page.open_meeting(meeting_id)
    editor.payments_table.select_row(0)
    editor.remove_payment()
    qtbot.waitUntil(lambda: editor.payments_model.rowCount() == 0)
    editor.experience_table.select_row(0)
    editor.delete_experience()
    qtbot.waitUntil(lambda: editor.experience_model.rowCount() == 0)
    stored = meetings.get_meeting(db, meeting_id)
    assert stored.payments == [] and stored.experience == []
    assert "All changes saved" in editor.save_state.text()


# --- a pause while a save is under way ------------------------------------------------------


def test_a_pause_during_a_save_waits_for_it_and_never_conflicts_with_it(
    qtbot, open_meeting, questions, type_text, monkeypatch
) -> None:
    """The idle timer fires in the local event loop of a save still on the worker: saving then
    would carry the version that save is about to change (a conflict with itself). It tries
    again after another pause instead."""
    page, meeting_id = open_meeting
    editor = page.editor
    db = page.ctx.db
    gate = threading.Event()
    real = meetings.update_meeting

    def held(*args, **kwargs):
        assert gate.wait(10), "the pause never came"
        return real(*args, **kwargs)

    monkeypatch.setattr(meetings, "update_meeting", held)

    def pause_meanwhile() -> None:
        editor.save_typing()  # the typing paused while the save waits
        gate.set()

    type_text(editor.chair_edit, "Zoë Hart")
    editor.venue_edit.clear()
    type_text(editor.venue_edit, "Rugby Library")
    QTimer.singleShot(0, pause_meanwhile)
    assert editor.save_details() is True
    assert gate.is_set()
    assert questions.conflicts == [] and questions.told == []
    assert "All changes saved" in editor.save_state.text()
    assert editor.idle_timer.isActive()  # tried again after another pause
    stored = meetings.get_meeting(db, meeting_id)
    assert (stored.chair, stored.venue) == ("Zoë Hart", "Rugby Library")
    editor.idle_timer.timeout.emit()  # that pause: nothing left to save
    assert drafts.list_drafts(db) == []
    assert "All changes saved" in editor.save_state.text()


# --- nothing writes around the operations ---------------------------------------------------

#: The core's writes a meeting screen makes; each has its function in ui/operations.
CORE_WRITES = {
    "meetings": {
        "update_meeting",
        "update_agenda_item",
        "add_agenda_item",
        "delete_agenda_item",
        "move_agenda_item",
        "set_attendance",
        "remove_attendance",
        "set_unnamed",
        "delete_meeting",
        "offer_payments",
        "plan_next_meeting",
        "remove_payment",
        "delete_experience",
        "set_payment",
        "add_experience",
        "update_experience",
        "create_meeting",
    },
    "polls": {"add_poll", "update_poll", "delete_poll"},
    "drafts": {"save_draft", "drop_draft"},
}


def _meeting_modules() -> list[Path]:
    views = UI / "views"
    return [*sorted((views / "meeting").glob("*.py")), views / "meetings.py"]


def test_the_meeting_screens_call_no_core_write_and_catch_only_for_reads() -> None:
    """Views ask, operations do: no ``meetings.set_attendance(...)`` in a meeting screen, and an
    ``except CoordinatorError`` only around a read, saying so on its line."""
    found: list[str] = []
    for path in _meeting_modules():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.attr in CORE_WRITES.get(node.func.value.id, ())
            ):
                found.append(f"{path.name}:{node.lineno} {node.func.value.id}.{node.func.attr}")
            if (
                isinstance(node, ast.ExceptHandler)
                and "CoordinatorError" in ast.unparse(node.type or ast.Name(""))
                and "# a read" not in lines[node.lineno - 1]
            ):
                found.append(f"{path.name}:{node.lineno} except without a read's reason")
    assert found == []


def test_the_tabs_widgets_and_actions_are_reachable_from_the_editor(qtbot, ctx) -> None:
    """The split kept every name the page, the recovery and the tests reach through the
    editor (``editor.find_edit``), each the tab's own object."""
    from coordinator_app.ui.views.meeting.editor import FORWARDED, MeetingEditor

    editor = MeetingEditor(ctx)
    qtbot.addWidget(editor)
    for tab_name, names in FORWARDED.items():
        tab = getattr(editor, tab_name)
        assert editor.tabs.indexOf(tab) >= 0
        for name in names:
            assert getattr(editor, name) == getattr(tab, name), name
