"""Meetings of forums and what happens at them: agenda, attendance, payments and polls."""

from __future__ import annotations

import uuid
from datetime import date, time

from sqlalchemy.orm import Mapped, relationship

from .. import schema
from ..vocab import (
    AttendanceStatus,
    Category,
    MeetingFormat,
    MeetingStatus,
    PaymentMethod,
    PaymentStatus,
)
from .base import Base
from .organisation import Forum
from .people import Participant


class Meeting(Base):
    """One sitting of a forum (an engagement event is a meeting of a forum of kind event)."""

    __table__ = schema.meetings

    #: Human reference shown in the UI and accepted by the command line (e.g. RUG-2610).
    reference: Mapped[str]
    forum_id: Mapped[uuid.UUID]
    meeting_date: Mapped[date]
    start_time: Mapped[time | None]
    end_time: Mapped[time | None]
    venue: Mapped[str]
    format: Mapped[MeetingFormat]
    status: Mapped[MeetingStatus]
    chair: Mapped[str]
    minute_taker: Mapped[str]
    notes: Mapped[str]
    online_link: Mapped[str]
    print_link: Mapped[bool]

    forum: Mapped[Forum] = relationship()
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    unnamed_attendances: Mapped[list[UnnamedAttendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    payments: Mapped[list[InvolvementPayment]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    polls: Mapped[list[Poll]] = relationship(
        back_populates="meeting", order_by="Poll.position", cascade="all, delete-orphan"
    )


class AgendaItem(Base):
    __table__ = schema.agenda_items

    meeting_id: Mapped[uuid.UUID]
    position: Mapped[int]
    title: Mapped[str]
    discussion: Mapped[str]
    decisions: Mapped[str]

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")


class Attendance(Base):
    """A named participant at a meeting."""

    __table__ = schema.attendances

    meeting_id: Mapped[uuid.UUID]
    participant_id: Mapped[uuid.UUID]
    status: Mapped[AttendanceStatus]

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    participant: Mapped[Participant] = relationship()


class UnnamedAttendance(Base):
    """People who came but did not want to be recorded: a count per category."""

    __table__ = schema.unnamed_attendances

    meeting_id: Mapped[uuid.UUID]
    category: Mapped[Category]
    count: Mapped[int]

    meeting: Mapped[Meeting] = relationship(back_populates="unnamed_attendances")


class InvolvementPayment(Base):
    """What a participant is offered for a meeting or another involvement activity (exactly one
    of ``meeting_id`` and ``activity_id``), and their expenses (whole pence; ``expenses_pence``
    is the sum of the kinds in ``payment_expenses`` when those are recorded). Offered with a
    ``claimed_on`` date is "claimed" (``core.payments.claims.stage``)."""

    __table__ = schema.involvement_payments

    meeting_id: Mapped[uuid.UUID | None]
    participant_id: Mapped[uuid.UUID]
    status: Mapped[PaymentStatus]
    amount_pence: Mapped[int]
    expenses_pence: Mapped[int]
    paid_on: Mapped[date | None]
    activity_id: Mapped[uuid.UUID | None]
    claimed_on: Mapped[date | None]
    method: Mapped[PaymentMethod]

    meeting: Mapped[Meeting | None] = relationship(back_populates="payments")
    participant: Mapped[Participant] = relationship()


class Poll(Base):
    """A quick poll put to the room: a question and anonymous counts per answer."""

    __table__ = schema.polls

    meeting_id: Mapped[uuid.UUID]
    position: Mapped[int]
    question: Mapped[str]

    meeting: Mapped[Meeting] = relationship(back_populates="polls")
    answers: Mapped[list[PollAnswer]] = relationship(
        back_populates="poll", order_by="PollAnswer.position", cascade="all, delete-orphan"
    )


class PollAnswer(Base):
    __table__ = schema.poll_answers

    poll_id: Mapped[uuid.UUID]
    position: Mapped[int]
    answer: Mapped[str]
    count: Mapped[int]

    poll: Mapped[Poll] = relationship(back_populates="answers")
