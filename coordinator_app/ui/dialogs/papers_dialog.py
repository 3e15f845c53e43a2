"""Papers to members (issue #29): "Send papers…", a forum's members, and the staff list.

- ``SendPapersDialog`` (the meeting's Papers tab): choose the agenda, the minutes or "you said,
  we did"; it lists who gets an e-mail, who a letter and who nothing and why, then writes the
  drafts and letters into a folder chosen (``core/papers.py``, off the GUI thread) and opens the
  folder, where each ``.eml`` opens in the mail program as a draft (as "Email owners" does).
- ``ForumMembersDialog`` (Organisation > Forums > Members…): the forum's members with how each
  gets papers; add someone, take someone off, keep a postal address; the forum's online link.
- ``StaffPanel`` (Organisation > Staff): the staff who own actions, with their work e-mail.

``open_folder`` and ``choose_folder`` are looked up on this module at call time, so tests patch
them (never a real file dialog or file manager in a test). Every write is an operation.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QMargins, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import invitation_updates, members, papers, people, staff
from ...core.errors import CoordinatorError, ValidationError
from ...core.members import EMAIL, LETTER, NOTHING, MemberRow
from ...core.text import counted
from ...core.vocab import PapersKind
from .. import files, widgets
from ..context import AppContext
from ..dialog_sizes import Dialog
from ..operations import papers as papers_ops
from .buttons import letter_buttons

ROLE_ID = Qt.ItemDataRole.UserRole + 1
HOW_WORDS = {EMAIL: "E-mail", LETTER: "Letter", NOTHING: "Nothing"}


def open_folder(path: Path) -> bool:
    """Show the folder in the system's file manager; False when nothing opened it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_file(path: Path) -> bool:
    """Open a file with the program the system uses for it (an ``.eml`` in the mail program,
    as a draft to check and send); False when nothing opened it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def choose_folder(parent: QWidget | None) -> str:
    """Ask for the folder to write the papers into; "" when cancelled."""
    path = files.ask_folder(parent, files.DRAFTS, "Write the papers into")
    return str(path) if path else ""


def _member_line(member: MemberRow) -> str:
    how = member.delivery
    fmt = member.accessible_format.label.lower()
    if how.how == EMAIL:
        return f"{member.name}: e-mail to {member.email} ({fmt})"
    if how.how == LETTER:
        return f"{member.name}: letter ({fmt})"
    return f"{member.name}: nothing, {how.why}"


def send_invitation_update(
    parent: QWidget, ctx: AppContext, resend: invitation_updates.Resend, *, ask: bool = True
) -> bool:
    """Offer the updated invitation (or the cancellation) ``resend`` says is needed: asked
    (``ask``) with what changed and who gets it; then a folder, the drafts and letters written
    and recorded, and the folder shown. True when they were made."""
    title = "Send the cancellation?" if resend.cancelled else "Send the updated invitation?"
    if not resend.anyone:
        widgets.inform(parent, title, resend.message)
        return False
    made = [
        what
        for what, wanted in (("drafts", resend.recipients), ("letters", resend.letters))
        if wanted
    ]
    make = f"&Make the {' and '.join(made)}…"
    if ask and widgets.ask_choice(parent, title, resend.message, [make, "Not &now"]):
        return False
    folder = choose_folder(parent)
    if not folder:
        return False
    outcome = papers_ops.send_invitation_update(parent, ctx, resend.meeting_id, Path(folder)).wait()
    if not outcome.ok or outcome.value is None:
        return False
    done = outcome.value
    count = len(done.drafts)
    post = " to print and post" if done.letters else ""
    then = f" {papers.OPEN_DRAFTS}" if count else ""
    widgets.inform(
        parent,
        "Drafts written" if count else "Letters written",
        f"Wrote {papers.made_words(count, done.letter_count)}{post} "
        f"({done.kind.label.lower()}) in {done.folder}.{then}",
    )
    open_folder(done.folder)
    return True


class SendPapersDialog(Dialog):
    def __init__(self, ctx: AppContext, meeting_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.result_value: papers.PapersResult | None = None
        self.setWindowTitle("Send papers")
        self.setAccessibleName("Send papers")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Papers to send")
        for kind in papers.SENDABLE:
            self.kind_combo.addItem(kind.label, kind)
        label = QLabel("&Papers:")
        label.setBuddy(self.kind_combo)
        form.addRow(label, self.kind_combo)
        layout.addLayout(form)
        self.summary = QLabel()
        self.summary.setAccessibleDescription("Who gets what")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.plan_list = QListWidget()
        self.plan_list.setAccessibleName("Members and how each gets the papers")
        layout.addWidget(self.plan_list, 1)
        self.message = QLabel()
        self.message.setAccessibleDescription("Result")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        letter_buttons(buttons)
        self.write_button = QPushButton("&Write drafts and letters…")
        self.write_button.setAccessibleName("Write drafts and letters")
        buttons.addButton(self.write_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_drafts_button = QPushButton("&Open the drafts in the mail program")
        self.open_drafts_button.setAccessibleName("Open the drafts in the mail program")
        self.open_drafts_button.setEnabled(False)
        buttons.addButton(self.open_drafts_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.write_button.clicked.connect(self.write)
        self.open_drafts_button.clicked.connect(self.open_drafts)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self.refresh()
        self.resize(self._wanted_size())

    def _wanted_size(self) -> QSize:
        """Wide enough for the longest member's line and the buttons, tall enough for a score
        of members; ``Dialog`` then keeps it on the screen (1366x768 leaves it whole)."""
        metrics = self.plan_list.fontMetrics()
        widest = max(
            (
                metrics.horizontalAdvance(self.plan_list.item(row).text())
                for row in range(self.plan_list.count())
            ),
            default=0,
        )
        scroll = self.plan_list.verticalScrollBar().sizeHint().width()
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QMargins()
        chrome = 2 * self.plan_list.frameWidth() + scroll + margins.left() + margins.right()
        width = max(widest + chrome + metrics.averageCharWidth() * 2, self.sizeHint().width())
        listed = not self.plan_list.isHidden()  # hidden when nothing can be sent
        return QSize(width, metrics.lineSpacing() * 32 if listed else self.sizeHint().height())

    @classmethod
    def ask(cls, ctx: AppContext, meeting_id: uuid.UUID, parent: QWidget | None = None) -> None:
        dialog = cls(ctx, meeting_id, parent)
        dialog.exec()
        dialog.deleteLater()

    def kind(self) -> PapersKind:
        return PapersKind(self.kind_combo.currentData())

    def refresh(self) -> None:
        self.plan_list.clear()
        try:
            plan = papers.plan_papers(self.ctx.db, self.meeting_id, self.kind(), self.ctx.today())
        except CoordinatorError as exc:  # a read: the meeting went meanwhile
            self.summary.setText(str(exc))
            self.write_button.setEnabled(False)
            return
        self._offer_kinds(plan.meeting)
        self.plan_list.setVisible(not plan.refused)
        if plan.refused:  # a cancelled meeting: only its cancellation goes out
            self.summary.setText(plan.refused)
            self.write_button.setEnabled(False)
            return
        emails, letters, nothing = plan.by(EMAIL), plan.by(LETTER), plan.by(NOTHING)
        self.summary.setText(f"{plan.sentence}.")
        for member in emails + letters + nothing:
            self.plan_list.addItem(_member_line(member))
        self.write_button.setEnabled(bool(emails or letters))

    def _offer_kinds(self, facts: papers.MeetingFacts) -> None:
        """Disable each kind of papers that cannot be sent for this meeting, its reason as the
        choice's tooltip (``papers.refusal``)."""
        model = self.kind_combo.model()
        assert isinstance(model, QStandardItemModel)
        offered = False
        for row in range(self.kind_combo.count()):
            item = model.item(row)
            why = papers.refusal(facts, self.kind_combo.itemData(row))
            item.setEnabled(not why)
            item.setToolTip(why)
            offered = offered or not why
        self.kind_combo.setEnabled(offered)

    def write(self) -> bool:
        folder = choose_folder(self)
        if not folder:
            return False

        def failed(exc: CoordinatorError) -> None:
            self.message.setText(f"Error: {exc}")

        outcome = (
            papers_ops.send_papers(self, self.ctx, self.meeting_id, self.kind(), Path(folder))
            .failure(failed)
            .wait()
        )
        if not outcome.ok or outcome.value is None:
            return False
        done = outcome.value
        self.result_value = done
        then = f" {papers.OPEN_DRAFTS}" if done.drafts else ""
        self.message.setText(
            f"Wrote {papers.made_words(done.emails, done.letter_count)} in {done.folder}.{then}"
        )
        self.open_drafts_button.setEnabled(bool(done.drafts))
        open_folder(done.folder)
        return True

    def open_drafts(self) -> int:
        """Open each draft written in the mail program; the number opened."""
        done = self.result_value
        opened = 0
        for path in done.drafts if done else ():
            if not open_file(path):
                self.message.setText(
                    "No mail program opened the drafts: open them from the folder instead."
                )
                return opened
            opened += 1
        self.message.setText(f"Opened {counted(opened, 'draft')} in your mail program.")
        return opened


class ForumMembersDialog(Dialog):
    def __init__(self, ctx: AppContext, forum_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.forum_id = forum_id
        self.rows: list[MemberRow] = []
        self.setWindowTitle("Forum members")
        self.setAccessibleName("Forum members")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Everyone who came to the forum in the last 12 months (or sent apologies), and "
                "anyone added here. Papers go only to those who agreed to be contacted and are "
                "active."
            )
        )
        self.member_list = QListWidget()
        self.member_list.setAccessibleName("Members")
        layout.addWidget(self.member_list, 1)
        form = QFormLayout()
        self.address_edit = QPlainTextEdit()
        self.address_edit.setAccessibleName("Postal address of the member chosen")
        self.address_edit.setTabChangesFocus(True)
        self.address_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        label = QLabel("Postal &address:")
        label.setBuddy(self.address_edit)
        form.addRow(label, self.address_edit)
        self.find_edit = QLineEdit()
        self.find_edit.setAccessibleName("Find a person to add")
        self.find_edit.setPlaceholderText("Type a name, then Find")
        label = QLabel("Add a &person:")
        label.setBuddy(self.find_edit)
        self.found_combo = QComboBox()
        self.found_combo.setAccessibleName("People found")
        pair = QHBoxLayout()
        pair.addWidget(self.find_edit, 1)
        pair.addWidget(self.found_combo, 1)
        form.addRow(label, pair)
        self.link_edit = QLineEdit()
        self.link_edit.setAccessibleName("The forum's online link")
        label = QLabel("Forum's online &link:")
        label.setBuddy(self.link_edit)
        form.addRow(label, self.link_edit)
        layout.addLayout(form)
        row = QHBoxLayout()

        def button(text: str, name: str) -> QPushButton:
            made = QPushButton(text)
            widgets.say_more(made, name)
            row.addWidget(made)
            return made

        self.save_address_button = button("Save a&ddress", "Save the postal address")
        self.find_button = button("&Find", "Find people to add")
        self.add_button = button("Add as &member", "Add the person found as a member")
        self.remove_button = button("&Take off the list", "Take the member chosen off the list")
        self.save_link_button = button("Save lin&k", "Save the forum's online link")
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setAccessibleDescription("Result")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        letter_buttons(close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.member_list.currentRowChanged.connect(self._chosen)
        self.save_address_button.clicked.connect(self.save_address)
        self.find_button.clicked.connect(self.find_people)
        self.find_edit.returnPressed.connect(self.find_people)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.save_link_button.clicked.connect(self.save_link)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        self.reload()

    @classmethod
    def ask(cls, ctx: AppContext, forum_id: uuid.UUID, parent: QWidget | None = None) -> None:
        dialog = cls(ctx, forum_id, parent)
        dialog.exec()
        dialog.deleteLater()

    def reload(self, keep: uuid.UUID | None = None) -> None:
        self.rows = members.forum_members(self.ctx.db, self.forum_id, self.ctx.today())
        self.member_list.clear()
        for member in self.rows:
            item = QListWidgetItem(_member_line(member))
            item.setData(ROLE_ID, member.participant_id)
            self.member_list.addItem(item)
            if member.participant_id == keep:
                self.member_list.setCurrentItem(item)
        name, link = members.forum_link(self.ctx.db, self.forum_id)
        self.setWindowTitle(f"Members of {name}")
        self.link_edit.setText(link)
        self._chosen()

    def current(self) -> MemberRow | None:
        row = self.member_list.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _chosen(self, *_args: object) -> None:
        member = self.current()
        self.address_edit.setPlainText(member.postal_address if member else "")
        for button in (self.save_address_button, self.remove_button):
            button.setEnabled(member is not None)

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def _refused(self, exc: ValidationError) -> None:
        self._say(f"Error: {exc}")

    def save_address(self) -> bool:
        member = self.current()
        if member is None:
            return False
        op = papers_ops.set_postal_address(
            self, self.ctx, member.participant_id, self.address_edit.toPlainText()
        )
        if not op.validation(self._refused).wait().ok:
            return False
        self.reload(member.participant_id)
        self._say(f"Postal address of {member.name} saved.")
        return True

    def find_people(self) -> None:
        self.found_combo.clear()
        for row in people.find_participants(self.ctx.db, self.find_edit.text(), 20):
            self.found_combo.addItem(row.name, row.id)
        self._say(f"{self.found_combo.count()} found." if self.find_edit.text() else "")

    def add(self) -> bool:
        participant_id = self.found_combo.currentData()
        if participant_id is None:
            self._say("Find the person first.")
            return False
        op = papers_ops.add_member(self, self.ctx, self.forum_id, participant_id)
        if not op.validation(self._refused).wait().ok:
            return False
        self.reload(participant_id)
        self._say(f"{self.found_combo.currentText()} is a member.")
        return True

    def remove(self) -> bool:
        member = self.current()
        if member is None:
            return False
        op = papers_ops.remove_member(self, self.ctx, self.forum_id, member.participant_id)
        if not op.wait().ok:
            return False
        self.reload()
        self._say(f"{member.name} is no longer on the list.")
        return True

    def save_link(self) -> bool:
        op = papers_ops.set_forum_link(self, self.ctx, self.forum_id, self.link_edit.text())
        if not op.validation(self._refused).wait().ok:
            return False
        self._say("The forum's online link is saved.")
        return True


class StaffPanel(QWidget):
    """The staff list: name and work e-mail; set aside rather than deleted."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[staff.StaffRow] = []
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Staff who own actions. Choose them as an action's owner and their reminders "
                "go to their work e-mail."
            )
        )
        self.staff_list = QListWidget()
        self.staff_list.setAccessibleName("Staff")
        layout.addWidget(self.staff_list, 1)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Staff name")
        self.email_edit = QLineEdit()
        self.email_edit.setAccessibleName("Staff work e-mail")
        for text, edit in (("&Name:", self.name_edit), ("Work &e-mail:", self.email_edit)):
            label = QLabel(text)
            label.setBuddy(edit)
            form.addRow(label, edit)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add to the list")
        self.save_button = QPushButton("&Save changes")
        self.aside_button = QPushButton("Set as&ide")
        for button in (self.add_button, self.save_button, self.aside_button):
            button.setAccessibleName(button.text().replace("&", ""))
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setAccessibleDescription("Staff list message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.staff_list.currentRowChanged.connect(self._chosen)
        self.add_button.clicked.connect(lambda: self.save(new=True))
        self.save_button.clicked.connect(lambda: self.save(new=False))
        self.aside_button.clicked.connect(self.set_aside)
        self.reload()

    def reload(self, keep: uuid.UUID | None = None) -> None:
        self.rows = staff.list_staff(self.ctx.db)
        self.staff_list.clear()
        for member in self.rows:
            item = QListWidgetItem(f"{member.name} ({member.email or 'no e-mail'})")
            self.staff_list.addItem(item)
            if member.id == keep:
                self.staff_list.setCurrentItem(item)
        self._chosen()

    def current(self) -> staff.StaffRow | None:
        row = self.staff_list.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _chosen(self, *_args: object) -> None:
        member = self.current()
        if member is not None:
            self.name_edit.setText(member.name)
            self.email_edit.setText(member.email)
        self.save_button.setEnabled(member is not None)
        self.aside_button.setEnabled(member is not None)

    def _refused(self, exc: ValidationError) -> None:
        self.message.setText(f"Error: {exc}")

    def save(self, *, new: bool, active: bool = True) -> bool:
        member = None if new else self.current()
        if not new and member is None:
            return False
        op = papers_ops.save_staff(
            self,
            self.ctx,
            self.name_edit.text(),
            self.email_edit.text(),
            member.id if member else None,
            active,
        )
        outcome = op.validation(self._refused).wait()
        if not outcome.ok:
            return False
        self.reload(outcome.value)
        self.message.setText("Saved." if active else "Set aside: no longer offered as an owner.")
        return True

    def set_aside(self) -> bool:
        member = self.current()
        if member is None:
            return False
        self.name_edit.setText(member.name)
        self.email_edit.setText(member.email)
        return self.save(new=False, active=False)
