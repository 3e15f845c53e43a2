"""Equality monitoring (issue #27): one participant's answers, and quick entry for a stack of
paper forms.

Special-category data: shown only here, where the coordinator opens it, never in a list. Consent
comes first: the answers stay disabled until the consent date and how it was given are filled
in. There is no draft of this form (a draft would keep the answers in the drafts table); what is
typed is saved or dropped. Every control has an accessible name, and each answer's combo box
says its characteristic, so a screen reader reads "Ethnic group, White: Irish".
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core import monitoring, people
from ...core.errors import ValidationError
from ...core.monitoring_form import monitoring_form_document
from .. import printing, widgets
from ..context import AppContext
from ..dialog_sizes import Dialog
from ..operations import monitoring as monitoring_ops
from .buttons import letter_buttons
from .record_dialog import save_on_ctrl_enter

NO_ANSWER = "No answer"
INTRO = (
    "Equality monitoring is special-category data. Record it only with the person's explicit "
    "consent: the date and how it was given come first. Answers never appear in lists, "
    "minutes or returns; the reach figures count them with small numbers hidden."
)
ROLE_ID = Qt.ItemDataRole.UserRole + 1


class MonitoringFields(QWidget):
    """Consent, then one combo box per characteristic of the trust's lists."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = widgets.FormErrors()
        form = QFormLayout(self)
        add = self.errors.add_row
        self.consent_date_edit = add(
            form, "Consent &date", "consent_date", widgets.DateEdit(today=ctx.today())
        )
        self.consent_how_edit = add(form, "&How consent was given", "consent_how", QLineEdit())
        self.consent_how_edit.setPlaceholderText("e.g. on the paper form, by phone")
        self.combos: dict[str, QComboBox] = {}
        for characteristic in monitoring.read_characteristics(ctx.db):
            combo = QComboBox()
            widgets.fill_combo(
                combo,
                [(NO_ANSWER, ""), *((g.name, g.name) for g in characteristic.groups)],
                keep=False,
            )
            self.combos[characteristic.name] = add(
                form, characteristic.name, characteristic.name, combo
            )
        self.consent_date_edit.textChanged.connect(self._consent_changed)
        self.consent_how_edit.textChanged.connect(self._consent_changed)
        self._consent_changed()

    def _consent_changed(self) -> None:
        given = bool(self.consent_date_edit.text().strip() and self.consent_how_edit.text().strip())
        for combo in self.combos.values():
            combo.setEnabled(given)

    def load(self, found: monitoring.Answers | None) -> None:
        self.consent_date_edit.set_value(found.consent_date if found else None)
        self.consent_how_edit.setText(found.consent_how if found else "")
        answers = found.answers if found else {}
        for name, combo in self.combos.items():
            widgets.select_data(combo, answers.get(name, ""))

    def clear_answers(self) -> None:
        for combo in self.combos.values():
            combo.setCurrentIndex(0)

    def answers(self) -> dict[str, str]:
        return {name: combo.currentData() or "" for name, combo in self.combos.items()}

    def save_op(self, parent: QWidget, ctx: AppContext, participant_id: uuid.UUID) -> bool:
        """Save through the one operation; problems shown at their fields. True when saved."""
        self.errors.clear()
        try:
            consent_date = self.consent_date_edit.value()
        except ValueError as exc:
            self.errors.show({"consent_date": str(exc)})
            return False
        outcome = (
            monitoring_ops.record_answers(
                parent,
                ctx,
                participant_id,
                consent_date=consent_date,
                consent_how=self.consent_how_edit.text(),
                answers=self.answers(),
            )
            .validation(lambda exc: self._show(exc))
            .wait()
        )
        return outcome.ok

    def _show(self, exc: ValidationError) -> None:
        self.errors.show(exc.problems, fallback="consent_date")


def _scrolling(fields: QWidget) -> QScrollArea:
    """The answers, never scrolled sideways: the area is as wide as every question and its full
    answer box (the longest group's name), and scrolls up and down only on a small screen."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(fields)
    area.setAccessibleName("Equality monitoring answers")
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll_bar = area.style().pixelMetric(area.style().PixelMetric.PM_ScrollBarExtent)
    area.setMinimumWidth(fields.sizeHint().width() + scroll_bar + 2 * area.frameWidth())
    return area


def _tall_enough(dialog: Dialog, area: QScrollArea, fields: QWidget) -> None:
    """Open tall enough to show every question (``dialog_sizes`` keeps it on the screen)."""
    wanted = dialog.sizeHint()
    answers = fields.sizeHint().height() + 2 * area.frameWidth()
    dialog.resize(wanted.width(), wanted.height() - area.sizeHint().height() + answers)


def _no_default(*buttons: QAbstractButton) -> None:
    """Enter in a box never presses these (only Save is a default button)."""
    for button in buttons:
        if isinstance(button, QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)


class EqualityMonitoringDialog(Dialog):
    """One participant's equality monitoring, opened from the participant."""

    def __init__(
        self, ctx: AppContext, participant_id: uuid.UUID, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.participant_id = ctx, participant_id
        self.setWindowTitle(f"Equality monitoring: {name}")
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setAccessibleName("About equality monitoring")
        layout.addWidget(intro)
        self.fields = MonitoringFields(ctx)
        self.found = monitoring.read_answers(ctx.db, participant_id)
        self.fields.load(self.found)
        self.area = _scrolling(self.fields)
        layout.addWidget(self.area, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        letter_buttons(buttons)
        self.remove_button = QPushButton("&Remove answers (consent withdrawn)")
        self.remove_button.setEnabled(self.found is not None)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        _no_default(self.remove_button, buttons.button(QDialogButtonBox.StandardButton.Cancel))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.remove_button.clicked.connect(self.remove)
        layout.addWidget(buttons)
        _tall_enough(self, self.area, self.fields)
        self.fields.consent_date_edit.setFocus()

    def save(self) -> None:
        if self.fields.save_op(self, self.ctx, self.participant_id):
            self.accept()

    def remove(self) -> None:
        if not widgets.confirm(
            self,
            "Remove equality monitoring",
            "Remove this person's consent and every equality monitoring answer?",
            yes="Remove",
        ):
            return
        if monitoring_ops.remove_answers(self, self.ctx, self.participant_id).wait().ok:
            self.accept()

    @classmethod
    def ask(
        cls, ctx: AppContext, participant_id: uuid.UUID, name: str, parent: QWidget | None = None
    ) -> bool:
        """Show it modally; True when something was saved or removed."""
        return cls(ctx, participant_id, name, parent).exec() == QDialog.DialogCode.Accepted


class QuickEntryDialog(Dialog):
    """A stack of paper forms: find the person, type their answers, Save and next (Ctrl+Enter).
    The consent date and how stay for the next form (forms of one session share them)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved = 0
        self.setWindowTitle("Equality monitoring forms")
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setAccessibleName("About equality monitoring")
        layout.addWidget(intro)
        find = QFormLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName("Find the participant")
        self.search_edit.setPlaceholderText("Type a name")
        label = QLabel("&Participant")
        label.setBuddy(self.search_edit)
        find.addRow(label, self.search_edit)
        self.results = QListWidget()
        self.results.setAccessibleName("Matching participants")
        self.results.setMaximumHeight(self.fontMetrics().height() * 6)
        find.addRow("Matches", self.results)
        layout.addLayout(find)
        self.fields = MonitoringFields(ctx)
        self.area = _scrolling(self.fields)
        layout.addWidget(self.area, 1)
        paper = QHBoxLayout()
        self.print_button = QPushButton("Print &blank form…")
        widgets.say_more(self.print_button, "Print a blank equality monitoring form")
        self.large_check = QCheckBox("Lar&ge print")
        self.large_check.setAccessibleName("Large print form")
        paper.addWidget(self.print_button)
        paper.addWidget(self.large_check)
        paper.addStretch(1)
        layout.addLayout(paper)
        self.print_button.clicked.connect(self.print_form)
        self.status = QLabel("No forms saved yet.")
        self.status.setAccessibleName("Forms saved")
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        letter_buttons(buttons)
        self.next_button = QPushButton("&Save and next")
        self.next_button.setAccessibleName("Save and next")
        self.next_button.setToolTip("Ctrl+Enter")
        buttons.addButton(self.next_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.next_button.clicked.connect(self.save_and_next)
        layout.addWidget(buttons)
        # Enter in the participant box chooses the person (``_pick_first``): no button here is a
        # default, or Enter would open the blank form's preview (the first button).
        _no_default(self.print_button, self.next_button, *buttons.buttons())
        _tall_enough(self, self.area, self.fields)
        save_on_ctrl_enter(self, self.save_and_next)
        self.search_edit.textChanged.connect(self._search)
        self.search_edit.returnPressed.connect(self._pick_first)
        self.search_edit.setFocus()

    def print_form(self) -> None:
        """The blank form (``core/monitoring_form.py``) in the print preview, whose Print button
        prints it."""
        document = monitoring_form_document(self.ctx.db, large_print=self.large_check.isChecked())
        printing.preview(self, document)

    def _search(self, text: str) -> None:
        self.results.clear()
        for row in people.find_participants(self.ctx.db, text, limit=12):
            where = f" ({row.locality_name})" if row.locality_name else ""
            item = QListWidgetItem(f"{row.name}{where}")
            item.setData(ROLE_ID, row.id)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _pick_first(self) -> None:
        """Enter in the participant box: the first match is the person; on to the consent, or
        to the first answer when the consent (kept from the last form) is there already."""
        if not self.results.count():
            return
        fields = self.fields
        consent = (fields.consent_date_edit, fields.consent_how_edit)
        empty = [box for box in consent if not box.text().strip()]
        answers = list(fields.combos.values())
        target: QWidget = empty[0] if empty or not answers else answers[0]
        target.setFocus()

    def chosen(self) -> uuid.UUID | None:
        item = self.results.currentItem()
        value: Any = item.data(ROLE_ID) if item is not None else None
        return value

    def save_and_next(self) -> None:
        participant_id = self.chosen()
        if participant_id is None:
            widgets.inform(self, "Equality monitoring", "Find the participant first.")
            self.search_edit.setFocus()
            return
        if not self.fields.save_op(self, self.ctx, participant_id):
            return
        self.saved += 1
        self.status.setText(f"{self.saved} form{'s' if self.saved != 1 else ''} saved.")
        self.fields.clear_answers()
        self.search_edit.clear()
        self.search_edit.setFocus()

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> int:
        """Show it modally; how many forms were saved."""
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.saved
