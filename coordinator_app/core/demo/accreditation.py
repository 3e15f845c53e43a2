"""Accreditation: each locality's yearly self-review and peer review against the standards
framework (a rating, evidence and gap notes per standard, improving over the years), a draft
self-review in the last month, an evidence file on submitted peer reviews and an action for each
standard a peer review found not met.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from ..models import Assessment, EvidenceFile, StandardCheck
from ..rules import Month
from ..vocab import ActionLevel, AssessmentKind, AssessmentStatus, Rating
from .actions import action
from .content import _EVIDENCE, _GAP_NOTES
from .state import _Generator, _Place


def assessments(gen: _Generator, place: _Place, index: int, month: Month) -> None:
    rng = gen.rng
    if not gen.standards:
        return
    offset = (index - place.index * 2 - 3) % 12
    last = index == len(gen.months) - 1
    if offset in (0, 2):
        kind = AssessmentKind.SELF_REVIEW if offset == 0 else AssessmentKind.PEER_REVIEW
        day = month.first + timedelta(days=rng.randrange(8, 25))
        if day + timedelta(days=45) <= gen.today:
            _assessment(gen, place, index, kind, day, AssessmentStatus.SUBMITTED)
    if last:
        day = max(gen.months[0].first, gen.today - timedelta(days=rng.randrange(3, 25)))
        _assessment(gen, place, index, AssessmentKind.SELF_REVIEW, day, AssessmentStatus.DRAFT)


def _assessment(
    gen: _Generator,
    place: _Place,
    index: int,
    kind: AssessmentKind,
    day: date,
    status: AssessmentStatus,
) -> None:
    rng = gen.rng
    peer = kind == AssessmentKind.PEER_REVIEW
    if peer:
        other = gen.places[(place.index + 1) % len(gen.places)]
        assessors = (
            f"{other.coordinator} ({other.name}); two experts by experience from the "
            f"{other.name} Locality Forum"
        )
    else:
        assessors = f"{place.coordinator}; members of the {place.name} Locality Forum"
    submitted_at = None
    if status == AssessmentStatus.SUBMITTED:
        submitted_day = day + timedelta(days=rng.randint(2, 20))
        submitted_at = datetime.combine(submitted_day, time(15, 30), tzinfo=UTC)
    assessment_id = gen.add(
        Assessment,
        locality_id=place.id,
        framework_id=gen.framework_id,
        kind=kind,
        assessed_on=day,
        assessors=assessors,
        status=status,
        submitted_at=submitted_at,
    )
    progress = index / max(1, len(gen.months) - 1)
    forum_name = place.forums[0].name
    file_pending = True
    for standard_id, code, title, criticality in gen.standards:
        p_met = 0.45 + 0.4 * progress + (0.1 if criticality == 1 else 0) - (0.08 if peer else 0)
        roll = rng.random()
        if status == AssessmentStatus.DRAFT and rng.random() < 0.35:
            rating = Rating.NOT_YET_RATED
        elif criticality == 3 and roll < 0.07:
            rating = Rating.NOT_APPLICABLE
        elif roll < p_met:
            rating = Rating.MET
        elif roll < p_met + (1 - p_met) * 0.6:
            rating = Rating.PARTLY_MET
        else:
            rating = Rating.NOT_MET
        evidence = notes = ""
        if rating in (Rating.MET, Rating.PARTLY_MET):
            evidence = rng.choice(_EVIDENCE).format(forum=forum_name)
        if rating in (Rating.PARTLY_MET, Rating.NOT_MET):
            notes = rng.choice(_GAP_NOTES)
        check_id = gen.add(
            StandardCheck,
            assessment_id=assessment_id,
            standard_id=standard_id,
            rating=rating,
            evidence=evidence,
            notes=notes,
        )
        if peer and status == AssessmentStatus.SUBMITTED and rating == Rating.MET and file_pending:
            # One attached file per submitted peer review: the attendance summary.
            file_pending = False
            content = (
                f"Forum,Meetings held,Attendances\n{forum_name},11,{rng.randint(150, 260)}\n"
            ).encode()
            gen.add(
                EvidenceFile,
                standard_check_id=check_id,
                filename=f"{place.code}-attendance-summary.csv",
                size_bytes=len(content),
                content=content,
            )
        if peer and rating == Rating.NOT_MET and status == AssessmentStatus.SUBMITTED:
            action(
                gen,
                place,
                "Standards",
                day,
                f"Meet standard {code}: {title}",
                "Agreed at the peer review: gather evidence and put the gap right.",
                "Evidence in place; the standard was rated met at the next review.",
                service=place.services[0],
                ward=place.wards[0],
                standard_check_id=check_id,
                level=rng.choice((ActionLevel.LOCALITY, ActionLevel.STRATEGIC)),
            )
