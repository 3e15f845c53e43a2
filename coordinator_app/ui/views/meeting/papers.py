"""The Papers tab (issue #29): the meeting's online link, "Send papers…" and what was sent when.

The link is the meeting's own (empty: the forum's, shown as the placeholder) and goes into
every invitation and e-mail; "Print the link on paper" puts it on letters too. Saving it is
its own operation (not the details' autosave); the meeting's version it returns is kept, so the
editor's next save is not taken for someone else's change.

"Papers sent" lists every recorded sending, newest first: what, how many by e-mail and by
letter, how many got nothing, and when (the evidence the standards ask for).

When the invitation that went out is out of date (the meeting moved or was cancelled since:
``core/invitation_updates.py``), a note says so with "Send the update…" until the update is
made. The note is this tab's (``update_box``; its words are core's ``Resend.note``) but the
shell shows it above the tabs, so it is seen on Details while the meeting is being moved; the
shell asks once, when the coordinator leaves the meeting (``MeetingEditor.offer_update``), never
after each field. ``made_words`` says on the status line what an update made.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....core import invitation_updates, members, papers
from ....core.errors import ValidationError
from ....core.meetings import MeetingDetail
from ....core.vocab import PapersKind
from ... import files, operations
from ...context import AppContext
from ...operations import papers as papers_ops
from .base import Host, Tab, buttons, hint


class PapersTab(Tab):
    def __init__(self, host: Host) -> None:
        super().__init__(host)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.link_edit = QLineEdit()
        self.link_edit.setAccessibleName("Online link")
        self.link_edit.setToolTip("The link people join the meeting by (https://...)")
        label = QLabel("Online link (&web address)")  # K is the tab's
        label.setBuddy(self.link_edit)
        form.addRow(label, self.link_edit)
        self.print_link_check = QCheckBox("Pr&int the link on paper")
        self.print_link_check.setAccessibleName("Print the link on paper")
        form.addRow("", self.print_link_check)
        layout.addLayout(form)
        self.link_message = QLabel()
        self.link_message.setAccessibleDescription("Online link message")
        self.link_message.setWordWrap(True)
        layout.addWidget(self.link_message)
        row, (self.save_link_button, self.send_button, self.invitation_button) = buttons(
            ("S&ave link", "Save the online link"),
            ("&Send papers…", "Send papers to the forum's members"),
            ("Save invitati&on…", "Save the meeting's calendar invitation"),
        )
        layout.addLayout(row)
        layout.addWidget(
            hint(
                "Send papers makes one e-mail draft per member who agreed to be contacted and "
                "has an e-mail address, in their format, and a PDF of letters for the others "
                "who agreed. Nothing goes to anyone who did not, or who is inactive."
            )
        )
        #: The note and its button; the shell places it above the tabs (module docstring).
        self.update_box = QWidget()
        self.update_note = QLabel()
        self.update_note.setAccessibleDescription("Invitation out of date")
        self.update_note.setWordWrap(True)
        self.update_note.setStyleSheet("font-weight: bold")
        # No Alt letter: shown above every tab, it would share one with a field of Details
        # (which leaves only q and z free); Tab reaches it from the tab bar.
        self.update_button = QPushButton("Send the update…")
        self.update_button.setAccessibleName("Send the updated invitation")
        note_row = QHBoxLayout(self.update_box)
        note_row.setContentsMargins(0, 0, 0, 0)
        note_row.addWidget(self.update_note, 1)
        note_row.addWidget(self.update_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.update_box)
        self._resend: invitation_updates.Resend | None = None
        self._show_resend(None)
        sent_label = QLabel("&Papers sent")
        self.sent_list = QListWidget()
        self.sent_list.setAccessibleName("Papers sent")
        sent_label.setBuddy(self.sent_list)
        layout.addWidget(sent_label)
        layout.addWidget(self.sent_list, 1)
        self.save_link_button.clicked.connect(self.save_link)
        self.send_button.clicked.connect(self.send_papers)
        self.invitation_button.clicked.connect(self.save_invitation)
        self.update_button.clicked.connect(self.send_update)

    def _show_resend(self, resend: invitation_updates.Resend | None) -> None:
        self._resend = resend
        if resend is not None:
            self.update_note.setText(resend.note)
        self.update_note.setVisible(resend is not None)
        self.update_button.setVisible(resend is not None)
        self.update_button.setEnabled(resend is not None and resend.anyone)
        self.update_box.setVisible(resend is not None)

    def refresh_resend(self) -> None:
        """Read again whether the invitation is out of date and show the note or hide it (after
        a save of the details or the link; quiet: the meeting went meanwhile, a save says so)."""
        meeting_id = self.host.meeting_id
        if meeting_id is None:
            return
        resend = operations.read(
            self,
            "Meeting invitation",
            lambda: invitation_updates.needs_resending(self.ctx.db, meeting_id),
            quiet=True,
        )
        self._show_resend(resend)

    def send_update(self) -> bool:
        """Make the updated invitation's (or cancellation's) drafts and letters, asking only
        for the folder (the note said what and to whom)."""
        from ...dialogs.papers_dialog import send_invitation_update

        if self._resend is None or self.host.meeting_id is None:
            return False
        made = send_invitation_update(self, self.ctx, self._resend, ask=False)
        if made:
            self.host.set_save_state(made_words(self.ctx, self.host.meeting_id))
        self.host.reload_parts()
        return made

    def show_parts(self, detail: MeetingDetail) -> None:
        parts = operations.read(  # quiet: the meeting went meanwhile (the shell says so)
            self,
            "Meeting papers",
            lambda: (
                members.meeting_link(self.ctx.db, detail.id),
                papers.papers_history(self.ctx.db, meeting_id=detail.id),
                invitation_updates.needs_resending(self.ctx.db, detail.id),
            ),
            quiet=True,
        )
        if parts is None:
            return
        link, history, resend = parts
        self._show_resend(resend)
        self.link_edit.setText(link.own)
        self.link_edit.setPlaceholderText(
            f"The forum's: {link.forum}" if link.forum else "No online link"
        )
        self.print_link_check.setChecked(link.print_link)
        self.link_message.clear()
        self.sent_list.clear()
        for sent in history:
            self.sent_list.addItem(sent.summary)
        if not history:
            self.sent_list.addItem("No papers sent yet.")

    def save_link(self) -> bool:
        meeting_id = self.host.meeting_id
        if meeting_id is None:
            return False
        link, printed = self.link_edit.text(), self.print_link_check.isChecked()

        def refused(exc: ValidationError) -> None:
            self.link_message.setText(str(exc))

        def done(version: int) -> None:
            self.host.version = version
            self.link_message.setText("Online link saved.")
            self.host.saved()

        outcome = (
            papers_ops.set_meeting_link(self, self.ctx, meeting_id, link, printed)
            .validation(refused)
            .success(done)
            .wait()
        )
        if outcome.ok:
            self.host.check_invitation(wrote=True, idle=False)
        return outcome.ok

    def send_papers(self) -> None:
        from ...dialogs.papers_dialog import SendPapersDialog

        if self.host.meeting_id is None or self.host.detail is None:
            return
        SendPapersDialog.ask(self.ctx, self.host.meeting_id, self)
        self.host.reload_parts()

    def save_invitation(self) -> bool:
        """Save the calendar invitation (``.ics``) to send again after the meeting moves or is
        cancelled: its UID stays the same, so it replaces the one in people's calendars."""
        detail = self.host.detail
        if self.host.meeting_id is None or detail is None:
            return False
        path = files.ask_save(
            self, files.CALENDAR, "Save the invitation", f"Invitation {detail.reference}.ics"
        )
        if path is None:
            return False
        outcome = papers_ops.save_invitation(self, self.ctx, self.host.meeting_id, path).wait()
        if not outcome.ok or outcome.value is None:
            return False
        files.offer_to_open(
            self,
            outcome.value,
            "the invitation",
            "Attach it to an e-mail; it replaces any earlier invitation to this meeting.",
        )
        return True


#: The sendings an update of the invitation records.
UPDATES = (PapersKind.INVITATION_UPDATE, PapersKind.CANCELLATION)


def made_words(ctx: AppContext, meeting_id: uuid.UUID) -> str:
    """The status line after an update was made, from what was recorded (e-mail drafts,
    letters or both; issue #29: it said "drafts made" when only letters were)."""
    history = operations.read(
        None,
        "Meeting papers",
        lambda: papers.papers_history(ctx.db, meeting_id=meeting_id),
        quiet=True,
    )
    latest = next((sent for sent in history or [] if sent.kind in UPDATES), None)
    if latest is None:
        return "All changes saved."
    made = []
    if latest.emails:
        made.append(f"{latest.emails} e-mail draft{'s' * (latest.emails != 1)}")
    if latest.letters:
        made.append(f"{latest.letters} letter{'s' * (latest.letters != 1)} to print and post")
    what = " and ".join(made) or "nothing (nobody to send it to)"
    return f"All changes saved; the {latest.kind.label.lower()} made: {what}."
