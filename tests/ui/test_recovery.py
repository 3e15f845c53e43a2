"""At the next start, what was being typed when the app stopped is offered back: one dialog,
Keep or Drop for each draft, reachable by keyboard and named for a screen reader. Keep applies
a meeting's text through the editor's own save and opens the meeting (a problem shows at the
field), or reopens a dialog filled in; Drop deletes; a draft whose record went is only text to
copy. Dialogs are never exec()-ed: ``RecoveryDialog.ask`` and ``run_dialog`` are patched."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from coordinator_app.core import actions, drafts, meetings
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.drafts import DraftField
from coordinator_app.core.vocab import ActionLevel, MeetingStatus
from coordinator_app.ui.dialogs import recovery_dialog
from coordinator_app.ui.dialogs.action_editor import ActionEditor
from coordinator_app.ui.dialogs.recovery_dialog import RecoveryDialog
from coordinator_app.ui.main_window import MainWindow
from coordinator_app.ui.views.meeting.editor import TAB_AGENDA, TAB_DETAILS

DECISION = "Zoë to ask the pharmacy; Siân to book the hall."


pytestmark = pytest.mark.usefixtures("own_settings")


@pytest.fixture
def meeting(db, place):
    meeting_id = meetings.create_meeting(
        db,
        meetings.MeetingInput(
            forum_id=place.forum_id, meeting_date=date(2025, 10, 6), status=MeetingStatus.HELD
        ),
    )
    item_id = meetings.add_agenda_item(db, meeting_id, "Pharmacy")
    return meeting_id, item_id


@pytest.fixture
def window(qtbot, ctx, place):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def offered(monkeypatch, qtbot):
    """Start-up's recovery, with the dialog built (never exec()-ed) and handed to the test."""
    shown: list[RecoveryDialog] = []

    def ask(cls, ctx, found, keep, parent=None):
        dialog = cls(ctx, found, keep, parent)
        qtbot.addWidget(dialog)
        shown.append(dialog)

    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(ask))
    return shown


def _meeting_draft(db, meeting_id, item_id) -> None:
    """What the meeting editor keeps of an agenda item it could not save (a conflict)."""
    drafts.save_draft(
        db,
        key=f"MeetingEditor:agenda_items:{item_id}",
        form="MeetingEditor",
        label="the minutes of Rugby Locality Forum, 6 October 2025 (item 1, “Pharmacy”)",
        fields=[
            DraftField("title", "Title", "text", "Pharmacy", "Pharmacy"),
            DraftField("discussion", "Discussion", "text", "", ""),
            DraftField("decisions", "Decisions", "text", DECISION, DECISION),
        ],
        context={"part": "agenda", "meeting_id": meeting_id, "item_id": item_id},
        record=("agenda_items", item_id),
    )


def _row(dialog: RecoveryDialog, label_part: str):
    (row,) = [r for r in dialog.rows.values() if label_part in r.draft.label]
    return row


def test_nothing_is_offered_when_nothing_was_left(window, offered) -> None:
    window.recover_drafts()
    assert offered == []


def test_keep_applies_a_meetings_text_and_opens_the_meeting(
    qtbot, db, window, offered, meeting
) -> None:
    meeting_id, item_id = meeting
    _meeting_draft(db, meeting_id, item_id)
    window.recover_drafts()
    (dialog,) = offered
    row = _row(dialog, "the minutes of Rugby Locality Forum, 6 October 2025")
    assert row.heading.text() == (
        "Recovered what you were typing in the minutes of Rugby Locality Forum, 6 October 2025 "
        "(item 1, “Pharmacy”)."
    )
    qtbot.mouseClick(row.keep_button, Qt.MouseButton.LeftButton)
    assert meetings.get_meeting(db, meeting_id).agenda[0].decisions == DECISION
    assert drafts.list_drafts(db) == []
    editor = window.meetings.editor
    assert window.pages.currentWidget() is window.meetings
    assert editor.meeting_id == meeting_id
    assert editor.tabs.currentIndex() == TAB_AGENDA
    assert editor.item_decisions_edit.toPlainText() == DECISION
    assert dialog.result() == dialog.DialogCode.Accepted  # every draft decided: it closes


def test_keep_with_a_problem_shows_it_at_the_field_and_keeps_the_draft(
    qtbot, db, window, offered, meeting
) -> None:
    meeting_id, _item = meeting
    typed = {"meeting_date": "14/3/", "chair": "Siân Evans", "venue": "Benn Hall"}
    drafts.save_draft(
        db,
        key=f"MeetingEditor:meetings:{meeting_id}",
        form="MeetingEditor",
        label="the details of Rugby Locality Forum, 6 October 2025",
        fields=[DraftField(k, k, "text", v, v) for k, v in typed.items()],
        context={"part": "details", "meeting_id": meeting_id},
        record=("meetings", meeting_id),
    )
    window.recover_drafts()
    (dialog,) = offered
    qtbot.mouseClick(_row(dialog, "details").keep_button, Qt.MouseButton.LeftButton)
    editor = window.meetings.editor
    assert editor.tabs.currentIndex() == TAB_DETAILS
    assert editor.date_edit.text() == "14/3/"
    assert "not a date" in editor.details_errors.message("meeting_date")
    assert meetings.get_meeting(db, meeting_id).chair == ""  # nothing half saved
    assert [d.label for d in drafts.list_drafts(db)] == [
        "the details of Rugby Locality Forum, 6 October 2025"
    ]
    # Put right where it shows, it saves and the draft goes.
    editor.date_edit.setText("14/03/2025")
    editor.date_edit.editingFinished.emit()
    assert meetings.get_meeting(db, meeting_id).chair == "Siân Evans"
    assert drafts.list_drafts(db) == []


def test_keep_reopens_a_dialog_filled_in_and_drop_deletes(
    qtbot, db, ctx, window, offered, place, monkeypatch, type_text
) -> None:
    action_id = actions.raise_action(
        db,
        locality_id=place.locality_id,
        data=ActionInput(title="Ask the pharmacy", level=ActionLevel.LOCALITY),
        today=date(2025, 3, 20),
    )
    for what, text in ((action_id, "Zoë rang them."), (None, "Seán's idea")):
        typed_in = ActionEditor(ctx, what)
        qtbot.addWidget(typed_in)
        type_text(typed_in.detail_edit if what else typed_in.title_edit, text)
        typed_in.drafts.keep_now()
        typed_in.drafts.written = None  # the app was killed: nothing drops it
    reopened: list[ActionEditor] = []
    monkeypatch.setattr(recovery_dialog, "run_dialog", reopened.append)
    window.recover_drafts()
    (dialog,) = offered
    reference = actions.get_action(db, action_id).reference
    assert {r.draft.label for r in dialog.rows.values()} == {
        f"the action {reference} “Ask the pharmacy”",
        "a new action",
    }
    qtbot.mouseClick(_row(dialog, reference).keep_button, Qt.MouseButton.LeftButton)
    (editor,) = reopened
    qtbot.addWidget(editor)
    assert editor.action is not None and editor.action.id == action_id
    assert editor.detail_edit.toPlainText() == "Zoë rang them."
    assert editor.try_save()
    assert actions.get_action(db, action_id).detail == "Zoë rang them."
    assert dialog.result() != dialog.DialogCode.Accepted  # one still to decide: it stays
    new_row = _row(dialog, "a new action")
    qtbot.mouseClick(new_row.drop_button, Qt.MouseButton.LeftButton)
    assert drafts.list_drafts(db) == []
    assert new_row.note.text() == "Dropped."
    assert dialog.result() == dialog.DialogCode.Accepted


def test_a_draft_whose_record_went_is_only_text_to_copy(
    qtbot, db, window, offered, meeting
) -> None:
    meeting_id, item_id = meeting
    _meeting_draft(db, meeting_id, item_id)
    meetings.delete_meeting(db, meeting_id)
    window.recover_drafts()
    (dialog,) = offered
    row = _row(dialog, "minutes")
    assert row.keep_button.isHidden()
    assert not row.text_box.isHidden() and row.text_box.isReadOnly()
    assert row.text_box.toPlainText() == f"Title: Pharmacy\nDecisions: {DECISION}"
    assert "deleted since" in row.note.text()
    qtbot.mouseClick(row.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == f"Title: Pharmacy\nDecisions: {DECISION}"
    qtbot.mouseClick(row.drop_button, Qt.MouseButton.LeftButton)
    assert drafts.list_drafts(db) == []


def test_keep_refused_says_why_in_its_row_and_keeps_the_draft(
    qtbot, db, ctx, meeting, questions
) -> None:
    """Putting a draft back is refused (what it needs went after the list was shown): the
    sentence in its row, its text to copy, no message, and the draft kept until dropped (issue
    #20: through ``operations.attempt``'s ``on_refused``)."""
    from coordinator_app.core.errors import NotFoundError

    meeting_id, item_id = meeting
    _meeting_draft(db, meeting_id, item_id)

    def gone(_draft) -> None:
        raise NotFoundError("that part of the meeting has been deleted")

    dialog = RecoveryDialog(ctx, drafts.list_drafts(db), gone)
    qtbot.addWidget(dialog)
    row = _row(dialog, "minutes")
    qtbot.mouseClick(row.keep_button, Qt.MouseButton.LeftButton)
    assert row.note.text() == (
        "It cannot be put back (that part of the meeting has been deleted); copy what you need:"
    )
    assert row.keep_button.isHidden() and not row.text_box.isHidden()
    assert questions.told == [] and len(drafts.list_drafts(db)) == 1


def test_decide_later_keeps_the_rest_and_every_control_is_named_and_reachable(
    qtbot, db, window, offered, meeting, unnamed_controls
) -> None:
    meeting_id, item_id = meeting
    _meeting_draft(db, meeting_id, item_id)
    window.recover_drafts()
    (dialog,) = offered
    dialog.show()
    assert unnamed_controls(dialog) == []
    row = _row(dialog, "minutes")
    for button in (row.keep_button, row.drop_button, dialog.later_button):
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert "minutes of Rugby" in button.accessibleName() or button is dialog.later_button
    qtbot.mouseClick(dialog.later_button, Qt.MouseButton.LeftButton)
    assert len(drafts.list_drafts(db)) == 1


def test_a_draft_that_cannot_be_put_back_is_offered_as_text(qtbot, db, window, offered) -> None:
    """A form this version does not have, or a draft it cannot read: its text can be copied."""
    typed = [DraftField("note", "Note", "text", "Zoë's note", "Zoë's note")]
    for key, form, context in (
        ("old", "FormOfAnotherVersion", {"editing": False, "open": {}}),
        ("odd", "MeetingEditor", {"part": "details"}),
    ):
        drafts.save_draft(db, key=key, form=form, label=key, fields=typed, context=context)
    window.recover_drafts()
    (dialog,) = offered
    for label in ("old", "odd"):
        row = _row(dialog, label)
        qtbot.mouseClick(row.keep_button, Qt.MouseButton.LeftButton)
        assert row.keep_button.isHidden() and not row.text_box.isHidden()
        assert row.text_box.toPlainText() == "Note: Zoë's note"
        assert "cannot be put back" in row.note.text()
    assert len(drafts.list_drafts(db)) == 2  # kept until dropped


def test_the_app_is_said_to_have_stopped_only_when_it_did(
    qtbot, ctx, db, window, offered, meeting, monkeypatch, tmp_path
) -> None:
    """Typing is left also by "Decide later" or a draft the database would not drop: after a
    clean close the list does not say the app stopped (the walk of RUG-2612 read "The app
    stopped last time" after a normal close)."""
    from coordinator_app.core.soundness import SoundnessCheck

    meeting_id, item_id = meeting
    _meeting_draft(db, meeting_id, item_id)
    window.recover_drafts()
    (closed,) = offered
    said = " ".join(label.text() for label in closed.findChildren(QLabel))
    assert "The app stopped" not in said
    assert (
        "Some typing from last time was not saved. It was kept: Keep puts it back where it "
        "was typed, Drop throws it away."
    ) in said
    # Opened with no record of a clean close beside it: the damage check was deferred.
    monkeypatch.setattr(db, "soundness", SoundnessCheck.known(tmp_path / "coordinator.db", []))
    window.recover_drafts()
    said = " ".join(label.text() for label in offered[-1].findChildren(QLabel))
    assert "The app stopped last time before some typing was saved." in said
