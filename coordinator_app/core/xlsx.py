"""Writing and reading spreadsheet cells safely, shared by every workbook the app writes and
every spreadsheet it reads (``open_workbook``: .xlsx and .xlsm through openpyxl, .xls and .ods
through python-calamine, .csv).

- User text never becomes a formula: cells that carry user text are typed as strings, whatever
  they start with (``= + - @``), and illegal control characters are removed
  (docs/engineering-notes.md#excel-openpyxl).
- Tables get a bold, frozen header row, an auto-filter and column widths that fit.
- Sheets print at full size with a page header and footer (``print_setup``); charts start a
  printed page and draw values from zero (``chart_page``, ``from_zero``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .errors import WorkbookError
from .fields import FREE_TEXT_MAX

if TYPE_CHECKING:
    from .rules import Month

#: What one cell holds; no field takes more (``fields.FREE_TEXT_MAX`` is this limit).
MAX_CELL_TEXT = FREE_TEXT_MAX
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
#: The widest a column is made (characters); longer text wraps inside it.
MAX_PRINT_WIDTH = 50
WRAP = Alignment(wrap_text=True, vertical="top")


def clean_text(value: str) -> str:
    """Remove characters Excel cannot hold and cut at Excel's cell limit.

    The cut is a last resort for text stored before every field was limited: ``core.fields``
    refuses text past ``MAX_CELL_TEXT`` when it is typed or imported, so nothing saved since
    is ever cut here."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT]


def set_cell(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Write one value: text stays text, dates are real dates, numbers are numbers."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None) if value.tzinfo else value
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = value


def write_table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    min_width: int = 8,
    max_width: int = MAX_PRINT_WIDTH,
) -> int:
    """Write a header row and data rows from A1; bold frozen header, auto-filter, fitted widths
    (at most ``max_width``: longer text wraps).

    Returns the number of data rows written.
    """
    widths = [max(min_width, len(h) + 2) for h in headers]
    for col, header in enumerate(headers, start=1):
        set_cell(ws, 1, col, header)
        cell = ws.cell(row=1, column=col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP  # a header longer than its column wraps, never cut
    count = 0
    for r, row in enumerate(rows, start=2):
        count += 1
        for col, value in enumerate(row, start=1):
            set_cell(ws, r, col, value)
            widths[col - 1] = max(widths[col - 1], _display_width(value))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(max_width, width)
        if width > max_width:  # long text wraps inside the column, on screen and on paper
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                if isinstance(cell.value, str):
                    cell.alignment = WRAP
    ws.freeze_panes = "A2"
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A1:{last}{count + 1}"
    return count


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 17
    if isinstance(value, date):
        return 12
    text = str(value)
    longest_line = max((len(line) for line in text.splitlines()), default=0)
    return min(longest_line, 80) + 2


def _header_text(text: str) -> str:
    """Text for a page header or footer: ``&`` is the codes' escape, so it is doubled."""
    return clean_text(text).replace("&", "&&")[:80]


def print_setup(
    ws: Any,
    *,
    trust: str = "",
    place: str = "",
    title: str = "",
    title_rows: str | None = "1:1",
    title_columns: str | None = None,
) -> None:
    """How a sheet prints in Excel and LibreOffice (docs/monthly-return.md#print-layout):
    A4 landscape at full size, never shrunk to fit (a sheet wider than a page goes on across
    pages, its first row, and ``title_columns``, repeated on each); the header says ``trust``
    on the left, ``place`` (locality and month) in the middle and ``title`` (the sheet) on the
    right; the footer "Page N of M". Long text wraps in columns at most ``MAX_PRINT_WIDTH``
    wide (``write_table``, ``stream_table``).

    Pitfall: fitting a wide sheet to one page wide made LibreOffice print a return's Actions
    sheet at 3.4 pt and a consolidated Summary at 2 pt (docs/engineering-notes.md
    #pdf-and-printing); scale stays 100."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # works for write-only sheets too
    ws.page_setup.scale = 100
    ws.page_setup.fitToWidth = 0
    ws.page_setup.fitToHeight = 0
    ws.page_setup.pageOrder = "overThenDown"
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows:
        ws.print_title_rows = title_rows
    if title_columns:
        ws.print_title_cols = title_columns
    for header in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
        header.left.text = _header_text(trust)
        header.center.text = _header_text(place)
        header.right.text = _header_text(title or ws.title)
    for footer in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
        footer.right.text = "Page &P of &N"
        footer.left.text = _header_text(title or ws.title)


def month_name(month: Month) -> str:
    """``November 2026`` (English whatever the machine's locale), for page headers."""
    names = (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
    return f"{names[month.month - 1]} {month.year}"


#: Rows a chart of 7.5 cm takes, with a gap (at the default row height of 15 points).
CHART_ROWS = 17


def chart_page(ws: Any, row: int) -> str:
    """The anchor of a chart that starts a printed page at ``row`` (a page break before it), so
    no page edge cuts a chart in two."""
    from openpyxl.worksheet.pagebreak import Break

    ws.row_breaks.append(Break(id=row - 1))
    return f"A{row}"


def from_zero(chart: Any) -> None:
    """Draw the chart's value axis from zero, and both axes at all: openpyxl 3.1 marks a new
    chart's axes deleted, and Excel and LibreOffice then scale the values from near the lowest
    (attendances of 362 and 331 drawn from 300 look three times apart)."""
    chart.y_axis.scaling.min = 0
    chart.y_axis.delete = False
    chart.x_axis.delete = False


def header_map(header_row: Sequence[Any]) -> dict[str, int]:
    """Map lower-cased, trimmed header names to their 0-based column index (first one wins)."""
    found: dict[str, int] = {}
    for index, value in enumerate(header_row):
        if value is None:
            continue
        key = " ".join(str(value).split()).lower()
        if key and key not in found:
            found[key] = index
    return found


def stream_table(
    ws: Any,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    min_width: int = 8,
    max_width: int = MAX_PRINT_WIDTH,
    number_formats: dict[int, str] | None = None,
) -> int:
    """``write_table`` for a write-only worksheet (``Workbook(write_only=True)``), for big sheets.

    Same result: bold frozen header, auto-filter, fitted widths, text kept as text, real dates.
    ``rows`` must be a sequence, not a generator: a write-only sheet takes its widths and frozen
    panes before its first row, so the widths are measured first. ``number_formats`` maps a
    0-based column index to a number format for its data cells. Returns the rows written.
    """
    from openpyxl.cell import WriteOnlyCell

    widths = [max(min_width, len(h) + 2) for h in headers]
    for row in rows:
        for index, value in enumerate(row):
            width = _display_width(value)
            if width > widths[index]:
                widths[index] = width
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(max_width, width)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    ws.append([header_cell(ws, header) for header in headers])
    formats = number_formats or {}

    def value_of(index: int, value: Any) -> Any:
        if isinstance(value, str):
            text = clean_text(value)
            wraps = len(text) > max_width or "\n" in text
            if text.startswith("=") or wraps:
                cell = WriteOnlyCell(ws, value=text)
                cell.data_type = "s"
                if wraps:
                    cell.alignment = WRAP  # long text wraps inside its column
                return cell
            return text
        if isinstance(value, datetime):
            cell = WriteOnlyCell(ws, value=value.replace(tzinfo=None))
            cell.number_format = DATETIME_FORMAT
            return cell
        if index in formats and value is not None:
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = formats[index]
            return cell
        return value  # dates get openpyxl's yyyy-mm-dd, the same as DATE_FORMAT

    for row in rows:
        ws.append([value_of(index, value) for index, value in enumerate(row)])
    return len(rows)


def header_cell(ws: Any, text: str) -> Any:
    """A bold, shaded header cell for a write-only worksheet."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=clean_text(text))
    cell.data_type = "s"
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = WRAP  # a header longer than its column wraps, never cut
    return cell


_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

#: The spreadsheet files the app reads (``open_workbook``), as a file chooser offers them.
READ_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
#: How a sentence names them.
READ_FORMATS = "an Excel workbook (.xlsx, .xlsm, .xls), a LibreOffice spreadsheet (.ods) or a .csv"


class _Cell:
    """A cell as openpyxl's read-only cells show it: ``value``, ``data_type`` ("n", "s", "b",
    "d", or "f" for a formula) and ``number_format`` ("0%" for an .ods percentage, else
    "General")."""

    __slots__ = ("data_type", "number_format", "value")

    def __init__(self, value: Any, data_type: str = "", number_format: str = "General") -> None:
        self.value = value
        self.number_format = number_format
        if data_type:
            self.data_type = data_type
        elif isinstance(value, bool):
            self.data_type = "b"
        elif isinstance(value, int | float):
            self.data_type = "n"
        elif isinstance(value, date | time | timedelta):
            self.data_type = "d"
        else:
            self.data_type = "s"


#: An .ods cell's formula or number format, by (row, column) from 0.
_Marks = dict[tuple[int, int], tuple[str, str]]


class _Sheet:
    """One sheet, read whole, with the parts of openpyxl's worksheet the readers use."""

    def __init__(self, title: str, rows: list[tuple[Any, ...]], marks: _Marks | None = None):
        self.title = title
        self._rows = rows
        self._marks = marks or {}
        self.max_row = len(rows)

    def iter_rows(self, values_only: bool = False) -> Iterator[tuple[Any, ...]]:
        for r, row in enumerate(self._rows):
            if values_only:
                yield row
            else:
                yield tuple(_Cell(v, *self._marks.get((r, c), ())) for c, v in enumerate(row))


class SheetBook:
    """A spreadsheet read whole (.xls and .ods through python-calamine, .csv through ``csv``)
    behind the parts of openpyxl's read-only workbook the readers use: ``sheetnames``,
    ``worksheets``, ``book[name]``, each sheet's ``iter_rows`` and ``max_row``, ``close()``.

    Values are made what openpyxl gives for the same cell of an .xlsx (docs/engineering-notes.md
    #excel-openpyxl): an empty cell is None (calamine gives ""), a whole number an ``int``
    (calamine gives 3.0), a date a ``datetime`` at midnight, a time of day a ``time``; rows keep
    their numbers (empty rows above the data are kept). A .csv holds text only.
    In an .ods a formula's cell reads as openpyxl's do (``data_type`` "f", its formula as the
    value unless ``data_only``) and a percentage has the number format "0%" (its value 0.8 for
    80%), read from the file's own XML. Pitfall: an .xls formula reads as the value it last
    had, and an .xls cell's number format is not known (calamine gives neither)."""

    def __init__(self, sheets: list[_Sheet]) -> None:
        self.worksheets = sheets
        self.sheetnames = [ws.title for ws in sheets]

    def __getitem__(self, name: str) -> _Sheet:
        for ws in self.worksheets:
            if ws.title == name:
                return ws
        raise KeyError(name)

    def close(self) -> None:
        """Nothing to close: the file was read whole."""


def _openpyxl_value(value: Any) -> Any:
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, timedelta) and timedelta(0) <= value < timedelta(days=1):
        return (datetime.min + value).time()
    return value


def _trimmed(rows: list[list[Any]]) -> list[tuple[Any, ...]]:
    """Rows as tuples of openpyxl values, trailing empty rows dropped."""
    out = [tuple(_openpyxl_value(v) for v in row) for row in rows]
    while out and all(v is None for v in out[-1]):
        out.pop()
    return out


def _read_calamine(data: bytes, *, data_only: bool) -> SheetBook:
    from python_calamine import CalamineWorkbook

    marks = _ods_marks(data) if data.startswith(_ZIP_MAGIC) else {}
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        sheets = []
        for name in book.sheet_names:
            rows = _trimmed(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
            found = marks.get(name, {})
            cells: _Marks = {}
            for (r, c), (data_type, detail) in found.items():
                if data_type != "f":
                    cells[(r, c)] = ("", detail)  # a percentage's number format
                    continue
                cells[(r, c)] = ("f", "General")
                if not data_only and r < len(rows) and c < len(rows[r]):
                    rows[r] = (*rows[r][:c], detail, *rows[r][c + 1 :])  # the formula itself
            sheets.append(_Sheet(name, rows, cells))
    finally:
        book.close()
    return SheetBook(sheets)


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _ods_marks(data: bytes) -> dict[str, _Marks]:
    """Per sheet, the cells of an .ods holding a formula (``("f", formula)``) or a percentage
    (``("", "0%")``), by (row, column) from 0, read from ``content.xml`` (calamine tells
    neither). Repeated rows and cells count as the rows and cells they stand for."""
    from lxml import etree

    marks: dict[str, _Marks] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as xml:
        sheet: _Marks = {}
        row = column = 0
        for event, element in etree.iterparse(xml, events=("start", "end"), resolve_entities=False):
            tag = element.tag
            if tag == f"{_TABLE}table" and event == "start":
                sheet = marks.setdefault(element.get(f"{_TABLE}name", ""), {})
                row = 0
            elif tag == f"{_TABLE}table-row":
                if event == "start":
                    column = 0
                else:
                    row += int(element.get(f"{_TABLE}number-rows-repeated", "1"))
                    element.clear()
            elif tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell") and event == "end":
                repeat = int(element.get(f"{_TABLE}number-columns-repeated", "1"))
                formula = element.get(f"{_TABLE}formula")
                percent = element.get(f"{_OFFICE}value-type") == "percentage"
                if formula is not None or percent:
                    for c in range(column, column + min(repeat, 1024)):
                        sheet[(row, c)] = ("f", formula) if formula is not None else ("", "0%")
                column += repeat
    return marks


def _read_csv(path: Path, data: bytes, sheet_name: str | None) -> SheetBook:
    """A .csv as one sheet, named ``sheet_name`` or after the file (``Participants.csv`` is the
    sheet Participants). UTF-8 (with or without a byte order mark, as Excel and LibreOffice
    save it) or else Windows-1252; comma, semicolon or tab between cells."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:20_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    return SheetBook([_Sheet(sheet_name or path.stem, _trimmed(rows))])


def _is_ods(data: bytes) -> bool:
    """An OpenDocument spreadsheet: a zip whose ``mimetype`` entry says so."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("mimetype").strip() == _ODS_MIMETYPE
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return False


def open_workbook(path: Path, *, data_only: bool = True, sheet_name: str | None = None) -> Any:
    """Open a spreadsheet to read, turning every way a file can fail to open into one sentence
    (Excel and LibreOffice named alike).

    .xlsx and .xlsm: openpyxl read-only (``data_only=False`` reads formulas as formulas: a cell's
    ``data_type`` is then ``"f"``, instead of the values Excel last computed for them). .xls and
    .ods: python-calamine, .csv: one sheet named ``sheet_name`` or after the file; both as a
    ``SheetBook`` that reads like openpyxl's workbook (values as openpyxl gives them).
    The format is told by the file's content, not its name (a .csv by its name: it has no
    signature)."""
    name = path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            rest = handle.read(2_000_000) if head == _OLE_MAGIC else b""
    except FileNotFoundError as exc:
        raise WorkbookError(f"There is no file at {path}.") from exc
    except IsADirectoryError as exc:
        raise WorkbookError(f"{path} is a folder, not a workbook.") from exc
    except OSError as exc:
        raise WorkbookError(f"{name} cannot be read ({exc.strerror}).") from exc
    damaged = f"{name} is damaged or incomplete and cannot be opened as a spreadsheet."
    if head == _OLE_MAGIC:
        if _ENCRYPTED_MARK in rest:
            raise WorkbookError(
                f"{name} is protected with a password; open it in Excel or LibreOffice, remove "
                "the password and save it again."
            )
        try:
            return _read_calamine(path.read_bytes(), data_only=data_only)  # .xls
        except Exception as exc:
            raise WorkbookError(damaged) from exc
    if not head.startswith(_ZIP_MAGIC):
        if path.suffix.lower() == ".csv":
            return _read_csv(path, path.read_bytes(), sheet_name)
        raise WorkbookError(
            f"{name} is not a spreadsheet this app reads ({READ_FORMATS}); open it in Excel or "
            "LibreOffice and save it as one of those."
        )
    data = path.read_bytes()
    if _is_ods(data):
        try:
            return _read_calamine(data, data_only=data_only)
        except Exception as exc:
            raise WorkbookError(damaged) from exc
    try:
        # A file object, so openpyxl does not judge the file by its extension; the bytes are read
        # whole because a read-only workbook keeps reading from its source until it is closed.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError) as exc:
        raise WorkbookError(damaged) from exc
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        # (An XML part that is malformed or a "billion laughs" entity bomb lands here.)
        raise WorkbookError(
            f"{name} cannot be opened as a spreadsheet: part of it is malformed (damaged, "
            "or not saved by Excel or LibreOffice)."
        ) from exc
