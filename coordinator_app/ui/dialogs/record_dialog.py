"""The base of the small dialogs that add or edit one record (a participant, an experience item,
an action, a payment, a new meeting).

Saving model: the dialog's Save button is the one commit. ``save()`` calls exactly one core
function; a ``ValidationError`` (or a field's own parse error) is shown at the field and the
dialog stays open with everything as typed: nothing is half saved. Cancel (or Escape, or closing)
with something changed asks before throwing the typing away.

Two instances on one database: an editing dialog saves with the version it loaded. When someone
else saved the record first, the core refuses (``ConflictError``) and the dialog asks
(``widgets.ask_conflict``): Reload refills the fields from the database (``reload_record``,
theirs shown, mine discarded), Keep editing leaves everything as typed with the sentence shown
under the form; nothing is saved either way, so nothing is lost silently.

Tests never ``exec()`` these: they build the dialog, fill it, call ``try_save()`` (or click the
Save button), and patch ``ask`` where a page opens one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import ConflictError, CoordinatorError, NotFoundError, ValidationError
from .. import widgets
from ..context import AppContext


class FieldProblem(Exception):
    """A problem found by the form itself (a date typed wrongly), shown like a core one."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class RecordDialog(QDialog):
    """Subclasses build their fields in ``self.form`` through ``self.errors.add_row`` and
    implement ``save()``, which returns the saved id (or True) and raises ``ValidationError`` or
    ``FieldProblem``."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setModal(True)
        self.errors = widgets.FormErrors()
        self.result_value: Any = None

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.hide()
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(8)
        layout.addLayout(self.form)
        #: A problem that belongs to no field (e.g. the record was deleted meanwhile).
        self.general_error = widgets.FormErrors.error_label()
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button: QAbstractButton = self.buttons.button(
            QDialogButtonBox.StandardButton.Save
        )
        self.save_button.setText("&Save")
        self.save_button.setAccessibleName("Save")
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._snapshot: tuple[Any, ...] = ()

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def mark_clean(self) -> None:
        """Call at the end of the subclass's ``__init__``, once the fields are filled."""
        self._snapshot = self._values()
        wide = self.fontMetrics().averageCharWidth() * 72
        self.setMinimumWidth(max(self.sizeHint().width(), wide))

    def _values(self) -> tuple[Any, ...]:
        values: list[Any] = []
        for child in self.findChildren(QWidget):
            if isinstance(child, QLineEdit) and child.parent() is not None:
                values.append(child.text())
            elif isinstance(child, QPlainTextEdit):
                values.append(child.toPlainText())
            elif isinstance(child, QComboBox):
                values.append(child.currentIndex())
            elif isinstance(child, QCheckBox):
                values.append(child.isChecked())
        return tuple(values)

    def is_dirty(self) -> bool:
        return self._values() != self._snapshot

    # --- saving -----------------------------------------------------------------------------

    def save(self) -> Any:
        raise NotImplementedError

    def try_save(self) -> bool:
        """Save; on a problem show it at the field and keep the dialog open. True when saved."""
        self.errors.clear()
        self.general_error.hide()
        try:
            self.result_value = self.save()
        except (ValidationError, FieldProblem) as exc:
            self.errors.show(exc.problems)
            return False
        except ConflictError as exc:
            self.resolve_conflict(exc)
            return False
        except CoordinatorError as exc:
            self.general_error.setText(f"Error: {exc}")
            self.general_error.show()
            return False
        self._snapshot = self._values()  # saved: nothing left to lose
        super().accept()
        return True

    def accept(self) -> None:
        self.try_save()

    # --- someone else saved first -------------------------------------------------------------

    def reload_record(self) -> None:
        """Refill every field from the database, with the version read (editing dialogs
        override this). Raises ``NotFoundError`` when the record has gone."""
        raise NotImplementedError

    def resolve_conflict(self, exc: ConflictError) -> None:
        """Ask Reload or Keep editing; either way nothing of this dialog was saved."""
        if not widgets.ask_conflict(self, str(exc)):
            self.general_error.setText(f"Not saved: {exc}")
            self.general_error.show()
            return
        try:
            self.reload_record()
        except NotFoundError as gone:
            self.general_error.setText(f"Error: {gone}")
            self.general_error.show()
            self.save_button.setEnabled(False)
            return
        self.errors.clear()
        self._snapshot = self._values()
        self.general_error.setText("Reloaded: these are the saved details; nothing was saved.")
        self.general_error.show()

    def reject(self) -> None:
        if self.is_dirty() and not widgets.confirm(
            self,
            "Discard changes?",
            "You have typed something that is not saved yet. Discard it?",
            yes="Discard",
        ):
            return
        super().reject()

    def closeEvent(self, event: Any) -> None:
        if (
            self.isVisible()
            and self.is_dirty()
            and not widgets.confirm(
                self,
                "Discard changes?",
                "You have typed something that is not saved yet. Discard it?",
                yes="Discard",
            )
        ):
            event.ignore()
            return
        self._snapshot = self._values()
        super().closeEvent(event)

    def run(self) -> Any:
        """Show modally; the saved value, or None when cancelled. The dialog is deleted after
        (it is a child of the page that asked, which lives as long as the window)."""
        accepted = self.exec() == QDialog.DialogCode.Accepted
        value = self.result_value if accepted else None
        self.deleteLater()
        return value


def parse_field(problems: dict[str, str], name: str, parse: Any) -> Any:
    """Run a field's parser, collecting its ``ValueError`` sentence under ``name``."""
    try:
        return parse()
    except ValueError as exc:
        problems[name] = str(exc)
        return None


def hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
