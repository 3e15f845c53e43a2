"""Involvement activities other than meetings and their payments (issue #28).

Improvement project work, an interview panel, training, a consultation, a review or visit: an
activity has a locality, a date, a length (so many hours, half days, days or sessions), the
people who took part and, for each, perhaps a payment. A payment for an activity is offered at
the trust's rate for the kind and unit in force on the activity's date times its length, unless
an amount is given; once recorded it keeps that amount whatever the rates do later.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, fields
from ..db import Database
from ..errors import NotFoundError, ValidationError
from ..models import (
    ActivityParticipant,
    ImprovementProject,
    InvolvementActivity,
    InvolvementPayment,
    Locality,
    Participant,
    PaymentExpense,
)
from ..vocab import (
    ActivityKind,
    AuditOperation,
    ExpenseKind,
    PaymentMethod,
    PaymentStatus,
    RateUnit,
)
from .rates import COST_CODE_LENGTH, check_pence, rate_on
from .receipts import receipt_counts

#: The kinds an activity recorded here may be (a meeting is recorded as a meeting).
ACTIVITY_KINDS: tuple[ActivityKind, ...] = tuple(
    k for k in ActivityKind if k != ActivityKind.MEETING
)
MAX_QUANTITY = 1000.0


@dataclass(frozen=True)
class ActivityRow:
    id: uuid.UUID
    locality_id: uuid.UUID
    kind: ActivityKind
    activity_date: date
    title: str
    unit: RateUnit
    quantity: float
    project_id: uuid.UUID | None
    cost_code: str
    notes: str
    participant_ids: tuple[uuid.UUID, ...]


def _check_activity(
    problems: dict[str, str],
    kind: object,
    unit: object,
    quantity: float,
    activity_date: date | None,
    title: str,
    cost_code: str,
) -> tuple[ActivityKind | None, RateUnit | None]:
    parsed_kind = fields.choice(
        ActivityKind, kind, problems, "kind", "Choose the kind of activity.", None
    )
    if parsed_kind == ActivityKind.MEETING:
        problems["kind"] = "A meeting is recorded as a meeting of its forum; choose another kind."
        parsed_kind = None
    parsed_unit = fields.choice(
        RateUnit, unit, problems, "unit", "Choose hours, half days, days or sessions.", None
    )
    if quantity is None or not 0 < float(quantity) <= MAX_QUANTITY:
        problems["quantity"] = "How long must be more than 0 and at most 1,000."
    if activity_date is None:
        problems["activity_date"] = "Give the activity's date."
    fields.check_dates(problems, activity_date=activity_date)
    if len(title) > 255:
        problems["title"] = f"The title can be at most 255 characters (this is {len(title)})."
    if len(cost_code) > COST_CODE_LENGTH:
        problems["cost_code"] = f"A cost code can be at most {COST_CODE_LENGTH} characters."
    return parsed_kind, parsed_unit


def record_activity(
    db: Database,
    *,
    locality_id: uuid.UUID,
    kind: ActivityKind | str,
    activity_date: date,
    title: str = "",
    unit: RateUnit | str = RateUnit.SESSION,
    quantity: float = 1.0,
    project_id: uuid.UUID | None = None,
    cost_code: str = "",
    notes: str = "",
    participant_ids: Iterable[uuid.UUID] = (),
    activity_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Add an activity (or, with ``activity_id``, change one) with the people who took part, in
    one transaction. Changing it keeps those already on it with payments, and their payments'
    amounts."""
    values = _activity_values(
        kind, unit, quantity, activity_date, title, cost_code, notes, project_id
    )
    with db.transaction() as session:
        return _save_activity(session, locality_id, values, participant_ids, activity_id)


class PaymentGiven(NamedTuple):
    """One person's payment as the activity dialog gives it (a plain tuple of the first three,
    or more, will do): ``amount`` None takes the rate, ``method`` None the person's
    preference (``preferred_method``) for a new payment and the one recorded otherwise."""

    status: Any
    amount: int | None
    expenses: Mapping[ExpenseKind, int] | None
    claimed_on: date | None = None
    paid_on: date | None = None
    method: Any = None


def record_activity_with_payments(
    db: Database,
    *,
    locality_id: uuid.UUID,
    kind: ActivityKind | str,
    activity_date: date,
    title: str = "",
    unit: RateUnit | str = RateUnit.SESSION,
    quantity: float = 1.0,
    project_id: uuid.UUID | None = None,
    cost_code: str = "",
    notes: str = "",
    payments: Mapping[uuid.UUID, PaymentGiven | tuple[Any, ...]],
    activity_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """One user action (the activity dialog's Save): the activity, everyone who took part
    (each key of ``payments``) and each person's payment (``PaymentGiven``), all in ONE
    transaction: any refusal changes nothing. With ``activity_id`` the activity is changed to
    what the dialog shows: someone no longer on it leaves it, with their payment. Every
    person's refused payment is told at once, each problem keyed ``field@<their id's hex>`` so
    the dialog can say whose it is."""
    values = _activity_values(
        kind, unit, quantity, activity_date, title, cost_code, notes, project_id
    )
    checked = {}
    problems: dict[str, str] = {}
    for person, given in payments.items():
        p = PaymentGiven(*given)
        try:
            checked[person] = _payment_values(
                p.status, p.amount, p.expenses, p.method, p.claimed_on, p.paid_on, activity_date
            )
        except ValidationError as error:
            problems |= {f"{field}@{person.hex}": text for field, text in error.problems.items()}
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        saved = _save_activity(session, locality_id, values, list(payments), activity_id)
        if activity_id is not None:
            _leave(session, saved, set(payments))
        for person, payment in checked.items():
            _save_activity_payment(session, saved, person, payment)
        return saved


def _leave(session: Session, activity_id: uuid.UUID, staying: set[uuid.UUID]) -> None:
    """Those on the activity not in ``staying`` leave it, with their payments (audited)."""
    for link in session.scalars(
        select(ActivityParticipant).where(ActivityParticipant.activity_id == activity_id)
    ):
        if link.participant_id in staying:
            continue
        for payment in session.scalars(
            select(InvolvementPayment).where(
                InvolvementPayment.activity_id == activity_id,
                InvolvementPayment.participant_id == link.participant_id,
            )
        ):
            session.delete(payment)
            audit.record(
                session,
                AuditOperation.DELETE,
                "involvement_payment",
                payment.id,
                "Involvement payment removed (no longer on the activity)",
            )
        session.delete(link)
    session.flush()


@dataclass(frozen=True)
class ActivityPaymentRow:
    """One person on an activity and their payment (None fields: no payment recorded)."""

    participant_id: uuid.UUID
    name: str
    payment_id: uuid.UUID | None
    status: PaymentStatus | None
    amount_pence: int
    expenses: dict[ExpenseKind, int]
    claimed_on: date | None
    paid_on: date | None
    #: As recorded; for one with no payment yet, the person's preference.
    method: PaymentMethod = PaymentMethod.MONEY
    #: How many receipts are kept for the payment (``receipts``).
    receipts: int = 0


def activity_people(db: Database, activity_id: uuid.UUID) -> list[ActivityPaymentRow]:
    """Everyone on the activity with their payment, by name."""
    with db.session() as session:
        rows = session.execute(
            select(Participant, InvolvementPayment)
            .join(ActivityParticipant, ActivityParticipant.participant_id == Participant.id)
            .outerjoin(
                InvolvementPayment,
                (InvolvementPayment.activity_id == ActivityParticipant.activity_id)
                & (InvolvementPayment.participant_id == Participant.id),
            )
            .where(ActivityParticipant.activity_id == activity_id)
            .order_by(Participant.name, Participant.id)
        ).all()
        counted = receipt_counts(session, [p.id for _, p in rows if p is not None])
        found = []
        for person, payment in rows:
            kinds = {} if payment is None else expenses_by_kind(session, payment)
            found.append(
                ActivityPaymentRow(
                    person.id,
                    person.name,
                    payment.id if payment else None,
                    PaymentStatus(payment.status) if payment else None,
                    payment.amount_pence if payment else 0,
                    kinds,
                    payment.claimed_on if payment else None,
                    payment.paid_on if payment else None,
                    PaymentMethod(payment.method) if payment else preferred_method(person),
                    counted.get(payment.id, 0) if payment else 0,
                )
            )
        return found


def get_activity(db: Database, activity_id: uuid.UUID) -> ActivityRow:
    for row in activity_rows(db, activity_ids=[activity_id]):
        return row
    raise NotFoundError("That activity is no longer in the database.")


def _activity_values(
    kind: object,
    unit: object,
    quantity: float,
    activity_date: date | None,
    title: str,
    cost_code: str,
    notes: str,
    project_id: uuid.UUID | None,
) -> dict[str, object]:
    """The activity's fields checked (``ValidationError`` naming each problem)."""
    title, cost_code = (title or "").strip(), (cost_code or "").strip()
    problems: dict[str, str] = {}
    parsed_kind, parsed_unit = _check_activity(
        problems, kind, unit, quantity, activity_date, title, cost_code
    )
    if problems:
        raise ValidationError(problems)
    return {
        "kind": parsed_kind,
        "activity_date": activity_date,
        "title": title,
        "unit": parsed_unit,
        "quantity": float(quantity),
        "project_id": project_id,
        "cost_code": cost_code,
        "notes": notes or "",
    }


def _save_activity(
    session: Session,
    locality_id: uuid.UUID,
    values: Mapping[str, object],
    participant_ids: Iterable[uuid.UUID],
    activity_id: uuid.UUID | None,
) -> uuid.UUID:
    if session.get(Locality, locality_id) is None:
        raise NotFoundError("That locality is no longer in the database.")
    project_id = values["project_id"]
    if project_id is not None and session.get(ImprovementProject, project_id) is None:
        raise NotFoundError("That improvement project is no longer in the database.")
    operation = AuditOperation.UPDATE
    if activity_id is None:
        row = InvolvementActivity()
        session.add(row)
        operation = AuditOperation.CREATE
    else:
        found = session.get(InvolvementActivity, activity_id)
        if found is None:
            raise NotFoundError("That activity is no longer in the database.")
        row = found
    row.locality_id = locality_id
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()
    _take_part(session, row.id, participant_ids)
    audit.record(
        session,
        operation,
        "involvement_activity",
        row.id,
        f"Involvement activity ({ActivityKind(row.kind).label.lower()}) on {row.activity_date}",
    )
    return row.id


def _take_part(session: Session, activity_id: uuid.UUID, people: Iterable[uuid.UUID]) -> None:
    """Add to the activity those of ``people`` not on it yet (each must exist)."""
    on = set(
        session.scalars(
            select(ActivityParticipant.participant_id).where(
                ActivityParticipant.activity_id == activity_id
            )
        )
    )
    for participant_id in dict.fromkeys(people):
        if participant_id in on:
            continue
        if session.get(Participant, participant_id) is None:
            raise NotFoundError("That participant is no longer in the database.")
        session.add(ActivityParticipant(activity_id=activity_id, participant_id=participant_id))
    session.flush()


def set_activity_payment(
    db: Database,
    activity_id: uuid.UUID,
    participant_id: uuid.UUID,
    *,
    status: PaymentStatus | str = PaymentStatus.OFFERED,
    amount_pence: int | None = None,
    expenses: Mapping[ExpenseKind, int] | None = None,
    method: PaymentMethod | str | None = None,
    claimed_on: date | None = None,
    paid_on: date | None = None,
) -> uuid.UUID:
    """Record (or change) a person's payment for an activity, adding them to it. ``amount_pence``
    None takes the trust's rate in force on the activity's date times its length (0 without
    one; a person who asked to be paid nothing is offered 0); ``method`` None keeps the one
    recorded, or for a new payment takes vouchers for one who asked for them. Marked paid
    without a date takes today. One transaction."""
    with db.session() as session:
        activity = session.get(InvolvementActivity, activity_id)
        worked_on = activity.activity_date if activity is not None else None
    payment = _payment_values(
        status, amount_pence, expenses, method, claimed_on, paid_on, worked_on
    )
    with db.transaction() as session:
        return _save_activity_payment(session, activity_id, participant_id, payment)


def check_claim_dates(
    problems: dict[str, str],
    *,
    worked_on: date | None,
    claimed_on: date | None,
    paid_on: date | None,
    work: str,
) -> None:
    """The one rule for a payment's dates, a meeting's or an activity's: a claim is dated no
    earlier than the ``work`` (activity, meeting) done on ``worked_on``, and the payment no
    earlier than the claim. A problem is noted at ``claimed_on`` (unless one is there)."""
    if claimed_on is None or "claimed_on" in problems:
        return
    if worked_on is not None and claimed_on < worked_on:
        problems["claimed_on"] = (
            f"The claim cannot be dated before the {work} it is for "
            f"({worked_on.day} {worked_on:%B %Y})."
        )
    elif paid_on is not None and claimed_on > paid_on:
        problems["claimed_on"] = "The claim cannot be dated after the day it was paid."


@dataclass(frozen=True)
class _Payment:
    status: PaymentStatus
    amount_pence: int | None
    expenses: Mapping[ExpenseKind, int] | None
    method: PaymentMethod | None
    claimed_on: date | None
    paid_on: date | None


def _payment_values(
    status: object,
    amount_pence: int | None,
    expenses: Mapping[ExpenseKind, int] | None,
    method: object,
    claimed_on: date | None,
    paid_on: date | None,
    worked_on: date | None,
) -> _Payment:
    """A payment's fields checked (``ValidationError`` naming each problem), for the activity
    done on ``worked_on``."""
    problems: dict[str, str] = {}
    parsed_status = fields.choice(
        PaymentStatus, status, problems, "status", "Choose offered, declined or paid.", None
    )
    parsed_method = None
    if method is not None:
        parsed_method = fields.choice(
            PaymentMethod, method, problems, "method", "Choose money or vouchers.", None
        )
    check_pence(problems, "amount", "The amount", amount_pence)
    for kind, pence in (expenses or {}).items():
        check_pence(problems, "expenses", f"{ExpenseKind(kind).label} expenses", pence)
    fields.check_dates(problems, claimed_on=claimed_on, paid_on=paid_on)
    if parsed_status == PaymentStatus.DECLINED and claimed_on is not None:
        problems["claimed_on"] = "A declined payment cannot be claimed."
    if parsed_status != PaymentStatus.PAID and paid_on is not None:
        problems["paid_on"] = "Only a paid payment has a date paid."
    check_claim_dates(
        problems, worked_on=worked_on, claimed_on=claimed_on, paid_on=paid_on, work="activity"
    )
    if problems:
        raise ValidationError(problems)
    return _Payment(parsed_status, amount_pence, expenses, parsed_method, claimed_on, paid_on)


def _save_activity_payment(
    session: Session, activity_id: uuid.UUID, participant_id: uuid.UUID, payment: _Payment
) -> uuid.UUID:
    activity = session.get(InvolvementActivity, activity_id)
    if activity is None:
        raise NotFoundError("That activity is no longer in the database.")
    person = session.get(Participant, participant_id)
    if person is None:
        raise NotFoundError("That participant is no longer in the database.")
    _take_part(session, activity_id, [participant_id])
    row = session.scalar(
        select(InvolvementPayment).where(
            InvolvementPayment.activity_id == activity_id,
            InvolvementPayment.participant_id == participant_id,
        )
    )
    operation = AuditOperation.UPDATE
    if row is None:
        row = InvolvementPayment(activity_id=activity_id, participant_id=participant_id)
        session.add(row)
        operation = AuditOperation.CREATE
    amount = payment.amount_pence
    if amount is None:
        amount = 0 if person.wants_no_payment else _rate_amount(session, activity)
    method = payment.method or (
        preferred_method(person) if operation == AuditOperation.CREATE else row.method
    )
    row.status = payment.status
    row.amount_pence = int(amount)
    row.method = method
    row.claimed_on = payment.claimed_on
    paid = payment.status == PaymentStatus.PAID
    row.paid_on = (payment.paid_on or date.today()) if paid else None
    session.flush()
    row.expenses_pence = set_expenses(session, row, payment.expenses)
    session.flush()
    audit.record(
        session,
        operation,
        "involvement_payment",
        row.id,
        f"Involvement payment for an activity on {activity.activity_date} "
        f"({payment.status.label.lower()})",
    )
    return row.id


def _rate_amount(session: Session, activity: InvolvementActivity) -> int:
    rate = rate_on(
        session, ActivityKind(activity.kind), RateUnit(activity.unit), activity.activity_date
    )
    return 0 if rate is None else round(rate.pence * activity.quantity)


def preferred_method(person: Participant) -> PaymentMethod:
    """How a new payment is made when none is chosen: vouchers for one who asked for them."""
    return PaymentMethod.VOUCHERS if person.wants_vouchers else PaymentMethod.MONEY


def set_expenses(
    session: Session, payment: InvolvementPayment, expenses: Mapping[ExpenseKind, int] | None
) -> int:
    """Replace the payment's expenses by kind (None: keep them) and return their sum (what
    ``expenses_pence`` holds). In the caller's transaction."""
    current = {
        ExpenseKind(e.kind): e
        for e in session.scalars(
            select(PaymentExpense).where(PaymentExpense.payment_id == payment.id)
        )
    }
    if expenses is None:
        return sum(e.pence for e in current.values()) if current else payment.expenses_pence or 0
    wanted = {ExpenseKind(k): int(v) for k, v in expenses.items() if v}
    for kind, row in current.items():
        if kind not in wanted:
            session.delete(row)
    for kind, pence in wanted.items():
        if kind in current:
            current[kind].pence = pence
        else:
            session.add(PaymentExpense(payment_id=payment.id, kind=kind, pence=pence))
    return sum(wanted.values())


def expenses_by_kind(session: Session, payment: InvolvementPayment) -> dict[ExpenseKind, int]:
    """The payment's expenses by kind; one recorded before kinds (only ``expenses_pence``) has
    them all as Other."""
    return expenses_by_payment(session, {payment.id: payment.expenses_pence})[payment.id]


def expenses_by_payment(
    session: Session, totals: Mapping[uuid.UUID, int]
) -> dict[uuid.UUID, dict[ExpenseKind, int]]:
    """``expenses_by_kind`` of several payments in one query: ``totals`` maps each payment's id
    to its ``expenses_pence`` (what one recorded before kinds has as Other)."""
    found: dict[uuid.UUID, dict[ExpenseKind, int]] = {pid: {} for pid in totals}
    if totals:
        for e in session.scalars(
            select(PaymentExpense).where(PaymentExpense.payment_id.in_(list(totals)))
        ):
            found[e.payment_id][ExpenseKind(e.kind)] = e.pence
    for pid, kinds in found.items():
        if not kinds and totals[pid]:
            kinds[ExpenseKind.OTHER] = totals[pid]
    return found


def expenses_of(db: Database, payment_id: uuid.UUID) -> dict[ExpenseKind, int]:
    """``expenses_by_kind`` of one payment ({} when it is gone)."""
    with db.session() as session:
        payment = session.get(InvolvementPayment, payment_id)
        return {} if payment is None else expenses_by_kind(session, payment)


def activity_rows(
    db: Database,
    *,
    locality_ids: list[uuid.UUID] | None = None,
    activity_ids: list[uuid.UUID] | None = None,
) -> list[ActivityRow]:
    """Activities newest first, each with the people who took part."""
    with db.session() as session:
        query = select(InvolvementActivity)
        if locality_ids is not None:
            query = query.where(InvolvementActivity.locality_id.in_(locality_ids))
        if activity_ids is not None:
            query = query.where(InvolvementActivity.id.in_(activity_ids))
        activities = session.scalars(
            query.order_by(InvolvementActivity.activity_date.desc(), InvolvementActivity.id)
        ).all()
        people: dict[uuid.UUID, list[uuid.UUID]] = {}
        for link in session.scalars(
            select(ActivityParticipant).where(
                ActivityParticipant.activity_id.in_([a.id for a in activities])
            )
        ):
            people.setdefault(link.activity_id, []).append(link.participant_id)
        return [
            ActivityRow(
                a.id,
                a.locality_id,
                ActivityKind(a.kind),
                a.activity_date,
                a.title,
                RateUnit(a.unit),
                a.quantity,
                a.project_id,
                a.cost_code,
                a.notes,
                tuple(people.get(a.id, ())),
            )
            for a in activities
        ]


def remove_activity(db: Database, activity_id: uuid.UUID) -> None:
    """Delete an activity entered by mistake, with its people and payments. One transaction."""
    with db.transaction() as session:
        row = session.get(InvolvementActivity, activity_id)
        if row is None:
            return
        session.delete(row)
        audit.record(
            session,
            AuditOperation.DELETE,
            "involvement_activity",
            activity_id,
            "Involvement activity removed",
        )
