"""Home's charts: attendances per month by category over the last twelve months, and actions
raised, completed, open and overdue (at each month end) per month.

Drawn with pyqtgraph (pure Python over numpy, a QGraphicsView widget, actively maintained;
Qt Charts is deprecated since Qt 6.10). Start-up never pays for it: ``HomeCharts`` is a light
placeholder until it is first shown, then loads on the next turn of the event loop
(``QTimer.singleShot``): pyqtgraph is imported only then (about 0.5 s with numpy on a slow
laptop), and the figures come from ``figures.monthly_series`` (the same rules as the return).

No meaning by colour alone: the series differ by pattern too (open is a solid line with circles,
overdue a dashed line with triangles; raised and completed bars always sit in that order, left
and right), every chart has a legend, and the figures are in each chart's accessible description
as text.
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from ..core.vocab import Category
from . import focus

if TYPE_CHECKING:  # Home's empty cards are painted before SQLAlchemy is imported
    from ..core.figures import MonthlySeries
    from ..core.rules import Month
    from .context import AppContext

#: NHS identity colours, one per category, in ``CATEGORY_ORDER``.
CATEGORY_COLOURS = {
    Category.SERVICE_USER: "#005eb8",
    Category.CARER: "#41b6e6",
    Category.REPRESENTATIVE: "#009639",
    Category.STAFF: "#ed8b00",
    Category.PARTNER: "#7c2855",
    Category.OTHER: "#768692",
}
RAISED_COLOUR = "#005eb8"
COMPLETED_COLOUR = "#009639"
OPEN_COLOUR = "#330072"
OVERDUE_COLOUR = "#d5281b"
MONTHS = 12
#: Room above the tallest bar for the legend.
HEADROOM = 1.45


def whole_ticks(top: float, most: int = 6) -> list[tuple[int, str]]:
    """The y-axis ticks of a count from 0 to ``top``: whole numbers only, 1, 2 or 5 times a
    power of ten apart, no more than ``most`` + 1 of them (pyqtgraph's own gave 1.2, 1.3, 1.4
    on a count of 1)."""
    step, factors = 1, (2, 2.5, 2)  # 1, 2, 5, 10, 20, 50, ...
    turn = 0
    while int(top) // step > most:
        step = int(step * factors[turn % 3])
        turn += 1
    return [(value, str(value)) for value in range(0, int(top) + 1, step)]


def month_labels(months: tuple[Month, ...]) -> list[str]:
    """The axis's short month names ("Dec"); the span with years is the axis title."""
    return [m.first.strftime("%b") for m in months]


def month_names(months: tuple[Month, ...]) -> list[str]:
    """Month and year ("Dec 2025"), for the text said by screen readers."""
    return [m.first.strftime("%b %Y") for m in months]


def span_text(months: tuple[Month, ...]) -> str:
    return f"{months[0].first:%B %Y} to {months[-1].first:%B %Y}" if months else ""


def combine(series: list[MonthlySeries]) -> MonthlySeries | None:
    """Several localities' series added month by month (they share ``months``)."""
    from ..core.figures import CATEGORY_ORDER, MonthlySeries

    if not series:
        return None
    first = series[0]

    def add(values: list[tuple[int, ...]]) -> tuple[int, ...]:
        return tuple(sum(column) for column in zip(*values, strict=True))

    return MonthlySeries(
        months=first.months,
        attendances={c: add([s.attendances[c] for s in series]) for c in CATEGORY_ORDER},
        actions_raised=add([s.actions_raised for s in series]),
        actions_completed=add([s.actions_completed for s in series]),
        actions_open=add([s.actions_open for s in series]),
        actions_overdue=add([s.actions_overdue for s in series]),
    )


def attendance_text(series: MonthlySeries) -> str:
    """Each month's total and, after it, the categories drawn in its bar (those with any
    attendance that month, in the chart's order): "Mar 2025 12 (Service user 8, Carer 4)"."""
    labels = month_names(series.months)
    totals = series.attendances_total()
    parts = []
    for month, (label, total) in enumerate(zip(labels, totals, strict=True)):
        drawn = [
            f"{category.label} {values[month]}"
            for category, values in series.attendances.items()
            if values[month]
        ]
        parts.append(f"{label} {total} ({', '.join(drawn)})" if drawn else f"{label} {total}")
    return "Attendances per month by category: " + "; ".join(parts)


def actions_text(series: MonthlySeries) -> str:
    labels = month_names(series.months)
    parts = [
        f"{label}: raised {r}, completed {c}, open {o}, overdue {d}"
        for label, r, c, o, d in zip(
            labels,
            series.actions_raised,
            series.actions_completed,
            series.actions_open,
            series.actions_overdue,
            strict=True,
        )
    ]
    return "Actions per month (open and overdue at month end). " + "; ".join(parts)


#: How long after Home shows the charts load (ms).
LOAD_DELAY_MS = 150

#: A widget with this property set is given to assistive technology as a chart.
CHART_PROPERTY = "heard_as_chart"
_FACTORY: list[Any] = []


@cache
def _heard_as_charts() -> None:
    """Give assistive technology each chart as one element of role Chart, with no children
    (Qt gives a QGraphicsView the role Client, which AT-SPI calls a "filler", and lists its
    view and scroll bars). Installed the first time a chart is drawn, never at start-up."""
    from PySide6.QtGui import QAccessible, QAccessibleInterface
    from PySide6.QtWidgets import QAccessibleWidget

    class ChartAccessible(QAccessibleWidget):
        def __init__(self, widget: QWidget) -> None:
            super().__init__(widget, QAccessible.Role.Chart)

        def childCount(self) -> int:
            return 0

        def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
            return None  # none: Qt's own asks it only below childCount

        def indexOfChild(self, child: QAccessibleInterface) -> int:
            return -1

    def factory(key: str, target: QObject) -> QAccessibleInterface | None:
        if isinstance(target, QWidget) and target.property(CHART_PROPERTY):
            return ChartAccessible(target)
        return None

    _FACTORY.append(factory)  # held for the life of the process, as Qt holds it
    QAccessible.installFactory(factory)


class HomeCharts(QWidget):
    """The two charts. ``set_localities(ids)`` chooses whose figures (Home's locality choice);
    the data and the library load only once the widget has been shown. ``loaded`` is emitted
    each time the charts have been (re)drawn."""

    loaded = Signal()

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AppContext | None = None
        self.setAccessibleName("Charts")
        self.locality_ids: list[uuid.UUID] = []
        self.series: MonthlySeries | None = None
        self._scheduled = False
        self._stale = True
        self.attendance_plot: Any = None
        self.actions_plot: Any = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel("The charts appear in a moment…")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.placeholder)
        self.grid = QGridLayout()
        self.grid.setSpacing(14)
        layout.addLayout(self.grid)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 16)
        if ctx is not None:
            self.attach(ctx)

    # --- contract ---------------------------------------------------------------------------

    def attach(self, ctx: AppContext) -> None:
        """The data to chart (the window paints this placeholder before the database opens)."""
        self.ctx = ctx
        for signal in (ctx.events.meetingsChanged, ctx.events.actionsChanged):
            signal.connect(self._mark_stale)
        if self.isVisible():
            self._schedule()

    def set_localities(self, locality_ids: list[uuid.UUID]) -> None:
        """Chart these localities' figures added together (Home passes its summary's ids)."""
        if list(locality_ids) != self.locality_ids:
            self.locality_ids = list(locality_ids)
            self._mark_stale()

    def load(self) -> None:
        """Read the figures and draw (imports pyqtgraph on first use)."""
        from ..core.figures import monthly_series
        from ..core.rules import Month

        self._scheduled = False
        if self.ctx is None:
            return  # drawn once the window has its data (``attach``)
        self._stale = False
        ids = self.locality_ids or self._all_localities()
        last = Month.of(self.ctx.today())
        with self.ctx.db.session() as session:
            series = combine([monthly_series(session, lid, last, MONTHS) for lid in ids])
        self.series = series
        self._draw(series)
        self.loaded.emit()

    # --- scheduling -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule()

    def _mark_stale(self, *_args: object) -> None:
        self._stale = True
        if self.isVisible():
            self._schedule()

    def _schedule(self) -> None:
        if self._stale and not self._scheduled and self.ctx is not None:
            self._scheduled = True
            # A moment after the window is up, so start-up never waits for pyqtgraph.
            QTimer.singleShot(LOAD_DELAY_MS, self, self.load)

    def _all_localities(self) -> list[uuid.UUID]:
        from ..core.meetings import list_localities

        assert self.ctx is not None
        return [loc.id for loc in list_localities(self.ctx.db) if loc.active]

    # --- drawing ----------------------------------------------------------------------------

    def _draw(self, series: MonthlySeries | None) -> None:
        if series is None:
            self.placeholder.setText("No locality yet: the charts appear once there is one.")
            self.placeholder.show()
            return
        import pyqtgraph as pg  # lazily: only when the charts are drawn

        from ..core.figures import CATEGORY_ORDER

        self.placeholder.hide()
        palette = self.palette()
        background = palette.color(palette.ColorRole.Base)
        foreground = palette.color(palette.ColorRole.Text)
        if self.attendance_plot is None:
            self.attendance_plot = self._plot(pg, "Attendances per month by category", background)
            self.actions_plot = self._plot(pg, "Actions per month", background)
            self.grid.addWidget(self.attendance_plot, 0, 0)
            self.grid.addWidget(self.actions_plot, 0, 1)
        for plot in (self.attendance_plot, self.actions_plot):
            plot.getPlotItem().clear()
            legend = plot.getPlotItem().legend
            if legend is not None:
                legend.clear()
            for side in ("left", "bottom"):
                axis = plot.getPlotItem().getAxis(side)
                axis.setTextPen(foreground)
                axis.setPen(foreground)
        ticks = [list(enumerate(month_labels(series.months)))]
        span = span_text(series.months)
        x = list(range(len(series.months)))

        item = self.attendance_plot.getPlotItem()
        item.getAxis("bottom").setTicks(ticks)
        item.setLabel("bottom", span, color=foreground.name())
        base = [0] * len(x)
        for category in CATEGORY_ORDER:
            values = series.attendances[category]
            if not any(values):
                continue
            bars = pg.BarGraphItem(
                x=x,
                height=list(values),
                y0=list(base),
                width=0.7,
                brush=CATEGORY_COLOURS[category],
                pen=pg.mkPen(background, width=1),
                name=category.label,
            )
            item.addItem(bars)
            base = [b + v for b, v in zip(base, values, strict=True)]
        self._count_axis(item, max([*base, 1]) * HEADROOM)
        text = attendance_text(series)
        self.attendance_plot.setAccessibleDescription(text)
        self.attendance_plot.setToolTip(text.replace(": ", ":\n", 1))

        item = self.actions_plot.getPlotItem()
        item.getAxis("bottom").setTicks(ticks)
        item.setLabel("bottom", span, color=foreground.name())
        raised = pg.BarGraphItem(
            x=[i - 0.18 for i in x],
            height=list(series.actions_raised),
            width=0.34,
            brush=RAISED_COLOUR,
            name="Raised",
        )
        completed = pg.BarGraphItem(
            x=[i + 0.18 for i in x],
            height=list(series.actions_completed),
            width=0.34,
            brush=pg.mkBrush(COMPLETED_COLOUR),
            pen=pg.mkPen(COMPLETED_COLOUR),
            name="Completed",
        )
        item.addItem(raised)
        item.addItem(completed)
        item.plot(
            x,
            list(series.actions_open),
            pen=pg.mkPen(OPEN_COLOUR, width=2),
            symbol="o",
            symbolBrush=OPEN_COLOUR,
            symbolSize=7,
            name="Open at month end",
        )
        item.plot(
            x,
            list(series.actions_overdue),
            pen=pg.mkPen(OVERDUE_COLOUR, width=2, style=Qt.PenStyle.DashLine),
            symbol="t",
            symbolBrush=OVERDUE_COLOUR,
            symbolSize=8,
            name="Overdue at month end",
        )
        top = max(
            [
                1,
                *series.actions_raised,
                *series.actions_completed,
                *series.actions_open,
                *series.actions_overdue,
            ]
        )
        self._count_axis(item, top * HEADROOM)
        text = actions_text(series)
        self.actions_plot.setAccessibleDescription(text)
        self.actions_plot.setToolTip("Actions per month (open and overdue at month end)")

    @staticmethod
    def _count_axis(item: Any, top: float) -> None:
        """The y-axis from zero to ``top``, ticked at whole numbers (counts have no fractions)."""
        item.setYRange(0, top, padding=0)
        item.getAxis("left").setTicks([whole_ticks(top)])

    def _plot(self, pg: Any, title: str, background: Any) -> Any:
        widget = pg.PlotWidget(background=background)
        focus.outline(widget)  # pyqtgraph makes its view frameless: a box on the card, as a list
        widget.setAccessibleName(title)
        # One focus stop, heard as a chart named by its title with its figures as its
        # description: the view inside (pyqtgraph gives it the focus) is no second stop, and
        # the chart has no unnamed parts for a screen reader to walk into. The view's policy
        # first: set through a focus proxy, a policy is the proxy's too.
        widget.viewport().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        widget.setProperty(CHART_PROPERTY, True)
        _heard_as_charts()
        item = widget.getPlotItem()
        item.setTitle(title, color=self.palette().color(self.palette().ColorRole.Text).name())
        base = self.palette().color(self.palette().ColorRole.Base)
        base.setAlpha(220)
        item.addLegend(
            offset=(8, 4),
            labelTextColor=self.palette().color(self.palette().ColorRole.Text),
            brush=base,
            colCount=2,
        )
        item.showGrid(x=False, y=True, alpha=0.25)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setMouseEnabled(x=False, y=False)
        item.setXRange(-0.6, MONTHS - 0.4, padding=0)
        # pyqtgraph gives the bottom axis's label 0.8 of its height: its last line was cut. The
        # outline above and below takes 2 pixels more from the scene.
        below = self.fontMetrics().descent() + 2 + 2 * focus.OUTLINE_WIDTH
        item.setContentsMargins(0, 0, 0, below)
        widget.setMinimumHeight(self.fontMetrics().lineSpacing() * 16)
        return widget
