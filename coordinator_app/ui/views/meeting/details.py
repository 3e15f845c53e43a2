"""The Details tab: the meeting's forum, date, times, venue, format, status, chair, minute-taker
and notes, saved as each field is left (or a list chosen) and when the typing pauses.

``save_details`` is the one save of this tab (``update_meeting``, one operation); a problem is
shown at its field and what could not be saved is kept as a draft (part ``details``). From the
idle timer (``idle=True``) nothing is asked and nothing turns red: the status line says it was
kept as a draft. ``details_dirty`` compares the fields with what was last saved or loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ....core.errors import ValidationError
from ....core.meetings import MeetingDetail, MeetingInput
from ....core.vocab import MeetingFormat, MeetingStatus
from ... import widgets
from ...dialogs.meeting_dialogs import forum_choices
from ...drafts import forget_names, scrubbed
from ...operations import meetings as meeting_ops
from .base import Host, Tab, hint
from .drafts import PART_DETAILS


class DetailsTab(Tab):
    def __init__(self, host: Host) -> None:
        super().__init__(host)
        #: The details as last saved or loaded (None: none, or the date or a time unreadable).
        self._saved_input: MeetingInput | None = None
        page = QWidget()
        outer = QVBoxLayout(page)
        self.details_errors = widgets.FormErrors()
        form = QFormLayout()
        form.setVerticalSpacing(8)
        add = self.details_errors.add_row
        self.forum_combo = add(form, "F&orum", "forum", QComboBox())
        today = self.ctx.today()
        self.date_edit = add(form, "D&ate", "meeting_date", widgets.DateEdit(today=today))
        self.start_edit, self.end_edit = self._times_row(form)
        # Every label has its own Alt letter (issue #22's walk: Venue, Format, Chair and Notes
        # had none). The menus, the tabs and Plan next meeting leave only b, j, p, q, w and z
        # free on this tab, hence the wording of those four. The two times share a row and a
        # letter (the end time is the next Tab stop), so that the Papers tab has a letter of
        # its own, K ("Papers & link", issue #24): the minute-taker's is I.
        self.venue_edit = add(form, "&Place (venue)", "venue", QLineEdit())
        self.format_combo = add(form, "Format (how people &join)", "format", QComboBox())
        widgets.fill_combo(self.format_combo, [(f.label, f) for f in MeetingFormat], keep=False)
        self.status_combo = add(form, "Stat&us", "status", QComboBox())
        widgets.fill_combo(self.status_combo, [(s.label, s) for s in MeetingStatus], keep=False)
        self.chair_edit = add(form, "Chaired &by", "chair", QLineEdit())
        self.minute_taker_edit = add(form, "M&inute-taker", "minute_taker", QLineEdit())
        self.notes_edit = add(
            form, "&Working notes", "notes", widgets.plain_text_edit("Working notes", lines=5)
        )
        outer.addLayout(form)
        outer.addWidget(
            hint("Changes are saved as you leave each field. A problem is shown under the field.")
        )
        outer.addStretch(1)
        scroll = widgets.FocusScrollArea()
        scroll.setWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        lines = (
            self.date_edit,
            self.start_edit,
            self.end_edit,
            self.venue_edit,
            self.chair_edit,
            self.minute_taker_edit,
        )
        for edit in lines:
            edit.editingFinished.connect(self.save_details)
            edit.textEdited.connect(host.typed)
        for combo in (self.forum_combo, self.format_combo, self.status_combo):
            combo.activated.connect(self.save_details)
        widgets.FocusOutWatcher(self.notes_edit).focusLost.connect(self.save_details)
        self.notes_edit.textChanged.connect(host.typed)

    def _times_row(self, form: QFormLayout) -> tuple[widgets.TimeEdit, widgets.TimeEdit]:
        """The start and end times side by side ("Start and end time: [10:30] to [12:00]"),
        each with its problem under it (as the participant form's email and phone)."""
        start, end = widgets.TimeEdit(), widgets.TimeEdit()
        start.setAccessibleName("Start time")
        end.setAccessibleName("End time")
        self.details_errors.add_pair(
            form,
            QLabel("&Start and end time"),
            ("start_time", start),
            QLabel("to"),
            ("end_time", end),
        )
        return start, end

    def fields(self) -> dict[str, QWidget]:
        """The fields a draft of the details holds, by their names in the draft."""
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

    def fill(self, detail: MeetingDetail) -> None:
        """Show ``detail``'s details in the fields (what is typed there is replaced)."""
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

    def forget(self) -> None:
        """The meeting has gone: nothing here stands for a saved record any more."""
        self._saved_input = None

    def forget_names(self, scrub: Callable[[str], str]) -> bool:
        """Someone was anonymised (``MeetingEditor.forget_names``): their name goes from the
        boxes and from what was last saved or loaded, as it went from the record. True when
        what was saved named them (anonymising then changed this meeting's row)."""
        forget_names(self.fields().values(), scrub)
        saved = self._saved_input
        if saved is None:
            return False
        texts = (saved.venue, saved.chair, saved.minute_taker, saved.notes)
        venue, chair, minute_taker, notes = (scrubbed(v, scrub) for v in texts)
        self._saved_input = replace(
            saved, venue=venue, chair=chair, minute_taker=minute_taker, notes=notes
        )
        return (venue, chair, minute_taker, notes) != texts

    def saved_as(self, detail: MeetingDetail) -> bool:
        """Whether ``detail``'s details are what this tab last saved or loaded (as ``fill``
        would read them back)."""
        return self._saved_input is not None and self._saved_input == MeetingInput(
            forum_id=detail.forum_id,
            meeting_date=detail.meeting_date,
            start_time=detail.start_time,
            end_time=detail.end_time,
            venue=detail.venue.strip(),
            format=detail.format,
            status=detail.status,
            chair=detail.chair.strip(),
            minute_taker=detail.minute_taker.strip(),
            notes=detail.notes,
        )

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
        return (
            self.host.meeting_id is not None and self._details_input_or_none() != self._saved_input
        )

    def pending(self) -> bool:
        """Something to save: changed, or a problem still shown at a field."""
        return self.details_dirty() or self.details_errors.has_errors()

    def save_details(self) -> bool:
        """Save the Details tab if changed. False (with the problem at the field) if not saved."""
        return self.save(idle=False)

    def save(self, *, idle: bool) -> bool:
        """``idle``: from the idle timer (see ``Host.unsaved``). What is not saved is kept as a
        draft either way."""
        host = self.host
        if host.loading or host.meeting_id is None:
            return True
        key = host.draft_key(PART_DETAILS)
        if host.resolving:
            host.keep_draft(PART_DETAILS)
            return False
        try:
            data = self._details_input()
        except ValidationError as exc:
            self._refused(exc, idle=idle)
            return False
        if data == self._saved_input and not self.details_errors.has_errors():
            host.drop_draft(key)
            return True
        outcome = (
            meeting_ops.update_meeting(
                self, self.ctx, host.meeting_id, data, expected_version=host.version
            )
            .validation(lambda exc: self._refused(exc, idle=idle))
            .conflict(lambda exc: host.not_saved(PART_DETAILS, exc, idle=idle))
            .failure(lambda exc: host.not_saved(PART_DETAILS, exc, idle=idle))
            .wait()
        )
        if not outcome.ok:
            return False
        host.version = outcome.value
        self.details_errors.clear()
        self._saved_input = data
        host.drop_draft(key)
        host.saved()
        host.check_invitation(wrote=True, idle=idle)
        return True

    def _refused(self, exc: ValidationError, *, idle: bool) -> None:
        if idle:
            self.host.unsaved(PART_DETAILS, " ".join(exc.problems.values()))
            return
        self.host.keep_draft(PART_DETAILS)
        self.details_errors.show(exc.problems, focus=False)
        self.host.set_save_state("Not saved yet: please put right the problem shown on Details.")
