"""The framework workbook: reading, validation, import, export, and the default framework."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from coordinator_app.core.db import Database, open_database
from coordinator_app.core.errors import CoordinatorError, WorkbookError
from coordinator_app.core.models import AuditEntry, Standard, StandardsFramework
from coordinator_app.core.standards import (
    FrameworkData,
    StandardData,
    default_framework,
    export_framework,
    framework_data,
    import_framework,
    list_frameworks,
    load_default_framework,
    read_framework_workbook,
    write_framework_workbook,
)
from coordinator_app.core.vocab import AuditOperation

HEADERS = ["Code", "Domain", "Title", "Description", "Evidence guidance", "Criticality"]


def _standard_rows() -> list[list[Any]]:
    return [
        ["1.1", "Involvement in own care", "Care plans with the person", "Desc", "Look at", 1],
        ["1.2", "Involvement in own care", "Carers involved", "Siân's wording", "Ask Zoë", 2],
        ["2.1", "Forums and feedback", "Forum meets", "", "", 3],
    ]


def _write(
    path: Path,
    *,
    fields: list[list[Any]] | None = None,
    headers: list[Any] | None = None,
    rows: list[list[Any]] | None = None,
    sheets: tuple[str, ...] = ("Framework", "Standards"),
) -> Path:
    """A framework workbook built cell by cell, as a coordinator's Excel would hold it."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    if "Framework" in sheets:
        sheet = workbook.create_sheet("Framework")
        sheet.append(["Field", "Value"])
        for row in (
            fields
            if fields is not None
            else [["Name", "Test Standards"], ["Version", "1.0"], ["Issued on", "2026-04-01"]]
        ):
            sheet.append(row)
    if "Standards" in sheets:
        sheet = workbook.create_sheet("Standards")
        sheet.append(headers if headers is not None else HEADERS)
        for row in rows if rows is not None else _standard_rows():
            sheet.append(row)
    workbook.save(path)
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        read_framework_workbook(path)
    assert caught.value.summary == f"{path.name} is not a framework workbook I can load."
    return caught.value.problems


# --- Reading ---------------------------------------------------------------------------------


def test_reads_a_well_formed_workbook(tmp_path: Path) -> None:
    data = read_framework_workbook(_write(tmp_path / "f.xlsx"))
    assert data.name == "Test Standards"
    assert data.version == "1.0"
    assert data.issued_on == date(2026, 4, 1)
    assert [s.code for s in data.standards] == ["1.1", "1.2", "2.1"]
    assert data.standards[1] == StandardData(
        "1.2", "Involvement in own care", "Carers involved", "Siân's wording", "Ask Zoë", 2
    )
    assert data.domains == ("Involvement in own care", "Forums and feedback")
    assert (data.c1_met_pct, data.c2_met_pct, data.c3_met_pct) == (None, None, None)


def test_headers_match_in_any_case_extra_columns_ignored_and_empty_rows_skipped(
    tmp_path: Path,
) -> None:
    headers = ["criticality", "  CODE ", "Notes", "title", "Domain", "evidence GUIDANCE"]
    rows = [
        [2, "3.1", "ignored", "Actions have owners", "You said - we did", "Action log"],
        [None, None, None, None, None, None],
        ["", "  ", None, "", None, None],
        ["essential", "3.2", None, "Answers given", "You said - we did", None],
    ]
    data = read_framework_workbook(_write(tmp_path / "f.xlsx", headers=headers, rows=rows))
    assert [(s.code, s.criticality, s.description) for s in data.standards] == [
        ("3.1", 2, ""),
        ("3.2", 1, ""),
    ]
    assert data.standards[0].evidence_guidance == "Action log"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 4, 1), date(2026, 4, 1)),
        ("2026-04-01", date(2026, 4, 1)),
        ("01/04/2026", date(2026, 4, 1)),
        (None, None),
    ],
)
def test_issued_on_accepts_excel_dates_and_both_text_forms(
    tmp_path: Path, value: Any, expected: date | None
) -> None:
    fields = [["Name", "N"], ["Version", "2"], ["Issued on", value]]
    assert read_framework_workbook(_write(tmp_path / "f.xlsx", fields=fields)).issued_on == expected


def test_numbers_typed_into_excel_come_back_as_the_text_shown(tmp_path: Path) -> None:
    fields = [["Name", "N"], ["Version", 2], ["Issued on", None]]
    rows = [[1.1, "D", "T", "", "", 1.0], [2, "D", "U", "", "", "3"]]
    data = read_framework_workbook(_write(tmp_path / "f.xlsx", fields=fields, rows=rows))
    assert data.version == "2"
    assert [(s.code, s.criticality) for s in data.standards] == [("1.1", 1), ("2", 3)]


def test_thresholds_are_read_as_percent_including_percent_formatted_cells(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "f.xlsx",
        fields=[
            ["Name", "N"],
            ["Version", "1"],
            ["criticality 1 met (%)", 95],
            ["Criticality 2 met (%)", "75%"],
            ["Criticality 3 met (%)", 0.5],
        ],
    )
    workbook = load_workbook(path)
    workbook["Framework"]["B6"].number_format = "0%"
    workbook.save(path)
    data = read_framework_workbook(path)
    assert (data.c1_met_pct, data.c2_met_pct, data.c3_met_pct) == (95.0, 75.0, 50.0)


# --- Refusing bad workbooks, every problem named by sheet and row ----------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"sheets": ("Standards",)},
            "Sheet 'Framework': the workbook has no sheet of this name.",
        ),
        (
            {"sheets": ("Framework",)},
            "Sheet 'Standards': the workbook has no sheet of this name.",
        ),
        (
            {"headers": ["Code", "Domain", "Description", "Criticality"]},
            "Sheet 'Standards' row 1: the column 'Title' is missing.",
        ),
        (
            {"rows": [*_standard_rows(), ["1.2", "Forums and feedback", "Again", "", "", 2]]},
            "Sheet 'Standards' row 5: code 1.2 is used twice (first on row 3).",
        ),
        (
            {"rows": [["1.1", "D", "T", "", "", 4]]},
            "Sheet 'Standards' row 2: Criticality '4' is not 1 (essential), 2 (expected) or "
            "3 (desirable).",
        ),
        (
            {"rows": [["1.1", "D", "T", "", "", "x"], ["1.2", "D", "T", "", "", "high"]]},
            "Sheet 'Standards' row 3: Criticality 'high' is not 1 (essential), 2 (expected) or "
            "3 (desirable).",
        ),
        (
            {"rows": [["1.1", "D", "T", "", "", None]]},
            "Sheet 'Standards' row 2: Criticality is blank; it must be 1 (essential), "
            "2 (expected) or 3 (desirable).",
        ),
        ({"rows": [["1.1", "D", "  ", "", "", 1]]}, "Sheet 'Standards' row 2: Title is blank."),
        ({"rows": [[None, "D", "T", "", "", 1]]}, "Sheet 'Standards' row 2: Code is blank."),
        ({"rows": [["1.1", "", "T", "", "", 1]]}, "Sheet 'Standards' row 2: Domain is blank."),
        (
            {"rows": []},
            "Sheet 'Standards': there are no standards below the header row.",
        ),
        (
            {"fields": [["Name", "N"], ["Version", "1"], ["Criticality 2 met (%)", "lots"]]},
            "Sheet 'Framework' row 4: Criticality 2 met (%) 'lots' is not a percentage from 0 "
            "to 100.",
        ),
        (
            {"fields": [["Name", "N"], ["Version", "1"], ["Criticality 1 met (%)", 150]]},
            "Sheet 'Framework' row 4: Criticality 1 met (%) '150' is not a percentage from 0 "
            "to 100.",
        ),
        (
            {"fields": [["Version", "1"]]},
            "Sheet 'Framework': there is no Name row; add one with 'Name' in the Field column.",
        ),
        (
            {"fields": [["Name", "N"], ["Version", None]]},
            "Sheet 'Framework' row 3: Version is blank.",
        ),
        (
            {"fields": [["Name", "N"]]},
            "Sheet 'Framework': there is no Version row; add one with 'Version' in the Field "
            "column.",
        ),
        (
            {"fields": [["Name", "N"], ["Version", "1"], ["Issued on", "April 2026"]]},
            "Sheet 'Framework' row 4: Issued on 'April 2026' is not a date; write it as "
            "YYYY-MM-DD or DD/MM/YYYY.",
        ),
        (
            {"fields": [["Name", "N"], ["Version", "1"], ["Issued on", "31/02/2026"]]},
            "Sheet 'Framework' row 4: Issued on '31/02/2026' is not a date; write it as "
            "YYYY-MM-DD or DD/MM/YYYY.",
        ),
    ],
)
def test_each_bad_workbook_is_refused_naming_sheet_and_row_and_nothing_is_loaded(
    db: Database, tmp_path: Path, change: dict[str, Any], expected: str
) -> None:
    path = _write(tmp_path / "bad.xlsx", **change)
    assert expected in _problems(path)
    with pytest.raises(WorkbookError):
        import_framework(db, path)
    assert list_frameworks(db) == []
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Standard)) == 0


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bad.xlsx",
        fields=[["Name", ""], ["Version", "1"]],
        rows=[
            ["1.1", "D", "T", "", "", 4],
            ["1.1", "D", "", "", "", 1],
            ["1.3", "D", "T", "", "", "high"],
        ],
    )
    problems = _problems(path)
    assert problems == [
        "Sheet 'Framework' row 2: Name is blank.",
        "Sheet 'Standards' row 2: Criticality '4' is not 1 (essential), 2 (expected) or "
        "3 (desirable).",
        "Sheet 'Standards' row 3: Title is blank.",
        "Sheet 'Standards' row 3: code 1.1 is used twice (first on row 2).",
        "Sheet 'Standards' row 4: Criticality 'high' is not 1 (essential), 2 (expected) or "
        "3 (desirable).",
    ]


def test_a_workbook_missing_several_columns_names_each(tmp_path: Path) -> None:
    problems = _problems(_write(tmp_path / "bad.xlsx", headers=["Ref", "Title"], rows=[]))
    assert problems == [
        "Sheet 'Standards' row 1: the column 'Code' is missing.",
        "Sheet 'Standards' row 1: the column 'Domain' is missing.",
        "Sheet 'Standards' row 1: the column 'Criticality' is missing.",
    ]


def _not_xlsx_message(path: Path) -> str:
    with pytest.raises(WorkbookError) as caught:
        read_framework_workbook(path)
    assert caught.value.problems == []
    assert "\n" not in str(caught.value)
    return str(caught.value)


def test_a_csv_holds_one_sheet_so_a_framework_is_refused_naming_the_missing_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "standards.csv"
    path.write_text("Code,Domain,Title\n1.1,D,T\n", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        read_framework_workbook(path)
    assert "Sheet 'Framework': the workbook has no sheet of this name." in caught.value.problems


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "standards.txt"
    path.write_text("Code,Domain,Title\n1.1,D,T\n", encoding="utf-8")
    assert "standards.txt is not a spreadsheet this app reads" in _not_xlsx_message(path)


def test_a_damaged_xls_is_refused_in_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    assert "old.xls is damaged or incomplete" in _not_xlsx_message(path)


def test_a_password_protected_workbook_is_refused_in_one_sentence(tmp_path: Path) -> None:
    # Excel saves an encrypted xlsx as an OLE compound file holding an EncryptedPackage stream.
    path = tmp_path / "locked.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 500
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 500
    )
    assert "locked.xlsx is protected with a password" in _not_xlsx_message(path)


def test_a_truncated_workbook_is_refused_in_one_sentence(tmp_path: Path) -> None:
    whole = _write(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert "cut.xlsx is damaged or incomplete" in _not_xlsx_message(path)


def test_a_workbook_with_a_damaged_sheet_is_refused_in_one_sentence(tmp_path: Path) -> None:
    whole = _write(tmp_path / "whole.xlsx")
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    assert "damaged.xlsx is damaged" in _not_xlsx_message(path)


def test_a_missing_file_is_refused_in_one_sentence(tmp_path: Path) -> None:
    assert "There is no file at" in _not_xlsx_message(tmp_path / "nowhere.xlsx")


def test_an_xlsx_saved_under_another_extension_is_still_read(tmp_path: Path) -> None:
    path = _write(tmp_path / "framework.xlsx").rename(tmp_path / "framework.dat")
    assert read_framework_workbook(path).name == "Test Standards"


# --- Import, export, list ------------------------------------------------------------------


def test_import_loads_standards_in_order_with_an_audit_record(db: Database, tmp_path: Path) -> None:
    info = import_framework(db, _write(tmp_path / "f.xlsx"))
    assert (info.name, info.version, info.issued_on, info.standard_count) == (
        "Test Standards",
        "1.0",
        date(2026, 4, 1),
        3,
    )
    assert list_frameworks(db) == [info]
    with db.session() as session:
        data = framework_data(session, info.id)
        assert [s.code for s in data.standards] == ["1.1", "1.2", "2.1"]
        entries = session.scalars(select(AuditEntry)).all()
        assert [(e.operation, e.entity_id) for e in entries] == [(AuditOperation.IMPORT, info.id)]


def test_the_same_name_and_version_is_refused_and_nothing_is_written(
    db: Database, tmp_path: Path
) -> None:
    import_framework(db, _write(tmp_path / "f.xlsx"))
    other_rows = [["9.9", "Other", "Other", "", "", 1]]
    again = _write(
        tmp_path / "again.xlsx",
        fields=[["Name", "test standards"], ["Version", "1.0"]],
        rows=other_rows,
    )
    with pytest.raises(CoordinatorError) as caught:
        import_framework(db, again)
    assert str(caught.value) == "The framework 'test standards' version 1.0 is already loaded."
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(StandardsFramework)) == 1
        assert session.scalar(select(func.count()).select_from(Standard)) == 3
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_a_new_version_sits_beside_the_old(db: Database, tmp_path: Path) -> None:
    import_framework(db, _write(tmp_path / "v1.xlsx"))
    fields = [["Name", "Test Standards"], ["Version", "1.1"], ["Issued on", "01/10/2026"]]
    import_framework(db, _write(tmp_path / "v2.xlsx", fields=fields))
    assert [(f.version, f.standard_count) for f in list_frameworks(db)] == [("1.0", 3), ("1.1", 3)]


def test_export_then_import_into_an_empty_database_gives_the_same_framework(
    db: Database, tmp_path: Path
) -> None:
    source = FrameworkData(
        name="Zoë's Standards",
        version="2.0",
        issued_on=date(2026, 1, 31),
        standards=(
            StandardData("1.1", "Forums", "=SUM(A1)", "+ starts with plus", "-dash\nline two", 1),
            StandardData("1.10", "Forums", "Ten", "", "", 2),
            StandardData("1.2", "Recognition and payment", "O'Neill's rule", "@at", "", 3),
        ),
        c1_met_pct=95.0,
        c2_met_pct=None,
        c3_met_pct=55.5,
    )
    first = write_framework_workbook(source, tmp_path / "source.xlsx")
    framework_id = import_framework(db, first).id
    exported = export_framework(db, framework_id, tmp_path / "exported.xlsx")

    other = open_database(tmp_path / "other.db")
    try:
        info = import_framework(other, exported)
        with other.session() as session:
            assert framework_data(session, info.id) == source
    finally:
        other.dispose()


def test_export_writes_bold_frozen_headers_and_text_codes(db: Database, tmp_path: Path) -> None:
    framework_id = import_framework(db, _write(tmp_path / "f.xlsx")).id
    path = export_framework(db, framework_id, tmp_path / "out.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Framework", "Standards"]
    standards = workbook["Standards"]
    assert [c.value for c in standards[1]] == HEADERS
    assert all(c.font.bold for c in standards[1])
    assert standards.freeze_panes == "A2"
    assert standards["A2"].data_type == "s"
    assert standards["F2"].value == 1
    assert standards.column_dimensions["C"].width > 10
    fields = {row[0].value: row[1].value for row in workbook["Framework"].iter_rows(min_row=2)}
    assert fields["Issued on"] == datetime(2026, 4, 1)
    assert not any(p.name.startswith(".out") for p in tmp_path.iterdir())


# --- The default framework -----------------------------------------------------------------


def test_the_default_framework_loads_once_and_covers_the_domains(db: Database) -> None:
    with db.transaction() as session:
        first = load_default_framework(session)
    with db.transaction() as session:
        assert load_default_framework(session) == first
    [info] = list_frameworks(db)
    assert info.id == first
    assert info.name == "Locality Involvement Accreditation Standards"
    assert (info.version, info.issued_on) == ("1.0", date(2026, 4, 1))
    assert 25 <= info.standard_count <= 40
    with db.session() as session:
        data = framework_data(session, first)
    assert len(data.domains) >= 6
    assert {"Involvement in own care", "You said - we did", "Recognition and payment"} <= set(
        data.domains
    )
    assert {s.criticality for s in data.standards} == {1, 2, 3}
    assert all(s.description and s.evidence_guidance for s in data.standards)
    assert len({s.code for s in data.standards}) == len(data.standards)


def test_the_default_framework_rolls_back_with_its_callers_transaction(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction() as session:
        load_default_framework(session)
        raise RuntimeError("the demo generator failed")
    assert list_frameworks(db) == []


def test_the_shipped_workbook_matches_its_generator() -> None:
    from importlib.util import module_from_spec, spec_from_file_location

    from coordinator_app.core.resources import resource_path

    spec = spec_from_file_location(
        "build_default_framework", resource_path("standards", "build_default_framework.py")
    )
    assert spec is not None and spec.loader is not None
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    assert default_framework() == module.framework()
