"""Involvement payments beyond a meeting's own (issue #28; journeys 11 and 12).

- ``PaymentsListDialog`` (File > Payments list for finance…): a period, then where to save the
  list. It is personal data, and the dialog says so before anything is written.
- ``ActivityDialog`` (File > Record an involvement activity…, and the Meetings page): an
  activity other than a meeting (a day's improvement project work, an interview panel,
  training ...) with the people who took part and each one's payment, saved as one action.
  Before saving it warns about anyone the payment would take over the trust's threshold.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import ValidationError
from ...core.meetings import list_localities
from ...core.payments.activities import ACTIVITY_KINDS, PaymentGiven
from ...core.payments.totals import benefits_of
from ...core.vocab import PaymentMethod, PaymentStatus, RateUnit
from .. import files, widgets
from ..context import AppContext
from ..dialog_sizes import Dialog
from ..operations import payments as payment_ops
from ..operations.reads import read
from .buttons import letter_buttons
from .payments.fields import COLUMN_TITLES, PaymentFields
from .payments.receipts import ReceiptsDialog, receipts_text
from .record_dialog import save_on_ctrl_enter


def choose_list_file(parent: QWidget | None, suggested: Path) -> Path | None:
    """Ask where to save the finance list (tests patch this)."""
    return files.ask_save(parent, files.WORKBOOK, "Save the payments list for finance", suggested)


def add_rows(form: QFormLayout, rows: Iterable[tuple[str, QWidget]], *, named: str = "") -> None:
    """Each (label with its Alt letter, field) as a row of ``form``: the label is the field's
    buddy and, with ``named`` before it, its accessible name (``FormErrors.add_row``, with no
    sentence to show)."""
    builder = widgets.FormErrors()
    for text, field in rows:
        field.setAccessibleName(named + text.replace("&", ""))
        builder.add_row(form, text, None, field)


def problem_label() -> QLabel:
    """Where a dialog says what stopped it (hidden until then)."""
    problem = QLabel()
    problem.setWordWrap(True)
    problem.setAccessibleName("Problem")
    problem.hide()
    return problem


def _month_of(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    return first, after - timedelta(days=1)


class PaymentsListDialog(Dialog):
    """The period (this month by default), then the file. ``written`` is (path, count)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.written: tuple[Path, int] | None = None
        self.setWindowTitle("Payments list for finance")
        layout = QVBoxLayout(self)
        notice = QLabel(
            "The list names each person with what they are to be paid: it is personal data. "
            "Send it only to finance, and delete your copy once they have paid."
        )
        notice.setWordWrap(True)
        notice.setAccessibleName("Personal data")
        layout.addWidget(notice)
        form = QFormLayout()
        first, last = _month_of(ctx.today())
        self.from_edit = widgets.DateEdit(today=ctx.today())
        self.from_edit.set_value(first)
        self.to_edit = widgets.DateEdit(today=ctx.today())
        self.to_edit.set_value(last)
        add_rows(form, (("&From", self.from_edit), ("&To (included)", self.to_edit)))
        layout.addLayout(form)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        letter_buttons(buttons)
        self.save_button = buttons.addButton("&Save list…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> tuple[Path, int] | None:
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.written

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def save(self) -> None:
        try:
            start, end = self.from_edit.value(), self.to_edit.value()
        except ValueError as exc:
            self._say(str(exc))
            return
        if start is None or end is None:
            self._say("Give the first and last day of the period.")
            return
        if start > end:
            self._say(f"The period starts ({start:%d/%m/%Y}) after it ends ({end:%d/%m/%Y}).")
            return
        target = choose_list_file(self, Path(f"Payments for finance {start:%Y-%m-%d}.xlsx"))
        if target is None:
            return
        outcome = payment_ops.write_payments_list(self, self.ctx, start, end, target).wait()
        if not outcome.ok or outcome.value is None:
            return
        self.written = outcome.value
        path, count = outcome.value
        files.offer_to_open(
            self, path, "the payments list for finance", f"It lists {count} payments."
        )
        self.accept()


# --- an involvement activity -----------------------------------------------------------------

#: The activity dialog's table: name, payment, amount, then the fields every payment shows
#: (``PaymentFields``: paid in, the four expenses, their total), the claim's dates, receipts.
COLUMN_KEYS: tuple[str, ...] = (
    "name",
    "status",
    "amount",
    *COLUMN_TITLES,
    "claimed",
    "paid",
    "receipts",
)
COLUMN_HEADERS: dict[str, str] = {
    "name": "Name",
    "status": "Payment",
    "amount": "Amount (£)",
    **COLUMN_TITLES,
    "claimed": "Claimed on",
    "paid": "Paid on",
    "receipts": "Receipts",
}
#: What a short heading means, as its tooltip and accessible description (a long heading was
#: cut at 1366x768: "unt (blank: the r").
COLUMN_MEANINGS: dict[str, str] = {
    "amount": "Amount in pounds; left blank, it takes the trust's rate for the activity",
    "claimed": "The day the person claimed their payment (not before the activity)",
    "paid": "The day they were paid (not before their claim)",
}
COL_NAME, COL_STATUS = COLUMN_KEYS.index("name"), COLUMN_KEYS.index("status")


@dataclass
class PersonRow:
    """One person in the activity dialog's table and the widgets of their payment."""

    person: uuid.UUID
    name: str
    status: QComboBox
    amount: widgets.PoundsEdit
    fields: PaymentFields
    claimed: widgets.DateEdit
    paid: widgets.DateEdit
    receipts: QPushButton
    #: The payment recorded (None until the activity is saved with it).
    payment_id: uuid.UUID | None = None
    receipt_count: int = 0

    def show_receipts(self, count: int) -> None:
        self.receipt_count = count
        self.receipts.setText(receipts_text(count))
        self.receipts.setEnabled(self.payment_id is not None)


class ActivityDialog(Dialog):
    """Record an involvement activity with its people and payments, or (``activity_id``)
    change one: claims and payments are marked here. ``saved`` is its id."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        locality_id: uuid.UUID | None = None,
        project_id: uuid.UUID | None = None,
        activity_id: uuid.UUID | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.project_id = project_id
        self.activity_id = activity_id
        self.saved: uuid.UUID | None = None
        self.setWindowTitle(
            "Involvement activity" if activity_id else "Record an involvement activity"
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        # The table takes the dialog's width; the activity's own fields need no more than theirs.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.locality_combo = QComboBox()
        widgets.fill_combo(
            self.locality_combo,
            [(loc.name, loc.id) for loc in list_localities(ctx.db)],
            keep=False,
        )
        widgets.select_data(self.locality_combo, locality_id)
        self.kind_combo = QComboBox()
        widgets.fill_combo(self.kind_combo, [(k.label, k) for k in ACTIVITY_KINDS], keep=False)
        self.date_edit = widgets.DateEdit(today=ctx.today())
        self.date_edit.set_value(ctx.today())
        self.title_edit = QLineEdit()
        self.title_edit.setMinimumWidth(480)
        self.quantity_spin = QDoubleSpinBox()
        self.quantity_spin.setRange(0.25, 1000)
        self.quantity_spin.setSingleStep(0.5)
        self.quantity_spin.setValue(1)
        self.unit_combo = QComboBox()
        widgets.fill_combo(self.unit_combo, [(u.label, u) for u in RateUnit], keep=False)
        widgets.select_data(self.unit_combo, RateUnit.DAY)
        length = QHBoxLayout()
        length.addWidget(self.quantity_spin)
        length.addWidget(self.unit_combo)
        self.cost_code_edit = QLineEdit()
        add_rows(
            form,
            (
                ("&Locality", self.locality_combo),
                ("&Kind", self.kind_combo),
                ("&Date", self.date_edit),
                ("T&itle", self.title_edit),
            ),
        )
        length_label = QLabel("&How long")
        length_label.setBuddy(self.quantity_spin)
        self.quantity_spin.setAccessibleName("How long")
        self.unit_combo.setAccessibleName("Counted in")
        form.addRow(length_label, length)
        add_rows(form, (("C&ost code", self.cost_code_edit),))
        layout.addLayout(form)

        people_row = QHBoxLayout()
        self.person_combo = QComboBox()
        self.person_combo.setEditable(True)
        self.person_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.person_combo.setAccessibleName("Person who took part")
        person_label = QLabel("&Person")
        person_label.setBuddy(self.person_combo)
        self.add_button = QPushButton("&Add")
        self.add_button.setAccessibleName("Add the person")
        self.add_button.clicked.connect(self.add_current_person)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setAccessibleName("Remove the selected person")
        self.remove_button.clicked.connect(self._remove_person)
        self.person_combo.setMinimumWidth(320)
        people_row.addWidget(person_label)
        people_row.addWidget(self.person_combo)
        people_row.addWidget(self.add_button)
        people_row.addWidget(self.remove_button)
        people_row.addStretch(1)
        layout.addLayout(people_row)
        self.table = QTableWidget(0, len(COLUMN_KEYS))
        self.table.setHorizontalHeaderLabels([COLUMN_HEADERS[k] for k in COLUMN_KEYS])
        for key, meaning in COLUMN_MEANINGS.items():
            heading = self.table.horizontalHeaderItem(COLUMN_KEYS.index(key))
            assert heading is not None  # set just above
            heading.setToolTip(meaning)
            heading.setData(Qt.ItemDataRole.AccessibleDescriptionRole, meaning)
        self.table.setAccessibleName("People who took part and their payments")
        # Tab walks the fields of each row, then the next row's (``_tab_order``), not the cells.
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        hint = QLabel(
            "A blank amount takes the trust's rate for the activity. Expenses (£) are paid back "
            "as spent, each kind in its own column; their receipts can be attached once the "
            "activity is saved with the person's payment."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        letter_buttons(buttons)
        self.save_button = buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName("Save")
        self.save_button.setToolTip("Save (Ctrl+Enter)")
        save_on_ctrl_enter(self, self.save)  # as in every other dialog that saves
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        #: Per person, as in the table.
        self.rows: list[PersonRow] = []
        self._fill_people()
        self.locality_combo.currentIndexChanged.connect(lambda _i: self._fill_people())
        if activity_id is not None:
            self._load(activity_id)
        # Wide enough for every column on a 1366x768 laptop (dialog_sizes keeps it on screen).
        self.resize(1300, 620)

    @classmethod
    def ask(
        cls,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        locality_id: uuid.UUID | None = None,
        project_id: uuid.UUID | None = None,
    ) -> uuid.UUID | None:
        dialog = cls(ctx, parent, locality_id=locality_id, project_id=project_id)
        dialog.exec()
        return dialog.saved

    @classmethod
    def for_project(
        cls,
        ctx: AppContext,
        project_id: uuid.UUID,
        locality_id: uuid.UUID,
        title: str,
        people: list[tuple[uuid.UUID, str]],
        parent: QWidget | None = None,
    ) -> uuid.UUID | None:
        """Improvement project work (journey 11: a day's co-design work, no meeting
        involved): the project's locality and title, a day, and its people already in."""
        dialog = cls.made_for_project(ctx, project_id, locality_id, title, people, parent)
        dialog.exec()
        return dialog.saved

    @classmethod
    def made_for_project(
        cls,
        ctx: AppContext,
        project_id: uuid.UUID,
        locality_id: uuid.UUID,
        title: str,
        people: list[tuple[uuid.UUID, str]],
        parent: QWidget | None = None,
    ) -> ActivityDialog:
        from ...core.vocab import ActivityKind

        dialog = cls(ctx, parent, locality_id=locality_id, project_id=project_id)
        widgets.select_data(dialog.kind_combo, ActivityKind.PROJECT_WORK)
        widgets.select_data(dialog.unit_combo, RateUnit.DAY)
        dialog.title_edit.setText(title)
        for person, name in people:
            dialog._add_row(person, name)
        return dialog

    @classmethod
    def open_activity(
        cls, ctx: AppContext, activity_id: uuid.UUID, parent: QWidget | None = None
    ) -> uuid.UUID | None:
        dialog = cls(ctx, parent, activity_id=activity_id)
        dialog.exec()
        return dialog.saved

    @property
    def people(self) -> list[uuid.UUID]:
        return [row.person for row in self.rows]

    def _load(self, activity_id: uuid.UUID) -> None:
        from ...core.payments.activities import activity_people, get_activity

        activity = get_activity(self.ctx.db, activity_id)
        self.project_id = activity.project_id
        widgets.select_data(self.locality_combo, activity.locality_id)
        widgets.select_data(self.kind_combo, activity.kind)
        self.date_edit.set_value(activity.activity_date)
        self.title_edit.setText(activity.title)
        self.quantity_spin.setValue(activity.quantity)
        widgets.select_data(self.unit_combo, activity.unit)
        self.cost_code_edit.setText(activity.cost_code)
        for person in activity_people(self.ctx.db, activity_id):
            row = self._add_row(person.participant_id, person.name, person.method)
            row.payment_id = person.payment_id
            row.show_receipts(person.receipts)
            if person.status is not None:
                widgets.select_data(row.status, person.status)
                row.amount.set_value(person.amount_pence)
            row.fields.set_expenses(person.expenses)
            row.claimed.set_value(person.claimed_on)
            row.paid.set_value(person.paid_on)

    def _fill_people(self) -> None:
        """The locality's active people (and those with none), by name."""
        from ...core.people import list_participants

        locality_id = self.locality_combo.currentData()
        rows = list_participants(self.ctx.db, figures=False)
        choices = [(row.name, row.id) for row in rows if row.locality_id in (None, locality_id)]
        widgets.fill_combo(self.person_combo, choices, keep=False)
        self.person_combo.setCurrentIndex(-1)

    def add_current_person(self) -> None:
        person = self.person_combo.currentData()
        if person is None or person in self.people:
            return
        row = self._add_row(person, self.person_combo.currentText())
        self.person_combo.setCurrentIndex(-1)  # ready for the next name (Alt+P)
        self.table.setCurrentCell(self.table.rowCount() - 1, COL_STATUS)
        row.status.setFocus()

    def _add_row(
        self, person: uuid.UUID, who: str, preferred: PaymentMethod | None = None
    ) -> PersonRow:
        """The person's row, paid in ``preferred`` (None: as they asked to be paid, as the core
        does for a new payment)."""
        if preferred is None:
            found = read(self, "Payment", lambda: benefits_of(self.ctx.db, person), quiet=True)
            vouchers = found is not None and found.wants_vouchers
            preferred = PaymentMethod.VOUCHERS if vouchers else PaymentMethod.MONEY
        index = self.table.rowCount()
        self.table.insertRow(index)
        name = QLabel(who)
        name.setContentsMargins(4, 0, 4, 0)
        name.setAccessibleDescription("Name")  # read by its text: a name would hide it
        self.table.setCellWidget(index, COL_NAME, name)
        status = QComboBox()
        widgets.fill_combo(status, [(s.label, s) for s in PaymentStatus], keep=False)
        amount = widgets.PoundsEdit()
        amount.setPlaceholderText("the rate")
        claimed = widgets.DateEdit(today=self.ctx.today())
        paid = widgets.DateEdit(today=self.ctx.today())
        receipts = QPushButton()
        receipts.setToolTip("Save the activity with their payment first, then attach receipts.")
        own: dict[str, QWidget] = {
            "status": status, "amount": amount, "claimed": claimed, "paid": paid,
            "receipts": receipts,
        }  # fmt: skip
        for key, mine in own.items():
            mine.setAccessibleName(f"{COLUMN_HEADERS[key].removesuffix(' (£)')} for {who}")
        fields = PaymentFields.make(who)
        fields.set_method(preferred)
        row = PersonRow(person, who, status, amount, fields, claimed, paid, receipts)
        row.show_receipts(0)
        receipts.clicked.connect(lambda: self._receipts_of(row))
        for column, key in enumerate(COLUMN_KEYS[1:], start=1):
            cell = own.get(key) or fields.widget_of(key)
            cell.installEventFilter(self)
            self.table.setCellWidget(index, column, cell)
        self.rows.append(row)
        self._tab_order()
        return row

    def _receipts_of(self, row: PersonRow) -> None:
        if row.payment_id is not None:
            row.show_receipts(ReceiptsDialog.ask(self.ctx, row.payment_id, row.name, self))

    def _remove_person(self) -> None:
        index = self.table.currentRow()
        if index < 0:
            return
        row = self.rows[index]
        if row.receipt_count and not widgets.confirm(
            self,
            "Remove person?",
            f"Remove {row.name}? Their payment goes when you save, with its "
            f"{row.receipt_count} receipt{'s' if row.receipt_count != 1 else ''}.",
            yes="Remove",
        ):
            return
        self.table.removeRow(index)
        del self.rows[index]
        self._tab_order()

    def _cells(self, row: PersonRow) -> list[QWidget]:
        """The row's fields in column order (the name, a label, is not a focus stop)."""
        return [self.table.cellWidget(self.rows.index(row), c) for c in range(1, len(COLUMN_KEYS))]

    def _fit_columns(self) -> None:
        """Each column as wide as its title and what it shows (a name, "0,000.00", a date), so
        every column fits a 1366-wide screen (a line edit's own width is 17 characters)."""
        metrics = self.table.fontMetrics()
        pad = 2 * metrics.averageCharWidth() + 12
        wide = {
            widgets.PoundsEdit: metrics.horizontalAdvance("00,000.00") + pad,
            widgets.DateEdit: metrics.horizontalAdvance("00/00/00000") + pad,
        }
        for column in range(len(COLUMN_KEYS)):
            title = self.table.horizontalHeaderItem(column)
            width = metrics.horizontalAdvance(title.text() if title else "") + pad
            for index in range(self.table.rowCount()):
                cell = self.table.cellWidget(index, column)
                if cell is not None:
                    width = max(width, wide.get(type(cell), cell.sizeHint().width()))
            self.table.setColumnWidth(column, width)

    def _tab_order(self) -> None:
        """Tab: the people list, then each person's fields row by row, then Save and Cancel.
        (Cells added later would otherwise come after the buttons.) Columns fitted again."""
        self._fit_columns()
        chain: list[QWidget] = [self.remove_button, self.table]
        for row in self.rows:
            chain += [w for w in self._cells(row) if w.focusPolicy() != Qt.FocusPolicy.NoFocus]
        chain += [self.save_button, self.cancel_button]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A person's field taking the keyboard makes their row the current one (what Remove
        takes away)."""
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QWidget):
            index = self.table.indexAt(watched.geometry().center())
            if index.isValid() and index.row() != self.table.currentRow():
                self.table.setCurrentCell(index.row(), index.column())
        return super().eventFilter(watched, event)

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def _payments(self) -> dict[uuid.UUID, tuple[object, ...]]:
        """Each person's payment as typed (``ValueError`` for an amount or a date that is not
        one): (status, amount or None for the rate, expenses by kind, claimed on, paid on)."""
        found: dict[uuid.UUID, tuple[object, ...]] = {}
        for row in self.rows:
            amount = row.amount.value() if row.amount.text().strip() else None
            try:
                expenses = row.fields.typed_expenses()
            except ValueError as exc:
                raise ValueError(f"{row.name}: {exc}") from exc
            status = row.status.currentData()
            paid_on = row.paid.value()
            if status == PaymentStatus.PAID and paid_on is None:
                paid_on = self.ctx.today()
            found[row.person] = PaymentGiven(
                status, amount, expenses, row.claimed.value(), paid_on, row.fields.chosen_method()
            )
        return found

    def _threshold_warnings(self, day: date, payments: dict) -> list[str]:
        from ...core.payments.totals import threshold_warning

        names = {row.person: row.name for row in self.rows}
        lines = []
        for person, (status, amount, *_rest) in payments.items():
            if status == PaymentStatus.DECLINED or not amount:
                continue
            warning = threshold_warning(self.ctx.db, person, day, amount)
            if warning:
                lines.append(f"{names[person]}: {warning}")
        return lines

    def save(self) -> None:
        self.problem.hide()
        try:
            day = self.date_edit.value()
            payments = self._payments()
        except ValueError as exc:
            self._say(str(exc))
            return
        if day is None:
            self._say("Give the activity's date.")
            return
        warnings = self._threshold_warnings(day, payments)
        if warnings and not widgets.confirm(
            self, "Over the threshold", "\n".join(warnings), yes="Save anyway"
        ):
            return
        op = payment_ops.record_activity(
            self,
            self.ctx,
            locality_id=self.locality_combo.currentData(),
            kind=self.kind_combo.currentData(),
            activity_date=day,
            title=self.title_edit.text(),
            unit=self.unit_combo.currentData(),
            quantity=self.quantity_spin.value(),
            cost_code=self.cost_code_edit.text(),
            payments=payments,
            project_id=self.project_id,
            activity_id=self.activity_id,
        )
        outcome = op.validation(self._invalid).wait()
        if outcome.ok:
            self.saved = outcome.value
            self.accept()

    def _invalid(self, exc: ValidationError) -> None:
        """The refusal's sentences, each person's payment's named with whose it is (core keys
        them ``field@<id hex>``)."""
        names = {row.person.hex: row.name for row in self.rows}
        lines = []
        for key, text in exc.problems.items():
            who = names.get(key.partition("@")[2])
            lines.append(f"{who}: {text}" if who else text)
        self._say(" ".join(lines))


# --- the trust's rates and limits -------------------------------------------------------------


class RatesDialog(Dialog):
    """Edit > Payment rates and limits…: the trust's rates per kind of activity and unit, each
    from the day it starts (a new rate never rewrites a payment already recorded), the
    threshold a person's payments are checked against (none by default) and how long a claim
    may wait unpaid before Home lists it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        from ...core.payments.totals import payment_settings
        from ...core.vocab import ActivityKind, ThresholdPeriod

        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Payment rates and limits")
        layout = QVBoxLayout(self)
        self.rates = QTableWidget(0, 5)
        self.rates.setHorizontalHeaderLabels(["Activity", "Per", "Rate (£)", "From", "Cost code"])
        self.rates.setAccessibleName("The trust's payment rates")
        self.rates.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.rates.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.rates)
        form = QFormLayout()
        self.kind_combo = QComboBox()
        widgets.fill_combo(self.kind_combo, [(k.label, k) for k in ActivityKind], keep=False)
        self.unit_combo = QComboBox()
        widgets.fill_combo(self.unit_combo, [(u.label, u) for u in RateUnit], keep=False)
        self.pence_edit = widgets.PoundsEdit()
        self.starts_edit = widgets.DateEdit(today=ctx.today())
        self.starts_edit.set_value(ctx.today())
        self.code_edit = QLineEdit()
        new_rate: tuple[tuple[str, QWidget], ...] = (
            ("&Activity", self.kind_combo),
            ("&Per", self.unit_combo),
            ("&Rate (£)", self.pence_edit),
            ("&From", self.starts_edit),
            ("&Cost code", self.code_edit),
        )
        add_rows(form, new_rate, named="New rate: ")
        self.add_button = QPushButton("A&dd rate")
        widgets.say_more(self.add_button, "Add the rate")
        self.add_button.clicked.connect(self.add_rate)
        form.addRow("", self.add_button)
        settings = payment_settings(ctx.db)
        self.threshold_edit = widgets.PoundsEdit()
        self.threshold_edit.setPlaceholderText("none")
        if settings.threshold_pence is not None:
            self.threshold_edit.set_value(settings.threshold_pence)
        self.period_combo = QComboBox()
        widgets.fill_combo(self.period_combo, [(p.label, p) for p in ThresholdPeriod], keep=False)
        widgets.select_data(self.period_combo, settings.threshold_period)
        self.limit_spin = QDoubleSpinBox()
        self.limit_spin.setDecimals(0)
        self.limit_spin.setRange(1, 365)
        self.limit_spin.setValue(settings.unpaid_limit_days)
        limits: tuple[tuple[str, QWidget], ...] = (
            ("&Threshold (£)", self.threshold_edit),
            ("Threshold &over", self.period_combo),
            ("Claims &unpaid after (days)", self.limit_spin),
        )
        add_rows(form, limits)
        layout.addLayout(form)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        letter_buttons(buttons, close="Clos&e")  # C is Cost code
        self.save_button = buttons.addButton("&Save limits", QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_button.clicked.connect(self.save_limits)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill()

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> None:
        cls(ctx, parent).exec()

    def _fill(self) -> None:
        from PySide6.QtWidgets import QTableWidgetItem

        from ...core.payments.rates import rate_rows

        rows = rate_rows(self.ctx.db)
        self.rates.setRowCount(len(rows))
        for r, rate in enumerate(rows):
            for c, value in enumerate(
                (
                    rate.kind.label,
                    rate.unit.label,
                    widgets.format_pounds(rate.pence),
                    widgets.format_date(rate.starts_on),
                    rate.cost_code,
                )
            ):
                self.rates.setItem(r, c, QTableWidgetItem(value))

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def add_rate(self) -> None:
        self.problem.hide()
        try:
            pence = self.pence_edit.value()
            starts = self.starts_edit.value()
        except ValueError as exc:
            self._say(str(exc))
            return
        if starts is None:
            self._say("Give the day the rate starts.")
            return
        op = payment_ops.set_rate(
            self,
            self.ctx,
            kind=self.kind_combo.currentData(),
            unit=self.unit_combo.currentData(),
            pence=pence,
            starts_on=starts,
            cost_code=self.code_edit.text(),
        )
        if op.validation(lambda exc: self._say(" ".join(exc.problems.values()))).wait().ok:
            self._fill()

    def save_limits(self) -> None:
        self.problem.hide()
        try:
            text = self.threshold_edit.text().strip()
            threshold = self.threshold_edit.value() if text else None
        except ValueError as exc:
            self._say(str(exc))
            return
        op = payment_ops.save_payment_settings(
            self,
            self.ctx,
            threshold_pence=threshold,
            threshold_period=self.period_combo.currentData(),
            unpaid_limit_days=int(self.limit_spin.value()),
        )
        op.validation(lambda exc: self._say(" ".join(exc.problems.values()))).wait()


# --- the list of activities ----------------------------------------------------------------


class ActivitiesDialog(Dialog):
    """Meetings page > Other activities…: the involvement activities other than meetings,
    newest first; Enter (or Open) opens one to mark claims and payments, New records one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Involvement activities")
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Date", "Activity", "Title", "Locality", "People"])
        self.table.setAccessibleName("Involvement activities; Enter opens one")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellActivated.connect(lambda row, _column: self.open_row(row))
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        letter_buttons(buttons)
        self.new_button = buttons.addButton("&New…", QDialogButtonBox.ButtonRole.ActionRole)
        self.new_button.setAccessibleName("Record a new involvement activity")
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setAccessibleName("Open the selected activity")
        self.new_button.clicked.connect(self.new_activity)
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentRow()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ids: list[uuid.UUID] = []
        self.refresh()

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> None:
        cls(ctx, parent).exec()

    def refresh(self) -> None:
        from PySide6.QtWidgets import QTableWidgetItem

        from ...core.payments.activities import activity_rows

        names = {loc.id: loc.name for loc in list_localities(self.ctx.db)}
        rows = activity_rows(self.ctx.db)
        self.ids = [row.id for row in rows]
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(
                (
                    widgets.format_date(row.activity_date),
                    row.kind.label,
                    row.title,
                    names.get(row.locality_id, ""),
                    str(len(row.participant_ids)),
                )
            ):
                self.table.setItem(r, c, QTableWidgetItem(value))
        if rows:
            self.table.setCurrentCell(0, 0)

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.ids) and ActivityDialog.open_activity(self.ctx, self.ids[row], self):
            self.refresh()

    def new_activity(self) -> None:
        if ActivityDialog.ask(self.ctx, self):
            self.refresh()
