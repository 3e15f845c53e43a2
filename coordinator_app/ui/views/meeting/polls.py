"""The Quick polls tab: questions put to the room, kept anonymously as a count per answer, typed
as a question and lines "answer = count", drawn as labelled bars and compared with the same
question at the locality's other meetings.

A poll is saved by its button (or Ctrl+Return), when another poll is chosen, when the typing
pauses and by the shell's ``commit_pending``: one operation (``add_poll`` for a new one, else
``update_poll``); a problem shows at its field and what could not be saved is kept as a draft
(part ``poll``). Saved from the idle timer, the lines stay as typed (tidied only when the poll
is left or saved by its button). Polls carry no meeting version.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QVBoxLayout, QWidget

from ....core import polls
from ....core.errors import CoordinatorError, ValidationError
from ....core.meetings import MeetingDetail
from ... import widgets
from ...drafts import forget_names, scrubbed
from ...operations import Op
from ...operations import meetings as meeting_ops
from ...widgets_poll_chart import PollChart, PollsModel, PollTrendModel
from .base import Host, KeyRelay, Split, Tab, buttons, hint, record_table, reload_table, stretch
from .drafts import DRAFT_FORM, PART_POLL


class PollsTab(Tab):
    def __init__(self, host: Host) -> None:
        super().__init__(host)
        #: The poll the form shows (None: a new one), and its text as last saved or shown.
        self.poll_id: uuid.UUID | None = None
        self._poll_saved: tuple[str, str] = ("", "")
        #: True while the list's selection is moved here (not by the user).
        self._selecting = False
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "Quick polls put to the room, kept anonymously: a question and a count per "
                'answer, one answer a line as "answer = count".'
            )
        )
        split = Split((2, 3))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.polls_model = PollsModel(parent=self)
        self.polls_table = record_table(left_layout, "Quick polls", self.polls_model)
        row, (self.poll_new_button, self.poll_delete_button) = buttons(
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
        row, (self.poll_save_button, self.poll_compare_button) = buttons(
            ("&Save poll", "Save quick poll"),
            ("Compare with earl&ier meetings", "Compare with earlier meetings"),
        )
        self.poll_save_button.setToolTip("Save the poll (Ctrl+Return)")
        right_layout.addLayout(row)
        self.poll_chart = PollChart()
        right_layout.addWidget(self.poll_chart)
        self.poll_trend_box = QGroupBox("The same question at other meetings")
        trend_layout = QVBoxLayout(self.poll_trend_box)
        self.poll_trend_note = hint("")
        trend_layout.addWidget(self.poll_trend_note)
        self.poll_trend_model = PollTrendModel(parent=self)
        self.poll_trend_table = record_table(trend_layout, "Poll trend", self.poll_trend_model)
        self.poll_trend_box.hide()
        right_layout.addWidget(self.poll_trend_box, 1)
        right_layout.addStretch(0)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        stretch(self.polls_table, 0)  # the question
        layout.addWidget(split, 1)

        self.polls_table.selectionModel().currentRowChanged.connect(self._poll_row_changed)
        self.poll_new_button.clicked.connect(self.new_poll)
        self.poll_delete_button.clicked.connect(self.delete_poll)
        self.polls_table.deleteRequested.connect(lambda _row: self.delete_poll())
        self.poll_save_button.clicked.connect(self.save_poll)
        self.poll_compare_button.clicked.connect(self.compare_poll)
        KeyRelay(self.poll_answers_edit, self._poll_keys)
        KeyRelay(self.poll_question_edit, self._poll_keys)
        self.poll_question_edit.textEdited.connect(host.typed)
        self.poll_answers_edit.textChanged.connect(host.typed)

    def fields(self) -> dict[str, QWidget]:
        """The fields a draft of the poll holds, by their names in the draft."""
        return {"question": self.poll_question_edit, "answers": self.poll_answers_edit}

    def show_parts(self, detail: MeetingDetail) -> None:
        reload_table(self.polls_table, self.polls_model, detail.polls)

    def _poll_values(self) -> tuple[str, str]:
        return (self.poll_question_edit.text(), self.poll_answers_edit.toPlainText())

    def forget_names(self, scrub: Callable[[str], str]) -> None:
        """Someone was anonymised (``MeetingEditor.forget_names``): their name goes from the
        poll's boxes and from what it was loaded with, as it went from the records."""
        forget_names(self.fields().values(), scrub)
        question, answers = (scrubbed(v, scrub) for v in self._poll_saved)
        self._poll_saved = (question, answers)

    def poll_dirty(self) -> bool:
        """True when the poll form holds typing not yet saved (a blank new form is not)."""
        values = self._poll_values()
        if self.poll_id is None and not any(v.strip() for v in values):
            return False
        return values != self._poll_saved

    def show_poll(self, row: Any) -> None:
        """Show the poll ``row`` in the form (a blank new poll when None), as saved."""
        self.poll_errors.clear()
        self.poll_id = None if row is None else row.id
        question = "" if row is None else row.question
        answers = "" if row is None else polls.answers_as_lines(row.answers)
        self.poll_question_edit.setText(question)
        self.poll_answers_edit.setPlainText(answers)
        self._poll_saved = (question, answers)
        self.poll_chart.set_answers(question, [] if row is None else row.answers)
        self.poll_trend_box.hide()

    def select(self, poll_id: uuid.UUID) -> bool:
        """Choose ``poll_id`` in the list and show it (its typing saved first); False when it
        is not in the list."""
        row = self.polls_model.row_of(poll_id)
        if row >= 0:
            self.polls_table.select_row(row)
        return row >= 0

    def _poll_row_changed(self, current: Any, _previous: Any) -> None:
        if self.host.loading or self._selecting:
            return
        row = current.row() if current.isValid() else -1
        new_row = self.polls_model.row_at(row) if row >= 0 else None
        if new_row is not None and new_row.id == self.poll_id:
            return
        if self.poll_dirty() and not self.save_poll():
            return
        self.show_poll(new_row)

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
        self.show_poll(None)
        self.poll_question_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def save_poll(self) -> bool:
        """Save the poll being typed (a new one, or the chosen one). False when refused: the
        sentence is shown at its field and nothing is saved."""
        return self.save(idle=False)

    def save(self, *, idle: bool) -> bool:
        """``idle``: from the idle timer; the saved poll's lines then stay as typed (shown
        tidied only when the poll is left or saved by its button)."""
        host = self.host
        meeting_id, poll_id = host.meeting_id, self.poll_id
        if meeting_id is None:
            return True
        key = host.draft_key(PART_POLL)
        question, text = self._poll_values()
        answers = polls.parse_answer_lines(text)

        def refused(exc: ValidationError) -> None:
            if idle:
                host.unsaved(PART_POLL, " ".join(exc.problems.values()))
                return
            host.keep_draft(PART_POLL)
            self.poll_errors.show(exc.problems, fallback="answers")

        def not_saved(exc: CoordinatorError) -> None:
            host.not_saved(PART_POLL, exc, idle=idle, title="Poll not saved")

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
        self.poll_id = poll_id
        host.drop_draft(key)
        host.saved()
        host.reload_parts()  # the list shows it now (the page may read it again: cheap)
        row = self.polls_model.row_of(poll_id) if poll_id is not None else -1
        if row >= 0:
            self._selecting = True
            try:
                self.polls_table.select_row(row)
            finally:
                self._selecting = False
            saved = self.polls_model.row_at(row)
            if idle:
                self._poll_saved = (question, text)
                self.poll_chart.set_answers(saved.question, saved.answers)
                return True
            trend_shown = self.poll_trend_box.isVisible()
            self.show_poll(saved)
            if trend_shown:
                self.compare_poll()
        return True

    def delete_poll(self) -> None:
        host = self.host
        row, meeting_id = self.polls_table.current_row(), host.meeting_id
        if row < 0 or meeting_id is None:
            return
        poll = self.polls_model.row_at(row)
        if not widgets.confirm(self, "Delete quick poll?", f"Delete the poll “{poll.question}”?"):
            return
        if meeting_ops.delete_poll(self, self.ctx, meeting_id, poll.id).wait().ok:
            host.drop_draft(f"{DRAFT_FORM}:polls:{poll.id}")
            self.show_poll(None)
            host.saved()
            host.reload_parts()

    def compare_poll(self) -> None:
        """Show the chosen question's answers at every meeting of this locality that asked it."""
        question = self.poll_question_edit.text()
        detail = self.host.detail
        if detail is None or not question.strip():
            self.poll_errors.show({"question": "Write or choose the question to compare."})
            return
        rows = polls.poll_trend(self.ctx.db, question, locality_id=detail.locality_id)
        self.poll_trend_model.set_rows(rows)
        self.poll_trend_table.fit_columns()
        if len(rows) <= 1:
            self.poll_trend_note.setText(
                "No other meeting in this locality asked this question yet."
            )
        else:
            self.poll_trend_note.setText(
                f"Asked at {len(rows)} meetings in {detail.locality_name}, oldest first."
            )
        self.poll_trend_box.show()
