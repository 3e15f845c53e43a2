"""The Frameworks tab of the Accreditation page: the standards frameworks loaded, a framework
workbook imported (its problems listed, row by row, when it cannot be) or one exported.

Importing is one operation (``operations.accreditation.import_framework``); a loaded framework
is announced by the page (``announce``, given by it). The file questions go through
``questions`` (tests patch them there).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ....core import standards
from ....core.errors import CoordinatorError, WorkbookError
from ... import operations, widgets
from ...context import AppContext
from ...dialogs.framework_problems import FrameworkProblemsDialog
from ...models.accreditation_tables import FrameworksModel
from ...operations import accreditation as accreditation_ops
from . import questions
from .common import list_table, wrapping_label
from .questions import XLSX_FILTER


class FrameworksTab(QWidget):
    def __init__(self, ctx: AppContext, announce: Callable[[str], None]) -> None:
        super().__init__()
        self.ctx = ctx
        self._announce = announce
        box = QVBoxLayout(self)
        buttons = QHBoxLayout()
        self.import_button = QPushButton("&Import…")
        self.import_button.setAccessibleName("Import a standards framework workbook")
        self.export_button = QPushButton("E&xport…")
        self.export_button.setAccessibleName("Export the selected framework as a workbook")
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.frameworks_model = FrameworksModel(parent=self)
        self.frameworks_table = list_table("Standards frameworks", self.frameworks_model)
        box.addWidget(self.frameworks_table, 1)
        note = wrapping_label()
        note.setText(
            "A framework workbook has a sheet Framework (Field, Value: Name, Version, Issued on) "
            "and a sheet Standards (Code, Domain, Title, Description, Evidence guidance, "
            "Criticality). A new version sits beside the old one."
        )
        box.addWidget(note)
        self.import_button.clicked.connect(self.import_framework)
        self.export_button.clicked.connect(self.export_framework)

    def refresh(self) -> None:
        """Read the frameworks again, keeping the chosen row."""
        current = self.frameworks_table.current_row()
        self.frameworks_model.set_rows(standards.list_frameworks(self.ctx.db))
        if self.frameworks_model.rowCount():
            self.frameworks_table.select_row(max(current, 0))
        self.export_button.setEnabled(self.frameworks_model.rowCount() > 0)

    def import_framework(self) -> None:
        path = questions.open_file_name(self, "Import a standards framework", XLSX_FILTER)
        if path is None:
            return

        def problems(exc: CoordinatorError) -> None:
            if isinstance(exc, WorkbookError):
                FrameworkProblemsDialog.show_problems(self, exc.summary, exc.problems)
            else:
                widgets.inform(self, "Framework not loaded", str(exc))

        outcome = accreditation_ops.import_framework(self, self.ctx, path).failure(problems).wait()
        if not outcome.ok or outcome.value is None:
            return
        info = outcome.value
        self.refresh()
        row = self.frameworks_model.row_of(info.id)
        self.frameworks_table.select_row(row)
        widgets.inform(
            self,
            "Framework loaded",
            f"Loaded '{info.name}' version {info.version} with {info.standard_count} standards.",
        )
        self._announce("")

    def export_framework(self) -> None:
        row = self.frameworks_table.current_row()
        if row < 0:
            widgets.inform(self, "Export", "Select a framework to export first.")
            return
        info = self.frameworks_model.row_at(row)
        suggested = f"{info.name} version {info.version}.xlsx".replace("/", "-")
        path = questions.save_file_name(self, "Export the framework", suggested, XLSX_FILTER)
        if path is None:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        saved = operations.export(
            self,
            "Framework not exported",
            lambda: standards.export_framework(self.ctx.db, info.id, path),
        )
        if saved is None:
            return
        widgets.inform(self, "Framework exported", f"Saved '{info.name}' as {saved}.")
