"""The "Print" chooser for a meeting: which printout (agenda, sign-in sheet, minutes, the forum's
open-actions log), which size (standard or large print, large pre-selected when someone on the
register prefers it), then Preview…, Print… or Save as PDF….

Before anything is printed, the privacy review of the chosen printout
(docs/printouts.md#names-and-privacy) lists every piece of its free text the redactor changes or
that still looks like a name, highlighted, to reword there (``ui.privacy_review``); it is made
again when another printout is chosen.

The document comes from ``core.minutes`` (``core.document.Document``); preview, print and PDF
all go through ``ui.printing`` over the one renderer (``core/typeset.py``). The file dialog is
wrapped in ``choose_pdf_path`` and the preview/print calls are looked up on ``printing`` at call
time, so tests patch them instead of opening a dialog.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...core import meetings, minutes, review
from ...core.document import Document
from ...core.vocab import MeetingStatus
from .. import files, operations, printing, widgets
from ..context import AppContext
from ..dialog_sizes import Dialog
from ..privacy_review import PrivacyReviewPanel
from .buttons import letter_buttons

AGENDA = "agenda"
MINUTES = "minutes"
SIGN_IN = "sign_in"
ACTIONS_LOG = "actions_log"
_REVIEW_KINDS = {
    AGENDA: review.AGENDA,
    MINUTES: review.MINUTES,
    SIGN_IN: review.SIGN_IN,
    ACTIONS_LOG: review.ACTIONS_LOG,
}


def choose_pdf_path(parent: QWidget | None, suggested: str) -> str:
    """Ask where to save the PDF; "" when cancelled (tests patch this function)."""
    path = files.ask_save(parent, files.PDF, "Save as PDF", suggested)
    return str(path) if path else ""


class PrintChooser(Dialog):
    """Choose a printout of a meeting and preview, print or save it."""

    def __init__(self, ctx: AppContext, meeting_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.meeting = meetings.get_meeting(ctx.db, meeting_id)
        self.saved_path: Path | None = None
        self.setWindowTitle(f"Print - {self.meeting.reference}")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"{self.meeting.forum_name}, {minutes.long_date(self.meeting.meeting_date)}",
                self,
            )
        )

        what = QGroupBox("What to print", self)
        what_layout = QVBoxLayout(what)
        self.agenda_radio = QRadioButton("&Agenda", what)
        self.sign_in_radio = QRadioButton("&Sign-in sheet", what)
        self.minutes_radio = QRadioButton("&Minutes", what)
        self.actions_radio = QRadioButton("&Open-actions log of the forum", what)
        self.kind_group = QButtonGroup(self)
        kinds = (self.agenda_radio, self.sign_in_radio, self.minutes_radio, self.actions_radio)
        for radio in kinds:
            self.kind_group.addButton(radio)
            what_layout.addWidget(radio)
        # A meeting not yet held most likely wants its agenda (then its sign-in sheet).
        if self.meeting.status == MeetingStatus.PLANNED:
            self.agenda_radio.setChecked(True)
        else:
            self.minutes_radio.setChecked(True)
        # What and Size side by side: the height goes to the privacy review below.
        choices = QHBoxLayout()
        choices.addWidget(what, 1)
        layout.addLayout(choices)

        size = QGroupBox("Size", self)
        size_layout = QVBoxLayout(size)
        self.standard_radio = QRadioButton("S&tandard print", size)
        self.large_radio = QRadioButton("&Large print (16 point)", size)
        self.size_group = QButtonGroup(self)
        for radio in (self.standard_radio, self.large_radio):
            self.size_group.addButton(radio)
            size_layout.addWidget(radio)
        self.suggested_large = minutes.suggest_large_print(ctx.db, meeting_id)
        (self.large_radio if self.suggested_large else self.standard_radio).setChecked(True)
        if self.suggested_large:
            hint = QLabel("Someone at this meeting prefers large print.", size)
            hint.setWordWrap(True)
            size_layout.addWidget(hint)
        choices.addWidget(size, 1, Qt.AlignmentFlag.AlignTop)

        checks = QGroupBox("Privacy review", self)
        checks_layout = QVBoxLayout(checks)
        self.review_panel = PrivacyReviewPanel(ctx, parent=checks)
        self.review_panel.setAccessibleName("Privacy review of the printout")
        checks_layout.addWidget(self.review_panel)
        layout.addWidget(checks, 1)
        self.kind_group.buttonToggled.connect(self._kind_toggled)
        self._review()

        buttons = QDialogButtonBox(self)
        self.preview_button = QPushButton("Pre&view…", self)
        self.print_button = QPushButton("&Print…", self)
        self.pdf_button = QPushButton("Save as P&DF…", self)
        for button in (self.preview_button, self.print_button, self.pdf_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        letter_buttons(buttons)
        buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_now)
        self.pdf_button.clicked.connect(self.save_pdf)
        layout.addWidget(buttons)
        self.print_button.setDefault(True)
        # Wide enough for a flagged piece on one line, tall enough for four of them and the
        # chosen one's detail (it opened 413x647 with 1.5 shown); ``dialog_sizes`` keeps it
        # on the screen. Never narrower (a size kept from before would be given back).
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 110)
        self.resize(self.minimumWidth(), 720)

    @classmethod
    def ask(cls, ctx: AppContext, meeting_id: uuid.UUID | None, parent: QWidget | None = None):
        """Open the chooser for a meeting (None: tell the user to choose a meeting first)."""
        if meeting_id is None:
            widgets.inform(parent, "Print", "Choose a meeting first, then print.")
            return None
        dialog = operations.read(parent, "Print", lambda: cls(ctx, meeting_id, parent))
        if dialog is None:
            return None
        dialog.exec()
        return dialog.saved_path

    # --- what is chosen ---------------------------------------------------------------------

    def kind(self) -> str:
        if self.agenda_radio.isChecked():
            return AGENDA
        if self.sign_in_radio.isChecked():
            return SIGN_IN
        if self.actions_radio.isChecked():
            return ACTIONS_LOG
        return MINUTES

    def large_print(self) -> bool:
        return self.large_radio.isChecked()

    def _kind_toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self._review()

    def _review(self) -> None:
        """Review the chosen printout (its free text as it would be printed)."""
        db, meeting_id, kind, today = self.ctx.db, self.meeting_id, self.kind(), self.ctx.today()
        self.review_panel.set_source(
            lambda: review.review_printout(db, _REVIEW_KINDS[kind], meeting_id, today=today)
        )

    def document(self) -> tuple[Document, str]:
        """(document, title) of the chosen printout."""
        large = self.large_print()
        m = self.meeting
        when = minutes.long_date(m.meeting_date)
        if self.kind() == AGENDA:
            doc = minutes.agenda_document(self.ctx.db, self.meeting_id, large_print=large)
            return doc, f"Agenda {m.forum_name} {when}"
        if self.kind() == SIGN_IN:
            doc = minutes.sign_in_sheet_document(self.ctx.db, self.meeting_id, large_print=large)
            return doc, f"Sign-in sheet {m.forum_name} {when}"
        if self.kind() == ACTIONS_LOG:
            doc = minutes.actions_log_document(
                self.ctx.db, m.forum_id, today=self.ctx.today(), large_print=large
            )
            return doc, f"Open actions {m.forum_name} {minutes.long_date(self.ctx.today())}"
        doc = minutes.minutes_document(self.ctx.db, self.meeting_id, large_print=large)
        return doc, f"Minutes {m.forum_name} {when}"

    def suggested_file_name(self) -> str:
        m = self.meeting
        stem = {
            AGENDA: "agenda",
            MINUTES: "minutes",
            SIGN_IN: "sign-in-sheet",
            ACTIONS_LOG: "open-actions",
        }[self.kind()]
        name = f"{m.reference} {stem}" + (" large print" if self.large_print() else "")
        return re.sub(r"[^\w\- ]+", "", name).strip().replace(" ", "-") + ".pdf"

    # --- the buttons -------------------------------------------------------------------------

    def preview(self) -> None:
        operations.attempt(self, "Print preview", lambda: printing.preview(self, *self.document()))

    def print_now(self) -> None:
        operations.export(self, "Print", lambda: printing.print_document(self, *self.document()))

    def save_pdf(self) -> Path | None:
        path = choose_pdf_path(self, self.suggested_file_name())
        if not path:
            return None
        saved = operations.export(
            self, "Save as PDF", lambda: printing.write_pdf(self.document()[0], path)
        )
        if saved is None:
            return None
        self.saved_path = saved
        what = {AGENDA: "the agenda", MINUTES: "the minutes", SIGN_IN: "the sign-in sheet"}
        files.offer_to_open(self, self.saved_path, what.get(self.kind(), "the open actions log"))
        return self.saved_path
