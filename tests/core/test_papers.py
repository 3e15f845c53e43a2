"""Papers out to a forum's members (issue #29): members, the drafts, the letters, the record
of what went when, and the meeting's calendar invitation."""

from __future__ import annotations

import re
import subprocess
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from coordinator_app.core import anonymise, meetings, members, papers, people
from coordinator_app.core.db import Database
from coordinator_app.core.errors import CoordinatorError, ValidationError
from coordinator_app.core.invitation import invitation_bytes, meeting_uid
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import (
    AccessibleFormat,
    AttendanceStatus,
    Category,
    ForumKind,
    MeetingFormat,
    MeetingStatus,
    PapersKind,
)

TODAY = date(2026, 11, 20)


@dataclass
class Forum:
    forum_id: uuid.UUID
    meeting_id: uuid.UUID
    people: dict[str, uuid.UUID]


def person(db: Database, name: str, category: Category, **extra: object) -> uuid.UUID:
    return people.create_participant(
        db,
        people.ParticipantInput(name=name, category=category, **extra),  # type: ignore[arg-type]
    )


@pytest.fixture
def forum(db: Database) -> Forum:
    complete_first_run(
        db, trust_name="Test NHS Trust", coordinator_name="Siân Evans", localities=["Rugby"]
    )
    loc = meetings.list_localities(db)[0].id
    forum_id = meetings.create_forum(
        db, locality_id=loc, name="Rugby Locality Forum", kind=ForumKind.LOCALITY_FORUM
    )
    everyone = {
        "ann": person(
            db, "Ann Able", Category.SERVICE_USER, consent_to_contact=True, email="ann@example.org"
        ),
        "bea": person(
            db,
            "Bea Bold",
            Category.CARER,
            consent_to_contact=True,
            email="bea@example.org",
            accessible_format=AccessibleFormat.LARGE_PRINT,
        ),
        "cai": person(
            db,
            "Cai Clear",
            Category.SERVICE_USER,
            consent_to_contact=True,
            email="cai@example.org",
            accessible_format=AccessibleFormat.EASY_READ,
        ),
        "dev": person(
            db,
            "Dev Dale",
            Category.SERVICE_USER,
            consent_to_contact=True,
            accessible_format=AccessibleFormat.LARGE_PRINT,
        ),
        "gus": person(db, "Gus Grey", Category.CARER, consent_to_contact=True),
        "eve": person(db, "Eve Elm", Category.SERVICE_USER),
        "fay": person(db, "Fay Fern", Category.SERVICE_USER, consent_to_contact=True),
        "old": person(
            db, "Old Oak", Category.CARER, consent_to_contact=True, email="old@example.org"
        ),
        "new": person(
            db, "Nia New", Category.STAFF, consent_to_contact=True, email="nia@nhs.example"
        ),
        "off": person(
            db, "Ola Off", Category.CARER, consent_to_contact=True, email="ola@example.org"
        ),
    }
    members.set_postal_address(db, everyone["dev"], "1 High Street\nRugby\nCV21 1AA")
    members.set_postal_address(db, everyone["gus"], "2 Low Road\nRugby CV22 2BB")
    long_ago = meetings.create_meeting(
        db, MeetingInput(forum_id, TODAY - timedelta(days=500), status=MeetingStatus.HELD)
    )
    meetings.set_attendance(db, long_ago, everyone["old"], AttendanceStatus.PRESENT)
    last = meetings.create_meeting(
        db, MeetingInput(forum_id, TODAY - timedelta(days=30), status=MeetingStatus.HELD)
    )
    for key in ("ann", "bea", "cai", "dev", "eve", "fay", "off"):
        meetings.set_attendance(db, last, everyone[key], AttendanceStatus.PRESENT)
    meetings.set_attendance(db, last, everyone["gus"], AttendanceStatus.APOLOGIES)
    members.add_member(db, forum_id, everyone["new"])
    members.remove_member(db, forum_id, everyone["off"])
    meeting_id = meetings.create_meeting(
        db,
        MeetingInput(
            forum_id,
            TODAY + timedelta(days=10),
            start_time=time(18, 30),
            end_time=time(20, 0),
            venue="Benn Hall",
            format=MeetingFormat.HYBRID,
        ),
    )
    meetings.add_agenda_item(db, meeting_id, "Crisis line waits", "", "")
    members.set_meeting_link(db, meeting_id, "https://teams.example/meet/123")
    return Forum(forum_id, meeting_id, everyone)


def test_members_default_to_last_twelve_months_and_keep_the_coordinators_choices(
    db: Database, forum: Forum
) -> None:
    names = {m.name for m in members.forum_members(db, forum.forum_id, TODAY)}
    assert names == {
        "Ann Able", "Bea Bold", "Cai Clear", "Dev Dale", "Gus Grey", "Eve Elm", "Fay Fern",
        "Nia New",
    }  # fmt: skip
    # Next year, only those the coordinator added are left.
    later = members.forum_members(db, forum.forum_id, TODAY + timedelta(days=400))
    assert [m.name for m in later] == ["Nia New"]


def mark_inactive(db: Database, participant_id: uuid.UUID) -> None:
    """Mark a participant inactive (they have left) as their form does, the rest unchanged."""
    edit_person(db, participant_id, active=False)


def edit_person(db: Database, participant_id: uuid.UUID, **changes: object) -> None:
    """Change a participant as their form does (e-mail, consent, active), the rest unchanged."""
    row = people.get_participant(db, participant_id)
    fields = {
        "name": row.name,
        "category": row.category,
        "email": row.email,
        "consent_to_contact": row.consent_to_contact,
        "accessible_format": row.accessible_format,
        "active": row.active,
    }
    people.update_participant(
        db,
        participant_id,
        people.ParticipantInput(**{**fields, **changes}),  # type: ignore[arg-type]
    )


def test_delivery_rule() -> None:
    assert members.delivery(True, "a@b.org", "x", active=False).how == members.NOTHING
    assert members.delivery(True, "", "1 Road", active=False).why == members.INACTIVE
    assert members.delivery(False, "a@b.org", "x").how == members.NOTHING
    assert members.delivery(True, "a@b.org", "x").how == members.EMAIL
    assert members.delivery(True, "", "1 Road").how == members.LETTER
    assert members.delivery(True, " ", "").how == members.NOTHING


def _read(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    return message


def test_one_step_sends_one_draft_per_member_in_their_format_letters_and_nothing_else(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    out = tmp_path / "papers"
    out.mkdir()
    result = papers.send_papers(db, forum.meeting_id, PapersKind.AGENDA, out, today=TODAY)

    drafts = sorted(out.glob("*.eml"))
    assert len(drafts) == result.emails == 4
    addresses = {
        "ann@example.org", "bea@example.org", "cai@example.org", "nia@nhs.example",
    }  # fmt: skip
    seen = set()
    for path in drafts:
        message = _read(path)
        to = message["To"]
        assert to in addresses and to not in seen
        seen.add(to)
        raw = path.read_bytes().decode("ascii", "replace")
        assert [a for a in addresses | {"old@example.org", "ola@example.org"} if a in raw] == [to]
        assert message["X-Unsent"] == "1"
        assert message["Cc"] is None and message["Bcc"] is None
        names = [part.get_filename() for part in message.iter_attachments()]
        pdfs = [n for n in names if n and n.endswith(".pdf")]
        assert len(pdfs) == 1
        assert ("large print" in pdfs[0]) == (to == "bea@example.org")
        assert "Invitation.ics" in names  # the agenda carries the invitation
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        text = body.get_content()
        assert "https://teams.example/meet/123" in text
        assert ("easy read" in text) == (to == "cai@example.org")
    assert seen == addresses

    assert result.letters is not None and result.letter_count == 2
    letters = subprocess.run(
        ["pdftotext", str(result.letters), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Dev Dale" in letters and "1 High Street" in letters and "CV21 1AA" in letters
    assert "Gus Grey" in letters and "2 Low Road" in letters
    for absent in ("Eve Elm", "Fay Fern", "Ann Able", "Ola Off"):
        assert absent not in letters
    # The link is not printed on paper unless chosen.
    assert "teams.example" not in letters
    assert "You can also join this meeting online: please ask me how." in letters
    pages = subprocess.run(
        ["pdfinfo", str(result.letters)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Pages:\s+2$", pages, re.MULTILINE)  # a letter per page
    # Dev asked for large print: their letter is set larger than Gus's.
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(result.letters), "-"], capture_output=True, text=True
    ).stdout
    heights = {
        word: float(y2) - float(y1)
        for y1, y2, word in re.findall(
            r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(\w+)<', boxes
        )
    }
    assert heights["Dale"] > heights["Grey"] * 1.3
    # The papers to enclose: standard for Gus, large print for Dev.
    assert sorted(p.name.endswith("large print.pdf") for p in result.papers) == [False, True]
    assert len(list(out.iterdir())) == 4 + 1 + 2 + 1  # drafts, letters, papers, invitation
    everything = b"".join(p.read_bytes() for p in out.iterdir())
    assert b"ola@example.org" not in everything and b"Eve Elm" not in everything

    history = papers.papers_history(db, meeting_id=forum.meeting_id)
    assert [(h.kind, h.emails, h.letters, h.not_sent) for h in history] == [
        (PapersKind.AGENDA, 4, 2, 2)
    ]
    assert "Agenda sent" in history[0].summary


def test_papers_are_redacted_as_the_minutes_are(db: Database, forum: Forum, tmp_path: Path) -> None:
    meetings.add_agenda_item(db, forum.meeting_id, "Eve Elm's letter", "", "")
    papers.send_papers(db, forum.meeting_id, PapersKind.AGENDA, tmp_path, today=TODAY)
    for pdf in tmp_path.glob("*.pdf"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Eve Elm" not in text


def test_withdrawn_consent_takes_effect_at_once(db: Database, forum: Forum) -> None:
    plan = papers.plan_papers(db, forum.meeting_id, PapersKind.MINUTES, TODAY)
    assert "Ann Able" in {m.name for m in plan.by(members.EMAIL)}
    anonymise.withdraw_consent_to_contact(db, forum.people["ann"])
    anonymise.withdraw_consent_to_contact(db, forum.people["dev"])
    plan = papers.plan_papers(db, forum.meeting_id, PapersKind.MINUTES, TODAY)
    nothing = {m.name: m.delivery.why for m in plan.by(members.NOTHING)}
    assert "consented" in nothing["Ann Able"] and "Dev Dale" in nothing
    assert members.forum_members(db, forum.forum_id, TODAY)  # still members, sent nothing


def test_an_inactive_member_stays_on_the_list_and_is_sent_nothing(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    """Ann (by e-mail) and Dev (by letter) have left: still on the forum's list, the agenda
    goes to neither, and the sending says so in one sentence."""
    mark_inactive(db, forum.people["ann"])
    mark_inactive(db, forum.people["dev"])
    listed = {m.name: m for m in members.forum_members(db, forum.forum_id, TODAY)}
    assert not listed["Ann Able"].active and listed["Ann Able"].delivery.why == members.INACTIVE
    plan = papers.plan_papers(db, forum.meeting_id, PapersKind.AGENDA, TODAY)
    assert plan.inactive == 2
    assert papers.inactive_sentence(plan.inactive) == "2 members are inactive and get no papers."
    assert papers.inactive_sentence(1) == "1 member is inactive and gets no papers."
    assert papers.inactive_sentence(0) == ""

    out = tmp_path / "papers"
    out.mkdir()
    result = papers.send_papers(db, forum.meeting_id, PapersKind.AGENDA, out, today=TODAY)
    assert (result.emails, result.letter_count, result.not_sent) == (3, 1, 4)
    assert not any(b"ann@example.org" in p.read_bytes() for p in out.iterdir())
    assert result.letters is not None
    letters = subprocess.run(
        ["pdftotext", str(result.letters), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Gus Grey" in letters and "Dev Dale" not in letters and "1 High Street" not in letters


def test_anonymising_forgets_their_membership_and_the_papers_sent_to_them(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    """An anonymised person's forum membership and their rows among a sending's recipients go;
    the sending keeps its counts."""
    from coordinator_app.core import schema

    out = tmp_path / "papers"
    out.mkdir()
    papers.send_papers(db, forum.meeting_id, PapersKind.AGENDA, out, today=TODAY)
    nia = forum.people["new"]  # a member the coordinator added, and sent the agenda

    def rows(table: object) -> int:
        with db.reading() as conn:
            return len(conn.execute(select(table).where(table.c.participant_id == nia)).all())

    assert rows(schema.forum_members) == 1 and rows(schema.papers_recipients) == 1
    (before,) = papers.papers_history(db, meeting_id=forum.meeting_id)
    anonymise.anonymise_participant(db, nia)
    assert rows(schema.forum_members) == 0 and rows(schema.papers_recipients) == 0
    (after,) = papers.papers_history(db, meeting_id=forum.meeting_id)
    assert (after.emails, after.letters) == (before.emails, before.letters)
    assert nia not in {m.participant_id for m in members.forum_members(db, forum.forum_id, TODAY)}


def test_a_missing_folder_writes_and_records_nothing(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    with pytest.raises(CoordinatorError, match="does not exist"):
        papers.send_papers(db, forum.meeting_id, PapersKind.MINUTES, tmp_path / "gone")
    assert papers.papers_history(db, meeting_id=forum.meeting_id) == []


def test_postal_address_and_link_are_checked(db: Database, forum: Forum) -> None:
    with pytest.raises(ValidationError, match="consented"):
        members.set_postal_address(db, forum.people["eve"], "3 Road")
    with pytest.raises(ValidationError, match="https"):
        members.set_meeting_link(db, forum.meeting_id, "teams meeting")
    members.set_forum_link(db, forum.forum_id, "https://teams.example/forum")
    members.set_meeting_link(db, forum.meeting_id, "")
    assert members.meeting_link(db, forum.meeting_id).link == "https://teams.example/forum"


def test_the_invitation_parses_with_start_place_and_a_stable_uid(
    db: Database, forum: Forum
) -> None:
    from icalendar import Calendar

    first = Calendar.from_ical(invitation_bytes(db, forum.meeting_id))
    event = first.walk("VEVENT")[0]
    assert str(event["UID"]) == meeting_uid(forum.meeting_id)
    start = event.decoded("DTSTART")
    assert start == datetime.combine(
        TODAY + timedelta(days=10), time(18, 30), tzinfo=ZoneInfo("Europe/London")
    )
    assert start.astimezone(UTC).hour == 18  # 20 November: GMT
    assert "Benn Hall" in str(event["LOCATION"])
    assert "https://teams.example/meet/123" in str(event["LOCATION"])
    assert str(event["SUMMARY"]) == "Rugby Locality Forum"
    assert first.walk("VTIMEZONE")
    assert str(first["METHOD"]) == "PUBLISH"
    sequence = int(event["SEQUENCE"])

    meetings.update_meeting(
        db,
        forum.meeting_id,
        MeetingInput(
            forum.forum_id,
            TODAY + timedelta(days=10),
            start_time=time(18, 30),
            venue="Benn Hall",
            status=MeetingStatus.CANCELLED,
        ),
    )
    cancelled = Calendar.from_ical(invitation_bytes(db, forum.meeting_id))
    again = cancelled.walk("VEVENT")[0]
    assert str(again["UID"]) == meeting_uid(forum.meeting_id)
    assert int(again["SEQUENCE"]) > sequence
    assert str(cancelled["METHOD"]) == "CANCEL" and str(again["STATUS"]) == "CANCELLED"
    # No personal data: no attendee or organiser.
    assert "ATTENDEE" not in again and "ORGANIZER" not in again


def test_the_link_is_printed_on_the_agenda_only_when_chosen(db: Database, forum: Forum) -> None:
    from coordinator_app.core.minutes import agenda_document, minutes_document

    assert "teams.example" not in agenda_document(db, forum.meeting_id).text()
    members.set_meeting_link(
        db, forum.meeting_id, "https://teams.example/meet/123", print_link=True
    )
    assert "https://teams.example/meet/123" in agenda_document(db, forum.meeting_id).text()
    assert "https://teams.example/meet/123" in minutes_document(db, forum.meeting_id).text()


def test_papers_sent_are_offered_as_evidence(db: Database, forum: Forum) -> None:
    day = TODAY - timedelta(days=2)
    held = meetings.create_meeting(db, MeetingInput(forum.forum_id, day, status=MeetingStatus.HELD))
    papers.record_sending(
        db, held, PapersKind.AGENDA, emails=3, letters=1, not_sent=0,
        sent_at=datetime.combine(day - timedelta(days=7), time(12), tzinfo=UTC),
    )  # fmt: skip
    loc = meetings.list_localities(db)[0].id
    text = papers.papers_evidence(db, loc, TODAY)
    reference = meetings.get_meeting(db, held).reference
    assert f"- {reference}, Rugby Locality Forum, {day:%d/%m/%Y}: agenda sent" in text
    assert "(7 days before); no minutes recorded" in text
    assert "Papers sent for the last 3 meetings held" in text  # with the fixture's two
    assert "Ann Able" not in text and "@" not in text


def test_a_letter_says_once_what_it_encloses_and_its_footer_is_for_the_member(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    """The letter's opening names the paper and its size once ("I enclose the agenda ..., in
    large print as you asked."), never "It is enclosed." after it; the footer printed on each
    page is what the member may read (the subject), not the file's title ("Letters: ...")."""
    out = tmp_path / "papers"
    out.mkdir()
    result = papers.send_papers(db, forum.meeting_id, PapersKind.AGENDA, out, today=TODAY)
    assert result.letters is not None
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(result.letters), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    when = "Monday 30 November 2026, 18:30 to 20:00"
    opening = f"the agenda for Rugby Locality Forum on {when}"
    assert f"I enclose {opening}, in large print as you asked." in text  # Dev
    assert f"I enclose {opening}. " in text  # Gus, standard
    assert "enclosed" not in text and "Letters:" not in text
    assert "Agenda: Rugby Locality Forum, Monday 30 November 2026" in text  # the footer
    (draft,) = [p for p in result.drafts if p.name == "Agenda for Bea Bold.eml"]
    body = _read(draft).get_body(preferencelist=("plain",))
    assert body is not None
    said = " ".join(body.get_content().split())
    assert f"I attach {opening}, in large print as you asked." in said
    assert "As you asked" not in said


def test_counts_and_plurals_are_said_once_each() -> None:
    from coordinator_app.core.text import counted

    assert [counted(n, "letter") for n in (0, 1, 2)] == ["0 letters", "1 letter", "2 letters"]
    assert counted(3, "person", "people") == "3 people"
    assert papers.made_words(0, 1) == "a PDF of 1 letter"
    assert papers.made_words(2, 0) == "2 e-mail drafts"
    assert papers.made_words(1, 3) == "1 e-mail draft and a PDF of 3 letters"
    assert papers.sent_sentence(26, 1, 20, inactive=13, of="47 members of X") == (
        "Of 47 members of X: 26 by e-mail, 1 by letter; 20 sent nothing (7 with no consent to "
        "contact or no address, 13 inactive)"
    )
    assert papers.sent_sentence(2, 0, 3) == "2 by e-mail, 0 by letter; 3 sent nothing"
    assert papers.sent_sentence(2, 0, 0, inactive=0) == "2 by e-mail, 0 by letter; 0 sent nothing"


def test_the_plan_counts_each_member_once(db: Database, forum: Forum) -> None:
    """Ola (inactive) is among those sent nothing, not counted again beside them."""
    ola = forum.people["off"]
    members.add_member(db, forum.forum_id, ola)
    mark_inactive(db, ola)
    plan = papers.plan_papers(db, forum.meeting_id, PapersKind.AGENDA, TODAY)
    assert plan.sentence == (
        "Of 9 members of Rugby Locality Forum: 4 by e-mail, 2 by letter; 3 sent nothing "
        "(2 with no consent to contact or no address, 1 inactive)"
    )
