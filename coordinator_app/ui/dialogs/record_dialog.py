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

Nothing typed is lost: ``mark_clean`` hooks a ``DraftKeeper`` (``ui.drafts``) that writes the
fields as typed to the drafts table once the typing pauses (about 1.5 s), so a crash or a power
cut loses at most those seconds; Save and a confirmed Cancel drop the draft (Cancel still means
"throw it away"). Each subclass says what its draft is about (``draft_about``: a label naming a
meeting or record, never a service user) and, when its constructor needs more than ids, how to
open it again from a draft (``from_draft``); the start-up recovery reopens it pre-filled.

Tests never ``exec()`` these: they build the dialog, fill it, call ``try_save()`` (or click the
Save button), and patch ``ask`` where a page opens one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
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

from ...core.drafts import Draft
from ...core.errors import ConflictError, CoordinatorError, NotFoundError, ValidationError
from .. import widgets
from ..context import AppContext
from ..dialog_sizes import Dialog
from ..drafts import DraftAbout, DraftKeeper, forget_names, scrubbed
from .buttons import letter_buttons


class FieldProblem(Exception):
    """A problem found by the form itself (a date typed wrongly), shown like a core one."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class RecordDialog(Dialog):
    """Subclasses build their fields in ``self.form`` through ``self.errors.add_row`` and
    implement ``save()``, which returns the saved id (or True) and raises ``ValidationError`` or
    ``FieldProblem``."""

    #: Cancel's text: a dialog whose field already takes C spells it with another letter.
    cancel_text = "&Cancel"
    #: Every subclass by name, so a draft can name its form and be reopened (``reopen``).
    forms: dict[str, type[RecordDialog]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        RecordDialog.forms[cls.__name__] = cls

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
        letter_buttons(self.buttons, cancel=self.cancel_text)
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._ctrl_enter = save_on_ctrl_enter(self, self.try_save)
        self.save_button.setToolTip("Save (Ctrl+Enter)")
        self._focused_once = False
        self._snapshot: tuple[Any, ...] = ()
        #: Keeps the typing as a draft; made by ``mark_clean`` once the fields are filled.
        self.drafts: DraftKeeper | None = None

    def showEvent(self, event: Any) -> None:
        """The first time it shows, the keyboard starts in the first field (not on Save)."""
        super().showEvent(event)
        if self._focused_once:
            return
        self._focused_once = True
        for box in self.findChildren(QPlainTextEdit):
            box.installEventFilter(self._ctrl_enter)
        first = self.first_field()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def first_field(self) -> QWidget | None:
        """The first enabled, shown field of the form that takes keyboard focus."""
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            holder = item.widget() if item is not None else None
            if holder is None:
                continue
            candidates = [holder, *holder.findChildren(QWidget)]
            for widget in candidates:
                if (
                    isinstance(widget, QLineEdit | QPlainTextEdit | QComboBox | QCheckBox)
                    and widget.isEnabled()
                    and widget.isVisibleTo(self)
                    and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
                ):
                    return widget
        return None

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def mark_clean(self) -> None:
        """Call at the end of the subclass's ``__init__``, once the fields are filled: from
        here on, typing is kept as a draft."""
        self._snapshot = self._values()
        if self.drafts is None:
            self.drafts = DraftKeeper(self)
            self.ctx.events.peopleAnonymised.connect(self.forget_names)
        wide = self.fontMetrics().averageCharWidth() * 72
        self.setMinimumWidth(max(self.sizeHint().width(), wide))

    # --- drafts -----------------------------------------------------------------------------

    def forget_names(self, scrub: Callable[[str], str]) -> None:
        """Someone was anonymised from this app while the form is open: their name goes from
        every text box (the rest of the typing stays) and from what the form was filled with,
        so neither Save nor a draft writes it back (``ui.drafts.forget_names``)."""
        forget_names(self._text_boxes(), scrub)
        self._snapshot = tuple(
            scrubbed(v, scrub) for v in self._snapshot
        )
        if self.drafts is not None:
            self.drafts.forget_names(scrub)

    def draft_about(self) -> DraftAbout:
        """What this form's draft is about (see ``DraftAbout``). Subclasses name their meeting
        or record; this default suits a form that adds something new and needs no ids."""
        return DraftAbout(label=f"the form “{self.windowTitle()}”")

    @classmethod
    def from_draft(
        cls, ctx: AppContext, reopen: dict[str, uuid.UUID | None], parent: QWidget | None
    ) -> RecordDialog:
        """The form opened again as ``draft_about().reopen`` describes (ids as keywords).
        Raises ``CoordinatorError`` (``NotFoundError``) when what it needs has gone."""
        return cls(ctx, parent=parent, **reopen)  # type: ignore[arg-type]

    @staticmethod
    def reopen(ctx: AppContext, draft: Draft, parent: QWidget | None = None) -> RecordDialog:
        """The dialog ``draft`` was typed in, opened again and filled with it (not shown: the
        caller runs it). Raises ``CoordinatorError`` when it cannot be opened again."""
        cls = RecordDialog.forms.get(draft.form)
        if cls is None:
            raise CoordinatorError("That form is not in this version of the app.")
        opened = draft.context.get("open")
        if not isinstance(opened, dict):
            raise CoordinatorError("That draft does not say how to open its form.")
        reopen = {str(k): uuid.UUID(str(v)) if v else None for k, v in opened.items()}
        dialog = cls.from_draft(ctx, reopen, parent)
        assert dialog.drafts is not None
        dialog.drafts.adopt(draft)
        return dialog

    def _text_boxes(self) -> list[QWidget]:
        """The form's text boxes, as ``_values`` reads them."""
        return [
            child
            for child in self.findChildren(QWidget)
            if (isinstance(child, QLineEdit) and child.parent() is not None)
            or isinstance(child, QPlainTextEdit)
        ]

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
        if self.drafts is not None:
            self.drafts.reset()  # the typing was thrown away on purpose
        self.general_error.setText("Reloaded: these are the saved details; nothing was saved.")
        self.general_error.show()

    def reject(self) -> None:
        if self.is_dirty() and not confirm_discard(self):
            return
        super().reject()

    def closeEvent(self, event: Any) -> None:
        if self.isVisible() and self.is_dirty() and not confirm_discard(self):
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


def confirm_discard(parent: QWidget) -> bool:
    """Ask "Discard changes?" before a window with unsaved typing closes: True to close and
    throw the typing away, False (Cancel) to keep the window open with the typing in it."""
    return widgets.confirm(
        parent,
        "Discard changes?",
        "You have typed something that is not saved yet. Discard it?",
        yes="Discard",
    )


#: The answers to ``ask_save_discard``, in the order of its buttons.
SAVE, DISCARD, CANCEL = range(3)
#: Its buttons, each with its Alt letter; Cancel is last, so Escape picks it.
SAVE_DISCARD_CANCEL = ("&Save", "&Discard", "&Cancel")


def ask_save_discard(parent: QWidget, text: str) -> int:
    """Ask before what is typed for one record is replaced by another's (another row chosen in
    a list): ``SAVE`` it first, ``DISCARD`` it, or ``CANCEL`` (stay on the record, the typing
    kept). ``text`` says what was typed and not saved. Save is the default, so Enter loses
    nothing; Escape is Cancel."""
    return widgets.ask_choice(
        parent, "Save changes?", text, list(SAVE_DISCARD_CANCEL), default=SAVE
    )


def save_on_ctrl_enter(dialog: QDialog, save: Callable[[], object]) -> _CtrlEnterSaves:
    """Ctrl+Enter calls ``save`` from anywhere in ``dialog`` (every dialog that saves, not only
    a ``RecordDialog``). A multi-line box takes Ctrl+Enter for itself before any shortcut sees
    it (Enter is a new line there): install the filter returned on such boxes."""
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        shortcut = QShortcut(QKeySequence(keys), dialog)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(save)
    return _CtrlEnterSaves(dialog, save)


class _CtrlEnterSaves(QObject):
    """Ctrl+Enter in a text box saves the dialog instead of adding a line."""

    def __init__(self, dialog: QDialog, save: Callable[[], object]) -> None:
        super().__init__(dialog)
        self._save = save

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            if event.type() == QEvent.Type.KeyPress:
                self._save()
            event.accept()
            return True
        return super().eventFilter(watched, event)


def answers_choices(ctx: AppContext, meeting_id: uuid.UUID | None) -> list[tuple[str, Any]]:
    """What an action can answer: the experience heard at its meeting, as (text, id), after
    "Nothing in particular" (None). Empty when there is no meeting or nothing was heard."""
    if meeting_id is None:
        return []
    from ...core.meetings import get_meeting
    from ..widgets import one_line_summary

    heard = get_meeting(ctx.db, meeting_id).experience
    if not heard:
        return []
    return [
        ("Nothing in particular", None),
        *((f"{e.kind.label}: {one_line_summary(e.summary)}", e.id) for e in heard),
    ]


def answered_item(ctx: AppContext, action_id: uuid.UUID) -> uuid.UUID | None:
    """The experience item an action answers now, if any."""
    from ...core.actions import action_sources

    return next((s.id for s in action_sources(ctx.db, action_id) if s.kind == "experience"), None)


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
