"""The Agenda tab: the items in order (add, move, remove) and the chosen item's title,
discussion and decisions, saved as each box is left, when another item is chosen and when the
typing pauses.

Each write is one operation carrying the meeting's version (``host.version``). A new item's
title that cannot be added shows its problem under the box; the chosen item's text that cannot
be saved shows it at the field and is kept as a draft (part ``agenda``); the title typed for a
new item is kept as a draft by the shell's idle save until added (part ``new_agenda_item``).

Ctrl+Z in the list, or in the "New item" box while it is empty, takes back this tab's own last
add, move or remove, newest first, each undo one operation carrying the meeting's version: an
added item is removed again (asked first when it has notes by then), a moved one moved back, a
removed one put back at its old place with its title, discussion and decisions (under a new
id). Ctrl+Z inside the text boxes is their own undo of the typing. ``reset`` forgets the
changes when another meeting loads; the message under the list says what was undone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....core.drafts import quoted
from ....core.errors import ValidationError
from ....core.meetings import AgendaItemRow, MeetingDetail
from ... import widgets
from ...drafts import forget_names, scrubbed
from ...models.meeting_parts import COL_AGENDA_TITLE, AgendaModel
from ...operations import meetings as meeting_ops
from .base import Host, KeyRelay, Split, Tab, buttons, hint, record_table, reload_table, stretch
from .drafts import DRAFT_FORM, PART_AGENDA, PART_NEW_ITEM

HINT = "Ctrl+Z in the list undoes the last add, move or remove."


@dataclass(frozen=True)
class Change:
    """One change of the list that Ctrl+Z takes back, with the item as it was before it (an
    add: as added)."""

    kind: Literal["add", "move", "remove"]
    item: AgendaItemRow


class AgendaTab(Tab):
    def __init__(self, host: Host) -> None:
        super().__init__(host)
        #: The item whose text the boxes hold, and that text as last saved or loaded.
        self.item_id: uuid.UUID | None = None
        self._agenda_saved: tuple[str, str, str] | None = None
        #: Changes of the list Ctrl+Z takes back, newest last.
        self._undo: list[Change] = []
        layout = QVBoxLayout(self)
        add_row = QHBoxLayout()
        self.agenda_new_edit = QLineEdit()
        self.agenda_new_edit.setPlaceholderText("Title of a new item, then Enter")
        label = QLabel("Ne&w item:")
        label.setBuddy(self.agenda_new_edit)
        self.agenda_new_edit.setAccessibleName("New agenda item title")
        self.agenda_add_button = QPushButton("&Add item")
        widgets.say_more(self.agenda_add_button, "Add agenda item")
        add_row.addWidget(label)
        add_row.addWidget(self.agenda_new_edit, 1)
        add_row.addWidget(self.agenda_add_button)
        layout.addLayout(add_row)
        self.agenda_new_error = widgets.FormErrors.error_label()
        layout.addWidget(self.agenda_new_error)

        splitter = Split((1, 1))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.agenda_model = AgendaModel(parent=self)
        self.agenda_table = record_table(left_layout, "Agenda items", self.agenda_model)
        row, (self.agenda_up_button, self.agenda_down_button, self.agenda_remove_button) = buttons(
            ("Move u&p", "Move agenda item up"),
            ("Move d&own", "Move agenda item down"),
            ("Remove…", "Remove agenda item"),
        )
        self.agenda_remove_button.setToolTip("Remove the chosen item (Delete in the list)")
        self.agenda_table.setToolTip(
            "Delete removes the chosen item; Ctrl+Z undoes the last add, move or remove."
        )
        left_layout.addLayout(row)
        self.agenda_feedback = hint(HINT)
        self.agenda_feedback.setAccessibleDescription("Agenda message")
        left_layout.addWidget(self.agenda_feedback)
        splitter.addWidget(left)

        right = QWidget()
        form = QFormLayout(right)
        self.agenda_errors = widgets.FormErrors()
        add = self.agenda_errors.add_row
        self.item_title_edit = add(form, "T&itle", "title", QLineEdit())
        self.item_discussion_edit = add(
            form, "Disc&ussion", "discussion", widgets.plain_text_edit("Discussion", lines=8)
        )
        self.item_decisions_edit = add(
            form, "Decision&s", "decisions", widgets.plain_text_edit("Decisions", lines=4)
        )
        splitter.addWidget(right)
        # Half the width for the list, its titles taking what the other columns leave: at a
        # third, with every column sized to its text, titles were cut off behind a scroll bar.
        splitter.setStretchFactor(1, 1)
        stretch(self.agenda_table, COL_AGENDA_TITLE)
        layout.addWidget(splitter, 1)

        self.agenda_new_edit.returnPressed.connect(self.add_agenda_item)
        self.agenda_add_button.clicked.connect(self.add_agenda_item)
        self.agenda_up_button.clicked.connect(lambda: self.move_agenda_item(-1))
        self.agenda_down_button.clicked.connect(lambda: self.move_agenda_item(1))
        self.agenda_remove_button.clicked.connect(self.remove_agenda_item)
        self.agenda_table.deleteRequested.connect(lambda _row: self.remove_agenda_item())
        self.agenda_table.openRequested.connect(lambda _row: self.item_title_edit.setFocus())
        self.agenda_table.selectionModel().currentRowChanged.connect(self._agenda_row_changed)
        self.item_title_edit.editingFinished.connect(self.save_agenda_item)
        for edit in (self.item_discussion_edit, self.item_decisions_edit):
            widgets.FocusOutWatcher(edit).focusLost.connect(self.save_agenda_item)
            edit.textChanged.connect(host.typed)
        for line in (self.item_title_edit, self.agenda_new_edit):
            line.textEdited.connect(host.typed)
        KeyRelay(self.agenda_table, self._list_keys)
        KeyRelay(self.agenda_new_edit, self._new_item_keys)

    def item_fields(self) -> dict[str, QWidget]:
        """The fields a draft of the chosen item holds, by their names in the draft."""
        return {
            "title": self.item_title_edit,
            "discussion": self.item_discussion_edit,
            "decisions": self.item_decisions_edit,
        }

    def new_item_fields(self) -> dict[str, QWidget]:
        return {"title": self.agenda_new_edit}

    def show_parts(self, detail: MeetingDetail) -> None:
        reload_table(self.agenda_table, self.agenda_model, detail.agenda)

    def reset(self) -> None:
        """Another meeting is being loaded: no item is chosen, and nothing of the last meeting
        can be undone here."""
        self.item_id = None
        self._agenda_saved = None
        self.agenda_errors.clear()
        self._undo.clear()
        self.agenda_feedback.setText(HINT)

    def item_label(self) -> str:
        """The chosen item as a draft's label names it: " (item 2, “Welcome”)", or ""."""
        row = self.agenda_model.row_of(self.item_id) if self.item_id is not None else -1
        if row < 0:
            return ""
        item = self.agenda_model.row_at(row)
        return f" (item {item.position}, {quoted(item.title)})"

    # --- the chosen item ------------------------------------------------------------------

    def _agenda_row_changed(self, current: Any, _previous: Any) -> None:
        if self.host.loading:
            return
        if self.item_id is not None and self.agenda_model.row_of(self.item_id) >= 0:
            self.save_agenda_item()
        self.load_item(current.row() if current.isValid() else -1)

    def load_item(self, row: int) -> None:
        """Show the item at ``row`` (none when -1) in the boxes, as saved."""
        self.agenda_errors.clear()
        item = self.agenda_model.row_at(row) if row >= 0 else None
        self.item_id = item.id if item else None
        for edit in (self.item_title_edit, self.item_discussion_edit, self.item_decisions_edit):
            edit.setEnabled(item is not None)
        self.item_title_edit.setText(item.title if item else "")
        self.item_discussion_edit.setPlainText(item.discussion if item else "")
        self.item_decisions_edit.setPlainText(item.decisions if item else "")
        self._agenda_saved = self._agenda_values() if item else None

    def select(self, item_id: uuid.UUID) -> None:
        """Choose ``item_id`` in the list and show it."""
        row = self.agenda_model.row_of(item_id)
        if row >= 0:
            self.agenda_table.select_row(row)
            self.load_item(row)

    def _agenda_values(self) -> tuple[str, str, str]:
        return (
            self.item_title_edit.text().strip(),
            self.item_discussion_edit.toPlainText(),
            self.item_decisions_edit.toPlainText(),
        )

    def forget_names(self, scrub: Callable[[str], str]) -> None:
        """Someone was anonymised (``MeetingEditor.forget_names``): their name goes from the
        chosen item's boxes, the new item's title and what the item was loaded with, as it
        went from the records (an agenda item carries no version of its own)."""
        forget_names([*self.item_fields().values(), self.agenda_new_edit], scrub)
        if self._agenda_saved is not None:
            title, discussion, decisions = (scrubbed(v, scrub) for v in self._agenda_saved)
            self._agenda_saved = (title, discussion, decisions)

    def agenda_dirty(self) -> bool:
        return self.item_id is not None and self._agenda_values() != self._agenda_saved

    def save_agenda_item(self) -> bool:
        return self.save(idle=False)

    def save(self, *, idle: bool) -> bool:
        """Save the chosen item's text if changed; False when not saved (kept as a draft)."""
        host = self.host
        if host.loading or self.item_id is None or host.meeting_id is None:
            return True
        key = host.draft_key(PART_AGENDA)
        if not self.agenda_dirty():
            host.drop_draft(key)  # typed back to what is saved: nothing left to keep
            return True
        if host.resolving:
            host.keep_draft(PART_AGENDA)
            return False
        title, discussion, decisions = self._agenda_values()

        def refused(exc: ValidationError) -> None:
            if idle:
                host.unsaved(PART_AGENDA, " ".join(exc.problems.values()))
                return
            host.keep_draft(PART_AGENDA)
            self.agenda_errors.show(exc.problems, fallback="title", focus=False)
            host.set_save_state("Not saved yet: please put right the problem shown on Agenda.")

        outcome = (
            meeting_ops.update_agenda_item(
                self,
                self.ctx,
                host.meeting_id,
                self.item_id,
                title=title,
                discussion=discussion,
                decisions=decisions,
                expected_version=host.version,
            )
            .validation(refused)
            .conflict(lambda exc: host.not_saved(PART_AGENDA, exc, idle=idle))
            .failure(lambda exc: host.not_saved(PART_AGENDA, exc, idle=idle))
            .wait()
        )
        if not outcome.ok:
            return False
        host.version = outcome.value
        self.agenda_errors.clear()
        self._agenda_saved = (title, discussion, decisions)
        host.drop_draft(key)
        host.saved()
        return True

    # --- the list ---------------------------------------------------------------------------

    def add_agenda_item(self) -> None:
        host = self.host
        if host.meeting_id is None or not self.save_agenda_item():
            return
        title = self.agenda_new_edit.text().strip()
        self.agenda_new_error.hide()
        version = host.version

        def refused(exc: ValidationError) -> None:
            self.agenda_new_error.setText("Error: " + " ".join(exc.problems.values()))
            self.agenda_new_error.show()
            self.agenda_new_edit.setStyleSheet(widgets.INVALID_STYLE)

        outcome = (
            meeting_ops.add_agenda_item(
                self, self.ctx, host.meeting_id, title, expected_version=version
            )
            .validation(refused)
            .conflict(host.conflict)
            .wait()
        )
        if not outcome.ok or outcome.value is None:
            return
        if version is not None:  # the core's contract: adding an item adds exactly one
            host.version = version + 1
        self.agenda_new_edit.setStyleSheet("")
        self.agenda_new_edit.clear()
        host.drop_draft(host.draft_key(PART_NEW_ITEM))
        host.saved()
        self.select(outcome.value)
        added = self._row(outcome.value) or AgendaItemRow(outcome.value, 0, title, "", "")
        self._done(Change("add", added), f"{_named(added)} added.")

    def move_agenda_item(self, delta: int) -> None:
        host = self.host
        if host.meeting_id is None or self.item_id is None or not self.save_agenda_item():
            return
        item_id = self.item_id
        before = self._row(item_id)
        outcome = (
            meeting_ops.move_agenda_item(
                self, self.ctx, host.meeting_id, item_id, delta, expected_version=host.version
            )
            .conflict(host.conflict)
            .wait()
        )
        if not outcome.ok:
            return
        host.version = outcome.value
        host.saved()
        self.select(item_id)
        after = self._row(item_id)
        if before is not None and after is not None and after.position != before.position:
            self._done(Change("move", before), f"“{after.title}” moved to item {after.position}.")

    def remove_agenda_item(self) -> None:
        host = self.host
        row, meeting_id = self.agenda_table.current_row(), host.meeting_id
        if row < 0 or meeting_id is None:
            return
        item = self.agenda_model.row_at(row)
        if not widgets.confirm(
            self,
            "Remove agenda item?",
            f"Remove item {item.position}, “{item.title}”, and its notes?",
        ):
            return
        if item.id == self.item_id and self.agenda_dirty():  # what is typed comes back too
            title, discussion, decisions = self._agenda_values()
            item = replace(item, title=title or item.title, discussion=discussion)
            item = replace(item, decisions=decisions)
        outcome = (
            meeting_ops.delete_agenda_item(
                self, self.ctx, meeting_id, item.id, expected_version=host.version
            )
            .conflict(host.conflict)
            .wait()
        )
        if not outcome.ok:
            return
        host.version = outcome.value
        host.drop_draft(f"{DRAFT_FORM}:agenda_items:{item.id}")
        self.item_id = None
        host.saved()
        self.load_item(self.agenda_table.current_row())
        self._done(Change("remove", item), f"{_named(item)} removed.")

    # --- undo -------------------------------------------------------------------------------

    def _row(self, item_id: uuid.UUID) -> AgendaItemRow | None:
        row = self.agenda_model.row_of(item_id)
        return self.agenda_model.row_at(row) if row >= 0 else None

    def _done(self, change: Change, said: str) -> None:
        """``change`` made: kept for Ctrl+Z, and said under the list."""
        self._undo.append(change)
        self.agenda_feedback.setText(f"{said} Ctrl+Z in the list undoes it.")

    def _list_keys(self, event: QKeyEvent) -> bool:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_last()
            return True
        return False

    def _new_item_keys(self, event: QKeyEvent) -> bool:
        """Ctrl+Z in the empty "New item" box is the list's; with text, the box's own."""
        if event.matches(QKeySequence.StandardKey.Undo) and not self.agenda_new_edit.text():
            self.undo_last()
            return True
        return False

    def undo_last(self) -> bool:
        """Ctrl+Z in the agenda: the last add, move or remove made here taken back (the chosen
        item's typing saved first). False when there is nothing to undo or it was not undone
        (then it stays to be tried again)."""
        host = self.host
        if not self._undo or host.meeting_id is None:
            self.agenda_feedback.setText("Nothing to undo in the agenda.")
            return False
        if not self.save_agenda_item():
            return False
        change = self._undo.pop()
        undo = {"add": self._unadd, "move": self._unmove, "remove": self._unremove}[change.kind]
        said = undo(host.meeting_id, change.item)
        if said is None:
            self._undo.append(change)
            return False
        host.saved()
        self.agenda_feedback.setText(f"Undone: {said}")
        return True

    def _unadd(self, meeting_id: uuid.UUID, added: AgendaItemRow) -> str | None:
        host = self.host
        item = self._row(added.id) or added
        if (item.discussion or item.decisions) and not widgets.confirm(
            self,
            "Undo adding the item?",
            f"Item {item.position}, “{item.title}”, has notes now. Remove it and its notes?",
        ):
            return None
        outcome = (
            meeting_ops.delete_agenda_item(
                self, self.ctx, meeting_id, item.id, expected_version=host.version
            )
            .conflict(host.conflict)
            .wait()
        )
        if not outcome.ok:
            return None
        host.version = outcome.value
        host.drop_draft(f"{DRAFT_FORM}:agenda_items:{item.id}")
        if self.item_id == item.id:
            self.item_id = None
        self.load_item(self.agenda_table.current_row())
        return f"“{item.title}” is off the agenda again."

    def _unmove(self, meeting_id: uuid.UUID, before: AgendaItemRow) -> str | None:
        host = self.host
        now = self._row(before.id)
        delta = before.position - now.position if now is not None else 0
        outcome = (
            meeting_ops.move_agenda_item(
                self, self.ctx, meeting_id, before.id, delta, expected_version=host.version
            )
            .conflict(host.conflict)
            .wait()
        )
        if not outcome.ok:
            return None
        host.version = outcome.value
        self.select(before.id)
        return f"“{before.title}” is back at item {before.position}."

    def _unremove(self, meeting_id: uuid.UUID, removed: AgendaItemRow) -> str | None:
        host = self.host
        version = host.version
        outcome = (
            meeting_ops.add_agenda_item(
                self,
                self.ctx,
                meeting_id,
                removed.title,
                removed.discussion,
                removed.decisions,
                position=removed.position,
                expected_version=version,
            )
            .conflict(host.conflict)
            .wait()
        )
        if not outcome.ok or outcome.value is None:
            return None
        if version is not None:  # the core's contract: adding an item adds exactly one
            host.version = version + 1
        new_id = outcome.value
        # Older changes of the item name it by its new id.
        self._undo = [
            replace(c, item=replace(c.item, id=new_id)) if c.item.id == removed.id else c
            for c in self._undo
        ]
        self.select(new_id)
        notes = ", with its notes" if removed.discussion or removed.decisions else ""
        return f"{_named(removed)} is back{notes}."


def _named(item: AgendaItemRow) -> str:
    """The item as messages name it: 'Item 2, “Welcome”,' (its title alone when its place
    is not known)."""
    return f"Item {item.position}, “{item.title}”," if item.position else f"“{item.title}”"
