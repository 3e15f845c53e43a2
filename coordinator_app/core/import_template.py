"""The import template (an empty import workbook) and the filled-in example, both written from
``importer.SHEETS`` so that they always match what the importer reads (docs/import-workbook.md).

The template has one sheet per import sheet with its headers (bold, frozen, required ones
marked in the Notes), drop-down lists (data validation) for the fixed vocabularies and yes/no
columns, and a **Notes** sheet explaining every column. The importer ignores the Notes sheet.

Pitfall: data validation lists are written as a quoted comma list, which Excel limits to 255
characters; every vocabulary here is far shorter.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .files import atomic_write
from .importer import SHEETS, ColumnSpec
from .xlsx import write_table

NOTES_SHEET = "Notes"
VALIDATION_ROWS = 2000
DEFAULT_FRAMEWORK = ("Locality Involvement Accreditation Standards", "1.0")

_INTRO = (
    "How to use this workbook",
    "Fill in any of the sheets you need and leave the others empty (or delete them). Header "
    "names may be in any case and order; extra columns are ignored; empty rows are skipped. "
    "Dates may be Excel dates or text as YYYY-MM-DD or DD/MM/YYYY (or as the app takes them: "
    "14.03.2025, 14 Mar 2025, 14/03/25), from 1900 to 2100; times as 14:00, 2pm or 1400; "
    "amounts as 25 or £25.50. Yes/no columns take Yes, Y, True or 1 (anything blank is no). "
    "Text longer than the app's field holds is refused with its column named, never cut. "
    "Then use File, Import in the app (or the command "
    "'coordinator-app import WORKBOOK.xlsx'): every problem is listed with its sheet and row, "
    "and nothing is imported until there are none. Importing the same workbook twice adds "
    "nothing the second time.",
)


def _choices(spec: ColumnSpec) -> list[str] | None:
    if spec.vocabulary is not None:
        return [member.label for member in spec.vocabulary]
    if spec.yes_no:
        return ["Yes", "No"]
    return None


def _build(workbook: Workbook, rows: Mapping[str, Sequence[Sequence[Any]]]) -> None:
    first = True
    for sheet, specs in SHEETS.items():
        if first:
            ws = workbook.active
            ws.title = sheet
            first = False
        else:
            ws = workbook.create_sheet(sheet)
        headers = [spec.name for spec in specs]
        data = rows.get(sheet, ())
        write_table(ws, headers, data, min_width=12)
        last = max(VALIDATION_ROWS, len(data) + 1)
        for index, spec in enumerate(specs, start=1):
            letter = get_column_letter(index)
            choices = _choices(spec)
            if choices:
                validation = DataValidation(
                    type="list",
                    formula1='"' + ",".join(choices) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=spec.name,
                    error=f"Choose one of: {', '.join(choices)}.",
                )
                validation.add(f"{letter}2:{letter}{last}")
                ws.add_data_validation(validation)
            if spec.is_date:
                for row in range(2, len(data) + 2):
                    ws.cell(row=row, column=index).number_format = "dd/mm/yyyy"
    notes = workbook.create_sheet(NOTES_SHEET)
    lines: list[tuple[str, str, str, str]] = [(_INTRO[0], "", "", _INTRO[1])]
    for sheet, specs in SHEETS.items():
        for spec in specs:
            choices = _choices(spec)
            allowed = ", ".join(choices) if choices else ""
            lines.append((sheet, spec.name, "Yes" if spec.required else "", spec.note
                          + (f" Allowed: {allowed}." if allowed else "")))  # fmt: skip
    write_table(notes, ("Sheet", "Column", "Required", "Explanation"), lines, max_width=90)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in range(2, len(lines) + 2):
        notes.cell(row=row, column=4).alignment = wrap


def write_import_template(path: str | os.PathLike[str]) -> Path:
    """Write an empty import workbook (headers, drop-down lists, a Notes sheet) at ``path``;
    written beside it and renamed into place, so never half-written."""

    def write(temp: Path) -> None:
        workbook = Workbook()
        _build(workbook, {})
        workbook.save(temp)

    return atomic_write(path, write)


def example_rows() -> dict[str, list[list[Any]]]:
    """A small, realistic filled-in example (Rugby and Coventry), as rows per sheet."""
    framework, version = DEFAULT_FRAMEWORK
    return {
        "Participants": [
            ["Zoë Hart", "Service user", "Rugby", "", "zoe.hart@example.org", "07700 900123",
             "Yes", "Yes", date(2024, 11, 4)],
            ["Siân O'Neill", "Carer", "Rugby", "Rugby Carers Centre", "", "", "No", "No",
             date(2024, 11, 4)],
            ["Seán Murphy", "Representative", "Coventry", "Healthwatch Coventry",
             "sean@example.org", "", "Yes", "Yes", date(2025, 1, 15)],
            ["Dr Priya Shah", "Staff", "Rugby", "Rugby Community Mental Health Team",
             "priya.shah@example.nhs.uk", "", "Yes", "Yes", None],
        ],
        "Meetings": [
            ["RUG-2501", "Rugby", "Rugby Locality Forum", date(2025, 1, 14), time(14, 0),
             "Benn Hall", "In person", "Held"],
            ["RUG-2502", "Rugby", "Rugby Locality Forum", date(2025, 2, 11), time(14, 0),
             "Benn Hall", "Hybrid", "Held"],
            ["COV-2502", "Coventry", "Coventry Carers Forum", date(2025, 2, 20), time(10, 30),
             "Online", "Online", "Held"],
        ],
        "Attendance": [
            ["RUG-2501", "Zoë Hart", "Present", None, None],
            ["RUG-2501", "Siân O'Neill", "Present", None, None],
            ["RUG-2501", "Dr Priya Shah", "Present", None, None],
            ["RUG-2501", None, None, "Service user", 3],
            ["RUG-2502", "Zoë Hart", "Apologies", None, None],
            ["RUG-2502", "Siân O'Neill", "Present", None, None],
            ["RUG-2502", None, None, "Carer", 2],
            ["COV-2502", "Seán Murphy", "Present", None, None],
        ],
        "Actions": [
            ["RUG-A1", "RUG-2501", "Put the crisis line number on every appointment letter",
             "Raised by service users who could not find it.", "Dr Priya Shah", "Team/ward",
             "Our care", date(2025, 1, 14), date(2025, 3, 31), "Completed", date(2025, 3, 3),
             "Letters changed from March 2025.", None],
            ["RUG-A2", "RUG-2502", "Offer evening forum meetings for carers who work", "",
             "Coordinator", "Locality", "Our partnerships", date(2025, 2, 11),
             date(2025, 6, 30), "In progress", None, "", None],
            ["COV-A1", None, "Translate the carers' leaflet into Punjabi and Polish", "",
             "Communications team", "Strategic", "Our care", date(2025, 2, 20),
             date(2025, 5, 31), "Open", None, "", "Coventry"],
        ],
        "Experience": [
            ["RUG-2501", None, "Concern", "Access", "Crisis team",
             "It took three days to get a call back after asking for help.",
             "Shared with the crisis team manager; call-back target now 24 hours.", None],
            ["RUG-2501", None, "Compliment", "Staff attitude", "Ward 3",
             "Nurses on Ward 3 were kind and explained everything.", "Passed on to the ward.",
             None],
            ["COV-2502", date(2025, 2, 20), "Suggestion", "Information", "Carers support",
             "A leaflet for carers in other languages would help.", "", None],
        ],
        "Payments": [
            ["RUG-2501", "Zoë Hart", "Paid", 25, 6.4],
            ["RUG-2501", "Siân O'Neill", "Declined", 0, 0],
            ["RUG-2502", "Siân O'Neill", "Paid", "25.00", "4.20"],
        ],
        "Standard checks": [
            ["Rugby", framework, version, date(2025, 3, 10), "Self-review", "Draft", "1.1",
             "Met", "Care plans show service users' own words."],
            ["Rugby", framework, version, date(2025, 3, 10), "Self-review", "Draft", "1.2",
             "Partly met", "Not yet in every team."],
            ["Rugby", framework, version, date(2025, 3, 10), "Self-review", "Draft", "2.1",
             "Met", "Forum minutes for the last year."],
        ],
    }  # fmt: skip


def write_import_example(path: str | os.PathLike[str]) -> Path:
    """Write the filled-in example import workbook at ``path``."""

    def write(temp: Path) -> None:
        workbook = Workbook()
        _build(workbook, example_rows())
        workbook.save(temp)

    return atomic_write(path, write)


__all__ = ["example_rows", "write_import_example", "write_import_template"]
