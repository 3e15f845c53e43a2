"""The generator's state and plumbing: the plan of a size, the in-memory people, forums and
localities, and ``_Generator``, which holds the one random source and the rows gathered so far.

Every topic module (``places``, ``people``, ``meetings``, ``actions``, ``accreditation``,
``projects``) is a set of functions taking the ``_Generator`` first. The pitfall: every random
draw goes through ``gen.rng`` and every row through ``gen.add``, in the order the functions are
called, so reordering calls (or iterating over a ``set``) changes the whole demo.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ..models import (
    Action,
    ActionUpdate,
    ActivityParticipant,
    AgendaItem,
    Assessment,
    Attendance,
    Base,
    EvidenceFile,
    ExperienceItem,
    Forum,
    ImprovementProject,
    InvolvementActivity,
    InvolvementPayment,
    Meeting,
    Participant,
    PaymentExpense,
    PaymentRate,
    PaymentReceipt,
    Poll,
    PollAnswer,
    ProjectLink,
    ProjectParticipant,
    StandardCheck,
    UnnamedAttendance,
)
from ..rules import Month
from ..vocab import Category, ForumKind, MeetingFormat
from .content import DEFAULT_PAYMENT_PENCE

Progress = Callable[[str], None]


@dataclass(frozen=True)
class _Plan:
    localities: int
    months: int
    #: Scales the forums' membership (and so attendances and payments).
    roster_scale: float


@dataclass(eq=False)
class _Person:
    id: uuid.UUID
    name: str
    category: Category
    #: Month index from which the person is no longer involved (may lie beyond the range).
    leaves: int
    #: How likely the person is to come to a meeting of a forum they belong to.
    propensity: float
    #: "paid", "declines" or "mixed": how the person takes involvement payments.
    pay: str
    named: bool
    travels: bool


@dataclass(eq=False)
class _Forum:
    id: uuid.UUID
    name: str
    kind: ForumKind
    group: str
    venue: str
    fmt: MeetingFormat
    weekday: int
    week: int
    start: time
    end: time
    first: int
    last: int | None
    skip: tuple[int, ...]
    targets: tuple[tuple[Category, int], ...]
    roster: list[_Person] = field(default_factory=list)


@dataclass(eq=False)
class _Place:
    index: int
    id: uuid.UUID
    name: str
    code: str
    coordinator: str
    venues: tuple[str, ...]
    wards: tuple[str, ...]
    services: tuple[str, ...]
    forums: list[_Forum] = field(default_factory=list)
    people: list[_Person] = field(default_factory=list)
    counter: int = 0
    month_actions: list[dict[str, Any]] = field(default_factory=list)
    #: (raised_on, id, theme) and (received_on, id, theme) kept for project links.
    action_refs: list[tuple[date, uuid.UUID, str]] = field(default_factory=list)
    experience_refs: list[tuple[date, uuid.UUID, str]] = field(default_factory=list)


_INSERT_ORDER: tuple[type[Base], ...] = (
    Forum,
    Participant,
    PaymentRate,
    ImprovementProject,
    ProjectParticipant,
    InvolvementActivity,
    ActivityParticipant,
    Meeting,
    AgendaItem,
    Attendance,
    UnnamedAttendance,
    InvolvementPayment,
    PaymentExpense,
    PaymentReceipt,
    Poll,
    PollAnswer,
    ExperienceItem,
    Assessment,
    StandardCheck,
    EvidenceFile,
    Action,
    ActionUpdate,
    ProjectLink,
)


class _Generator:
    """Builds the demo a month at a time and writes it a year at a time."""

    def __init__(
        self, session: Session, rng: random.Random, plan: _Plan, today: date, report: Progress
    ) -> None:
        self.session = session
        self.rng = rng
        self.plan = plan
        self.today = today
        self.report = report
        self.now = datetime.now(UTC)
        self.rows: dict[type[Base], list[dict[str, Any]]] = {m: [] for m in _INSERT_ORDER}
        self.counts: dict[type[Base], int] = {m: 0 for m in _INSERT_ORDER}
        # Up to next month, so that Home always has planned meetings to show.
        last = Month.of(today).following()
        months = [last]
        while len(months) < plan.months:
            months.append(months[-1].previous())
        self.months: list[Month] = months[::-1]
        self.names_used: set[str] = set()
        self.places: list[_Place] = []
        self.priorities: list[uuid.UUID] = []
        self.standards: list[tuple[uuid.UUID, str, str, int]] = []
        self.framework_id: uuid.UUID | None = None
        self.rate = DEFAULT_PAYMENT_PENCE

    def add(self, model: type[Base], **values: Any) -> uuid.UUID:
        row_id = uuid.uuid4()
        values["id"] = row_id
        values["created_at"] = self.now
        values["updated_at"] = self.now
        values["row_version"] = 1
        self.rows[model].append(values)
        self.counts[model] += 1
        return row_id

    def write(self) -> None:
        """Insert everything gathered so far, parents before children."""
        for model in _INSERT_ORDER:
            rows = self.rows[model]
            if rows:
                # Core INSERT of the table: one executemany per table. (The ORM's bulk insert
                # splits rows into runs by which values are None: thousands of statements.)
                self.session.execute(insert(model.__table__), rows)  # type: ignore[arg-type]
                self.rows[model] = []
