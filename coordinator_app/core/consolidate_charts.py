"""The consolidation's Charts sheet (docs/monthly-return.md#consolidation): small tables of
attendances and overdue actions by locality and month, and the native charts reading them.
Moved out of ``core/consolidate.py`` unchanged (its size)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.utils import get_column_letter

from .return_format import ReturnData
from .xlsx import CHART_ROWS, chart_page, clean_text, from_zero, header_cell, print_setup


def write_charts(ws: Any, returns: Sequence[ReturnData], head: dict[str, str]) -> None:
    """Tables for the charts, and the charts beside them."""
    from openpyxl.chart import BarChart, LineChart, Reference

    localities = list(dict.fromkeys(r.locality for r in returns))
    months = sorted({str(r.month) for r in returns})
    attendances: dict[str, int] = dict.fromkeys(localities, 0)
    latest: dict[str, tuple[str, Any]] = {}
    trend: dict[tuple[str, str], Any] = {}
    for data in returns:
        value = data.measure("Attendances") or 0
        attendances[data.locality] += value
        trend[(str(data.month), data.locality)] = value
        month = str(data.month)
        if data.locality not in latest or latest[data.locality][0] < month:
            latest[data.locality] = (month, data.measure("Actions overdue at month end") or 0)

    by_locality = [
        (locality, attendances[locality], latest[locality][1], latest[locality][0])
        for locality in localities
    ]
    headers = (
        "Locality",
        "Attendances (all months)",
        "Actions overdue at latest month end",
        "Latest month",
    )
    widths = [max(12, *(len(x) + 2 for x in localities))] + [len(h) + 2 for h in headers[1:]]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(60, width)
    print_setup(ws, **head, title="Consolidation: Charts", title_rows=None)
    ws.append([header_cell(ws, h) for h in headers])
    for row in by_locality:
        ws.append([clean_text(row[0]), row[1], row[2], row[3]])
    ws.append([])
    ws.append([])
    trend_top = len(by_locality) + 4
    ws.append([header_cell(ws, "Month"), *(header_cell(ws, x) for x in localities)])
    for month in months:
        ws.append([month, *(trend.get((month, locality)) for locality in localities)])

    last = len(by_locality) + 1
    # Under the tables, one after another: beside them, a printed page cut a chart in two.
    below = trend_top + len(months) + 3

    chart = BarChart()
    chart.type = "col"
    chart.title = "Attendances by locality (all months)"
    chart.legend = None
    from_zero(chart)
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.width, chart.height = 16, 7.5
    ws.add_chart(chart, chart_page(ws, below))

    chart = BarChart()
    chart.type = "col"
    chart.title = "Actions overdue at the latest month end, by locality"
    chart.legend = None
    from_zero(chart)
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.width, chart.height = 16, 7.5
    ws.add_chart(chart, chart_page(ws, below + CHART_ROWS))

    # A line needs two months: one month is drawn as bars (a line chart of one point is an
    # empty frame in Excel and LibreOffice).
    by_month: Any = LineChart() if len(months) > 1 else BarChart()
    if len(months) == 1:
        by_month.type = "col"
    by_month.title = "Attendances month by month"
    by_month.y_axis.title = "Attendances"
    from_zero(by_month)
    by_month.add_data(
        Reference(
            ws,
            min_col=2,
            max_col=len(localities) + 1,
            min_row=trend_top,
            max_row=trend_top + len(months),
        ),
        titles_from_data=True,
    )
    by_month.set_categories(
        Reference(ws, min_col=1, min_row=trend_top + 1, max_row=trend_top + len(months))
    )
    by_month.width, by_month.height = 16, 7.5
    ws.add_chart(by_month, chart_page(ws, below + 2 * CHART_ROWS))
