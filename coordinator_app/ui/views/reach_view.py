"""The Reach tab of the Returns page (issue #27): who took part, by the trust's equality
monitoring groups, against the locality's population, the most under-represented first.

Choose the trust, a locality or a forum and a period (the last 12 months by default); the table
reads ``reach.reach`` (the same function the return's Reach sheet uses). "Hide small numbers"
(on by default, as in the return) writes each characteristic's counts through
``reach.suppress``: a screen shown in a meeting singles nobody out. Every value is a cell's text,
so a screen reader reads it as seen; the summary line says how many people were counted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core import meetings, reach
from ...core.monitoring import NOT_STATED
from ...core.rules import Month
from .. import widgets
from ..context import AppContext
from ..models.table import Column, RowTableModel
from ..reach_chart import ReachChart

TRUST = ("trust", None)


@dataclass(frozen=True)
class ReachViewRow:
    key: str
    characteristic: str
    group: str
    people: Any
    share: Any
    population: float | None
    gap: float | None


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


class ReachModel(RowTableModel[ReachViewRow]):
    """The groups, most under-represented first (the order ``reach.reach`` gives)."""

    columns = (
        Column[ReachViewRow]("Characteristic", lambda r: r.characteristic),
        Column[ReachViewRow]("Group", lambda r: r.group),
        Column[ReachViewRow]("People", lambda r: _number(r.people), align_right=True),
        Column[ReachViewRow]("Share (%)", lambda r: _number(r.share), align_right=True),
        Column[ReachViewRow](
            "Population share (%)", lambda r: _number(r.population), align_right=True
        ),
        Column[ReachViewRow](
            "Difference (points)",
            lambda r: "" if r.gap is None else f"{r.gap:+.1f}",
            sort_key=lambda r: r.gap,
            align_right=True,
        ),
    )
    id_attr = "key"


def view_rows(rows: list[reach.ReachRow], *, hide_small: bool) -> list[ReachViewRow]:
    """Plain rows for the table; with ``hide_small`` each characteristic's counts (and their
    shares) through ``reach.suppress``, the order kept."""
    shown: dict[int, Any] = {}
    if hide_small:
        by_characteristic: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            by_characteristic.setdefault(row.characteristic, []).append(i)
        for indexes in by_characteristic.values():
            cells = reach.suppress(
                [rows[i].people for i in indexes], [rows[i].stated for i in indexes]
            )
            shown |= dict(zip(indexes, cells, strict=True))
    out = []
    for i, row in enumerate(rows):
        people = shown.get(i, row.people)
        hidden = isinstance(people, str)
        out.append(
            ReachViewRow(
                f"{row.characteristic}\n{row.group}",
                row.characteristic,
                row.group,
                people,
                people if hidden else row.share,
                row.population_share,
                None if hidden else row.gap,
            )
        )
    return out


class ReachPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The people who took part (named participants present at least once) by the "
            "trust's equality monitoring groups, against the population, the most "
            "under-represented first."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        errors = widgets.FormErrors()
        self.scope_combo = errors.add_row(form, "Sc&ope", None, QComboBox())
        self.scope_combo.setAccessibleName("Reach for")
        today = ctx.today()
        self.from_edit = errors.add_row(form, "From &date", None, widgets.DateEdit(today=today))
        self.to_edit = errors.add_row(form, "&To date", None, widgets.DateEdit(today=today))
        # The last 12 months: from the first day of the 12 months ending with this month.
        self.from_edit.set_value(reach.twelve_months(Month.of(today))[0])
        self.to_edit.set_value(today)
        self.from_edit.setAccessibleName("From date")
        self.to_edit.setAccessibleName("To date")
        layout.addLayout(form)
        row = QHBoxLayout()
        self.hide_small = QCheckBox("Hide small &numbers (as in the return)")
        self.hide_small.setChecked(True)
        self.show_button = QPushButton("Sho&w reach")
        self.show_button.setAccessibleName("Show reach")
        row.addWidget(self.hide_small)
        row.addStretch(1)
        row.addWidget(self.show_button)
        layout.addLayout(row)
        self.model = ReachModel(parent=self)
        self.table = widgets.RecordTable("Reach by group")
        self.table.setModel(self.model)
        self.summary = QLabel()
        self.summary.setAccessibleDescription("People counted")
        self.summary.setWordWrap(True)
        figures = QWidget()
        figures_layout = QVBoxLayout(figures)
        figures_layout.setContentsMargins(0, 0, 0, 0)
        figures_layout.addWidget(self.table, 1)
        figures_layout.addWidget(self.summary)
        chart_row = QFormLayout()
        self.chart_combo = errors.add_row(chart_row, "Chart: characteri&stic", None, QComboBox())
        self.chart_combo.setAccessibleName("Characteristic charted")
        self.chart = ReachChart()
        drawn = QWidget()
        drawn_layout = QVBoxLayout(drawn)
        drawn_layout.setContentsMargins(0, 0, 0, 0)
        drawn_layout.addLayout(chart_row)
        drawn_layout.addWidget(self.chart, 1)
        # The table above the chart, at least half the height between them (at 1366x768 the
        # chart took all but a row and a half); the coordinator can move the line between.
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(figures)
        self.split.addWidget(drawn)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)
        self._split_placed = False
        layout.addWidget(self.split, 1)
        self.rows: list[ReachViewRow] = []
        self.show_button.clicked.connect(self.refresh)
        self.hide_small.toggled.connect(self.refresh)
        self.chart_combo.currentIndexChanged.connect(self.draw_chart)
        self.fill_scopes()

    def showEvent(self, event: QShowEvent) -> None:
        """The first time: the table and the chart half each."""
        super().showEvent(event)
        if self._split_placed:
            return
        self._split_placed = True
        total = sum(self.split.sizes())
        self.split.setSizes([total - total // 2, total // 2])

    def fill_scopes(self) -> None:
        items: list[tuple[str, Any]] = [("The whole trust", TRUST)]
        for loc in meetings.list_localities(self.ctx.db):
            items.append((loc.name, ("locality", loc.id)))
        for forum in meetings.list_forums(self.ctx.db):
            items.append((f"{forum.name} ({forum.locality_name})", ("forum", forum.id)))
        widgets.fill_combo(self.scope_combo, items)

    def draw_chart(self, *_args: Any) -> None:
        name = self.chart_combo.currentData()
        if not name:
            return
        stated = [
            (r.group, r.share, r.population)
            for r in self.rows
            if r.characteristic == name and r.group not in NOT_STATED
        ]
        self.chart.draw(name, stated)

    def period(self) -> tuple[date, date] | None:
        try:
            start, end = self.from_edit.value(), self.to_edit.value()
        except ValueError as exc:
            self.summary.setText(f"Error: {exc}")
            return None
        if start is None or end is None or end < start:
            self.summary.setText("Error: give a From date on or before the To date.")
            return None
        return start, end

    def refresh(self) -> None:
        period = self.period()
        if period is None:
            self.model.set_rows([])
            return
        kind, scope_id = self.scope_combo.currentData() or TRUST
        locality_id: uuid.UUID | None = scope_id if kind == "locality" else None
        forum_id: uuid.UUID | None = scope_id if kind == "forum" else None
        with self.ctx.db.reading() as conn:
            rows = reach.reach(
                conn, start=period[0], end=period[1], locality_id=locality_id, forum_id=forum_id
            )
        self.rows = view_rows(rows, hide_small=self.hide_small.isChecked())
        self.model.set_rows(self.rows)
        self.table.fit_columns()  # whole headings ("pulation share (" was cut)
        # The chart: the characteristic of the most under-represented group, unless chosen.
        wanted = self.chart_combo.currentData() or (rows[0].characteristic if rows else None)
        names = list(dict.fromkeys(r.characteristic for r in rows))
        self.chart_combo.blockSignals(True)
        widgets.fill_combo(self.chart_combo, [(n, n) for n in names], keep=False)
        widgets.select_data(self.chart_combo, wanted)
        self.chart_combo.blockSignals(False)
        self.draw_chart()
        counted = sum(r.people for r in rows if r.characteristic == rows[0].characteristic)
        counted_text = (
            "fewer than 5" if self.hide_small.isChecked() and 1 <= counted <= 4 else str(counted)
        )
        self.summary.setText(
            f"{counted_text} people counted from {period[0]:%d/%m/%Y} to {period[1]:%d/%m/%Y}."
            if rows
            else "The trust monitors no characteristics."
        )
