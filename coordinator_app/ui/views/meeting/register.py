"""The Register tab: who came, in one pass at the door, and the counts of unnamed attendees.

Typing a few letters of a name lists the matches (a read, as each letter is typed); Enter marks
the chosen match present, or, with no match, adds a new person (``ParticipantDialog``) and marks
them present. P, A and X on the list mark the selected person; Delete takes them off. Each mark
is one operation carrying the meeting's version, run on the background thread: on a trust
server that is a network round trip per SQL statement, never on the GUI thread. The find box
is cleared for the next name once the mark is saved.

The focus stays in the find box, so a screen reader is told (``ui.announce``) who Enter will mark
as the matches or Up and Down change it, and the result of each mark under the box.

The forum's regulars not yet marked are listed at the foot as "expected" (planned meetings, and
held ones for a few weeks: ``core.meetings.expected``), so the register is ticked from the list
with P, A or X rather than retyped; they are on no count until marked.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from ....core import meetings, people
from ....core.meetings import MeetingDetail
from ....core.vocab import AttendanceStatus, Category
from ... import widgets
from ...announce import announce
from ...dialogs.participant_dialog import ParticipantDialog
from ...models.register import STATUS_TEXT, RegisterModel
from ...operations import meetings as meeting_ops
from .base import Host, KeyRelay, Tab, buttons, hint, reload_table

SUGGESTION_LIMIT = 8
FEEDBACK = (
    "Enter marks the top match present (Up and Down choose another); "
    "with no match, Enter adds a new person."
)


class RegisterTab(Tab):
    def __init__(self, host: Host) -> None:
        super().__init__(host)
        #: Marks Ctrl+Z takes back, newest last: (person, their status before, None: not on it).
        self._undo: list[tuple[uuid.UUID, AttendanceStatus | None]] = []
        #: What a screen reader was last told Enter will mark (``_say_choice``).
        self._choice_said = ""
        layout = QVBoxLayout(self)
        find_row = QHBoxLayout()
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Type a few letters of a name, then Enter")
        self.find_edit.setAccessibleName("Find a person to mark present")
        self.find_edit.setClearButtonEnabled(True)
        label = QLabel("F&ind a person:")
        label.setBuddy(self.find_edit)
        self.new_person_button = QPushButton("New &person…")
        self.new_person_button.setAccessibleName("New person: add someone not yet known")
        find_row.addWidget(label)
        find_row.addWidget(self.find_edit, 1)
        find_row.addWidget(self.new_person_button)
        layout.addLayout(find_row)
        self.suggestions = QListWidget()
        self.suggestions.setAccessibleName("Matching people")
        self.suggestions.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        lines = SUGGESTION_LIMIT // 2 + 2
        self.suggestions.setMaximumHeight(self.fontMetrics().lineSpacing() * lines)
        layout.addWidget(self.suggestions)
        self.register_feedback = QLabel(FEEDBACK)
        self.register_feedback.setWordWrap(True)
        self.register_feedback.setAccessibleDescription("Register message")
        layout.addWidget(self.register_feedback)

        body = QHBoxLayout()
        left = QVBoxLayout()
        self.register_model = RegisterModel(parent=self)
        self.register_table = widgets.RecordTable("Register")
        self.register_table.setModel(self.register_model)
        self.register_table.setToolTip(
            "Keys: P present, A apologies, X absent, Delete removes from the register, Ctrl+Z "
            "undoes. The forum's regulars not yet marked wait at the foot as expected."
        )
        left.addWidget(self.register_table, 1)
        row, marks = buttons(
            ("Mark pre&sent", "Mark selected person present"),
            ("Mark &apologies", "Mark selected person as apologies"),
            ("Mark a&bsent", "Mark selected person absent"),
            ("Rem&ove…", "Remove selected person from the register"),
        )
        self.present_button, self.apologies_button, self.absent_button, self.remove_button = marks
        left.addLayout(row)
        self.register_counts = QLabel()
        self.register_counts.setAccessibleDescription("Register totals")
        left.addWidget(self.register_counts)
        body.addLayout(left, 3)

        # Alt+U: the first count (a box of counts takes its letter to its first box).
        unnamed_box = QGroupBox("&Unnamed attendees")
        unnamed_box.setToolTip("People who came but would rather not be recorded: a count only.")
        grid = QGridLayout(unnamed_box)
        grid.addWidget(hint("People who came but would rather not be named:"), 0, 0, 1, 2)
        self.unnamed_spins: dict[Category, QSpinBox] = {}
        for n, category in enumerate(Category, start=1):
            spin = QSpinBox()
            spin.setRange(0, 999)
            spin.setKeyboardTracking(False)
            spin.setAccessibleName(f"Unnamed {category.label.lower()} count")
            label = QLabel(f"{category.label}:")
            label.setBuddy(spin)
            grid.addWidget(label, n, 0)
            grid.addWidget(spin, n, 1)
            self.unnamed_spins[category] = spin
            spin.valueChanged.connect(lambda value, c=category: self.set_unnamed(c, value))
        grid.setRowStretch(len(Category) + 1, 1)
        body.addWidget(unnamed_box, 1)
        layout.addLayout(body, 1)

        self.find_edit.textChanged.connect(self._find_text_changed)
        self.find_edit.returnPressed.connect(self.register_enter)
        KeyRelay(self.find_edit, self._find_keys)
        self.suggestions.itemClicked.connect(
            lambda item: self._mark_present(item.data(Qt.ItemDataRole.UserRole))
        )
        self.new_person_button.clicked.connect(self.new_person)
        self.present_button.clicked.connect(lambda: self.mark_selected(AttendanceStatus.PRESENT))
        self.apologies_button.clicked.connect(
            lambda: self.mark_selected(AttendanceStatus.APOLOGIES)
        )
        self.absent_button.clicked.connect(lambda: self.mark_selected(AttendanceStatus.ABSENT))
        self.remove_button.clicked.connect(self.remove_selected)
        self.register_table.deleteRequested.connect(lambda _row: self.remove_selected())
        KeyRelay(self.register_table, self._register_keys)

    def reset(self) -> None:
        """Another meeting is being loaded: the find box and its matches start empty, and
        nothing of the last meeting can be undone here."""
        self._undo.clear()
        self.find_edit.clear()
        self.suggestions.clear()
        self.register_feedback.setText(FEEDBACK)

    def show_parts(self, detail: MeetingDetail) -> None:
        rows: list[meetings.RegisterRow | meetings.ExpectedRow] = list(detail.register)
        rows += meetings.expected(self.ctx.db, detail.id, today=self.ctx.today())
        reload_table(self.register_table, self.register_model, rows)
        for category, spin in self.unnamed_spins.items():
            if not spin.hasFocus():
                spin.blockSignals(True)
                spin.setValue(detail.unnamed.get(category, 0))
                spin.blockSignals(False)
        self._update_register_counts()

    # --- finding people ---------------------------------------------------------------------

    def _find_text_changed(self, text: str) -> None:
        self.suggestions.clear()
        detail = self.host.detail
        if not text.strip() or detail is None:
            self._choice_said = ""
            return
        on_register = {r.participant_id: r.status for r in self.register_model.rows()}
        for person in people.find_participants(
            self.ctx.db, text, limit=SUGGESTION_LIMIT, forum_id=detail.forum_id
        ):
            where = ", ".join(
                p for p in (person.category.label, person.locality_name, person.organisation) if p
            )
            status = on_register.get(person.id)
            marked = f" — already {STATUS_TEXT[status].lstrip('✓✗ ').lower()}" if status else ""
            item = QListWidgetItem(f"{person.name} ({where}){marked}")
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            self.suggestions.addItem(item)
        if self.suggestions.count():
            self.suggestions.setCurrentRow(0)
        self._say_choice()

    def _say_choice(self) -> None:
        """Tell a screen reader who Enter will mark: the list of matches never takes the focus,
        so its moving selection is otherwise silent. Said when it changes, not again."""
        item = self.suggestions.currentItem()
        if item is not None:
            count = self.suggestions.count()
            choice = f"Enter marks {item.text()}: {self.suggestions.row(item) + 1} of {count}."
        elif self.find_edit.text().strip():
            choice = "No match: Enter adds a new person."
        else:
            choice = ""
        if choice != self._choice_said:
            self._choice_said = choice
            announce(self.find_edit, choice)

    def _find_keys(self, event: QKeyEvent) -> bool:
        if event.matches(QKeySequence.StandardKey.Undo) and not self.find_edit.text():
            self.undo_last()
            return True
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.suggestions.count():
            step = 1 if key == Qt.Key.Key_Down else -1
            row = min(max(self.suggestions.currentRow() + step, 0), self.suggestions.count() - 1)
            self.suggestions.setCurrentRow(row)
            self._say_choice()
            return True
        if key == Qt.Key.Key_Escape and self.find_edit.text():
            self.find_edit.clear()
            return True
        return False

    def register_enter(self) -> None:
        """Enter in the find box: mark the chosen match present, or add a new person."""
        item = self.suggestions.currentItem()
        if item is not None:
            self._mark_present(item.data(Qt.ItemDataRole.UserRole))
        elif self.find_edit.text().strip():
            self.new_person()

    def _mark_present(self, participant_id: uuid.UUID) -> None:
        if self.set_attendance(participant_id, AttendanceStatus.PRESENT):
            self.find_edit.clear()
            self.find_edit.setFocus()

    def new_person(self) -> None:
        """Add someone new from the register (the typed name filled in) and mark them present."""
        detail = self.host.detail
        if detail is None:
            return
        participant_id = ParticipantDialog.ask(
            self.ctx, self, name=self.find_edit.text(), locality_id=detail.locality_id
        )
        if participant_id is not None:
            self._mark_present(participant_id)
        else:
            self.find_edit.setFocus()

    # --- marking ----------------------------------------------------------------------------

    def set_attendance(
        self, participant_id: uuid.UUID, status: AttendanceStatus, *, undoing: bool = False
    ) -> bool:
        """Mark ``participant_id`` (waiting for the write); False when it was not saved. Kept
        for Ctrl+Z (``undo_last``) unless it is itself an undo."""
        host = self.host
        if host.meeting_id is None:
            return False
        before = self._status_of(participant_id)
        outcome = (
            meeting_ops.set_attendance(
                self,
                self.ctx,
                host.meeting_id,
                participant_id,
                status,
                expected_version=host.version,
            )
            .conflict(host.conflict)
            .wait()
        )
        if not outcome.ok:
            return False
        host.version = outcome.value
        host.saved()
        if not undoing and before != status:
            self._undo.append((participant_id, before))
        if status == AttendanceStatus.PRESENT:
            host.offer_to_mark_held()
        row = self.register_model.row_of(participant_id)
        if row >= 0:
            name = self.register_model.row_at(row).name
            self.register_table.select_row(row)
            if not undoing:  # an undo says so itself
                self.say(f"{name}: {STATUS_TEXT[status].lstrip('✓✗ ')}.")
        return True

    def say(self, text: str) -> None:
        """Show ``text`` under the find box and have a screen reader say it."""
        self.register_feedback.setText(text)
        announce(self.register_feedback, text)

    def _status_of(self, participant_id: uuid.UUID) -> AttendanceStatus | None:
        row = self.register_model.row_of(participant_id)
        return self.register_model.row_at(row).status if row >= 0 else None

    def undo_last(self) -> bool:
        """Ctrl+Z in the register: the last mark taken back (the person as they were before, or
        off the register if they were not on it). False when there is nothing to undo."""
        host = self.host
        if not self._undo or host.meeting_id is None:
            self.say("Nothing to undo in the register.")
            return False
        participant_id, before = self._undo.pop()
        row = self.register_model.row_of(participant_id)
        name = self.register_model.row_at(row).name if row >= 0 else "That person"
        if before is not None:
            if not self.set_attendance(participant_id, before, undoing=True):
                return False
            self.say(f"Undone: {name} is {before.label.lower()} again.")
            return True
        outcome = (
            meeting_ops.remove_attendance(
                self, self.ctx, host.meeting_id, participant_id, expected_version=host.version
            )
            .conflict(host.conflict)
            .wait()
        )
        if not outcome.ok:
            return False
        host.version = outcome.value
        host.saved()
        self.say(f"Undone: {name} is off the register again.")
        return True

    def mark_selected(self, status: AttendanceStatus) -> None:
        row = self.register_table.current_row()
        if row >= 0:
            self.set_attendance(self.register_model.id_at(row), status)

    def remove_selected(self) -> None:
        host = self.host
        row = self.register_table.current_row()
        if row < 0 or host.meeting_id is None:
            return
        person = self.register_model.row_at(row)
        if person.status is None:
            self.say(f"{person.name} is expected, not on the register: nothing to remove.")
            return
        if not widgets.confirm(
            self,
            "Remove from register?",
            f"Take {person.name} off this meeting's register?",
            yes="Remove",
        ):
            return
        outcome = (
            meeting_ops.remove_attendance(
                self,
                self.ctx,
                host.meeting_id,
                person.participant_id,
                expected_version=host.version,
            )
            .conflict(host.conflict)
            .wait()
        )
        if not outcome.ok:
            return
        host.version = outcome.value
        host.saved()
        self.say(f"{person.name} was taken off the register.")

    def _register_keys(self, event: QKeyEvent) -> bool:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_last()
            return True
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        status = {
            Qt.Key.Key_P: AttendanceStatus.PRESENT,
            Qt.Key.Key_A: AttendanceStatus.APOLOGIES,
            Qt.Key.Key_X: AttendanceStatus.ABSENT,
        }.get(Qt.Key(event.key()))
        if status is None:
            return False
        self.mark_selected(status)
        return True

    def set_unnamed(self, category: Category, count: int) -> None:
        host = self.host
        if host.loading or host.meeting_id is None:
            return
        outcome = (
            meeting_ops.set_unnamed(
                self, self.ctx, host.meeting_id, category, count, expected_version=host.version
            )
            .conflict(host.conflict)
            .wait()
        )
        if outcome.ok:
            host.version = outcome.value
            host.saved()

    def _update_register_counts(self) -> None:
        counts = self.register_model.counts()
        unnamed = sum(spin.value() for spin in self.unnamed_spins.values())
        expected = self.register_model.expected_count()
        self.register_counts.setText(
            f"Present: {counts[AttendanceStatus.PRESENT]}   "
            f"Apologies: {counts[AttendanceStatus.APOLOGIES]}   "
            f"Absent: {counts[AttendanceStatus.ABSENT]}   Unnamed: {unnamed}"
            + (f"   Expected, not yet marked: {expected}" if expected else "")
        )
