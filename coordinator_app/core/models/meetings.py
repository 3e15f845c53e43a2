"""Meetings of forums and what happens at them: agenda, attendance, payments and polls."""

from __future__ import annotations

import uuid
from datetime import date, time

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..vocab import AttendanceStatus, Category, MeetingFormat, MeetingStatus, PaymentStatus
from .base import Base, vocab
from .organisation import Forum
from .people import Participant


class Meeting(Base):
    """One sitting of a forum (an engagement event is a meeting of a forum of kind event)."""

    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_forum_date", "forum_id", "meeting_date"),
        Index("ix_meetings_date_status", "meeting_date", "status"),
        Index("ix_meetings_id_status_date", "id", "status", "meeting_date"),  # 0002
        CheckConstraint(
            "end_time IS NULL OR start_time IS NULL OR end_time > start_time",
            name="end_after_start",
        ),
    )

    #: Human reference shown in the UI and accepted by the command line (e.g. RUG-2610).
    reference: Mapped[str] = mapped_column(unique=True)
    forum_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("forums.id"))
    meeting_date: Mapped[date]
    start_time: Mapped[time | None]
    end_time: Mapped[time | None]
    venue: Mapped[str] = mapped_column(default="")
    format: Mapped[MeetingFormat] = mapped_column(
        vocab(MeetingFormat, "meeting_format"), default=MeetingFormat.IN_PERSON
    )
    status: Mapped[MeetingStatus] = mapped_column(
        vocab(MeetingStatus, "meeting_status"), default=MeetingStatus.PLANNED
    )
    chair: Mapped[str] = mapped_column(default="")
    minute_taker: Mapped[str] = mapped_column(default="")
    notes: Mapped[str] = mapped_column(Text, default="")

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
    __tablename__ = "agenda_items"

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str]
    discussion: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")


class Attendance(Base):
    """A named participant at a meeting."""

    __tablename__ = "attendances"
    __table_args__ = (
        UniqueConstraint("meeting_id", "participant_id"),
        # Covering indexes for the lists' counts (migration 0002).
        Index("ix_attendances_meeting_status", "meeting_id", "status"),
        Index("ix_attendances_participant_status", "participant_id", "status", "meeting_id"),
    )

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    status: Mapped[AttendanceStatus] = mapped_column(
        vocab(AttendanceStatus, "attendance_status"), default=AttendanceStatus.PRESENT
    )

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    participant: Mapped[Participant] = relationship()


class UnnamedAttendance(Base):
    """People who came but did not want to be recorded: a count per category."""

    __tablename__ = "unnamed_attendances"
    __table_args__ = (
        UniqueConstraint("meeting_id", "category"),
        CheckConstraint("count >= 0", name="count_not_negative"),
    )

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    category: Mapped[Category] = mapped_column(vocab(Category, "unnamed_category"))
    count: Mapped[int] = mapped_column(default=0)

    meeting: Mapped[Meeting] = relationship(back_populates="unnamed_attendances")


class InvolvementPayment(Base):
    """What a participant is offered for a session, and their expenses (whole pence)."""

    __tablename__ = "involvement_payments"
    __table_args__ = (
        UniqueConstraint("meeting_id", "participant_id"),
        CheckConstraint("amount_pence >= 0 AND expenses_pence >= 0", name="amounts_not_negative"),
    )

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    status: Mapped[PaymentStatus] = mapped_column(
        vocab(PaymentStatus, "payment_status"), default=PaymentStatus.OFFERED
    )
    amount_pence: Mapped[int] = mapped_column(default=0)
    expenses_pence: Mapped[int] = mapped_column(default=0)
    paid_on: Mapped[date | None]

    meeting: Mapped[Meeting] = relationship(back_populates="payments")
    participant: Mapped[Participant] = relationship()


class Poll(Base):
    """A quick poll put to the room: a question and anonymous counts per answer."""

    __tablename__ = "polls"

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    question: Mapped[str] = mapped_column(Text)

    meeting: Mapped[Meeting] = relationship(back_populates="polls")
    answers: Mapped[list[PollAnswer]] = relationship(
        back_populates="poll", order_by="PollAnswer.position", cascade="all, delete-orphan"
    )


class PollAnswer(Base):
    __tablename__ = "poll_answers"
    __table_args__ = (
        UniqueConstraint("poll_id", "answer"),
        CheckConstraint("count >= 0", name="count_not_negative"),
    )

    poll_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    answer: Mapped[str]
    count: Mapped[int] = mapped_column(default=0)

    poll: Mapped[Poll] = relationship(back_populates="answers")
