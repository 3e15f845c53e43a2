"""Every spreadsheet a coordinator has (issue #24 item 6): ``import``, ``consolidate`` and
``standards import`` read .xlsx, .xlsm, .xls and .ods (python-calamine for the last two) and .csv,
and a file saved again by LibreOffice reads exactly as the .xlsx it came from.

The .ods and .xls of the shipped examples are committed (``fixtures/spreadsheets``, made once
with LibreOffice); the tests that save a return again need ``soffice`` and say so when it is
missing."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from coordinator_app.core import meetings
from coordinator_app.core.consolidate import check_each, consolidate
from coordinator_app.core.db import Database
from coordinator_app.core.errors import WorkbookError
from coordinator_app.core.importer import import_workbook, read_import_workbook
from coordinator_app.core.resources import resource_path
from coordinator_app.core.returns import export_return
from coordinator_app.core.rules import Month
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.standards import read_framework_workbook
from coordinator_app.core.vocab import ForumKind, MeetingStatus

FIXTURES = Path(__file__).parent / "fixtures" / "spreadsheets"
EXAMPLE = resource_path("samples", "import-example.xlsx")
FRAMEWORK = resource_path("standards", "default-framework.xlsx")
TODAY = date(2026, 12, 1)


def saved_by_libreoffice(source: Path, suffix: str, folder: Path) -> Path:
    """``source`` saved again by LibreOffice as ``suffix`` (``ods``, ``xls``, ``xlsx``)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc")
    profile = folder / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            suffix,
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / f"{source.stem}.{suffix}"


@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_the_example_import_saved_by_libreoffice_reads_the_same_rows(suffix: str) -> None:
    """Before: the .ods was "damaged or incomplete" and the .xls "an old-style Excel file"."""
    xlsx = read_import_workbook(EXAMPLE, today=TODAY)
    other = read_import_workbook(FIXTURES / f"import-example.{suffix}", today=TODAY)
    assert other.problems == xlsx.problems
    assert other.counts == xlsx.counts
    for field in dataclasses.fields(xlsx.rows):
        assert getattr(other.rows, field.name) == getattr(xlsx.rows, field.name), field.name
    assert sum(c.new for c in other.counts.values()) >= 20


@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_importing_the_ods_or_xls_adds_what_the_xlsx_adds(
    db: Database, tmp_path: Path, suffix: str
) -> None:
    from coordinator_app.core.standards import import_framework

    import_framework(db, FRAMEWORK)  # the example's standard checks name it
    done = import_workbook(db, FIXTURES / f"import-example.{suffix}", today=TODAY)
    assert sum(done.added.values()) > 0
    again = import_workbook(db, EXAMPLE, today=TODAY)  # the same rows: nothing new
    assert sum(again.added.values()) == 0


@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_a_framework_saved_by_libreoffice_reads_the_same(suffix: str) -> None:
    assert read_framework_workbook(FIXTURES / f"default-framework.{suffix}") == (
        read_framework_workbook(FRAMEWORK)
    )


def test_an_ods_percentage_is_read_as_the_percent_shown(tmp_path: Path) -> None:
    """calamine gives 0.8 for a cell showing 80%; the .ods's own XML says it is a percentage."""
    book = openpyxl.load_workbook(FRAMEWORK)
    book["Framework"].append(["Criticality 1 met (%)", 0.8])
    book["Framework"].cell(row=book["Framework"].max_row, column=2).number_format = "0%"
    source = tmp_path / "framework.xlsx"
    book.save(source)
    ods = saved_by_libreoffice(source, "ods", tmp_path / "out")
    assert read_framework_workbook(ods).c1_met_pct == 80.0
    assert read_framework_workbook(source).c1_met_pct == 80.0


def test_a_csv_is_one_sheet_named_by_its_file_or_chosen(db: Database, tmp_path: Path) -> None:
    rows = "Name,Category,Consent to contact\nZoë Hart,Carer,no\nSeán Ó Briain,Service user,\n"
    named = tmp_path / "Participants.csv"
    named.write_text(rows, encoding="utf-8-sig")  # Excel's "CSV UTF-8" has a byte order mark
    plan = read_import_workbook(named, today=TODAY)
    assert plan.problems == [] and plan.counts["Participants"].new == 2
    chosen = tmp_path / "people from the old sheet.csv"
    chosen.write_text(rows.replace(",", ";"), encoding="cp1252", errors="replace")
    assert read_import_workbook(chosen, today=TODAY).counts == {}  # no import sheet by that name
    plan = read_import_workbook(chosen, today=TODAY, sheet="Participants")
    assert plan.counts["Participants"].new == 2
    assert import_workbook(db, named, today=TODAY).added["Participants"] == 2


def test_a_file_no_program_reads_is_refused_naming_excel_and_libreoffice(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a spreadsheet", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        read_import_workbook(path)
    message = str(caught.value)
    assert "Excel" in message and "LibreOffice" in message and ".ods" in message
    assert caught.value.problems == []


@pytest.fixture
def a_return(db: Database, tmp_path: Path) -> Path:
    complete_first_run(
        db, trust_name="Test Trust", coordinator_name="Siân Evans", localities=["Rugby"]
    )
    loc = meetings.list_localities(db)[0].id
    forum = meetings.create_forum(
        db, locality_id=loc, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM
    )
    meetings.create_meeting(
        db,
        meetings.MeetingInput(
            forum_id=forum, meeting_date=date(2026, 10, 8), status=MeetingStatus.HELD
        ),
    )
    return export_return(
        db,
        locality="Rugby",
        month=Month(2026, 10),
        target=tmp_path / "Return-Rugby-2026-10.xlsx",
        app_version="test",
    )


@pytest.mark.parametrize("suffix", ["ods", "xls", "xlsx"])
def test_a_return_saved_again_by_libreoffice_consolidates_as_the_original(
    a_return: Path, tmp_path: Path, suffix: str
) -> None:
    again = saved_by_libreoffice(a_return, suffix, tmp_path / "saved")
    original, resaved = check_each([a_return])[0], check_each([again])[0]
    assert resaved.problem == "" and original.problem == ""
    assert resaved.data.summary == original.data.summary
    assert resaved.data.tables == original.data.tables
    assert resaved.data.locality == "Rugby" and resaved.data.month == Month(2026, 10)
    written = consolidate([again], tmp_path / "consolidated.xlsx")
    assert written.returns == 1


def test_a_formula_in_an_ods_return_is_refused_naming_its_cell(
    a_return: Path, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(a_return)
    book["Summary"]["B2"] = "=1+3"
    tampered = tmp_path / "tampered.xlsx"
    book.save(tampered)
    ods = saved_by_libreoffice(tampered, "ods", tmp_path / "saved")
    with zipfile.ZipFile(ods) as archive:
        assert b"table:formula=" in archive.read("content.xml")
    refused = check_each([ods])[0]
    assert "Sheet 'Summary' cell B2: a formula" in refused.problem
