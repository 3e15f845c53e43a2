"""Privacy: anonymising one participant or many keeps every monthly figure identical, removes the
name (also from free text) and contacts; withdrawing consent removes contact details; the
subject access export holds everything about one person."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from coordinator_app.core import meetings, people, schema
from coordinator_app.core.anonymise import (
    anonymise_participant,
    anonymise_participants,
    anonymised_name,
    inactive_candidates,
    subject_access_export,
    withdraw_consent_to_contact,
    years_before,
)
from coordinator_app.core.db import Database
from coordinator_app.core.demo import generate_demo
from coordinator_app.core.errors import CoordinatorError, ValidationError
from coordinator_app.core.figures import month_figures
from coordinator_app.core.models import AuditEntry, ExperienceItem, Locality, Participant
from coordinator_app.core.rules import Month
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import (
    AttendanceStatus,
    AuditOperation,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingStatus,
    PaymentStatus,
)

TODAY = date(2025, 6, 30)


def _all_figures(db: Database, months: list[Month]) -> dict[tuple[str, Month], tuple]:
    with db.session() as session:
        localities = session.execute(select(Locality.id, Locality.name)).all()
        return {
            (name, month): tuple(month_figures(session, lid, month).rows())
            for lid, name in localities
            for month in months
        }


@pytest.fixture
def demo_db(db: Database) -> Database:
    generate_demo(db, size="small", seed=11, today=TODAY)
    return db


def test_bulk_anonymising_keeps_every_monthly_figure_identical(demo_db: Database) -> None:
    months = [Month(2023, 7), Month(2024, 1), Month(2024, 6), Month(2025, 2), Month(2025, 6)]
    before = _all_figures(demo_db, months)
    with demo_db.session() as session:
        everyone = list(session.scalars(select(Participant.id)))
    assert anonymise_participants(demo_db, everyone).count == len(everyone)
    assert _all_figures(demo_db, months) == before
    with demo_db.session() as session:
        left = session.scalars(select(Participant)).all()
        assert all(p.anonymised_at is not None and p.email == "" and p.phone == "" for p in left)
        assert all(p.name.startswith("Anonymised ") for p in left)


def test_inactive_preview_then_apply_changes_only_those_people(demo_db: Database) -> None:
    preview = inactive_candidates(demo_db, 1, today=TODAY)
    assert preview, "the demo has people who stopped coming over a year ago"
    cutoff = years_before(TODAY, 1)
    assert all(c.last_active < cutoff for c in preview)
    active = {c.id for c in inactive_candidates(demo_db, 3, today=TODAY)}
    assert active <= {c.id for c in preview}
    months = [Month(2024, 3), Month(2025, 5)]
    before = _all_figures(demo_db, months)
    assert anonymise_participants(demo_db, [c.id for c in preview]).count == len(preview)
    assert _all_figures(demo_db, months) == before
    # Done once: nobody is offered again, and someone active recently was left alone.
    assert inactive_candidates(demo_db, 1, today=TODAY) == []
    with demo_db.session() as session:
        untouched = session.scalars(
            select(Participant).where(Participant.anonymised_at.is_(None))
        ).all()
    assert untouched and all(not p.name.startswith("Anonymised") for p in untouched)


@pytest.fixture
def rugby(db: Database) -> tuple[uuid.UUID, uuid.UUID]:
    complete_first_run(
        db, trust_name="Test Trust", coordinator_name="Siân Evans", localities=["Rugby"]
    )
    (locality_id,) = [loc.id for loc in meetings.list_localities(db)]
    forum_id = meetings.create_forum(
        db, locality_id=locality_id, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM
    )
    return locality_id, forum_id


def _meeting(db: Database, forum_id: uuid.UUID, on: date) -> uuid.UUID:
    return meetings.create_meeting(
        db, meetings.MeetingInput(forum_id=forum_id, meeting_date=on, status=MeetingStatus.HELD)
    )


def _zoe(db: Database, locality_id: uuid.UUID) -> uuid.UUID:
    return people.create_participant(
        db,
        people.ParticipantInput(
            name="Zoë O'Neill",
            category=Category.SERVICE_USER,
            locality_id=locality_id,
            organisation="Mind Rugby",
            email="zoe@example.org",
            phone="07700 900123",
            consent_to_contact=True,
            name_in_minutes=True,
            consent_date=date(2024, 1, 5),
            notes="Prefers large print; lives near the Benn Hall",
        ),
    )


def test_anonymising_one_person_replaces_name_and_contacts_and_keeps_counts(
    db: Database, rugby
) -> None:
    locality_id, forum_id = rugby
    zoe = _zoe(db, locality_id)
    meeting = _meeting(db, forum_id, date(2024, 2, 1))
    meetings.set_attendance(db, meeting, zoe, AttendanceStatus.PRESENT)
    meetings.add_experience(
        db,
        meeting,
        meetings.ExperienceInput(
            kind=ExperienceKind.CONCERN, summary="ZOE o’neill said the ward was cold"
        ),
    )
    before = people.get_participant(db, zoe)

    anonymise_participant(db, zoe, now=datetime(2025, 6, 30, tzinfo=UTC))

    after = people.get_participant(db, zoe)
    assert after.name == anonymised_name(zoe, Category.SERVICE_USER)
    assert after.name.startswith("Anonymised service user ")
    assert (after.email, after.phone, after.organisation, after.notes) == ("", "", "", "")
    assert not after.consent_to_contact and not after.name_in_minutes and not after.active
    assert after.category == Category.SERVICE_USER and after.locality_id == locality_id
    assert after.attendance_count == before.attendance_count == 1
    with db.session() as session:
        summaries = session.scalars(select(ExperienceItem.summary)).all()
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.operation == AuditOperation.ANONYMISE)
        ).all()
        all_summaries = " ".join(session.scalars(select(AuditEntry.summary)))
    assert summaries == ["[service user] said the ward was cold"]
    assert [e.entity_id for e in entries] == [zoe]
    assert "Zo" not in all_summaries and "Neill" not in all_summaries
    with pytest.raises(CoordinatorError, match="already been anonymised"):
        anonymise_participant(db, zoe)


def test_inactive_means_more_than_n_years_to_the_day(db: Database, rugby) -> None:
    _locality_id, forum_id = rugby
    exactly = people.create_participant(
        db, people.ParticipantInput(name="Siân Exactly", category=Category.CARER)
    )
    older = people.create_participant(
        db, people.ParticipantInput(name="Seán Older", category=Category.STAFF)
    )
    never = people.create_participant(
        db, people.ParticipantInput(name="Never Came", category=Category.OTHER)
    )
    recent_join = people.create_participant(
        db, people.ParticipantInput(name="Just Joined", category=Category.OTHER)
    )
    on_the_day = _meeting(db, forum_id, date(2023, 6, 30))
    day_before = _meeting(db, forum_id, date(2023, 6, 29))
    meetings.set_attendance(db, on_the_day, exactly, AttendanceStatus.PRESENT)
    meetings.set_attendance(db, day_before, older, AttendanceStatus.PRESENT)
    with db.transaction() as session:
        session.get(Participant, never).created_at = datetime(2020, 1, 1, tzinfo=UTC)
    found = {c.id: c for c in inactive_candidates(db, 2, today=TODAY)}
    assert set(found) == {older, never}
    assert found[older].last_active == date(2023, 6, 29)
    assert found[never].attendance_count == 0 and recent_join not in found
    with pytest.raises(ValidationError):
        inactive_candidates(db, 0, today=TODAY)


def test_leap_day_years_before() -> None:
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)
    assert years_before(date(2025, 3, 1), 5) == date(2020, 3, 1)


def test_withdrawing_consent_removes_contact_details(db: Database, rugby) -> None:
    from coordinator_app.core import members

    zoe = _zoe(db, rugby[0])
    members.set_postal_address(db, zoe, "1 High Street")
    withdraw_consent_to_contact(db, zoe)
    row = people.get_participant(db, zoe)
    assert (row.email, row.phone, row.consent_to_contact) == ("", "", False)
    # The postal address goes with the consent (issue #29).
    with db.reading() as conn:
        kept = conn.execute(
            select(schema.participants.c.postal_address).where(schema.participants.c.id == zoe)
        ).scalar()
    assert kept == ""
    assert row.name == "Zoë O'Neill"  # still a participant, just not contactable


def test_subject_access_export_holds_everything_about_one_person(
    db: Database, rugby, tmp_path: Path
) -> None:
    locality_id, forum_id = rugby
    zoe = _zoe(db, locality_id)
    other = people.create_participant(
        db, people.ParticipantInput(name="Seán Murphy", category=Category.CARER)
    )
    meeting = _meeting(db, forum_id, date(2024, 2, 1))
    meetings.set_attendance(db, meeting, zoe, AttendanceStatus.PRESENT)
    meetings.set_attendance(db, meeting, other, AttendanceStatus.PRESENT)
    payment = meetings.set_payment(
        db, meeting, zoe, status=PaymentStatus.PAID, amount_pence=2500, expenses_pence=340
    )
    meetings.add_experience(
        db,
        meeting,
        meetings.ExperienceInput(
            kind=ExperienceKind.COMPLIMENT, summary="=Zoë O'Neill thanked staff"
        ),
    )
    from coordinator_app.core import members

    members.set_postal_address(db, zoe, "1 High Street\nRugby")  # issue #29
    members.add_member(db, forum_id, zoe)
    from coordinator_app.core.papers import record_sending
    from coordinator_app.core.payments.receipts import add_receipt
    from coordinator_app.core.vocab import PapersKind

    record_sending(
        db,
        meeting,
        PapersKind.MINUTES,
        emails=1,
        letters=0,
        not_sent=0,
        sent_at=datetime(2024, 2, 5, 10, 0, tzinfo=UTC),
        recipients=[(zoe, True)],
    )
    receipt = tmp_path / "bus ticket.pdf"
    receipt.write_bytes(b"%PDF-1.4 a ticket")
    add_receipt(db, payment, receipt)
    target = tmp_path / "SAR Zoë.xlsx"
    summary = subject_access_export(db, zoe, target)
    assert summary.attendances == 1 and summary.payments == 1 and summary.mentions == 1
    wb = load_workbook(target)
    assert wb.sheetnames == [
        "Person", "Attendance", "Payments", "Improvement projects", "Involvement activities",
        "Mentions", "Audit", "Equality monitoring", "Forums and papers", "Receipts",
    ]  # fmt: skip
    contact = list(wb["Forums and papers"].iter_rows(min_row=2, values_only=True))
    reference = meetings.get_meeting(db, meeting).reference
    assert [r[:3] + r[4:] for r in contact] == [
        ("Member", "Rugby Forum", None, None),  # empty cells read back as None
        ("Sent: Minutes", "Rugby Forum", reference, "E-mail"),
    ]
    receipts = list(wb["Receipts"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2]) for r in receipts] == [(f"Meeting {reference}", "bus ticket.pdf")]
    person = {r[0]: r[1] for r in wb["Person"].iter_rows(min_row=2, values_only=True)}
    assert person["Name"] == "Zoë O'Neill" and person["Email"] == "zoe@example.org"
    assert person["Postal address"] == "1 High Street\nRugby"
    attendance = list(wb["Attendance"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[4]) for r in attendance] == [("Rugby Forum", "Present")]
    payments = list(wb["Payments"].iter_rows(min_row=2, values_only=True))
    assert payments[0][5] == 25 and payments[0][6] == 3.4
    mention = wb["Mentions"]["D2"]
    assert mention.value == "=Zoë O'Neill thanked staff" and mention.data_type == "s"
    audit_ops = [r[1] for r in wb["Audit"].iter_rows(min_row=2, values_only=True)]
    assert audit_ops[0] == "Create"
    # Nothing about the other person.
    text = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v)
    assert "Murphy" not in text


def test_bulk_anonymising_nothing_changes_nothing(db: Database) -> None:
    assert anonymise_participants(db, []).count == 0
    assert anonymise_participants(db, [uuid.uuid4()]).count == 0
