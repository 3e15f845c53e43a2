"""Privacy in the desktop app: anonymise one participant, anonymise in bulk ("inactive for more
than N years", with a preview), withdraw consent to contact, and the subject access export.

Each action asks first (``widgets.confirm``), runs one core call (one transaction), tells the
pages through ``ctx.events.participantsChanged`` (anonymising first hands its redactor to the
open forms, ``peopleAnonymised``, to clean their typing) and reports in one sentence
(``widgets.inform``). The save-file question is ``choose_export_file`` (tests patch it).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core import anonymise
from ...core.anonymise import AnonymiseCandidate
from ...core.people import get_participant
from ...core.subject_access import SubjectAccessExport
from ...core.text import counted
from .. import files, operations, widgets
from ..context import AppContext
from ..dialog_sizes import Dialog
from ..models.table import Column, RowTableModel
from ..operations import people as people_ops
from ..widgets import RecordTable, format_date
from .buttons import letter_buttons

DEFAULT_YEARS = 3


def choose_export_file(parent: QWidget | None, suggested: Path) -> Path | None:
    """Ask where to save the subject access workbook (tests patch this)."""
    return files.ask_save(
        parent, files.WORKBOOK, "Save everything held about this person", suggested
    )


def anonymise_one(
    ctx: AppContext, participant_id: uuid.UUID, parent: QWidget | None = None
) -> bool:
    """Participants > Anonymise…: ask, anonymise, tell. True when done."""
    row = operations.read(parent, "Anonymise", lambda: get_participant(ctx.db, participant_id))
    if row is None:
        return False
    question = (
        f"Anonymise {row.name}? Their name, other names, contact details and notes are removed "
        "for good, and wherever they were typed (meeting notes, experience, actions and their "
        f"progress, drafts) their name becomes “{anonymise.placeholder(row.category)}” and "
        "their e-mail address and phone number “[contact details removed]”. "
        f"Their {counted(row.attendance_count, 'attendance')} still count in the figures. "
        "This cannot be undone: restoring an older backup anonymises them again."
    )
    if not widgets.confirm(parent, "Anonymise a participant", question, yes="Anonymise"):
        return False
    if not people_ops.anonymise_participant(parent, ctx, participant_id).wait().ok:
        return False
    widgets.inform(parent, "Anonymise", "The participant was anonymised.")
    return True


def withdraw_consent(
    ctx: AppContext, participant_id: uuid.UUID, parent: QWidget | None = None
) -> bool:
    """Participants > Withdraw consent to contact…: removes email and phone with the consent."""
    question = (
        "Record that this person no longer wants to be contacted? Their email address and "
        "phone number are removed."
    )
    if not widgets.confirm(parent, "Withdraw consent to contact", question, yes="Withdraw"):
        return False
    return people_ops.withdraw_consent(parent, ctx, participant_id).wait().ok


def subject_access_export(
    ctx: AppContext, participant_id: uuid.UUID, parent: QWidget | None = None
) -> SubjectAccessExport | None:
    """Participants > Subject access export…: everything held about one person, as a workbook."""
    row = operations.read(
        parent, "Subject access export", lambda: get_participant(ctx.db, participant_id)
    )
    if row is None:
        return None
    safe = "".join(ch for ch in row.name if ch.isalnum() or ch in " -'").strip() or "participant"
    target = choose_export_file(parent, Path(f"Subject access - {safe}.xlsx"))
    if target is None:
        return None
    outcome = people_ops.export_subject_access(parent, ctx, participant_id, target).wait()
    summary = outcome.value
    if not outcome.ok or summary is None:
        return None
    files.offer_to_open(parent, summary.path, "everything held about this person", summary.in_words)
    return summary


class CandidatesModel(RowTableModel[AnonymiseCandidate]):
    columns = (
        Column("Name", lambda r: r.name),
        Column("Category", lambda r: r.category.label),
        Column("Locality", lambda r: r.locality_name),
        Column("Last active", lambda r: format_date(r.last_active), lambda r: r.last_active),
        Column("Attended", lambda r: str(r.attendance_count), lambda r: r.attendance_count, True),
    )


class BulkAnonymiseDialog(Dialog):
    """Tools > Anonymise inactive participants…: choose N years, preview who, then anonymise
    them all in one transaction."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.done_count = 0
        self.setWindowTitle("Anonymise inactive participants")
        self.resize(self.fontMetrics().horizontalAdvance("M") * 60, 480)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "People who have not taken part for a long time can be anonymised: their name, "
            "contact details and notes are removed, and their attendances still count in every "
            "figure. Check the list before you go ahead."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        label = QLabel("Inactive for more than")
        self.years = QSpinBox()
        self.years.setRange(1, anonymise.MAX_YEARS)
        self.years.setValue(DEFAULT_YEARS)
        self.years.setSuffix(" years")
        self.years.setAccessibleName("Inactive for more than this many years")
        label.setBuddy(self.years)
        self.preview_button = QPushButton("&Preview")
        self.preview_button.clicked.connect(self.preview)
        row.addWidget(label)
        row.addWidget(self.years)
        row.addWidget(self.preview_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.model = CandidatesModel()
        self.table = RecordTable("Participants who would be anonymised")
        self.table.setModel(self.model)
        layout.addWidget(self.table, 1)
        self.summary = QLabel()
        self.summary.setAccessibleDescription("How many would be anonymised")
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        letter_buttons(buttons)
        self.apply_button = buttons.addButton(
            "&Anonymise them", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.years.valueChanged.connect(self.preview)
        self.preview()

    def preview(self) -> list[AnonymiseCandidate]:
        found = anonymise.inactive_candidates(
            self.ctx.db, self.years.value(), today=self.ctx.today()
        )
        self.model.set_rows(found)
        self.table.fit_columns(stretch_column=0)
        self.summary.setText(
            f"{counted(len(found), 'participant')} would be anonymised."
            if found
            else "Nobody has been inactive that long."
        )
        self.apply_button.setEnabled(bool(found))
        return found

    def apply(self) -> int:
        ids = [r.id for r in self.model.rows()]
        if not ids:
            return 0
        question = (
            f"Anonymise {counted(len(ids), 'participant')}? Their names, contact details and notes "
            "are removed for good; the figures stay the same."
        )
        if not widgets.confirm(self, "Anonymise participants", question, yes="Anonymise"):
            return 0
        outcome = people_ops.anonymise_participants(self, self.ctx, ids).wait()
        if not outcome.ok or outcome.value is None:
            return 0
        count = outcome.value.count
        self.done_count += count
        widgets.inform(self, "Anonymise", f"Anonymised {counted(count, 'participant')}.")
        self.preview()
        return count

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> int:
        """Show the dialog; returns how many were anonymised."""
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.done_count
