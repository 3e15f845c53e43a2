"""A locality's figures for a month: the monthly return's Summary (docs/monthly-return.md#summary).

Every figure is an aggregate query built from the rules of ``rules.py`` (never a Python loop over
rows), so the return, the Home screen and the charts agree and stay fast with years of data.
Counts are over the locality's own forums and meetings (actions, experience items and projects
by their locality). The one exception is "new participants": whether someone attended before is
asked of every HELD meeting of ANY locality; planned and cancelled meetings, apologies and
absences do not count as a first attendance.

Money is kept in whole pence; the GBP figures are ``Decimal`` pounds with two places.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import case, distinct, func, select

from . import rules, schema
from .accreditation_result import locality_result
from .rules import Month
from .vocab import Category, PaymentStatus

if TYPE_CHECKING:
    from .db import Reader

#: The Summary rows (docs/monthly-return.md#summary), in order and in the exact wording.
SUMMARY_MEASURES: tuple[str, ...] = (
    "Meetings held",
    "Meetings cancelled",
    "Attendances",
    "Attendances - service users",
    "Attendances - carers",
    "Attendances - representatives",
    "Attendances - staff",
    "Attendances - partner organisations",
    "Attendances - other",
    "Distinct named participants",
    "New participants",
    "Experience items",
    "Actions raised",
    "Actions completed",
    "Actions open at month end",
    "Actions overdue at month end",
    "Involvement payments",
    "Involvement payments (GBP)",
    "Expenses (GBP)",
    "Improvement projects active",
    "People involved in improvement projects",
    "Accreditation result",
    "Standards met (%)",
)

#: Category order of the Summary's attendance rows and of the Meetings sheet's columns.
CATEGORY_ORDER: tuple[Category, ...] = (
    Category.SERVICE_USER,
    Category.CARER,
    Category.REPRESENTATIVE,
    Category.STAFF,
    Category.PARTNER,
    Category.OTHER,
)

_PENNY = Decimal("0.01")


def pounds(pence: int | None) -> Decimal:
    """Whole pence as pounds with two decimals (``1234`` -> ``Decimal("12.34")``)."""
    return (Decimal(int(pence or 0)) / 100).quantize(_PENNY)


class MonthFigures(NamedTuple):
    """Every Summary measure of the return, in order (``rows()`` pairs them with their labels)."""

    meetings_held: int
    meetings_cancelled: int
    attendances: int
    attendances_service_users: int
    attendances_carers: int
    attendances_representatives: int
    attendances_staff: int
    attendances_partners: int
    attendances_other: int
    distinct_participants: int
    new_participants: int
    experience_items: int
    actions_raised: int
    actions_completed: int
    actions_open: int
    actions_overdue: int
    payments: int
    payments_gbp: Decimal
    expenses_gbp: Decimal
    projects_active: int
    project_people: int
    accreditation_result: str
    standards_met_percent: float | None

    def rows(self) -> list[tuple[str, Any]]:
        """``(label, value)`` in exactly the Summary order and wording of ``SUMMARY_MEASURES``."""
        return list(zip(SUMMARY_MEASURES, self, strict=True))

    def attendances_by_category(self) -> dict[Category, int]:
        return dict(
            zip(
                CATEGORY_ORDER,
                (
                    self.attendances_service_users,
                    self.attendances_carers,
                    self.attendances_representatives,
                    self.attendances_staff,
                    self.attendances_partners,
                    self.attendances_other,
                ),
                strict=True,
            )
        )


assert len(MonthFigures._fields) == len(SUMMARY_MEASURES)


def attendances_by_category(
    session: Reader, locality_id: uuid.UUID, month: Month
) -> dict[Category, int]:
    """Attendances in M by category: named participants present at the locality's meetings held
    in M, plus the unnamed counts of those meetings."""
    counts = dict.fromkeys(CATEGORY_ORDER, 0)
    named = session.execute(
        select(schema.participants.c.category, func.count(schema.attendances.c.id))
        .select_from(schema.attendances)
        .join(schema.meetings, schema.meetings.c.id == schema.attendances.c.meeting_id)
        .join(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
        .join(schema.participants, schema.participants.c.id == schema.attendances.c.participant_id)
        .where(schema.forums.c.locality_id == locality_id, rules.attended_in(month))
        .group_by(schema.participants.c.category)
    )
    unnamed = session.execute(
        select(
            schema.unnamed_attendances.c.category,
            func.coalesce(func.sum(schema.unnamed_attendances.c.count), 0),
        )
        .join(schema.meetings, schema.meetings.c.id == schema.unnamed_attendances.c.meeting_id)
        .join(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
        .where(schema.forums.c.locality_id == locality_id, rules.held_in(month))
        .group_by(schema.unnamed_attendances.c.category)
    )
    for category, count in [*named, *unnamed]:
        counts[Category(category)] += int(count or 0)
    return counts


class ActivityFigures(NamedTuple):
    """The month's activity: the part of ``MonthFigures`` Home shows (meetings, attendance,
    experience, actions), without payments, projects and the accreditation result."""

    meetings_held: int
    meetings_cancelled: int
    attendances_by_category: dict[Category, int]
    distinct_participants: int
    new_participants: int
    experience_items: int
    actions_raised: int
    actions_completed: int
    actions_open: int
    actions_overdue: int

    @property
    def attendances(self) -> int:
        return sum(self.attendances_by_category.values())


def activity_figures(session: Reader, locality_id: uuid.UUID, month: Month) -> ActivityFigures:
    """The activity figures of the locality for month M (docs/counting-rules.md); ``month_figures``
    adds the rest of the Summary to these, so Home and the return always agree."""
    in_locality = schema.forums.c.locality_id == locality_id
    n = month.next_first

    held, cancelled = session.execute(
        select(
            rules.how_many(rules.held_in(month)),
            rules.how_many(rules.cancelled_in(month)),
        )
        .select_from(schema.meetings)
        .join(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
        .where(in_locality, rules.dated_in(month))
    ).one()

    by_category = attendances_by_category(session, locality_id, month)

    distinct_participants = session.scalar(
        select(func.count(distinct(schema.attendances.c.participant_id)))
        .join(schema.meetings, schema.meetings.c.id == schema.attendances.c.meeting_id)
        .join(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
        .where(in_locality, rules.attended_in(month))
    )
    new_participants = session.scalar(
        select(func.count(distinct(schema.attendances.c.participant_id)))
        .join(schema.meetings, schema.meetings.c.id == schema.attendances.c.meeting_id)
        .join(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
        .where(
            in_locality,
            rules.attended_in(month),
            rules.first_attended_in(month, schema.attendances.c.participant_id),
        )
    )

    experience_items = session.scalar(
        select(func.count(schema.experience_items.c.id)).where(
            schema.experience_items.c.locality_id == locality_id, rules.received_in(month)
        )
    )

    raised, completed, open_, overdue = session.execute(
        select(
            rules.how_many(rules.raised_in(month)),
            rules.how_many(rules.completed_in(month)),
            rules.how_many(rules.open_at(n)),
            rules.how_many(rules.overdue_at(n)),
        ).where(schema.actions.c.locality_id == locality_id, schema.actions.c.raised_on < n)
    ).one()

    return ActivityFigures(
        meetings_held=int(held),
        meetings_cancelled=int(cancelled),
        attendances_by_category=by_category,
        distinct_participants=int(distinct_participants or 0),
        new_participants=int(new_participants or 0),
        experience_items=int(experience_items or 0),
        actions_raised=int(raised),
        actions_completed=int(completed),
        actions_open=int(open_),
        actions_overdue=int(overdue),
    )


def month_figures(session: Reader, locality_id: uuid.UUID, month: Month) -> MonthFigures:
    """The Summary figures of the locality for month M (docs/monthly-return.md#summary)."""
    in_locality = schema.forums.c.locality_id == locality_id
    activity = activity_figures(session, locality_id, month)
    by_category = activity.attendances_by_category

    paid = schema.involvement_payments
    sums = (
        func.count(paid.c.id),
        func.coalesce(func.sum(paid.c.amount_pence), 0),
        func.coalesce(func.sum(paid.c.expenses_pence), 0),
    )
    # Paid payments for the locality's meetings held in M, plus paid payments for its other
    # involvement activities dated in M (docs/counting-rules.md#involvement-payments).
    at_meetings = session.execute(
        select(*sums)
        .join(schema.meetings, schema.meetings.c.id == paid.c.meeting_id)
        .join(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
        .where(in_locality, rules.held_in(month), paid.c.status == PaymentStatus.PAID)
    ).one()
    activities = schema.involvement_activities
    at_activities = session.execute(
        select(*sums)
        .join(activities, activities.c.id == paid.c.activity_id)
        .where(
            activities.c.locality_id == locality_id,
            rules.activity_dated_in(month),
            paid.c.status == PaymentStatus.PAID,
        )
    ).one()
    payments, amount_pence, expenses_pence = (
        int(a or 0) + int(b or 0) for a, b in zip(at_meetings, at_activities, strict=True)
    )

    active_projects = select(schema.improvement_projects.c.id).where(
        schema.improvement_projects.c.locality_id == locality_id, rules.project_active_in(month)
    )
    projects_active = session.scalar(select(func.count()).select_from(active_projects.subquery()))
    project_people = session.scalar(
        select(func.count(distinct(schema.project_participants.c.participant_id))).where(
            schema.project_participants.c.project_id.in_(active_projects.scalar_subquery())
        )
    )

    result, met_percent = accreditation_for(session, locality_id, month)

    return MonthFigures(
        meetings_held=activity.meetings_held,
        meetings_cancelled=activity.meetings_cancelled,
        attendances=activity.attendances,
        attendances_service_users=by_category[Category.SERVICE_USER],
        attendances_carers=by_category[Category.CARER],
        attendances_representatives=by_category[Category.REPRESENTATIVE],
        attendances_staff=by_category[Category.STAFF],
        attendances_partners=by_category[Category.PARTNER],
        attendances_other=by_category[Category.OTHER],
        distinct_participants=activity.distinct_participants,
        new_participants=activity.new_participants,
        experience_items=activity.experience_items,
        actions_raised=activity.actions_raised,
        actions_completed=activity.actions_completed,
        actions_open=activity.actions_open,
        actions_overdue=activity.actions_overdue,
        payments=int(payments or 0),
        payments_gbp=pounds(amount_pence),
        expenses_gbp=pounds(expenses_pence),
        projects_active=int(projects_active or 0),
        project_people=int(project_people or 0),
        accreditation_result=result,
        standards_met_percent=met_percent,
    )


def accreditation_for(
    session: Reader, locality_id: uuid.UUID, month: Month
) -> tuple[str, float | None]:
    """Result and standards met (%) of the latest submitted assessment dated before N; ``("None",
    None)`` when there is none. The selection and tally live in
    ``accreditation_result.py``."""
    found = locality_result(session, locality_id, month.next_first)
    if found is None or found.result is None:
        return str(rules.AccreditationResult.NONE), None
    result = str(found.result)
    if result == str(rules.AccreditationResult.NONE):
        return result, None
    percent = found.met_percent
    return result, None if percent is None else float(percent)


# --- Month-by-month series for charts ------------------------------------------------------


class MonthlySeries(NamedTuple):
    """Figures per month, oldest first, for charts: one value per entry of ``months``."""

    months: tuple[Month, ...]
    attendances: dict[Category, tuple[int, ...]]
    actions_raised: tuple[int, ...]
    actions_completed: tuple[int, ...]
    actions_open: tuple[int, ...]
    actions_overdue: tuple[int, ...]

    def attendances_total(self) -> tuple[int, ...]:
        return (
            tuple(sum(values) for values in zip(*self.attendances.values(), strict=True))
            if self.attendances
            else tuple(0 for _ in self.months)
        )


def monthly_series(
    session: Reader, locality_id: uuid.UUID, last: Month, months: int = 12
) -> MonthlySeries:
    """The ``months`` months ending with ``last``: attendances by category and actions raised,
    completed, open and overdue at each month end.

    Three queries whatever the span: each month's figure is a ``SUM(CASE WHEN rule ...)`` column
    built from the same rules as ``month_figures``, so the chart and the return always agree.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    span: list[Month] = [last]
    while len(span) < months:
        span.append(span[-1].previous())
    span.reverse()
    first, end = span[0].first, span[-1].next_first

    def per_month(rule: Any) -> list[Any]:
        return [rules.how_many(rule(m)) for m in span]

    named = session.execute(
        select(schema.participants.c.category, *per_month(rules.attended_in))
        .select_from(schema.attendances)
        .join(schema.meetings, schema.meetings.c.id == schema.attendances.c.meeting_id)
        .join(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
        .join(schema.participants, schema.participants.c.id == schema.attendances.c.participant_id)
        .where(
            schema.forums.c.locality_id == locality_id,
            schema.meetings.c.meeting_date >= first,
            schema.meetings.c.meeting_date < end,
        )
        .group_by(schema.participants.c.category)
    ).all()
    unnamed = session.execute(
        select(
            schema.unnamed_attendances.c.category,
            *[
                func.coalesce(
                    func.sum(case((rules.held_in(m), schema.unnamed_attendances.c.count), else_=0)),
                    0,
                )
                for m in span
            ],
        )
        .join(schema.meetings, schema.meetings.c.id == schema.unnamed_attendances.c.meeting_id)
        .join(schema.forums, schema.forums.c.id == schema.meetings.c.forum_id)
        .where(
            schema.forums.c.locality_id == locality_id,
            schema.meetings.c.meeting_date >= first,
            schema.meetings.c.meeting_date < end,
        )
        .group_by(schema.unnamed_attendances.c.category)
    ).all()
    attendances = {category: [0] * len(span) for category in CATEGORY_ORDER}
    for row in [*named, *unnamed]:
        values = attendances[Category(row[0])]
        for i, value in enumerate(row[1:]):
            values[i] += int(value or 0)

    action_columns = [
        *per_month(rules.raised_in),
        *per_month(rules.completed_in),
        *[rules.how_many(rules.open_at(m.next_first)) for m in span],
        *[rules.how_many(rules.overdue_at(m.next_first)) for m in span],
    ]
    row = session.execute(
        select(*action_columns).where(
            schema.actions.c.locality_id == locality_id, schema.actions.c.raised_on < end
        )
    ).one()
    values = [int(v or 0) for v in row]
    k = len(span)
    return MonthlySeries(
        months=tuple(span),
        attendances={c: tuple(v) for c, v in attendances.items()},
        actions_raised=tuple(values[0:k]),
        actions_completed=tuple(values[k : 2 * k]),
        actions_open=tuple(values[2 * k : 3 * k]),
        actions_overdue=tuple(values[3 * k : 4 * k]),
    )
