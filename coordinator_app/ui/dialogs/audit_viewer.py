"""Help > Audit log…: who changed what and when, filtered; read-only (there is no way to edit
or delete an entry from the app: the table has no edit triggers and the core offers no function
to change the log)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...core.audit_view import DEFAULT_LIMIT, AuditFilter, AuditRow, audit_entities, list_audit
from ...core.db import Database
from ...core.vocab import AuditOperation
from ..dialog_sizes import Dialog
from ..models.table import Column, RowTableModel
from ..widgets import DateEdit, RecordTable, SearchLineEdit, fill_combo
from .buttons import letter_buttons


def _local(at: datetime) -> str:
    return at.astimezone().strftime("%d/%m/%Y %H:%M")


class AuditModel(RowTableModel[AuditRow]):
    columns = (
        Column("When", lambda r: _local(r.at), lambda r: r.at),
        Column("Who", lambda r: r.who),
        Column("What", lambda r: r.operation.label),
        Column("Record", lambda r: r.entity.replace("_", " ").capitalize()),
        Column("Summary", lambda r: r.summary),
    )

    def searchable(self, row: AuditRow) -> str:
        return f"{row.who} {row.summary} {row.entity}"


class AuditViewer(Dialog):
    """The filters re-query the database (the log may hold years of entries); at most
    ``DEFAULT_LIMIT`` newest entries are shown, and the count label says when there are more."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Audit log")
        self.resize(self.fontMetrics().horizontalAdvance("M") * 80, 520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.operation = QComboBox()
        self.operation.setAccessibleName("Kind of change")
        fill_combo(
            self.operation, [("Any change", None), *((op.label, op) for op in AuditOperation)]
        )
        self.entity = QComboBox()
        self.entity.setAccessibleName("Kind of record")
        fill_combo(
            self.entity,
            [("Any record", None)]
            + [(e.replace("_", " ").capitalize(), e) for e in audit_entities(db)],
        )
        self.who = SearchLineEdit("Coordinator or computer user")
        self.who.setAccessibleName("Who made the change")
        self.text = SearchLineEdit("Words in the summary")
        dates = QHBoxLayout()
        self.since = DateEdit()
        self.since.setAccessibleName("From date")
        self.until = DateEdit()
        self.until.setAccessibleName("To date")
        dates.addWidget(self.since)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.until)
        form.addRow("&Change:", self.operation)
        form.addRow("&Record:", self.entity)
        form.addRow("&Who:", self.who)
        form.addRow("W&ords:", self.text)
        dates_label = QLabel("&Dates:")
        dates_label.setBuddy(self.since)  # a row of two boxes: Alt+D goes to the first
        form.addRow(dates_label, dates)
        layout.addLayout(form)
        self.model = AuditModel()
        self.table = RecordTable("Audit log entries")
        self.table.setModel(self.model)
        layout.addWidget(self.table, 1)
        self.count = QLabel()
        self.count.setAccessibleDescription("Number of entries shown")
        layout.addWidget(self.count)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        letter_buttons(buttons, close="Clos&e")  # C is Change
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.operation.currentIndexChanged.connect(self.refresh)
        self.entity.currentIndexChanged.connect(self.refresh)
        self.who.textChanged.connect(self.refresh)
        self.text.textChanged.connect(self.refresh)
        self.since.editingFinished.connect(self.refresh)
        self.until.editingFinished.connect(self.refresh)
        self.refresh()
        self.table.fit_columns(stretch_column=4)

    def current_filter(self) -> AuditFilter:
        def day(edit: DateEdit):
            try:
                return edit.value()
            except ValueError:
                return None

        return AuditFilter(
            operation=self.operation.currentData(),
            entity=self.entity.currentData(),
            who=self.who.text(),
            text=self.text.text(),
            since=day(self.since),
            until=day(self.until),
        )

    def refresh(self) -> None:
        rows = list_audit(self.db, self.current_filter(), limit=DEFAULT_LIMIT + 1)
        more = len(rows) > DEFAULT_LIMIT
        self.model.set_rows(rows[:DEFAULT_LIMIT])
        shown = len(rows[:DEFAULT_LIMIT])
        self.count.setText(
            f"The newest {shown} entries are shown; narrow the filters to see older ones."
            if more
            else f"{shown} entries."
        )

    @classmethod
    def show_for(cls, db: Database, parent: QWidget | None = None) -> None:
        cls(db, parent).exec()
