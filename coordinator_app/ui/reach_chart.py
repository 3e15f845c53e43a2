"""The Reach tab's chart (issue #27): for one characteristic, each group's share of the people
who took part beside its population share, as paired horizontal bars.

pyqtgraph, imported when the chart is first drawn (as Home's charts: ``ui/charts.py``). No
meaning by colour alone: the population bar is hatched and the people's bar solid, a legend
names them, and the figures are in the chart's accessible description as text. A share hidden
as a small number is drawn as no bar and described as hidden.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

SHARE_COLOUR = "#005EB8"  # NHS blue
POPULATION_COLOUR = "#768692"  # NHS mid grey


def chart_text(characteristic: str, rows: list[tuple[str, Any, float | None]]) -> str:
    """What the chart shows, in words: "Sex: Female 75.0% (population 51.0%); ..."."""
    parts = []
    for group, share, population in rows:
        shown = "hidden (small number)" if isinstance(share, str) else _percent(share)
        if population is not None:
            shown += f" (population {population:.1f}%)"
        parts.append(f"{group} {shown}")
    return f"{characteristic}: " + "; ".join(parts) + "."


def _percent(value: float | None) -> str:
    return "no one to count" if value is None else f"{value:.1f}%"


class ReachChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Reach chart")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.plot: Any = None
        self.text = ""

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
            item.addLegend(offset=(8, 4), labelTextColor=foreground)
            item.setMenuEnabled(False)
            item.hideButtons()
            item.setMouseEnabled(x=False, y=False)
            self.plot.setMinimumHeight(self.fontMetrics().lineSpacing() * 14)
            self.layout_.addWidget(self.plot)
        item = self.plot.getPlotItem()
        item.clear()
        if item.legend is not None:
            item.legend.clear()
        item.setTitle(
            f"{characteristic}: who took part against the population", color=foreground.name()
        )
        y = list(range(len(rows)))
        shares = [0.0 if isinstance(s, str) or s is None else float(s) for _g, s, _p in rows]
        populations = [p or 0.0 for _g, _s, p in rows]
        item.addItem(
            pg.BarGraphItem(
                x0=[0] * len(rows),
                y=[v + 0.18 for v in y],
                width=shares,
                height=0.34,
                brush=pg.mkBrush(SHARE_COLOUR),
                name="People who took part (%)",
            )
        )
        hatched = QBrush(QColor(POPULATION_COLOUR), Qt.BrushStyle.BDiagPattern)
        item.addItem(
            pg.BarGraphItem(
                x0=[0] * len(rows),
                y=[v - 0.18 for v in y],
                width=populations,
                height=0.34,
                brush=hatched,
                pen=pg.mkPen(POPULATION_COLOUR),
                name="Population (%)",
            )
        )
        item.getAxis("left").setTicks([[(i, g) for i, (g, _s, _p) in enumerate(rows)]])
        for side in ("left", "bottom"):
            item.getAxis(side).setTextPen(foreground)
        item.setXRange(0, max([100.0 if not rows else 10.0, *shares, *populations]) * 1.1)
        item.setYRange(-0.7, len(rows) - 0.3, padding=0)
        self.text = chart_text(characteristic, rows)
        self.plot.setAccessibleName(f"Chart of {characteristic}")
        self.plot.setAccessibleDescription(self.text)
        self.plot.setToolTip(self.text)
