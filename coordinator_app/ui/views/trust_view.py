"""The Trust view: the engagement group's picture, month after month (the Returns page's
"Trust view" tab; docs/monthly-return.md#the-trust-view, #kept-between-months).

On opening it shows the picture of the returns **kept** in the group's database (no file read);
after a consolidation (``keep_returns``) the returns read join them and are kept too. Top to
bottom: what the picture covers, the **exceptions** first (missing returns, long-overdue
actions, no forum two months running), the returns not received, the measures by locality and
for the trust for the month chosen (with the change from the month before), in two tables as
the Board report has them (people and the rest, then the actions), and what people
said there by theme and kind, the **trend** of one measure month by month for the trust or a
locality, the ratings against the group's **targets** (each a word, "Red: off target", with its
colour), the targets themselves (add and remove), **"You said, we did"** (completed actions the
group ticks to feature in the Board report), the returns kept (forget one), the group's summary
for the Board and "Save Board report…".

Pitfalls:
- Targets, highlights and kept returns are in the database (``core/kept_returns.py``, 0012);
  every change is an ``Op`` (``ui/operations/board.py``). Targets kept in **QSettings** before
  (``KEY_TARGETS``) are moved into the database once, then the key is removed.
- The page keeps plain data (``KeptReturn``, ``ReturnData`` and ``TrustPicture``); the picture
  is rebuilt from them when a target or a highlight changes (no file is read again).
- The Board report is typeset and written in the background (``tasks.run_with_progress``); the
  narrative goes through the group's database's redactor there, not on the GUI thread.
- Value labels are described, never named (a name is read instead of the text).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
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

from ...core import kept_returns
from ...core.board import (
    TRUST,
    Rating,
    Target,
    TrustPicture,
    compared_with,
    trend_rows,
    trust_picture,
)
from ...core.kept_returns import TARGET_MEASURES, KeptReturn
from ...core.privacy import looks_like_names
from ...core.return_format import ReturnData
from ...core.rules import Month
from ...core.xlsx import month_name
from .. import files, operations, tasks, widgets
from ..context import AppContext
from ..operations import board as board_ops
from ..widgets import RecordTable
from .trust_models import (
    MEASURES,
    TINTS,
    ExceptionsModel,
    HighlightRow,
    HighlightsModel,
    KeptModel,
    PlaceActionsModel,
    PlaceRow,
    PlacesModel,
    RatingsModel,
    TargetsModel,
    ThemesModel,
    TrendModel,
    place_rows,
)

__all__ = ["TINTS", "PlaceRow", "Rating", "TrustView", "place_rows"]

#: QSettings key where the group's targets were kept before 0012 (a JSON list of objects).
KEY_TARGETS = "trust_view/targets"
#: The trend's measures: the locality tables', in their order.
TREND_MEASURES: tuple[str, ...] = MEASURES


def settings() -> QSettings:
    return QSettings()


def choose_save_path(parent: QWidget | None, title: str, suggested: str) -> str:
    """Ask where to save the Board report (``ui.files``); "" when the user cancels."""
    path = files.ask_save(parent, files.PDF, title, suggested)
    return str(path) if path else ""


def settings_targets() -> list[Target]:
    """The targets kept in QSettings before 0012; a value that cannot be read is left out."""
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


def _table(name: str, model: object, height: int) -> RecordTable:
    table = RecordTable(name)
    table.setModel(model)  # type: ignore[arg-type]
    table.setMinimumHeight(height)
    return table


class TrustView(QWidget):
    """The Trust view of the kept returns and those last consolidated (``keep_returns``)."""

    report_saved = Signal(str)  #: the path of a Board report just written

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._kept: list[KeptReturn] = []
        self._returns: list[ReturnData] = []  # read and not (yet) kept
        self._highlights: list[tuple[str, str]] = []
        self.picture: TrustPicture | None = None
        self.targets: list[Target] = []
        # One column that scrolls: each table keeps room for several rows on a laptop screen,
        # and Tab scrolls the control it reaches into view (``QScrollArea``).
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setAccessibleName("Trust view")
        # Not a Tab stop of its own: it showed no focus and did nothing (Tab scrolls each
        # control into view), one press of Tab lost between the tab bar and the first table.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer.addWidget(self.scroll_area)
        inner = QWidget()
        self.scroll_area.setWidget(inner)
        box = QVBoxLayout(inner)
        self.caption = _note("What the Trust view shows")
        box.addWidget(self.caption)

        box.addWidget(_heading("Exceptions"))
        self.exceptions_model = ExceptionsModel(parent=self)
        self.exceptions_table = _table("Exceptions", self.exceptions_model, 150)
        box.addWidget(self.exceptions_table)
        self.missing_label = _note("Returns not received")
        box.addWidget(self.missing_label)

        box.addWidget(_heading("Measures by locality and for the trust"))
        self.month_combo = QComboBox()
        self.month_combo.currentIndexChanged.connect(self._show_month)
        box.addLayout(_labelled("M&onth shown:", self.month_combo, "Month shown"))
        self.places_model = PlacesModel(parent=self)
        self.places_table = _table("Measures by locality and for the trust", self.places_model, 230)
        box.addWidget(self.places_table)
        # A change from fewer localities' returns is not the trust's growth: say so, as the
        # Board report does (``board.compared_with``).
        self.compared_label = _note("What the trust's changes compare with")
        self.compared_label.hide()
        box.addWidget(self.compared_label)
        # The actions in a second table, as in the Board report: the sixteen columns in one
        # scrolled sideways in the main window at 1366x768.
        self.place_actions_model = PlaceActionsModel(parent=self)
        self.place_actions_table = _table(
            "Actions by locality and for the trust", self.place_actions_model, 200
        )
        box.addWidget(self.place_actions_table)
        for table in (self.places_table, self.place_actions_table):
            table.horizontalHeader().setStretchLastSection(False)  # figures by headers

        box.addWidget(_heading("What people said in the month shown, by theme and kind"))
        self.themes_model = ThemesModel(parent=self)
        self.themes_table = _table(
            "What people said in the month shown, by theme", self.themes_model, 130
        )
        self.themes_table.setMaximumHeight(220)
        box.addWidget(self.themes_table)

        box.addWidget(_heading("Trend, month by month"))
        self.trend_measure_combo = QComboBox()
        self.trend_measure_combo.addItems(list(TREND_MEASURES))
        self.trend_measure_combo.currentIndexChanged.connect(self._show_trend)
        self.trend_place_combo = QComboBox()
        self.trend_place_combo.currentIndexChanged.connect(self._show_trend)
        trend = _labelled("Tren&d of:", self.trend_measure_combo, "Measure of the trend")
        trend.addLayout(_labelled("For (trust or &locality):", self.trend_place_combo, "Trend for"))
        box.addLayout(trend)
        self.trend_model = TrendModel(parent=self)
        self.trend_table = _table("Trend, month by month", self.trend_model, 170)
        box.addWidget(self.trend_table)

        box.addWidget(_heading("Against the group's targets (latest month)"))
        self.ratings_model = RatingsModel(parent=self)
        self.ratings_table = _table("Ratings against the targets", self.ratings_model, 150)
        box.addWidget(self.ratings_table)
        self.targets_model = TargetsModel(parent=self)
        self.targets_table = _table("Targets", self.targets_model, 110)
        self.targets_table.deleteRequested.connect(lambda _row: self.remove_target())
        box.addWidget(self.targets_table)
        box.addLayout(self._target_editor())

        box.addWidget(_heading('"You said, we did": completed actions to feature'))
        self.highlights_note = _note("What featuring an action does")
        box.addWidget(self.highlights_note)
        self.highlights_model = HighlightsModel(parent=self)
        self.highlights_table = _table(
            "Completed actions to feature in the Board report", self.highlights_model, 170
        )
        self.highlights_table.openRequested.connect(lambda _row: self.toggle_feature())
        self.highlights_table.clicked.connect(self._clicked_highlight)
        tick = QShortcut(QKeySequence(Qt.Key.Key_Space), self.highlights_table)
        tick.setContext(Qt.ShortcutContext.WidgetShortcut)  # Space ticks, as on a check box
        tick.activated.connect(self.toggle_feature)
        box.addWidget(self.highlights_table)
        self.feature_button = QPushButton("Feature &in the Board report")
        widgets.say_more(self.feature_button, "Feature the chosen action or stop featuring it")
        self.feature_button.clicked.connect(self.toggle_feature)
        row = QHBoxLayout()
        row.addWidget(self.feature_button)
        row.addStretch(1)
        box.addLayout(row)

        box.addWidget(_heading("Returns kept between months"))
        self.kept_model = KeptModel(parent=self)
        self.kept_table = _table("Returns kept between months", self.kept_model, 150)
        self.kept_table.deleteRequested.connect(lambda _row: self.forget_return())
        box.addWidget(self.kept_table)
        row = QHBoxLayout()
        self.forget_button = QPushButton("Forget retur&n…")
        widgets.say_more(self.forget_button, "Forget the chosen kept return")
        self.forget_button.clicked.connect(self.forget_return)
        row.addWidget(self.forget_button)
        self.kept_status = _note("What was kept")
        row.addWidget(self.kept_status, 1)
        box.addLayout(row)

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
        widgets.say_more(self.save_button, "Save the Board report")
        self.save_button.clicked.connect(self.save_report)
        row.addWidget(self.save_button)
        self.report_status = _note("Board report result")
        row.addWidget(self.report_status, 1)
        box.addLayout(row)
        self.highlights_table.selectionModel().currentRowChanged.connect(self._name_feature)
        self.reload()
        self._move_settings_targets()

    def _target_editor(self) -> QHBoxLayout:
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
        widgets.say_more(self.add_target_button, "Add the target")
        self.add_target_button.clicked.connect(self.add_target)
        self.remove_target_button = QPushButton("Remove tar&get")
        widgets.say_more(self.remove_target_button, "Remove the chosen target")
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
        return edit

    # --- contents -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the kept returns, targets and highlights again and show the picture."""
        db = self.ctx.db

        def read() -> tuple[list[KeptReturn], list[Target], list[tuple[str, str]]]:
            return (
                kept_returns.kept(db),
                kept_returns.load_targets(db),
                kept_returns.highlights(db),
            )

        found = operations.read(self, "Trust view", read, quiet=True)
        if found is not None:
            self._kept, self.targets, self._highlights = found
        self._rebuild()

    def set_returns(self, returns: Sequence[ReturnData]) -> None:
        """Show the picture of the kept returns with ``returns`` (read, not kept)."""
        self._returns = list(returns)
        self.report_status.clear()
        self._rebuild()

    def keep_returns(self, returns: Sequence[ReturnData]) -> None:
        """Show ``returns`` (those a consolidation used) with the kept ones, and keep them."""
        self.set_returns(returns)
        outcome = board_ops.keep(self, self.ctx, returns).wait()
        if not outcome.ok or outcome.value is None:
            self.kept_status.setText("The returns read were not kept; they are shown until closed.")
            return
        result = outcome.value
        self._returns = []
        self.reload()
        lines = [result.sentence(), *(f"Not kept {s}" for s in result.set_aside)]
        self.kept_status.setText(" ".join(lines))

    def _all_returns(self) -> list[ReturnData]:
        return kept_returns.combined((k.data for k in self._kept), self._returns)

    def _rebuild(self) -> None:
        self.targets_model.set_rows(self.targets)
        self.remove_target_button.setEnabled(bool(self.targets))
        self.kept_model.set_rows(self._kept)
        self.kept_table.fit_columns(stretch_column=2)
        self.forget_button.setEnabled(bool(self._kept))
        returns = self._all_returns()
        if not returns:
            self.picture = None
            self.caption.setText(
                "No returns are kept yet. Consolidate returns on the Consolidate tab: they are "
                "kept here, and the trust's picture builds up month by month."
            )
            models = (self.exceptions_model, self.places_model, self.place_actions_model)
            for model in (
                *models,
                self.ratings_model,
                self.themes_model,
                self.trend_model,
                self.highlights_model,
            ):
                model.set_rows([])
            self.missing_label.clear()
            self._fit_places()
            for combo in (self.month_combo, self.trend_place_combo):
                combo.clear()
                combo.setEnabled(False)
            self.trend_measure_combo.setEnabled(False)
            self.highlights_note.clear()
            self.feature_button.setEnabled(False)
            self.save_button.setEnabled(False)
            return
        picture = trust_picture(returns, self.targets, featured=self._highlights)
        self.picture = picture
        months = picture.months
        span = f"{months[0]}" if len(months) == 1 else f"{months[0]} to {months[-1]}"
        fresh = f", {len(self._returns)} just read" if self._returns else ""
        self.caption.setText(
            f"{len(picture.localities)} localities ({', '.join(picture.localities)}), {span}: "
            f"{len(returns)} returns ({len(self._kept)} kept{fresh}); "
            f"{len(picture.exceptions)} exceptions, listed first."
        )
        self.exceptions_model.set_rows(list(picture.exceptions))
        self.exceptions_table.fit_columns(stretch_column=2)
        missing = ", ".join(f"{locality} ({month})" for locality, month in picture.missing)
        self.missing_label.setText(f"Returns not received: {missing or 'none'}.")
        self._refill(self.month_combo, [(str(m), m) for m in reversed(months)])
        places = [(TRUST, TRUST), *((p, p) for p in picture.localities)]
        self._refill(self.trend_place_combo, places)
        self.trend_measure_combo.setEnabled(True)
        self.ratings_model.set_rows(list(picture.ratings))
        self.ratings_table.fit_columns(stretch_column=4)
        self._show_highlights()
        self.save_button.setEnabled(True)
        self._show_month()
        self._show_trend()

    @staticmethod
    def _refill(combo: QComboBox, items: Sequence[tuple[str, object]]) -> None:
        """Fill ``combo`` with ``items`` (text, data), keeping the choice when it is still
        there (else the first), without a signal per item."""
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        index = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)
        combo.setEnabled(True)

    def _show_month(self, *_args: object) -> None:
        month = self.month_combo.currentData()
        if self.picture is None or not isinstance(month, Month):
            return
        rows = place_rows(self.picture, month)
        self.places_model.set_rows(rows)
        self.place_actions_model.set_rows(rows)
        compared = compared_with(self.picture, month)
        self.compared_label.setText(compared)
        self.compared_label.setVisible(bool(compared))
        self.themes_model.set_rows([t for t in self.picture.themes if t.month == month])
        self.themes_table.fit_columns(stretch_column=3)
        self._fit_places()

    def _fit_places(self) -> None:
        """Every column of the measures by locality as wide as its header (two lines at most)
        and its cells, empty or not: both tables fit the main window on a laptop (1366
        pixels)."""
        self.places_table.resizeColumnsToContents()
        self.place_actions_table.resizeColumnsToContents()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_places()  # the fonts are final once shown

    def _show_trend(self, *_args: object) -> None:
        place = self.trend_place_combo.currentData()
        if self.picture is None or not isinstance(place, str):
            return
        measure = self.trend_measure_combo.currentText()
        self.trend_model.set_rows(trend_rows(self.picture, place, measure))
        self.trend_table.fit_columns()

    # --- "You said, we did" -----------------------------------------------------------------

    def _show_highlights(self) -> None:
        assert self.picture is not None
        featured = {a.key for a in self.picture.featured}
        current = self.highlights_table.currentIndex().row()
        rows = [HighlightRow(a, a.key in featured) for a in self.picture.completed]
        self.highlights_model.set_rows(rows)
        tick = self.highlights_table.fontMetrics().horizontalAdvance("M") * 14  # box and word
        self.highlights_table.fit_columns(stretch_column=4, at_least={0: tick})
        months = self.picture.months
        when = (
            f"in {month_name(months[0])}"
            if len(months) == 1
            else f"from {month_name(months[0])} to {month_name(months[-1])}"
        )
        self.highlights_note.setText(
            f"{len(rows)} {'action' if len(rows) == 1 else 'actions'} completed {when} (the "
            f"returns' \"Actions completed\"); {len(featured)} featured in the Board report's "
            '"You said, we did". Tick one (Space, Enter or the button) to feature it.'
            if rows
            else f"No return lists an action completed {when}."
        )
        if rows:  # the button always has an action to act on, the one shown chosen
            row = current if 0 <= current < len(rows) else 0
            self.highlights_table.setCurrentIndex(self.highlights_model.index(row, 0))
        self.feature_button.setEnabled(bool(rows))
        self._name_feature()

    def _name_feature(self, *_args: object) -> None:
        row = self.highlights_table.currentIndex().row()
        rows = self.highlights_model.rows()
        featured = 0 <= row < len(rows) and rows[row].featured
        self.feature_button.setText(
            "Stop featur&ing it" if featured else "Feature &in the Board report"
        )

    def _clicked_highlight(self, index: QModelIndex) -> None:
        if index.column() == 0:  # the tick itself
            self.toggle_feature()

    def toggle_feature(self) -> None:
        """Feature the chosen completed action in the Board report, or stop featuring it."""
        row = self.highlights_table.currentIndex().row()
        rows = self.highlights_model.rows()
        if not 0 <= row < len(rows):
            return
        chosen = rows[row]
        action = chosen.action
        op = board_ops.feature(
            self, self.ctx, action.locality, action.reference, not chosen.featured
        )
        if op.wait().ok:
            self.reload()

    # --- kept returns -----------------------------------------------------------------------

    def forget_return(self) -> None:
        row = self.kept_table.currentIndex().row()
        if not 0 <= row < len(self._kept):
            return
        kept = self._kept[row]
        if not widgets.confirm(
            self,
            "Forget return",
            f"Forget the kept return of {kept.locality} for {kept.month} ({kept.source_file})? "
            "The picture is then built without it; its file is not touched.",
            yes="Forget",
        ):
            return
        if board_ops.forget(self, self.ctx, kept.locality, kept.month).wait().ok:
            self.kept_status.setText(f"Forgot the return of {kept.locality} for {kept.month}.")
            self.reload()

    # --- targets --------------------------------------------------------------------------

    def _move_settings_targets(self) -> None:
        """Targets kept in QSettings before 0012: into the database once, then the key goes."""
        store = settings()
        if not store.contains(KEY_TARGETS):
            return
        old = settings_targets()

        def moved(_added: int) -> None:
            settings().remove(KEY_TARGETS)
            self.reload()

        board_ops.adopt_targets(self, self.ctx, old).success(moved).run()

    def add_target(self) -> None:
        target = Target(
            self.measure_combo.currentText(),
            self.value_spin.value(),
            self.direction_combo.currentIndex() == 0,
            "locality" if self.per_combo.currentIndex() == 0 else "trust",
        )
        if board_ops.save_target(self, self.ctx, target).wait().ok:
            self.reload()

    def remove_target(self) -> None:
        row = self.targets_table.currentIndex().row()
        if not 0 <= row < len(self.targets):
            return
        if board_ops.remove_target(self, self.ctx, self.targets[row]).wait().ok:
            self.reload()

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
