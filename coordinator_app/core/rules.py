"""The counting rules of docs/counting-rules.md, each in exactly one function.

Rules about rows are SQL expressions (so figures are computed by the database with its indexes,
and the UI, the return and the command line all share them); the accreditation result is a pure
function over tallies. A month M runs from its first day F to the first day N of the next month,
exclusive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select

from .schema import (
    actions,
    attendances,
    experience_items,
    improvement_projects,
    involvement_activities,
    meetings,
)
from .vocab import (
    CLOSED_STATUSES,
    ActionStatus,
    AttendanceStatus,
    MeetingStatus,
    ProjectStatus,
    Rating,
)

if TYPE_CHECKING:
    from .models import Action

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month: ``first`` (F) is its first day, ``next_first`` (N) the next month's."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9998:
            raise ValueError(f"{self.year}-{self.month:02d} is not a month")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``YYYY-MM``; raises ValueError with a sentence a user understands."""
        match = _MONTH_RE.match(text or "")
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"'{text}' is not a month; write it as YYYY-MM, e.g. 2026-10.")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first(self) -> date:
        return date(self.year + self.month // 12, self.month % 12 + 1, 1)

    @property
    def last(self) -> date:
        return self.next_first - timedelta(days=1)

    def previous(self) -> Month:
        return Month.of(self.first - timedelta(days=1))

    def following(self) -> Month:
        return Month.of(self.next_first)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def contains(self, day: date) -> bool:
        return self.first <= day < self.next_first


# --- Actions -------------------------------------------------------------------------------


def apply_action_status(action: Action, status: ActionStatus, on: date) -> None:
    """Set an action's status, keeping ``closed_on`` true to the rule.

    Closing (completed or cancelled) from an open state records ``on`` as the closed date;
    moving between the two closed states keeps the date it was first closed; reopening clears it.
    """
    status = ActionStatus(status)
    was_closed = action.status in CLOSED_STATUSES if action.status is not None else False
    if status in CLOSED_STATUSES:
        if not was_closed or action.closed_on is None:
            action.closed_on = on
    else:
        action.closed_on = None
    action.status = status


def open_at(n: date) -> ColumnElement[bool]:
    """Open at N: raised before N and not closed before N."""
    return and_(
        actions.c.raised_on < n, or_(actions.c.closed_on.is_(None), actions.c.closed_on >= n)
    )


def overdue_at(n: date) -> ColumnElement[bool]:
    """Overdue at N: open at N and due before N (an action with no due date is never overdue)."""
    return and_(open_at(n), actions.c.due_on.is_not(None), actions.c.due_on < n)


def how_many(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many of the rows read match ``condition`` (0 when none are read), so several
    figures come from one pass over the rows."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def overdue_today(today: date) -> ColumnElement[bool]:
    """The app's "overdue today": the rule at N = today, less actions already closed today."""
    return and_(overdue_at(today), actions.c.closed_on.is_(None))


def open_now(today: date) -> ColumnElement[bool]:
    """Open now: raised on or before today and not closed (open at the end of today)."""
    return and_(open_at(today + timedelta(days=1)), actions.c.closed_on.is_(None))


def due_within(today: date, days: int) -> ColumnElement[bool]:
    """Open now and due from today up to ``days`` days ahead (Home's "due this week")."""
    return and_(
        open_now(today), actions.c.due_on >= today, actions.c.due_on < today + timedelta(days)
    )


def raised_in(month: Month) -> ColumnElement[bool]:
    return and_(actions.c.raised_on >= month.first, actions.c.raised_on < month.next_first)


def completed_in(month: Month) -> ColumnElement[bool]:
    return and_(
        actions.c.status == ActionStatus.COMPLETED,
        actions.c.closed_on >= month.first,
        actions.c.closed_on < month.next_first,
    )


def open_during(month: Month) -> ColumnElement[bool]:
    """Open at any time in M: raised before N and not closed before F (the return's Actions)."""
    return and_(
        actions.c.raised_on < month.next_first,
        or_(actions.c.closed_on.is_(None), actions.c.closed_on >= month.first),
    )


def days_overdue(
    due_on: date | None, closed_on: date | None, raised_on: date, n: date
) -> int | None:
    """Whole days between ``due_on`` and N when the action is overdue at N, else None."""
    is_open = raised_on < n and (closed_on is None or closed_on >= n)
    if not is_open or due_on is None or due_on >= n:
        return None
    return (n - due_on).days


# --- Meetings and attendance ---------------------------------------------------------------


def dated_in(month: Month) -> ColumnElement[bool]:
    """A meeting whose date falls in M."""
    return and_(meetings.c.meeting_date >= month.first, meetings.c.meeting_date < month.next_first)


def held_in(month: Month) -> ColumnElement[bool]:
    """Meetings held in M: status held and start date in M."""
    return and_(meetings.c.status == MeetingStatus.HELD, dated_in(month))


def activity_dated_in(month: Month) -> ColumnElement[bool]:
    """An involvement activity other than a meeting whose date falls in M (its payments count
    in M's return as a held meeting's do)."""
    day = involvement_activities.c.activity_date
    return and_(day >= month.first, day < month.next_first)


def cancelled_in(month: Month) -> ColumnElement[bool]:
    return and_(meetings.c.status == MeetingStatus.CANCELLED, dated_in(month))


def attended_in(month: Month) -> ColumnElement[bool]:
    """Named attendances in M: a participant marked present at a meeting held in M.

    The caller joins ``Attendance`` to ``Meeting``. Apologies and absences never count, nor does
    anyone at a planned or cancelled meeting. Unnamed counts are added apart (by category).
    """
    return and_(attendances.c.status == AttendanceStatus.PRESENT, held_in(month))


def first_attended_in(month: Month, participant_id: ColumnElement[object]) -> ColumnElement[bool]:
    """New participant in M, used together with ``attended_in(month)``: the participant has no
    present attendance at a HELD meeting of ANY locality dated before F, so their first-ever
    present attendance falls in M. Planned and cancelled meetings, apologies and absences do not
    make anyone "not new".
    """
    earlier_attendance = attendances.alias()
    earlier_meeting = meetings.alias()
    earlier = (
        select(earlier_attendance.c.id)
        .join(earlier_meeting, earlier_meeting.c.id == earlier_attendance.c.meeting_id)
        .where(
            earlier_attendance.c.participant_id == participant_id,
            earlier_attendance.c.status == AttendanceStatus.PRESENT,
            earlier_meeting.c.status == MeetingStatus.HELD,
            earlier_meeting.c.meeting_date < month.first,
        )
    )
    return ~exists(earlier)


def received_in(month: Month) -> ColumnElement[bool]:
    """Experience items dated in M: ``F <= received_on < N``."""
    return and_(
        experience_items.c.received_on >= month.first,
        experience_items.c.received_on < month.next_first,
    )


def matters_arising_clause(forum_id: object, on: date) -> ColumnElement[bool]:
    """Matters arising at a meeting of ``forum_id`` on D: actions raised at the forum's earlier
    meetings that were open on D (raised before D and not closed before D)."""
    earlier = select(meetings.c.id).where(
        meetings.c.forum_id == forum_id, meetings.c.meeting_date < on
    )
    return and_(actions.c.meeting_id.in_(earlier.scalar_subquery()), open_at(on))


# --- Improvement projects ------------------------------------------------------------------


def project_active_in(month: Month) -> ColumnElement[bool]:
    """Active at any time in M: started before N and not completed (ended) before F."""
    return and_(
        improvement_projects.c.status != ProjectStatus.PROPOSED,
        improvement_projects.c.started_on.is_not(None),
        improvement_projects.c.started_on < month.next_first,
        or_(
            improvement_projects.c.ended_on.is_(None),
            improvement_projects.c.ended_on >= month.first,
        ),
    )


# --- Accreditation -------------------------------------------------------------------------


class AccreditationResult(StrEnum):
    ACCREDITED = "Accredited"
    DEFERRED = "Deferred"
    NOT_ACCREDITED = "Not accredited"
    INCOMPLETE = "Incomplete"
    NONE = "None"


DEFAULT_ACCREDITED = {1: 100.0, 2: 80.0, 3: 60.0}
DEFAULT_DEFERRED = {1: 90.0, 2: 70.0}


@dataclass(frozen=True)
class Thresholds:
    """Percent of each criticality that must be met; a framework may carry its own."""

    accredited: Mapping[int, float] = field(default_factory=lambda: dict(DEFAULT_ACCREDITED))
    deferred: Mapping[int, float] = field(default_factory=lambda: dict(DEFAULT_DEFERRED))

    @classmethod
    def for_framework(cls, c1: float | None, c2: float | None, c3: float | None) -> Thresholds:
        accredited = dict(DEFAULT_ACCREDITED)
        for level, value in ((1, c1), (2, c2), (3, c3)):
            if value is not None:
                accredited[level] = float(value)
        return cls(accredited=accredited)


class Tally(NamedTuple):
    """Counts for one criticality: met, rated and applicable, not yet rated."""

    met: int = 0
    rated: int = 0
    unrated: int = 0

    @property
    def percent(self) -> float | None:
        return None if self.rated == 0 else 100.0 * self.met / self.rated


def tally(ratings: Iterable[tuple[int, Rating]]) -> dict[int, Tally]:
    """Tally ``(criticality, rating)`` pairs: partly met counts as not met, not applicable is left
    out of both numerator and denominator, not yet rated is counted apart."""
    counts = {level: [0, 0, 0] for level in (1, 2, 3)}
    for criticality, rating in ratings:
        bucket = counts.setdefault(int(criticality), [0, 0, 0])
        rating = Rating(rating)
        if rating == Rating.NOT_YET_RATED:
            bucket[2] += 1
        elif rating != Rating.NOT_APPLICABLE:
            bucket[1] += 1
            if rating == Rating.MET:
                bucket[0] += 1
    return {level: Tally(*values) for level, values in counts.items()}


def _meets(t: Tally, threshold: float) -> bool:
    # No applicable standard of a criticality leaves nothing to fail at that level. Compare in
    # integers so that 4 of 5 is exactly 80%, never 79.999...
    return t.rated == 0 or t.met * 100 >= threshold * t.rated - 1e-9


def accreditation_result(
    tallies: Mapping[int, Tally], thresholds: Thresholds | None = None
) -> AccreditationResult:
    """The result of one assessment from its tallies by criticality
    (docs/counting-rules.md#accreditation)."""
    thresholds = thresholds or Thresholds()
    if any(t.unrated for t in tallies.values()):
        return AccreditationResult.INCOMPLETE
    empty = Tally()
    if all(_meets(tallies.get(level, empty), pct) for level, pct in thresholds.accredited.items()):
        return AccreditationResult.ACCREDITED
    if all(_meets(tallies.get(level, empty), pct) for level, pct in thresholds.deferred.items()):
        return AccreditationResult.DEFERRED
    return AccreditationResult.NOT_ACCREDITED


def standards_met_percent(tallies: Mapping[int, Tally]) -> float | None:
    """Met / (rated and applicable) over all criticalities, rounded to one decimal."""
    met = sum(t.met for t in tallies.values())
    rated = sum(t.rated for t in tallies.values())
    if rated == 0:
        return None
    # Half up, as Excel rounds (Python's round() goes to even: 1 of 16 would show 6.2, not 6.3).
    exact = Decimal(100 * met) / Decimal(rated)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
