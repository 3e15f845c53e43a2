""" "Email owners": one reminder draft per owner listing their open actions, composed offline.

The coordinator ticks the owners to chase, then either opens the drafts in the mail program
(``mailto:``; each opens as a new message to finish and send later) or, when no mail program is
set up, saves them as ``.eml`` files that any mail program opens as drafts.

``open_url`` and ``choose_folder`` are looked up on this module at call time so tests patch
them (never a real file dialog or mail program in a test).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import actions, reminders, staff
from ...core.privacy import redactor_of
from ...core.reminders import ReminderDraft
from ...core.settings import get_settings
from .. import files, focus, operations
from ..context import AppContext
from ..dialog_sizes import Dialog, room_for
from .buttons import letter_buttons

ROLE_INDEX = Qt.ItemDataRole.UserRole + 1


def open_url(url: str) -> bool:
    """Hand a ``mailto:`` link to the system; False when no program takes it."""
    return QDesktopServices.openUrl(QUrl(url, QUrl.ParsingMode.TolerantMode))


def choose_folder(parent: QWidget | None) -> str:
    """Ask for a folder to save the drafts in; "" when cancelled."""
    path = files.ask_folder(parent, files.DRAFTS, "Save the email drafts in")
    return str(path) if path else ""


class EmailOwnersDialog(Dialog):
    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        locality_ids: list[uuid.UUID] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Email action owners")
        self.setAccessibleName("Email action owners")
        settings = get_settings(ctx.db)
        self.sender_name = settings.coordinator_name
        found = actions.owner_reminders(ctx.db, ctx.today(), locality_ids=locality_ids)
        self.drafts: list[ReminderDraft] = reminders.compose_reminders(
            found,
            today=ctx.today(),
            sender=settings.coordinator_name,
            trust=settings.trust_name,
            redact=redactor_of(ctx.db),
            addresses=staff.addresses(ctx.db),
        )
        layout = self._layout = QVBoxLayout(self)
        intro = QLabel(
            "One email per owner, listing their open actions (overdue first). Tick the owners "
            "to chase. Owners on the staff list get their address; for anyone else add it in "
            "your mail program."
            if self.drafts
            else "No open action has an owner, so there is nobody to remind."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName("Owners to remind")
        for index, draft in enumerate(self.drafts):
            overdue = f", {draft.overdue_count} overdue" if draft.overdue_count else ""
            to = f" (to {draft.to})" if draft.to else " (no address)"
            item = QListWidgetItem(f"{draft.owner}{to}: {draft.open_count} open{overdue}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(ROLE_INDEX, index)
            self.list.addItem(item)
        layout.addWidget(self.list, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleDescription("Result")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        letter_buttons(buttons)
        self.open_button = QPushButton("&Open in mail program")
        self.save_button = QPushButton("&Save as email files…")
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.open_button.clicked.connect(self.open_drafts)
        self.save_button.clicked.connect(self.save_drafts)
        for button in (self.open_button, self.save_button):
            button.setEnabled(bool(self.drafts))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self._fit_content()

    def _fit_content(self) -> None:
        """Open wide enough for the longest owner's line and tall enough for every owner, as
        far as the screen allows (``dialog_sizes.fit`` caps it). At 1366x768 it opened at
        399x310, its lines cut and scrolling sideways (issue #24's walk)."""
        owners = self.list
        if not owners.count():
            return
        frame = 2 * owners.frameWidth()
        bar = owners.verticalScrollBar().sizeHint().width()
        wide = owners.sizeHintForColumn(0) + frame + bar
        room = room_for(self)
        margins = self._layout.contentsMargins()
        if room is not None:
            wide = min(wide, room.width() - margins.left() - margins.right())
        owners.setMinimumWidth(wide)
        rows = owners.sizeHintForRow(0) * owners.count() + frame
        hint = self.sizeHint()
        self.resize(hint.width(), hint.height() - owners.sizeHint().height() + rows)

    @classmethod
    def ask(
        cls,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        locality_ids: list[uuid.UUID] | None = None,
    ) -> None:
        dialog = cls(ctx, parent, locality_ids=locality_ids)
        dialog.exec()
        dialog.deleteLater()

    def chosen(self) -> list[ReminderDraft]:
        return [
            self.drafts[self.list.item(i).data(ROLE_INDEX)]
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(f"Error: {text}" if error else text)
        focus.show_as_error(self.message, error)

    def open_drafts(self) -> int:
        """Open each ticked draft in the mail program; the number opened."""
        chosen = self.chosen()
        if not chosen:
            self._say("Tick at least one owner first.", error=True)
            return 0
        opened = 0
        for draft in chosen:
            if not open_url(reminders.mailto_url(draft)):
                self._say(
                    "No mail program answered. Use 'Save as email files' instead and open "
                    "them later from the folder.",
                    error=True,
                )
                return opened
            opened += 1
        self._say(f"Opened {opened} draft{'s' if opened != 1 else ''} in your mail program.")
        return opened

    def save_drafts(self) -> int:
        """Save each ticked draft as an .eml file in a chosen folder; the number saved."""
        chosen = self.chosen()
        if not chosen:
            self._say("Tick at least one owner first.", error=True)
            return 0
        folder = choose_folder(self)
        if not folder:
            return 0
        written = operations.export(
            self,
            "Email drafts not saved",
            lambda: reminders.write_eml_drafts(chosen, folder, self.sender_name),
            on_refused=lambda exc: self._say(str(exc), error=True),  # said in the dialog
        )
        if written is None:
            return 0
        count = len(written)
        self._say(f"Saved {count} email draft{'s' if count != 1 else ''} in {folder}.")
        return count
