"""The participant directory: everyone the coordinator works with, filtered as you type, each
opened in the participant dialog (Enter or double-click).

The people of the coordinator's localities (and those with no locality) are read, or of every
locality, one click away (``ui.scope``: the locality filter is the scope, read in SQL). They
are loaded once per refresh (active and inactive) with each one's folded search text, and
filtered in memory (``models.table.RowFilterProxy``), so each keystroke answers at once. The
page refreshes itself when participants or meetings change (attendance counts), at once when
visible, else when next shown.

On first opening (or in another scope) only the first ``FIRST_SCREEN`` people by name are read
on the GUI thread (from the index on lower(name): a few ms however many people the trust has),
so rows show with the page; the whole directory is read on the one task executor and replaces
them, keeping the filters, the sort and the selection (``tasks.ListLoader``, as the Meetings and
Actions pages do). With every locality of a trust-wide database (65,000 people) reading them
all on the GUI thread kept the page from opening for 1.2 s. A directory of fewer than a
screenful is read whole at once, with no background work.

Each person's last attendance and count come from the background once the whole directory is
in place. Putting them in place costs ~25 ms on the GUI thread for 4,000 people, so they wait
while the user types in the filter: the job gives way (``tasks.give_way``) before returning,
and the result is applied once typing pauses (``tasks.when_typing_pauses``), never between
keystrokes. ``figures_loaded`` says the directory and its figures are in place.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import people
from ...core.meetings import list_localities
from ...core.people import ParticipantRow
from ...core.vocab import Category
from .. import tasks, widgets
from ..context import AppContext
from ..dialogs.monitoring_dialog import EqualityMonitoringDialog, QuickEntryDialog
from ..dialogs.participant_dialog import ParticipantDialog
from ..models.participants import (
    COL_ATTENDANCES,
    COL_LAST_ATTENDED,
    COL_NAME,
    ParticipantsFilter,
    ParticipantsModel,
)
from ..models.table import Folded
from ..operations import people as people_ops
from ..scope import MINE, ShowAllButton, one_locality, scope_choices, scope_ids

#: How many people, first by name, the directory reads at once, before the whole of it.
FIRST_SCREEN = 300


class ParticipantsPage(QWidget):
    #: Each person's last attendance and count have arrived from the background.
    figures_loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = False
        self._fitted = False
        self._generation = 0
        self._figures_task: tasks.Task | None = None
        self._localities: list = []
        #: The localities whose people are in the model (None: all; a str: nothing yet).
        self._loaded_scope: list[uuid.UUID] | str | None = "nothing yet"
        self._loader: tasks.ListLoader[Folded[ParticipantRow]] = tasks.ListLoader(
            "participants", self._rows_loaded, self._load_failed, count=len, parent=self
        )
        self.setAccessibleName("Participants")

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        top = QHBoxLayout()
        heading = QLabel("<h2>Participants</h2>")
        heading.setAccessibleName("Participants")
        top.addWidget(heading)
        top.addStretch(1)
        self.new_button = QPushButton("&New participant…")
        self.edit_button = QPushButton("&Open…")
        self.delete_button = QPushButton("&Delete…")
        self.monitoring_button = QPushButton("Equality &monitoring…")
        self.forms_button = QPushButton("Monitoring form&s…")
        for button, name in (
            (self.new_button, "New participant"),
            (self.edit_button, "Open the selected participant"),
            (self.delete_button, "Delete the selected participant"),
            (self.monitoring_button, "Equality monitoring of the selected participant"),
            (self.forms_button, "Enter a stack of equality monitoring forms"),
        ):
            widgets.say_more(button, name)
            top.addWidget(button)
        layout.addLayout(top)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.text_filter = widgets.SearchLineEdit("Filter by name, organisation, email or phone")
        filter_label = QLabel("F&ilter:")
        filter_label.setBuddy(self.text_filter)
        filters.addWidget(filter_label)
        filters.addWidget(self.text_filter, 2)
        self.category_combo = self._filter_combo(filters, "&Category:", "Category filter")
        widgets.fill_combo(
            self.category_combo, [("All categories", None), *((c.label, c) for c in Category)]
        )
        self.locality_combo = self._filter_combo(filters, "&Locality:", "Locality filter")
        self.active_combo = self._filter_combo(filters, "Sho&w:", "Active filter")
        widgets.fill_combo(
            self.active_combo, [("Active", True), ("Inactive", False), ("Everyone", "all")]
        )
        layout.addLayout(filters)

        self.model = ParticipantsModel(parent=self)
        self.proxy = ParticipantsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = widgets.RecordTable("Participants list")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        self.count_label.setAccessibleDescription("Number of participants shown")
        self.show_all = ShowAllButton(self.locality_combo)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.show_all)
        layout.addLayout(bottom)

        self.selection = tasks.KeptSelection(
            self.table, self._loader, self._shown_row_of, lambda row: self.proxy.row_at(row).id
        )
        self.text_filter.textChanged.connect(self._text_changed)
        self.text_filter.lead_to(self.table)
        for combo in (self.category_combo, self.active_combo):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.locality_combo.currentIndexChanged.connect(self._locality_changed)
        self.table.openRequested.connect(self._open_row)
        self.table.deleteRequested.connect(self._delete_row)
        self.new_button.clicked.connect(self.new_participant)
        self.edit_button.clicked.connect(lambda: self._open_row(self.table.current_row()))
        self.delete_button.clicked.connect(lambda: self._delete_row(self.table.current_row()))
        self.monitoring_button.clicked.connect(
            lambda: self._monitoring_row(self.table.current_row())
        )
        self.forms_button.clicked.connect(lambda: QuickEntryDialog.ask(self.ctx, self))
        ctx.events.participantsChanged.connect(self._data_changed)
        ctx.events.meetingsChanged.connect(self._data_changed)
        self.refresh()

    @staticmethod
    def _filter_combo(layout: QHBoxLayout, label_text: str, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        label = QLabel(label_text)
        label.setBuddy(combo)
        layout.addWidget(label)
        layout.addWidget(combo, 1)
        return combo

    # --- the page contract ------------------------------------------------------------------

    def focus_filter(self) -> bool:
        """Ctrl+F on this page: into the list's filter (``SearchLineEdit.take_focus``)."""
        return self.text_filter.take_focus()

    def refresh(self) -> None:
        """Reload everyone from core; filters, sort order and the selection are kept. While the
        directory holds less than a screenful (first opening, another scope, a small database)
        the first ``FIRST_SCREEN`` people by name are read here: fewer than that is the whole
        directory. Otherwise the whole directory is read in the background and replaces the
        rows shown when it arrives; the attendance figures follow it."""
        self._stale = False
        self.selection.keep_current()
        self._localities = list_localities(self.ctx.db)
        widgets.fill_combo(self.locality_combo, scope_choices(self._localities))
        self.show_all.sync()
        self._apply_filters()
        db, scope, model = self.ctx.db, self._scope(), self.model
        if scope != self._loaded_scope:
            self._loaded_scope = scope
            self.model.set_rows([])  # another scope: its first screenful now, not the old rows

        def read(limit: int | None, _cancelled: Callable[[], bool]) -> Folded[ParticipantRow]:
            # The names now (of the localities in scope: ``ui.scope``), each with its folded
            # search text; each person's last attendance and count (the slow part) later.
            rows = people.list_participants(
                db, active=None, figures=False, locality_ids=scope, limit=limit
            )
            return model.folded(rows)

        shown = self.model.rowCount()
        self._loader.load(read, FIRST_SCREEN if shown < FIRST_SCREEN else None)

    def _rows_loaded(self, rows: Folded[ParticipantRow], complete: bool) -> None:
        """Rows in place (the first screenful, or the whole directory when ``complete``) in the
        sort order shown; the filters stay on the proxy; the selection is kept."""
        keep = self.selection.take()
        header = self.table.horizontalHeader()
        self.model.set_rows(rows, header.sortIndicatorSection(), header.sortIndicatorOrder())
        if keep is not None:
            self.selection.select(keep)
        self._update_count()
        if not self._fitted and self.model.rowCount():
            self._fitted = True
            self.table.fit_columns()
        if complete:
            self._load_figures()

    def _load_failed(self, message: str) -> None:
        self._stale = True  # read again when the directory is next shown
        self.count_label.setText(f"Error: the participants could not be read. {message}")

    def hideEvent(self, event: QHideEvent) -> None:
        """Left before the whole directory arrived: give the one executor back (a queued load
        ends at once, a running one after its query) and load again when shown."""
        if self._loader.cancel():
            self._stale = True
        super().hideEvent(event)

    def _scope(self) -> list[uuid.UUID] | None:
        """The localities the directory reads (``ui.scope``): mine, all (None) or the one
        chosen; people with no locality are in every scope."""
        return scope_ids(self.locality_combo.currentData(), self._localities)

    def _locality_changed(self) -> None:
        """Another scope: its people are read (the locality is a filter in SQL)."""
        if self._scope() != self._loaded_scope:
            self.refresh()
        else:
            self._filters_changed()

    def _load_figures(self) -> None:
        self._generation += 1
        generation, db, scope = self._generation, self.ctx.db, self._scope()
        if self._figures_task is not None:
            self._figures_task.cancel()  # superseded by this refresh

        def figures(_progress: tasks.Progress, _cancelled: tasks.Cancelled) -> tuple[int, dict]:
            result = people.attendance_figures(db, scope)
            tasks.give_way()  # someone typing: hand the figures over once they pause
            return generation, result

        task = tasks.Task(figures)
        task.signals.finished.connect(self._figures_loaded)
        task.signals.failed.connect(lambda message: widgets.inform(self, "Participants", message))
        self._figures_task = task
        tasks.submit(task)

    def _figures_loaded(self, result: tuple[int, dict]) -> None:
        """Figures arrived: applied now, or once the user pauses typing in the filter."""
        tasks.when_typing_pauses(self, lambda: self._apply_figures(result))

    def _apply_figures(self, result: tuple[int, dict]) -> None:
        generation, figures = result
        if generation != self._generation:
            return  # a newer refresh is on its way
        self._figures_task = None
        never = (None, 0)
        rows = [
            people.with_attendance(row, *figures.get(row.id, never)) for row in self.model.rows()
        ]
        self.model.update_rows(rows, (COL_LAST_ATTENDED, COL_ATTENDANCES))
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() in (COL_LAST_ATTENDED, COL_ATTENDANCES):
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.figures_loaded.emit()

    def new_participant(self) -> None:
        locality_id = one_locality(self.locality_combo.currentData(), self._localities)
        participant_id = ParticipantDialog.ask(
            self.ctx, self, name=self.text_filter.text(), locality_id=locality_id
        )
        if participant_id is not None:
            self.text_filter.clear()
            self.selection.select(participant_id)
            self.refresh()

    def open_participant(self, participant_id: uuid.UUID) -> None:
        if ParticipantDialog.ask(self.ctx, self, participant_id=participant_id) is not None:
            self.selection.select(participant_id)
            self.refresh()

    def finish_editing(self) -> bool:
        """Nothing is ever pending here (the editor is a modal dialog): always True."""
        return True

    def current_participant_id(self) -> uuid.UUID | None:
        return self.selection.current()

    # --- behaviour --------------------------------------------------------------------------

    def _data_changed(self, _id: str = "") -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def _text_changed(self, text: str) -> None:
        tasks.note_typing()  # the figures wait while the user types
        self.proxy.set_text(text)
        self._update_count()

    def _apply_filters(self) -> None:
        self.proxy.category = self.category_combo.currentData()
        self.proxy.locality_id = None  # the scope is read in SQL (``_scope``)
        active = self.active_combo.currentData()
        self.proxy.active = None if active == "all" else active

    def _filters_changed(self) -> None:
        self._apply_filters()
        self.proxy.refilter()
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        where = " in my localities" if self.locality_combo.currentData() == MINE else ""
        if self._loader.partial:
            text = f"Showing {shown} of the first {total} participants{where}; loading…"
        else:
            text = f"Showing {shown} of {total} participants{where}"
        self.count_label.setText(text)

    def _shown_row_of(self, participant_id: uuid.UUID) -> int:
        source_row = self.model.row_of(participant_id)
        if source_row < 0:
            return -1
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        return index.row() if index.isValid() else -1

    def _select(self, participant_id: uuid.UUID) -> None:
        self.selection.select(participant_id)

    def _open_row(self, row: int) -> None:
        if row >= 0:
            self.open_participant(self.proxy.row_at(row).id)

    def _monitoring_row(self, row: int) -> None:
        """The selected person's equality monitoring: opened only here, never in the list."""
        if row < 0:
            widgets.inform(self, "Equality monitoring", "Select a participant first.")
            return
        person = self.proxy.row_at(row)
        EqualityMonitoringDialog.ask(self.ctx, person.id, person.name, self)

    def _delete_row(self, row: int) -> None:
        if row < 0:
            return
        person = self.proxy.row_at(row)
        if not widgets.confirm(
            self,
            "Delete participant?",
            f"Delete {person.name} from the directory? This cannot be undone. "
            "(To keep their attendance in the figures, mark them inactive instead.)",
        ):
            return
        if people_ops.delete_participant(self, self.ctx, person.id).wait().ok:
            self.refresh()
