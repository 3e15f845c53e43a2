"""The dialog that shows why a framework workbook was refused: one sentence, then every problem
on its own line (``Sheet 'Standards' row 7: ...``) in a read-only text box a screen reader can
walk line by line and a coordinator can copy into an email.

Pages call ``FrameworkProblemsDialog.show_problems`` (tests patch it, or build the dialog and read
``problems_text()`` without ``exec``).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..dialog_sizes import Dialog
from .buttons import letter_buttons


class FrameworkProblemsDialog(Dialog):
    def __init__(
        self, summary: str, problems: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Framework not loaded")
        self.setModal(True)
        layout = QVBoxLayout(self)
        self.summary_label = QLabel(summary)
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        count = len(problems)
        self.count_label = QLabel(
            f"Nothing was loaded. Put right the {count} problem{'s' if count != 1 else ''} below "
            "in the workbook and import it again:"
            if count
            else "Nothing was loaded."
        )
        self.count_label.setWordWrap(True)
        layout.addWidget(self.count_label)
        self.problems_edit = QPlainTextEdit()
        self.problems_edit.setReadOnly(True)
        self.problems_edit.setTabChangesFocus(True)
        self.problems_edit.setPlainText("\n".join(problems))
        self.problems_edit.setAccessibleName("Problems found in the workbook")
        self.problems_edit.setVisible(bool(problems))
        self.count_label.setBuddy(self.problems_edit)
        lines = min(max(count, 3), 15)
        self.problems_edit.setMinimumHeight(
            self.problems_edit.fontMetrics().lineSpacing() * lines + 16
        )
        self.problems_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)
        layout.addWidget(self.problems_edit, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy the problems")
        self.copy_button.setAccessibleName("Copy the problems")
        self.copy_button.setEnabled(bool(problems))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_problems)
        letter_buttons(buttons, close="Clos&e")  # C is Copy
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        close.setFocus()

    def problems_text(self) -> str:
        return self.problems_edit.toPlainText()

    def copy_problems(self) -> None:
        QGuiApplication.clipboard().setText(
            f"{self.summary_label.text()}\n{self.problems_text()}".strip()
        )

    @classmethod
    def show_problems(cls, parent: QWidget | None, summary: str, problems: Sequence[str]) -> None:
        dialog = cls(summary, problems, parent)
        dialog.exec()
        dialog.deleteLater()
