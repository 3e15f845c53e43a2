"""A claim's life and what waits to be paid (issue #28; docs/counting-rules.md).

A payment is **offered**, then **claimed** (the day the person claimed: ``claimed_on``), then
**paid** (``paid_on``), or **declined**. The stage is not stored apart: offered with a claim
date is "claimed" (``stage``), so a copy of the app that knows only offered / declined / paid
still reads every payment rightly. Days waiting are counted from the claim to the payment (or
to today while unpaid).

Every payment, for a meeting or another activity, has one **work date** (the meeting's date or
the activity's) and one **locality** (the meeting's forum's or the activity's): ``WORK_DATE``
and ``WORK_LOCALITY`` over ``paid_join``.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Select, func, select
from sqlalchemy.sql.expression import ColumnElement

from .. import audit, fields, schema
from ..db import Database
from ..errors import NotFoundError, ValidationError
from ..vocab import ActivityKind, AuditOperation, PaymentStatus, Vocabulary

# Home reads ``claims_waiting``: this module selects from the Core tables only, never loading
# the ORM before Home is shown (tests/cli/test_without_orm.py); ``record_claim`` loads it.

P = schema.involvement_payments
M = schema.meetings
F = schema.forums
A = schema.involvement_activities

#: The day the work was done: the meeting's date, or the activity's.
WORK_DATE: ColumnElement[Any] = func.coalesce(M.c.meeting_date, A.c.activity_date)
#: Whose payment it is: the meeting's forum's locality, or the activity's.
WORK_LOCALITY: ColumnElement[Any] = func.coalesce(F.c.locality_id, A.c.locality_id)


def with_occasion(query: Select[Any]) -> Select[Any]:
    """``query`` over payments, joined (outer) to their meeting and forum or their activity, so
    that ``WORK_DATE`` and ``WORK_LOCALITY`` can be used."""
    return (
        query.outerjoin(M, M.c.id == P.c.meeting_id)
        .outerjoin(F, F.c.id == M.c.forum_id)
        .outerjoin(A, A.c.id == P.c.activity_id)
    )


class ClaimStage(Vocabulary):
    OFFERED = "offered"
    CLAIMED = "claimed"
    PAID = "paid"
    DECLINED = "declined"


def stage(status: PaymentStatus | str, claimed_on: date | None) -> ClaimStage:
    """Where a payment is in its life: offered with a claim date is claimed."""
    status = PaymentStatus(status)
    if status == PaymentStatus.OFFERED:
        return ClaimStage.CLAIMED if claimed_on is not None else ClaimStage.OFFERED
    return ClaimStage(status.value)


def days_waiting(claimed_on: date | None, paid_on: date | None, today: date) -> int | None:
    """Whole days from the claim to the payment, or to ``today`` while unpaid; None unclaimed."""
    if claimed_on is None:
        return None
    return max(0, ((paid_on or today) - claimed_on).days)


def record_claim(db: Database, payment_id: uuid.UUID, claimed_on: date | None) -> None:
    """Record the day the person claimed (None: not claimed yet). A declined payment is not
    claimed; a claim cannot be dated after the payment. One transaction, audited."""
    problems: dict[str, str] = {}
    fields.check_dates(problems, claimed_on=claimed_on)
    if problems:
        raise ValidationError(problems)
    from ..models import InvolvementPayment

    with db.transaction() as session:
        row = session.get(InvolvementPayment, payment_id)
        if row is None:
            raise NotFoundError("That payment is no longer in the database.")
        if claimed_on is not None and row.status == PaymentStatus.DECLINED:
            raise ValidationError({"claimed_on": "A declined payment cannot be claimed."})
        _check_dates_of(session, row, claimed_on)
        row.claimed_on = claimed_on
        session.flush()
        audit.record(
            session,
            AuditOperation.UPDATE,
            "involvement_payment",
            row.id,
            "Involvement payment claimed" if claimed_on else "Involvement payment claim cleared",
        )


def _check_dates_of(session: Any, row: Any, claimed_on: date | None) -> None:
    """The payment's claim against the work it is for and the day it was paid (the one rule,
    ``activities.check_claim_dates``)."""
    from ..models import InvolvementActivity, Meeting
    from .activities import check_claim_dates

    worked_on, work = None, "meeting"
    if row.meeting_id is not None:
        meeting = session.get(Meeting, row.meeting_id)
        worked_on = meeting.meeting_date if meeting is not None else None
    elif row.activity_id is not None:
        activity = session.get(InvolvementActivity, row.activity_id)
        worked_on, work = (activity.activity_date if activity is not None else None), "activity"
    problems: dict[str, str] = {}
    check_claim_dates(
        problems, worked_on=worked_on, claimed_on=claimed_on, paid_on=row.paid_on, work=work
    )
    if problems:
        raise ValidationError(problems)


class WaitingClaim(NamedTuple):
    """A payment claimed and not yet paid, for Home's list (personal data: stays in the app)."""

    payment_id: uuid.UUID
    participant_id: uuid.UUID
    name: str
    occasion: str
    work_date: date
    claimed_on: date
    days_waiting: int
    amount_pence: int
    expenses_pence: int
    #: The meeting it is for (None: another involvement activity, ``activity_id``).
    meeting_id: uuid.UUID | None = None
    activity_id: uuid.UUID | None = None


#: Keys looked up in one statement (well below SQLite's and PostgreSQL's limits on parameters).
_KEYS_PER_READ = 500


def claims_waiting(
    db: Database,
    today: date,
    *,
    locality_ids: list[uuid.UUID] | None = None,
    limit_days: int | None = None,
) -> list[WaitingClaim]:
    """Payments claimed and unpaid for more than ``limit_days`` days (the trust's limit from
    the settings when None, 30 by default) on ``today``, longest waiting first. Declined and
    paid ones never appear; nor does an offer never claimed.

    Two reads, so that neither grows with the payments ever made: the trust's waiting claims
    from their partial index (migration 0011), then their people and occasions, each looked up
    by its key. In one statement PostgreSQL expected hundreds of waiting claims where there
    were 32 and read every meeting of the trust to join them (1.2 ms at the large demo, 9 ms at
    four times it)."""
    with db.reading() as conn:
        if limit_days is None:
            limit_days = unpaid_limit_days(conn)
        waiting = conn.scalars(
            select(P.c.id).where(
                P.c.status == PaymentStatus.OFFERED,
                P.c.claimed_on.is_not(None),
                P.c.claimed_on < date.fromordinal(today.toordinal() - limit_days),
            )
        ).all()
        rows: list[Any] = []
        for start in range(0, len(waiting), _KEYS_PER_READ):
            query = with_occasion(
                select(
                    P.c.id,
                    P.c.participant_id,
                    schema.participants.c.name,
                    M.c.reference,
                    A.c.kind,
                    A.c.title,
                    WORK_DATE.label("work_date"),
                    P.c.claimed_on,
                    P.c.amount_pence,
                    P.c.expenses_pence,
                    P.c.meeting_id,
                    P.c.activity_id,
                ).join(schema.participants, schema.participants.c.id == P.c.participant_id)
            ).where(P.c.id.in_(waiting[start : start + _KEYS_PER_READ]))
            if locality_ids is not None:
                query = query.where(WORK_LOCALITY.in_(locality_ids))
            rows.extend(conn.execute(query))
    rows.sort(key=lambda r: (r.claimed_on, r.name))
    return [
        WaitingClaim(
            r.id,
            r.participant_id,
            r.name,
            occasion_label(r.reference, r.kind, r.title),
            r.work_date,
            r.claimed_on,
            (today - r.claimed_on).days,
            r.amount_pence,
            r.expenses_pence,
            r.meeting_id,
            r.activity_id,
        )
        for r in rows
    ]


def occasion_label(reference: str | None, kind: str | None, title: str | None) -> str:
    """What a payment is for, as a person reads it: "Meeting RUG-2610", "Interview panel:
    ward manager"."""
    if reference:
        return f"Meeting {reference}"
    label = ActivityKind(kind).label if kind else "Activity"
    return f"{label}: {title}" if title else label


def unpaid_limit_days(conn: Any) -> int:
    """The trust's limit for a claim waiting unpaid (30 days when nothing is set)."""
    days = conn.scalar(select(schema.trust_settings.c.unpaid_limit_days).limit(1))
    return 30 if days is None else int(days)
