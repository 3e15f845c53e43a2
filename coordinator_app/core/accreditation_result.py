"""A locality's accreditation result, read with Core queries only (no ORM objects).

Home's result card and the monthly return need the result of a locality's latest submitted
assessment and that assessment's ratings. They read them here, from the tables of
``core.schema``, so neither loads and configures the ORM first. ``core.accreditation``, which
edits assessments, computes every result through ``result_of`` too, so a screen, the return and
the command line cannot disagree. The rule itself lives in ``rules``.

Drafts never count. With ``before`` (the first day of the month after a return's month) only
assessments dated strictly before it count. Two on the same date: the later ``submitted_at``
wins, then the later created.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import select

from . import rules
from .rules import AccreditationResult, Tally
from .schema import assessments, standard_checks, standards, standards_frameworks
from .vocab import AssessmentStatus, Rating

if TYPE_CHECKING:
    from .db import Reader


class LocalityResult(NamedTuple):
    """A locality's current result: ``NONE`` with every other field None when never assessed."""

    result: AccreditationResult
    met_percent: float | None = None
    assessment_id: uuid.UUID | None = None
    assessed_on: date | None = None
    framework_name: str | None = None
    framework_version: str | None = None


class AccreditationRow(NamedTuple):
    """One row of the monthly return's Accreditation sheet."""

    code: str
    domain: str
    standard: str
    criticality: int
    rating: str
    assessed_on: date


class Outcome(NamedTuple):
    """What one assessment's ratings give: the result, met percent and the tallies."""

    result: AccreditationResult
    met_percent: float | None
    by_criticality: dict[int, Tally]
    by_domain: dict[str, Tally]


def ratings(reader: Reader, assessment_id: uuid.UUID) -> list[tuple[str, int, Rating]]:
    """(domain, criticality, rating) of every check of an assessment, in the framework's order."""
    rows = reader.execute(
        select(standards.c.domain, standards.c.criticality, standard_checks.c.rating)
        .join(standards, standards.c.id == standard_checks.c.standard_id)
        .where(standard_checks.c.assessment_id == assessment_id)
        .order_by(standards.c.position, standards.c.code)
    ).all()
    return [(domain, int(criticality), Rating(rating)) for domain, criticality, rating in rows]


def _sum(tallies: Iterable[Tally]) -> Tally:
    tallies = list(tallies)
    return Tally(
        met=sum(t.met for t in tallies),
        rated=sum(t.rated for t in tallies),
        unrated=sum(t.unrated for t in tallies),
    )


def result_of(reader: Reader, assessment_id: uuid.UUID, thresholds: rules.Thresholds) -> Outcome:
    """The result of one assessment from its ratings and its framework's ``thresholds``."""
    found = ratings(reader, assessment_id)
    by_criticality = rules.tally((criticality, rating) for _, criticality, rating in found)
    domains: dict[str, list[tuple[int, Rating]]] = {}
    for domain, criticality, rating in found:
        domains.setdefault(domain, []).append((criticality, rating))
    return Outcome(
        result=rules.accreditation_result(by_criticality, thresholds),
        met_percent=rules.standards_met_percent(by_criticality),
        by_criticality=by_criticality,
        by_domain={domain: _sum(rules.tally(pairs).values()) for domain, pairs in domains.items()},
    )


def _latest_submitted(reader: Reader, locality_id: uuid.UUID, before: date | None) -> Any:
    """The row (id, assessed_on, framework name, version, c1-c3 thresholds) of the locality's
    latest submitted assessment, dated before ``before`` when given; None when there is none."""
    frameworks = standards_frameworks
    query = (
        select(
            assessments.c.id,
            assessments.c.assessed_on,
            frameworks.c.name,
            frameworks.c.version,
            frameworks.c.c1_met_pct,
            frameworks.c.c2_met_pct,
            frameworks.c.c3_met_pct,
        )
        .join(frameworks, frameworks.c.id == assessments.c.framework_id)
        .where(
            assessments.c.locality_id == locality_id,
            assessments.c.status == AssessmentStatus.SUBMITTED,
        )
    )
    if before is not None:
        query = query.where(assessments.c.assessed_on < before)
    query = query.order_by(
        assessments.c.assessed_on.desc(),
        assessments.c.submitted_at.desc().nulls_last(),
        assessments.c.created_at.desc(),
    ).limit(1)
    return reader.execute(query).first()


def locality_result(
    reader: Reader, locality_id: uuid.UUID, before: date | None = None
) -> LocalityResult:
    """The result of the locality's latest submitted assessment; drafts never count.

    With ``before`` only assessments dated strictly before it count. No submitted assessment
    gives ``AccreditationResult.NONE``.
    """
    latest = _latest_submitted(reader, locality_id, before)
    if latest is None:
        return LocalityResult(result=AccreditationResult.NONE)
    thresholds = rules.Thresholds.for_framework(latest[4], latest[5], latest[6])
    outcome = result_of(reader, latest[0], thresholds)
    return LocalityResult(
        result=outcome.result,
        met_percent=outcome.met_percent,
        assessment_id=latest[0],
        assessed_on=latest[1],
        framework_name=latest[2],
        framework_version=latest[3],
    )


def accreditation_rows(
    reader: Reader, locality_id: uuid.UUID, before: date
) -> list[AccreditationRow]:
    """The monthly return's Accreditation sheet: the standards of the latest submitted assessment
    dated before ``before``, in the framework's order; empty when there is none."""
    latest = _latest_submitted(reader, locality_id, before)
    if latest is None:
        return []
    rows = reader.execute(
        select(
            standards.c.code,
            standards.c.domain,
            standards.c.title,
            standards.c.criticality,
            standard_checks.c.rating,
        )
        .join(standards, standards.c.id == standard_checks.c.standard_id)
        .where(standard_checks.c.assessment_id == latest[0])
        .order_by(standards.c.position, standards.c.code)
    ).all()
    return [
        AccreditationRow(
            code=code,
            domain=domain,
            standard=title,
            criticality=int(criticality),
            rating=Rating(rating).label,
            assessed_on=latest[1],
        )
        for code, domain, title, criticality, rating in rows
    ]
