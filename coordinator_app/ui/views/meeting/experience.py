"""The Experience tab: what people said at the meeting (compliments, concerns, ideas), each
added or edited in ``ExperienceDialog`` (its own operation), deleted here (one operation that
only ``run()``s: nothing waits for it), or made the start of an improvement project.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from ....core.meetings import MeetingDetail
from ... import widgets
from ...dialogs.meeting_dialogs import ActionDialog, ExperienceDialog
from ...models.meeting_parts import ExperienceModel
from ...operations import meetings as meeting_ops
from .base import Host, Tab, buttons, record_table, reload_table, wire_records


class ExperienceTab(Tab):
    def __init__(self, host: Host) -> None:
        super().__init__(host)
        layout = QVBoxLayout(self)
        self.experience_model = ExperienceModel(parent=self)
        self.experience_table = record_table(layout, "Experience heard", self.experience_model)
        (
            row,
            (
                self.experience_add_button,
                self.experience_edit_button,
                self.experience_delete_button,
                self.experience_action_button,
                self.experience_project_button,
            ),
        ) = buttons(
            ("&Add experience…", "Add experience item"),
            ("Ed&it…", "Edit selected experience item"),
            ("Delete…", "Delete selected experience item"),
            ("Ans&wer with an action…", "Raise an action answering the experience item"),
            ("Start improvement &project…", "Start improvement project from experience item"),
        )
        self.experience_delete_button.setToolTip("Delete the chosen item (Delete in the list)")
        layout.addLayout(row)
        self.experience_add_button.clicked.connect(self.add_experience)
        self.experience_delete_button.clicked.connect(self.delete_experience)
        self.experience_project_button.clicked.connect(self.start_project_from_experience)
        self.experience_action_button.clicked.connect(self.raise_action_from_experience)
        wire_records(
            self.experience_table,
            self.experience_edit_button,
            self.edit_experience,
            self.delete_experience,
        )

    def show_parts(self, detail: MeetingDetail) -> None:
        reload_table(self.experience_table, self.experience_model, detail.experience)

    def add_experience(self) -> None:
        meeting_id = self.host.meeting_id
        if meeting_id is not None and ExperienceDialog.ask(self.ctx, meeting_id, self):
            self.host.saved()

    def edit_experience(self, row: int) -> None:
        meeting_id = self.host.meeting_id
        if (
            row >= 0
            and meeting_id is not None
            and ExperienceDialog.ask(
                self.ctx, meeting_id, self, item=self.experience_model.row_at(row)
            )
        ):
            self.host.saved()

    def delete_experience(self) -> None:
        """Ask, then delete the chosen item in the background (``run``: nothing here waits for
        it; the list follows when the operation tells the page)."""
        row, meeting_id = self.experience_table.current_row(), self.host.meeting_id
        if row < 0 or meeting_id is None:
            return
        item = self.experience_model.row_at(row)
        if not widgets.confirm(
            self,
            "Delete experience item?",
            f"Delete this {item.kind.label.lower()} and its response?",
        ):
            return
        meeting_ops.delete_experience(self, self.ctx, meeting_id, item.id).success(
            lambda _none: self.host.saved()
        ).run()

    def raise_action_from_experience(self) -> None:
        """ "You said" -> "we will": an action answering the chosen item, linked to it."""
        row, detail = self.experience_table.current_row(), self.host.detail
        if detail is None:
            return
        if row < 0:
            widgets.inform(self, "Choose an item", "Choose what was said that the action answers.")
            return
        item = self.experience_model.row_at(row)
        if ActionDialog.ask(
            self.ctx, self, locality_id=detail.locality_id, meeting_id=detail.id, answers=item.id
        ):
            self.host.saved()

    def start_project_from_experience(self) -> None:
        row = self.experience_table.current_row()
        if row < 0:
            widgets.inform(self, "Choose an item", "Choose the experience item to start from.")
            return
        self.start_project(item_id=self.experience_model.row_at(row).id)
