"""The full action editor: title, detail, owner, level, strategic priority, raised on, due on,
status and outcome; the dated progress log; where the action came from, with a button that opens
it. Used by the action tracker; the meeting screen can use it too (``ActionEditor.ask``).

Saving model (``RecordDialog``): Save is the one commit through ``actions.raise_action`` or
``actions.update_action``; a problem is shown at its field and nothing is saved. Closing (status
completed or cancelled) needs the outcome: choosing a closed status moves the keyboard to the
outcome and says so. Reopening clears the closed date (the core's rule). A progress note is its
own small commit ("Add note"), written at once with today's date.

Opening the source asks the page to show it (``sourceRequested``) after the dialog has closed,
so unsaved typing is offered for saving first.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import actions, drafts, meetings, staff
from ...core.actions import KEEP, ActionInput, ActionRow, ActionSource
from ...core.vocab import CLOSED_STATUSES, ActionLevel, ActionStatus
from .. import operations, widgets
from ..context import AppContext
from ..drafts import DraftAbout
from ..operations import actions as action_ops
from .record_dialog import (
    FieldProblem,
    RecordDialog,
    answered_item,
    answers_choices,
    hint_label,
    parse_field,
)

# Combos here never hold None as item data: reading it back drops a reference to None in
# PySide6 6.12 on Python 3.11 (see ``views.actions.ANY``); "" stands for "none chosen".
OUTCOME_PROMPT = "Say what was done (the 'we did') before closing the action."


class ActionEditor(RecordDialog):
    """Edit an action (``action_id``) or raise a new one (``action_id`` None: a locality is
    asked for, ``locality_id`` preselects it; ``meeting_id`` links it to a meeting).

    ``result_value`` is the saved action's id. ``source_chosen`` holds the source the user asked
    to open (``ActionSource``), read by ``ask``'s caller after the dialog closes."""

    cancel_text = "Ca&ncel"  #: C is Outcome, A Action, E Closed on, L Level

    sourceRequested = Signal(object)  #: an ActionSource

    def __init__(
        self,
        ctx: AppContext,
        action_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
        *,
        locality_id: uuid.UUID | None = None,
        meeting_id: uuid.UUID | None = None,
    ) -> None:
        self.action: ActionRow | None = (
            actions.get_action(ctx.db, action_id, today=ctx.today()) if action_id else None
        )
        title = f"Action {self.action.reference}" if self.action else "New action"
        super().__init__(ctx, title, parent)
        self.setAccessibleName(title)
        self.meeting_id = meeting_id
        self.source_chosen: ActionSource | None = None
        add = self.errors.add_row
        today = ctx.today()

        self.locality_combo = add(self.form, "L&ocality", "locality", QComboBox())
        localities = [loc for loc in meetings.list_localities(ctx.db) if loc.active]
        widgets.fill_combo(
            self.locality_combo,
            [("Choose a locality…", ""), *((loc.name, loc.id) for loc in localities)],
            keep=False,
        )
        if locality_id is not None:
            widgets.select_data(self.locality_combo, locality_id)
        elif len(localities) == 1:
            self.locality_combo.setCurrentIndex(1)
        self.title_edit = add(self.form, "&Action", "title", QLineEdit())
        self.detail_edit = add(
            self.form, "&Detail", "detail", widgets.plain_text_edit("Detail", lines=3)
        )
        self.owner_edit = add(self.form, "O&wner", "owner", QLineEdit())
        widgets.suggest(self.owner_edit, staff.owner_choices(ctx.db))
        self.level_combo = add(self.form, "&Level", "level", QComboBox())
        widgets.fill_combo(self.level_combo, [(lv.label, lv) for lv in ActionLevel], keep=False)
        widgets.select_data(self.level_combo, ActionLevel.LOCALITY)
        self.priority_combo = add(
            self.form, "Strategic &priority", "strategic_priority", QComboBox()
        )
        priorities = actions.list_priorities(ctx.db, include_retired=True)
        current_priority = self.action.strategic_priority_id if self.action else None
        widgets.fill_combo(
            self.priority_combo,
            [
                ("None", ""),
                *(
                    (f"{p.name} (retired)" if p.retired else p.name, p.id)
                    for p in priorities
                    if not p.retired or p.id == current_priority
                ),
            ],
            keep=False,
        )
        self.raised_edit = add(self.form, "&Raised on", "raised_on", widgets.DateEdit(today=today))
        self.due_edit = add(self.form, "D&ue on", "due_on", widgets.DateEdit(today=today))
        self.status_combo = add(self.form, "S&tatus", "status", QComboBox())
        widgets.fill_combo(self.status_combo, [(s.label, s) for s in ActionStatus], keep=False)
        # When it was done: today by default, or the day it really was (an action finished in
        # November and recorded in December belongs to November's return).
        self.closed_edit = add(self.form, "Clos&ed on", "closed_on", widgets.DateEdit(today=today))
        self.outcome_edit = add(
            self.form,
            "Out&come (we did)",
            "outcome",
            widgets.plain_text_edit("Outcome (we did)", lines=3),
        )
        self.outcome_hint = hint_label(
            "Needed when the action is completed or cancelled: what was done, in words the "
            "people who raised it will understand."
        )
        self.form.addRow("", self.outcome_hint)
        # What was said that this answers: the experience heard at its meeting.
        self.answers_combo = add(self.form, "Answers w&hat was said", "answers", QComboBox())
        said_at = self.action.meeting_id if self.action is not None else meeting_id
        said = answers_choices(ctx, said_at)
        widgets.fill_combo(self.answers_combo, said, keep=False)
        holder = self.answers_combo.parentWidget()
        assert holder is not None
        self.form.setRowVisible(holder, bool(said))
        if self.action is not None and said:
            widgets.select_data(self.answers_combo, answered_item(ctx, self.action.id))

        main = self.layout()
        assert isinstance(main, QVBoxLayout)
        main.insertWidget(2, self._build_sources())
        main.insertWidget(3, self._build_log())

        if self.action is None:
            self.raised_edit.set_value(today)
            self.closed_edit.setEnabled(False)
            self._log_panel.hide()
            self._sources_panel.hide()
        else:
            holder = self.locality_combo.parentWidget()
            assert holder is not None  # FormErrors.add_row's holder
            self.form.setRowVisible(holder, False)
            self._fill(self.action)
            self._fill_sources()
        self._show_closed()
        self.status_combo.currentIndexChanged.connect(self._status_changed)
        self.mark_clean()
        # Wider than the other record dialogs: an action's title, its source and the hints
        # under the text boxes were cut off at 72 characters (the outcome hint drawn clipped).
        self.setMinimumWidth(max(self.minimumWidth(), self.fontMetrics().averageCharWidth() * 100))

    @classmethod
    def ask(
        cls,
        ctx: AppContext,
        action_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
        *,
        locality_id: uuid.UUID | None = None,
        meeting_id: uuid.UUID | None = None,
    ) -> tuple[uuid.UUID | None, ActionSource | None]:
        """Show modally: (the saved action's id or None, the source the user asked to open or
        None). Tests patch this."""
        dialog = cls(ctx, action_id, parent, locality_id=locality_id, meeting_id=meeting_id)
        saved = dialog.run()
        return saved, dialog.source_chosen

    def draft_about(self) -> DraftAbout:
        if self.action is not None:
            return DraftAbout(
                f"the action {self.action.reference} {drafts.quoted(self.action.title)}",
                ("actions", self.action.id),
                editing=True,
                reopen={"action_id": self.action.id, "meeting_id": self.meeting_id},
            )
        if self.meeting_id is not None:
            return DraftAbout(
                f"a new action at {drafts.meeting_title(self.ctx.db, self.meeting_id)}",
                ("meetings", self.meeting_id),
                reopen={"meeting_id": self.meeting_id},
            )
        return DraftAbout("a new action")

    def _fill(self, a: ActionRow) -> None:
        self.title_edit.setText(a.title)
        self.detail_edit.setPlainText(a.detail)
        self.owner_edit.setText(a.owner)
        widgets.select_data(self.level_combo, a.level)
        widgets.select_data(self.priority_combo, a.strategic_priority_id)
        self.raised_edit.set_value(a.raised_on)
        self.due_edit.set_value(a.due_on)
        widgets.select_data(self.status_combo, a.status)
        self.outcome_edit.setPlainText(a.outcome)
        self._fill_log()

    def reload_record(self) -> None:
        """Someone else saved the action first: show theirs (and the version read)."""
        assert self.action is not None
        self.action = actions.get_action(self.ctx.db, self.action.id, today=self.ctx.today())
        self.status_combo.blockSignals(True)  # no "say what was done" prompt for their status
        try:
            self._fill(self.action)
        finally:
            self.status_combo.blockSignals(False)
        self._show_closed()

    # --- parts ------------------------------------------------------------------------------

    def _build_sources(self) -> QWidget:
        panel = QWidget()
        box = QVBoxLayout(panel)
        box.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("<b>Raised from</b>")
        box.addWidget(heading)
        self._sources_box = QVBoxLayout()
        box.addLayout(self._sources_box)
        self._sources_panel = panel
        self.source_buttons: list[QPushButton] = []
        return panel

    def _fill_sources(self) -> None:
        assert self.action is not None
        action_id = self.action.id
        found = operations.read(
            self,
            "Action sources",
            lambda: actions.action_sources(self.ctx.db, action_id),
            quiet=True,
        )
        if found is None:
            found = []
        if not found:
            self._sources_box.addWidget(QLabel("Raised directly (not from a meeting)."))
        for source in found:
            row = QHBoxLayout()
            label = QLabel(source.text)
            label.setWordWrap(True)
            row.addWidget(label, 1)
            can_open = source.meeting_id is not None or source.assessment_id is not None
            button = QPushButton("Open")
            button.setAccessibleName(f"Open the {source.kind}: {source.text}")
            button.setEnabled(can_open)
            button.clicked.connect(lambda _c=False, s=source: self.open_source(s))
            row.addWidget(button)
            self.source_buttons.append(button)
            self._sources_box.addLayout(row)

    def _build_log(self) -> QWidget:
        panel = QWidget()
        box = QVBoxLayout(panel)
        box.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("<b>Progress</b>")
        box.addWidget(heading)
        self.log_list = QListWidget()
        self.log_list.setAccessibleName("Progress log, oldest first")
        self.log_list.setWordWrap(True)
        line = self.fontMetrics().lineSpacing() + 6
        self.log_list.setMinimumHeight(line * 3)
        self.log_list.setMaximumHeight(line * 7)
        box.addWidget(self.log_list)
        row = QHBoxLayout()
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("What has happened since? (saved with today's date)")
        self.note_edit.setAccessibleName("New progress note")
        self.add_note_button = QPushButton("Add &note")
        widgets.say_more(self.add_note_button, "Add the progress note")
        row.addWidget(self.note_edit, 1)
        row.addWidget(self.add_note_button)
        box.addLayout(row)
        self.note_error = widgets.FormErrors.error_label()
        box.addWidget(self.note_error)
        self.errors.register("note", self.note_edit, self.note_error)
        self.add_note_button.clicked.connect(self.add_note)
        # Enter adds the note and stays in the editor (the dialog's Save took it too, and
        # closed the editor with the note's typing half done).
        self._note_enter = widgets.EnterOnly(self.note_edit)
        self._note_enter.pressed.connect(self.add_note)
        self._log_panel = panel
        return panel

    def _fill_log(self) -> None:
        assert self.action is not None
        self.log_list.clear()
        log = actions.progress_log(self.ctx.db, self.action.id)
        if not log:
            item = QListWidgetItem("No progress noted yet.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.log_list.addItem(item)
        for entry in log:
            self.log_list.addItem(f"{widgets.format_date(entry.written_on)}  {entry.note}")
        self.log_list.scrollToBottom()

    # --- behaviour --------------------------------------------------------------------------

    def _show_closed(self) -> None:
        """The closed date is for a closed status only: the date recorded, else today."""
        closed = self.action.closed_on if self.action else None
        is_closed = self.status_combo.currentData() in CLOSED_STATUSES
        self.closed_edit.setEnabled(is_closed)
        if not is_closed:
            self.closed_edit.set_value(None)
        elif self.closed_edit.value() is None:
            self.closed_edit.set_value(closed or self.ctx.today())

    def _status_changed(self) -> None:
        self._show_closed()
        if (
            self.status_combo.currentData() in CLOSED_STATUSES
            and not self.outcome_edit.toPlainText().strip()
        ):
            self.errors.show({"outcome": OUTCOME_PROMPT}, focus=self.isVisible())
        else:
            self.errors.clear("outcome")

    def add_note(self) -> bool:
        """Save the typed progress note at once (its own commit); False when refused."""
        if self.action is None:
            return False
        self.errors.clear("note")
        outcome = (
            action_ops.add_progress(
                self, self.ctx, self.action.id, self.note_edit.text(), self.ctx.today()
            )
            .validation(lambda exc: self.errors.show(exc.problems))
            .failure(lambda exc: self.errors.show({"note": str(exc)}))
            .wait()
        )
        if not outcome.ok:
            return False
        self.note_edit.clear()
        self._fill_log()
        return True

    def open_source(self, source: ActionSource) -> None:
        """Close the editor (offering to save typing first) and ask for ``source``."""
        self.source_chosen = source
        if self.is_dirty() and not self.try_save():
            self.source_chosen = None
            return
        self.sourceRequested.emit(source)
        if self.result() != QDialog.DialogCode.Accepted:
            QDialog.done(self, QDialog.DialogCode.Rejected)  # nothing typed: no question

    def input(self) -> ActionInput:
        problems: dict[str, str] = {}
        raised_on = parse_field(problems, "raised_on", self.raised_edit.value)
        due_on = parse_field(problems, "due_on", self.due_edit.value)
        closed_on = parse_field(problems, "closed_on", self.closed_edit.value)
        if raised_on is None and "raised_on" not in problems:
            problems["raised_on"] = "Give the date the action was raised."
        if self.action is None and not self.locality_combo.currentData():
            problems["locality"] = "Choose the locality the action belongs to."
        if problems:
            raise FieldProblem(problems)
        return ActionInput(
            title=self.title_edit.text(),
            detail=self.detail_edit.toPlainText(),
            owner=self.owner_edit.text(),
            level=self.level_combo.currentData(),
            strategic_priority_id=self.priority_combo.currentData() or None,
            raised_on=raised_on,
            due_on=due_on,
            status=self.status_combo.currentData(),
            closed_on=closed_on if self.status_combo.currentData() in CLOSED_STATUSES else None,
            answers=self.answers_combo.currentData() if self.answers_combo.count() else KEEP,
        )

    def save(self) -> uuid.UUID:
        data = self.input()
        outcome = self.outcome_edit.toPlainText()
        today = self.ctx.today()
        if self.action is None:
            return action_ops.raise_action(
                self,
                self.ctx,
                locality_id=self.locality_combo.currentData(),
                data=data,
                meeting_id=self.meeting_id,
                outcome=outcome,
                today=today,
            ).call()
        action_id = self.action.id
        version = action_ops.update_action(
            self,
            self.ctx,
            action_id,
            data,
            outcome=outcome,
            today=today,
            expected_version=self.action.version,
            meeting_id=self.meeting_id,
        ).call()
        self.action = self.action._replace(version=version)
        return action_id
