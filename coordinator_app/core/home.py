"""What Home shows: the next meetings, overdue actions and actions due this week.

Monthly figures and accreditation come from ``figures.py`` and ``accreditation.py``; not here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from . import rules
from .db import Database
from .models import Action, Forum, Locality, Meeting
from .rows import ActionRow, MeetingRow, action_rows, meeting_rows
from .vocab import MeetingStatus

NEXT_MEETINGS = 5
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class HomeSummary:
    #: The next planned meetings from today on, soonest first.
    next_meetings: list[MeetingRow]
    #: Actions overdue today (``rules.overdue_today``), longest overdue first.
    overdue: list[ActionRow]
    #: Actions open and due from today to six days ahead (``rules.due_within``), soonest first.
    due_this_week: list[ActionRow]
    #: Totals, never cut: "open_actions", "overdue", "due_this_week", "planned_meetings"
    #: (planned from today on). The lists above stop at ``limit`` rows.
    counts: dict[str, int] = field(default_factory=dict)
    #: The localities the summary covers (empty: every locality).
    locality_ids: list[uuid.UUID] = field(default_factory=list)


def home_localities(session: Session) -> list[uuid.UUID]:
    """The localities Home covers by default: the coordinated ones, or [] (all) if none are."""
    return list(
        session.scalars(
            select(Locality.id).where(Locality.coordinated.is_(True)).order_by(Locality.name)
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
    marked coordinated), read in one session."""
    today = today or date.today()
    with db.session() as session:
        ids = home_localities(session) if locality_ids is None else list(locality_ids)
        action_scope: list[ColumnElement[bool]] = []
        meeting_scope: list[ColumnElement[bool]] = []
        if ids:
            action_scope.append(Action.locality_id.in_(ids))
            meeting_scope.append(Forum.locality_id.in_(ids))

        def count_actions(*where: ColumnElement[bool]) -> int:
            return int(session.scalar(select(func.count()).select_from(Action).where(*where)) or 0)

        planned = (Meeting.status == MeetingStatus.PLANNED, Meeting.meeting_date >= today)
        soonest: tuple[Any, ...] = (
            Meeting.meeting_date,
            Meeting.start_time,
            Meeting.reference,
        )
        next_meetings = meeting_rows(
            session, *meeting_scope, *planned, order_by=soonest, limit=NEXT_MEETINGS
        )
        by_due = (Action.due_on, Action.raised_on, Action.reference)
        overdue_rule = rules.overdue_today(today)
        due_rule = rules.due_within(today, DUE_SOON_DAYS)
        overdue = action_rows(
            session, *action_scope, overdue_rule, today=today, order_by=by_due, limit=limit
        )
        due = action_rows(
            session, *action_scope, due_rule, today=today, order_by=by_due, limit=limit
        )
        planned_count = session.scalar(
            select(func.count())
            .select_from(Meeting)
            .join(Forum, Forum.id == Meeting.forum_id)
            .where(*meeting_scope, *planned)
        )
        counts = {
            "open_actions": count_actions(*action_scope, rules.open_now(today)),
            "overdue": count_actions(*action_scope, overdue_rule),
            "due_this_week": count_actions(*action_scope, due_rule),
            "planned_meetings": int(planned_count or 0),
        }
        return HomeSummary(
            next_meetings=next_meetings,
            overdue=overdue,
            due_this_week=due,
            counts=counts,
            locality_ids=ids,
        )
