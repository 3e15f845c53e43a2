"""Answering a subject access request (core/subject_access.py): one audit entry per export,
naming the person by id and what left, never their name or any value; no export unlogged."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest

from coordinator_app.core import meetings, people
from coordinator_app.core.audit_view import AuditFilter, list_audit
from coordinator_app.core.db import Database
from coordinator_app.core.errors import CoordinatorError
from coordinator_app.core.subject_access import AUDIT_SUMMARY, export_subject_access
from coordinator_app.core.vocab import AttendanceStatus, Category, MeetingStatus
from tests.core.test_anonymise import rugby  # noqa: F401 (a fixture: Rugby and its forum)


@pytest.fixture
def zoe_at_rugby(db: Database, rugby) -> tuple[uuid.UUID, uuid.UUID]:
    locality_id, forum_id = rugby
    zoe = people.create_participant(
        db,
        people.ParticipantInput(
            name="Zoë O'Neill",
            category=Category.SERVICE_USER,
            locality_id=locality_id,
            email="zoe@example.org",
            phone="07700 900123",
            consent_to_contact=True,
            consent_date=date(2024, 1, 5),
        ),
    )
    return zoe, forum_id


def _exports_of(db: Database, person: uuid.UUID) -> list:
    return [
        row
        for row in list_audit(db, AuditFilter(entity_id=person))
        if row.summary.startswith("Subject access")
    ]


def test_each_export_writes_one_audit_entry_with_the_id_and_what_left(
    db: Database, zoe_at_rugby, tmp_path: Path
) -> None:
    zoe, _forum = zoe_at_rugby
    export_subject_access(db, zoe, tmp_path / "one.xlsx")
    (entry,) = _exports_of(db, zoe)
    assert (entry.entity, entry.entity_id) == ("participant", zoe)
    assert entry.summary == AUDIT_SUMMARY
    assert "Equality monitoring" in entry.summary and "Person (contact details)" in entry.summary
    # Never the name or any value held about them.
    for value in ("Zoë", "O'Neill", "zoe@example.org", "07700"):
        assert value not in entry.summary
    assert entry.operation.label  # the viewer shows it in words
    export_subject_access(db, zoe, tmp_path / "two.xlsx")
    assert len(_exports_of(db, zoe)) == 2
    # The viewer's words filter finds it.
    found = list_audit(db, AuditFilter(text="subject access"))
    assert {r.entity_id for r in found} == {zoe}


def test_no_workbook_is_left_when_the_entry_cannot_be_written(
    db: Database, zoe_at_rugby, tmp_path: Path, monkeypatch
) -> None:
    zoe, _forum = zoe_at_rugby
    from coordinator_app.core import audit

    def refuse(*args, **kwargs) -> None:
        raise CoordinatorError("The database refused.")

    monkeypatch.setattr(audit, "record", refuse)
    target = tmp_path / "sar.xlsx"
    with pytest.raises(CoordinatorError):
        export_subject_access(db, zoe, target)
    assert not target.exists()
    monkeypatch.undo()
    assert _exports_of(db, zoe) == []


def test_the_message_counts_attendances_as_the_participants_list_does(
    db: Database, zoe_at_rugby, tmp_path: Path
) -> None:
    """The walk found "47 attendances" (46 present plus 1 apology) where the Participants list
    and the anonymise question said 46: one rule now (``people.attended``), and the apologies
    and absences the Attendance sheet also lists are named as such."""
    zoe, forum = zoe_at_rugby
    marks = [
        (date(2024, 2, 1), MeetingStatus.HELD, AttendanceStatus.PRESENT),
        (date(2024, 3, 1), MeetingStatus.HELD, AttendanceStatus.PRESENT),
        (date(2024, 4, 1), MeetingStatus.HELD, AttendanceStatus.APOLOGIES),
        (date(2024, 5, 1), MeetingStatus.HELD, AttendanceStatus.ABSENT),
        (date(2024, 6, 1), MeetingStatus.CANCELLED, AttendanceStatus.PRESENT),
    ]
    for on, status, mark in marks:
        meeting = meetings.create_meeting(
            db, meetings.MeetingInput(forum_id=forum, meeting_date=on, status=status)
        )
        meetings.set_attendance(db, meeting, zoe, mark)
    done = export_subject_access(db, zoe, tmp_path / "sar.xlsx")
    assert done.summary.attendances == 5  # the sheet's rows, every mark
    assert done.attended == people.get_participant(db, zoe).attendance_count == 2
    assert done.in_words == (
        "It holds 2 attendances, 1 apology, 1 absence, 0 payments and 0 mentions in notes."
    )
