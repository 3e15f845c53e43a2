"""The trust's payment rates: per kind of involvement activity and unit, each from the day it
starts (issue #28). A payment is given its amount when it is recorded, so a new rate never
rewrites an old payment; ``rate_on`` finds the rate in force on a day."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, fields
from ..db import Database
from ..errors import ValidationError
from ..models import PaymentRate
from ..vocab import MAX_PENCE, MAX_POUNDS_TEXT, ActivityKind, AuditOperation, RateUnit

#: Finance's cost codes are short: "CC-1234/INV".
COST_CODE_LENGTH = 64


@dataclass(frozen=True)
class RateRow:
    id: uuid.UUID
    kind: ActivityKind
    unit: RateUnit
    pence: int
    starts_on: date
    cost_code: str


def check_pence(problems: dict[str, str], key: str, what: str, pence: int | None) -> None:
    """Note at ``key`` an amount below nothing or above the most one payment may be."""
    if pence is None:
        return
    if pence < 0:
        problems[key] = f"{what} cannot be negative."
    elif pence > MAX_PENCE:
        problems[key] = f"{what} can be at most {MAX_POUNDS_TEXT}."


def set_rate(
    db: Database,
    *,
    kind: ActivityKind | str,
    unit: RateUnit | str,
    pence: int,
    starts_on: date,
    cost_code: str = "",
) -> uuid.UUID:
    """Record the trust's rate for ``kind`` per ``unit`` from ``starts_on`` (the one starting
    that same day is changed; payments already recorded keep their amounts). One transaction."""
    problems: dict[str, str] = {}
    kind = fields.choice(ActivityKind, kind, problems, "kind", "Choose a kind of activity.", None)
    unit = fields.choice(
        RateUnit, unit, problems, "unit", "Choose hour, half day, day or session.", None
    )
    check_pence(problems, "pence", "The rate", pence)
    fields.check_dates(problems, starts_on=starts_on)
    cost_code = (cost_code or "").strip()
    if len(cost_code) > COST_CODE_LENGTH:
        problems["cost_code"] = f"A cost code can be at most {COST_CODE_LENGTH} characters."
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        row = session.scalar(
            select(PaymentRate).where(
                PaymentRate.kind == kind,
                PaymentRate.unit == unit,
                PaymentRate.starts_on == starts_on,
            )
        )
        operation = AuditOperation.UPDATE
        if row is None:
            row = PaymentRate(kind=kind, unit=unit, starts_on=starts_on)
            session.add(row)
            operation = AuditOperation.CREATE
        row.pence = int(pence)
        row.cost_code = cost_code
        session.flush()
        audit.record(
            session,
            operation,
            "payment_rate",
            row.id,
            f"Payment rate for {ActivityKind(kind).label.lower()} per "
            f"{RateUnit(unit).label.lower()} from {starts_on}",
        )
        return row.id


def rate_on(session: Session, kind: ActivityKind, unit: RateUnit, day: date) -> PaymentRate | None:
    """The rate for ``kind`` per ``unit`` in force on ``day``: the latest starting on or before
    it; None when the trust has none."""
    return session.scalar(
        select(PaymentRate)
        .where(PaymentRate.kind == kind, PaymentRate.unit == unit, PaymentRate.starts_on <= day)
        .order_by(PaymentRate.starts_on.desc())
        .limit(1)
    )


def rate_rows(db: Database) -> list[RateRow]:
    with db.session() as session:
        rows = session.scalars(
            select(PaymentRate).order_by(PaymentRate.kind, PaymentRate.unit, PaymentRate.starts_on)
        ).all()
        return [
            RateRow(r.id, ActivityKind(r.kind), RateUnit(r.unit), r.pence, r.starts_on, r.cost_code)
            for r in rows
        ]
