"""The Reach tab's chart (issue #27): for one characteristic, each group's share of the people
who took part beside its population share, as paired horizontal bars.

pyqtgraph, imported when the chart is first drawn (as Home's charts: ``ui/charts.py``). No
meaning by colour alone: the population bar is hatched and the people's bar solid, a legend
names them, and the figures are in the chart's accessible description as text.

The legend is a row of ordinary labels under the plot, never drawn over the bars (pyqtgraph's
own legend sat on the first bars at 1366x768). A share hidden as a small number ("<5", or "*"
where it would let a small one be worked out) is drawn as a short cross-hatched stub with its
mark beside it, so it never looks like a real 0 (an empty bar did), and the description says
it is hidden, not 0.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

SHARE_COLOUR = "#005EB8"  # NHS blue
POPULATION_COLOUR = "#768692"  # NHS mid grey
PEOPLE_LABEL = "People who took part (%)"
POPULATION_LABEL = "Population (%)"
HIDDEN_LABEL = "Hidden: a small number, not 0"


def hidden_text(mark: str) -> str:
    """What a suppression mark stands for, in words."""
    return (
        "fewer than 5" if mark.startswith("<") else "hidden so a small number cannot be worked out"
    )


def chart_text(characteristic: str, rows: list[tuple[str, Any, float | None]]) -> str:
    """What the chart shows, in words: "Sex: Female 75.0% (population 51.0%); ..."."""
    parts = []
    for group, share, population in rows:
        if isinstance(share, str):
            shown = f"hidden ({share}: {hidden_text(share)}, not 0)"
        else:
            shown = _percent(share)
        if population is not None:
            shown += f" (population {population:.1f}%)"
        parts.append(f"{group} {shown}")
    return f"{characteristic}: " + "; ".join(parts) + "."


def _percent(value: float | None) -> str:
    return "no one to count" if value is None else f"{value:.1f}%"


def _hidden_brush() -> QBrush:
    return QBrush(QColor(SHARE_COLOUR), Qt.BrushStyle.DiagCrossPattern)


def _population_brush() -> QBrush:
    return QBrush(QColor(POPULATION_COLOUR), Qt.BrushStyle.BDiagPattern)


def _swatch(brush: QBrush, colour: str, size: int) -> QPixmap:
    """A small square in ``brush``, outlined, for the legend."""
    picture = QPixmap(size, size)
    picture.fill(Qt.GlobalColor.transparent)
    painter = QPainter(picture)
    painter.setPen(QPen(QColor(colour)))
    painter.setBrush(brush)
    painter.drawRect(QRectF(0.5, 0.5, size - 1, size - 1))
    painter.end()
    return picture


class ReachChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Reach chart")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.plot: Any = None
        self.text = ""
        #: The marks written beside the hidden groups' stubs, as drawn (for a test to read).
        self.marks: list[str] = []
        self.legend = self._legend()
        self.layout_.addWidget(self.legend)

    def _legend(self) -> QWidget:
        """Under the plot: what each kind of bar is, as a swatch and its words."""
        legend = QWidget()
        legend.setAccessibleName("Chart legend")
        row = QHBoxLayout(legend)
        row.setContentsMargins(0, 0, 0, 0)
        size = self.fontMetrics().height() - 2
        for brush, colour, words in (
            (QBrush(QColor(SHARE_COLOUR)), SHARE_COLOUR, PEOPLE_LABEL),
            (_population_brush(), POPULATION_COLOUR, POPULATION_LABEL),
            (_hidden_brush(), SHARE_COLOUR, HIDDEN_LABEL),
        ):
            swatch = QLabel()
            swatch.setPixmap(_swatch(brush, colour, size))
            swatch.setAccessibleDescription(f"Swatch: {words}")
            row.addWidget(swatch)
            row.addWidget(QLabel(words))
            row.addSpacing(size)
        row.addStretch(1)
        return legend

    def draw(self, characteristic: str, rows: list[tuple[str, Any, float | None]]) -> None:
        """``rows``: (group, share or its suppression mark, population share) of the groups a
        person belongs to."""
        import pyqtgraph as pg  # lazily: only when the chart is drawn

        palette = self.palette()
        foreground = palette.color(palette.ColorRole.Text)
        if self.plot is None:
            self.plot = pg.PlotWidget(background=palette.color(palette.ColorRole.Base))
            self.plot.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            item = self.plot.getPlotItem()
            item.setMenuEnabled(False)
            item.hideButtons()
            item.setMouseEnabled(x=False, y=False)
            # Small enough that the table above keeps half the tab at 1366x768.
            self.plot.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
            self.layout_.insertWidget(0, self.plot, 1)
        item = self.plot.getPlotItem()
        item.clear()
        item.setTitle(
            f"{characteristic}: who took part against the population", color=foreground.name()
        )
        y = list(range(len(rows)))
        shares = [0.0 if isinstance(s, str) or s is None else float(s) for _g, s, _p in rows]
        populations = [p or 0.0 for _g, _s, p in rows]
        widest = max([100.0 if not rows else 10.0, *shares, *populations]) * 1.1
        item.addItem(
            pg.BarGraphItem(
                x0=[0] * len(rows),
                y=[v + 0.18 for v in y],
                width=shares,
                height=0.34,
                brush=pg.mkBrush(SHARE_COLOUR),
            )
        )
        item.addItem(
            pg.BarGraphItem(
                x0=[0] * len(rows),
                y=[v - 0.18 for v in y],
                width=populations,
                height=0.34,
                brush=_population_brush(),
                pen=pg.mkPen(POPULATION_COLOUR),
            )
        )
        self._draw_hidden(pg, item, rows, widest, foreground)
        item.getAxis("left").setTicks([[(i, g) for i, (g, _s, _p) in enumerate(rows)]])
        for side in ("left", "bottom"):
            item.getAxis(side).setTextPen(foreground)
        item.setXRange(0, widest)
        item.setYRange(-0.7, len(rows) - 0.3, padding=0)
        self.text = chart_text(characteristic, rows)
        self.plot.setAccessibleName(f"Chart of {characteristic}")
        self.plot.setAccessibleDescription(self.text)
        self.plot.setToolTip(self.text)

    def _draw_hidden(
        self, pg: Any, item: Any, rows: list[tuple[str, Any, float | None]], widest: float, ink: Any
    ) -> None:
        """Each hidden share: a cross-hatched stub and its mark ("<5") beside it."""
        self.marks = []
        hidden = [(i, s) for i, (_g, s, _p) in enumerate(rows) if isinstance(s, str)]
        if not hidden:
            return
        stub = widest * 0.03
        item.addItem(
            pg.BarGraphItem(
                x0=[0] * len(hidden),
                y=[i + 0.18 for i, _s in hidden],
                width=[stub] * len(hidden),
                height=0.34,
                brush=_hidden_brush(),
                pen=pg.mkPen(SHARE_COLOUR),
            )
        )
        for i, mark in hidden:
            label = pg.TextItem(f"{mark} (hidden)", color=ink, anchor=(0, 0.5))
            label.setPos(stub * 1.3, i + 0.18)
            item.addItem(label)
            self.marks.append(f"{mark} (hidden)")
