"""The selected standard beside the checklist: what it asks and the evidence that shows it, its
rating, the evidence and notes typed for it, its evidence files and its open actions.

Widgets only: ``StandardPane`` shows what it is given (``show_check``, ``show_files``,
``show_actions``); the assessment panel (``panel.AssessmentPanel``) reads, decides what is
saved and wires the buttons. Fixed heights (longer text scrolls inside the boxes): the evidence
files and "Raise an action" stay in view beside the list on a 1366x860 screen.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....core.accreditation import CheckRow, criticality_label
from ....core.vocab import Rating
from ... import widgets
from .checklist import GAP_RATINGS
from .common import wrapping_label

ROLE_ID = Qt.ItemDataRole.UserRole
ROLE_FILENAME = Qt.ItemDataRole.UserRole + 1


class StandardPane(widgets.FocusScrollArea):
    """The selected standard (see the module's docstring); ``body`` is the scrolled widget.
    Not a Tab stop itself; the control focused in it is scrolled into view."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        box = QVBoxLayout(body)
        self.standard_label = wrapping_label("Standard")
        font = self.standard_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.standard_label.setFont(font)
        self.facts_label = wrapping_label("Domain and criticality")
        self.description_label = wrapping_label("Description of the standard")
        self.guidance_label = wrapping_label("Evidence guidance")
        box.addWidget(self.standard_label)
        box.addWidget(self.facts_label)
        for caption, label in (
            ("What the standard asks", self.description_label),
            ("Evidence that shows it", self.guidance_label),
        ):
            heading = QLabel(f"<b>{caption}</b>")
            box.addWidget(heading)
            box.addWidget(label)

        rating_row = QHBoxLayout()
        rating_label = QLabel("Ra&ting:")
        self.rating_combo = QComboBox()
        self.rating_combo.setAccessibleName("Rating")
        widgets.fill_combo(self.rating_combo, [(r.label, r) for r in Rating], keep=False)
        rating_label.setBuddy(self.rating_combo)
        rating_row.addWidget(rating_label)
        rating_row.addWidget(self.rating_combo, 1)
        box.addLayout(rating_row)

        self.evidence_edit = widgets.plain_text_edit("Evidence", lines=5)
        self.notes_edit = widgets.plain_text_edit("Notes", lines=3)
        for caption, edit in (("Eviden&ce:", self.evidence_edit), ("&Notes:", self.notes_edit)):
            edit.setMaximumHeight(edit.minimumHeight())
            label = QLabel(caption)
            label.setBuddy(edit)
            box.addWidget(label)
            box.addWidget(edit)

        files_label = QLabel("Evidence files:")
        self.files_list = QListWidget()
        self.files_list.setAccessibleName("Evidence files")
        self.files_list.setMaximumHeight(self.files_list.fontMetrics().lineSpacing() * 3 + 12)
        files_label.setBuddy(self.files_list)
        box.addWidget(files_label)
        box.addWidget(self.files_list)
        file_buttons = QHBoxLayout()
        self.add_file_button = QPushButton("Add file…")
        widgets.say_more(self.add_file_button, "Add an evidence file")
        self.copy_file_button = QPushButton("Save a cop&y…")
        self.copy_file_button.setAccessibleName("Save a copy of the selected evidence file")
        self.papers_button = QPushButton("Add papers sent")
        widgets.say_more(self.papers_button, "Add the dates papers and minutes were sent")
        self.papers_button.setToolTip(
            "Add to the evidence when the agenda and minutes of the locality's last six meetings "
            "were sent, and the formats people asked for."
        )
        file_buttons.addWidget(self.add_file_button)
        file_buttons.addWidget(self.copy_file_button)
        file_buttons.addWidget(self.papers_button)
        file_buttons.addStretch(1)
        box.addLayout(file_buttons)

        actions_label = QLabel("Open actions:")
        self.actions_list = QListWidget()
        self.actions_list.setAccessibleName("Open actions for this standard")
        self.actions_list.setMaximumHeight(self.actions_list.fontMetrics().lineSpacing() * 3 + 12)
        actions_label.setBuddy(self.actions_list)
        box.addWidget(actions_label)
        box.addWidget(self.actions_list)
        self.raise_button = QPushButton("Rai&se an action…")
        self.raise_button.setAccessibleName("Raise an action for this standard")
        self.raise_button.setToolTip("For a standard rated partly met or not met.")
        row = QHBoxLayout()
        row.addWidget(self.raise_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(1)
        self.setWidget(body)
        self.body = body

    def show_check(self, check: CheckRow | None, *, locked: bool) -> None:
        """Show ``check`` (a hint when None) with its saved text; read-only when ``locked``
        (submitted) or when no standard is chosen."""
        has = check is not None
        self.standard_label.setText(f"{check.code} {check.title}" if check else "")
        self.facts_label.setText(
            f"{check.domain}. Criticality: {criticality_label(check.criticality)}."
            if check
            else "Select a standard in the list to see it here."
        )
        self.description_label.setText((check.description or "No description.") if check else "")
        self.guidance_label.setText(
            (check.evidence_guidance or "No guidance given.") if check else ""
        )
        self.evidence_edit.setPlainText(check.evidence if check else "")
        self.notes_edit.setPlainText(check.notes if check else "")
        for edit in (self.evidence_edit, self.notes_edit):
            edit.setReadOnly(locked or not has)
        self.rating_combo.setEnabled(has and not locked)
        if check is not None:
            widgets.select_data(self.rating_combo, check.rating)
        self.add_file_button.setEnabled(has and not locked)
        self.papers_button.setEnabled(has and not locked)

    def show_files(self, files: Sequence[Any]) -> None:
        """The standard's evidence files (``accreditation.evidence_files``), the first chosen."""
        self.files_list.clear()
        for info in files:
            size = f"{info.size_bytes / 1024:.0f} KB" if info.size_bytes >= 1024 else "under 1 KB"
            item = QListWidgetItem(f"{info.filename} ({size})")
            item.setData(ROLE_ID, info.id)
            item.setData(ROLE_FILENAME, info.filename)
            self.files_list.addItem(item)
        if files:
            self.files_list.setCurrentRow(0)
        self.copy_file_button.setEnabled(bool(files))

    def chosen_file(self) -> tuple[uuid.UUID, str] | None:
        """(id, file name) of the evidence file chosen in the list."""
        item = self.files_list.currentItem()
        if item is None:
            return None
        return item.data(ROLE_ID), item.data(ROLE_FILENAME)

    def show_actions(self, check: CheckRow | None, rows: Sequence[Any]) -> None:
        """The standard's open actions (``accreditation.check_actions``); Raise an action is
        offered for a gap only."""
        self.actions_list.clear()
        self.raise_button.setEnabled(check is not None and check.rating in GAP_RATINGS)
        if check is None:
            return
        for action in rows:
            due = f", due {widgets.format_date(action.due_on)}" if action.due_on else ""
            overdue = ", overdue" if action.overdue else ""
            item = QListWidgetItem(
                f"{action.reference} {action.title} ({action.status.label}{due}{overdue})"
            )
            item.setData(ROLE_ID, action.id)
            self.actions_list.addItem(item)
        if not rows:
            item = QListWidgetItem("No open actions.")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.actions_list.addItem(item)

    def open_action_ids(self) -> list[uuid.UUID]:
        ids = []
        for row in range(self.actions_list.count()):
            value = self.actions_list.item(row).data(ROLE_ID)
            if value is not None:
                ids.append(value)
        return ids
