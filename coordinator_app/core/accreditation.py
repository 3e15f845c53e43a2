"""Accreditation: assessments of a locality against a standards framework, their standard checks,
and the result (DESIGN.md section 5).

The result rule itself lives in ``rules`` (``tally``, ``accreditation_result``,
``Thresholds.for_framework``, ``standards_met_percent``); this module only gathers the ratings
and hands them over, so the screens, the monthly return and the command line agree.

Pitfalls:

- Drafts never count. A locality's result is that of its latest *submitted* assessment; in the
  return for a month, the latest submitted assessment dated before the first day of the next
  month (``before``). Two on the same date: the later ``submitted_at`` wins.
- A submitted assessment is frozen: reopen it (back to draft) before changing a rating.
- Not yet rated is allowed at submission, but then the result is Incomplete.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, rules
from .db import Database
from .errors import CoordinatorError, NotFoundError, ValidationError
from .models import (
    Assessment,
    EvidenceFile,
    Locality,
    Standard,
    StandardCheck,
    StandardsFramework,
    utcnow,
)
from .rules import AccreditationResult, Tally
from .vocab import AssessmentKind, AssessmentStatus, AuditOperation, Rating

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


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
class LocalityResult:
    """A locality's current result: ``NONE`` with every other field None when never assessed."""

    result: AccreditationResult
    met_percent: float | None = None
    assessment_id: uuid.UUID | None = None
    assessed_on: date | None = None
    framework_name: str | None = None
    framework_version: str | None = None


@dataclass(frozen=True)
class AccreditationRow:
    """One row of the monthly return's Accreditation sheet."""

    code: str
    domain: str
    standard: str
    criticality: int
    rating: str
    assessed_on: date


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


# --- Results -------------------------------------------------------------------------------


def _ratings(session: Session, assessment_id: uuid.UUID) -> list[tuple[str, int, Rating]]:
    """(domain, criticality, rating) of every check of an assessment, in the framework's order."""
    rows = session.execute(
        select(Standard.domain, Standard.criticality, StandardCheck.rating)
        .join(Standard, Standard.id == StandardCheck.standard_id)
        .where(StandardCheck.assessment_id == assessment_id)
        .order_by(Standard.position, Standard.code)
    ).all()
    return [(domain, int(criticality), Rating(rating)) for domain, criticality, rating in rows]


def _thresholds(framework: StandardsFramework) -> rules.Thresholds:
    return rules.Thresholds.for_framework(
        framework.c1_met_pct, framework.c2_met_pct, framework.c3_met_pct
    )


def _result_of(
    session: Session, assessment: Assessment
) -> tuple[AccreditationResult, float | None, dict[int, Tally], dict[str, Tally]]:
    ratings = _ratings(session, assessment.id)
    by_criticality = rules.tally((criticality, rating) for _, criticality, rating in ratings)
    result = rules.accreditation_result(by_criticality, _thresholds(assessment.framework))
    domains: dict[str, list[tuple[int, Rating]]] = {}
    for domain, criticality, rating in ratings:
        domains.setdefault(domain, []).append((criticality, rating))
    by_domain = {domain: _sum(rules.tally(pairs).values()) for domain, pairs in domains.items()}
    return result, rules.standards_met_percent(by_criticality), by_criticality, by_domain


def _sum(tallies: Iterable[Tally]) -> Tally:
    tallies = list(tallies)
    return Tally(
        met=sum(t.met for t in tallies),
        rated=sum(t.rated for t in tallies),
        unrated=sum(t.unrated for t in tallies),
    )


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


def latest_submitted_assessment(
    session: Session, locality_id: uuid.UUID, before: date | None = None
) -> Assessment | None:
    """The locality's latest submitted assessment (dated before ``before`` when given).

    Ties on the date go to the later ``submitted_at``. For core use only (returns an ORM object).
    """
    query = select(Assessment).where(
        Assessment.locality_id == locality_id,
        Assessment.status == AssessmentStatus.SUBMITTED,
    )
    if before is not None:
        query = query.where(Assessment.assessed_on < before)
    query = query.order_by(
        Assessment.assessed_on.desc(),
        Assessment.submitted_at.desc().nulls_last(),
        Assessment.created_at.desc(),
    ).limit(1)
    return session.scalar(query)


def locality_result(
    session: Session, locality_id: uuid.UUID, before: date | None = None
) -> LocalityResult:
    """The result of the locality's latest submitted assessment; drafts never count.

    With ``before`` (the first day of the month after a return's month) only assessments dated
    strictly before it count. No submitted assessment gives ``AccreditationResult.NONE``.
    """
    assessment = latest_submitted_assessment(session, locality_id, before)
    if assessment is None:
        return LocalityResult(result=AccreditationResult.NONE)
    result, met_percent, _, _ = _result_of(session, assessment)
    return LocalityResult(
        result=result,
        met_percent=met_percent,
        assessment_id=assessment.id,
        assessed_on=assessment.assessed_on,
        framework_name=assessment.framework.name,
        framework_version=assessment.framework.version,
    )


def accreditation_rows(
    session: Session, locality_id: uuid.UUID, before: date
) -> list[AccreditationRow]:
    """The monthly return's Accreditation sheet: the standards of the latest submitted assessment
    dated before ``before``, in the framework's order; empty when there is none."""
    assessment = latest_submitted_assessment(session, locality_id, before)
    if assessment is None:
        return []
    rows = session.execute(
        select(
            Standard.code,
            Standard.domain,
            Standard.title,
            Standard.criticality,
            StandardCheck.rating,
        )
        .join(Standard, Standard.id == StandardCheck.standard_id)
        .where(StandardCheck.assessment_id == assessment.id)
        .order_by(Standard.position, Standard.code)
    ).all()
    return [
        AccreditationRow(
            code=code,
            domain=domain,
            standard=title,
            criticality=int(criticality),
            rating=Rating(rating).label,
            assessed_on=assessment.assessed_on,
        )
        for code, domain, title, criticality, rating in rows
    ]


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
    checks = session.scalars(
        select(StandardCheck)
        .join(Standard, Standard.id == StandardCheck.standard_id)
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
            file_count=len(c.files),
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
    try:
        kind = AssessmentKind.parse(kind) if isinstance(kind, str) else AssessmentKind(kind)
    except ValueError:
        problems["kind"] = "Choose self-review or peer review."
    if not isinstance(assessed_on, date):
        problems["assessed_on"] = "Give the date of the assessment."
    if problems:
        raise ValidationError(problems)
    if not isinstance(assessors, str):
        assessors = ", ".join(a.strip() for a in assessors if a and a.strip())
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
            kind=kind,
            assessed_on=assessed_on,
            assessors=assessors.strip(),
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
            f"Started a {kind.label.lower()} of {locality.name} against '{framework.name}' "
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
) -> None:
    """Change a standard check's rating, evidence or notes (None leaves a field as it is).

    Refused with ``CoordinatorError`` when its assessment has been submitted.
    """
    if rating is not None:
        try:
            rating = Rating.parse(rating) if isinstance(rating, str) else Rating(rating)
        except ValueError as exc:
            raise ValidationError({"rating": f"{exc}."}) from exc
    with db.transaction() as session:
        check = _get_check(session, check_id)
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
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise CoordinatorError(f"There is no file at {path}.") from exc
    except OSError as exc:
        raise CoordinatorError(f"{path.name} cannot be read ({exc.strerror}).") from exc
    if not path.is_file():
        raise CoordinatorError(f"{path.name} is a folder, not a file.")
    if size > MAX_EVIDENCE_BYTES:
        raise CoordinatorError(
            f"{path.name} is {size / (1024 * 1024):.1f} MB; an evidence file can be at most "
            f"{MAX_EVIDENCE_BYTES // (1024 * 1024)} MB, so attach a smaller copy or a link."
        )
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise CoordinatorError(f"{path.name} cannot be read ({exc.strerror}).") from exc
    if len(content) > MAX_EVIDENCE_BYTES:  # grew between the check and the read
        raise CoordinatorError(f"{path.name} is bigger than 20 MB and was not attached.")
    with db.transaction() as session:
        check = _get_check(session, check_id)
        _refuse_if_submitted(check.assessment)
        evidence = EvidenceFile(
            standard_check_id=check.id,
            filename=path.name,
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
