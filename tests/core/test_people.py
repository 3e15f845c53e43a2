"""Participants: validation at the field, consent to contact, duplicates, accent-insensitive
finding and the aggregated list."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coordinator_app.core import people
from coordinator_app.core.db import Database
from coordinator_app.core.errors import CoordinatorError, NotFoundError, ValidationError
from coordinator_app.core.models import (
    Attendance,
    AuditEntry,
    Forum,
    Meeting,
    Participant,
)
from coordinator_app.core.people import ParticipantInput
from coordinator_app.core.settings import ensure_locality
from coordinator_app.core.vocab import (
    AccessibleFormat,
    AttendanceStatus,
    Category,
    ForumKind,
    MeetingStatus,
)

CONSENT = "Contact details can only be kept with consent to contact."


def person(name: str, category: Category = Category.SERVICE_USER, **kw: object) -> ParticipantInput:
    return ParticipantInput(name=name, category=category, **kw)  # type: ignore[arg-type]


def counts(db: Database) -> tuple[int, int]:
    with db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Participant)),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )


def refused(db: Database, data: ParticipantInput) -> dict[str, str]:
    before = counts(db)
    with pytest.raises(ValidationError) as info:
        people.create_participant(db, data)
    assert counts(db) == before, "nothing may be half saved"
    return info.value.problems


@pytest.fixture
def rugby(db: Database) -> uuid.UUID:
    with db.transaction() as s:
        return ensure_locality(s, "Rugby", coordinated=True)


def test_create_trims_spaces_and_reads_back(db: Database, rugby: uuid.UUID) -> None:
    pid = people.create_participant(
        db,
        person(
            "  Zoë   Smith ",
            Category.CARER,
            locality_id=rugby,
            organisation=" Carers  Trust ",
            email=" zoe@example.org ",
            consent_to_contact=True,
            consent_date=date.today(),
            accessible_format=AccessibleFormat.LARGE_PRINT,
        ),
    )
    row = people.get_participant(db, pid)
    assert (row.name, row.organisation, row.email) == (
        "Zoë Smith",
        "Carers Trust",
        "zoe@example.org",
    )
    assert row.category is Category.CARER
    assert row.locality_name == "Rugby"
    assert row.accessible_format is AccessibleFormat.LARGE_PRINT
    assert (row.last_attended, row.attendance_count) == (None, 0)


def test_name_is_required_and_at_most_200_characters(db: Database) -> None:
    assert refused(db, person("   ")) == {"name": "Please give the participant's name."}
    assert "200" in refused(db, person("a" * 201))["name"]
    pid = people.create_participant(db, person("a" * 200))
    assert len(people.get_participant(db, pid).name) == 200


def test_contact_details_without_consent_are_refused_at_each_field(db: Database) -> None:
    problems = refused(db, person("Siân Evans", email="sian@example.org", phone="01788 123456"))
    assert problems == {"email": CONSENT, "phone": CONSENT}
    assert refused(db, person("Siân Evans", phone="0121")) == {"phone": CONSENT}


def test_implausible_email_and_future_consent_date_are_refused(db: Database) -> None:
    problems = refused(
        db,
        person(
            "Seán O'Neill",
            email="sean at example",
            consent_to_contact=True,
            consent_date=date.today() + timedelta(days=1),
        ),
    )
    assert set(problems) == {"email", "consent_date"}
    pid = people.create_participant(
        db,
        person("Seán O'Neill", email="s@x.org", consent_to_contact=True, consent_date=date.today()),
    )
    assert people.get_participant(db, pid).consent_date == date.today()


def test_unknown_locality_is_refused(db: Database) -> None:
    assert "locality" in refused(db, person("Ann", locality_id=uuid.uuid4()))


def test_withdrawing_consent_requires_clearing_contacts(db: Database) -> None:
    data = person("Zoë Smith", email="zoe@example.org", consent_to_contact=True)
    pid = people.create_participant(db, data)
    with pytest.raises(ValidationError) as info:
        people.update_participant(db, pid, replace(data, consent_to_contact=False))
    assert info.value.problems == {"email": CONSENT}
    assert people.get_participant(db, pid).consent_to_contact is True
    people.update_participant(db, pid, replace(data, consent_to_contact=False, email=""))
    row = people.get_participant(db, pid)
    assert (row.consent_to_contact, row.email) == (False, "")


def test_two_participants_may_share_a_name_and_duplicates_are_pointed_out(db: Database) -> None:
    first = people.create_participant(
        db, person("Zoë Smith", email="Zoe@Example.org", consent_to_contact=True)
    )
    second = people.create_participant(db, person("Zoë Smith"))
    assert first != second
    other = people.create_participant(
        db, person("Z. Jones", email="zoe@example.org", consent_to_contact=True)
    )
    found = {r.id for r in people.possible_duplicates(db, "  zoë   SMITH ", "")}
    assert found == {first, second}
    found = {r.id for r in people.possible_duplicates(db, "Zoe Smith", "ZOE@example.org")}
    assert found == {first, second, other}
    found = {r.id for r in people.possible_duplicates(db, "Zoë Smith", "", exclude_id=second)}
    assert found == {first}
    assert people.possible_duplicates(db, "Nobody Here", "") == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("zoe", "Zoë Smith"),
        ("ZOË", "Zoë Smith"),
        ("smi", "Zoë Smith"),
        ("zo sm", "Zoë Smith"),
        ("sian", "Siân Evans"),
        ("o'neill", "Seán O'Neill"),
        ("oneill", "Seán O'Neill"),
        ("O’Neill", "Seán O'Neill"),
        ("sean", "Seán O'Neill"),
        ("jones", "Mary-Jane Jones"),
        ("jane", "Mary-Jane Jones"),
    ],
)
def test_find_participants_ignores_case_accents_and_apostrophes(
    db: Database, typed: str, expected: str
) -> None:
    for name in ("Zoë Smith", "Siân Evans", "Seán O'Neill", "Mary-Jane Jones", "Joe Bloggs"):
        people.create_participant(db, person(name))
    assert [r.name for r in people.find_participants(db, typed)] == [expected]


def test_find_participants_matches_word_starts_only_and_escapes_wildcards(db: Database) -> None:
    people.create_participant(db, person("Zoë Smith"))
    people.create_participant(db, person("Ann 100% Sure"))
    assert people.find_participants(db, "oe") == []  # inside a word, not its start
    assert people.find_participants(db, "%") == []
    assert people.find_participants(db, "_") == []
    assert people.find_participants(db, "   ") == []
    assert [r.name for r in people.find_participants(db, "100%")] == ["Ann 100% Sure"]


def test_find_participants_puts_the_forums_regulars_first_and_respects_limit(
    db: Database, rugby: uuid.UUID
) -> None:
    ids = [people.create_participant(db, person(f"Sam {n}")) for n in ("A", "B", "C")]
    with db.transaction() as s:
        forum = Forum(locality_id=rugby, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM)
        s.add(forum)
        s.flush()
        for i in range(3):
            m = Meeting(
                reference=f"RUG-{i}",
                forum_id=forum.id,
                meeting_date=date.today() - timedelta(days=30 * i),
                status=MeetingStatus.HELD,
            )
            s.add(m)
            s.flush()
            s.add(Attendance(meeting_id=m.id, participant_id=ids[2]))
            if i == 0:
                s.add(Attendance(meeting_id=m.id, participant_id=ids[1]))
        forum_id = forum.id
    plain = [r.name for r in people.find_participants(db, "sam")]
    assert plain == ["Sam A", "Sam B", "Sam C"]
    regulars_first = [r.name for r in people.find_participants(db, "sam", forum_id=forum_id)]
    assert regulars_first == ["Sam C", "Sam B", "Sam A"]
    assert len(people.find_participants(db, "sam", limit=2)) == 2


def test_the_register_offers_the_forums_own_locality_before_others(
    db: Database, rugby: uuid.UUID
) -> None:
    """Typing "Meg" in a Rugby forum's register offered Solihull's and South Warwickshire's
    Megans first (by name), and Enter marked a Solihull person present and paid her: after the
    regulars, the forum's locality's people (and those of none) come first."""
    from coordinator_app.core.settings import ensure_locality

    with db.transaction() as s:
        solihull = ensure_locality(s, "Solihull")
        forum = Forum(locality_id=rugby, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM)
        s.add(forum)
        s.flush()
        forum_id = forum.id
    for name, locality in (
        ("Megan Adeyemi", solihull),
        ("Megan Brown", None),
        ("Megan Sharma", rugby),
        ("Megan Abbott", solihull),
    ):
        people.create_participant(
            db,
            people.ParticipantInput(name=name, category=Category.CARER, locality_id=locality),
        )
    offered = [r.name for r in people.find_participants(db, "meg", forum_id=forum_id)]
    assert offered == ["Megan Brown", "Megan Sharma", "Megan Abbott", "Megan Adeyemi"]
    # Without a forum (the directory's search), by name as before.
    assert people.find_participants(db, "meg")[0].name == "Megan Abbott"


def test_list_participants_aggregates_last_attendance_over_a_few_hundred_rows(
    db: Database, rugby: uuid.UUID
) -> None:
    rng = random.Random(7)
    start = date(2025, 1, 6)
    with db.transaction() as s:
        forum = Forum(locality_id=rugby, name="Forum", kind=ForumKind.LOCALITY_FORUM)
        s.add(forum)
        s.flush()
        parts = [
            Participant(name=f"Person {i:03d}", category=rng.choice(list(Category)))
            for i in range(300)
        ]
        s.add_all(parts)
        meetings = []
        for i in range(20):
            status = MeetingStatus.CANCELLED if i % 7 == 3 else MeetingStatus.HELD
            meetings.append(
                Meeting(
                    reference=f"M{i}",
                    forum_id=forum.id,
                    meeting_date=start + timedelta(days=14 * i),
                    status=status,
                )
            )
        s.add_all(meetings)
        s.flush()
        expected: dict[uuid.UUID, list[date]] = {p.id: [] for p in parts}
        for m in meetings:
            for p in rng.sample(parts, 40):
                st = rng.choice([AttendanceStatus.PRESENT] * 3 + [AttendanceStatus.APOLOGIES])
                s.add(Attendance(meeting_id=m.id, participant_id=p.id, status=st))
                if st == AttendanceStatus.PRESENT and m.status == MeetingStatus.HELD:
                    expected[p.id].append(m.meeting_date)
        parts[0].active = False
    rows = people.list_participants(db, active=None)
    assert len(rows) == 300
    assert [r.name for r in rows] == sorted(r.name for r in rows)
    for row in rows:
        dates = expected[row.id]
        assert row.attendance_count == len(dates)
        assert row.last_attended == (max(dates) if dates else None)
    # A filtered list computes the same figures another way (per participant).
    filtered = people.list_participants(db, active=None, text="person")
    assert [(r.id, r.last_attended, r.attendance_count) for r in filtered] == [
        (r.id, r.last_attended, r.attendance_count) for r in rows
    ]
    # The directory's second step gives the same figures, for those who attended.
    figures = people.attendance_figures(db)
    assert figures == {
        r.id: (r.last_attended, r.attendance_count) for r in rows if r.attendance_count
    }
    names_only = people.list_participants(db, active=None, figures=False)
    assert [r.id for r in names_only] == [r.id for r in rows]
    assert {(r.last_attended, r.attendance_count) for r in names_only} == {(None, 0)}
    filled = [people.with_attendance(r, *figures.get(r.id, (None, 0))) for r in names_only]
    assert filled == rows  # every field equal, as dataclasses.replace would give
    one = rows[5]
    assert people.get_participant(db, one.id).attendance_count == one.attendance_count
    assert len(people.list_participants(db)) == 299
    assert [r.name for r in people.list_participants(db, active=False)] == ["Person 000"]
    assert [r.name for r in people.list_participants(db, text="person 012")] == ["Person 012"]
    carers = people.list_participants(db, category=Category.CARER, active=None)
    assert carers and all(r.category is Category.CARER for r in carers)
    assert people.list_participants(db, locality_id=rugby) == []


def test_delete_is_refused_once_they_have_attended(db: Database, rugby: uuid.UUID) -> None:
    keep = people.create_participant(db, person("Zoë Smith"))
    mistake = people.create_participant(db, person("Typo Person"))
    with db.transaction() as s:
        forum = Forum(locality_id=rugby, name="F", kind=ForumKind.LOCALITY_FORUM)
        s.add(forum)
        s.flush()
        m = Meeting(reference="RUG-1", forum_id=forum.id, meeting_date=date(2025, 1, 1))
        s.add(m)
        s.flush()
        s.add(Attendance(meeting_id=m.id, participant_id=keep))
    with pytest.raises(CoordinatorError, match="mark them inactive instead"):
        people.delete_participant(db, keep)
    people.delete_participant(db, mistake)
    with pytest.raises(NotFoundError):
        people.get_participant(db, mistake)
    assert people.get_participant(db, keep).name == "Zoë Smith"


def test_audit_never_names_the_participant(db: Database) -> None:
    data = person("Zoë Smith")
    pid = people.create_participant(db, data)
    people.update_participant(db, pid, replace(data, notes="x"))
    people.delete_participant(db, pid)
    with db.session() as s:
        entries = s.execute(select(AuditEntry.operation, AuditEntry.summary)).all()
    assert [str(op) for op, _ in entries] == ["create", "update", "delete"]
    assert all("Zo" not in summary for _, summary in entries)


def test_fold_reduces_names_for_matching() -> None:
    assert people.fold("Siân O’Neill-Jones") == "sian oneill jones"
    assert people.fold("Łukasz Øster") == "lukasz oster"
    assert people.fold("") == ""
