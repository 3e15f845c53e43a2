"""Involvement payments at a meeting: one set or removed, offered to everyone present in one
step, the offered ones marked paid in one step, and the undo of both.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, fields
from ..db import Database
from ..errors import ValidationError
from ..models import Attendance, InvolvementPayment, Meeting, Participant
from ..payments.activities import check_claim_dates, preferred_method, set_expenses
from ..payments.rates import check_pence
from ..settings import settings_row
from ..vocab import (
    MAX_PENCE,
    MAX_POUNDS_TEXT,
    AttendanceStatus,
    AuditOperation,
    Category,
    ExpenseKind,
    PaymentMethod,
    PaymentStatus,
)
from .common import _meeting, _parse, _participant


def set_payment(
    db: Database,
    meeting_id: uuid.UUID,
    participant_id: uuid.UUID,
    *,
    status: PaymentStatus,
    amount_pence: int | None = None,
    expenses_pence: int = 0,
    paid_on: date | None = None,
    claimed_on: date | Literal["keep"] | None = "keep",
    expenses: Mapping[ExpenseKind, int] | None = None,
    method: PaymentMethod | str | None = None,
) -> uuid.UUID:
    """Record (or change) a participant's involvement payment for a meeting. ``amount_pence``
    None takes the trust's set rate from the settings. Marked paid without a date, ``paid_on``
    keeps the date already recorded or takes today; any other status clears it. ``claimed_on``
    (the day they claimed, issue #28) is kept as recorded unless given; a declined payment is
    never claimed, and a claim is not dated after the payment. ``expenses`` (by kind) replaces
    those recorded and ``expenses_pence`` becomes their sum; without it ``expenses_pence`` is
    the total, with no kinds. ``method`` None keeps the one recorded, or for a new payment takes
    the person's preference (``payments.activities.preferred_method``)."""
    problems: dict[str, str] = {}
    status = _parse(PaymentStatus, status, problems, "status", "Choose offered, declined or paid.")
    if method is not None:
        method = _parse(PaymentMethod, method, problems, "method", "Choose money or vouchers.")
    if amount_pence is not None and amount_pence < 0:
        problems["amount"] = "The amount cannot be negative."
    elif amount_pence is not None and amount_pence > MAX_PENCE:
        problems["amount"] = f"The amount can be at most {MAX_POUNDS_TEXT}."
    if expenses is not None:
        for kind, pence in expenses.items():
            check_pence(problems, "expenses", f"{ExpenseKind(kind).label} expenses", pence)
        expenses_pence = sum(int(p or 0) for p in expenses.values())
        if "expenses" not in problems and expenses_pence > MAX_PENCE:
            problems["expenses"] = f"Expenses can be at most {MAX_POUNDS_TEXT} in all."
    elif expenses_pence is None or expenses_pence < 0:
        problems["expenses"] = "Expenses cannot be negative."
    elif expenses_pence > MAX_PENCE:
        problems["expenses"] = f"Expenses can be at most {MAX_POUNDS_TEXT}."
    claimed = None if claimed_on == "keep" else claimed_on
    fields.check_dates(problems, paid_on=paid_on, claimed_on=claimed)
    if claimed is not None and status == PaymentStatus.DECLINED:
        problems["claimed_on"] = "A declined payment cannot be claimed."
    check_claim_dates(problems, worked_on=None, claimed_on=claimed, paid_on=paid_on, work="meeting")
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        meeting = _meeting(session, meeting_id)
        check_claim_dates(
            problems,
            worked_on=meeting.meeting_date,
            claimed_on=claimed,
            paid_on=paid_on,
            work="meeting",
        )
        if problems:  # nothing written yet: the transaction is left unchanged
            raise ValidationError(problems)
        _participant(session, participant_id)
        if amount_pence is None:
            amount_pence = settings_row(session).default_payment_pence
        row = session.scalar(
            select(InvolvementPayment).where(
                InvolvementPayment.meeting_id == meeting_id,
                InvolvementPayment.participant_id == participant_id,
            )
        )
        saved = _save_payment(
            session, meeting, participant_id, row, status, amount_pence, expenses_pence, paid_on
        )
        payment = session.get(InvolvementPayment, saved)
        assert payment is not None
        if method is not None:
            payment.method = PaymentMethod(method)
        if expenses is not None:
            payment.expenses_pence = set_expenses(session, payment, expenses)
        else:  # a total alone: no kinds left to disagree with it (it reads as Other)
            set_expenses(session, payment, {})
        if claimed_on != "keep":
            payment.claimed_on = claimed_on
        if status == PaymentStatus.DECLINED:
            payment.claimed_on = None
        return saved


def _save_payment(
    session: Session,
    meeting: Meeting,
    participant_id: uuid.UUID,
    row: InvolvementPayment | None,
    status: PaymentStatus,
    amount_pence: int,
    expenses_pence: int,
    paid_on: date | None,
) -> uuid.UUID:
    """Write one payment (``row`` None: a new one) in the caller's transaction, with its audit
    record. Marked paid without a date it keeps the one recorded or takes today; any other
    status clears it."""
    operation = AuditOperation.UPDATE
    if row is None:
        person = session.get(Participant, participant_id)
        row = InvolvementPayment(
            meeting_id=meeting.id,
            participant_id=participant_id,
            method=PaymentMethod.MONEY if person is None else preferred_method(person),
        )
        session.add(row)
        operation = AuditOperation.CREATE
    if status == PaymentStatus.PAID:
        row.paid_on = paid_on or row.paid_on or date.today()
    else:
        row.paid_on = None
    row.status = status
    row.amount_pence = int(amount_pence)
    row.expenses_pence = int(expenses_pence)
    session.flush()
    audit.record(
        session,
        operation,
        "involvement_payment",
        row.id,
        f"Involvement payment at {meeting.reference} ({status.label.lower()})",
    )
    return row.id


#: There as part of their job, so not offered an involvement payment by ``offer_payments``.
NOT_OFFERED_PAYMENT = frozenset({Category.STAFF, Category.PARTNER})


def offer_payments(db: Database, meeting_id: uuid.UUID) -> int:
    """``offer_payments_ids``, counted: how many were offered."""
    return len(offer_payments_ids(db, meeting_id))


def offer_payments_ids(db: Database, meeting_id: uuid.UUID) -> list[uuid.UUID]:
    """Offer the trust's set rate (settings) to everyone marked present at the meeting who has
    no payment recorded yet, except staff and partner organisations (there as part of their
    job); returns the new payments' ids (what ``withdraw_offers`` takes back). One transaction.
    Each payment stays "offered", with no expenses, until it is marked paid or declined: people
    may decline, since payments can affect benefits."""
    with db.transaction() as session:
        meeting = _meeting(session, meeting_id)
        rate = settings_row(session).default_payment_pence
        recorded = select(InvolvementPayment.participant_id).where(
            InvolvementPayment.meeting_id == meeting_id
        )
        people = session.scalars(
            select(Participant.id)
            .join(Attendance, Attendance.participant_id == Participant.id)
            .where(
                Attendance.meeting_id == meeting_id,
                Attendance.status == AttendanceStatus.PRESENT,
                Participant.category.not_in(sorted(NOT_OFFERED_PAYMENT)),
                Participant.anonymised_at.is_(None),
                Participant.id.not_in(recorded),
            )
            .order_by(Participant.name, Participant.id)
        ).all()
        return [
            _save_payment(
                session, meeting, participant_id, None, PaymentStatus.OFFERED, rate, 0, None
            )
            for participant_id in people
        ]


def mark_offered_paid(db: Database, meeting_id: uuid.UUID, paid_on: date | None = None) -> int:
    """``mark_offered_paid_ids``, counted: how many were marked paid."""
    return len(mark_offered_paid_ids(db, meeting_id, paid_on))


def mark_offered_paid_ids(
    db: Database, meeting_id: uuid.UUID, paid_on: date | None = None
) -> list[uuid.UUID]:
    """Mark every payment of the meeting still "offered" as paid on ``paid_on`` (today when
    None), in one transaction; returns their ids (what ``unmark_paid`` takes back). Declined
    and already paid ones stay as they are. (Journey step 6: the claims from the sign-in sheet,
    marked in one step, not five keys a person.)"""
    problems: dict[str, str] = {}
    fields.check_dates(problems, paid_on=paid_on)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        meeting = _meeting(session, meeting_id)
        offered = session.scalars(
            select(InvolvementPayment).where(
                InvolvementPayment.meeting_id == meeting_id,
                InvolvementPayment.status == PaymentStatus.OFFERED,
            )
        ).all()
        return [
            _save_payment(
                session,
                meeting,
                row.participant_id,
                row,
                PaymentStatus.PAID,
                row.amount_pence,
                row.expenses_pence,
                paid_on or date.today(),
            )
            for row in offered
        ]


def _payments_in(
    session: Session, meeting_id: uuid.UUID, payment_ids: list[uuid.UUID], status: PaymentStatus
) -> list[InvolvementPayment]:
    """Those of ``payment_ids`` recorded at the meeting with ``status`` (any other left alone)."""
    if not payment_ids:
        return []
    return list(
        session.scalars(
            select(InvolvementPayment).where(
                InvolvementPayment.meeting_id == meeting_id,
                InvolvementPayment.id.in_(payment_ids),
                InvolvementPayment.status == status,
            )
        )
    )


def withdraw_offers(db: Database, meeting_id: uuid.UUID, payment_ids: list[uuid.UUID]) -> int:
    """Remove those of ``payment_ids`` (the meeting's) still "offered", in one transaction, each
    audited; returns how many. The undo of ``offer_payments_ids``: one marked paid or declined
    since stays (someone acted on it)."""
    with db.transaction() as session:
        meeting = _meeting(session, meeting_id)
        rows = _payments_in(session, meeting_id, list(payment_ids), PaymentStatus.OFFERED)
        for row in rows:
            session.delete(row)
            audit.record(
                session,
                AuditOperation.DELETE,
                "involvement_payment",
                row.id,
                f"Involvement payment at {meeting.reference} withdrawn (offer undone)",
            )
        return len(rows)


def unmark_paid(db: Database, meeting_id: uuid.UUID, payment_ids: list[uuid.UUID]) -> int:
    """Put those of ``payment_ids`` (the meeting's) still "paid" back to "offered", the paid
    date cleared, in one transaction, each audited; returns how many. The undo of
    ``mark_offered_paid_ids``: one changed since (declined) stays as it is."""
    with db.transaction() as session:
        meeting = _meeting(session, meeting_id)
        rows = _payments_in(session, meeting_id, list(payment_ids), PaymentStatus.PAID)
        for row in rows:
            _save_payment(
                session,
                meeting,
                row.participant_id,
                row,
                PaymentStatus.OFFERED,
                row.amount_pence,
                row.expenses_pence,
                None,
            )
        return len(rows)


def remove_payment(db: Database, payment_id: uuid.UUID) -> None:
    with db.transaction() as session:
        row = session.get(InvolvementPayment, payment_id)
        if row is None:
            return
        session.delete(row)
        audit.record(
            session,
            AuditOperation.DELETE,
            "involvement_payment",
            payment_id,
            "Involvement payment removed",
        )
