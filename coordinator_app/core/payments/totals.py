"""A person's running totals and the trust's threshold (issue #28).

Payments can affect benefits, so for each person the app keeps running totals of what they are
paid per week (Monday to Sunday), calendar month and tax year (6 April to 5 April), and warns
before a payment takes them over the threshold the trust sets for one of those periods (e.g. a
permitted-work earnings limit; none by default). A total is the amounts (not expenses, which
repay costs) of the person's payments that are not declined, by the day the work was done (the
meeting's or the activity's date); vouchers count as money.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from .. import audit, fields
from ..db import Database
from ..errors import ValidationError
from ..models import Participant
from ..settings import settings_row
from ..vocab import AuditOperation, PaymentStatus, ThresholdPeriod
from .claims import WORK_DATE, P, with_occasion
from .rates import check_pence


def period_of(day: date, period: ThresholdPeriod) -> tuple[date, date]:
    """The period holding ``day``: its first day and the first day after it."""
    if period == ThresholdPeriod.WEEK:
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=7)
    if period == ThresholdPeriod.MONTH:
        first = day.replace(day=1)
        after = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return first, after
    start_year = day.year if day >= date(day.year, 4, 6) else day.year - 1
    return date(start_year, 4, 6), date(start_year + 1, 4, 6)


@dataclass(frozen=True)
class RunningTotals:
    """Pence paid or to be paid to one person in the week, month and tax year of ``day``."""

    day: date
    week_pence: int
    month_pence: int
    tax_year_pence: int

    def of(self, period: ThresholdPeriod) -> int:
        return {
            ThresholdPeriod.WEEK: self.week_pence,
            ThresholdPeriod.MONTH: self.month_pence,
            ThresholdPeriod.TAX_YEAR: self.tax_year_pence,
        }[period]


def running_totals(
    db: Database, participant_id: uuid.UUID, day: date, *, leave_out: uuid.UUID | None = None
) -> RunningTotals:
    """The person's totals for the periods holding ``day`` (``leave_out``: a payment being
    changed, so its old amount is not counted twice)."""
    with db.session() as session:
        totals = []
        for period in ThresholdPeriod:
            first, after = period_of(day, ThresholdPeriod(period))
            query = with_occasion(select(func.coalesce(func.sum(P.c.amount_pence), 0))).where(
                P.c.participant_id == participant_id,
                P.c.status != PaymentStatus.DECLINED,
                first <= WORK_DATE,
                after > WORK_DATE,
            )
            if leave_out is not None:
                query = query.where(P.c.id != leave_out)
            totals.append(int(session.scalar(query) or 0))
    return RunningTotals(day, *totals)


def threshold_warning(
    db: Database,
    participant_id: uuid.UUID,
    day: date,
    amount_pence: int,
    *,
    leave_out: uuid.UUID | None = None,
) -> str | None:
    """One sentence when paying ``amount_pence`` more for work on ``day`` would take the person
    over the trust's threshold for its period; None otherwise (or when there is none). Asked
    *before* the payment is recorded, so the coordinator can talk it through with them."""
    with db.session() as session:
        settings = settings_row(session)
        threshold = settings.payment_threshold_pence
        period = ThresholdPeriod(settings.payment_threshold_period)
    if threshold is None:
        return None
    total = running_totals(db, participant_id, day, leave_out=leave_out).of(period)
    if total + amount_pence <= threshold:
        return None
    return (
        f"This payment takes them to £{(total + amount_pence) / 100:,.2f} this "
        f"{period.label.lower()}, over the trust's threshold of £{threshold / 100:,.2f}; "
        "payments can affect benefits, so check with them first."
    )


@dataclass(frozen=True)
class Benefits:
    """A person's answers about payments and benefits."""

    benefits_advice_on: date | None = None
    wants_vouchers: bool = False
    wants_no_payment: bool = False


def benefit_values(benefits: Benefits | None, problems: dict[str, str]) -> dict[str, object]:
    """The participant columns for ``benefits`` (none when None), each problem noted at its
    field: advice offered on a date in the future, or vouchers and no payment both asked."""
    if benefits is None:
        return {}
    fields.check_dates(problems, benefits_advice_on=benefits.benefits_advice_on)
    if benefits.benefits_advice_on is not None and benefits.benefits_advice_on > date.today():
        problems.setdefault(
            "benefits_advice_on", "Benefits advice cannot be offered in the future."
        )
    if benefits.wants_vouchers and benefits.wants_no_payment:
        problems["wants_no_payment"] = "Choose vouchers or no payment, not both."
    return {
        "benefits_advice_on": benefits.benefits_advice_on,
        "wants_vouchers": bool(benefits.wants_vouchers),
        "wants_no_payment": bool(benefits.wants_no_payment),
    }


def benefits_of(db: Database, participant_id: uuid.UUID) -> Benefits:
    with db.session() as session:
        person = session.get(Participant, participant_id)
        if person is None:
            return Benefits()
        return Benefits(person.benefits_advice_on, person.wants_vouchers, person.wants_no_payment)


def set_benefits(
    db: Database,
    participant_id: uuid.UUID,
    *,
    benefits_advice_on: date | None,
    wants_vouchers: bool,
    wants_no_payment: bool,
) -> None:
    """Record when benefits advice was offered and whether they asked for vouchers or to be
    paid nothing. One transaction, audited (no values in the audit: they are personal). The
    participant dialog saves the same answers with the rest (``people.ParticipantInput``)."""
    problems: dict[str, str] = {}
    values = benefit_values(
        Benefits(benefits_advice_on, wants_vouchers, wants_no_payment), problems
    )
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        from ..meetings.common import _participant

        person: Participant = _participant(session, participant_id)
        for key, value in values.items():
            setattr(person, key, value)
        session.flush()
        audit.record(
            session,
            AuditOperation.UPDATE,
            "participant",
            participant_id,
            "Payments and benefits answers changed",
        )


@dataclass(frozen=True)
class PaymentSettings:
    threshold_pence: int | None
    threshold_period: ThresholdPeriod
    unpaid_limit_days: int


def payment_settings(db: Database) -> PaymentSettings:
    with db.session() as session:
        row = settings_row(session)
        return PaymentSettings(
            row.payment_threshold_pence,
            ThresholdPeriod(row.payment_threshold_period),
            row.unpaid_limit_days,
        )


def save_payment_settings(
    db: Database,
    *,
    threshold_pence: int | None,
    threshold_period: ThresholdPeriod | str = ThresholdPeriod.WEEK,
    unpaid_limit_days: int = 30,
) -> None:
    """The trust's threshold (None: none) over its period, and how long a claim may wait."""
    problems: dict[str, str] = {}
    check_pence(problems, "threshold_pence", "The threshold", threshold_pence)
    period = fields.choice(
        ThresholdPeriod,
        threshold_period,
        problems,
        "threshold_period",
        "Choose week, month or tax year.",
        None,
    )
    if not 1 <= int(unpaid_limit_days) <= 365:
        problems["unpaid_limit_days"] = "The limit is a number of days from 1 to 365."
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        row = settings_row(session)
        row.payment_threshold_pence = threshold_pence
        row.payment_threshold_period = period
        row.unpaid_limit_days = int(unpaid_limit_days)
        session.flush()
        audit.record(
            session, AuditOperation.UPDATE, "trust_settings", row.id, "Payment settings changed"
        )
