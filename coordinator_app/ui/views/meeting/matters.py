"""The Matters arising tab: actions raised at this forum's earlier meetings that were still open
on this meeting's date, with their latest progress. Each opens in the full ``ActionEditor``
(it stays the earlier meeting's action); what was noted there shows here at once.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from ....core.meetings import MeetingDetail
from ...models.meeting_parts import MattersArisingModel
from .base import Host, Tab, buttons, hint, record_table, reload_table, wire_records


class MattersTab(Tab):
    def __init__(self, host: Host) -> None:
        super().__init__(host)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "Actions raised at this forum's earlier meetings that were still open on this "
                "meeting's date, with their latest progress. Open one (Enter) to note what was "
                "said, move its due date or close it with what was done."
            )
        )
        self.matters_model = MattersArisingModel(parent=self)
        self.matters_table = record_table(layout, "Matters arising", self.matters_model)
        row, (self.matters_update_button,) = buttons(
            ("&Update…", "Update the selected action: progress, due date or closing")
        )
        layout.addLayout(row)
        wire_records(self.matters_table, self.matters_update_button, self.update_matter)

    def show_parts(self, detail: MeetingDetail) -> None:
        reload_table(self.matters_table, self.matters_model, detail.matters_arising)

    def update_matter(self, row: int) -> None:
        """A matter arising in the full action editor (it stays the earlier meeting's action)."""
        if row < 0 or self.host.detail is None:
            return
        from ...dialogs.action_editor import ActionEditor

        action = self.matters_model.row_at(row)
        saved, source = ActionEditor.ask(self.ctx, action.id, self)
        if saved is not None:
            self.host.saved()
            self.host.reload_parts()  # its latest progress (or its closing) shows here at once
        self.open_source(source)
