"""What was being typed when the app last stopped (a crash, a kill, a flat battery), or left
unsaved after a normal close ("Decide later", a draft the database would not drop), offered
once the main window shows (``offer_recovered``). The list says the app stopped only when it
did (``stopped_last_time``).

One dialog lists each draft left in the drafts table ("Recovered what you were typing in the
minutes of Rugby Locality Forum, 6 October 2025"), each with Keep and Drop:
- Keep puts it back. A meeting's text is applied to the meeting through the meeting editor's
  own save (a problem then shows at its field when the meeting opens, and the draft stays until
  it is put right) and the meeting opens; a dialog's typing reopens that dialog filled in (a
  new record's in a new dialog), whose Save or Cancel then decides.
- Drop deletes it.
- A draft whose record was deleted since cannot be put back: it is offered only as text to
  select and copy (with a Copy button), and Drop.
"Decide later" (or Escape) closes the list and leaves the rest for the next start. When every
draft is decided the list closes by itself.

Drafts may hold personal data: they are read from the database and shown here, never logged or
written anywhere else (Copy puts the text on the clipboard at the user's request only).

Tests never ``exec()`` this: they build ``RecoveryDialog`` and click its buttons, and patch
``RecoveryDialog.ask`` and ``run_dialog``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import drafts
from ...core.drafts import Draft
from ...core.errors import CoordinatorError, NotFoundError
from .. import operations, widgets
from ..context import AppContext
from ..dialog_sizes import Dialog
from ..operations import drafts as draft_ops
from .record_dialog import RecordDialog

if TYPE_CHECKING:
    from ..main_window import MainWindow


def _when(draft: Draft) -> str:
    local = draft.updated_at.astimezone()
    return f"{local:%H:%M} on {widgets.format_date(local.date())}"


class _DraftRow(QFrame):
    """One draft: what it is, and its buttons (or the text to copy when it cannot go back)."""

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft
        self.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self)
        self.heading = QLabel(f"Recovered what you were typing in {draft.label}.")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        box.addWidget(self.heading)
        self.when = QLabel(f"Kept at {_when(draft)}.")
        box.addWidget(self.when)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()
        box.addWidget(self.note)
        self.text_box = QPlainTextEdit(draft.text())
        self.text_box.setReadOnly(True)
        self.text_box.setTabChangesFocus(True)
        self.text_box.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.text_box.setAccessibleName(f"What you were typing in {draft.label}")
        self.text_box.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        self.text_box.hide()
        box.addWidget(self.text_box)
        row = QHBoxLayout()
        self.keep_button = QPushButton("Keep")
        self.keep_button.setAccessibleName(f"Keep what you were typing in {draft.label}")
        self.keep_button.setToolTip("Put it back where it was typed")
        self.copy_button = QPushButton("Copy")
        self.copy_button.setAccessibleName(f"Copy what you were typing in {draft.label}")
        self.copy_button.hide()
        self.drop_button = QPushButton("Drop")
        self.drop_button.setAccessibleName(f"Drop what you were typing in {draft.label}")
        self.drop_button.setToolTip("Throw it away")
        for button in (self.keep_button, self.copy_button, self.drop_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        box.addLayout(row)
        self.copy_button.clicked.connect(self.copy)
        if draft.record_gone:
            self.only_text("It was deleted since, so it cannot be put back; copy what you need:")

    def only_text(self, why: str) -> None:
        """Offer the draft only as text to copy (its record has gone, or it cannot reopen)."""
        self.note.setText(why)
        self.note.show()
        self.keep_button.hide()
        self.text_box.show()
        self.copy_button.show()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.draft.text())

    def decided(self, what: str) -> None:
        self.note.setText(what)
        self.note.show()
        for button in (self.keep_button, self.drop_button):
            button.setEnabled(False)


def stopped_last_time(ctx: AppContext) -> bool:
    """Whether the app stopped without closing normally last time: the database this app closed
    cleanly records so beside it, and opening it without that record defers a damage check
    (``core/soundness.py``: ``Database.soundness`` is pending only then). A server database
    keeps no such record: False, the words then claim nothing."""
    return ctx.db.soundness is not None


def intro_words(stopped: bool) -> str:
    """The list's first sentence: why there is typing to recover, said only when it is so
    (typing is also left by "Decide later", or a draft the database would not drop)."""
    why = (
        "The app stopped last time before some typing was saved."
        if stopped
        else "Some typing from last time was not saved."
    )
    return f"{why} It was kept: Keep puts it back where it was typed, Drop throws it away."


class RecoveryDialog(Dialog):
    """Lists ``found`` with Keep and Drop each; ``keep(draft)`` puts one back (it raises
    ``CoordinatorError`` when it cannot, and the draft is then offered as text to copy)."""

    def __init__(
        self,
        ctx: AppContext,
        found: list[Draft],
        keep: Callable[[Draft], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._keep = keep
        self.setWindowTitle("Recovered typing")
        self.setAccessibleName("Recovered typing")
        layout = QVBoxLayout(self)
        self.intro = intro = QLabel(intro_words(stopped_last_time(ctx)))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        holder = QWidget()
        rows_box = QVBoxLayout(holder)
        self.rows: dict[uuid.UUID, _DraftRow] = {}
        for draft in found:
            row = _DraftRow(draft)
            row.keep_button.clicked.connect(lambda _c=False, d=draft: self.keep(d))
            row.drop_button.clicked.connect(lambda _c=False, d=draft: self.drop(d))
            rows_box.addWidget(row)
            self.rows[draft.id] = row
        rows_box.addStretch(1)
        scroll = widgets.FocusScrollArea()
        scroll.setWidget(holder)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.later_button = QPushButton("Decide &later")
        self.later_button.setAccessibleName("Decide later: keep the rest for the next start")
        self.later_button.setAutoDefault(False)
        buttons.addWidget(self.later_button)
        layout.addLayout(buttons)
        self.later_button.clicked.connect(self.reject)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self.resize(self.minimumWidth(), self.fontMetrics().lineSpacing() * 30)
        self._undecided = set(self.rows)

    @classmethod
    def ask(
        cls,
        ctx: AppContext,
        found: list[Draft],
        keep: Callable[[Draft], object],
        parent: QWidget | None = None,
    ) -> None:
        """Show modally until every draft is decided or "Decide later". Tests patch this."""
        dialog = cls(ctx, found, keep, parent)
        dialog.exec()
        dialog.deleteLater()

    def keep(self, draft: Draft) -> None:
        row = self.rows[draft.id]

        def only_text(why: str) -> None:
            row.only_text(why)
            row.text_box.setFocus(Qt.FocusReason.OtherFocusReason)

        try:  # what it needs has gone: said in its row, where its text can be copied
            kept = operations.attempt(
                self,
                "Recovered typing",
                lambda: self._keep(draft),
                on_refused=lambda exc: only_text(
                    f"It cannot be put back ({exc}); copy what you need:"
                ),
            )
        except (ValueError, KeyError, TypeError):  # a draft this version cannot read: its text can
            only_text("It cannot be put back; copy what you need:")
            return
        if not kept:
            return
        row.decided("Kept: put back where it was typed.")
        self._decided(draft)

    def drop(self, draft: Draft) -> None:
        row = self.rows[draft.id]
        dropped = (
            draft_ops.drop_draft(self, self.ctx, draft.key)
            .failure(lambda exc: row.decided(f"Not dropped: {exc}"))
            .wait()
        )
        if not dropped.ok:
            return
        row.decided("Dropped.")
        self._decided(draft)

    def _decided(self, draft: Draft) -> None:
        self._undecided.discard(draft.id)
        if not self._undecided:
            self.accept()
            return
        following = [self.rows[i] for i in self.rows if i in self._undecided]
        button = following[0].keep_button
        if not button.isVisible():
            button = following[0].drop_button
        button.setFocus(Qt.FocusReason.OtherFocusReason)


def run_dialog(dialog: RecordDialog) -> object:
    """Run a reopened dialog modally (tests patch this)."""
    return dialog.run()


def keep_draft(window: MainWindow, draft: Draft) -> None:
    """Put ``draft`` back where it was typed (see the module's docstring). Raises
    ``CoordinatorError`` when it cannot be (what it needs has gone)."""
    from ..views.meeting.drafts import DRAFT_FORM

    if draft.form == DRAFT_FORM:
        meeting_id = uuid.UUID(str(draft.context.get("meeting_id")))
        window.open_meeting(meeting_id)
        editor = window.meetings.editor  # type: ignore[attr-defined]
        if editor.meeting_id != meeting_id:
            raise CoordinatorError("the meeting could not be opened")
        if not editor.apply_draft(draft):
            raise NotFoundError("that part of the meeting has been deleted")
        return
    # Every Save/Cancel dialog registers itself when its module is imported.
    from . import (  # noqa: F401
        action_editor,
        assessment_dialogs,
        meeting_dialogs,
        participant_dialog,
        project_dialog,
    )

    dialog = RecordDialog.reopen(window.ctx, draft, window)
    run_dialog(dialog)


def offer_recovered(window: MainWindow) -> None:
    """Offer this person's drafts left from last time, if any (after the window shows)."""
    found = operations.read(
        window, "Drafts left from last time", lambda: drafts.list_drafts(window.ctx.db), quiet=True
    )
    if found:  # None: they could not be listed now
        RecoveryDialog.ask(window.ctx, found, lambda d: keep_draft(window, d), window)
