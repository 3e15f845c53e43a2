"""A meeting's involvement payment (moved here from ``meeting_dialogs``, which re-exports it,
for issue #28): offered, declined or paid, the amount, money or vouchers, and the expenses by
kind (travel, care cover, subsistence, other) with their receipts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from ....core import drafts, meetings
from ....core.errors import NotFoundError
from ....core.meetings import MeetingDetail, PaymentRow
from ....core.payments.totals import benefits_of
from ....core.settings import get_settings
from ....core.vocab import AttendanceStatus, PaymentMethod, PaymentStatus
from ... import widgets
from ...context import AppContext
from ...drafts import DraftAbout
from ...operations import meetings as meeting_ops
from ...operations.reads import read
from ..record_dialog import FieldProblem, RecordDialog, parse_field
from .fields import FORM_LABELS, PaymentFields
from .receipts import ReceiptsDialog, receipts_text


def payment_choices(detail: MeetingDetail, *, unpaid_only: bool) -> list[tuple[uuid.UUID, str]]:
    """The people present at the meeting (those without a payment yet, with ``unpaid_only``),
    as the payment dialog offers them."""
    paid = {p.participant_id for p in detail.payments} if unpaid_only else set()
    return [
        (r.participant_id, r.name)
        for r in detail.register
        if r.status == AttendanceStatus.PRESENT and r.participant_id not in paid
    ]


class PaymentDialog(RecordDialog):
    """Record an involvement payment for someone on the register: offered, declined or paid,
    the amount (the trust's rate pre-filled), money or vouchers (the person's preference
    pre-filled for a new payment, as the core does) and the expenses by kind, in pounds."""

    cancel_text = "Cance&l"  #: C is "Claimed on"

    def __init__(
        self,
        ctx: AppContext,
        meeting_id: uuid.UUID,
        people: Sequence[tuple[uuid.UUID, str]],
        parent: QWidget | None = None,
        *,
        payment: PaymentRow | None = None,
        default_pence: int = 0,
    ) -> None:
        super().__init__(ctx, "Edit payment" if payment else "Add payment", parent)
        self.meeting_id = meeting_id
        self.payment = payment
        add = self.errors.add_row
        self.person_combo = add(self.form, "&Person", "participant", QComboBox())
        choices = list(people)
        if payment is not None and all(pid != payment.participant_id for pid, _ in choices):
            choices.insert(0, (payment.participant_id, payment.name))
        widgets.fill_combo(self.person_combo, [(name, pid) for pid, name in choices], keep=False)
        self.status_combo = add(self.form, "S&tatus", "status", QComboBox())
        widgets.fill_combo(self.status_combo, [(s.label, s) for s in PaymentStatus], keep=False)
        self.amount_edit = add(self.form, "Pa&yment (£)", "amount", widgets.PoundsEdit())
        self.fields = PaymentFields.make()
        for key, label in FORM_LABELS.items():
            name = {"method": "method", "total": "expenses"}.get(key)
            add(self.form, label, name, self.fields.widget_of(key))
        self.receipts_button = QPushButton()
        self.receipts_button.setAccessibleName("Receipts for the expenses")
        self.receipts_button.clicked.connect(self.show_receipts)
        self.receipts_hint = QLabel("Save the payment first, then attach its receipts.")
        receipts_row = QWidget()
        row = QHBoxLayout(receipts_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.receipts_button)
        row.addWidget(self.receipts_hint, 1)
        self.form.addRow("Receipts", receipts_row)
        self._show_receipts(payment.receipts if payment is not None else 0)
        self.claimed_edit = add(
            self.form, "&Claimed on", "claimed_on", widgets.DateEdit(today=ctx.today())
        )
        self.paid_edit = add(self.form, "Paid &on", "paid_on", widgets.DateEdit(today=ctx.today()))
        self.set_intro(
            "Some people decline payment because it can affect their benefits. Expenses are "
            "paid back as spent: give each kind its own amount."
        )
        if payment is not None:
            widgets.select_data(self.person_combo, payment.participant_id)
            self.person_combo.setEnabled(False)
            widgets.select_data(self.status_combo, payment.status)
            self.amount_edit.set_value(payment.amount_pence)
            self.fields.set_method(payment.method)
            self.fields.set_expenses(dict(payment.expenses))
            self.claimed_edit.set_value(payment.claimed_on)
            self.paid_edit.set_value(payment.paid_on)
        else:
            self.amount_edit.set_value(default_pence)
            self._method_chosen = False
            self.fields.method.activated.connect(lambda _i: self._chose_method())
            self.person_combo.currentIndexChanged.connect(lambda _i: self._preferred_method())
            self._preferred_method()
        self.mark_clean()

    def _show_receipts(self, count: int) -> None:
        """The button says how many; a payment not saved yet has none to attach to."""
        self.receipts_button.setText(receipts_text(count, letter=True))
        saved = self.payment is not None
        self.receipts_button.setEnabled(saved)
        self.receipts_hint.setVisible(not saved)

    def show_receipts(self) -> None:
        if self.payment is not None:
            count = ReceiptsDialog.ask(self.ctx, self.payment.id, self.payment.name, self)
            self._show_receipts(count)

    def _chose_method(self) -> None:
        self._method_chosen = True

    def _preferred_method(self) -> None:
        """A new payment: the chosen person's preference, until the coordinator picks one."""
        person = self.person_combo.currentData()
        if person is None or self._method_chosen:
            return
        found = read(self, "Payment", lambda: benefits_of(self.ctx.db, person), quiet=True)
        vouchers = found is not None and found.wants_vouchers
        self.fields.set_method(PaymentMethod.VOUCHERS if vouchers else PaymentMethod.MONEY)

    @classmethod
    def ask(
        cls,
        ctx: AppContext,
        meeting_id: uuid.UUID,
        people: Sequence[tuple[uuid.UUID, str]],
        parent: QWidget | None = None,
        *,
        payment: PaymentRow | None = None,
        default_pence: int = 0,
    ) -> uuid.UUID | None:
        return cls(
            ctx, meeting_id, people, parent, payment=payment, default_pence=default_pence
        ).run()

    def draft_about(self) -> DraftAbout:
        at = drafts.meeting_title(self.ctx.db, self.meeting_id)
        if self.payment is None:
            return DraftAbout(
                f"a payment for {at}",
                ("meetings", self.meeting_id),
                reopen={"meeting_id": self.meeting_id},
            )
        return DraftAbout(
            f"a payment for {at}",
            ("involvement_payments", self.payment.id),
            editing=True,
            reopen={"meeting_id": self.meeting_id, "payment_id": self.payment.id},
        )

    @classmethod
    def from_draft(
        cls, ctx: AppContext, reopen: dict[str, uuid.UUID | None], parent: QWidget | None
    ) -> PaymentDialog:
        meeting_id = reopen["meeting_id"]
        assert meeting_id is not None
        detail = meetings.get_meeting(ctx.db, meeting_id)
        payment = None
        if reopen.get("payment_id") is not None:
            payment = next((p for p in detail.payments if p.id == reopen["payment_id"]), None)
            if payment is None:
                raise NotFoundError("That payment has been removed.")
        return cls(
            ctx,
            meeting_id,
            payment_choices(detail, unpaid_only=payment is None),
            parent,
            payment=payment,
            default_pence=get_settings(ctx.db).default_payment_pence,
        )

    def _check_threshold(self, participant_id: uuid.UUID, amount: int | None) -> None:
        """Before a payment takes the person over the trust's threshold (issue #28): ask, and
        on No keep the dialog open with the reason at the amount."""
        from ....core.payments.totals import threshold_warning

        if self.status_combo.currentData() == PaymentStatus.DECLINED or not amount:
            return
        day = meetings.get_meeting(self.ctx.db, self.meeting_id).meeting_date
        leave_out = self.payment.id if self.payment is not None else None
        warning = threshold_warning(self.ctx.db, participant_id, day, amount, leave_out=leave_out)
        if warning and not widgets.confirm(self, "Over the threshold", warning, yes="Save anyway"):
            raise FieldProblem({"amount": f"Not saved: {warning}"})

    def save(self) -> uuid.UUID:
        problems: dict[str, str] = {}
        amount = parse_field(problems, "amount", self.amount_edit.value)
        expenses = parse_field(problems, "expenses", self.fields.typed_expenses)
        paid_on = parse_field(problems, "paid_on", self.paid_edit.value)
        claimed_on = parse_field(problems, "claimed_on", self.claimed_edit.value)
        participant_id = self.person_combo.currentData()
        if participant_id is None:
            problems["participant"] = "Please choose who the payment is for."
        if problems:
            raise FieldProblem(problems)
        self._check_threshold(participant_id, amount)
        return meeting_ops.set_payment(
            self,
            self.ctx,
            self.meeting_id,
            participant_id,
            status=self.status_combo.currentData(),
            amount_pence=amount,
            expenses=expenses or {},
            method=self.fields.chosen_method(),
            paid_on=paid_on,
            claimed_on=claimed_on,
        ).call()
