"""What the import's steps hand each other: the plan a screen shows before anything is written
(``ImportPlan``, a ``SheetCount`` per sheet), the summary of what was written
(``ImportSummary``), the cancellation (``ImportCancelled``), and the valid rows parsed from each
sheet (``ParsedRows`` of ``PersonIn``, ``MeetingIn`` ... ``CheckIn``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from ..errors import ExportCancelled
from ..monitoring import Characteristic
from ..vocab import (
    AccessibleFormat,
    ActionLevel,
    ActionStatus,
    ActivityKind,
    AssessmentKind,
    AssessmentStatus,
    AttendanceStatus,
    Category,
    ExpenseKind,
    ExperienceKind,
    MeetingFormat,
    MeetingStatus,
    PaymentMethod,
    PaymentStatus,
    Rating,
)

# --- The plan and the summary -------------------------------------------------------------------


class ImportCancelled(ExportCancelled):
    """The user cancelled the import; nothing was written."""

    def __init__(self, message: str = "Cancelled; nothing was imported.") -> None:
        super().__init__(message)


@dataclass(frozen=True)
class SheetCount:
    """Records of one sheet the import adds (``new``) and skips as already present."""

    new: int = 0
    existing: int = 0


@dataclass
class ImportPlan:
    """What importing a workbook would do. ``problems`` empty means it may be applied."""

    path: Path
    counts: dict[str, SheetCount]
    new_localities: list[str]
    new_forums: list[str]
    new_priorities: list[str]
    new_assessments: int
    problems: list[str]
    rows: ParsedRows = field(repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total_new(self) -> int:
        return sum(c.new for c in self.counts.values())

    def describe(self) -> list[str]:
        """One line per sheet and per thing created, in words a coordinator reads."""
        lines = [
            f"{sheet}: {c.new} to add, {c.existing} already present"
            for sheet, c in self.counts.items()
        ]
        for label, names in (
            ("New localities", self.new_localities),
            ("New forums", self.new_forums),
            ("New strategic priorities", self.new_priorities),
        ):
            if names:
                lines.append(f"{label}: {', '.join(names)}")
        if self.new_assessments:
            lines.append(f"New assessments: {self.new_assessments}")
        return lines


@dataclass(frozen=True)
class ImportSummary:
    """What an import added (per sheet) and skipped, and what it created."""

    added: dict[str, int]
    skipped: dict[str, int]
    new_localities: tuple[str, ...]
    new_forums: tuple[str, ...]
    new_priorities: tuple[str, ...]
    new_assessments: int

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def sentence(self) -> str:
        parts = [f"{n} {sheet.lower()}" for sheet, n in self.added.items() if n]
        added = ", ".join(parts) if parts else "nothing new"
        skipped = sum(self.skipped.values())
        text = f"Imported {added}."
        if skipped:
            text += f" {skipped} already present were skipped."
        return text


# --- Parsed rows ----------------------------------------------------------------------------


@dataclass
class PersonIn:
    row: int
    name: str
    category: Category
    locality: str
    organisation: str
    email: str
    phone: str
    consent: bool
    name_in_minutes: bool
    consent_date: date | None
    #: Equality monitoring (issue #27): when the person consented, and their answers as
    #: characteristic id -> group id, checked by ``monitoring.check_answers``.
    monitoring_consent: date | None = None
    answers: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    #: The papers' format and where letters go (issue #29; the address only with consent).
    accessible_format: AccessibleFormat = AccessibleFormat.STANDARD
    postal_address: str = ""


@dataclass
class MeetingIn:
    row: int
    reference: str
    locality: str
    forum: str
    on: date
    start: time | None
    venue: str
    format: MeetingFormat
    status: MeetingStatus


@dataclass
class AttendanceIn:
    row: int
    meeting: str
    name: str
    status: AttendanceStatus
    category: Category | None
    count: int


@dataclass
class ActionIn:
    row: int
    reference: str
    meeting: str
    locality: str
    title: str
    detail: str
    owner: str
    level: ActionLevel
    priority: str
    raised_on: date | None
    due_on: date | None
    status: ActionStatus
    closed_on: date | None
    outcome: str


@dataclass
class ExperienceIn:
    row: int
    meeting: str
    locality: str
    on: date | None
    kind: ExperienceKind
    theme: str
    service: str
    summary: str
    response: str


@dataclass
class PaymentIn:
    row: int
    meeting: str
    name: str
    status: PaymentStatus
    amount: int
    expenses: int
    #: With no meeting: the involvement activity (kind, date, locality) it is for (#28).
    activity: ActivityKind | None = None
    on: date | None = None
    locality: str = ""
    #: Money or vouchers (None: the person's preference, as the app chooses), the expenses by
    #: kind when the sheet gives them (``expenses`` is then their sum), the claim's date and
    #: the payment's (None: a paid one takes the work's date), issue #28.
    method: PaymentMethod | None = None
    kinds: dict[ExpenseKind, int] | None = None
    claimed_on: date | None = None
    paid_on: date | None = None


@dataclass
class CheckIn:
    row: int
    locality: str
    framework: str
    version: str
    #: The Version cell held a number (Excel keeps ``1.0`` as 1): it names a loaded version
    #: of the same value (``parsing.same_version``).
    version_as_number: bool
    assessed_on: date
    kind: AssessmentKind
    status: AssessmentStatus
    code: str
    rating: Rating
    evidence: str


@dataclass
class ParsedRows:
    """Every valid row of the workbook, by sheet; ``present`` lists the sheets found."""

    present: list[str] = field(default_factory=list)
    people: list[PersonIn] = field(default_factory=list)
    meetings: list[MeetingIn] = field(default_factory=list)
    attendance: list[AttendanceIn] = field(default_factory=list)
    actions: list[ActionIn] = field(default_factory=list)
    experience: list[ExperienceIn] = field(default_factory=list)
    payments: list[PaymentIn] = field(default_factory=list)
    checks: list[CheckIn] = field(default_factory=list)
    #: Every meeting reference the Meetings sheet defines (upper case), valid rows or not.
    defined_meetings: set[str] = field(default_factory=set)
    #: Names (folded) of the Participants sheet's rows, valid or not.
    defined_names: set[str] = field(default_factory=set)
    #: The trust's equality monitoring characteristics: the optional Participants columns
    #: named as they are (none when validating without a database).
    monitored: list[Characteristic] = field(default_factory=list)
