"""The printouts of a forum as documents: a meeting's agenda, minutes and sign-in sheet, and a
forum's open-actions log (docs/printouts.md). No Qt here: each function builds a
``core.document.Document`` (headings, paragraphs, lists, facts, tables), which ``core/typeset.py``
sets as a tagged PDF or as the pages the app previews and prints; the ``minutes`` command uses
the same renderer.

The text is plain strings, exactly as typed (after the redactor): the typesetter receives it as
data, never as markup, so nothing is escaped here and a name with ``#`` or ``<`` prints as typed.

Privacy, the pitfall that matters most:
- A service user or carer appears by name only with their consent to be named in minutes
  (``Participant.name_in_minutes``); otherwise they are counted under their category. Their
  names are also hidden by the one redactor (``privacy.redactor_for(..., for_minutes=True)``,
  every form people write a name in) in every piece of free text: discussion, decisions,
  experience, action titles and progress, owners, chair, venue, forum names.
- No contact detail appears: the participants' e-mail addresses and phone numbers are never
  read into a document, and every e-mail address and phone number typed into free text is
  replaced, whoever's it is.
- Each document function takes ``redact`` (default: the printouts' redactor): the privacy review
  (``core/review.py``) builds the same document with its recorder, so it lists exactly the text
  that would be printed; every call names its record (``privacy.Piece``).
- The sign-in sheet goes round the room, so it follows the same rule: people who have not
  agreed to be named get a blank row instead of a pre-printed name.

Large print (docs/printouts.md#layout): the same blocks at 16 pt and up; tables of several
columns print one record per row (``document.Table.reflow``), and the minutes' signature block
is kept on one page with the date of the next meeting before it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select

from . import forum_usual, rules, schema
from .db import Database
from .document import (
    Block,
    Column,
    Document,
    Facts,
    Group,
    Heading,
    Inline,
    ItemList,
    Paragraph,
    Signature,
    Span,
    Table,
    spans,
)
from .errors import NotFoundError
from .meetings import (
    ExperienceRow,
    MeetingDetail,
    get_meeting,
    list_meetings,
    regulars,
)
from .minutes_register import apologies, present, shown_name
from .models import Action, Forum, Locality, Meeting, Participant, TrustSettings
from .privacy import CONTACT_PLACEHOLDER, Piece, Redact, redactor_for
from .rows import ActionRow, MeetingRow, action_rows
from .vocab import (
    AccessibleFormat,
    AttendanceStatus,
    Category,
    MeetingStatus,
)

#: Shown where something was not recorded.
NOT_RECORDED = "Not recorded"

#: The smallest type size in a large-print document, in points (``printout.typ``).
LARGE_PRINT_MIN_PT = 16

#: Tick columns of the sign-in sheet: (heading, category).
SIGN_IN_CATEGORIES: tuple[tuple[str, Category], ...] = (
    ("S", Category.SERVICE_USER),
    ("C", Category.CARER),
    ("R", Category.REPRESENTATIVE),
    ("St", Category.STAFF),
    ("P", Category.PARTNER),
    ("O", Category.OTHER),
)
#: Column widths of the sign-in sheet (standard, large print): name, each tick column,
#: signature, pay, expenses. The sheet is landscape.
SIGN_IN_WIDTHS = ((27, 22), (4, 5), (30, 23), (7, 8), (12, 17))
BOX = "\u2610"  # ☐ (DejaVu Sans has it)
TICKED = "\u2612"  # ☒


# --- Text helpers ----------------------------------------------------------------------------


def paragraphs(
    text: str, redactor: Redact, where: Piece | None = None, *, small: bool = False
) -> list[Paragraph]:
    """Free text as paragraphs: a blank line starts a new paragraph, a single line break stays a
    line break. Names are replaced first."""
    clean = redactor((text or "").replace("\r\n", "\n").replace("\r", "\n"), where).strip()
    if not clean:
        return []
    parts = [p.strip() for p in re.split(r"\n\s*\n", clean) if p.strip()]
    return [Paragraph(spans(part), small=small) for part in parts]


def long_date(value: date | None) -> str:
    """``Thursday 20 March 2025`` (English names whatever the machine's locale)."""
    if value is None:
        return NOT_RECORDED
    return f"{_DAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]} {value.year}"


def short_date(value: date | None) -> str:
    """``1 May 2025``: unambiguous, and wraps at its spaces in a narrow column."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1][:3]} {value.year}"


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def time_span(start: time | None, end: time | None) -> str:
    if start and end:
        return f"{start:%H:%M} to {end:%H:%M}"
    if start:
        return f"{start:%H:%M}"
    return NOT_RECORDED


def _label(text: str) -> Span:
    return Span(text, strong=True)


def _note(text: str) -> Span:
    return Span(text, emph=True)


# --- Shared reads ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Masthead:
    """The trust's name and logo (PNG bytes), and the coordinator's name, from the settings."""

    trust_name: str
    logo_png: bytes | None
    coordinator_name: str = ""


def masthead(db: Database) -> Masthead:
    with db.session() as session:
        row = session.execute(
            select(
                TrustSettings.trust_name, TrustSettings.logo_png, TrustSettings.coordinator_name
            ).limit(1)
        ).first()
    if row is None:
        return Masthead("", None)
    name, logo, coordinator = row
    return Masthead(name or "", bytes(logo) if logo else None, coordinator or "")


def minutes_redactor(db: Database) -> Redact:
    """The printouts' redactor (``privacy.redactor_for(..., for_minutes=True)``): hides the
    name of every service user or carer who has not consented to be named in minutes
    ("[service user]", "[carer]"), and every e-mail address and phone number. Anonymised
    participants have no name left to hide."""
    with db.reading() as conn:
        return redactor_for(conn, for_minutes=True)


def _meeting_piece(meeting: MeetingRow, column: str, field: str, *, names: bool = False) -> Piece:
    return Piece(
        "meetings", column, meeting.id, f"Meeting {meeting.reference}", field, names_expected=names
    )


def _forum_piece(forum_id: uuid.UUID, name: str) -> Piece:
    return Piece("forums", "name", forum_id, f"Forum {name}", "Name")


def _action_piece(action: ActionRow, column: str, field: str, *, names: bool = False) -> Piece:
    """The action's ``column`` as a piece for the redactor; its owner chosen from the staff list
    is that staff member (``Piece.staff_id``), whoever shares the name (issue #29)."""
    return Piece(
        "actions",
        column,
        action.id,
        f"Action {action.reference}",
        field,
        names_expected=names,
        staff_id=action.owner_staff_id if column == "owner" else None,
    )


def _progress_piece(action: ActionRow) -> Piece:
    return Piece(
        "action_updates",
        "note",
        None,
        f"Action {action.reference}",
        "Latest progress",
        parent_id=action.id,
    )


_COORDINATOR_PIECE = Piece(
    "trust_settings", "coordinator_name", None, "Settings", "Your name", names_expected=True
)


def _document(
    title: str, blocks: Iterable[Block], head: Masthead, large_print: bool, landscape: bool = False
) -> Document:
    return Document(
        title=title,
        blocks=tuple(blocks),
        trust_name=head.trust_name,
        logo_png=head.logo_png,
        large_print=large_print,
        landscape=landscape,
    )


# --- Minutes ---------------------------------------------------------------------------------


def suggest_large_print(db: Database, meeting_id: uuid.UUID) -> bool:
    """True when anyone on the meeting's register (present or apologies) prefers large print;
    for a meeting not yet held, the forum's regular attendees count too."""
    detail = get_meeting(db, meeting_id)
    if any(
        r.accessible_format == AccessibleFormat.LARGE_PRINT and r.status != AttendanceStatus.ABSENT
        for r in detail.register
    ):
        return True
    if detail.status != MeetingStatus.PLANNED:
        return False
    ids = [pid for pid, _n, _c in regulars(db, detail.forum_id, today=detail.meeting_date)]
    if not ids:
        return False
    with db.session() as session:
        found = session.scalar(
            select(Participant.id)
            .where(
                Participant.id.in_(ids),
                Participant.accessible_format == AccessibleFormat.LARGE_PRINT,
            )
            .limit(1)
        )
    return found is not None


#: Table columns: (heading, width in standard print, width in large print).
Columns = tuple[Column, ...]
MATTERS_COLUMNS: Columns = (
    Column("Ref.", 15),
    Column("Action and latest progress", 37),
    Column("Owner", 17),
    Column("Due", 15),
    Column("Status", 16),
)
EXPERIENCE_COLUMNS: Columns = (
    Column("Kind", 17),
    Column("You said", 42),
    Column("We did (response)", 41),
)
ACTIONS_COLUMNS: Columns = (
    Column("Ref.", 15),
    Column("Action", 51),
    Column("Owner", 19),
    Column("Due", 15),
)
#: The open-actions log is landscape.
LOG_COLUMNS: Columns = (
    Column("Ref.", 10),
    Column("Action and latest progress", 48),
    Column("Owner", 16),
    Column("Due", 12),
    Column("Status", 14),
)
POLL_COLUMNS: Columns = (
    Column("Answer", 60, 56),
    Column("Count", 20, 22, align="right"),
    Column("Share", 20, 22, align="right"),
)


def _due_cell(action: ActionRow, *, flag_overdue: bool) -> Inline:
    """The due date; with ``flag_overdue`` the word "Overdue" under it when the row says so
    (``ActionRow.overdue`` is as at the ``today`` the rows were read with)."""
    due = short_date(action.due_on) if action.due_on else "No date"
    if flag_overdue and action.overdue:
        return spans(due, _label("\nOverdue"))
    return spans(due)


def _action_cell(action: ActionRow, redact: Redact, *, progress: bool) -> Inline:
    cell: list[str | Span] = [redact(action.title, _action_piece(action, "title", "Title"))]
    if progress:
        note = redact(action.latest_progress, _progress_piece(action)).strip()
        if note:
            cell += [_label("\nLatest progress: "), note]
        else:
            cell.append(_note("\nNo progress recorded yet."))
    return spans(*cell)


def _owner(action: ActionRow, redact: Redact) -> Inline:
    owner = redact(action.owner, _action_piece(action, "owner", "Owner", names=True))
    return spans(owner or "Not set")


def _matters_arising(detail: MeetingDetail, redact: Redact) -> Block:
    if not detail.matters_arising:
        return Paragraph(spans("No actions were open from earlier meetings."))
    rows = tuple(
        (
            spans(a.reference),
            _action_cell(a, redact, progress=True),
            _owner(a, redact),
            # Minutes are read long after the meeting: no "Overdue" as at today in them.
            _due_cell(a, flag_overdue=False),
            spans(a.status.label),
        )
        for a in detail.matters_arising
    )
    return Table(MATTERS_COLUMNS, rows)


def _agenda(detail: MeetingDetail, redact: Redact) -> list[Block]:
    if not detail.agenda:
        return [Paragraph(spans("No agenda items were recorded."))]
    parts: list[Block] = []
    for number, item in enumerate(detail.agenda, start=1):
        where = f"Agenda item {number} of {detail.reference}"
        title = redact(item.title, Piece("agenda_items", "title", item.id, where, "Title"))
        parts.append(Heading(3, f"{number}. {title}"))
        discussion = paragraphs(
            item.discussion,
            redact,
            Piece("agenda_items", "discussion", item.id, where, "Discussion"),
        )
        decisions = paragraphs(
            item.decisions,
            redact,
            Piece("agenda_items", "decisions", item.id, where, "Decisions"),
        )
        parts += discussion
        if decisions:
            parts.append(Paragraph(spans(_label("Decisions"))))
            parts += decisions
        if not discussion and not decisions:
            parts.append(Paragraph(spans(_note("Nothing was minuted for this item."))))
    return parts


def _experience(detail: MeetingDetail, redact: Redact) -> Block:
    if not detail.experience:
        return Paragraph(spans("No experience items were recorded at this meeting."))
    rows = []
    for e in detail.experience:
        where = f"Experience item of {short_date(e.received_on)}"

        def piece(column: str, field: str, e: ExperienceRow = e, where: str = where) -> Piece:
            return Piece("experience_items", column, e.id, where, field)

        theme = redact(e.theme, piece("theme", "Theme"))
        service = redact(e.service, piece("service", "Service or team"))
        about = " - ".join(x for x in (theme, service) if x)
        heard = spans(
            _label(f"{about}\n") if about else "", redact(e.summary, piece("summary", "Summary"))
        )
        answer = redact(e.response, piece("response", "Response"))
        response = spans(answer) if answer else spans(_note("Response to follow."))
        rows.append((spans(e.kind.label), heard, response))
    return Table(EXPERIENCE_COLUMNS, tuple(rows))


def _polls(detail: MeetingDetail, redact: Redact) -> list[Block]:
    """The meeting's quick polls, each its question and a small table of answers, counts and
    shares (whole per cent); nothing when no poll was taken, so such minutes are unchanged."""
    if not detail.polls:
        return []
    parts: list[Block] = [Heading(3, "Quick polls")]
    for number, poll in enumerate(detail.polls, start=1):
        total = sum(count for _answer, count in poll.answers)
        where = f"Quick poll {number} at {detail.reference}"
        answer_piece = Piece("poll_answers", "answer", None, where, "Answer", parent_id=poll.id)
        rows = [
            (
                spans(redact(answer, answer_piece)),
                spans(str(count)),
                spans(f"{round(100 * count / total)}%" if total else "-"),
            )
            for answer, count in poll.answers
        ]
        rows.append((spans(_label("Total")), spans(str(total)), ()))
        question = redact(poll.question, Piece("polls", "question", poll.id, where, "Question"))
        parts.append(Paragraph(spans(_label(f"{number}. {question}"))))
        parts.append(Table(POLL_COLUMNS, tuple(rows), reflow=False))
    return parts


def _actions(detail: MeetingDetail, redact: Redact) -> Block:
    if not detail.actions:
        return Paragraph(spans("No actions were agreed at this meeting."))
    rows = tuple(
        (
            spans(a.reference),
            spans(redact(a.title, _action_piece(a, "title", "Title"))),
            _owner(a, redact),
            spans(short_date(a.due_on) or "No date"),
        )
        for a in detail.actions
    )
    return Table(ACTIONS_COLUMNS, rows)


def _venue(detail: MeetingDetail, redact: Redact) -> str:
    venue = redact(detail.venue, _meeting_piece(detail, "venue", "Venue")).strip()
    fmt = detail.format.label.lower()
    return f"{venue} ({fmt})" if venue else detail.format.label


def _usual_next(db: Database, detail: MeetingDetail) -> str:
    """None planned yet: the forum's usual day in the following month ("Thursday 17 April 2025,
    18:30 to 20:30: the forum's usual day, to be confirmed."), or "" when it has none."""
    f = schema.forums.c
    with db.reading() as conn:
        row = conn.execute(
            select(f.usual_week, f.usual_weekday, f.usual_start, f.usual_end).where(
                f.id == detail.forum_id
            )
        ).first()
    usual = forum_usual.Usual(*row) if row is not None else forum_usual.Usual()
    when = forum_usual.after_month(usual, detail.meeting_date) if usual.has_day else None
    if when is None:
        return ""
    times = f", {time_span(usual.start, usual.end)}" if usual.start is not None else ""
    return f"{long_date(when)}{times}: the forum's usual day, to be confirmed."


def _next_meeting(db: Database, detail: MeetingDetail, redact: Redact) -> str:
    later = [
        m
        for m in list_meetings(
            db, forum_id=detail.forum_id, date_from=detail.meeting_date + timedelta(days=1)
        )
        if m.status != MeetingStatus.CANCELLED
    ]
    if not later:
        return _usual_next(db, detail) or "To be arranged."
    nxt = min(later, key=lambda m: (m.meeting_date, m.start_time or time.min))
    text = long_date(nxt.meeting_date)
    if nxt.start_time:
        text += f", {time_span(nxt.start_time, nxt.end_time)}"
    venue = redact(nxt.venue, _meeting_piece(nxt, "venue", "Venue")).strip()
    text += f", {venue}" if venue else ""
    return text + f" ({nxt.format.label.lower()})."


def _status_note(detail: MeetingDetail, *, planned: bool = True) -> list[Block]:
    if detail.status == MeetingStatus.CANCELLED:
        return [Paragraph(spans(_label("This meeting was cancelled.")))]
    if planned and detail.status == MeetingStatus.PLANNED:
        return [Paragraph(spans(_label("Draft: this meeting is not yet marked as held.")))]
    return []


def _forum(detail: MeetingDetail, redact: Redact) -> str:
    return redact(detail.forum_name, _forum_piece(detail.forum_id, detail.forum_name))


def _chair(detail: MeetingDetail, redact: Redact) -> str:
    return redact(detail.chair, _meeting_piece(detail, "chair", "Chair", names=True))


def _meeting_facts(detail: MeetingDetail, redact: Redact, *extra: tuple[str, str]) -> Facts:
    """Date, time, venue, locality, then ``extra``, then the reference."""
    rows = [
        ("Date", long_date(detail.meeting_date)),
        ("Time", time_span(detail.start_time, detail.end_time)),
        ("Venue", _venue(detail, redact)),
        ("Locality", detail.locality_name),
        *extra,
        ("Reference", detail.reference),
    ]
    return Facts(tuple((label, spans(value)) for label, value in rows))


def _printed_link(db: Database, meeting_id: uuid.UUID) -> tuple[tuple[str, str], ...]:
    """The online link as a fact, only when the meeting says to print it (issue #29)."""
    from .members import meeting_link

    link = meeting_link(db, meeting_id)
    return (("Join online", link.link),) if link.print_link and link.link else ()


def minutes_document(
    db: Database, meeting_id: uuid.UUID, *, large_print: bool = False, redact: Redact | None = None
) -> Document:
    """The minutes of a meeting (docs/printouts.md#the-printouts).

    Raises ``NotFoundError`` when the meeting is gone. A meeting with nothing recorded still
    gives a complete document (each empty section says so). The signature block is kept on one
    page with the date of the next meeting before it.
    """
    detail = get_meeting(db, meeting_id)
    redact = redact if redact is not None else minutes_redactor(db)
    head = masthead(db)
    forum = _forum(detail, redact)
    taker = detail.minute_taker
    taker = redact(taker, _meeting_piece(detail, "minute_taker", "Minute taker", names=True))
    blocks: list[Block] = [
        Heading(1, f"Minutes: {forum}"),
        _meeting_facts(
            detail,
            redact,
            ("Chair", _chair(detail, redact) or NOT_RECORDED),
            ("Minutes taken by", taker or NOT_RECORDED),
            *_printed_link(db, meeting_id),
        ),
        *_status_note(detail),
        Heading(2, "Present"),
        *present(detail),
        Heading(2, "Apologies"),
        *apologies(detail),
        Heading(2, "Matters arising"),
        _matters_arising(detail, redact),
        Heading(2, "Agenda"),
        *_agenda(detail, redact),
        Heading(2, "Experience heard: you said, we did"),
        _experience(detail, redact),
        # Quick polls follow the experience heard.
        *_polls(detail, redact),
        Heading(2, "Actions agreed at this meeting"),
        _actions(detail, redact),
        Group(
            (
                Heading(2, "Date of next meeting"),
                Paragraph(spans(_next_meeting(db, detail, redact))),
                Signature(
                    ("Signed (chair)", "Name", "Date"),
                    "These minutes are agreed as a true record at the next meeting.",
                ),
            ),
            with_previous=True,
        ),
    ]
    title = f"Minutes: {forum} - {long_date(detail.meeting_date)}"
    return _document(title, blocks, head, large_print)


# --- Agenda ----------------------------------------------------------------------------------


def agenda_document(
    db: Database, meeting_id: uuid.UUID, *, large_print: bool = False, redact: Redact | None = None
) -> Document:
    """The agenda of a meeting, sent out or printed before it.

    The numbered agenda items by title (what is said about them belongs in the minutes), the
    matters arising (actions from the forum's earlier meetings open on the day, with their
    latest progress: docs/counting-rules.md#meetings-and-attendance) and the forum's next
    meeting after this one. Names follow the minutes' rule: a service user or carer who has
    not agreed to be named appears by category. Raises ``NotFoundError`` when the meeting is
    gone.
    """
    detail = get_meeting(db, meeting_id)
    redact = redact if redact is not None else minutes_redactor(db)
    head = masthead(db)
    forum = _forum(detail, redact)
    coordinator = redact(head.coordinator_name, _COORDINATOR_PIECE).strip()
    ask = f"please tell {coordinator}" if coordinator else "please tell the coordinator"
    if detail.agenda:
        items: Block = ItemList(tuple(spans(redact(item.title)) for item in detail.agenda))
    else:
        items = Paragraph(spans("No agenda items have been added yet."))
    blocks: list[Block] = [
        Heading(1, f"Agenda: {forum}"),
        _meeting_facts(
            detail,
            redact,
            ("Chair", _chair(detail, redact) or "To be confirmed"),
            *_printed_link(db, meeting_id),
        ),
        *_status_note(detail, planned=False),
        Paragraph(
            spans(
                "Everyone is welcome: service users, carers and their representatives, staff and "
                "partners. Involvement payments and travel expenses can be claimed on the sign-in "
                "sheet."
            )
        ),
        Heading(2, "Agenda"),
        items,
        Heading(2, "Matters arising"),
        Paragraph(
            spans(
                "Actions agreed at earlier meetings of this forum that are still open, with their "
                "latest progress: you said, we did."
            )
        ),
        _matters_arising(detail, redact),
        Group(
            (
                Heading(2, "Date of next meeting"),
                Paragraph(spans(_next_meeting(db, detail, redact))),
                Paragraph(
                    spans(
                        "If you would like this agenda in large print or easy read, or need "
                        f"anything to help you take part, {ask}."
                    ),
                    small=True,
                ),
            )
        ),
    ]
    title = f"Agenda: {forum} - {long_date(detail.meeting_date)}"
    return _document(title, blocks, head, large_print)


# --- Sign-in sheet ---------------------------------------------------------------------------


def sign_in_sheet_document(
    db: Database,
    meeting_id: uuid.UUID,
    *,
    large_print: bool = False,
    blank_rows: int = 10,
    redact: Redact | None = None,
) -> Document:
    """The sign-in sheet of a meeting (landscape).

    Pre-filled, alphabetically: the people already on the meeting's register (not marked
    absent) and the forum's regular attendees, each with their category ticked. A service user
    or carer who has not agreed to be named in minutes is not printed (the sheet goes round the
    room): a blank row is added for each instead, on top of ``blank_rows``.
    """
    detail = get_meeting(db, meeting_id)
    redact = redact if redact is not None else minutes_redactor(db)
    head = masthead(db)
    ids = {r.participant_id for r in detail.register if r.status != AttendanceStatus.ABSENT}
    ids.update(pid for pid, _n, _c in regulars(db, detail.forum_id, today=detail.meeting_date))
    people: list[tuple[str, Category]] = []
    hidden = 0
    if ids:
        with db.session() as session:
            for name, category, consented in session.execute(
                select(Participant.name, Participant.category, Participant.name_in_minutes).where(
                    Participant.id.in_(ids), Participant.anonymised_at.is_(None)
                )
            ):
                shown = shown_name(name, Category(category), bool(consented))
                if shown is None:
                    hidden += 1
                else:
                    people.append((shown, Category(category)))
    people.sort(key=lambda p: (p[0].casefold(), p[0]))
    box = spans(BOX)
    rows: list[tuple[Inline, ...]] = []
    for name, category in people:
        ticks = [spans(TICKED if category == c else BOX) for _h, c in SIGN_IN_CATEGORIES]
        rows.append((spans(name), *ticks, (), box, box))
    for _ in range(max(0, int(blank_rows)) + hidden):
        rows.append(((), *([box] * len(SIGN_IN_CATEGORIES)), (), box, box))
    name_w, tick_w, sign_w, pay_w, expenses_w = SIGN_IN_WIDTHS
    columns = (
        Column("Name", *name_w),
        *(Column(h, *tick_w, align="center") for h, _c in SIGN_IN_CATEGORIES),
        Column("Signature", *sign_w),
        Column("Pay", *pay_w, align="center"),
        Column("Expenses", *expenses_w, align="center"),
    )
    key = ", ".join(f"{h} = {c.label.lower()}" for h, c in SIGN_IN_CATEGORIES)
    key += "; Pay = claim an involvement payment; Expenses = claim travel or care cover"
    forum = _forum(detail, redact)
    blocks: list[Block] = [
        Heading(1, f"Sign-in sheet: {forum}"),
        Facts(
            (
                ("Date", spans(long_date(detail.meeting_date))),
                ("Time", spans(time_span(detail.start_time, detail.end_time))),
                ("Venue", spans(_venue(detail, redact))),
                ("Reference", spans(detail.reference)),
            )
        ),
        Paragraph(
            spans(
                "Please sign beside your name, or write your name in an empty row. Tick the box "
                "that describes how you are taking part today, and tick if you would like to claim "
                "an involvement payment or your expenses (travel, care cover). You may choose not "
                "to claim: payments can affect some benefits."
            )
        ),
        Paragraph(spans(f"Tick boxes: {key}."), small=True),
        # Rows keep their columns even in large print: people sign across them.
        Table(columns, tuple(rows), reflow=False, row_height=2.2 if not large_print else 1.6),
        Paragraph(
            spans(
                "Your name is only written in the minutes if you have agreed to it. This sheet is "
                "kept safely by the involvement coordinator."
            ),
            small=True,
        ),
    ]
    title = f"Sign-in sheet: {forum} - {long_date(detail.meeting_date)}"
    return _document(title, blocks, head, large_print, landscape=True)


# --- Open-actions log ------------------------------------------------------------------------


def _raised_note(action: ActionRow) -> Span:
    where = f" at meeting {action.meeting_reference}" if action.meeting_reference else ""
    return Span(f"\nRaised {short_date(action.raised_on)}{where}", small=True)


def forum_open_actions(db: Database, forum_id: uuid.UUID, today: date) -> list[ActionRow]:
    """Actions raised at the forum's meetings and open on ``today`` (``rules.open_now``), the
    soonest due first (no due date last)."""
    with db.session() as session:
        return action_rows(
            session,
            Meeting.forum_id == forum_id,
            rules.open_now(today),
            today=today,
            order_by=(
                Action.due_on.is_(None),
                Action.due_on,
                Action.raised_on,
                Action.reference,
            ),
        )


def actions_log_document(
    db: Database,
    forum_id: uuid.UUID,
    *,
    today: date | None = None,
    large_print: bool = False,
    redact: Redact | None = None,
) -> Document:
    """The open-actions log of a forum on ``today`` (landscape): every action raised at its
    meetings and still open, with its latest progress; overdue ones say "Overdue" in words
    (never colour alone). Raises ``NotFoundError`` when the forum is gone."""
    today = today or date.today()
    with db.session() as session:
        found = session.execute(
            select(Forum.name, Locality.name)
            .join(Locality, Locality.id == Forum.locality_id)
            .where(Forum.id == forum_id)
        ).first()
    if found is None:
        raise NotFoundError("That forum is no longer in the database.")
    forum_name, locality_name = found
    redact = redact if redact is not None else minutes_redactor(db)
    head = masthead(db)
    actions = forum_open_actions(db, forum_id, today)
    overdue = sum(1 for a in actions if a.overdue)
    body: list[Block] = []
    if not actions:
        summary = "There are no open actions."
    else:
        noun = "action" if len(actions) == 1 else "actions"
        summary = f"{len(actions)} open {noun}"
        summary += f", {overdue} of them overdue." if overdue else ", none overdue."
        rows = tuple(
            (
                spans(a.reference),
                (*_action_cell(a, redact, progress=True), _raised_note(a)),
                _owner(a, redact),
                _due_cell(a, flag_overdue=True),
                spans(a.status.label),
            )
            for a in actions
        )
        body.append(Table(LOG_COLUMNS, rows))
    forum = redact(forum_name, _forum_piece(forum_id, forum_name))
    blocks: list[Block] = [
        Heading(1, f"Open actions: {forum}"),
        Facts((("Locality", spans(locality_name)), ("As at", spans(long_date(today))))),
        Paragraph(spans(summary)),
        *body,
    ]
    title = f"Open actions: {forum} - {long_date(today)}"
    return _document(title, blocks, head, large_print, landscape=True)


__all__ = [
    "CONTACT_PLACEHOLDER",
    "LARGE_PRINT_MIN_PT",
    "actions_log_document",
    "agenda_document",
    "forum_open_actions",
    "minutes_document",
    "minutes_redactor",
    "sign_in_sheet_document",
    "suggest_large_print",
]
