"""The meeting editor: details, agenda, attendance register, payments, experience, actions raised,
matters arising and quick polls of one meeting.

Saving model (one, everywhere in this editor):
- What you type into the editor's own fields is saved when you leave the field (Tab, Enter,
  a click elsewhere) or choose from a list; each save is one core call, validated first. A
  problem is shown at the field (red border and a sentence under it) and nothing of that save is
  written; the text stays as typed until put right. ``commit_pending()`` saves whatever is still
  being typed; the page calls it before leaving a meeting and when hidden (the window closing).
- The register saves each mark at once (Enter on a name, a status key, a button).
- Records added to a meeting (a new person, an experience item, an action, a payment) are made
  in a small dialog, saved by its Save button.
- A quick poll is typed as a question and lines "answer = count" and saved by its own button
  (or Ctrl+Return, or ``commit_pending``); a problem shows at the field and nothing is saved.
- "Start improvement project…" beside an experience item or an action opens the project dialog
  pre-filled; the project is saved linked to the item (one transaction).
- Deleting anything asks first (``widgets.confirm``, patched in tests).

Nothing typed is lost: when the typing pauses (``IDLE_MS``, one single-shot timer restarted by
every keystroke, ``save_typing``), the details, the agenda item, the new item's title and the
quick poll being typed are saved exactly as leaving the field would save them, through the same
save functions: the record itself is the draft. What cannot be saved yet (a half-typed date, a
title too long, a conflict with someone else's save, or while that question is being answered)
is kept in the drafts table instead (``core.drafts``), and dropped once it is saved or thrown
away on purpose (Reload, "Leave without saving", the meeting deleted). Pitfall: the idle save
never asks anything and never shows a problem at the field mid-typing (the status line says it
is kept as a draft); leaving the field then shows the problem, or asks about the conflict. It
never rewrites a field being typed in (a saved poll keeps its lines as typed until it is left).

Every write is one operation (``ui/operations/meetings.py``, drafts ``ui/operations/drafts.py``)
run on the one background thread: the editor asks and handles the endings it shows its own way
(a broken rule at the field, a conflict asked, a sentence) in the operation's callbacks. Most
writes ``wait()`` (the window repaints, the user's keys are held back and delivered after, in
order): what comes next needs the new version or the new id. Removing a payment or an
experience item only ``run()``s: nothing waits for it. The operation announces the change once
(``meetingsChanged``); the page reloads the editor's lists from core on it (never the fields
being typed in). Pitfall: the idle timer may fire inside a save's wait; it then tries again
after another pause (``operations.waiting()``), as a save made then would carry the version the
one under way is about to change.

Two instances on one database: the editor keeps the meeting's version as loaded (``load``) and
as returned by its own saves, never from ``reload_parts`` (whose lists may show someone else's
change while the fields still hold what was loaded before it). Details, agenda and register
saves pass it; when someone else changed the meeting first, the core refuses
(``ConflictError``) and the editor asks (``widgets.ask_conflict``): Reload shows the saved
meeting (what was typed here is dropped), Keep editing leaves the typing on screen, unsaved.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import drafts, meetings, people, polls, projects
from ...core.drafts import Draft
from ...core.errors import ConflictError, CoordinatorError, NotFoundError, ValidationError
from ...core.meetings import MeetingDetail, MeetingInput
from ...core.settings import get_settings
from ...core.vocab import AttendanceStatus, Category, MeetingFormat, MeetingStatus
from .. import operations, widgets
from ..context import AppContext
from ..dialogs.meeting_dialogs import ActionDialog, ExperienceDialog, PaymentDialog, forum_choices
from ..dialogs.participant_dialog import ParticipantDialog
from ..dialogs.project_dialog import ProjectDialog
from ..drafts import IDLE_MS, apply_fields, read_fields
from ..models.meeting_parts import (
    COL_AGENDA_TITLE,
    ActionsModel,
    AgendaModel,
    ExperienceModel,
    MattersArisingModel,
    PaymentsModel,
)
from ..models.register import STATUS_TEXT, RegisterModel
from ..operations import Op
from ..operations import drafts as draft_ops
from ..operations import meetings as meeting_ops
from ..widgets_poll_chart import PollChart, PollsModel, PollTrendModel

SUGGESTION_LIMIT = 8

TAB_DETAILS = 0
TAB_AGENDA = 1
TAB_REGISTER = 2
TAB_PAYMENTS = 3
TAB_EXPERIENCE = 4
TAB_ACTIONS = 5
TAB_MATTERS = 6
TAB_POLLS = 7

#: The parts of the editor a draft can be of, and the form name drafts of this editor carry.
DRAFT_FORM = "MeetingEditor"
PART_DETAILS = "details"
PART_AGENDA = "agenda"
PART_POLL = "poll"
PART_NEW_ITEM = "new_agenda_item"
CONFLICT_LATER = (
    "someone else changed this meeting; you will be asked what to do when you leave the field."
)


def _record_table(layout: QVBoxLayout, title: str, model: Any) -> widgets.RecordTable:
    """A keyboard-friendly table of ``model`` named ``title``, taking the spare height."""
    table = widgets.RecordTable(title)
    table.setModel(model)
    layout.addWidget(table, 1)
    return table


def _stretch(table: widgets.RecordTable, column: int) -> None:
    """Let ``column`` take the width the table's other columns leave, so a narrow list shows
    its titles shortened with "…" (the whole text in the tooltip when long) rather than behind
    a horizontal scroll bar."""
    table.stretch_column = column  # type: ignore[attr-defined]  # _reload_table keeps it
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, header.ResizeMode.Stretch)


class _Split(QSplitter):
    """A side-by-side splitter that shares its width by ``weights`` when first shown (sizes set
    before then are overridden by the panes' size hints, which left a list a third wide)."""

    def __init__(self, weights: tuple[int, ...]) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self._weights: tuple[int, ...] | None = weights

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._weights is not None and self.width() > 0:
            total = sum(self._weights)
            self.setSizes([self.width() * w // total for w in self._weights])
            self._weights = None


def _wire_records(
    table: widgets.RecordTable,
    edit_button: QPushButton,
    edit: Callable[[int], object],
    remove: Callable[[], object] | None = None,
) -> None:
    """Edit… and Enter/double-click open the current row; Delete removes it (when ``remove``)."""
    edit_button.clicked.connect(lambda: edit(table.current_row()))
    table.openRequested.connect(edit)
    if remove is not None:
        table.deleteRequested.connect(lambda _row: remove())


def _buttons(*specs: tuple[str, str]) -> tuple[QHBoxLayout, list[QPushButton]]:
    row = QHBoxLayout()
    made = []
    for text, name in specs:
        button = QPushButton(text)
        button.setAccessibleName(name)
        row.addWidget(button)
        made.append(button)
    row.addStretch(1)
    return row, made


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class _KeyRelay(QObject):
    """Hands chosen key presses of a widget to a callback (which returns True when it acted)."""

    def __init__(self, widget: QWidget, handler: Callable[[QKeyEvent], bool]) -> None:
        super().__init__(widget)
        self._handler = handler
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._handler(event)
        return False


class MeetingEditor(QWidget):
    """Edits one meeting. ``load(id)`` shows it; ``reload_parts()`` re-reads the lists."""

    backRequested = Signal()
    #: Emitted with the new meeting's id after "Plan next meeting".
    openRequested = Signal(uuid.UUID)
    deleted = Signal(uuid.UUID)
    #: Emitted with a new improvement project's id (the window may open the Projects page).
    projectStarted = Signal(uuid.UUID)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: uuid.UUID | None = None
        self.detail: MeetingDetail | None = None
        self._saved_input: MeetingInput | None = None
        self._agenda_item_id: uuid.UUID | None = None
        self._agenda_saved: tuple[str, str, str] | None = None
        self._loading = False
        #: The meeting's version the fields stand for (see the module's docstring).
        self._version: int | None = None
        #: True while a conflict is being answered (focus moving to the question must not
        #: start another save).
        self._resolving = False
        #: Drafts written of what could not be saved yet (key -> part), and what each held.
        self._drafts_written: dict[str, str] = {}
        self._draft_last: dict[str, list[Any]] = {}
        #: The one idle timer: every keystroke restarts it, a pause saves (``save_typing``).
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(IDLE_MS)
        self.idle_timer.timeout.connect(self.save_typing)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        top = QHBoxLayout()
        self.back_button = QPushButton("← All meetings")
        self.back_button.setAccessibleName("Back to all meetings")
        self.back_button.setToolTip("Back to the list of meetings (Alt+Left)")
        self.back_button.setShortcut("Alt+Left")
        top.addWidget(self.back_button)
        self.title_label = QLabel()
        self.title_label.setAccessibleName("Meeting")
        self.title_label.setTextFormat(Qt.TextFormat.RichText)
        top.addWidget(self.title_label, 1)
        self.plan_next_button = QPushButton("Plan &next meeting")
        self.plan_next_button.setAccessibleName("Plan next meeting")
        self.plan_next_button.setToolTip(
            "Make the forum's next meeting, copying venue and format; open actions come up as "
            "matters arising."
        )
        self.delete_button = QPushButton("Delete meeting…")
        self.delete_button.setAccessibleName("Delete meeting")
        top.addWidget(self.plan_next_button)
        top.addWidget(self.delete_button)
        layout.addLayout(top)
        self.save_state = QLabel()
        self.save_state.setAccessibleName("Save status")
        self.save_state.setWordWrap(True)
        layout.addWidget(self.save_state)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Parts of the meeting")
        layout.addWidget(self.tabs, 1)
        self._build_details()
        self._build_agenda()
        self._build_register()
        self._build_payments()
        self._build_experience()
        self._build_actions()
        self._build_matters()
        self._build_polls()

        self._watch_typing()
        self.back_button.clicked.connect(self.backRequested)
        self.plan_next_button.clicked.connect(self.plan_next)
        self.delete_button.clicked.connect(self.delete_meeting)

    # === building ==============================================================================

    def _build_details(self) -> None:
        page = QWidget()
        outer = QVBoxLayout(page)
        self.details_errors = widgets.FormErrors()
        form = QFormLayout()
        form.setVerticalSpacing(8)
        add = self.details_errors.add_row
        self.forum_combo = add(form, "F&orum", "forum", QComboBox())
        today = self.ctx.today()
        self.date_edit = add(form, "D&ate", "meeting_date", widgets.DateEdit(today=today))
        self.start_edit = add(form, "&Start time", "start_time", widgets.TimeEdit())
        self.end_edit = add(form, "End t&ime", "end_time", widgets.TimeEdit())
        self.venue_edit = add(form, "Venue", "venue", QLineEdit())
        self.format_combo = add(form, "Format", "format", QComboBox())
        widgets.fill_combo(self.format_combo, [(f.label, f) for f in MeetingFormat], keep=False)
        self.status_combo = add(form, "Stat&us", "status", QComboBox())
        widgets.fill_combo(self.status_combo, [(s.label, s) for s in MeetingStatus], keep=False)
        self.chair_edit = add(form, "Chair", "chair", QLineEdit())
        self.minute_taker_edit = add(form, "Minute-ta&ker", "minute_taker", QLineEdit())
        self.notes_edit = add(form, "Notes", "notes", widgets.plain_text_edit("Notes", lines=5))
        outer.addLayout(form)
        outer.addWidget(
            _hint("Changes are saved as you leave each field. A problem is shown under the field.")
        )
        outer.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.tabs.addTab(scroll, "&Details")

        for edit in (
            self.date_edit,
            self.start_edit,
            self.end_edit,
            self.venue_edit,
            self.chair_edit,
            self.minute_taker_edit,
        ):
            edit.editingFinished.connect(self.save_details)
        for combo in (self.forum_combo, self.format_combo, self.status_combo):
            combo.activated.connect(self.save_details)
        widgets.FocusOutWatcher(self.notes_edit).focusLost.connect(self.save_details)

    def _build_agenda(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        add_row = QHBoxLayout()
        self.agenda_new_edit = QLineEdit()
        self.agenda_new_edit.setPlaceholderText("Title of a new item, then Enter")
        label = QLabel("Ne&w item:")
        label.setBuddy(self.agenda_new_edit)
        self.agenda_new_edit.setAccessibleName("New agenda item title")
        self.agenda_add_button = QPushButton("&Add item")
        self.agenda_add_button.setAccessibleName("Add agenda item")
        add_row.addWidget(label)
        add_row.addWidget(self.agenda_new_edit, 1)
        add_row.addWidget(self.agenda_add_button)
        layout.addLayout(add_row)
        self.agenda_new_error = widgets.FormErrors.error_label()
        layout.addWidget(self.agenda_new_error)

        splitter = _Split((1, 1))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.agenda_model = AgendaModel(parent=self)
        self.agenda_table = _record_table(left_layout, "Agenda items", self.agenda_model)
        row, (self.agenda_up_button, self.agenda_down_button, self.agenda_remove_button) = _buttons(
            ("Move u&p", "Move agenda item up"),
            ("Move d&own", "Move agenda item down"),
            ("Remove…", "Remove agenda item"),
        )
        self.agenda_remove_button.setToolTip("Remove the chosen item (Delete in the list)")
        left_layout.addLayout(row)
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
        _stretch(self.agenda_table, COL_AGENDA_TITLE)
        layout.addWidget(splitter, 1)
        self.tabs.addTab(page, "A&genda")

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

    def _build_register(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
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
        self.register_feedback = QLabel(
            "Enter marks the top match present (Up and Down choose another); "
            "with no match, Enter adds a new person."
        )
        self.register_feedback.setWordWrap(True)
        self.register_feedback.setAccessibleName("Register message")
        layout.addWidget(self.register_feedback)

        body = QHBoxLayout()
        left = QVBoxLayout()
        self.register_model = RegisterModel(parent=self)
        self.register_table = widgets.RecordTable("Register")
        self.register_table.setModel(self.register_model)
        self.register_table.setToolTip(
            "Keys: P present, A apologies, X absent, Delete removes from the register."
        )
        left.addWidget(self.register_table, 1)
        row, buttons = _buttons(
            ("Mark pre&sent", "Mark selected person present"),
            ("Mark &apologies", "Mark selected person as apologies"),
            ("Mark a&bsent", "Mark selected person absent"),
            ("Rem&ove…", "Remove selected person from the register"),
        )
        self.present_button, self.apologies_button, self.absent_button, self.remove_button = buttons
        left.addLayout(row)
        self.register_counts = QLabel()
        self.register_counts.setAccessibleName("Register totals")
        left.addWidget(self.register_counts)
        body.addLayout(left, 3)

        unnamed_box = QGroupBox("Unnamed attendees")
        unnamed_box.setToolTip("People who came but would rather not be recorded: a count only.")
        grid = QGridLayout(unnamed_box)
        grid.addWidget(_hint("People who came but would rather not be named:"), 0, 0, 1, 2)
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
        self.tabs.addTab(page, "Regis&ter")

        self.find_edit.textChanged.connect(self._find_text_changed)
        self.find_edit.returnPressed.connect(self.register_enter)
        _KeyRelay(self.find_edit, self._find_keys)
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
        _KeyRelay(self.register_table, self._register_keys)

    def _build_payments(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.rate_label = _hint("")
        layout.addWidget(self.rate_label)
        self.payments_model = PaymentsModel(parent=self)
        self.payments_table = _record_table(layout, "Payments", self.payments_model)
        (
            row,
            (
                self.payment_offer_button,
                self.payment_add_button,
                self.payment_edit_button,
                self.payment_remove_button,
            ),
        ) = _buttons(
            ("Offer to everyone present", "Offer the payment to everyone present"),
            ("&Add payment…", "Add payment"),
            ("Ed&it…", "Edit selected payment"),
            ("Rem&ove…", "Remove selected payment"),
        )
        self.payment_offer_button.setToolTip(
            "Records the trust's rate as offered to each person marked present who has no "
            "payment yet (not staff or partner organisations); then mark each paid or declined."
        )
        layout.addLayout(row)
        self.tabs.addTab(page, "Pa&yments")
        self.payment_offer_button.clicked.connect(self.offer_payments)
        self.payment_add_button.clicked.connect(self.add_payment)
        self.payment_remove_button.clicked.connect(self.remove_payment)
        _wire_records(
            self.payments_table, self.payment_edit_button, self.edit_payment, self.remove_payment
        )

    def _build_experience(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.experience_model = ExperienceModel(parent=self)
        self.experience_table = _record_table(layout, "Experience heard", self.experience_model)
        (
            row,
            (
                self.experience_add_button,
                self.experience_edit_button,
                self.experience_delete_button,
                self.experience_project_button,
            ),
        ) = _buttons(
            ("&Add experience…", "Add experience item"),
            ("Ed&it…", "Edit selected experience item"),
            ("Delete…", "Delete selected experience item"),
            ("Start improvement &project…", "Start improvement project from experience item"),
        )
        self.experience_delete_button.setToolTip("Delete the chosen item (Delete in the list)")
        layout.addLayout(row)
        self.tabs.addTab(page, "E&xperience")
        self.experience_add_button.clicked.connect(self.add_experience)
        self.experience_delete_button.clicked.connect(self.delete_experience)
        self.experience_project_button.clicked.connect(self.start_project_from_experience)
        _wire_records(
            self.experience_table,
            self.experience_edit_button,
            self.edit_experience,
            self.delete_experience,
        )

    def _build_actions(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.actions_model = ActionsModel(parent=self)
        self.actions_table = _record_table(
            layout, "Actions raised at this meeting", self.actions_model
        )
        row, (self.action_raise_button, self.action_edit_button, self.action_project_button) = (
            _buttons(
                ("Rai&se an action…", "Raise an action"),
                ("Ed&it…", "Edit selected action"),
                ("Start improvement &project…", "Start improvement project from action"),
            )
        )
        layout.addLayout(row)
        self.tabs.addTab(page, "A&ctions")
        self.action_raise_button.clicked.connect(self.raise_action)
        _wire_records(self.actions_table, self.action_edit_button, self.edit_action)
        self.action_project_button.clicked.connect(self.start_project_from_action)

    def _build_matters(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            _hint(
                "Actions raised at this forum's earlier meetings that were still open on this "
                "meeting's date, with their latest progress. Open one (Enter) to note what was "
                "said, move its due date or close it with what was done."
            )
        )
        self.matters_model = MattersArisingModel(parent=self)
        self.matters_table = _record_table(layout, "Matters arising", self.matters_model)
        row, (self.matters_update_button,) = _buttons(
            ("&Update…", "Update the selected action: progress, due date or closing")
        )
        layout.addLayout(row)
        self.tabs.addTab(page, "&Matters arising")
        _wire_records(self.matters_table, self.matters_update_button, self.update_matter)

    def _build_polls(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            _hint(
                "Quick polls put to the room, kept anonymously: a question and a count per "
                'answer, one answer a line as "answer = count".'
            )
        )
        split = _Split((2, 3))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.polls_model = PollsModel(parent=self)
        self.polls_table = _record_table(left_layout, "Quick polls", self.polls_model)
        row, (self.poll_new_button, self.poll_delete_button) = _buttons(
            ("Ne&w poll", "New quick poll"),
            ("Delete p&oll…", "Delete selected quick poll"),
        )
        left_layout.addLayout(row)
        split.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.poll_errors = widgets.FormErrors()
        form = QFormLayout()
        self.poll_question_edit = QLineEdit()
        self.poll_errors.add_row(form, "&Question", "question", self.poll_question_edit)
        self.poll_answers_edit = widgets.plain_text_edit("Answers and counts", lines=5)
        self.poll_answers_edit.setPlaceholderText(
            "Confident = 24\nNot sure = 45\nNot confident = 31"
        )
        self.poll_errors.add_row(
            form, "&Answers (answer = count)", "answers", self.poll_answers_edit
        )
        right_layout.addLayout(form)
        row, (self.poll_save_button, self.poll_compare_button) = _buttons(
            ("&Save poll", "Save quick poll"),
            ("Compare with earl&ier meetings", "Compare with earlier meetings"),
        )
        self.poll_save_button.setToolTip("Save the poll (Ctrl+Return)")
        right_layout.addLayout(row)
        self.poll_chart = PollChart()
        right_layout.addWidget(self.poll_chart)
        self.poll_trend_box = QGroupBox("The same question at other meetings")
        trend_layout = QVBoxLayout(self.poll_trend_box)
        self.poll_trend_note = _hint("")
        trend_layout.addWidget(self.poll_trend_note)
        self.poll_trend_model = PollTrendModel(parent=self)
        self.poll_trend_table = _record_table(trend_layout, "Poll trend", self.poll_trend_model)
        self.poll_trend_box.hide()
        right_layout.addWidget(self.poll_trend_box, 1)
        right_layout.addStretch(0)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        _stretch(self.polls_table, 0)  # the question
        layout.addWidget(split, 1)
        self.tabs.addTab(page, "Pol&ls")

        self._poll_id: uuid.UUID | None = None
        self._poll_saved: tuple[str, str] = ("", "")
        self.polls_table.selectionModel().currentRowChanged.connect(self._poll_row_changed)
        self.poll_new_button.clicked.connect(self.new_poll)
        self.poll_delete_button.clicked.connect(self.delete_poll)
        self.polls_table.deleteRequested.connect(lambda _row: self.delete_poll())
        self.poll_save_button.clicked.connect(self.save_poll)
        self.poll_compare_button.clicked.connect(self.compare_poll)
        _KeyRelay(self.poll_answers_edit, self._poll_keys)
        _KeyRelay(self.poll_question_edit, self._poll_keys)

    def _watch_typing(self) -> None:
        """Every keystroke in a text box restarts the idle timer (programmatic fills of the
        multi-line boxes do too; a pause with nothing changed writes nothing)."""
        for line in (
            self.date_edit,
            self.start_edit,
            self.end_edit,
            self.venue_edit,
            self.chair_edit,
            self.minute_taker_edit,
            self.item_title_edit,
            self.agenda_new_edit,
            self.poll_question_edit,
        ):
            line.textEdited.connect(self._typed)
        for box in (
            self.notes_edit,
            self.item_discussion_edit,
            self.item_decisions_edit,
            self.poll_answers_edit,
        ):
            box.textChanged.connect(self._typed)

    def _typed(self, *_args: object) -> None:
        if not self._loading:
            self.idle_timer.start()

    # === nothing typed is lost =================================================================

    def save_typing(self) -> None:
        """The typing paused: save what is typed as leaving its field would, through the same
        save functions, asking nothing; what cannot be saved yet is kept as a draft."""
        self.idle_timer.stop()
        if self.meeting_id is None or self._loading or not self.isVisible():
            # Hidden, nothing is being typed: whatever hid the editor (leaving the meeting,
            # another page, the window closing) saved or kept the typing first (the page's
            # ``commit_pending``). Pitfall: a save here would wait in a local event loop, where
            # a closed editor's pending deletion may run under it.
            return
        if operations.waiting():
            # A save is under way (this fired in its wait): one made now would carry the
            # version that save is about to change. Try again after another pause.
            self.idle_timer.start()
            return
        if self.details_dirty() or self.details_errors.has_errors():
            self._save_details(idle=True)
        if self.agenda_dirty():
            self._save_agenda_item(idle=True)
        if self.poll_dirty():
            self._save_poll(idle=True)
        if self.agenda_new_edit.text().strip():
            self._keep_draft(PART_NEW_ITEM)
        else:
            self._drop_draft(self._draft_key(PART_NEW_ITEM))

    def _part_fields(self, part: str) -> dict[str, QWidget]:
        if part == PART_DETAILS:
            return {
                "forum": self.forum_combo,
                "meeting_date": self.date_edit,
                "start_time": self.start_edit,
                "end_time": self.end_edit,
                "venue": self.venue_edit,
                "format": self.format_combo,
                "status": self.status_combo,
                "chair": self.chair_edit,
                "minute_taker": self.minute_taker_edit,
                "notes": self.notes_edit,
            }
        if part == PART_AGENDA:
            return {
                "title": self.item_title_edit,
                "discussion": self.item_discussion_edit,
                "decisions": self.item_decisions_edit,
            }
        if part == PART_POLL:
            return {"question": self.poll_question_edit, "answers": self.poll_answers_edit}
        return {"title": self.agenda_new_edit}

    def _draft_key(self, part: str) -> str | None:
        """The key of ``part``'s draft as the editor stands (None when there is nothing)."""
        if self.meeting_id is None:
            return None
        if part == PART_DETAILS:
            return f"{DRAFT_FORM}:meetings:{self.meeting_id}"
        if part == PART_AGENDA:
            item = self._agenda_item_id
            return None if item is None else f"{DRAFT_FORM}:agenda_items:{item}"
        if part == PART_POLL:
            if self._poll_id is not None:
                return f"{DRAFT_FORM}:polls:{self._poll_id}"
            return f"{DRAFT_FORM}:new_poll:{self.meeting_id}"
        return f"{DRAFT_FORM}:new_agenda_item:{self.meeting_id}"

    def _keep_draft(self, part: str) -> None:
        """Keep what is typed in ``part`` as a draft: it could not be saved yet. Never raises
        (a draft the database will not take is tried again at the next pause)."""
        key = self._draft_key(part)
        if key is None or self.detail is None:
            return
        fields = read_fields(self._part_fields(part))
        if self._draft_last.get(key) == fields:
            return
        meeting_id = self.meeting_id
        at = drafts.meeting_words(self.detail.forum_name, self.detail.meeting_date)
        record: tuple[str, uuid.UUID] = ("meetings", self.detail.id)
        context: dict[str, Any] = {"part": part, "meeting_id": meeting_id}
        label = f"the details of {at}"
        if part == PART_AGENDA and self._agenda_item_id is not None:
            row = self.agenda_model.row_of(self._agenda_item_id)
            item = self.agenda_model.row_at(row) if row >= 0 else None
            shown = f" (item {item.position}, {drafts.quoted(item.title)})" if item else ""
            label = f"the minutes of {at}{shown}"
            record = ("agenda_items", self._agenda_item_id)
            context["item_id"] = self._agenda_item_id
        elif part == PART_POLL:
            label = f"a quick poll at {at}"
            if self._poll_id is not None:
                record = ("polls", self._poll_id)
            context["poll_id"] = self._poll_id
        elif part == PART_NEW_ITEM:
            label = f"a new agenda item for {at}"

        def kept(_draft_id: uuid.UUID) -> None:
            self._drafts_written[key] = part
            self._draft_last[key] = fields

        draft_ops.save_draft(
            self,
            self.ctx,
            key=key,
            form=DRAFT_FORM,
            label=label,
            fields=fields,
            context=context,
            record=record,
        ).failure(_tried_again).success(kept).wait()

    def _drop_draft(self, key: str | None) -> None:
        """Drop a draft this editor wrote (its text was saved). Costs nothing when none was."""
        if key is None or key not in self._drafts_written:
            return
        if draft_ops.drop_draft(self, self.ctx, key).failure(_tried_again).wait().ok:
            self._drafts_written.pop(key, None)
            self._draft_last.pop(key, None)

    def drop_drafts(self) -> None:
        """What was typed here is thrown away on purpose (Reload, "Leave without saving", the
        meeting deleted): its drafts go too."""
        self.idle_timer.stop()
        for key in list(self._drafts_written):
            self._drop_draft(key)

    def _unsaved(self, part: str, problem: str) -> bool:
        """The idle save could not save ``part``: keep it as a draft and say so on the status
        line only (no question and no red field while typing). Returns False."""
        self._keep_draft(part)
        self._set_save_state(f"Not saved yet, kept as a draft ({datetime.now():%H:%M}): {problem}")
        return False

    def apply_draft(self, draft: Draft) -> bool:
        """Put a recovered draft of the loaded meeting back where it was typed and save it
        through the same save function as leaving the field: a problem then shows at the
        field and the draft stays until it is put right. False when its item has gone."""
        part = str(draft.context.get("part", ""))
        named = self._part_fields(part)
        if part == PART_AGENDA:
            item_id = uuid.UUID(str(draft.context.get("item_id")))
            if self.agenda_model.row_of(item_id) < 0:
                return False
            self.tabs.setCurrentIndex(TAB_AGENDA)
            self._select_agenda(item_id)
        elif part == PART_POLL:
            self.tabs.setCurrentIndex(TAB_POLLS)
            poll_id = draft.context.get("poll_id")
            if poll_id:
                row = self.polls_model.row_of(uuid.UUID(str(poll_id)))
                if row < 0:
                    return False
                self.polls_table.select_row(row)
            else:
                self.new_poll()
        elif part == PART_NEW_ITEM:
            self.tabs.setCurrentIndex(TAB_AGENDA)
        elif part == PART_DETAILS:
            self.tabs.setCurrentIndex(TAB_DETAILS)
        else:
            return False
        apply_fields(named, draft.fields, only_changed=False)
        self._drafts_written[draft.key] = part
        if part == PART_DETAILS:
            self.save_details()
        elif part == PART_AGENDA:
            self.save_agenda_item()
        elif part == PART_POLL:
            self.save_poll()
        else:
            self.add_agenda_item()
        return True

    # === loading ===============================================================================

    def load(self, meeting_id: uuid.UUID) -> None:
        """Show ``meeting_id`` (every field and list re-read from core). Raises
        ``NotFoundError`` when it is not in the database (the caller says so)."""
        self.meeting_id = meeting_id
        self._agenda_item_id = None
        self._agenda_saved = None
        self.details_errors.clear()
        self.agenda_errors.clear()
        self.find_edit.clear()
        self.suggestions.clear()
        self._show_poll(None)
        self.register_feedback.setText(
            "Enter marks the top match present (Up and Down choose another); "
            "with no match, Enter adds a new person."
        )
        self._show_parts(meetings.get_meeting(self.ctx.db, meeting_id))
        self._version = self.detail.version if self.detail is not None else None
        self._fill_details()
        self._load_agenda_item(self.agenda_table.current_row())
        self._set_save_state("")

    def reload_parts(self) -> None:
        """Re-read the meeting's lists and header; the fields being typed in are left alone.

        A meeting deleted meanwhile leaves them as they are: whoever deleted it says so (this
        editor's Delete, whose announcement comes before the editor lets the meeting go, or,
        for someone else, the next save's "no longer in the database")."""
        if self.meeting_id is None:
            return
        try:
            detail = meetings.get_meeting(self.ctx.db, self.meeting_id)
        except NotFoundError:  # a read: the meeting went; see above for who says so
            return
        self._show_parts(detail)

    def _show_parts(self, detail: MeetingDetail) -> None:
        """Show the header and lists of ``detail`` (never the fields being typed in)."""
        self._loading = True
        try:
            self.detail = detail
            self.title_label.setText(
                f"<b>{_esc(detail.forum_name)}</b> — {widgets.format_date(detail.meeting_date)}"
                f" — {_esc(detail.status.label)} <span>({_esc(detail.reference)},"
                f" {_esc(detail.locality_name)})</span>"
            )
            self.title_label.setAccessibleDescription(self.title_label.text())
            self._reload_table(self.agenda_table, self.agenda_model, detail.agenda)
            self._reload_table(self.register_table, self.register_model, detail.register)
            self._reload_table(self.payments_table, self.payments_model, detail.payments)
            self._reload_table(self.experience_table, self.experience_model, detail.experience)
            self._reload_table(self.actions_table, self.actions_model, detail.actions)
            self._reload_table(self.matters_table, self.matters_model, detail.matters_arising)
            self._reload_table(self.polls_table, self.polls_model, detail.polls)
            for category, spin in self.unnamed_spins.items():
                if not spin.hasFocus():
                    spin.blockSignals(True)
                    spin.setValue(detail.unnamed.get(category, 0))
                    spin.blockSignals(False)
            self._update_register_counts()
            rate = get_settings(self.ctx.db).default_payment_pence
            self.rate_label.setText(
                f"The trust's rate is £{widgets.format_pounds(rate)} per session; it is filled "
                "in for each new payment and can be changed."
            )
            self.tabs.setTabText(TAB_REGISTER, f"Regis&ter ({len(detail.register)})")
            self.tabs.setTabText(TAB_EXPERIENCE, f"E&xperience ({len(detail.experience)})")
            self.tabs.setTabText(TAB_ACTIONS, f"A&ctions ({len(detail.actions)})")
            self.tabs.setTabText(TAB_MATTERS, f"&Matters arising ({len(detail.matters_arising)})")
            self.tabs.setTabText(TAB_POLLS, f"Pol&ls ({len(detail.polls)})")
        finally:
            self._loading = False

    @staticmethod
    def _reload_table(table: widgets.RecordTable, model: Any, rows: list[Any]) -> None:
        """Replace a table's rows keeping the selected record selected."""
        current = table.current_row()
        selected_id = model.id_at(current) if current >= 0 else None
        model.set_rows(rows)
        # A meeting's lists are short: cheap. A reset forgets which column stretches.
        table.fit_columns(getattr(table, "stretch_column", None))
        if selected_id is not None:
            table.select_row(model.row_of(selected_id))

    def _fill_details(self) -> None:
        detail = self.detail
        if detail is None:
            return
        widgets.fill_combo(self.forum_combo, forum_choices(self.ctx), keep=False)
        if widgets.find_data(self.forum_combo, detail.forum_id) < 0:  # an inactive forum
            text = f"{detail.locality_name}: {detail.forum_name}"
            self.forum_combo.addItem(text, detail.forum_id)
        widgets.select_data(self.forum_combo, detail.forum_id)
        self.date_edit.set_value(detail.meeting_date)
        self.start_edit.set_value(detail.start_time)
        self.end_edit.set_value(detail.end_time)
        self.venue_edit.setText(detail.venue)
        widgets.select_data(self.format_combo, detail.format)
        widgets.select_data(self.status_combo, detail.status)
        self.chair_edit.setText(detail.chair)
        self.minute_taker_edit.setText(detail.minute_taker)
        self.notes_edit.setPlainText(detail.notes)
        self._saved_input = self._details_input_or_none()

    def _set_save_state(self, text: str) -> None:
        self.save_state.setText(text)
        self.save_state.setVisible(bool(text))

    def _saved(self) -> None:
        self._set_save_state(f"All changes saved ({datetime.now():%H:%M}).")

    def _not_saved(
        self, part: str, exc: CoordinatorError, *, idle: bool, title: str = "Not saved"
    ) -> None:
        """A save of ``part`` refused by someone else's change or with a sentence (a broken
        rule is each save's own): from the idle timer, the status line says so and it is kept
        as a draft (``_unsaved``); else it is kept as a draft and the conflict asked
        (``_conflict``) or the sentence shown."""
        if idle:
            self._unsaved(part, CONFLICT_LATER if isinstance(exc, ConflictError) else str(exc))
            return
        self._keep_draft(part)
        if isinstance(exc, ConflictError):
            self._conflict(exc)
        else:
            widgets.inform(self, title, str(exc))

    def _conflict(self, exc: ConflictError) -> None:
        """Someone else saved this meeting first; nothing of this save was written. Reload
        shows the saved meeting (dropping what is typed here); Keep editing leaves it all on
        screen, unsaved, and the next save meets the same question."""
        if self._resolving or self.meeting_id is None:
            return
        meeting_id = self.meeting_id
        self._resolving = True
        try:
            if not widgets.ask_conflict(self, str(exc)):
                self._set_save_state(
                    "Not saved: someone else changed this meeting. Your edits are still here; "
                    "reload to see theirs."
                )
                return
            self.drop_drafts()  # Reload throws what was typed here away, on purpose
            try:
                self.load(meeting_id)
            except NotFoundError as gone:  # a read: deleted by them; said here, then let go
                widgets.inform(self, "Meeting gone", str(gone))
                self.meeting_id = None
                self.detail = None
                self._saved_input = None
                self._agenda_item_id = None
                self.ctx.events.meetingsChanged.emit(str(meeting_id))
                self.deleted.emit(meeting_id)
                return
            self._set_save_state("Reloaded: this is the meeting as saved, with their changes.")
            self.ctx.events.meetingsChanged.emit(str(meeting_id))
        finally:
            self._resolving = False

    # === details ===============================================================================

    def _details_input(self) -> MeetingInput:
        problems: dict[str, str] = {}
        parsed: dict[str, Any] = {}
        for name, edit in (
            ("meeting_date", self.date_edit),
            ("start_time", self.start_edit),
            ("end_time", self.end_edit),
        ):
            try:
                parsed[name] = edit.value()
            except ValueError as exc:
                problems[name] = str(exc)
        if problems:
            raise ValidationError(problems)
        return MeetingInput(
            forum_id=self.forum_combo.currentData(),
            meeting_date=parsed["meeting_date"],
            start_time=parsed["start_time"],
            end_time=parsed["end_time"],
            venue=self.venue_edit.text().strip(),
            format=self.format_combo.currentData(),
            status=self.status_combo.currentData(),
            chair=self.chair_edit.text().strip(),
            minute_taker=self.minute_taker_edit.text().strip(),
            notes=self.notes_edit.toPlainText(),
        )

    def _details_input_or_none(self) -> MeetingInput | None:
        try:
            return self._details_input()
        except ValidationError:
            return None

    def details_dirty(self) -> bool:
        return self.meeting_id is not None and self._details_input_or_none() != self._saved_input

    def save_details(self) -> bool:
        """Save the Details tab if changed. False (with the problem at the field) if not saved."""
        return self._save_details(idle=False)

    def _save_details(self, *, idle: bool) -> bool:
        """``idle``: from the idle timer (see ``_unsaved``). What is not saved is kept as a
        draft either way."""
        if self._loading or self.meeting_id is None:
            return True
        key = self._draft_key(PART_DETAILS)
        if self._resolving:
            self._keep_draft(PART_DETAILS)
            return False
        try:
            data = self._details_input()
        except ValidationError as exc:
            return self._details_refused(exc, idle=idle)
        if data == self._saved_input and not self.details_errors.has_errors():
            self._drop_draft(key)
            return True
        outcome = (
            meeting_ops.update_meeting(
                self, self.ctx, self.meeting_id, data, expected_version=self._version
            )
            .validation(lambda exc: self._details_refused(exc, idle=idle))
            .conflict(lambda exc: self._not_saved(PART_DETAILS, exc, idle=idle))
            .failure(lambda exc: self._not_saved(PART_DETAILS, exc, idle=idle))
            .wait()
        )
        if not outcome.ok:
            return False
        self._version = outcome.value
        self.details_errors.clear()
        self._saved_input = data
        self._drop_draft(key)
        self._saved()
        return True

    def _details_refused(self, exc: ValidationError, *, idle: bool) -> bool:
        if idle:
            return self._unsaved(PART_DETAILS, " ".join(exc.problems.values()))
        self._keep_draft(PART_DETAILS)
        self.details_errors.show(exc.problems, focus=False)
        self._set_save_state("Not saved yet: please put right the problem shown on Details.")
        return False

    # === agenda ================================================================================

    def _agenda_row_changed(self, current: Any, _previous: Any) -> None:
        if self._loading:
            return
        if self._agenda_item_id is not None and self.agenda_model.row_of(self._agenda_item_id) >= 0:
            self.save_agenda_item()
        self._load_agenda_item(current.row() if current.isValid() else -1)

    def _load_agenda_item(self, row: int) -> None:
        self.agenda_errors.clear()
        item = self.agenda_model.row_at(row) if row >= 0 else None
        self._agenda_item_id = item.id if item else None
        for edit in (self.item_title_edit, self.item_discussion_edit, self.item_decisions_edit):
            edit.setEnabled(item is not None)
        self.item_title_edit.setText(item.title if item else "")
        self.item_discussion_edit.setPlainText(item.discussion if item else "")
        self.item_decisions_edit.setPlainText(item.decisions if item else "")
        self._agenda_saved = self._agenda_values() if item else None

    def _agenda_values(self) -> tuple[str, str, str]:
        return (
            self.item_title_edit.text().strip(),
            self.item_discussion_edit.toPlainText(),
            self.item_decisions_edit.toPlainText(),
        )

    def agenda_dirty(self) -> bool:
        return self._agenda_item_id is not None and self._agenda_values() != self._agenda_saved

    def save_agenda_item(self) -> bool:
        return self._save_agenda_item(idle=False)

    def _save_agenda_item(self, *, idle: bool) -> bool:
        if self._loading or self._agenda_item_id is None or self.meeting_id is None:
            return True
        key = self._draft_key(PART_AGENDA)
        if not self.agenda_dirty():
            self._drop_draft(key)  # typed back to what is saved: nothing left to keep
            return True
        if self._resolving:
            self._keep_draft(PART_AGENDA)
            return False
        title, discussion, decisions = self._agenda_values()

        def refused(exc: ValidationError) -> None:
            if idle:
                self._unsaved(PART_AGENDA, " ".join(exc.problems.values()))
                return
            self._keep_draft(PART_AGENDA)
            self.agenda_errors.show(exc.problems, fallback="title", focus=False)
            self._set_save_state("Not saved yet: please put right the problem shown on Agenda.")

        outcome = (
            meeting_ops.update_agenda_item(
                self,
                self.ctx,
                self.meeting_id,
                self._agenda_item_id,
                title=title,
                discussion=discussion,
                decisions=decisions,
                expected_version=self._version,
            )
            .validation(refused)
            .conflict(lambda exc: self._not_saved(PART_AGENDA, exc, idle=idle))
            .failure(lambda exc: self._not_saved(PART_AGENDA, exc, idle=idle))
            .wait()
        )
        if not outcome.ok:
            return False
        self._version = outcome.value
        self.agenda_errors.clear()
        self._agenda_saved = (title, discussion, decisions)
        self._drop_draft(key)
        self._saved()
        return True

    def add_agenda_item(self) -> None:
        if self.meeting_id is None or not self.save_agenda_item():
            return
        title = self.agenda_new_edit.text().strip()
        self.agenda_new_error.hide()
        version = self._version

        def refused(exc: ValidationError) -> None:
            self.agenda_new_error.setText("Error: " + " ".join(exc.problems.values()))
            self.agenda_new_error.show()
            self.agenda_new_edit.setStyleSheet(widgets.INVALID_STYLE)

        outcome = (
            meeting_ops.add_agenda_item(
                self, self.ctx, self.meeting_id, title, expected_version=version
            )
            .validation(refused)
            .conflict(self._conflict)
            .wait()
        )
        if not outcome.ok or outcome.value is None:
            return
        if version is not None:  # the core's contract: adding an item adds exactly one
            self._version = version + 1
        self.agenda_new_edit.setStyleSheet("")
        self.agenda_new_edit.clear()
        self._drop_draft(self._draft_key(PART_NEW_ITEM))
        self._saved()
        self._select_agenda(outcome.value)

    def _select_agenda(self, item_id: uuid.UUID) -> None:
        row = self.agenda_model.row_of(item_id)
        if row >= 0:
            self.agenda_table.select_row(row)
            self._load_agenda_item(row)

    def move_agenda_item(self, delta: int) -> None:
        if self.meeting_id is None or self._agenda_item_id is None or not self.save_agenda_item():
            return
        item_id = self._agenda_item_id
        outcome = (
            meeting_ops.move_agenda_item(
                self, self.ctx, self.meeting_id, item_id, delta, expected_version=self._version
            )
            .conflict(self._conflict)
            .wait()
        )
        if not outcome.ok:
            return
        self._version = outcome.value
        self._saved()
        self._select_agenda(item_id)

    def remove_agenda_item(self) -> None:
        row, meeting_id = self.agenda_table.current_row(), self.meeting_id
        if row < 0 or meeting_id is None:
            return
        item = self.agenda_model.row_at(row)
        if not widgets.confirm(
            self,
            "Remove agenda item?",
            f"Remove item {item.position}, “{item.title}”, and its notes?",
        ):
            return
        outcome = (
            meeting_ops.delete_agenda_item(
                self, self.ctx, meeting_id, item.id, expected_version=self._version
            )
            .conflict(self._conflict)
            .wait()
        )
        if not outcome.ok:
            return
        self._version = outcome.value
        self._drop_draft(f"{DRAFT_FORM}:agenda_items:{item.id}")
        self._agenda_item_id = None
        self._saved()
        self._load_agenda_item(self.agenda_table.current_row())

    # === register ==============================================================================

    def _find_text_changed(self, text: str) -> None:
        self.suggestions.clear()
        if not text.strip() or self.detail is None:
            return
        on_register = {r.participant_id: r.status for r in self.register_model.rows()}
        for person in people.find_participants(
            self.ctx.db, text, limit=SUGGESTION_LIMIT, forum_id=self.detail.forum_id
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

    def _find_keys(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.suggestions.count():
            step = 1 if key == Qt.Key.Key_Down else -1
            row = min(max(self.suggestions.currentRow() + step, 0), self.suggestions.count() - 1)
            self.suggestions.setCurrentRow(row)
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

    def set_attendance(self, participant_id: uuid.UUID, status: AttendanceStatus) -> bool:
        if self.meeting_id is None:
            return False
        outcome = (
            meeting_ops.set_attendance(
                self,
                self.ctx,
                self.meeting_id,
                participant_id,
                status,
                expected_version=self._version,
            )
            .conflict(self._conflict)
            .wait()
        )
        if not outcome.ok:
            return False
        self._version = outcome.value
        self._saved()
        row = self.register_model.row_of(participant_id)
        if row >= 0:
            name = self.register_model.row_at(row).name
            self.register_table.select_row(row)
            self.register_feedback.setText(f"{name}: {STATUS_TEXT[status].lstrip('✓✗ ')}.")
        return True

    def new_person(self) -> None:
        """Add someone new from the register (the typed name filled in) and mark them present."""
        if self.detail is None:
            return
        participant_id = ParticipantDialog.ask(
            self.ctx, self, name=self.find_edit.text(), locality_id=self.detail.locality_id
        )
        if participant_id is not None:
            self._mark_present(participant_id)
        else:
            self.find_edit.setFocus()

    def mark_selected(self, status: AttendanceStatus) -> None:
        row = self.register_table.current_row()
        if row >= 0:
            self.set_attendance(self.register_model.id_at(row), status)

    def remove_selected(self) -> None:
        row = self.register_table.current_row()
        if row < 0 or self.meeting_id is None:
            return
        person = self.register_model.row_at(row)
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
                self.meeting_id,
                person.participant_id,
                expected_version=self._version,
            )
            .conflict(self._conflict)
            .wait()
        )
        if not outcome.ok:
            return
        self._version = outcome.value
        self._saved()
        self.register_feedback.setText(f"{person.name} was taken off the register.")

    def _register_keys(self, event: QKeyEvent) -> bool:
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
        if self._loading or self.meeting_id is None:
            return
        outcome = (
            meeting_ops.set_unnamed(
                self, self.ctx, self.meeting_id, category, count, expected_version=self._version
            )
            .conflict(self._conflict)
            .wait()
        )
        if outcome.ok:
            self._version = outcome.value
            self._saved()

    def _update_register_counts(self) -> None:
        counts = self.register_model.counts()
        unnamed = sum(spin.value() for spin in self.unnamed_spins.values())
        self.register_counts.setText(
            f"Present: {counts[AttendanceStatus.PRESENT]}   "
            f"Apologies: {counts[AttendanceStatus.APOLOGIES]}   "
            f"Absent: {counts[AttendanceStatus.ABSENT]}   Unnamed: {unnamed}"
        )

    # === payments ==============================================================================

    def _register_people(self) -> list[tuple[uuid.UUID, str]]:
        return [
            (r.participant_id, r.name)
            for r in self.register_model.rows()
            if r.status == AttendanceStatus.PRESENT
        ]

    def add_payment(self) -> None:
        if self.meeting_id is None:
            return
        paid = {p.participant_id for p in self.payments_model.rows()}
        choices = [(pid, name) for pid, name in self._register_people() if pid not in paid]
        if not choices:
            widgets.inform(
                self, "Add payment", "Everyone marked present already has a payment recorded."
            )
            return
        if PaymentDialog.ask(
            self.ctx,
            self.meeting_id,
            choices,
            self,
            default_pence=get_settings(self.ctx.db).default_payment_pence,
        ):
            self._saved()

    def offer_payments(self) -> None:
        """The trust's rate offered, in one step, to everyone present not yet recorded (journey
        step 6: the sign-in sheet's Pay column ticked by most of the room)."""
        if self.meeting_id is None:
            return
        outcome = meeting_ops.offer_payments(self, self.ctx, self.meeting_id).wait()
        if not outcome.ok:
            return
        offered = outcome.value or 0
        if offered == 0:
            widgets.inform(
                self,
                "Offer to everyone present",
                "Everyone marked present already has a payment recorded, or is staff or from a "
                "partner organisation.",
            )
            return
        self._saved()
        people = "person" if offered == 1 else "people"
        self._set_save_state(
            f"Payment offered to {offered} {people}: mark each paid or declined "
            f"({datetime.now():%H:%M})."
        )

    def edit_payment(self, row: int) -> None:
        if row < 0 or self.meeting_id is None:
            return
        payment = self.payments_model.row_at(row)
        if PaymentDialog.ask(
            self.ctx, self.meeting_id, self._register_people(), self, payment=payment
        ):
            self._saved()

    def remove_payment(self) -> None:
        """Ask, then remove the chosen payment in the background (``run``: nothing here waits
        for it; the list follows when the operation tells the page)."""
        row, meeting_id = self.payments_table.current_row(), self.meeting_id
        if row < 0 or meeting_id is None:
            return
        payment = self.payments_model.row_at(row)
        if not widgets.confirm(
            self, "Remove payment?", f"Remove the payment record for {payment.name}?", yes="Remove"
        ):
            return
        meeting_ops.remove_payment(self, self.ctx, meeting_id, payment.id).success(
            lambda _none: self._saved()
        ).run()

    # === experience ============================================================================

    def add_experience(self) -> None:
        if self.meeting_id is not None and ExperienceDialog.ask(self.ctx, self.meeting_id, self):
            self._saved()

    def edit_experience(self, row: int) -> None:
        if (
            row >= 0
            and self.meeting_id is not None
            and ExperienceDialog.ask(
                self.ctx, self.meeting_id, self, item=self.experience_model.row_at(row)
            )
        ):
            self._saved()

    def delete_experience(self) -> None:
        """Ask, then delete the chosen item in the background (``run``, as ``remove_payment``)."""
        row, meeting_id = self.experience_table.current_row(), self.meeting_id
        if row < 0 or meeting_id is None:
            return
        item = self.experience_model.row_at(row)
        if not widgets.confirm(
            self,
            "Delete experience item?",
            f"Delete this {item.kind.label.lower()} and its response?",
        ):
            return
        meeting_ops.delete_experience(self, self.ctx, meeting_id, item.id).success(
            lambda _none: self._saved()
        ).run()

    # === actions ===============================================================================

    def raise_action(self) -> None:
        if self.detail is None:
            return
        if ActionDialog.ask(
            self.ctx, self, locality_id=self.detail.locality_id, meeting_id=self.detail.id
        ):
            self._saved()

    def edit_action(self, row: int) -> None:
        if row < 0 or self.detail is None:
            return
        # The full action editor (progress log, closing with the "we did"), as on the tracker.
        from ..dialogs.action_editor import ActionEditor

        action = self.actions_model.row_at(row)
        saved, source = ActionEditor.ask(
            self.ctx,
            action.id,
            self,
            locality_id=self.detail.locality_id,
            meeting_id=self.detail.id,
        )
        if saved is not None:
            self._saved()
        self._open_source(source)

    def update_matter(self, row: int) -> None:
        """A matter arising in the full action editor (it stays the earlier meeting's action)."""
        if row < 0 or self.detail is None:
            return
        from ..dialogs.action_editor import ActionEditor

        action = self.matters_model.row_at(row)
        saved, source = ActionEditor.ask(self.ctx, action.id, self)
        if saved is not None:
            self._saved()
            self.reload_parts()  # its latest progress (or its closing) shows here at once
        self._open_source(source)

    def _open_source(self, source: Any) -> None:
        """The editor's "Open" beside a meeting it was raised from closes it and asks for that
        meeting (for a matter arising, an earlier one): open it here, else the button would
        only close the editor. (A standard check's assessment opens from the Actions page.)"""
        meeting_id = getattr(source, "meeting_id", None)
        if meeting_id is not None and meeting_id != self.meeting_id:
            self.openRequested.emit(meeting_id)

    def _start_project(self, **link: Any) -> None:
        """Open the project dialog pre-filled from the experience item or action in ``link``."""
        try:
            if "item_id" in link:
                prefill = projects.experience_prefill(self.ctx.db, link["item_id"])
            else:
                prefill = projects.action_prefill(self.ctx.db, link["action_id"])
        except CoordinatorError as exc:  # a read: the item or action went meanwhile
            widgets.inform(self, "Cannot start a project", str(exc))
            return
        project_id = ProjectDialog.ask(self.ctx, self, prefill=prefill, **link)
        if project_id is not None:
            self._saved()
            self._set_save_state(
                f"Improvement project “{prefill.title}” started; add the people involved on the "
                "Projects page."
            )
            self.projectStarted.emit(project_id)

    def start_project_from_experience(self) -> None:
        row = self.experience_table.current_row()
        if row < 0:
            widgets.inform(self, "Choose an item", "Choose the experience item to start from.")
            return
        self._start_project(item_id=self.experience_model.row_at(row).id)

    def start_project_from_action(self) -> None:
        row = self.actions_table.current_row()
        if row < 0:
            widgets.inform(self, "Choose an action", "Choose the action to start from.")
            return
        self._start_project(action_id=self.actions_model.row_at(row).id)

    # === quick polls ===========================================================================

    def _poll_values(self) -> tuple[str, str]:
        return (self.poll_question_edit.text(), self.poll_answers_edit.toPlainText())

    def poll_dirty(self) -> bool:
        """True when the poll form holds typing not yet saved (a blank new form is not)."""
        values = self._poll_values()
        if self._poll_id is None and not any(v.strip() for v in values):
            return False
        return values != self._poll_saved

    def _show_poll(self, row: Any) -> None:
        self.poll_errors.clear()
        self._poll_id = None if row is None else row.id
        question = "" if row is None else row.question
        answers = "" if row is None else polls.answers_as_lines(row.answers)
        self.poll_question_edit.setText(question)
        self.poll_answers_edit.setPlainText(answers)
        self._poll_saved = (question, answers)
        self.poll_chart.set_answers(question, [] if row is None else row.answers)
        self.poll_trend_box.hide()

    def _poll_row_changed(self, current: Any, _previous: Any) -> None:
        if self._loading:
            return
        row = current.row() if current.isValid() else -1
        new_row = self.polls_model.row_at(row) if row >= 0 else None
        if new_row is not None and new_row.id == self._poll_id:
            return
        if self.poll_dirty() and not self.save_poll():
            return
        self._show_poll(new_row)

    def _poll_keys(self, event: QKeyEvent) -> bool:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.save_poll()
            return True
        return False

    def new_poll(self) -> None:
        if self.poll_dirty() and not self.save_poll():
            return
        self.polls_table.clearSelection()
        self._show_poll(None)
        self.poll_question_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def save_poll(self) -> bool:
        """Save the poll being typed (a new one, or the chosen one). False when refused: the
        sentence is shown at its field and nothing is saved."""
        return self._save_poll(idle=False)

    def _save_poll(self, *, idle: bool) -> bool:
        """``idle``: from the idle timer; the saved poll's lines then stay as typed (shown
        tidied only when the poll is left or saved by its button)."""
        if self.meeting_id is None:
            return True
        key = self._draft_key(PART_POLL)
        question, text = self._poll_values()
        answers = polls.parse_answer_lines(text)
        meeting_id, poll_id = self.meeting_id, self._poll_id

        def refused(exc: ValidationError) -> None:
            if idle:
                self._unsaved(PART_POLL, " ".join(exc.problems.values()))
                return
            self._keep_draft(PART_POLL)
            self.poll_errors.show(exc.problems, fallback="answers")

        def not_saved(exc: CoordinatorError) -> None:
            self._not_saved(PART_POLL, exc, idle=idle, title="Poll not saved")

        op: Op[Any] = (
            meeting_ops.add_poll(self, self.ctx, meeting_id, question, answers)
            if poll_id is None
            else meeting_ops.update_poll(self, self.ctx, meeting_id, poll_id, question, answers)
        )
        outcome = op.validation(refused).conflict(not_saved).failure(not_saved).wait()
        if not outcome.ok:
            return False
        if poll_id is None:
            poll_id = outcome.value
        self.poll_errors.clear()
        self._poll_id = poll_id
        self._drop_draft(key)
        self._saved()
        self.reload_parts()  # the list shows it now (the page may read it again: cheap)
        row = self.polls_model.row_of(poll_id)
        if row >= 0:
            self._loading = True
            try:
                self.polls_table.select_row(row)
            finally:
                self._loading = False
            saved = self.polls_model.row_at(row)
            if idle:
                self._poll_saved = (question, text)
                self.poll_chart.set_answers(saved.question, saved.answers)
                return True
            trend_shown = self.poll_trend_box.isVisible()
            self._show_poll(saved)
            if trend_shown:
                self.compare_poll()
        return True

    def delete_poll(self) -> None:
        row, meeting_id = self.polls_table.current_row(), self.meeting_id
        if row < 0 or meeting_id is None:
            return
        poll = self.polls_model.row_at(row)
        if not widgets.confirm(self, "Delete quick poll?", f"Delete the poll “{poll.question}”?"):
            return
        if meeting_ops.delete_poll(self, self.ctx, meeting_id, poll.id).wait().ok:
            self._drop_draft(f"{DRAFT_FORM}:polls:{poll.id}")
            self._show_poll(None)
            self._saved()
            self.reload_parts()

    def compare_poll(self) -> None:
        """Show the chosen question's answers at every meeting of this locality that asked it."""
        question = self.poll_question_edit.text()
        if self.detail is None or not question.strip():
            self.poll_errors.show({"question": "Write or choose the question to compare."})
            return
        rows = polls.poll_trend(self.ctx.db, question, locality_id=self.detail.locality_id)
        self.poll_trend_model.set_rows(rows)
        self.poll_trend_table.fit_columns()
        if len(rows) <= 1:
            self.poll_trend_note.setText(
                "No other meeting in this locality asked this question yet."
            )
        else:
            self.poll_trend_note.setText(
                f"Asked at {len(rows)} meetings in {self.detail.locality_name}, oldest first."
            )
        self.poll_trend_box.show()

    # === the whole meeting =====================================================================

    def commit_pending(self) -> bool:
        """Save whatever is still being typed. False when something could not be saved (the
        problem is shown at its field)."""
        if self.meeting_id is None:
            return True
        ok = True
        if self.details_dirty() or self.details_errors.has_errors():
            ok = self.save_details() and ok
        if self.agenda_dirty():
            ok = self.save_agenda_item() and ok
        if self.poll_dirty():
            ok = self.save_poll() and ok
        return ok

    def plan_next(self) -> None:
        if self.meeting_id is None or not self.commit_pending():
            return
        outcome = meeting_ops.plan_next_meeting(self, self.ctx, self.meeting_id).wait()
        if outcome.ok and outcome.value is not None:
            self.openRequested.emit(outcome.value)

    def delete_meeting(self) -> None:
        if self.detail is None:
            return
        detail = self.detail
        if not widgets.confirm(
            self,
            "Delete meeting?",
            f"Delete the meeting of {detail.forum_name} on "
            f"{widgets.format_date(detail.meeting_date)} ({detail.reference}) with its register, "
            "agenda and payments? Actions and experience raised there are kept.",
        ):
            return
        outcome = (
            meeting_ops.delete_meeting(self, self.ctx, detail.id, expected_version=self._version)
            .conflict(self._conflict)
            .wait()
        )
        if not outcome.ok:
            return
        self.drop_drafts()
        self.meeting_id = None
        self.detail = None
        self._saved_input = None
        self._agenda_item_id = None
        self.deleted.emit(detail.id)


def _tried_again(_exc: CoordinatorError) -> None:
    """A draft the database would not take (or drop) just now: nothing is said while someone
    types; the next pause tries again (``DraftNotKept``)."""


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
