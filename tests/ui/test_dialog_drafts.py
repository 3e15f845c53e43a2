"""Every Save/Cancel dialog keeps what is typed as a draft once the typing pauses (one write per
pause, never per keystroke); Save and a confirmed Cancel drop it; a draft reopens its dialog
filled in (an edit gets back only what was changed, so someone else's later change stays).

Timers are never waited for: a test checks the idle timer is running and fires it."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from coordinator_app.core import actions, drafts, meetings
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.vocab import ActionLevel, AttendanceStatus, ExperienceKind
from coordinator_app.ui.dialogs.action_editor import ActionEditor
from coordinator_app.ui.dialogs.record_dialog import RecordDialog

TITLE = "Ask the pharmacy about opening hours"


@pytest.fixture
def action_id(db, place) -> uuid.UUID:
    return actions.raise_action(
        db,
        locality_id=place.locality_id,
        data=ActionInput(title=TITLE, owner="Trust pharmacy lead", level=ActionLevel.LOCALITY),
        today=date(2025, 3, 20),
    )


def _editor(qtbot, ctx, action_id) -> ActionEditor:
    dialog = ActionEditor(ctx, action_id)
    qtbot.addWidget(dialog)
    return dialog


def _pause(dialog: RecordDialog) -> None:
    """The typing pauses: the idle timer (running since the last keystroke) fires."""
    assert dialog.drafts is not None
    assert dialog.drafts.timer.isActive()
    assert 1000 <= dialog.drafts.timer.interval() <= 2000
    dialog.drafts.timer.timeout.emit()


def _value(draft: drafts.Draft, name: str) -> object:
    return next(f.value for f in draft.fields if f.name == name)


def _text(widget) -> str:
    return widget.toPlainText() if hasattr(widget, "toPlainText") else widget.text()


def test_typing_pauses_and_the_draft_holds_it_written_once(
    qtbot, db, ctx, action_id, type_text, monkeypatch
) -> None:
    writes: list[str] = []
    real = drafts.save_draft
    monkeypatch.setattr(
        drafts, "save_draft", lambda *a, **k: writes.append(k["key"]) or real(*a, **k)
    )
    dialog = _editor(qtbot, ctx, action_id)
    type_text(dialog.detail_edit, "Zoë and Siân said the hours changed.")
    type_text(dialog.owner_edit, " (Seán)")
    assert writes == []  # nothing written while typing
    _pause(dialog)
    assert len(writes) == 1
    (draft,) = drafts.list_drafts(db)
    assert draft.form == "ActionEditor"
    assert draft.label.startswith("the action RUG-") and "“Ask the pharmacy about" in draft.label
    assert (draft.record_table, draft.record_id) == ("actions", action_id)
    changed = {f.name: f.value for f in draft.fields if f.changed}
    assert changed == {
        "detail_edit": "Zoë and Siân said the hours changed.",
        "owner_edit": "Trust pharmacy lead (Seán)",
    }
    dialog.drafts.keep_now()  # nothing new typed: nothing written again
    assert len(writes) == 1


def test_save_drops_the_draft(qtbot, db, ctx, action_id, type_text) -> None:
    dialog = _editor(qtbot, ctx, action_id)
    type_text(dialog.detail_edit, "Zoë rang them.")
    _pause(dialog)
    assert len(drafts.list_drafts(db)) == 1
    assert dialog.try_save()
    assert drafts.list_drafts(db) == []
    assert actions.get_action(db, action_id).detail == "Zoë rang them."


def test_cancel_confirmed_drops_the_draft_and_cancel_refused_keeps_it(
    qtbot, db, ctx, action_id, type_text, questions
) -> None:
    dialog = _editor(qtbot, ctx, action_id)
    type_text(dialog.detail_edit, "Siân will chase.")
    _pause(dialog)
    questions.answer = False  # "Discard changes?" -> Cancel: the dialog stays, typing kept
    dialog.reject()
    assert [d.form for d in drafts.list_drafts(db)] == ["ActionEditor"]
    questions.answer = True
    dialog.reject()
    assert questions.asked[-1].startswith("You have typed something")
    assert drafts.list_drafts(db) == []
    assert actions.get_action(db, action_id).detail == ""


def test_typing_undone_drops_the_draft(qtbot, db, ctx, action_id, type_text) -> None:
    dialog = _editor(qtbot, ctx, action_id)
    type_text(dialog.owner_edit, "!")
    _pause(dialog)
    assert len(drafts.list_drafts(db)) == 1
    dialog.owner_edit.setText("Trust pharmacy lead")
    _pause(dialog)
    assert drafts.list_drafts(db) == []


def test_an_edit_reopens_with_what_was_changed_over_someone_elses_later_change(
    qtbot, db, ctx, action_id, type_text
) -> None:
    dialog = _editor(qtbot, ctx, action_id)
    type_text(dialog.detail_edit, "Zoë: open till 8.")
    _pause(dialog)
    (draft,) = drafts.list_drafts(db)
    dialog.hide()  # gone from view (the app stopped); qtbot closes it at the end
    # Someone else changed the owner meanwhile.
    row = actions.get_action(db, action_id)
    actions.update_action(
        db,
        action_id,
        ActionInput(title=TITLE, owner="Siân Evans", level=row.level, raised_on=row.raised_on),
        expected_version=row.version,
    )
    again = RecordDialog.reopen(ctx, draft)
    qtbot.addWidget(again)
    assert isinstance(again, ActionEditor)
    assert again.detail_edit.toPlainText() == "Zoë: open till 8."
    assert again.owner_edit.text() == "Siân Evans"
    assert again.is_dirty()
    assert again.try_save()
    assert drafts.list_drafts(db) == []
    saved = actions.get_action(db, action_id)
    assert (saved.detail, saved.owner) == ("Zoë: open till 8.", "Siân Evans")


def test_two_new_records_are_two_drafts_and_a_new_one_reopens_whole(
    qtbot, db, ctx, place, add_meeting_at, type_text
) -> None:
    meeting_id = add_meeting_at(place.forum_id)
    first = ActionEditor(ctx, None, meeting_id=meeting_id, locality_id=place.locality_id)
    second = ActionEditor(ctx, None)
    for dialog, title in ((first, "Zoë's idea"), (second, "Siân's idea")):
        qtbot.addWidget(dialog)
        type_text(dialog.title_edit, title)
        _pause(dialog)
    by_title = {_value(d, "title_edit"): d for d in drafts.list_drafts(db)}
    assert set(by_title) == {"Zoë's idea", "Siân's idea"}
    at_meeting = by_title["Zoë's idea"]
    assert at_meeting.label == "a new action at Rugby Locality Forum, 18 March 2025"
    assert (at_meeting.record_table, at_meeting.record_id) == ("meetings", meeting_id)
    assert by_title["Siân's idea"].label == "a new action"
    again = RecordDialog.reopen(ctx, at_meeting)
    qtbot.addWidget(again)
    assert isinstance(again, ActionEditor)
    assert again.title_edit.text() == "Zoë's idea"
    assert again.locality_combo.currentData() == place.locality_id
    assert again.meeting_id == meeting_id
    assert again.try_save()
    assert [d.label for d in drafts.list_drafts(db)] == ["a new action"]
    (raised,) = meetings.get_meeting(db, meeting_id).actions
    assert raised.title == "Zoë's idea"


def test_reload_after_a_conflict_drops_the_draft(
    qtbot, db, other, ctx, action_id, type_text, questions
) -> None:
    dialog = _editor(qtbot, ctx, action_id)
    type_text(dialog.detail_edit, "Zoë's note")
    _pause(dialog)
    row = actions.get_action(other, action_id)
    actions.update_action(
        other,
        action_id,
        ActionInput(title=TITLE, owner="Seán", level=row.level, raised_on=row.raised_on),
        expected_version=row.version,
    )
    questions.reload = True
    assert not dialog.try_save()
    assert drafts.list_drafts(db) == []
    assert dialog.owner_edit.text() == "Seán"


def test_every_record_dialog_reopens_from_its_draft(
    qtbot, db, ctx, place, add_meeting_at, add_person, type_text
) -> None:
    """Each Save/Cancel dialog names its draft and opens again from it, filled in."""
    from coordinator_app.core import projects
    from coordinator_app.core.projects import ProjectInput
    from coordinator_app.ui.dialogs import (
        assessment_dialogs,
        meeting_dialogs,
        participant_dialog,
        project_dialog,
    )
    from coordinator_app.ui.drafts import DraftAbout

    meeting_id = add_meeting_at(place.forum_id)
    zoe = add_person("Zoë O'Neill", locality_id=place.locality_id)
    meetings.set_attendance(db, meeting_id, zoe, AttendanceStatus.PRESENT)
    item_id = meetings.add_experience(
        db,
        meeting_id,
        meetings.ExperienceInput(kind=ExperienceKind.CONCERN, summary="Parking"),
    )
    (item,) = meetings.get_meeting(db, meeting_id).experience
    project_id = projects.create_project(
        db, ProjectInput(locality_id=place.locality_id, title="Waiting well")
    )
    made = [
        participant_dialog.ParticipantDialog(ctx),
        participant_dialog.ParticipantDialog(ctx, participant_id=zoe),
        meeting_dialogs.NewMeetingDialog(ctx),
        meeting_dialogs.ExperienceDialog(ctx, meeting_id),
        meeting_dialogs.ExperienceDialog(ctx, meeting_id, item=item),
        meeting_dialogs.ActionDialog(ctx, locality_id=place.locality_id, meeting_id=meeting_id),
        meeting_dialogs.PaymentDialog(ctx, meeting_id, [(zoe, "Zoë O'Neill")]),
        assessment_dialogs.NewAssessmentDialog(ctx),
        project_dialog.ProjectDialog(ctx),
        project_dialog.ProjectDialog(ctx, project_id=project_id),
        ActionEditor(ctx, None),
    ]
    assert {type(d).__name__ for d in made} | {"AssessmentActionDialog"} == set(RecordDialog.forms)
    assert item_id == item.id
    for dialog in made:
        qtbot.addWidget(dialog)
        assert type(dialog).draft_about is not RecordDialog.draft_about, type(dialog).__name__
        about = dialog.draft_about()
        assert isinstance(about, DraftAbout) and "Zoë" not in about.label
        text_box = next(
            w
            for name, w in dialog.drafts.fields.items()
            if name.endswith("_edit") and w.isEnabled()
        )
        type_text(text_box, "Siân")
        _pause(dialog)
        (draft,) = [d for d in drafts.list_drafts(db) if d.key == dialog.drafts.written]
        again = RecordDialog.reopen(ctx, draft)
        qtbot.addWidget(again)
        assert type(again) is type(dialog)
        name = next(n for n, w in dialog.drafts.fields.items() if w is text_box)
        assert _text(again.drafts.fields[name]).endswith("Siân"), type(dialog).__name__
        assert again.is_dirty()
