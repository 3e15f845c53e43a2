"""The meeting editor saves what is typed when the typing pauses (about 1.5 s), exactly as
leaving the field would: a decision typed and then a kill loses nothing. What cannot be saved
yet (a half-typed date, someone else's change) goes to the drafts table, with no question and
no red field mid-typing; leaving the field then shows the problem or asks.

Timers are never waited for: a test checks the idle timer runs and fires its timeout."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from PySide6.QtCore import Qt

from coordinator_app.core import drafts, meetings
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.vocab import MeetingStatus
from coordinator_app.ui import widgets
from coordinator_app.ui.views.meeting.editor import MeetingEditor

DECISION = "Zoë to ask the pharmacy; Siân to book the Benn Hall again."


@pytest.fixture
def open_meeting(show_meetings, ctx, place):
    meeting_id = meetings.create_meeting(
        ctx.db,
        MeetingInput(
            forum_id=place.forum_id,
            meeting_date=date(2025, 10, 6),
            venue="Benn Hall",
            status=MeetingStatus.HELD,
        ),
    )
    item_id = meetings.add_agenda_item(ctx.db, meeting_id, "Pharmacy opening hours")
    return show_meetings(meeting_id, item_id), meeting_id, item_id


def _pause(editor: MeetingEditor) -> None:
    """The typing pauses: the idle timer, restarted by each keystroke, fires."""
    assert editor.idle_timer.isActive()
    assert 1000 <= editor.idle_timer.interval() <= 2000
    editor.idle_timer.timeout.emit()


def _their_venue(other, meeting_id: uuid.UUID, venue: str) -> None:
    d = meetings.get_meeting(other, meeting_id)
    meetings.update_meeting(
        other,
        meeting_id,
        MeetingInput(
            forum_id=d.forum_id, meeting_date=d.meeting_date, venue=venue, status=d.status
        ),
    )


def test_a_pause_saves_the_decision_to_the_record_and_keeps_the_text_as_typed(
    open_meeting, type_text, monkeypatch
) -> None:
    page, meeting_id, _item = open_meeting
    editor = page.editor
    saves: list[object] = []
    real = meetings.update_agenda_item
    monkeypatch.setattr(
        meetings, "update_agenda_item", lambda *a, **k: saves.append(k) or real(*a, **k)
    )
    type_text(editor.item_decisions_edit, DECISION + "  ")
    assert saves == []  # nothing written per keystroke
    _pause(editor)
    assert len(saves) == 1
    (item,) = meetings.get_meeting(page.ctx.db, meeting_id).agenda
    assert item.decisions == DECISION
    assert editor.item_decisions_edit.toPlainText() == DECISION + "  "  # not rewritten
    assert "All changes saved" in editor.save_state.text()
    assert drafts.list_drafts(page.ctx.db) == []
    editor.save_typing()  # another pause with nothing new: nothing written
    assert len(saves) == 1


def test_details_notes_and_the_poll_save_on_a_pause_too(qtbot, open_meeting, type_text) -> None:
    page, meeting_id, _item = open_meeting
    editor = page.editor
    type_text(editor.notes_edit, "Tea from Seán")
    type_text(editor.chair_edit, "Zoë Hart")
    _pause(editor)
    stored = meetings.get_meeting(page.ctx.db, meeting_id)
    assert (stored.notes, stored.chair) == ("Tea from Seán", "Zoë Hart")
    editor.new_poll()
    type_text(editor.poll_question_edit, "Confident?")
    type_text(editor.poll_answers_edit, "Yes=3")
    _pause(editor)
    (poll,) = meetings.get_meeting(page.ctx.db, meeting_id).polls
    assert (poll.question, poll.answers) == ("Confident?", [("Yes", 3)])
    assert editor.poll_answers_edit.toPlainText() == "Yes=3"  # the lines stay as typed
    assert not editor.poll_dirty()
    qtbot.keyClick(editor.poll_answers_edit, Qt.Key.Key_Return)
    type_text(editor.poll_answers_edit, "No=1")
    _pause(editor)
    (poll,) = meetings.get_meeting(page.ctx.db, meeting_id).polls
    assert poll.answers == [("Yes", 3), ("No", 1)]


def test_a_half_typed_date_goes_to_drafts_without_a_red_field_until_left(
    open_meeting, type_text
) -> None:
    page, meeting_id, _item = open_meeting
    editor = page.editor
    db = page.ctx.db
    editor.date_edit.clear()
    type_text(editor.date_edit, "14/3/")
    type_text(editor.chair_edit, "Siân")
    _pause(editor)
    stored = meetings.get_meeting(db, meeting_id)
    assert (stored.meeting_date, stored.chair) == (date(2025, 10, 6), "")
    (draft,) = drafts.list_drafts(db)
    assert draft.label == "the details of Rugby Locality Forum, 6 October 2025"
    assert (draft.record_table, draft.record_id) == ("meetings", meeting_id)
    typed = {f.name: f.value for f in draft.fields}
    assert (typed["meeting_date"], typed["chair"]) == ("14/3/", "Siân")
    assert editor.details_errors.message("meeting_date") == ""  # nothing red mid-typing
    assert "kept as a draft" in editor.save_state.text()
    # Leaving the field shows the problem there (and keeps the draft).
    editor.date_edit.editingFinished.emit()
    assert "not a date" in editor.details_errors.message("meeting_date")
    assert len(drafts.list_drafts(db)) == 1
    # Put right: the next pause saves the record and drops the draft.
    type_text(editor.date_edit, "2025")
    _pause(editor)
    stored = meetings.get_meeting(db, meeting_id)
    assert (stored.meeting_date, stored.chair) == (date(2025, 3, 14), "Siân")
    assert drafts.list_drafts(db) == []
    assert editor.details_errors.message("meeting_date") == ""


def test_a_conflict_met_on_a_pause_asks_nothing_and_keeps_a_draft(
    open_meeting, other, questions, type_text
) -> None:
    page, meeting_id, _item = open_meeting
    editor = page.editor
    db = page.ctx.db
    _their_venue(other, meeting_id, "Rugby Library")
    type_text(editor.item_decisions_edit, DECISION)
    _pause(editor)
    assert questions.conflicts == []  # no question mid-typing
    assert meetings.get_meeting(db, meeting_id).agenda[0].decisions == ""
    (draft,) = drafts.list_drafts(db)
    assert draft.label == (
        "the minutes of Rugby Locality Forum, 6 October 2025 (item 1, “Pharmacy opening hours”)"
    )
    assert {f.name: f.value for f in draft.fields}["decisions"] == DECISION
    assert "when you leave the field" in editor.save_state.text()
    # Leaving the field asks; Keep editing keeps the draft, Reload drops it with the typing.
    questions.reload = False
    assert editor.save_agenda_item() is False
    assert len(questions.conflicts) == 1 and len(drafts.list_drafts(db)) == 1
    questions.reload = True
    assert editor.save_agenda_item() is False
    assert len(questions.conflicts) == 2
    assert drafts.list_drafts(db) == []
    assert editor.item_decisions_edit.toPlainText() == ""


def test_typing_while_the_conflict_question_is_open_is_kept_as_a_draft(
    open_meeting, other, type_text, monkeypatch
) -> None:
    page, meeting_id, _item = open_meeting
    editor = page.editor
    db = page.ctx.db
    _their_venue(other, meeting_id, "Rugby Library")
    seen: list[list[str]] = []

    def ask_conflict(_parent, _text):
        # The question is open (its own event loop): the idle timer fires meanwhile.
        type_text(editor.notes_edit, " and more")
        editor.save_typing()
        seen.append([str(d.fields[-1].value) for d in drafts.list_drafts(db)])
        return False  # Keep editing

    monkeypatch.setattr(widgets, "ask_conflict", ask_conflict)
    type_text(editor.notes_edit, "Parking")
    editor.save_details()
    assert seen == [["Parking and more"]]
    assert [d.label for d in drafts.list_drafts(db)] == [
        "the details of Rugby Locality Forum, 6 October 2025"
    ]


def test_a_new_items_title_is_kept_until_added_and_leaving_without_saving_drops_drafts(
    open_meeting, type_text, questions
) -> None:
    page, meeting_id, _item = open_meeting
    editor = page.editor
    db = page.ctx.db
    type_text(editor.agenda_new_edit, "Carers' café")
    _pause(editor)
    (draft,) = drafts.list_drafts(db)
    assert draft.label == "a new agenda item for Rugby Locality Forum, 6 October 2025"
    editor.add_agenda_item()
    assert drafts.list_drafts(db) == []
    assert [i.title for i in meetings.get_meeting(db, meeting_id).agenda][-1] == "Carers' café"
    editor.end_edit.setText("25:00")
    editor.end_edit.editingFinished.emit()
    assert len(drafts.list_drafts(db)) == 1
    questions.answer = True  # "Leave without saving"
    page.show_list()
    assert drafts.list_drafts(db) == []


def test_leave_without_saving_throws_the_typing_and_its_draft_away_for_good(
    open_meeting, other, questions, type_text
) -> None:
    """A conflict kept the typing as a draft; "Leave without saving" (the window closing)
    dropped it, but the page hiding next saved the typing again: a second question, and the
    draft back at the next start as "Recovered typing" (the walk of RUG-2612)."""
    page, meeting_id, _item = open_meeting
    editor = page.editor
    db = page.ctx.db
    _their_venue(other, meeting_id, "Rugby Library")
    type_text(editor.notes_edit, "Parking")
    questions.reload = False  # Keep editing
    assert editor.save_details() is False
    assert len(questions.conflicts) == 1 and len(drafts.list_drafts(db)) == 1
    questions.answer = True  # "Leave without saving"
    assert page.finish_editing()
    assert len(questions.conflicts) == 2 and drafts.list_drafts(db) == []
    page.hide()  # the window closes
    assert len(questions.conflicts) == 2  # nothing saved again, nothing asked again
    assert drafts.list_drafts(db) == []
    assert meetings.get_meeting(db, meeting_id).notes == ""
    assert editor.notes_edit.toPlainText() == ""  # the meeting as saved
