"""The commands ``papers`` and ``invite`` (issue #29, docs/command-line.md)."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from coordinator_app.cli import main
from coordinator_app.core import meetings, members, papers, people
from coordinator_app.core.db import open_database
from coordinator_app.core.invitation import meeting_uid
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import AttendanceStatus, Category, ForumKind, MeetingStatus


def _meeting(target: str) -> tuple[str, str]:
    """A forum with one member by e-mail, one by letter and one without consent; the next
    meeting's reference and id."""
    db = open_database(target)
    try:
        complete_first_run(db, trust_name="Trust", coordinator_name="Sam", localities=["Rugby"])
        loc = meetings.list_localities(db)[0].id
        forum = meetings.create_forum(
            db, locality_id=loc, name="Rugby Carers Forum", kind=ForumKind.CARERS_FORUM
        )
        held = meetings.create_meeting(
            db,
            MeetingInput(forum, date.today() - timedelta(days=20), status=MeetingStatus.HELD),
        )
        for name, extra in (
            ("Ann Able", {"consent_to_contact": True, "email": "ann@example.org"}),
            ("Dev Dale", {"consent_to_contact": True}),
            ("Eve Elm", {}),
        ):
            pid = people.create_participant(
                db,
                people.ParticipantInput(name=name, category=Category.CARER, **extra),  # type: ignore[arg-type]
            )
            meetings.set_attendance(db, held, pid, AttendanceStatus.PRESENT)
            if name == "Dev Dale":
                members.set_postal_address(db, pid, "1 High Street\nRugby")
        nxt = meetings.create_meeting(
            db,
            MeetingInput(
                forum,
                date.today() + timedelta(days=9),
                start_time=time(10, 0),
                end_time=time(12, 0),
                venue="Benn Hall",
            ),
        )
        reference = meetings.get_meeting(db, nxt).reference
    finally:
        db.dispose()
    return reference, str(nxt)


def test_papers_writes_a_draft_per_member_with_email_and_the_letters(
    db_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference, meeting_id = _meeting(db_target)
    out = tmp_path / "out"
    out.mkdir()
    args = ["--db", db_target, "papers", "--meeting", reference.lower(), "--kind", "agenda"]
    assert main([*args, "-o", str(out)]) == 0
    assert "1 e-mail draft and a PDF of 1 letter written" in capsys.readouterr().out
    drafts = list(out.glob("*.eml"))
    assert [d.name for d in drafts] == ["Agenda for Ann Able.eml"]
    message = message_from_bytes(drafts[0].read_bytes(), policy=default)
    assert message["To"] == "ann@example.org"
    assert len(list(out.glob("Letters - *.pdf"))) == 1
    assert (out / "Invitation.ics").exists()
    db = open_database(db_target, read_only=True)
    try:
        history = papers.papers_history(db, meeting_id=uuid.UUID(meeting_id))
    finally:
        db.dispose()
    assert [(h.emails, h.letters, h.not_sent) for h in history] == [(1, 1, 1)]


def test_papers_says_how_many_members_are_inactive_and_sends_them_nothing(
    db_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference, meeting_id = _meeting(db_target)
    db = open_database(db_target)
    try:
        ola = people.create_participant(
            db,
            people.ParticipantInput(
                name="Ola Off",
                category=Category.CARER,
                consent_to_contact=True,
                email="ola@example.org",
                active=False,
            ),
        )
        members.add_member(db, meetings.get_meeting(db, uuid.UUID(meeting_id)).forum_id, ola)
    finally:
        db.dispose()
    out = tmp_path / "out"
    out.mkdir()
    args = ["--db", db_target, "papers", "--meeting", reference, "--kind", "agenda"]
    assert main([*args, "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.rstrip().endswith(
        "1 by e-mail, 1 by letter; 2 sent nothing (1 with no consent to contact or no address, "
        "1 inactive)."
    )  # each member counted once
    assert [d.name for d in out.glob("*.eml")] == ["Agenda for Ann Able.eml"]


def test_papers_refuses_a_missing_folder_or_meeting_in_one_sentence(
    db_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference, _ = _meeting(db_target)
    base = ["--db", db_target, "papers", "--kind", "minutes"]
    assert main([*base, "--meeting", reference, "-o", str(tmp_path / "gone")]) == 1
    assert main([*base, "--meeting", "NOPE-0000", "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("coordinator-app: ") for line in err)
    assert main([*base[:-1], "letters", "--meeting", reference, "-o", str(tmp_path)]) == 2


def test_invite_writes_an_ics_that_parses(db_target: str, tmp_path: Path) -> None:
    from icalendar import Calendar

    _reference, meeting_id = _meeting(db_target)
    ics = tmp_path / "meeting.ics"
    assert main(["--db", db_target, "invite", "--meeting", meeting_id, "-o", str(ics)]) == 0
    event = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")[0]
    assert str(event["UID"]) == meeting_uid(uuid.UUID(meeting_id))
    assert event.decoded("DTSTART").hour == 10
    assert str(event["LOCATION"]) == "Benn Hall"
    assert str(event["SUMMARY"]) == "Rugby Carers Forum"
    assert "Ann Able" not in ics.read_text() and "ann@example.org" not in ics.read_text()


def test_papers_update_sends_the_moved_meetings_invitation_again(
    db_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from icalendar import Calendar

    reference, meeting_id = _meeting(db_target)
    first, again = tmp_path / "agenda", tmp_path / "update"
    first.mkdir()
    again.mkdir()
    base = ["--db", db_target, "papers", "--meeting", reference]
    assert main([*base, "--kind", "update", "-o", str(again)]) == 1  # nothing sent yet
    assert "up to date" in capsys.readouterr().err
    assert main([*base, "--kind", "agenda", "-o", str(first)]) == 0
    db = open_database(db_target)
    try:
        detail = meetings.get_meeting(db, uuid.UUID(meeting_id))
        moved = MeetingInput(detail.forum_id, detail.meeting_date, start_time=time(14, 0))
        meetings.update_meeting(db, detail.id, moved)
    finally:
        db.dispose()
    assert main([*base, "--kind", "update", "-o", str(again)]) == 0
    said = capsys.readouterr().out
    assert "Invitation update of" in said and "1 e-mail draft and a PDF of 1 letter" in said
    assert len(list(again.glob("Letters - Invitation update - *.pdf"))) == 1  # Dev, by letter
    (draft,) = again.glob("*.eml")
    message = message_from_bytes(draft.read_bytes(), policy=default)
    assert message["To"] == "ann@example.org"
    (ics,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]  # type: ignore[attr-defined]
    event = Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")[0]
    assert event.decoded("DTSTART").hour == 14


def test_papers_refuses_the_agenda_of_a_cancelled_meeting_and_writes_nothing(
    db_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cancelled meeting's agenda (and its invitation, a METHOD:CANCEL) is not sent: one
    sentence, exit 1, no file and no sending recorded; only the cancellation goes out."""
    reference, meeting_id = _meeting(db_target)
    db = open_database(db_target)
    try:
        detail = meetings.get_meeting(db, uuid.UUID(meeting_id))
        meetings.update_meeting(
            db,
            detail.id,
            MeetingInput(
                detail.forum_id,
                detail.meeting_date,
                start_time=detail.start_time,
                end_time=detail.end_time,
                venue=detail.venue,
                status=MeetingStatus.CANCELLED,
            ),
        )
    finally:
        db.dispose()
    out = tmp_path / "out"
    out.mkdir()
    args = ["--db", db_target, "papers", "--meeting", reference, "--kind", "agenda"]
    assert main([*args, "-o", str(out)]) == 1
    said = capsys.readouterr()
    assert said.err.strip() == (
        "coordinator-app: This meeting is cancelled, so its agenda and invitation are not sent: "
        "only the cancellation goes to its members."
    )
    assert said.out == "" and list(out.iterdir()) == []
    db = open_database(db_target)
    try:
        assert papers.papers_history(db, meeting_id=uuid.UUID(meeting_id)) == []
    finally:
        db.dispose()


def test_papers_update_says_why_those_who_had_it_get_nothing(
    db_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from coordinator_app.core import anonymise

    reference, meeting_id = _meeting(db_target)
    first, again = tmp_path / "agenda", tmp_path / "update"
    first.mkdir()
    again.mkdir()
    base = ["--db", db_target, "papers", "--meeting", reference]
    assert main([*base, "--kind", "agenda", "-o", str(first)]) == 0
    db = open_database(db_target)
    try:
        detail = meetings.get_meeting(db, uuid.UUID(meeting_id))
        (ann,) = [m.participant_id for m in members.forum_members(db, detail.forum_id) if m.email]
        anonymise.withdraw_consent_to_contact(db, ann)
        moved = MeetingInput(detail.forum_id, detail.meeting_date, start_time=time(14, 0))
        meetings.update_meeting(db, detail.id, moved)
    finally:
        db.dispose()
    capsys.readouterr()
    assert main([*base, "--kind", "update", "-o", str(again)]) == 0
    said = capsys.readouterr().out.strip()
    assert "a PDF of 1 letter written to" in said and "e-mail draft" not in said
    assert said.endswith(
        "1 member who had it will get nothing: they no longer agree to be contacted."
    )
