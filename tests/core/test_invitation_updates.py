# ruff: noqa: F811  (the fixture ``forum`` is imported from test_papers)
"""The invitation sent again when a meeting moves or is cancelled (issue #29,
core/invitation_updates.py; docs/printouts.md "Papers to members")."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select
from test_papers import TODAY, Forum, edit_person, forum, mark_inactive  # noqa: F401  (the forum, its members, a meeting)

from coordinator_app.core import anonymise, invitation_updates, meetings, members, papers, schema
from coordinator_app.core.db import Database
from coordinator_app.core.errors import CoordinatorError
from coordinator_app.core.invitation import meeting_uid
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.vocab import MeetingFormat, MeetingStatus, PapersKind

SENT = datetime(2026, 11, 21, 10, tzinfo=UTC)
LATER = datetime(2026, 11, 23, 10, tzinfo=UTC)
FIRST_EMAILS = {"ann@example.org", "bea@example.org", "cai@example.org", "nia@nhs.example"}


def _details(forum: Forum, **changes: object) -> MeetingInput:
    data = MeetingInput(
        forum.forum_id,
        TODAY + timedelta(days=10),
        start_time=time(18, 30),
        end_time=time(20, 0),
        venue="Benn Hall",
        format=MeetingFormat.HYBRID,
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def _sent_agenda(db: Database, forum: Forum, folder: Path) -> None:
    folder.mkdir()
    papers.send_papers(db, forum.meeting_id, PapersKind.AGENDA, folder, today=TODAY, now=SENT)


def _read(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    return message


def _calendar(message: EmailMessage) -> Calendar:
    (ics,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(ics.get_payload(decode=True))


def _first_sequence(folder: Path) -> int:
    first = _calendar(_read(next(folder.glob("*.eml"))))
    return int(first.walk("VEVENT")[0]["SEQUENCE"])


def test_nothing_is_needed_before_an_invitation_went_or_while_it_is_up_to_date(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    meetings.update_meeting(db, forum.meeting_id, _details(forum, venue="Town Hall"))
    assert invitation_updates.needs_resending(db, forum.meeting_id) is None  # none sent yet
    _sent_agenda(db, forum, tmp_path / "agenda")
    assert invitation_updates.needs_resending(db, forum.meeting_id) is None
    # The minutes, the notes or the chair are not in a calendar: no update.
    meetings.update_meeting(
        db, forum.meeting_id, _details(forum, venue="Town Hall", chair="Ann", notes="Tea")
    )
    assert invitation_updates.needs_resending(db, forum.meeting_id) is None


def test_a_moved_meeting_gets_an_updated_invitation_with_the_same_uid_and_a_higher_sequence(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    _sent_agenda(db, forum, tmp_path / "agenda")
    first_sequence = _first_sequence(tmp_path / "agenda")
    new_day = TODAY + timedelta(days=17)
    meetings.update_meeting(
        db, forum.meeting_id, _details(forum, meeting_date=new_day, start_time=time(14, 0))
    )

    resend = invitation_updates.needs_resending(db, forum.meeting_id)
    assert resend is not None and resend.kind == PapersKind.INVITATION_UPDATE
    assert resend.changed == ("date", "start time")
    assert {r.email for r in resend.recipients} == FIRST_EMAILS
    assert {r.name for r in resend.letters} == {"Dev Dale", "Gus Grey"}
    assert resend.withdrawn == 0 and resend.inactive == 0
    assert "date and start time changed" in resend.message and "4 members" in resend.message
    assert "letters for the 2 members who had it and have only a postal address" in resend.message

    out = tmp_path / "update"
    out.mkdir()
    result = invitation_updates.send_update(db, forum.meeting_id, out, now=LATER)
    assert result.kind == PapersKind.INVITATION_UPDATE
    assert {_read(p)["To"] for p in result.drafts} == FIRST_EMAILS
    for path in result.drafts:
        message = _read(path)
        assert message["X-Unsent"] == "1" and message["Subject"].startswith("Changed:")
        calendar = _calendar(message)
        event = calendar.walk("VEVENT")[0]
        assert str(calendar["METHOD"]) == "PUBLISH"
        assert str(event["UID"]) == meeting_uid(forum.meeting_id)
        assert int(event["SEQUENCE"]) > first_sequence
        assert event.decoded("DTSTART") == datetime.combine(
            new_day, time(14, 0), tzinfo=ZoneInfo("Europe/London")
        )
    # Recorded as an update, shown with what went when; not asked for again.
    history = papers.papers_history(db, meeting_id=forum.meeting_id)
    assert [h.kind for h in history] == [PapersKind.INVITATION_UPDATE, PapersKind.AGENDA]
    assert history[0].summary.startswith("Invitation update sent") and history[0].emails == 4
    assert history[0].letters == 2 and result.letter_count == 2
    assert invitation_updates.needs_resending(db, forum.meeting_id) is None


def test_a_new_venue_or_online_link_needs_an_update_and_moving_back_none(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    _sent_agenda(db, forum, tmp_path / "agenda")
    members.set_meeting_link(db, forum.meeting_id, "https://teams.example/meet/456")
    resend = invitation_updates.needs_resending(db, forum.meeting_id)
    assert resend is not None and resend.changed == ("online link",)
    members.set_meeting_link(db, forum.meeting_id, "https://teams.example/meet/123")
    assert invitation_updates.needs_resending(db, forum.meeting_id) is None
    meetings.update_meeting(db, forum.meeting_id, _details(forum, venue="Town Hall"))
    resend = invitation_updates.needs_resending(db, forum.meeting_id)
    assert resend is not None and resend.changed == ("venue",)


def test_a_cancelled_meeting_sends_a_cancel_and_a_withdrawn_member_gets_nothing(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    _sent_agenda(db, forum, tmp_path / "agenda")
    anonymise.withdraw_consent_to_contact(db, forum.people["ann"])
    meetings.update_meeting(db, forum.meeting_id, _details(forum, status=MeetingStatus.CANCELLED))

    resend = invitation_updates.needs_resending(db, forum.meeting_id)
    assert resend is not None and resend.kind == PapersKind.CANCELLATION
    assert resend.withdrawn == 1 and "1 member who had it will get nothing" in resend.message
    out = tmp_path / "cancel"
    out.mkdir()
    result = invitation_updates.send_update(db, forum.meeting_id, out, now=LATER)
    sent_to = {_read(p)["To"] for p in result.drafts}
    assert sent_to == FIRST_EMAILS - {"ann@example.org"}
    assert not any(b"ann@example.org" in p.read_bytes() for p in out.iterdir())
    calendar = _calendar(_read(result.drafts[0]))
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == meeting_uid(forum.meeting_id)
    latest = papers.papers_history(db, meeting_id=forum.meeting_id)[0]
    assert latest.kind == PapersKind.CANCELLATION and latest.not_sent == 1
    assert invitation_updates.needs_resending(db, forum.meeting_id) is None
    # Put back on: the members are told it is on again.
    meetings.update_meeting(db, forum.meeting_id, _details(forum))
    again = invitation_updates.needs_resending(db, forum.meeting_id)
    assert again is not None and again.kind == PapersKind.INVITATION_UPDATE
    assert again.changed == ("status (no longer cancelled)",)


def test_only_those_who_had_the_first_invitation_get_the_update(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    _sent_agenda(db, forum, tmp_path / "agenda")
    members.add_member(db, forum.forum_id, forum.people["old"])  # joined after the agenda
    meetings.update_meeting(db, forum.meeting_id, _details(forum, end_time=time(21, 0)))
    resend = invitation_updates.needs_resending(db, forum.meeting_id)
    assert resend is not None
    assert "old@example.org" not in {r.email for r in resend.recipients}
    assert {r.email for r in resend.recipients} == FIRST_EMAILS


def test_a_missing_folder_or_nothing_to_update_writes_and_records_nothing(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    _sent_agenda(db, forum, tmp_path / "agenda")
    out = tmp_path / "update"
    out.mkdir()
    with pytest.raises(CoordinatorError, match="up to date"):
        invitation_updates.send_update(db, forum.meeting_id, out)
    meetings.update_meeting(db, forum.meeting_id, _details(forum, venue="Town Hall"))
    with pytest.raises(CoordinatorError, match="does not exist"):
        invitation_updates.send_update(db, forum.meeting_id, tmp_path / "gone")
    assert list(out.iterdir()) == []
    assert len(papers.papers_history(db, meeting_id=forum.meeting_id)) == 1
    assert invitation_updates.needs_resending(db, forum.meeting_id) is not None


def test_the_minutes_carry_no_invitation_and_need_no_update(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    out = tmp_path / "minutes"
    out.mkdir()
    papers.send_papers(db, forum.meeting_id, PapersKind.MINUTES, out, today=TODAY, now=SENT)
    meetings.update_meeting(db, forum.meeting_id, _details(forum, meeting_date=date(2026, 12, 9)))
    assert invitation_updates.needs_resending(db, forum.meeting_id) is None


def _pdf(path: Path, tool: str = "pdftotext") -> str:
    args = [tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_those_who_had_the_agenda_by_letter_get_a_letter_saying_what_changed(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    """Dev (large print) and Gus had the agenda by letter: the update is one PDF of letters,
    tagged, with the new day, time and venue, redacted as the papers are, recorded with the
    e-mails as one sending."""
    _sent_agenda(db, forum, tmp_path / "agenda")
    new_day = date(2026, 12, 9)
    venue = "Town Hall, the room by Eve Elm's office"  # Eve has not agreed to be named
    meetings.update_meeting(
        db,
        forum.meeting_id,
        _details(forum, meeting_date=new_day, start_time=time(14, 0), venue=venue),
    )
    out = tmp_path / "update"
    out.mkdir()
    result = invitation_updates.send_update(db, forum.meeting_id, out, today=TODAY, now=LATER)

    assert result.letters is not None and result.letter_count == 2
    assert (
        result.letters.name
        == "Letters - Invitation update - Rugby Locality Forum - 9 December 2026.pdf"
    )
    assert result.letters not in result.drafts and len(result.drafts) == 4
    assert re.search(r"^Tagged:\s+yes$", _pdf(result.letters, "pdfinfo"), re.MULTILINE)
    assert re.search(r"^Pages:\s+2$", _pdf(result.letters, "pdfinfo"), re.MULTILINE)
    text = " ".join(_pdf(result.letters).split())
    assert "Dev Dale" in text and "1 High Street" in text and "Gus Grey" in text
    assert "The date, start time and venue of Rugby Locality Forum have changed" in text
    assert "It is now on Wednesday 9 December 2026, 14:00 to 20:00." in text
    assert "Where: Town Hall" in text
    assert "Eve Elm" not in text and "Ann Able" not in text and "teams.example" not in text
    (sending, _agenda) = papers.papers_history(db, meeting_id=forum.meeting_id)
    assert (sending.kind, sending.emails, sending.letters) == (PapersKind.INVITATION_UPDATE, 4, 2)
    r = schema.papers_recipients
    with db.reading() as conn:
        by_letter = conn.execute(
            select(r.c.participant_id).where(r.c.sending_id == sending.id, r.c.by_email.is_(False))
        ).scalars()
        assert set(by_letter) == {forum.people["dev"], forum.people["gus"]}


def test_a_cancellation_letter_goes_only_to_active_members_who_still_consent(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    _sent_agenda(db, forum, tmp_path / "agenda")
    mark_inactive(db, forum.people["dev"])  # had it by letter, left since
    mark_inactive(db, forum.people["ann"])  # had it by e-mail, left since
    meetings.update_meeting(db, forum.meeting_id, _details(forum, status=MeetingStatus.CANCELLED))

    resend = invitation_updates.needs_resending(db, forum.meeting_id)
    assert resend is not None and resend.cancelled
    assert [r.name for r in resend.letters] == ["Gus Grey"]
    assert "ann@example.org" not in {r.email for r in resend.recipients}
    assert resend.inactive == 2 and resend.withdrawn == 0
    assert "2 members who had it are inactive and get no papers." in resend.message
    assert "a letter for the 1 member who had it and has only a postal address" in resend.message

    out = tmp_path / "cancel"
    out.mkdir()
    result = invitation_updates.send_update(db, forum.meeting_id, out, today=TODAY, now=LATER)
    assert result.letters is not None and result.letters.name.startswith("Letters - Cancellation")
    text = " ".join(_pdf(result.letters).split())
    assert "Gus Grey" in text and "Dev Dale" not in text
    assert (
        "Rugby Locality Forum on Monday 30 November 2026, 18:30 to 20:00 has been cancelled" in text
    )
    assert not any(b"ann@example.org" in p.read_bytes() for p in out.iterdir())
    latest = papers.papers_history(db, meeting_id=forum.meeting_id)[0]
    assert (latest.kind, latest.emails, latest.letters, latest.not_sent) == (
        PapersKind.CANCELLATION, 3, 1, 2,
    )  # fmt: skip


def test_a_letter_member_who_withdrew_consent_gets_no_letter(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    _sent_agenda(db, forum, tmp_path / "agenda")
    anonymise.withdraw_consent_to_contact(db, forum.people["gus"])
    meetings.update_meeting(db, forum.meeting_id, _details(forum, venue="Town Hall"))
    resend = invitation_updates.needs_resending(db, forum.meeting_id)
    assert resend is not None
    assert [r.name for r in resend.letters] == ["Dev Dale"] and resend.withdrawn == 1


def _pdf_words(path: Path) -> str:
    return " ".join(_pdf(path).split())


def _body(path: Path) -> str:
    body = _read(path).get_body(preferencelist=("plain",))
    assert body is not None
    return " ".join(body.get_content().split())


@pytest.mark.parametrize("kind", list(papers.SENDABLE))
def test_a_cancelled_meeting_sends_no_papers_only_its_cancellation(
    db: Database, forum: Forum, tmp_path: Path, kind: PapersKind
) -> None:
    """No agenda (with an invitation that would be a METHOD:CANCEL), minutes or "you said, we
    did" for a cancelled meeting: one sentence, nothing written, nothing recorded."""
    meetings.update_meeting(db, forum.meeting_id, _details(forum, status=MeetingStatus.CANCELLED))
    plan = papers.plan_papers(db, forum.meeting_id, kind, TODAY)
    assert plan.refused.startswith("This meeting is cancelled, so ")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(CoordinatorError) as caught:
        papers.send_papers(db, forum.meeting_id, kind, out, today=TODAY)
    assert str(caught.value) == plan.refused
    assert (
        list(out.iterdir()) == [] and papers.papers_history(db, meeting_id=forum.meeting_id) == []
    )
    meetings.update_meeting(db, forum.meeting_id, _details(forum))  # on again: sendable
    assert papers.plan_papers(db, forum.meeting_id, kind, TODAY).refused == ""


def test_the_update_goes_by_how_each_member_can_be_reached_now(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    """Ann had the agenda by e-mail, then lost her e-mail but has a postal address: the update
    letter. Dev had it by letter and now has an e-mail address: the e-mail with the invitation.
    Those who get nothing are told why, truly."""
    _sent_agenda(db, forum, tmp_path / "agenda")
    edit_person(db, forum.people["ann"], email="")
    members.set_postal_address(db, forum.people["ann"], "3 Mill Lane\nRugby CV21 3CC")
    edit_person(db, forum.people["dev"], email="dev@example.org")
    edit_person(db, forum.people["bea"], email="")  # no postal address: nothing
    anonymise.withdraw_consent_to_contact(db, forum.people["gus"])
    meetings.update_meeting(db, forum.meeting_id, _details(forum, venue="Town Hall"))

    resend = invitation_updates.needs_resending(db, forum.meeting_id)
    assert resend is not None
    assert {r.email for r in resend.recipients} == {
        "cai@example.org", "nia@nhs.example", "dev@example.org",
    }  # fmt: skip
    assert [r.name for r in resend.letters] == ["Ann Able"]
    assert (resend.no_consent, resend.no_address, resend.inactive) == (1, 1, 0)
    assert "1 member who had it will get nothing: they no longer agree to be contacted." in (
        resend.message
    )
    assert "1 member who had it will get nothing: they have no e-mail or postal address now." in (
        resend.message
    )
    assert "no consent to contact, or no address" not in resend.message

    out = tmp_path / "update"
    out.mkdir()
    result = invitation_updates.send_update(db, forum.meeting_id, out, today=TODAY, now=LATER)
    assert "dev@example.org" in {_read(p)["To"] for p in result.drafts}
    assert result.letters is not None
    letters = _pdf_words(result.letters)
    assert "Ann Able" in letters and "3 Mill Lane" in letters and "Dev Dale" not in letters


def test_the_update_e_mail_says_what_changed_as_the_letter_does(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    _sent_agenda(db, forum, tmp_path / "agenda")
    meetings.update_meeting(db, forum.meeting_id, _details(forum, venue="Town Hall"))
    out = tmp_path / "update"
    out.mkdir()
    result = invitation_updates.send_update(db, forum.meeting_id, out, today=TODAY, now=LATER)
    said = "The venue of Rugby Locality Forum has changed since I sent you its agenda."
    for draft in result.drafts:
        text = _body(draft)
        assert said in text and "has changed: it is now" not in text
        assert "It is now on Monday 30 November 2026, 18:30 to 20:00." in text
    assert result.letters is not None and said in _pdf_words(result.letters)
    # The letters' footer is what the member may read: the subject, not "Letters: ...".
    assert "Letters:" not in _pdf_words(result.letters)
    assert "Changed: Rugby Locality Forum, Monday 30 November 2026" in _pdf_words(result.letters)


def test_each_member_is_told_what_changed_since_what_they_were_last_sent(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    """Ann was inactive when the venue's update went; back, she has the start time's update,
    which tells her the venue changed too. The others had the venue's update: only the start
    time is new to them."""
    _sent_agenda(db, forum, tmp_path / "agenda")
    mark_inactive(db, forum.people["ann"])
    meetings.update_meeting(db, forum.meeting_id, _details(forum, venue="Town Hall"))
    first = tmp_path / "venue"
    first.mkdir()
    invitation_updates.send_update(db, forum.meeting_id, first, today=TODAY, now=LATER)
    edit_person(db, forum.people["ann"], active=True)
    meetings.update_meeting(
        db, forum.meeting_id, _details(forum, venue="Town Hall", start_time=time(18, 0))
    )
    resend = invitation_updates.needs_resending(db, forum.meeting_id)
    assert resend is not None and resend.changed == ("start time",)
    told = {r.name: r.changed for r in resend.recipients + resend.letters}
    assert told["Ann Able"] == ("start time", "venue")
    assert told["Bea Bold"] == told["Dev Dale"] == ("start time",)

    out = tmp_path / "start"
    out.mkdir()
    later = LATER + timedelta(days=1)
    result = invitation_updates.send_update(db, forum.meeting_id, out, today=TODAY, now=later)
    bodies = {_read(p)["To"]: _body(p) for p in result.drafts}
    assert (
        "The start time and venue of Rugby Locality Forum have changed since I sent you its "
        "agenda." in bodies["ann@example.org"]
    )
    assert (
        "The start time of Rugby Locality Forum has changed since I last wrote to you."
        in bodies["bea@example.org"]
    )
    assert result.letters is not None
    assert "The start time of Rugby Locality Forum has changed since I last wrote to you." in (
        _pdf_words(result.letters)
    )
