"""The Payments tab: what the trust pays each person present (involvement payments and
expenses), offered to everyone present in one step, then marked paid or declined one by one.

A payment is added or edited in ``PaymentDialog`` (its own operation); offering and removing are
one operation each. Removing only ``run()``s: nothing here waits for it, and the list follows
when the operation tells the page. Payments carry no meeting version.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from PySide6.QtWidgets import QVBoxLayout

from ....core.meetings import MeetingDetail
from ....core.settings import get_settings
from ....core.vocab import AttendanceStatus
from ... import widgets
from ...dialogs.meeting_dialogs import PaymentDialog
from ...models.meeting_parts import PaymentsModel
from ...operations import meetings as meeting_ops
from .base import Host, Tab, buttons, hint, record_table, reload_table, wire_records


class PaymentsTab(Tab):
    def __init__(self, host: Host) -> None:
        super().__init__(host)
        layout = QVBoxLayout(self)
        self.rate_label = hint("")
        layout.addWidget(self.rate_label)
        self.payments_model = PaymentsModel(parent=self)
        self.payments_table = record_table(layout, "Payments", self.payments_model)
        (
            row,
            (
                self.payment_offer_button,
                self.payment_paid_button,
                self.payment_add_button,
                self.payment_edit_button,
                self.payment_remove_button,
            ),
        ) = buttons(
            ("Offer to everyone present", "Offer the payment to everyone present"),
            ("All offered &paid", "Mark every payment still offered as paid today"),
            ("&Add payment…", "Add payment"),
            ("Ed&it…", "Edit selected payment"),
            ("Rem&ove…", "Remove selected payment"),
        )
        self.payment_offer_button.setToolTip(
            "Records the trust's rate as offered to each person marked present who has no "
            "payment yet (not staff or partner organisations); then mark each paid or declined."
        )
        layout.addLayout(row)
        self.payment_offer_button.clicked.connect(self.offer_payments)
        self.payment_paid_button.clicked.connect(self.mark_offered_paid)
        self.payment_add_button.clicked.connect(self.add_payment)
        self.payment_remove_button.clicked.connect(self.remove_payment)
        wire_records(
            self.payments_table, self.payment_edit_button, self.edit_payment, self.remove_payment
        )

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
        if PaymentDialog.ask(
            self.ctx,
            meeting_id,
            choices,
            self,
            default_pence=get_settings(self.ctx.db).default_payment_pence,
        ):
            self.host.saved()

    def offer_payments(self) -> None:
        """The trust's rate offered, in one step, to everyone present not yet recorded (journey
        step 6: the sign-in sheet's Pay column ticked by most of the room)."""
        meeting_id = self.host.meeting_id
        if meeting_id is None:
            return
        outcome = meeting_ops.offer_payments(self, self.ctx, meeting_id).wait()
        if not outcome.ok:
            return
        offered = outcome.value or 0
        if offered == 0:
            widgets.inform(
                self,
                "Offer to everyone present",
                "Everyone marked present already has a payment recorded, or is staff or from a "
                "partner organisation.",
            )
            return
        self.host.saved()
        self.host.offer_to_mark_held()
        people = "person" if offered == 1 else "people"
        self.host.set_save_state(
            f"Payment offered to {offered} {people}: mark each paid or declined "
            f"({datetime.now():%H:%M})."
        )

    def mark_offered_paid(self) -> None:
        """Every payment still offered marked paid today, in one step (one operation)."""
        meeting_id = self.host.meeting_id
        if meeting_id is None:
            return
        outcome = meeting_ops.mark_offered_paid(self, self.ctx, meeting_id, self.ctx.today()).wait()
        if not outcome.ok:
            return
        marked = outcome.value or 0
        if marked == 0:
            widgets.inform(self, "All offered paid", "No payment is still marked offered.")
            return
        self.host.saved()
        people = "payment" if marked == 1 else "payments"
        self.host.set_save_state(
            f"{marked} {people} marked paid on {widgets.format_date(self.ctx.today())}."
        )

    def edit_payment(self, row: int) -> None:
        meeting_id = self.host.meeting_id
        if row < 0 or meeting_id is None:
            return
        payment = self.payments_model.row_at(row)
        if PaymentDialog.ask(self.ctx, meeting_id, self._present(), self, payment=payment):
            self.host.saved()

    def remove_payment(self) -> None:
        """Ask, then remove the chosen payment in the background (``run``: nothing here waits
        for it; the list follows when the operation tells the page)."""
        row, meeting_id = self.payments_table.current_row(), self.host.meeting_id
        if row < 0 or meeting_id is None:
            return
        payment = self.payments_model.row_at(row)
        if not widgets.confirm(
            self, "Remove payment?", f"Remove the payment record for {payment.name}?", yes="Remove"
        ):
            return
        meeting_ops.remove_payment(self, self.ctx, meeting_id, payment.id).success(
            lambda _none: self.host.saved()
        ).run()
