"""Bringing existing spreadsheets in: the import workbook of docs/import-workbook.md.

Two steps, so a screen can show what would happen before anything is written:

- ``read_import_workbook(path, db)`` parses every sheet and validates every row against the
  database (read only) into an ``ImportPlan``: counts per sheet of the records it would ADD and of
  those already present that it would SKIP, the localities, forums and strategic priorities it
  would create, and ``problems`` (every problem, as ``Sheet 'X' row N: ...``, N as Excel numbers
  the row, the header being row 1).
- ``apply_import(db, plan)`` writes the plan in ONE transaction. It resolves the rows again
  inside that transaction (the database may have changed since the plan was made), refuses a
  plan with problems, and rolls everything back when cancelled: all or nothing.

``import_workbook(db, path)`` does both and raises ``WorkbookError`` listing every problem.

Forgiving where it is safe: sheet and header names in any case and order, extra columns and
sheets ignored (the template's Notes sheet), empty rows skipped, surrounding spaces trimmed.
Every cell is read by ``core.parsing`` and checked by ``core.fields``, the very functions the
screens and the core services use, so a cell is taken exactly when the same text typed in the
app would be: dates as Excel dates or text (``YYYY-MM-DD``, ``DD/MM/YYYY``, ``14.03.2025``,
``14 Mar 2025``, ``14/03/25``), from 1900 to 2100; times as Excel times or text (``14:00``,
``6pm``, ``1830``); money as numbers or text (``£25.50``, ``1,025``); yes/no as Yes/Y/True/1
and No/N/False/0 (blank is no); vocabulary words in any case; text no longer than its field
holds (refused with the column named, never cut); the consent to contact and email rules.
A framework Version that Excel kept as a number (``1.0`` as 1) names the loaded version of the
same value.

Natural keys (what "already present" means, so importing twice adds nothing):

- Meetings: the Reference (any case). A reference already in the database for another date is a
  problem, not a silent skip.
- Actions: the Reference (any case); an action with no reference by Locality + Title (any case)
  + Raised on, counted (two identical rows add two actions once, never four). Actions with no
  reference get the locality's next reference (``RUG-A3``).
- Participants: Name (any case, spaces collapsed) + Category + Email (any case). The same
  participant twice in the workbook is a problem. A participant already present is skipped, not
  updated.
- Attendance: meeting + participant; unnamed attendees: meeting + category.
- Experience: meeting (or locality when there is no meeting) + Date + Kind + Summary, counted.
- Payments: meeting + participant.
- Standard checks: the assessment (Locality + Framework + Version + Assessed on + Kind) + Code.
  A new assessment gets a check for every standard of the framework (the ones not in the
  workbook not yet rated), as ``accreditation.start_assessment`` does; a check already in the
  database is skipped, whatever its rating.

Choices a coordinator should know (each is in the template's Notes sheet):

- Contact details need consent: a row with an Email or Phone and Consent to contact not yes is
  refused with a problem (docs/import-workbook.md#participants: kept only with consent).
- A Name in Attendance or Payments must match exactly one participant, in the workbook or the
  database (anonymised participants never match).
- Actions and Experience take their locality from their meeting; without a meeting they need an
  optional ``Locality`` column.
- Defaults for blank cells: meeting Format in person; meeting Status held when dated today or
  earlier, else planned; attendance Status present; action Level locality, Status open, Raised on
  the meeting's date; experience Date the meeting's date; payment Status offered, Amount and
  Expenses 0 (a paid payment is dated the meeting's date); check Kind self-review, Status
  draft, Rating not yet rated.
- A new forum's kind is guessed from its name (carers, service user, co-production, event,
  forum), else "other".

Pitfall: ``read_import_workbook`` and ``apply_import`` each open their own session, so both may
run on a worker thread; neither touches a GUI. Cancelling raises ``ImportCancelled`` (an
``ExportCancelled``, which ``ui.tasks`` already understands).
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from . import audit, fields
from .db import Database
from .errors import ExportCancelled, WorkbookError
from .models import (
    Action,
    Assessment,
    Attendance,
    ExperienceItem,
    Forum,
    InvolvementPayment,
    Locality,
    Meeting,
    Participant,
    Standard,
    StandardCheck,
    StandardsFramework,
    StrategicPriority,
    UnnamedAttendance,
)
from .parsing import (
    IMPORT_DATE_HINT,
    IMPORT_TIME_HINT,
    ParseError,
    blank,
    cell_text,
    parse_choice,
    parse_count,
    parse_date,
    parse_pounds,
    parse_time,
    parse_yes_no,
    same_version,
    version_text,
)
from .settings import ensure_locality
from .vocab import (
    ActionLevel,
    ActionStatus,
    AssessmentKind,
    AssessmentStatus,
    AttendanceStatus,
    AuditOperation,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingFormat,
    MeetingStatus,
    PaymentStatus,
    Rating,
    Vocabulary,
)
from .xlsx import header_map, open_workbook

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

_CHUNK = 500


# --- The workbook format (the template is written from this too) ---------------------------------


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an import sheet: ``vocabulary`` gives the template a drop-down list."""

    name: str
    required: bool = False
    note: str = ""
    vocabulary: type[Vocabulary] | None = None
    yes_no: bool = False
    is_date: bool = False


def _col(name: str, note: str, **kw: Any) -> ColumnSpec:
    return ColumnSpec(name, note=note, **kw)


PARTICIPANTS = "Participants"
MEETINGS = "Meetings"
ATTENDANCE = "Attendance"
ACTIONS = "Actions"
EXPERIENCE = "Experience"
PAYMENTS = "Payments"
CHECKS = "Standard checks"

SHEETS: dict[str, tuple[ColumnSpec, ...]] = {
    PARTICIPANTS: (
        _col("Name", "The person's name as you write it in other sheets.", required=True),
        _col(
            "Category",
            "Service user, carer, representative, staff, partner organisation or other.",
            required=True,
            vocabulary=Category,
        ),
        _col("Locality", "Their locality; created when missing. May be blank."),
        _col("Organisation", "Their organisation, if any."),
        _col("Email", "Only with Consent to contact yes."),
        _col("Phone", "Only with Consent to contact yes."),
        _col(
            "Consent to contact",
            "Yes or no (blank is no). Without it, leave Email and Phone "
            "blank: the row is refused otherwise.",
            yes_no=True,
        ),
        _col(
            "Name in minutes",
            "Yes or no (blank is no): may a service user or carer be named in minutes?",
            yes_no=True,
        ),
        _col("Consent date", "When consent was given.", is_date=True),
    ),
    MEETINGS: (
        _col(
            "Reference",
            "Your reference for the meeting (e.g. RUG-2501); other sheets use it. Kept as given.",
            required=True,
        ),
        _col("Locality", "Created when missing.", required=True),
        _col("Forum", "Created in the locality when missing.", required=True),
        _col("Date", "The date of the meeting.", required=True, is_date=True),
        _col("Start time", "HH:MM, e.g. 14:00."),
        _col("Venue", "Where it was held."),
        _col(
            "Format", "In person, online or hybrid (blank is in person).", vocabulary=MeetingFormat
        ),
        _col(
            "Status",
            "Planned, held or cancelled (blank: held when dated today or earlier, else planned).",
            vocabulary=MeetingStatus,
        ),
    ),
    ATTENDANCE: (
        _col(
            "Meeting reference",
            "A Reference from the Meetings sheet or already in the app.",
            required=True,
        ),
        _col(
            "Name",
            "A participant's name (Participants sheet or the app). Leave blank and give "
            "Category and Count for people who did not want to be named.",
        ),
        _col(
            "Status",
            "Present, apologies or absent (blank is present).",
            vocabulary=AttendanceStatus,
        ),
        _col("Category", "For unnamed attendees only.", vocabulary=Category),
        _col("Count", "For unnamed attendees only: how many came."),
    ),
    ACTIONS: (
        _col("Reference", "Your reference for the action (e.g. RUG-A12); blank gets the next one."),
        _col("Meeting reference", "The meeting that raised it; may be blank."),
        _col("Title", "What is to be done.", required=True),
        _col("Detail", "More detail."),
        _col("Owner", "Who will do it."),
        _col(
            "Level",
            "Individual, team/ward, locality or strategic (blank is locality).",
            vocabulary=ActionLevel,
        ),
        _col("Strategic priority", "Created when missing."),
        _col("Raised on", "Blank takes the meeting's date.", is_date=True),
        _col("Due on", "Not before Raised on.", is_date=True),
        _col(
            "Status",
            "Open, in progress, completed or cancelled (blank is open).",
            vocabulary=ActionStatus,
        ),
        _col("Closed on", "Required when completed or cancelled; blank otherwise.", is_date=True),
        _col("Outcome", 'What was done ("we did").'),
        _col("Locality", "Needed only when there is no Meeting reference (optional column)."),
    ),
    EXPERIENCE: (
        _col("Meeting reference", "Where it was heard; may be blank (then give Locality)."),
        _col("Date", "Blank takes the meeting's date.", is_date=True),
        _col(
            "Kind",
            "Compliment, concern, suggestion, question or idea.",
            required=True,
            vocabulary=ExperienceKind,
        ),
        _col("Theme", "e.g. Access, Communication."),
        _col("Service or team", "The service or team it is about."),
        _col("Summary", "What was said, without names.", required=True),
        _col("Response", 'The response given ("we did").'),
        _col("Locality", "Needed only when there is no Meeting reference (optional column)."),
    ),
    PAYMENTS: (
        _col("Meeting reference", "The meeting the payment is for.", required=True),
        _col("Name", "A participant's name.", required=True),
        _col("Status", "Offered, declined or paid (blank is offered).", vocabulary=PaymentStatus),
        _col("Amount", "In pounds, e.g. 25 or 25.00 (blank is 0)."),
        _col("Expenses", "Travel, care cover, in pounds (blank is 0)."),
    ),
    CHECKS: (
        _col("Locality", "Created when missing.", required=True),
        _col("Framework", "A standards framework already loaded in the app.", required=True),
        _col("Version", "The framework's version, e.g. 1.0.", required=True),
        _col("Assessed on", "The date of the assessment.", required=True, is_date=True),
        _col(
            "Kind", "Self-review or peer review (blank is self-review).", vocabulary=AssessmentKind
        ),
        _col(
            "Status",
            "Draft or submitted (blank is draft); the same on every row of one assessment.",
            vocabulary=AssessmentStatus,
        ),
        _col("Code", "The standard's code, e.g. 2.3.", required=True),
        _col(
            "Rating",
            "Met, partly met, not met, not applicable or not yet rated (blank is not yet rated).",
            vocabulary=Rating,
        ),
        _col("Evidence", "The evidence seen."),
    ),
}


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


# --- Public functions -----------------------------------------------------------------------


def read_import_workbook(
    path: str | os.PathLike[str],
    db: Database | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    today: date | None = None,
    sheet: str | None = None,
) -> ImportPlan:
    """Parse and validate the whole workbook against ``db`` (read only) into an ``ImportPlan``.

    The file may be an .xlsx, .xlsm, .xls, .ods or .csv (``xlsx.open_workbook``: the values
    are the same whichever program saved it); a .csv is one sheet, named ``sheet`` or after the
    file (``Participants.csv``). A file that cannot be opened raises ``WorkbookError`` with one
    sentence;
    anything wrong inside the workbook lands in ``plan.problems``. ``db`` None validates against
    an empty database (references must then all be in the workbook). ``progress(done, total)``
    counts rows read; ``cancelled()`` is read every few hundred rows and stops with
    ``ImportCancelled``.
    """
    path = Path(path)
    problems: list[str] = []
    parsed = _parse(path, problems, progress, cancelled, today or date.today(), sheet)
    if db is None:
        resolved = _resolve(None, parsed, problems)
    else:
        with db.session() as session:
            resolved = _resolve(session, parsed, problems)
    return ImportPlan(
        path=path,
        counts=resolved.counts,
        new_localities=resolved.new_locality_names,
        new_forums=[f"{name} ({locality})" for _, name, locality in resolved.new_forums],
        new_priorities=resolved.new_priority_names,
        new_assessments=len(resolved.new_assessments),
        problems=problems,
        rows=parsed,
    )


def apply_import(
    db: Database,
    plan: ImportPlan,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportSummary:
    """Write ``plan`` in one transaction; all or nothing.

    Refuses (``WorkbookError``) a plan with problems, and one that has become wrong since it was
    made (the rows are resolved again inside the transaction). ``cancelled()`` turning true
    raises ``ImportCancelled`` and rolls everything back. Records one IMPORT audit entry with
    counts only (no names).
    """
    summary_text = f"{plan.path.name} cannot be imported; nothing was changed."
    if plan.problems:
        raise WorkbookError(summary_text, plan.problems)
    with db.transaction() as session:
        problems: list[str] = []
        resolved = _resolve(session, plan.rows, problems)
        if problems:
            raise WorkbookError(summary_text, problems)
        summary = _write(session, resolved, progress, cancelled)
        counts = ", ".join(f"{sheet}: {n}" for sheet, n in summary.added.items())
        audit.record(
            session,
            AuditOperation.IMPORT,
            "import",
            None,
            f"Import workbook added {counts or 'nothing'}; "
            f"{sum(summary.skipped.values())} already present were skipped; "
            f"{len(summary.new_localities)} localities, {len(summary.new_forums)} forums, "
            f"{len(summary.new_priorities)} strategic priorities and "
            f"{summary.new_assessments} assessments created.",
        )
    return summary


def import_workbook(
    db: Database,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    today: date | None = None,
    sheet: str | None = None,
) -> ImportSummary:
    """Read, validate and import a workbook (``sheet``: a .csv's sheet, see
    ``read_import_workbook``); ``WorkbookError`` lists every problem, and then
    nothing is written. ``progress`` gets reading, then writing, each from 0 to its total."""
    plan = read_import_workbook(
        path, db, progress=progress, cancelled=cancelled, today=today, sheet=sheet
    )
    if plan.problems:
        raise WorkbookError(
            f"{plan.path.name} cannot be imported; nothing was changed. "
            f"{_plural(len(plan.problems), 'problem')} to put right:",
            plan.problems,
        )
    return apply_import(db, plan, progress=progress, cancelled=cancelled)


# --- Reading cells --------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _fold(text: str) -> str:
    """Names and words matched "any case, spaces collapsed" (accents are kept: Zoe is not Zoë)."""
    return " ".join(text.split()).casefold()


class _Row:
    """One data row of one sheet: typed getters that append every problem to ``problems``.

    Every getter reads with ``core.parsing`` and checks with ``core.fields``, exactly as the
    screens and the core services do; a problem is the shared sentence behind the column's
    header (``Date '31/02/2025' is not a date; ...``)."""

    def __init__(
        self,
        sheet: str,
        number: int,
        values: Sequence[Any],
        columns: dict[str, int | None],
        problems: list[str],
    ) -> None:
        self.where = f"Sheet '{sheet}' row {number}"
        self.number = number
        self.values = values
        self.columns = columns
        self.problems = problems
        self.bad = False

    def problem(self, text: str) -> None:
        self.problems.append(f"{self.where}: {text}")
        self.bad = True

    def raw(self, header: str) -> Any:
        index = self.columns.get(header.lower())
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def has(self, header: str) -> bool:
        return not blank(self.raw(header))

    def _parsed(self, header: str, parse: Callable[[Any], Any], default: Any) -> Any:
        try:
            return parse(self.raw(header))
        except ParseError as exc:
            self.problem(f"{header} {exc}")
            return default

    def text(self, header: str, spec: fields.Field, *, required: bool = False) -> str:
        """The cell as text, tidied as ``spec`` keeps it; too long for ``spec`` is a problem."""
        text = spec.tidy(cell_text(self.raw(header), one_line=spec.one_line))
        if not text:
            if required:
                self.problem(f"{header} is blank.")
            return ""
        if sentence := spec.problem(text, label=header):
            self.problem(sentence)
        return text

    def day(self, header: str, today: date, *, required: bool = False) -> date | None:
        if required and not self.has(header):
            self.problem(f"{header} is blank.")
            return None
        return self._parsed(
            header, lambda v: parse_date(v, today=today, hint=IMPORT_DATE_HINT), None
        )

    def word(self, header: str, enum_cls: type[Vocabulary], default: Any = None) -> Any:
        if not self.has(header):
            if default is None:
                self.problem(f"{header} is blank.")
            return default
        return self._parsed(header, lambda v: parse_choice(enum_cls, v), default)

    def yes_no(self, header: str) -> bool:
        return bool(self._parsed(header, parse_yes_no, False))

    def pence(self, header: str) -> int:
        return int(self._parsed(header, parse_pounds, 0))

    def count(self, header: str) -> int:
        if not self.has(header):
            self.problem(f"{header} is blank.")
            return 0
        return int(self._parsed(header, parse_count, 0))

    def clock(self, header: str) -> time | None:
        return self._parsed(header, lambda v: parse_time(v, hint=IMPORT_TIME_HINT), None)

    def version(self, header: str) -> str:
        """A framework version as text, whatever Excel made of it (``version_text``)."""
        text = version_text(self.raw(header))
        if not text:
            self.problem(f"{header} is blank.")
        elif sentence := fields.FRAMEWORK_VERSION.problem(text, label=header):
            self.problem(sentence)
        return text


# --- Parsing the sheets ---------------------------------------------------------------------


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise ImportCancelled()


def _parse(
    path: Path,
    problems: list[str],
    progress: Progress | None,
    cancelled: Cancelled | None,
    today: date,
    sheet_name: str | None = None,
) -> ParsedRows:
    workbook = open_workbook(path, sheet_name=sheet_name)
    parsed = ParsedRows()
    try:
        names = {" ".join(name.split()).lower(): name for name in workbook.sheetnames}
        present = [sheet for sheet in SHEETS if sheet.lower() in names]
        if not present:
            problems.append(
                "The workbook has none of the import sheets ("
                + ", ".join(SHEETS)
                + "); start from the import template (File, Save import template)."
            )
            return parsed
        sheets = [workbook[names[sheet.lower()]] for sheet in present]
        total = sum(max((ws.max_row or 1) - 1, 0) for ws in sheets)
        done = 0
        for sheet, ws in zip(present, sheets, strict=True):
            parsed.present.append(sheet)
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # files from other programs may declare a wrong size
            try:
                rows = ws.iter_rows(values_only=True)
                header = next(rows, ())
                columns = _columns(sheet, header, problems)
                reader = _READERS[sheet]
                for number, values in enumerate(rows, start=2):
                    if number % _CHUNK == 0:
                        _check(cancelled)
                        if progress is not None:
                            progress(min(done + number, total), total)
                    if columns is None or not values or all(blank(v) for v in values):
                        continue
                    row = _Row(sheet, number, values, columns, problems)
                    reader(row, parsed, today)
                done += max((ws.max_row or 1) - 1, 0)
            except ImportCancelled:
                raise
            except Exception as exc:  # a damaged sheet shows itself only while it is read
                raise WorkbookError(
                    f"{path.name} is damaged and its sheet '{sheet}' cannot be read."
                ) from exc
        if progress is not None:
            progress(total, total)
    finally:
        workbook.close()
    return parsed


def _columns(
    sheet: str, header: Sequence[Any], problems: list[str]
) -> dict[str, int | None] | None:
    """Column indexes by lower-case header name, or None (with problems) when one is missing."""
    found = header_map(header or ())
    specs = SHEETS[sheet]
    missing = [spec.name for spec in specs if spec.required and spec.name.lower() not in found]
    if sheet == ATTENDANCE and "name" not in found and "category" not in found:
        missing.append("Name")
    for name in missing:
        problems.append(f"Sheet '{sheet}' row 1: the column '{name}' is missing.")
    if missing:
        return None
    return {spec.name.lower(): found.get(spec.name.lower()) for spec in specs}


def _read_person(row: _Row, parsed: ParsedRows, today: date) -> None:
    name = row.text("Name", fields.PARTICIPANT_NAME, required=True)
    if name:
        parsed.defined_names.add(_fold(name))
    category = row.word("Category", Category)
    consent = row.yes_no("Consent to contact")
    email = row.text("Email", fields.PARTICIPANT_EMAIL)
    phone = row.text("Phone", fields.PARTICIPANT_PHONE)
    given = {"email": ("Email", email), "phone": ("Phone", phone)}
    for key, sentence in fields.contact_problems(consent, email, phone).items():
        header, value = given[key]
        row.problem(f"{header} '{value}': {sentence}")
    consent_date = row.day("Consent date", today)
    if refusal := fields.consent_date_problem(consent_date, today):
        row.problem(f"Consent date '{consent_date:%d/%m/%Y}': {refusal}")
    person = PersonIn(
        row=row.number,
        name=name,
        category=category,
        locality=row.text("Locality", fields.LOCALITY_NAME),
        organisation=row.text("Organisation", fields.PARTICIPANT_ORGANISATION),
        email=email,
        phone=phone,
        consent=consent,
        name_in_minutes=row.yes_no("Name in minutes"),
        consent_date=consent_date,
    )
    if not row.bad:
        parsed.people.append(person)


def _read_meeting(row: _Row, parsed: ParsedRows, today: date) -> None:
    reference = row.text("Reference", fields.MEETING_REFERENCE, required=True)
    if reference:
        key = reference.upper()
        if key in parsed.defined_meetings:
            first = next((m.row for m in parsed.meetings if m.reference.upper() == key), None)
            where = f" (first on row {first})" if first else ""
            row.problem(f"Reference '{reference}' is used twice{where}.")
        parsed.defined_meetings.add(key)
    locality = row.text("Locality", fields.LOCALITY_NAME, required=True)
    forum = row.text("Forum", fields.FORUM_NAME, required=True)
    on = row.day("Date", today, required=True)
    start = row.clock("Start time")
    fmt = row.word("Format", MeetingFormat, MeetingFormat.IN_PERSON)
    default_status = MeetingStatus.HELD if on is None or on <= today else MeetingStatus.PLANNED
    status = row.word("Status", MeetingStatus, default_status)
    if status == MeetingStatus.HELD and on is not None and on > today:
        row.problem(f"Status is held but the Date '{on:%d/%m/%Y}' is in the future.")
    venue = row.text("Venue", fields.MEETING_VENUE)
    if not row.bad and on is not None:
        parsed.meetings.append(
            MeetingIn(row.number, reference, locality, forum, on, start, venue, fmt, status)
        )


def _read_attendance(row: _Row, parsed: ParsedRows, today: date) -> None:
    meeting = row.text("Meeting reference", fields.MEETING_REFERENCE, required=True)
    name = row.text("Name", fields.PARTICIPANT_NAME)
    category: Category | None = None
    count = 0
    status = AttendanceStatus.PRESENT
    if name:
        status = row.word("Status", AttendanceStatus, AttendanceStatus.PRESENT)
    elif row.has("Category") or row.has("Count"):
        category = row.word("Category", Category)
        count = row.count("Count")
    else:
        row.problem("Name is blank; give a Name, or Category and Count for unnamed attendees.")
    if not row.bad:
        parsed.attendance.append(AttendanceIn(row.number, meeting, name, status, category, count))


def _read_action(row: _Row, parsed: ParsedRows, today: date) -> None:
    reference = row.text("Reference", fields.ACTION_REFERENCE)
    title = row.text("Title", fields.ACTION_TITLE, required=True)
    raised_on, due_on = row.day("Raised on", today), row.day("Due on", today)
    status = row.word("Status", ActionStatus, ActionStatus.OPEN)
    closed_on = row.day("Closed on", today)
    if due_on is not None and raised_on is not None and due_on < raised_on:
        row.problem(f"Due on '{due_on:%d/%m/%Y}' is before Raised on '{raised_on:%d/%m/%Y}'.")
    if status in (ActionStatus.COMPLETED, ActionStatus.CANCELLED):
        if closed_on is None and not row.has("Closed on"):
            row.problem(
                f"Closed on is blank; a {status.label.lower()} action needs the date it was closed."
            )
    elif closed_on is not None:
        row.problem(
            f"Closed on '{closed_on:%d/%m/%Y}' is given but the Status is "
            f"{status.label.lower()}; only completed or cancelled actions are closed."
        )
    if closed_on is not None and raised_on is not None and closed_on < raised_on:
        row.problem(f"Closed on '{closed_on:%d/%m/%Y}' is before Raised on.")
    action = ActionIn(
        row=row.number,
        reference=reference,
        meeting=row.text("Meeting reference", fields.MEETING_REFERENCE),
        locality=row.text("Locality", fields.LOCALITY_NAME),
        title=title,
        detail=row.text("Detail", fields.ACTION_DETAIL),
        owner=row.text("Owner", fields.ACTION_OWNER),
        level=row.word("Level", ActionLevel, ActionLevel.LOCALITY),
        priority=row.text("Strategic priority", fields.PRIORITY_NAME),
        raised_on=raised_on,
        due_on=due_on,
        status=status,
        closed_on=closed_on,
        outcome=row.text("Outcome", fields.ACTION_OUTCOME),
    )
    if not row.bad:
        parsed.actions.append(action)


def _read_experience(row: _Row, parsed: ParsedRows, today: date) -> None:
    item = ExperienceIn(
        row=row.number,
        meeting=row.text("Meeting reference", fields.MEETING_REFERENCE),
        locality=row.text("Locality", fields.LOCALITY_NAME),
        on=row.day("Date", today),
        kind=row.word("Kind", ExperienceKind),
        theme=row.text("Theme", fields.EXPERIENCE_THEME),
        service=row.text("Service or team", fields.EXPERIENCE_SERVICE),
        summary=row.text("Summary", fields.EXPERIENCE_SUMMARY, required=True),
        response=row.text("Response", fields.EXPERIENCE_RESPONSE),
    )
    if not row.bad:
        parsed.experience.append(item)


def _read_payment(row: _Row, parsed: ParsedRows, today: date) -> None:
    payment = PaymentIn(
        row=row.number,
        meeting=row.text("Meeting reference", fields.MEETING_REFERENCE, required=True),
        name=row.text("Name", fields.PARTICIPANT_NAME, required=True),
        status=row.word("Status", PaymentStatus, PaymentStatus.OFFERED),
        amount=row.pence("Amount"),
        expenses=row.pence("Expenses"),
    )
    if not row.bad:
        parsed.payments.append(payment)


def _read_check(row: _Row, parsed: ParsedRows, today: date) -> None:
    locality = row.text("Locality", fields.LOCALITY_NAME, required=True)
    framework = row.text("Framework", fields.FRAMEWORK_NAME, required=True)
    version = row.version("Version")
    assessed_on = row.day("Assessed on", today, required=True)
    check = CheckIn(
        row=row.number,
        locality=locality,
        framework=framework,
        version=version,
        version_as_number=isinstance(row.raw("Version"), int | float),
        assessed_on=assessed_on or date.min,
        kind=row.word("Kind", AssessmentKind, AssessmentKind.SELF_REVIEW),
        status=row.word("Status", AssessmentStatus, AssessmentStatus.DRAFT),
        code=row.text("Code", fields.STANDARD_CODE, required=True),
        rating=row.word("Rating", Rating, Rating.NOT_YET_RATED),
        evidence=row.text("Evidence", fields.CHECK_EVIDENCE),
    )
    if not row.bad:
        parsed.checks.append(check)


_READERS: dict[str, Callable[[_Row, ParsedRows, date], None]] = {
    PARTICIPANTS: _read_person,
    MEETINGS: _read_meeting,
    ATTENDANCE: _read_attendance,
    ACTIONS: _read_action,
    EXPERIENCE: _read_experience,
    PAYMENTS: _read_payment,
    CHECKS: _read_check,
}


# --- Resolving against the database -----------------------------------------------------------

#: A participant: ("db", id) for one in the database, ("wb", row) for a new one in the workbook.
PersonKey = tuple[str, Any]


@dataclass
class _Resolved:
    counts: dict[str, SheetCount] = field(default_factory=dict)
    localities: dict[str, uuid.UUID] = field(default_factory=dict)  # folded name -> id
    new_locality_names: list[str] = field(default_factory=list)
    forums: dict[tuple[str, str], uuid.UUID] = field(default_factory=dict)
    new_forums: list[tuple[str, str, str]] = field(default_factory=list)  # loc key, name, loc
    priorities: dict[str, uuid.UUID] = field(default_factory=dict)
    new_priority_names: list[str] = field(default_factory=list)
    priority_position: int = 0
    meetings: dict[str, uuid.UUID] = field(default_factory=dict)  # REF -> id (database)
    meeting_locality: dict[str, str] = field(default_factory=dict)  # REF -> locality key
    meeting_date: dict[str, date] = field(default_factory=dict)
    new_people: list[PersonIn] = field(default_factory=list)
    new_meetings: list[MeetingIn] = field(default_factory=list)
    attendance: list[tuple[str, PersonKey, AttendanceStatus]] = field(default_factory=list)
    unnamed: list[tuple[str, Category, int]] = field(default_factory=list)
    actions: list[tuple[ActionIn, str, date]] = field(default_factory=list)  # row, loc, raised
    experience: list[tuple[ExperienceIn, str, date]] = field(default_factory=list)
    payments: list[tuple[str, PersonKey, PaymentIn]] = field(default_factory=list)
    new_assessments: dict[tuple[Any, ...], CheckIn] = field(default_factory=dict)
    assessments: dict[tuple[Any, ...], uuid.UUID] = field(default_factory=dict)
    checks: list[tuple[tuple[Any, ...], uuid.UUID, CheckIn]] = field(default_factory=list)
    framework_standards: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    used_action_refs: set[str] = field(default_factory=set)


def _pairs(session: Session, key: Any, other: Any, ids: Sequence[Any]) -> set[tuple[Any, Any]]:
    """``(key, other)`` of the rows whose ``key`` is in ``ids`` (queried in chunks of 900)."""
    found: set[tuple[Any, Any]] = set()
    for start in range(0, len(ids), 900):
        chunk = list(ids[start : start + 900])
        found.update(
            tuple(row) for row in session.execute(select(key, other).where(key.in_(chunk)))
        )
    return found


def _forum_kind(name: str) -> ForumKind:
    text = name.lower()
    for words, kind in (
        (("carer",), ForumKind.CARERS_FORUM),
        (("service user", "service-user"), ForumKind.SERVICE_USER_GROUP),
        (("co-production", "coproduction", "co production"), ForumKind.CO_PRODUCTION_GROUP),
        (("event", "workshop", "open day"), ForumKind.EVENT),
        (("forum",), ForumKind.LOCALITY_FORUM),
    ):
        if any(w in text for w in words):
            return kind
    return ForumKind.OTHER


class _Resolver:
    """Matches every parsed row against the database: bulk reads up front, no per-row query.

    Each sheet has one method, run in dependency order (meetings and participants first, since
    the other sheets point at them); problems are appended to ``problems``.
    """

    def __init__(self, session: Session | None, parsed: ParsedRows, problems: list[str]) -> None:
        self.session = session
        self.parsed = parsed
        self.problems = problems
        self.r = _Resolved()
        self.locality_by_id: dict[uuid.UUID, str] = {}
        self.by_name: dict[str, set[PersonKey]] = {}
        self.wb_refs = {m.reference.upper() for m in parsed.meetings}
        self._new_locality_keys: set[str] = set()
        r = self.r
        if session is not None:
            for loc_id, name in session.execute(select(Locality.id, Locality.name)):
                r.localities[_fold(name)] = loc_id
                self.locality_by_id[loc_id] = _fold(name)
            for f_id, loc_id, name in session.execute(
                select(Forum.id, Forum.locality_id, Forum.name)
            ):
                r.forums[(self.locality_by_id[loc_id], _fold(name))] = f_id
            for p_id, name, position in session.execute(
                select(StrategicPriority.id, StrategicPriority.name, StrategicPriority.position)
            ):
                r.priorities[_fold(name)] = p_id
                r.priority_position = max(r.priority_position, position + 1)
        for sheet in parsed.present:
            r.counts[sheet] = SheetCount()

    def run(self) -> _Resolved:
        self.meetings()
        self.people()
        self.attendance()
        self.payments()
        self.actions()
        self.experience()
        self.checks()
        return self.r

    # --- shared lookups -------------------------------------------------------------------

    def problem(self, sheet: str, row: int, text: str) -> None:
        self.problems.append(f"Sheet '{sheet}' row {row}: {text}")

    def count(self, sheet: str, new: int, existing: int) -> None:
        if sheet in self.parsed.present:
            self.r.counts[sheet] = SheetCount(new, existing)

    def locality(self, name: str) -> str:
        """The key of the locality called ``name``, noting it for creation when missing."""
        key = _fold(name)
        if key not in self.r.localities and key not in self._new_locality_keys:
            self._new_locality_keys.add(key)
            self.r.new_locality_names.append(" ".join(name.split()))
        return key

    def meeting_known(self, sheet: str, row: int, ref: str) -> bool:
        key = ref.upper()
        if key in self.r.meeting_date or key in self.wb_refs:
            return True
        if key in self.parsed.defined_meetings:
            return False  # its Meetings row has a problem of its own
        self.problem(
            sheet, row, f"Meeting reference '{ref}' is not a meeting in this workbook or the "
            "database."
        )  # fmt: skip
        return False

    def person(self, sheet: str, row: int, name: str) -> PersonKey | None:
        found = self.by_name.get(_fold(name), set())
        if len(found) == 1:
            return next(iter(found))
        if not found:
            if _fold(name) in self.parsed.defined_names:
                return None  # its Participants row has a problem of its own
            self.problem(
                sheet, row, f"Name '{name}' is not a participant in this workbook or the "
                "database; add them to the Participants sheet."
            )  # fmt: skip
        else:
            self.problem(
                sheet, row, f"Name '{name}' matches {len(found)} participants; names must match "
                "exactly one (add a distinguishing detail to one of them)."
            )  # fmt: skip
        return None

    def where_from(self, sheet: str, row: int, meeting: str, loc_name: str) -> str | None:
        """The locality key of an action or experience item: its meeting's, else its column."""
        if meeting:
            if not self.meeting_known(sheet, row, meeting):
                return None
            return self.r.meeting_locality.get(meeting.upper())
        if loc_name:
            return self.locality(loc_name)
        self.problem(
            sheet, row, "Meeting reference is blank and there is no Locality; give one of them "
            "so the locality is known."
        )  # fmt: skip
        return None

    def _db_meeting_ids(self) -> list[uuid.UUID]:
        return list(self.r.meetings.values())

    # --- one method per sheet ---------------------------------------------------------------

    def meetings(self) -> None:
        r, parsed, session = self.r, self.parsed, self.session
        db_meetings: dict[str, tuple[uuid.UUID, date]] = {}
        referring: list[AttendanceIn | ActionIn | ExperienceIn | PaymentIn] = [
            *parsed.attendance,
            *parsed.actions,
            *parsed.experience,
            *parsed.payments,
        ]
        wanted_refs = set(parsed.defined_meetings) | {
            x.meeting.upper() for x in referring if x.meeting
        }
        if session is not None and wanted_refs:
            forum_locality = dict(session.execute(select(Forum.id, Forum.locality_id)).all())
            for m_id, ref, on, forum_id in session.execute(
                select(Meeting.id, Meeting.reference, Meeting.meeting_date, Meeting.forum_id)
            ):
                key = ref.upper()
                if key in wanted_refs:
                    db_meetings[key] = (m_id, on)
                    r.meetings[key] = m_id
                    r.meeting_locality[key] = self.locality_by_id[forum_locality[forum_id]]
                    r.meeting_date[key] = on
        new_forums: set[tuple[str, str]] = set()
        skipped = 0
        for m in parsed.meetings:
            key = m.reference.upper()
            if key in db_meetings:
                skipped += 1
                stored_on = db_meetings[key][1]
                if stored_on != m.on:
                    self.problem(
                        MEETINGS, m.row, f"Reference '{m.reference}' is already in the database "
                        f"for a meeting on {stored_on:%d/%m/%Y}, not {m.on:%d/%m/%Y}; give this "
                        "meeting another reference."
                    )  # fmt: skip
                continue
            loc = self.locality(m.locality)
            forum_key = (loc, _fold(m.forum))
            if forum_key not in r.forums and forum_key not in new_forums:
                new_forums.add(forum_key)
                r.new_forums.append((loc, " ".join(m.forum.split()), " ".join(m.locality.split())))
            r.meeting_locality[key] = loc
            r.meeting_date[key] = m.on
            r.new_meetings.append(m)
        self.count(MEETINGS, len(r.new_meetings), skipped)

    def people(self) -> None:
        r, session = self.r, self.session
        db_people: list[tuple[uuid.UUID, str, Category, str]] = []
        if session is not None:
            db_people = [
                (p_id, name, Category(cat), email or "")
                for p_id, name, cat, email in session.execute(
                    select(
                        Participant.id, Participant.name, Participant.category, Participant.email
                    ).where(Participant.anonymised_at.is_(None))
                )
            ]
        by_key: dict[tuple[str, Category, str], uuid.UUID] = {}
        for p_id, name, cat, email in db_people:
            by_key.setdefault((_fold(name), cat, email.casefold()), p_id)
            self.by_name.setdefault(_fold(name), set()).add(("db", p_id))
        seen: dict[tuple[str, Category, str], int] = {}
        skipped = 0
        for p in self.parsed.people:
            key = (_fold(p.name), p.category, p.email.casefold())
            if key in seen:
                self.problem(
                    PARTICIPANTS, p.row, f"Name '{p.name}' is the same participant as row "
                    f"{seen[key]} (same name, category and email)."
                )  # fmt: skip
                continue
            seen[key] = p.row
            if key in by_key:
                skipped += 1
                continue
            if p.locality:
                self.locality(p.locality)
            r.new_people.append(p)
            self.by_name.setdefault(_fold(p.name), set()).add(("wb", p.row))
        self.count(PARTICIPANTS, len(r.new_people), skipped)

    def attendance(self) -> None:
        r, session, ids = self.r, self.session, self._db_meeting_ids()
        existing: set[tuple[Any, Any]] = set()
        existing_unnamed: set[tuple[Any, str]] = set()
        if session is not None and ids and self.parsed.attendance:
            existing = _pairs(session, Attendance.meeting_id, Attendance.participant_id, ids)
            existing_unnamed = {
                (m_id, str(cat))
                for m_id, cat in _pairs(
                    session, UnnamedAttendance.meeting_id, UnnamedAttendance.category, ids
                )
            }
        seen: dict[tuple[Any, ...], int] = {}
        new = skipped = 0
        for a in self.parsed.attendance:
            if not self.meeting_known(ATTENDANCE, a.row, a.meeting):
                continue
            ref = a.meeting.upper()
            m_id = r.meetings.get(ref)
            who: PersonKey | None = None
            if a.category is not None:
                key: tuple[Any, ...] = (ref, "unnamed", a.category)
                what = f"Category '{a.category.label}'"
            else:
                who = self.person(ATTENDANCE, a.row, a.name)
                if who is None:
                    continue
                key = (ref, who)
                what = f"Name '{a.name}'"
            if key in seen:
                self.problem(
                    ATTENDANCE, a.row, f"{what} is recorded twice for meeting '{a.meeting}' "
                    f"(first on row {seen[key]})."
                )  # fmt: skip
                continue
            seen[key] = a.row
            if who is None and a.category is not None:
                if m_id is not None and (m_id, str(a.category)) in existing_unnamed:
                    skipped += 1
                    continue
                r.unnamed.append((ref, a.category, a.count))
            elif who is not None:
                if m_id is not None and who[0] == "db" and (m_id, who[1]) in existing:
                    skipped += 1
                    continue
                r.attendance.append((ref, who, a.status))
            new += 1
        self.count(ATTENDANCE, new, skipped)

    def payments(self) -> None:
        r, session, ids = self.r, self.session, self._db_meeting_ids()
        existing: set[tuple[Any, Any]] = set()
        if session is not None and ids and self.parsed.payments:
            existing = _pairs(
                session, InvolvementPayment.meeting_id, InvolvementPayment.participant_id, ids
            )
        seen: dict[tuple[str, PersonKey], int] = {}
        skipped = 0
        for pay in self.parsed.payments:
            if not self.meeting_known(PAYMENTS, pay.row, pay.meeting):
                continue
            who = self.person(PAYMENTS, pay.row, pay.name)
            if who is None:
                continue
            ref = pay.meeting.upper()
            if (ref, who) in seen:
                self.problem(
                    PAYMENTS, pay.row, f"Name '{pay.name}' has a payment for meeting "
                    f"'{pay.meeting}' already (row {seen[(ref, who)]})."
                )  # fmt: skip
                continue
            seen[(ref, who)] = pay.row
            m_id = r.meetings.get(ref)
            if m_id is not None and who[0] == "db" and (m_id, who[1]) in existing:
                skipped += 1
                continue
            r.payments.append((ref, who, pay))
        self.count(PAYMENTS, len(r.payments), skipped)

    def actions(self) -> None:
        r, parsed, session = self.r, self.parsed, self.session
        raised: date | None  # a database row's, then each row's (blank: its meeting's date)
        db_refs: set[str] = set()
        db_keys: Counter[tuple[str, str, date]] = Counter()
        if session is not None and parsed.actions:
            db_refs = {ref.upper() for ref in session.scalars(select(Action.reference))}
            # Blank Raised on dates take their meeting's date: include those in the window.
            dates = [a.raised_on for a in parsed.actions if a.raised_on]
            dates = dates + list(r.meeting_date.values()) or [date.min]
            for loc_id, title, raised in session.execute(
                select(Action.locality_id, Action.title, Action.raised_on).where(
                    Action.raised_on >= min(dates)
                )
            ):
                db_keys[(self.locality_by_id[loc_id], _fold(title), raised)] += 1
        r.used_action_refs = set(db_refs)
        new_priorities: set[str] = set()
        seen_refs: dict[str, int] = {}
        unreferenced: Counter[tuple[str, str, date]] = Counter()
        skipped = 0
        for act in parsed.actions:
            if act.reference:
                ref = act.reference.upper()
                if ref in seen_refs:
                    self.problem(
                        ACTIONS, act.row, f"Reference '{act.reference}' is used twice (first on "
                        f"row {seen_refs[ref]})."
                    )  # fmt: skip
                    continue
                seen_refs[ref] = act.row
            loc = self.where_from(ACTIONS, act.row, act.meeting, act.locality)
            if loc is None:
                continue
            raised = act.raised_on
            if raised is None:
                raised = r.meeting_date.get(act.meeting.upper()) if act.meeting else None
                if raised is None:
                    self.problem(
                        ACTIONS, act.row, "Raised on is blank and there is no meeting to take "
                        "the date from."
                    )  # fmt: skip
                    continue
                if act.due_on is not None and act.due_on < raised:
                    self.problem(
                        ACTIONS, act.row, f"Due on '{act.due_on:%d/%m/%Y}' is before the "
                        f"meeting's date '{raised:%d/%m/%Y}'."
                    )  # fmt: skip
                    continue
            if act.reference:
                if act.reference.upper() in db_refs:
                    skipped += 1
                    continue
                r.used_action_refs.add(act.reference.upper())
            else:
                key = (loc, _fold(act.title), raised)
                unreferenced[key] += 1
                if unreferenced[key] <= db_keys[key]:
                    skipped += 1
                    continue
            priority = _fold(act.priority)
            if priority and priority not in r.priorities and priority not in new_priorities:
                new_priorities.add(priority)
                r.new_priority_names.append(" ".join(act.priority.split()))
            r.actions.append((act, loc, raised))
        self.count(ACTIONS, len(r.actions), skipped)

    def experience(self) -> None:
        r, parsed, session = self.r, self.parsed, self.session
        on: date | None  # a database row's, then each row's (blank: its meeting's date)
        db_items: Counter[tuple[Any, ...]] = Counter()
        if session is not None and parsed.experience:
            dates = [e.on for e in parsed.experience if e.on]
            dates = dates + list(r.meeting_date.values()) or [date.min]
            ref_by_id = {m_id: ref for ref, m_id in r.meetings.items()}
            for loc_id, m_id, on, kind, summary in session.execute(
                select(
                    ExperienceItem.locality_id,
                    ExperienceItem.meeting_id,
                    ExperienceItem.received_on,
                    ExperienceItem.kind,
                    ExperienceItem.summary,
                ).where(ExperienceItem.received_on >= min(dates))
            ):
                where = ref_by_id.get(m_id, "") if m_id is not None else ""
                if m_id is not None and not where:
                    continue  # at a meeting the workbook does not name
                db_items[(where, self.locality_by_id[loc_id], on, str(kind), summary.strip())] += 1
        seen: Counter[tuple[Any, ...]] = Counter()
        skipped = 0
        for e in parsed.experience:
            loc = self.where_from(EXPERIENCE, e.row, e.meeting, e.locality)
            if loc is None:
                continue
            on = e.on or (r.meeting_date.get(e.meeting.upper()) if e.meeting else None)
            if on is None:
                self.problem(
                    EXPERIENCE, e.row, "Date is blank and there is no meeting to take the date "
                    "from."
                )  # fmt: skip
                continue
            key = (e.meeting.upper(), loc, on, str(e.kind), e.summary)
            seen[key] += 1
            if seen[key] <= db_items[key]:
                skipped += 1
                continue
            r.experience.append((e, loc, on))
        self.count(EXPERIENCE, len(r.experience), skipped)

    def checks(self) -> None:
        r, parsed, session = self.r, self.parsed, self.session
        # A database row's ids, then each row's (None: not found).
        f_id: uuid.UUID | None
        s_id: uuid.UUID | None
        a_id: uuid.UUID | None
        if not parsed.checks:
            return
        frameworks: dict[str, list[tuple[str, uuid.UUID]]] = {}  # folded name -> versions
        standards: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
        db_assessments: dict[tuple[Any, ...], uuid.UUID] = {}
        db_checks: set[tuple[uuid.UUID, uuid.UUID]] = set()
        if session is not None:
            for f_id, name, version in session.execute(
                select(StandardsFramework.id, StandardsFramework.name, StandardsFramework.version)
            ):
                frameworks.setdefault(_fold(name), []).append((version, f_id))
            for s_id, f_id, code in session.execute(
                select(Standard.id, Standard.framework_id, Standard.code).order_by(
                    Standard.position
                )
            ):
                standards[(f_id, _fold(code))] = s_id
                r.framework_standards.setdefault(f_id, []).append(s_id)
            for a_id, loc_id, f_id, on, kind in session.execute(
                select(
                    Assessment.id,
                    Assessment.locality_id,
                    Assessment.framework_id,
                    Assessment.assessed_on,
                    Assessment.kind,
                )
            ):
                db_assessments[(self.locality_by_id[loc_id], f_id, on, str(kind))] = a_id
            if db_assessments:
                db_checks = {
                    (a_id, s_id)
                    for a_id, s_id in session.execute(
                        select(StandardCheck.assessment_id, StandardCheck.standard_id)
                    )
                }
        seen: dict[tuple[Any, ...], int] = {}
        first_of: dict[tuple[Any, ...], CheckIn] = {}
        skipped = 0
        for c in parsed.checks:
            f_id = self.framework(frameworks.get(_fold(c.framework), []), c)
            if f_id is None:
                self.problem(
                    CHECKS, c.row, f"Framework '{c.framework}' version '{c.version}' is not "
                    "loaded; load it first (Accreditation, Frameworks, Import)."
                )  # fmt: skip
                continue
            s_id = standards.get((f_id, _fold(c.code)))
            if s_id is None:
                self.problem(
                    CHECKS, c.row, f"Code '{c.code}' is not a standard of '{c.framework}' "
                    f"version {c.version}."
                )  # fmt: skip
                continue
            akey = (self.locality(c.locality), f_id, c.assessed_on, str(c.kind))
            first = first_of.setdefault(akey, c)
            if first.status != c.status:
                self.problem(
                    CHECKS, c.row, f"Status '{c.status.label}' differs from row {first.row} "
                    f"('{first.status.label}') for the same assessment."
                )  # fmt: skip
                continue
            if (akey, s_id) in seen:
                self.problem(
                    CHECKS, c.row, f"Code '{c.code}' is given twice for the same assessment "
                    f"(first on row {seen[(akey, s_id)]})."
                )  # fmt: skip
                continue
            seen[(akey, s_id)] = c.row
            a_id = db_assessments.get(akey)
            if a_id is not None:
                r.assessments[akey] = a_id
                if (a_id, s_id) in db_checks:
                    skipped += 1
                    continue
            else:
                r.new_assessments.setdefault(akey, c)
            r.checks.append((akey, s_id, c))
        self.count(CHECKS, len(r.checks), skipped)

    @staticmethod
    def framework(versions: list[tuple[str, uuid.UUID]], c: CheckIn) -> uuid.UUID | None:
        """The loaded framework a check row names: its version as text, else (a number in
        the cell) the one loaded version of the same value."""
        exact = [f_id for version, f_id in versions if _fold(version) == _fold(c.version)]
        if exact:
            return exact[0]
        same = [
            f_id
            for version, f_id in versions
            if same_version(version, c.version, given_as_number=c.version_as_number)
        ]
        return same[0] if len(same) == 1 else None


def _resolve(session: Session | None, parsed: ParsedRows, problems: list[str]) -> _Resolved:
    """Match every parsed row against the database (bulk reads, no per-row query)."""
    return _Resolver(session, parsed, problems).run()


# --- Writing --------------------------------------------------------------------------------


def _write(
    session: Session,
    r: _Resolved,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> ImportSummary:
    total = (
        len(r.new_people)
        + len(r.new_meetings)
        + len(r.attendance)
        + len(r.unnamed)
        + len(r.actions)
        + len(r.experience)
        + len(r.payments)
        + len(r.checks)
    )
    done = 0

    def bulk(model: Any, rows: list[dict[str, Any]]) -> None:
        nonlocal done
        for start in range(0, len(rows), _CHUNK):
            _check(cancelled)
            chunk = rows[start : start + _CHUNK]
            session.execute(insert(model), chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)

    _check(cancelled)
    for name in r.new_locality_names:
        r.localities[_fold(name)] = ensure_locality(session, name)
    for loc_key, name, _ in r.new_forums:
        f_id = uuid.uuid4()
        session.execute(
            insert(Forum),
            [
                {
                    "id": f_id,
                    "locality_id": r.localities[loc_key],
                    "name": name,
                    "kind": _forum_kind(name),
                }
            ],
        )
        r.forums[(loc_key, _fold(name))] = f_id
    for position, name in enumerate(r.new_priority_names, start=r.priority_position):
        p_id = uuid.uuid4()
        session.execute(
            insert(StrategicPriority), [{"id": p_id, "name": name, "position": position}]
        )
        r.priorities[_fold(name)] = p_id

    people: dict[int, uuid.UUID] = {}
    rows: list[dict[str, Any]] = []
    for p in r.new_people:
        people[p.row] = uuid.uuid4()
        rows.append(
            {
                "id": people[p.row],
                "name": " ".join(p.name.split()),
                "category": p.category,
                "locality_id": r.localities[_fold(p.locality)] if p.locality else None,
                "organisation": p.organisation,
                "email": p.email,
                "phone": p.phone,
                "consent_to_contact": p.consent,
                "name_in_minutes": p.name_in_minutes,
                "consent_date": p.consent_date,
            }
        )
    bulk(Participant, rows)

    def person_id(key: PersonKey) -> uuid.UUID:
        return key[1] if key[0] == "db" else people[key[1]]

    rows = []
    for m in r.new_meetings:
        m_id = uuid.uuid4()
        r.meetings[m.reference.upper()] = m_id
        loc = r.meeting_locality[m.reference.upper()]
        rows.append(
            {
                "id": m_id,
                "reference": m.reference,
                "forum_id": r.forums[(loc, _fold(m.forum))],
                "meeting_date": m.on,
                "start_time": m.start,
                "venue": m.venue,
                "format": m.format,
                "status": m.status,
            }
        )
    bulk(Meeting, rows)

    bulk(
        Attendance,
        [
            {
                "id": uuid.uuid4(),
                "meeting_id": r.meetings[ref],
                "participant_id": person_id(who),
                "status": status,
            }
            for ref, who, status in r.attendance
        ],
    )
    bulk(
        UnnamedAttendance,
        [
            {"id": uuid.uuid4(), "meeting_id": r.meetings[ref], "category": cat, "count": n}
            for ref, cat, n in r.unnamed
        ],
    )
    bulk(
        InvolvementPayment,
        [
            {
                "id": uuid.uuid4(),
                "meeting_id": r.meetings[ref],
                "participant_id": person_id(who),
                "status": p.status,
                "amount_pence": p.amount,
                "expenses_pence": p.expenses,
                "paid_on": r.meeting_date[ref] if p.status == PaymentStatus.PAID else None,
            }
            for ref, who, p in r.payments
        ],
    )
    bulk(
        ExperienceItem,
        [
            {
                "id": uuid.uuid4(),
                "locality_id": r.localities[loc],
                "meeting_id": r.meetings[e.meeting.upper()] if e.meeting else None,
                "received_on": on,
                "kind": e.kind,
                "theme": e.theme,
                "service": e.service,
                "summary": e.summary,
                "response": e.response,
            }
            for e, loc, on in r.experience
        ],
    )

    codes: dict[uuid.UUID, tuple[str, int]] = {}
    if r.actions:
        for loc_id, code, counter in session.execute(
            select(Locality.id, Locality.code, Locality.action_counter)
        ):
            codes[loc_id] = (code, counter)
    rows = []
    for act, loc, raised in r.actions:
        loc_id = r.localities[loc]
        reference = act.reference
        if not reference:
            code, number = codes[loc_id]
            number += 1
            while f"{code}-A{number}".upper() in r.used_action_refs:
                number += 1
            codes[loc_id] = (code, number)
            reference = f"{code}-A{number}"
            r.used_action_refs.add(reference.upper())
        rows.append(
            {
                "id": uuid.uuid4(),
                "reference": reference,
                "locality_id": loc_id,
                "meeting_id": r.meetings[act.meeting.upper()] if act.meeting else None,
                "title": act.title,
                "detail": act.detail,
                "owner": act.owner,
                "level": act.level,
                "strategic_priority_id": r.priorities[_fold(act.priority)]
                if act.priority
                else None,
                "raised_on": raised,
                "due_on": act.due_on,
                "status": act.status,
                "closed_on": act.closed_on,
                "outcome": act.outcome,
            }
        )
    for loc_id, (_code, number) in codes.items():
        locality = session.get(Locality, loc_id)
        if locality is not None and locality.action_counter != number:
            locality.action_counter = number
    bulk(Action, rows)

    now = datetime.now(UTC)
    assessment_rows = []
    for akey, first in r.new_assessments.items():
        a_id = uuid.uuid4()
        r.assessments[akey] = a_id
        submitted = first.status == AssessmentStatus.SUBMITTED
        assessment_rows.append(
            {
                "id": a_id,
                "locality_id": r.localities[akey[0]],
                "framework_id": akey[1],
                "kind": first.kind,
                "assessed_on": first.assessed_on,
                "status": first.status,
                "submitted_at": now if submitted else None,
            }
        )
    if assessment_rows:
        session.execute(insert(Assessment), assessment_rows)
    given = {(r.assessments[akey], s_id): c for akey, s_id, c in r.checks}
    check_rows = [
        {
            "id": uuid.uuid4(),
            "assessment_id": a_id,
            "standard_id": s_id,
            "rating": c.rating,
            "evidence": c.evidence,
        }
        for (a_id, s_id), c in given.items()
    ]
    for akey in r.new_assessments:
        a_id = r.assessments[akey]
        for s_id in r.framework_standards.get(akey[1], []):
            if (a_id, s_id) not in given:
                check_rows.append(
                    {
                        "id": uuid.uuid4(),
                        "assessment_id": a_id,
                        "standard_id": s_id,
                        "rating": Rating.NOT_YET_RATED,
                        "evidence": "",
                    }
                )
    before = done
    bulk(StandardCheck, check_rows)
    done = before + len(r.checks)
    if progress is not None:
        progress(total, total)
    _check(cancelled)

    added = {sheet: count.new for sheet, count in r.counts.items()}
    skipped = {sheet: count.existing for sheet, count in r.counts.items()}
    return ImportSummary(
        added=added,
        skipped=skipped,
        new_localities=tuple(r.new_locality_names),
        new_forums=tuple(f"{name} ({loc})" for _, name, loc in r.new_forums),
        new_priorities=tuple(r.new_priority_names),
        new_assessments=len(r.new_assessments),
    )


__all__ = [
    "SHEETS",
    "ColumnSpec",
    "ImportCancelled",
    "ImportPlan",
    "ImportSummary",
    "SheetCount",
    "apply_import",
    "import_workbook",
    "read_import_workbook",
]
