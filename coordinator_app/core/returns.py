"""The monthly return (docs/monthly-return.md, format version 2): writing one.

The return is a contract with the trust's other tools: the sheet names, headers, Summary rows and
their order (``core/return_format.py``) are exactly those of docs/monthly-return.md, and
``Format version`` is ``2`` (version 1 without the Reach sheet, which ``core/reach.py`` fills,
suppressed). Reading one back: ``core/return_reading.py`` (``read_return`` is here too).

Privacy: the return holds no participant name, contact detail or note. Free text (experience
summaries and responses, themes, services, action titles, outcomes and owners, forum names, poll
questions and answers) goes through the one redactor (``privacy.redactor_for``), so a service
user's or carer's name typed into a summary, in any of the forms people write it, comes out as
"[service user]" or "[carer]", and every e-mail address and phone number as "[contact details
removed]". Owner is a staff name or role, kept, but still redacted in case a protected name was
typed there. Each call names the record the text comes from (``privacy.Piece``): the privacy
review (``core/review.py``) gathers the return through the same functions with a recorder in
place of the redactor, so it lists exactly the text that leaves.

Cells: user text is always stored as text (``=HYPERLINK(...)`` stays text), illegal control
characters are removed, dates are real dates, counts and pounds are numbers. The file is written
to a temporary file beside the target and renamed into place; a read-only target, or one open in
Excel, is refused with one sentence and the old file stays as it was.
"""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select

from . import accreditation_result, reach, rules, schema
from .db import Database
from .errors import CoordinatorError, ExportCancelled
from .figures import (
    CATEGORY_ORDER,
    SUMMARY_MEASURES,
    month_figures,
)
from .files import atomic_write
from .privacy import Piece, Redact, redactor_for
from .return_format import (
    ACCREDITATION_SHEET,
    ACTIONS_SHEET,
    DATE_COLUMNS,
    EXPERIENCE_SHEET,
    FORMAT_VERSION,
    HEADERS,
    MEETINGS_SHEET,
    MONEY_FORMAT,
    MONEY_MEASURES,
    PERCENT_FORMAT,
    PERCENT_MEASURES,
    POLLS_SHEET,
    REACH_SHEET,
    READ_VERSIONS,
    RETURN_FIELDS,
    RETURN_SHEET,
    SHEETS,
    SHEETS_V1,
    SUMMARY_SHEET,
    TABLE_SHEETS,
    TEXT_MEASURES,
    Cancelled,
    Progress,
    ReturnContent,
    ReturnData,
)
from .return_reading import read_return
from .rules import Month
from .vocab import ActionLevel, ActionStatus, Category, ExperienceKind, MeetingFormat, MeetingStatus
from .xlsx import (
    CHART_ROWS,
    chart_page,
    from_zero,
    month_name,
    print_setup,
    write_table,
)

if TYPE_CHECKING:
    from .db import Reader

__all__ = [
    "ACCREDITATION_SHEET",
    "ACTIONS_SHEET",
    "DATE_COLUMNS",
    "EXPERIENCE_SHEET",
    "FORMAT_VERSION",
    "HEADERS",
    "MEETINGS_SHEET",
    "MONEY_FORMAT",
    "MONEY_MEASURES",
    "PERCENT_FORMAT",
    "PERCENT_MEASURES",
    "POLLS_SHEET",
    "REACH_SHEET",
    "READ_VERSIONS",
    "RETURN_FIELDS",
    "RETURN_SHEET",
    "SHEETS",
    "SHEETS_V1",
    "SUMMARY_SHEET",
    "TABLE_SHEETS",
    "TEXT_MEASURES",
    "Cancelled",
    "ExportCancelled",
    "Progress",
    "ReturnContent",
    "ReturnData",
    "build_workbook",
    "export_return",
    "find_locality",
    "gather_return",
    "read_return",
    "refuse_read_only",
]

# --- Gathering -----------------------------------------------------------------------------


def find_locality(session: Reader, name: str) -> tuple[uuid.UUID, str]:
    """The locality called ``name`` (any case, spaces trimmed): its id and stored name.

    Raises ``CoordinatorError`` naming the known localities when there is none.
    """
    wanted = " ".join((name or "").split()).casefold()
    known = session.execute(
        select(schema.localities.c.id, schema.localities.c.name).order_by(schema.localities.c.name)
    ).all()
    for locality_id, locality_name in known:
        if locality_name.casefold() == wanted:
            return locality_id, locality_name
    names = ", ".join(n for _, n in known)
    if not names:
        raise CoordinatorError(f"There is no locality called '{name}'; no localities are set up.")
    raise CoordinatorError(f"There is no locality called '{name}'; the localities are: {names}.")


def gather_return(
    session: Reader,
    locality_id: uuid.UUID,
    month: Month,
    *,
    prepared_by: str | None = None,
    app_version: str,
    generated_at: datetime | None = None,
    redact: Redact | None = None,
) -> ReturnContent:
    """Read everything a return holds for one locality and month, redacted, as plain values.

    ``redact`` stands in for the return's redactor (the privacy review's recorder); by default
    it is ``privacy.redactor_for(session)``."""
    locality_name = session.scalar(
        select(schema.localities.c.name).where(schema.localities.c.id == locality_id)
    )
    if locality_name is None:
        raise CoordinatorError("That locality no longer exists.")
    settings = session.execute(
        select(schema.trust_settings.c.trust_name, schema.trust_settings.c.coordinator_name).limit(
            1
        )
    ).first()
    trust, coordinator = (settings[0], settings[1]) if settings else ("", "")
    redactor = redact if redact is not None else redactor_for(session)
    tables = {
        MEETINGS_SHEET: meetings_rows(session, locality_id, month, redactor),
        ACTIONS_SHEET: actions_rows(session, locality_id, month, redactor),
        EXPERIENCE_SHEET: experience_rows(session, locality_id, month, redactor),
        ACCREDITATION_SHEET: accreditation_rows(session, locality_id, month),
        POLLS_SHEET: polls_rows(session, locality_id, month, redactor),
        REACH_SHEET: reach.return_rows(session, locality_id, month, redactor),
    }
    return ReturnContent(
        trust=trust,
        locality=locality_name,
        month=month,
        prepared_by=prepared_by if prepared_by is not None else coordinator,
        generated_at=generated_at or datetime.now().astimezone().replace(tzinfo=None),
        app_version=app_version,
        figures=month_figures(session, locality_id, month),
        tables=tables,
    )


def meetings_rows(
    session: Reader, locality_id: uuid.UUID, month: Month, redactor: Redact
) -> list[tuple[Any, ...]]:
    """One row per meeting dated in M that was held or cancelled. Attendance figures count held
    meetings only (as the Summary does), so a cancelled meeting shows zeros."""
    meetings = session.execute(
        select(
            schema.meetings.c.id,
            schema.meetings.c.meeting_date,
            schema.forums.c.name,
            schema.meetings.c.format,
            schema.meetings.c.status,
            schema.forums.c.id,
        )
        .join(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
        .where(
            schema.forums.c.locality_id == locality_id,
            or_(rules.held_in(month), rules.cancelled_in(month)),
        )
        .order_by(
            schema.meetings.c.meeting_date,
            schema.meetings.c.start_time,
            schema.forums.c.name,
            schema.meetings.c.reference,
        )
    ).all()
    if not meetings:
        return []
    ids = [m[0] for m in meetings]
    counts: dict[uuid.UUID, dict[Category, int]] = {
        i: dict.fromkeys(CATEGORY_ORDER, 0) for i in ids
    }
    named = session.execute(
        select(
            schema.attendances.c.meeting_id,
            schema.participants.c.category,
            func.count(schema.attendances.c.id),
        )
        .join(schema.meetings, schema.meetings.c.id == schema.attendances.c.meeting_id)
        .join(schema.participants, schema.participants.c.id == schema.attendances.c.participant_id)
        .where(schema.attendances.c.meeting_id.in_(ids), rules.attended_in(month))
        .group_by(schema.attendances.c.meeting_id, schema.participants.c.category)
    )
    unnamed = session.execute(
        select(
            schema.unnamed_attendances.c.meeting_id,
            schema.unnamed_attendances.c.category,
            func.sum(schema.unnamed_attendances.c.count),
        )
        .join(schema.meetings, schema.meetings.c.id == schema.unnamed_attendances.c.meeting_id)
        .where(schema.unnamed_attendances.c.meeting_id.in_(ids), rules.held_in(month))
        .group_by(schema.unnamed_attendances.c.meeting_id, schema.unnamed_attendances.c.category)
    )
    for meeting_id, category, count in [*named, *unnamed]:
        counts[meeting_id][Category(category)] += int(count or 0)
    raised: dict[Any, int] = dict(
        session.execute(
            select(schema.actions.c.meeting_id, func.count(schema.actions.c.id))
            .where(schema.actions.c.meeting_id.in_(ids))
            .group_by(schema.actions.c.meeting_id)
        ).all()
    )
    rows = []
    for meeting_id, on, forum, fmt, status, forum_id in meetings:
        by_category = counts[meeting_id]
        rows.append(
            (
                on,
                redactor(forum, forum_piece(forum_id, forum)),
                MeetingFormat(fmt).label,
                MeetingStatus(status).label,
                sum(by_category.values()),
                *(by_category[c] for c in CATEGORY_ORDER),
                int(raised.get(meeting_id, 0)),
            )
        )
    return rows


def forum_piece(forum_id: uuid.UUID, name: str) -> Piece:
    """A forum's name as a piece of text that leaves (the review shows it under the forum)."""
    return Piece("forums", "name", forum_id, f"Forum {name}", "Name")


def action_source(
    meeting_reference: str | None,
    forum: str | None,
    from_experience: bool,
    standard_code: str | None,
) -> str:
    """The Source column of the Actions sheet.

    An action raised at a meeting shows ``Meeting <reference>, <forum>`` (``Meeting RUG-2610,
    Rugby Locality Forum``), even when it also grew from an experience item heard there; else
    ``Experience item`` for one raised from an experience item, ``Standard check <code>`` for one
    raised from an accreditation check, and an empty cell when nothing is recorded.
    """
    if meeting_reference:
        return f"Meeting {meeting_reference}, {forum}" if forum else f"Meeting {meeting_reference}"
    if from_experience:
        return "Experience item"
    if standard_code:
        return f"Standard check {standard_code}"
    return ""


def actions_rows(
    session: Reader, locality_id: uuid.UUID, month: Month, redactor: Redact
) -> list[tuple[Any, ...]]:
    """Every action of the locality open at any time in M (raised before N, not closed before F)."""
    n = month.next_first
    found = session.execute(
        select(
            schema.actions.c.reference,
            schema.actions.c.raised_on,
            schema.meetings.c.reference,
            schema.forums.c.name,
            schema.actions.c.experience_item_id,
            schema.standards.c.code,
            schema.actions.c.title,
            schema.actions.c.level,
            schema.strategic_priorities.c.name,
            func.coalesce(schema.staff.c.name, schema.actions.c.owner),
            schema.actions.c.owner_staff_id,
            schema.actions.c.due_on,
            schema.actions.c.status,
            schema.actions.c.closed_on,
            schema.actions.c.outcome,
            schema.actions.c.id,
            schema.forums.c.id,
        )
        .select_from(schema.actions)
        .outerjoin(schema.meetings, schema.meetings.c.id == schema.actions.c.meeting_id)
        .outerjoin(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
        # An owner chosen from the staff list is that staff member: their name as the staff
        # list has it, never guessed at (docs/monthly-return.md, "What it holds").
        .outerjoin(schema.staff, schema.staff.c.id == schema.actions.c.owner_staff_id)
        .outerjoin(
            schema.standard_checks,
            schema.standard_checks.c.id == schema.actions.c.standard_check_id,
        )
        .outerjoin(schema.standards, schema.standards.c.id == schema.standard_checks.c.standard_id)
        .outerjoin(
            schema.strategic_priorities,
            schema.strategic_priorities.c.id == schema.actions.c.strategic_priority_id,
        )
        .where(schema.actions.c.locality_id == locality_id, rules.open_during(month))
        .order_by(schema.actions.c.raised_on, schema.actions.c.reference)
    ).all()
    rows = []
    for (
        reference,
        raised_on,
        meeting_reference,
        forum,
        experience_id,
        standard_code,
        title,
        level,
        priority,
        owner,
        owner_staff_id,
        due_on,
        status,
        closed_on,
        outcome,
        action_id,
        forum_id,
    ) in found:
        where = f"Action {reference}"
        rows.append(
            (
                reference,
                raised_on,
                redactor(
                    action_source(
                        meeting_reference, forum, experience_id is not None, standard_code
                    ),
                    forum_piece(forum_id, forum) if forum_id is not None else None,
                ),
                redactor(title or "", Piece("actions", "title", action_id, where, "Title")),
                ActionLevel(level).label,
                priority or "",
                redactor(
                    owner or "",
                    Piece(
                        "actions",
                        "owner",
                        action_id,
                        where,
                        "Owner",
                        names_expected=True,
                        staff_id=owner_staff_id,
                    ),
                ),
                due_on,
                ActionStatus(status).label,
                closed_on,
                rules.days_overdue(due_on, closed_on, raised_on, n),
                redactor(outcome or "", Piece("actions", "outcome", action_id, where, "Outcome")),
            )
        )
    return rows


def experience_rows(
    session: Reader, locality_id: uuid.UUID, month: Month, redactor: Redact
) -> list[tuple[Any, ...]]:
    """The locality's experience items dated in M; Forum is empty for one brought outside a
    meeting."""
    found = session.execute(
        select(
            schema.experience_items.c.received_on,
            schema.forums.c.name,
            schema.experience_items.c.kind,
            schema.experience_items.c.theme,
            schema.experience_items.c.service,
            schema.experience_items.c.summary,
            schema.experience_items.c.response,
            schema.experience_items.c.id,
            schema.forums.c.id,
        )
        .select_from(schema.experience_items)
        .outerjoin(schema.meetings, schema.meetings.c.id == schema.experience_items.c.meeting_id)
        .outerjoin(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
        .where(schema.experience_items.c.locality_id == locality_id, rules.received_in(month))
        .order_by(schema.experience_items.c.received_on, schema.experience_items.c.created_at)
    ).all()
    rows = []
    for on, forum, kind, theme, service, summary, response, item_id, forum_id in found:
        where = f"Experience item of {on:%d/%m/%Y}"

        def piece(
            column: str, field: str, item_id: uuid.UUID = item_id, where: str = where
        ) -> Piece:
            return Piece("experience_items", column, item_id, where, field)

        rows.append(
            (
                on,
                redactor(forum or "", forum_piece(forum_id, forum) if forum_id else None),
                ExperienceKind(kind).label,
                redactor(theme or "", piece("theme", "Theme")),
                redactor(service or "", piece("service", "Service or team")),
                redactor(summary or "", piece("summary", "Summary")),
                redactor(response or "", piece("response", "Response")),
            )
        )
    return rows


def accreditation_rows(
    session: Reader, locality_id: uuid.UUID, month: Month
) -> list[tuple[Any, ...]]:
    """The standards of the latest submitted assessment dated before N (none: no rows)."""
    rows = []
    for row in accreditation_result.accreditation_rows(session, locality_id, month.next_first):
        rating = row.rating
        rating_text = getattr(rating, "label", None) or str(rating or "")
        rows.append(
            (
                str(row.code),
                row.domain or "",
                row.standard or "",
                int(row.criticality),
                rating_text,
                row.assessed_on,
            )
        )
    return rows


def polls_rows(
    session: Reader, locality_id: uuid.UUID, month: Month, redactor: Redact
) -> list[tuple[Any, ...]]:
    """One row per answer of every quick poll at the locality's meetings held in M."""
    found = session.execute(
        select(
            schema.meetings.c.meeting_date,
            schema.forums.c.name,
            schema.polls.c.question,
            schema.poll_answers.c.answer,
            schema.poll_answers.c.count,
            schema.forums.c.id,
            schema.polls.c.id,
            schema.poll_answers.c.id,
            schema.meetings.c.reference,
        )
        .select_from(schema.polls)
        .join(schema.meetings, schema.meetings.c.id == schema.polls.c.meeting_id)
        .join(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
        .join(schema.poll_answers, schema.poll_answers.c.poll_id == schema.polls.c.id)
        .where(schema.forums.c.locality_id == locality_id, rules.held_in(month))
        .order_by(
            schema.meetings.c.meeting_date,
            schema.meetings.c.start_time,
            schema.forums.c.name,
            schema.polls.c.position,
            schema.polls.c.created_at,
            schema.poll_answers.c.position,
        )
    ).all()
    return [
        (
            on,
            redactor(forum, forum_piece(forum_id, forum)),
            redactor(
                question or "",
                Piece("polls", "question", poll_id, f"Quick poll at {reference}", "Question"),
            ),
            redactor(
                answer or "",
                Piece("poll_answers", "answer", answer_id, f"Quick poll at {reference}", "Answer"),
            ),
            int(count or 0),
        )
        for on, forum, question, answer, count, forum_id, poll_id, answer_id, reference in found
    ]


# --- Writing -------------------------------------------------------------------------------


def refuse_read_only(target: Path) -> None:
    """A target marked read-only is refused up front (also when running with admin rights, where
    the operating system would let the app replace it anyway)."""
    if target.exists() and (
        not os.access(target, os.W_OK) or not target.stat().st_mode & stat.S_IWUSR
    ):
        raise CoordinatorError(f"{target} is read-only, so it was left as it was.")


def export_return(
    db: Database,
    *,
    locality: str,
    month: Month,
    target: Path,
    prepared_by: str | None = None,
    app_version: str,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Path:
    """Write the monthly return of ``locality`` (its name, any case) for ``month`` to ``target``.

    Returns the path written. Raises ``CoordinatorError`` with one sentence for an unknown
    locality (naming the known ones), a read-only target or one open in another program (the old
    file is left intact), and ``ExportCancelled`` when ``cancelled()`` turns true (nothing is
    written). ``progress(done, total)`` is called as the work advances; neither callback may
    touch widgets.
    """
    target = Path(target).expanduser().resolve()
    total = len(SHEETS) + 3  # check target, gather, one per sheet, save
    step = _Stepper(total, progress, cancelled)
    refuse_read_only(target)
    step()
    with db.reading() as conn:  # Core only: the ORM is never loaded for a return
        locality_id, _ = find_locality(conn, locality)
        content = gather_return(
            conn, locality_id, month, prepared_by=prepared_by, app_version=app_version
        )
    step()

    def write(path: Path) -> None:
        workbook = build_workbook(content, step)
        workbook.save(path)
        step()

    return atomic_write(target, write)


class _Stepper:
    def __init__(self, total: int, progress: Progress | None, cancelled: Cancelled | None) -> None:
        self.total, self.done = total, 0
        self.progress, self.cancelled = progress, cancelled

    def __call__(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled()
        self.done = min(self.total, self.done + 1)
        if self.progress is not None:
            self.progress(self.done, self.total)


def build_workbook(content: ReturnContent, step: Callable[[], None] | None = None) -> Any:
    """The return as an openpyxl ``Workbook`` (normal mode: the sheets are small, and the
    Summary's charts need it)."""
    from openpyxl import Workbook

    tick = step or (lambda: None)
    place = f"{content.locality}, {month_name(content.month)}"
    workbook = Workbook()
    ws = workbook.active
    ws.title = RETURN_SHEET
    write_table(ws, HEADERS[RETURN_SHEET], content.return_rows())
    print_setup(ws, trust=content.trust, place=place, title=f"Monthly return: {RETURN_SHEET}")
    tick()

    ws = workbook.create_sheet(SUMMARY_SHEET)
    write_summary_sheet(ws, content.figures.rows())
    print_setup(ws, trust=content.trust, place=place, title=f"Monthly return: {SUMMARY_SHEET}")
    add_summary_charts(ws)
    tick()

    for sheet in TABLE_SHEETS:
        ws = workbook.create_sheet(sheet)
        write_table(ws, HEADERS[sheet], content.tables[sheet])
        print_setup(
            ws,
            trust=content.trust,
            place=place,
            title=f"Monthly return: {sheet}",
            title_columns="A:A",
        )
        tick()
    return workbook


def write_summary_sheet(ws: Any, rows: Sequence[tuple[str, Any]]) -> None:
    """The two-column Summary with money and percent formats (Decimal pounds become numbers)."""
    write_table(ws, HEADERS[SUMMARY_SHEET], [(label, _number(value)) for label, value in rows])
    for r, (label, _) in enumerate(rows, start=2):
        cell = ws.cell(row=r, column=2)
        if label in MONEY_MEASURES:
            cell.number_format = MONEY_FORMAT
        elif label in PERCENT_MEASURES:
            cell.number_format = PERCENT_FORMAT
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width or 0, 16)


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _summary_row(label: str) -> int:
    return SUMMARY_MEASURES.index(label) + 2


def add_summary_charts(ws: Any) -> None:
    """Native bar charts under the Summary table (beside it, a printed page cut them in two),
    values from zero: attendance by category, and actions raised / completed / open /
    overdue. They read the Summary's own cells."""
    from openpyxl.chart import BarChart, Reference

    first = _summary_row("Attendances - service users")
    last = _summary_row("Attendances - other")
    chart = BarChart()
    chart.type = "col"
    chart.title = "Attendances by category"
    chart.y_axis.title = "Attendances"
    chart.legend = None
    from_zero(chart)
    chart.add_data(Reference(ws, min_col=2, min_row=first, max_row=last), titles_from_data=False)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.width, chart.height = 16, 7.5
    below = len(SUMMARY_MEASURES) + 3  # under the table: a chart is never cut at a page edge
    ws.add_chart(chart, chart_page(ws, below))

    first = _summary_row("Actions raised")
    last = _summary_row("Actions overdue at month end")
    chart = BarChart()
    chart.type = "col"
    chart.title = "Actions"
    chart.y_axis.title = "Actions"
    chart.legend = None
    from_zero(chart)
    chart.add_data(Reference(ws, min_col=2, min_row=first, max_row=last), titles_from_data=False)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.width, chart.height = 16, 7.5
    ws.add_chart(chart, chart_page(ws, below + CHART_ROWS))
