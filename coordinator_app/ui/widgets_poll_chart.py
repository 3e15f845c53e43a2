"""A quick poll drawn as horizontal bars (QPainter only, no chart library), and the table models
of the Polls tab: the meeting's polls and the trend of one question across meetings.

Meaning is never carried by colour alone: every bar is labelled with its answer, its count and
its share, and the widget's accessible description says the same in words.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..core.meetings import PollRow
from ..core.polls import PollTrendRow
from .models.table import Column, RowTableModel
from .widgets import format_date

COL_POLL_QUESTION = 0
COL_POLL_ANSWERS = 1
COL_POLL_TOTAL = 2

COL_TREND_DATE = 0
COL_TREND_MEETING = 1
COL_TREND_ANSWERS = 2
COL_TREND_TOTAL = 3


def share(count: int, total: int) -> str:
    """A whole per cent, or "-" when nobody answered (no division by zero)."""
    return f"{round(100 * count / total)}%" if total else "-"


def answers_text(answers: Sequence[tuple[str, int]]) -> str:
    """ "Confident 24 (24%); Not sure 45 (45%)" for tables and screen readers."""
    total = sum(count for _a, count in answers)
    return "; ".join(f"{answer} {count} ({share(count, total)})" for answer, count in answers)


class PollsModel(RowTableModel[PollRow]):
    columns = (
        Column("Question", lambda r: r.question),
        Column("Answers", lambda r: answers_text(r.answers)),
        Column(
            "Total",
            lambda r: str(sum(c for _a, c in r.answers)),
            lambda r: sum(c for _a, c in r.answers),
            True,
        ),
    )


class PollTrendModel(RowTableModel[PollTrendRow]):
    """One row per meeting that asked the question; ``id_attr`` is the meeting."""

    id_attr = "meeting_id"
    columns = (
        Column("Date", lambda r: format_date(r.meeting_date), lambda r: r.meeting_date),
        Column("Meeting", lambda r: f"{r.forum_name} ({r.reference})"),
        Column("Answers", lambda r: answers_text(r.answers)),
        Column("Total", lambda r: str(r.total), lambda r: r.total, True),
    )


class PollChart(QWidget):
    """Horizontal bars, one per answer, scaled to the largest count; each labelled
    "answer" on the left and "count (share)" at the bar's end."""

    BAR_GAP = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._question = ""
        self._answers: list[tuple[str, int]] = []
        self.setAccessibleName("Poll chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.set_answers("", [])

    def set_answers(self, question: str, answers: Sequence[tuple[str, int]]) -> None:
        self._question = question
        self._answers = list(answers)
        if self._answers:
            self.setAccessibleDescription(f"{question}: {answers_text(self._answers)}")
        else:
            self.setAccessibleDescription("No poll chosen.")
        self.updateGeometry()
        self.update()

    def answers(self) -> list[tuple[str, int]]:
        return list(self._answers)

    def bar_labels(self) -> list[str]:
        """The text drawn for each bar ("Yes: 3 (75%)"): what a reader sees besides the bar."""
        total = sum(count for _a, count in self._answers)
        return [f"{answer}: {count} ({share(count, total)})" for answer, count in self._answers]

    def _row_height(self) -> int:
        return self.fontMetrics().height() + self.BAR_GAP

    def sizeHint(self) -> QSize:
        rows = max(len(self._answers), 1)
        return QSize(360, rows * self._row_height() + 2 * self.BAR_GAP)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            palette = self.palette()
            metrics = self.fontMetrics()
            text_colour = palette.color(QPalette.ColorRole.WindowText)
            bar_colour = palette.color(QPalette.ColorRole.Highlight)
            if not self._answers:
                painter.setPen(text_colour)
                painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No poll chosen.")
                return
            total = sum(count for _a, count in self._answers)
            largest = max((count for _a, count in self._answers), default=0)
            label_width = min(
                max(metrics.horizontalAdvance(a) for a, _c in self._answers) + 12,
                self.width() // 3,
            )
            value_width = metrics.horizontalAdvance(" 99999 (100%)") + 6
            bar_space = max(self.width() - label_width - value_width - 8, 10)
            row_height = self._row_height()
            y = float(self.BAR_GAP)
            for answer, count in self._answers:
                painter.setPen(text_colour)
                label_rect = QRectF(0, y, label_width - 6, row_height - self.BAR_GAP)
                painter.drawText(
                    label_rect,
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                    metrics.elidedText(answer, Qt.TextElideMode.ElideRight, label_width - 6),
                )
                length = bar_space * count / largest if largest else 0.0
                bar = QRectF(label_width, y, length, row_height - self.BAR_GAP)
                painter.fillRect(bar, bar_colour)
                painter.setPen(text_colour)
                painter.drawRect(bar)
                value_rect = QRectF(
                    label_width + length + 6, y, value_width, row_height - self.BAR_GAP
                )
                painter.drawText(
                    value_rect,
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    f"{count} ({share(count, total)})",
                )
                y += row_height
        finally:
            painter.end()
