"""The Trust view: the engagement group's picture after consolidating (the Returns page's
"Trust view" tab; docs/monthly-return.md#the-trust-view).

Top to bottom: what the picture covers, the **exceptions** first (missing returns, long-overdue
actions, no forum two months running), the returns not received, the measures by locality and
for the trust for the month chosen (with the change from the month before) and what people
said there by theme and kind, the ratings against
the group's **targets** (each a word, "Red: off target", with its colour), the targets
themselves (add and remove), the group's summary for the Board and "Save Board report…".

Pitfalls:
- The targets are kept in **QSettings** (``KEY_TARGETS``, JSON), on the group's own machine: the
  group's choice of what to watch, not data of a locality's database (keeping them in the
  database would need a migration; see the report of issue #30).
- The page keeps plain data (``ReturnData`` and ``TrustPicture``); the picture is rebuilt from
  the returns when a target changes (no file is read again).
- The Board report is typeset and written in the background (``tasks.run_with_progress``); the
  narrative goes through the group's database's redactor there, not on the GUI thread.
- Value labels are described, never named (a name is read instead of the text).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core.board import (
    MEDIAN_DAYS,
    NOT_SENT,
    OWN_MEASURES,
    TRUST,
    BoardException,
    RatedMeasure,
    Rating,
    Target,
    ThemeCount,
    TrustPicture,
    change_shown,
    shown,
    trust_picture,
)
from ...core.figures import SUMMARY_MEASURES
from ...core.privacy import looks_like_names
from ...core.return_format import ReturnData
from ...core.rules import Month
from .. import files, tasks, widgets
from ..context import AppContext
from ..models.table import Column, RowTableModel
from ..widgets import RecordTable

#: QSettings key of the group's targets (a JSON list of objects).
KEY_TARGETS = "trust_view/targets"
#: The measures a target can be set for.
TARGET_MEASURES: tuple[str, ...] = (
    *(m for m in SUMMARY_MEASURES if m != "Accreditation result"),
    MEDIAN_DAYS,
)
#: The locality table's measures (Summary label, header).
SHOWN: tuple[tuple[str, str], ...] = (
    ("Attendances", "Attendances"),
    ("Distinct named participants", "Distinct people"),
    ("New participants", "New people"),
    ("Experience items", "Experience items"),
    ("Actions raised", "Actions raised"),
    ("Actions completed", "Completed"),
    ("Actions open at month end", "Open"),
    ("Actions overdue at month end", "Overdue"),
    (MEDIAN_DAYS, "Median days to completed"),
    ("Involvement payments", "Payments"),
    ("Involvement payments (GBP)", "Payments (GBP)"),
    ("Improvement projects active", "Improvement projects"),
    ("Accreditation result", "Accreditation"),
    ("Standards met (%)", "Standards met (%)"),
)
#: Light tints behind a rating's word (the word is always there; dark text on them).
TINTS = {Rating.GREEN: "#d4edda", Rating.AMBER: "#fff3cd", Rating.RED: "#f8d7da"}


def settings() -> QSettings:
    return QSettings()


def choose_save_path(parent: QWidget | None, title: str, suggested: str) -> str:
    """Ask where to save the Board report (``ui.files``); "" when the user cancels."""
    path = files.ask_save(parent, files.PDF, title, suggested)
    return str(path) if path else ""


def load_targets() -> list[Target]:
    """The group's targets from QSettings; a value that cannot be read is left out."""
    raw = settings().value(KEY_TARGETS, "") or ""
    try:
        items = json.loads(str(raw)) if raw else []
    except ValueError:
        return []
    found = []
    for item in items if isinstance(items, list) else []:
        try:
            target = Target(
                str(item["measure"]),
                float(item["value"]),
                bool(item["higher_is_better"]),
                "trust" if item.get("per") == "trust" else "locality",
            )
        except (KeyError, TypeError, ValueError):
            continue
        if target.measure in TARGET_MEASURES:
            found.append(target)
    return found


def save_targets(targets: Sequence[Target]) -> None:
    settings().setValue(
        KEY_TARGETS,
        json.dumps(
            [
                {
                    "measure": t.measure,
                    "value": t.value,
                    "higher_is_better": t.higher_is_better,
                    "per": t.per,
                }
                for t in targets
            ]
        ),
    )


@dataclass(frozen=True)
class PlaceRow:
    """One locality's (or the trust's) month."""

    locality: str
    sent: bool
    values: tuple[str, ...]
    change: str


class ExceptionsModel(RowTableModel[BoardException]):
    columns = (
        Column[BoardException]("Locality", lambda e: e.locality),
        Column[BoardException]("Month", lambda e: str(e.month)),
        Column[BoardException]("Exception", lambda e: e.text),
    )
    id_attr = "text"

    def sort(self, column: int, order: Any = None) -> None:  # worst first is the point
        return


def _place_column(index: int, header: str) -> Column[PlaceRow]:
    return Column[PlaceRow](header, lambda r: r.values[index], align_right=True)


class PlacesModel(RowTableModel[PlaceRow]):
    columns = (
        Column[PlaceRow]("Locality", lambda r: r.locality),
        _place_column(0, "Attendances"),
        Column[PlaceRow](
            "Attendances: change from the month before", lambda r: r.change, align_right=True
        ),
        *(_place_column(i, header) for i, (_m, header) in enumerate(SHOWN) if i),
    )
    id_attr = "locality"

    def sort(self, column: int, order: Any = None) -> None:  # localities, then the trust
        return


class ThemesModel(RowTableModel[ThemeCount]):
    columns = (
        Column[ThemeCount]("Theme", lambda t: t.theme),
        Column[ThemeCount]("Kind", lambda t: t.kind),
        Column[ThemeCount](
            "Items", lambda t: str(t.items), sort_key=lambda t: t.items, align_right=True
        ),
        Column[ThemeCount]("Localities", lambda t: ", ".join(t.localities)),
    )
    id_attr = "theme"


class RatingsModel(RowTableModel[RatedMeasure]):
    columns = (
        Column[RatedMeasure]("Measure", lambda r: r.target.measure),
        Column[RatedMeasure]("Target", lambda r: r.target.describe()),
        Column[RatedMeasure]("Locality", lambda r: r.locality),
        Column[RatedMeasure]("Value", lambda r: shown(r.target.measure, r.value), align_right=True),
        Column[RatedMeasure](
            "Rating", lambda r: r.rating.word if r.rating else "not rated (no figure)"
        ),
    )
    id_attr = "locality"

    def extra_data(self, item: RatedMeasure, column: int, role: int) -> Any:
        if column != 4 or item.rating is None:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(TINTS[item.rating])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#000000")
        return None


class TargetsModel(RowTableModel[Target]):
    columns = (
        Column[Target]("Measure", lambda t: t.measure),
        Column[Target]("Target", lambda t: t.describe()),
    )
    id_attr = "measure"


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _note(description: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleDescription(description)
    return label


def _labelled(text: str, widget: QWidget, name: str) -> QHBoxLayout:
    row = QHBoxLayout()
    label = QLabel(text)
    label.setBuddy(widget)
    widget.setAccessibleName(name)
    row.addWidget(label)
    row.addWidget(widget, 1)
    return row


class TrustView(QWidget):
    """The Trust view of the returns last consolidated (``set_returns``)."""

    report_saved = Signal(str)  #: the path of a Board report just written

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._returns: list[ReturnData] = []
        self.picture: TrustPicture | None = None
        self.targets: list[Target] = load_targets()
        # One column that scrolls: each table keeps room for several rows on a laptop screen,
        # and Tab scrolls the control it reaches into view (``QScrollArea``).
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setAccessibleName("Trust view")
        outer.addWidget(self.scroll_area)
        inner = QWidget()
        self.scroll_area.setWidget(inner)
        box = QVBoxLayout(inner)
        self.caption = _note("What the Trust view shows")
        box.addWidget(self.caption)

        box.addWidget(_heading("Exceptions"))
        self.exceptions_model = ExceptionsModel(parent=self)
        self.exceptions_table = RecordTable("Exceptions")
        self.exceptions_table.setModel(self.exceptions_model)
        self.exceptions_table.setMinimumHeight(150)
        box.addWidget(self.exceptions_table)
        self.missing_label = _note("Returns not received")
        box.addWidget(self.missing_label)

        box.addWidget(_heading("Measures by locality and for the trust"))
        self.month_combo = QComboBox()
        self.month_combo.currentIndexChanged.connect(self._show_month)
        box.addLayout(_labelled("M&onth shown:", self.month_combo, "Month shown"))
        self.places_model = PlacesModel(parent=self)
        self.places_table = RecordTable("Measures by locality and for the trust")
        self.places_table.setModel(self.places_model)
        self.places_table.setMinimumHeight(230)
        box.addWidget(self.places_table)

        box.addWidget(_heading("What people said in the month shown, by theme and kind"))
        self.themes_model = ThemesModel(parent=self)
        self.themes_table = RecordTable("What people said in the month shown, by theme")
        self.themes_table.setModel(self.themes_model)
        self.themes_table.setMinimumHeight(130)
        self.themes_table.setMaximumHeight(220)
        box.addWidget(self.themes_table)

        box.addWidget(_heading("Against the group's targets (latest month)"))
        self.ratings_model = RatingsModel(parent=self)
        self.ratings_table = RecordTable("Ratings against the targets")
        self.ratings_table.setModel(self.ratings_model)
        self.ratings_table.setMinimumHeight(150)
        box.addWidget(self.ratings_table)

        self.targets_model = TargetsModel(parent=self)
        self.targets_table = RecordTable("Targets")
        self.targets_table.setModel(self.targets_model)
        self.targets_table.deleteRequested.connect(lambda _row: self.remove_target())
        self.targets_table.setMinimumHeight(110)
        box.addWidget(self.targets_table)
        edit = QHBoxLayout()
        self.measure_combo = QComboBox()
        self.measure_combo.addItems(list(TARGET_MEASURES))
        self.measure_combo.setAccessibleName("Measure of a new target")
        self.value_spin = QDoubleSpinBox()
        self.value_spin.setRange(0, 1_000_000)
        self.value_spin.setDecimals(1)
        self.value_spin.setAccessibleName("Target value")
        self.direction_combo = QComboBox()
        self.direction_combo.addItems(["at least (higher is better)", "at most (lower is better)"])
        self.direction_combo.setAccessibleName("Higher or lower is better")
        self.per_combo = QComboBox()
        self.per_combo.addItems(["each locality", "the trust total"])
        self.per_combo.setAccessibleName("Rated for")
        self.add_target_button = QPushButton("Add &target")
        self.add_target_button.setAccessibleName("Add the target")
        self.add_target_button.clicked.connect(self.add_target)
        self.remove_target_button = QPushButton("Remove tar&get")
        self.remove_target_button.setAccessibleName("Remove the chosen target")
        self.remove_target_button.clicked.connect(self.remove_target)
        label = QLabel("Ne&w target:")
        label.setBuddy(self.measure_combo)
        for widget in (
            label,
            self.measure_combo,
            self.direction_combo,
            self.value_spin,
            self.per_combo,
            self.add_target_button,
            self.remove_target_button,
        ):
            edit.addWidget(widget)
        box.addLayout(edit)

        self.narrative = QPlainTextEdit()
        self.narrative.setTabChangesFocus(True)
        self.narrative.setPlaceholderText("The engagement group's summary for the Board")
        self.narrative.setMaximumHeight(90)
        narrative_label = QLabel("Group's summar&y for the Board report:")
        narrative_label.setBuddy(self.narrative)
        self.narrative.setAccessibleName("The engagement group's summary for the Board report")
        box.addWidget(narrative_label)
        box.addWidget(self.narrative)
        row = QHBoxLayout()
        self.save_button = QPushButton("Save &Board report…")
        self.save_button.setAccessibleName("Save the Board report")
        self.save_button.clicked.connect(self.save_report)
        row.addWidget(self.save_button)
        self.report_status = _note("Board report result")
        row.addWidget(self.report_status, 1)
        box.addLayout(row)
        self.set_returns([])

    # --- contents -------------------------------------------------------------------------

    def set_returns(self, returns: Sequence[ReturnData]) -> None:
        """Show the picture of ``returns`` (those a consolidation used)."""
        self._returns = list(returns)
        self.report_status.clear()
        self._rebuild()

    def _rebuild(self) -> None:
        self.targets_model.set_rows(self.targets)
        self.remove_target_button.setEnabled(bool(self.targets))
        if not self._returns:
            self.picture = None
            self.caption.setText(
                "Consolidate returns on the Consolidate tab to see the trust's picture here."
            )
            models = (self.exceptions_model, self.places_model, self.ratings_model)
            for model in (*models, self.themes_model):
                model.set_rows([])
            self.missing_label.clear()
            self.month_combo.clear()
            self.month_combo.setEnabled(False)
            self.save_button.setEnabled(False)
            return
        picture = trust_picture(self._returns, self.targets)
        self.picture = picture
        months = picture.months
        span = f"{months[0]}" if len(months) == 1 else f"{months[0]} to {months[-1]}"
        self.caption.setText(
            f"{len(picture.localities)} localities ({', '.join(picture.localities)}), {span}: "
            f"{len(self._returns)} returns; {len(picture.exceptions)} exceptions, listed first."
        )
        self.exceptions_model.set_rows(list(picture.exceptions))
        missing = ", ".join(f"{locality} ({month})" for locality, month in picture.missing)
        self.missing_label.setText(f"Returns not received: {missing or 'none'}.")
        chosen = self.month_combo.currentData()
        self.month_combo.blockSignals(True)
        self.month_combo.clear()
        for month in reversed(months):
            self.month_combo.addItem(str(month), month)
        index = self.month_combo.findData(chosen) if chosen is not None else 0
        self.month_combo.setCurrentIndex(max(0, index))
        self.month_combo.blockSignals(False)
        self.month_combo.setEnabled(True)
        self.ratings_model.set_rows(list(picture.ratings))
        self.save_button.setEnabled(True)
        self._show_month()

    def _show_month(self, *_args: object) -> None:
        month = self.month_combo.currentData()
        if self.picture is None or not isinstance(month, Month):
            return
        self.places_model.set_rows(place_rows(self.picture, month))
        self.themes_model.set_rows([t for t in self.picture.themes if t.month == month])
        self.places_table.resizeColumnsToContents()

    # --- targets --------------------------------------------------------------------------

    def add_target(self) -> None:
        target = Target(
            self.measure_combo.currentText(),
            self.value_spin.value(),
            self.direction_combo.currentIndex() == 0,
            "locality" if self.per_combo.currentIndex() == 0 else "trust",
        )
        self.targets = [
            t for t in self.targets if (t.measure, t.per) != (target.measure, target.per)
        ]
        self.targets.append(target)
        save_targets(self.targets)
        self._rebuild()

    def remove_target(self) -> None:
        row = self.targets_table.currentIndex().row()
        if not 0 <= row < len(self.targets):
            return
        del self.targets[row]
        save_targets(self.targets)
        self._rebuild()

    # --- the Board report -----------------------------------------------------------------

    def save_report(self) -> Path | None:
        """Save the Board report. A summary that still looks like it names someone (the privacy
        review's check) is said, with the words, before anything is saved."""
        if self.picture is None:
            return None
        narrative = self.narrative.toPlainText()
        flagged = [narrative[f.start : f.end] for f in looks_like_names(narrative)]
        if flagged and not widgets.confirm(
            self,
            "Save Board report",
            "The group's summary still looks like it names someone ("
            + ", ".join(f'"{word}"' for word in dict.fromkeys(flagged))
            + "). Service users and carers this database knows are hidden, but no one else "
            "is. Save the Board report anyway?",
            yes="Save anyway",
        ):
            self.report_status.setText("The Board report was not saved: reword the summary.")
            return None
        months = self.picture.months
        folder = files.last_folder(files.PDF)
        suggested = str(folder / f"Board-report-{months[0]}-to-{months[-1]}.pdf")
        answer = choose_save_path(self, "Save the Board report", suggested)
        if not answer:
            return None
        target = Path(answer)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        picture, db = self.picture, self.ctx.db

        def work(progress: tasks.Progress, cancelled: tasks.Cancelled) -> Path:
            from ...core.board_report import board_document
            from ...core.privacy import redactor_of
            from ...core.typeset import write_pdf

            document = board_document(picture, narrative=narrative, redact=redactor_of(db))
            return write_pdf(document, target)

        written = tasks.run_with_progress(
            self, "Save Board report", "Typesetting the Board report…", work
        )
        if written is None:
            self.report_status.setText("The Board report was not saved.")
            return None
        self.report_status.setText(f"Saved {written.name} in {written.parent}.")
        self.report_saved.emit(str(written))
        return Path(written)


def place_rows(picture: TrustPicture, month: Month) -> list[PlaceRow]:
    """The localities' rows and the trust's for ``month``: "no return" where none was sent;
    the trust's accreditation "by locality" (never added up)."""
    rows = []
    for locality in (*picture.localities, TRUST):
        sent = (locality, month) in picture.values
        values = []
        for measure, _header in SHOWN:
            if not sent:
                values.append(NOT_SENT)
            elif locality == TRUST and measure in OWN_MEASURES:
                values.append("by locality")
            else:
                values.append(shown(measure, picture.value(locality, month, measure)))
        change = picture.change(locality, month, "Attendances")
        rows.append(
            PlaceRow(
                locality,
                sent,
                tuple(values),
                change_shown("Attendances", change, "previous") if sent else NOT_SENT,
            )
        )
    return rows
