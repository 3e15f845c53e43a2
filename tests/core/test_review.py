"""The privacy review (``core/review.py``): every piece of free text a document's redactor
changes and every piece that still looks like a name, with its record; rewording a piece saves
it to the record; ``export-return --review`` prints it and ``--strict`` refuses."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from coordinator_app import cli
from coordinator_app.core import actions, meetings, people, polls, review
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database
from coordinator_app.core.errors import ConflictError, ValidationError
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.models import AuditEntry, ExperienceItem
from coordinator_app.core.rules import Month
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import (
    ActionLevel,
    AttendanceStatus,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingStatus,
)

OCTOBER = Month(2026, 10)


@dataclass
class Place:
    meeting: uuid.UUID
    said: uuid.UUID
    patel: uuid.UUID
    clean: uuid.UUID
    action: uuid.UUID
    poll: uuid.UUID


@pytest.fixture
def place(db: Database) -> Place:
    complete_first_run(db, trust_name="T", coordinator_name="Siân Evans", localities=["Rugby"])
    (rugby,) = [loc.id for loc in meetings.list_localities(db)]
    forum = meetings.create_forum(
        db, locality_id=rugby, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM
    )
    bob = people.create_participant(
        db, people.ParticipantInput("Bob Smith", Category.SERVICE_USER, locality_id=rugby)
    )
    meeting = meetings.create_meeting(
        db,
        MeetingInput(forum_id=forum, meeting_date=date(2026, 10, 6), status=MeetingStatus.HELD),
    )
    meetings.set_attendance(db, meeting, bob, AttendanceStatus.PRESENT)

    def heard(text: str) -> uuid.UUID:
        return meetings.add_experience(
            db, meeting, ExperienceInput(ExperienceKind.CONCERN, summary=text)
        )

    said = heard("Bob said the crisis line never answered.")
    patel = heard("Mr Patel said it would be fixed.")
    clean = heard("The leaflet is good.")
    action = actions.raise_action(
        db,
        locality_id=rugby,
        meeting_id=meeting,
        data=ActionInput(
            title="Call back on 07700 900456",
            owner="Priya Patel",
            level=ActionLevel.LOCALITY,
            raised_on=date(2026, 10, 6),
        ),
    )
    actions.add_progress(db, action, "Left a message for Bob", written_on=date(2026, 10, 7))
    poll = polls.add_poll(db, meeting, "Who chaired?", [("Bob did", 2), ("Staff", 1)])
    return Place(meeting, said, patel, clean, action, poll)


def _where(items: list[review.ReviewItem]) -> list[str]:
    return [item.where for item in items]


def test_the_return_s_review_lists_what_is_hidden_and_what_looks_like_a_name(
    db: Database, place: Place
) -> None:
    items = review.review_return(db, locality="rugby", month=OCTOBER)
    assert _where(items) == [
        "Action RUG-A1, Title",
        "Experience item of 06/10/2026, Summary",
        "Experience item of 06/10/2026, Summary",
        "Quick poll at RUG-2610, Answer",
    ]
    title, said, patel, answer = items
    assert title.lines() == [
        "Action RUG-A1, Title: 'Call back on 07700 900456'",
        '  hidden: "07700 900456" (a phone number)',
        "  leaves as: 'Call back on [contact details removed]'",
    ]
    assert said.piece.record_id == place.said
    assert [(f.reason, f.hidden) for f in said.findings] == [
        ("a service user's or carer's name", True)
    ]
    assert said.leaves_as == "[service user] said the crisis line never answered."
    assert patel.piece.record_id == place.patel
    assert [(patel.text[f.start : f.end], f.hidden) for f in patel.findings] == [("Patel", False)]
    assert answer.piece.table == "poll_answers" and answer.leaves_as == "[service user] did"


def test_the_minutes_review_names_progress_notes_and_agenda_items(
    db: Database, place: Place
) -> None:
    meetings.add_agenda_item(db, place.meeting, "Transport", discussion="Bob Smith asked.")
    items = review.review_printout(db, review.MINUTES, place.meeting)
    where = _where(items)
    assert "Agenda item 1 of RUG-2610, Discussion" in where
    assert "Action RUG-A1, Title" in where
    log = review.review_printout(db, review.ACTIONS_LOG, place.meeting, today=date(2026, 11, 1))
    assert _where(log) == ["Action RUG-A1, Title", "Action RUG-A1, Latest progress"]
    assert review.review_printout(db, review.SIGN_IN, place.meeting) == []


def test_a_reworded_piece_is_saved_to_its_record_and_leaves_the_review(
    db: Database, place: Place
) -> None:
    items = review.review_return(db, locality="Rugby", month=OCTOBER)
    said = next(i for i in items if i.piece.record_id == place.said)
    with db.session() as s:
        before = s.get(ExperienceItem, place.said).row_version

    kept = review.rewrite(
        db, said.piece, said.text, "  A service user said the line never answered. "
    )

    assert kept == "A service user said the line never answered."
    with db.session() as s:
        item = s.get(ExperienceItem, place.said)
        assert (item.summary, item.row_version) == (kept, before + 1)
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.at.desc())).first()
    assert entry.summary == "Summary reworded in the privacy review"
    assert place.said not in [
        i.piece.record_id for i in review.review_return(db, locality="Rugby", month=OCTOBER)
    ]
    # What the review showed is gone: someone changed it meanwhile.
    with pytest.raises(ConflictError):
        review.rewrite(db, said.piece, said.text, "Something else")
    with pytest.raises(ValidationError, match="Say what was said"):
        review.rewrite(db, said.piece, kept, "   ")


def test_progress_notes_and_poll_answers_are_found_by_their_parent(
    db: Database, place: Place
) -> None:
    items = review.review_printout(db, review.ACTIONS_LOG, place.meeting, today=date(2026, 11, 1))
    progress = next(i for i in items if i.piece.field == "Latest progress")
    review.rewrite(db, progress.piece, progress.text, "Left a message")
    assert actions.get_action(db, place.action).latest_progress == "Left a message"
    answers = [
        i
        for i in review.review_return(db, locality="Rugby", month=OCTOBER)
        if i.piece.table == "poll_answers"
    ]
    with pytest.raises(ValidationError, match="already has this answer"):
        review.rewrite(db, answers[0].piece, "Bob did", "Staff")
    review.rewrite(db, answers[0].piece, "Bob did", "A member did")
    detail = meetings.get_meeting(db, place.meeting)
    assert detail.polls[0].answers == [("A member did", 2), ("Staff", 1)]


def test_export_return_review_prints_the_list_and_strict_refuses(
    db: Database, db_target: str, place: Place, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "return.xlsx"
    args = ["--db", db_target, "export-return", "--locality", "Rugby", "--month", "2026-10"]
    assert cli.main([*args, "-o", str(target), "--strict"]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith("coordinator-app: The privacy review flags 4 pieces of free text")
    assert err.count("\n") == 1 and not target.exists()

    assert cli.main([*args, "-o", str(target), "--review"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("Privacy review of the 2026-10 return: 4 pieces of free text flagged.")
    assert "Experience item of 06/10/2026, Summary: 'Mr Patel said it would be fixed.'" in out
    assert '  to check: "Patel" (a capitalised word after "Mr")' in out
    assert target.exists()

    for item in review.review_return(db, locality="Rugby", month=OCTOBER):
        review.rewrite(db, item.piece, item.text, "Reworded without anyone's name.")
    target.unlink()
    assert cli.main([*args, "-o", str(target), "--review", "--strict"]) == cli.EXIT_OK
    assert "nothing flagged" in capsys.readouterr().out and target.exists()
