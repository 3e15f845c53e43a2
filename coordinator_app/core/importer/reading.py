"""Reading a workbook into an ``ImportPlan`` (``read_import_workbook``): every row of every
sheet parsed and checked cell by cell (``_Row``: ``core.parsing`` reads, ``core.fields`` checks,
as the screens do), one reader per sheet, then matched against the database (``resolving``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date, time
from pathlib import Path
from typing import Any

from .. import fields, monitoring
from ..db import Database
from ..errors import WorkbookError
from ..members import POSTAL_CONSENT_SENTENCE, clean_postal_address
from ..parsing import (
    IMPORT_DATE_HINT,
    IMPORT_TIME_HINT,
    ParseError,
    blank,
    cell_text,
    format_pounds,
    parse_choice,
    parse_count,
    parse_date,
    parse_pounds,
    parse_time,
    parse_yes_no,
    version_text,
)
from ..vocab import (
    MAX_PENCE,
    MAX_POUNDS_TEXT,
    AccessibleFormat,
    ActionLevel,
    ActionStatus,
    ActivityKind,
    AssessmentKind,
    AssessmentStatus,
    AttendanceStatus,
    Category,
    ExperienceKind,
    MeetingFormat,
    MeetingStatus,
    PaymentMethod,
    PaymentStatus,
    Rating,
    Vocabulary,
)
from ..xlsx import header_map, open_workbook
from .common import _CHUNK, Cancelled, Progress, _check, _fold
from .resolving import _resolve
from .rows import (
    ActionIn,
    AttendanceIn,
    CheckIn,
    ExperienceIn,
    ImportCancelled,
    ImportPlan,
    MeetingIn,
    ParsedRows,
    PaymentIn,
    PersonIn,
)
from .sheets import (
    ACTIONS,
    ATTENDANCE,
    CHECKS,
    EXPENSE_COLUMNS,
    EXPERIENCE,
    MEETINGS,
    PARTICIPANTS,
    PAYMENTS,
    SHEETS,
)


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
    monitored: list[monitoring.Characteristic] = []
    if db is not None:
        monitored = monitoring.read_characteristics(db)
    parsed = _parse(path, problems, progress, cancelled, today or date.today(), sheet, monitored)
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


# --- Reading cells --------------------------------------------------------------------------


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


def _parse(
    path: Path,
    problems: list[str],
    progress: Progress | None,
    cancelled: Cancelled | None,
    today: date,
    sheet_name: str | None = None,
    monitored: Sequence[monitoring.Characteristic] = (),
) -> ParsedRows:
    workbook = open_workbook(path, sheet_name=sheet_name)
    parsed = ParsedRows(monitored=list(monitored))
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
                columns = _columns(sheet, header, problems, monitored)
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
    sheet: str,
    header: Sequence[Any],
    problems: list[str],
    monitored: Sequence[monitoring.Characteristic] = (),
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
    columns = {spec.name.lower(): found.get(spec.name.lower()) for spec in specs}
    if sheet == PARTICIPANTS:  # the equality monitoring columns present, named as the trust's
        columns |= {
            c.name.lower(): found[c.name.lower()] for c in monitored if c.name.lower() in found
        }
    return columns


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
    monitoring_consent, answers = _monitoring(row, parsed.monitored, today)
    postal_problems: dict[str, str] = {}
    postal = clean_postal_address(
        cell_text(row.raw("Postal address"), one_line=False), postal_problems
    )
    for sentence in postal_problems.values():
        row.problem(f"Postal address: {sentence}")
    if postal and not consent:
        row.problem(f"Postal address: {POSTAL_CONSENT_SENTENCE}")
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
        monitoring_consent=monitoring_consent,
        answers=answers,
        accessible_format=row.word(
            "Accessible format", AccessibleFormat, AccessibleFormat.STANDARD
        ),
        postal_address=postal,
    )
    if not row.bad:
        parsed.people.append(person)


def _monitoring(
    row: _Row, monitored: Sequence[monitoring.Characteristic], today: date
) -> tuple[date | None, dict[Any, Any]]:
    """The row's equality monitoring: answers only with a consent date (the one rule of
    ``monitoring.check_answers``); none given, nothing asked of the consent date."""
    header = "Equality monitoring consent date"
    consent = row.day(header, today)
    given = {c.name: cell_text(row.raw(c.name), one_line=True) for c in monitored}
    given = {name: value for name, value in given.items() if value.strip()}
    if not given:
        return consent, {}
    found, answers = monitoring.check_answers(monitored, consent, "", given, today=today)
    for key, sentence in found.items():
        if key == "consent_date":
            row.problem(f"{header}: {sentence}" if consent else f"{header} is blank: {sentence}")
        elif key != "consent_how":
            row.problem(sentence)
    return consent, answers


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
    """A payment for a meeting (Meeting reference), or with none for another involvement
    activity, which then needs Activity, Date and Locality (issue #28)."""
    meeting = row.text("Meeting reference", fields.MEETING_REFERENCE)
    payment = PaymentIn(
        row=row.number,
        meeting=meeting,
        name=row.text("Name", fields.PARTICIPANT_NAME, required=True),
        status=row.word("Status", PaymentStatus, PaymentStatus.OFFERED),
        amount=row.pence("Amount"),
        expenses=row.pence("Expenses"),
    )
    if meeting:
        if row.has("Activity"):
            row.problem(
                "Give a Meeting reference or an Activity, not both: a payment is for a meeting "
                "or for another involvement activity."
            )
    else:
        for header in ("Activity", "Date", "Locality"):
            if not row.has(header):
                row.problem(
                    f"{header} is blank; a payment with no Meeting reference is for another "
                    "involvement activity and needs Activity, Date and Locality."
                )
        if row.has("Activity"):
            payment.activity = row.word("Activity", ActivityKind)
            if payment.activity == ActivityKind.MEETING:
                row.problem(
                    "Activity 'meeting' needs the Meeting reference; for another activity give "
                    "improvement project work, interview panel, training, consultation, review "
                    "or visit, or other."
                )
        payment.on = row.day("Date", today)
        payment.locality = row.text("Locality", fields.LOCALITY_NAME)
    _payment_details(row, payment, today)
    if not row.bad:
        parsed.payments.append(payment)


def _payment_details(row: _Row, payment: PaymentIn, today: date) -> None:
    """The optional Method, expenses by kind, Claimed on and Paid on (issue #28). The claim's
    dates against the work's are checked once the meeting is known (``resolving``)."""
    if row.has("Method"):
        payment.method = row.word("Method", PaymentMethod)
    given = [kind for kind, header in EXPENSE_COLUMNS.items() if row.has(header)]
    if given:
        before = len(row.problems)
        kinds = {kind: row.pence(EXPENSE_COLUMNS[kind]) for kind in given}
        total = sum(kinds.values())
        headers = ", ".join(EXPENSE_COLUMNS.values())
        try:
            stated = parse_pounds(row.raw("Expenses")) if row.has("Expenses") else None
        except ParseError:  # already a problem of its own
            stated = None
        if total > MAX_PENCE:
            row.problem(f"{headers}: the expenses can be at most {MAX_POUNDS_TEXT} in all.")
        elif len(row.problems) == before and stated is not None and stated != total:
            row.problem(
                f"Expenses '{format_pounds(stated)}' is not the sum of {headers} "
                f"(£{format_pounds(total)} in all); leave Expenses blank or give their sum."
            )
        payment.kinds = {kind: pence for kind, pence in kinds.items() if pence}
        payment.expenses = total
    payment.claimed_on = row.day("Claimed on", today)
    payment.paid_on = row.day("Paid on", today)
    if payment.claimed_on is not None and payment.status == PaymentStatus.DECLINED:
        row.problem(
            f"Claimed on '{payment.claimed_on:%d/%m/%Y}': A declined payment cannot be claimed."
        )
    if payment.paid_on is not None and payment.status != PaymentStatus.PAID:
        row.problem(
            f"Paid on '{payment.paid_on:%d/%m/%Y}' is given but the Status is "
            f"{payment.status.label.lower()}; only a paid payment has a date paid."
        )


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
