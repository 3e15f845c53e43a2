"""The Payments tab: what the trust pays each person present (involvement payments and
expenses), offered to everyone present in one step, then marked paid or declined one by one.

A payment is added or edited in ``PaymentDialog`` (its own operation); offering and removing are
one operation each. Removing only ``run()``s: nothing here waits for it, and the list follows
when the operation tells the page. Payments carry no meeting version.

Ctrl+Z in the list (or "Undo last change") takes back this tab's own last changes, newest
first, each undo one operation: an offer (the payments it made withdrawn, those paid or
declined since kept), "All offered paid" (back to offered), an add (removed), an edit (as it
was) and a remove (recreated as it was, under a new id). ``reset`` forgets them when another
meeting loads. The message under the list says what was done or undone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QVBoxLayout

from ....core.meetings import MeetingDetail, PaymentRow
from ....core.settings import get_settings
from ....core.vocab import AttendanceStatus, PaymentStatus
from ... import widgets
from ...dialogs.payments.meeting import PaymentDialog
from ...models.meeting_parts import PaymentsModel
from ...operations import meetings as meeting_ops
from .base import Host, KeyRelay, Tab, buttons, hint, record_table, reload_table, wire_records

HINT = "Ctrl+Z in the list undoes the last change made here."


@dataclass(frozen=True)
class Change:
    """One change of this tab that Ctrl+Z takes back: what it was, the payments it touched,
    and (for an edit or a remove) the payment as it was before, with whose it is."""

    kind: Literal["offer", "paid", "add", "edit", "remove"]
    ids: tuple[uuid.UUID, ...]
    name: str = ""
    before: PaymentRow | None = None


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def _payments(count: int) -> str:
    return f"{count} {'payment' if count == 1 else 'payments'}"


class PaymentsTab(Tab):
    def __init__(self, host: Host) -> None:
        super().__init__(host)
        #: Changes Ctrl+Z takes back, newest last.
        self._undo: list[Change] = []
        layout = QVBoxLayout(self)
        self.rate_label = hint("")
        layout.addWidget(self.rate_label)
        self.payments_model = PaymentsModel(parent=self)
        self.payments_table = record_table(layout, "Payments", self.payments_model)
        self.payments_table.setToolTip(
            "Enter edits the chosen payment, Delete removes it; Ctrl+Z undoes the last change."
        )
        (
            row,
            (
                self.payment_offer_button,
                self.payment_paid_button,
                self.payment_add_button,
                self.payment_edit_button,
                self.payment_remove_button,
                self.payment_undo_button,
            ),
        ) = buttons(
            ("Offer to everyone pre&sent", "Offer the payment to everyone present"),
            ("All offered &paid", "Mark every payment still offered as paid today"),
            ("&Add payment…", "Add payment"),
            ("Ed&it…", "Edit selected payment"),
            ("Rem&ove…", "Remove selected payment"),
            ("&Undo last change", "Undo the last change to the payments"),
        )
        self.payment_offer_button.setToolTip(
            "Records the trust's rate as offered to each person marked present who has no "
            "payment yet (not staff or partner organisations); then mark each paid or declined."
        )
        self.payment_undo_button.setToolTip("Ctrl+Z undoes the last change (in the list).")
        self.payment_undo_button.setEnabled(False)
        layout.addLayout(row)
        self.payments_feedback = QLabel(HINT)
        self.payments_feedback.setWordWrap(True)
        self.payments_feedback.setAccessibleDescription("Payments message")
        layout.addWidget(self.payments_feedback)
        self.payment_offer_button.clicked.connect(self.offer_payments)
        self.payment_paid_button.clicked.connect(self.mark_offered_paid)
        self.payment_add_button.clicked.connect(self.add_payment)
        self.payment_remove_button.clicked.connect(self.remove_payment)
        self.payment_undo_button.clicked.connect(self.undo_last)
        wire_records(
            self.payments_table, self.payment_edit_button, self.edit_payment, self.remove_payment
        )
        KeyRelay(self.payments_table, self._table_keys)

    def reset(self) -> None:
        """Another meeting is being loaded: nothing of the last one can be undone here."""
        self._undo.clear()
        self.payment_undo_button.setEnabled(False)
        self.payments_feedback.setText(HINT)

    def show_parts(self, detail: MeetingDetail) -> None:
        reload_table(self.payments_table, self.payments_model, detail.payments)
        rate = get_settings(self.ctx.db).default_payment_pence
        self.rate_label.setText(
            f"The trust's rate is £{widgets.format_pounds(rate)} per session; it is filled "
            "in for each new payment and can be changed."
        )

    def _present(self) -> list[tuple[uuid.UUID, str]]:
        """Who is marked present, as the register was last read."""
        detail = self.host.detail
        return [
            (r.participant_id, r.name)
            for r in (detail.register if detail is not None else [])
            if r.status == AttendanceStatus.PRESENT
        ]

    def add_payment(self) -> None:
        meeting_id = self.host.meeting_id
        if meeting_id is None:
            return
        paid = {p.participant_id for p in self.payments_model.rows()}
        choices = [(pid, name) for pid, name in self._present() if pid not in paid]
        if not choices:
            widgets.inform(
                self, "Add payment", "Everyone marked present already has a payment recorded."
            )
            return
        payment_id = PaymentDialog.ask(
            self.ctx,
            meeting_id,
            choices,
            self,
            default_pence=get_settings(self.ctx.db).default_payment_pence,
        )
        if payment_id:
            self.host.saved()
            name = self._name_of(payment_id)
            self._done(Change("add", (payment_id,), name), f"Payment for {name} added.")

    def offer_payments(self) -> None:
        """The trust's rate offered, in one step, to everyone present not yet recorded (journey
        step 6: the sign-in sheet's Pay column ticked by most of the room)."""
        meeting_id = self.host.meeting_id
        if meeting_id is None or not self._offer_within_threshold():
            return
        outcome = meeting_ops.offer_payments(self, self.ctx, meeting_id).wait()
        if not outcome.ok:
            return
        offered = outcome.value or []
        if not offered:
            widgets.inform(
                self,
                "Offer to everyone present",
                "Everyone marked present already has a payment recorded, or is staff or from a "
                "partner organisation.",
            )
            return
        self.host.saved()
        self.host.offer_to_mark_held()
        self.host.set_save_state(
            f"Payment offered to {_people(len(offered))}: mark each paid or declined "
            f"({datetime.now():%H:%M})."
        )
        self._done(Change("offer", tuple(offered)), f"Offered to {_people(len(offered))}.")

    def _offer_within_threshold(self) -> bool:
        """Before offering the rate to everyone present: ask when it takes anyone over the
        trust's threshold (issue #28). True to go on."""
        from ....core.meetings.payments import NOT_OFFERED_PAYMENT
        from ....core.payments.totals import threshold_warning

        detail = self.host.detail
        if detail is None:
            return True
        rate = get_settings(self.ctx.db).default_payment_pence
        recorded = {p.participant_id for p in self.payments_model.rows()}
        lines = []
        for row in detail.register:
            if (
                row.status != AttendanceStatus.PRESENT
                or row.category in NOT_OFFERED_PAYMENT
                or row.participant_id in recorded
            ):
                continue
            warning = threshold_warning(self.ctx.db, row.participant_id, detail.meeting_date, rate)
            if warning:
                lines.append(f"{row.name}: {warning}")
        if not lines:
            return True
        return widgets.confirm(
            self, "Over the threshold", "\n".join(lines), yes="Offer to everyone anyway"
        )

    def mark_offered_paid(self) -> None:
        """Every payment still offered marked paid today, in one step (one operation)."""
        meeting_id = self.host.meeting_id
        if meeting_id is None:
            return
        outcome = meeting_ops.mark_offered_paid(self, self.ctx, meeting_id, self.ctx.today()).wait()
        if not outcome.ok:
            return
        marked = outcome.value or []
        if not marked:
            widgets.inform(self, "All offered paid", "No payment is still marked offered.")
            return
        self.host.saved()
        said = f"{_payments(len(marked))} marked paid on {widgets.format_date(self.ctx.today())}."
        self.host.set_save_state(said)
        self._done(Change("paid", tuple(marked)), said)

    def edit_payment(self, row: int) -> None:
        meeting_id = self.host.meeting_id
        if row < 0 or meeting_id is None:
            return
        payment = self.payments_model.row_at(row)
        if PaymentDialog.ask(self.ctx, meeting_id, self._present(), self, payment=payment):
            self.host.saved()
            if self._row(payment.id) != payment:  # saved as it was: nothing to take back
                change = Change("edit", (payment.id,), payment.name, payment)
                self._done(change, f"Payment for {payment.name} changed.")

    def remove_payment(self) -> None:
        """Ask, then remove the chosen payment in the background (``run``: nothing here waits
        for it; the list follows when the operation tells the page)."""
        row, meeting_id = self.payments_table.current_row(), self.host.meeting_id
        if row < 0 or meeting_id is None:
            return
        payment = self.payments_model.row_at(row)
        gone = ""
        if payment.receipts:
            many = "s" if payment.receipts != 1 else ""
            gone = f" Its {payment.receipts} receipt{many} go too, and Undo cannot bring them back."
        if not widgets.confirm(
            self,
            "Remove payment?",
            f"Remove the payment record for {payment.name}?{gone}",
            yes="Remove",
        ):
            return
        change = Change("remove", (payment.id,), payment.name, payment)

        def removed(_none: None) -> None:
            self.host.saved()
            if self.host.meeting_id == meeting_id:  # not another meeting loaded meanwhile
                self._done(change, f"Payment for {payment.name} removed.")

        meeting_ops.remove_payment(self, self.ctx, meeting_id, payment.id).success(removed).run()

    # --- undo -------------------------------------------------------------------------------

    def _row(self, payment_id: uuid.UUID) -> PaymentRow | None:
        row = self.payments_model.row_of(payment_id)
        return self.payments_model.row_at(row) if row >= 0 else None

    def _name_of(self, payment_id: uuid.UUID) -> str:
        row = self._row(payment_id)
        return row.name if row is not None else "that person"

    def _done(self, change: Change, said: str) -> None:
        """``change`` made: kept for Ctrl+Z, and said under the list."""
        self._undo.append(change)
        self.payment_undo_button.setEnabled(True)
        self.payments_feedback.setText(f"{said} Ctrl+Z in the list undoes it.")

    def _table_keys(self, event: QKeyEvent) -> bool:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_last()
            return True
        return False

    def undo_last(self) -> bool:
        """Ctrl+Z in the payments list: the last change made here taken back (one operation).
        False when there is nothing to undo or it could not be undone (the change is kept, to
        try again)."""
        meeting_id = self.host.meeting_id
        if not self._undo or meeting_id is None:
            self.payments_feedback.setText("Nothing to undo in the payments.")
            return False
        change = self._undo.pop()
        said = self._undo_change(meeting_id, change)
        if said is None:
            self._undo.append(change)
            return False
        self.payment_undo_button.setEnabled(bool(self._undo))
        self.host.saved()
        self.payments_feedback.setText(f"Undone: {said}")
        return True

    def _undo_change(self, meeting_id: uuid.UUID, change: Change) -> str | None:
        """Take ``change`` back; what was undone, in a sentence, or None when not saved."""
        if change.kind in ("offer", "paid"):
            take_back = (
                meeting_ops.withdraw_offers if change.kind == "offer" else meeting_ops.unmark_paid
            )
            counted = take_back(self, self.ctx, meeting_id, change.ids).wait()
            if not counted.ok:
                return None
            done = counted.value or 0
            kept = len(change.ids) - done
            since = f" ({kept} changed since left as {'it is' if kept == 1 else 'they are'})"
            if change.kind == "offer":
                said = f"the offer to {_people(done)} withdrawn"
            else:
                said = f"{_payments(done)} back to offered, the paid date cleared"
            return said + (since if kept else "") + "."
        if change.kind == "add":
            name = self._name_of(change.ids[0])
            gone = meeting_ops.remove_payment(self, self.ctx, meeting_id, change.ids[0]).wait()
            return f"the payment for {name} removed again." if gone.ok else None
        before = change.before
        assert before is not None
        restored = meeting_ops.set_payment(
            self,
            self.ctx,
            meeting_id,
            before.participant_id,
            status=before.status,
            amount_pence=before.amount_pence,
            expenses=dict(before.expenses),
            method=before.method,
            paid_on=before.paid_on,
            claimed_on=before.claimed_on,
        ).wait()
        if not restored.ok or restored.value is None:
            return None
        if restored.value != before.id:  # recreated: the older changes name it by its new id
            self._renumber(before.id, restored.value)
        if change.kind == "remove":
            return f"the payment for {before.name} is back ({self._describe(before)})."
        return f"the payment for {before.name} is as it was ({self._describe(before)})."

    def _renumber(self, old: uuid.UUID, new: uuid.UUID) -> None:
        self._undo = [
            replace(c, ids=tuple(new if i == old else i for i in c.ids)) for c in self._undo
        ]

    @staticmethod
    def _describe(payment: PaymentRow) -> str:
        text = f"{payment.status.label.lower()}, £{widgets.format_pounds(payment.amount_pence)}"
        if payment.expenses_pence:
            text += f" and £{widgets.format_pounds(payment.expenses_pence)} expenses"
        if payment.status == PaymentStatus.PAID and payment.paid_on is not None:
            text += f", paid on {widgets.format_date(payment.paid_on)}"
        return text
