"""A payment's receipts (issue #28): attach a PDF or a picture of a receipt for its expenses,
save a copy to look at, remove one attached by mistake. Each is its own action, kept at once
(``ui/operations/payments.py``); the payment dialog's Save does not wait for them.

The receipts stay inside the database (``core.payments.receipts``): the dialog says so, with
the 20 MB limit, before anything is chosen.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....core.files import MAX_ATTACHED_BYTES
from ....core.payments.receipts import ReceiptInfo, receipts_of, save_receipt_copy
from ... import files, widgets
from ...context import AppContext
from ...dialog_sizes import Dialog
from ...operations import payments as payment_ops
from ...operations.reads import export, read
from ..buttons import letter_buttons


def choose_receipt(parent: QWidget | None, who: str) -> Path | None:
    """Ask for the receipt's file (``ui.files``); None when cancelled. Tests patch this."""
    return files.ask_open(parent, files.RECEIPT, f"Attach a receipt for {who}'s expenses")


def choose_copy(parent: QWidget | None, suggested: str) -> Path | None:
    """Ask where to save a copy of a receipt; None when cancelled. Tests patch this."""
    return files.ask_save(parent, files.RECEIPT, "Save a copy of the receipt", suggested)


def receipts_text(count: int, *, letter: bool = False) -> str:
    """What a payment's receipts button says: "Receipts (2)…" (with Alt+E, ``letter``)."""
    word = "R&eceipts" if letter else "Receipts"
    return f"{word} ({count})…" if count else f"{word}…"


def _size(size_bytes: int) -> str:
    """ "12 KB" (at least 1), or "2.5 MB"."""
    if size_bytes < 1024 * 1024:
        return f"{max(1, round(size_bytes / 1024)):,} KB"
    return f"{size_bytes / (1024 * 1024):.1f} MB"


class ReceiptsDialog(Dialog):
    """The receipts of one payment. ``count`` is how many it has when closed."""

    def __init__(
        self, ctx: AppContext, payment_id: uuid.UUID, who: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.payment_id = payment_id
        self.who = who
        self.setWindowTitle(f"Receipts for {who}")
        layout = QVBoxLayout(self)
        notice = QLabel(
            f"Receipts for {who}'s expenses: a PDF, or a photo or scan, at most "
            f"{MAX_ATTACHED_BYTES // (1024 * 1024)} MB each. They are kept inside the database "
            "(so backups hold them), are never sent in the return or any list, and are "
            "deleted if the person is anonymised."
        )
        notice.setWordWrap(True)
        layout.addWidget(notice)
        self.list = QListWidget()
        self.list.setAccessibleName(f"Receipts for {who}")
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.attach_button = QPushButton("&Attach a receipt…")
        self.copy_button = QPushButton("Save a &copy…")
        self.remove_button = QPushButton("&Remove")
        for button, said, act in (
            (self.attach_button, "Attach a receipt", self.attach),
            (self.copy_button, "Save a copy of the chosen receipt", self.save_copy),
            (self.remove_button, "Remove the chosen receipt", self.remove),
        ):
            button.setAccessibleName(said)
            button.clicked.connect(act)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        layout.addWidget(self.feedback)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        letter_buttons(buttons, close="Clos&e")  # C is "Save a copy"
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.receipts: list[ReceiptInfo] = []
        self.refresh()
        self.resize(560, 360)

    @classmethod
    def ask(
        cls, ctx: AppContext, payment_id: uuid.UUID, who: str, parent: QWidget | None = None
    ) -> int:
        """Show the receipts; how many there are when it closes."""
        dialog = cls(ctx, payment_id, who, parent)
        dialog.exec()
        return dialog.count

    @property
    def count(self) -> int:
        return len(self.receipts)

    def refresh(self) -> None:
        found = read(self, "Receipts", lambda: receipts_of(self.ctx.db, self.payment_id))
        self.receipts = found or []
        self.list.clear()
        for receipt in self.receipts:
            text = (
                f"{receipt.filename} · {_size(receipt.size_bytes)} · attached "
                f"{widgets.format_date(receipt.added_at.date())}"
            )
            self.list.addItem(QListWidgetItem(text))
        if not self.receipts:
            self.list.addItem(QListWidgetItem("No receipt attached yet."))
        self.list.setCurrentRow(0)
        for button in (self.copy_button, self.remove_button):
            button.setEnabled(bool(self.receipts))

    def chosen(self) -> ReceiptInfo | None:
        row = self.list.currentRow()
        return self.receipts[row] if 0 <= row < len(self.receipts) else None

    def attach(self) -> None:
        path = choose_receipt(self, self.who)
        if path is None:
            return
        if not payment_ops.add_receipt(self, self.ctx, self.payment_id, path).wait().ok:
            return
        self.refresh()
        self.list.setCurrentRow(self.count - 1)
        self.feedback.setText(f"Attached {path.name}.")

    def save_copy(self) -> None:
        receipt = self.chosen()
        if receipt is None:
            return
        target = choose_copy(self, receipt.filename)
        if target is None:
            return
        saved = export(
            self,
            "Copy not saved",
            lambda: save_receipt_copy(self.ctx.db, receipt.id, target),
        )
        if saved is None:
            return
        self.feedback.setText(f"Saved a copy as {saved}.")
        files.offer_to_open(self, saved, "a copy of the receipt")

    def remove(self) -> None:
        receipt = self.chosen()
        if receipt is None or not widgets.confirm(
            self,
            "Remove receipt?",
            f"Remove the receipt {receipt.filename}? It cannot be brought back.",
            yes="Remove",
        ):
            return
        if payment_ops.remove_receipt(self, self.ctx, receipt.id).wait().ok:
            self.refresh()
            self.feedback.setText(f"Removed {receipt.filename}.")
