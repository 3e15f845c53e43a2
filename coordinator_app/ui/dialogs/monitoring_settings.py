"""The Organisation dialog's equality monitoring tabs (issue #27): each locality's population
shares, and the trust's lists of characteristics and groups.

Population shares: choose a locality, type each group's share in per cent (blank: none), Save.
The lists: one block per characteristic, its name on the first line and a group on each line
after it, blocks apart by an empty line; "Prefer not to say" and "Not asked" are added to each
when missing. A group someone has answered cannot be removed (the core refuses, nothing
changes). Both save through ``ui.operations.monitoring``.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core import meetings, monitoring
from ...core.errors import ValidationError
from .. import widgets
from ..context import AppContext
from ..operations import monitoring as monitoring_ops


def parse_share(text: str) -> float | None:
    """A share typed as ``12.5``, ``12.5%`` or blank (None); ValueError otherwise."""
    clean = text.strip().rstrip("%").strip().replace(",", ".")
    if not clean:
        return None
    try:
        return float(clean)
    except ValueError:
        raise ValueError(f"'{text.strip()}' is not a number of per cent.") from None


class PopulationSharesPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.errors = widgets.FormErrors()
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Each locality's population share of each group, in per cent (e.g. from the 2021 "
            "Census): the Reach figures compare the people who took part with them."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        top = QFormLayout()
        self.locality_combo = self.errors.add_row(top, "Localit&y", None, QComboBox())
        layout.addLayout(top)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        self.edits: dict[uuid.UUID, QLineEdit] = {}
        for characteristic in monitoring.read_characteristics(ctx.db):
            box = QGroupBox(characteristic.name)
            form = QFormLayout(box)
            for group in characteristic.groups:
                if not group.stated:
                    continue
                edit = QLineEdit()
                edit.setAccessibleName(f"{characteristic.name}: {group.name}, per cent")
                edit.setPlaceholderText("%")
                self.edits[group.id] = self.errors.add_row(form, group.name, str(group.id), edit)
            inner.addWidget(box)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(holder)
        area.setAccessibleName("Population shares")
        layout.addWidget(area, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton("Save &shares")
        widgets.say_more(self.save_button, "Save population shares")
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        widgets.fill_combo(
            self.locality_combo,
            [(loc.name, loc.id) for loc in meetings.list_localities(ctx.db)],
            keep=False,
        )
        self.locality_combo.currentIndexChanged.connect(self.load)
        self.save_button.clicked.connect(self.save)
        self.load()

    def locality(self) -> uuid.UUID | None:
        value: Any = self.locality_combo.currentData()
        return value

    def load(self, *_args: Any) -> None:
        self.errors.clear()
        locality_id = self.locality()
        shares: dict[uuid.UUID, float] = {}
        if locality_id is not None:
            with self.ctx.db.reading() as conn:
                shares = monitoring.population_shares(conn, locality_id)
        for group_id, edit in self.edits.items():
            value = shares.get(group_id)
            edit.setText("" if value is None else f"{value:g}")

    def save(self) -> bool:
        locality_id = self.locality()
        if locality_id is None:
            return False
        problems: dict[str, str] = {}
        values: dict[uuid.UUID, float | None] = {}
        for group_id, edit in self.edits.items():
            try:
                values[group_id] = parse_share(edit.text())
            except ValueError as exc:
                problems[str(group_id)] = str(exc)
        if problems:
            self.errors.show(problems)
            return False
        first_of = {
            c.name: str(next(g.id for g in c.groups if g.stated))
            for c in monitoring.read_characteristics(self.ctx.db)
            if any(g.stated for g in c.groups)
        }

        def show(exc: ValidationError) -> None:
            self.errors.show({first_of.get(key, key): text for key, text in exc.problems.items()})

        op = monitoring_ops.save_population_shares(self, self.ctx, locality_id, values)
        return op.validation(show).wait().ok


SELDOM = "*"


def lists_text(known: list[monitoring.Characteristic]) -> str:
    """The trust's lists as the editor shows them (without the two groups added anyway); a
    seldom-heard group the trust aims to reach starts with ``*``."""
    blocks = []
    for characteristic in known:
        groups = [
            f"{SELDOM} {g.name}" if g.seldom_heard else g.name
            for g in characteristic.groups
            if g.stated
        ]
        blocks.append("\n".join([characteristic.name, *groups]))
    return "\n\n".join(blocks)


def parse_lists(text: str) -> tuple[list[tuple[str, list[str]]], list[tuple[str, str]]]:
    """The lists typed, and the (characteristic, group) pairs marked ``*`` (seldom-heard)."""
    lists: list[tuple[str, list[str]]] = []
    seldom: list[tuple[str, str]] = []
    for block in text.replace("\r", "").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        groups = []
        for line in lines[1:]:
            name = line.removeprefix(SELDOM).strip()
            if line.startswith(SELDOM):
                seldom.append((lines[0], name))
            groups.append(name)
        lists.append((lines[0], groups))
    return lists, seldom


class MonitoringListsPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The characteristics the trust monitors and their groups: the name on the first "
            "line, a group on each line after it, an empty line between characteristics. "
            "'Prefer not to say' and 'Not asked' are added to each. Start a group with * to "
            "name it one of the seldom-heard groups the trust aims to reach: Home shows them."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Equality monitoring lists")
        self.editor.setTabChangesFocus(True)
        label = QLabel("C&haracteristics and groups")  # C is Close
        label.setBuddy(self.editor)
        layout.addWidget(label)
        layout.addWidget(self.editor, 1)
        self.problem = widgets.FormErrors.error_label()
        self.problem.setAccessibleName("Problem with the lists")
        layout.addWidget(self.problem)
        row = QHBoxLayout()
        row.addStretch(1)
        self.save_button = QPushButton("Save lis&ts")
        widgets.say_more(self.save_button, "Save monitoring lists")
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.save_button.clicked.connect(self.save)
        self.editor.setPlainText(lists_text(monitoring.read_characteristics(ctx.db)))

    def save(self) -> bool:
        self.problem.hide()

        def show(exc: ValidationError) -> None:
            self.problem.setText("Error: " + " ".join(exc.problems.values()))
            self.problem.show()

        lists, seldom = parse_lists(self.editor.toPlainText())
        op = monitoring_ops.save_characteristics(self, self.ctx, lists, seldom)
        return op.validation(show).wait().ok
