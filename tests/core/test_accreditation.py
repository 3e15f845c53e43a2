"""Accreditation through real assessments in a database: the result rule at every threshold,
which assessment counts, the return's rows and the assessment workflow."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from coordinator_app.core.accreditation import (
    MAX_EVIDENCE_BYTES,
    AccreditationRow,
    accreditation_rows,
    add_evidence_file,
    assessment_checks,
    assessment_summary,
    list_assessments,
    locality_result,
    reopen_assessment,
    set_check,
    start_assessment,
    submit_assessment,
)
from coordinator_app.core.db import Database
from coordinator_app.core.errors import CoordinatorError, NotFoundError
from coordinator_app.core.models import (
    Assessment,
    AuditEntry,
    EvidenceFile,
    Locality,
    StandardCheck,
)
from coordinator_app.core.rules import AccreditationResult, Tally
from coordinator_app.core.standards import (
    FrameworkData,
    StandardData,
    import_framework,
    write_framework_workbook,
)
from coordinator_app.core.vocab import AssessmentKind, AssessmentStatus, AuditOperation, Rating

M, P, N, NA, U = (
    Rating.MET,
    Rating.PARTLY_MET,
    Rating.NOT_MET,
    Rating.NOT_APPLICABLE,
    Rating.NOT_YET_RATED,
)
SIZES = {1: 10, 2: 20, 3: 10}


def _framework(
    db: Database,
    tmp_path: Path,
    *,
    sizes: dict[int, int] | None = None,
    version: str = "1.0",
    c1: float | None = None,
    c2: float | None = None,
    c3: float | None = None,
) -> uuid.UUID:
    """A framework with ``sizes[k]`` standards of criticality k (codes "k.1", "k.2", ...),
    loaded through its workbook like a coordinator would."""
    sizes = sizes or SIZES
    domains = {1: "Involvement in own care", 2: "Forums and feedback", 3: "You said - we did"}
    standards = tuple(
        StandardData(f"{level}.{i}", domains[level], f"Standard {level}.{i}", "", "", level)
        for level, count in sizes.items()
        for i in range(1, count + 1)
    )
    data = FrameworkData(
        name="Test Standards",
        version=version,
        issued_on=date(2026, 4, 1),
        standards=standards,
        c1_met_pct=c1,
        c2_met_pct=c2,
        c3_met_pct=c3,
    )
    path = write_framework_workbook(data, tmp_path / f"framework-{version}.xlsx")
    return import_framework(db, path).id


def _locality(db: Database, name: str = "Rugby", code: str = "RUG") -> uuid.UUID:
    with db.transaction() as session:
        locality = Locality(name=name, code=code, coordinated=True)
        session.add(locality)
        session.flush()
        return locality.id


def _ratings(
    c1: list[Rating] | None = None, c2: list[Rating] | None = None, c3: list[Rating] | None = None
) -> dict[int, list[Rating]]:
    """Ratings per criticality; any level not given is all met."""
    return {
        1: c1 if c1 is not None else [M] * SIZES[1],
        2: c2 if c2 is not None else [M] * SIZES[2],
        3: c3 if c3 is not None else [M] * SIZES[3],
    }


def _assess(
    db: Database,
    locality_id: uuid.UUID,
    framework_id: uuid.UUID,
    ratings: dict[int, list[Rating]],
    *,
    on: date = date(2026, 5, 12),
    submit: bool = True,
) -> uuid.UUID:
    """Start an assessment, rate its checks in the framework's order per criticality (stored as
    given), and submit it unless told not to."""
    assessment_id = start_assessment(
        db,
        locality_id=locality_id,
        framework_id=framework_id,
        kind=AssessmentKind.PEER_REVIEW,
        assessed_on=on,
        assessors=["Zoë Smith", "Siân O'Neill"],
    )
    with db.session() as session:
        checks = assessment_checks(session, assessment_id)
    by_level: dict[int, list[uuid.UUID]] = {}
    for check in checks:
        by_level.setdefault(check.criticality, []).append(check.id)
    # One transaction for all the ratings keeps the suite fast; set_check is tested on its own.
    with db.transaction() as session:
        for level, level_ratings in ratings.items():
            for check_id, rating in zip(by_level[level], level_ratings, strict=True):
                session.get(StandardCheck, check_id).rating = rating
    if submit:
        submit_assessment(db, assessment_id)
    return assessment_id


def _result(db: Database, assessment_id: uuid.UUID) -> AccreditationResult:
    with db.session() as session:
        return assessment_summary(session, assessment_id).result


@pytest.fixture
def setting(db: Database, tmp_path: Path) -> tuple[Database, uuid.UUID, uuid.UUID]:
    return db, _locality(db), _framework(db, tmp_path)


# --- The result rule at every threshold ----------------------------------------------------

A, D, X, INC = (
    AccreditationResult.ACCREDITED,
    AccreditationResult.DEFERRED,
    AccreditationResult.NOT_ACCREDITED,
    AccreditationResult.INCOMPLETE,
)


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        pytest.param(_ratings(), A, id="everything met"),
        pytest.param(_ratings(c1=[M] * 9 + [N]), D, id="c1 one not met (90%) defers"),
        pytest.param(_ratings(c1=[M] * 8 + [N] * 2), X, id="c1 80% is below deferral"),
        pytest.param(
            _ratings(c1=[M] * 8 + [N] + [NA]), X, id="c1 8 of 9 (88.9%) just below deferral"
        ),
        pytest.param(_ratings(c1=[M] * 9 + [NA]), A, id="c1 not applicable left out"),
        pytest.param(_ratings(c1=[M] * 9 + [P]), D, id="c1 partly met counts as not met"),
        pytest.param(_ratings(c2=[M] * 16 + [N] * 4), A, id="c2 80% exactly accredits"),
        pytest.param(
            _ratings(c2=[M] * 15 + [N] * 4 + [NA]), D, id="c2 15 of 19 (78.9%) just below 80"
        ),
        pytest.param(_ratings(c2=[M] * 16 + [P] * 4), A, id="c2 80% with partly met"),
        pytest.param(_ratings(c2=[M] * 15 + [P] * 5), D, id="c2 partly met counts as not met"),
        pytest.param(_ratings(c2=[M] * 14 + [N] * 6), D, id="c2 70% exactly defers"),
        pytest.param(
            _ratings(c2=[M] * 13 + [N] * 6 + [NA]), X, id="c2 13 of 19 (68.4%) just below 70"
        ),
        pytest.param(_ratings(c3=[M] * 6 + [N] * 4), A, id="c3 60% exactly accredits"),
        pytest.param(_ratings(c3=[M] * 5 + [N] * 4 + [NA]), D, id="c3 5 of 9 (55.6%) defers"),
        pytest.param(_ratings(c3=[N] * 10), D, id="c3 none met still defers"),
        pytest.param(
            _ratings(c1=[M] * 9 + [N], c2=[M] * 14 + [N] * 6, c3=[N] * 10),
            D,
            id="deferral at 90% and 70% exactly together",
        ),
        pytest.param(_ratings(c3=[M] * 9 + [U]), INC, id="one not yet rated is incomplete"),
        pytest.param(
            _ratings(c1=[N] * 9 + [U]), INC, id="incomplete even when it would fail anyway"
        ),
        pytest.param(
            _ratings(c2=[NA] * 20), A, id="a level all not applicable has nothing to fail"
        ),
    ],
)
def test_the_result_rule_through_real_assessments(
    setting: tuple[Database, uuid.UUID, uuid.UUID],
    ratings: dict[int, list[Rating]],
    expected: AccreditationResult,
) -> None:
    db, locality_id, framework_id = setting
    assessment_id = _assess(db, locality_id, framework_id, ratings)
    assert _result(db, assessment_id) == expected
    with db.session() as session:
        assert locality_result(session, locality_id).result == expected


def test_a_frameworks_own_thresholds_are_used(db: Database, tmp_path: Path) -> None:
    locality_id = _locality(db)
    default_id = _framework(db, tmp_path, version="1.0")
    own_id = _framework(db, tmp_path, version="2.0", c2=75, c3=90)
    fifteen_of_twenty = _ratings(c2=[M] * 15 + [N] * 5)
    assert _result(db, _assess(db, locality_id, default_id, fifteen_of_twenty)) == D
    assert _result(db, _assess(db, locality_id, own_id, fifteen_of_twenty)) == A
    nine_of_ten_c3 = _ratings(c3=[M] * 9 + [N])
    assert _result(db, _assess(db, locality_id, default_id, nine_of_ten_c3)) == A
    assert _result(db, _assess(db, locality_id, own_id, nine_of_ten_c3)) == A
    eight_of_ten_c3 = _ratings(c3=[M] * 8 + [N] * 2)
    assert _result(db, _assess(db, locality_id, default_id, eight_of_ten_c3)) == A
    assert _result(db, _assess(db, locality_id, own_id, eight_of_ten_c3)) == D


def test_the_summary_tallies_by_criticality_and_domain(
    setting: tuple[Database, uuid.UUID, uuid.UUID],
) -> None:
    db, locality_id, framework_id = setting
    ratings = _ratings(c1=[M] * 9 + [NA], c2=[M] * 15 + [P] * 3 + [N] * 2, c3=[M] * 7 + [U] * 3)
    assessment_id = _assess(db, locality_id, framework_id, ratings, submit=False)
    with db.session() as session:
        summary = assessment_summary(session, assessment_id)
    assert summary.status == AssessmentStatus.DRAFT
    assert summary.kind == AssessmentKind.PEER_REVIEW
    assert summary.assessors == "Zoë Smith, Siân O'Neill"
    assert summary.locality_name == "Rugby"
    assert summary.result == INC
    assert summary.by_criticality == {
        1: Tally(met=9, rated=9, unrated=0),
        2: Tally(met=15, rated=20, unrated=0),
        3: Tally(met=7, rated=7, unrated=3),
    }
    assert summary.by_domain == {
        "Involvement in own care": Tally(9, 9, 0),
        "Forums and feedback": Tally(15, 20, 0),
        "You said - we did": Tally(7, 7, 3),
    }
    assert summary.met_percent == round(100 * 31 / 36, 1)


# --- Which assessment counts ---------------------------------------------------------------


def test_no_submitted_assessment_gives_none(setting: tuple[Database, uuid.UUID, uuid.UUID]) -> None:
    db, locality_id, framework_id = setting
    with db.session() as session:
        assert locality_result(session, locality_id).result == AccreditationResult.NONE
    _assess(db, locality_id, framework_id, _ratings(), submit=False)
    with db.session() as session:
        result = locality_result(session, locality_id)
        assert accreditation_rows(session, locality_id, date(2030, 1, 1)) == []
    assert result.result == AccreditationResult.NONE
    assert (result.met_percent, result.assessment_id, result.assessed_on) == (None, None, None)


def test_drafts_never_count(setting: tuple[Database, uuid.UUID, uuid.UUID]) -> None:
    db, locality_id, framework_id = setting
    submitted = _assess(
        db, locality_id, framework_id, _ratings(c1=[M] * 9 + [N]), on=date(2026, 3, 1)
    )
    _assess(db, locality_id, framework_id, _ratings(), on=date(2026, 6, 1), submit=False)
    with db.session() as session:
        result = locality_result(session, locality_id)
    assert (result.result, result.assessment_id, result.assessed_on) == (
        D,
        submitted,
        date(2026, 3, 1),
    )
    assert result.framework_name == "Test Standards"


def test_the_latest_submitted_assessment_wins(
    setting: tuple[Database, uuid.UUID, uuid.UUID],
) -> None:
    db, locality_id, framework_id = setting
    later = _assess(db, locality_id, framework_id, _ratings(c1=[N] * 10), on=date(2026, 6, 2))
    _assess(db, locality_id, framework_id, _ratings(), on=date(2026, 6, 1))
    with db.session() as session:
        result = locality_result(session, locality_id)
    assert (result.assessment_id, result.result, result.met_percent) == (later, X, 75.0)


def test_on_the_same_date_the_later_submission_wins(
    setting: tuple[Database, uuid.UUID, uuid.UUID],
) -> None:
    db, locality_id, framework_id = setting
    first = _assess(db, locality_id, framework_id, _ratings(), on=date(2026, 6, 1))
    second = _assess(db, locality_id, framework_id, _ratings(c1=[N] * 10), on=date(2026, 6, 1))
    for assessment_id, at in (
        (first, datetime(2026, 6, 3, tzinfo=UTC)),
        (second, datetime(2026, 6, 2, tzinfo=UTC)),
    ):
        with db.transaction() as session:
            session.get(Assessment, assessment_id).submitted_at = at
    with db.session() as session:
        assert locality_result(session, locality_id).assessment_id == first
    with db.transaction() as session:
        session.get(Assessment, second).submitted_at = datetime(2026, 6, 4, tzinfo=UTC)
    with db.session() as session:
        assert locality_result(session, locality_id).assessment_id == second


def test_before_excludes_an_assessment_dated_on_that_day(
    setting: tuple[Database, uuid.UUID, uuid.UUID],
) -> None:
    db, locality_id, framework_id = setting
    april = _assess(db, locality_id, framework_id, _ratings(c1=[M] * 9 + [N]), on=date(2026, 4, 30))
    may = _assess(db, locality_id, framework_id, _ratings(), on=date(2026, 5, 1))
    with db.session() as session:
        assert locality_result(session, locality_id, before=date(2026, 5, 1)).assessment_id == april
        assert locality_result(session, locality_id, before=date(2026, 5, 2)).assessment_id == may
        assert locality_result(session, locality_id, before=date(2026, 4, 30)).result == (
            AccreditationResult.NONE
        )
        assert {
            r.assessed_on for r in accreditation_rows(session, locality_id, date(2026, 5, 1))
        } == {date(2026, 4, 30)}


def test_another_localitys_assessment_does_not_count(
    setting: tuple[Database, uuid.UUID, uuid.UUID],
) -> None:
    db, locality_id, framework_id = setting
    coventry = _locality(db, "Coventry", "COV")
    _assess(db, coventry, framework_id, _ratings())
    with db.session() as session:
        assert locality_result(session, locality_id).result == AccreditationResult.NONE


def test_accreditation_rows_list_the_standards_in_order_with_rating_labels(
    setting: tuple[Database, uuid.UUID, uuid.UUID],
) -> None:
    db, locality_id, framework_id = setting
    ratings = _ratings(c1=[P] + [M] * 9, c2=[NA] + [M] * 19, c3=[N] + [M] * 8 + [U])
    _assess(db, locality_id, framework_id, ratings, on=date(2026, 5, 12))
    with db.session() as session:
        rows = accreditation_rows(session, locality_id, date(2026, 6, 1))
    assert len(rows) == 40
    assert [r.code for r in rows[:3]] == ["1.1", "1.2", "1.3"]
    assert rows[0] == AccreditationRow(
        "1.1", "Involvement in own care", "Standard 1.1", 1, "Partly met", date(2026, 5, 12)
    )
    assert rows[10].rating == "Not applicable"
    assert rows[30].rating == "Not met"
    assert rows[-1].rating == "Not yet rated"
    assert rows[-1].code == "3.10"


# --- The workflow --------------------------------------------------------------------------


def test_starting_an_assessment_creates_an_unrated_check_per_standard(
    setting: tuple[Database, uuid.UUID, uuid.UUID],
) -> None:
    db, locality_id, framework_id = setting
    assessment_id = start_assessment(
        db,
        locality_id=locality_id,
        framework_id=framework_id,
        kind="self-review",
        assessed_on=date(2026, 5, 1),
        assessors="Seán",
    )
    with db.session() as session:
        checks = assessment_checks(session, assessment_id)
        [info] = list_assessments(session, locality_id)
    assert len(checks) == 40
    assert {c.rating for c in checks} == {Rating.NOT_YET_RATED}
    assert (info.kind, info.status, info.assessors) == (
        AssessmentKind.SELF_REVIEW,
        AssessmentStatus.DRAFT,
        "Seán",
    )


def test_start_refuses_an_unknown_locality(setting: tuple[Database, uuid.UUID, uuid.UUID]) -> None:
    db, _, framework_id = setting
    with pytest.raises(NotFoundError):
        start_assessment(
            db,
            locality_id=uuid.uuid4(),
            framework_id=framework_id,
            kind=AssessmentKind.SELF_REVIEW,
            assessed_on=date(2026, 5, 1),
            assessors="",
        )
    with db.session() as session:
        assert session.scalars(select(Assessment)).all() == []


def test_a_submitted_assessment_is_frozen_until_reopened(
    setting: tuple[Database, uuid.UUID, uuid.UUID],
) -> None:
    db, locality_id, framework_id = setting
    assessment_id = _assess(db, locality_id, framework_id, _ratings())
    with db.session() as session:
        check = assessment_checks(session, assessment_id)[0]
    with pytest.raises(CoordinatorError, match="reopen it first"):
        set_check(db, check.id, rating=Rating.NOT_MET)
    with pytest.raises(CoordinatorError, match="already been submitted"):
        submit_assessment(db, assessment_id)

    reopen_assessment(db, assessment_id)
    with db.session() as session:
        assert locality_result(session, locality_id).result == AccreditationResult.NONE
    set_check(db, check.id, rating="not met", evidence="Minutes of 3 May", notes="Zoë to follow up")
    summary = submit_assessment(db, assessment_id)
    assert summary.result == D
    assert summary.submitted_at is not None
    with db.session() as session:
        [stored] = [c for c in assessment_checks(session, assessment_id) if c.id == check.id]
        operations = [
            e.operation for e in session.scalars(select(AuditEntry).order_by(AuditEntry.at))
        ]
    assert (stored.rating, stored.evidence, stored.notes) == (
        Rating.NOT_MET,
        "Minutes of 3 May",
        "Zoë to follow up",
    )
    assert operations.count(AuditOperation.SUBMIT) == 2
    assert operations.count(AuditOperation.REOPEN) == 1
    reopen_assessment(db, assessment_id)
    with pytest.raises(CoordinatorError, match="draft already"):
        reopen_assessment(db, assessment_id)


def test_set_check_leaves_fields_it_is_not_given(
    setting: tuple[Database, uuid.UUID, uuid.UUID],
) -> None:
    db, locality_id, framework_id = setting
    assessment_id = _assess(db, locality_id, framework_id, _ratings(), submit=False)
    with db.session() as session:
        check = assessment_checks(session, assessment_id)[0]
    set_check(db, check.id, evidence="Care plan audit")
    set_check(db, check.id, notes="Seen by Siân")
    with db.session() as session:
        stored = assessment_checks(session, assessment_id)[0]
    assert (stored.rating, stored.evidence, stored.notes) == (M, "Care plan audit", "Seen by Siân")


def test_submitting_with_unrated_checks_is_allowed_and_incomplete(
    setting: tuple[Database, uuid.UUID, uuid.UUID],
) -> None:
    db, locality_id, framework_id = setting
    assessment_id = _assess(db, locality_id, framework_id, _ratings(c3=[U] * 10), submit=False)
    assert submit_assessment(db, assessment_id).result == INC
    with db.session() as session:
        result = locality_result(session, locality_id)
    assert (result.result, result.met_percent) == (INC, 100.0)


def test_evidence_files_are_kept_and_files_over_20_mb_refused(
    setting: tuple[Database, uuid.UUID, uuid.UUID], tmp_path: Path
) -> None:
    db, locality_id, framework_id = setting
    assessment_id = _assess(db, locality_id, framework_id, _ratings(), submit=False)
    with db.session() as session:
        check = assessment_checks(session, assessment_id)[0]
    small = tmp_path / "forum-minutes-Zoë.pdf"
    small.write_bytes(b"%PDF-1.4 minutes")
    file_id = add_evidence_file(db, check.id, small)

    big = tmp_path / "video.mp4"
    with big.open("wb") as handle:
        handle.truncate(MAX_EVIDENCE_BYTES + 1)
    with pytest.raises(CoordinatorError) as caught:
        add_evidence_file(db, check.id, big)
    assert "video.mp4 is 20.0 MB; an evidence file can be at most 20 MB" in str(caught.value)

    with db.session() as session:
        [stored] = session.scalars(select(EvidenceFile)).all()
        assert assessment_checks(session, assessment_id)[0].file_count == 1
    assert (stored.id, stored.filename, stored.size_bytes, stored.content) == (
        file_id,
        "forum-minutes-Zoë.pdf",
        16,
        b"%PDF-1.4 minutes",
    )
    submit_assessment(db, assessment_id)
    with pytest.raises(CoordinatorError, match="reopen it first"):
        add_evidence_file(db, check.id, small)
    with pytest.raises(CoordinatorError, match="There is no file"):
        add_evidence_file(db, check.id, tmp_path / "missing.pdf")
