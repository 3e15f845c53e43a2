"""Two instances on one database, seen from the editors: a save over someone else's change asks
Reload or Keep editing (``widgets.ask_conflict``, answered by the ``questions`` fixture);
Reload shows their change, Keep editing keeps my typing on screen and saves nothing.

"Someone else" is a second ``Database`` opened on the same database as the editor's, changing
the record through the core while the editor has it open.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from PySide6.QtCore import Qt

from coordinator_app.core import actions, meetings, people, projects
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.people import ParticipantInput
from coordinator_app.core.projects import ProjectInput
from coordinator_app.core.vocab import AttendanceStatus, Category, MeetingStatus
from coordinator_app.ui.dialogs.action_editor import ActionEditor
from coordinator_app.ui.dialogs.participant_dialog import ParticipantDialog
from coordinator_app.ui.dialogs.project_dialog import ProjectDialog

CONFLICT = (
    "This meeting was changed since you opened it. Reload to see it as saved now; "
    "your edits are kept on screen until you do."
)


def their_edit(other: Database, meeting_id: uuid.UUID, **changes: object) -> None:
    d = meetings.get_meeting(other, meeting_id)
    values: dict[str, object] = {
        "forum_id": d.forum_id,
        "meeting_date": d.meeting_date,
        "start_time": d.start_time,
        "end_time": d.end_time,
        "venue": d.venue,
        "format": d.format,
        "status": d.status,
        "chair": d.chair,
        "minute_taker": d.minute_taker,
        "notes": d.notes,
    }
    values.update(changes)
    meetings.update_meeting(other, meeting_id, MeetingInput(**values))  # type: ignore[arg-type]


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


# --- the meeting editor ---------------------------------------------------------------------


def test_reload_shows_their_change_and_drops_mine(open_meeting, other, questions) -> None:
    page, meeting_id = open_meeting
    editor = page.editor
    their_edit(other, meeting_id, venue="Rugby Library")
    editor.chair_edit.setText("Zoë Hart")
    editor.chair_edit.editingFinished.emit()
    assert questions.conflicts == [CONFLICT]
    stored = meetings.get_meeting(other, meeting_id)
    assert (stored.venue, stored.chair) == ("Rugby Library", "")
    # Reload (the fixture's default answer): their venue on screen, my chair gone.
    assert editor.venue_edit.text() == "Rugby Library"
    assert editor.chair_edit.text() == ""
    assert "Reloaded" in editor.save_state.text()
    assert not editor.details_dirty()
    # The editor now holds their version: my next edit saves.
    editor.chair_edit.setText("Zoë Hart")
    editor.chair_edit.editingFinished.emit()
    assert len(questions.conflicts) == 1
    stored = meetings.get_meeting(other, meeting_id)
    assert (stored.venue, stored.chair) == ("Rugby Library", "Zoë Hart")


def test_keep_editing_keeps_my_text_and_saves_nothing(open_meeting, other, questions) -> None:
    page, meeting_id = open_meeting
    editor = page.editor
    questions.reload = False
    their_edit(other, meeting_id, venue="Rugby Library")
    editor.notes_edit.setPlainText("Tea, coffee and a long discussion about parking")
    editor.chair_edit.setText("Siân Evans")
    editor.chair_edit.editingFinished.emit()
    assert questions.conflicts == [CONFLICT]
    assert editor.chair_edit.text() == "Siân Evans"
    assert editor.notes_edit.toPlainText() == "Tea, coffee and a long discussion about parking"
    assert editor.venue_edit.text() == "Benn Hall"  # theirs not shown until I reload
    assert "Not saved" in editor.save_state.text()
    stored = meetings.get_meeting(other, meeting_id)
    assert (stored.venue, stored.chair, stored.notes) == ("Rugby Library", "", "")
    # Leaving the meeting tries again and asks again: the typing is never dropped silently.
    assert page.commit_pending() is False
    assert len(questions.conflicts) == 2
    assert editor.chair_edit.text() == "Siân Evans"
    assert meetings.get_meeting(other, meeting_id).chair == ""


def test_their_register_mark_then_my_agenda_edit(open_meeting, other, questions) -> None:
    """The register is part of the meeting: their mark makes my agenda save a conflict."""
    page, meeting_id = open_meeting
    editor = page.editor
    meetings.add_agenda_item(editor.ctx.db, meeting_id, "Welcome")
    page.open_meeting(meeting_id)  # reopen to see the item
    zoe = people.create_participant(
        other, ParticipantInput(name="Zoë Hart", category=Category.CARER)
    )
    editor.agenda_table.select_row(0)
    meetings.set_attendance(other, meeting_id, zoe, AttendanceStatus.PRESENT)
    questions.reload = False
    editor.item_discussion_edit.setPlainText("Everyone introduced themselves")
    assert editor.save_agenda_item() is False
    assert questions.conflicts == [CONFLICT]
    assert editor.item_discussion_edit.toPlainText() == "Everyone introduced themselves"
    assert meetings.get_meeting(other, meeting_id).agenda[0].discussion == ""
    questions.reload = True
    assert editor.save_agenda_item() is False  # asked again; this time Reload
    assert [r.name for r in editor.register_model.rows()] == ["Zoë Hart"]
    assert editor.item_discussion_edit.toPlainText() == ""
    editor.set_attendance(zoe, AttendanceStatus.APOLOGIES)
    assert meetings.get_meeting(other, meeting_id).register[0].status == (
        AttendanceStatus.APOLOGIES
    )


def test_my_own_saves_never_conflict_with_each_other(open_meeting, questions, add_person) -> None:
    page, meeting_id = open_meeting
    editor = page.editor
    alice = add_person("Alice Brown")
    editor.agenda_new_edit.setText("Welcome")
    editor.add_agenda_item()
    editor.agenda_new_edit.setText("Any other business")
    editor.add_agenda_item()
    editor.set_attendance(alice, AttendanceStatus.PRESENT)
    editor.set_unnamed(Category.STAFF, 2)
    editor.chair_edit.setText("Seán Byrne")
    editor.chair_edit.editingFinished.emit()
    editor.move_agenda_item(1)
    assert questions.conflicts == []
    stored = meetings.get_meeting(editor.ctx.db, meeting_id)
    assert stored.chair == "Seán Byrne" and len(stored.agenda) == 2
    assert stored.unnamed == {Category.STAFF: 2}


def test_deleting_a_meeting_they_changed_is_refused(open_meeting, other, questions, qtbot):
    page, meeting_id = open_meeting
    their_edit(other, meeting_id, venue="Rugby Library")
    questions.reload = False
    qtbot.mouseClick(page.editor.delete_button, Qt.MouseButton.LeftButton)
    assert questions.conflicts and "not deleted" in questions.conflicts[0]
    assert meetings.get_meeting(other, meeting_id).venue == "Rugby Library"


def test_a_meeting_they_deleted_is_said_and_my_typing_stays(open_meeting, other, questions):
    page, meeting_id = open_meeting
    meetings.delete_meeting(other, meeting_id)
    page.editor.chair_edit.setText("Zoë Hart")
    page.editor.chair_edit.editingFinished.emit()
    assert questions.told == ["That meeting is no longer in the database."]
    assert questions.conflicts == []
    assert page.editor.chair_edit.text() == "Zoë Hart"  # on screen, to copy elsewhere


# --- the record dialogs ---------------------------------------------------------------------


def test_participant_dialog_reload_and_keep_editing(qtbot, ctx, place, other, questions) -> None:
    zoe = people.create_participant(
        ctx.db, ParticipantInput(name="Zoë Hart", category=Category.SERVICE_USER)
    )
    dialog = ParticipantDialog(ctx, participant_id=zoe)
    qtbot.addWidget(dialog)
    people.update_participant(
        other,
        zoe,
        ParticipantInput(name="Zoë Hart", category=Category.SERVICE_USER, organisation="Mind"),
    )
    dialog.notes_edit.setPlainText("Prefers large print")
    questions.reload = False
    assert dialog.try_save() is False
    assert "This participant" in questions.conflicts[0]
    assert dialog.notes_edit.toPlainText() == "Prefers large print"
    assert dialog.general_error.text().startswith("Not saved: This participant was changed")
    assert people.get_participant(ctx.db, zoe).notes == ""
    questions.reload = True
    assert dialog.try_save() is False
    assert dialog.organisation_edit.text() == "Mind"
    assert dialog.notes_edit.toPlainText() == ""
    assert not dialog.is_dirty()
    dialog.notes_edit.setPlainText("Prefers large print")
    assert dialog.try_save() is True
    stored = people.get_participant(ctx.db, zoe)
    assert (stored.organisation, stored.notes) == ("Mind", "Prefers large print")


def test_action_editor_reload_shows_their_owner(qtbot, ctx, place, other, questions) -> None:
    action_id = actions.raise_action(
        ctx.db,
        locality_id=place.locality_id,
        data=ActionInput(title="Fix the hearing loop", owner="Estates", raised_on=ctx.today()),
    )
    editor = ActionEditor(ctx, action_id)
    qtbot.addWidget(editor)
    actions.add_progress(other, action_id, "Quote asked for")  # an append: no conflict
    editor.due_edit.set_value(date(2025, 4, 30))
    assert editor.try_save() is True
    assert questions.conflicts == []

    editor = ActionEditor(ctx, action_id)
    qtbot.addWidget(editor)
    row = actions.get_action(other, action_id)
    actions.update_action(
        other,
        action_id,
        ActionInput(
            title=row.title, owner="Ward manager", raised_on=row.raised_on, due_on=row.due_on
        ),
    )
    editor.title_edit.setText("Fix the hearing loop in room 2")
    assert editor.try_save() is False
    assert "This action" in questions.conflicts[0]
    assert editor.owner_edit.text() == "Ward manager"
    assert editor.title_edit.text() == "Fix the hearing loop"
    stored = actions.get_action(ctx.db, action_id)
    assert (stored.title, stored.owner, stored.due_on) == (
        "Fix the hearing loop",
        "Ward manager",
        date(2025, 4, 30),
    )


def test_project_dialog_keep_editing(qtbot, ctx, place, other, questions) -> None:
    project_id = projects.create_project(
        ctx.db, ProjectInput(locality_id=place.locality_id, title="Welcome pack")
    )
    dialog = ProjectDialog(ctx, project_id=project_id)
    qtbot.addWidget(dialog)
    projects.update_project(
        other, project_id, ProjectInput(locality_id=place.locality_id, title="Welcome packs")
    )
    dialog.lead_edit.setText("Zoë Hart")
    questions.reload = False
    assert dialog.try_save() is False
    assert dialog.lead_edit.text() == "Zoë Hart"
    assert dialog.title_edit.text() == "Welcome pack"
    stored = projects.get_project(ctx.db, project_id)
    assert (stored.title, stored.lead) == ("Welcome packs", "")
