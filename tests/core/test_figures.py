"""Month figures (the Summary of the return), the month-by-month series, and name redaction."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from coordinator_app.core.db import Database
from coordinator_app.core.figures import (
    SUMMARY_MEASURES,
    MonthFigures,
    month_figures,
    monthly_series,
    pounds,
)
from coordinator_app.core.models import (
    Action,
    Assessment,
    Attendance,
    Forum,
    ImprovementProject,
    InvolvementPayment,
    Locality,
    Meeting,
    Participant,
    ProjectParticipant,
    Standard,
    StandardCheck,
    StandardsFramework,
    UnnamedAttendance,
)
from coordinator_app.core.rules import Month
from coordinator_app.core.vocab import (
    ActionLevel,
    ActionStatus,
    AssessmentKind,
    AssessmentStatus,
    AttendanceStatus,
    Category,
    ForumKind,
    MeetingStatus,
    PaymentStatus,
    ProjectRole,
    ProjectStatus,
    Rating,
)

OCTOBER = Month(2026, 10)
PRESENT = AttendanceStatus.PRESENT
HELD = MeetingStatus.HELD


class World:
    """Two localities with one forum each, built inside one transaction."""

    def __init__(self, s: Any) -> None:
        self.s = s
        self.rugby = Locality(name="Rugby", code="RUG")
        self.coventry = Locality(name="Coventry", code="COV")
        self.forum = Forum(locality=self.rugby, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM)
        self.cov_forum = Forum(
            locality=self.coventry, name="Coventry Forum", kind=ForumKind.LOCALITY_FORUM
        )
        s.add_all([self.rugby, self.coventry, self.forum, self.cov_forum])
        self._n = 0

    def person(self, name: str, category: Category = Category.SERVICE_USER) -> Participant:
        p = Participant(name=name, category=category)
        self.s.add(p)
        return p

    def meeting(
        self, on: date, status: MeetingStatus = HELD, forum: Forum | None = None
    ) -> Meeting:
        self._n += 1
        m = Meeting(
            reference=f"M{self._n}", forum=forum or self.forum, meeting_date=on, status=status
        )
        self.s.add(m)
        return m

    def attend(self, m: Meeting, p: Participant, status: AttendanceStatus = PRESENT) -> None:
        self.s.add(Attendance(meeting=m, participant=p, status=status))


def _figures(db: Database, month: Month = OCTOBER, locality: str = "Rugby") -> MonthFigures:
    from sqlalchemy import select

    with db.session() as s:
        locality_id = s.scalar(select(Locality.id).where(Locality.name == locality))
        return month_figures(s, locality_id, month)


def test_rows_are_the_summary_of_section_6_1_in_order_and_wording(db: Database) -> None:
    with db.transaction() as s:
        World(s)
    labels = [label for label, _ in _figures(db).rows()]
    assert labels == list(SUMMARY_MEASURES)
    assert labels == [
        "Meetings held",
        "Meetings cancelled",
        "Attendances",
        "Attendances - service users",
        "Attendances - carers",
        "Attendances - representatives",
        "Attendances - staff",
        "Attendances - partner organisations",
        "Attendances - other",
        "Distinct named participants",
        "New participants",
        "Experience items",
        "Actions raised",
        "Actions completed",
        "Actions open at month end",
        "Actions overdue at month end",
        "Involvement payments",
        "Involvement payments (GBP)",
        "Expenses (GBP)",
        "Improvement projects active",
        "People involved in improvement projects",
        "Accreditation result",
        "Standards met (%)",
    ]


def test_an_empty_locality_has_zeros_and_no_accreditation(db: Database) -> None:
    with db.transaction() as s:
        World(s)
    figures = _figures(db)
    values = dict(figures.rows())
    assert values["Accreditation result"] == "None"
    assert values["Standards met (%)"] is None
    assert values["Involvement payments (GBP)"] == Decimal("0.00")
    assert all(
        v == 0 for k, v in values.items() if k not in {"Accreditation result", "Standards met (%)"}
    )


def test_new_participants_first_present_at_a_held_meeting_of_any_locality(db: Database) -> None:
    with db.transaction() as w:
        world = World(w)
        september = world.meeting(date(2026, 9, 30))
        sept_elsewhere = world.meeting(date(2026, 9, 2), forum=world.cov_forum)
        sept_cancelled = world.meeting(date(2026, 9, 3), MeetingStatus.CANCELLED)
        sept_planned = world.meeting(date(2026, 9, 4), MeetingStatus.PLANNED)
        october = world.meeting(date(2026, 10, 1))
        october_late = world.meeting(date(2026, 10, 31))
        came_before = world.person("Zoë")
        came_elsewhere = world.person("Siân", Category.CARER)
        apologised_before = world.person("Seán")
        marked_at_cancelled = world.person("O'Neill")
        marked_at_planned = world.person("Dee")
        brand_new_twice = world.person("Ana")
        only_apologies = world.person("Bo", Category.STAFF)
        world.attend(september, came_before)
        world.attend(sept_elsewhere, came_elsewhere)
        world.attend(september, apologised_before, AttendanceStatus.APOLOGIES)
        world.attend(sept_cancelled, marked_at_cancelled)
        world.attend(sept_planned, marked_at_planned)
        for p in (
            came_before,
            came_elsewhere,
            apologised_before,
            marked_at_cancelled,
            marked_at_planned,
            brand_new_twice,
        ):
            world.attend(october, p)
        world.attend(october_late, brand_new_twice)
        world.attend(october, only_apologies, AttendanceStatus.APOLOGIES)
    figures = _figures(db)
    assert figures.distinct_participants == 6
    assert figures.new_participants == 4  # not Zoë (here in Sept), not Siân (Coventry in Sept)
    assert figures.attendances == 7
    assert figures.attendances_staff == 0


def test_attendances_by_category_add_unnamed_counts_of_held_meetings_only(db: Database) -> None:
    with db.transaction() as w:
        world = World(w)
        held = world.meeting(date(2026, 10, 10))
        cancelled = world.meeting(date(2026, 10, 11), MeetingStatus.CANCELLED)
        elsewhere = world.meeting(date(2026, 10, 12), forum=world.cov_forum)
        world.attend(held, world.person("Rep", Category.REPRESENTATIVE))
        world.attend(held, world.person("Partner", Category.PARTNER))
        world.attend(held, world.person("Absent"), AttendanceStatus.ABSENT)
        for m, cat, n in [
            (held, Category.CARER, 3),
            (held, Category.OTHER, 2),
            (cancelled, Category.CARER, 7),
            (elsewhere, Category.STAFF, 4),
        ]:
            w.add(UnnamedAttendance(meeting=m, category=cat, count=n))
    f = _figures(db)
    assert f.attendances_by_category() == {
        Category.SERVICE_USER: 0,
        Category.CARER: 3,
        Category.REPRESENTATIVE: 1,
        Category.STAFF: 0,
        Category.PARTNER: 1,
        Category.OTHER: 2,
    }
    assert (f.attendances, f.meetings_held, f.meetings_cancelled) == (7, 1, 1)
    assert f.distinct_participants == 2


def test_payments_count_paid_ones_at_held_meetings_in_pounds(db: Database) -> None:
    with db.transaction() as w:
        world = World(w)
        held = world.meeting(date(2026, 10, 10))
        cancelled = world.meeting(date(2026, 10, 11), MeetingStatus.CANCELLED)
        november = world.meeting(date(2026, 11, 1))
        people = [world.person(f"P{i}") for i in range(6)]
        for m, p, status, amount, expenses in [
            (held, people[0], PaymentStatus.PAID, 2500, 375),
            (held, people[1], PaymentStatus.PAID, 1999, 1),
            (held, people[2], PaymentStatus.DECLINED, 2500, 0),
            (held, people[3], PaymentStatus.OFFERED, 2500, 0),
            (cancelled, people[4], PaymentStatus.PAID, 2500, 0),
            (november, people[5], PaymentStatus.PAID, 2500, 0),
        ]:
            w.add(
                InvolvementPayment(
                    meeting=m,
                    participant=p,
                    status=status,
                    amount_pence=amount,
                    expenses_pence=expenses,
                )
            )
    f = _figures(db)
    assert f.payments == 2
    assert f.payments_gbp == Decimal("44.99")
    assert f.expenses_gbp == Decimal("3.76")
    assert pounds(5) == Decimal("0.05") and pounds(None) == Decimal("0.00")


def test_projects_active_and_distinct_people_involved(db: Database) -> None:
    with db.transaction() as w:
        world = World(w)
        zoe, sian, bo = world.person("Zoë"), world.person("Siân"), world.person("Bo")
        a = ImprovementProject(
            locality=world.rugby,
            title="A",
            status=ProjectStatus.ACTIVE,
            started_on=date(2026, 10, 31),
        )
        b = ImprovementProject(
            locality=world.rugby,
            title="B",
            status=ProjectStatus.COMPLETED,
            started_on=date(2026, 1, 1),
            ended_on=date(2026, 10, 1),
        )
        c = ImprovementProject(
            locality=world.rugby,
            title="C",
            status=ProjectStatus.COMPLETED,
            started_on=date(2026, 1, 1),
            ended_on=date(2026, 9, 30),
        )
        d = ImprovementProject(
            locality=world.coventry,
            title="D",
            status=ProjectStatus.ACTIVE,
            started_on=date(2026, 1, 1),
        )
        w.add_all([a, b, c, d])
        for project, person in [(a, zoe), (a, sian), (b, zoe), (c, bo), (d, bo)]:
            w.add(
                ProjectParticipant(
                    project=project, participant=person, role=ProjectRole.CO_PRODUCER
                )
            )
    f = _figures(db)
    assert (f.projects_active, f.project_people) == (2, 2)


def test_actions_and_experience_of_other_localities_do_not_count(db: Database) -> None:
    with db.transaction() as w:
        world = World(w)
        for ref, loc in [("RUG-A1", world.rugby), ("COV-A1", world.coventry)]:
            w.add(
                Action(
                    reference=ref,
                    locality=loc,
                    raised_on=date(2026, 10, 2),
                    title="t",
                    level=ActionLevel.LOCALITY,
                    due_on=date(2026, 10, 3),
                )
            )
    f = _figures(db)
    assert (f.actions_raised, f.actions_open, f.actions_overdue) == (1, 1, 1)


def _assess(
    w: Any,
    world: World,
    on: date,
    status: AssessmentStatus,
    ratings: list[Rating],
    framework: StandardsFramework,
) -> None:
    a = Assessment(
        locality=world.rugby,
        framework=framework,
        kind=AssessmentKind.PEER_REVIEW,
        assessed_on=on,
        status=status,
    )
    for standard, rating in zip(framework.standards, ratings, strict=True):
        a.checks.append(StandardCheck(standard=standard, rating=rating))
    w.add(a)


def test_accreditation_uses_the_latest_submitted_assessment_dated_before_n(db: Database) -> None:
    with db.transaction() as w:
        world = World(w)
        framework = StandardsFramework(name="F", version="1")
        for i, crit in enumerate((1, 2, 2, 3)):
            framework.standards.append(
                Standard(code=f"{i}", domain="D", title="T", criticality=crit, position=i)
            )
        w.add(framework)
        met, no = Rating.MET, Rating.NOT_MET
        _assess(
            w, world, date(2026, 3, 1), AssessmentStatus.SUBMITTED, [met, met, met, met], framework
        )
        _assess(
            w, world, date(2026, 10, 31), AssessmentStatus.SUBMITTED, [met, met, met, no], framework
        )
        _assess(w, world, date(2026, 10, 31), AssessmentStatus.DRAFT, [no, no, no, no], framework)
        _assess(
            w, world, date(2026, 11, 1), AssessmentStatus.SUBMITTED, [no, no, no, no], framework
        )
    october = _figures(db)
    assert (october.accreditation_result, october.standards_met_percent) == ("Deferred", 75.0)
    september = _figures(db, Month(2026, 9))
    assert (september.accreditation_result, september.standards_met_percent) == (
        "Accredited",
        100.0,
    )
    assert _figures(db, Month(2026, 2)).accreditation_result == "None"
    assert _figures(db, Month(2026, 11)).accreditation_result == "Not accredited"


def test_monthly_series_agrees_with_month_figures_month_by_month(db: Database) -> None:
    rng = random.Random(7)
    with db.transaction() as w:
        world = World(w)
        people = [world.person(f"Person {i}", rng.choice(list(Category))) for i in range(25)]
        start = date(2025, 10, 1)
        for _ in range(60):
            on = start + timedelta(days=rng.randrange(0, 400))
            m = world.meeting(
                on,
                rng.choice([HELD, HELD, MeetingStatus.CANCELLED]),
                forum=rng.choice([world.forum, world.forum, world.cov_forum]),
            )
            for p in rng.sample(people, 5):
                world.attend(m, p, rng.choice([PRESENT, PRESENT, AttendanceStatus.APOLOGIES]))
            w.add(
                UnnamedAttendance(
                    meeting=m, category=rng.choice(list(Category)), count=rng.randrange(0, 4)
                )
            )
        for i in range(80):
            raised = start + timedelta(days=rng.randrange(0, 400))
            status = rng.choice(list(ActionStatus))
            closed = (
                raised + timedelta(days=rng.randrange(0, 90))
                if status in (ActionStatus.COMPLETED, ActionStatus.CANCELLED)
                else None
            )
            due = raised + timedelta(days=rng.randrange(0, 60)) if rng.random() < 0.8 else None
            w.add(
                Action(
                    reference=f"A{i}",
                    locality=rng.choice([world.rugby, world.coventry]),
                    raised_on=raised,
                    due_on=due,
                    status=status,
                    closed_on=closed,
                    title="t",
                    level=ActionLevel.TEAM_WARD,
                )
            )
    from sqlalchemy import select

    last = Month(2026, 9)
    with db.session() as s:
        rugby = s.scalar(select(Locality.id).where(Locality.name == "Rugby"))
        series = monthly_series(s, rugby, last, months=12)
        assert series.months[0] == Month(2025, 10) and series.months[-1] == last
        for i, month in enumerate(series.months):
            f = month_figures(s, rugby, month)
            assert {c: v[i] for c, v in series.attendances.items()} == f.attendances_by_category()
            assert series.attendances_total()[i] == f.attendances
            assert series.actions_raised[i] == f.actions_raised
            assert series.actions_completed[i] == f.actions_completed
            assert series.actions_open[i] == f.actions_open
            assert series.actions_overdue[i] == f.actions_overdue
    assert sum(series.attendances_total()) > 0 and sum(series.actions_raised) > 0


def test_monthly_series_needs_at_least_one_month(db: Database) -> None:
    with db.transaction() as w:
        world = World(w)
        w.flush()
        rugby = world.rugby.id
    with db.session() as s, pytest.raises(ValueError):
        monthly_series(s, rugby, OCTOBER, months=0)
