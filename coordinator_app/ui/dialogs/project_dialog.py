"""Add or edit an improvement project's details (people and links are kept on the Projects
page). Started from an experience item or an action, the dialog comes pre-filled and the new
project is linked to it in the same transaction (``projects.create_project_linked``).

A project ending before it starts, an active project without a start date and the like are
shown at their field by the core's ``ValidationError``; nothing is saved.
"""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ...core import drafts, projects
from ...core.meetings import list_localities
from ...core.projects import ProjectInput
from ...core.vocab import ProjectStatus
from .. import widgets
from ..context import AppContext
from ..drafts import DraftAbout
from ..operations import projects as project_ops
from .record_dialog import FieldProblem, RecordDialog, parse_field


class ProjectDialog(RecordDialog):
    """``result_value`` is the project's id once saved."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        project_id: uuid.UUID | None = None,
        prefill: ProjectInput | None = None,
        action_id: uuid.UUID | None = None,
        item_id: uuid.UUID | None = None,
    ) -> None:
        title = "Edit improvement project" if project_id else "New improvement project"
        super().__init__(ctx, title, parent)
        self.project_id = project_id
        #: The version loaded (None for a new project): saves are checked against it.
        self.version: int | None = None
        #: The title as loaded (names the draft of an edit).
        self.loaded_title = ""
        self.action_id = action_id
        self.item_id = item_id
        add = self.errors.add_row
        self.title_edit = add(self.form, "&Title", "title", QLineEdit())
        self.locality_combo = add(self.form, "&Locality", "locality", QComboBox())
        widgets.fill_combo(
            self.locality_combo,
            [(loc.name, loc.id) for loc in list_localities(ctx.db)],
            keep=False,
        )
        self.service_edit = add(self.form, "Ser&vice or team", "service", QLineEdit())
        self.lead_edit = add(self.form, "L&ead", "lead", QLineEdit())
        self.status_combo = add(self.form, "St&atus", "status", QComboBox())
        widgets.fill_combo(self.status_combo, [(s.label, s) for s in ProjectStatus], keep=False)
        self.started_edit = add(
            self.form, "Started &on", "started_on", widgets.DateEdit(today=ctx.today())
        )
        self.ended_edit = add(
            self.form, "Completed o&n", "ended_on", widgets.DateEdit(today=ctx.today())
        )
        self.outcome_edit = add(
            self.form, "O&utcome", "outcome", widgets.plain_text_edit("Outcome", lines=3)
        )
        if action_id is not None or item_id is not None:
            what = "action" if action_id is not None else "experience item"
            self.set_intro(
                f"The new project is linked to the {what} it starts from. Add the people "
                "involved on the Projects page."
            )
            self.locality_combo.setEnabled(False)  # links stay within one locality
        if project_id is not None:
            self.reload_record()
        elif prefill is not None:
            self._fill(prefill)
        self.mark_clean()

    def reload_record(self) -> None:
        assert self.project_id is not None
        detail = projects.get_project(self.ctx.db, self.project_id)
        self.version = detail.version
        self.loaded_title = detail.title
        self._fill(
            ProjectInput(
                locality_id=detail.locality_id,
                title=detail.title,
                service=detail.service,
                lead=detail.lead,
                status=detail.status,
                started_on=detail.started_on,
                ended_on=detail.ended_on,
                outcome=detail.outcome,
            )
        )

    def draft_about(self) -> DraftAbout:
        if self.project_id is not None:
            return DraftAbout(
                f"the improvement project {drafts.quoted(self.loaded_title)}",
                ("improvement_projects", self.project_id),
                editing=True,
                reopen={"project_id": self.project_id},
            )
        record: tuple[str, uuid.UUID] | None = None
        if self.action_id is not None:
            record = ("actions", self.action_id)
        elif self.item_id is not None:
            record = ("experience_items", self.item_id)
        reopen = {"action_id": self.action_id, "item_id": self.item_id}
        return DraftAbout("a new improvement project", record, reopen=reopen)

    def _fill(self, data: ProjectInput) -> None:
        self.title_edit.setText(data.title)
        widgets.select_data(self.locality_combo, data.locality_id)
        self.service_edit.setText(data.service)
        self.lead_edit.setText(data.lead)
        widgets.select_data(self.status_combo, ProjectStatus(data.status))
        self.started_edit.set_value(data.started_on)
        self.ended_edit.set_value(data.ended_on)
        self.outcome_edit.setPlainText(data.outcome)

    @classmethod
    def ask(
        cls,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        project_id: uuid.UUID | None = None,
        prefill: ProjectInput | None = None,
        action_id: uuid.UUID | None = None,
        item_id: uuid.UUID | None = None,
    ) -> uuid.UUID | None:
        """Show the dialog modally; the saved project's id, or None when cancelled."""
        saved = cls(
            ctx,
            parent,
            project_id=project_id,
            prefill=prefill,
            action_id=action_id,
            item_id=item_id,
        ).run()
        if saved is not None:
            ctx.events.projectsChanged.emit(str(saved))
        return saved

    def input(self) -> ProjectInput:
        problems: dict[str, str] = {}
        started = parse_field(problems, "started_on", self.started_edit.value)
        ended = parse_field(problems, "ended_on", self.ended_edit.value)
        if problems:
            raise FieldProblem(problems)
        return ProjectInput(
            locality_id=self.locality_combo.currentData(),
            title=self.title_edit.text(),
            service=self.service_edit.text(),
            lead=self.lead_edit.text(),
            status=self.status_combo.currentData(),
            started_on=started,
            ended_on=ended,
            outcome=self.outcome_edit.toPlainText(),
        )

    def save(self) -> uuid.UUID:
        data = self.input()
        if self.project_id is None:
            self.project_id = project_ops.create_project(
                self, self.ctx, data, action_id=self.action_id, item_id=self.item_id
            ).call()
        else:
            self.version = project_ops.update_project(
                self, self.ctx, self.project_id, data, expected_version=self.version
            ).call()
        return self.project_id
