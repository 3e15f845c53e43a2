"""Involvement beyond meetings: activities, who took part, the trust's rates, and a payment's
expenses by kind (issue #28)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Mapped

from .. import schema
from ..vocab import ActivityKind, ExpenseKind, RateUnit
from .base import Base


class InvolvementActivity(Base):
    """An involvement activity other than a meeting: improvement project work, an interview
    panel, training, a consultation, a review or visit. Counted in its locality's return by its
    date."""

    __table__ = schema.involvement_activities

    locality_id: Mapped[uuid.UUID]
    kind: Mapped[ActivityKind]
    activity_date: Mapped[date]
    title: Mapped[str]
    unit: Mapped[RateUnit]
    quantity: Mapped[float]
    project_id: Mapped[uuid.UUID | None]
    cost_code: Mapped[str]
    notes: Mapped[str]


class ActivityParticipant(Base):
    __table__ = schema.activity_participants

    activity_id: Mapped[uuid.UUID]
    participant_id: Mapped[uuid.UUID]


class PaymentRate(Base):
    """The trust's rate for a kind of activity per unit, from ``starts_on`` until the next."""

    __table__ = schema.payment_rates

    kind: Mapped[ActivityKind]
    unit: Mapped[RateUnit]
    pence: Mapped[int]
    starts_on: Mapped[date]
    cost_code: Mapped[str]


class PaymentExpense(Base):
    __table__ = schema.payment_expenses

    payment_id: Mapped[uuid.UUID]
    kind: Mapped[ExpenseKind]
    pence: Mapped[int]


class PaymentReceipt(Base):
    """A receipt (a PDF or a picture) for a payment's expenses, kept inside the database so a
    backup holds it. Personal data: never exported; it goes when its payment does."""

    __table__ = schema.payment_receipts

    payment_id: Mapped[uuid.UUID]
    filename: Mapped[str]
    size_bytes: Mapped[int]
    content: Mapped[bytes]
