"""The consolidation's Charts sheet (docs/monthly-return.md#consolidation): the Board report's
charts (``board.LOCALITY_CHARTS`` and ``board.TRUST_CHART``, the figures from
``board.trust_picture`` as the report has them), as native charts reading two small tables,
every value axis from zero (``xlsx.from_zero``), and the localities' attendances month by month
as a line. Each chart starts a printed page (``xlsx.chart_page``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.utils import get_column_letter

from .board import LOCALITY_CHARTS, NOT_SENT, TRUST, TRUST_CHART, trust_picture
from .return_format import ReturnData
from .xlsx import CHART_ROWS, chart_page, clean_text, from_zero, header_cell, print_setup

#: The chart of each locality's attendances month by month (the workbook's own, after the
#: Board report's).
LOCALITIES_TREND = "Attendances month by month, by locality"


def write_charts(ws: Any, returns: Sequence[ReturnData], head: dict[str, str]) -> None:
    """The tables the charts read, and the charts under them."""
    from openpyxl.chart import BarChart, LineChart, Reference

    picture = trust_picture(returns)
    latest = picture.latest
    if latest is None:
        return
    localities = list(picture.localities)
    months = list(picture.months)

    def value(locality: str, month: Any, measure: str) -> Any:
        if (locality, month) not in picture.values:
            return NOT_SENT
        return picture.value(locality, month, measure) or 0

    headers = ("Locality", *(m for m, _title in LOCALITY_CHARTS), "Month")
    names = (TRUST, *localities)
    # Each column as wide as the wider of its two tables needs, "no return" at least.
    columns = [headers, ("Month", *names)]
    needed = [
        max(len(row[c]) for row in columns if c < len(row))
        for c in range(max(len(row) for row in columns))
    ]
    needed[0] = max(needed[0], *(len(x) for x in localities))
    for col, width in enumerate(needed, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(60, max(12, width) + 2)
    print_setup(ws, **head, title="Consolidation: Charts", title_rows=None)
    ws.append([header_cell(ws, h) for h in headers])
    for locality in localities:
        measures = (value(locality, latest, m) for m, _title in LOCALITY_CHARTS)
        ws.append([clean_text(locality), *measures, str(latest)])
    ws.append([])
    ws.append([])
    trend_top = len(localities) + 4
    ws.append([header_cell(ws, "Month"), *(header_cell(ws, clean_text(x)) for x in names)])
    for month in months:
        ws.append([str(month), *(value(x, month, "Attendances") for x in names)])

    last = len(localities) + 1
    # Under the tables, one after another: beside them, a printed page cut a chart in two.
    below = trend_top + len(months) + 3
    for index, (_measure, title) in enumerate(LOCALITY_CHARTS):
        chart = BarChart()
        chart.type = "col"
        chart.title = f"{title}, {latest}"
        chart.legend = None
        from_zero(chart)
        chart.add_data(
            Reference(ws, min_col=index + 2, min_row=1, max_row=last), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
        chart.width, chart.height = 16, 7.5
        ws.add_chart(chart, chart_page(ws, below + index * CHART_ROWS))

    months_end = trend_top + len(months)
    categories = Reference(ws, min_col=1, min_row=trend_top + 1, max_row=months_end)
    trust = BarChart()
    trust.type = "col"
    trust.title = TRUST_CHART
    trust.legend = None
    from_zero(trust)
    trust.add_data(
        Reference(ws, min_col=2, min_row=trend_top, max_row=months_end), titles_from_data=True
    )
    trust.set_categories(categories)
    trust.width, trust.height = 16, 7.5
    ws.add_chart(trust, chart_page(ws, below + len(LOCALITY_CHARTS) * CHART_ROWS))

    # A line needs two months: one month is drawn as bars (a line chart of one point is an
    # empty frame in Excel and LibreOffice).
    by_month: Any = LineChart() if len(months) > 1 else BarChart()
    if len(months) == 1:
        by_month.type = "col"
    by_month.title = LOCALITIES_TREND
    by_month.y_axis.title = "Attendances"
    from_zero(by_month)
    by_month.add_data(
        Reference(
            ws, min_col=3, max_col=len(localities) + 2, min_row=trend_top, max_row=months_end
        ),
        titles_from_data=True,
    )
    by_month.set_categories(categories)
    by_month.width, by_month.height = 16, 7.5
    ws.add_chart(by_month, chart_page(ws, below + (len(LOCALITY_CHARTS) + 1) * CHART_ROWS))
