"""The Accreditation page: a locality's assessments and the checklist of one, its progress over
time, and the standards frameworks (made for the self-review: work through it with two
service-user reviewers, rate each standard, attach evidence, raise actions for the gaps, submit).

Keyboard: in the checklist, keys 1 to 4 rate the selected standard (1 met, 2 partly met, 3 not
met, 4 not applicable) and move to the next one, so a whole assessment can be rated without the
mouse. The tally and the result it would give follow every rating.

Pitfalls:
- Evidence and notes are saved when their box loses focus, and also before another standard is
  shown, before submitting and before a report (``finish_editing``): nothing typed is lost.
- A submitted assessment is read-only here as in core; Reopen… takes it back to draft.
- Two instances on one database: the shown standard keeps the version it was read with
  (``CheckRow.version``) and every save of its rating, evidence or notes passes it. When someone
  else changed that standard first, the core refuses (``ConflictError``) and the panel asks
  (``widgets.ask_conflict``): Reload reads the assessment again and shows their text and rating
  (mine dropped); Keep editing leaves my text on screen, unsaved, and the selection stays on that
  standard (choosing another one is undone) until I reload (the "Show their changes" button, or
  Reload when asked again after changing the text) or leave, which asks first
  (``finish_editing``). ``reload()`` saves first; ``_read()`` never saves, so a Reload chosen in
  the middle of a save cannot loop back into saving.
- File dialogs and the printing module are reached through module-level functions looked up at
  call time (``open_file_name``, ``save_file_name``, ``_printing``) so tests patch them; nothing
  modal is ever ``exec``ed in a test.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ...core import accreditation, standards
from ...core.accreditation import AssessmentSummary, CheckRow, criticality_label
from ...core.errors import ConflictError, CoordinatorError, WorkbookError
from ...core.meetings import list_localities
from ...core.rules import AccreditationResult
from ...core.vocab import AssessmentStatus, Rating
from .. import files, widgets
from ..context import AppContext
from ..dialogs.assessment_dialogs import AssessmentActionDialog, NewAssessmentDialog
from ..dialogs.framework_problems import FrameworkProblemsDialog
from ..models.accreditation_checklist import (
    COL_CRITICALITY,
    COL_FILES,
    COL_RATING,
    COL_TITLE,
    ChecklistModel,
)
from ..models.accreditation_tables import (
    AssessmentsModel,
    ChangesModel,
    FrameworksModel,
    HistoryModel,
)
from ..operations import accreditation as accreditation_ops

#: Keys 1 to 4 (top row or keypad) and the rating each sets.
RATING_KEYS = {
    Qt.Key.Key_1: Rating.MET,
    Qt.Key.Key_2: Rating.PARTLY_MET,
    Qt.Key.Key_3: Rating.NOT_MET,
    Qt.Key.Key_4: Rating.NOT_APPLICABLE,
}
GAP_RATINGS = (Rating.PARTLY_MET, Rating.NOT_MET)
XLSX_FILTER = "Excel workbooks (*.xlsx)"
#: What ``_save_texts`` did: nothing was left unsaved / the save was refused and the text kept
#: on screen / the save was refused and the saved text (theirs) is now shown instead.
SAVED, KEPT, RELOADED = "saved", "kept", "reloaded"
KEYS_HINT = (
    "In the list of standards, press 1 for met, 2 for partly met, 3 for not met or 4 for not "
    "applicable: the rating is saved and the next standard is selected."
)


# --- patchable questions -------------------------------------------------------------------


def _kind(filters: str) -> files.FileKind:
    return files.STANDARDS if filters == XLSX_FILTER else files.EVIDENCE


def open_file_name(parent: QWidget | None, title: str, filters: str = "") -> str | None:
    """Ask for a file to open (``ui.files``); None when cancelled. Tests patch this function."""
    path = files.ask_open(parent, _kind(filters), title)
    return str(path) if path else None


def save_file_name(
    parent: QWidget | None, title: str, suggested: str, filters: str = ""
) -> str | None:
    """Ask where to save a file (``ui.files``); None when cancelled. Tests patch this function."""
    path = files.ask_save(parent, _kind(filters), title, suggested)
    return str(path) if path else None


def _printing() -> Any:
    """The printing module, imported on first use (it pulls in QtPrintSupport)."""
    from .. import printing

    return printing


# --- the checklist ---------------------------------------------------------------------------


class ChecklistView(QTreeView):
    """The standards of an assessment grouped by domain; keys 1-4 ask for a rating."""

    ratingKeyPressed = Signal(object)  #: the ``Rating`` asked for

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Standards of this assessment")
        self.setAccessibleDescription(KEYS_HINT)
        self.setToolTip(KEYS_HINT)
        self.setSelectionBehavior(QTreeView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTreeView.SelectionMode.SingleSelection)
        self.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.header().setStretchLastSection(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        rating = RATING_KEYS.get(Qt.Key(event.key()))
        if rating is not None and modifiers == Qt.KeyboardModifier.NoModifier:
            self.ratingKeyPressed.emit(rating)
            event.accept()
            return
        super().keyPressEvent(event)


def _list_table(accessible_name: str, model: Any) -> widgets.RecordTable:
    """A short list whose columns follow their contents and whose last column takes the spare
    width (kept across model resets, unlike widths set once by ``fit_columns``)."""
    table = widgets.RecordTable(accessible_name)
    table.setModel(model)
    header = table.horizontalHeader()
    header.setSectionResizeMode(header.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    # One long cell (a list of assessors) must not push the result off the screen.
    header.setMaximumSectionSize(table.fontMetrics().horizontalAdvance("M") * 28)
    return table


def _wrapping_label(accessible_name: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    if accessible_name:
        label.setAccessibleName(accessible_name)
    return label


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
        self.title_label = _wrapping_label("Assessment")
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
            button.setAccessibleName(name)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        tally_box = QGroupBox("Tally (met of rated; not applicable left out)")
        tally_layout = QGridLayout(tally_box)
        self.tally_labels: dict[int, QLabel] = {}
        for column, level in enumerate((1, 2, 3)):
            name = QLabel(f"<b>{criticality_label(level)}</b>")
            value = _wrapping_label(f"{criticality_label(level)} standards met")
            tally_layout.addWidget(name, 0, column)
            tally_layout.addWidget(value, 1, column)
            tally_layout.setColumnStretch(column, 1)
            self.tally_labels[level] = value
        self.result_label = _wrapping_label("Result")
        font = self.result_label.font()
        font.setBold(True)
        self.result_label.setFont(font)
        tally_layout.addWidget(self.result_label, 0, 3, 2, 1)
        tally_layout.setColumnStretch(3, 2)
        layout.addWidget(tally_box)

        self.status_label = _wrapping_label("Message")
        self.status_label.hide()
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label, 1)
        self.theirs_button = QPushButton("Sho&w their changes")
        self.theirs_button.setAccessibleName(
            "Reload this standard and show the changes someone else saved"
        )
        self.theirs_button.setToolTip("Throws away the text you typed here that was not saved.")
        self.theirs_button.hide()
        status_row.addWidget(self.theirs_button)
        layout.addLayout(status_row)
        hint = _wrapping_label()
        hint.setText(KEYS_HINT)
        layout.addWidget(hint)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = ChecklistModel(self)
        self.tree = ChecklistView()
        self.tree.setModel(self.model)
        splitter.addWidget(self.tree)
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

        self.back_button.clicked.connect(self._back)
        self.submit_button.clicked.connect(self.submit)
        self.reopen_button.clicked.connect(self.reopen)
        self.preview_button.clicked.connect(self.preview_report)
        self.print_button.clicked.connect(self.print_report)
        self.pdf_button.clicked.connect(self.save_report_pdf)
        self.tree.ratingKeyPressed.connect(self.rate_current)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.rating_combo.activated.connect(self._rating_chosen)
        widgets.FocusOutWatcher(self.evidence_edit).focusLost.connect(self.save_texts)
        widgets.FocusOutWatcher(self.notes_edit).focusLost.connect(self.save_texts)
        self.add_file_button.clicked.connect(self.add_file)
        self.copy_file_button.clicked.connect(self.save_file_copy)
        self.files_list.itemActivated.connect(lambda _item: self.save_file_copy())
        self.raise_button.clicked.connect(self.raise_action)
        self.theirs_button.clicked.connect(self.show_their_changes)

    def _build_detail(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        box = QVBoxLayout(body)
        self.standard_label = _wrapping_label("Standard")
        font = self.standard_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.standard_label.setFont(font)
        self.facts_label = _wrapping_label("Domain and criticality")
        self.description_label = _wrapping_label("Description of the standard")
        self.guidance_label = _wrapping_label("Evidence guidance")
        box.addWidget(self.standard_label)
        box.addWidget(self.facts_label)
        for caption, label in (
            ("What the standard asks", self.description_label),
            ("Evidence that shows it", self.guidance_label),
        ):
            heading = QLabel(f"<b>{caption}</b>")
            box.addWidget(heading)
            box.addWidget(label)

        rating_row = QHBoxLayout()
        rating_label = QLabel("Ra&ting:")
        self.rating_combo = QComboBox()
        self.rating_combo.setAccessibleName("Rating")
        widgets.fill_combo(self.rating_combo, [(r.label, r) for r in Rating], keep=False)
        rating_label.setBuddy(self.rating_combo)
        rating_row.addWidget(rating_label)
        rating_row.addWidget(self.rating_combo, 1)
        box.addLayout(rating_row)

        # Fixed heights (longer text scrolls inside): the evidence files and "Raise an action"
        # below stay in view beside the list on a 1366x860 screen.
        self.evidence_edit = widgets.plain_text_edit("Evidence", lines=5)
        self.notes_edit = widgets.plain_text_edit("Notes", lines=3)
        for caption, edit in (("Eviden&ce:", self.evidence_edit), ("&Notes:", self.notes_edit)):
            edit.setMaximumHeight(edit.minimumHeight())
            label = QLabel(caption)
            label.setBuddy(edit)
            box.addWidget(label)
            box.addWidget(edit)

        files_label = QLabel("Evidence files:")
        self.files_list = QListWidget()
        self.files_list.setAccessibleName("Evidence files")
        self.files_list.setMaximumHeight(self.files_list.fontMetrics().lineSpacing() * 3 + 12)
        files_label.setBuddy(self.files_list)
        box.addWidget(files_label)
        box.addWidget(self.files_list)
        file_buttons = QHBoxLayout()
        self.add_file_button = QPushButton("Add file…")
        self.add_file_button.setAccessibleName("Add an evidence file")
        self.copy_file_button = QPushButton("Save a cop&y…")
        self.copy_file_button.setAccessibleName("Save a copy of the selected evidence file")
        file_buttons.addWidget(self.add_file_button)
        file_buttons.addWidget(self.copy_file_button)
        file_buttons.addStretch(1)
        box.addLayout(file_buttons)

        actions_label = QLabel("Open actions:")
        self.actions_list = QListWidget()
        self.actions_list.setAccessibleName("Open actions for this standard")
        self.actions_list.setMaximumHeight(self.actions_list.fontMetrics().lineSpacing() * 3 + 12)
        actions_label.setBuddy(self.actions_list)
        box.addWidget(actions_label)
        box.addWidget(self.actions_list)
        self.raise_button = QPushButton("Rai&se an action…")
        self.raise_button.setAccessibleName("Raise an action for this standard")
        self.raise_button.setToolTip("For a standard rated partly met or not met.")
        row = QHBoxLayout()
        row.addWidget(self.raise_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(1)
        scroll.setWidget(body)
        self.detail = body
        return scroll

    # --- loading -----------------------------------------------------------------------------

    def load(self, assessment_id: uuid.UUID) -> bool:
        """Show an assessment with its first standard selected. False (nothing changed) when
        text that could not be saved is on screen and the coordinator chose to stay."""
        if not self.finish_editing():
            return False
        self.assessment_id = assessment_id
        self._shown = None
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
            self._fit_columns(checks)
        finally:
            self._loading = False
        self._update_summary()
        self._shown = None
        if current is not None:
            self.select_check(current)
        else:
            self._show_check(None)

    def _fit_columns(self, checks: list[CheckRow]) -> None:
        """Domain headings span the whole row; columns fit the standards' codes and words, and
        the title takes the spare width."""
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        header = self.tree.header()
        metrics = self.tree.fontMetrics()
        margin = metrics.averageCharWidth() * 3
        widest_code = max((metrics.horizontalAdvance(c.code) for c in checks), default=0)
        code_width = max(widest_code, metrics.horizontalAdvance("Code"))
        self.tree.setColumnWidth(0, code_width + self.tree.indentation() + margin)
        for column, words in (
            (COL_CRITICALITY, ("Criticality", "Essential", "Expected", "Desirable")),
            (COL_RATING, tuple(r.label for r in Rating)),
            (COL_FILES, ("Evidence files",)),
        ):
            width = max(metrics.horizontalAdvance(w) for w in words) + margin
            header.setSectionResizeMode(column, header.ResizeMode.Interactive)
            self.tree.setColumnWidth(column, width)
        header.setSectionResizeMode(COL_TITLE, header.ResizeMode.Stretch)

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
        for level, label in self.tally_labels.items():
            t = s.by_criticality.get(level)
            if t is None or (t.rated == 0 and t.unrated == 0):
                label.setText("no standards of this criticality")
                continue
            percent = "–" if t.percent is None else f"{t.percent:.0f}%"
            text = f"{t.met} met of {t.rated} rated ({percent})"
            if t.unrated:
                text += f"; {t.unrated} not yet rated"
            label.setText(text)
        if locked:
            self.result_label.setText(f"Result: {s.result.value}")
        elif s.result == AccreditationResult.INCOMPLETE:
            unrated = sum(t.unrated for t in s.by_criticality.values())
            self.result_label.setText(
                f"Result if submitted now: Incomplete ({unrated} not yet rated)"
            )
        else:
            self.result_label.setText(f"Result if submitted now: {s.result.value}")
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
        locked = self.is_locked()
        has = check is not None
        self.standard_label.setText(f"{check.code} {check.title}" if check else "")
        self.facts_label.setText(
            f"{check.domain}. Criticality: {criticality_label(check.criticality)}."
            if check
            else "Select a standard in the list to see it here."
        )
        self.description_label.setText((check.description or "No description.") if check else "")
        self.guidance_label.setText(
            (check.evidence_guidance or "No guidance given.") if check else ""
        )
        self.evidence_edit.setPlainText(check.evidence if check else "")
        self.notes_edit.setPlainText(check.notes if check else "")
        for edit in (self.evidence_edit, self.notes_edit):
            edit.setReadOnly(locked or not has)
        self.rating_combo.setEnabled(has and not locked)
        if check is not None:
            widgets.select_data(self.rating_combo, check.rating)
        self.add_file_button.setEnabled(has and not locked)
        self._refresh_files()
        self.refresh_actions()

    def _refresh_files(self) -> None:
        self.files_list.clear()
        if self._shown is None:
            self.copy_file_button.setEnabled(False)
            return
        with self.ctx.db.session() as session:
            files = accreditation.evidence_files(session, self._shown.id)
        for info in files:
            size = f"{info.size_bytes / 1024:.0f} KB" if info.size_bytes >= 1024 else "under 1 KB"
            item = QListWidgetItem(f"{info.filename} ({size})")
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, info.filename)
            self.files_list.addItem(item)
        if files:
            self.files_list.setCurrentRow(0)
        self.copy_file_button.setEnabled(bool(files))

    def refresh_actions(self) -> None:
        """Show the open actions of the selected standard (called after actions change)."""
        self.actions_list.clear()
        check = self._shown
        self.raise_button.setEnabled(check is not None and check.rating in GAP_RATINGS)
        if check is None:
            return
        with self.ctx.db.session() as session:
            rows = accreditation.check_actions(session, check.id, today=self.ctx.today())
        for action in rows:
            due = f", due {widgets.format_date(action.due_on)}" if action.due_on else ""
            overdue = ", overdue" if action.overdue else ""
            item = QListWidgetItem(
                f"{action.reference} {action.title} ({action.status.label}{due}{overdue})"
            )
            item.setData(Qt.ItemDataRole.UserRole, action.id)
            self.actions_list.addItem(item)
        if not rows:
            item = QListWidgetItem("No open actions.")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.actions_list.addItem(item)

    def open_action_ids(self) -> list[uuid.UUID]:
        ids = []
        for row in range(self.actions_list.count()):
            value = self.actions_list.item(row).data(Qt.ItemDataRole.UserRole)
            if value is not None:
                ids.append(value)
        return ids

    # --- saving ------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

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
        if not self._set_rating(rating):
            return
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
        self._replace_shown(rating=rating, version=version)
        widgets.select_data(self.rating_combo, rating)
        self.raise_button.setEnabled(rating in GAP_RATINGS)
        self._say("")
        self._update_summary()
        self.changed.emit(str(self.assessment_id))
        return True

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
                    "Not saved: someone else changed this standard since you opened it. What you "
                    "typed is still here; copy what you need, then choose Show their changes."
                )
                self.theirs_button.show()
                return False
            self._read()
        finally:
            self._resolving = False
        self._say("Reloaded: this is the standard as saved, with their changes; nothing was saved.")
        return True

    def _set_refused(self, refused: tuple[uuid.UUID, str, str] | None) -> None:
        self._refused = refused
        self.theirs_button.setVisible(refused is not None)

    def show_their_changes(self) -> None:
        """Drop the text whose save was refused and read the assessment again (theirs shown)."""
        self._set_refused(None)
        self._read()
        self._say("Reloaded: this is the standard as saved, with their changes; nothing was saved.")

    def finish_editing(self) -> bool:
        """Save what is typed (before leaving the assessment, the page or the app). When it
        cannot be saved, ask whether to leave without it: False means stay."""
        if self.save_texts():
            return True
        code = self._shown.code if self._shown else ""
        if not widgets.confirm(
            self,
            "Not saved",
            f"The evidence and notes typed for standard {code} could not be saved (someone else "
            "changed it). Leave and lose them?",
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
        path = open_file_name(self, f"Attach evidence to standard {check.code}")
        if path is None:
            return
        if not accreditation_ops.add_evidence_file(self, self.ctx, check.id, path).wait().ok:
            return
        self._replace_shown(file_count=check.file_count + 1)
        self._refresh_files()
        self.files_list.setCurrentRow(self.files_list.count() - 1)
        self.changed.emit(str(self.assessment_id))

    def save_file_copy(self) -> None:
        item = self.files_list.currentItem()
        if item is None:
            return
        file_id = item.data(Qt.ItemDataRole.UserRole)
        filename = item.data(Qt.ItemDataRole.UserRole + 1)
        path = save_file_name(self, "Save a copy of the evidence file", filename)
        if path is None:
            return
        try:
            saved = accreditation.save_evidence_copy(self.ctx.db, file_id, path)
        except CoordinatorError as exc:
            widgets.inform(self, "Copy not saved", str(exc))
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

    def report_html(self) -> str:
        assert self.assessment_id is not None
        self.save_texts()
        return accreditation.assessment_report_html(
            self.ctx.db, self.assessment_id, today=self.ctx.today()
        )

    def _report_title(self) -> str:
        s = self.summary
        if s is None:
            return "Assessment report"
        return f"Accreditation assessment {s.locality_name} {s.assessed_on.isoformat()}"

    def _printing_or_say(self) -> Any:
        try:
            return _printing()
        except ImportError:
            widgets.inform(self, "Printing", "Printing is not available in this copy of the app.")
            return None

    def preview_report(self) -> None:
        printing = self._printing_or_say()
        if printing is not None and self.assessment_id is not None:
            printing.preview(self, self.report_html(), self._report_title())

    def print_report(self) -> None:
        printing = self._printing_or_say()
        if printing is not None and self.assessment_id is not None:
            printing.print_document(self, self.report_html(), self._report_title())

    def save_report_pdf(self) -> None:
        printing = self._printing_or_say()
        if printing is None or self.assessment_id is None:
            return
        path = save_file_name(
            self, "Save the report as PDF", f"{self._report_title()}.pdf", "PDF files (*.pdf)"
        )
        if path is None:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            saved = printing.write_pdf(self.report_html(), path)
        except (CoordinatorError, OSError) as exc:
            widgets.inform(self, "Report not saved", str(exc))
            return
        self._say(f"Saved the report as {saved}.")

    def _back(self) -> None:
        if self.finish_editing():
            self.backRequested.emit()


# --- the page --------------------------------------------------------------------------------


class AccreditationPage(QWidget):
    """Assessments per locality (and the checklist of one), progress over time, frameworks."""

    TAB_ASSESSMENTS, TAB_PROGRESS, TAB_FRAMEWORKS = range(3)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = False
        self._announcing = False
        self._lists_stale = False
        self.setAccessibleName("Accreditation")

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        top = QHBoxLayout()
        heading = QLabel("<h2>Accreditation</h2>")
        heading.setAccessibleName("Accreditation")
        top.addWidget(heading)
        top.addStretch(1)
        locality_label = QLabel("&Locality:")
        self.locality_combo = QComboBox()
        self.locality_combo.setAccessibleName("Locality")
        self.locality_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        locality_label.setBuddy(self.locality_combo)
        top.addWidget(locality_label)
        top.addWidget(self.locality_combo)
        layout.addLayout(top)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Accreditation sections")
        self.tabs.addTab(self._build_assessments(), "&Assessments")
        self.tabs.addTab(self._build_progress(), "Pro&gress")
        self.tabs.addTab(self._build_frameworks(), "Fra&meworks")
        layout.addWidget(self.tabs, 1)

        self.locality_combo.currentIndexChanged.connect(self._locality_changed)
        self.tabs.currentChanged.connect(self._tab_changed)
        ctx.events.accreditationChanged.connect(self._data_changed)
        ctx.events.settingsChanged.connect(self._data_changed)
        ctx.events.actionsChanged.connect(self._actions_changed)
        self.refresh()

    # --- building ----------------------------------------------------------------------------

    def _build_assessments(self) -> QWidget:
        self.assessment_stack = QStackedWidget()
        listing = QWidget()
        box = QVBoxLayout(listing)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("&New assessment…")
        self.new_button.setAccessibleName("New assessment")
        self.open_button = QPushButton("&Open")
        self.open_button.setAccessibleName("Open the selected assessment")
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.assessments_model = AssessmentsModel(parent=self)
        self.assessments_table = _list_table("Assessments of the locality", self.assessments_model)
        box.addWidget(self.assessments_table, 1)
        self.current_label = _wrapping_label("Current result")
        box.addWidget(self.current_label)
        self.assessment_stack.addWidget(listing)
        self.panel = AssessmentPanel(self.ctx)
        self.assessment_stack.addWidget(self.panel)

        self.new_button.clicked.connect(self.new_assessment)
        self.open_button.clicked.connect(
            lambda: self._open_row(self.assessments_table.current_row())
        )
        self.assessments_table.openRequested.connect(self._open_row)
        self.panel.backRequested.connect(self.show_list)
        self.panel.changed.connect(self._announce)
        return self.assessment_stack

    def _build_progress(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(QLabel("<b>Results over time</b> (submitted assessments, newest first)"))
        self.history_model = HistoryModel(parent=self)
        self.history_table = _list_table("Results over time", self.history_model)
        box.addWidget(self.history_table, 1)
        self.compare_label = _wrapping_label("Comparison of the latest two assessments")
        box.addWidget(self.compare_label)
        self.improved_model = ChangesModel(parent=self)
        self.slipped_model = ChangesModel(parent=self)
        self.improved_table = _list_table("Standards that improved", self.improved_model)
        self.slipped_table = _list_table("Standards that slipped", self.slipped_model)
        self.improved_label = QLabel("<b>Improved</b>")
        self.slipped_label = QLabel("<b>Slipped</b>")
        for label, table in (
            (self.improved_label, self.improved_table),
            (self.slipped_label, self.slipped_table),
        ):
            box.addWidget(label)
            box.addWidget(table, 1)
        self.history_table.openRequested.connect(self._open_history_row)
        return page

    def _build_frameworks(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        buttons = QHBoxLayout()
        self.import_button = QPushButton("&Import…")
        self.import_button.setAccessibleName("Import a standards framework workbook")
        self.export_button = QPushButton("&Export…")
        self.export_button.setAccessibleName("Export the selected framework as a workbook")
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.frameworks_model = FrameworksModel(parent=self)
        self.frameworks_table = _list_table("Standards frameworks", self.frameworks_model)
        box.addWidget(self.frameworks_table, 1)
        note = _wrapping_label()
        note.setText(
            "A framework workbook has a sheet Framework (Field, Value: Name, Version, Issued on) "
            "and a sheet Standards (Code, Domain, Title, Description, Evidence guidance, "
            "Criticality). A new version sits beside the old one."
        )
        box.addWidget(note)
        self.import_button.clicked.connect(self.import_framework)
        self.export_button.clicked.connect(self.export_framework)
        return page

    # --- the page contract -------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload everything from core; the open assessment stays open."""
        self._stale = False
        # The coordinator's own localities first, as on Home.
        active = [loc for loc in list_localities(self.ctx.db) if loc.active]
        active.sort(key=lambda loc: (not loc.coordinated, loc.name))
        localities = [(loc.name, loc.id) for loc in active]
        widgets.fill_combo(self.locality_combo, localities)
        self._refresh_frameworks()
        self._refresh_locality()
        if self.assessment_stack.currentWidget() is self.panel:
            self.panel.reload()

    def finish_editing(self) -> bool:
        return self.panel.finish_editing()

    def locality_id(self) -> uuid.UUID | None:
        return self.locality_combo.currentData()

    def _refresh_frameworks(self) -> None:
        current = self.frameworks_table.current_row()
        self.frameworks_model.set_rows(standards.list_frameworks(self.ctx.db))
        if self.frameworks_model.rowCount():
            self.frameworks_table.select_row(max(current, 0))
        self.export_button.setEnabled(self.frameworks_model.rowCount() > 0)

    def _refresh_locality(self) -> None:
        """The selected locality's assessments, current result, history and comparison."""
        self._lists_stale = False
        locality_id = self.locality_id()
        rows, results = [], {}
        history, comparison, current = [], None, None
        if locality_id is not None:
            with self.ctx.db.session() as session:
                rows = accreditation.list_assessments(session, locality_id)
                for row in rows:
                    results[row.id] = accreditation.assessment_summary(session, row.id).result.value
                history = accreditation.result_history(session, locality_id)
                comparison = accreditation.compare_latest_two(session, locality_id)
                current = accreditation.locality_result(session, locality_id)
        selected = self.assessments_table.current_row()
        selected_id = self.assessments_model.id_at(selected) if selected >= 0 else None
        self.assessments_model.set_results(rows, results)
        if rows:
            row = self.assessments_model.row_of(selected_id) if selected_id else 0
            self.assessments_table.select_row(max(row, 0))
        self.open_button.setEnabled(bool(rows))
        self.new_button.setEnabled(locality_id is not None)
        if current is None:
            self.current_label.setText("Choose a locality to see its assessments.")
        elif current.result == AccreditationResult.NONE:
            self.current_label.setText(
                "Current result: none yet (no assessment has been submitted)."
            )
        else:
            met = "" if current.met_percent is None else f", {current.met_percent:.1f}% met"
            self.current_label.setText(
                f"Current result: {current.result.value}{met} "
                f"(assessed {widgets.format_date(current.assessed_on)})."
            )
        self.history_model.set_rows(history)
        if comparison is None:
            self.compare_label.setText(
                "Submit two assessments of this locality to see which standards improved and "
                "which slipped."
            )
            self.improved_model.set_rows([])
            self.slipped_model.set_rows([])
        else:
            self.compare_label.setText(
                f"From the assessment of {widgets.format_date(comparison.earlier_on)} "
                f"({comparison.earlier_result.value}) to that of "
                f"{widgets.format_date(comparison.later_on)} ({comparison.later_result.value}): "
                f"{len(comparison.improved)} improved, {len(comparison.slipped)} slipped."
            )
            self.improved_model.set_rows(comparison.improved)
            self.slipped_model.set_rows(comparison.slipped)
        self.improved_label.setText(f"<b>Improved</b> ({self.improved_model.rowCount()})")
        self.slipped_label.setText(f"<b>Slipped</b> ({self.slipped_model.rowCount()})")

    # --- behaviour ---------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if index == self.TAB_PROGRESS and self._lists_stale:
            self._refresh_locality()

    def _locality_changed(self) -> None:
        if not self.show_list():
            # Unsaved text of the open assessment: stay with it, on its locality.
            summary = self.panel.summary
            if summary is not None:
                self.locality_combo.blockSignals(True)
                widgets.select_data(self.locality_combo, summary.locality_id)
                self.locality_combo.blockSignals(False)
            return
        self._refresh_locality()

    def _data_changed(self, _id: str = "") -> None:
        if self._announcing:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _actions_changed(self, _id: str = "") -> None:
        if self.assessment_stack.currentWidget() is self.panel:
            self.panel.refresh_actions()

    def _announce(self, assessment_id: str) -> None:
        """The open assessment changed: tell the other pages. The lists here are refreshed when
        next seen (back to the list, or the Progress tab), not on every key 1-4 (they cost more
        than the rating itself)."""
        self._lists_stale = True
        self._announcing = True
        try:
            self.ctx.events.accreditationChanged.emit(assessment_id)
        finally:
            self._announcing = False

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def new_assessment(self) -> None:
        assessment_id = NewAssessmentDialog.ask(self.ctx, self, locality_id=self.locality_id())
        if assessment_id is None:
            return
        self.open_assessment(assessment_id)
        self._refresh_locality()

    def open_assessment(self, assessment_id: uuid.UUID) -> None:
        """Open an assessment's checklist (its locality becomes the one shown). Nothing happens
        when the open one has text that could not be saved and the coordinator stays with it."""
        if self.assessment_stack.currentWidget() is self.panel and not self.panel.finish_editing():
            return
        with self.ctx.db.session() as session:
            locality_id = accreditation.assessment_summary(session, assessment_id).locality_id
        if locality_id != self.locality_id():
            self.locality_combo.blockSignals(True)
            widgets.select_data(self.locality_combo, locality_id)
            self.locality_combo.blockSignals(False)
            self._refresh_locality()
        self.tabs.setCurrentIndex(self.TAB_ASSESSMENTS)
        self.assessment_stack.setCurrentWidget(self.panel)
        self.panel.load(assessment_id)

    def show_list(self) -> bool:
        """Back to the list of assessments; False (the assessment stays open) when its text
        could not be saved and the coordinator chose to stay."""
        if self.assessment_stack.currentWidget() is self.panel and not self.panel.finish_editing():
            return False
        self.assessment_stack.setCurrentIndex(0)
        self._refresh_locality()
        if self.isVisible():
            self.assessments_table.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _open_row(self, row: int) -> None:
        if row >= 0:
            self.open_assessment(self.assessments_model.id_at(row))

    def _open_history_row(self, row: int) -> None:
        if row >= 0:
            self.open_assessment(self.history_model.id_at(row))

    def import_framework(self) -> None:
        path = open_file_name(self, "Import a standards framework", XLSX_FILTER)
        if path is None:
            return

        def problems(exc: CoordinatorError) -> None:
            if isinstance(exc, WorkbookError):
                FrameworkProblemsDialog.show_problems(self, exc.summary, exc.problems)
            else:
                widgets.inform(self, "Framework not loaded", str(exc))

        outcome = accreditation_ops.import_framework(self, self.ctx, path).failure(problems).wait()
        if not outcome.ok or outcome.value is None:
            return
        info = outcome.value
        self._refresh_frameworks()
        row = self.frameworks_model.row_of(info.id)
        self.frameworks_table.select_row(row)
        widgets.inform(
            self,
            "Framework loaded",
            f"Loaded '{info.name}' version {info.version} with {info.standard_count} standards.",
        )
        self._announce("")

    def export_framework(self) -> None:
        row = self.frameworks_table.current_row()
        if row < 0:
            widgets.inform(self, "Export", "Select a framework to export first.")
            return
        info = self.frameworks_model.row_at(row)
        suggested = f"{info.name} version {info.version}.xlsx".replace("/", "-")
        path = save_file_name(self, "Export the framework", suggested, XLSX_FILTER)
        if path is None:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            saved = standards.export_framework(self.ctx.db, info.id, path)
        except CoordinatorError as exc:
            widgets.inform(self, "Framework not exported", str(exc))
            return
        widgets.inform(self, "Framework exported", f"Saved '{info.name}' as {saved}.")
