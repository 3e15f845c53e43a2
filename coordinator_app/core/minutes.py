"""Printouts as HTML: a meeting's agenda, minutes and sign-in sheet, and a forum's open-actions
log (docs/printouts.md). No Qt here: the UI renders the HTML (``ui/printing.py``) to a printer, a
preview or a PDF; the ``minutes`` command uses the same renderer.

The documents are built from the templates in ``resources/templates/`` (``string.Template``
placeholders, documented at the top of each file) so a trust can change wording and layout
without touching code. Every value is escaped here; templates receive ready-made HTML.

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

Only the QTextDocument subset of HTML is used: tables with ``<thead>`` (repeated on every page
when a table crosses a page), ``page-break-*``, simple CSS; no flexbox.
"""

from __future__ import annotations

import base64
import html
import re
import string
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from . import rules
from .db import Database
from .errors import NotFoundError
from .meetings import (
    ExperienceRow,
    MeetingDetail,
    RegisterRow,
    get_meeting,
    list_meetings,
    regulars,
)
from .models import Action, Forum, Locality, Meeting, Participant, TrustSettings
from .privacy import CONTACT_PLACEHOLDER, Piece, Redact, redactor_for
from .resources import resources_dir
from .rows import ActionRow, MeetingRow, action_rows
from .vocab import (
    CATEGORY_PLURALS,
    PROTECTED_CATEGORIES,
    AccessibleFormat,
    AttendanceStatus,
    Category,
    MeetingStatus,
)

#: Shown where something was not recorded.
NOT_RECORDED = "Not recorded"

#: Standard and large-print sizes for ``print.css`` (large print: 16 pt text or more).
STANDARD_STYLE = {
    "base_pt": "11",
    "small_pt": "9.5",
    "h1_pt": "18",
    "h2_pt": "13.5",
    "h3_pt": "12",
    "line_height": "125",
    "cell_pad": "4",
}
LARGE_PRINT_STYLE = {
    "base_pt": "16",
    "small_pt": "16",
    "h1_pt": "26",
    "h2_pt": "21",
    "h3_pt": "18",
    "line_height": "150",
    "cell_pad": "7",
}
#: The smallest type size in a large-print document, in points.
LARGE_PRINT_MIN_PT = 16

#: Tick columns of the sign-in sheet: (heading, category, key text).
SIGN_IN_CATEGORIES: tuple[tuple[str, Category], ...] = (
    ("S", Category.SERVICE_USER),
    ("C", Category.CARER),
    ("R", Category.REPRESENTATIVE),
    ("St", Category.STAFF),
    ("P", Category.PARTNER),
    ("O", Category.OTHER),
)
#: Column widths of the sign-in sheet: name, each tick column, signature, pay, expenses.
#: (The sheet is landscape: its template says so.)
SIGN_IN_WIDTHS = ("27%", "4%", "30%", "7%", "12%")
SIGN_IN_WIDTHS_LARGE = ("22%", "5%", "23%", "8%", "17%")
BOX = "\u2610"  # ☐ (DejaVu Sans has it)
TICKED = "\u2612"  # ☒

_LEADING_COMMENT = re.compile(r"^\s*(<!--.*?-->|/\*.*?\*/)\s*", re.DOTALL)


# --- Templates -------------------------------------------------------------------------------


def templates_dir() -> Path:
    return resources_dir() / "templates"


@lru_cache(maxsize=16)
def _template_text(path: Path, mtime_ns: int) -> string.Template:
    text = path.read_text(encoding="utf-8")
    # The documentation comment names every placeholder: drop it before substituting.
    return string.Template(_LEADING_COMMENT.sub("", text, count=1))


def load_template(name: str) -> string.Template:
    """The template ``resources/templates/<name>`` (re-read when the file changes).

    Raises ``NotFoundError`` with a sentence for a user when the file is missing.
    """
    path = templates_dir() / name
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise NotFoundError(
            f"The printout template {name} is missing from {path.parent}; reinstall the app."
        ) from None
    return _template_text(path, mtime)


def fill(name: str, values: dict[str, str]) -> str:
    """Fill a template forgivingly: a placeholder the app does not know stays as written."""
    return load_template(name).safe_substitute(values)


def _style(large_print: bool) -> str:
    return fill("print.css", LARGE_PRINT_STYLE if large_print else STANDARD_STYLE)


# --- Text helpers ----------------------------------------------------------------------------


def esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def paragraphs(text: str, redactor: Redact, css_class: str = "", where: Piece | None = None) -> str:
    """Free text as paragraphs: a blank line starts a new paragraph, a single line break stays a
    line break. Names are replaced first, then everything is escaped."""
    clean = redactor((text or "").replace("\r\n", "\n").replace("\r", "\n"), where).strip()
    if not clean:
        return ""
    attr = f' class="{css_class}"' if css_class else ""
    parts = [p.strip() for p in re.split(r"\n\s*\n", clean) if p.strip()]
    return "".join(
        f"<p{attr}>" + "<br/>".join(esc(line) for line in part.split("\n")) + "</p>"
        for part in parts
    )


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


def _count_phrase(count: int, category: Category) -> str:
    """``1 service user``, ``3 carers``, ``2 staff``."""
    if count == 1:
        return f"1 {category.label.lower()}"
    return f"{count} {CATEGORY_PLURALS[category]}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- Shared reads ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Masthead:
    trust_name: str
    logo_html: str
    coordinator_name: str = ""


def _masthead(db: Database, large_print: bool) -> _Masthead:
    with db.session() as session:
        row = session.execute(
            select(
                TrustSettings.trust_name, TrustSettings.logo_png, TrustSettings.coordinator_name
            ).limit(1)
        ).first()
    if row is None:
        return _Masthead("", "")
    name, logo, coordinator = row
    logo_html = ""
    if logo:
        encoded = base64.b64encode(bytes(logo)).decode("ascii")
        height = 72 if large_print else 56
        logo_html = f'<img src="data:image/png;base64,{encoded}" height="{height}" alt="Logo"/>'
    return _Masthead(name or "", logo_html, coordinator or "")


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
    return Piece(
        "actions", column, action.id, f"Action {action.reference}", field, names_expected=names
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


def _shown_name(row_name: str, category: Category, consented: bool) -> str | None:
    """The name to print, or None when the person is counted under their category instead."""
    if category in PROTECTED_CATEGORIES and not consented:
        return None
    return " ".join((row_name or "").split()) or None


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


def _group_by_category(
    rows: Iterable[RegisterRow],
) -> dict[Category, tuple[list[str], int]]:
    """Per category (in glossary order): the names to print and how many are not named."""
    groups: dict[Category, tuple[list[str], int]] = {}
    for row in rows:
        names, hidden = groups.get(row.category, ([], 0))
        shown = _shown_name(row.name, row.category, row.name_in_minutes)
        if shown is None:
            hidden += 1
        else:
            names.append(shown)
        groups[row.category] = (names, hidden)
    order = list(Category)
    return dict(sorted(groups.items(), key=lambda kv: order.index(kv[0])))


def _people_table(groups: dict[Category, tuple[list[str], int]], large_print: bool) -> str:
    """A two-column table: category (with how many) and the people, named or counted."""
    width = "38%" if large_print else "30%"
    lines = []
    for category, (names, hidden) in groups.items():
        people = [esc(n) for n in names]
        if hidden:
            counted = _count_phrase(hidden, category)
            people.append(
                f"{esc(counted)} not named in the minutes" if names else f"{esc(counted)}"
            )
        total = len(names) + hidden
        lines.append(
            f'<tr><th width="{width}">{esc(category.label)} ({total})</th>'
            f"<td>{_join(people)}</td></tr>"
        )
    return '<table class="facts" width="100%" cellspacing="0">' + "".join(lines) + "</table>"


def _present_html(detail: MeetingDetail, large_print: bool) -> str:
    present = [r for r in detail.register if r.status == AttendanceStatus.PRESENT]
    parts: list[str] = []
    if present:
        parts.append(_people_table(_group_by_category(present), large_print))
    unnamed = [(c, n) for c, n in detail.unnamed.items() if n > 0]
    if unnamed:
        counts = _join([_count_phrase(n, c) for c, n in unnamed])
        parts.append(
            f"<p>Also present, not recorded by name: {esc(counts)} "
            f"({sum(n for _c, n in unnamed)} in all).</p>"
        )
    if not parts:
        return "<p>No attendance was recorded.</p>"
    return "".join(parts)


def _apologies_html(detail: MeetingDetail, large_print: bool) -> str:
    apologies = [r for r in detail.register if r.status == AttendanceStatus.APOLOGIES]
    if not apologies:
        return "<p>None.</p>"
    return _people_table(_group_by_category(apologies), large_print)


#: Table columns: (heading, width in standard print, width in large print).
Columns = tuple[tuple[str, str, str], ...]
MATTERS_COLUMNS: Columns = (
    ("Ref.", "15%", "17%"),
    ("Action and latest progress", "37%", "34%"),
    ("Owner", "17%", "17%"),
    ("Due", "15%", "15%"),
    ("Status", "16%", "17%"),
)
EXPERIENCE_COLUMNS: Columns = (
    ("Kind", "17%", "23%"),
    ("You said", "42%", "39%"),
    ("We did (response)", "41%", "38%"),
)
ACTIONS_COLUMNS: Columns = (
    ("Ref.", "15%", "17%"),
    ("Action", "51%", "49%"),
    ("Owner", "19%", "19%"),
    ("Due", "15%", "15%"),
)
#: The open-actions log is landscape (its template says so).
LOG_COLUMNS: Columns = (
    ("Ref.", "10%", "11%"),
    ("Action and latest progress", "48%", "43%"),
    ("Owner", "16%", "17%"),
    ("Due", "12%", "13%"),
    ("Status", "14%", "16%"),
)


def _grid(columns: Columns, rows: list[list[str]], large_print: bool) -> str:
    """A bordered table whose header row repeats on every page (``<thead>``)."""
    head = "".join(
        f'<th width="{large if large_print else standard}">{esc(text)}</th>'
        for text, standard, large in columns
    )
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        '<table class="grid" width="100%" border="1" cellspacing="0">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _due_cell(action: ActionRow, *, flag_overdue: bool) -> str:
    """The due date; with ``flag_overdue`` the word "Overdue" under it when the row says so
    (``ActionRow.overdue`` is as at the ``today`` the rows were read with)."""
    due = esc(short_date(action.due_on)) if action.due_on else "No date"
    if flag_overdue and action.overdue:
        due += '<br/><span class="label">Overdue</span>'
    return due


def _action_cell(action: ActionRow, redact: Redact, *, progress: bool) -> str:
    cell = esc(redact(action.title, _action_piece(action, "title", "Title")))
    if progress:
        note = redact(action.latest_progress, _progress_piece(action)).strip()
        if note:
            cell += f'<br/><span class="label">Latest progress:</span> {esc(note)}'
        else:
            cell += '<br/><span class="note">No progress recorded yet.</span>'
    return cell


def _matters_arising_html(detail: MeetingDetail, redact: Redact, large_print: bool) -> str:
    if not detail.matters_arising:
        return "<p>No actions were open from earlier meetings.</p>"
    rows = [
        [
            esc(a.reference),
            _action_cell(a, redact, progress=True),
            esc(redact(a.owner, _action_piece(a, "owner", "Owner", names=True))) or "Not set",
            # Minutes are read long after the meeting: no "Overdue" as at today in them.
            _due_cell(a, flag_overdue=False),
            esc(a.status.label),
        ]
        for a in detail.matters_arising
    ]
    return _grid(MATTERS_COLUMNS, rows, large_print)


def _agenda_html(detail: MeetingDetail, redact: Redact) -> str:
    if not detail.agenda:
        return "<p>No agenda items were recorded.</p>"
    parts: list[str] = []
    for number, item in enumerate(detail.agenda, start=1):
        where = f"Agenda item {number} of {detail.reference}"
        title = redact(item.title, Piece("agenda_items", "title", item.id, where, "Title"))
        parts.append(f"<h3>{number}. {esc(title)}</h3>")
        discussion = paragraphs(
            item.discussion,
            redact,
            where=Piece("agenda_items", "discussion", item.id, where, "Discussion"),
        )
        decisions = paragraphs(
            item.decisions,
            redact,
            where=Piece("agenda_items", "decisions", item.id, where, "Decisions"),
        )
        if discussion:
            parts.append(discussion)
        if decisions:
            parts.append('<p class="label">Decisions</p>' + decisions)
        if not discussion and not decisions:
            parts.append('<p class="note">Nothing was minuted for this item.</p>')
    return "".join(parts)


def _experience_html(detail: MeetingDetail, redact: Redact, large_print: bool) -> str:
    if not detail.experience:
        return "<p>No experience items were recorded at this meeting.</p>"
    rows = []
    for e in detail.experience:
        where = f"Experience item of {short_date(e.received_on)}"

        def piece(column: str, field: str, e: ExperienceRow = e, where: str = where) -> Piece:
            return Piece("experience_items", column, e.id, where, field)

        theme = redact(e.theme, piece("theme", "Theme"))
        service = redact(e.service, piece("service", "Service or team"))
        about = " - ".join(x for x in (theme, service) if x)
        heard = (f'<span class="label">{esc(about)}</span><br/>' if about else "") + esc(
            redact(e.summary, piece("summary", "Summary"))
        ).replace("\n", "<br/>")
        response = esc(redact(e.response, piece("response", "Response"))).replace(
            "\n", "<br/>"
        ) or ('<span class="note">Response to follow.</span>')
        rows.append([esc(e.kind.label), heard, response])
    return _grid(EXPERIENCE_COLUMNS, rows, large_print)


POLL_COLUMNS: Columns = (
    ("Answer", "60%", "56%"),
    ("Count", "20%", "22%"),
    ("Share", "20%", "22%"),
)


def _polls_html(detail: MeetingDetail, redact: Redact, large_print: bool) -> str:
    """The meeting's quick polls, each its question and a small table of answers, counts and
    shares (whole per cent); "" when no poll was taken, so such minutes are unchanged."""
    if not detail.polls:
        return ""
    parts = ["<h3>Quick polls</h3>"]
    for number, poll in enumerate(detail.polls, start=1):
        total = sum(count for _answer, count in poll.answers)
        where = f"Quick poll {number} at {detail.reference}"
        answer_piece = Piece("poll_answers", "answer", None, where, "Answer", parent_id=poll.id)
        rows = [
            [
                esc(redact(answer, answer_piece)),
                str(count),
                f"{round(100 * count / total)}%" if total else "-",
            ]
            for answer, count in poll.answers
        ]
        rows.append(['<span class="label">Total</span>', str(total), ""])
        question = redact(poll.question, Piece("polls", "question", poll.id, where, "Question"))
        parts.append(f'<p class="label">{number}. {esc(question)}</p>')
        parts.append(_grid(POLL_COLUMNS, rows, large_print))
    return "".join(parts)


def _actions_html(detail: MeetingDetail, redact: Redact, large_print: bool) -> str:
    if not detail.actions:
        return "<p>No actions were agreed at this meeting.</p>"
    rows = [
        [
            esc(a.reference),
            esc(redact(a.title, _action_piece(a, "title", "Title"))),
            esc(redact(a.owner, _action_piece(a, "owner", "Owner", names=True))) or "Not set",
            esc(short_date(a.due_on)) or "No date",
        ]
        for a in detail.actions
    ]
    return _grid(ACTIONS_COLUMNS, rows, large_print)


def _venue(detail: MeetingDetail, redact: Redact) -> str:
    venue = redact(detail.venue, _meeting_piece(detail, "venue", "Venue")).strip()
    fmt = detail.format.label.lower()
    return f"{esc(venue)} ({esc(fmt)})" if venue else esc(detail.format.label)


def _next_meeting_html(db: Database, detail: MeetingDetail, redact: Redact) -> str:
    later = [
        m
        for m in list_meetings(
            db, forum_id=detail.forum_id, date_from=detail.meeting_date + timedelta(days=1)
        )
        if m.status != MeetingStatus.CANCELLED
    ]
    if not later:
        return "To be arranged."
    nxt = min(later, key=lambda m: (m.meeting_date, m.start_time or time.min))
    text = esc(long_date(nxt.meeting_date))
    if nxt.start_time:
        text += f", {esc(time_span(nxt.start_time, nxt.end_time))}"
    venue = redact(nxt.venue, _meeting_piece(nxt, "venue", "Venue")).strip()
    text += f", {esc(venue)}" if venue else ""
    return text + f" ({esc(nxt.format.label.lower())})."


def _status_note(detail: MeetingDetail) -> str:
    if detail.status == MeetingStatus.CANCELLED:
        return '<p class="label">This meeting was cancelled.</p>'
    if detail.status == MeetingStatus.PLANNED:
        return '<p class="label">Draft: this meeting is not yet marked as held.</p>'
    return ""


def _meeting_values(
    detail: MeetingDetail, redact: Redact, masthead: _Masthead, title: str, large_print: bool
) -> dict[str, str]:
    """The placeholders every printout of a meeting shares: its masthead and its facts."""
    return {
        "style": _style(large_print),
        "title": esc(title),
        "logo": masthead.logo_html,
        "trust_name": esc(masthead.trust_name),
        "forum_name": esc(
            redact(detail.forum_name, _forum_piece(detail.forum_id, detail.forum_name))
        ),
        "locality_name": esc(detail.locality_name),
        "meeting_date": esc(long_date(detail.meeting_date)),
        "meeting_time": esc(time_span(detail.start_time, detail.end_time)),
        "venue": _venue(detail, redact),
        "reference": esc(detail.reference),
    }


def minutes_html(
    db: Database, meeting_id: uuid.UUID, *, large_print: bool = False, redact: Redact | None = None
) -> str:
    """The minutes of a meeting as HTML for QTextDocument (template ``minutes.html``).

    Raises ``NotFoundError`` when the meeting is gone. A meeting with nothing recorded still
    gives a complete document (each empty section says so).
    """
    detail = get_meeting(db, meeting_id)
    redact = redact if redact is not None else minutes_redactor(db)
    masthead = _masthead(db, large_print)
    forum = redact(detail.forum_name, _forum_piece(detail.forum_id, detail.forum_name))
    title = f"Minutes: {forum} - {long_date(detail.meeting_date)}"
    chair = redact(detail.chair, _meeting_piece(detail, "chair", "Chair", names=True))
    taker = detail.minute_taker
    taker = redact(taker, _meeting_piece(detail, "minute_taker", "Minute taker", names=True))
    values = {
        **_meeting_values(detail, redact, masthead, title, large_print),
        "chair": esc(chair) or NOT_RECORDED,
        "minute_taker": esc(taker) or NOT_RECORDED,
        "status_note": _status_note(detail),
        "body_present": _present_html(detail, large_print),
        "body_apologies": _apologies_html(detail, large_print),
        "body_matters_arising": _matters_arising_html(detail, redact, large_print),
        "body_agenda": _agenda_html(detail, redact),
        # Quick polls follow the experience heard (the template has no section of its own).
        "body_experience": _experience_html(detail, redact, large_print)
        + _polls_html(detail, redact, large_print),
        "body_actions": _actions_html(detail, redact, large_print),
        "next_meeting": _next_meeting_html(db, detail, redact),
    }
    return fill("minutes.html", values)


# --- Agenda ----------------------------------------------------------------------------------

AGENDA_COLUMNS: Columns = (
    ("Item", "9%", "12%"),
    ("Subject", "91%", "88%"),
)


def _agenda_items_html(detail: MeetingDetail, redact: Redact, large_print: bool) -> str:
    if not detail.agenda:
        return "<p>No agenda items have been added yet.</p>"
    rows = [
        [f"{number}.", esc(redact(item.title))]
        for number, item in enumerate(detail.agenda, start=1)
    ]
    return _grid(AGENDA_COLUMNS, rows, large_print)


def agenda_html(
    db: Database, meeting_id: uuid.UUID, *, large_print: bool = False, redact: Redact | None = None
) -> str:
    """The agenda of a meeting, sent out or printed before it (template ``agenda.html``).

    The numbered agenda items by title (what is said about them belongs in the minutes), the
    matters arising (actions from the forum's earlier meetings open on the day, with their
    latest progress: docs/counting-rules.md#meetings-and-attendance) and the forum's next
    meeting after this one. Names follow the minutes' rule: a service user or carer who has
    not agreed to be named appears by category. Raises ``NotFoundError`` when the meeting is
    gone.
    """
    detail = get_meeting(db, meeting_id)
    redact = redact if redact is not None else minutes_redactor(db)
    masthead = _masthead(db, large_print)
    forum = redact(detail.forum_name, _forum_piece(detail.forum_id, detail.forum_name))
    title = f"Agenda: {forum} - {long_date(detail.meeting_date)}"
    coordinator = redact(masthead.coordinator_name, _COORDINATOR_PIECE).strip()
    ask = f"please tell {esc(coordinator)}" if coordinator else "please tell the coordinator"
    status = (
        '<p class="label">This meeting was cancelled.</p>'
        if detail.status == MeetingStatus.CANCELLED
        else ""
    )
    values = {
        **_meeting_values(detail, redact, masthead, title, large_print),
        "chair": esc(redact(detail.chair, _meeting_piece(detail, "chair", "Chair", names=True)))
        or "To be confirmed",
        "status_note": status,
        "body_items": _agenda_items_html(detail, redact, large_print),
        "body_matters_arising": _matters_arising_html(detail, redact, large_print),
        "next_meeting": _next_meeting_html(db, detail, redact),
        "formats_note": (
            f"If you would like this agenda in large print or easy read, or need anything to "
            f"help you take part, {ask}."
        ),
    }
    return fill("agenda.html", values)


# --- Sign-in sheet ---------------------------------------------------------------------------


def sign_in_sheet_html(
    db: Database,
    meeting_id: uuid.UUID,
    *,
    large_print: bool = False,
    blank_rows: int = 10,
    redact: Redact | None = None,
) -> str:
    """The sign-in sheet of a meeting (template ``sign-in-sheet.html``).

    Pre-filled, alphabetically: the people already on the meeting's register (not marked
    absent) and the forum's regular attendees, each with their category ticked. A service user
    or carer who has not agreed to be named in minutes is not printed (the sheet goes round the
    room): a blank row is added for each instead, on top of ``blank_rows``.
    """
    detail = get_meeting(db, meeting_id)
    redact = redact if redact is not None else minutes_redactor(db)
    masthead = _masthead(db, large_print)
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
                shown = _shown_name(name, Category(category), bool(consented))
                if shown is None:
                    hidden += 1
                else:
                    people.append((shown, Category(category)))
    people.sort(key=lambda p: (p[0].casefold(), p[0]))
    box = f'<p align="center">{BOX}</p>'
    # Two lines in the Signature cell give every row, filled or blank, room to sign.
    room = "&nbsp;" if large_print else "&nbsp;<br/>&nbsp;"
    rows: list[list[str]] = []
    for name, category in people:
        ticks = [
            f'<p align="center">{TICKED if category == c else BOX}</p>'
            for _h, c in SIGN_IN_CATEGORIES
        ]
        rows.append([esc(name), *ticks, room, box, box])
    for _ in range(max(0, int(blank_rows)) + hidden):
        rows.append(["", *([box] * len(SIGN_IN_CATEGORIES)), room, box, box])
    widths = SIGN_IN_WIDTHS_LARGE if large_print else SIGN_IN_WIDTHS
    headers = [("Name", widths[0])]
    headers += [(h, widths[1]) for h, _c in SIGN_IN_CATEGORIES]
    headers += [("Signature", widths[2]), ("Pay", widths[3]), ("Expenses", widths[4])]
    columns: Columns = tuple((text, width, width) for text, width in headers)
    key = ", ".join(f"{h} = {c.label.lower()}" for h, c in SIGN_IN_CATEGORIES)
    key += "; Pay = claim an involvement payment; Expenses = claim travel or care cover"
    forum = redact(detail.forum_name, _forum_piece(detail.forum_id, detail.forum_name))
    title = f"Sign-in sheet: {forum} - {long_date(detail.meeting_date)}"
    values = {
        **_meeting_values(detail, redact, masthead, title, large_print),
        "category_key": esc(key),
        "body_rows": _grid(columns, rows, large_print),
    }
    return fill("sign-in-sheet.html", values)


# --- Open-actions log ------------------------------------------------------------------------


def _raised_note(action: ActionRow) -> str:
    where = f" at meeting {action.meeting_reference}" if action.meeting_reference else ""
    return f'<br/><span class="small">Raised {esc(short_date(action.raised_on))}{esc(where)}</span>'


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


def actions_log_html(
    db: Database,
    forum_id: uuid.UUID,
    *,
    today: date | None = None,
    large_print: bool = False,
    redact: Redact | None = None,
) -> str:
    """The open-actions log of a forum on ``today`` (template ``actions-log.html``): every
    action raised at its meetings and still open, with its latest progress; overdue ones say
    "Overdue" in words (never colour alone). Raises ``NotFoundError`` when the forum is gone."""
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
    masthead = _masthead(db, large_print)
    actions = forum_open_actions(db, forum_id, today)
    overdue = sum(1 for a in actions if a.overdue)
    if not actions:
        summary = "There are no open actions."
        body = ""
    else:
        noun = "action" if len(actions) == 1 else "actions"
        summary = f"{len(actions)} open {noun}"
        summary += f", {overdue} of them overdue." if overdue else ", none overdue."
        rows = [
            [
                esc(a.reference),
                _action_cell(a, redact, progress=True) + _raised_note(a),
                esc(redact(a.owner, _action_piece(a, "owner", "Owner", names=True))) or "Not set",
                _due_cell(a, flag_overdue=True),
                esc(a.status.label),
            ]
            for a in actions
        ]
        body = _grid(LOG_COLUMNS, rows, large_print)
    forum = redact(forum_name, _forum_piece(forum_id, forum_name))
    title = f"Open actions: {forum} - {long_date(today)}"
    values = {
        "style": _style(large_print),
        "title": esc(title),
        "logo": masthead.logo_html,
        "trust_name": esc(masthead.trust_name),
        "forum_name": esc(forum),
        "locality_name": esc(locality_name),
        "as_at": esc(long_date(today)),
        "summary": esc(summary),
        "body_actions": body,
    }
    return fill("actions-log.html", values)


__all__ = [
    "CONTACT_PLACEHOLDER",
    "LARGE_PRINT_MIN_PT",
    "actions_log_html",
    "forum_open_actions",
    "minutes_html",
    "minutes_redactor",
    "sign_in_sheet_html",
    "suggest_large_print",
]
