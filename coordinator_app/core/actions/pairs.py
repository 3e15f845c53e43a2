"""You said, we did: each experience item ("you said") with the actions it led to and their
outcomes ("we did"), as rows (``you_said_we_did``), a printed landscape table, HTML for the
clipboard and tab-separated text; names and contact details hidden by the ``redact`` given.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..db import Database
from ..document import Block, Column, Document, Heading, Paragraph, Table, spans
from ..models import Action, ExperienceItem, Forum, Locality, Meeting
from ..privacy import Redact
from ..vocab import ActionStatus


@dataclass(frozen=True)
class PairRow:
    """An experience item ("you said") with one action it led to (or none) and its outcome."""

    experience_id: uuid.UUID
    received_on: date
    locality_name: str
    forum_name: str
    kind: str
    theme: str
    service: str
    summary: str
    response: str
    action_id: uuid.UUID | None
    action_reference: str
    action_title: str
    action_status: ActionStatus | None
    closed_on: date | None
    outcome: str
    due_on: date | None = None

    @property
    def we_did(self) -> str:
        """The "we did": the action's outcome once recorded, else where the action stands,
        else the response given to the item."""
        if self.action_id is not None:
            if self.outcome:
                return self.outcome
            status = self.action_status.label if self.action_status else ""
            due = f", due {self.due_on:%d/%m/%Y}" if self.due_on else ""
            return f"{self.action_title} ({status.lower()}{due})"
        return self.response

    @property
    def status_text(self) -> str:
        if self.action_status is None:
            return "Responded" if self.response else "No action yet"
        if self.action_status.is_closed and self.closed_on:
            return f"{self.action_status.label} {self.closed_on:%d/%m/%Y}"
        return self.action_status.label


def you_said_we_did(
    db: Database,
    *,
    locality_id: uuid.UUID | None = None,
    forum_id: uuid.UUID | None = None,
    theme: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    with_actions_only: bool = False,
) -> list[PairRow]:
    """Experience items received from ``date_from`` to ``date_to`` (both inclusive), each with
    the actions raised from it (one row per action; an item with none has one row), newest
    first. ``theme`` matches whole, ignoring case. Forum is the forum of the meeting the item
    was heard at (items brought straight to the coordinator have none)."""
    stmt = (
        select(
            ExperienceItem.id,
            ExperienceItem.received_on,
            Locality.name,
            func.coalesce(Forum.name, ""),
            ExperienceItem.kind,
            ExperienceItem.theme,
            ExperienceItem.service,
            ExperienceItem.summary,
            ExperienceItem.response,
            Action.id,
            func.coalesce(Action.reference, ""),
            func.coalesce(Action.title, ""),
            Action.status,
            Action.closed_on,
            func.coalesce(Action.outcome, ""),
            Action.due_on,
        )
        .join(Locality, Locality.id == ExperienceItem.locality_id)
        .outerjoin(Meeting, Meeting.id == ExperienceItem.meeting_id)
        .outerjoin(Forum, Forum.id == Meeting.forum_id)
        .outerjoin(Action, Action.experience_item_id == ExperienceItem.id)
        .order_by(ExperienceItem.received_on.desc(), ExperienceItem.created_at, Action.reference)
    )
    if locality_id is not None:
        stmt = stmt.where(ExperienceItem.locality_id == locality_id)
    if forum_id is not None:
        stmt = stmt.where(Meeting.forum_id == forum_id)
    if theme:
        stmt = stmt.where(func.lower(ExperienceItem.theme) == theme.strip().lower())
    if date_from is not None:
        stmt = stmt.where(ExperienceItem.received_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(ExperienceItem.received_on <= date_to)
    if with_actions_only:
        stmt = stmt.where(Action.id.is_not(None))
    with db.session() as session:
        return [
            PairRow(
                experience_id=r[0],
                received_on=r[1],
                locality_name=r[2],
                forum_name=r[3],
                kind=r[4].label,
                theme=r[5],
                service=r[6],
                summary=r[7],
                response=r[8],
                action_id=r[9],
                action_reference=r[10],
                action_title=r[11],
                action_status=None if r[12] is None else ActionStatus(r[12]),
                closed_on=r[13],
                outcome=r[14],
                due_on=r[15],
            )
            for r in session.execute(stmt)
        ]


def experience_themes(db: Database) -> list[str]:
    """Every theme named on an experience item, A to Z (for the theme filter)."""
    with db.session() as session:
        names = session.scalars(
            select(ExperienceItem.theme).distinct().where(ExperienceItem.theme != "")
        )
        return sorted(names, key=str.casefold)


PAIR_HEADERS = ("Date", "Forum", "Theme", "You said", "We did", "Status")


def pair_cells(row: PairRow, redact: Redact) -> tuple[str, ...]:
    """The cells of one printed / copied row, in ``PAIR_HEADERS`` order, with names and contact
    details hidden by ``redact`` (the return's redactor: ``privacy.redactor_of``), since the
    table leaves the coordinator (a poster, a newsletter)."""
    forum = row.forum_name or row.locality_name
    return (
        f"{row.received_on:%d/%m/%Y}",
        redact(forum),
        redact(row.theme),
        redact(row.summary),
        redact(row.we_did),
        row.status_text,
    )


#: The printed table's columns (landscape A4): the two that matter, what was said and what was
#: done, take three fifths of the width.
PAIR_COLUMNS = (
    ("Date", 9.5),
    ("Forum", 12.5),
    ("Theme", 11),
    ("You said", 29),
    ("We did", 29),
    ("Status", 9),
)


def you_said_we_did_document(
    rows: list[PairRow],
    title: str,
    *,
    redact: Redact,
    trust_name: str = "",
    logo_png: bytes | None = None,
) -> Document:
    """The "You said, we did" table (poster and newsletter format) as a landscape A4 document
    under the trust's name: a header row repeated on each page, "You said" and "We did" given
    most of the width; names and contact details hidden by ``redact`` (required: the table
    leaves the coordinator)."""
    columns = tuple(Column(header, width) for header, width in PAIR_COLUMNS)
    body: Block
    if rows:
        body = Table(columns, tuple(tuple(spans(c) for c in pair_cells(r, redact)) for r in rows))
    else:
        body = Paragraph(spans("Nothing heard in this period."))
    heading = redact(title) or "You said, we did"
    return Document(
        title=heading,
        blocks=(Heading(1, heading), body),
        trust_name=trust_name,
        logo_png=logo_png,
        landscape=True,
    )


def you_said_we_did_table_html(rows: list[PairRow], *, redact: Redact) -> str:
    """The table as HTML for the clipboard (Word and Outlook paste it as a table): every value
    escaped, a header row."""
    from html import escape

    def cell(text: str) -> str:
        return escape(text).replace("\n", "<br>")

    head = "".join(f'<th align="left">{escape(h)}</th>' for h in PAIR_HEADERS)
    body = "".join(
        "<tr>"
        + "".join(f'<td valign="top">{cell(c)}</td>' for c in pair_cells(r, redact))
        + "</tr>"
        for r in rows
    )
    if not rows:
        body = f'<tr><td colspan="{len(PAIR_HEADERS)}">Nothing heard in this period.</td></tr>'
    return (
        '<table border="1" cellspacing="0" cellpadding="4">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def you_said_we_did_text(rows: list[PairRow], *, redact: Redact) -> str:
    """Tab-separated text with a header row (pastes as a table into Excel); tabs and line
    breaks inside a cell become spaces so that every row stays one line."""

    def clean(text: str) -> str:
        return " ".join(text.replace("\t", " ").split())

    lines = ["\t".join(PAIR_HEADERS)]
    lines += ["\t".join(clean(c) for c in pair_cells(r, redact)) for r in rows]
    return "\n".join(lines) + "\n"
