"""Accreditation: assessments of a locality against a standards framework, their standard checks,
and the result (docs/counting-rules.md#accreditation).

The result rule itself lives in ``rules`` (``tally``, ``accreditation_result``,
``Thresholds.for_framework``, ``standards_met_percent``); this module only gathers the ratings
and hands them over, so the screens, the monthly return and the command line agree.

Pitfalls:

- Drafts never count. A locality's result is that of its latest *submitted* assessment; in the
  return for a month, the latest submitted assessment dated before the first day of the next
  month (``before``). Two on the same date: the later ``submitted_at`` wins.
- A submitted assessment is frozen: reopen it (back to draft) before changing a rating.
- Not yet rated is allowed at submission, but then the result is Incomplete.
- Two instances on one database: ``CheckRow.version`` is the check's ``row_version`` read in the
  same query as its rating and texts; the rating screen passes it back to ``set_check`` as
  ``expected_version``, so a save over someone else's change is refused (``ConflictError``)
  instead of silently overwriting their evidence, notes or rating.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager

from . import audit, fields, rules, schema, versions

# The result as Home and the return read it (Core only); re-exported for screens and tests.
from .accreditation_result import AccreditationRow as AccreditationRow
from .accreditation_result import LocalityResult as LocalityResult
from .accreditation_result import accreditation_rows as accreditation_rows
from .accreditation_result import locality_result as locality_result
from .accreditation_result import result_of
from .db import Database
from .document import Block, Column, Document, Facts, Heading, Paragraph, Span, Table, spans
from .errors import CoordinatorError, NotFoundError, ValidationError
from .files import MAX_ATTACHED_BYTES, atomic_write, read_attached
from .models import (
    Action,
    Assessment,
    EvidenceFile,
    Locality,
    Standard,
    StandardCheck,
    StandardsFramework,
    utcnow,
)
from .parsing import parse_choice
from .privacy import Redact, redactor_for
from .rows import ActionRow, action_rows
from .rules import AccreditationResult, Tally
from .vocab import AssessmentKind, AssessmentStatus, AuditOperation, Rating

MAX_EVIDENCE_BYTES = MAX_ATTACHED_BYTES
#: What a ``ConflictError`` from ``set_check`` calls the record ("this standard check").
CHECK_WHAT = "standard check"


# --- Plain values --------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentSummary:
    """One assessment's result with its tallies.

    ``by_criticality`` maps 1, 2, 3 to a ``rules.Tally``; ``by_domain`` maps each domain (in the
    framework's order) to one ``Tally`` over all its criticalities.
    """

    assessment_id: uuid.UUID
    locality_id: uuid.UUID
    locality_name: str
    framework_id: uuid.UUID
    framework_name: str
    framework_version: str
    kind: AssessmentKind
    status: AssessmentStatus
    assessed_on: date
    assessors: str
    submitted_at: datetime | None
    result: AccreditationResult
    met_percent: float | None
    by_criticality: dict[int, Tally]
    by_domain: dict[str, Tally]


@dataclass(frozen=True)
class AssessmentInfo:
    """An assessment as a list shows it (the result is computed when asked for, see summary)."""

    id: uuid.UUID
    locality_id: uuid.UUID
    locality_name: str
    framework_id: uuid.UUID
    framework_name: str
    framework_version: str
    kind: AssessmentKind
    status: AssessmentStatus
    assessed_on: date
    assessors: str
    submitted_at: datetime | None


@dataclass(frozen=True)
class CheckRow:
    """One standard check of an assessment, with its standard, for the rating screen."""

    id: uuid.UUID
    standard_id: uuid.UUID
    code: str
    domain: str
    title: str
    description: str
    evidence_guidance: str
    criticality: int
    rating: Rating
    evidence: str
    notes: str
    file_count: int
    #: The check's ``row_version`` as read with its rating and texts: pass it back to
    #: ``set_check`` as ``expected_version``.
    version: int = 0


# --- Results -------------------------------------------------------------------------------


def _thresholds(framework: StandardsFramework) -> rules.Thresholds:
    return rules.Thresholds.for_framework(
        framework.c1_met_pct, framework.c2_met_pct, framework.c3_met_pct
    )


def _result_of(
    session: Session, assessment: Assessment
) -> tuple[AccreditationResult, float | None, dict[int, Tally], dict[str, Tally]]:
    outcome = result_of(session, assessment.id, _thresholds(assessment.framework))
    return outcome.result, outcome.met_percent, outcome.by_criticality, outcome.by_domain


def assessment_summary(session: Session, assessment_id: uuid.UUID) -> AssessmentSummary:
    """The result, tallies by criticality and by domain, and met percent of one assessment.

    A draft gets the result its ratings would give if submitted now.
    """
    assessment = _get_assessment(session, assessment_id)
    result, met_percent, by_criticality, by_domain = _result_of(session, assessment)
    return AssessmentSummary(
        assessment_id=assessment.id,
        locality_id=assessment.locality_id,
        locality_name=assessment.locality.name,
        framework_id=assessment.framework_id,
        framework_name=assessment.framework.name,
        framework_version=assessment.framework.version,
        kind=AssessmentKind(assessment.kind),
        status=AssessmentStatus(assessment.status),
        assessed_on=assessment.assessed_on,
        assessors=assessment.assessors,
        submitted_at=assessment.submitted_at,
        result=result,
        met_percent=met_percent,
        by_criticality=by_criticality,
        by_domain=by_domain,
    )


# --- Lists for screens ---------------------------------------------------------------------


def list_assessments(
    session: Session, locality_id: uuid.UUID | None = None
) -> list[AssessmentInfo]:
    """Assessments, newest first; of one locality when ``locality_id`` is given."""
    query = (
        select(Assessment, Locality.name, StandardsFramework.name, StandardsFramework.version)
        .join(Locality, Locality.id == Assessment.locality_id)
        .join(StandardsFramework, StandardsFramework.id == Assessment.framework_id)
        .order_by(Assessment.assessed_on.desc(), Assessment.created_at.desc())
    )
    if locality_id is not None:
        query = query.where(Assessment.locality_id == locality_id)
    return [
        AssessmentInfo(
            id=a.id,
            locality_id=a.locality_id,
            locality_name=locality_name,
            framework_id=a.framework_id,
            framework_name=framework_name,
            framework_version=framework_version,
            kind=AssessmentKind(a.kind),
            status=AssessmentStatus(a.status),
            assessed_on=a.assessed_on,
            assessors=a.assessors,
            submitted_at=a.submitted_at,
        )
        for a, locality_name, framework_name, framework_version in session.execute(query).all()
    ]


def assessment_checks(session: Session, assessment_id: uuid.UUID) -> list[CheckRow]:
    """The standard checks of an assessment in the framework's order, with their standards."""
    _get_assessment(session, assessment_id)
    # Count the files in SQL: ``len(check.files)`` would load every file's content.
    file_counts = dict(
        session.execute(
            select(EvidenceFile.standard_check_id, func.count(EvidenceFile.id))
            .join(StandardCheck, StandardCheck.id == EvidenceFile.standard_check_id)
            .where(StandardCheck.assessment_id == assessment_id)
            .group_by(EvidenceFile.standard_check_id)
        ).all()
    )
    checks = session.scalars(
        select(StandardCheck)
        .join(Standard, Standard.id == StandardCheck.standard_id)
        .options(contains_eager(StandardCheck.standard))
        .where(StandardCheck.assessment_id == assessment_id)
        .order_by(Standard.position, Standard.code)
    ).all()
    return [
        CheckRow(
            id=c.id,
            standard_id=c.standard_id,
            code=c.standard.code,
            domain=c.standard.domain,
            title=c.standard.title,
            description=c.standard.description,
            evidence_guidance=c.standard.evidence_guidance,
            criticality=c.standard.criticality,
            rating=Rating(c.rating),
            evidence=c.evidence,
            notes=c.notes,
            file_count=int(file_counts.get(c.id, 0)),
            version=int(c.row_version),
        )
        for c in checks
    ]


# --- The assessment workflow ---------------------------------------------------------------


def start_assessment(
    db: Database,
    *,
    locality_id: uuid.UUID,
    framework_id: uuid.UUID,
    kind: AssessmentKind | str,
    assessed_on: date,
    assessors: str | Sequence[str] = "",
) -> uuid.UUID:
    """Create a draft assessment with one not-yet-rated standard check per standard."""
    problems: dict[str, str] = {}
    chosen = fields.choice(
        AssessmentKind, kind, problems, "kind", "Choose self-review or peer review.",
        AssessmentKind.SELF_REVIEW,
    )  # fmt: skip
    if not isinstance(assessed_on, date):
        problems["assessed_on"] = "Give the date of the assessment."
    else:
        fields.check_dates(problems, assessed_on=assessed_on)
    if not isinstance(assessors, str):
        assessors = ", ".join(a.strip() for a in assessors if a and a.strip())
    assessors = fields.ASSESSORS.clean(assessors, problems)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        locality = session.get(Locality, locality_id)
        if locality is None:
            raise NotFoundError("That locality is not in the database.")
        framework = session.get(StandardsFramework, framework_id)
        if framework is None:
            raise NotFoundError("That standards framework is not in the database.")
        if not framework.standards:
            raise CoordinatorError(
                f"The framework '{framework.name}' version {framework.version} has no standards "
                "to assess."
            )
        assessment = Assessment(
            locality_id=locality.id,
            framework_id=framework.id,
            kind=chosen,
            assessed_on=assessed_on,
            assessors=assessors,
            status=AssessmentStatus.DRAFT,
        )
        assessment.checks = [
            StandardCheck(standard_id=standard.id, rating=Rating.NOT_YET_RATED)
            for standard in framework.standards
        ]
        session.add(assessment)
        session.flush()
        audit.record(
            session,
            AuditOperation.CREATE,
            "assessment",
            assessment.id,
            f"Started a {chosen.label.lower()} of {locality.name} against '{framework.name}' "
            f"version {framework.version}, dated {assessed_on.isoformat()}.",
        )
        return assessment.id


def set_check(
    db: Database,
    check_id: uuid.UUID,
    *,
    rating: Rating | str | None = None,
    evidence: str | None = None,
    notes: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Change a standard check's rating, evidence or notes (None leaves a field as it is);
    returns the check's version after the save (unchanged when nothing changed).

    With ``expected_version`` (the ``CheckRow.version`` the screen loaded) a check someone else
    changed meanwhile is refused with ``ConflictError`` and nothing is written, even a field
    they did not touch: the screen must show their change before it saves over it. Refused with
    ``CoordinatorError`` when its assessment has been submitted.
    """
    if rating is not None:
        try:
            rating = parse_choice(Rating, rating)
        except ValueError as exc:
            raise ValidationError({"rating": str(exc)}) from exc
    problems: dict[str, str] = {}
    for spec, text in ((fields.CHECK_EVIDENCE, evidence), (fields.CHECK_NOTES, notes)):
        if text is not None and (sentence := spec.problem(text)):
            problems[spec.key] = sentence
    if problems:
        raise ValidationError(problems)
    with versions.guard(CHECK_WHAT), db.transaction() as session:
        check = _get_check(session, check_id)
        versions.check(check, expected_version, CHECK_WHAT)
        _refuse_if_submitted(check.assessment)
        changed: list[str] = []
        if rating is not None and rating != check.rating:
            check.rating = rating
            changed.append(f"rating {rating.label.lower()}")
        if evidence is not None and evidence != check.evidence:
            check.evidence = evidence
            changed.append("evidence")
        if notes is not None and notes != check.notes:
            check.notes = notes
            changed.append("notes")
        if changed:
            audit.record(
                session,
                AuditOperation.UPDATE,
                "standard_check",
                check.id,
                f"Standard {check.standard.code}: changed {', '.join(changed)}.",
            )
        return versions.saved_version(session, check)


def submit_assessment(db: Database, assessment_id: uuid.UUID) -> AssessmentSummary:
    """Submit a draft: from now on it counts towards the locality's result.

    Checks not yet rated do not block submission; they make the result Incomplete.
    """
    with db.transaction() as session:
        assessment = _get_assessment(session, assessment_id)
        if assessment.status == AssessmentStatus.SUBMITTED:
            raise CoordinatorError("This assessment has already been submitted.")
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = utcnow()
        session.flush()
        summary = assessment_summary(session, assessment.id)
        audit.record(
            session,
            AuditOperation.SUBMIT,
            "assessment",
            assessment.id,
            f"Submitted the {summary.kind.label.lower()} of {summary.locality_name} dated "
            f"{summary.assessed_on.isoformat()}: {summary.result.value}.",
        )
        return summary


def reopen_assessment(db: Database, assessment_id: uuid.UUID) -> None:
    """Take a submitted assessment back to draft; it stops counting until submitted again."""
    with db.transaction() as session:
        assessment = _get_assessment(session, assessment_id)
        if assessment.status != AssessmentStatus.SUBMITTED:
            raise CoordinatorError("This assessment is a draft already, so it is open to change.")
        assessment.status = AssessmentStatus.DRAFT
        assessment.submitted_at = None
        audit.record(
            session,
            AuditOperation.REOPEN,
            "assessment",
            assessment.id,
            f"Reopened the assessment of {assessment.locality.name} dated "
            f"{assessment.assessed_on.isoformat()}.",
        )


def add_evidence_file(db: Database, check_id: uuid.UUID, path: str | os.PathLike[str]) -> uuid.UUID:
    """Attach a file (up to 20 MB) to a standard check; it is kept inside the database.

    Refused when the file is missing, too big, or the assessment has been submitted.
    """
    filename, content = read_attached(path, "an evidence file", "attach a smaller copy or a link")
    with db.transaction() as session:
        check = _get_check(session, check_id)
        _refuse_if_submitted(check.assessment)
        evidence = EvidenceFile(
            standard_check_id=check.id,
            filename=filename,
            size_bytes=len(content),
            content=content,
        )
        session.add(evidence)
        session.flush()
        audit.record(
            session,
            AuditOperation.CREATE,
            "evidence_file",
            evidence.id,
            f"Attached an evidence file to standard {check.standard.code}.",
        )
        return evidence.id


# --- Helpers -------------------------------------------------------------------------------


def _get_assessment(session: Session, assessment_id: uuid.UUID) -> Assessment:
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFoundError("That assessment is not in the database.")
    return assessment


def _get_check(session: Session, check_id: uuid.UUID) -> StandardCheck:
    check = session.get(StandardCheck, check_id)
    if check is None:
        raise NotFoundError("That standard check is not in the database.")
    return check


def _refuse_if_submitted(assessment: Assessment) -> None:
    if assessment.status == AssessmentStatus.SUBMITTED:
        raise CoordinatorError(
            "This assessment has been submitted, so it cannot be changed; reopen it first."
        )


# --- Progress over time --------------------------------------------------------------------

#: How far a rating goes towards meeting a standard; ratings not here are not compared.
_RATING_SCORE = {Rating.NOT_MET: 0, Rating.PARTLY_MET: 1, Rating.MET: 2}


@dataclass(frozen=True)
class HistoryRow:
    """One submitted assessment of a locality with the result it gave."""

    assessment_id: uuid.UUID
    assessed_on: date
    kind: AssessmentKind
    framework_name: str
    framework_version: str
    assessors: str
    result: AccreditationResult
    met_percent: float | None


@dataclass(frozen=True)
class StandardChange:
    """A standard whose rating moved between two assessments (matched by its code)."""

    code: str
    title: str
    domain: str
    criticality: int
    before: Rating
    after: Rating


@dataclass(frozen=True)
class AssessmentComparison:
    """The latest two submitted assessments of a locality and the standards that moved.

    ``improved`` went up the scale not met < partly met < met; ``slipped`` went down. A standard
    rated not applicable or not yet rated in either assessment, or present in only one (a new
    framework version), is in neither list.
    """

    earlier_id: uuid.UUID
    earlier_on: date
    earlier_result: AccreditationResult
    later_id: uuid.UUID
    later_on: date
    later_result: AccreditationResult
    improved: tuple[StandardChange, ...]
    slipped: tuple[StandardChange, ...]


def _submitted_newest_first(session: Session, locality_id: uuid.UUID) -> list[Assessment]:
    """Submitted assessments, newest first, in the order ``locality_result`` uses."""
    return list(
        session.scalars(
            select(Assessment)
            .where(
                Assessment.locality_id == locality_id,
                Assessment.status == AssessmentStatus.SUBMITTED,
            )
            .order_by(
                Assessment.assessed_on.desc(),
                Assessment.submitted_at.desc().nulls_last(),
                Assessment.created_at.desc(),
            )
        )
    )


def result_history(session: Session, locality_id: uuid.UUID) -> list[HistoryRow]:
    """The results of the locality's submitted assessments, newest first (drafts never count).

    The first row is the one ``locality_result`` reports as the current result.
    """
    rows = []
    for assessment in _submitted_newest_first(session, locality_id):
        result, met_percent, _, _ = _result_of(session, assessment)
        rows.append(
            HistoryRow(
                assessment_id=assessment.id,
                assessed_on=assessment.assessed_on,
                kind=AssessmentKind(assessment.kind),
                framework_name=assessment.framework.name,
                framework_version=assessment.framework.version,
                assessors=assessment.assessors,
                result=result,
                met_percent=met_percent,
            )
        )
    return rows


def _ratings_by_code(
    session: Session, assessment_id: uuid.UUID
) -> dict[str, tuple[Standard, Rating]]:
    rows = session.execute(
        select(Standard, StandardCheck.rating)
        .join(StandardCheck, StandardCheck.standard_id == Standard.id)
        .where(StandardCheck.assessment_id == assessment_id)
        .order_by(Standard.position, Standard.code)
    ).all()
    return {standard.code: (standard, Rating(rating)) for standard, rating in rows}


def compare_latest_two(session: Session, locality_id: uuid.UUID) -> AssessmentComparison | None:
    """Which standards improved and which slipped between the locality's latest two submitted
    assessments; None when it has fewer than two.

    Standards are matched by code, so a new version of a framework compares where its codes
    stay; the lists follow the later assessment's framework order.
    """
    latest = _submitted_newest_first(session, locality_id)[:2]
    if len(latest) < 2:
        return None
    later, earlier = latest
    before = _ratings_by_code(session, earlier.id)
    improved: list[StandardChange] = []
    slipped: list[StandardChange] = []
    for code, (standard, after) in _ratings_by_code(session, later.id).items():
        if code not in before:
            continue
        old = before[code][1]
        if old not in _RATING_SCORE or after not in _RATING_SCORE:
            continue
        change = StandardChange(
            code=code,
            title=standard.title,
            domain=standard.domain,
            criticality=int(standard.criticality),
            before=old,
            after=after,
        )
        if _RATING_SCORE[after] > _RATING_SCORE[old]:
            improved.append(change)
        elif _RATING_SCORE[after] < _RATING_SCORE[old]:
            slipped.append(change)
    return AssessmentComparison(
        earlier_id=earlier.id,
        earlier_on=earlier.assessed_on,
        earlier_result=_result_of(session, earlier)[0],
        later_id=later.id,
        later_on=later.assessed_on,
        later_result=_result_of(session, later)[0],
        improved=tuple(improved),
        slipped=tuple(slipped),
    )


# --- A standard check's evidence files and actions -----------------------------------------


@dataclass(frozen=True)
class EvidenceFileInfo:
    """An evidence file without its content (lists never load the bytes)."""

    id: uuid.UUID
    filename: str
    size_bytes: int
    added_at: datetime


def evidence_files(session: Session, check_id: uuid.UUID) -> list[EvidenceFileInfo]:
    """The files attached to a standard check, oldest first; their content is not read."""
    rows = session.execute(
        select(
            EvidenceFile.id, EvidenceFile.filename, EvidenceFile.size_bytes, EvidenceFile.created_at
        )
        .where(EvidenceFile.standard_check_id == check_id)
        .order_by(EvidenceFile.created_at, EvidenceFile.filename)
    ).all()
    return [EvidenceFileInfo(*row) for row in rows]


def evidence_file_content(session: Session, file_id: uuid.UUID) -> tuple[str, bytes]:
    """(filename, content) of one evidence file, for saving a copy; NotFoundError if gone."""
    evidence = session.get(EvidenceFile, file_id)
    if evidence is None:
        raise NotFoundError("That evidence file is no longer in the database.")
    return evidence.filename, bytes(evidence.content)


def save_evidence_copy(db: Database, file_id: uuid.UUID, path: str | os.PathLike[str]) -> Path:
    """Write a copy of an evidence file to ``path`` (written beside it and renamed into place)."""
    with db.session() as session:
        _, content = evidence_file_content(session, file_id)
    return atomic_write(path, lambda temp: Path(temp).write_bytes(content))


def check_actions(
    session: Session, check_id: uuid.UUID, *, today: date, open_only: bool = True
) -> list[ActionRow]:
    """The actions raised from a standard check (open now only, unless ``open_only`` is False),
    newest raised first."""
    where = [Action.standard_check_id == check_id]
    if open_only:
        where.append(rules.open_now(today))
    return action_rows(session, *where, today=today)


def check_info(session: Session, check_id: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID, str, str]:
    """(assessment id, locality id, standard code, standard title) of a standard check."""
    check = _get_check(session, check_id)
    return (
        check.assessment_id,
        check.assessment.locality_id,
        check.standard.code,
        check.standard.title,
    )


def action_title_for(code: str, title: str) -> str:
    """The title offered for an action raised from a standard: ``Meet standard 2.3: <title>``."""
    return f"Meet standard {code}: {' '.join(title.split())}"


# --- The assessment report -----------------------------------------------------------------


def assessment_report_document(
    db: Database, assessment_id: uuid.UUID, *, today: date | None = None
) -> Document:
    """The printable report of one assessment (``core.document``; typeset by ``core/typeset.py``).

    Holds the result, tallies by criticality and by domain, and every standard rated not met or
    partly met with its evidence, notes, evidence files and actions (open or closed), then every
    standard's rating, domain by domain. Text from the database is data, never markup: a title
    may hold ``<script>`` or ``#``. The report leaves the coordinator (peer reviewers, the
    engagement group), so every piece typed about people (assessors, evidence, notes, file
    names, action titles and owners) goes through the return's redactor
    (``privacy.redactor_for``): no service user's or carer's name, e-mail address or phone
    number is printed.
    """
    today = today or date.today()
    with db.reading() as conn:
        redact = redactor_for(conn)
        trust = conn.execute(select(schema.trust_settings.c.trust_name).limit(1)).scalar()
    with db.session() as session:
        summary = assessment_summary(session, assessment_id)
        checks = assessment_checks(session, assessment_id)
        framework = session.get(StandardsFramework, summary.framework_id)
        assert framework is not None
        thresholds = _thresholds(framework)
        gaps = [c for c in checks if c.rating in (Rating.NOT_MET, Rating.PARTLY_MET)]
        files = {c.id: evidence_files(session, c.id) for c in gaps}
        gap_actions = {
            c.id: check_actions(session, c.id, today=today, open_only=False) for c in gaps
        }
    blocks = _report_blocks(summary, checks, thresholds, gaps, files, gap_actions, redact)
    return Document(
        title=f"Accreditation assessment: {summary.locality_name}",
        blocks=tuple(blocks),
        trust_name=trust or "",
    )


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


_CRITICALITY_WORDS = {1: "Essential", 2: "Expected", 3: "Desirable"}


def criticality_label(criticality: int) -> str:
    """The word for a criticality: 1 Essential, 2 Expected, 3 Desirable (never a colour)."""
    return _CRITICALITY_WORDS.get(int(criticality), str(criticality))


def _report_blocks(
    summary: AssessmentSummary,
    checks: list[CheckRow],
    thresholds: rules.Thresholds,
    gaps: list[CheckRow],
    files: dict[uuid.UUID, list[EvidenceFileInfo]],
    gap_actions: dict[uuid.UUID, list[ActionRow]],
    redact: Redact,
) -> list[Block]:
    status = (
        "Submitted" if summary.status == AssessmentStatus.SUBMITTED else "Draft (not submitted)"
    )
    blocks: list[Block] = [
        Heading(1, f"Accreditation assessment: {summary.locality_name}"),
        Facts(
            (
                (
                    "Framework",
                    spans(f"{summary.framework_name} (version {summary.framework_version})"),
                ),
                ("Kind", spans(summary.kind.label)),
                ("Assessed on", spans(summary.assessed_on.strftime("%d/%m/%Y"))),
                ("Assessors", spans(redact(summary.assessors) or "–")),
                ("Status", spans(status)),
                ("Result", spans(Span(str(summary.result.value), strong=True))),
                ("Standards met", spans(_pct(summary.met_percent))),
            )
        ),
        Heading(2, "Standards met by criticality"),
    ]
    number = "right"
    tally_columns = (
        Column("Met", 10, align=number),
        Column("Rated", 10, align=number),
        Column("Not yet rated", 14, align=number),
        Column("Met %", 12, align=number),
    )
    rows = []
    for level in (1, 2, 3):
        t = summary.by_criticality.get(level, Tally())
        rows.append(
            (
                spans(criticality_label(level)),
                spans(str(t.met)),
                spans(str(t.rated)),
                spans(str(t.unrated)),
                spans(_pct(t.percent)),
                spans(_pct(thresholds.accredited.get(level))),
            )
        )
    blocks.append(
        Table(
            (
                Column("Criticality", 20),
                *tally_columns,
                Column("Needed to be accredited", 20, align=number),
            ),
            tuple(rows),
        )
    )
    blocks.append(Heading(2, "Standards met by domain"))
    blocks.append(
        Table(
            (Column("Domain", 40), *tally_columns),
            tuple(
                (
                    spans(domain_name),
                    spans(str(t.met)),
                    spans(str(t.rated)),
                    spans(str(t.unrated)),
                    spans(_pct(t.percent)),
                )
                for domain_name, t in summary.by_domain.items()
            ),
        )
    )
    blocks.append(Heading(2, "Standards not met or partly met"))
    if not gaps:
        blocks.append(Paragraph(spans("Every rated standard is met or not applicable.")))
    for check in gaps:
        blocks.append(Heading(3, f"{check.code} {check.title}"))
        blocks.append(
            Paragraph(
                spans(
                    f"{check.domain}; {criticality_label(check.criticality)}; rated ",
                    Span(check.rating.label, strong=True),
                    ".",
                )
            )
        )
        evidence = redact(check.evidence).strip()
        blocks.append(
            Paragraph(spans(Span("Evidence: ", strong=True), evidence or "none recorded."))
        )
        if check.notes.strip():
            blocks.append(
                Paragraph(spans(Span("Notes: ", strong=True), redact(check.notes).strip()))
            )
        names = files.get(check.id, [])
        if names:
            listed = ", ".join(redact(f.filename) for f in names)
            blocks.append(Paragraph(spans(Span("Evidence files: ", strong=True), listed)))
        raised = gap_actions.get(check.id, [])
        if not raised:
            blocks.append(Paragraph(spans(Span("Actions: ", strong=True), "none raised.")))
            continue
        blocks.append(
            Table(
                (
                    Column("Action", 14),
                    Column("Title", 40),
                    Column("Owner", 18),
                    Column("Due", 13),
                    Column("Status", 15),
                ),
                tuple(
                    (
                        spans(action.reference),
                        spans(redact(action.title)),
                        spans(redact(action.owner) or "–"),
                        spans(action.due_on.strftime("%d/%m/%Y") if action.due_on else "–"),
                        spans(action.status.label + (" (overdue)" if action.overdue else "")),
                    )
                    for action in raised
                ),
            )
        )
    blocks.append(Heading(2, "Every standard"))
    by_domain: dict[str, list[CheckRow]] = {}
    for check in checks:
        by_domain.setdefault(check.domain, []).append(check)
    for domain, rated in by_domain.items():
        blocks.append(Heading(3, domain))
        blocks.append(
            Table(
                (
                    Column("Code", 10),
                    Column("Standard", 55),
                    Column("Criticality", 17),
                    Column("Rating", 18),
                ),
                tuple(
                    (
                        spans(check.code),
                        spans(check.title),
                        spans(criticality_label(check.criticality)),
                        spans(check.rating.label),
                    )
                    for check in rated
                ),
            )
        )
    return blocks
