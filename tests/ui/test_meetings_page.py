"""The Meetings page: the list and its filters, the editor, the attendance register in one pass,
and problems shown at the field with nothing saved.

Dialogs are never ``exec()``-ed: their ``ask`` is patched with a function that builds the real
dialog, fills it as a user would and presses Save, so the dialog's own saving code runs.
"""

from __future__ import annotations

import uuid
from datetime import date, time

import pytest
from PySide6.QtCore import Qt

from coordinator_app.core import actions, meetings
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.vocab import (
    ActionLevel,
    AttendanceStatus,
    Category,
    ExpenseKind,
    ExperienceKind,
    MeetingFormat,
    MeetingStatus,
    PaymentStatus,
)
from coordinator_app.ui import widgets
from coordinator_app.ui.dialogs.meeting_dialogs import (
    ActionDialog,
    ExperienceDialog,
    NewMeetingDialog,
    PaymentDialog,
)
from coordinator_app.ui.dialogs.participant_dialog import ParticipantDialog
from coordinator_app.ui.models.meetings import EventsFilter
from coordinator_app.ui.scope import EVERY
from coordinator_app.ui.views.meeting.editor import TAB_REGISTER
from coordinator_app.ui.views.meetings import MeetingsPage


def make_page(qtbot, ctx) -> MeetingsPage:
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def add_meeting(db, forum_id, on: date, **extra) -> uuid.UUID:
    return meetings.create_meeting(db, MeetingInput(forum_id=forum_id, meeting_date=on, **extra))


def answer_new_meeting(qtbot, fill):
    """A stand-in for ``NewMeetingDialog.ask`` that fills the real dialog and presses Save."""

    def ask(ctx, parent=None, *, forum_id=None):
        dialog = NewMeetingDialog(ctx, parent, forum_id=forum_id)
        qtbot.addWidget(dialog)
        fill(dialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        ask.dialog = dialog
        return dialog.result_value

    return ask


def press_enter(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)


# --- the journey --------------------------------------------------------------------------------


def test_register_a_meeting_in_one_pass_and_see_it_all_again_after_reopening(
    qtbot, ctx, place, monkeypatch, add_person, type_text
):
    db = ctx.db
    alice = add_person("Alice Brown", locality_id=place.locality_id)
    zoe = add_person("Zoë Davies", Category.CARER, place.locality_id)
    bob = add_person("Bob O'Neill", locality_id=place.locality_id)
    sian = add_person("Siân Jones", Category.STAFF, place.locality_id)
    page = make_page(qtbot, ctx)

    # 1. A new meeting: the forum's venue is offered, times typed.
    def fill_meeting(dialog):
        widgets.select_data(dialog.forum_combo, place.forum_id)
        assert dialog.venue_edit.text() == "Benn Hall"
        qtbot.keyClicks(dialog.date_edit, "14/03/2025")
        qtbot.keyClicks(dialog.start_edit, "18:00")
        qtbot.keyClicks(dialog.end_edit, "8pm")

    monkeypatch.setattr(NewMeetingDialog, "ask", answer_new_meeting(qtbot, fill_meeting))
    page.new_meeting()
    editor = page.editor
    assert page.stack.currentWidget() is editor
    meeting_id = editor.meeting_id
    assert meeting_id is not None
    assert page.current_meeting_id() == meeting_id

    # 2. Details typed and saved on leaving each field.
    qtbot.keyClicks(editor.chair_edit, "Dr Ann Lee")
    press_enter(qtbot, editor.chair_edit)
    widgets.select_data(editor.status_combo, MeetingStatus.HELD)
    editor.status_combo.activated.emit(editor.status_combo.currentIndex())
    assert not editor.details_errors.has_errors()

    # 3. The register in one pass: a few letters, Enter, next.
    editor.tabs.setCurrentIndex(TAB_REGISTER)
    find = editor.find_edit
    find.setFocus()
    qtbot.keyClicks(find, "ali")
    assert editor.suggestions.count() == 1
    press_enter(qtbot, find)
    assert find.text() == ""
    type_text(find, "Zoë")  # typed with the accent
    assert editor.suggestions.item(0).text().startswith("Zoë Davies")
    press_enter(qtbot, find)
    qtbot.keyClicks(find, "o'ne")
    press_enter(qtbot, find)
    qtbot.keyClicks(find, "sian")  # typed without the accent
    press_enter(qtbot, find)

    # A new face, added without leaving the register: Enter on no match.
    def new_person(ctx_, parent=None, *, participant_id=None, name="", locality_id=None):
        dialog = ParticipantDialog(ctx_, parent, name=name, locality_id=locality_id)
        qtbot.addWidget(dialog)
        assert dialog.name_edit.text() == "Priya Shah"
        assert dialog.locality_combo.currentData() == place.locality_id
        widgets.select_data(dialog.category_combo, Category.REPRESENTATIVE)
        qtbot.keyClicks(dialog.organisation_edit, "Rugby Mind")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result_value

    monkeypatch.setattr(ParticipantDialog, "ask", new_person)
    qtbot.keyClicks(find, "Priya Shah")
    assert editor.suggestions.count() == 0
    press_enter(qtbot, find)
    assert find.text() == ""
    names = [r.name for r in editor.register_model.rows()]
    assert sorted(names) == sorted(
        ["Alice Brown", "Zoë Davies", "Bob O'Neill", "Siân Jones", "Priya Shah"]
    )

    # Siân sent apologies: select her row, press A.
    editor.register_table.setFocus()
    editor.register_table.select_row(editor.register_model.row_of(sian))
    qtbot.keyClick(editor.register_table, Qt.Key.Key_A)
    assert editor.register_model.row_at(editor.register_model.row_of(sian)).status == (
        AttendanceStatus.APOLOGIES
    )

    # Two carers would rather not be named.
    carers = editor.unnamed_spins[Category.CARER]
    carers.setFocus()
    qtbot.keyClick(carers, Qt.Key.Key_Up)
    qtbot.keyClick(carers, Qt.Key.Key_Up)
    assert "Present: 4" in editor.register_counts.text()
    assert "Apologies: 1" in editor.register_counts.text()

    # 4. An agenda item with its discussion.
    qtbot.keyClicks(editor.agenda_new_edit, "Crisis line waiting times")
    press_enter(qtbot, editor.agenda_new_edit)
    editor.item_discussion_edit.setPlainText("People waited over an hour at weekends.")
    editor.save_agenda_item()

    # 5. Experience heard, and an action raised from it.
    def experience(ctx_, meeting_id, parent=None, *, item=None):
        dialog = ExperienceDialog(ctx_, meeting_id, parent, item=item)
        qtbot.addWidget(dialog)
        widgets.select_data(dialog.kind_combo, ExperienceKind.CONCERN)
        qtbot.keyClicks(dialog.theme_edit, "Access")
        qtbot.keyClicks(dialog.service_edit, "Crisis team")
        dialog.summary_edit.setPlainText("Long waits on the crisis line at weekends.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result_value

    monkeypatch.setattr(ExperienceDialog, "ask", experience)
    qtbot.mouseClick(editor.experience_add_button, Qt.MouseButton.LeftButton)

    def raise_it(ctx_, parent=None, *, locality_id, meeting_id=None, action=None):
        dialog = ActionDialog(ctx_, locality_id=locality_id, meeting_id=meeting_id, parent=parent)
        qtbot.addWidget(dialog)
        qtbot.keyClicks(dialog.title_edit, "Review weekend crisis line staffing")
        qtbot.keyClicks(dialog.owner_edit, "Crisis team manager")
        qtbot.keyClicks(dialog.due_edit, "30/04/2025")
        widgets.select_data(dialog.level_combo, ActionLevel.TEAM_WARD)
        dialog.priority_combo.setCurrentIndex(1)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result_value

    monkeypatch.setattr(ActionDialog, "ask", raise_it)
    qtbot.mouseClick(editor.action_raise_button, Qt.MouseButton.LeftButton)

    # 6. Alice's payment at the trust's rate, with expenses.
    def payment(ctx_, meeting_id, people_, parent=None, *, payment=None, default_pence=0):
        dialog = PaymentDialog(
            ctx_, meeting_id, people_, parent, payment=payment, default_pence=default_pence
        )
        qtbot.addWidget(dialog)
        assert dialog.amount_edit.text() == "25.00"
        widgets.select_data(dialog.person_combo, alice)
        widgets.select_data(dialog.status_combo, PaymentStatus.PAID)
        qtbot.keyClicks(dialog.fields.expenses[ExpenseKind.TRAVEL], "£4.60")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result_value

    monkeypatch.setattr(PaymentDialog, "ask", payment)
    qtbot.mouseClick(editor.payment_add_button, Qt.MouseButton.LeftButton)

    # 7. Close the page; a new one shows it all again.
    page.close()
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    editor = page.editor
    assert editor.chair_edit.text() == "Dr Ann Lee"
    assert editor.venue_edit.text() == "Benn Hall"
    assert editor.status_combo.currentData() == MeetingStatus.HELD
    statuses = {r.name: r.status for r in editor.register_model.rows()}
    assert statuses == {
        "Alice Brown": AttendanceStatus.PRESENT,
        "Zoë Davies": AttendanceStatus.PRESENT,
        "Bob O'Neill": AttendanceStatus.PRESENT,
        "Siân Jones": AttendanceStatus.APOLOGIES,
        "Priya Shah": AttendanceStatus.PRESENT,
    }
    assert editor.unnamed_spins[Category.CARER].value() == 2
    assert [r.summary for r in editor.experience_model.rows()] == [
        "Long waits on the crisis line at weekends."
    ]
    assert [r.title for r in editor.actions_model.rows()] == ["Review weekend crisis line staffing"]
    assert [r.title for r in editor.agenda_model.rows()] == ["Crisis line waiting times"]
    assert editor.payments_model.rows()[0].expenses_pence == 460

    # ...and in the database, through core.
    detail = meetings.get_meeting(db, meeting_id)
    assert detail.start_time == time(18, 0) and detail.end_time == time(20, 0)
    assert detail.meeting_date == date(2025, 3, 14)
    assert detail.status == MeetingStatus.HELD
    assert {r.participant_id: r.status for r in detail.register}[zoe] == AttendanceStatus.PRESENT
    assert {r.participant_id: r.status for r in detail.register}[bob] == AttendanceStatus.PRESENT
    assert detail.unnamed == {Category.CARER: 2} or detail.unnamed.get(Category.CARER) == 2
    assert detail.present_count == 4 and detail.apologies_count == 1
    assert detail.experience[0].kind == ExperienceKind.CONCERN
    assert detail.experience[0].theme == "Access"
    assert detail.agenda[0].discussion == "People waited over an hour at weekends."
    (action,) = actions.list_actions(db, meeting_id=meeting_id, today=ctx.today())
    assert action.owner == "Crisis team manager"
    assert action.due_on == date(2025, 4, 30)
    assert action.level == ActionLevel.TEAM_WARD
    assert action.priority_name
    (pay,) = detail.payments
    assert (pay.participant_id, pay.status, pay.amount_pence, pay.expenses_pence) == (
        alice,
        PaymentStatus.PAID,
        2500,
        460,
    )


def test_saves_are_announced_so_other_pages_refresh(qtbot, ctx, place, add_person):
    add_person("Alice Brown")
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    page.editor.find_edit.setText("alice")
    with qtbot.waitSignal(ctx.events.meetingsChanged) as blocker:
        press_enter(qtbot, page.editor.find_edit)
    assert blocker.args == [str(meeting_id)]


def test_typing_in_details_is_saved_when_the_page_is_hidden(qtbot, ctx, place):
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    page.editor.minute_taker_edit.setText("Seán Murphy")  # still in the field, not left yet
    page.editor.notes_edit.setPlainText("Tea and biscuits")
    page.close()
    detail = meetings.get_meeting(ctx.db, meeting_id)
    assert detail.minute_taker == "Seán Murphy"
    assert detail.notes == "Tea and biscuits"


def test_plan_next_meeting_opens_it_with_venue_copied(qtbot, ctx, place):
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14), venue="Benn Hall")
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    qtbot.mouseClick(page.editor.plan_next_button, Qt.MouseButton.LeftButton)
    new_id = page.editor.meeting_id
    assert new_id is not None and new_id != meeting_id
    assert page.editor.venue_edit.text() == "Benn Hall"
    assert meetings.get_meeting(ctx.db, new_id).meeting_date > date(2025, 3, 14)


def test_plan_next_meeting_asks_when_one_is_planned_already(qtbot, ctx, place, questions):
    """Issue #22: Alt+N made RUG-2701-5 beside the planned RUG-2701-2 without a word."""
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14), status=MeetingStatus.HELD)
    planned = meetings.plan_next_meeting(ctx.db, meeting_id)
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    count = len(meetings.list_meetings(ctx.db))
    page.editor.plan_next()  # default answer: open the one planned
    assert questions.choices and "already has a meeting planned" in questions.choices[0]
    assert page.editor.meeting_id == planned
    assert len(meetings.list_meetings(ctx.db)) == count
    page.open_meeting(meeting_id)
    questions.choice = 2  # Cancel
    page.editor.plan_next()
    assert page.editor.meeting_id == meeting_id and len(meetings.list_meetings(ctx.db)) == count
    questions.choice = 1  # another anyway
    page.editor.plan_next()
    assert len(meetings.list_meetings(ctx.db)) == count + 1


def test_agenda_items_are_added_moved_and_removed_after_asking(qtbot, ctx, place, monkeypatch):
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    editor = page.editor
    for title in ("Welcome", "Crisis line", "Any other business"):
        qtbot.keyClicks(editor.agenda_new_edit, title)
        press_enter(qtbot, editor.agenda_new_edit)
    assert [r.title for r in editor.agenda_model.rows()] == [
        "Welcome",
        "Crisis line",
        "Any other business",
    ]
    editor.agenda_table.select_row(2)
    qtbot.mouseClick(editor.agenda_up_button, Qt.MouseButton.LeftButton)
    titles = [a.title for a in meetings.get_meeting(ctx.db, meeting_id).agenda]
    assert titles == ["Welcome", "Any other business", "Crisis line"]
    assert editor.item_title_edit.text() == "Any other business"

    monkeypatch.setattr(widgets, "confirm", lambda *a, **k: False)
    qtbot.mouseClick(editor.agenda_remove_button, Qt.MouseButton.LeftButton)
    assert len(meetings.get_meeting(ctx.db, meeting_id).agenda) == 3
    monkeypatch.setattr(widgets, "confirm", lambda *a, **k: True)
    qtbot.mouseClick(editor.agenda_remove_button, Qt.MouseButton.LeftButton)
    titles = [a.title for a in meetings.get_meeting(ctx.db, meeting_id).agenda]
    assert titles == ["Welcome", "Crisis line"]


def test_an_empty_agenda_title_is_shown_at_the_field_and_not_saved(qtbot, ctx, place):
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    meetings.add_agenda_item(ctx.db, meeting_id, "Welcome")
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    editor = page.editor
    editor.agenda_table.select_row(0)
    editor.item_title_edit.clear()
    editor.item_title_edit.editingFinished.emit()
    assert editor.agenda_errors.message("title") == "Give the agenda item a title."
    assert meetings.get_meeting(ctx.db, meeting_id).agenda[0].title == "Welcome"


def test_register_status_keys_and_removal_ask_first(qtbot, ctx, place, add_person, monkeypatch):
    alice = add_person("Alice Brown")
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    meetings.set_attendance(ctx.db, meeting_id, alice, AttendanceStatus.PRESENT)
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    editor = page.editor
    editor.tabs.setCurrentIndex(TAB_REGISTER)
    editor.register_table.setFocus()
    editor.register_table.select_row(0)
    qtbot.keyClick(editor.register_table, Qt.Key.Key_X)
    assert meetings.get_meeting(ctx.db, meeting_id).register[0].status == AttendanceStatus.ABSENT
    assert "Absent" in editor.register_model.data(editor.register_model.index(0, 2))
    qtbot.mouseClick(editor.present_button, Qt.MouseButton.LeftButton)
    assert meetings.get_meeting(ctx.db, meeting_id).register[0].status == AttendanceStatus.PRESENT

    asked = []
    monkeypatch.setattr(widgets, "confirm", lambda *a, **k: asked.append(a) or False)
    qtbot.keyClick(editor.register_table, Qt.Key.Key_Delete)
    assert asked and len(meetings.get_meeting(ctx.db, meeting_id).register) == 1
    monkeypatch.setattr(widgets, "confirm", lambda *a, **k: True)
    qtbot.keyClick(editor.register_table, Qt.Key.Key_Delete)
    assert meetings.get_meeting(ctx.db, meeting_id).register == []


def test_down_arrow_chooses_the_second_match_for_namesakes(qtbot, ctx, place, add_person):
    add_person("Sam Patel", organisation="Age UK")
    second = add_person("Sam Patel", Category.STAFF)
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    find = page.editor.find_edit
    find.setFocus()
    qtbot.keyClicks(find, "sam pa")
    assert page.editor.suggestions.count() == 2
    target_row = next(
        n
        for n in range(2)
        if page.editor.suggestions.item(n).data(Qt.ItemDataRole.UserRole) == second
    )
    for _ in range(target_row):
        qtbot.keyClick(find, Qt.Key.Key_Down)
    press_enter(qtbot, find)
    register = meetings.get_meeting(ctx.db, meeting_id).register
    assert [r.participant_id for r in register] == [second]


def test_cancelling_the_new_person_dialog_keeps_the_register_as_it_was(
    qtbot, ctx, place, monkeypatch
):
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    monkeypatch.setattr(ParticipantDialog, "ask", lambda *a, **k: None)
    qtbot.keyClicks(page.editor.find_edit, "Nobody Known")
    press_enter(qtbot, page.editor.find_edit)
    assert meetings.get_meeting(ctx.db, meeting_id).register == []
    assert page.editor.find_edit.text() == "Nobody Known"


# --- problems at the field ----------------------------------------------------------------------


def test_a_date_typed_wrongly_is_shown_at_the_field_and_nothing_is_saved(qtbot, ctx, place):
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14), venue="Benn Hall")
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    editor = page.editor
    editor.venue_edit.setText("Library")
    editor.date_edit.setText("31/02/2025")
    editor.date_edit.editingFinished.emit()
    assert "not a date" in editor.details_errors.message("meeting_date")
    assert editor.date_edit.styleSheet()  # red border, with the sentence under it
    assert "Not saved" in editor.save_state.text()
    detail = meetings.get_meeting(ctx.db, meeting_id)
    assert (detail.meeting_date, detail.venue) == (date(2025, 3, 14), "Benn Hall")

    # Put right, it saves and the message goes.
    editor.date_edit.setText("15/03/2025")
    editor.date_edit.editingFinished.emit()
    assert editor.details_errors.message("meeting_date") == ""
    detail = meetings.get_meeting(ctx.db, meeting_id)
    assert (detail.meeting_date, detail.venue) == (date(2025, 3, 15), "Library")


def test_end_before_start_is_shown_at_the_end_time_and_nothing_is_saved(qtbot, ctx, place):
    meeting_id = add_meeting(
        ctx.db, place.forum_id, date(2025, 3, 14), start_time=time(18), end_time=time(20)
    )
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    editor = page.editor
    editor.start_edit.setText("19:00")
    editor.end_edit.setText("18:30")
    editor.end_edit.editingFinished.emit()
    assert editor.details_errors.message("end_time") == "The meeting cannot end before it starts."
    detail = meetings.get_meeting(ctx.db, meeting_id)
    assert (detail.start_time, detail.end_time) == (time(18), time(20))


def test_leaving_a_meeting_with_an_unsaved_problem_asks_first(qtbot, ctx, place, monkeypatch):
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    page.editor.date_edit.setText("next week sometime")
    monkeypatch.setattr(widgets, "confirm", lambda *a, **k: False)
    assert page.finish_editing() is False
    page.show_list()
    assert page.stack.currentWidget() is page.editor
    monkeypatch.setattr(widgets, "confirm", lambda *a, **k: True)
    page.show_list()
    assert page.stack.currentWidget() is page.list_panel
    assert meetings.get_meeting(ctx.db, meeting_id).meeting_date == date(2025, 3, 14)


def test_new_meeting_without_a_forum_is_refused_at_the_field(qtbot, ctx, place):
    dialog = NewMeetingDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.date_edit, "14/03/2025")
    assert dialog.try_save() is False
    assert dialog.errors.message("forum") == "Choose the forum this meeting belongs to."
    assert meetings.list_meetings(ctx.db) == []


def test_new_meeting_with_a_bad_date_and_end_before_start_lists_both(qtbot, ctx, place):
    dialog = NewMeetingDialog(ctx, forum_id=place.forum_id)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.date_edit, "14/13/2025")
    qtbot.keyClicks(dialog.start_edit, "25:00")
    assert dialog.try_save() is False
    assert "not a date" in dialog.errors.message("meeting_date")
    assert "not a time" in dialog.errors.message("start_time")
    assert meetings.list_meetings(ctx.db) == []
    dialog.date_edit.setText("14/03/2025")
    dialog.start_edit.setText("18:00")
    dialog.end_edit.setText("17:00")
    assert dialog.try_save() is False
    assert dialog.errors.message("end_time") == "The meeting cannot end before it starts."
    assert dialog.errors.message("meeting_date") == ""
    assert meetings.list_meetings(ctx.db) == []


def test_an_action_without_a_title_is_refused_at_the_field(qtbot, ctx, place):
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    dialog = ActionDialog(ctx, locality_id=place.locality_id, meeting_id=meeting_id)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.due_edit, "1/1/2025")  # before it is raised
    assert dialog.try_save() is False
    assert dialog.errors.message("title") == "Say what the action is."
    assert actions.list_actions(ctx.db, meeting_id=meeting_id) == []


def test_an_experience_item_needs_a_summary(qtbot, ctx, place):
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    dialog = ExperienceDialog(ctx, meeting_id)
    qtbot.addWidget(dialog)
    assert dialog.try_save() is False
    assert dialog.errors.message("summary") == "Write a short summary of what was said."
    assert meetings.get_meeting(ctx.db, meeting_id).experience == []


def test_a_payment_typed_wrongly_is_refused_at_the_field(qtbot, ctx, place, add_person):
    alice = add_person("Alice Brown")
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    dialog = PaymentDialog(ctx, meeting_id, [(alice, "Alice Brown")], default_pence=2500)
    qtbot.addWidget(dialog)
    dialog.amount_edit.setText("25.505")
    assert dialog.try_save() is False
    assert "pounds and pence" in dialog.errors.message("amount")
    assert meetings.get_meeting(ctx.db, meeting_id).payments == []


def test_cancel_with_typing_asks_before_discarding(qtbot, ctx, place, questions):
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    dialog = ExperienceDialog(ctx, meeting_id)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.rejected):
        dialog.reject()  # nothing typed: closes without a question
    assert questions.asked == []
    dialog.show()
    dialog.theme_edit.setText("Access")
    questions.answer = False
    with qtbot.assertNotEmitted(dialog.rejected):
        dialog.reject()  # typed, and the user keeps it
    assert len(questions.asked) == 1 and dialog.isVisible()
    questions.answer = True
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert len(questions.asked) == 2
    assert meetings.get_meeting(ctx.db, meeting_id).experience == []


# --- the list -----------------------------------------------------------------------------------


@pytest.fixture
def three_meetings(ctx, place):
    db = ctx.db
    return {
        "forum": add_meeting(db, place.forum_id, date(2025, 1, 14), venue="Benn Hall"),
        "event": add_meeting(db, place.events_forum_id, date(2025, 2, 3), venue="Town Hall"),
        "coventry": add_meeting(
            db, place.other_forum_id, date(2025, 3, 4), status=MeetingStatus.CANCELLED
        ),
    }


def shown_ids(page) -> set[uuid.UUID]:
    return {page.proxy.row_at(n).id for n in range(page.proxy.rowCount())}


def test_list_filters_by_locality_status_events_dates_and_text(qtbot, ctx, place, three_meetings):
    page = make_page(qtbot, ctx)
    assert shown_ids(page) == set(three_meetings.values())
    assert page.count_label.text() == "Showing 3 of 3 meetings"

    widgets.select_data(page.locality_combo, place.locality_id)
    assert shown_ids(page) == {three_meetings["forum"], three_meetings["event"]}
    widgets.select_data(page.events_combo, EventsFilter.ONLY)
    assert shown_ids(page) == {three_meetings["event"]}
    widgets.select_data(page.events_combo, EventsFilter.HIDDEN)
    assert shown_ids(page) == {three_meetings["forum"]}
    widgets.select_data(page.events_combo, EventsFilter.SHOWN)
    widgets.select_data(page.locality_combo, EVERY)  # all: ui.scope

    widgets.select_data(page.status_combo, MeetingStatus.CANCELLED)
    assert shown_ids(page) == {three_meetings["coventry"]}
    widgets.select_data(page.status_combo, None)

    qtbot.keyClicks(page.from_edit, "1/2/2025")
    page.from_edit.editingFinished.emit()
    assert shown_ids(page) == {three_meetings["event"], three_meetings["coventry"]}
    qtbot.keyClicks(page.to_edit, "28/02/2025")
    page.to_edit.editingFinished.emit()
    assert shown_ids(page) == {three_meetings["event"]}
    page.from_edit.clear()
    page.to_edit.clear()
    page.to_edit.editingFinished.emit()

    qtbot.keyClicks(page.text_filter, "benn")
    assert shown_ids(page) == {three_meetings["forum"]}
    qtbot.keyClick(page.text_filter, Qt.Key.Key_Escape)
    assert page.proxy.rowCount() == 3


def test_a_filter_date_typed_wrongly_says_so(qtbot, ctx, place, three_meetings):
    page = make_page(qtbot, ctx)
    qtbot.keyClicks(page.from_edit, "yesterdayish")
    page.from_edit.editingFinished.emit()
    assert "not a date" in page.filter_errors.message("date_from")
    assert page.date_error.isVisible()


def test_forum_filter_follows_the_locality(qtbot, ctx, place, three_meetings):
    page = make_page(qtbot, ctx)
    widgets.select_data(page.locality_combo, place.other_locality_id)
    forums = [page.forum_combo.itemData(n) for n in range(page.forum_combo.count())]
    assert forums == [None, place.other_forum_id]
    widgets.select_data(page.locality_combo, EVERY)  # all: ui.scope
    widgets.select_data(page.forum_combo, place.events_forum_id)
    assert shown_ids(page) == {three_meetings["event"]}


def test_enter_opens_the_selected_meeting_and_back_returns_to_it(qtbot, ctx, place, three_meetings):
    page = make_page(qtbot, ctx)
    qtbot.keyClicks(page.text_filter, "town hall")
    page.table.setFocus()
    page.table.select_row(0)
    press_enter(qtbot, page.table)
    assert page.stack.currentWidget() is page.editor
    assert page.current_meeting_id() == three_meetings["event"]
    qtbot.mouseClick(page.editor.back_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.list_panel
    assert page.current_meeting_id() == three_meetings["event"]


def test_the_list_is_newest_first_and_sorts_by_any_column(qtbot, ctx, place, three_meetings):
    page = make_page(qtbot, ctx)
    dates = [page.proxy.row_at(n).meeting_date for n in range(3)]
    assert dates == sorted(dates, reverse=True)
    page.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # forum
    forums = [page.proxy.row_at(n).forum_name for n in range(3)]
    assert forums == sorted(forums)


def test_a_new_meeting_appears_in_the_list_on_returning(qtbot, ctx, place, three_meetings):
    page = make_page(qtbot, ctx)
    page.open_meeting(three_meetings["forum"])
    qtbot.mouseClick(page.editor.plan_next_button, Qt.MouseButton.LeftButton)
    page.show_list()
    assert page.model.rowCount() == 4


def test_deleting_a_meeting_asks_first(qtbot, ctx, place, three_meetings, monkeypatch):
    page = make_page(qtbot, ctx)
    page.open_meeting(three_meetings["forum"])
    monkeypatch.setattr(widgets, "confirm", lambda *a, **k: False)
    qtbot.mouseClick(page.editor.delete_button, Qt.MouseButton.LeftButton)
    assert len(meetings.list_meetings(ctx.db)) == 3
    monkeypatch.setattr(widgets, "confirm", lambda *a, **k: True)
    qtbot.mouseClick(page.editor.delete_button, Qt.MouseButton.LeftButton)
    assert len(meetings.list_meetings(ctx.db)) == 2
    assert page.stack.currentWidget() is page.list_panel
    assert page.model.rowCount() == 2


def test_every_control_in_the_editor_has_an_accessible_name(
    qtbot, ctx, place, three_meetings, unnamed_controls
):
    page = make_page(qtbot, ctx)
    assert unnamed_controls(page.list_panel) == []
    page.open_meeting(three_meetings["forum"])
    assert unnamed_controls(page.editor) == []
    for dialog in (
        NewMeetingDialog(ctx),
        ExperienceDialog(ctx, three_meetings["forum"]),
        ActionDialog(ctx, locality_id=place.locality_id, meeting_id=three_meetings["forum"]),
        PaymentDialog(ctx, three_meetings["forum"], []),
    ):
        qtbot.addWidget(dialog)
        assert unnamed_controls(dialog) == []


def test_editing_an_action_from_the_meeting_opens_the_full_action_editor(
    qtbot, ctx, place, monkeypatch
):
    from coordinator_app.core import actions, meetings
    from coordinator_app.ui.dialogs.action_editor import ActionEditor

    meeting_id = meetings.create_meeting(
        ctx.db,
        meetings.MeetingInput(
            forum_id=place.forum_id,
            meeting_date=date(2025, 3, 10),
            start_time=None,
            end_time=None,
            venue="Benn Hall",
            format=MeetingFormat.IN_PERSON,
            status=MeetingStatus.HELD,
            chair="",
            minute_taker="",
            notes="",
        ),
    )
    action_id = actions.raise_action(
        ctx.db,
        locality_id=place.locality_id,
        meeting_id=meeting_id,
        data=actions.ActionInput(
            title="Fix the hearing loop",
            detail="",
            owner="Estates",
            level=ActionLevel.LOCALITY,
            strategic_priority_id=None,
            raised_on=date(2025, 3, 10),
            due_on=None,
        ),
    )
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    asked: list[object] = []
    monkeypatch.setattr(
        ActionEditor,
        "ask",
        classmethod(
            lambda cls, c, aid=None, parent=None, **k: (asked.append(aid), (None, None))[1]
        ),
    )
    page.editor.edit_action(0)
    assert asked == [action_id]


def test_the_payment_is_offered_to_everyone_present_in_one_step(
    qtbot, ctx, place, add_person, questions
):
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    present = [add_person(name) for name in ("Alice Brown", "Aled Jones", "Zoë Price")]
    staff = add_person("Dr Rhian Llewelyn", Category.STAFF)
    for pid in (*present, staff):
        meetings.set_attendance(ctx.db, meeting_id, pid, AttendanceStatus.PRESENT)
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    editor = page.editor
    qtbot.mouseClick(editor.payment_offer_button, Qt.MouseButton.LeftButton)
    shown = {row.participant_id: row for row in editor.payments_model.rows()}
    assert set(shown) == set(present)  # staff are there as part of their job
    assert {row.status for row in shown.values()} == {PaymentStatus.OFFERED}
    assert "offered to 3 people" in editor.save_state.text()
    assert questions.told == []
    qtbot.mouseClick(editor.payment_offer_button, Qt.MouseButton.LeftButton)
    assert len(editor.payments_model.rows()) == 3  # nobody left to offer: said, nothing added
    assert questions.told and "already has a payment" in questions.told[0]
    # Then the claims from the sign-in sheet marked paid in one step (five keys a person before).
    qtbot.mouseClick(editor.payment_paid_button, Qt.MouseButton.LeftButton)
    assert {row.status for row in editor.payments_model.rows()} == {PaymentStatus.PAID}
    assert {row.paid_on for row in editor.payments_model.rows()} == {ctx.today()}
    assert "3 payments marked paid" in editor.save_state.text()


def _matter_arising_opened(qtbot, ctx, place, monkeypatch, ask) -> tuple:
    """A meeting whose matter arising (an action raised at the forum's earlier meeting) is
    opened with Enter, ``ask`` standing in for ``ActionEditor.ask``; (page, earlier meeting,
    the action)."""
    from coordinator_app.core import actions
    from coordinator_app.ui.dialogs import action_editor

    earlier = add_meeting(ctx.db, place.forum_id, date(2025, 2, 14), status=MeetingStatus.HELD)
    carried = actions.raise_action(
        ctx.db,
        locality_id=place.locality_id,
        meeting_id=earlier,
        data=actions.ActionInput(title="Fix the hearing loop", raised_on=date(2025, 2, 14)),
    )
    meeting_id = add_meeting(ctx.db, place.forum_id, date(2025, 3, 14))
    monkeypatch.setattr(action_editor.ActionEditor, "ask", classmethod(ask))
    page = make_page(qtbot, ctx)
    page.open_meeting(meeting_id)
    editor = page.editor
    editor.tabs.setCurrentIndex(editor.tabs.indexOf(editor.matters_table.parentWidget()))
    editor.matters_table.select_row(0)
    press_enter(qtbot, editor.matters_table)
    return page, earlier, carried


def test_a_matter_arising_opens_in_the_action_editor_and_its_progress_shows(
    qtbot, ctx, place, monkeypatch
):
    from coordinator_app.core import actions

    asked: list[tuple] = []

    def ask(cls, ctx_, action_id=None, parent=None, **kwargs):
        asked.append((action_id, kwargs))
        actions.add_progress(ctx_.db, action_id, "Engineer booked.", date(2025, 3, 14))
        return action_id, None

    page, _earlier, carried = _matter_arising_opened(qtbot, ctx, place, monkeypatch, ask)
    assert asked == [(carried, {})]  # the earlier meeting's action, not moved to this one
    (row,) = page.editor.matters_model.rows()
    assert row.latest_progress == "Engineer booked."


def test_open_beside_a_matter_arisings_meeting_opens_that_earlier_meeting(
    qtbot, ctx, place, monkeypatch
):
    from coordinator_app.core import actions

    def ask(cls, ctx_, action_id=None, parent=None, **kwargs):
        (source,) = actions.action_sources(ctx_.db, action_id)
        return None, source  # "Open" pressed beside "Raised from": the editor closes

    page, earlier, _carried = _matter_arising_opened(qtbot, ctx, place, monkeypatch, ask)
    assert page.editor.meeting_id == earlier  # not only closed: the earlier meeting is open


def test_a_meeting_gone_meanwhile_is_not_opened_and_says_so(qtbot, ctx, place, monkeypatch):
    """Opening a meeting deleted since the list was read: its sentence titled "Cannot open the
    meeting", and the list stays shown (issue #20: ``operations.attempt``, since the editor's
    load returns nothing whether or not it read the meeting)."""
    from coordinator_app.core.errors import NotFoundError

    gone = uuid.uuid4()
    with pytest.raises(NotFoundError) as refusal:
        meetings.get_meeting(ctx.db, gone)
    page = make_page(qtbot, ctx)
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(widgets, "inform", lambda _parent, title, text: told.append((title, text)))
    page.open_meeting(gone)
    assert told == [("Cannot open the meeting", str(refusal.value))]
    assert page.stack.currentWidget() is page.list_panel
