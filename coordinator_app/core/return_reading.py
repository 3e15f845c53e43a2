"""Reading a monthly return back (docs/monthly-return.md), format version 1 or 2: the shape
checks consolidation relies on (``core/consolidate.py`` adds the cell checks)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import WorkbookError
from .figures import SUMMARY_MEASURES
from .return_format import (
    DATE_COLUMNS,
    HEADERS,
    MONEY_MEASURES,
    PERCENT_MEASURES,
    REACH_SHEET,
    READ_VERSIONS,
    RETURN_FIELDS,
    RETURN_SHEET,
    SHEETS,
    SUMMARY_SHEET,
    TABLE_SHEETS,
    TEXT_MEASURES,
    ReturnData,
)
from .rules import Month
from .xlsx import open_workbook


def _norm(value: Any) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def _trim(row: Sequence[Any], width: int) -> tuple[Any, ...]:
    cells = tuple(row[:width])
    return cells + (None,) * (width - len(cells))


def _as_date(value: Any) -> Any:
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def read_return(path: str | os.PathLike[str], *, workbook: Any = None) -> ReturnData:
    """Read and check a monthly return (format version 1 or 2; a version 1 return reads back
    with an empty Reach table).

    Raises ``WorkbookError`` naming every problem found: not a spreadsheet this app reads
    (``xlsx.open_workbook``: .xlsx, .xlsm, .xls, .ods), a missing sheet, wrong headers, a Format
    version other than 1 or 2 (version 2 without its Reach sheet), no (or more than one)
    Locality or Month, Summary measures other than ``SUMMARY_MEASURES`` in order. Extra sheets
    and trailing empty rows are allowed.
    ``workbook``: the file already read (anything with ``sheetnames``, ``[name]`` and
    ``iter_rows(values_only=True)``: consolidation reads each file once for every check).
    """
    path = Path(path)
    if workbook is not None:
        return _read_open_workbook(path, workbook)
    workbook = open_workbook(path)
    try:
        return _read_open_workbook(path, workbook)
    finally:
        workbook.close()


def _read_open_workbook(path: Path, workbook: Any) -> ReturnData:
    name = path.name
    problems: list[str] = []
    by_name = {_norm(title): title for title in workbook.sheetnames}
    missing = [s for s in SHEETS if _norm(s) not in by_name]
    if _norm(RETURN_SHEET) not in by_name or _norm(SUMMARY_SHEET) not in by_name:
        raise WorkbookError(
            f"{name} is not a monthly return: it has no sheet "
            + " or ".join(f"'{s}'" for s in missing[:2])
            + "."
        )
    problems += [f"Sheet '{s}' is missing." for s in missing if s != REACH_SHEET]

    sheets: dict[str, list[tuple[Any, ...]]] = {}
    for sheet in SHEETS:
        if sheet in missing:
            continue
        rows = list(workbook[by_name[_norm(sheet)]].iter_rows(values_only=True))
        expected = HEADERS[sheet]
        header = [_norm(v) for v in (rows[0] if rows else ())]
        while header and header[-1] == "":
            header.pop()
        if header != [_norm(h) for h in expected]:
            problems.append(
                f"Sheet '{sheet}' row 1: the headers should be " + ", ".join(expected) + "."
            )
            continue
        width = len(expected)
        body: list[tuple[Any, ...]] = []
        for row in rows[1:]:
            cells = _trim(row, width)
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                continue
            body.append(cells)
        sheets[sheet] = body

    fields: dict[str, Any] = {}
    locality, month = "", None
    if RETURN_SHEET in sheets:
        fields, locality, month = _check_return_sheet(sheets[RETURN_SHEET], problems)
        if REACH_SHEET in missing and _norm(fields.get("Format version")) not in {"1", "1.0"}:
            problems.append(f"Sheet '{REACH_SHEET}' is missing.")
    summary: tuple[tuple[str, Any], ...] = ()
    if SUMMARY_SHEET in sheets:
        summary = _check_summary_sheet(sheets[SUMMARY_SHEET], problems)
    if problems:
        raise WorkbookError(f"{name} is not a monthly return this app can read.", problems)
    assert month is not None
    tables = {
        sheet: [
            tuple(
                _as_date(v) if h in DATE_COLUMNS else v
                for h, v in zip(HEADERS[sheet], row, strict=True)
            )
            for row in sheets.get(sheet, [])
        ]
        for sheet in TABLE_SHEETS
    }
    return ReturnData(
        path=path, fields=fields, locality=locality, month=month, summary=summary, tables=tables
    )


def _check_return_sheet(
    rows: list[tuple[Any, ...]], problems: list[str]
) -> tuple[dict[str, Any], str, Month | None]:
    wanted = {_norm(f): f for f in RETURN_FIELDS}
    fields: dict[str, Any] = {}
    where: dict[str, int] = {}
    for number, (label, value) in enumerate(rows, start=2):
        key = wanted.get(_norm(label))
        if key is None:
            continue
        if key in fields:
            problems.append(
                f"Sheet 'Return' row {number}: a second {key}; a return is for one locality "
                "and one month."
            )
            continue
        fields[key] = value
        where[key] = number
    version = fields.get("Format version")
    if "Format version" not in fields:
        problems.append("Sheet 'Return': there is no Format version.")
    elif _norm(version) not in {f"{v}{tail}" for v in READ_VERSIONS for tail in ("", ".0")}:
        problems.append(
            f"Sheet 'Return' row {where['Format version']}: Format version is {version}; "
            "this app reads format versions " + " and ".join(map(str, READ_VERSIONS)) + "."
        )
    locality = " ".join(str(fields.get("Locality") or "").split())
    if not locality:
        problems.append("Sheet 'Return': the Locality is empty.")
    month = None
    raw_month = fields.get("Month")
    if isinstance(raw_month, datetime | date):
        month = Month.of(raw_month)
    else:
        try:
            month = Month.parse(str(raw_month or ""))
        except ValueError as exc:
            row = where.get("Month")
            place = f"Sheet 'Return' row {row}" if row else "Sheet 'Return'"
            problems.append(f"{place}: {exc}")
    return fields, locality, month


def _check_summary_sheet(
    rows: list[tuple[Any, ...]], problems: list[str]
) -> tuple[tuple[str, Any], ...]:
    labels = [" ".join(str(label).split()) if label is not None else "" for label, _ in rows]
    if [_norm(v) for v in labels] != [_norm(m) for m in SUMMARY_MEASURES]:
        have = {_norm(v) for v in labels}
        expected = {_norm(m) for m in SUMMARY_MEASURES}
        missing = [m for m in SUMMARY_MEASURES if _norm(m) not in have]
        extra = [v for v in labels if _norm(v) not in expected]
        detail = []
        if missing:
            detail.append("missing " + ", ".join(missing))
        if extra:
            detail.append("unexpected " + ", ".join(extra))
        if not detail:
            detail.append("they are not in the order of the format")
        problems.append("Sheet 'Summary': the measures are wrong (" + "; ".join(detail) + ").")
        return ()
    summary: list[tuple[str, Any]] = []
    for number, (label, (_, value)) in enumerate(zip(SUMMARY_MEASURES, rows, strict=True), 2):
        if label in TEXT_MEASURES:
            summary.append((label, "" if value is None else str(value)))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            summary.append((label, None))
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"Sheet 'Summary' row {number}: {label} should be a number.")
            continue
        if label not in MONEY_MEASURES and label not in PERCENT_MEASURES:
            value = int(value) if float(value).is_integer() else value
        summary.append((label, value))
    return tuple(summary)
