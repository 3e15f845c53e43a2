"""Forums and meetings: validation at the field, references, the register, agenda, payments,
experience, the next sitting with its matters arising, and the aggregated list."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from coordinator_app.core import actions, meetings, people
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database
from coordinator_app.core.errors import CoordinatorError, NotFoundError, ValidationError
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.models import (
    AgendaItem,
    Attendance,
    AuditEntry,
    ExperienceItem,
    Meeting,
    Participant,
    UnnamedAttendance,
)
from coordinator_app.core.people import ParticipantInput
from coordinator_app.core.rules import Month
from coordinator_app.core.settings import ensure_locality, save_settings
from coordinator_app.core.vocab import (
    ActionStatus,
    AttendanceStatus,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingFormat,
    MeetingStatus,
    PaymentStatus,
)

PAST = date(2026, 3, 10)  # a Tuesday (the 2nd of the month)


@pytest.fixture
def place(db: Database) -> dict[str, uuid.UUID]:
    with db.transaction() as s:
        rugby = ensure_locality(s, "Rugby", coordinated=True)
        coventry = ensure_locality(s, "Coventry")
    forum = meetings.create_forum(
        db, locality_id=rugby, name="Rugby Locality Forum", kind=ForumKind.LOCALITY_FORUM
    )
    event = meetings.create_forum(db, locality_id=rugby, name="Open day", kind=ForumKind.EVENT)
    return {"rugby": rugby, "coventry": coventry, "forum": forum, "event": event}


def meeting_input(forum: uuid.UUID | None, on: date | None = PAST, **kw: object) -> MeetingInput:
    values: dict[str, object] = {
        "start_time": time(10, 0),
        "end_time": time(12, 0),
        "venue": "Benn Hall",
        "status": MeetingStatus.HELD,
        "chair": "Chair Person",
    }
    values.update(kw)
    return MeetingInput(forum_id=forum, meeting_date=on, **values)  # type: ignore[arg-type]


def table_counts(db: Database) -> dict[str, int]:
    models = (Meeting, AgendaItem, Attendance, UnnamedAttendance, ExperienceItem, AuditEntry)
    with db.session() as s:
        return {m.__name__: s.scalar(select(func.count()).select_from(m)) for m in models}


def refused(db: Database, call: object, *args: object, **kw: object) -> dict[str, str]:
    before = table_counts(db)
    with pytest.raises(ValidationError) as info:
        call(db, *args, **kw)  # type: ignore[operator]
    assert table_counts(db) == before, "nothing may be half saved"
    return info.value.problems


# --- Localities and forums -------------------------------------------------------------------


def test_forum_names_are_unique_within_a_locality_only(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    problems = refused(
        db,
        meetings.create_forum,
        locality_id=place["rugby"],
        name=" rugby  locality FORUM ",
        kind=ForumKind.LOCALITY_FORUM,
    )
    assert list(problems) == ["name"]
    assert refused(
        db, meetings.create_forum, locality_id=place["rugby"], name=" ", kind=ForumKind.OTHER
    ) == {"name": "Please give the forum's name."}
    meetings.create_forum(
        db, locality_id=place["coventry"], name="Rugby Locality Forum", kind="carers forum"
    )
    names = [(f.locality_name, f.name, f.kind) for f in meetings.list_forums(db)]
    assert names == [
        ("Coventry", "Rugby Locality Forum", ForumKind.CARERS_FORUM),
        ("Rugby", "Open day", ForumKind.EVENT),
        ("Rugby", "Rugby Locality Forum", ForumKind.LOCALITY_FORUM),
    ]
    assert len(meetings.list_forums(db, locality_id=place["coventry"])) == 1
    localities = meetings.list_localities(db)
    assert [(loc.name, loc.code, loc.coordinated) for loc in localities] == [
        ("Coventry", "COV", False),
        ("Rugby", "RUG", True),
    ]


# --- Meeting validation and references -------------------------------------------------------


def test_meeting_validation_names_each_field_and_saves_nothing(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    problems = refused(db, meetings.create_meeting, meeting_input(None, None))
    assert problems == {
        "forum": "Choose the forum this meeting belongs to.",
        "meeting_date": "Give the date of the meeting.",
    }
    late = meeting_input(place["forum"], start_time=time(14, 0), end_time=time(13, 59))
    assert refused(db, meetings.create_meeting, late) == {
        "end_time": "The meeting cannot end before it starts."
    }
    same = meeting_input(place["forum"], start_time=time(14, 0), end_time=time(14, 0))
    assert list(refused(db, meetings.create_meeting, same)) == ["end_time"]
    future_held = meeting_input(place["forum"], date.today() + timedelta(days=1))
    assert list(refused(db, meetings.create_meeting, future_held)) == ["status"]
    one_minute = meeting_input(place["forum"], start_time=time(14, 0), end_time=time(14, 1))
    assert meetings.create_meeting(db, one_minute)


def test_references_are_unique_within_a_month_and_per_locality(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    first = meetings.create_meeting(db, meeting_input(place["forum"], date(2026, 3, 3)))
    second = meetings.create_meeting(db, meeting_input(place["event"], date(2026, 3, 28)))
    third = meetings.create_meeting(db, meeting_input(place["forum"], date(2026, 4, 1)))
    cov_forum = meetings.create_forum(
        db, locality_id=place["coventry"], name="Coventry Forum", kind=ForumKind.LOCALITY_FORUM
    )
    fourth = meetings.create_meeting(db, meeting_input(cov_forum, date(2026, 3, 3)))
    refs = [meetings.get_meeting(db, m).reference for m in (first, second, third, fourth)]
    assert refs == ["RUG-2603", "RUG-2603-2", "RUG-2604", "COV-2603"]
    assert meetings.resolve_meeting(db, "rug-2603-2") == second
    assert meetings.resolve_meeting(db, f" {first} ") == first
    with pytest.raises(NotFoundError) as info:
        meetings.resolve_meeting(db, "RUG-9999")
    assert str(info.value) == "There is no meeting with reference or id 'RUG-9999'."


def test_moving_a_meeting_to_another_month_renews_its_reference(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    mid = meetings.create_meeting(db, meeting_input(place["forum"], date(2026, 3, 3)))
    data = meeting_input(place["forum"], date(2026, 3, 17), venue="Town Hall")
    meetings.update_meeting(db, mid, data)
    assert meetings.get_meeting(db, mid).reference == "RUG-2603"
    meetings.update_meeting(db, mid, replace(data, meeting_date=date(2026, 5, 5)))
    detail = meetings.get_meeting(db, mid)
    assert (detail.reference, detail.venue) == ("RUG-2605", "Town Hall")


def test_a_meeting_whose_papers_went_out_keeps_its_reference_when_moved(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    """The agenda, the sign-in sheet and the invitation carry the reference: once papers went
    out, moving the meeting to another month keeps it (the journey walk saw RUG-2701 become
    RUG-2612 after its papers were sent)."""
    from coordinator_app.core import schema
    from coordinator_app.core.schema import utcnow
    from coordinator_app.core.vocab import PapersKind

    planned = {"status": MeetingStatus.PLANNED}
    mid = meetings.create_meeting(db, meeting_input(place["forum"], date(2027, 1, 13), **planned))
    assert meetings.get_meeting(db, mid).reference == "RUG-2701"
    with db.transaction() as session:
        session.execute(
            schema.papers_sent.insert().values(
                id=uuid.uuid4(), meeting_id=mid, kind=PapersKind.AGENDA, sent_at=utcnow()
            )
        )
    meetings.update_meeting(db, mid, meeting_input(place["forum"], date(2026, 12, 1), **planned))
    detail = meetings.get_meeting(db, mid)
    assert (detail.reference, detail.meeting_date) == ("RUG-2701", date(2026, 12, 1))


# --- A whole meeting, then read back ---------------------------------------------------------


def test_a_meeting_with_its_register_experience_and_action_reads_back(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    mid = meetings.create_meeting(db, meeting_input(place["forum"], notes="Good turnout"))
    names = [
        ("Zoë Smith", Category.SERVICE_USER),
        ("Siân Evans", Category.CARER),
        ("Seán O'Neill", Category.STAFF),
        ("Ann Baker", Category.REPRESENTATIVE),
    ]
    ids = {
        name: people.create_participant(db, ParticipantInput(name=name, category=cat))
        for name, cat in names
    }
    for pid in ids.values():
        meetings.set_attendance(db, mid, pid, AttendanceStatus.PRESENT)
    # Someone new turns up: not found by the type-ahead, created on the way, then marked present.
    assert people.find_participants(db, "priya") == []
    new_id = people.create_participant(db, ParticipantInput("Priya Patel", Category.SERVICE_USER))
    meetings.set_attendance(db, mid, new_id, AttendanceStatus.PRESENT)
    apology = people.create_participant(db, ParticipantInput("Bob Apology", Category.PARTNER))
    meetings.set_attendance(db, mid, apology, "apologies")  # type: ignore[arg-type]
    meetings.set_unnamed(db, mid, Category.CARER, 1)
    zoe = people.find_participants(db, "zoe")[0].id
    meetings.set_payment(db, mid, zoe, status=PaymentStatus.PAID, amount_pence=2500)
    item = meetings.add_experience(
        db,
        mid,
        ExperienceInput(
            kind=ExperienceKind.CONCERN,
            theme="Waiting times",
            service="CMHT",
            summary="Long waits for a first appointment.",
        ),
    )
    action = actions.raise_action(
        db,
        locality_id=place["rugby"],
        data=ActionInput(title="Publish waiting times", owner="Service manager", raised_on=PAST),
        meeting_id=mid,
        experience_item_id=item,
    )
    meetings.add_agenda_item(db, mid, "Welcome")

    detail = meetings.get_meeting(db, mid)
    assert (detail.present_count, detail.apologies_count, detail.unnamed_count) == (5, 1, 1)
    assert detail.actions_raised == 1
    assert (detail.chair, detail.notes, detail.locality_name) == (
        "Chair Person",
        "Good turnout",
        "Rugby",
    )
    present = [r.name for r in detail.register if r.status is AttendanceStatus.PRESENT]
    assert present == ["Ann Baker", "Priya Patel", "Seán O'Neill", "Siân Evans", "Zoë Smith"]
    assert [(r.name, r.status) for r in detail.register][-1] == (
        "Bob Apology",
        AttendanceStatus.APOLOGIES,
    )
    assert detail.unnamed == {Category.CARER: 1}
    assert [(p.name, p.status, p.amount_pence) for p in detail.payments] == [
        ("Zoë Smith", PaymentStatus.PAID, 2500)
    ]
    assert detail.payments[0].paid_on == date.today()
    assert [(e.kind, e.summary, e.received_on) for e in detail.experience] == [
        (ExperienceKind.CONCERN, "Long waits for a first appointment.", PAST)
    ]
    assert [(a.id, a.reference, a.meeting_reference) for a in detail.actions] == [
        (action, "RUG-A1", detail.reference)
    ]
    assert [a.title for a in detail.agenda] == ["Welcome"]
    assert detail.matters_arising == []
    # Listing the meeting gives the same figures.
    row = meetings.list_meetings(db)[0]
    assert (row.present_count, row.apologies_count, row.unnamed_count, row.actions_raised) == (
        5,
        1,
        1,
        1,
    )
    # Changing a mark and removing one keeps a single row per person.
    meetings.set_attendance(db, mid, apology, AttendanceStatus.PRESENT)
    meetings.remove_attendance(db, mid, new_id)
    detail = meetings.get_meeting(db, mid)
    assert (detail.present_count, detail.apologies_count) == (5, 0)
    with db.session() as s:
        summaries = list(s.scalars(select(AuditEntry.summary)))
    assert all(n.split()[0] not in " ".join(summaries) for n, _ in names)


def test_unnamed_counts_cannot_be_negative_and_zero_removes_them(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    mid = meetings.create_meeting(db, meeting_input(place["forum"]))
    assert list(refused(db, meetings.set_unnamed, mid, Category.CARER, -1)) == ["count"]
    meetings.set_unnamed(db, mid, Category.CARER, 3)
    meetings.set_unnamed(db, mid, Category.SERVICE_USER, 2)
    detail = meetings.get_meeting(db, mid)
    assert detail.unnamed == {Category.SERVICE_USER: 2, Category.CARER: 3}
    assert detail.unnamed_count == 5
    meetings.set_unnamed(db, mid, Category.CARER, 0)
    assert meetings.get_meeting(db, mid).unnamed == {Category.SERVICE_USER: 2}
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(UnnamedAttendance)) == 1


def test_payments_take_the_set_rate_and_refuse_negative_amounts(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    save_settings(db, default_payment_pence=2000)
    mid = meetings.create_meeting(db, meeting_input(place["forum"]))
    pid = people.create_participant(db, ParticipantInput("Zoë Smith", Category.SERVICE_USER))
    problems = refused(
        db, meetings.set_payment, mid, pid, status=PaymentStatus.OFFERED, amount_pence=-1
    )
    assert list(problems) == ["amount"]
    assert list(refused(db, meetings.set_payment, mid, pid, status="paid", expenses_pence=-5)) == [
        "expenses"
    ]
    most = 100_000_00
    assert refused(db, meetings.set_payment, mid, pid, status="paid", amount_pence=most + 1) == {
        "amount": "The amount can be at most £100,000.00."
    }
    assert list(
        refused(db, meetings.set_payment, mid, pid, status="paid", expenses_pence=most + 1)
    ) == ["expenses"]
    assert meetings.get_meeting(db, mid).payments == []  # nothing saved by the refusals
    pay = meetings.set_payment(db, mid, pid, status=PaymentStatus.OFFERED, expenses_pence=450)
    (row,) = meetings.get_meeting(db, mid).payments
    assert (row.id, row.amount_pence, row.expenses_pence, row.paid_on) == (pay, 2000, 450, None)
    again = meetings.set_payment(
        db, mid, pid, status=PaymentStatus.DECLINED, amount_pence=0, paid_on=date(2026, 3, 11)
    )
    assert again == pay
    (row,) = meetings.get_meeting(db, mid).payments
    assert (row.status, row.amount_pence, row.paid_on) == (PaymentStatus.DECLINED, 0, None)
    meetings.remove_payment(db, pay)
    assert meetings.get_meeting(db, mid).payments == []


def test_offer_payments_to_everyone_present_not_yet_recorded(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    from coordinator_app.core.anonymise import anonymise_participant

    save_settings(db, default_payment_pence=2500)
    mid = meetings.create_meeting(db, meeting_input(place["forum"]))
    made = {
        name: people.create_participant(db, ParticipantInput(name, category))
        for name, category in (
            ("Zoë Smith", Category.SERVICE_USER),
            ("Aled Jones", Category.CARER),
            ("Tomasz Nowak", Category.REPRESENTATIVE),
            ("Jo Public", Category.OTHER),
            ("Dr Rhian Llewelyn", Category.STAFF),
            ("Mind worker", Category.PARTNER),
            ("Sent apologies", Category.SERVICE_USER),
            ("Already paid", Category.CARER),
            ("Anonymised later", Category.SERVICE_USER),
        )
    }
    for name, pid in made.items():
        away = name == "Sent apologies"
        status = AttendanceStatus.APOLOGIES if away else AttendanceStatus.PRESENT
        meetings.set_attendance(db, mid, pid, status)
    meetings.set_payment(db, mid, made["Already paid"], status=PaymentStatus.PAID, amount_pence=0)
    anonymise_participant(db, made["Anonymised later"])
    with pytest.raises(NotFoundError):
        meetings.offer_payments(db, uuid.uuid4())
    assert len(meetings.get_meeting(db, mid).payments) == 1  # nothing changed by the refusal

    assert meetings.offer_payments(db, mid) == 4
    rows = {p.participant_id: p for p in meetings.get_meeting(db, mid).payments}
    offered = {made[n] for n in ("Zoë Smith", "Aled Jones", "Tomasz Nowak", "Jo Public")}
    assert set(rows) == offered | {made["Already paid"]}
    for pid in offered:
        assert (rows[pid].status, rows[pid].amount_pence) == (PaymentStatus.OFFERED, 2500)
        assert (rows[pid].expenses_pence, rows[pid].paid_on) == (0, None)
    assert rows[made["Already paid"]].status == PaymentStatus.PAID  # left as it was
    assert meetings.offer_payments(db, mid) == 0  # a second press adds nothing


def test_every_payment_still_offered_is_marked_paid_in_one_step(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    """Issue #22: five keys a person to mark the claims from the sign-in sheet paid."""
    save_settings(db, default_payment_pence=2000)
    mid = meetings.create_meeting(db, meeting_input(place["forum"]))
    made = {
        name: people.create_participant(db, ParticipantInput(name, Category.SERVICE_USER))
        for name in ("Zoë Smith", "Aled Jones", "Declines", "Paid before")
    }
    for pid in made.values():
        meetings.set_attendance(db, mid, pid, AttendanceStatus.PRESENT)
    meetings.set_payment(db, mid, made["Declines"], status=PaymentStatus.DECLINED)
    meetings.set_payment(
        db,
        mid,
        made["Paid before"],
        status=PaymentStatus.PAID,
        amount_pence=2000,
        paid_on=date(2026, 3, 1),
    )
    assert meetings.offer_payments(db, mid) == 2
    with pytest.raises(ValidationError):
        meetings.mark_offered_paid(db, mid, date(1, 1, 1))
    assert {p.status for p in meetings.get_meeting(db, mid).payments} >= {PaymentStatus.OFFERED}
    assert meetings.mark_offered_paid(db, mid, date(2026, 3, 12)) == 2
    rows = {p.participant_id: p for p in meetings.get_meeting(db, mid).payments}
    for name in ("Zoë Smith", "Aled Jones"):
        assert (rows[made[name]].status, rows[made[name]].paid_on) == (
            PaymentStatus.PAID,
            date(2026, 3, 12),
        )
        assert rows[made[name]].amount_pence == 2000
    assert rows[made["Declines"]].status == PaymentStatus.DECLINED
    assert rows[made["Paid before"]].paid_on == date(2026, 3, 1)
    assert meetings.mark_offered_paid(db, mid) == 0


def test_experience_needs_a_summary_and_can_be_kept_outside_a_meeting(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    mid = meetings.create_meeting(db, meeting_input(place["forum"]))
    blank = ExperienceInput(kind=ExperienceKind.IDEA, summary="  ")
    assert refused(db, meetings.add_experience, mid, blank) == {
        "summary": "Write a short summary of what was said."
    }
    early = ExperienceInput(
        kind=ExperienceKind.QUESTION, summary="Parking?", responded_on=PAST - timedelta(days=1)
    )
    assert list(refused(db, meetings.add_experience, mid, early)) == ["responded_on"]
    item = meetings.add_experience(db, mid, replace(early, responded_on=PAST, response="Yes"))
    meetings.update_experience(
        db, item, replace(early, summary="Parking at the hall?", responded_on=None)
    )
    (row,) = meetings.get_meeting(db, mid).experience
    assert (row.summary, row.received_on, row.responded_on) == ("Parking at the hall?", PAST, None)
    loose = meetings.add_experience_for_locality(
        db,
        place["rugby"],
        ExperienceInput(kind="compliment", summary="Kind staff"),  # type: ignore[arg-type]
    )
    with db.session() as s:
        outside = s.get(ExperienceItem, loose)
        assert outside is not None
        assert (outside.meeting_id, outside.received_on) == (None, date.today())
    meetings.delete_experience(db, item)
    assert meetings.get_meeting(db, mid).experience == []


# --- Agenda ----------------------------------------------------------------------------------


def test_agenda_items_move_and_are_renumbered(db: Database, place: dict[str, uuid.UUID]) -> None:
    mid = meetings.create_meeting(db, meeting_input(place["forum"]))
    a, b, c, d = (meetings.add_agenda_item(db, mid, t) for t in ("A", "B", "C", "D"))

    def agenda() -> list[tuple[int, str]]:
        return [(i.position, i.title) for i in meetings.get_meeting(db, mid).agenda]

    assert agenda() == [(1, "A"), (2, "B"), (3, "C"), (4, "D")]
    meetings.move_agenda_item(db, c, -1)
    assert agenda() == [(1, "A"), (2, "C"), (3, "B"), (4, "D")]
    meetings.move_agenda_item(db, a, 10)  # stops at the end
    assert agenda() == [(1, "C"), (2, "B"), (3, "D"), (4, "A")]
    meetings.move_agenda_item(db, a, -10)  # and at the start
    assert agenda() == [(1, "A"), (2, "C"), (3, "B"), (4, "D")]
    meetings.delete_agenda_item(db, c)
    assert agenda() == [(1, "A"), (2, "B"), (3, "D")]
    meetings.update_agenda_item(db, d, title="Any other business", discussion="None", decisions="")
    assert agenda()[-1] == (3, "Any other business")
    assert refused(db, meetings.add_agenda_item, mid, "  ") == {
        "title": "Give the agenda item a title."
    }
    assert b


# --- Next sitting and matters arising --------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "next_on"),
    [
        (date(2026, 3, 10), date(2026, 4, 14)),  # 2nd Tuesday -> 2nd Tuesday
        (date(2026, 1, 30), date(2026, 2, 27)),  # 5th Friday -> last Friday of February
        (date(2025, 12, 1), date(2026, 1, 5)),  # 1st Monday across the year
        (date(2026, 3, 31), date(2026, 4, 28)),  # 5th Tuesday -> last Tuesday
    ],
)
def test_next_sitting_keeps_the_weekday_of_the_month(held: date, next_on: date) -> None:
    assert meetings.next_sitting(held) == next_on
    assert next_on.weekday() == held.weekday()


def test_planned_next_meeting_shows_matters_arising_with_latest_progress(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    mid = meetings.create_meeting(db, meeting_input(place["forum"], format=MeetingFormat.HYBRID))
    still_open = actions.raise_action(
        db,
        locality_id=place["rugby"],
        data=ActionInput(title="Fix the ramp", raised_on=PAST),
        meeting_id=mid,
    )
    actions.add_progress(db, still_open, "Quote received", written_on=PAST + timedelta(days=3))
    actions.add_progress(db, still_open, "Works booked", written_on=PAST + timedelta(days=9))
    done = actions.raise_action(
        db,
        locality_id=place["rugby"],
        data=ActionInput(title="Send leaflet", raised_on=PAST),
        meeting_id=mid,
    )
    actions.update_action(
        db,
        done,
        ActionInput(title="Send leaflet", raised_on=PAST, status=ActionStatus.COMPLETED),
        outcome="Leaflet sent",
        today=PAST + timedelta(days=5),
    )
    nxt = meetings.plan_next_meeting(db, mid)
    detail = meetings.get_meeting(db, nxt)
    assert detail.meeting_date == date(2026, 4, 14)
    assert (detail.status, detail.format, detail.venue) == (
        MeetingStatus.PLANNED,
        MeetingFormat.HYBRID,
        "Benn Hall",
    )
    assert (detail.start_time, detail.end_time, detail.chair) == (
        time(10),
        time(12),
        "Chair Person",
    )
    assert detail.reference == "RUG-2604"
    assert [(i.position, i.title) for i in detail.agenda] == [(1, "Matters arising")]
    assert [(a.title, a.latest_progress) for a in detail.matters_arising] == [
        ("Fix the ramp", "Works booked")
    ]
    # The source meeting itself has no matters arising from its own actions.
    assert meetings.get_meeting(db, mid).matters_arising == []


# --- Deleting --------------------------------------------------------------------------------


def test_delete_meeting_is_refused_with_actions_and_cascades_without(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    mid = meetings.create_meeting(db, meeting_input(place["forum"]))
    actions.raise_action(
        db,
        locality_id=place["rugby"],
        data=ActionInput(title="Do it", raised_on=PAST),
        meeting_id=mid,
    )
    with pytest.raises(CoordinatorError, match="RUG-A1"):
        meetings.delete_meeting(db, mid)

    other = meetings.create_meeting(db, meeting_input(place["forum"], date(2026, 2, 10)))
    pid = people.create_participant(db, ParticipantInput("Zoë Smith", Category.SERVICE_USER))
    meetings.set_attendance(db, other, pid, AttendanceStatus.PRESENT)
    meetings.set_unnamed(db, other, Category.CARER, 2)
    meetings.set_payment(db, other, pid, status=PaymentStatus.OFFERED, amount_pence=100)
    meetings.add_agenda_item(db, other, "Welcome")
    meetings.add_experience(db, other, ExperienceInput(kind=ExperienceKind.IDEA, summary="More"))
    meetings.delete_meeting(db, other)
    with pytest.raises(NotFoundError):
        meetings.get_meeting(db, other)
    counts = table_counts(db)
    assert (counts["Attendance"], counts["UnnamedAttendance"], counts["AgendaItem"]) == (0, 0, 0)
    assert counts["ExperienceItem"] == 0
    with db.session() as s:
        assert s.get(Participant, pid) is not None


# --- Lists and regulars ----------------------------------------------------------------------


def test_list_meetings_aggregates_and_filters_over_a_few_hundred_rows(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    rng = random.Random(3)
    with db.transaction() as s:
        parts = [Participant(name=f"P{i}", category=Category.SERVICE_USER) for i in range(200)]
        s.add_all(parts)
        s.flush()
        expected = {}
        for i in range(60):
            forum = place["event"] if i % 10 == 0 else place["forum"]
            status = MeetingStatus.CANCELLED if i % 9 == 4 else MeetingStatus.HELD
            m = Meeting(
                reference=f"X-{i}",
                forum_id=forum,
                meeting_date=date(2024, 1, 1) + timedelta(days=7 * i),
                status=status,
            )
            s.add(m)
            s.flush()
            present = apologies = 0
            for p in rng.sample(parts, rng.randint(0, 12)):
                st = rng.choice(list(AttendanceStatus))
                s.add(Attendance(meeting_id=m.id, participant_id=p.id, status=st))
                present += st is AttendanceStatus.PRESENT
                apologies += st is AttendanceStatus.APOLOGIES
            unnamed = 0
            for cat in rng.sample(list(Category), 2):
                n = rng.randint(0, 3)
                s.add(UnnamedAttendance(meeting_id=m.id, category=cat, count=n))
                unnamed += n
            expected[m.id] = (present, apologies, unnamed)
    rows = meetings.list_meetings(db)
    assert len(rows) == 60
    assert [r.meeting_date for r in rows] == sorted((r.meeting_date for r in rows), reverse=True)
    for r in rows:
        assert (r.present_count, r.apologies_count, r.unnamed_count) == expected[r.id]
        assert r.actions_raised == 0
    assert len(meetings.list_meetings(db, events=True)) == 6
    assert len(meetings.list_meetings(db, events=False)) == 54
    assert all(r.forum_kind is ForumKind.EVENT for r in meetings.list_meetings(db, events=True))
    cancelled = meetings.list_meetings(db, status=MeetingStatus.CANCELLED)
    assert len(cancelled) == sum(1 for i in range(60) if i % 9 == 4)
    window = meetings.list_meetings(db, date_from=date(2024, 1, 8), date_to=date(2024, 1, 22))
    assert [r.meeting_date for r in window] == [
        date(2024, 1, 22),
        date(2024, 1, 15),
        date(2024, 1, 8),
    ]
    assert meetings.list_meetings(db, locality_id=place["coventry"]) == []
    assert len(meetings.list_meetings(db, forum_id=place["event"])) == 6
    # The first screenful of a long list: the newest ``limit``, the same rows as the whole list's
    # head; a limit beyond the list is the whole list.
    assert meetings.list_meetings(db, limit=5) == rows[:5]
    assert meetings.list_meetings(db, limit=1) == rows[:1]
    assert meetings.list_meetings(db, limit=60) == rows
    assert meetings.list_meetings(db, limit=61) == rows


def test_regulars_are_the_most_frequent_in_the_last_twelve_months(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    today = date(2026, 6, 1)
    ids = {
        n: people.create_participant(db, ParticipantInput(n, Category.SERVICE_USER))
        for n in ("Zoë", "Siân", "Old Timer", "Apologetic")
    }
    dates = [today - timedelta(days=d) for d in (10, 40, 70, 400)]
    mids = [meetings.create_meeting(db, meeting_input(place["forum"], d)) for d in dates]
    for mid in mids[:3]:
        meetings.set_attendance(db, mid, ids["Zoë"], AttendanceStatus.PRESENT)
        meetings.set_attendance(db, mid, ids["Apologetic"], AttendanceStatus.APOLOGIES)
    meetings.set_attendance(db, mids[0], ids["Siân"], AttendanceStatus.PRESENT)
    meetings.set_attendance(db, mids[3], ids["Old Timer"], AttendanceStatus.PRESENT)
    found = meetings.regulars(db, place["forum"], today=today)
    assert [(name, cat) for _, name, cat in found] == [
        ("Zoë", Category.SERVICE_USER),
        ("Siân", Category.SERVICE_USER),
    ]
    assert len(meetings.regulars(db, place["forum"], limit=1, today=today)) == 1


def test_already_planned_finds_the_forums_next_planned_meeting(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    """What "Plan next meeting" asks about (issue #22): a planned meeting of the same forum
    within eight weeks of the next sitting; one far later, or of another forum, is not it."""
    held = meetings.create_meeting(db, meeting_input(place["forum"]))
    assert meetings.already_planned(db, held) is None
    planned = meetings.plan_next_meeting(db, held)
    found = meetings.already_planned(db, held)
    assert found is not None and found.id == planned
    far = meeting_input(place["forum"], on=PAST + timedelta(weeks=30), status=MeetingStatus.PLANNED)
    meetings.update_meeting(db, planned, far)
    assert meetings.already_planned(db, held) is None


# --- The expected on a register ----------------------------------------------------------------


def test_the_forums_regulars_are_expected_on_a_planned_register_and_never_counted(
    db: Database, place: dict[str, uuid.UUID]
) -> None:
    """Issue #22 item 3: a planned meeting's register pre-filled with the forum's regulars as
    "expected" (the sign-in sheet already was): not attendances, so no figure moves."""
    from coordinator_app.core import figures

    forum = place["forum"]
    ann = people.create_participant(db, ParticipantInput("Ann Regular", Category.SERVICE_USER))
    bea = people.create_participant(db, ParticipantInput("Bea Carer", Category.CARER))
    once = people.create_participant(db, ParticipantInput("Cy Apologies", Category.CARER))
    last = meetings.create_meeting(db, meeting_input(forum, PAST))
    meetings.set_attendance(db, last, ann, AttendanceStatus.PRESENT)
    meetings.set_attendance(db, last, bea, AttendanceStatus.PRESENT)
    meetings.set_attendance(db, last, once, AttendanceStatus.APOLOGIES)
    planned = meetings.create_meeting(
        db, meeting_input(forum, PAST + timedelta(days=28), status=MeetingStatus.PLANNED)
    )
    meetings.set_attendance(db, planned, bea, AttendanceStatus.APOLOGIES)
    today = PAST + timedelta(days=20)
    before = table_counts(db)

    def month() -> tuple[object, ...]:
        on = PAST + timedelta(days=28)
        with db.session() as s:
            return tuple(figures.month_figures(s, place["rugby"], Month(on.year, on.month)).rows())

    figures_before = month()

    expected = meetings.expected(db, planned, today=today)

    assert [(e.participant_id, e.name, e.status) for e in expected] == [(ann, "Ann Regular", None)]
    assert table_counts(db) == before, "expected is read, never stored"
    assert month() == figures_before
    meetings.set_attendance(db, planned, ann, AttendanceStatus.PRESENT)
    assert meetings.expected(db, planned, today=today) == [], "marked: no longer expected"


@pytest.mark.parametrize(
    ("status", "days_after", "shown"),
    [
        (MeetingStatus.HELD, 0, True),
        (MeetingStatus.HELD, meetings.EXPECTED_AFTER_DAYS, True),
        (MeetingStatus.HELD, meetings.EXPECTED_AFTER_DAYS + 1, False),
        (MeetingStatus.CANCELLED, 0, False),
        (MeetingStatus.PLANNED, 400, True),
    ],
)
def test_a_held_register_shows_the_expected_for_four_weeks_and_a_cancelled_never(
    db: Database, place: dict[str, uuid.UUID], status: MeetingStatus, days_after: int, shown: bool
) -> None:
    forum = place["forum"]
    ann = people.create_participant(db, ParticipantInput("Ann Regular", Category.SERVICE_USER))
    meetings.set_attendance(
        db, meetings.create_meeting(db, meeting_input(forum, PAST)), ann, AttendanceStatus.PRESENT
    )
    on = PAST + timedelta(days=14)
    meeting = meetings.create_meeting(db, meeting_input(forum, on, status=status))
    found = meetings.expected(db, meeting, today=on + timedelta(days=days_after))
    assert [e.participant_id for e in found] == ([ann] if shown else [])
