"""One assessment open for rating: the tally and the result it would give, the checklist of
standards (``common.ChecklistView``: keys 1 to 4 rate and move on) and the selected standard
(``detail.StandardPane``), with Submit, Reopen and the report (``report``).

Pitfalls:
- Evidence and notes are saved when their box loses focus, and also before another standard is
  shown, before submitting and before a report (``finish_editing``): nothing typed is lost.
- A submitted assessment is read-only here as in core; Reopen… takes it back to draft.
- Two instances on one database: the shown standard keeps the version it was read with
  (``CheckRow.version``) and every save of its rating, evidence or notes passes it. When someone
  else changed that standard first, the core refuses (``ConflictError``) and the panel asks
  (``widgets.ask_conflict``): Reload reads the assessment again and shows their text and rating
  (mine dropped); Keep editing leaves my text on screen, unsaved, and the selection stays on that
  standard (choosing another one is undone) until I reload (the "Show it as saved" button, or
  Reload when asked again after changing the text) or leave, which asks first
  (``finish_editing``). ``reload()`` saves first; ``_read()`` never saves, so a Reload chosen in
  the middle of a save cannot loop back into saving.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ....core import accreditation
from ....core.accreditation import AssessmentSummary, CheckRow
from ....core.document import Document
from ....core.errors import ConflictError, CoordinatorError
from ....core.vocab import AssessmentStatus, Rating
from ... import operations, widgets
from ...context import AppContext
from ...dialogs.assessment_dialogs import AssessmentActionDialog
from ...drafts import forget_names, scrubbed
from ...models.accreditation_checklist import (
    ChecklistModel,
)
from ...operations import accreditation as accreditation_ops
from . import questions, report
from .checklist import GAP_RATINGS, KEYS_HINT, ChecklistView, TallyBox
from .common import wrapping_label
from .detail import StandardPane

#: What ``_save_texts`` did: nothing was left unsaved / the save was refused and the text kept
#: on screen / the save was refused and the saved text (theirs) is now shown instead.
SAVED, KEPT, RELOADED = "saved", "kept", "reloaded"


class AssessmentPanel(QWidget):
    """One assessment open for rating: tally, checklist, and the selected standard's details."""

    backRequested = Signal()
    #: Emitted after anything about the assessment was saved (the id as a string).
    changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.assessment_id: uuid.UUID | None = None
        self.summary: AssessmentSummary | None = None
        self._shown: CheckRow | None = None
        self._loading = False
        #: (check id, evidence, notes) whose save was refused and kept on screen: not saved,
        #: not asked about again until the text changes or the standard is reloaded.
        self._refused: tuple[uuid.UUID, str, str] | None = None
        self._resolving = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.back_button = QPushButton("&Back to the list")
        self.back_button.setAccessibleName("Back to the list of assessments")
        self.title_label = wrapping_label("Assessment")
        top.addWidget(self.back_button)
        top.addWidget(self.title_label, 1)
        layout.addLayout(top)

        buttons = QHBoxLayout()
        self.submit_button = QPushButton("S&ubmit…")
        self.reopen_button = QPushButton("Re&open…")
        self.preview_button = QPushButton("Prev&iew report…")
        self.print_button = QPushButton("&Print report…")
        self.pdf_button = QPushButton("Save report as P&DF…")
        for button, name in (
            (self.submit_button, "Submit the assessment"),
            (self.reopen_button, "Reopen the assessment"),
            (self.preview_button, "Preview the assessment report"),
            (self.print_button, "Print the assessment report"),
            (self.pdf_button, "Save the assessment report as PDF"),
        ):
            widgets.say_more(button, name)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.tally = TallyBox()
        self.tally_labels, self.result_label = self.tally.tally_labels, self.tally.result_label
        layout.addWidget(self.tally)

        self.status_label = wrapping_label("Message")
        self.status_label.hide()
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label, 1)
        self.theirs_button = QPushButton("Sho&w it as saved")
        widgets.say_more(
            self.theirs_button, "Show it as saved: reload this standard as it is saved now"
        )
        self.theirs_button.setToolTip("Throws away the text you typed here that was not saved.")
        self.theirs_button.hide()
        status_row.addWidget(self.theirs_button)
        layout.addLayout(status_row)
        hint = wrapping_label()
        hint.setText(KEYS_HINT)
        layout.addWidget(hint)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = ChecklistModel(self)
        self.tree = ChecklistView()
        self.tree.setModel(self.model)
        splitter.addWidget(self.tree)
        self.pane = StandardPane()
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

        # The pane's widgets, where the page and the tests have always found them.
        pane = self.pane
        self.detail = pane.body
        self.standard_label, self.facts_label = pane.standard_label, pane.facts_label
        self.description_label, self.guidance_label = pane.description_label, pane.guidance_label
        self.rating_combo, self.evidence_edit = pane.rating_combo, pane.evidence_edit
        self.notes_edit, self.files_list = pane.notes_edit, pane.files_list
        self.add_file_button, self.copy_file_button = pane.add_file_button, pane.copy_file_button
        self.actions_list, self.raise_button = pane.actions_list, pane.raise_button

        self.back_button.clicked.connect(self._back)
        self.submit_button.clicked.connect(self.submit)
        self.reopen_button.clicked.connect(self.reopen)
        self.preview_button.clicked.connect(self.preview_report)
        self.print_button.clicked.connect(self.print_report)
        self.pdf_button.clicked.connect(self.save_report_pdf)
        self.tree.ratingKeyPressed.connect(self.rate_current)
        self.tree.undoPressed.connect(self.undo_rating)
        #: Ratings taken back by Ctrl+Z in the list, newest last: (check, code, rating before).
        self._undo: list[tuple[uuid.UUID, str, Rating]] = []
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.rating_combo.activated.connect(self._rating_chosen)
        widgets.FocusOutWatcher(self.evidence_edit).focusLost.connect(self.save_texts)
        widgets.FocusOutWatcher(self.notes_edit).focusLost.connect(self.save_texts)
        self.add_file_button.clicked.connect(self.add_file)
        self.copy_file_button.clicked.connect(self.save_file_copy)
        self.files_list.itemActivated.connect(lambda _item: self.save_file_copy())
        self.raise_button.clicked.connect(self.raise_action)
        self.papers_button = pane.papers_button
        self.papers_button.clicked.connect(self.add_papers_evidence)
        self.theirs_button.clicked.connect(self.show_their_changes)
        ctx.events.peopleAnonymised.connect(self.forget_names)

    # --- loading -----------------------------------------------------------------------------

    def load(self, assessment_id: uuid.UUID) -> bool:
        """Show an assessment with its first standard selected. False (nothing changed) when
        text that could not be saved is on screen and the coordinator chose to stay."""
        if not self.finish_editing():
            return False
        self.assessment_id = assessment_id
        self._shown = None
        self._undo.clear()
        self._read()
        first = self.model.checks()
        if first:
            self.select_check(first[0].id)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def reload(self) -> None:
        """Save what is typed, then read the assessment again from core; the selected standard
        stays selected. When the save is refused and the text kept, nothing is read (the text
        stays on screen)."""
        if self.assessment_id is None:
            return
        if self._save_texts() == SAVED:
            self._read()

    def _read(self) -> None:
        """Read the assessment again from core *without saving*: the shown standard's boxes get
        the saved text (callers have saved first, or mean to drop what is typed)."""
        if self.assessment_id is None:
            return
        current = self._shown.id if self._shown else None
        self._loading = True
        try:
            with self.ctx.db.session() as session:
                checks = accreditation.assessment_checks(session, self.assessment_id)
            self.model.set_checks(checks)
            self.tree.expandAll()
            self.tree.fit_columns(checks)
        finally:
            self._loading = False
        self._update_summary()
        self._shown = None
        if current is not None:
            self.select_check(current)
        else:
            self._show_check(None)

    def _update_summary(self) -> None:
        if self.assessment_id is None:
            return
        with self.ctx.db.session() as session:
            self.summary = accreditation.assessment_summary(session, self.assessment_id)
        s = self.summary
        locked = self.is_locked()
        status = "Submitted (read-only: reopen it to change a rating)" if locked else "Draft"
        self.title_label.setText(
            f"{s.kind.label} of {s.locality_name}, {widgets.format_date(s.assessed_on)}. "
            f"{s.framework_name} (version {s.framework_version}). "
            f"Assessors: {s.assessors or 'not recorded'}. Status: {status}."
        )
        self.tally.show_summary(s, locked=locked)
        self.submit_button.setEnabled(not locked)
        self.reopen_button.setEnabled(locked)
        self.rating_combo.setEnabled(not locked and self._shown is not None)

    def is_locked(self) -> bool:
        return self.summary is not None and self.summary.status == AssessmentStatus.SUBMITTED

    def current_check(self) -> CheckRow | None:
        return self.model.check_at(self.tree.currentIndex())

    def select_check(self, check_id: uuid.UUID) -> None:
        index = self.model.index_of(check_id)
        if not index.isValid():
            return
        self.tree.setCurrentIndex(index)
        selected = self.current_check()
        if selected is None or selected.id != check_id:
            return  # refused: the shown standard's text could not be saved
        self.tree.scrollTo(index)
        if self._shown is None or self._shown.id != check_id:
            self._show_check(selected)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._loading:
            return
        check = self.model.check_at(current)
        if check is not None and self._shown is not None and check.id == self._shown.id:
            return
        if self._save_texts() != SAVED:
            # Kept: my text stays with its standard. Reloaded: their text is shown on it.
            self._hold_selection()
            return
        self._show_check(self.current_check())

    def _hold_selection(self) -> None:
        """Put the selection back on the shown standard, now and once more after the event that
        moved it (a mouse press selects the clicked row after announcing the change)."""
        self._select_shown()
        QTimer.singleShot(0, self._select_shown)

    def _select_shown(self) -> None:
        if self._shown is None:
            return
        index = self.model.index_of(self._shown.id)
        if not index.isValid():
            return
        self._loading = True
        try:
            self.tree.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._loading = False

    def _show_check(self, check: CheckRow | None) -> None:
        self._shown = check
        self._set_refused(None)
        self.pane.show_check(check, locked=self.is_locked())
        self._refresh_files()
        self.refresh_actions()

    def _refresh_files(self) -> None:
        if self._shown is None:
            self.pane.show_files([])
            return
        with self.ctx.db.session() as session:
            self.pane.show_files(accreditation.evidence_files(session, self._shown.id))

    def refresh_actions(self) -> None:
        """Show the open actions of the selected standard (called after actions change)."""
        check = self._shown
        rows = []
        if check is not None:
            with self.ctx.db.session() as session:
                rows = accreditation.check_actions(session, check.id, today=self.ctx.today())
        self.pane.show_actions(check, rows)

    def open_action_ids(self) -> list[uuid.UUID]:
        return self.pane.open_action_ids()

    # --- saving ------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def forget_names(self, scrub: Callable[[str], str]) -> None:
        """Someone was anonymised from this app (``DataEvents.peopleAnonymised``): their name
        goes from the evidence and notes being typed (the rest stays) and from the standard as
        it was read, as it went from the record, so no save writes it back. A save over the
        scrubbed standard is then asked about as any change since it was opened."""
        forget_names([self.evidence_edit, self.notes_edit], scrub)
        shown = self._shown
        if shown is not None:
            evidence, notes = (scrubbed(v, scrub) for v in (shown.evidence, shown.notes))
            self._shown = dataclasses.replace(shown, evidence=evidence, notes=notes)

    def _replace_shown(self, **changes: Any) -> None:
        if self._shown is None:
            return
        self._shown = dataclasses.replace(self._shown, **changes)
        self.model.update_check(self._shown)

    def rate_current(self, rating: Rating) -> None:
        """Rate the selected standard and move to the next one (keys 1-4)."""
        check = self.current_check()
        if check is None:
            self._say("Select a standard (not a domain heading) to rate it.")
            return
        if self.is_locked():
            self._say("This assessment has been submitted, so it is read-only; reopen it first.")
            return
        if self._shown is None or self._shown.id != check.id:
            self._show_check(check)
        before = self._shown.rating if self._shown is not None else None
        if not self._set_rating(rating):
            return
        # Said where the eye is, so a rating typed by a slip (digits meant for the evidence box
        # while the list had the keyboard) is seen, and undone with Ctrl+Z.
        was = f" (was {before.label.lower()})" if before not in (None, rating) else ""
        self._say(f"Standard {check.code}: {rating.label}{was}. Ctrl+Z in the list undoes it.")
        following = self.model.next_check(check.id)
        if following is not None:
            self.select_check(following)

    def _rating_chosen(self, _index: int) -> None:
        data = self.rating_combo.currentData()  # Qt hands a StrEnum back as a plain str
        rating = Rating(data) if data is not None else None
        if self._shown is not None and rating is not None and rating != self._shown.rating:
            self._set_rating(rating)

    def _set_rating(self, rating: Rating) -> bool:
        assert self._shown is not None and self.assessment_id is not None
        if self._save_texts() != SAVED:
            # Their change must be seen (or my kept text dealt with) before rating over it.
            widgets.select_data(self.rating_combo, self._shown.rating)
            return False
        shown = self._shown

        def refused(exc: CoordinatorError) -> None:
            widgets.inform(self, "Rating not saved", str(exc))
            self._read()

        def clashed(exc: ConflictError) -> None:
            self._conflict(exc)
            if self._shown is not None:
                widgets.select_data(self.rating_combo, self._shown.rating)

        outcome = (
            accreditation_ops.set_rating(
                self, self.ctx, shown.id, rating, expected_version=shown.version
            )
            .conflict(clashed)
            .validation(refused)
            .failure(refused)
            .wait()
        )
        if not outcome.ok or outcome.value is None:
            return False
        version = outcome.value
        if shown.rating != rating:
            self._undo.append((shown.id, shown.code, shown.rating))
        self._replace_shown(rating=rating, version=version)
        widgets.select_data(self.rating_combo, rating)
        self.raise_button.setEnabled(rating in GAP_RATINGS)
        self._say("")
        self._update_summary()
        self.changed.emit(str(self.assessment_id))
        return True

    def undo_rating(self) -> bool:
        """Take the last rating back (Ctrl+Z in the list); False when there is none or the
        assessment is read-only. The standard is selected and rated as it was before."""
        if not self._undo or self.is_locked():
            self._say("Nothing to undo." if not self._undo else "The assessment is submitted.")
            return False
        check_id, code, before = entry = self._undo.pop()
        self.select_check(check_id)
        if self._shown is None or self._shown.id != check_id or not self._set_rating(before):
            self._undo.append(entry)
            return False
        self._undo.pop()  # what the undo itself rated is not one more thing to undo
        self._say(f"Undone: standard {code} is {before.label.lower()} again.")
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def add_papers_evidence(self) -> bool:
        """Add the dates the locality's papers were sent (``papers.papers_evidence``) to the
        shown standard's evidence, then save it as typed evidence is saved (issue #29)."""
        from ....core import papers

        s = self.summary
        if self._shown is None or self.is_locked() or s is None:
            return False
        text = papers.papers_evidence(self.ctx.db, s.locality_id, s.assessed_on)
        before = self.evidence_edit.toPlainText().rstrip()
        self.evidence_edit.setPlainText(f"{before}\n\n{text}" if before else text)
        return self.save_texts()

    def save_texts(self) -> bool:
        """Save the evidence and notes of the shown standard if they changed. True when nothing
        typed is left unsaved (saved, unchanged, or dropped by choosing Reload); False when the
        save was refused and the text is still on screen, unsaved."""
        return self._save_texts() != KEPT

    def _save_texts(self) -> str:
        """``SAVED`` (nothing left unsaved), ``KEPT`` (refused; my text stays on screen) or
        ``RELOADED`` (refused; Reload chosen, the saved text is shown). Asks about a refused
        text once: the same text refused again says so under the tally without asking."""
        check = self._shown
        if check is None or self.is_locked() or self.assessment_id is None:
            return SAVED
        evidence, notes = self.evidence_edit.toPlainText(), self.notes_edit.toPlainText()
        if evidence == check.evidence and notes == check.notes:
            return SAVED
        if self._resolving or self._refused == (check.id, evidence, notes):
            return KEPT
        ending: list[str] = []

        def clashed(exc: ConflictError) -> None:
            if self._conflict(exc):
                ending.append(RELOADED)
                return
            self._set_refused((check.id, evidence, notes))

        def refused(exc: CoordinatorError) -> None:
            widgets.inform(self, "Evidence not saved", str(exc))
            self._set_refused((check.id, evidence, notes))
            self._say(f"Not saved: {exc}")

        outcome = (
            accreditation_ops.set_texts(
                self,
                self.ctx,
                check.id,
                evidence=evidence,
                notes=notes,
                expected_version=check.version,
            )
            .conflict(clashed)
            .validation(refused)
            .failure(refused)
            .wait()
        )
        if not outcome.ok or outcome.value is None:
            return ending[0] if ending else KEPT
        version = outcome.value
        self._set_refused(None)
        self._replace_shown(evidence=evidence, notes=notes, version=version)
        self.changed.emit(str(self.assessment_id))
        return SAVED

    def _conflict(self, exc: ConflictError) -> bool:
        """Someone else saved the shown standard first; nothing of this save was written. Asks
        Reload (True: the assessment is read again, their text and rating shown, mine dropped)
        or Keep editing (False: everything stays on screen, unsaved)."""
        self._resolving = True
        try:
            if not widgets.ask_conflict(self, str(exc)):
                self._say(
                    "Not saved: this standard was changed since you opened it. What you typed "
                    "is still here; copy what you need, then choose Show it as saved."
                )
                self.theirs_button.show()
                return False
            self._read()
        finally:
            self._resolving = False
        self._say("Reloaded: this is the standard as saved now; what you typed was not saved.")
        return True

    def _set_refused(self, refused: tuple[uuid.UUID, str, str] | None) -> None:
        self._refused = refused
        self.theirs_button.setVisible(refused is not None)

    def show_their_changes(self) -> None:
        """Drop the text whose save was refused and read the assessment again (theirs shown)."""
        self._set_refused(None)
        self._read()
        self._say("Reloaded: this is the standard as saved now; what you typed was not saved.")

    def finish_editing(self) -> bool:
        """Save what is typed (before leaving the assessment, the page or the app). When it
        cannot be saved, ask whether to leave without it: False means stay."""
        if self.save_texts():
            return True
        code = self._shown.code if self._shown else ""
        if not widgets.confirm(
            self,
            "Not saved",
            f"The evidence and notes typed for standard {code} could not be saved (it was "
            "changed since you opened it). Leave and lose them?",
            yes="Leave without saving",
        ):
            return False
        self._set_refused(None)
        self._read()
        return True

    def add_file(self) -> None:
        check = self._shown
        if check is None:
            return
        path = questions.open_file_name(self, f"Attach evidence to standard {check.code}")
        if path is None:
            return
        if not accreditation_ops.add_evidence_file(self, self.ctx, check.id, path).wait().ok:
            return
        self._replace_shown(file_count=check.file_count + 1)
        self._refresh_files()
        self.files_list.setCurrentRow(self.files_list.count() - 1)
        self.changed.emit(str(self.assessment_id))

    def save_file_copy(self) -> None:
        chosen = self.pane.chosen_file()
        if chosen is None:
            return
        file_id, filename = chosen
        path = questions.save_file_name(self, "Save a copy of the evidence file", filename)
        if path is None:
            return
        saved = operations.export(
            self,
            "Copy not saved",
            lambda: accreditation.save_evidence_copy(self.ctx.db, file_id, path),
        )
        if saved is None:
            return
        self._say(f"Saved a copy as {saved}.")

    def raise_action(self) -> None:
        check = self._shown
        if check is None or not self.save_texts():
            return
        action_id = AssessmentActionDialog.ask(self.ctx, check.id, self)
        if action_id is not None:
            self.refresh_actions()

    def submit(self) -> None:
        if self.assessment_id is None or self.summary is None or self.is_locked():
            return
        if not self.save_texts():
            return
        self._update_summary()
        s = self.summary
        unrated = sum(t.unrated for t in s.by_criticality.values())
        warning = (
            f" {unrated} standard{'s are' if unrated != 1 else ' is'} not yet rated, so the "
            "result will be Incomplete."
            if unrated
            else ""
        )
        question = (
            f"Submit the {s.kind.label.lower()} of {s.locality_name}? Its result, "
            f"{s.result.value}, then counts as the locality's result and the checklist becomes "
            f"read-only until it is reopened.{warning}"
        )
        if not widgets.confirm(self, "Submit the assessment?", question, yes="Submit"):
            return
        accreditation_ops.submit(self, self.ctx, self.assessment_id).wait()
        self.reload()
        self.changed.emit(str(self.assessment_id))

    def reopen(self) -> None:
        if self.assessment_id is None or self.summary is None or not self.is_locked():
            return
        question = (
            f"Reopen the assessment of {self.summary.locality_name}? It goes back to draft and "
            "stops counting as the locality's result until it is submitted again."
        )
        if not widgets.confirm(self, "Reopen the assessment?", question, yes="Reopen"):
            return
        accreditation_ops.reopen(self, self.ctx, self.assessment_id).wait()
        self.reload()
        self.changed.emit(str(self.assessment_id))

    # --- the report --------------------------------------------------------------------------

    def report_document(self) -> Document:
        """The assessment's report, after saving what is typed."""
        assert self.assessment_id is not None
        self.save_texts()
        return accreditation.assessment_report_document(
            self.ctx.db, self.assessment_id, today=self.ctx.today()
        )

    def preview_report(self) -> None:
        if self.assessment_id is not None:
            report.preview(self, self.report_document, report.title(self.summary))

    def print_report(self) -> None:
        if self.assessment_id is not None:
            report.print_out(self, self.report_document, report.title(self.summary))

    def save_report_pdf(self) -> None:
        if self.assessment_id is None:
            return
        saved = report.save_pdf(self, self.report_document, report.title(self.summary))
        if saved is not None:
            self._say(f"Saved the report as {saved}.")

    def _back(self) -> None:
        if self.finish_editing():
            self.backRequested.emit()
