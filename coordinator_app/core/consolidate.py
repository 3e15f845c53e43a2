"""Consolidating monthly returns for the engagement group (docs/monthly-return.md#consolidation).

Every file is read and checked first, and NOTHING is written if any is refused
(``WorkbookError`` names each refused file, with one line per problem naming its sheet and
cell):

- its shape (``returns.read_return``: right sheets and headers, Format version 1 or 2, one
  locality and month each);
- what a return cannot hold (``cell_problems``, every cell of every sheet, formulas read as
  formulas): a formula; a count that is negative, fractional, not a number or beyond any
  plausible size (``MAX_COUNT``); money below zero, beyond ``MAX_POUNDS`` or with more than two
  decimals; a percentage outside 0 to 100; attendances by category that do not add up to the
  total (on the Summary, on each Meetings row, and between the two), meetings held or cancelled
  that do not match the Meetings rows; any text holding an e-mail address or a phone number
  pattern, or something that looks like a name (``privacy.looks_like_names``; not in Prepared
  by or Owner, where a staff name belongs). A return written by this app holds none of these.
- a second return for the same locality and month: the one generated later (its "Generated at")
  is kept and the other is **set aside** (``CheckedReturn.set_aside`` says which and why, and
  ``ConsolidationSummary.set_aside`` lists them); when "Generated at" cannot tell them apart
  (the same time, or missing), the second is refused, as before.

The consolidated workbook holds:

- **Summary**: one row per locality and month (sorted by locality, then month), columns Locality,
  Month, then the return's Summary measures in order; then a "Trust total" row per month
  (``board.trust_total_rows``: counts and pounds added, accreditation result and standards met
  empty);
- **Charts**: the Board report's charts (``core/consolidate_charts.py``: the latest month by
  locality, the trust month by month) and the localities' trend, from two small tables;
- **Actions**, **Meetings**, **Experience**, **Accreditation**, **Polls**, **Reach**: the rows
  of every return with Locality and Month columns in front of the return's own columns (Reach:
  each locality's reach as its return gave it; none from a return of format version 1);
- **Trust reach**: the localities' reach added up by month and suppressed again
  (``core/consolidate_reach.py``).

Speed: returns are read with ``load_workbook(read_only=True, data_only=True)`` and the workbook
is written in write-only mode (charts included); 96 returns take a few seconds.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from .board import trust_total_rows
from .consolidate_charts import write_charts
from .consolidate_reach import (
    SUPPRESSED,
    TRUST_REACH_HEADERS,
    TRUST_REACH_SHEET,
    reach_cell_problem,
    trust_reach_rows,
)
from .errors import CoordinatorError, WorkbookError
from .figures import SUMMARY_MEASURES
from .files import atomic_write
from .privacy import contact_flags, looks_like_names
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
    REACH_SHEET,
    RETURN_SHEET,
    TEXT_MEASURES,
    ExportCancelled,
    ReturnData,
    read_return,
    refuse_read_only,
)
from .xlsx import (
    month_name,
    open_workbook,
    print_setup,
    stream_table,
)

SUMMARY_SHEET = "Summary"
CHARTS_SHEET = "Charts"
#: The record sheets of the consolidated workbook, in order.
RECORD_SHEETS: tuple[str, ...] = (
    ACTIONS_SHEET,
    MEETINGS_SHEET,
    EXPERIENCE_SHEET,
    ACCREDITATION_SHEET,
    POLLS_SHEET,
    REACH_SHEET,
)
SUMMARY_HEADERS: tuple[str, ...] = ("Locality", "Month", *SUMMARY_MEASURES)
#: The Summary's measure columns are narrow, their long headers wrapped (a page holds more).
MEASURE_WIDTH = 14


@dataclass(frozen=True)
class ConsolidationSummary:
    """What ``consolidate`` wrote."""

    target: Path
    returns: int
    localities: tuple[str, ...]
    months: tuple[str, ...]
    rows: dict[str, int]
    #: One sentence per return set aside for a newer one of the same locality and month.
    set_aside: tuple[str, ...] = ()
    #: The returns consolidated, as read (what ``kept_returns.keep`` keeps).
    used: tuple[ReturnData, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class CheckedReturn:
    """One file as checked for consolidation: its data, or the reason it is refused, or why it
    is set aside."""

    path: Path
    data: ReturnData | None
    #: Why the file is refused ("" when it is fine).
    problem: str = ""
    #: The refusal as one line naming the file, for the list of refused returns.
    refusal: str = ""
    #: Each problem found, for one line each naming the sheet and cell ("" problem: none).
    problems: tuple[str, ...] = ()
    #: Why it is left out though sound: a newer return of its locality and month is kept.
    set_aside: str = ""

    @property
    def refusals(self) -> list[str]:
        """One line per problem, each naming the file."""
        if self.problems:
            return [f"{self.path.name}: {p}" for p in self.problems]
        return [self.refusal] if self.refusal else []


#: The most a count in a return may be (a locality's month: far beyond any real one).
MAX_COUNT = 1_000_000
#: The most a pounds figure may be.
MAX_POUNDS = 10_000_000
#: Columns of the record sheets holding counts (whole numbers from 0), and their bounds.
COUNT_COLUMNS: dict[str, dict[str, tuple[int, int]]] = {
    MEETINGS_SHEET: {
        h: (0, MAX_COUNT)
        for h in HEADERS[MEETINGS_SHEET][HEADERS[MEETINGS_SHEET].index("Attendances") :]
    },
    ACTIONS_SHEET: {"Days overdue": (0, 100_000)},
    ACCREDITATION_SHEET: {"Criticality": (1, 3)},
    POLLS_SHEET: {"Count": (0, MAX_COUNT)},
    REACH_SHEET: {"People": (0, MAX_COUNT)},
}
#: Cells where a staff name belongs (no "looks like a name" check there), and the trust's
#: equality monitoring lists (a group such as "White: Irish" is no one's name).
NAMES_BELONG = {(RETURN_SHEET, "Prepared by"), (ACTIONS_SHEET, "Owner")}
NAMES_BELONG |= {(REACH_SHEET, "Characteristic"), (REACH_SHEET, "Group")}

_CATEGORY_MEASURES = SUMMARY_MEASURES[3:9]
_CATEGORY_COLUMNS = HEADERS[MEETINGS_SHEET][5:11]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _count_problem(label: str, value: Any, low: int = 0, high: int = MAX_COUNT) -> str:
    """Why ``value`` cannot be the count ``label`` ("" when it can; empty is allowed)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if not _number(value):
        return f"{label} should be a whole number, not {str(value)[:40]!r}."
    if not math.isfinite(value) or abs(value) > high:
        return f"{label} is {value:g}, beyond any plausible size (at most {high:,})."
    if value != int(value):
        return f"{label} is {value:g}; a count is a whole number."
    if value < low:
        return f"{label} is {value:g}; a count cannot be less than {low}."
    return ""


def _summary_problem(label: str, value: Any) -> str:
    if label in TEXT_MEASURES:
        return ""
    if label in MONEY_MEASURES or label in PERCENT_MEASURES:
        if value is None or not _number(value):
            return ""  # read_return already refuses text here; empty is allowed
        high = 100 if label in PERCENT_MEASURES else MAX_POUNDS
        if not math.isfinite(value) or value < 0 or value > high:
            return f"{label} is {value:g}; it must be from 0 to {high:,}."
        if label in MONEY_MEASURES and abs(round(value, 2) - value) > 1e-9:
            return f"{label} is {value:g}; pounds have at most two decimals."
        return ""
    return _count_problem(label, value)


class _Sheet:
    """One sheet read once: rows of ``(value, data_type)``. Read for its values, a formula is
    an empty cell (as a formula Excel never computed reads): ``cell_problems`` names it."""

    def __init__(self, title: str, rows: list[list[tuple[Any, str]]]) -> None:
        self.title = title
        self.rows = rows

    def iter_rows(self, values_only: bool = False) -> Any:
        for row in self.rows:
            yield tuple(None if t == "f" else v for v, t in row) if values_only else row


class ReadOnce:
    """A workbook read once, formulas as formulas (``data_only=False``): what
    ``returns.read_return`` and ``cell_problems`` both read, so each file is parsed once."""

    def __init__(self, path: Path) -> None:
        workbook = open_workbook(path, data_only=False)
        try:
            self.worksheets = [
                _Sheet(ws.title, [[(c.value, c.data_type) for c in row] for row in ws.iter_rows()])
                for ws in workbook.worksheets
            ]
        finally:
            workbook.close()
        self.sheetnames = [ws.title for ws in self.worksheets]

    def __getitem__(self, name: str) -> _Sheet:
        return next(ws for ws in self.worksheets if ws.title == name)

    def sheet(self, name: str) -> _Sheet | None:
        """The sheet called ``name`` in any case, else None."""
        return next((ws for ws in self.worksheets if ws.title.casefold() == name.casefold()), None)


def cell_problems(path: Path, workbook: ReadOnce | None = None) -> list[str]:
    """Every cell of every sheet of the return at ``path`` that a return cannot hold (see the
    module docstring), each as ``Sheet 'X' cell B3: ...``, in sheet order. Formulas are read as
    formulas. Call it on a file ``read_return`` accepted (its sheets and headers are right)."""
    book = workbook or ReadOnce(path)
    problems: list[str] = []
    for ws in book.worksheets:
        problems += _sheet_problems(ws, book)
    return problems


def _sheet_problems(ws: _Sheet, book: ReadOnce) -> list[str]:
    title = ws.title
    sheet = next((s for s in (*HEADERS,) if s.casefold() == title.strip().casefold()), title)
    header: list[str] = []
    problems: list[str] = []
    summary: dict[str, tuple[str, Any]] = {}
    sums: dict[str, float] = {}
    statuses: dict[str, int] = {}
    for r, row in enumerate(ws.rows, start=1):
        label_a = ""
        for c, (value, data_type) in enumerate(row, start=1):
            if value is None:
                continue
            where = f"Sheet '{title}' cell {get_column_letter(c)}{r}"
            column = header[c - 1] if c - 1 < len(header) else ""
            if r == 1 and sheet in HEADERS:
                header.append(" ".join(str(value).split()).casefold())
                continue
            if data_type == "f":
                problems.append(f"{where}: a formula ({str(value)[:40]}); a return holds values.")
                continue
            if c == 1:
                label_a = " ".join(str(value).split())
            bounds = None
            if sheet == REACH_SHEET and r > 1 and (found := reach_cell_problem(column, value)):
                problems.append(f"{where}: {found}")
                continue
            if sheet == REACH_SHEET and value in SUPPRESSED:
                continue
            if sheet in COUNT_COLUMNS and r > 1:
                bounds = next(
                    (b for h, b in COUNT_COLUMNS[sheet].items() if h.casefold() == column), None
                )
            if isinstance(value, str) and bounds is None:
                problems += _text_problems(where, sheet, column, label_a, c, value)
                continue
            if _number(value) and not math.isfinite(value):
                problems.append(f"{where}: {value} is not a number a return can hold.")
                continue
            if sheet == SUMMARY_SHEET and c == 2:
                measure = next(
                    (m for m in SUMMARY_MEASURES if m.casefold() == label_a.casefold()), ""
                )
                if measure:
                    summary[measure] = (where, value)
                    if found := _summary_problem(measure, value):
                        problems.append(f"{where}: {found}")
            elif bounds is not None:
                if found := _count_problem(_label(sheet, column), value, *bounds):
                    problems.append(f"{where}: {found}")
                elif sheet == MEETINGS_SHEET and _number(value):
                    sums[column] = sums.get(column, 0) + value
        if sheet == MEETINGS_SHEET and r > 1:
            problems += _meetings_row_problem(title, r, header, row, statuses)
    if sheet == SUMMARY_SHEET:
        problems += _summary_sum_problems(summary)
    ws_summary = book.sheet(SUMMARY_SHEET)
    if sheet == MEETINGS_SHEET and not problems and ws_summary is not None:  # its own first
        problems += _against_summary(title, ws_summary, sums, statuses)
    return problems


def text_problems(data: ReturnData) -> list[str]:
    """The text checks of ``cell_problems`` (an e-mail address, a phone number, something that
    looks like a name where no staff name belongs) over a return already read, each as
    ``Sheet 'X' cell B3: ...`` as its file would have it: what ``core/kept_returns.py`` runs on
    what it keeps (Prepared by left out, as it keeps it)."""
    problems: list[str] = []
    rows: dict[str, list[tuple[Any, ...]]] = {
        RETURN_SHEET: [(k, v) for k, v in data.fields.items()],
        SUMMARY_SHEET: list(data.summary),
        **data.tables,
    }
    for sheet, body in rows.items():
        header = [h.casefold() for h in HEADERS[sheet]]
        for r, row in enumerate(body, start=2):
            label_a = " ".join(str(row[0]).split()) if row and row[0] is not None else ""
            for c, value in enumerate(row, start=1):
                if not isinstance(value, str) or c > len(header):
                    continue
                if sheet == REACH_SHEET and value in SUPPRESSED:
                    continue
                where = f"Sheet '{sheet}' cell {get_column_letter(c)}{r}"
                problems += _text_problems(where, sheet, header[c - 1], label_a, c, value)
    return problems


def _label(sheet: str, column: str) -> str:
    return next((h for h in HEADERS[sheet] if h.casefold() == column), column)


def _text_problems(
    where: str, sheet: str, column: str, label_a: str, c: int, value: str
) -> list[str]:
    """An e-mail address, a phone number or something that looks like a name in a text cell."""
    found = [
        f"{where}: {flag.reason} ({value[flag.start : flag.end]})" for flag in contact_flags(value)
    ]
    if found:
        return [found[0] + "; a return holds no contact details."]
    names_belong = (sheet, _label(sheet, column)) in NAMES_BELONG or (
        sheet == RETURN_SHEET and c == 2 and label_a.casefold() == "prepared by"
    )
    first_column_label = c == 1 and sheet in (RETURN_SHEET, SUMMARY_SHEET)
    if names_belong or first_column_label:
        return []
    flags = looks_like_names(value)
    if flags:
        flag = flags[0]
        return [
            f'{where}: looks like a name ("{value[flag.start : flag.end]}", {flag.reason}); '
            "a return names no one."
        ]
    return []


def _meetings_row_problem(
    title: str, r: int, header: list[str], row: Any, statuses: dict[str, int]
) -> list[str]:
    """A Meetings row whose attendances by category do not add up to its Attendances."""
    values = {header[i]: value for i, (value, _t) in enumerate(row) if i < len(header)}
    status = str(values.get("status") or "").strip().casefold()
    if status:
        statuses[status] = statuses.get(status, 0) + 1
    total = values.get("attendances")
    parts = [values.get(h.casefold()) for h in _CATEGORY_COLUMNS]
    if not _number(total) or not all(_number(p) or p is None for p in parts):
        return []
    added = sum(p or 0 for p in parts)
    if added == total:
        return []
    column = get_column_letter(header.index("attendances") + 1)
    return [
        f"Sheet '{title}' cell {column}{r}: Attendances is {total:g} but the categories beside "
        f"it add up to {added:g}."
    ]


def _summary_sum_problems(summary: dict[str, tuple[str, Any]]) -> list[str]:
    total = summary.get("Attendances")
    parts = [summary.get(m) for m in _CATEGORY_MEASURES]
    if total is None or not _number(total[1]) or not all(p and _number(p[1]) for p in parts):
        return []
    added = sum(p[1] for p in parts if p)
    if added == total[1]:
        return []
    return [
        f"{total[0]}: Attendances is {total[1]:g} but the attendances by category add up to "
        f"{added:g}."
    ]


def _against_summary(
    title: str, ws_summary: _Sheet, sums: dict[str, float], statuses: dict[str, int]
) -> list[str]:
    """The Meetings rows against the Summary: attendances by category and the meetings held
    and cancelled."""
    values: dict[str, tuple[str, Any]] = {}
    for r, row in enumerate(ws_summary.rows, start=1):
        if len(row) < 2 or row[0][0] is None:
            continue
        label = " ".join(str(row[0][0]).split()).casefold()
        values[label] = (f"Sheet '{ws_summary.title}' cell B{r}", row[1][0])
    problems = []
    pairs = [
        (m, sums.get(h.casefold(), 0))
        for m, h in zip(
            ("Attendances", *_CATEGORY_MEASURES), ("Attendances", *_CATEGORY_COLUMNS), strict=True
        )
    ]
    pairs += [
        ("Meetings held", statuses.get("held", 0)),
        ("Meetings cancelled", statuses.get("cancelled", 0)),
    ]
    for measure, counted in pairs:
        found = values.get(measure.casefold())
        if found is None or not _number(found[1]) or found[1] == counted:
            continue
        problems.append(
            f"{found[0]}: {measure} is {found[1]:g} but the {title} sheet's rows make it "
            f"{counted:g}."
        )
    return problems


def check_each(
    paths: Sequence[str | os.PathLike[str]],
    *,
    step: Callable[[], None] | None = None,
) -> list[CheckedReturn]:
    """Read and check every return in order (see the module docstring). Of two sound returns of
    one locality and month the one generated later is kept and the other set aside
    (``set_aside`` says which and why); when "Generated at" cannot tell, the later file is
    refused naming the first. Never raises for a bad file: the reason is in ``problem``."""
    checked: list[CheckedReturn] = []
    for raw in paths:
        if step is not None:
            step()
        path = Path(raw)
        try:
            book = ReadOnce(path)
            data = read_return(path, workbook=book)
        except WorkbookError as exc:
            # The summary names the file; the problems, when listed, say what is wrong.
            if exc.problems:
                reason = " ".join(exc.problems)
                checked.append(
                    CheckedReturn(path, None, reason, f"{path.name}: {reason}", tuple(exc.problems))
                )
            else:
                checked.append(CheckedReturn(path, None, exc.summary, str(exc)))
            continue
        problems = cell_problems(path, book)
        if problems:
            reason = " ".join(problems)
            checked.append(
                CheckedReturn(path, data, reason, f"{path.name}: {reason}", tuple(problems))
            )
            continue
        checked.append(CheckedReturn(path, data))
    return _one_per_locality_and_month(checked)


def generated_at(data: ReturnData) -> datetime | None:
    """A return's Generated at, or None when it has none that reads as a time."""
    value = data.fields.get("Generated at")
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _one_per_locality_and_month(checked: list[CheckedReturn]) -> list[CheckedReturn]:
    groups: dict[tuple[str, str], list[int]] = {}
    for index, item in enumerate(checked):
        if item.problem or item.data is None:
            continue
        key = (item.data.locality.casefold(), str(item.data.month))
        groups.setdefault(key, []).append(index)
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        stamps = [generated_at(checked[i].data) for i in indexes]  # type: ignore[arg-type]
        known = [s for s in stamps if s is not None]
        newest = max(known) if len(known) == len(stamps) else None
        if newest is not None and stamps.count(newest) == 1:
            keep = indexes[stamps.index(newest)]
            kept = checked[keep]
            for i, stamp in zip(indexes, stamps, strict=True):
                if i == keep:
                    continue
                data = checked[i].data
                assert data is not None and stamp is not None
                checked[i] = replace(
                    checked[i],
                    set_aside=(
                        f"{data.locality} {data.month} was generated again later: "
                        f"{kept.path.name} (generated {newest:%Y-%m-%d %H:%M}) is used and this "
                        f"one (generated {stamp:%Y-%m-%d %H:%M}) is set aside."
                    ),
                )
            continue
        first = checked[indexes[0]]
        for i in indexes[1:]:
            data = checked[i].data
            assert data is not None
            reason = (
                f"{data.locality} {data.month} is also in {first.path.name}, and their "
                "Generated at cannot tell which is newer; each locality and month may come "
                "only once."
            )
            checked[i] = replace(
                checked[i], problem=reason, refusal=f"{checked[i].path.name}: {reason}"
            )
    return checked


def check_returns(
    paths: Sequence[str | os.PathLike[str]],
    *,
    step: Callable[[], None] | None = None,
) -> tuple[list[ReturnData], list[str]]:
    """Read and check every return: the returns to consolidate and one sentence per return set
    aside; raise ``WorkbookError`` naming each refused file, one line per problem."""
    checked = check_each(paths, step=step)
    refused_files = [c for c in checked if c.problem]
    found = [c.data for c in checked if not c.problem and not c.set_aside and c.data is not None]
    if refused_files:
        count = len(refused_files)
        raise WorkbookError(
            f"{count} of {len(paths)} returns {'was' if count == 1 else 'were'} refused, "
            "so nothing was written.",
            [line for c in refused_files for line in c.refusals],
        )
    return found, [f"{c.path.name}: {c.set_aside}" for c in checked if c.set_aside]


def check_targets(*targets: str | os.PathLike[str]) -> list[Path]:
    """The files a consolidation is to write (the workbook, and the Board report if asked for),
    checked before anything is read, created or written: each one's folder is there, none is
    read-only and no two are the same file. Raises ``CoordinatorError`` saying nothing was
    written; returns the files, resolved."""
    resolved = [Path(t).expanduser().resolve() for t in targets]
    if len(set(resolved)) < len(resolved):
        raise CoordinatorError(
            "The Board report and the consolidated workbook need different file names, so "
            "nothing was written."
        )
    for target in resolved:
        if not target.parent.is_dir():
            raise CoordinatorError(
                f"The folder {target.parent} does not exist, so nothing was written; create it "
                "or choose another place, and run the command again."
            )
        try:
            refuse_read_only(target)
        except CoordinatorError:
            raise CoordinatorError(
                f"{target} is read-only, so nothing was written; make it writable or choose "
                "another name, and run the command again."
            ) from None
    return resolved


def consolidate(
    paths: Sequence[str | os.PathLike[str]],
    target: str | os.PathLike[str],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ConsolidationSummary:
    """Merge localities' monthly returns into one workbook at ``target``.

    All or nothing: a malformed return, one holding what a return cannot hold, a duplicate
    locality+month that "Generated at" cannot settle, a read-only target or a cancel
    (``ExportCancelled``) leaves ``target`` as it was. Of two returns of one locality and
    month, the older is set aside (``ConsolidationSummary.set_aside`` says so).
    ``progress(done, total)`` is called once per file read and per sheet written; neither
    callback may touch widgets.
    """
    paths = list(paths)
    if not paths:
        raise CoordinatorError("Choose at least one monthly return to consolidate.")
    target_path = Path(target).expanduser().resolve()
    total = len(paths) + 4 + len(RECORD_SHEETS)
    done = 0

    def step() -> None:
        nonlocal done
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        done = min(total, done + 1)
        if progress is not None:
            progress(done, total)

    refuse_read_only(target_path)
    found, set_aside = check_returns(paths, step=step)
    returns = sorted(found, key=lambda r: (r.locality.casefold(), r.month))
    counts: dict[str, int] = {}

    def write(temp: Path) -> None:
        from openpyxl import Workbook

        # Write-only throughout: thousands of rows stream out fast; the charts work there too.
        workbook = Workbook(write_only=True)
        head = _print_header(returns)
        counts[SUMMARY_SHEET] = _write_summary(workbook.create_sheet(SUMMARY_SHEET), returns, head)
        step()
        write_charts(workbook.create_sheet(CHARTS_SHEET), returns, head)
        step()
        for sheet in RECORD_SHEETS:
            ws = workbook.create_sheet(sheet)
            rows = [
                (data.locality, str(data.month), *row)
                for data in returns
                for row in data.tables[sheet]
            ]
            # Locality and Month repeat on each page across, as the header row does down.
            print_setup(ws, **head, title=f"Consolidation: {sheet}", title_columns="A:B")
            counts[sheet] = stream_table(ws, ("Locality", "Month", *HEADERS[sheet]), rows)
            step()
        ws = workbook.create_sheet(TRUST_REACH_SHEET)
        print_setup(ws, **head, title=f"Consolidation: {TRUST_REACH_SHEET}", title_columns="A:A")
        rows = trust_reach_rows(returns)
        counts[TRUST_REACH_SHEET] = stream_table(ws, TRUST_REACH_HEADERS, rows)
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
        set_aside=tuple(set_aside),
        used=tuple(returns),
    )


def _print_header(returns: Sequence[ReturnData]) -> dict[str, str]:
    """The page header of every sheet: the trust (from the returns) and the months covered."""
    trusts = list(dict.fromkeys(str(r.fields.get("Trust") or "").strip() for r in returns))
    months = sorted(r.month for r in returns)
    if not months:
        return {"trust": "", "place": ""}
    span = month_name(months[0])
    if months[-1] != months[0]:
        span += f" to {month_name(months[-1])}"
    localities = len({r.locality.casefold() for r in returns})
    where = f"{localities} localit{'y' if localities == 1 else 'ies'}, {span}"
    return {"trust": trusts[0] if len(trusts) == 1 else "", "place": where}


def _write_summary(ws: Any, returns: Sequence[ReturnData], head: dict[str, str]) -> int:
    rows = [
        (data.locality, str(data.month), *(value for _, value in data.summary)) for data in returns
    ]
    rows += trust_total_rows(returns)
    formats = {
        index: MONEY_FORMAT if measure in MONEY_MEASURES else PERCENT_FORMAT
        for index, measure in enumerate(SUMMARY_MEASURES, start=2)
        if measure in MONEY_MEASURES or measure in PERCENT_MEASURES
    }
    # The table that goes to the Board: Locality and Month repeat on every page across.
    print_setup(ws, **head, title="Consolidation: Summary", title_columns="A:B")
    count = stream_table(ws, SUMMARY_HEADERS, rows, number_formats=formats, max_width=MEASURE_WIDTH)
    ws.freeze_panes = "C2"
    return count
