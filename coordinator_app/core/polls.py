"""Quick polls: a question put to the room at a meeting, its answers and an anonymous count per
answer (docs/glossary.md). Written to the minutes (``minutes.py``) and the return's Polls sheet
(``returns.polls_rows``); read back with the meeting (``meetings.get_meeting``).

Every write is one transaction, validated first: a problem is reported as
``ValidationError({"question" | "answers": sentence})`` and nothing is written. Pitfall: answers
are unique per poll (a database constraint); replacing them deletes the old rows and flushes
before inserting, since SQLAlchemy would otherwise insert before it deletes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from . import audit, fields
from .db import Database
from .errors import NotFoundError, ValidationError
from .models import Forum, Meeting, Poll, PollAnswer
from .parsing import parse_count
from .vocab import AuditOperation, MeetingStatus

ANSWERS_MAX = 20


@dataclass(frozen=True)
class PollInput:
    question: str
    #: (answer, count) in the order they were put to the room. A count may be given as text
    #: (typed); it must be a whole number, zero or more.
    answers: Sequence[tuple[str, Any]]


@dataclass(frozen=True)
class PollTrendRow:
    """One meeting's answers to a question asked at several meetings."""

    meeting_id: uuid.UUID
    meeting_date: date
    reference: str
    forum_name: str
    question: str
    answers: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(count for _answer, count in self.answers)


def question_key(text: str) -> str:
    """The form two questions are compared in: spaces collapsed, case folded, trailing "?"
    ignored ("How confident  are you?" == "how confident are you")."""
    return " ".join((text or "").split()).casefold().rstrip("?").rstrip()


def _count(value: Any) -> int | None:
    """A count as a whole number of zero or more (``parsing.parse_count``), or None."""
    try:
        return parse_count(value)
    except ValueError:
        return None


def clean_poll(data: PollInput) -> tuple[str, list[tuple[str, int]]]:
    """Validate a poll; returns (question, [(answer, count)]) or raises ``ValidationError`` with
    every problem found, keyed "question" and "answers"."""
    problems: dict[str, str] = {}
    question = fields.POLL_QUESTION.clean(
        data.question, problems, required="Write the question that was put to the room."
    )
    answers: list[tuple[str, int]] = []
    seen: set[str] = set()
    answer_problem = ""
    for raw_answer, raw_count in data.answers:
        answer = fields.POLL_ANSWER.tidy(raw_answer)
        if not answer:
            answer_problem = answer_problem or "Each count needs an answer written beside it."
            continue
        if too_long := fields.POLL_ANSWER.problem(answer, label=f'The answer "{answer[:20]}…"'):
            answer_problem = answer_problem or too_long
            continue
        key = answer.casefold()
        if key in seen:
            answer_problem = answer_problem or f'The answer "{answer}" is given twice.'
            continue
        seen.add(key)
        count = _count(raw_count)
        if count is None:
            answer_problem = answer_problem or (
                f'The count for "{answer}" must be a whole number, zero or more.'
            )
            continue
        answers.append((answer, count))
    if not answer_problem and not answers:
        answer_problem = "Give at least one answer and its count."
    if not answer_problem and len(answers) > ANSWERS_MAX:
        answer_problem = f"A quick poll can have at most {ANSWERS_MAX} answers."
    if answer_problem:
        problems["answers"] = answer_problem
    if problems:
        raise ValidationError(problems)
    return question, answers


def parse_answer_lines(text: str) -> list[tuple[str, str]]:
    """Split typed lines "answer = count" (also "answer: count" or "answer, count") into pairs,
    the count left as typed for ``clean_poll`` to judge; with no separator, a last word that is a
    whole number is the count ("Not confident 3"). Blank lines are skipped; any other line is an
    answer with an empty count (reported as "must be a whole number")."""
    pairs: list[tuple[str, str]] = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        for separator in ("=", ":", ","):
            if separator in line:
                answer, _sep, count = line.rpartition(separator)
                pairs.append((answer.strip(), count.strip()))
                break
        else:
            # "Not confident 3" or "Not confident  3": the count is the last word when it is a
            # whole number (how a count is jotted from a show of hands).
            words = line.split()
            if len(words) > 1 and words[-1].isdigit():
                pairs.append((" ".join(words[:-1]), words[-1]))
            else:
                pairs.append((line.strip(), ""))
    return pairs


def answers_as_lines(answers: Sequence[tuple[str, int]]) -> str:
    """The inverse of ``parse_answer_lines`` for editing a saved poll."""
    return "\n".join(f"{answer} = {count}" for answer, count in answers)


def _meeting(session: Any, meeting_id: uuid.UUID) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFoundError("That meeting is no longer in the database.")
    return meeting


def _add_answers(session: Any, poll: Poll, answers: list[tuple[str, int]]) -> None:
    for position, (answer, count) in enumerate(answers, start=1):
        session.add(PollAnswer(poll_id=poll.id, position=position, answer=answer, count=count))


def add_poll(
    db: Database, meeting_id: uuid.UUID, question: str, answers: Sequence[tuple[str, Any]]
) -> uuid.UUID:
    """Record a quick poll at a meeting (after its other polls); returns the poll's id."""
    clean_question, clean_answers = clean_poll(PollInput(question, answers))
    with db.transaction() as session:
        meeting = _meeting(session, meeting_id)
        last = session.scalar(select(func.max(Poll.position)).where(Poll.meeting_id == meeting_id))
        poll = Poll(meeting_id=meeting_id, position=(last or 0) + 1, question=clean_question)
        session.add(poll)
        session.flush()
        _add_answers(session, poll, clean_answers)
        audit.record(
            session, AuditOperation.CREATE, "poll", poll.id, f"Quick poll at {meeting.reference}"
        )
        return poll.id


def update_poll(
    db: Database, poll_id: uuid.UUID, question: str, answers: Sequence[tuple[str, Any]]
) -> None:
    """Replace a poll's question and answers (all of them, in the order given)."""
    clean_question, clean_answers = clean_poll(PollInput(question, answers))
    with db.transaction() as session:
        poll = session.get(Poll, poll_id)
        if poll is None:
            raise NotFoundError("That quick poll is no longer in the database.")
        poll.question = clean_question
        for old in list(poll.answers):
            poll.answers.remove(old)
        session.flush()  # delete the old answers before inserting (unique answer per poll)
        _add_answers(session, poll, clean_answers)
        session.flush()
        session.expire(poll, ["answers"])
        audit.record(session, AuditOperation.UPDATE, "poll", poll.id, "Quick poll changed")


def delete_poll(db: Database, poll_id: uuid.UUID) -> None:
    """Delete a poll and its answers; nothing happens when it is already gone."""
    with db.transaction() as session:
        poll = session.get(Poll, poll_id)
        if poll is None:
            return
        session.delete(poll)
        audit.record(session, AuditOperation.DELETE, "poll", poll_id, "Quick poll deleted")


def poll_trend(
    db: Database, question: str, *, locality_id: uuid.UUID | None = None
) -> list[PollTrendRow]:
    """Every meeting's answers to ``question`` (matched ignoring case, spacing and a trailing
    "?"), oldest first; only the locality's meetings when ``locality_id`` is given. Cancelled
    meetings are left out (nothing was asked there)."""
    key = question_key(question)
    if not key or len(key) > fields.POLL_QUESTION.limit:
        return []  # no question asked holds more: LIKE would refuse so long a pattern anyway
    with db.session() as session:
        query = (
            select(Poll, Meeting.meeting_date, Meeting.reference, Forum.name, Meeting.id)
            .join(Meeting, Meeting.id == Poll.meeting_id)
            .join(Forum, Forum.id == Meeting.forum_id)
            .where(Meeting.status != MeetingStatus.CANCELLED)
            .order_by(Meeting.meeting_date, Meeting.start_time, Poll.position, Poll.created_at)
        )
        if locality_id is not None:
            query = query.where(Forum.locality_id == locality_id)
        # Narrow in SQL on the first word; the exact comparison is done here in Python, where
        # "spaces collapsed" is portable (SQLite's lower() folds ASCII letters only).
        first_word = key.split()[0]
        if first_word.isascii():
            query = query.where(func.lower(Poll.question).contains(first_word, autoescape=True))
        rows: list[PollTrendRow] = []
        for poll, on, reference, forum_name, meeting_id in session.execute(query):
            if question_key(poll.question) != key:
                continue
            rows.append(
                PollTrendRow(
                    meeting_id,
                    on,
                    reference,
                    forum_name,
                    poll.question,
                    [(a.answer, a.count) for a in poll.answers],
                )
            )
        return rows
