"""The checklist of an assessment: the standards grouped by domain (keys 1 to 4 ask for a
rating) and the tally above it, with the result the ratings give.

Widgets only: the assessment panel (``panel.AssessmentPanel``) reads, saves and fills them.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QTreeView, QWidget

from ....core.accreditation import AssessmentSummary, CheckRow, criticality_label
from ....core.rules import AccreditationResult
from ....core.vocab import Rating
from ...models.accreditation_checklist import COL_CRITICALITY, COL_FILES, COL_RATING, COL_TITLE
from .common import wrapping_label

#: Keys 1 to 4 (top row or keypad) and the rating each sets.
RATING_KEYS = {
    Qt.Key.Key_1: Rating.MET,
    Qt.Key.Key_2: Rating.PARTLY_MET,
    Qt.Key.Key_3: Rating.NOT_MET,
    Qt.Key.Key_4: Rating.NOT_APPLICABLE,
}
GAP_RATINGS = (Rating.PARTLY_MET, Rating.NOT_MET)
KEYS_HINT = (
    "In the list of standards, press 1 for met, 2 for partly met, 3 for not met or 4 for not "
    "applicable: the rating is saved and the next standard is selected."
)


class ChecklistView(QTreeView):
    """The standards of an assessment grouped by domain; keys 1-4 ask for a rating."""

    ratingKeyPressed = Signal(object)  #: the ``Rating`` asked for
    undoPressed = Signal()  #: Ctrl+Z in the list: take the last rating back

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Standards of this assessment")
        self.setAccessibleDescription(KEYS_HINT)
        self.setToolTip(KEYS_HINT)
        self.setSelectionBehavior(QTreeView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTreeView.SelectionMode.SingleSelection)
        self.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.header().setStretchLastSection(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undoPressed.emit()
            event.accept()
            return
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        rating = RATING_KEYS.get(Qt.Key(event.key()))
        if rating is not None and modifiers == Qt.KeyboardModifier.NoModifier:
            self.ratingKeyPressed.emit(rating)
            event.accept()
            return
        super().keyPressEvent(event)

    def fit_columns(self, checks: list[CheckRow]) -> None:
        """Domain headings span the whole row; columns fit the standards' codes and words, and
        the title takes the spare width."""
        for row in range(self.model().rowCount()):
            self.setFirstColumnSpanned(row, QModelIndex(), True)
        header = self.header()
        metrics = self.fontMetrics()
        margin = metrics.averageCharWidth() * 3
        widest_code = max((metrics.horizontalAdvance(c.code) for c in checks), default=0)
        code_width = max(widest_code, metrics.horizontalAdvance("Code"))
        self.setColumnWidth(0, code_width + self.indentation() + margin)
        for column, words in (
            (COL_CRITICALITY, ("Criticality", "Essential", "Expected", "Desirable")),
            (COL_RATING, tuple(r.label for r in Rating)),
            (COL_FILES, ("Evidence files",)),
        ):
            width = max(metrics.horizontalAdvance(w) for w in words) + margin
            header.setSectionResizeMode(column, header.ResizeMode.Interactive)
            self.setColumnWidth(column, width)
        header.setSectionResizeMode(COL_TITLE, header.ResizeMode.Stretch)


class TallyBox(QGroupBox):
    """Met of rated per criticality (not applicable left out), and the result they give."""

    def __init__(self) -> None:
        super().__init__("Tally (met of rated; not applicable left out)")
        tally_layout = QGridLayout(self)
        self.tally_labels: dict[int, QLabel] = {}
        for column, level in enumerate((1, 2, 3)):
            name = QLabel(f"<b>{criticality_label(level)}</b>")
            value = wrapping_label(f"{criticality_label(level)} standards met")
            tally_layout.addWidget(name, 0, column)
            tally_layout.addWidget(value, 1, column)
            tally_layout.setColumnStretch(column, 1)
            self.tally_labels[level] = value
        self.result_label = wrapping_label("Result")
        font = self.result_label.font()
        font.setBold(True)
        self.result_label.setFont(font)
        tally_layout.addWidget(self.result_label, 0, 3, 2, 1)
        tally_layout.setColumnStretch(3, 2)

    def show_summary(self, s: AssessmentSummary, *, locked: bool) -> None:
        """``s``'s tally; the result as it stands (``locked``: submitted) or would be."""
        for level, label in self.tally_labels.items():
            t = s.by_criticality.get(level)
            if t is None or (t.rated == 0 and t.unrated == 0):
                label.setText("no standards of this criticality")
                continue
            percent = "–" if t.percent is None else f"{t.percent:.0f}%"
            text = f"{t.met} met of {t.rated} rated ({percent})"
            if t.unrated:
                text += f"; {t.unrated} not yet rated"
            label.setText(text)
        if locked:
            self.result_label.setText(f"Result: {s.result.value}")
        elif s.result == AccreditationResult.INCOMPLETE:
            unrated = sum(t.unrated for t in s.by_criticality.values())
            self.result_label.setText(
                f"Result if submitted now: Incomplete ({unrated} not yet rated)"
            )
        else:
            self.result_label.setText(f"Result if submitted now: {s.result.value}")
