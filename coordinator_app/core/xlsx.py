"""Writing and reading Excel cells safely (openpyxl), shared by every workbook the app writes.

- User text never becomes a formula: cells that carry user text are typed as strings, whatever
  they start with (``= + - @``), and illegal control characters are removed
  (docs/engineering-notes.md#excel-openpyxl).
- Tables get a bold, frozen header row, an auto-filter and column widths that fit.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .errors import WorkbookError
from .fields import FREE_TEXT_MAX

#: What one cell holds; no field takes more (``fields.FREE_TEXT_MAX`` is this limit).
MAX_CELL_TEXT = FREE_TEXT_MAX
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


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
    max_width: int = 60,
) -> int:
    """Write a header row and data rows from A1; bold frozen header, auto-filter, fitted widths.

    Returns the number of data rows written.
    """
    widths = [max(min_width, len(h) + 2) for h in headers]
    for col, header in enumerate(headers, start=1):
        set_cell(ws, 1, col, header)
        cell = ws.cell(row=1, column=col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top")
    count = 0
    for r, row in enumerate(rows, start=2):
        count += 1
        for col, value in enumerate(row, start=1):
            set_cell(ws, r, col, value)
            widths[col - 1] = max(widths[col - 1], _display_width(value))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(max_width, width)
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


def print_landscape_fit_width(ws: Worksheet) -> None:
    """A4 landscape, fitted to one page wide, header row repeated on each printed page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # works for write-only sheets too
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


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
    max_width: int = 60,
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
            if text.startswith("="):
                cell = WriteOnlyCell(ws, value=text)
                cell.data_type = "s"
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
    cell.alignment = Alignment(vertical="top")
    return cell


_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


def open_workbook(path: Path, *, data_only: bool = True) -> Any:
    """Open an xlsx read-only, turning every way a file can fail to open into one sentence.
    ``data_only=False`` reads formulas as formulas (a cell's ``data_type`` is then ``"f"``)
    instead of the values Excel last computed for them."""
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
    if head == _OLE_MAGIC:
        if _ENCRYPTED_MARK in rest:
            raise WorkbookError(
                f"{name} is protected with a password; open it in Excel, remove the password "
                "(File, Info, Protect Workbook, Encrypt with Password) and save it again."
            )
        raise WorkbookError(
            f"{name} is an old-style Excel file (.xls); open it in Excel and save it as an "
            "Excel Workbook (.xlsx)."
        )
    if not head.startswith(_ZIP_MAGIC):
        raise WorkbookError(
            f"{name} is not an Excel workbook (.xlsx); if it is a CSV or another kind of file, "
            "open it in Excel and save it as an Excel Workbook (.xlsx)."
        )
    try:
        # A file object, so openpyxl does not judge the file by its extension; the bytes are read
        # whole because a read-only workbook keeps reading from its source until it is closed.
        data = io.BytesIO(path.read_bytes())
        return load_workbook(data, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError) as exc:
        raise WorkbookError(
            f"{name} is damaged or incomplete and cannot be opened as an Excel workbook."
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        # (An XML part that is malformed or a "billion laughs" entity bomb lands here.)
        raise WorkbookError(
            f"{name} cannot be opened as an Excel workbook: part of it is malformed (damaged, "
            "or not saved by Excel or LibreOffice)."
        ) from exc
