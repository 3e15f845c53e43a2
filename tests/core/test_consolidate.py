"""Consolidating monthly returns (docs/monthly-return.md#consolidation): all or nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from coordinator_app.core.consolidate import SUMMARY_HEADERS, consolidate
from coordinator_app.core.db import Database
from coordinator_app.core.errors import CoordinatorError, WorkbookError
from coordinator_app.core.figures import SUMMARY_MEASURES, MonthFigures
from coordinator_app.core.models import (
    Action,
    Attendance,
    Forum,
    Locality,
    Meeting,
    Participant,
    UnnamedAttendance,
)
from coordinator_app.core.returns import (
    HEADERS,
    ExportCancelled,
    ReturnContent,
    build_workbook,
    export_return,
)
from coordinator_app.core.rules import Month
from coordinator_app.core.vocab import ActionLevel, Category, ForumKind, MeetingStatus

SEPTEMBER, OCTOBER = Month(2026, 9), Month(2026, 10)


def _fill(db: Database) -> None:
    """Rugby and Coventry: a held meeting each month, with attendances and an overdue action."""
    with db.transaction() as s:
        for name, code, extra in [("Rugby", "RUG", 0), ("Coventry", "COV", 2)]:
            loc = Locality(name=name, code=code)
            forum = Forum(locality=loc, name=f"{name} Forum", kind=ForumKind.LOCALITY_FORUM)
            zoe = Participant(name=f"Zoë O'Neill {code}", category=Category.SERVICE_USER)
            s.add_all([loc, forum, zoe])
            for month in (SEPTEMBER, OCTOBER):
                m = Meeting(
                    reference=f"{code}-{month}",
                    forum=forum,
                    meeting_date=month.first,
                    status=MeetingStatus.HELD,
                )
                s.add(m)
                s.add(Attendance(meeting=m, participant=zoe))
                s.add(UnnamedAttendance(meeting=m, category=Category.CARER, count=extra + 1))
                s.add(
                    Action(
                        reference=f"{code}-A{month.month}",
                        locality=loc,
                        meeting=m,
                        raised_on=month.first,
                        due_on=month.first,
                        title=f"Ask Zoë O'Neill {code} =1+1",
                        level=ActionLevel.LOCALITY,
                    )
                )


def _returns(db: Database, folder: Path) -> list[Path]:
    paths = []
    for locality in ("Rugby", "Coventry"):
        for month in (SEPTEMBER, OCTOBER):
            paths.append(
                export_return(
                    db,
                    locality=locality,
                    month=month,
                    target=folder / f"{locality}-{month}.xlsx",
                    app_version="0.1.0",
                )
            )
    return paths


@pytest.fixture
def four_returns(db: Database, tmp_path: Path) -> list[Path]:
    _fill(db)
    return _returns(db, tmp_path)


def _rows(path: Path, sheet: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def test_consolidation_has_a_summary_row_per_locality_and_month(
    four_returns: list[Path], tmp_path: Path
) -> None:
    target = tmp_path / "all.xlsx"
    summary = consolidate(four_returns, target)
    assert summary.returns == 4
    assert summary.localities == ("Coventry", "Rugby")
    assert summary.months == ("2026-09", "2026-10")
    rows = _rows(target, "Summary")
    assert rows[0] == list(SUMMARY_HEADERS)
    assert rows[0][:3] == ["Locality", "Month", "Meetings held"]
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("Coventry", "2026-09"),
        ("Coventry", "2026-10"),
        ("Rugby", "2026-09"),
        ("Rugby", "2026-10"),
    ]
    column = {name: i for i, name in enumerate(rows[0])}
    rugby_october = rows[4]
    assert rugby_october[column["Attendances"]] == 2
    assert rugby_october[column["Actions open at month end"]] == 2
    assert rugby_october[column["Actions overdue at month end"]] == 2
    assert rows[2][column["Attendances"]] == 4  # Coventry: Zoë + 3 unnamed carers
    assert rugby_october[column["Accreditation result"]] == "None"


def test_record_sheets_have_locality_and_month_in_front(
    four_returns: list[Path], tmp_path: Path
) -> None:
    target = tmp_path / "all.xlsx"
    summary = consolidate(four_returns, target)
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == [
        "Summary",
        "Charts",
        "Actions",
        "Meetings",
        "Experience",
        "Accreditation",
        "Polls",
    ]
    for sheet in ("Actions", "Meetings", "Experience", "Accreditation", "Polls"):
        header = [c.value for c in wb[sheet][1]]
        assert header == ["Locality", "Month", *HEADERS[sheet]], sheet
        assert wb[sheet].freeze_panes == "A2"
    actions = _rows(target, "Actions")[1:]
    # September's action is still open in October, so October lists both.
    assert len(actions) == 2 + 4 == summary.rows["Actions"]
    first = actions[0]
    assert first[:3] == ["Coventry", "2026-09", "COV-A9"]
    assert first[3] == date(2026, 9, 1)
    assert first[5] == "Ask [service user] =1+1"
    meetings = _rows(target, "Meetings")[1:]
    assert len(meetings) == 4
    assert meetings[0][2] == date(2026, 9, 1)
    assert wb["Actions"]["F2"].data_type == "s"


def test_consolidation_draws_charts_comparing_localities_and_a_trend(
    four_returns: list[Path], tmp_path: Path
) -> None:
    target = tmp_path / "all.xlsx"
    consolidate(four_returns, target)
    wb = openpyxl.load_workbook(target)
    assert len(wb["Charts"]._charts) == 3
    charts = _rows(target, "Charts")
    assert charts[0][:3] == [
        "Locality",
        "Attendances (all months)",
        "Actions overdue at latest month end",
    ]
    assert charts[1][:3] == ["Coventry", 8, 2]
    assert charts[2][:3] == ["Rugby", 4, 2]


def test_duplicate_locality_and_month_is_refused_and_nothing_written(
    four_returns: list[Path], db: Database, tmp_path: Path
) -> None:
    again = export_return(
        db,
        locality="Rugby",
        month=OCTOBER,
        target=tmp_path / "rugby-again.xlsx",
        app_version="0.1.0",
    )
    target = tmp_path / "all.xlsx"
    with pytest.raises(WorkbookError) as caught:
        consolidate([*four_returns, again], target)
    assert not target.exists()
    assert caught.value.problems == [
        "rugby-again.xlsx: Rugby 2026-10 is also in Rugby-2026-10.xlsx; each locality and month "
        "may come only once."
    ]
    assert "nothing was written" in caught.value.summary


def _set_format_version(path: Path, version: Any) -> None:
    wb = openpyxl.load_workbook(path)
    for row in wb["Return"].iter_rows(min_row=2):
        if row[0].value == "Format version":
            row[1].value = version
    wb.save(path)


def test_every_malformed_file_is_named_with_its_reason_and_the_old_target_kept(
    four_returns: list[Path], tmp_path: Path
) -> None:
    not_a_return = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Cost centre", "Amount"])
    wb.save(not_a_return)
    _set_format_version(four_returns[1], 2)
    text_file = tmp_path / "notes.xlsx"
    text_file.write_text("hello", encoding="utf-8")
    target = tmp_path / "all.xlsx"
    target.write_bytes(b"last month's consolidation")
    with pytest.raises(WorkbookError) as caught:
        consolidate([*four_returns, not_a_return, text_file], target)
    assert target.read_bytes() == b"last month's consolidation"
    problems = caught.value.problems
    assert len(problems) == 3
    assert problems[0].startswith("Rugby-2026-10.xlsx: Sheet 'Return' row 8: Format version is 2")
    assert problems[1].startswith("budget.xlsx is not a monthly return")
    assert problems[2].startswith("notes.xlsx is not an Excel workbook (.xlsx)")
    assert caught.value.summary == "3 of 6 returns were refused, so nothing was written."
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_missing_sheet_or_header_is_refused(four_returns: list[Path], tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(four_returns[0])
    del wb["Experience"]
    wb["Meetings"]["B1"].value = "Group"
    wb.save(four_returns[0])
    target = tmp_path / "all.xlsx"
    with pytest.raises(WorkbookError) as caught:
        consolidate(four_returns, target)
    assert not target.exists()
    (problem,) = caught.value.problems
    assert problem.startswith(f"{four_returns[0].name}: ")
    assert "Sheet 'Experience' is missing." in problem
    assert "Sheet 'Meetings' row 1: the headers should be Date, Forum," in problem


def test_no_paths_and_cancel_write_nothing(four_returns: list[Path], tmp_path: Path) -> None:
    target = tmp_path / "all.xlsx"
    with pytest.raises(CoordinatorError, match="at least one"):
        consolidate([], target)
    with pytest.raises(ExportCancelled):
        consolidate(four_returns, target, cancelled=lambda: True)
    assert not target.exists()


def _synthetic(locality: str, month: Month, rows: int) -> ReturnContent:
    figures = MonthFigures(*([7] * 17), Decimal("45.00"), Decimal("3.40"), 2, 3, "Deferred", 66.7)
    assert len(figures.rows()) == len(SUMMARY_MEASURES)
    day = month.first
    tables = {
        "Meetings": [(day, "Forum", "In person", "Held", 7, 1, 1, 1, 1, 1, 2, 3)] * 4,
        "Actions": [
            (
                f"A{i}",
                day,
                "Experience item",
                "Title " * 8,
                "Locality",
                "Our care",
                "Staff",
                day,
                "Open",
                None,
                3,
                "Outcome text " * 5,
            )
            for i in range(rows)
        ],
        "Experience": [(day, "Forum", "Concern", "Access", "Crisis", "Summary " * 20, "")] * rows,
        "Accreditation": [("1.1", "Domain", "Standard", 1, "Met", day)] * 30,
        "Polls": [(day, "Forum", "Question?", "Yes", 5)] * 6,
    }
    return ReturnContent(
        trust="Trust",
        locality=locality,
        month=month,
        prepared_by="Ceri",
        generated_at=datetime(2026, 11, 2, 9, 30),
        app_version="0.1.0",
        figures=figures,
        tables=tables,
    )


def test_a_year_of_eight_localities_consolidates_with_progress(tmp_path: Path) -> None:
    """Many returns at once (speed is measured by the benchmarks, not asserted here)."""
    paths = []
    month = Month(2026, 1)
    for _ in range(3):
        for locality in (
            "Coventry",
            "Rugby",
            "North Warwickshire",
            "South Warwickshire",
            "Solihull",
            "Nuneaton",
            "Bedworth",
            "Leamington",
        ):
            path = tmp_path / f"{locality}-{month}.xlsx"
            build_workbook(_synthetic(locality, month, 20)).save(path)
            paths.append(path)
        month = month.following()
    assert len(paths) == 24
    seen: list[int] = []
    summary = consolidate(paths, tmp_path / "all.xlsx", progress=lambda d, t: seen.append(d))
    assert summary.returns == 24
    assert summary.rows["Actions"] == 24 * 20
    assert seen == sorted(seen)
    assert seen[-1] == len(paths) + 8
