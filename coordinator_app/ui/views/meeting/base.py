"""What the meeting editor's tabs share: the ``Host`` they are given (the editor's shell, narrowed
to what a tab may use), the ``Tab`` base class, and the small builders of their layouts.

Contract: a tab is a ``QWidget`` made by the shell (``editor.MeetingEditor``) with the shell as
its ``host``. It reads the meeting from ``host.detail`` and shows it in ``show_parts``, which the
shell calls with ``host.loading`` True (signals of its own lists that fire meanwhile must do
nothing). It writes through ``ui/operations`` with ``self`` as the operation's parent, keeps
``host.version`` up to date from every write that returns it, and says how a save ended through
the host (``saved``, ``set_save_state``, ``conflict``, ``not_saved``, ``unsaved``). It never
announces a change itself: the operation does, once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from ....core import projects
from ....core.errors import ConflictError, CoordinatorError
from ....core.meetings import MeetingDetail
from ... import operations, widgets
from ...context import AppContext
from ...dialogs.project_dialog import ProjectDialog


class Host(Protocol):
    """What a tab may use of the editor that holds it (``editor.MeetingEditor``)."""

    ctx: AppContext
    #: The meeting shown (None before ``load`` and once it is deleted).
    meeting_id: uuid.UUID | None
    #: The meeting as last read (``reload_parts``): its lists, forum, locality.
    detail: MeetingDetail | None
    #: The meeting's version the fields stand for: pass it to every write that takes one and
    #: keep what the write returns (never set it from a read).
    version: int | None

    @property
    def loading(self) -> bool:
        """True while the shell fills the tabs (list signals must not save then)."""
        ...

    @property
    def resolving(self) -> bool:
        """True while a conflict is being answered (a save then only keeps a draft)."""
        ...

    def saved(self) -> None:
        """Say "All changes saved" on the status line."""
        ...

    def set_save_state(self, text: str) -> None: ...

    def conflict(self, exc: ConflictError) -> None:
        """Someone else saved the meeting first: ask Reload / Keep editing."""
        ...

    def not_saved(
        self, part: str, exc: CoordinatorError, *, idle: bool, title: str = "Not saved"
    ) -> None:
        """A save of a draftable ``part`` refused for a conflict or with a sentence."""
        ...

    def unsaved(self, part: str, problem: str) -> bool:
        """The idle save could not save ``part``: kept as a draft, said on the status line."""
        ...

    def offer_to_mark_held(self) -> None:
        """Someone was marked present or paid at a meeting still marked planned whose day has
        come (today's too): offer, once per opening, to mark it held (only held meetings count
        in the return)."""
        ...

    def check_invitation(self, *, wrote: bool, idle: bool) -> None:
        """A save of the details or the link ended (``wrote``: it changed the meeting): show
        or hide the note that the meeting's invitation is out of date (moved, or cancelled).
        Nothing is asked then: the update is offered once, when the meeting is left."""
        ...

    def keep_draft(self, part: str) -> None: ...

    def drop_draft(self, key: str | None) -> None: ...

    def draft_key(self, part: str) -> str | None: ...

    def typed(self, *_args: object) -> None:
        """A keystroke in a text box: restart the idle timer."""
        ...

    def reload_parts(self) -> None: ...


class Tab(QWidget):
    """One tab of the meeting editor (see the module's docstring)."""

    #: Another meeting to open (the shell relays it as its own ``openRequested``).
    openRequested = Signal(uuid.UUID)
    #: A new improvement project's id (relayed as the shell's ``projectStarted``).
    projectStarted = Signal(uuid.UUID)

    def __init__(self, host: Host) -> None:
        super().__init__()
        self.host = host
        self.ctx = host.ctx

    def show_parts(self, detail: MeetingDetail) -> None:
        """Show ``detail``'s lists (called by the shell, ``host.loading`` True)."""

    def open_source(self, source: Any) -> None:
        """The action editor's "Open" beside a meeting it was raised from closes it and asks
        for that meeting (for a matter arising, an earlier one): open it here, else the button
        would only close the editor. (A standard check's assessment opens from the Actions
        page.)"""
        meeting_id = getattr(source, "meeting_id", None)
        if meeting_id is not None and meeting_id != self.host.meeting_id:
            self.openRequested.emit(meeting_id)

    def start_project(self, **link: Any) -> None:
        """Open the project dialog pre-filled from the experience item (``item_id``) or action
        (``action_id``) in ``link``; the project is saved linked to it (one transaction)."""
        prefill = operations.read(  # the item or action may have gone meanwhile
            self,
            "Cannot start a project",
            lambda: (
                projects.experience_prefill(self.ctx.db, link["item_id"])
                if "item_id" in link
                else projects.action_prefill(self.ctx.db, link["action_id"])
            ),
        )
        if prefill is None:
            return
        project_id = ProjectDialog.ask(self.ctx, self, prefill=prefill, **link)
        if project_id is not None:
            self.host.saved()
            self.host.set_save_state(
                f"Improvement project “{prefill.title}” started; add the people involved on the "
                "Projects page."
            )
            self.projectStarted.emit(project_id)


def record_table(layout: QVBoxLayout, title: str, model: Any) -> widgets.RecordTable:
    """A keyboard-friendly table of ``model`` named ``title``, taking the spare height."""
    table = widgets.RecordTable(title)
    table.setModel(model)
    layout.addWidget(table, 1)
    return table


def stretch(table: widgets.RecordTable, column: int) -> None:
    """Let ``column`` take the width the table's other columns leave, so a narrow list shows
    its titles shortened with "…" (the whole text in the tooltip when long) rather than behind
    a horizontal scroll bar."""
    table.stretch_column = column  # type: ignore[attr-defined]  # reload_table keeps it
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, header.ResizeMode.Stretch)


def reload_table(table: widgets.RecordTable, model: Any, rows: list[Any]) -> None:
    """Replace a table's rows keeping the selected record selected."""
    current = table.current_row()
    selected_id = model.id_at(current) if current >= 0 else None
    model.set_rows(rows)
    # A meeting's lists are short: cheap. A reset forgets which column stretches.
    table.fit_columns(getattr(table, "stretch_column", None))
    if selected_id is not None:
        table.select_row(model.row_of(selected_id))


class Split(QSplitter):
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


def wire_records(
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


def buttons(*specs: tuple[str, str]) -> tuple[QHBoxLayout, list[QPushButton]]:
    """A row of buttons, each ``(text, words a screen reader says)`` (``widgets.say_more``),
    then a stretch."""
    row = QHBoxLayout()
    made = []
    for text, name in specs:
        button = QPushButton(text)
        widgets.say_more(button, name)
        row.addWidget(button)
        made.append(button)
    row.addStretch(1)
    return row, made


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class KeyRelay(QObject):
    """Hands chosen key presses of a widget to a callback (which returns True when it acted)."""

    def __init__(self, widget: QWidget, handler: Callable[[QKeyEvent], bool]) -> None:
        super().__init__(widget)
        self._handler = handler
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._handler(event)
        return False
