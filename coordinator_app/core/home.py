"""What Home shows: the next meetings, overdue actions and actions due this week.

Monthly figures and accreditation come from ``figures.py`` and ``accreditation_result.py``; not
here. Everything is read with Core queries (``rows.py``), so Home shows before the ORM is loaded.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import ColumnElement, func, select

from . import rules, schema
from .db import Database
from .rows import ActionRow, MeetingRow, action_rows, meeting_rows
from .vocab import MeetingStatus

if TYPE_CHECKING:
    from .db import Reader

NEXT_MEETINGS = 5
DUE_SOON_DAYS = 7


class HomeSummary(NamedTuple):
    #: The next planned meetings from today on, soonest first.
    next_meetings: list[MeetingRow]
    #: Actions overdue today (``rules.overdue_today``), longest overdue first.
    overdue: list[ActionRow]
    #: Actions open and due from today to six days ahead (``rules.due_within``), soonest first.
    due_this_week: list[ActionRow]
    #: Totals, never cut: "open_actions", "overdue", "due_this_week", "planned_meetings"
    #: (planned from today on). The lists above stop at ``limit`` rows.
    counts: dict[str, int]
    #: The localities the summary covers (empty: every locality).
    locality_ids: list[uuid.UUID]


def home_localities(session: Reader) -> list[uuid.UUID]:
    """The localities Home covers by default: the coordinated ones, or [] (all) if none are."""
    return list(
        session.scalars(
            select(schema.localities.c.id)
            .where(schema.localities.c.coordinated.is_(True))
            .order_by(schema.localities.c.name)
        )
    )


def home_summary(
    db: Database,
    *,
    locality_ids: list[uuid.UUID] | None = None,
    today: date | None = None,
    limit: int = 50,
) -> HomeSummary:
    """Home's lists for ``locality_ids`` (None: the coordinated localities, or all when none is
    marked coordinated), read on one connection."""
    today = today or date.today()
    with db.reading() as conn:
        ids = home_localities(conn) if locality_ids is None else list(locality_ids)
        action_scope: list[ColumnElement[bool]] = []
        meeting_scope: list[ColumnElement[bool]] = []
        if ids:
            action_scope.append(schema.actions.c.locality_id.in_(ids))
            meeting_scope.append(schema.forums.c.locality_id.in_(ids))

        planned = (
            schema.meetings.c.status == MeetingStatus.PLANNED,
            schema.meetings.c.meeting_date >= today,
        )
        soonest: tuple[Any, ...] = (
            schema.meetings.c.meeting_date,
            schema.meetings.c.start_time,
            schema.meetings.c.reference,
        )
        next_meetings = meeting_rows(
            conn, *meeting_scope, *planned, order_by=soonest, limit=NEXT_MEETINGS
        )
        by_due = (schema.actions.c.due_on, schema.actions.c.raised_on, schema.actions.c.reference)
        overdue_rule = rules.overdue_today(today)
        due_rule = rules.due_within(today, DUE_SOON_DAYS)
        overdue = action_rows(
            conn, *action_scope, overdue_rule, today=today, order_by=by_due, limit=limit
        )
        due = action_rows(conn, *action_scope, due_rule, today=today, order_by=by_due, limit=limit)
        planned_count = conn.scalar(
            select(func.count())
            .select_from(schema.meetings)
            .join(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
            .where(*meeting_scope, *planned)
        )
        # Overdue and due this week are open now too: one pass over the open actions.
        open_actions, overdue_count, due_count = conn.execute(
            select(func.count(), rules.how_many(overdue_rule), rules.how_many(due_rule))
            .select_from(schema.actions)
            .where(*action_scope, rules.open_now(today))
        ).one()
        counts = {
            "open_actions": int(open_actions),
            "overdue": int(overdue_count),
            "due_this_week": int(due_count),
            "planned_meetings": int(planned_count or 0),
        }
        return HomeSummary(
            next_meetings=next_meetings,
            overdue=overdue,
            due_this_week=due,
            counts=counts,
            locality_ids=ids,
        )
