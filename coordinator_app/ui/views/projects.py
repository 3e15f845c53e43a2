"""The Projects page: the register of improvement projects (filtered by locality and status) and,
for the chosen project, its details, the people involved with their role, and the actions and
experience items it is linked to.

Contract for the window: ``ProjectsPage(ctx)``, ``refresh()`` re-reads everything from core,
``show_project(id)`` chooses a project (after "Start improvement project…" elsewhere). Details
are edited in ``ProjectDialog`` (patched in tests); people and links are saved at once, one core
call each.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core import meetings, people, projects
from ...core.errors import ConflictError
from ...core.projects import ProjectDetail, ProjectLinkRow, ProjectPersonRow, ProjectRow
from ...core.vocab import ProjectRole, ProjectStatus
from .. import operations, widgets
from ..context import AppContext
from ..dialogs.project_dialog import ProjectDialog
from ..models.table import Column, RowTableModel
from ..operations import Op
from ..operations import projects as project_ops
from ..scope import EVERY, ShowAllButton, scope_choices, scope_ids

COL_PROJECT_TITLE = 0
COL_PROJECT_LOCALITY = 1
COL_PROJECT_STATUS = 2


class ProjectsModel(RowTableModel[ProjectRow]):
    columns = (
        Column("Project", lambda r: r.title),
        Column("Locality", lambda r: r.locality_name),
        Column("Status", lambda r: r.status.label),
        # "Service", not "Service or team": cut to "ervice or tean" at 1366x768.
        Column("Service", lambda r: r.service),
        Column("Lead", lambda r: r.lead),
        Column("Started", lambda r: widgets.format_date(r.started_on), lambda r: r.started_on),
        Column("Completed", lambda r: widgets.format_date(r.ended_on), lambda r: r.ended_on),
        Column("People", lambda r: str(r.people_count), lambda r: r.people_count, True),
    )


class ProjectPeopleModel(RowTableModel[ProjectPersonRow]):
    id_attr = "participant_id"
    columns = (
        Column("Name", lambda r: r.name),
        Column("Category", lambda r: r.category.label),
        Column("Role", lambda r: r.role.label),
    )


#: The links' columns fitted to their contents and never narrowed: Linked and Date.
LINKS_WHOLE = {0: 0, 2: 0}


def _linked(row: ProjectLinkRow) -> str:
    return f"Action {row.label}" if row.kind == "action" else f"Experience: {row.label}"


class ProjectLinksModel(RowTableModel[ProjectLinkRow]):
    columns = (
        # One column says what is linked ("Action NAN-A2244", "Experience: Idea"): the side
        # panel is about 330 px wide at 1366x768, and the text is what a coordinator reads.
        Column("Linked", _linked),
        Column("Text", lambda r: " ".join(r.text.split())),
        Column("Date", lambda r: widgets.format_date(r.on), lambda r: r.on),
    )


def _buddy(text: str, control: QWidget) -> QLabel:
    """A label whose Alt letter moves to ``control``."""
    label = QLabel(text)
    label.setBuddy(control)
    return label


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    widgets.say_more(button, name)
    return button


class ProjectsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: ProjectDetail | None = None
        layout = QVBoxLayout(self)

        filters = QHBoxLayout()
        self.locality_filter = QComboBox()
        self.locality_filter.setAccessibleName("Locality filter")
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Status filter")
        widgets.fill_combo(
            self.status_filter,
            [("All statuses", None), *((s.label, s) for s in ProjectStatus)],
            keep=False,
        )
        for label_text, combo in (
            ("&Locality", self.locality_filter),
            ("St&atus", self.status_filter),
        ):
            label = QLabel(label_text)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
        # "My localities" first, as on the other lists (``ui.scope``), one click from all.
        self.show_all = ShowAllButton(self.locality_filter)
        # Every control of the page has its Alt letter (issue #24's walk: Show all, the name
        # box, the role, the link chooser and the two tables had none). The menus and this
        # page's buttons leave b, c, g, j, m, q, s, w, x, y and z.
        self.show_all.setText("&Show all localities")
        filters.addWidget(self.show_all)
        filters.addStretch(1)
        self.new_button = _button("&New project…", "New improvement project")
        filters.addWidget(self.new_button)
        layout.addLayout(filters)

        split = self.split = QSplitter()
        self._split_placed = False
        self.model = ProjectsModel(parent=self)
        self.table = widgets.RecordTable("Improvement projects")
        self.table.setModel(self.model)
        split.addWidget(self.table)

        side = QWidget()
        self.side = side
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel("Choose a project to see its people and links.")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleDescription("Project details")
        side_layout.addWidget(self.summary)
        row = QHBoxLayout()
        self.edit_button = _button("Edit de&tails…", "Edit project details")
        self.delete_button = _button("&Delete project…", "Delete project")
        # A day's co-design work and the like, paid with no meeting involved (issue #28).
        self.work_button = _button("&Pay for work…", "Pay for project work")
        row.addWidget(self.edit_button)
        row.addWidget(self.work_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        side_layout.addLayout(row)

        people_box = QGroupBox("&Who is involved")  # its letter reaches the table
        people_layout = QVBoxLayout(people_box)
        self.people_model = ProjectPeopleModel(parent=self)
        self.people_table = widgets.RecordTable("People involved")
        self.people_table.setModel(self.people_model)
        people_layout.addWidget(self.people_table)
        add_row = QHBoxLayout()
        self.person_combo = QComboBox()
        self.person_combo.setAccessibleName("Person to involve")
        self.person_combo.setEditable(True)
        # Typing any part of a name (a surname, "carer") offers the matches; Enter never adds
        # the typed text as an item of its own.
        self.person_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        typed = self.person_combo.lineEdit()
        assert typed is not None  # an editable box has one
        typed.setPlaceholderText("Type part of a name…")
        self.person_finder = widgets.FoldingCompleter(self.person_combo.model(), self.person_combo)
        self.person_combo.setCompleter(self.person_finder)
        self.role_combo = QComboBox()
        self.role_combo.setAccessibleName("Role")
        widgets.fill_combo(self.role_combo, [(r.label, r) for r in ProjectRole], keep=False)
        self.add_person_button = _button("&Involve", "Involve person in project")
        self.remove_person_button = _button("Rem&ove…", "Take person off project")
        # The name box has a row of its own: beside the role and two buttons, in the side
        # panel's width at 1366x768, it showed "Type p…".
        name_row = QHBoxLayout()
        name_row.addWidget(_buddy("Add so&meone", self.person_combo))
        name_row.addWidget(self.person_combo, 1)
        people_layout.addLayout(name_row)
        add_row.addWidget(_buddy("&Joins as", self.role_combo))
        for w in (self.role_combo, self.add_person_button, self.remove_person_button):
            add_row.addWidget(w)
        add_row.addStretch(1)
        people_layout.addLayout(add_row)
        side_layout.addWidget(people_box, 1)

        links_box = QGroupBox("Linked a&ctions and experience")
        links_layout = QVBoxLayout(links_box)
        self.links_model = ProjectLinksModel(parent=self)
        self.links_table = widgets.RecordTable("Linked actions and experience")
        self.links_table.setModel(self.links_model)
        links_layout.addWidget(self.links_table)
        # Fitted to their headings while empty too. What is linked and its date keep their
        # width (never "Action RU…"); the text takes what is left.
        self.people_table.fit_columns()
        self.links_table.fit_columns(1, at_least=LINKS_WHOLE)
        link_row = QHBoxLayout()
        self.link_combo = QComboBox()
        self.link_combo.setAccessibleName("Action or experience item to link")
        self.link_button = _button("Lin&k", "Link to project")
        self.unlink_button = _button("&Unlink", "Remove selected link")
        # Its label above it: beside it, the chooser showed "Action RUG-." at 1366x768.
        links_layout.addWidget(_buddy("E&xperience or action to link", self.link_combo))
        link_row.addWidget(self.link_combo, 1)
        link_row.addWidget(self.link_button)
        link_row.addWidget(self.unlink_button)
        links_layout.addLayout(link_row)
        side_layout.addWidget(links_box, 1)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)

        self.locality_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        # The selection, not the current row: a mouse click moves the current row before it
        # selects, so on currentRowChanged nothing was chosen yet and no click showed a project.
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_current())
        self.table.openRequested.connect(lambda _row: self.edit_project())
        self.new_button.clicked.connect(self.new_project)
        self.edit_button.clicked.connect(self.edit_project)
        self.delete_button.clicked.connect(self.delete_project)
        self.work_button.clicked.connect(self.pay_for_work)
        self.add_person_button.clicked.connect(self.involve_person)
        self.remove_person_button.clicked.connect(self.remove_person)
        self.people_table.deleteRequested.connect(lambda _row: self.remove_person())
        self.link_button.clicked.connect(self.link_selected)
        self.unlink_button.clicked.connect(self.unlink_selected)
        self.links_table.deleteRequested.connect(lambda _row: self.unlink_selected())
        for signal in (
            ctx.events.meetingsChanged,
            ctx.events.actionsChanged,
            ctx.events.participantsChanged,
        ):
            signal.connect(self._data_changed)
        self._fill_localities()
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """The first time: the register takes about two thirds (the side no less than it
        needs), so its columns show their whole headings at 1366x768 (a 3:2 split cut them
        to "ervice or tean" and scrolled sideways), and the side's links show what is linked
        and some of its text (at three tenths the text had 105 px)."""
        super().showEvent(event)
        if self._split_placed:
            return
        self._split_placed = True
        total = sum(self.split.sizes())
        side = max(self.side.minimumSizeHint().width(), total * 36 // 100)
        self.split.setSizes([total - side, side])

    # --- reading ----------------------------------------------------------------------------

    def _fill_localities(self) -> None:
        self._localities = meetings.list_localities(self.ctx.db)
        widgets.fill_combo(self.locality_filter, scope_choices(self._localities))
        self.show_all.sync()

    def _data_changed(self, _id: str = "") -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Re-read the register (keeping the chosen project chosen) and its details."""
        current = self.table.current_row()
        chosen = self.model.id_at(current) if current >= 0 else None
        ids = scope_ids(self.locality_filter.currentData(), self._localities)
        rows = projects.list_projects(
            self.ctx.db,
            locality_id=ids[0] if ids is not None and len(ids) == 1 else None,
            status=self.status_filter.currentData(),
        )
        if ids is not None and len(ids) > 1:  # my localities (a register of a few hundred)
            rows = [row for row in rows if row.locality_id in ids]
        self.model.set_rows(rows)
        self.table.fit_columns(COL_PROJECT_TITLE)
        if chosen is not None and self.model.row_of(chosen) >= 0:
            self.table.select_row(self.model.row_of(chosen))
        self._show_current()

    def show_project(self, project_id: uuid.UUID) -> None:
        """Choose ``project_id``, clearing the filters when they hide it."""
        if self.model.row_of(project_id) < 0:
            widgets.select_data(self.locality_filter, EVERY)
            self.status_filter.setCurrentIndex(0)
            self.refresh()
        self.table.select_row(self.model.row_of(project_id))
        self._show_current()

    def pay_for_work(self) -> None:
        """The activity dialog for this project's work, its service users and carers in it."""
        from ...core.vocab import PROTECTED_CATEGORIES
        from ..dialogs.payments_dialogs import ActivityDialog

        detail = self.detail
        if detail is None:
            return
        everyone = [(p.participant_id, p.name) for p in detail.people]
        paid = [
            (p.participant_id, p.name) for p in detail.people if p.category in PROTECTED_CATEGORIES
        ]
        ActivityDialog.for_project(
            self.ctx, detail.id, detail.locality_id, detail.title, paid or everyone, self
        )

    def current_project_id(self) -> uuid.UUID | None:
        row = self.table.current_row()
        return self.model.id_at(row) if row >= 0 else None

    def _show_current(self) -> None:
        project_id = self.current_project_id()
        self.detail = None
        if project_id is not None:
            self.detail = operations.read(
                self, "Project", lambda: projects.get_project(self.ctx.db, project_id), quiet=True
            )
        detail = self.detail
        for w in (
            self.edit_button,
            self.work_button,
            self.delete_button,
            self.add_person_button,
            self.remove_person_button,
            self.link_button,
            self.unlink_button,
            self.person_combo,
            self.role_combo,
            self.link_combo,
        ):
            w.setEnabled(detail is not None)
        self.work_button.setToolTip(
            "Record a piece of this project's work (a co-design day ...) with the service "
            "users and carers involved and their payments"
            if detail is not None
            else "Choose a project in the list first: the work is paid as that project's."
        )
        if detail is None:
            self.summary.setText("Choose a project to see its people and links.")
            self.people_model.set_rows([])
            self.links_model.set_rows([])
            self.link_combo.clear()
            return
        dates = ", ".join(
            part
            for part in (
                f"started {widgets.format_date(detail.started_on)}" if detail.started_on else "",
                f"completed {widgets.format_date(detail.ended_on)}" if detail.ended_on else "",
            )
            if part
        )
        lines = [
            f"{detail.title} ({detail.locality_name}): {detail.status.label}"
            + (f", {dates}" if dates else ""),
            f"Service or team: {detail.service or 'not set'}. Lead: {detail.lead or 'not set'}.",
        ]
        if detail.outcome:
            lines.append(f"Outcome: {detail.outcome}")
        self.summary.setText("\n".join(lines))
        self.people_model.set_rows(detail.people)
        self.people_table.fit_columns()
        self.links_model.set_rows(detail.links)
        self.links_table.fit_columns(1, at_least=LINKS_WHOLE)
        self._fill_people_choices(detail)
        self._fill_link_choices(detail)

    def _fill_people_choices(self, detail: ProjectDetail) -> None:
        involved = {p.participant_id for p in detail.people}
        widgets.fill_combo(
            self.person_combo,
            [
                (f"{p.name} ({p.category.label})", p.id)
                for p in people.list_participants(self.ctx.db)
                if p.id not in involved
            ],
            keep=False,
        )
        self.person_finder.fold_items()
        # Nobody chosen until the user types or picks (Involve never takes the first name).
        self.person_combo.setCurrentIndex(-1)

    def _fill_link_choices(self, detail: ProjectDetail) -> None:
        widgets.fill_combo(
            self.link_combo,
            [
                (c.text, (c.kind, c.target_id))
                for c in projects.link_choices(self.ctx.db, detail.id)
            ],
            keep=False,
        )

    # --- writing ----------------------------------------------------------------------------

    def _do(self, op: Op[Any]) -> bool:
        """Run a write (``ui.operations.projects``); the page shows the outcome. Nothing is
        typed on this page, so a conflict shows their version at once."""

        def show_theirs(exc: ConflictError) -> None:
            widgets.inform(self, op.title, str(exc))
            self.refresh()

        outcome = op.conflict(show_theirs).wait()
        if outcome.ok:
            self.refresh()
        return outcome.ok

    def new_project(self) -> None:
        prefill = projects.ProjectInput(locality_id=self.locality_filter.currentData(), title="")
        project_id = ProjectDialog.ask(self.ctx, self, prefill=prefill)
        if project_id is not None:
            self.refresh()
            self.show_project(project_id)

    def edit_project(self) -> None:
        project_id = self.current_project_id()
        if project_id is not None and ProjectDialog.ask(self.ctx, self, project_id=project_id):
            self.refresh()

    def delete_project(self) -> None:
        detail = self.detail
        if detail is None or not widgets.confirm(
            self,
            "Delete project?",
            f"Delete the project “{detail.title}” with its list of people? The actions and "
            "experience it is linked to are kept.",
        ):
            return
        self._do(
            project_ops.delete_project(self, self.ctx, detail.id, expected_version=detail.version)
        )

    def _typed_person(self) -> uuid.UUID | None:
        """The person the box shows. The pitfall: an editable box keeps its last chosen item
        while other text is typed over it, so ``currentData`` alone would involve whoever was
        chosen before; the typed text must name an item (any letter case) or it is no one."""
        combo = self.person_combo
        text = combo.currentText().strip()
        if combo.currentIndex() >= 0 and text == combo.itemText(combo.currentIndex()):
            return combo.currentData()
        index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
        return combo.itemData(index) if text and index >= 0 else None

    def involve_person(self) -> None:
        detail = self.detail
        person = self._typed_person()
        if detail is None or person is None:
            widgets.inform(
                self,
                "Choose a person",
                "Choose the person to involve from the list: type part of their name, then "
                "pick them.",
            )
            return
        role = self.role_combo.currentData()
        self._do(project_ops.involve(self, self.ctx, detail.id, person, role))

    def remove_person(self) -> None:
        detail = self.detail
        row = self.people_table.current_row()
        if detail is None or row < 0:
            return
        person = self.people_model.row_at(row)
        if widgets.confirm(
            self, "Take off project?", f"Take {person.name} off “{detail.title}”?", yes="Remove"
        ):
            self._do(project_ops.take_off(self, self.ctx, detail.id, person.participant_id))

    def link_selected(self) -> None:
        detail = self.detail
        choice = self.link_combo.currentData()
        if detail is None or choice is None:
            return
        kind, target = choice
        if kind == "action":
            self._do(project_ops.link_action(self, self.ctx, detail.id, target))
        else:
            self._do(project_ops.link_experience(self, self.ctx, detail.id, target))

    def unlink_selected(self) -> None:
        row = self.links_table.current_row()
        if self.detail is None or row < 0:
            return
        link = self.links_model.row_at(row)
        self._do(project_ops.unlink(self, self.ctx, self.detail.id, link.id))
