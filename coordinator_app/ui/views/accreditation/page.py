"""The Accreditation page: a locality's assessments and the checklist of one (the assessment
panel), its progress over time, and the standards frameworks (their own tab).

Contract for the window: ``AccreditationPage(ctx)``; ``refresh()`` reads everything again (the
open assessment stays open); ``open_assessment(id)`` opens one (from the Actions page);
``finish_editing()`` saves what is typed before the page or the app is left (False: stay).
The lists here are read again when next seen after the open assessment changes, not on every
rating (they cost more than the rating itself).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ....core import accreditation
from ....core.meetings import list_localities
from ....core.rules import AccreditationResult
from ... import widgets
from ...context import AppContext
from ...dialogs.assessment_dialogs import NewAssessmentDialog
from ...models.accreditation_tables import AssessmentsModel, ChangesModel, HistoryModel
from .common import list_table, wrapping_label
from .frameworks import FrameworksTab
from .panel import AssessmentPanel


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
        self.frameworks = FrameworksTab(ctx, self._announce)
        self.tabs.addTab(self.frameworks, "Fra&meworks")
        # The tab's list and buttons, where the tests have always found them.
        self.frameworks_model = self.frameworks.frameworks_model
        self.frameworks_table = self.frameworks.frameworks_table
        self.import_button = self.frameworks.import_button
        self.export_button = self.frameworks.export_button
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
        self.assessments_table = list_table("Assessments of the locality", self.assessments_model)
        box.addWidget(self.assessments_table, 1)
        self.current_label = wrapping_label("Current result")
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
        self.history_table = list_table("Results over time", self.history_model)
        box.addWidget(self.history_table, 1)
        self.compare_label = wrapping_label("Comparison of the latest two assessments")
        box.addWidget(self.compare_label)
        self.improved_model = ChangesModel(parent=self)
        self.slipped_model = ChangesModel(parent=self)
        self.improved_table = list_table("Standards that improved", self.improved_model)
        self.slipped_table = list_table("Standards that slipped", self.slipped_model)
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

    # --- the page contract -------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload everything from core; the open assessment stays open."""
        self._stale = False
        # The coordinator's own localities first, as on Home.
        active = [loc for loc in list_localities(self.ctx.db) if loc.active]
        active.sort(key=lambda loc: (not loc.coordinated, loc.name))
        localities = [(loc.name, loc.id) for loc in active]
        widgets.fill_combo(self.locality_combo, localities)
        self.frameworks.refresh()
        self._refresh_locality()
        if self.assessment_stack.currentWidget() is self.panel:
            self.panel.reload()

    def finish_editing(self) -> bool:
        return self.panel.finish_editing()

    def locality_id(self) -> uuid.UUID | None:
        return self.locality_combo.currentData()

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
            found = self.assessments_model.row_of(selected_id) if selected_id else 0
            self.assessments_table.select_row(max(found, 0))
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
