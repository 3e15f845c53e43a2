"""The fields of one payment that both payment dialogs show (issue #28): money or vouchers,
the expenses by kind (travel, care cover, subsistence, other) and their total.

One builder, ``PaymentFields.make``: the meeting's payment dialog lays them out as form rows
(``FORM_LABELS``, each with its Alt letter), the activity dialog as cells of a person's row in
its table (``COLUMN_TITLES``). Every field has an accessible name saying whose payment it is
when there are several (``who``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel

from ....core.vocab import ExpenseKind, PaymentMethod
from ... import widgets

#: The expenses in the order both dialogs show them.
EXPENSE_KINDS: tuple[ExpenseKind, ...] = (
    ExpenseKind.TRAVEL,
    ExpenseKind.CARE_COVER,
    ExpenseKind.SUBSISTENCE,
    ExpenseKind.OTHER,
)
#: A form row's label per field (the meeting's payment dialog), each with its own Alt letter.
FORM_LABELS: dict[str, str] = {
    "method": "Paid &in",
    ExpenseKind.TRAVEL.value: "T&ravel (£)",
    ExpenseKind.CARE_COVER.value: "Care co&ver (£)",
    ExpenseKind.SUBSISTENCE.value: "Su&bsistence (£)",
    ExpenseKind.OTHER.value: "Other e&xpenses (£)",
    "total": "Expenses in all",
}
#: A column's title per field (the activity dialog's table).
COLUMN_TITLES: dict[str, str] = {
    "method": "Paid in",
    ExpenseKind.TRAVEL.value: "Travel",
    ExpenseKind.CARE_COVER.value: "Care cover",
    ExpenseKind.SUBSISTENCE.value: "Subsistence",
    ExpenseKind.OTHER.value: "Other",
    "total": "Expenses in all",
}


def _spoken(key: str) -> str:
    """A field's name as a screen reader says it ("Travel expenses", "Paid in")."""
    title = COLUMN_TITLES[key]
    return title if key in ("method", "total") else f"{title} expenses"


@dataclass
class PaymentFields:
    """Money or vouchers, the four expenses and their total (a label kept up to date)."""

    method: QComboBox
    expenses: dict[ExpenseKind, widgets.PoundsEdit]
    total: QLabel

    @classmethod
    def make(cls, who: str = "") -> PaymentFields:
        """New fields, named for ``who`` ("Travel expenses for Ann Lee") when given."""
        suffix = f" for {who}" if who else ""
        method = QComboBox()
        widgets.fill_combo(method, [(m.label, m) for m in PaymentMethod], keep=False)
        method.setAccessibleName(_spoken("method") + suffix)
        edits = {}
        for kind in EXPENSE_KINDS:
            edit = widgets.PoundsEdit()
            edit.setAccessibleName(_spoken(kind.value) + suffix)
            edits[kind] = edit
        total = QLabel("£0.00")
        total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        total.setContentsMargins(4, 0, 4, 0)
        # A label showing a value is read by its text; what it is goes in the description.
        total.setAccessibleDescription(_spoken("total") + suffix)
        fields = cls(method, edits, total)
        for edit in edits.values():
            edit.textChanged.connect(lambda _text: fields.show_total())
        return fields

    def widget_of(self, key: str) -> QComboBox | widgets.PoundsEdit | QLabel:
        """The field for a key of ``FORM_LABELS`` / ``COLUMN_TITLES``."""
        if key == "method":
            return self.method
        if key == "total":
            return self.total
        return self.expenses[ExpenseKind(key)]

    def set_method(self, method: PaymentMethod) -> None:
        widgets.select_data(self.method, method)

    def chosen_method(self) -> PaymentMethod:
        return PaymentMethod(self.method.currentData())

    def set_expenses(self, expenses: Mapping[ExpenseKind, int]) -> None:
        """Fill the four boxes (a kind not recorded is left blank)."""
        for kind, edit in self.expenses.items():
            pence = expenses.get(kind, 0)
            edit.setText(widgets.format_pounds(pence) if pence else "")
        self.show_total()

    def typed_expenses(self) -> dict[ExpenseKind, int]:
        """The expenses as typed, blanks as nothing (``ValueError`` naming the kind for one that
        is not an amount)."""
        found = {}
        for kind, edit in self.expenses.items():
            if not edit.text().strip():
                continue
            try:
                found[kind] = edit.value()
            except ValueError as exc:
                raise ValueError(f"{kind.label} expenses: {exc}") from exc
        return found

    def show_total(self) -> None:
        try:
            pence = sum(self.typed_expenses().values())
        except ValueError:
            self.total.setText("check the amounts")
            return
        self.total.setText(f"£{widgets.format_pounds(pence)}")
