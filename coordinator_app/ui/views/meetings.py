"""The Meetings page: the meetings of the coordinator's localities (or of every locality, one
click away: ``ui.scope``) in a filterable, sortable list, and the meeting editor. The locality
filter is the scope, read in SQL; the other filters work in memory on the rows read.

A stacked page: the list (filters above a table) and the editor (with "← All meetings"). The
list is loaded once from core, with each meeting's folded search text (read on the worker), and
filtered in a proxy (``models.table.RowFilterProxy``), so every keystroke answers at once with
tens of thousands of meetings; it is reloaded when meetings change, lazily (on returning to
the list) while the editor is in front, so ticking a register never re-reads 4,000 meetings.

When the page is first shown (not when it is made: a scope chosen in between is the only one
read) only the newest ``FIRST_SCREEN`` meetings are read on the GUI thread (~10 ms for 300 of
3,800), so rows show with the page; the whole list (~90 ms of SQL and rows) is read
on the one task executor and replaces them, keeping the filters, the sort and the selection
(``tasks.ListLoader``, as the Actions page does). A database with fewer meetings than a
screenful is read whole at once, with no background work. A refresh while rows are shown keeps
them until the whole list arrives. ``loaded`` says the whole list is in place.

See ``views/meeting`` (the package) for the saving model. Leaving a meeting (back, another
meeting, a new meeting, the page hidden as the window closes) first saves what is still being
typed; if that cannot be saved, the user is asked before it is thrown away.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import meetings
from ...core.meetings import MeetingRow
from ...core.rows import forum_choices
from ...core.vocab import MeetingStatus
from .. import operations, tasks, widgets
from ..context import AppContext
from ..dialogs.meeting_dialogs import NewMeetingDialog
from ..models.meetings import COL_DATE, COL_FORUM, EventsFilter, MeetingsFilter, MeetingsModel
from ..models.table import Folded
from ..operations import meetings as meeting_ops
from ..scope import MINE, ShowAllButton, many_choices, scope_choices, scope_ids
from .meeting.editor import MeetingEditor

#: How many of the newest meetings the list reads at once, before the whole list.
FIRST_SCREEN = 300


class MeetingsPage(QWidget):
    #: The whole list is in place (not emitted for the first screenful of a long list).
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._list_stale = False
        self._fitted = False
        #: The page has been shown: until then ``refresh`` reads nothing (``refresh``).
        self._ever_shown = False
        self._localities: list[meetings.LocalityRow] = []
        #: The localities whose meetings are in the model (None: all; a list never equal).
        self._loaded_scope: list[uuid.UUID] | str | None = "nothing yet"
        self._loader: tasks.ListLoader[Folded[MeetingRow]] = tasks.ListLoader(
            "meetings", self._rows_loaded, self._load_failed, count=len, parent=self
        )
        self.setAccessibleName("Meetings")

        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.list_panel = self._build_list()
        self.stack.addWidget(self.list_panel)
        # The editor is built when first needed: most visits to the page only look at the list,
        # and building its tabs is a good part of the time the list takes to open.
        self._editor: MeetingEditor | None = None
        ctx.events.meetingsChanged.connect(self._meetings_changed)
        ctx.events.participantsChanged.connect(self._parts_changed)
        ctx.events.actionsChanged.connect(self._parts_changed)
        self.refresh()  # the filters now; the rows when the page is first shown

    @property
    def editor(self) -> MeetingEditor:
        """The meeting editor, built on first use."""
        if self._editor is None:
            editor = self._editor = MeetingEditor(self.ctx)
            self.stack.addWidget(editor)
            editor.backRequested.connect(self.show_list)
            editor.openRequested.connect(self.open_meeting)
            editor.deleted.connect(self._after_delete)
        return self._editor

    def _editing(self) -> bool:
        """Whether the editor is in front (without building it)."""
        return self._editor is not None and self.stack.currentWidget() is self._editor

    def _open_id(self) -> uuid.UUID | None:
        """The meeting loaded in the editor, if the editor exists."""
        return self._editor.meeting_id if self._editor is not None else None

    # --- the list -------------------------------------------------------------------------------

    def _build_list(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setSpacing(10)
        top = QHBoxLayout()
        heading = QLabel("<h2>Meetings</h2>")
        heading.setAccessibleName("Meetings")
        top.addWidget(heading)
        top.addStretch(1)
        self.new_button = QPushButton("&New meeting…")
        self.new_button.setAccessibleName("New meeting")
        self.open_button = QPushButton("&Open")
        widgets.say_more(self.open_button, "Open the selected meeting")
        self.delete_button = QPushButton("&Delete…")
        self.delete_button.setAccessibleName("Delete the selected meeting")
        # Involvement beyond meetings (issue #28): project work, a panel, training ...
        self.activity_button = QPushButton("Other &activities…")
        widgets.say_more(self.activity_button, "Involvement activities other than meetings")
        self.activity_button.setToolTip(
            "Improvement project work, interview panels, training and other activities, with "
            "the people who took part and their payments"
        )
        for button in (self.new_button, self.activity_button, self.open_button, self.delete_button):
            top.addWidget(button)
        layout.addLayout(top)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        self.text_filter = widgets.SearchLineEdit("Filter by reference, forum, locality or venue")
        widgets.add_filter(grid, 0, 0, "F&ilter:", self.text_filter, span=3)
        self.locality_combo = many_choices(QComboBox(), 8, icons=False)
        widgets.add_filter(grid, 0, 4, "&Locality:", self.locality_combo, "Locality filter")
        self.forum_combo = many_choices(QComboBox(), 8, icons=False)
        widgets.add_filter(grid, 1, 0, "For&um:", self.forum_combo, "Forum filter")
        self.status_combo = QComboBox()
        widgets.fill_combo(
            self.status_combo, [("Any status", None), *((s.label, s) for s in MeetingStatus)]
        )
        widgets.add_filter(grid, 1, 2, "&Status:", self.status_combo, "Status filter")
        self.events_combo = QComboBox()
        widgets.fill_combo(
            self.events_combo,
            [
                ("Forums and events", EventsFilter.SHOWN),
                ("Engagement events only", EventsFilter.ONLY),
                ("Forums only (no events)", EventsFilter.HIDDEN),
            ],
        )
        widgets.add_filter(grid, 1, 4, "Events:", self.events_combo, "Engagement events filter")
        self.from_edit = widgets.DateEdit(today=self.ctx.today())
        widgets.add_filter(grid, 2, 0, "Fro&m:", self.from_edit, "Meetings from date")
        self.to_edit = widgets.DateEdit(today=self.ctx.today())
        widgets.add_filter(grid, 2, 2, "&To:", self.to_edit, "Meetings to date")
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(5, 1)
        layout.addLayout(grid)
        self.filter_errors = widgets.FormErrors()
        self.date_error = widgets.FormErrors.error_label()
        layout.addWidget(self.date_error)
        self.filter_errors.register("date_from", self.from_edit, self.date_error)
        self.filter_errors.register("date_to", self.to_edit, self.date_error)

        self.model = MeetingsModel(parent=self)
        self.proxy = MeetingsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = widgets.RecordTable("Meetings list")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        self.count_label.setAccessibleDescription("Number of meetings shown")
        self.show_all = ShowAllButton(self.locality_combo)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.show_all)
        layout.addLayout(bottom)

        self.text_filter.textChanged.connect(self._text_changed)
        self.text_filter.lead_to(self.table)
        self.locality_combo.currentIndexChanged.connect(self._locality_changed)
        for combo in (self.forum_combo, self.status_combo, self.events_combo):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.from_edit.editingFinished.connect(self._filters_changed)
        self.to_edit.editingFinished.connect(self._filters_changed)
        self.table.openRequested.connect(self._open_row)
        self.selection = tasks.KeptSelection(
            self.table, self._loader, self._shown_row_of, lambda row: self.proxy.row_at(row).id
        )
        self.table.deleteRequested.connect(self._delete_row)
        self.new_button.clicked.connect(self.new_meeting)
        self.activity_button.clicked.connect(self.record_activity)
        self.open_button.clicked.connect(lambda: self._open_row(self.table.current_row()))
        self.delete_button.clicked.connect(lambda: self._delete_row(self.table.current_row()))
        return panel

    # --- the page contract ------------------------------------------------------------------

    def focus_filter(self) -> bool:
        """Ctrl+F on this page: into the list's filter (``SearchLineEdit.take_focus``)."""
        return self.text_filter.take_focus()

    def refresh(self) -> None:
        """Reload the list (and the open meeting's lists) from core; filters, sort and selection
        are kept. While the list holds less than a screenful (first opening, a small database)
        the newest ``FIRST_SCREEN`` meetings are read here: fewer than that is the whole list,
        in place on return (``loaded`` emitted already). Otherwise the whole list is read in the
        background and replaces the rows shown when it arrives (``loaded``).

        Until the page is first shown only the locality filter is filled and the rows wait for
        the show event: a scope chosen before then ("All localities" from the start) is the
        only one read, rather than the coordinator's own screenful read and thrown away (16 to
        50 ms at sixteen times the large demo, issue #23)."""
        self._localities = meetings.list_localities(self.ctx.db)
        widgets.fill_combo(self.locality_combo, scope_choices(self._localities))
        self.show_all.sync()
        if not self._ever_shown:
            self._list_stale = True
            return
        self._list_stale = False
        self.selection.keep_current()
        self._fill_forums()
        self._apply_filters()
        db, scope, model = self.ctx.db, self._scope(), self.model
        if scope != self._loaded_scope:
            self._loaded_scope = scope
            self.model.set_rows([])  # another scope: its first screenful now, not the old rows
            # Its columns fitted to its own rows ("Show all localities" kept the widths of the
            # coordinator's localities: longer names cut short), unless sized by hand.
            self._fitted = self._fitted and self.table.sized_by_hand()

        def read(limit: int | None, _cancelled: Callable[[], bool]) -> Folded[MeetingRow]:
            # With each meeting's folded search text: no keystroke folds 60,000 of them.
            return model.folded(meetings.list_meetings(db, limit=limit, locality_ids=scope))

        shown = self.model.rowCount()
        self._loader.load(read, FIRST_SCREEN if shown < FIRST_SCREEN else None)
        if self._editing() and self._open_id() is not None:
            self.editor.reload_parts()

    def new_meeting(self) -> None:
        if not self._leave_meeting():
            return
        meeting_id = NewMeetingDialog.ask(self.ctx, self, forum_id=self.forum_combo.currentData())
        if meeting_id is not None:
            self.open_meeting(meeting_id)

    def record_activity(self) -> None:
        """Other activities (issue #28): the list, to open one or record a new one."""
        from ..dialogs.payments_dialogs import ActivitiesDialog

        ActivitiesDialog.ask(self.ctx, self)

    def open_meeting(self, meeting_id: uuid.UUID) -> None:
        if self._open_id() != meeting_id and not self._leave_meeting():
            return
        # A read that fills the editor (it returns nothing): False when refused (the meeting
        # went, or the database is away), its sentence shown.
        if not operations.attempt(
            self, "Cannot open the meeting", lambda: self.editor.load(meeting_id)
        ):
            return
        self.stack.setCurrentWidget(self.editor)
        self.editor.tabs.setFocus()

    def current_meeting_id(self) -> uuid.UUID | None:
        """The meeting in the editor, else the one selected in the list (for Print)."""
        if self._editing() and self._open_id() is not None:
            return self._open_id()
        return self.selection.current()

    def commit_pending(self) -> bool:
        """Save what is still being typed in the editor; False if something could not be saved
        (its problem is shown at the field)."""
        return self._editor is None or self._editor.commit_pending()

    def finish_editing(self) -> bool:
        """The shell calls this before the window closes: save what is being typed; if it cannot
        be saved, ask whether to close anyway. False means "stay open"."""
        return self._leave_meeting()

    def show_list(self) -> None:
        if not self._leave_meeting():
            return
        current = self._open_id()
        self.stack.setCurrentWidget(self.list_panel)
        if self._list_stale:
            self.refresh()
        if current is not None:
            self.selection.select(current)
        self.table.setFocus()

    # --- behaviour --------------------------------------------------------------------------

    def _leave_meeting(self) -> bool:
        """Save pending edits; if they cannot be saved, ask before discarding them. Then, once,
        offer the invitation update the meeting's changes call for (``offer_update``)."""
        if self._editor is None:
            return True
        if not self._editor.commit_pending():
            self.stack.setCurrentWidget(self.editor)
            if not widgets.confirm(
                self,
                "Not saved",
                "Some of this meeting's details could not be saved (the problem is shown at the "
                "field). Leave and lose those changes?",
                yes="Leave without saving",
            ):
                return False
            # Thrown away on purpose: not offered at the next start, nor saved or kept as a
            # draft when the page hides or the window closes next.
            self.editor.discard()
        self._editor.offer_update()
        return True

    def _meetings_changed(self, meeting_id: str) -> None:
        if self._editing():
            self._list_stale = True
            open_id = self._open_id()
            if open_id is not None and meeting_id in ("", str(open_id)):
                self.editor.reload_parts()
        elif self.isVisible():
            self.refresh()
        else:
            self._list_stale = True

    def _parts_changed(self, _id: str = "") -> None:
        if self._editing() and self._open_id() is not None:
            self.editor.reload_parts()
        self._list_stale = True

    def showEvent(self, event: QShowEvent) -> None:
        self._ever_shown = True
        if self._list_stale and self.stack.currentWidget() is self.list_panel:
            self.refresh()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        # The window closing or another page chosen: keep what was typed.
        if self._editor is not None:
            self._editor.commit_pending()
        # Left before the whole list arrived: give the one executor back, load again when shown.
        if self._loader.cancel():
            self._list_stale = True
        super().hideEvent(event)

    def _rows_loaded(self, rows: Folded[MeetingRow], complete: bool) -> None:
        """Rows in place (the newest screenful, or the whole list when ``complete``) in the sort
        order shown; the filters stay on the proxy; the selection is kept."""
        keep = self.selection.take()
        header = self.table.horizontalHeader()
        self.model.set_rows(rows, header.sortIndicatorSection(), header.sortIndicatorOrder())
        if keep is not None:
            self.selection.select(keep)
        self._update_count()
        if not self._fitted and self.model.rowCount():
            self._fitted = True
            self.table.fit_columns(COL_FORUM)
        if complete:
            self.loaded.emit()

    def _load_failed(self, message: str) -> None:
        self._list_stale = True  # read again when the list is next shown
        self.count_label.setText(f"Error: the meetings could not be read. {message}")

    def _scope(self) -> list[uuid.UUID] | None:
        """The localities the list reads (``ui.scope``): mine, all (None) or the one chosen."""
        return scope_ids(self.locality_combo.currentData(), self._localities)

    def _fill_forums(self) -> None:
        forums = forum_choices(self.ctx.db, self._scope())
        widgets.fill_combo(
            self.forum_combo,
            [("All forums", None), *((f"{f.name} ({f.locality_name})", f.id) for f in forums)],
        )

    def _locality_changed(self) -> None:
        """Another scope: its meetings and forums are read (the locality is a filter in SQL).
        Before the page is first shown nothing is read: the show reads the localities again and
        the scope chosen (128 localities read and listed once more, 2-3 ms at sixteen times the
        large demo, issue #23)."""
        if not self._ever_shown:
            self._list_stale = True
            return
        if self._scope() != self._loaded_scope:
            self.refresh()
        else:
            self._fill_forums()
            self._filters_changed()

    def _apply_filters(self) -> bool:
        self.proxy.locality_id = None  # the scope is read in SQL (``_scope``)
        self.proxy.forum_id = self.forum_combo.currentData()
        self.proxy.status = self.status_combo.currentData()
        self.proxy.events = self.events_combo.currentData() or EventsFilter.SHOWN
        problems: dict[str, str] = {}
        for name, edit in (("date_from", self.from_edit), ("date_to", self.to_edit)):
            try:
                setattr(self.proxy, name, edit.value())
            except ValueError as exc:
                problems[name] = str(exc)
        if problems:
            self.filter_errors.show(problems)
        else:
            self.filter_errors.clear()
        return not problems

    def _filters_changed(self) -> None:
        self._apply_filters()
        self.proxy.refilter()
        self._update_count()

    def _text_changed(self, text: str) -> None:
        tasks.note_typing()  # a loading list waits while the user types
        self.proxy.set_text(text)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        where = " in my localities" if self.locality_combo.currentData() == MINE else ""
        if self._loader.partial:
            text = f"Showing {shown} of the newest {total} meetings{where}; loading…"
        else:
            text = f"Showing {shown} of {total} meetings{where}"
        self.count_label.setText(text)

    def _shown_row_of(self, meeting_id: uuid.UUID) -> int:
        source_row = self.model.row_of(meeting_id)
        if source_row < 0:
            return -1
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        return index.row() if index.isValid() else -1

    def _open_row(self, row: int) -> None:
        if row >= 0:
            self.open_meeting(self.proxy.row_at(row).id)

    def _delete_row(self, row: int) -> None:
        if row < 0:
            return
        meeting = self.proxy.row_at(row)
        if not widgets.confirm(
            self,
            "Delete meeting?",
            f"Delete the meeting of {meeting.forum_name} on "
            f"{widgets.format_date(meeting.meeting_date)} ({meeting.reference}) with its "
            "register, agenda and payments? Actions and experience raised there are kept.",
        ):
            return
        # No version: the list holds none, and what is deleted is what the user chose here.
        deleting = meeting_ops.delete_meeting(self, self.ctx, meeting.id, expected_version=None)
        if not deleting.wait().ok:
            return
        self.model.remove(meeting.id)  # gone at once, even while a long list is read again
        self.refresh()

    def _after_delete(self, meeting_id: uuid.UUID) -> None:
        self.stack.setCurrentWidget(self.list_panel)
        self.model.remove(meeting_id)
        self.refresh()
        self.table.setFocus()
