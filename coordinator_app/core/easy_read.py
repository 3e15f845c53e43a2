"""Easy read versions of a meeting's agenda and minutes (issue #29; docs/printouts.md "Easy
read"), for members whose format is easy read. No Qt here.

The layout is the printouts' own (``core/document.py`` through ``core/typeset.py``), with
``Document.easy_read``: larger type than large print, short lines, more space, and **one item
per block** (each agenda item, action, thing people said, poll: a ``Group`` kept on one page
and set apart by a rule). Headings are plain questions and statements ("When", "Where", "What we
will talk about", "Who will do what"); times are written as people say them ("6:30pm"); the
people present are counted, never named.

What the coordinator typed (agenda items, discussion, decisions, actions, responses) is printed
as typed: the app does not rewrite it. The text goes through the same redactor as the minutes
(``minutes.minutes_redactor``: service users and carers who have not agreed to be named, and
every contact detail, hidden), with the same ``privacy.Piece`` for each record, so the privacy
review reads what is printed.
"""

from __future__ import annotations

import uuid
from datetime import time

from .db import Database
from .document import Block, Document, Group, Heading, ItemList, Paragraph, Span, spans
from .meetings import ExperienceRow, MeetingDetail, get_meeting
from .minutes import (
    _COORDINATOR_PIECE,
    _action_piece,
    _forum,
    _meeting_piece,
    _next_meeting,
    _progress_piece,
    long_date,
    masthead,
    minutes_redactor,
    paragraphs,
)
from .privacy import Piece, Redact
from .rows import ActionRow
from .vocab import ActionStatus, AttendanceStatus, ExperienceKind, MeetingFormat, MeetingStatus

#: How an action's status is said.
STATUS_WORDS = {
    ActionStatus.OPEN: "Is it done? Not yet.",
    ActionStatus.IN_PROGRESS: "Is it done? Not yet: we are working on it.",
    ActionStatus.COMPLETED: "Is it done? Yes.",
    ActionStatus.CANCELLED: "Is it done? No: we stopped doing this.",
}
#: What each kind of experience is called.
KIND_WORDS = {
    ExperienceKind.COMPLIMENT: "Something good",
    ExperienceKind.CONCERN: "A worry",
    ExperienceKind.SUGGESTION: "An idea to make things better",
    ExperienceKind.QUESTION: "A question",
    ExperienceKind.IDEA: "An idea",
}


def clock(value: time) -> str:
    """A time as people say it: ``6:30pm``, ``10am``, ``12 noon``."""
    if value.hour == 12 and value.minute == 0:
        return "12 noon"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def _strong(text: str) -> Paragraph:
    return Paragraph(spans(Span(text, strong=True)))


def _say(text: str) -> Paragraph:
    return Paragraph(spans(text))


def _when(detail: MeetingDetail, *, past: bool) -> Group:
    lines = [_say(f"{'It was' if past else 'It is'} on {long_date(detail.meeting_date)}.")]
    if detail.start_time is not None:
        span = f"from {clock(detail.start_time)}"
        if detail.end_time is not None:
            span += f" to {clock(detail.end_time)}"
        lines.append(_say(f"{'It was' if past else 'It is'} {span}."))
    return Group((Heading(2, "When"), *lines))


def _where(db: Database, detail: MeetingDetail, redact: Redact, *, past: bool) -> Group:
    from .members import meeting_link

    venue = redact(detail.venue, _meeting_piece(detail, "venue", "Venue")).strip()
    was = "was" if past else "is"
    lines: list[Block] = []
    if detail.format == MeetingFormat.ONLINE:
        lines.append(_say(f"The meeting {was} online, on a computer, tablet or phone."))
    elif venue:
        lines.append(_say(f"The meeting {was} at {venue}."))
    if detail.format == MeetingFormat.HYBRID:
        lines.append(_say(f"You {'could' if past else 'can'} also join online."))
    link = meeting_link(db, detail.id)
    if not past and detail.format != MeetingFormat.IN_PERSON:
        if link.print_link and link.link:
            lines.append(_say(f"To join online, go to {link.link}"))
        else:
            lines.append(_say("Ask us how to join online."))
    return Group((Heading(2, "Where"), *(lines or [_say("We will tell you where.")])))


def _cancelled(detail: MeetingDetail) -> list[Block]:
    if detail.status == MeetingStatus.CANCELLED:
        return [_strong("This meeting is cancelled.")]
    return []


def _owner(action: ActionRow, redact: Redact) -> str:
    owner = redact(action.owner, _action_piece(action, "owner", "Owner", names=True)).strip()
    return f"Who is doing it: {owner}." if owner else "Who is doing it: we will tell you."


def _help(db: Database, redact: Redact, head_name: str) -> Group:
    coordinator = redact(head_name, _COORDINATOR_PIECE).strip() or "the coordinator"
    return Group(
        (
            Heading(2, "Help"),
            _say(
                f"If you need help to read this, or to come to the meeting, please tell "
                f"{coordinator}."
            ),
            _say("We can pay you for your time and for travel. Ask us how."),
        )
    )


def _document(title: str, blocks: list[Block], db: Database) -> Document:
    head = masthead(db)
    return Document(
        title=title,
        blocks=tuple(blocks),
        trust_name=head.trust_name,
        logo_png=head.logo_png,
        large_print=True,
        easy_read=True,
    )


def easy_read_agenda(
    db: Database, meeting_id: uuid.UUID, *, redact: Redact | None = None
) -> Document:
    """The agenda in easy read (module docstring). Raises ``NotFoundError`` when the meeting is
    gone."""
    detail = get_meeting(db, meeting_id)
    redact = redact if redact is not None else minutes_redactor(db)
    forum = _forum(detail, redact)
    blocks: list[Block] = [
        Heading(1, f"{forum}: our next meeting"),
        _say("This tells you about our next meeting and what we will talk about."),
        *_cancelled(detail),
        _when(detail, past=False),
        _where(db, detail, redact, past=False),
        Heading(2, "What we will talk about"),
    ]
    for number, item in enumerate(detail.agenda, start=1):
        where = f"Agenda item {number} of {detail.reference}"
        title = redact(item.title, Piece("agenda_items", "title", item.id, where, "Title"))
        blocks.append(Group((Heading(3, f"{number}. {title}"),)))
    if not detail.agenda:
        blocks.append(_say("We will send you the list of things to talk about soon."))
    if detail.matters_arising:
        blocks += [
            Heading(2, "Things we said we would do"),
            _say("At other meetings we said we would do these things. This is what has happened."),
        ]
        for action in detail.matters_arising:
            progress = redact(action.latest_progress, _progress_piece(action)).strip()
            blocks.append(
                Group(
                    (
                        Heading(3, redact(action.title, _action_piece(action, "title", "Title"))),
                        _say(_owner(action, redact)),
                        _say(
                            f"What has happened: {progress}"
                            if progress
                            else "What has happened: nothing to tell you yet."
                        ),
                        _say(STATUS_WORDS[action.status]),
                    )
                )
            )
    blocks += [
        Group((Heading(2, "The meeting after this one"), _say(_next_meeting(db, detail, redact)))),
        _help(db, redact, masthead(db).coordinator_name),
    ]
    title = f"Easy read agenda: {forum} - {long_date(detail.meeting_date)}"
    return _document(title, blocks, db)


def _who_came(detail: MeetingDetail) -> Group:
    present = sum(1 for r in detail.register if r.status == AttendanceStatus.PRESENT)
    present += sum(detail.unnamed.values())
    sorry = sum(1 for r in detail.register if r.status == AttendanceStatus.APOLOGIES)
    lines = [_say(f"{present} {'person' if present == 1 else 'people'} came.")]
    if sorry:
        lines.append(
            _say(f"{sorry} {'person' if sorry == 1 else 'people'} could not come and said sorry.")
        )
    return Group((Heading(2, "Who came"), *lines))


def _heard(e: ExperienceRow, redact: Redact) -> Group:
    where = f"Experience item of {e.received_on}"

    def piece(column: str, field: str) -> Piece:
        return Piece("experience_items", column, e.id, where, field)

    said = redact(e.summary, piece("summary", "Summary")).strip()
    answer = redact(e.response, piece("response", "Response")).strip()
    return Group(
        (
            Heading(3, KIND_WORDS.get(e.kind, e.kind.label)),
            _say(f"You said: {said}" if said else "You said: not written down."),
            _say(f"We did: {answer}" if answer else "We did: we will tell you soon."),
        )
    )


def easy_read_minutes(
    db: Database, meeting_id: uuid.UUID, *, redact: Redact | None = None
) -> Document:
    """The minutes in easy read (module docstring). Raises ``NotFoundError`` when the meeting
    is gone."""
    detail = get_meeting(db, meeting_id)
    redact = redact if redact is not None else minutes_redactor(db)
    forum = _forum(detail, redact)
    blocks: list[Block] = [
        Heading(1, f"What happened at {forum}"),
        _say("These are the notes from our meeting."),
        *_cancelled(detail),
        _when(detail, past=True),
        _where(db, detail, redact, past=True),
        _who_came(detail),
        Heading(2, "What we talked about"),
    ]
    for number, item in enumerate(detail.agenda, start=1):
        where = f"Agenda item {number} of {detail.reference}"
        title = redact(item.title, Piece("agenda_items", "title", item.id, where, "Title"))
        said = paragraphs(
            item.discussion,
            redact,
            Piece("agenda_items", "discussion", item.id, where, "Discussion"),
        )
        decided = paragraphs(
            item.decisions, redact, Piece("agenda_items", "decisions", item.id, where, "Decisions")
        )
        parts: list[Block] = [Heading(3, f"{number}. {title}"), *said]
        if decided:
            parts += [_strong("What we decided:"), *decided]
        if not said and not decided:
            parts.append(_say("Nothing was written down about this."))
        blocks.append(Group(tuple(parts)))
    if not detail.agenda:
        blocks.append(_say("Nothing was written down."))
    if detail.experience:
        blocks.append(Heading(2, "What people told us"))
        blocks += [_heard(e, redact) for e in detail.experience]
    for number, poll in enumerate(detail.polls, start=1):
        if number == 1:
            blocks.append(Heading(2, "What people voted on"))
        where = f"Quick poll {number} at {detail.reference}"
        question = redact(poll.question, Piece("polls", "question", poll.id, where, "Question"))
        answer_piece = Piece("poll_answers", "answer", None, where, "Answer", parent_id=poll.id)
        answers = tuple(
            spans(f"{redact(answer, answer_piece)}: {count} {'person' if count == 1 else 'people'}")
            for answer, count in poll.answers
        )
        blocks.append(Group((Heading(3, question), ItemList(answers, numbered=False))))
    blocks.append(Heading(2, "Who will do what"))
    for action in detail.actions:
        due = long_date(action.due_on) if action.due_on else "we will tell you"
        blocks.append(
            Group(
                (
                    Heading(3, redact(action.title, _action_piece(action, "title", "Title"))),
                    _say(_owner(action, redact)),
                    _say(f"By when: {due}."),
                )
            )
        )
    if not detail.actions:
        blocks.append(_say("Nobody took on anything new at this meeting."))
    blocks += [
        Group((Heading(2, "Next meeting"), _say(_next_meeting(db, detail, redact)))),
        _help(db, redact, masthead(db).coordinator_name),
    ]
    title = f"Easy read minutes: {forum} - {long_date(detail.meeting_date)}"
    return _document(title, blocks, db)
