"""What the meetings service takes and gives back: plain dataclasses, no session, no ORM object.

``MeetingInput`` and ``ExperienceInput`` are the forms' contents, checked by the service that
takes them; the ``...Row`` classes and ``MeetingDetail`` are what a screen shows. (The list rows
shared with other services, ``MeetingRow`` and ``ActionRow``, live in ``core.rows``.)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time

from .. import forum_usual
from ..rows import ActionRow, MeetingRow
from ..vocab import (
    AccessibleFormat,
    AttendanceStatus,
    Category,
    ExpenseKind,
    ExperienceKind,
    ForumKind,
    MeetingFormat,
    MeetingStatus,
    PaymentMethod,
    PaymentStatus,
)


@dataclass(frozen=True)
class ForumRow:
    id: uuid.UUID
    name: str
    kind: ForumKind
    locality_id: uuid.UUID
    locality_name: str
    default_venue: str
    default_format: MeetingFormat
    active: bool
    #: Its usual day, times and standing agenda items (``core.forum_usual``).
    usual: forum_usual.Usual = field(default_factory=forum_usual.Usual)


@dataclass
class MeetingInput:
    forum_id: uuid.UUID | None
    meeting_date: date | None
    start_time: time | None = None
    end_time: time | None = None
    venue: str = ""
    format: MeetingFormat = MeetingFormat.IN_PERSON
    status: MeetingStatus = MeetingStatus.PLANNED
    chair: str = ""
    minute_taker: str = ""
    notes: str = ""


@dataclass(frozen=True)
class AgendaItemRow:
    id: uuid.UUID
    position: int
    title: str
    discussion: str
    decisions: str


@dataclass(frozen=True)
class RegisterRow:
    participant_id: uuid.UUID
    name: str
    category: Category
    status: AttendanceStatus
    accessible_format: AccessibleFormat
    #: Consent to be named in minutes (the minutes decide what to print).
    name_in_minutes: bool = False


@dataclass(frozen=True)
class PaymentRow:
    id: uuid.UUID
    participant_id: uuid.UUID
    name: str
    status: PaymentStatus
    amount_pence: int
    expenses_pence: int
    paid_on: date | None = None
    #: The day they claimed it (issue #28): offered with a claim date is "claimed".
    claimed_on: date | None = None
    #: Money or vouchers (issue #28).
    method: PaymentMethod = PaymentMethod.MONEY
    #: The expenses by kind, in ``ExpenseKind`` order (one recorded before kinds: as Other).
    expenses: tuple[tuple[ExpenseKind, int], ...] = ()
    #: How many receipts are kept for them (``payments.receipts``).
    receipts: int = 0


@dataclass(frozen=True)
class ExperienceRow:
    id: uuid.UUID
    received_on: date
    kind: ExperienceKind
    theme: str
    service: str
    summary: str
    response: str
    responded_on: date | None = None
    #: The references of the actions that answer it ("we will"), oldest first.
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PollRow:
    id: uuid.UUID
    question: str
    answers: list[tuple[str, int]]


@dataclass(frozen=True)
class MeetingDetail(MeetingRow):
    chair: str = ""
    minute_taker: str = ""
    notes: str = ""
    agenda: list[AgendaItemRow] = field(default_factory=list)
    register: list[RegisterRow] = field(default_factory=list)
    unnamed: dict[Category, int] = field(default_factory=dict)
    payments: list[PaymentRow] = field(default_factory=list)
    experience: list[ExperienceRow] = field(default_factory=list)
    #: Actions raised at this meeting.
    actions: list[ActionRow] = field(default_factory=list)
    #: Actions raised at the forum's earlier meetings, open on this meeting's date.
    matters_arising: list[ActionRow] = field(default_factory=list)
    polls: list[PollRow] = field(default_factory=list)
    #: The meeting's ``row_version`` when read: pass it back as ``expected_version`` to save.
    #: The agenda and register count as part of the meeting (changing them bumps it).
    version: int = 0


@dataclass
class ExperienceInput:
    kind: ExperienceKind
    theme: str = ""
    service: str = ""
    summary: str = ""
    response: str = ""
    received_on: date | None = None
    responded_on: date | None = None


@dataclass(frozen=True)
class ExpectedRow:
    """A regular of the forum not yet on a meeting's register: shown there as "expected" so
    the register is ticked from the list rather than retyped. Not an attendance: never
    counted, never in a return, gone once the person is marked."""

    participant_id: uuid.UUID
    name: str
    category: Category
    accessible_format: AccessibleFormat
    #: No attendance status yet (a register row's status is never None).
    status: None = None


@dataclass(frozen=True)
class ExperienceWords:
    """The themes and services already written on experience items, A to Z: what the form
    suggests, so "Crisis line" does not drift into "crisis-line" and "Crisis Line Team"."""

    themes: list[str]
    services: list[str]
