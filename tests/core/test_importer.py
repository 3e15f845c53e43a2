"""The import workbook (docs/import-workbook.md): all or nothing, every problem named by sheet, row
and value, forgiving where it is safe, and importing twice adds nothing."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from coordinator_app.core.db import Database
from coordinator_app.core.errors import WorkbookError
from coordinator_app.core.import_template import write_import_example, write_import_template
from coordinator_app.core.importer import (
    SHEETS,
    ImportCancelled,
    apply_import,
    import_workbook,
    read_import_workbook,
)
from coordinator_app.core.models import (
    Action,
    Assessment,
    Attendance,
    AuditEntry,
    Base,
    ExperienceItem,
    Forum,
    InvolvementPayment,
    Locality,
    Meeting,
    Participant,
    StandardCheck,
    StrategicPriority,
    UnnamedAttendance,
)
from coordinator_app.core.resources import resource_path
from coordinator_app.core.standards import load_default_framework
from coordinator_app.core.vocab import (
    ActionStatus,
    AttendanceStatus,
    AuditOperation,
    Category,
    MeetingStatus,
    PaymentStatus,
    Rating,
)

TODAY = date(2026, 3, 20)
FRAMEWORK = "Locality Involvement Accreditation Standards"

PEOPLE_HEADERS = ["Name", "Category", "Locality", "Email", "Consent to contact"]
MEETING_HEADERS = ["Reference", "Locality", "Forum", "Date", "Status"]
ATTENDANCE_HEADERS = ["Meeting reference", "Name", "Status", "Category", "Count"]
ACTION_HEADERS = ["Reference", "Meeting reference", "Title", "Raised on", "Status", "Closed on",
                  "Outcome", "Strategic priority"]  # fmt: skip


def _book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook with the given sheets; each list starts with its header row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        ws = workbook.create_sheet(name)
        for row in rows:
            ws.append(row)
    workbook.save(path)
    return path


def _basic(**extra: list[list[Any]]) -> dict[str, list[list[Any]]]:
    sheets = {
        "Participants": [
            PEOPLE_HEADERS,
            ["Zoë Hart", "Service user", "Rugby", "", "No"],
            ["Siân O'Neill", "Carer", "Rugby", "sian@example.org", "Yes"],
        ],
        "Meetings": [
            MEETING_HEADERS,
            ["RUG-2601", "Rugby", "Rugby Locality Forum", date(2026, 1, 13), "Held"],
        ],
        "Attendance": [
            ATTENDANCE_HEADERS,
            ["RUG-2601", "Zoë Hart", "Present", None, None],
            ["RUG-2601", "Siân O'Neill", "Apologies", None, None],
            ["RUG-2601", None, None, "Carer", 2],
        ],
        "Actions": [
            ACTION_HEADERS,
            ["RUG-A1", "RUG-2601", "Fix the hearing loop", date(2026, 1, 13), "Open", None, "",
             "Our care"],
        ],
    }  # fmt: skip
    sheets.update(extra)
    return sheets


def _counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


def _refused(db: Database, path: Path) -> list[str]:
    """Import ``path``, expecting a refusal that leaves every table as it was."""
    before = _counts(db)
    with pytest.raises(WorkbookError) as caught:
        import_workbook(db, path, today=TODAY)
    assert _counts(db) == before
    return caught.value.problems


@pytest.fixture
def framework_db(db: Database) -> Database:
    with db.transaction() as session:
        load_default_framework(session)
    return db


# --- The shipped samples -------------------------------------------------------------------


def test_the_shipped_example_imports_cleanly_into_a_fresh_database(framework_db: Database) -> None:
    summary = import_workbook(framework_db, resource_path("samples", "import-example.xlsx"))
    assert summary.added == {
        "Participants": 4, "Meetings": 3, "Attendance": 8, "Actions": 3, "Experience": 3,
        "Payments": 3, "Standard checks": 3,
    }  # fmt: skip
    assert set(summary.new_localities) == {"Rugby", "Coventry"}
    with framework_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Assessment)) == 1
        rated = session.scalars(select(StandardCheck.rating)).all()
        assert len(rated) == 36  # every standard of the framework, three of them rated
        assert sorted(r for r in rated if r != Rating.NOT_YET_RATED) == sorted(
            [Rating.MET, Rating.MET, Rating.PARTLY_MET]
        )
        zoe = session.scalar(select(Participant).where(Participant.name == "Zoë Hart"))
        assert zoe is not None and zoe.consent_to_contact and zoe.email == "zoe.hart@example.org"


def test_the_shipped_template_matches_what_the_builder_writes(tmp_path: Path) -> None:
    shipped = load_workbook(resource_path("samples", "import-template.xlsx"))
    fresh = load_workbook(write_import_template(tmp_path / "t.xlsx"))
    assert shipped.sheetnames == fresh.sheetnames
    for name in SHEETS:
        assert [c.value for c in shipped[name][1]] == [c.value for c in fresh[name][1]]


def test_the_template_has_headers_drop_down_lists_and_notes(
    tmp_path: Path, framework_db: Database
) -> None:
    path = write_import_template(tmp_path / "template.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == [*SHEETS, "Notes"]
    meetings = workbook["Meetings"]
    assert [c.value for c in meetings[1]] == [spec.name for spec in SHEETS["Meetings"]]
    lists = {dv.formula1 for dv in meetings.data_validations.dataValidation}
    assert '"In person,Online,Hybrid"' in lists
    assert '"Planned,Held,Cancelled"' in lists
    people = {dv.formula1 for dv in workbook["Participants"].data_validations.dataValidation}
    assert '"Yes,No"' in people
    notes = [[c.value for c in row] for row in workbook["Notes"].iter_rows(min_row=2)]
    explained = {(row[0], row[1]) for row in notes}
    for sheet, specs in SHEETS.items():
        for spec in specs:
            assert (sheet, spec.name) in explained
    # The empty template imports, adding nothing.
    summary = import_workbook(framework_db, path)
    assert summary.total_added == 0


def test_the_example_builder_writes_a_workbook_that_imports(
    tmp_path: Path, framework_db: Database
) -> None:
    path = write_import_example(tmp_path / "example.xlsx")
    assert read_import_workbook(path, framework_db).problems == []


# --- All or nothing, and twice adds nothing ------------------------------------------------


def test_importing_the_same_workbook_twice_adds_nothing_the_second_time(
    framework_db: Database, tmp_path: Path
) -> None:
    path = resource_path("samples", "import-example.xlsx")
    import_workbook(framework_db, path)
    after_first = _counts(framework_db)
    plan = read_import_workbook(path, framework_db)
    assert plan.total_new == 0
    assert plan.counts["Attendance"].existing == 8
    assert plan.new_localities == plan.new_forums == plan.new_priorities == []
    summary = import_workbook(framework_db, path)
    assert summary.total_added == 0
    assert sum(summary.skipped.values()) == 27
    after_second = _counts(framework_db)
    after_second["audit_log"] -= 1  # the second import's own audit entry
    assert after_second == after_first


def test_actions_and_experience_without_references_are_matched_on_natural_keys(
    db: Database, tmp_path: Path
) -> None:
    path = _book(tmp_path / "a.xlsx", _basic(
        Actions=[
            ["Meeting reference", "Title", "Raised on"],
            ["RUG-2601", "Ask about parking", None],
            ["RUG-2601", "Ask about parking", None],  # two identical actions, both kept
        ],
        Experience=[
            ["Meeting reference", "Kind", "Summary"],
            ["RUG-2601", "Concern", "Parking is hard"],
        ],
    ))  # fmt: skip
    first = import_workbook(db, path, today=TODAY)
    assert first.added["Actions"] == 2
    second = import_workbook(db, path, today=TODAY)
    assert second.total_added == 0
    with db.session() as session:
        refs = sorted(session.scalars(select(Action.reference)))
        assert refs == ["RUG-A1", "RUG-A2"]
        assert session.scalar(select(Locality.action_counter)) == 2
        item = session.scalar(select(ExperienceItem))
        assert item is not None and item.received_on == date(2026, 1, 13)


def test_an_import_records_one_audit_entry_with_counts_and_no_names(
    db: Database, tmp_path: Path
) -> None:
    import_workbook(db, _book(tmp_path / "a.xlsx", _basic()), today=TODAY)
    with db.session() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.operation == AuditOperation.IMPORT)
        ).all()
    assert len(entries) == 1
    assert "Participants: 2" in entries[0].summary
    assert "Zoë" not in entries[0].summary and "Siân" not in entries[0].summary


def test_what_is_imported_is_stored_as_the_workbook_says(db: Database, tmp_path: Path) -> None:
    import_workbook(db, _book(tmp_path / "a.xlsx", _basic(
        Payments=[
            ["Meeting reference", "Name", "Status", "Amount", "Expenses"],
            ["RUG-2601", "Zoë Hart", "paid", "£25.50", 3.2],
        ],
    )), today=TODAY)  # fmt: skip
    with db.session() as session:
        forum = session.scalar(select(Forum))
        assert forum is not None and forum.name == "Rugby Locality Forum"
        meeting = session.scalar(select(Meeting))
        assert meeting is not None and meeting.reference == "RUG-2601"
        assert meeting.status == MeetingStatus.HELD
        statuses = sorted(str(s) for s in session.scalars(select(Attendance.status)))
        assert statuses == [AttendanceStatus.APOLOGIES, AttendanceStatus.PRESENT]
        unnamed = session.scalar(select(UnnamedAttendance))
        assert unnamed is not None and (unnamed.category, unnamed.count) == (Category.CARER, 2)
        payment = session.scalar(select(InvolvementPayment))
        assert payment is not None
        assert (payment.status, payment.amount_pence, payment.expenses_pence) == (
            PaymentStatus.PAID, 2550, 320,
        )  # fmt: skip
        assert payment.paid_on == date(2026, 1, 13)
        priority = session.scalar(select(StrategicPriority.name))
        assert priority == "Our care"


def test_apply_refuses_a_plan_with_problems(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Meetings"][1][3] = "31/02/2026"
    plan = read_import_workbook(_book(tmp_path / "a.xlsx", sheets), db, today=TODAY)
    before = _counts(db)
    with pytest.raises(WorkbookError):
        apply_import(db, plan)
    assert _counts(db) == before


def test_cancelling_the_write_leaves_nothing_behind(db: Database, tmp_path: Path) -> None:
    plan = read_import_workbook(_book(tmp_path / "a.xlsx", _basic()), db, today=TODAY)
    before = _counts(db)
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 2  # after the localities and the first rows are written

    with pytest.raises(ImportCancelled):
        apply_import(db, plan, cancelled=cancelled)
    assert _counts(db) == before


def test_cancelling_while_reading_stops_with_import_cancelled(db: Database, tmp_path: Path) -> None:
    rows = [ATTENDANCE_HEADERS] + [["RUG-2601", "Zoë Hart", "Present"]] * 1200
    path = _book(tmp_path / "a.xlsx", {"Attendance": rows})
    with pytest.raises(ImportCancelled):
        read_import_workbook(path, db, cancelled=lambda: True)


def test_progress_is_reported_up_to_the_total(db: Database, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    import_workbook(db, _book(tmp_path / "a.xlsx", _basic()), today=TODAY,
                    progress=lambda d, t: seen.append((d, t)))  # fmt: skip
    assert seen and all(d <= t for d, t in seen)
    assert seen[-1][0] == seen[-1][1]


def test_a_plan_that_became_wrong_is_refused_when_applied(db: Database, tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx", _basic())
    plan = read_import_workbook(path, db, today=TODAY)
    other = _basic()
    other["Meetings"][1][3] = date(2026, 1, 20)  # RUG-2601 on another day, imported meanwhile
    other["Attendance"] = [ATTENDANCE_HEADERS]
    other["Actions"] = [ACTION_HEADERS]
    import_workbook(db, _book(tmp_path / "b.xlsx", other), today=TODAY)
    before = _counts(db)
    with pytest.raises(WorkbookError) as caught:
        apply_import(db, plan)
    assert any("already in the database for a meeting on 20/01/2026" in p
               for p in caught.value.problems)  # fmt: skip
    assert _counts(db) == before


# --- Bad input: each refused naming sheet, row and value, the database unchanged -------------


def test_an_impossible_date_is_refused(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Meetings"][1][3] = "31/02/2026"
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Meetings' row 2: Date '31/02/2026' is not a date; write it as YYYY-MM-DD or "
        "DD/MM/YYYY."
    ]


def test_a_number_where_a_date_belongs_is_refused(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Actions"][1][3] = 45000
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Actions' row 2: Raised on '45000' is not a date; write it as YYYY-MM-DD or "
        "DD/MM/YYYY."
    ]


def test_an_amount_over_the_most_a_payment_may_be_is_refused(db: Database, tmp_path: Path) -> None:
    """£100,000.00 is the most; past it (and past SQLite's whole numbers) a sentence, not a
    crash on insert."""
    sheets = _basic(
        Payments=[
            ["Meeting reference", "Name", "Status", "Amount", "Expenses"],
            ["RUG-2601", "Zoë Hart", "paid", "100,000.01", 250000],
        ],
    )
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Payments' row 2: Amount '100,000.01' is more than £100,000.00.",
        "Sheet 'Payments' row 2: Expenses '250000' is more than £100,000.00.",
    ]


def test_a_category_outside_the_vocabulary_is_refused(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Participants"][1][1] = "Volunteer"
    problems = _refused(db, _book(tmp_path / "a.xlsx", sheets))
    assert problems == [
        "Sheet 'Participants' row 2: Category 'Volunteer' is not one of: service user, carer, "
        "representative, staff, partner organisation, other."
    ]


def test_a_status_outside_the_vocabulary_is_refused(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Actions"][1][4] = "Done"
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Actions' row 2: Status 'Done' is not one of: open, in progress, completed, "
        "cancelled."
    ]


def test_attendance_at_a_meeting_neither_in_the_workbook_nor_the_database_is_refused(
    db: Database, tmp_path: Path
) -> None:
    sheets = _basic()
    sheets["Attendance"].append(["RUG-2699", "Zoë Hart", "Present"])
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Attendance' row 5: Meeting reference 'RUG-2699' is not a meeting in this "
        "workbook or the database."
    ]


def test_an_action_at_an_unknown_meeting_is_refused(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Actions"][1][1] = "COV-2601"
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Actions' row 2: Meeting reference 'COV-2601' is not a meeting in this "
        "workbook or the database."
    ]


def test_a_meeting_already_in_the_database_may_be_referred_to(db: Database, tmp_path: Path) -> None:
    import_workbook(db, _book(tmp_path / "a.xlsx", _basic()), today=TODAY)
    later = {
        "Actions": [ACTION_HEADERS,
                    ["RUG-A9", "rug-2601", "Book a bigger room", "2026-01-13", "Open"]],
    }  # fmt: skip
    summary = import_workbook(db, _book(tmp_path / "b.xlsx", later), today=TODAY)
    assert summary.added == {"Actions": 1}


def test_the_same_reference_twice_in_one_workbook_is_refused(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Meetings"].append(["rug-2601", "Rugby", "Rugby Locality Forum", date(2026, 2, 10)])
    sheets["Actions"].append(["RUG-A1", "RUG-2601", "Another", date(2026, 1, 13), "Open"])
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Meetings' row 3: Reference 'rug-2601' is used twice (first on row 2).",
        "Sheet 'Actions' row 3: Reference 'RUG-A1' is used twice (first on row 2).",
    ]


def test_a_missing_required_column_is_named(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Meetings"] = [["Reference", "Locality", "Forum"], ["RUG-2601", "Rugby", "F"]]
    problems = _refused(db, _book(tmp_path / "a.xlsx", sheets))
    assert problems[0] == "Sheet 'Meetings' row 1: the column 'Date' is missing."


def test_a_blank_required_cell_is_refused(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Actions"][1][2] = "   "
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Actions' row 2: Title is blank."
    ]


def test_contact_details_without_consent_are_refused(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Participants"][1][3] = "zoe@example.org"
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Participants' row 2: Email 'zoe@example.org': Contact details can only be kept "
        "with consent to contact."
    ]


def test_a_name_matching_no_participant_or_two_is_refused(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Participants"].append(["Zoë Hart", "Staff", "Rugby", "", "No"])
    sheets["Attendance"].append(["RUG-2601", "Seán Murphy", "Present"])
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Attendance' row 2: Name 'Zoë Hart' matches 2 participants; names must match "
        "exactly one (add a distinguishing detail to one of them).",
        "Sheet 'Attendance' row 5: Name 'Seán Murphy' is not a participant in this workbook or "
        "the database; add them to the Participants sheet.",
    ]


def test_a_framework_that_is_not_loaded_is_refused(db: Database, tmp_path: Path) -> None:
    checks = {"Standard checks": [
        ["Locality", "Framework", "Version", "Assessed on", "Code", "Rating"],
        ["Rugby", FRAMEWORK, "1.0", "2026-03-01", "1.1", "Met"],
    ]}  # fmt: skip
    assert _refused(db, _book(tmp_path / "a.xlsx", checks)) == [
        f"Sheet 'Standard checks' row 2: Framework '{FRAMEWORK}' version '1.0' is not loaded; "
        "load it first (Accreditation, Frameworks, Import)."
    ]


def test_a_closed_action_needs_its_closed_date(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Actions"][1][4] = "Completed"
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Actions' row 2: Closed on is blank; a completed action needs the date it was "
        "closed."
    ]


def test_every_problem_is_listed_at_once(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Meetings"][1][3] = "31/02/2026"
    sheets["Participants"][1][1] = "Volunteer"
    sheets["Actions"][1][2] = None
    with pytest.raises(WorkbookError) as caught:
        import_workbook(db, _book(tmp_path / "bad.xlsx", sheets), today=TODAY)
    assert len(caught.value.problems) == 3
    assert caught.value.summary.startswith("bad.xlsx cannot be imported; nothing was changed.")
    assert "Sheet 'Meetings' row 2" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000,
         "old.xls is damaged or incomplete and cannot be opened as a spreadsheet"),
        ("people.txt", "Name,Category\nZoë Hart,Carer\n".encode(),
         "people.txt is not a spreadsheet this app reads"),
        ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
         + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 500,
         "locked.xlsx is protected with a password"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_an_xlsx_is_refused_in_one_sentence(
    db: Database, tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = _counts(db)
    with pytest.raises(WorkbookError) as caught:
        import_workbook(db, path)
    assert expected in str(caught.value)
    assert caught.value.problems == []
    assert _counts(db) == before


def test_a_truncated_workbook_is_refused_in_one_sentence(db: Database, tmp_path: Path) -> None:
    whole = _book(tmp_path / "whole.xlsx", _basic()).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(WorkbookError) as caught:
        import_workbook(db, path)
    assert "cut.xlsx is damaged or incomplete" in str(caught.value)
    assert caught.value.problems == []


def test_a_workbook_with_a_damaged_sheet_is_refused_in_one_sentence(
    db: Database, tmp_path: Path
) -> None:
    whole = _book(tmp_path / "whole.xlsx", _basic())
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    with pytest.raises(WorkbookError) as caught:
        import_workbook(db, path)
    assert "damaged.xlsx is damaged" in str(caught.value)


def test_a_workbook_with_none_of_the_sheets_is_refused(db: Database, tmp_path: Path) -> None:
    problems = _refused(db, _book(tmp_path / "a.xlsx", {"Sheet1": [["Who", "When"]]}))
    assert problems[0].startswith("The workbook has none of the import sheets")


# --- Forgiving where it is safe ------------------------------------------------------------


def test_headers_in_any_case_and_order_with_extra_columns_are_read(
    db: Database, tmp_path: Path
) -> None:
    sheets = {
        "PARTICIPANTS": [
            ["  category ", "My notes", "NAME", "consent TO contact", "email"],
            ["carer", "likes tea", "Siân O'Neill", "y", "sian@example.org"],
        ],
        "meetings": [
            ["date", "STATUS", "forum", "reference", "Locality", "Whatever"],
            ["2026-01-13", "HELD", "Rugby Locality Forum", "RUG-2601", "Rugby", 1],
        ],
    }
    summary = import_workbook(db, _book(tmp_path / "a.xlsx", sheets), today=TODAY)
    assert summary.added == {"Participants": 1, "Meetings": 1}


def test_empty_rows_are_skipped_and_rows_keep_their_excel_numbers(
    db: Database, tmp_path: Path
) -> None:
    sheets = _basic()
    sheets["Attendance"] = [
        ATTENDANCE_HEADERS,
        [None, None, None, None, None],
        ["RUG-2601", "Zoë Hart", "Present"],
        [],
        ["RUG-2601", "Nobody Known", "Present"],
    ]
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Attendance' row 5: Name 'Nobody Known' is not a participant in this workbook "
        "or the database; add them to the Participants sheet."
    ]


@pytest.mark.parametrize(
    "value", [date(2026, 1, 13), datetime(2026, 1, 13), "2026-01-13", "13/01/2026", " 13/01/2026 "]
)
def test_dates_are_read_as_excel_dates_or_iso_or_day_month_year_text(
    db: Database, tmp_path: Path, value: Any
) -> None:
    sheets = _basic()
    sheets["Meetings"][1][3] = value
    import_workbook(db, _book(tmp_path / "a.xlsx", sheets), today=TODAY)
    with db.session() as session:
        assert session.scalar(select(Meeting.meeting_date)) == date(2026, 1, 13)


@pytest.mark.parametrize(("text", "expected"), [
    ("Yes", True), ("y", True), ("TRUE", True), (1, True), (True, True),
    ("No", False), ("n", False), ("false", False), (0, False), (None, False),
])  # fmt: skip
def test_yes_and_no_are_read_in_any_of_their_forms(
    db: Database, tmp_path: Path, text: Any, expected: bool
) -> None:
    sheets = {"Participants": [["Name", "Category", "Name in minutes"],
                               ["Zoë Hart", "Service user", text]]}  # fmt: skip
    import_workbook(db, _book(tmp_path / "a.xlsx", sheets), today=TODAY)
    with db.session() as session:
        assert session.scalar(select(Participant.name_in_minutes)) is expected


def test_a_yes_no_cell_that_is_neither_is_refused(db: Database, tmp_path: Path) -> None:
    sheets = {"Participants": [["Name", "Category", "Name in minutes"],
                               ["Zoë Hart", "Service user", "maybe"]]}  # fmt: skip
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Participants' row 2: Name in minutes 'maybe' is not yes or no."
    ]


def test_spaces_are_trimmed_and_words_read_in_any_case(db: Database, tmp_path: Path) -> None:
    sheets = _basic()
    sheets["Participants"][1] = ["  Zoë   Hart ", " SERVICE USER ", " Rugby ", "", " no "]
    sheets["Attendance"][1] = [" RUG-2601 ", "zoë hart", " PRESENT "]
    sheets["Actions"][1] = [" RUG-A1 ", "RUG-2601", " Fix it ", "13/01/2026", "in-progress"]
    import_workbook(db, _book(tmp_path / "a.xlsx", sheets), today=TODAY)
    with db.session() as session:
        assert (
            session.scalar(
                select(Participant.name).where(Participant.category == Category.SERVICE_USER)
            )
            == "Zoë Hart"
        )
        action = session.scalar(select(Action))
        assert action is not None
        assert (action.reference, action.title, action.status) == (
            "RUG-A1", "Fix it", ActionStatus.IN_PROGRESS,
        )  # fmt: skip


def test_start_times_are_read_from_excel_times_and_text(db: Database, tmp_path: Path) -> None:
    sheets = {"Meetings": [
        ["Reference", "Locality", "Forum", "Date", "Start time"],
        ["A", "Rugby", "Forum", "2026-01-13", time(14, 0)],
        ["B", "Rugby", "Forum", "2026-01-14", "2:30pm"],
        ["C", "Rugby", "Forum", "2026-01-15", "09:15"],
    ]}  # fmt: skip
    import_workbook(db, _book(tmp_path / "a.xlsx", sheets), today=TODAY)
    with db.session() as session:
        times = dict(session.execute(select(Meeting.reference, Meeting.start_time)).all())
    assert times == {"A": time(14, 0), "B": time(14, 30), "C": time(9, 15)}


def test_an_unreferenced_action_dated_by_an_earlier_meeting_is_not_added_twice(
    db: Database, tmp_path: Path
) -> None:
    sheets = _basic()
    sheets["Meetings"].append(["RUG-2401", "Rugby", "Rugby Locality Forum", date(2024, 1, 9)])
    sheets["Actions"] = [
        ["Meeting reference", "Title", "Raised on"],
        ["RUG-2601", "Later action", date(2026, 1, 13)],
        ["RUG-2401", "Earlier action, dated by its meeting", None],
    ]
    path = _book(tmp_path / "a.xlsx", sheets)
    assert import_workbook(db, path, today=TODAY).added["Actions"] == 2
    assert import_workbook(db, path, today=TODAY).total_added == 0


def test_new_forums_get_a_kind_guessed_from_their_name(db: Database, tmp_path: Path) -> None:
    sheets = {"Meetings": [
        ["Reference", "Locality", "Forum", "Date"],
        ["A", "Coventry", "Coventry Carers Forum", "2026-01-13"],
        ["B", "Coventry", "Open day", "2026-01-14"],
        ["C", "Coventry", "Coventry Locality Forum", "2026-01-15"],
        ["D", "Coventry", "Tuesday group", "2026-01-16"],
    ]}  # fmt: skip
    import_workbook(db, _book(tmp_path / "a.xlsx", sheets), today=TODAY)
    with db.session() as session:
        kinds = {name: str(kind) for name, kind in session.execute(select(Forum.name, Forum.kind))}
    assert kinds == {
        "Coventry Carers Forum": "carers_forum",
        "Open day": "event",
        "Coventry Locality Forum": "locality_forum",
        "Tuesday group": "other",
    }


def test_an_action_without_a_meeting_needs_a_locality(db: Database, tmp_path: Path) -> None:
    sheets = {"Actions": [
        ["Title", "Raised on", "Locality"],
        ["Translate the leaflet", "2026-02-20", "Coventry"],
        ["Somewhere unknown", "2026-02-20", None],
    ]}  # fmt: skip
    assert _refused(db, _book(tmp_path / "a.xlsx", sheets)) == [
        "Sheet 'Actions' row 3: Meeting reference is blank and there is no Locality; give one "
        "of them so the locality is known."
    ]
    sheets["Actions"].pop()
    import_workbook(db, _book(tmp_path / "b.xlsx", sheets), today=TODAY)
    with db.session() as session:
        assert session.scalar(select(Action.reference)) == "COV-A1"
