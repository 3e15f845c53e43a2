"""Keeping what is typed in a form as a draft (``core.drafts``) until it is saved or thrown away.

``DraftKeeper`` is hooked once, in ``RecordDialog.mark_clean``: it watches the dialog's text
boxes, date boxes, lists and tick boxes (the ones the dialog holds as attributes, such as
``self.title_edit``) and, once the typing has paused for ``IDLE_MS``, writes the fields as typed
to the drafts table. One single-shot timer, restarted by every change: a pause writes once,
typing never writes. A successful Save or a confirmed Cancel (the dialog's ``finished``) drops
the draft; going back to what was loaded drops it too.

The meeting editor saves its fields to the record itself when the typing pauses and keeps a
draft only of what cannot be saved yet; it uses ``read_fields`` and ``apply_fields`` here.

Pitfalls:
- A draft's fields are named by the dialog's attribute names, so a draft written by one
  version of the app still finds its fields in the next; a field renamed since is skipped.
- Applied back, text goes in before tick boxes and lists: a list's own reaction (a forum
  choice filling an empty venue, a closed status asking for an outcome) then sees the text.
- Reopening an existing record applies only the fields the user had changed, so someone else's
  later change to another field is not undone; a new record gets every field back.
- A draft may hold personal data: it is written to the database only, never logged.
- Someone anonymised from this app while a form is open: anonymising cleans the drafts table,
  but the form still holds their name and would write it back (its next pause, or Save), and
  nothing could recognise it afterwards. So every open form cleans its own boxes at once with
  the redactor anonymising used (``forget_names``, on ``DataEvents.peopleAnonymised``).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from ..core import drafts
from ..core.drafts import DraftField
from ..core.errors import CoordinatorError
from .operations import drafts as draft_ops

if TYPE_CHECKING:
    from .dialogs.record_dialog import RecordDialog

#: The pause after the last keystroke before a draft (or, in the meeting editor, the record) is
#: written.
IDLE_MS = drafts.IDLE_MS
WATCHED = (QLineEdit, QPlainTextEdit, QComboBox, QCheckBox)


@dataclass(frozen=True)
class DraftAbout:
    """What a form's draft is about, from the form (``RecordDialog.draft_about``).

    ``label`` is read by a person ("the action RUG-A12 “Ask pharmacy…”": a meeting, forum or
    record title, never a service user's name). ``record`` is the (table, id) the form edits
    (``editing``) or adds to; when it has gone the draft is offered only as text. ``reopen``
    holds the ids the form's ``from_draft`` needs to open it again.
    """

    label: str
    record: tuple[str, uuid.UUID] | None = None
    editing: bool = False
    reopen: Mapping[str, uuid.UUID | None] = field(default_factory=dict)


def data_key(data: object) -> Any:
    """A list item's data as JSON (an id or a vocabulary word as text; None for "none")."""
    if data is None or data == "":
        return None
    if isinstance(data, enum.Enum):
        return data.value
    if isinstance(data, (bool, int, float)):
        return data
    return str(data)


def named_fields(holder: object) -> dict[str, QWidget]:
    """The form's fields a widget holds as attributes (``self.title_edit``), by attribute name,
    in the order they were made."""
    return {
        name: value
        for name, value in vars(holder).items()
        if isinstance(value, WATCHED) and not name.startswith("_")
    }


def _read(widget: QWidget) -> tuple[str, Any, str]:
    """(kind, value, shown) of one field."""
    if isinstance(widget, QCheckBox):
        return "check", widget.isChecked(), "yes" if widget.isChecked() else "no"
    if isinstance(widget, QComboBox):
        return "choice", data_key(widget.currentData()), widget.currentText()
    if isinstance(widget, QPlainTextEdit):
        text = widget.toPlainText()
        return "text", text, text
    assert isinstance(widget, QLineEdit)
    return "text", widget.text(), widget.text()


def scrubbed(value: Any, scrub: Callable[[str], str]) -> Any:
    """``value`` as anonymising left it: a text through ``scrub``, anything else (an empty
    text, a date, a choice) as it is. For what a form was filled with, beside its boxes
    (``forget_names``)."""
    return scrub(value) if isinstance(value, str) and value else value


def forget_names(boxes: Iterable[QWidget], scrub: Callable[[str], str]) -> bool:
    """Someone was anonymised while these text boxes were open (``DataEvents.peopleAnonymised``):
    replace in them what ``scrub`` hides, as anonymising did in the records; the rest of the
    typing stays, the cursor where it was (or at the end). Setting the text also clears the
    box's own undo history, which held the name. Boxes other than text boxes are left alone.
    True when any text changed."""
    changed = False
    for box in boxes:
        if isinstance(box, QPlainTextEdit):
            text = box.toPlainText()
            clean = scrub(text) if text else text
            if clean != text:
                at = box.textCursor().position()
                box.setPlainText(clean)
                cursor = box.textCursor()
                cursor.setPosition(min(at, len(clean)))
                box.setTextCursor(cursor)
                changed = True
        elif isinstance(box, QLineEdit):
            text = box.text()
            clean = scrub(text) if text else text
            if clean != text:
                at = box.cursorPosition()
                box.setText(clean)
                box.setCursorPosition(min(at, len(clean)))
                changed = True
    return changed


def current_values(named: Mapping[str, QWidget]) -> dict[str, Any]:
    return {name: _read(widget)[1] for name, widget in named.items()}


def read_fields(
    named: Mapping[str, QWidget], clean: Mapping[str, Any] | None = None
) -> list[DraftField]:
    """The fields as typed; ``changed`` against ``clean`` (every field when None)."""
    found = []
    for name, widget in named.items():
        kind, value, shown = _read(widget)
        label = widget.accessibleName() or name
        changed = clean is None or clean.get(name) != value
        found.append(DraftField(name, label, kind, value, shown, changed))
    return found


def apply_fields(
    named: Mapping[str, QWidget], fields: tuple[DraftField, ...], *, only_changed: bool
) -> None:
    """Put a draft's values back into the form (see the module's pitfalls for the order)."""
    chosen = [f for f in fields if f.name in named and (f.changed or not only_changed)]
    for kind in ("text", "check", "choice"):
        for f in chosen:
            widget = named[f.name]
            if f.kind != kind:
                continue
            if kind == "text" and isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(f.value or ""))
            elif kind == "text" and isinstance(widget, QLineEdit):
                widget.setText(str(f.value or ""))
            elif kind == "check" and isinstance(widget, QCheckBox):
                widget.setChecked(bool(f.value))
            elif kind == "choice" and isinstance(widget, QComboBox):
                index = next(
                    (i for i in range(widget.count()) if data_key(widget.itemData(i)) == f.value),
                    widget.findText(f.shown),
                )
                if index >= 0:
                    widget.setCurrentIndex(index)


class DraftKeeper(QObject):
    """Keeps a ``RecordDialog``'s typing as a draft (see the module's docstring).

    Made by ``RecordDialog.mark_clean`` once the fields are filled; ``timer`` is the one idle
    timer (tests call ``keep_now`` or emit its ``timeout`` rather than wait).
    """

    def __init__(self, dialog: RecordDialog) -> None:
        super().__init__(dialog)
        self._dialog = dialog
        self.fields = named_fields(dialog)
        self._clean = current_values(self.fields)
        #: A new record's drafts never share a key: two new participants are two drafts.
        self._token = uuid.uuid4().hex[:12]
        self._about: DraftAbout | None = None
        self._key: str | None = None
        #: The key of the draft in the table (None: none written, or dropped since).
        self.written: str | None = None
        self._last: list[DraftField] | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(IDLE_MS)
        self.timer.timeout.connect(self.keep_now)
        for widget in self.fields.values():
            if isinstance(widget, QCheckBox):
                widget.toggled.connect(self._typed)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._typed)
            else:
                widget.textChanged.connect(self._typed)  # type: ignore[attr-defined]
        dialog.finished.connect(self.drop)

    def _typed(self, *_args: object) -> None:
        self.timer.start()  # restarted by every keystroke: only a pause writes

    def about(self) -> DraftAbout:
        if self._about is None:
            self._about = self._dialog.draft_about()
        return self._about

    def key(self) -> str:
        if self._key is None:
            about = self.about()
            form = type(self._dialog).__name__
            if about.editing and about.record is not None:
                self._key = f"{form}:{about.record[0]}:{about.record[1]}"
            else:
                at = "".join(f":{k}={v}" for k, v in sorted(about.reopen.items()) if v)
                self._key = f"{form}:new{at}:{self._token}"
        return self._key

    def forget_names(self, scrub: Callable[[str], str]) -> None:
        """Someone was anonymised (``RecordDialog.forget_names`` has cleaned the boxes): the
        clean state loses their name too, so what counts as changed stays true, and the next
        pause writes the cleaned typing over the draft (which anonymising cleaned already)."""
        self._clean = {
            name: scrubbed(v, scrub) for name, v in self._clean.items()
        }
        self._last = None
        if self.written is not None:
            self.timer.start()

    def reset(self) -> None:
        """The fields were refilled from the database (Reload): that is the clean state now,
        and typing thrown away by it is not kept."""
        self._clean = current_values(self.fields)
        self.drop()

    def keep_now(self) -> None:
        """Write the draft now if the dialog holds unsaved typing (drop it if it no longer
        does). Never raises: a draft that cannot be written is tried again at the next pause."""
        self.timer.stop()
        if not self._dialog.is_dirty():
            self.drop()
            return
        fields = read_fields(self.fields, self._clean)
        if fields == self._last:
            return
        try:
            about = self.about()
            key = self.key()
        except CoordinatorError:  # what the draft is about cannot be read now: next pause
            return
        kept = draft_ops.save_draft(
            self._dialog,
            self._dialog.ctx,
            key=key,
            form=type(self._dialog).__name__,
            label=about.label,
            fields=fields,
            context={"editing": about.editing, "open": dict(about.reopen)},
            record=about.record,
        ).wait()
        if not kept.ok:
            return
        self.written = key
        self._last = fields

    def drop(self, *_args: object) -> None:
        """Drop the draft (saved, or thrown away on purpose). Never raises."""
        self.timer.stop()
        if self.written is None:
            return
        if not draft_ops.drop_draft(self._dialog, self._dialog.ctx, self.written).wait().ok:
            return
        self.written = None
        self._last = None

    def adopt(self, draft: drafts.Draft) -> None:
        """Fill the form from ``draft`` (recovered at start-up) and keep it under the same key,
        so saving or cancelling drops it and new typing replaces it."""
        editing = bool(draft.context.get("editing"))
        apply_fields(self.fields, draft.fields, only_changed=editing)
        self._key = self.written = draft.key
        self._last = None
        self.timer.stop()
