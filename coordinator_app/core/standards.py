"""Standards frameworks: the framework workbook (docs/import-workbook.md), import, export, the list,
and the default framework shipped in ``resources/standards/``.

The workbook has a sheet **Framework** (``Field``, ``Value``: Name, Version, Issued on and,
optionally, ``Criticality 1 met (%)``, ``Criticality 2 met (%)``, ``Criticality 3 met (%)``) and a
sheet **Standards** (Code, Domain, Title, Description, Evidence guidance, Criticality). Sheet and
header names match case-insensitively, extra columns are ignored and empty rows skipped.

Reading validates everything first: any problem refuses the whole workbook with a
``WorkbookError`` listing every problem as ``Sheet 'X' row N: ...`` (N as Excel numbers the row,
the header being row 1), and the database is not touched. A file that is not an xlsx at all gets
one sentence and no list.

Cells are read with ``core.parsing`` and checked with ``core.fields`` (the same rules as the
app's screens and the import workbook): a text longer than its field holds is refused with the
field named, never cut; Issued on is a date from 1900 to 2100.

Pitfall: Excel turns a typed ``1.1`` into a number, so codes and versions may arrive as numbers;
they are turned back into the text a user sees. A typed ``1.0`` even arrives as the number 1:
a Version that was a number names a loaded version of the same value (``1`` is the loaded
``1.0``: refused as already loaded, never loaded as a second framework). Export writes them as
text so that a round trip keeps ``1.10`` apart from ``1.1``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit, fields
from .db import Database
from .errors import CoordinatorError, NotFoundError, WorkbookError
from .files import atomic_write
from .models import Standard, StandardsFramework
from .parsing import (
    IMPORT_DATE_HINT,
    ParseError,
    blank,
    cell_text,
    parse_date,
    same_version,
    version_text,
)
from .resources import resource_path
from .vocab import AuditOperation
from .xlsx import header_map, open_workbook, write_table

FRAMEWORK_SHEET = "Framework"
STANDARDS_SHEET = "Standards"
STANDARDS_HEADERS = ("Code", "Domain", "Title", "Description", "Evidence guidance", "Criticality")
REQUIRED_STANDARDS_HEADERS = ("Code", "Domain", "Title", "Criticality")
THRESHOLD_FIELDS = {
    1: "Criticality 1 met (%)",
    2: "Criticality 2 met (%)",
    3: "Criticality 3 met (%)",
}
DEFAULT_FRAMEWORK_FILE = ("standards", "default-framework.xlsx")

CRITICALITY_WORDS = {"essential": 1, "expected": 2, "desirable": 3}
CRITICALITY_LABELS = {1: "Essential", 2: "Expected", 3: "Desirable"}


@dataclass(frozen=True)
class StandardData:
    """One standard as read from (or written to) a framework workbook."""

    code: str
    domain: str
    title: str
    description: str
    evidence_guidance: str
    criticality: int


@dataclass(frozen=True)
class FrameworkData:
    """A whole framework, validated: thresholds are percent (0-100) or None for the default."""

    name: str
    version: str
    issued_on: date | None
    standards: tuple[StandardData, ...]
    c1_met_pct: float | None = None
    c2_met_pct: float | None = None
    c3_met_pct: float | None = None
    #: The Version cell held a number (Excel keeps a typed ``1.0`` as 1): it then names a loaded
    #: version of the same value (``parsing.same_version``), so it is not loaded a second time.
    version_as_number: bool = False

    @property
    def domains(self) -> tuple[str, ...]:
        """The domains in the order they first appear."""
        return tuple(dict.fromkeys(s.domain for s in self.standards))


@dataclass(frozen=True)
class FrameworkInfo:
    """A loaded framework, as lists and pickers show it."""

    id: uuid.UUID
    name: str
    version: str
    issued_on: date | None
    standard_count: int
    c1_met_pct: float | None = None
    c2_met_pct: float | None = None
    c3_met_pct: float | None = None

    @property
    def title(self) -> str:
        return f"{self.name} (version {self.version})"


# --- Reading the workbook ------------------------------------------------------------------


def read_framework_workbook(path: str | os.PathLike[str]) -> FrameworkData:
    """Read and validate a framework workbook; never touches a database.

    Raises ``WorkbookError`` naming the file: with every problem listed when it is an xlsx with
    bad content, or with one sentence and no list when it is not an xlsx that can be opened.
    """
    path = Path(path)
    summary = f"{path.name} is not a framework workbook I can load."
    workbook = open_workbook(path)
    try:
        problems: list[str] = []
        sheets = {" ".join(name.split()).lower(): name for name in workbook.sheetnames}
        try:
            # A read-only workbook parses each sheet while it is iterated, so a damaged sheet
            # only shows itself here.
            framework_rows = _sheet_rows(workbook, sheets, FRAMEWORK_SHEET, problems)
            standards_rows = _sheet_rows(workbook, sheets, STANDARDS_SHEET, problems)
        except Exception as exc:
            raise WorkbookError(
                f"{path.name} is damaged and its sheets cannot be read as an Excel workbook."
            ) from exc
    finally:
        workbook.close()
    given: dict[str, Any] = {}
    if framework_rows is not None:
        given = _read_framework_sheet(framework_rows, problems)
    standards: list[StandardData] = []
    if standards_rows is not None:
        standards = _read_standards_sheet(standards_rows, problems)
    if problems:
        raise WorkbookError(summary, problems)
    return FrameworkData(
        name=given["name"],
        version=given["version"],
        issued_on=given.get("issued on"),
        standards=tuple(standards),
        c1_met_pct=given.get("c1"),
        c2_met_pct=given.get("c2"),
        c3_met_pct=given.get("c3"),
        version_as_number=bool(given.get("version as number")),
    )


def _sheet_rows(
    workbook: Any, sheets: dict[str, str], wanted: str, problems: list[str]
) -> list[tuple[Any, ...]] | None:
    """All rows of the sheet named ``wanted`` (any case), or None with a problem when missing.

    Each cell is kept as ``(value, number_format)`` so that percent-formatted cells can be read
    as the percent the user sees.
    """
    actual = sheets.get(wanted.lower())
    if actual is None:
        problems.append(f"Sheet '{wanted}': the workbook has no sheet of this name.")
        return None
    sheet = workbook[actual]
    if hasattr(sheet, "reset_dimensions"):
        # Files saved by other programs may carry a wrong or no size; read every row there is.
        sheet.reset_dimensions()
    rows: list[tuple[Any, ...]] = []
    for row in sheet.iter_rows():
        rows.append(
            tuple((getattr(c, "value", None), getattr(c, "number_format", None)) for c in row)
        )
    return rows


def _values(row: tuple[Any, ...]) -> list[Any]:
    return [cell[0] for cell in row]


def _text(value: Any) -> str:
    """A cell as the text a user sees (``parsing.cell_text``); line breaks kept in long text."""
    return cell_text(value, one_line=not (isinstance(value, str) and "\n" in value))


def _field_key(text: str) -> str:
    key = " ".join(str(text).replace("(%)", " ").replace("%", " ").split()).lower()
    return key


_FIELD_KEYS = {
    "name": "name",
    "version": "version",
    "issued on": "issued on",
    "criticality 1 met": "c1",
    "criticality 2 met": "c2",
    "criticality 3 met": "c3",
}
_FIELD_NAMES = {
    "name": "Name",
    "version": "Version",
    "issued on": "Issued on",
    "c1": THRESHOLD_FIELDS[1],
    "c2": THRESHOLD_FIELDS[2],
    "c3": THRESHOLD_FIELDS[3],
}


def _read_framework_sheet(rows: list[tuple[Any, ...]], problems: list[str]) -> dict[str, Any]:
    where = f"Sheet '{FRAMEWORK_SHEET}'"
    headers = header_map(_values(rows[0])) if rows else {}
    missing = [h for h in ("Field", "Value") if h.lower() not in headers]
    if missing:
        names = " and ".join(f"'{h}'" for h in missing)
        plural = "columns" if len(missing) > 1 else "column"
        problems.append(
            f"{where} row 1: the {plural} {names} {'are' if len(missing) > 1 else 'is'} missing."
        )
        return {}
    field_col, value_col = headers["field"], headers["value"]
    found: dict[str, Any] = {}
    seen_on: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = list(row) + [(None, None)] * (max(field_col, value_col) + 1 - len(row))
        field_value, (value, number_format) = cells[field_col][0], cells[value_col]
        if blank(field_value):
            if not blank(value):
                problems.append(f"{where} row {number}: the value has no Field name beside it.")
            continue
        key = _FIELD_KEYS.get(_field_key(field_value))
        if key is None:
            continue  # an extra field (notes, contact): ignored like an extra column
        label = _FIELD_NAMES[key]
        if key in seen_on:
            problems.append(
                f"{where} row {number}: {label} is given again (first on row {seen_on[key]})."
            )
            continue
        seen_on[key] = number
        if key in ("name", "version"):
            spec = fields.FRAMEWORK_NAME if key == "name" else fields.FRAMEWORK_VERSION
            text = version_text(value, number_format) if key == "version" else _text(value)
            if not text:
                problems.append(f"{where} row {number}: {label} is blank.")
            elif sentence := spec.problem(text, label=label):
                problems.append(f"{where} row {number}: {sentence}")
            else:
                found[key] = text
                if key == "version":
                    found["version as number"] = isinstance(value, int | float) and not isinstance(
                        value, bool
                    )
        elif key == "issued on":
            try:
                found[key] = parse_date(value, hint=IMPORT_DATE_HINT)
            except ParseError as exc:
                problems.append(f"{where} row {number}: Issued on {exc}")
        else:
            if blank(value):
                continue
            percent = _parse_percent(value, number_format)
            if percent is None:
                problems.append(
                    f"{where} row {number}: {label} '{_text(value)}' is not a percentage from 0 "
                    "to 100."
                )
            else:
                found[key] = percent
    for key in ("name", "version"):
        if key not in seen_on:
            problems.append(
                f"{where}: there is no {_FIELD_NAMES[key]} row; add one with "
                f"'{_FIELD_NAMES[key]}' in the Field column."
            )
    return found


def _parse_percent(value: Any, number_format: str | None) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        if number_format and "%" in number_format:
            number *= 100.0  # a cell formatted as 80% holds 0.8
    else:
        text = str(value).strip().rstrip("%").strip()
        try:
            number = float(text)
        except ValueError:
            return None
    if not 0.0 <= number <= 100.0:
        return None
    return round(number, 6)


def _read_standards_sheet(rows: list[tuple[Any, ...]], problems: list[str]) -> list[StandardData]:
    where = f"Sheet '{STANDARDS_SHEET}'"
    headers = header_map(_values(rows[0])) if rows else {}
    missing = [h for h in REQUIRED_STANDARDS_HEADERS if h.lower() not in headers]
    if missing:
        for header in missing:
            problems.append(f"{where} row 1: the column '{header}' is missing.")
        return []
    columns = {h: headers.get(h.lower()) for h in STANDARDS_HEADERS}
    standards: list[StandardData] = []
    codes: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        values = _values(row)
        if all(blank(v) for v in values):
            continue

        def cell(header: str, values: list[Any] = values) -> Any:
            index = columns[header]
            return None if index is None or index >= len(values) else values[index]

        row_problems: list[str] = []
        code, domain, title = _text(cell("Code")), _text(cell("Domain")), _text(cell("Title"))
        description = _long_text(cell("Description"))
        guidance = _long_text(cell("Evidence guidance"))
        for spec, text, required in (
            (fields.STANDARD_CODE, code, True),
            (fields.STANDARD_DOMAIN, domain, True),
            (fields.STANDARD_TITLE, title, True),
            (fields.STANDARD_DESCRIPTION, description, False),
            (fields.STANDARD_GUIDANCE, guidance, False),
        ):
            if not text and required:
                row_problems.append(f"{where} row {number}: {spec.label} is blank.")
            elif sentence := spec.problem(text):
                row_problems.append(f"{where} row {number}: {sentence}")
        if code:
            first = codes.get(code.casefold())
            if first is not None:
                row_problems.append(
                    f"{where} row {number}: code {code} is used twice (first on row {first})."
                )
            else:
                codes[code.casefold()] = number
        criticality = _parse_criticality(cell("Criticality"))
        if criticality is None:
            shown = _text(cell("Criticality"))
            what = f"Criticality '{shown}' is not" if shown else "Criticality is blank; it must be"
            row_problems.append(
                f"{where} row {number}: {what} 1 (essential), 2 (expected) or 3 (desirable)."
            )
        problems.extend(row_problems)
        if not row_problems and criticality is not None:
            standards.append(
                StandardData(
                    code=code,
                    domain=domain,
                    title=title,
                    description=description,
                    evidence_guidance=guidance,
                    criticality=criticality,
                )
            )
    if not codes and not any(p.startswith(where) for p in problems):
        problems.append(f"{where}: there are no standards below the header row.")
    return standards


def _long_text(value: Any) -> str:
    return cell_text(value, one_line=False)


def _parse_criticality(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return int(value) if float(value) in (1.0, 2.0, 3.0) else None
    text = str(value).strip().lower()
    if text in ("1", "2", "3"):
        return int(text)
    if text in ("1.0", "2.0", "3.0"):
        return int(float(text))
    return CRITICALITY_WORDS.get(text)


# --- The database side ---------------------------------------------------------------------


def import_framework(db: Database, path: str | os.PathLike[str]) -> FrameworkInfo:
    """Read, validate and load a framework workbook in one transaction.

    Refused with ``CoordinatorError`` when a framework of the same name and version is already
    loaded (a new version sits beside the old one); nothing is written on any error.
    """
    data = read_framework_workbook(path)
    with db.transaction() as session:
        framework = _add_framework(session, data)
        audit.record(
            session,
            AuditOperation.IMPORT,
            "standards_framework",
            framework.id,
            f"Imported standards framework '{data.name}' version {data.version} "
            f"({len(data.standards)} standards) from {Path(path).name}.",
        )
        return _info(framework, len(data.standards))


def load_default_framework(session: Session) -> uuid.UUID:
    """Load the shipped default framework inside the caller's transaction; idempotent.

    Returns the id of the framework with the default's name and version, loading it only when it
    is not there yet. The caller commits (the demo generator calls this in its own transaction).
    """
    data = default_framework()
    existing = _find(session, data.name, data.version)
    if existing is not None:
        return existing[0]
    framework = _add_framework(session, data)
    audit.record(
        session,
        AuditOperation.IMPORT,
        "standards_framework",
        framework.id,
        f"Loaded the default standards framework '{data.name}' version {data.version}.",
    )
    return framework.id


def default_framework() -> FrameworkData:
    """The default framework shipped in ``resources/standards/default-framework.xlsx``."""
    return read_framework_workbook(resource_path(*DEFAULT_FRAMEWORK_FILE))


def list_frameworks(db: Database) -> list[FrameworkInfo]:
    """Every loaded framework with its number of standards, by name then issue date."""
    with db.session() as session:
        counts = (
            select(Standard.framework_id, func.count(Standard.id).label("n"))
            .group_by(Standard.framework_id)
            .subquery()
        )
        rows = session.execute(
            select(StandardsFramework, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.framework_id == StandardsFramework.id)
            .order_by(
                StandardsFramework.name,
                StandardsFramework.issued_on,
                StandardsFramework.version,
            )
        ).all()
        return [_info(framework, int(count)) for framework, count in rows]


def framework_data(session: Session, framework_id: uuid.UUID) -> FrameworkData:
    """A loaded framework as plain values (standards in their order); NotFoundError if missing."""
    framework = session.get(StandardsFramework, framework_id)
    if framework is None:
        raise NotFoundError("That standards framework is not in the database.")
    return FrameworkData(
        name=framework.name,
        version=framework.version,
        issued_on=framework.issued_on,
        standards=tuple(
            StandardData(
                code=s.code,
                domain=s.domain,
                title=s.title,
                description=s.description,
                evidence_guidance=s.evidence_guidance,
                criticality=s.criticality,
            )
            for s in framework.standards
        ),
        c1_met_pct=framework.c1_met_pct,
        c2_met_pct=framework.c2_met_pct,
        c3_met_pct=framework.c3_met_pct,
    )


def export_framework(db: Database, framework_id: uuid.UUID, path: str | os.PathLike[str]) -> Path:
    """Write a loaded framework as a framework workbook (the format ``import_framework`` reads).

    The file is written beside the target and renamed into place (never half-written).
    """
    with db.session() as session:
        data = framework_data(session, framework_id)
    return write_framework_workbook(data, path)


def write_framework_workbook(data: FrameworkData, path: str | os.PathLike[str]) -> Path:
    """Write ``data`` as a framework workbook: bold frozen headers, filters, fitted widths."""

    def write(temp: Path) -> None:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = FRAMEWORK_SHEET
        fields: list[tuple[str, Any]] = [
            ("Name", data.name),
            ("Version", data.version),
            ("Issued on", data.issued_on),
        ]
        for level, value in ((1, data.c1_met_pct), (2, data.c2_met_pct), (3, data.c3_met_pct)):
            if value is not None:
                fields.append((THRESHOLD_FIELDS[level], value))
        write_table(sheet, ("Field", "Value"), fields)
        standards = workbook.create_sheet(STANDARDS_SHEET)
        write_table(
            standards,
            STANDARDS_HEADERS,
            (
                (s.code, s.domain, s.title, s.description, s.evidence_guidance, s.criticality)
                for s in data.standards
            ),
            max_width=50,
        )
        _wrap_long_columns(standards, ("C", "D", "E"), len(data.standards))
        workbook.save(temp)

    return atomic_write(path, write)


def _wrap_long_columns(sheet: Any, letters: Sequence[str], count: int) -> None:
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    for letter in letters:
        for row in range(2, count + 2):
            sheet[f"{letter}{row}"].alignment = wrap
    for row in range(2, count + 2):
        for letter in ("A", "B", "F"):
            sheet[f"{letter}{row}"].alignment = Alignment(vertical="top")


def _find(
    session: Session, name: str, version: str, *, as_number: bool = False
) -> tuple[uuid.UUID, str] | None:
    """The loaded framework called ``name`` (any case) at ``version`` (any case; with
    ``as_number``, also a version of the same value: ``parsing.same_version``), with its
    version as loaded."""
    rows = session.execute(
        select(StandardsFramework.id, StandardsFramework.version).where(
            func.lower(StandardsFramework.name) == name.lower()
        )
    ).all()
    for f_id, loaded in rows:
        if same_version(loaded, version, given_as_number=as_number):
            return f_id, loaded
    return None


def _add_framework(session: Session, data: FrameworkData) -> StandardsFramework:
    found = _find(session, data.name, data.version, as_number=data.version_as_number)
    if found is not None:
        raise CoordinatorError(f"The framework '{data.name}' version {found[1]} is already loaded.")
    framework = StandardsFramework(
        name=data.name,
        version=data.version,
        issued_on=data.issued_on,
        c1_met_pct=data.c1_met_pct,
        c2_met_pct=data.c2_met_pct,
        c3_met_pct=data.c3_met_pct,
    )
    framework.standards = [
        Standard(
            position=position,
            code=s.code,
            domain=s.domain,
            title=s.title,
            description=s.description,
            evidence_guidance=s.evidence_guidance,
            criticality=s.criticality,
        )
        for position, s in enumerate(data.standards, start=1)
    ]
    session.add(framework)
    try:
        session.flush()
    except IntegrityError as exc:  # another laptop's copy loaded it between check and insert
        raise CoordinatorError(
            f"The framework '{data.name}' version {data.version} is already loaded."
        ) from exc
    return framework


def _info(framework: StandardsFramework, count: int) -> FrameworkInfo:
    return FrameworkInfo(
        id=framework.id,
        name=framework.name,
        version=framework.version,
        issued_on=framework.issued_on,
        standard_count=count,
        c1_met_pct=framework.c1_met_pct,
        c2_met_pct=framework.c2_met_pct,
        c3_met_pct=framework.c3_met_pct,
    )


__all__ = [
    "CRITICALITY_LABELS",
    "FrameworkData",
    "FrameworkInfo",
    "StandardData",
    "default_framework",
    "export_framework",
    "framework_data",
    "import_framework",
    "list_frameworks",
    "load_default_framework",
    "read_framework_workbook",
    "write_framework_workbook",
]
