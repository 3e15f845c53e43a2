"""The Actions page: the action tracker and "You said, we did" (two tabs).

The tracker reads the actions of the coordinator's localities ("My localities", the first
choice of the locality filter when some but not all localities are theirs: ``ui.scope``), or of
every locality, one click away; with every locality read, a locality chosen is a filter in
memory with its counts, as the other filters are.

On first opening the tracker reads the newest ``FIRST_SCREEN`` actions at once (one short
query, ~30 ms), so rows are shown with the page (18,000 actions on a 2-core test box: rows
shown 90-140 ms after the page is made). The whole list is then read OFF the GUI thread through
the one task executor (``read_tracker``: ``core.actions.tracker_rows``, the names for the
filters and the filters' index, all plain Python) and replaces the screenful, keeping the
filters chosen and the selection. Every filter then works in memory in ``ActionsFilter``
(keystrokes 6-20 ms including the repaint); nothing is re-queried per keystroke. A page hidden
before its list arrived cancels the load (the executor is shared) and loads again when shown.
The plumbing (screenful, background read, superseded and cancelled loads, typing) is
``tasks.ListLoader``, shared with the Meetings page. An edited action is re-read alone and put
in place; a new one reloads the list.

Page contract: ``ActionsPage(ctx, parent=None)``, ``refresh()``, ``open_action(action_id)``,
``refresh_if_stale()``; signals ``openMeeting(uuid)`` and ``openAssessment(uuid)`` ask the shell
to show an action's source, ``loaded`` says the whole list has arrived.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import actions, meetings
from ...core.actions import ActionSource, PriorityRow, TrackerRow
from ...core.db import Database
from ...core.errors import ExportCancelled
from ...core.meetings import LocalityRow
from ...core.rows import ForumChoice, forum_choices
from ...core.vocab import ActionLevel, ActionStatus
from .. import operations, tasks, widgets
from ..context import AppContext
from ..dialogs.action_editor import ActionEditor
from ..models.actions import (
    COL_RAISED,
    COL_STATUS,
    COL_TITLE,
    OPEN_NOW,
    ActionsFilter,
    ActionsModel,
    RowIndex,
    build_index,
    count_label,
)
from ..scope import (
    EVERY,
    MINE,
    ShowAllButton,
    many_choices,
    one_locality,
    scope_choices,
    scope_ids,
)

#: The "any" choice of a filter. Pitfall (PySide6 6.12 on Python 3.11): every read of an item
#: whose data is None (``currentData``, ``itemData``) drops a reference to None without taking
#: one, and enough of them crash the process ("deallocating None"). Combos here never hold None.
ANY = "*any*"


def _action_id(text: str) -> uuid.UUID | None:
    """The action an ``actionsChanged`` names, or None when it names none (a review's piece
    may name another record)."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


class CountedCombo(QComboBox):
    """A filter's list that counts its choices just before it opens."""

    popupAboutToShow = Signal()

    def showPopup(self) -> None:
        self.popupAboutToShow.emit()
        super().showPopup()


@dataclass(frozen=True)
class Loaded:
    """What one load reads: the rows, the filters' index and the choices."""

    today: date
    rows: list[TrackerRow]
    index: RowIndex
    priorities: list[PriorityRow]
    localities: list[LocalityRow]
    forums: list[ForumChoice]
    owners: list[str]


def owners_of(rows: list[TrackerRow]) -> list[str]:
    return sorted({r.owner for r in rows if r.owner}, key=str.casefold)


#: The widest count the labels beside the list and the tick boxes keep room for.
WIDEST_COUNT = 9_999_999
_NO_LIMIT = 16_777_215  #: Qt's QWIDGETSIZE_MAX (not exported by PySide6)


def hold_still(widget: QLabel | QCheckBox, widest: str) -> None:
    """Fix the size of ``widget`` (a label or a tick box whose text is a count) to what its
    text ``widest`` needs. Pitfall: a text changed calls ``updateGeometry``, which goes up the
    layouts to the page's ``QTabWidget``, and a ``QTabWidget`` lays itself out and repaints
    itself whole, every filter and the list, on each such request: with the counts changing on
    every keystroke that was 5-8 ms of each keystroke at sixteen times the data. A widget of
    fixed size sends nothing up (a count only repaints itself). Worked out again only when
    ``widest`` or the font changes (a label's size hint is at least its minimum size)."""
    held = (widest, widget.font().key())
    if widget.property("held_for") == held:
        return
    widget.setMinimumSize(0, 0)
    widget.setMaximumSize(_NO_LIMIT, _NO_LIMIT)
    metrics = widget.fontMetrics()
    hint = widget.sizeHint()
    flags = int(Qt.TextFlag.TextShowMnemonic.value)
    room = metrics.size(flags, widest).width() - metrics.size(flags, widget.text()).width()
    widget.setFixedSize(hint.width() + max(0, room), hint.height())
    widget.setProperty("held_for", held)


#: How many of the newest actions the page reads at once on first opening, before the rest.
FIRST_SCREEN = 300


def read_tracker(
    db: Database,
    today: date,
    limit: int | None = None,
    cancelled: Callable[[], bool] | None = None,
    locality_ids: list[uuid.UUID] | None = None,
) -> Loaded:
    """Core reads plus the pure-Python filter index (no Qt), so it can run on the worker thread.
    With ``limit``: only the newest ``limit`` actions; ``locality_ids``: only those localities'
    (the page's scope, ``ui.scope``; None for all). ``cancelled()`` is read between the steps
    (``ExportCancelled`` when true: the page was left meanwhile)."""
    rows = actions.tracker_rows(
        db,
        today=today,
        limit=limit,
        checkpoint=tasks.give_way if limit is None else None,
        locality_ids=locality_ids,
    )
    if cancelled is not None and cancelled():
        raise ExportCancelled("The actions list was not needed any more.")
    if limit is None:
        tasks.give_way()  # the index is built in long C loops that keep the interpreter
    # The scope's forums only (a trust-wide database has hundreds); all of them should an action
    # come from a meeting of another locality's forum, so that every row's forum has its name.
    forums = forum_choices(db, locality_ids)
    if locality_ids is not None:
        known = {f.id.hex for f in forums}
        if any(r.forum_key and r.forum_key not in known for r in rows):
            forums = forum_choices(db)
    return Loaded(
        today,
        rows,
        build_index(rows, text=limit is None),
        actions.list_priorities(db, include_retired=True),
        meetings.list_localities(db),
        forums,
        owners_of(rows),
    )


class ActionsPage(QWidget):
    openMeeting = Signal(uuid.UUID)
    openAssessment = Signal(uuid.UUID)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Actions")
        self._stale = False
        self._loaded_for: date | None = None
        self._localities: list[LocalityRow] = []
        #: The localities whose actions are in the model (None: all; a str: nothing yet).
        self._loaded_scope: list[uuid.UUID] | str | None = "nothing yet"
        self._fitted = False
        self._loader: tasks.ListLoader[Loaded] = tasks.ListLoader(
            "actions", self._rows_loaded, self._load_failed, parent=self
        )
        self.you_said: QWidget | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Actions views")
        outer.addWidget(self.tabs)
        self.tracker = self._build_tracker()
        self.tabs.addTab(self.tracker, "&Tracker")
        self.tabs.addTab(QWidget(), "&You said, we did")
        self.tabs.currentChanged.connect(self._tab_changed)

        ctx.events.actionsChanged.connect(self._actions_changed)
        ctx.events.settingsChanged.connect(self._settings_changed)
        ctx.events.meetingsChanged.connect(self._mark_stale)
        self.refresh()

    # --- building ---------------------------------------------------------------------------

    def _build_tracker(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setSpacing(8)
        top = QHBoxLayout()
        heading = QLabel("<h2>Actions</h2>")
        top.addWidget(heading)
        top.addStretch(1)
        self.new_button = QPushButton("&New action…")
        self.open_button = QPushButton("&Open")
        self.open_button.setAccessibleName("Open the selected action")
        self.email_button = QPushButton("E&mail owners…")
        self.email_button.setAccessibleName("Email owners their open actions")
        for button in (self.new_button, self.open_button, self.email_button):
            top.addWidget(button)
        layout.addLayout(top)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        self.text_filter = widgets.SearchLineEdit("Filter by reference, action or owner")
        widgets.add_filter(grid, 0, 0, "F&ilter:", self.text_filter, span=3)
        self.status_combo = self._combo("Status filter")
        widgets.add_filter(grid, 0, 4, "&Status:", self.status_combo)
        self.overdue_check = QCheckBox("Over&due now")
        # Named by their text as it stands, its count included (WCAG 2.5.3: "Overdue now (9)"
        # was heard as "Overdue now only"); what they do follows it.
        self.overdue_check.setAccessibleDescription("Show only the actions overdue now")
        self.due_soon_check = QCheckBox("Due this wee&k")
        self.due_soon_check.setAccessibleDescription("Show only the actions due this week")
        checks = QHBoxLayout()
        checks.addWidget(self.overdue_check)
        checks.addWidget(self.due_soon_check)
        checks.addStretch(1)
        grid.addLayout(checks, 0, 6, 1, 2)
        self.level_combo = self._combo("Level filter")
        widgets.add_filter(grid, 1, 0, "&Level:", self.level_combo)
        self.priority_combo = self._combo("Strategic priority filter")
        widgets.add_filter(grid, 1, 2, "&Priority:", self.priority_combo)
        self.locality_combo = self._combo("Locality filter")
        widgets.add_filter(grid, 1, 4, "Lo&cality:", self.locality_combo)
        self.forum_combo = self._combo("Forum filter")
        widgets.add_filter(grid, 1, 6, "For&um:", self.forum_combo)
        self.owner_combo = self._combo("Owner filter")
        widgets.add_filter(grid, 2, 0, "O&wner:", self.owner_combo)
        self.from_edit = widgets.DateEdit(today=self.ctx.today())
        widgets.add_filter(grid, 2, 2, "Due from:", self.from_edit, "Due from date")
        self.to_edit = widgets.DateEdit(today=self.ctx.today())
        widgets.add_filter(grid, 2, 4, "Due to:", self.to_edit, "Due to date")
        self.clear_button = QPushButton("Cle&ar filters")
        grid.addWidget(self.clear_button, 2, 7)
        for column in (1, 3, 5, 7):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid)
        self.filter_errors = widgets.FormErrors()
        self.date_error = widgets.FormErrors.error_label()
        layout.addWidget(self.date_error)
        self.filter_errors.register("due_from", self.from_edit, self.date_error)
        self.filter_errors.register("due_to", self.to_edit, self.date_error)

        self.model = ActionsModel(self)
        self.proxy = ActionsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = widgets.RecordTable("Actions list")
        self.table.setModel(self.proxy)
        self.selection = tasks.KeptSelection(
            self.table, self._loader, self.proxy.proxy_row_of, lambda row: self.proxy.row_at(row).id
        )
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(COL_RAISED, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 8)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel("Loading actions…")
        self.count_label.setAccessibleDescription("Number of actions shown")
        self.show_all = ShowAllButton(self.locality_combo, ANY)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.show_all)
        layout.addLayout(bottom)

        self.text_filter.textChanged.connect(self._text_changed)
        self.text_filter.lead_to(self.table)
        for combo in (
            self.status_combo,
            self.level_combo,
            self.priority_combo,
            self.locality_combo,
            self.forum_combo,
            self.owner_combo,
        ):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.overdue_check.toggled.connect(self._filters_changed)
        self.due_soon_check.toggled.connect(self._filters_changed)
        self.from_edit.editingFinished.connect(self._filters_changed)
        self.to_edit.editingFinished.connect(self._filters_changed)
        self.clear_button.clicked.connect(self.clear_filters)
        self.table.openRequested.connect(self._open_row)
        self.new_button.clicked.connect(self.new_action)
        self.open_button.clicked.connect(lambda: self._open_row(self.table.current_row()))
        self.email_button.clicked.connect(self.email_owners)

        self._choices: dict[QComboBox, list[tuple[str, object]]] = {}
        self._fill(
            self.status_combo,
            [
                ("Any status", ANY),
                ("Open now (open or in progress)", OPEN_NOW),
                *((s.label, s) for s in ActionStatus),
            ],
        )
        self._fill(self.level_combo, [("Any level", ANY), *((lv.label, lv) for lv in ActionLevel)])
        return panel

    def _combo(self, name: str) -> QComboBox:
        combo = CountedCombo()
        combo.popupAboutToShow.connect(lambda c=combo: self.update_choice_counts(c))
        combo.setAccessibleName(name)
        return many_choices(combo)

    # --- the page contract ------------------------------------------------------------------

    def focus_filter(self) -> bool:
        """Ctrl+F on this page: into the list's filter (``SearchLineEdit.take_focus``)."""
        return self.text_filter.take_focus()

    def refresh(self) -> None:
        """Reload everything in the background (rows, names, the filters' index); the filters
        chosen and the selection are kept. Only when the list is empty (first opening) is the
        newest screenful (``FIRST_SCREEN`` rows) read here on the GUI thread, so rows show at
        once; ``loaded`` is emitted when the whole list has arrived, not for that screenful."""
        self._stale = False
        self.selection.keep_current()
        today = self.ctx.today()
        self._loaded_for = today
        db = self.ctx.db
        self._localities = meetings.list_localities(db)
        self._fill_localities()
        scope = self._scope()
        if scope != self._loaded_scope:
            self._loaded_scope = scope
            self.model.set_rows([])  # another scope: its first screenful now, not the old rows

        def read(limit: int | None, cancelled: Callable[[], bool]) -> Loaded:
            return read_tracker(db, today, limit, cancelled, scope)

        # First opening: the newest screenful now (one short query per locality in scope, a
        # few ms whatever the size of the database), so rows are shown at once; the whole list
        # replaces it from the worker.
        self._loader.load(read, FIRST_SCREEN if self.model.rowCount() == 0 else None)

    def _scope(self) -> list[uuid.UUID] | None:
        """The localities read (``ui.scope``): "My localities" reads mine; any other choice
        reads every locality, and a locality chosen is then a filter with counts in memory
        (``ActionsFilter``), as before the scope."""
        if self.locality_combo.currentData() == MINE:
            return scope_ids(MINE, self._localities)
        return None

    def _fill_localities(self) -> None:
        choices = scope_choices(self._localities, key=lambda loc: loc.id.hex)
        self._fill(
            self.locality_combo,
            [(text, ANY if data == EVERY else data) for text, data in choices],
        )
        self.show_all.sync()

    def refresh_if_stale(self) -> None:
        if self._stale or self._loaded_for != self.ctx.today():
            self.refresh()

    def open_action(self, action_id: uuid.UUID) -> None:
        """Show the tracker with the action selected and open it in the editor."""
        self.tabs.setCurrentWidget(self.tracker)
        self.selection.select(action_id)
        opened = operations.read(  # the action may have gone since the list was read
            self, "Cannot open the action", lambda: ActionEditor.ask(self.ctx, action_id, self)
        )
        if opened is None:
            return
        saved, source = opened
        if saved is not None:
            self.selection.select(saved)
        if source is not None:
            self.open_source(source)

    def new_action(self) -> None:
        locality_id = one_locality(
            self.locality_combo.currentData(), self._localities, key=lambda loc: loc.id.hex
        )
        saved, _source = ActionEditor.ask(self.ctx, None, self, locality_id=locality_id)
        if saved is not None:
            self.selection.select(saved)

    def open_source(self, source: ActionSource) -> None:
        if source.meeting_id is not None:
            self.openMeeting.emit(source.meeting_id)
        elif source.assessment_id is not None:
            self.openAssessment.emit(source.assessment_id)

    def email_owners(self) -> None:
        from ..dialogs.email_owners import EmailOwnersDialog

        chosen = self.locality_combo.currentData()
        EmailOwnersDialog.ask(
            self.ctx,
            self,
            locality_ids=scope_ids(
                EVERY if chosen == ANY else chosen, self._localities, key=lambda loc: loc.id.hex
            ),
        )

    def clear_filters(self) -> None:
        for combo in (
            self.status_combo,
            self.level_combo,
            self.priority_combo,
            self.locality_combo,
            self.forum_combo,
            self.owner_combo,
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for check in (self.overdue_check, self.due_soon_check):
            check.blockSignals(True)
            check.setChecked(False)
            check.blockSignals(False)
        self.from_edit.clear()
        self.to_edit.clear()
        self.text_filter.blockSignals(True)
        self.text_filter.clear()
        self.text_filter.blockSignals(False)
        self.proxy.set_text("")
        self._filters_changed()

    # --- loading ----------------------------------------------------------------------------

    def _fill_choices(self, loaded: Loaded) -> None:
        """Names of priorities, localities, forums for the table; the filters' choices."""
        priorities, localities, forums = loaded.priorities, loaded.localities, loaded.forums
        names: dict[str, str] = {}
        for p in priorities:
            names[p.id.hex] = p.name
        for loc in localities:
            names[loc.id.hex] = loc.name
        for f in forums:
            names[f.id.hex] = f.name
        self.model.set_names(names)
        self._fill(
            self.priority_combo,
            [
                ("Any priority", ANY),
                ("No priority", ""),
                *((f"{p.name} (retired)" if p.retired else p.name, p.id.hex) for p in priorities),
            ],
        )
        self._localities = localities
        self._fill_localities()
        self._fill(
            self.forum_combo,
            [
                ("All forums", ANY),
                *((f"{f.name} ({f.locality_name})", f.id.hex) for f in forums),
            ],
        )
        self._fill_owners(loaded.owners)

    def _fill_owners(self, names: list[str] | None = None) -> None:
        """Owners come from the rows loaded (no query of their own)."""
        if names is None:
            names = owners_of(self.model.rows())
        self._fill(
            self.owner_combo, [("Any owner", ANY), ("No owner", ""), *((o, o) for o in names)]
        )

    def _fill(self, combo: QComboBox, items: list[tuple[str, object]]) -> None:
        widgets.fill_combo(combo, items)
        self._choices[combo] = list(items)

    def _chosen(self, combo: QComboBox) -> Any:
        """The chosen value; None for "any" (see ``ANY``)."""
        data = combo.currentData()
        return None if data == ANY else data

    def _rows_loaded(self, loaded: Loaded, complete: bool) -> None:
        keep = self.selection.take()
        rows = loaded.rows
        self.model.today = loaded.today
        self._fill_choices(loaded)
        self.proxy.expect(loaded.index)
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        section, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        if (section, order) != (COL_RAISED, Qt.SortOrder.DescendingOrder):
            self.model.sort(section, order)  # rows arrive newest raised first already
        self._apply_filters()
        if not self._fitted and rows:
            self._fitted = True
            self._fit_columns()
        if keep is not None:
            self.selection.select(keep)
        if complete:
            self.loaded.emit()  # not for the first screenful: the whole list is still coming

    def _fit_columns(self) -> None:
        """Contents decide the widths (the widest give way when the window is narrow); the
        status always has room for "Overdue 365 days · In progress"; the action's title takes
        the spare width."""
        status_width = self.fontMetrics().horizontalAdvance("Overdue 365 days · In progress") + 40
        self.table.fit_columns(COL_TITLE, at_least={COL_STATUS: status_width})

    def _load_failed(self, message: str) -> None:
        self.count_label.setMinimumSize(0, 0)  # the message as wide as it needs (hold_still)
        self.count_label.setMaximumSize(_NO_LIMIT, _NO_LIMIT)
        self.count_label.setProperty("held_for", None)
        self.count_label.setText(f"Error: the actions could not be read. {message}")

    def _actions_changed(self, action_id: str) -> None:
        if not action_id or self.model.rowCount() == 0:
            self._mark_stale()
            return
        changed = _action_id(action_id)
        rows: list[TrackerRow] = []
        if changed is not None:  # quiet: a row not read now is read with the list (stale below)
            rows = (
                operations.read(
                    self,
                    "Actions",
                    lambda: actions.tracker_rows(
                        self.ctx.db, today=self.model.today, action_ids=[changed]
                    ),
                    quiet=True,
                )
                or []
            )
        if rows and self.model.replace_row(rows[0]):
            self._refresh_owner_choices(rows[0].owner)
            self._update_counts()
            return
        if rows:
            self.selection.select(rows[0].id)  # new, or no longer shown: selected when reloaded
        self._mark_stale()

    def _refresh_owner_choices(self, owner: str) -> None:
        if owner and widgets.find_data(self.owner_combo, owner) < 0:
            self._fill_owners()

    def _settings_changed(self) -> None:
        self._mark_stale()  # priorities renamed, retired or added: names and choices reload

    def _mark_stale(self, *_args: object) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh_if_stale()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        """Left before the whole list arrived: give the one executor back (a queued load ends
        at once, a running one after its query) and load again when shown."""
        if self._loader.cancel():
            self._stale = True
        super().hideEvent(event)

    # --- filtering --------------------------------------------------------------------------

    def _apply_filters(self) -> None:
        proxy = self.proxy
        proxy.status = self._chosen(self.status_combo)
        proxy.level = self._chosen(self.level_combo)
        proxy.priority_key = self._chosen(self.priority_combo)
        chosen_locality = self._chosen(self.locality_combo)
        proxy.locality_key = None if chosen_locality == MINE else chosen_locality
        proxy.forum_key = self._chosen(self.forum_combo)
        proxy.owner = self._chosen(self.owner_combo)
        proxy.overdue_only = self.overdue_check.isChecked()
        proxy.due_soon_only = self.due_soon_check.isChecked()
        problems: dict[str, str] = {}
        for name, edit in (("due_from", self.from_edit), ("due_to", self.to_edit)):
            try:
                setattr(proxy, name, edit.value())
            except ValueError as exc:
                problems[name] = str(exc)
        if problems:
            self.filter_errors.show(problems, focus=False)
        else:
            self.filter_errors.clear()
        proxy.refilter()
        self._update_counts()

    def _filters_changed(self, *_args: object) -> None:
        if self._scope() != self._loaded_scope:
            self.refresh()  # "My localities" chosen or left: another scope is read
            return
        self._apply_filters()

    def _text_changed(self, text: str) -> None:
        tasks.note_typing()  # a loading list waits while the user types
        self.proxy.set_text(text)
        self._update_counts()

    def _facet_combos(self) -> tuple[tuple[QComboBox, str], ...]:
        return (
            (self.status_combo, "status"),
            (self.level_combo, "level"),
            (self.priority_combo, "priority"),
            (self.locality_combo, "locality"),
            (self.forum_combo, "forum"),
            (self.owner_combo, "owner"),
        )

    def _update_counts(self) -> None:
        """After a filter change: the count beside each filter's choice in force (always the
        rows shown) and beside the two tick boxes. The other choices are counted when their
        list opens (``update_choice_counts``), so typing never pays for 300 owners' counts."""
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        for combo, _facet in self._facet_combos():
            choices = self._choices.get(combo, [])
            index = combo.currentIndex()
            if 0 <= index < len(choices):
                self._set_item_text(combo, index, count_label(choices[index][0], shown))
        for check, facet, text in (
            (self.overdue_check, "overdue", "Over&due now"),
            (self.due_soon_check, "due_soon", "Due this wee&k"),
        ):
            label = count_label(text, self.proxy.flag_count(facet))
            if check.text() != label:
                check.setText(label)
            hold_still(check, count_label(text, WIDEST_COUNT))
        where = " in my localities" if self._loaded_scope not in (None, "nothing yet") else ""
        hold_still(
            self.count_label,
            f"Showing {WIDEST_COUNT:,} of the newest {WIDEST_COUNT:,} actions{where}; loading…",
        )
        if self._loader.partial:
            self.count_label.setText(
                f"Showing {shown:,} of the newest {total:,} actions{where}; loading…"
            )
        else:
            self.count_label.setText(f"Showing {shown:,} of {total:,} actions{where}")

    def update_choice_counts(self, combo: QComboBox) -> None:
        """Count every choice of ``combo`` given the other filters (its list is opening)."""
        facet = dict((id(c), f) for c, f in self._facet_combos()).get(id(combo))
        if facet is None or self.model.rowCount() == 0:
            return
        counts = self.proxy.counts_for(facet)
        mine_only = self._loaded_scope is not None  # only my localities' actions are read
        mine = {loc.id.hex for loc in self._localities if loc.coordinated}
        for index, (base, data) in enumerate(self._choices.get(combo, [])):
            count: int | None = counts.get(None if data == ANY else data, 0)
            if facet == "locality":
                if data == MINE:
                    count = (
                        counts.get(None, 0) if mine_only else sum(counts.get(k, 0) for k in mine)
                    )
                elif mine_only and (data == ANY or data not in mine):
                    count = None  # not read: "Show all localities" reads them
            self._set_item_text(combo, index, count_label(base, count))

    @staticmethod
    def _set_item_text(combo: QComboBox, index: int, text: str) -> None:
        if combo.itemText(index) != text:
            combo.setItemText(index, text)

    # --- rows -------------------------------------------------------------------------------

    def _open_row(self, row: int) -> None:
        if row >= 0:
            self.open_action(self.proxy.row_at(row).id)

    # --- you said, we did -------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if index == 1 and self.you_said is None:
            from .you_said_we_did import YouSaidWeDidView

            self.you_said = YouSaidWeDidView(self.ctx)
            self.tabs.blockSignals(True)
            old = self.tabs.widget(1)
            self.tabs.removeTab(1)
            if old is not None:
                old.deleteLater()
            self.tabs.insertTab(1, self.you_said, "&You said, we did")
            self.tabs.setCurrentIndex(1)
            self.tabs.blockSignals(False)
