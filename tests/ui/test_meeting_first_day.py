"""The meeting editor on the first real day (issue #22): suggestions where free text would drift,
actions answering what was said, a past planned meeting offered to be marked held, undo in the
register, the regulars expected on it, and a new meeting taking the forum's usual day, times and
standing items. ``make_page`` and ``add_meeting`` are the Meetings page tests' own.

Dialogs are never ``exec()``-ed: their ``ask`` is patched with a function that builds the real
dialog, fills it as a user would and presses Save, so the dialog's own saving code runs.
"""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

from PySide6.QtCore import Qt
from test_meetings_page import add_meeting, make_page

from coordinator_app.core import actions, meetings
from coordinator_app.core.vocab import (
    AttendanceStatus,
    ExperienceKind,
    ForumKind,
    MeetingStatus,
)
from coordinator_app.ui import widgets
from coordinator_app.ui.dialogs.meeting_dialogs import (
    ActionDialog,
    ExperienceDialog,
    NewMeetingDialog,
)


def test_theme_service_and_owner_suggest_what_was_written_before(qtbot, ctx, place):
    """Issue #22: Theme and Service had no suggestions and the meeting's "Raise an action"
    owner box none (the Actions page had), so the same thing drifted into many spellings."""
    from coordinator_app.core.actions import ActionInput

    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    meetings.add_experience(
        ctx.db,
        meeting_id,
        meetings.ExperienceInput(
            kind=ExperienceKind.CONCERN,
            theme="Crisis line",
            service="Crisis Resolution Team",
            summary="Nobody answered at night",
        ),
    )
    actions.raise_action(
        ctx.db,
        locality_id=place.locality_id,
        data=ActionInput(title="Audit night calls", owner="Siân Evans"),
        meeting_id=meeting_id,
    )

    def offered(edit, typed: str) -> list[str]:
        completer = edit.completer()
        assert completer is not None
        completer.setCompletionPrefix(typed)
        model = completer.completionModel()
        return [model.index(row, 0).data() for row in range(model.rowCount())]

    experience = ExperienceDialog(ctx, meeting_id)
    qtbot.addWidget(experience)
    assert offered(experience.theme_edit, "crisis") == ["Crisis line"]
    assert offered(experience.service_edit, "resolution") == ["Crisis Resolution Team"]
    raise_dialog = ActionDialog(ctx, locality_id=place.locality_id, meeting_id=meeting_id)
    qtbot.addWidget(raise_dialog)
    assert offered(raise_dialog.owner_edit, "evans") == ["Siân Evans"]


def test_an_action_is_raised_from_what_was_said_and_both_show_the_link(qtbot, ctx, place):
    """Issue #22: actions could not be linked to what was said: the core could, no form
    offered it. The Experience tab raises an action answering the chosen item; the raise
    and edit forms offer the meeting's items; the experience list names the actions."""
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    meetings.add_experience(
        ctx.db,
        meeting_id,
        meetings.ExperienceInput(kind=ExperienceKind.CONCERN, summary="Nobody rang Zoë back"),
    )
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    editor = page.editor
    editor.experience_table.select_row(0)
    opened: list[ActionDialog] = []

    def answer(cls, ctx_, parent=None, **kwargs):
        dialog = ActionDialog(ctx_, parent=parent, **kwargs)
        qtbot.addWidget(dialog)
        opened.append(dialog)
        assert dialog.answers_combo.currentText() == "Concern: Nobody rang Zoë back"
        dialog.title_edit.setText("Call back within two days")
        assert dialog.try_save()
        return dialog.result_value

    original = ActionDialog.ask
    ActionDialog.ask = classmethod(answer)  # type: ignore[method-assign]
    try:
        editor.raise_action_from_experience()
    finally:
        ActionDialog.ask = original  # type: ignore[method-assign]
    (action,) = actions.list_actions(ctx.db, meeting_id=meeting_id)
    (item,) = meetings.get_meeting(ctx.db, meeting_id).experience
    assert item.actions == (action.reference,)
    assert editor.experience_model.index(0, 5).data() == action.reference
    # Edited, the form shows the link and can drop it.
    edit = ActionDialog(ctx, locality_id=place.locality_id, meeting_id=meeting_id, action=action)
    qtbot.addWidget(edit)
    assert edit.answers_combo.currentData() == item.id
    edit.answers_combo.setCurrentIndex(edit.answers_combo.findData(None))
    assert edit.try_save()
    assert meetings.get_meeting(ctx.db, meeting_id).experience[0].actions == ()


def test_marking_someone_present_at_a_past_planned_meeting_offers_to_mark_it_held(
    qtbot, ctx, place, add_person, questions
):
    """Issue #22: attendance could be recorded on a planned meeting whose date had passed and
    nothing suggested marking it held (the return counts held meetings only)."""
    past = ctx.today() - timedelta(days=3)
    meeting_id = add_meeting(ctx.db, place.forum_id, past, status=MeetingStatus.PLANNED)
    zoe, bob = add_person("Zoë Price"), add_person("Bob Hale")
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    page.editor.set_attendance(zoe, AttendanceStatus.PRESENT)
    assert any("still marked planned" in q for q in questions.asked)
    assert meetings.get_meeting(ctx.db, meeting_id).status == MeetingStatus.HELD
    asked = len(questions.asked)
    page.editor.set_attendance(bob, AttendanceStatus.PRESENT)
    assert len(questions.asked) == asked  # once per opening, never a nag


def test_marking_someone_present_on_the_meetings_own_day_offers_to_mark_it_held(
    qtbot, ctx, place, add_person, questions
):
    """Issue #22's first-day walk: the register typed up the same evening from the sign-in
    sheet left today's meeting planned, without a word, so the month's return left it out."""
    meeting_id = add_meeting(ctx.db, place.forum_id, ctx.today(), status=MeetingStatus.PLANNED)
    zoe = add_person("Zoë Price")
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    page.editor.set_attendance(zoe, AttendanceStatus.PRESENT)
    assert any("still marked planned" in q for q in questions.asked)
    assert meetings.get_meeting(ctx.db, meeting_id).status == MeetingStatus.HELD


def test_a_future_planned_meeting_is_not_offered_to_be_marked_held(
    qtbot, ctx, place, add_person, questions
):
    meeting_id = add_meeting(
        ctx.db, place.forum_id, ctx.today() + timedelta(days=3), status=MeetingStatus.PLANNED
    )
    zoe = add_person("Zoë Price")
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    page.editor.set_attendance(zoe, AttendanceStatus.PRESENT)
    assert not any("still marked planned" in q for q in questions.asked)
    assert meetings.get_meeting(ctx.db, meeting_id).status == MeetingStatus.PLANNED


def test_ctrl_z_in_the_register_takes_the_last_marks_back(qtbot, ctx, place, add_person):
    """Issue #22 item 9: a slip in the register (the wrong person marked, or present for
    apologies) had no undo."""
    from PySide6.QtTest import QTest

    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14), status=MeetingStatus.HELD)
    zoe, bob = add_person("Zoë Price"), add_person("Bob Hale")
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    editor = page.editor
    editor.set_attendance(bob, AttendanceStatus.APOLOGIES)
    editor.set_attendance(zoe, AttendanceStatus.PRESENT)
    editor.set_attendance(bob, AttendanceStatus.PRESENT)  # the slip

    def statuses() -> dict[uuid.UUID, AttendanceStatus]:
        return {
            r.participant_id: r.status for r in meetings.get_meeting(ctx.db, meeting_id).register
        }

    editor.register_table.setFocus()
    QTest.keyClick(editor.register_table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert statuses() == {bob: AttendanceStatus.APOLOGIES, zoe: AttendanceStatus.PRESENT}
    assert editor.register_feedback.text() == "Undone: Bob Hale is apologies again."
    QTest.keyClick(editor.find_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert statuses() == {bob: AttendanceStatus.APOLOGIES}  # Zoë off again
    assert editor.undo_last() and statuses() == {}
    assert editor.undo_last() is False
    assert editor.register_feedback.text() == "Nothing to undo in the register."


def test_the_forums_regulars_wait_on_the_register_as_expected_and_p_marks_them(
    qtbot, ctx, place, add_person
):
    """Issue #22 item 3: the register was empty though the sign-in sheet listed the regulars;
    now they wait at its foot as "expected" (counted nowhere) and P marks one present."""
    from PySide6.QtTest import QTest

    from coordinator_app.ui.models.register import EXPECTED_TEXT

    today = ctx.today()
    ann, bob = add_person("Ann Regular"), add_person("Bob Hale")
    last = add_meeting(
        ctx.db, place.forum_id, today - timedelta(days=28), status=MeetingStatus.HELD
    )
    meetings.set_attendance(ctx.db, last, ann, AttendanceStatus.PRESENT)
    meetings.set_attendance(ctx.db, last, bob, AttendanceStatus.PRESENT)
    planned = add_meeting(ctx.db, place.forum_id, today + timedelta(days=7))
    meetings.set_attendance(ctx.db, planned, bob, AttendanceStatus.APOLOGIES)
    page = make_page(qtbot, ctx)
    page.open_meeting(planned)
    editor = page.editor
    model = editor.register_model
    shown = {model.row_at(r).name: model.index(r, 2).data() for r in range(model.rowCount())}
    assert shown == {"Bob Hale": "Apologies", "Ann Regular": EXPECTED_TEXT}
    assert editor.register_counts.text().endswith("Expected, not yet marked: 1")
    assert [r.participant_id for r in meetings.get_meeting(ctx.db, planned).register] == [bob]

    editor.register_table.select_row(model.row_of(ann))
    editor.remove_selected()  # nothing to take off: no question asked, nothing written
    assert "nothing to remove" in editor.register_feedback.text()
    editor.register_table.setFocus()
    QTest.keyClick(editor.register_table, Qt.Key.Key_P)
    statuses = {r.participant_id: r.status for r in meetings.get_meeting(ctx.db, planned).register}
    assert statuses == {bob: AttendanceStatus.APOLOGIES, ann: AttendanceStatus.PRESENT}
    assert "Expected" not in editor.register_counts.text()
    editor.register_table.setFocus()
    QTest.keyClick(editor.register_table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert model.index(model.row_of(ann), 2).data() == EXPECTED_TEXT, "undone: expected again"


def test_a_new_meeting_takes_the_forums_usual_day_times_and_standing_items(qtbot, ctx, place):
    """Issue #22 items 1 and 3: a new meeting's date, times and agenda were all typed afresh."""
    from coordinator_app.core import organisation
    from coordinator_app.core.forum_usual import Usual

    organisation.update_forum(
        ctx.db,
        place.forum_id,
        name="Rugby Locality Forum",
        kind=ForumKind.LOCALITY_FORUM,
        default_venue="Benn Hall",
        usual=Usual(
            week=2, weekday=1, start=time(14), end=time(16), standing_items=("Welcome", "Apologies")
        ),
    )
    dialog = NewMeetingDialog(ctx)  # today is Thursday 20 March 2025
    qtbot.addWidget(dialog)
    dialog.end_edit.setText("15:30")  # typed first: kept
    widgets.select_data(dialog.forum_combo, place.forum_id)
    assert dialog.date_edit.value() == date(2025, 4, 8), "the next 2nd Tuesday"
    assert (dialog.start_edit.value(), dialog.end_edit.value()) == (time(14), time(15, 30))
    assert dialog.usual_hint.text() == (
        "Usually 2nd Tuesday of the month, 14:00 to 16:00. "
        "The agenda starts with its 2 standing items."
    )
    widgets.select_data(dialog.forum_combo, place.events_forum_id)
    assert dialog.date_edit.value() == date(2025, 4, 8), "no usual day: the date stays"
    assert not dialog.usual_hint.isVisible()
    widgets.select_data(dialog.forum_combo, place.forum_id)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    detail = meetings.get_meeting(ctx.db, dialog.result_value)
    assert [item.title for item in detail.agenda] == ["Welcome", "Apologies"]
    assert (detail.meeting_date, detail.start_time) == (date(2025, 4, 8), time(14))


def test_alt_u_in_the_register_goes_to_the_unnamed_counts(qtbot, ctx, place):
    """Issue #22's first-day walk: the unnamed counts, typed in at every meeting, had no
    letter: six Tabs from the find box, past the register and its four buttons."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from coordinator_app.core.vocab import Category
    from coordinator_app.ui.views.meeting.editor import TAB_REGISTER

    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14), status=MeetingStatus.HELD)
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    editor = page.editor
    editor.tabs.setCurrentIndex(TAB_REGISTER)
    with qtbot.waitActive(page):
        page.activateWindow()
    editor.find_edit.setFocus()
    QTest.keyClick(editor.find_edit, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is editor.unnamed_spins[Category.SERVICE_USER]
    QTest.keyClicks(QApplication.focusWidget(), "2")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert meetings.get_meeting(ctx.db, meeting_id).unnamed == {Category.SERVICE_USER: 2}


def test_a_new_meeting_on_a_bank_holiday_says_so(qtbot, ctx, place):
    """The walk (issue #22 follow-up): a forum meeting on the 4th Friday was proposed for
    25 December 2026 without a word. The date is pointed out, never refused."""
    from coordinator_app.core import organisation
    from coordinator_app.core.forum_usual import Usual

    organisation.update_forum(
        ctx.db,
        place.forum_id,
        name="Rugby Locality Forum",
        kind=ForumKind.LOCALITY_FORUM,
        usual=Usual(week=3, weekday=0, start=time(14), end=time(16)),
    )
    dialog = NewMeetingDialog(ctx)  # today is Thursday 20 March 2025
    qtbot.addWidget(dialog)
    dialog.show()
    widgets.select_data(dialog.forum_combo, place.forum_id)
    assert dialog.date_edit.value() == date(2025, 4, 21), "the next 3rd Monday"
    assert dialog.holiday_hint.isVisible()
    assert dialog.holiday_hint.text() == "21 April 2025 is Easter Monday, a bank holiday."
    dialog.date_edit.setText("25/04/2025")
    assert not dialog.holiday_hint.isVisible()
    dialog.date_edit.setText("26/12/2025")
    assert dialog.holiday_hint.text() == "26 December 2025 is Boxing Day, a bank holiday."
