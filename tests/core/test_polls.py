"""Quick polls: recording, validation (nothing saved half), the trend across meetings, the
minutes table and the return's Polls sheet."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from coordinator_app.core import meetings, polls
from coordinator_app.core.db import Database
from coordinator_app.core.errors import NotFoundError, ValidationError
from coordinator_app.core.minutes import minutes_document
from coordinator_app.core.models import Poll, PollAnswer
from coordinator_app.core.returns import gather_return
from coordinator_app.core.rules import Month
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import ForumKind, MeetingStatus

CONFIDENT = "How confident are you that the trust will deliver this?"


@dataclass(frozen=True)
class Setting:
    rugby: uuid.UUID
    coventry: uuid.UUID
    forum: uuid.UUID
    events: uuid.UUID
    cov_forum: uuid.UUID


@pytest.fixture
def setting(db: Database) -> Setting:
    complete_first_run(
        db, trust_name="Test Trust", coordinator_name="Siân Evans", localities=["Rugby", "Coventry"]
    )
    ids = {loc.name: loc.id for loc in meetings.list_localities(db)}
    forum = meetings.create_forum(
        db, locality_id=ids["Rugby"], name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM
    )
    events = meetings.create_forum(
        db, locality_id=ids["Rugby"], name="Rugby Events", kind=ForumKind.EVENT
    )
    cov = meetings.create_forum(
        db, locality_id=ids["Coventry"], name="Coventry Forum", kind=ForumKind.CARERS_FORUM
    )
    return Setting(ids["Rugby"], ids["Coventry"], forum, events, cov)


def _meeting(db: Database, forum: uuid.UUID, on: date, status=MeetingStatus.HELD) -> uuid.UUID:
    return meetings.create_meeting(
        db, meetings.MeetingInput(forum_id=forum, meeting_date=on, status=status)
    )


def _poll_count(db: Database) -> tuple[int, int]:
    with db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Poll)),
            s.scalar(select(func.count()).select_from(PollAnswer)),
        )


def test_a_poll_is_read_back_with_its_meeting_in_order(db: Database, setting: Setting) -> None:
    m = _meeting(db, setting.forum, date(2026, 10, 6))
    first = polls.add_poll(
        db, m, "  How   confident are you? ", [("Confident", 24), ("Not sure", 45), ("No", 31)]
    )
    second = polls.add_poll(db, m, "Was the room accessible?", [("Yes", "12"), ("No", " 0 ")])
    detail = meetings.get_meeting(db, m)
    assert [p.id for p in detail.polls] == [first, second]
    assert detail.polls[0].question == "How confident are you?"
    assert detail.polls[0].answers == [("Confident", 24), ("Not sure", 45), ("No", 31)]
    assert detail.polls[1].answers == [("Yes", 12), ("No", 0)]


def test_a_poll_with_one_answer_only_and_zero_counts_is_kept(db: Database, setting) -> None:
    m = _meeting(db, setting.events, date(2026, 10, 6))
    polls.add_poll(db, m, "Would you come again?", [("Yes", 0)])
    assert meetings.get_meeting(db, m).polls[0].answers == [("Yes", 0)]


@pytest.mark.parametrize(
    ("question", "answers", "field", "words"),
    [
        ("", [("Yes", 3)], "question", "Write the question"),
        ("   ", [("Yes", 3)], "question", "Write the question"),
        ("Q?", [], "answers", "at least one answer"),
        ("Q?", [("Yes", -1)], "answers", "whole number"),
        ("Q?", [("Yes", "three")], "answers", "whole number"),
        ("Q?", [("Yes", "2.5")], "answers", "whole number"),
        ("Q?", [("Yes", "")], "answers", "whole number"),
        ("Q?", [("Yes", True)], "answers", "whole number"),
        ("Q?", [("Yes", 1), ("yes ", 2)], "answers", "given twice"),
        ("Q?", [("", 4)], "answers", "needs an answer"),
    ],
)
def test_bad_polls_are_refused_at_their_field_and_nothing_is_saved(
    db: Database, setting: Setting, question, answers, field, words
) -> None:
    m = _meeting(db, setting.forum, date(2026, 10, 6))
    with pytest.raises(ValidationError) as caught:
        polls.add_poll(db, m, question, answers)
    assert words in caught.value.problems[field]
    assert _poll_count(db) == (0, 0)


def test_both_problems_are_reported_together(db: Database, setting: Setting) -> None:
    m = _meeting(db, setting.forum, date(2026, 10, 6))
    with pytest.raises(ValidationError) as caught:
        polls.add_poll(db, m, "", [("Yes", -2)])
    assert set(caught.value.problems) == {"question", "answers"}


def test_updating_a_poll_replaces_answers_even_when_renamed_in_place(db, setting) -> None:
    m = _meeting(db, setting.forum, date(2026, 10, 6))
    pid = polls.add_poll(db, m, "Q?", [("Yes", 1), ("No", 2)])
    polls.update_poll(db, pid, "Q again?", [("No", 5), ("Yes", 6), ("Maybe", 0)])
    detail = meetings.get_meeting(db, m)
    assert detail.polls[0].question == "Q again?"
    assert detail.polls[0].answers == [("No", 5), ("Yes", 6), ("Maybe", 0)]


def test_a_bad_update_leaves_the_poll_as_it_was(db: Database, setting: Setting) -> None:
    m = _meeting(db, setting.forum, date(2026, 10, 6))
    pid = polls.add_poll(db, m, "Q?", [("Yes", 1), ("No", 2)])
    with pytest.raises(ValidationError):
        polls.update_poll(db, pid, "Q?", [("Yes", 1), ("YES", 2)])
    assert meetings.get_meeting(db, m).polls[0].answers == [("Yes", 1), ("No", 2)]


def test_deleting_a_poll_removes_its_answers(db: Database, setting: Setting) -> None:
    m = _meeting(db, setting.forum, date(2026, 10, 6))
    pid = polls.add_poll(db, m, "Q?", [("Yes", 1)])
    polls.delete_poll(db, pid)
    polls.delete_poll(db, pid)  # already gone: nothing happens
    assert _poll_count(db) == (0, 0)
    with pytest.raises(NotFoundError):
        polls.update_poll(db, pid, "Q?", [("Yes", 1)])


def test_parse_answer_lines_reads_answer_equals_count() -> None:
    text = "Confident = 24\n\n not sure: 45 \nNot confident, 31\nNo count\nA = B = 3"
    assert polls.parse_answer_lines(text) == [
        ("Confident", "24"),
        ("not sure", "45"),
        ("Not confident", "31"),
        ("No count", ""),
        ("A = B", "3"),
    ]
    assert polls.parse_answer_lines(polls.answers_as_lines([("Yes", 3), ("No", 0)])) == [
        ("Yes", "3"),
        ("No", "0"),
    ]


def test_a_count_jotted_after_the_answer_is_read() -> None:
    """Issue #22: the poll box refused "Not confident 3" (a show of hands jotted down)."""
    assert polls.parse_answer_lines("Confident 24\nNot confident  3\nNot sure\n2024 plan 5") == [
        ("Confident", "24"),
        ("Not confident", "3"),
        ("Not sure", ""),
        ("2024 plan", "5"),
    ]


def test_trend_matches_the_question_ignoring_case_and_spaces(db: Database, setting) -> None:
    jan = _meeting(db, setting.forum, date(2026, 1, 12))
    jun = _meeting(db, setting.events, date(2026, 6, 3))
    cov = _meeting(db, setting.cov_forum, date(2026, 3, 3))
    off = _meeting(db, setting.forum, date(2026, 2, 9), MeetingStatus.CANCELLED)
    polls.add_poll(db, jun, "how CONFIDENT are   you that the trust will deliver this", [("A", 9)])
    polls.add_poll(db, jan, CONFIDENT, [("Confident", 24), ("Not sure", 45)])
    polls.add_poll(db, jan, "Something else?", [("Yes", 1)])
    polls.add_poll(db, cov, CONFIDENT, [("Confident", 3)])
    polls.add_poll(db, off, CONFIDENT, [("Confident", 99)])
    everywhere = polls.poll_trend(db, CONFIDENT)
    assert [r.meeting_date for r in everywhere] == [
        date(2026, 1, 12),
        date(2026, 3, 3),
        date(2026, 6, 3),
    ]
    rugby = polls.poll_trend(
        db, " How confident are you that the trust will deliver this? ", locality_id=setting.rugby
    )
    assert [(r.meeting_date, r.answers) for r in rugby] == [
        (date(2026, 1, 12), [("Confident", 24), ("Not sure", 45)]),
        (date(2026, 6, 3), [("A", 9)]),
    ]
    assert rugby[0].total == 69
    assert polls.poll_trend(db, "") == []


def test_trend_matches_non_ascii_questions(db: Database, setting: Setting) -> None:
    m = _meeting(db, setting.forum, date(2026, 1, 12))
    polls.add_poll(db, m, "Öffentliche Zoë question?", [("Ja", 2)])
    assert len(polls.poll_trend(db, "öffentliche zoë QUESTION")) == 1


def test_minutes_print_each_poll_as_a_small_table(db: Database, setting: Setting) -> None:
    m = _meeting(db, setting.forum, date(2026, 10, 6))
    assert "Quick polls" not in minutes_document(db, m).text()
    polls.add_poll(db, m, "Was it <useful>?", [("Yes", 3), ("No", 1)])
    polls.add_poll(db, m, "Nobody answered?", [("Yes", 0)])
    text = minutes_document(db, m).text()
    assert "Quick polls" in text
    assert "1. Was it <useful>?" in text
    assert "Yes | 3 | 75%" in text
    assert "No | 1 | 25%" in text
    assert "Yes | 0 | -" in text  # zero total: no division


def test_the_returns_polls_sheet_has_one_row_per_answer_of_held_meetings(db, setting) -> None:
    held = _meeting(db, setting.forum, date(2026, 10, 6))
    event = _meeting(db, setting.events, date(2026, 10, 31))
    planned = _meeting(db, setting.forum, date(2026, 10, 20), MeetingStatus.PLANNED)
    november = _meeting(db, setting.forum, date(2026, 11, 1))
    cov = _meeting(db, setting.cov_forum, date(2026, 10, 6))
    polls.add_poll(db, held, "=Question?", [("Yes", 3), ("No", 0)])
    polls.add_poll(db, event, "Only one?", [("Sure", 7)])
    for other in (planned, november, cov):
        polls.add_poll(db, other, "Not in it?", [("Yes", 1)])
    with db.session() as s:
        content = gather_return(s, setting.rugby, Month(2026, 10), app_version="test")
    assert content.tables["Polls"] == [
        (date(2026, 10, 6), "Rugby Forum", "=Question?", "Yes", 3),
        (date(2026, 10, 6), "Rugby Forum", "=Question?", "No", 0),
        (date(2026, 10, 31), "Rugby Events", "Only one?", "Sure", 7),
    ]


def test_deleting_a_meeting_removes_its_polls(db: Database, setting: Setting) -> None:
    m = _meeting(db, setting.forum, date(2026, 10, 6))
    polls.add_poll(db, m, "Q?", [("Yes", 1)])
    meetings.delete_meeting(db, m)
    assert _poll_count(db) == (0, 0)
