"""The monthly return: a hand-worked scenario read back with openpyxl and python-calamine, privacy,
cell safety and safe writing."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from coordinator_app.core import files
from coordinator_app.core.db import Database
from coordinator_app.core.errors import CoordinatorError, WorkbookError
from coordinator_app.core.figures import month_figures
from coordinator_app.core.models import (
    Action,
    Assessment,
    Attendance,
    ExperienceItem,
    Forum,
    ImprovementProject,
    InvolvementPayment,
    Locality,
    Meeting,
    Participant,
    Poll,
    PollAnswer,
    ProjectParticipant,
    Standard,
    StandardCheck,
    StandardsFramework,
    TrustSettings,
    UnnamedAttendance,
)
from coordinator_app.core.returns import (
    HEADERS,
    SHEETS,
    ExportCancelled,
    export_return,
    read_return,
)
from coordinator_app.core.rules import Month
from coordinator_app.core.vocab import (
    ActionLevel,
    ActionStatus,
    AssessmentKind,
    AssessmentStatus,
    AttendanceStatus,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingFormat,
    MeetingStatus,
    PaymentStatus,
    ProjectRole,
    ProjectStatus,
    Rating,
)

OCTOBER = Month(2026, 10)

#: Strings that must never leave the app in a return: protected names and everyone's contacts
#: and notes.
MARKERS = (
    "Zoë O'Neill",
    "Zoe O'Neill",
    "Siân Jones",
    "Sian Jones",
    "Seán Murphy",
    "MARKER-EMAIL",
    "MARKER-PHONE",
    "MARKER-NOTE",
    "MARKER-DETAIL",
    "MARKER-VENUE",
)

INJECTION = '=HYPERLINK("http://example.com/x","click")'


def _person(name: str, category: Category, tag: str) -> Participant:
    return Participant(
        name=name,
        category=category,
        email=f"{tag}.MARKER-EMAIL@example.org",
        phone=f"07700 900{len(tag):03d} MARKER-PHONE",
        notes=f"Likes tea MARKER-NOTE {tag}",
        consent_to_contact=True,
    )


@dataclass
class Scenario:
    rugby_id: Any
    coventry_id: Any


def build_scenario(db: Database) -> Scenario:
    """Rugby in October 2026, with every boundary of docs/counting-rules.md (figures worked out in
    ``EXPECTED_SUMMARY``)."""
    with db.transaction() as s:
        s.add(TrustSettings(trust_name="Arden Mental Health Trust", coordinator_name="Ceri Hale"))
        rugby = Locality(name="Rugby", code="RUG", coordinated=True)
        coventry = Locality(name="Coventry", code="COV")
        locality_forum = Forum(
            locality=rugby, name="Rugby Locality Forum", kind=ForumKind.LOCALITY_FORUM
        )
        carers_forum = Forum(locality=rugby, name="Rugby Carers Forum", kind=ForumKind.CARERS_FORUM)
        cov_forum = Forum(locality=coventry, name="Coventry Forum", kind=ForumKind.LOCALITY_FORUM)
        zoe = _person("Zoë O'Neill", Category.SERVICE_USER, "zoe")
        sian = _person("Siân Jones", Category.CARER, "sian")
        sean = _person("Seán Murphy", Category.SERVICE_USER, "sean")
        priya = _person("Priya Patel", Category.STAFF, "priya")
        alex = _person("Alex Rowe", Category.REPRESENTATIVE, "alex")
        pat = _person("Pat Quinn", Category.PARTNER, "pat")
        s.add_all([rugby, coventry, locality_forum, carers_forum, cov_forum])
        s.add_all([zoe, sian, sean, priya, alex, pat])

        def meeting(ref: str, forum: Forum, on: date, status: MeetingStatus, **kw: Any) -> Meeting:
            m = Meeting(
                reference=ref,
                forum=forum,
                meeting_date=on,
                status=status,
                venue="Hall MARKER-VENUE",
                notes="MARKER-NOTE meeting",
                **kw,
            )
            s.add(m)
            return m

        m0 = meeting("RUG-2609", locality_forum, date(2026, 9, 10), MeetingStatus.HELD)
        m1 = meeting("RUG-2610", locality_forum, date(2026, 10, 1), MeetingStatus.HELD)
        m2 = meeting(
            "RUG-2610-2",
            carers_forum,
            date(2026, 10, 31),
            MeetingStatus.HELD,
            format=MeetingFormat.ONLINE,
        )
        m3 = meeting("RUG-2610-3", locality_forum, date(2026, 10, 15), MeetingStatus.CANCELLED)
        meeting("RUG-2610-4", locality_forum, date(2026, 10, 25), MeetingStatus.PLANNED)
        m4 = meeting("RUG-2611", locality_forum, date(2026, 11, 1), MeetingStatus.HELD)
        cov = meeting("COV-2610", cov_forum, date(2026, 10, 8), MeetingStatus.HELD)

        present = AttendanceStatus.PRESENT
        for m, person, status in [
            (m0, sean, present),
            (m0, priya, present),
            (m1, zoe, present),
            (m1, sean, present),
            (m1, priya, present),
            (m1, alex, present),
            (m1, sian, AttendanceStatus.APOLOGIES),
            (m2, sian, present),
            (m2, zoe, present),
            (m2, pat, present),
            (m4, zoe, present),
            (cov, zoe, present),
            (cov, alex, present),
        ]:
            s.add(Attendance(meeting=m, participant=person, status=status))
        for m, category, count in [
            (m1, Category.SERVICE_USER, 2),
            (m1, Category.OTHER, 1),
            (m2, Category.CARER, 3),
            (m4, Category.CARER, 9),
            (cov, Category.STAFF, 5),
        ]:
            s.add(UnnamedAttendance(meeting=m, category=category, count=count))

        paid, declined = PaymentStatus.PAID, PaymentStatus.DECLINED
        for m, person, status, amount, expenses in [
            (m1, zoe, paid, 2500, 340),
            (m1, sean, declined, 2500, 0),
            (m2, sian, paid, 2000, 0),
            (m3, alex, paid, 2500, 0),  # a cancelled meeting: not counted
            (m0, sean, paid, 2500, 500),  # September
            (cov, alex, paid, 9999, 0),  # another locality
        ]:
            s.add(
                InvolvementPayment(
                    meeting=m,
                    participant=person,
                    status=status,
                    amount_pence=amount,
                    expenses_pence=expenses,
                )
            )

        e1 = ExperienceItem(
            locality=rugby,
            meeting=m1,
            received_on=date(2026, 10, 1),
            kind=ExperienceKind.COMPLIMENT,
            theme="Crisis care",
            service="Crisis team",
            summary="Zoë O'Neill said the crisis team listened; ZOE O’NEILL wants it kept.",
            response=INJECTION,
        )
        e2 = ExperienceItem(
            locality=rugby,
            received_on=date(2026, 10, 31),
            kind=ExperienceKind.CONCERN,
            theme="+1",
            service="-2",
            summary="@SUM(A1:A2)",
            response="Siân Jones was called back\x07 on the day.",
        )
        s.add_all([e1, e2])
        for on in (date(2026, 9, 30), date(2026, 11, 1)):
            s.add(
                ExperienceItem(
                    locality=rugby, received_on=on, kind=ExperienceKind.QUESTION, summary="x"
                )
            )
        s.add(
            ExperienceItem(
                locality=coventry,
                received_on=date(2026, 10, 10),
                kind=ExperienceKind.IDEA,
                summary="y",
            )
        )

        framework = StandardsFramework(name="Locality involvement", version="1")
        std = {
            code: Standard(
                framework=framework,
                position=i,
                code=code,
                domain=domain,
                title=title,
                criticality=crit,
            )
            for i, (code, domain, title, crit) in enumerate(
                [
                    ("1.1", "Forums and feedback", "Forums meet as planned", 1),
                    ("2.1", "You said - we did", "Actions are tracked", 2),
                    ("2.2", "You said - we did", "Responses within 20 days", 2),
                    ("3.1", "Recognition and payment", "Payments within 30 days", 3),
                ]
            )
        }
        s.add(framework)

        def assessment(
            on: date, status: AssessmentStatus, ratings: dict[str, Rating]
        ) -> Assessment:
            a = Assessment(
                locality=rugby,
                framework=framework,
                kind=AssessmentKind.SELF_REVIEW,
                assessed_on=on,
                status=status,
                submitted_at=datetime(on.year, on.month, on.day, 12, tzinfo=UTC)
                if status == AssessmentStatus.SUBMITTED
                else None,
            )
            for code, rating in ratings.items():
                a.checks.append(
                    StandardCheck(standard=std[code], rating=rating, notes="MARKER-NOTE check")
                )
            s.add(a)
            return a

        counted = assessment(
            date(2026, 9, 15),
            AssessmentStatus.SUBMITTED,
            {
                "1.1": Rating.MET,
                "2.1": Rating.MET,
                "2.2": Rating.PARTLY_MET,
                "3.1": Rating.NOT_APPLICABLE,
            },
        )
        all_met = dict.fromkeys(std, Rating.MET)
        assessment(date(2026, 10, 20), AssessmentStatus.DRAFT, all_met)  # drafts never count
        assessment(date(2026, 11, 1), AssessmentStatus.SUBMITTED, all_met)  # dated on N
        s.flush()
        check_1_1 = next(c for c in counted.checks if c.standard is std["1.1"])

        def action(ref: str, raised: date, title: str, **kw: Any) -> Action:
            status = kw.pop("status", ActionStatus.OPEN)
            a = Action(
                reference=ref,
                locality=kw.pop("locality", rugby),
                raised_on=raised,
                title=title,
                detail="MARKER-DETAIL",
                level=kw.pop("level", ActionLevel.LOCALITY),
                status=status,
                **kw,
            )
            s.add(a)
            return a

        action(
            "RUG-A1",
            date(2026, 10, 1),
            "Call Zoë O'Neill about transport",
            meeting=m1,
            owner="Priya Patel",
            due_on=date(2026, 10, 31),
        )
        action(
            "RUG-A2",
            date(2026, 9, 10),
            "Fix the hearing loop",
            meeting=m0,
            owner="Estates",
            due_on=date(2026, 10, 15),
            status=ActionStatus.COMPLETED,
            closed_on=date(2026, 11, 1),
            outcome="Loop fixed; Seán Murphy tested it",
        )
        action(
            "RUG-A3",
            date(2026, 9, 10),
            "Share the leaflet",
            meeting=m0,
            status=ActionStatus.COMPLETED,
            closed_on=date(2026, 10, 20),
            outcome="-2 chairs moved",
        )
        action(
            "RUG-A4",
            date(2026, 10, 31),
            "Fix\x07 the ramp",
            experience_item=e2,
            level=ActionLevel.TEAM_WARD,
            owner="+44 team",
            due_on=date(2026, 12, 1),
            status=ActionStatus.IN_PROGRESS,
            outcome="@SUM(1,2)",
        )
        action(
            "RUG-A5",
            date(2026, 8, 1),
            "Closed before October",
            status=ActionStatus.CANCELLED,
            closed_on=date(2026, 9, 30),
        )
        action("RUG-A6", date(2026, 11, 1), "Raised on N")
        action(
            "RUG-A7",
            date(2026, 10, 5),
            "Write the payment policy",
            standard_check_id=check_1_1.id,
            status=ActionStatus.CANCELLED,
            closed_on=date(2026, 10, 6),
        )
        action("COV-A1", date(2026, 10, 2), "Coventry only", locality=coventry)

        poll = Poll(meeting=m2, question="How confident are you that the trust will deliver this?")
        for i, (answer, count) in enumerate(
            [("Confident", 24), ("Not sure", 45), ("Not confident", 31)]
        ):
            poll.answers.append(PollAnswer(position=i, answer=answer, count=count))
        cancelled_poll = Poll(meeting=m3, question="Never asked")
        cancelled_poll.answers.append(PollAnswer(answer="Yes", count=1))
        s.add_all([poll, cancelled_poll])

        p1 = ImprovementProject(
            locality=rugby,
            title="Crisis card",
            status=ProjectStatus.ACTIVE,
            started_on=date(2026, 6, 1),
        )
        p2 = ImprovementProject(
            locality=rugby,
            title="Welcome pack",
            status=ProjectStatus.COMPLETED,
            started_on=date(2026, 1, 1),
            ended_on=date(2026, 10, 1),
        )
        p3 = ImprovementProject(locality=rugby, title="Idea", status=ProjectStatus.PROPOSED)
        s.add_all([p1, p2, p3])
        for project, person in [(p1, zoe), (p1, sian), (p2, zoe), (p2, priya), (p3, alex)]:
            s.add(ProjectParticipant(project=project, participant=person, role=ProjectRole.ADVISER))
        s.flush()
        return Scenario(rugby.id, coventry.id)


#: Worked out by hand from ``build_scenario``:
#: - held: RUG-2610 (1 Oct) and RUG-2610-2 (31 Oct); cancelled: RUG-2610-3; planned and 1 Nov
#:   meetings do not count.
#: - RUG-2610: Zoë, Seán (service users), Priya (staff), Alex (rep) present, Siân apologies,
#:   unnamed 2 service users + 1 other = 7. RUG-2610-2: Siân (carer), Zoë, Pat (partner) + 3
#:   unnamed carers = 6. Total 13: service users 2+1+2 = 5, carers 1+3 = 4, rep 1, staff 1,
#:   partner 1, other 1.
#: - distinct named: Zoë, Seán, Priya, Alex, Siân, Pat = 6; new: not Seán nor Priya (present in
#:   September) = 4.
#: - experience: 1 Oct and 31 Oct = 2 (30 Sep, 1 Nov and Coventry's are out).
#: - actions raised: A1 (1 Oct), A4 (31 Oct), A7 (5 Oct) = 3; completed: A3 (20 Oct) = 1 (A2 was
#:   completed on 1 Nov, A7 cancelled); open at N: A1, A2 (closed on N), A4 = 3; overdue at N: A1
#:   (due 31 Oct), A2 (due 15 Oct) = 2.
#: - payments: Zoë 25.00 + 3.40 and Siân 20.00 paid at held October meetings = 2, 45.00, 3.40
#:   (Seán declined; Alex's was for a cancelled meeting).
#: - projects: Crisis card (active) and Welcome pack (ended on F) = 2; people Zoë, Siân, Priya = 3.
#: - accreditation: the 15 Sep submission (the 20 Oct draft and the 1 Nov one do not count):
#:   c1 1/1, c2 1/2 (partly met is not met), c3 not applicable -> Not accredited; 2/3 = 66.7%.
EXPECTED_SUMMARY: list[tuple[str, Any]] = [
    ("Meetings held", 2),
    ("Meetings cancelled", 1),
    ("Attendances", 13),
    ("Attendances - service users", 5),
    ("Attendances - carers", 4),
    ("Attendances - representatives", 1),
    ("Attendances - staff", 1),
    ("Attendances - partner organisations", 1),
    ("Attendances - other", 1),
    ("Distinct named participants", 6),
    ("New participants", 4),
    ("Experience items", 2),
    ("Actions raised", 3),
    ("Actions completed", 1),
    ("Actions open at month end", 3),
    ("Actions overdue at month end", 2),
    ("Involvement payments", 2),
    ("Involvement payments (GBP)", 45.0),
    ("Expenses (GBP)", 3.4),
    ("Improvement projects active", 2),
    ("People involved in improvement projects", 3),
    ("Accreditation result", "Not accredited"),
    ("Standards met (%)", 66.7),
]

EXPECTED_MEETINGS = [
    (date(2026, 10, 1), "Rugby Locality Forum", "In person", "Held", 7, 4, 0, 1, 1, 0, 1, 1),
    (date(2026, 10, 15), "Rugby Locality Forum", "In person", "Cancelled", 0, 0, 0, 0, 0, 0, 0, 0),
    (date(2026, 10, 31), "Rugby Carers Forum", "Online", "Held", 6, 1, 4, 0, 0, 1, 0, 0),
]


def _export(db: Database, tmp_path: Path, **kw: Any) -> Path:
    return export_return(
        db,
        locality=kw.pop("locality", "rugby"),
        month=kw.pop("month", OCTOBER),
        target=kw.pop("target", tmp_path / "rugby-2026-10.xlsx"),
        app_version="0.1.0",
        **kw,
    )


def _openpyxl_rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    wb = openpyxl.load_workbook(path)
    try:
        return [tuple(row) for row in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def _calamine_rows(path: Path, sheet: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


@pytest.fixture
def scenario_return(db: Database, tmp_path: Path) -> Path:
    build_scenario(db)
    return _export(db, tmp_path)


def test_month_figures_match_the_hand_worked_summary(db: Database) -> None:
    ids = build_scenario(db)
    with db.session() as s:
        figures = month_figures(s, ids.rugby_id, OCTOBER)
    assert [(k, float(v) if isinstance(v, Decimal) else v) for k, v in figures.rows()] == (
        EXPECTED_SUMMARY
    )
    assert figures.payments_gbp == Decimal("45.00")
    assert figures.expenses_gbp == Decimal("3.40")


def test_return_sheets_and_headers_are_those_of_format_version_1(scenario_return: Path) -> None:
    wb = openpyxl.load_workbook(scenario_return)
    assert wb.sheetnames == list(SHEETS)
    for sheet in SHEETS:
        ws = wb[sheet]
        assert tuple(c.value for c in ws[1]) == HEADERS[sheet]
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws.page_setup.orientation == "landscape"
        assert not ws.sheet_properties.pageSetUpPr.fitToPage  # never shrunk to fit (#24)
    assert [f for f, _ in _openpyxl_rows(scenario_return, "Return")[1:]] == [
        "Trust",
        "Locality",
        "Month",
        "Prepared by",
        "Generated at",
        "App version",
        "Format version",
    ]


def test_summary_read_back_with_openpyxl_matches_the_hand_worked_figures(
    scenario_return: Path,
) -> None:
    rows = _openpyxl_rows(scenario_return, "Summary")
    assert rows[0] == ("Measure", "Value")
    assert [(label, value) for label, value in rows[1:]] == EXPECTED_SUMMARY
    wb = openpyxl.load_workbook(scenario_return)
    assert len(wb["Summary"]._charts) == 2


def test_summary_read_back_with_calamine_matches_the_hand_worked_figures(
    scenario_return: Path,
) -> None:
    rows = _calamine_rows(scenario_return, "Summary")
    assert rows[0] == ["Measure", "Value"]
    assert [(r[0], r[1]) for r in rows[1:]] == EXPECTED_SUMMARY


def test_return_sheet_fields_read_back_with_both_readers(scenario_return: Path) -> None:
    fields = dict(_openpyxl_rows(scenario_return, "Return")[1:])
    assert fields["Trust"] == "Arden Mental Health Trust"
    assert fields["Locality"] == "Rugby"
    assert fields["Month"] == "2026-10"
    assert fields["Prepared by"] == "Ceri Hale"
    assert isinstance(fields["Generated at"], datetime)
    assert fields["App version"] == "0.1.0"
    assert fields["Format version"] == 2
    calamine = {r[0]: r[1] for r in _calamine_rows(scenario_return, "Return")[1:]}
    assert calamine["Month"] == "2026-10"
    assert calamine["Format version"] == 2
    assert isinstance(calamine["Generated at"], datetime)


def test_meetings_sheet_has_held_and_cancelled_meetings_of_the_month(scenario_return: Path) -> None:
    rows = _openpyxl_rows(scenario_return, "Meetings")[1:]
    as_dates = [(r[0].date(), *r[1:]) for r in rows]
    assert as_dates == EXPECTED_MEETINGS
    calamine = _calamine_rows(scenario_return, "Meetings")[1:]
    assert [tuple(r) for r in calamine] == [tuple(r) for r in EXPECTED_MEETINGS]


def test_actions_sheet_lists_actions_open_at_any_time_in_the_month(scenario_return: Path) -> None:
    rows = _calamine_rows(scenario_return, "Actions")[1:]
    by_ref = {r[0]: r for r in rows}
    assert list(by_ref) == ["RUG-A2", "RUG-A3", "RUG-A1", "RUG-A7", "RUG-A4"]
    a1, a2, a3, a4, a7 = (by_ref[k] for k in ("RUG-A1", "RUG-A2", "RUG-A3", "RUG-A4", "RUG-A7"))
    assert a1 == [
        "RUG-A1",
        date(2026, 10, 1),
        "Meeting RUG-2610, Rugby Locality Forum",
        "Call [service user] about transport",
        "Locality",
        "",
        "Priya Patel",
        date(2026, 10, 31),
        "Open",
        "",
        1,
        "",
    ]
    assert a2[8:11] == ["Completed", date(2026, 11, 1), 17]
    assert a2[11] == "Loop fixed; [service user] tested it"
    assert a3[9:11] == [date(2026, 10, 20), ""]
    assert a4[2] == "Experience item"
    assert a4[3] == "Fix the ramp"
    assert a4[4] == "Team/ward"
    assert a4[10] == ""
    assert a7[2] == "Standard check 1.1"
    assert a7[8] == "Cancelled"


def test_experience_accreditation_and_polls_sheets(scenario_return: Path) -> None:
    experience = _calamine_rows(scenario_return, "Experience")[1:]
    assert experience == [
        [
            date(2026, 10, 1),
            "Rugby Locality Forum",
            "Compliment",
            "Crisis care",
            "Crisis team",
            "[service user] said the crisis team listened; [service user] wants it kept.",
            INJECTION,
        ],
        [
            date(2026, 10, 31),
            "",
            "Concern",
            "+1",
            "-2",
            "@SUM(A1:A2)",
            "[carer] was called back on the day.",
        ],
    ]
    accreditation = _calamine_rows(scenario_return, "Accreditation")[1:]
    assert accreditation == [
        ["1.1", "Forums and feedback", "Forums meet as planned", 1, "Met", date(2026, 9, 15)],
        ["2.1", "You said - we did", "Actions are tracked", 2, "Met", date(2026, 9, 15)],
        [
            "2.2",
            "You said - we did",
            "Responses within 20 days",
            2,
            "Partly met",
            date(2026, 9, 15),
        ],
        [
            "3.1",
            "Recognition and payment",
            "Payments within 30 days",
            3,
            "Not applicable",
            date(2026, 9, 15),
        ],
    ]
    polls = _calamine_rows(scenario_return, "Polls")[1:]
    question = "How confident are you that the trust will deliver this?"
    assert polls == [
        [date(2026, 10, 31), "Rugby Carers Forum", question, "Confident", 24],
        [date(2026, 10, 31), "Rugby Carers Forum", question, "Not sure", 45],
        [date(2026, 10, 31), "Rugby Carers Forum", question, "Not confident", 31],
    ]


def test_dates_are_real_dates_and_counts_are_numbers(scenario_return: Path) -> None:
    wb = openpyxl.load_workbook(scenario_return)
    actions = wb["Actions"]
    assert actions["B2"].is_date
    assert actions["K2"].data_type == "n"
    assert wb["Meetings"]["A2"].is_date
    assert wb["Meetings"]["E2"].data_type == "n"
    assert wb["Summary"]["B19"].number_format == "#,##0.00"


def test_no_protected_name_contact_or_note_appears_anywhere(scenario_return: Path) -> None:
    wb = CalamineWorkbook.from_path(str(scenario_return))
    texts = []
    for sheet in wb.sheet_names:
        for row in wb.get_sheet_by_name(sheet).to_python():
            texts.extend(str(v) for v in row)
    everything = "\n".join(texts)
    for marker in MARKERS:
        assert marker.casefold() not in everything.casefold(), marker
    assert "[service user]" in everything
    assert "[carer]" in everything
    # And the raw XML: nothing hidden in a comment, a defined name or a chart title.
    import zipfile

    with zipfile.ZipFile(scenario_return) as archive:
        raw = "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    for marker in ("MARKER-EMAIL", "MARKER-PHONE", "MARKER-NOTE", "MARKER-VENUE", "O'Neill"):
        assert marker not in raw, marker
    assert "O&apos;Neill" not in raw


def test_text_that_looks_like_a_formula_stays_text(scenario_return: Path) -> None:
    wb = openpyxl.load_workbook(scenario_return)  # formulas would read back as data_type "f"
    cells = {
        c.value: c.data_type
        for sheet in wb.worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str)
    }
    for text in (INJECTION, "+1", "-2", "@SUM(A1:A2)", "-2 chairs moved", "@SUM(1,2)", "+44 team"):
        assert cells[text] == "s", text
    calamine = _calamine_rows(scenario_return, "Experience")
    assert calamine[1][6] == INJECTION


def test_control_characters_are_stripped(scenario_return: Path) -> None:
    rows = _calamine_rows(scenario_return, "Actions")
    assert "Fix the ramp" in [r[3] for r in rows]
    assert all("\x07" not in str(v) for r in rows for v in r)


def test_prepared_by_given_overrides_the_coordinator(db: Database, tmp_path: Path) -> None:
    build_scenario(db)
    path = _export(db, tmp_path, prepared_by="Siôn Evans")
    assert dict(_openpyxl_rows(path, "Return")[1:])["Prepared by"] == "Siôn Evans"


def test_unknown_locality_names_the_known_ones(db: Database, tmp_path: Path) -> None:
    build_scenario(db)
    with pytest.raises(CoordinatorError) as caught:
        _export(db, tmp_path, locality="Nuneaton")
    message = str(caught.value)
    assert "Nuneaton" in message and "Coventry" in message and "Rugby" in message
    assert not (tmp_path / "rugby-2026-10.xlsx").exists()


def test_locality_name_matches_in_any_case(db: Database, tmp_path: Path) -> None:
    build_scenario(db)
    path = _export(db, tmp_path, locality="  RUGBY ")
    assert dict(_openpyxl_rows(path, "Return")[1:])["Locality"] == "Rugby"


def test_empty_month_has_header_only_tables_and_no_accreditation(
    db: Database, tmp_path: Path
) -> None:
    build_scenario(db)
    path = _export(db, tmp_path, month=Month(2025, 1))
    for sheet in ("Meetings", "Actions", "Experience", "Accreditation", "Polls"):
        assert _calamine_rows(path, sheet) == [list(HEADERS[sheet])], sheet
    summary = dict(_openpyxl_rows(path, "Summary")[1:])
    assert summary["Accreditation result"] == "None"
    assert summary["Standards met (%)"] is None
    assert summary["Attendances"] == 0


def test_read_only_target_is_refused_and_left_intact(db: Database, tmp_path: Path) -> None:
    build_scenario(db)
    target = tmp_path / "return.xlsx"
    target.write_bytes(b"old contents")
    target.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        with pytest.raises(CoordinatorError, match="read-only"):
            _export(db, tmp_path, target=target)
        assert target.read_bytes() == b"old contents"
    finally:
        target.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx") == ["return.xlsx"]


def test_target_open_elsewhere_gives_a_sentence_and_keeps_the_old_file(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_scenario(db)
    target = tmp_path / "return.xlsx"
    target.write_bytes(b"old contents")

    def locked(src: Any, dst: Any) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(files.os, "replace", locked)
    with pytest.raises(CoordinatorError, match="open in another program"):
        _export(db, tmp_path, target=target)
    monkeypatch.undo()
    assert target.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx"] == ["return.xlsx"]


def test_cancel_writes_nothing(db: Database, tmp_path: Path) -> None:
    build_scenario(db)
    calls: list[int] = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(ExportCancelled):
        _export(db, tmp_path, cancelled=cancelled)
    assert list(tmp_path.glob("*.xlsx")) == []


def test_progress_rises_to_the_total(db: Database, tmp_path: Path) -> None:
    build_scenario(db)
    seen: list[tuple[int, int]] = []
    _export(db, tmp_path, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (11, 11)  # format version 2: one more sheet, Reach
    assert [d for d, _ in seen] == list(range(1, 12))


def test_read_return_gives_back_what_was_exported(scenario_return: Path) -> None:
    data = read_return(scenario_return)
    assert data.locality == "Rugby"
    assert data.month == OCTOBER
    assert list(data.summary) == EXPECTED_SUMMARY
    assert data.tables["Meetings"] == EXPECTED_MEETINGS
    assert data.tables["Actions"][0][1] == date(2026, 9, 10)
    assert len(data.tables["Polls"]) == 3


def _edit(path: Path, edit: Any) -> Path:
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def _set_version(version: int, *, drop_reach: bool) -> Any:
    def edit(wb: Any) -> None:
        ws = wb["Return"]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "Format version":
                row[1].value = version
        if drop_reach:
            del wb["Reach"]

    return edit


def test_read_return_refuses_format_version_3(scenario_return: Path) -> None:
    _edit(scenario_return, _set_version(3, drop_reach=False))
    with pytest.raises(WorkbookError, match="Format version is 3; this app reads format versions"):
        read_return(scenario_return)


def test_read_return_reads_version_1_without_reach(scenario_return: Path) -> None:
    version_2 = read_return(scenario_return)
    assert version_2.fields["Format version"] == 2 and "Reach" in version_2.tables
    _edit(scenario_return, _set_version(1, drop_reach=True))
    version_1 = read_return(scenario_return)
    assert version_1.tables["Reach"] == []
    assert version_1.tables["Meetings"] == version_2.tables["Meetings"]
    assert version_1.summary == version_2.summary


def test_read_return_refuses_version_2_without_reach(scenario_return: Path) -> None:
    _edit(scenario_return, _set_version(2, drop_reach=True))
    with pytest.raises(WorkbookError) as caught:
        read_return(scenario_return)
    assert caught.value.problems == ["Sheet 'Reach' is missing."]


def test_read_return_names_a_wrong_header_and_a_missing_sheet(scenario_return: Path) -> None:
    def spoil(wb: Any) -> None:
        wb["Actions"]["C1"].value = "Origin"
        del wb["Polls"]

    _edit(scenario_return, spoil)
    with pytest.raises(WorkbookError) as caught:
        read_return(scenario_return)
    problems = caught.value.problems
    assert "Sheet 'Polls' is missing." in problems
    assert any(p.startswith("Sheet 'Actions' row 1: the headers should be") for p in problems)


def test_read_return_refuses_a_workbook_that_is_no_return(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Budget"
    wb.save(path)
    with pytest.raises(WorkbookError, match=r"budget\.xlsx is not a monthly return"):
        read_return(path)
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(WorkbookError, match="is not a spreadsheet this app reads"):
        read_return(text)


def test_read_return_refuses_two_localities(scenario_return: Path) -> None:
    _edit(scenario_return, lambda wb: wb["Return"].append(["Locality", "Coventry"]))
    with pytest.raises(WorkbookError, match="one locality and one month"):
        read_return(scenario_return)


def test_export_replaces_an_existing_return(db: Database, tmp_path: Path) -> None:
    build_scenario(db)
    target = tmp_path / "return.xlsx"
    target.write_bytes(b"old")
    _export(db, tmp_path, target=target)
    assert read_return(target).locality == "Rugby"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert os.access(target, os.R_OK)
