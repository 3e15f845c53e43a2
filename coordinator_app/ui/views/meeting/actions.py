"""The Actions tab: the actions raised at this meeting, raised in ``ActionDialog`` and edited in
the full ``ActionEditor`` (progress log, closing with what was done), as on the tracker; each
dialog saves through its own operations. An action can start an improvement project.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from ....core.meetings import MeetingDetail
from ... import widgets
from ...dialogs.meeting_dialogs import ActionDialog
from ...models.meeting_parts import ActionsModel
from .base import Host, Tab, buttons, record_table, reload_table, wire_records


class ActionsTab(Tab):
    def __init__(self, host: Host) -> None:
        super().__init__(host)
        layout = QVBoxLayout(self)
        self.actions_model = ActionsModel(parent=self)
        self.actions_table = record_table(
            layout, "Actions raised at this meeting", self.actions_model
        )
        row, (self.action_raise_button, self.action_edit_button, self.action_project_button) = (
            buttons(
                ("Rai&se an action…", "Raise an action"),
                ("Ed&it…", "Edit selected action"),
                ("Start improvement &project…", "Start improvement project from action"),
            )
        )
        layout.addLayout(row)
        self.action_raise_button.clicked.connect(self.raise_action)
        wire_records(self.actions_table, self.action_edit_button, self.edit_action)
        self.action_project_button.clicked.connect(self.start_project_from_action)

    def show_parts(self, detail: MeetingDetail) -> None:
        reload_table(self.actions_table, self.actions_model, detail.actions)

    def raise_action(self) -> None:
        detail = self.host.detail
        if detail is None:
            return
        if ActionDialog.ask(self.ctx, self, locality_id=detail.locality_id, meeting_id=detail.id):
            self.host.saved()

    def edit_action(self, row: int) -> None:
        detail = self.host.detail
        if row < 0 or detail is None:
            return
        # The full action editor (progress log, closing with the "we did"), as on the tracker.
        from ...dialogs.action_editor import ActionEditor

        action = self.actions_model.row_at(row)
        saved, source = ActionEditor.ask(
            self.ctx,
            action.id,
            self,
            locality_id=detail.locality_id,
            meeting_id=detail.id,
        )
        if saved is not None:
            self.host.saved()
        self.open_source(source)

    def start_project_from_action(self) -> None:
        row = self.actions_table.current_row()
        if row < 0:
            widgets.inform(self, "Choose an action", "Choose the action to start from.")
            return
        self.start_project(action_id=self.actions_model.row_at(row).id)
