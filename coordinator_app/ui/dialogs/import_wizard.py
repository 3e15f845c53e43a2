"""File > Import...: bring an import workbook (docs/import-workbook.md) in, after showing what it
would add and every problem; and File > Save import template...

The wizard is one dialog in three states: the plan (counts per sheet, the localities, forums and
strategic priorities it would create, and every problem in a list), the import itself (in the
background through ``tasks.run_with_progress``, with progress and Cancel, nothing left behind
when cancelled), and the summary. **Import** is enabled only for a plan with no problems and
something to add.

Reading the workbook also runs in the background (a big workbook takes seconds). The core's
``read_import_workbook`` and ``apply_import`` open their own sessions, so the worker never
shares the GUI thread's connection; the worker touches no widget.

Tests patch ``choose_workbook`` and ``choose_template_target`` (never a real file dialog) and
drive the dialog as a widget: ``ImportWizard(ctx)``, ``load(path)``, ``show()``, click.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import WorkbookError
from ...core.import_template import write_import_template
from ...core.importer import ImportPlan, ImportSummary, read_import_workbook
from .. import files, operations, tasks, widgets
from ..context import AppContext
from ..dialog_sizes import Dialog
from ..operations import importing

TITLE = "Import a workbook"
#: The last button: Cancel until the import is done, then Close. "&Choose workbook…" takes C.
CANCEL_TEXT = "Cance&l"
CLOSE_TEXT = "Clos&e"


# --- functions tests patch ------------------------------------------------------------------------


def choose_workbook(parent: QWidget | None) -> str:
    """Ask for the workbook to import; "" when the user cancels."""
    path = files.ask_open(parent, files.IMPORT, "Choose a workbook to import")
    return str(path) if path else ""


def choose_template_target(parent: QWidget | None) -> str:
    """Ask where to save the import template; "" when the user cancels."""
    path = files.ask_save(parent, files.IMPORT, "Save import template", "import-template.xlsx")
    return str(path) if path else ""


# --- the wizard -----------------------------------------------------------------------------------


class ImportWizard(Dialog):
    """Choose a workbook, see the plan and every problem, import, see what was added."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: ImportPlan | None = None
        self.summary: ImportSummary | None = None
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 48)
        layout = QVBoxLayout(self)

        intro = QLabel(
            "Bring in your existing spreadsheets: participants, meetings, attendance, actions, "
            "experience, payments and standard checks. They come in through the app's import "
            "workbook: save the template, copy your rows into its sheets (its Notes sheet says "
            "what each column takes), then choose it here. Nothing is imported until the "
            "workbook has no problems, and importing the same workbook again adds nothing."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        template_row = QHBoxLayout()
        self.template_button = QPushButton("Save the &template first…")
        widgets.say_more(self.template_button, "Save the import template to fill in")
        self.template_button.clicked.connect(lambda: save_import_template(self))
        template_row.addWidget(self.template_button)
        template_row.addStretch(1)
        layout.addLayout(template_row)

        row = QHBoxLayout()
        self.file_label = QLabel("No workbook chosen yet.")
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton("&Choose workbook…")
        widgets.say_more(self.choose_button, "Choose a workbook to import")
        self.choose_button.clicked.connect(self.choose)
        row.addWidget(self.file_label, 1)
        row.addWidget(self.choose_button)
        layout.addLayout(row)

        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        self.plan_label.setTextFormat(Qt.TextFormat.PlainText)
        self.plan_label.setAccessibleDescription("What the import would add")
        layout.addWidget(self.plan_label)

        self.problems_heading = QLabel("&Problems to put right in the workbook:")
        self.problems = QListWidget()
        self.problems.setAccessibleName("Problems to put right in the workbook")
        self.problems.setWordWrap(True)
        self.problems.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.problems_heading.setBuddy(self.problems)
        layout.addWidget(self.problems_heading)
        layout.addWidget(self.problems, 1)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleDescription("Import status")
        layout.addWidget(self.status)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_button = QPushButton("&Import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        self.close_button = QPushButton(CANCEL_TEXT)
        self.close_button.clicked.connect(self.close_wizard)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._show_problems([])

    # --- entry point ----------------------------------------------------------------------------

    @classmethod
    def ask(
        cls,
        ctx: AppContext,
        parent: QWidget | None = None,
        path: str | os.PathLike[str] | None = None,
    ) -> bool:
        """Run the wizard modally; True when something was imported. ``path`` None asks for a
        file first (and returns False at once when the user cancels that)."""
        if path is None:
            chosen = choose_workbook(parent)
            if not chosen:
                return False
            path = chosen
        wizard = cls(ctx, parent)
        wizard.load(path)
        wizard.exec()
        return wizard.summary is not None and wizard.summary.total_added > 0

    # --- steps ----------------------------------------------------------------------------------

    def choose(self) -> None:
        chosen = choose_workbook(self)
        if chosen:
            self.load(chosen)

    def load(self, path: str | os.PathLike[str]) -> ImportPlan | None:
        """Read and check ``path`` (in the background) and show the plan or the problems."""
        path = Path(path)
        self.plan = None
        self.summary = None
        self.file_label.setText(str(path))
        self.status.setText("")
        self.close_button.setText(CANCEL_TEXT)
        db = self.ctx.db
        today = self.ctx.today()

        def work(progress: tasks.Progress, cancelled: tasks.Cancelled) -> ImportPlan | str:
            try:
                return read_import_workbook(
                    path, db, progress=progress, cancelled=cancelled, today=today
                )
            except WorkbookError as exc:  # not an xlsx at all: one sentence, shown in the list
                return exc.summary

        result = tasks.run_with_progress(self, TITLE, f"Reading {path.name}…", work)
        if result is None:
            self.plan_label.setText("The workbook was not read.")
            self._show_problems([])
            return None
        if isinstance(result, str):
            self.plan_label.setText("This file cannot be imported.")
            self._show_problems([result])
            return None
        self.plan = result
        lines = result.describe()
        if result.problems:
            lines.insert(0, "Nothing can be imported until every problem below is put right.")
        elif result.total_new == 0:
            lines.insert(0, "Everything in this workbook is already in the app.")
        else:
            lines.insert(0, f"Ready to import {result.total_new} records:")
        self.plan_label.setText("\n".join(lines))
        self._show_problems(result.problems)
        return result

    def _show_problems(self, problems: list[str]) -> None:
        self.problems.clear()
        self.problems.addItems(problems)
        visible = bool(problems)
        self.problems_heading.setVisible(visible)
        self.problems.setVisible(visible)
        if visible:
            self.problems_heading.setText(
                f"&Problems to put right in the workbook ({len(problems)}):"
            )
        plan = self.plan
        self.import_button.setEnabled(plan is not None and not plan.problems and plan.total_new > 0)

    def run_import(self) -> ImportSummary | None:
        """Write the plan (in the background); show what was added, or that nothing was."""
        plan = self.plan
        if plan is None or plan.problems:
            return None
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        summary = importing.apply_import(self, self.ctx, plan, title=TITLE)
        self.choose_button.setEnabled(True)
        if summary is None:
            self.status.setText("The import did not finish, so nothing was changed.")
            self.import_button.setEnabled(True)
            return None
        self.summary = summary
        self.plan = None
        self.status.setText(summary.sentence())
        self.plan_label.setText("Done.")
        self.close_button.setText(CLOSE_TEXT)
        self.close_button.setDefault(True)
        return summary

    def close_wizard(self) -> None:
        if self.summary is not None:
            self.accept()
        else:
            self.reject()


def save_import_template(parent: QWidget | None = None) -> Path | None:
    """File > Save import template...: ask where, write it; the path, or None when cancelled or
    the file could not be written (the reason is shown)."""
    target = choose_template_target(parent)
    if not target:
        return None
    if not target.lower().endswith(".xlsx"):
        target += ".xlsx"
    written = operations.export(
        parent, "Save import template", lambda: write_import_template(target)
    )
    if written is None:
        return None
    widgets.inform(
        parent,
        "Save import template",
        f"The import template was saved as {written}. Fill it in, then use File, Import.",
    )
    return written


__all__ = ["ImportWizard", "choose_template_target", "choose_workbook", "save_import_template"]
