"""Both payment dialogs (issue #28): money or vouchers per payment (the person's preference
first), expenses by kind with their total, every field named and reached by Tab in order."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from coordinator_app.core import meetings
from coordinator_app.core.meetings.payments import set_payment
from coordinator_app.core.payments.activities import activity_people, expenses_of
from coordinator_app.core.payments.totals import set_benefits
from coordinator_app.core.vocab import ExpenseKind, PaymentMethod, PaymentStatus
from coordinator_app.ui import widgets
from coordinator_app.ui.dialogs.payments.meeting import PaymentDialog
from coordinator_app.ui.dialogs.payments_dialogs import ActivityDialog
from coordinator_app.ui.models.meeting_parts import PaymentsModel
from tests.ui.test_mnemonics import clashes

TRAVEL, CARE, FOOD, OTHER = (
    ExpenseKind.TRAVEL,
    ExpenseKind.CARE_COVER,
    ExpenseKind.SUBSISTENCE,
    ExpenseKind.OTHER,
)


def _vouchers(ctx, person) -> None:
    set_benefits(
        ctx.db, person, benefits_advice_on=None, wants_vouchers=True, wants_no_payment=False
    )


def _type(qtbot, edit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_a_new_meeting_payment_starts_as_the_person_asked_and_saves_by_kind(
    qtbot, ctx, place, add_meeting_at, add_person
) -> None:
    held = add_meeting_at(place.forum_id, date(2025, 3, 10))
    ann, bob = add_person("Ann Quill"), add_person("Bob Vane")
    _vouchers(ctx, bob)
    dialog = PaymentDialog(ctx, held, [(ann, "Ann Quill"), (bob, "Bob Vane")])
    qtbot.addWidget(dialog)
    assert dialog.fields.chosen_method() == PaymentMethod.MONEY
    widgets.select_data(dialog.person_combo, bob)
    assert dialog.fields.chosen_method() == PaymentMethod.VOUCHERS  # Bob asked for vouchers
    qtbot.keyClicks(dialog.fields.expenses[TRAVEL], "6.40")
    qtbot.keyClicks(dialog.fields.expenses[CARE], "12")
    qtbot.keyClicks(dialog.fields.expenses[FOOD], "3.50")
    assert dialog.fields.total.text() == "£21.90"
    assert dialog.try_save()
    (bobs,) = meetings.get_meeting(ctx.db, held).payments
    assert (bobs.method, bobs.expenses_pence) == (PaymentMethod.VOUCHERS, 2190)
    assert expenses_of(ctx.db, bobs.id) == {TRAVEL: 640, CARE: 1200, FOOD: 350}
    # Shown in the meeting's payments list.
    model = PaymentsModel()
    model.set_rows(meetings.get_meeting(ctx.db, held).payments)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert model.index(0, headers.index("Paid in")).data() == "Vouchers"


def test_the_coordinators_choice_of_method_stands(
    qtbot, ctx, place, add_meeting_at, add_person
) -> None:
    held = add_meeting_at(place.forum_id, date(2025, 3, 10))
    ann, bob = add_person("Ann Quill"), add_person("Bob Vane")
    _vouchers(ctx, bob)
    dialog = PaymentDialog(ctx, held, [(ann, "Ann Quill"), (bob, "Bob Vane")])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.fields.method.setFocus()
    qtbot.keyClick(dialog.fields.method, Qt.Key.Key_Down)  # Money -> Vouchers, by keyboard
    widgets.select_data(dialog.person_combo, bob)
    widgets.select_data(dialog.person_combo, ann)  # a new person does not undo the choice
    assert dialog.fields.chosen_method() == PaymentMethod.VOUCHERS
    assert dialog.try_save()
    (anns,) = meetings.get_meeting(ctx.db, held).payments
    assert (anns.name, anns.method) == ("Ann Quill", PaymentMethod.VOUCHERS)


def test_an_old_payment_shows_its_expenses_as_other_and_edits_keep_its_method(
    qtbot, ctx, place, add_meeting_at, add_person
) -> None:
    held = add_meeting_at(place.forum_id, date(2025, 3, 10))
    ann = add_person("Ann Quill")
    set_payment(  # as recorded before kinds: a total alone
        ctx.db, held, ann, status=PaymentStatus.PAID, expenses_pence=460, method="vouchers"
    )
    (old,) = meetings.get_meeting(ctx.db, held).payments
    dialog = PaymentDialog(ctx, held, [], payment=old)
    qtbot.addWidget(dialog)
    assert [e.text() for e in dialog.fields.expenses.values()] == ["", "", "", "4.60"]
    assert dialog.fields.chosen_method() == PaymentMethod.VOUCHERS
    qtbot.keyClicks(dialog.fields.expenses[TRAVEL], "2")
    assert dialog.try_save()
    assert expenses_of(ctx.db, old.id) == {TRAVEL: 200, OTHER: 460}
    (now,) = meetings.get_meeting(ctx.db, held).payments
    assert (now.method, now.expenses_pence) == (PaymentMethod.VOUCHERS, 660)


def test_a_bad_expense_is_said_at_the_expenses_and_nothing_changes(
    qtbot, ctx, place, add_meeting_at, add_person
) -> None:
    held = add_meeting_at(place.forum_id, date(2025, 3, 10))
    ann = add_person("Ann Quill")
    set_payment(ctx.db, held, ann, status=PaymentStatus.PAID, expenses={TRAVEL: 300})
    (old,) = meetings.get_meeting(ctx.db, held).payments
    dialog = PaymentDialog(ctx, held, [], payment=old)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.fields.expenses[CARE], "twelve")
    assert dialog.fields.total.text() == "check the amounts"
    assert not dialog.try_save()
    said = dialog.errors.message("expenses")
    assert said.startswith("Care cover expenses: 'twelve' is not an amount in pounds")
    assert expenses_of(ctx.db, old.id) == {TRAVEL: 300}


def test_an_activity_takes_each_persons_method_and_expenses_by_kind(
    qtbot, ctx, place, add_person, questions
) -> None:
    ann = add_person("Ann Quill", locality_id=place.locality_id)
    bob = add_person("Bob Vane", locality_id=place.locality_id)
    _vouchers(ctx, bob)
    dialog = ActivityDialog(ctx, locality_id=place.locality_id)
    qtbot.addWidget(dialog)
    for person in (ann, bob):
        widgets.select_data(dialog.person_combo, person)
        dialog.add_current_person()
    assert dialog.person_combo.currentText() == ""  # ready for the next name
    ann_row, bob_row = dialog.rows
    assert [ann_row.fields.chosen_method(), bob_row.fields.chosen_method()] == [
        PaymentMethod.MONEY,
        PaymentMethod.VOUCHERS,
    ]
    widgets.select_data(ann_row.fields.method, PaymentMethod.VOUCHERS)
    qtbot.keyClicks(ann_row.amount, "40")
    qtbot.keyClicks(ann_row.fields.expenses[CARE], "15")
    qtbot.keyClicks(ann_row.fields.expenses[OTHER], "1.20")
    assert ann_row.fields.total.text() == "£16.20"
    qtbot.keyClicks(bob_row.fields.expenses[TRAVEL], "-3")
    dialog.save()
    assert dialog.saved is None and not dialog.problem.isHidden()
    assert dialog.problem.text().startswith("Bob Vane: Travel expenses: ")
    _type(qtbot, bob_row.fields.expenses[TRAVEL], "3")
    dialog.save()
    assert dialog.saved is not None
    shown = {p.name: (p.method, p.expenses) for p in activity_people(ctx.db, dialog.saved)}
    assert shown == {
        "Ann Quill": (PaymentMethod.VOUCHERS, {CARE: 1500, OTHER: 120}),
        "Bob Vane": (PaymentMethod.VOUCHERS, {TRAVEL: 300}),
    }
    # Opened again: as saved.
    again = ActivityDialog(ctx, activity_id=dialog.saved)
    qtbot.addWidget(again)
    assert [r.fields.total.text() for r in again.rows] == ["£16.20", "£3.00"]
    assert again.rows[0].fields.chosen_method() == PaymentMethod.VOUCHERS


def _shown(qtbot, dialog) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def _walk(qtbot, start: QWidget, steps: int) -> list[str]:
    """The accessible names Tab reaches from ``start``."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    names = []
    for _ in range(steps):
        before = QApplication.focusWidget()
        qtbot.keyClick(before, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda before=before: QApplication.focusWidget() is not before)
        names.append(QApplication.focusWidget().accessibleName())
    return names


def test_tab_walks_the_meeting_payment_in_reading_order(
    qtbot, ctx, place, add_meeting_at, add_person, unheard
) -> None:
    held = add_meeting_at(place.forum_id, date(2025, 3, 10))
    ann = add_person("Ann Quill")
    dialog = PaymentDialog(ctx, held, [(ann, "Ann Quill")])
    qtbot.addWidget(dialog)
    _shown(qtbot, dialog)
    assert clashes(dialog) == {}
    assert unheard(dialog, "payment") == []
    assert _walk(qtbot, dialog.person_combo, 10) == [
        "Status",
        "Payment (£)",
        "Paid in",
        "Travel expenses",
        "Care cover expenses",
        "Subsistence expenses",
        "Other expenses",
        "Claimed on",
        "Paid on",
        "Save",
    ]


def test_tab_walks_an_activity_person_by_person_and_remove_takes_the_one_in_use(
    qtbot, ctx, place, add_person, unheard
) -> None:
    ann = add_person("Ann Quill", locality_id=place.locality_id)
    bob = add_person("Bob Vane", locality_id=place.locality_id)
    dialog = ActivityDialog(ctx, locality_id=place.locality_id)
    qtbot.addWidget(dialog)
    for person in (ann, bob):
        widgets.select_data(dialog.person_combo, person)
        dialog.add_current_person()
    _shown(qtbot, dialog)
    assert clashes(dialog) == {}
    assert unheard(dialog, "activity") == []
    fields = [
        "Payment",
        "Amount",
        "Paid in",
        "Travel expenses",
        "Care cover expenses",
        "Subsistence expenses",
        "Other expenses",
        "Claimed on",
        "Paid on",
    ]
    walked = _walk(qtbot, dialog.remove_button, 2 + 2 * len(fields))
    assert walked == [
        "People who took part and their payments",
        *(f"{f} for Ann Quill" for f in fields),
        *(f"{f} for Bob Vane" for f in fields),
        "Save",
    ]
    # On Bob's row by keyboard, Remove takes Bob (not the row the table had before).
    dialog.table.setCurrentCell(0, 0)
    dialog.rows[1].fields.expenses[TRAVEL].setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: dialog.table.currentRow() == 1)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert [r.name for r in dialog.rows] == ["Ann Quill"]
