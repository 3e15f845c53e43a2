"""Consolidating monthly returns for the engagement group (docs/monthly-return.md#consolidation).

Every file is read and checked first (``returns.read_return``: right sheets and headers, Format
version 1, one locality and month each), and no locality+month may come twice. If any file is
refused, ``WorkbookError`` names each refused file with its reason and NOTHING is written.

The consolidated workbook holds:

- **Summary**: one row per locality and month (sorted by locality, then month), columns Locality,
  Month, then the return's Summary measures in order;
- **Charts**: small tables the charts read (attendances over all months and actions overdue at
  the end of the latest month, by locality; attendances month by month, by locality) with native
  charts comparing localities and showing the month-by-month trend;
- **Actions**, **Meetings**, **Experience**, **Accreditation**, **Polls**: the rows of every
  return with Locality and Month columns in front of the return's own columns.

Speed: returns are read with ``load_workbook(read_only=True, data_only=True)`` and the workbook
is written in write-only mode (charts included); 96 returns take a few seconds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from .errors import CoordinatorError, WorkbookError
from .figures import SUMMARY_MEASURES
from .files import atomic_write
from .returns import (
    ACCREDITATION_SHEET,
    ACTIONS_SHEET,
    EXPERIENCE_SHEET,
    HEADERS,
    MEETINGS_SHEET,
    MONEY_FORMAT,
    MONEY_MEASURES,
    PERCENT_FORMAT,
    PERCENT_MEASURES,
    POLLS_SHEET,
    ExportCancelled,
    ReturnData,
    read_return,
    refuse_read_only,
)
from .xlsx import clean_text, header_cell, print_landscape_fit_width, stream_table

SUMMARY_SHEET = "Summary"
CHARTS_SHEET = "Charts"
#: The record sheets of the consolidated workbook, in order.
RECORD_SHEETS: tuple[str, ...] = (
    ACTIONS_SHEET,
    MEETINGS_SHEET,
    EXPERIENCE_SHEET,
    ACCREDITATION_SHEET,
    POLLS_SHEET,
)
SUMMARY_HEADERS: tuple[str, ...] = ("Locality", "Month", *SUMMARY_MEASURES)


@dataclass(frozen=True)
class ConsolidationSummary:
    """What ``consolidate`` wrote."""

    target: Path
    returns: int
    localities: tuple[str, ...]
    months: tuple[str, ...]
    rows: dict[str, int]


@dataclass(frozen=True)
class CheckedReturn:
    """One file as checked for consolidation: its data, or the reason it is refused."""

    path: Path
    data: ReturnData | None
    #: Why the file is refused ("" when it is fine).
    problem: str = ""
    #: The refusal as one line naming the file, for the list of refused returns.
    refusal: str = ""


def check_each(
    paths: Sequence[str | os.PathLike[str]],
    *,
    step: Callable[[], None] | None = None,
) -> list[CheckedReturn]:
    """Read and check every return in order; a second return for the same locality and month is
    refused naming the first. Never raises for a bad file: the reason is in ``problem``."""
    checked: list[CheckedReturn] = []
    seen: dict[tuple[str, str], Path] = {}
    for raw in paths:
        if step is not None:
            step()
        path = Path(raw)
        try:
            data = read_return(path)
        except WorkbookError as exc:
            # The summary names the file; the problems, when listed, say what is wrong.
            if exc.problems:
                reason = " ".join(exc.problems)
                checked.append(CheckedReturn(path, None, reason, f"{path.name}: {reason}"))
            else:
                checked.append(CheckedReturn(path, None, exc.summary, str(exc)))
            continue
        key = (data.locality.casefold(), str(data.month))
        if key in seen:
            reason = (
                f"{data.locality} {data.month} is also in {seen[key].name}; "
                "each locality and month may come only once."
            )
            checked.append(CheckedReturn(path, data, reason, f"{path.name}: {reason}"))
            continue
        seen[key] = path
        checked.append(CheckedReturn(path, data))
    return checked


def check_returns(
    paths: Sequence[str | os.PathLike[str]],
    *,
    step: Callable[[], None] | None = None,
) -> list[ReturnData]:
    """Read and check every return; raise ``WorkbookError`` naming each refused file."""
    checked = check_each(paths, step=step)
    refused = [c.refusal for c in checked if c.problem]
    found = [c.data for c in checked if not c.problem and c.data is not None]
    if refused:
        count = len(refused)
        raise WorkbookError(
            f"{count} of {len(paths)} returns {'was' if count == 1 else 'were'} refused, "
            "so nothing was written.",
            refused,
        )
    return found


def consolidate(
    paths: Sequence[str | os.PathLike[str]],
    target: str | os.PathLike[str],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ConsolidationSummary:
    """Merge localities' monthly returns into one workbook at ``target``.

    All or nothing: a malformed return, a duplicate locality+month, a read-only target or a
    cancel (``ExportCancelled``) leaves ``target`` as it was. ``progress(done, total)`` is called
    once per file read and per sheet written; neither callback may touch widgets.
    """
    paths = list(paths)
    if not paths:
        raise CoordinatorError("Choose at least one monthly return to consolidate.")
    target_path = Path(target).expanduser().resolve()
    total = len(paths) + 3 + len(RECORD_SHEETS)
    done = 0

    def step() -> None:
        nonlocal done
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        done = min(total, done + 1)
        if progress is not None:
            progress(done, total)

    refuse_read_only(target_path)
    returns = sorted(
        check_returns(paths, step=step), key=lambda r: (r.locality.casefold(), r.month)
    )
    counts: dict[str, int] = {}

    def write(temp: Path) -> None:
        from openpyxl import Workbook

        # Write-only throughout: thousands of rows stream out fast; the charts work there too.
        workbook = Workbook(write_only=True)
        counts[SUMMARY_SHEET] = _write_summary(workbook.create_sheet(SUMMARY_SHEET), returns)
        step()
        _write_charts(workbook.create_sheet(CHARTS_SHEET), returns)
        step()
        for sheet in RECORD_SHEETS:
            ws = workbook.create_sheet(sheet)
            rows = [
                (data.locality, str(data.month), *row)
                for data in returns
                for row in data.tables[sheet]
            ]
            print_landscape_fit_width(ws)
            counts[sheet] = stream_table(ws, ("Locality", "Month", *HEADERS[sheet]), rows)
            step()
        workbook.save(temp)
        step()

    written = atomic_write(target_path, write)
    return ConsolidationSummary(
        target=written,
        returns=len(returns),
        localities=tuple(dict.fromkeys(r.locality for r in returns)),
        months=tuple(sorted({str(r.month) for r in returns})),
        rows=counts,
    )


def _write_summary(ws: Any, returns: Sequence[ReturnData]) -> int:
    rows = [
        (data.locality, str(data.month), *(value for _, value in data.summary)) for data in returns
    ]
    formats = {
        index: MONEY_FORMAT if measure in MONEY_MEASURES else PERCENT_FORMAT
        for index, measure in enumerate(SUMMARY_MEASURES, start=2)
        if measure in MONEY_MEASURES or measure in PERCENT_MEASURES
    }
    print_landscape_fit_width(ws)
    count = stream_table(ws, SUMMARY_HEADERS, rows, number_formats=formats)
    ws.freeze_panes = "C2"
    return count


def _write_charts(ws: Any, returns: Sequence[ReturnData]) -> None:
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
    print_landscape_fit_width(ws)
    ws.print_title_rows = None
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
    anchor_column = get_column_letter(max(6, len(localities) + 3))

    chart = BarChart()
    chart.type = "col"
    chart.title = "Attendances by locality (all months)"
    chart.legend = None
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.width, chart.height = 16, 7.5
    ws.add_chart(chart, f"{anchor_column}2")

    chart = BarChart()
    chart.type = "col"
    chart.title = "Actions overdue at the latest month end, by locality"
    chart.legend = None
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.width, chart.height = 16, 7.5
    ws.add_chart(chart, f"{anchor_column}18")

    chart = LineChart()
    chart.title = "Attendances month by month"
    chart.y_axis.title = "Attendances"
    chart.add_data(
        Reference(
            ws,
            min_col=2,
            max_col=len(localities) + 1,
            min_row=trend_top,
            max_row=trend_top + len(months),
        ),
        titles_from_data=True,
    )
    chart.set_categories(
        Reference(ws, min_col=1, min_row=trend_top + 1, max_row=trend_top + len(months))
    )
    chart.width, chart.height = 16, 7.5
    ws.add_chart(chart, f"{anchor_column}34")
