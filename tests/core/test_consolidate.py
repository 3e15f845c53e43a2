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
        ("Trust total", "2026-09"),
        ("Trust total", "2026-10"),
    ]
    column = {name: i for i, name in enumerate(rows[0])}
    rugby_october = rows[4]
    assert rugby_october[column["Attendances"]] == 2
    assert rugby_october[column["Actions open at month end"]] == 2
    assert rugby_october[column["Actions overdue at month end"]] == 2
    assert rows[2][column["Attendances"]] == 4  # Coventry: Zoë + 3 unnamed carers
    assert rugby_october[column["Accreditation result"]] == "None"


def test_the_summary_ends_with_a_trust_total_row_per_month(
    four_returns: list[Path], tmp_path: Path
) -> None:
    """Counts and pounds are added; the accreditation result and standards met (%) are each
    locality's own and left empty on the trust's row."""
    target = tmp_path / "all.xlsx"
    summary = consolidate(four_returns, target)
    rows = _rows(target, "Summary")
    column = {name: i for i, name in enumerate(rows[0])}
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    assert summary.rows["Summary"] == 6
    for month in ("2026-09", "2026-10"):
        trust = by_key[("Trust total", month)]
        for measure in SUMMARY_MEASURES[:-2]:
            added = sum(by_key[(place, month)][column[measure]] for place in ("Coventry", "Rugby"))
            assert trust[column[measure]] == added, measure
        assert trust[column["Accreditation result"]] in ("", None)
        assert trust[column["Standards met (%)"]] in ("", None)
    october = by_key[("Trust total", "2026-10")]
    assert october[column["Attendances"]] == 4 + 2  # Coventry: Zoë + 3 carers; Rugby: Zoë + 1
    assert october[column["Actions overdue at month end"]] == 2 + 2


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
        "Reach",
        "Trust reach",
    ]
    for sheet in ("Actions", "Meetings", "Experience", "Accreditation", "Polls", "Reach"):
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


def test_consolidation_draws_the_board_reports_charts_and_a_trend(
    four_returns: list[Path], tmp_path: Path
) -> None:
    """The Board report's charts (board.LOCALITY_CHARTS for the latest month, the trust's
    attendances month by month), then the localities' line; Rugby's October left out."""
    target = tmp_path / "all.xlsx"
    consolidate([p for p in four_returns if p.name != "Rugby-2026-10.xlsx"], target)
    wb = openpyxl.load_workbook(target)
    titles = [
        "".join(r.t for p in c.title.tx.rich.p for r in (p.r or [])) for c in wb["Charts"]._charts
    ]
    assert titles == [
        "Attendances by locality, 2026-10",
        "Actions overdue by locality, 2026-10",
        "Experience items by locality, 2026-10",
        "Attendances across the trust, month by month",
        "Attendances month by month, by locality",
    ]
    charts = _rows(target, "Charts")
    assert charts[0][:5] == [
        "Locality",
        "Attendances",
        "Actions overdue at month end",
        "Experience items",
        "Month",
    ]
    assert charts[1][:5] == ["Coventry", 4, 2, 0, "2026-10"]
    assert charts[2][:5] == ["Rugby", "no return", "no return", "no return", "2026-10"]
    assert charts[5][:4] == ["Month", "Trust total", "Coventry", "Rugby"]
    assert charts[6][:4] == ["2026-09", 6, 4, 2]
    assert charts[7][:4] == ["2026-10", 4, 4, "no return"]


def test_one_return_alone_still_draws_every_chart(four_returns: list[Path], tmp_path: Path) -> None:
    """One locality: the by-locality table is wider than the month table (a column each)."""
    target = tmp_path / "one.xlsx"
    consolidate(four_returns[:1], target)
    assert len(openpyxl.load_workbook(target)["Charts"]._charts) == 5
    charts = _rows(target, "Charts")
    assert charts[4][:3] == ["Month", "Trust total", charts[1][0]]


def _set_field(path: Path, name: str, value: Any) -> None:
    wb = openpyxl.load_workbook(path)
    for row in wb["Return"].iter_rows(min_row=2):
        if row[0].value == name:
            row[1].value = value
    wb.save(path)


def test_a_duplicate_keeps_the_newer_by_generated_at_and_says_which_was_set_aside(
    four_returns: list[Path], db: Database, tmp_path: Path
) -> None:
    """The copy Windows names "(1)" comes first by name but is the older: it is set aside."""
    stale = tmp_path / "Rugby-2026-10 (1).xlsx"
    stale.write_bytes(four_returns[1].read_bytes())
    _set_field(stale, "Generated at", datetime(2026, 11, 1, 9, 0))
    newer = next(p for p in four_returns if p.name == "Rugby-2026-10.xlsx")
    _set_field(newer, "Generated at", datetime(2026, 11, 2, 16, 30))
    target = tmp_path / "all.xlsx"

    summary = consolidate([stale, *four_returns], target)

    assert summary.returns == 4
    assert summary.set_aside == (
        "Rugby-2026-10 (1).xlsx: Rugby 2026-10 was generated again later: Rugby-2026-10.xlsx "
        "(generated 2026-11-02 16:30) is used and this one (generated 2026-11-01 09:00) is set "
        "aside.",
    )


def test_a_duplicate_generated_at_the_same_time_is_refused_and_nothing_written(
    four_returns: list[Path], db: Database, tmp_path: Path
) -> None:
    again = tmp_path / "rugby-again.xlsx"
    again.write_bytes(four_returns[1].read_bytes())
    target = tmp_path / "all.xlsx"
    with pytest.raises(WorkbookError) as caught:
        consolidate([*four_returns, again], target)
    assert not target.exists()
    assert caught.value.problems == [
        "rugby-again.xlsx: Rugby 2026-10 is also in Rugby-2026-10.xlsx, and their Generated at "
        "cannot tell which is newer; each locality and month may come only once."
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
    _set_format_version(four_returns[1], 3)
    text_file = tmp_path / "notes.xlsx"
    text_file.write_text("hello", encoding="utf-8")
    target = tmp_path / "all.xlsx"
    target.write_bytes(b"last month's consolidation")
    with pytest.raises(WorkbookError) as caught:
        consolidate([*four_returns, not_a_return, text_file], target)
    assert target.read_bytes() == b"last month's consolidation"
    problems = caught.value.problems
    assert len(problems) == 3
    assert problems[0].startswith("Rugby-2026-10.xlsx: Sheet 'Return' row 8: Format version is 3")
    assert problems[1].startswith("budget.xlsx is not a monthly return")
    assert problems[2].startswith("notes.xlsx is not a spreadsheet this app reads")
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
    missing, headers = caught.value.problems  # one line per problem, each naming the file
    assert missing == f"{four_returns[0].name}: Sheet 'Experience' is missing."
    assert headers.startswith(
        f"{four_returns[0].name}: Sheet 'Meetings' row 1: the headers should be Date, Forum,"
    )


def test_no_paths_and_cancel_write_nothing(four_returns: list[Path], tmp_path: Path) -> None:
    target = tmp_path / "all.xlsx"
    with pytest.raises(CoordinatorError, match="at least one"):
        consolidate([], target)
    with pytest.raises(ExportCancelled):
        consolidate(four_returns, target, cancelled=lambda: True)
    assert not target.exists()


def _synthetic(locality: str, month: Month, rows: int) -> ReturnContent:
    # Four held meetings of 7 attendances each (one per category, two "other"), as the Meetings
    # sheet below says: consolidation checks the Summary against it.
    counts = (4, 0, 28, 4, 4, 4, 4, 4, 8, *([7] * 8))
    figures = MonthFigures(*counts, Decimal("45.00"), Decimal("3.40"), 2, 3, "Deferred", 66.7)
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
        "Reach": [("Sex", "Female", 7, 70.0, 51.0), ("Sex", "Male", "<5", "<5", 49.0)] * 1,
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
    assert seen[-1] == len(paths) + 10  # format version 2: Reach and Trust reach


# --- What a return cannot hold ------------------------------------------------------------------


def _summary_cell(measure: str) -> str:
    return f"B{SUMMARY_MEASURES.index(measure) + 2}"


def _set(sheet: str, cell: str, value: Any) -> Any:
    def tamper(wb: openpyxl.Workbook) -> None:
        wb[sheet][cell].value = value

    return tamper


def _add_row(sheet: str, row: list[Any]) -> Any:
    def tamper(wb: openpyxl.Workbook) -> None:
        wb[sheet].append(row)

    return tamper


def _both(*tampers: Any) -> Any:
    def tamper(wb: openpyxl.Workbook) -> None:
        for one in tampers:
            one(wb)

    return tamper


DAY = datetime(2026, 10, 1)
#: (what, tamper, the cell named, words of the reason). Rugby October holds one held meeting
#: (Zoë present, one unnamed carer: two attendances) and one open action.
TAMPERED: list[tuple[str, Any, str, str]] = [
    (
        "negative count",
        _set("Summary", _summary_cell("Meetings held"), -5),
        f"Sheet 'Summary' cell {_summary_cell('Meetings held')}",
        "Meetings held is -5; a count cannot be less than 0",
    ),
    (
        "absurd number",
        _set("Summary", _summary_cell("Experience items"), 1e308),
        f"Sheet 'Summary' cell {_summary_cell('Experience items')}",
        "beyond any plausible size",
    ),
    (
        "fractional count",
        _set("Summary", _summary_cell("Actions raised"), 2.5),
        f"Sheet 'Summary' cell {_summary_cell('Actions raised')}",
        "a count is a whole number",
    ),
    (
        "formula with no value",
        _set("Summary", _summary_cell("Actions completed"), "=SUM(B2:B3)"),
        f"Sheet 'Summary' cell {_summary_cell('Actions completed')}",
        "a formula (=SUM(B2:B3))",
    ),
    (
        "formula in a record sheet",
        _set("Meetings", "L2", "=1+1"),
        "Sheet 'Meetings' cell L2",
        "a formula",
    ),
    (
        "name typed into the Summary",
        _set("Summary", "D30", "Bob Smith said the crisis line never answered"),
        "Sheet 'Summary' cell D30",
        'looks like a name ("Bob", a first name)',
    ),
    (
        "e-mail typed into the Summary",
        _set("Summary", "C5", "bob.smith@example.net"),
        "Sheet 'Summary' cell C5",
        "an e-mail address (bob.smith@example.net)",
    ),
    (
        "phone typed into the Summary",
        _set("Summary", "E9", "ring 07700 900456"),
        "Sheet 'Summary' cell E9",
        "a phone number (07700 900456)",
    ),
    (
        "categories that do not add up",
        _set("Summary", _summary_cell("Attendances - staff"), 3),
        f"Sheet 'Summary' cell {_summary_cell('Attendances')}",
        "Attendances is 2 but the attendances by category add up to 5",
    ),
    (
        "a Meetings row that does not add up",
        _set("Meetings", "G2", 4),
        "Sheet 'Meetings' cell E2",
        "Attendances is 2 but the categories beside it add up to 5",
    ),
    (
        "Summary and Meetings rows disagree",
        _both(
            _set("Summary", _summary_cell("Attendances"), 3),
            _set("Summary", _summary_cell("Attendances - other"), 1),
        ),
        f"Sheet 'Summary' cell {_summary_cell('Attendances')}",
        "Attendances is 3 but the Meetings sheet's rows make it 2",
    ),
    (
        "meetings held against the rows",
        _set("Summary", _summary_cell("Meetings held"), 2),
        f"Sheet 'Summary' cell {_summary_cell('Meetings held')}",
        "Meetings held is 2 but the Meetings sheet's rows make it 1",
    ),
    (
        "negative money",
        _set("Summary", _summary_cell("Involvement payments (GBP)"), -10),
        f"Sheet 'Summary' cell {_summary_cell('Involvement payments (GBP)')}",
        "it must be from 0 to 10,000,000",
    ),
    (
        "fractions of a penny",
        _set("Summary", _summary_cell("Expenses (GBP)"), 12.345),
        f"Sheet 'Summary' cell {_summary_cell('Expenses (GBP)')}",
        "pounds have at most two decimals",
    ),
    (
        "a percentage over 100",
        _set("Summary", _summary_cell("Standards met (%)"), 150),
        f"Sheet 'Summary' cell {_summary_cell('Standards met (%)')}",
        "it must be from 0 to 100",
    ),
    (
        "a negative poll count",
        _add_row("Polls", [DAY, "Rugby Forum", "Was it useful?", "Yes", -1]),
        "Sheet 'Polls' cell E2",
        "Count is -1; a count cannot be less than 0",
    ),
    (
        "a criticality out of range",
        _add_row("Accreditation", ["1.1", "Voice", "Heard", 7, "Met", DAY]),
        "Sheet 'Accreditation' cell D2",
        "Criticality is 7, beyond any plausible size (at most 3)",
    ),
    (
        "a count as words",
        _set("Meetings", "F2", "one"),
        "Sheet 'Meetings' cell F2",
        "Service users should be a whole number, not 'one'",
    ),
    (
        "a phone number in an experience summary",
        _add_row(
            "Experience",
            [DAY, "Rugby Forum", "Concern", "Access", "Crisis", "Call 0121 496 0999", ""],
        ),
        "Sheet 'Experience' cell F2",
        "a phone number (0121 496 0999)",
    ),
    (
        "a name after 'said' in an experience summary",
        _add_row(
            "Experience",
            [
                DAY,
                "Rugby Forum",
                "Concern",
                "Access",
                "Crisis",
                "[service user] said Jenny shouted",
                "",
            ],
        ),
        "Sheet 'Experience' cell F2",
        'looks like a name ("Jenny", a capitalised word after "said")',
    ),
    (
        "an e-mail address on a sheet of its own",
        lambda wb: wb.create_sheet("Notes").append(["Ask zoe@example.org"]),
        "Sheet 'Notes' cell A1",
        "an e-mail address (zoe@example.org)",
    ),
]


@pytest.mark.parametrize(
    ("what", "tamper", "cell", "reason"), TAMPERED, ids=[t[0] for t in TAMPERED]
)
def test_each_tampered_return_is_refused_with_its_cell_named(
    four_returns: list[Path], tmp_path: Path, what: str, tamper: Any, cell: str, reason: str
) -> None:
    path = next(p for p in four_returns if p.name == "Rugby-2026-10.xlsx")
    wb = openpyxl.load_workbook(path)
    tamper(wb)
    wb.save(path)
    target = tmp_path / "all.xlsx"
    with pytest.raises(WorkbookError) as caught:
        consolidate(four_returns, target)
    assert not target.exists()
    named = [p for p in caught.value.problems if p.startswith(f"{path.name}: {cell}: ")]
    assert named, caught.value.problems
    assert reason in named[0], named[0]


def test_staff_names_where_they_belong_are_not_refused(
    four_returns: list[Path], tmp_path: Path
) -> None:
    path = next(p for p in four_returns if p.name == "Rugby-2026-10.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Actions"]["G2"].value = "Dr Priya Patel"
    for row in wb["Return"].iter_rows(min_row=2):
        if row[0].value == "Prepared by":
            row[1].value = "Sarah Jones"
    wb.save(path)
    assert consolidate(four_returns, tmp_path / "all.xlsx").returns == 4


def test_the_command_line_names_each_cell_and_says_what_it_set_aside(
    four_returns: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from coordinator_app import cli

    stale = tmp_path / "Rugby-2026-10 (1).xlsx"
    stale.write_bytes(four_returns[1].read_bytes())
    _set_field(stale, "Generated at", datetime(2020, 1, 1, 8, 0))
    target = tmp_path / "all.xlsx"
    assert cli.main(["consolidate", str(stale), *map(str, four_returns), "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert "Set aside Rugby-2026-10 (1).xlsx: Rugby 2026-10 was generated again later" in out

    wb = openpyxl.load_workbook(four_returns[0])
    wb["Summary"][_summary_cell("Meetings held")].value = -5
    wb["Summary"]["C3"].value = "=1/0"
    wb.save(four_returns[0])
    assert cli.main(["consolidate", *map(str, four_returns), "-o", str(target)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "coordinator-app: 1 of 4 returns was refused, so nothing was written."
    assert err[1:] == [
        f"{four_returns[0].name}: Sheet 'Summary' cell B2: Meetings held is -5; a count cannot "
        "be less than 0.",
        f"{four_returns[0].name}: Sheet 'Summary' cell C3: a formula (=1/0); a return holds "
        "values.",
        f"{four_returns[0].name}: Sheet 'Summary' cell B2: Meetings held is -5 but the Meetings "
        "sheet's rows make it 1.",
    ]
