""" "You said, we did": experience items paired with the actions they led to and their outcomes,
filtered by locality, forum, theme and period; printed as a clean A4 table or copied as a table
(HTML for Word and Outlook, tab-separated text for Excel) in the poster and newsletter format.

The printed document is built by core (``actions.you_said_we_did_document``, under the trust's
name); printing, preview and PDF go through ``ui.printing`` (imported when first used) over the
one renderer (``core/typeset.py``). The clipboard's table is HTML
(``actions.you_said_we_did_table_html``, every value escaped). ``ask_pdf_path`` is looked up on this
module at call time so tests patch it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import actions, meetings
from ...core.actions import PairRow
from ...core.document import Document
from ...core.minutes import masthead
from ...core.privacy import redactor_of
from .. import files, operations, widgets
from ..context import AppContext
from ..models.table import Column, RowTableModel

#: The "all" choice of a filter (never None as combo data: see ``views.actions.ANY``).
ANY = "*any*"


def chosen(combo: QComboBox) -> Any:
    data = combo.currentData()
    return None if data == ANY else data


def ask_pdf_path(parent: QWidget | None, suggested: str) -> str:
    """Ask where to save the PDF (``ui.files``: the suffix is added); "" when cancelled."""
    path = files.ask_save(parent, files.PDF, "Save as PDF", suggested)
    return str(path) if path else ""


class PairsModel(RowTableModel[PairRow]):
    columns = (
        Column("Date", lambda r: widgets.format_date(r.received_on), lambda r: r.received_on),
        Column("Forum", lambda r: r.forum_name or r.locality_name),
        Column("Theme", lambda r: r.theme),
        Column("You said", lambda r: " ".join(r.summary.split())),
        Column("We did", lambda r: " ".join(r.we_did.split())),
        Column("Status", lambda r: r.status_text),
    )
    id_attr = "experience_id"

    def searchable(self, row: PairRow) -> str:
        return f"{row.summary} {row.we_did} {row.theme}"


class YouSaidWeDidView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = False
        self.setAccessibleName("You said, we did")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("<h2>You said, we did</h2>"))
        top.addStretch(1)
        self.preview_button = QPushButton("Print prev&iew…")
        self.print_button = QPushButton("&Print…")
        self.pdf_button = QPushButton("Save as P&DF…")
        self.copy_button = QPushButton("&Copy as table")
        widgets.say_more(self.copy_button, "Copy the table for Word, Outlook or Excel")
        for button in (self.preview_button, self.print_button, self.pdf_button, self.copy_button):
            top.addWidget(button)
        layout.addLayout(top)

        grid = QGridLayout()
        self.locality_combo = QComboBox()
        self.forum_combo = QComboBox()
        self.theme_combo = QComboBox()
        self.from_edit = widgets.DateEdit(today=ctx.today())
        self.to_edit = widgets.DateEdit(today=ctx.today())
        self.actions_only = QCheckBox("Only items that led to an &action")
        for column, (text, widget, name) in enumerate(
            (
                ("&Locality:", self.locality_combo, "Locality"),
                ("For&um:", self.forum_combo, "Forum"),
                ("The&me:", self.theme_combo, "Theme"),
            )
        ):
            self._row(grid, 0, column * 2, text, widget, name)
        self._row(grid, 1, 0, "Fr&om:", self.from_edit, "Heard from date")
        self._row(grid, 1, 2, "U&ntil:", self.to_edit, "Heard to date")
        grid.addWidget(self.actions_only, 1, 4, 1, 2)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid)
        self.errors = widgets.FormErrors()
        self.date_error = widgets.FormErrors.error_label()
        layout.addWidget(self.date_error)
        self.errors.register("date_from", self.from_edit, self.date_error)
        self.errors.register("date_to", self.to_edit, self.date_error)

        self.model = PairsModel(parent=self)
        self.table = widgets.RecordTable("You said, we did table")
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        self.count_label.setAccessibleDescription("Number of rows shown")
        layout.addWidget(self.count_label)

        localities = meetings.list_localities(ctx.db)
        widgets.fill_combo(
            self.locality_combo,
            [("All localities", ANY), *((loc.name, loc.id) for loc in localities)],
        )
        self._fill_forums()
        widgets.fill_combo(
            self.theme_combo,
            [("All themes", ANY), *((t, t) for t in actions.experience_themes(ctx.db))],
        )
        self.locality_combo.currentIndexChanged.connect(self._locality_changed)
        for combo in (self.forum_combo, self.theme_combo):
            combo.currentIndexChanged.connect(self.refresh)
        self.actions_only.toggled.connect(self.refresh)
        self.from_edit.editingFinished.connect(self.refresh)
        self.to_edit.editingFinished.connect(self.refresh)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_table)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.copy_button.clicked.connect(self.copy_table)
        ctx.events.actionsChanged.connect(self._changed)
        ctx.events.meetingsChanged.connect(self._changed)
        self.refresh()
        self.table.fit_columns(3)

    @staticmethod
    def _row(
        grid: QGridLayout, row: int, column: int, text: str, widget: QWidget, name: str
    ) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        widget.setAccessibleName(name)
        grid.addWidget(label, row, column)
        grid.addWidget(widget, row, column + 1)

    def _fill_forums(self) -> None:
        forums = meetings.list_forums(
            self.ctx.db, chosen(self.locality_combo), include_inactive=True
        )
        widgets.fill_combo(
            self.forum_combo,
            [("All forums", ANY), *((f"{f.name} ({f.locality_name})", f.id) for f in forums)],
        )

    def _locality_changed(self) -> None:
        self._fill_forums()
        self.refresh()

    def _changed(self, *_args: object) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def _period(self) -> tuple[date | None, date | None] | None:
        problems: dict[str, str] = {}
        found: dict[str, date | None] = {}
        for name, edit in (("date_from", self.from_edit), ("date_to", self.to_edit)):
            try:
                found[name] = edit.value()
            except ValueError as exc:
                problems[name] = str(exc)
        if problems:
            self.errors.show(problems, focus=False)
            return None
        self.errors.clear()
        return found["date_from"], found["date_to"]

    def refresh(self, *_args: object) -> None:
        self._stale = False
        period = self._period()
        if period is None:
            return
        rows = actions.you_said_we_did(
            self.ctx.db,
            locality_id=chosen(self.locality_combo),
            forum_id=chosen(self.forum_combo),
            theme=chosen(self.theme_combo),
            date_from=period[0],
            date_to=period[1],
            with_actions_only=self.actions_only.isChecked(),
        )
        self.model.set_rows(rows)
        self.count_label.setText(f"{len(rows):,} row{'s' if len(rows) != 1 else ''}")

    # --- output -----------------------------------------------------------------------------

    def title(self) -> str:
        parts = ["You said, we did"]
        place = chosen(self.forum_combo) and self.forum_combo.currentText()
        place = place or (chosen(self.locality_combo) and self.locality_combo.currentText())
        if place:
            parts.append(str(place))
        if chosen(self.theme_combo):
            parts.append(self.theme_combo.currentText())
        period = self._period() or (None, None)
        if period[0] or period[1]:
            start = widgets.format_date(period[0]) if period[0] else "the start"
            end = widgets.format_date(period[1]) if period[1] else "today"
            parts.append(f"{start} to {end}")
        return " · ".join(parts)

    def document(self) -> Document:
        """The printout of the rows shown, under the trust's name and logo."""
        redact = redactor_of(self.ctx.db)
        head = masthead(self.ctx.db)
        return actions.you_said_we_did_document(
            self.model.rows(),
            self.title(),
            redact=redact,
            trust_name=head.trust_name,
            logo_png=head.logo_png,
        )

    def copy_table(self) -> None:
        """Put the table on the clipboard as HTML (a <table>) and as tab-separated text."""
        rows = self.model.rows()
        mime = QMimeData()
        redact = redactor_of(self.ctx.db)
        mime.setHtml(actions.you_said_we_did_table_html(rows, redact=redact))
        mime.setText(actions.you_said_we_did_text(rows, redact=redact))
        QApplication.clipboard().setMimeData(mime)
        self.count_label.setText(f"Copied {len(rows):,} rows as a table.")

    def preview(self) -> None:
        from .. import printing

        printing.preview(self, self.document(), self.title())

    def print_table(self) -> None:
        from .. import printing

        printing.print_document(self, self.document())

    def save_pdf(self) -> str:
        path = ask_pdf_path(self, "You said we did.pdf")
        if not path:
            return ""
        from .. import printing

        if (
            operations.export(self, "Not saved", lambda: printing.write_pdf(self.document(), path))
            is None
        ):
            return ""
        self.count_label.setText(f"Saved {path}")
        files.offer_to_open(self, Path(path), "“You said, we did”")
        return path
