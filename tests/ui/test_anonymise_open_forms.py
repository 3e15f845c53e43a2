"""Anonymising someone from the app while a form is open on text naming them: the open forms
lose the name at once (the typing stays, only the name goes), so neither a save nor a draft
writes it back, and the meeting editor's next save is not refused as someone else's change
(the walk of RUG-2612: the open notes kept the name, typing wrote it to a draft, and the
draft's Keep saved it back into the meeting, where nothing could find it any more).

Timers are never waited for: a test fires the idle timer's timeout itself."""

from __future__ import annotations

from datetime import date

import pytest

from coordinator_app.core import drafts, meetings
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.vocab import MeetingStatus
from coordinator_app.ui.dialogs.action_editor import ActionEditor
from coordinator_app.ui.dialogs.privacy_dialogs import anonymise_one
from coordinator_app.ui.operations import people as people_ops

NAME = "Zebedee Quartermain"
NOTES = f"{NAME} offered to help."


def _every_draft_text(db) -> str:
    return " ".join(f"{d.label} {d.text()}" for d in drafts.list_drafts(db))


@pytest.fixture
def open_meeting(show_meetings, ctx, place, add_person):
    """A held meeting whose notes and one agenda item's decisions name Zebedee, open in the
    Meetings page; returns (page, meeting id, Zebedee's id)."""
    zeb = add_person(NAME)
    meeting_id = meetings.create_meeting(
        ctx.db,
        MeetingInput(
            forum_id=place.forum_id,
            meeting_date=date(2025, 10, 6),
            venue="Benn Hall",
            status=MeetingStatus.HELD,
            notes=NOTES,
        ),
    )
    item_id = meetings.add_agenda_item(ctx.db, meeting_id, "Crisis line")
    return show_meetings(meeting_id, item_id), meeting_id, zeb


def test_the_open_notes_lose_the_name_keep_the_typing_and_save_without_a_conflict(
    open_meeting, questions, type_text
) -> None:
    page, meeting_id, zeb = open_meeting
    editor = page.editor
    db = page.ctx.db
    editor.notes_edit.moveCursor(editor.notes_edit.textCursor().MoveOperation.End)
    type_text(editor.notes_edit, " Thanks.")
    assert anonymise_one(page.ctx, zeb, page)
    assert editor.notes_edit.toPlainText() == "[service user] offered to help. Thanks."
    # The typing pauses: it is saved, the name nowhere, and nothing asked (anonymising here
    # is not someone else's change).
    editor.idle_timer.timeout.emit()
    assert meetings.get_meeting(db, meeting_id).notes == "[service user] offered to help. Thanks."
    assert questions.conflicts == []
    assert drafts.list_drafts(db) == []
    # Nothing typed: leaving saves nothing and asks nothing.
    page.show_list()
    assert questions.conflicts == [] and NAME not in _every_draft_text(db)


def test_an_open_agenda_item_is_not_saved_back_with_the_name(
    open_meeting, questions, type_text
) -> None:
    """An agenda item carries the meeting's version, which anonymising an item leaves alone:
    the item's save was not refused, and wrote the name back silently."""
    page, meeting_id, zeb = open_meeting
    editor = page.editor
    db = page.ctx.db
    item = meetings.get_meeting(db, meeting_id).agenda[0]
    meetings.update_agenda_item(
        db, item.id, title="Crisis line", discussion="", decisions=f"{NAME} to ask for large print."
    )
    editor.load(meeting_id)
    editor._select_agenda(item.id)
    type_text(editor.item_discussion_edit, "Leaflets are out of date.")
    assert anonymise_one(page.ctx, zeb, page)
    assert editor.item_decisions_edit.toPlainText() == "[service user] to ask for large print."
    assert editor.save_agenda_item()
    saved = meetings.get_meeting(db, meeting_id).agenda[0]
    assert saved.discussion == "Leaflets are out of date."
    assert saved.decisions == "[service user] to ask for large print."
    assert questions.conflicts == []


def test_bulk_anonymising_cleans_the_open_notes_too(open_meeting, questions) -> None:
    page, _meeting_id, zeb = open_meeting
    page.editor.notes_edit.setPlainText(f"{NOTES} Typed, not saved.")
    done = people_ops.anonymise_participants(page, page.ctx, [zeb]).wait()
    assert done.value is not None and done.value.count == 1
    assert page.editor.notes_edit.toPlainText() == (
        "[service user] offered to help. Typed, not saved."
    )


def test_an_open_dialogs_typing_and_draft_lose_the_name(
    qtbot, ctx, place, add_person, questions, type_text
) -> None:
    from coordinator_app.core import actions
    from coordinator_app.core.actions import ActionInput
    from coordinator_app.core.vocab import ActionLevel

    zeb = add_person(NAME)
    action_id = actions.raise_action(
        ctx.db,
        locality_id=place.locality_id,
        data=ActionInput(title="Large print leaflet", owner=NAME, level=ActionLevel.LOCALITY),
        today=date(2025, 3, 20),
    )
    dialog = ActionEditor(ctx, action_id)
    qtbot.addWidget(dialog)
    type_text(dialog.detail_edit, f"{NAME} asked twice.")
    dialog.drafts.timer.timeout.emit()
    assert NAME in _every_draft_text(ctx.db)
    assert anonymise_one(ctx, zeb)
    assert dialog.detail_edit.toPlainText() == "[service user] asked twice."
    assert dialog.owner_edit.text() == "[service user]"
    assert NAME not in _every_draft_text(ctx.db)
    dialog.drafts.timer.timeout.emit()  # the next pause keeps the cleaned typing
    assert NAME not in _every_draft_text(ctx.db)
    assert "[service user] asked twice." in _every_draft_text(ctx.db)


def test_a_conflict_after_anonymising_does_not_blame_someone_else(
    open_meeting, questions, type_text
) -> None:
    """The meeting changed twice since it was opened (a save elsewhere, then anonymising):
    the editor cannot take the new version, and the question is true about who changed it."""
    page, meeting_id, zeb = open_meeting
    editor = page.editor
    db = page.ctx.db
    d = meetings.get_meeting(db, meeting_id)
    meetings.update_meeting(
        db,
        meeting_id,
        MeetingInput(
            forum_id=d.forum_id,
            meeting_date=d.meeting_date,
            venue="Rugby Library",
            status=d.status,
            notes=d.notes,
        ),
    )
    type_text(editor.notes_edit, "Mine ")
    assert anonymise_one(page.ctx, zeb, page)
    questions.reload = False  # Keep editing, the default
    assert editor.save_details() is False
    (asked,) = questions.conflicts
    assert asked.startswith("This meeting was changed since you opened it.")
    assert "someone else" not in f"{asked} {editor.save_state.text()}".lower()
    assert NAME not in editor.notes_edit.toPlainText() + _every_draft_text(db)
