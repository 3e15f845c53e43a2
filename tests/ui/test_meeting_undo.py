"""Ctrl+Z on the meeting editor's Agenda and Payments tabs (issue #22 item 9): the tab's own last
changes taken back, newest first, each proven against the database; nothing to undo is said;
another meeting loaded forgets them. (The register's undo is in ``test_meetings_page``.)"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from coordinator_app.core import meetings
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.vocab import AttendanceStatus, ExpenseKind, MeetingStatus, PaymentStatus
from coordinator_app.ui import widgets
from coordinator_app.ui.dialogs.meeting_dialogs import PaymentDialog
from coordinator_app.ui.views.meeting.editor import TAB_AGENDA, TAB_PAYMENTS
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
    # Read by its text, described as the agenda message (a name would hide the text).
    assert (tab.agenda_feedback.accessibleName(), tab.agenda_feedback.accessibleDescription()) == (
        "",
        "Agenda message",
    )

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


def test_an_item_removed_while_its_notes_were_being_typed_comes_back_with_them(
    qtbot, ctx, place, type_text
):
    meeting_id = new_meeting(ctx, place)
    welcome = meetings.add_agenda_item(ctx.db, meeting_id, "Welcome")
    crisis = meetings.add_agenda_item(ctx.db, meeting_id, "Crisis line")
    editor = open_page(qtbot, ctx, meeting_id, TAB_AGENDA).editor
    editor._select_agenda(crisis)
    editor.remove_agenda_item()
    assert editor.agenda_tab.undo_last()
    assert editor.agenda_tab.agenda_feedback.text() == "Undone: Item 2, “Crisis line”, is back."
    editor._select_agenda(welcome)
    type_text(editor.item_discussion_edit, "Said")  # not saved yet
    editor.remove_agenda_item()
    assert [t for _p, t, _d, _e in agenda(ctx, meeting_id)] == ["Crisis line"]
    assert editor.agenda_tab.undo_last()
    assert agenda(ctx, meeting_id) == [(1, "Welcome", "Said", ""), (2, "Crisis line", "", "")]


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


# --- payments ------------------------------------------------------------------------------------


def payments(ctx, meeting_id) -> dict[uuid.UUID, tuple[PaymentStatus, int, int, date | None]]:
    return {
        p.participant_id: (p.status, p.amount_pence, p.expenses_pence, p.paid_on)
        for p in meetings.get_meeting(ctx.db, meeting_id).payments
    }


def present(ctx, meeting_id, add_person, *names: str) -> list[uuid.UUID]:
    made = [add_person(name) for name in names]
    for pid in made:
        meetings.set_attendance(ctx.db, meeting_id, pid, AttendanceStatus.PRESENT)
    return made


def test_ctrl_z_in_the_payments_takes_back_all_offered_paid_then_the_offer(
    qtbot, ctx, place, add_person
):
    meeting_id = new_meeting(ctx, place)
    alice, zoe, declined = present(ctx, meeting_id, add_person, "Alice Brown", "Zoë Price", "Di")
    meetings.set_payment(ctx.db, meeting_id, declined, status=PaymentStatus.DECLINED)
    editor = open_page(qtbot, ctx, meeting_id, TAB_PAYMENTS).editor
    tab = editor.payments_tab
    assert not tab.payment_undo_button.isEnabled()
    assert "Ctrl+Z" in tab.payment_undo_button.toolTip()
    # Read by its text, described as the payments message (a name would hide the text).
    assert (
        tab.payments_feedback.accessibleName(),
        tab.payments_feedback.accessibleDescription(),
    ) == (
        "",
        "Payments message",
    )
    qtbot.mouseClick(editor.payment_offer_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.payment_paid_button, Qt.MouseButton.LeftButton)
    assert tab.payments_feedback.text().startswith("2 payments marked paid on 20/03/2025.")
    paid = (PaymentStatus.PAID, 2500, 0, ctx.today())
    assert payments(ctx, meeting_id)[alice] == payments(ctx, meeting_id)[zoe] == paid

    ctrl_z(editor.payments_table)
    offered = (PaymentStatus.OFFERED, 2500, 0, None)
    assert payments(ctx, meeting_id) == {
        alice: offered,
        zoe: offered,
        declined: (PaymentStatus.DECLINED, 2500, 0, None),
    }
    assert tab.payments_feedback.text() == (
        "Undone: 2 payments back to offered, the paid date cleared."
    )
    qtbot.mouseClick(tab.payment_undo_button, Qt.MouseButton.LeftButton)  # the offer
    assert set(payments(ctx, meeting_id)) == {declined}  # the one from before stays
    assert tab.payments_feedback.text() == "Undone: the offer to 2 people withdrawn."
    assert not tab.payment_undo_button.isEnabled()
    ctrl_z(editor.payments_table)
    assert tab.payments_feedback.text() == "Nothing to undo in the payments."
    assert tab.undo_last() is False


def test_an_offer_undone_keeps_a_payment_marked_paid_since_elsewhere(qtbot, ctx, place, add_person):
    meeting_id = new_meeting(ctx, place)
    alice, zoe = present(ctx, meeting_id, add_person, "Alice Brown", "Zoë Price")
    editor = open_page(qtbot, ctx, meeting_id, TAB_PAYMENTS).editor
    qtbot.mouseClick(editor.payment_offer_button, Qt.MouseButton.LeftButton)
    meetings.set_payment(ctx.db, meeting_id, zoe, status=PaymentStatus.PAID)  # another screen
    assert editor.payments_tab.undo_last()
    assert set(payments(ctx, meeting_id)) == {zoe}
    assert editor.payments_tab.payments_feedback.text() == (
        "Undone: the offer to 1 person withdrawn (1 changed since left as it is)."
    )
    assert alice


def answer_payment(qtbot, fill):
    """A stand-in for ``PaymentDialog.ask``: the real dialog, filled by ``fill``, saved."""

    def ask(ctx, meeting_id, people, parent=None, *, payment=None, default_pence=0):
        dialog = PaymentDialog(
            ctx, meeting_id, people, parent, payment=payment, default_pence=default_pence
        )
        qtbot.addWidget(dialog)
        fill(dialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result_value

    return ask


def test_ctrl_z_in_the_payments_takes_back_a_remove_an_edit_and_an_add(
    qtbot, ctx, place, add_person, monkeypatch
):
    meeting_id = new_meeting(ctx, place)
    (alice,) = present(ctx, meeting_id, add_person, "Alice Brown")
    editor = open_page(qtbot, ctx, meeting_id, TAB_PAYMENTS).editor
    tab = editor.payments_tab

    def add(dialog):
        qtbot.keyClicks(dialog.fields.expenses[ExpenseKind.TRAVEL], "4.60")

    monkeypatch.setattr(PaymentDialog, "ask", answer_payment(qtbot, add))
    editor.add_payment()
    added = (PaymentStatus.OFFERED, 2500, 460, None)
    assert payments(ctx, meeting_id) == {alice: added}
    assert tab.payments_feedback.text().startswith("Payment for Alice Brown added.")

    def paid(dialog):
        widgets.select_data(dialog.status_combo, PaymentStatus.PAID)
        dialog.amount_edit.clear()
        qtbot.keyClicks(dialog.amount_edit, "30")
        qtbot.keyClicks(dialog.paid_edit, "18/03/2025")

    monkeypatch.setattr(PaymentDialog, "ask", answer_payment(qtbot, paid))
    editor.payments_table.select_row(0)
    editor.edit_payment(0)
    edited = (PaymentStatus.PAID, 3000, 460, date(2025, 3, 18))
    assert payments(ctx, meeting_id) == {alice: edited}
    monkeypatch.setattr(PaymentDialog, "ask", answer_payment(qtbot, lambda dialog: None))
    editor.edit_payment(0)  # saved unchanged: nothing to take back
    assert tab.payments_feedback.text().startswith("Payment for Alice Brown changed.")
    editor.payments_table.select_row(0)
    editor.remove_payment()  # in the background
    removed = "Payment for Alice Brown removed."
    qtbot.waitUntil(lambda: tab.payments_feedback.text().startswith(removed))
    assert payments(ctx, meeting_id) == {}

    ctrl_z(editor.payments_table)  # the remove: recreated as it was
    assert payments(ctx, meeting_id) == {alice: edited}
    assert tab.payments_feedback.text() == (
        "Undone: the payment for Alice Brown is back "
        "(paid, £30.00 and £4.60 expenses, paid on 18/03/2025)."
    )
    ctrl_z(editor.payments_table)  # the edit
    assert payments(ctx, meeting_id) == {alice: added}
    assert tab.payments_feedback.text() == (
        "Undone: the payment for Alice Brown is as it was (offered, £25.00 and £4.60 expenses)."
    )
    ctrl_z(editor.payments_table)  # the add (the payment recreated under a new id)
    assert payments(ctx, meeting_id) == {}
    assert tab.payments_feedback.text() == "Undone: the payment for Alice Brown removed again."
    assert tab.undo_last() is False


def test_payments_undo_after_another_meeting_loaded_does_nothing(qtbot, ctx, place, add_person):
    first = new_meeting(ctx, place)
    second = new_meeting(ctx, place, date(2025, 4, 11))
    present(ctx, first, add_person, "Alice Brown")
    page = open_page(qtbot, ctx, first, TAB_PAYMENTS)
    editor = page.editor
    qtbot.mouseClick(editor.payment_offer_button, Qt.MouseButton.LeftButton)
    page.open_meeting(second)
    assert not editor.payments_tab.payment_undo_button.isEnabled()
    ctrl_z(editor.payments_table)
    assert editor.payments_tab.payments_feedback.text() == "Nothing to undo in the payments."
    assert [s for s, *_ in payments(ctx, first).values()] == [PaymentStatus.OFFERED]
