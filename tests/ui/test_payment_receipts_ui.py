"""Receipts from the payment dialogs (issue #28): attached, copied out and removed in the
receipts dialog; a payment not saved yet says to save it first; too big a file is one sentence
and nothing kept; the lists count them; removing a payment or a person says they go too."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from coordinator_app.core import meetings
from coordinator_app.core.files import MAX_ATTACHED_BYTES
from coordinator_app.core.meetings.payments import set_payment
from coordinator_app.core.payments.activities import record_activity_with_payments
from coordinator_app.core.payments.receipts import add_receipt, receipts_of
from coordinator_app.core.vocab import ExpenseKind, PaymentStatus
from coordinator_app.ui import widgets
from coordinator_app.ui.dialogs.payments import receipts as receipts_ui
from coordinator_app.ui.dialogs.payments.meeting import PaymentDialog
from coordinator_app.ui.dialogs.payments.receipts import ReceiptsDialog
from coordinator_app.ui.dialogs.payments_dialogs import ActivityDialog
from coordinator_app.ui.models.meeting_parts import PaymentsModel
from tests.ui.test_mnemonics import clashes

PDF = b"%PDF-1.4 taxi receipt \xc2\xa312.00\n%%EOF"


@pytest.fixture
def paid(ctx, place, add_meeting_at, add_person):
    """Ann's paid payment at a forum of 10 March, with travel expenses: (meeting, payment)."""
    held = add_meeting_at(place.forum_id, date(2025, 3, 10))
    ann = add_person("Ann Quill")
    payment = set_payment(
        ctx.db, held, ann, status=PaymentStatus.PAID, expenses={ExpenseKind.TRAVEL: 1200}
    )
    return held, payment


def _file(tmp_path: Path, name: str = "taxi.pdf", content: bytes = PDF) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_new_payment_says_to_save_it_before_its_receipts(
    qtbot, ctx, place, add_meeting_at, add_person
) -> None:
    held = add_meeting_at(place.forum_id, date(2025, 3, 10))
    ann = add_person("Ann Quill")
    dialog = PaymentDialog(ctx, held, [(ann, "Ann Quill")])
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.receipts_button.isEnabled()
    assert dialog.receipts_hint.isVisible()
    assert "Save the payment first" in dialog.receipts_hint.text()


def test_receipts_are_attached_copied_and_removed_from_the_payment_dialog(
    qtbot, ctx, paid, tmp_path, monkeypatch, questions, unheard
) -> None:
    held, payment_id = paid
    (payment,) = meetings.get_meeting(ctx.db, held).payments
    dialog = PaymentDialog(ctx, held, [], payment=payment)
    qtbot.addWidget(dialog)
    assert dialog.receipts_button.isEnabled() and dialog.receipts_button.text() == "R&eceipts…"
    monkeypatch.setattr(receipts_ui, "choose_receipt", lambda parent, who: _file(tmp_path))
    monkeypatch.setattr(receipts_ui, "choose_copy", lambda parent, name: tmp_path / "copy.pdf")
    shown: list[ReceiptsDialog] = []

    def ask(cls, ctx_, payment_id_, who, parent=None):
        receipts = cls(ctx_, payment_id_, who, parent)
        qtbot.addWidget(receipts)
        receipts.show()
        shown.append(receipts)
        assert clashes(receipts) == {} and unheard(receipts, "receipts") == []
        assert not receipts.copy_button.isEnabled()  # nothing to copy yet
        qtbot.mouseClick(receipts.attach_button, Qt.MouseButton.LeftButton)
        assert receipts.list.item(0).text().startswith("taxi.pdf · 1 KB · attached ")
        qtbot.mouseClick(receipts.copy_button, Qt.MouseButton.LeftButton)
        return receipts.count

    monkeypatch.setattr(ReceiptsDialog, "ask", classmethod(ask))
    qtbot.mouseClick(dialog.receipts_button, Qt.MouseButton.LeftButton)
    assert dialog.receipts_button.text() == "R&eceipts (1)…"
    assert (tmp_path / "copy.pdf").read_bytes() == PDF
    assert questions.offered[-1][1] == "a copy of the receipt"
    assert [r.filename for r in receipts_of(ctx.db, payment_id)] == ["taxi.pdf"]
    # Removed by mistake? Asked first, then gone.
    receipts = shown[0]
    qtbot.mouseClick(receipts.remove_button, Qt.MouseButton.LeftButton)
    assert questions.asked[-1] == "Remove the receipt taxi.pdf? It cannot be brought back."
    assert receipts_of(ctx.db, payment_id) == []
    assert receipts.list.item(0).text() == "No receipt attached yet."


def test_too_big_a_receipt_is_one_sentence_and_nothing_is_kept(
    qtbot, ctx, paid, tmp_path, monkeypatch, questions
) -> None:
    _held, payment_id = paid
    big = tmp_path / "scan.pdf"
    with big.open("wb") as handle:
        handle.truncate(MAX_ATTACHED_BYTES + 1)
    monkeypatch.setattr(receipts_ui, "choose_receipt", lambda parent, who: big)
    receipts = ReceiptsDialog(ctx, payment_id, "Ann Quill")
    qtbot.addWidget(receipts)
    receipts.attach()
    assert questions.told == [
        "scan.pdf is 20.0 MB; a receipt can be at most 20 MB, so attach a smaller copy (a scan "
        "or photo at a lower resolution)."
    ]
    assert receipts.count == 0 and receipts_of(ctx.db, payment_id) == []
    assert receipts.feedback.text() == ""


def test_the_meetings_list_counts_receipts_and_removing_a_payment_says_they_go(
    qtbot, ctx, paid, tmp_path, monkeypatch, questions
) -> None:
    from coordinator_app.ui.views.meetings import MeetingsPage

    held, payment_id = paid
    add_receipt(ctx.db, payment_id, _file(tmp_path))
    add_receipt(ctx.db, payment_id, _file(tmp_path, "bus.png", b"\x89PNG"))
    model = PaymentsModel()
    model.set_rows(meetings.get_meeting(ctx.db, held).payments)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert model.index(0, headers.index("Receipts")).data() == "2"
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.open_meeting(held)
    editor = page.editor
    editor.payments_table.select_row(0)
    questions.answer = False
    editor.remove_payment()
    assert questions.asked[-1] == (
        "Remove the payment record for Ann Quill? Its 2 receipts go too, and Undo cannot "
        "bring them back."
    )
    assert len(receipts_of(ctx.db, payment_id)) == 2


def test_an_activitys_receipts_open_from_each_persons_row(
    qtbot, ctx, place, add_person, tmp_path, monkeypatch, questions
) -> None:
    ann = add_person("Ann Quill", locality_id=place.locality_id)
    activity = record_activity_with_payments(
        ctx.db,
        locality_id=place.locality_id,
        kind="interview_panel",
        activity_date=date(2025, 3, 3),
        payments={ann: (PaymentStatus.PAID, 4000, {ExpenseKind.TRAVEL: 560})},
    )
    dialog = ActivityDialog(ctx, activity_id=activity)
    qtbot.addWidget(dialog)
    (row,) = dialog.rows
    add_receipt(ctx.db, row.payment_id, _file(tmp_path))
    assert row.receipts.isEnabled() and row.receipts.accessibleName() == "Receipts for Ann Quill"
    monkeypatch.setattr(ReceiptsDialog, "ask", classmethod(lambda cls, *a: 1))
    qtbot.mouseClick(row.receipts, Qt.MouseButton.LeftButton)
    assert row.receipts.text() == "Receipts (1)…"
    # Someone added now has no payment yet: nothing to attach to until saved.
    bob = add_person("Bob Vane", locality_id=place.locality_id)
    dialog._fill_people()
    widgets.select_data(dialog.person_combo, bob)
    dialog.add_current_person()
    assert not dialog.rows[1].receipts.isEnabled()
    # Removing Ann asks first: her receipt would go with her payment.
    dialog.table.setCurrentCell(0, 0)
    questions.answer = False
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert questions.asked[-1] == (
        "Remove Ann Quill? Their payment goes when you save, with its 1 receipt."
    )
    assert [r.name for r in dialog.rows] == ["Ann Quill", "Bob Vane"]
