"""Values checked at the edge (issue #19 item 6, issue #20 item 3), in the core services and the
import workbooks alike: a date outside 1900-2100, text longer than its field holds, a framework
version Excel kept as a number, a search of any length and script. Each bad input gets its clear
sentence (at its field, or as ``Sheet 'X' row N: ...``) and leaves the database as it was.

These run on SQLite and, with ``COORDINATOR_TEST_PG_URL``, on PostgreSQL, where a value too long
for its column used to be a database error no dialog understood.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from coordinator_app.core import accreditation, actions, meetings, people, projects, standards
from coordinator_app.core.audit_view import AuditFilter, list_audit
from coordinator_app.core.db import Database
from coordinator_app.core.errors import CoordinatorError, ValidationError, WorkbookError
from coordinator_app.core.importer import import_workbook, read_import_workbook
from coordinator_app.core.models import Base
from coordinator_app.core.search import find_everything
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import Category, ExperienceKind, ForumKind, PaymentStatus

TODAY = date(2026, 3, 20)
FRAMEWORK = "Locality Involvement Accreditation Standards"


def _counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def book(write_workbook: Any, tmp_path: Path) -> Any:
    """``book(sheets)``: an import workbook in the test's folder holding ``sheets``."""
    return lambda sheets: write_workbook(tmp_path / "import.xlsx", sheets)


def _import_refused(db: Database, path: Path) -> list[str]:
    before = _counts(db)
    with pytest.raises(WorkbookError) as caught:
        import_workbook(db, path, today=TODAY)
    assert _counts(db) == before
    return caught.value.problems


def _refused(db: Database, call: Any) -> dict[str, str]:
    """Run ``call``, expecting a ``ValidationError`` that leaves every table as it was."""
    before = _counts(db)
    with pytest.raises(ValidationError) as caught:
        call()
    assert _counts(db) == before
    return caught.value.problems


class Place:
    def __init__(self, db: Database) -> None:
        complete_first_run(
            db, trust_name="Edge Trust", coordinator_name="Seán", localities=["Rugby"]
        )
        (self.locality_id,) = [loc.id for loc in meetings.list_localities(db)]
        self.forum_id = meetings.create_forum(
            db, locality_id=self.locality_id, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM
        )
        self.meeting_id = meetings.create_meeting(
            db, meetings.MeetingInput(forum_id=self.forum_id, meeting_date=date(2026, 1, 13))
        )
        self.person_id = people.create_participant(
            db, people.ParticipantInput(name="Zoë Hart", category=Category.CARER)
        )


@pytest.fixture
def place(db: Database) -> Place:
    return Place(db)


# --- Text longer than its field holds: refused with the field named, never cut ---------------


@pytest.mark.parametrize(
    ("field", "label", "limit"),
    [("organisation", "Organisation", 255), ("email", "Email", 255), ("phone", "Phone", 255)],
)
def test_a_participant_detail_longer_than_its_column_is_refused_at_its_field(
    db: Database, field: str, label: str, limit: int
) -> None:
    """A 310-character organisation used to be saved on SQLite and, on PostgreSQL, a database
    error the participant dialog did not catch (it stayed open, saying nothing)."""
    value = "x" * 300 + "@example.org" if field == "email" else "7" * 310
    if field == "organisation":
        value = "The " + "Very " * 61 + "Long Trust"
    data = people.ParticipantInput(
        name="Zoë Hart", category=Category.CARER, consent_to_contact=True, **{field: value}
    )
    problems = _refused(db, lambda: people.create_participant(db, data))
    assert problems == {field: f"{label} can be at most {limit} characters (this is {len(value)})."}


def test_every_free_text_is_refused_past_what_a_cell_holds(db: Database, place: Place) -> None:
    """Free text (no length in the schema) is kept to what one Excel cell holds, since every
    record can leave in a workbook: 40,000 characters used to be stored, then cut when written
    out."""
    long = "word " * 8000  # 40,000 characters
    data = meetings.ExperienceInput(kind=ExperienceKind.CONCERN, summary=long)
    assert _refused(db, lambda: meetings.add_experience(db, place.meeting_id, data)) == {
        "summary": "Summary can be at most 32,767 characters (this is 39,999)."
    }
    action = actions.ActionInput(title="Fix the loop", detail=long)
    assert _refused(
        db, lambda: actions.raise_action(db, locality_id=place.locality_id, data=action)
    ) == {"detail": "Detail can be at most 32,767 characters (this is 39,999)."}
    assert _refused(
        db, lambda: people.update_participant(
            db, place.person_id, people.ParticipantInput("Zoë Hart", Category.CARER, notes=long)
        )
    ) == {"notes": "Notes can be at most 32,767 characters (this is 39,999)."}  # fmt: skip


def test_the_import_names_the_column_of_a_text_too_long(db: Database, book: Any) -> None:
    sheets = {
        "Participants": [
            ["Name", "Category", "Organisation"],
            ["Zoë Hart", "Carer", "x" * 310],
        ],
        "Actions": [
            ["Title", "Locality", "Owner", "Strategic priority"],
            ["Fix the loop", "Rugby", "o" * 121, "p" * 121],
        ],
    }
    assert _import_refused(db, book(sheets)) == [
        "Sheet 'Participants' row 2: Organisation can be at most 255 characters (this is 310).",
        "Sheet 'Actions' row 2: Owner can be at most 120 characters (this is 121).",
        # The app keeps a priority's name to 120 characters; the import used to allow 255.
        "Sheet 'Actions' row 2: Strategic priority can be at most 120 characters (this is 121).",
    ]


@pytest.fixture
def framework_book(write_workbook: Any, tmp_path: Path) -> Any:
    """``framework_book(name, version=..., title=...)``: a one-standard framework workbook."""

    def write(name: str, *, version: Any = "1.0", title: str = "Care plans") -> Path:
        return write_workbook(
            tmp_path / name,
            {
                "Framework": [["Field", "Value"], ["Name", "Test Standards"], ["Version", version]],
                "Standards": [
                    ["Code", "Domain", "Title", "Criticality"],
                    ["1.1", "Own care", title, 1],
                ],
            },
        )

    return write


def test_a_standard_title_too_long_is_refused_not_cut(db: Database, framework_book: Any) -> None:
    """A standard's title had no limit: one of thousands of characters loaded (and one past what
    a cell holds was cut without a word on the way out)."""
    path = framework_book("long.xlsx", title="x" * 3000)
    before = _counts(db)
    with pytest.raises(WorkbookError) as caught:
        standards.import_framework(db, path)
    assert caught.value.problems == [
        "Sheet 'Standards' row 2: Title can be at most 2,000 characters (this is 3,000)."
    ]
    assert _counts(db) == before


# --- Dates outside 1900-2100 ------------------------------------------------------------------

OUT_OF_RANGE = [date(1, 1, 1), date(1899, 12, 31), date(2101, 1, 1)]


@pytest.mark.parametrize("day", OUT_OF_RANGE, ids=str)
def test_a_meeting_dated_outside_1900_to_2100_is_refused(
    db: Database, place: Place, day: date
) -> None:
    data = meetings.MeetingInput(forum_id=place.forum_id, meeting_date=day)
    problems = _refused(db, lambda: meetings.create_meeting(db, data))
    assert problems == {
        "meeting_date": f"'{day:%d/%m}/{day.year:04d}' is not a date from 1900 to 2100; "
        "check the year."
    }


@pytest.mark.parametrize("day", OUT_OF_RANGE, ids=str)
def test_every_date_a_service_takes_is_refused_outside_1900_to_2100(
    db: Database, place: Place, day: date
) -> None:
    calls = {
        "due_on": lambda: actions.raise_action(
            db, locality_id=place.locality_id, data=actions.ActionInput(title="T", due_on=day)
        ),
        "consent_date": lambda: people.create_participant(
            db, people.ParticipantInput("Bob", Category.CARER, consent_date=day)
        ),
        "responded_on": lambda: meetings.add_experience(
            db,
            place.meeting_id,
            meetings.ExperienceInput(kind=ExperienceKind.IDEA, summary="S", responded_on=day),
        ),
        "paid_on": lambda: meetings.set_payment(
            db, place.meeting_id, place.person_id, status=PaymentStatus.PAID, paid_on=day
        ),
        "started_on": lambda: projects.create_project(
            db, projects.ProjectInput(locality_id=place.locality_id, title="P", started_on=day)
        ),
    }
    for key, call in calls.items():
        problems = _refused(db, call)
        assert key in problems and "from 1900 to 2100" in problems[key], key


def test_an_assessment_dated_outside_1900_to_2100_is_refused(db: Database, place: Place) -> None:
    with db.transaction() as session:
        framework_id = standards.load_default_framework(session)
    problems = _refused(
        db,
        lambda: accreditation.start_assessment(
            db,
            locality_id=place.locality_id,
            framework_id=framework_id,
            kind="self-review",
            assessed_on=date(1, 1, 1),
        ),
    )
    assert problems == {
        "assessed_on": "'01/01/0001' is not a date from 1900 to 2100; check the year."
    }


def test_the_import_refuses_a_date_outside_1900_to_2100_naming_the_row(
    db: Database, book: Any
) -> None:
    sheets = {
        "Meetings": [
            ["Reference", "Locality", "Forum", "Date"],
            ["RUG-0001", "Rugby", "Rugby Forum", "01/01/0001"],
            ["RUG-2101", "Rugby", "Rugby Forum", "2101-01-01"],
        ],
    }
    assert _import_refused(db, book(sheets)) == [
        "Sheet 'Meetings' row 2: Date '01/01/0001' is not a date from 1900 to 2100; check the "
        "year.",
        "Sheet 'Meetings' row 3: Date '01/01/2101' is not a date from 1900 to 2100; check the "
        "year.",
    ]


# --- A framework version Excel kept as a number -------------------------------------------------


def test_a_version_typed_as_the_number_1_0_is_the_loaded_1_0(
    db: Database, framework_book: Any
) -> None:
    """Excel keeps ``1.0`` typed in a General cell as the number 1: it used to load as a second
    framework "1" beside the "1.0" already loaded."""
    standards.import_framework(db, framework_book("text.xlsx", version="1.0"))
    before = _counts(db)
    with pytest.raises(CoordinatorError) as caught:
        standards.import_framework(db, framework_book("number.xlsx", version=1.0))
    assert str(caught.value) == "The framework 'Test Standards' version 1.0 is already loaded."
    assert _counts(db) == before
    assert [(f.name, f.version) for f in standards.list_frameworks(db)] == [
        ("Test Standards", "1.0")
    ]


def test_a_version_shown_with_decimals_is_read_as_shown(tmp_path: Path) -> None:
    path = tmp_path / "formatted.xlsx"
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = workbook.create_sheet("Framework")
    sheet.append(["Field", "Value"])
    sheet.append(["Name", "Test Standards"])
    sheet.append(["Version", 2])
    sheet["B3"].number_format = "0.0"  # Excel shows 2.0
    standards_sheet = workbook.create_sheet("Standards")
    standards_sheet.append(["Code", "Domain", "Title", "Criticality"])
    standards_sheet.append(["1.1", "Own care", "Care plans", 1])
    workbook.save(path)
    assert standards.read_framework_workbook(path).version == "2.0"


def test_the_checks_sheet_reads_a_version_kept_as_a_number(db: Database, book: Any) -> None:
    """The Standard checks sheet used to refuse Version 1 (Excel's ``1.0``) as "not loaded"."""
    with db.transaction() as session:
        standards.load_default_framework(session)
    headers = ["Locality", "Framework", "Version", "Assessed on", "Code", "Rating"]
    sheets = {
        "Standard checks": [headers, ["Rugby", FRAMEWORK, 1.0, date(2026, 2, 1), "1.1", "Met"]]
    }
    summary = import_workbook(db, book(sheets), today=TODAY)
    assert summary.added["Standard checks"] == 1
    assert summary.new_assessments == 1


def test_a_version_number_is_not_taken_for_a_different_version(db: Database, book: Any) -> None:
    with db.transaction() as session:
        standards.load_default_framework(session)
    headers = ["Locality", "Framework", "Version", "Assessed on", "Code"]
    sheets = {"Standard checks": [headers, ["Rugby", FRAMEWORK, 1.1, date(2026, 2, 1), "1.1"]]}
    plan = read_import_workbook(book(sheets), db, today=TODAY)
    assert plan.problems == [
        f"Sheet 'Standard checks' row 2: Framework '{FRAMEWORK}' version '1.1' is not loaded; "
        "load it first (Accreditation, Frameworks, Import)."
    ]


# --- Searches of any length and script --------------------------------------------------------

SEARCHES = [
    "😀" * 20_000,  # 80,000 bytes: LIKE refused the pattern
    " ".join(f"w{n}" for n in range(3000)),  # deeper than SQLite parses, one LIKE per word
    "😀 " * 5000,
    "a" * 60_000,
    "Xq\ud83d",  # half an emoji, from a broken paste
    "\x00",
    "%_\\",
    "日本語 العربية Ελληνικά",
]


@pytest.mark.parametrize("text", SEARCHES, ids=lambda t: f"{len(t)}-chars-{t[:4]!r}")
def test_a_search_of_any_length_and_script_answers(db: Database, place: Place, text: str) -> None:
    actions.raise_action(
        db, locality_id=place.locality_id, data=actions.ActionInput(title="Fix the loop")
    )
    before = _counts(db)
    found = find_everything(db, text)
    assert found.participants == [] and found.actions == [] and found.meetings == []
    assert people.list_participants(db, text=text, active=None) == []
    assert people.find_participants(db, text, forum_id=place.forum_id) == []
    assert list_audit(db, AuditFilter(text=text, who=text)) == []
    assert _counts(db) == before


def test_a_search_still_finds_with_half_an_emoji_beside_a_name(db: Database, place: Place) -> None:
    assert [p.name for p in find_everything(db, "zoe \ud83d").participants] == ["Zoë Hart"]
    assert [p.name for p in people.find_participants(db, "zo ha")] == ["Zoë Hart"]
    words = "zoe hart " * 2000
    assert [p.name for p in people.list_participants(db, text=words)] == ["Zoë Hart"]
