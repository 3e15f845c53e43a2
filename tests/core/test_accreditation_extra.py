"""Accreditation over time and on paper: the history of a locality's results, the standards that
improved or slipped between its latest two submitted assessments, a standard's evidence files and
actions, and the printable assessment report."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest

from coordinator_app.core import actions
from coordinator_app.core.accreditation import (
    action_title_for,
    add_evidence_file,
    assessment_checks,
    assessment_report_document,
    check_actions,
    check_info,
    compare_latest_two,
    criticality_label,
    evidence_file_content,
    evidence_files,
    locality_result,
    reopen_assessment,
    result_history,
    save_evidence_copy,
    set_check,
    start_assessment,
    submit_assessment,
)
from coordinator_app.core.db import Database
from coordinator_app.core.errors import NotFoundError
from coordinator_app.core.models import Locality
from coordinator_app.core.rules import AccreditationResult
from coordinator_app.core.standards import (
    FrameworkData,
    StandardData,
    import_framework,
    write_framework_workbook,
)
from coordinator_app.core.vocab import ActionStatus, AssessmentKind, Rating

M, P, N, NA, U = (
    Rating.MET,
    Rating.PARTLY_MET,
    Rating.NOT_MET,
    Rating.NOT_APPLICABLE,
    Rating.NOT_YET_RATED,
)
TODAY = date(2026, 6, 1)


def _framework(
    db: Database, tmp_path: Path, codes: list[str], *, version: str = "1.0", title: str = ""
) -> uuid.UUID:
    standards = tuple(
        StandardData(
            code,
            "Forums and feedback" if code.startswith("1") else "You said - we did",
            title or f"Standard {code}",
            f"What {code} asks.",
            f"Show {code}.",
            1 if code.startswith("1") else 2,
        )
        for code in codes
    )
    data = FrameworkData("Locality Standards", version, date(2026, 1, 1), standards)
    path = write_framework_workbook(data, tmp_path / f"framework-{version}.xlsx")
    return import_framework(db, path).id


def _locality(db: Database, name: str = "Rugby", code: str = "RUG") -> uuid.UUID:
    with db.transaction() as session:
        locality = Locality(name=name, code=code, coordinated=True)
        session.add(locality)
        session.flush()
        return locality.id


def _assess(
    db: Database,
    locality_id: uuid.UUID,
    framework_id: uuid.UUID,
    ratings: dict[str, Rating],
    *,
    on: date,
    submit: bool = True,
    kind: AssessmentKind = AssessmentKind.SELF_REVIEW,
) -> uuid.UUID:
    assessment_id = start_assessment(
        db,
        locality_id=locality_id,
        framework_id=framework_id,
        kind=kind,
        assessed_on=on,
        assessors="Zoë Smith, Siân O'Neill",
    )
    with db.session() as session:
        checks = {c.code: c.id for c in assessment_checks(session, assessment_id)}
    for code, rating in ratings.items():
        set_check(db, checks[code], rating=rating)
    if submit:
        submit_assessment(db, assessment_id)
    return assessment_id


def _check_id(db: Database, assessment_id: uuid.UUID, code: str) -> uuid.UUID:
    with db.session() as session:
        return next(c.id for c in assessment_checks(session, assessment_id) if c.code == code)


# --- history --------------------------------------------------------------------------------


def test_history_lists_submitted_assessments_newest_first_without_drafts(
    db: Database, tmp_path: Path
) -> None:
    rugby = _locality(db)
    fw = _framework(db, tmp_path, ["1.1", "2.1"])
    first = _assess(db, rugby, fw, {"1.1": N, "2.1": M}, on=date(2025, 1, 10))
    second = _assess(db, rugby, fw, {"1.1": M, "2.1": M}, on=date(2026, 1, 10))
    _assess(db, rugby, fw, {"1.1": M}, on=date(2026, 5, 1), submit=False)  # a draft
    with db.session() as session:
        history = result_history(session, rugby)
        current = locality_result(session, rugby)
    assert [h.assessment_id for h in history] == [second, first]
    assert [h.result for h in history] == [
        AccreditationResult.ACCREDITED,
        AccreditationResult.NOT_ACCREDITED,
    ]
    assert [h.met_percent for h in history] == [100.0, 50.0]
    assert history[0].assessment_id == current.assessment_id


def test_history_of_a_locality_never_assessed_is_empty(db: Database) -> None:
    rugby = _locality(db)
    with db.session() as session:
        assert result_history(session, rugby) == []
        assert compare_latest_two(session, rugby) is None


def test_history_orders_two_on_one_date_by_submission(db: Database, tmp_path: Path) -> None:
    rugby = _locality(db)
    fw = _framework(db, tmp_path, ["1.1"])
    earlier = _assess(db, rugby, fw, {"1.1": N}, on=date(2026, 3, 1))
    later = _assess(db, rugby, fw, {"1.1": M}, on=date(2026, 3, 1), kind=AssessmentKind.PEER_REVIEW)
    with db.session() as session:
        assert [h.assessment_id for h in result_history(session, rugby)] == [later, earlier]


# --- compare --------------------------------------------------------------------------------


def test_compare_latest_two_lists_improved_and_slipped_standards(
    db: Database, tmp_path: Path
) -> None:
    rugby = _locality(db)
    fw = _framework(db, tmp_path, ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"])
    _assess(
        db,
        rugby,
        fw,
        dict.fromkeys(["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"], N),
        on=date(2024, 1, 1),
    )  # oldest: not compared
    earlier = _assess(
        db,
        rugby,
        fw,
        {"1.1": N, "1.2": P, "1.3": M, "2.1": M, "2.2": NA, "2.3": P},
        on=date(2025, 1, 1),
    )
    later = _assess(
        db,
        rugby,
        fw,
        {"1.1": P, "1.2": M, "1.3": P, "2.1": N, "2.2": M, "2.3": P},
        on=date(2026, 1, 1),
    )
    with db.session() as session:
        comparison = compare_latest_two(session, rugby)
    assert comparison is not None
    assert (comparison.earlier_id, comparison.later_id) == (earlier, later)
    assert [(c.code, c.before, c.after) for c in comparison.improved] == [
        ("1.1", N, P),
        ("1.2", P, M),
    ]
    assert [(c.code, c.before, c.after) for c in comparison.slipped] == [
        ("1.3", M, P),
        ("2.1", M, N),
    ]
    # Not applicable before (2.2) and unchanged (2.3) are in neither list.


def test_compare_needs_two_submitted_assessments(db: Database, tmp_path: Path) -> None:
    rugby = _locality(db)
    fw = _framework(db, tmp_path, ["1.1"])
    _assess(db, rugby, fw, {"1.1": N}, on=date(2025, 1, 1))
    _assess(db, rugby, fw, {"1.1": M}, on=date(2026, 1, 1), submit=False)
    with db.session() as session:
        assert compare_latest_two(session, rugby) is None


def test_compare_across_framework_versions_matches_codes(db: Database, tmp_path: Path) -> None:
    rugby = _locality(db)
    old = _framework(db, tmp_path, ["1.1", "1.2"], version="1.0")
    new = _framework(db, tmp_path, ["1.1", "1.3"], version="2.0")
    _assess(db, rugby, old, {"1.1": N, "1.2": M}, on=date(2025, 1, 1))
    _assess(db, rugby, new, {"1.1": M, "1.3": N}, on=date(2026, 1, 1))
    with db.session() as session:
        comparison = compare_latest_two(session, rugby)
    assert comparison is not None
    assert [c.code for c in comparison.improved] == ["1.1"]
    assert comparison.slipped == ()


def test_compare_drops_a_reopened_assessment(db: Database, tmp_path: Path) -> None:
    rugby = _locality(db)
    fw = _framework(db, tmp_path, ["1.1"])
    _assess(db, rugby, fw, {"1.1": N}, on=date(2025, 1, 1))
    later = _assess(db, rugby, fw, {"1.1": M}, on=date(2026, 1, 1))
    reopen_assessment(db, later)
    with db.session() as session:
        assert compare_latest_two(session, rugby) is None
        assert len(result_history(session, rugby)) == 1


# --- files and actions ----------------------------------------------------------------------


def test_evidence_files_listed_and_copied_out(db: Database, tmp_path: Path) -> None:
    rugby = _locality(db)
    fw = _framework(db, tmp_path, ["1.1"])
    assessment = _assess(db, rugby, fw, {}, on=date(2026, 1, 1), submit=False)
    check = _check_id(db, assessment, "1.1")
    source = tmp_path / "Zoë's survey.pdf"
    source.write_bytes(b"%PDF-1.4 survey")
    file_id = add_evidence_file(db, check, source)
    with db.session() as session:
        listed = evidence_files(session, check)
        assert evidence_file_content(session, file_id) == ("Zoë's survey.pdf", b"%PDF-1.4 survey")
        with pytest.raises(NotFoundError):
            evidence_file_content(session, uuid.uuid4())
    assert [(f.id, f.filename, f.size_bytes) for f in listed] == [(file_id, "Zoë's survey.pdf", 15)]
    copy = save_evidence_copy(db, file_id, tmp_path / "copy.pdf")
    assert copy.read_bytes() == b"%PDF-1.4 survey"


def test_check_actions_lists_only_open_actions_of_that_standard(
    db: Database, tmp_path: Path
) -> None:
    rugby = _locality(db)
    fw = _framework(db, tmp_path, ["1.1", "1.2"])
    assessment = _assess(db, rugby, fw, {"1.1": N}, on=date(2026, 1, 1), submit=False)
    check, other = _check_id(db, assessment, "1.1"), _check_id(db, assessment, "1.2")
    with db.session() as session:
        _, locality_id, code, title = check_info(session, check)
    assert locality_id == rugby
    raise_ = lambda title, status=ActionStatus.OPEN, check_id=check: actions.raise_action(  # noqa: E731
        db,
        locality_id=rugby,
        data=actions.ActionInput(title=title, raised_on=date(2026, 2, 1), status=status),
        standard_check_id=check_id,
        outcome="Done" if status.is_closed else "",
        today=TODAY,
    )
    open_id = raise_(action_title_for(code, title))
    raise_("Finished one", ActionStatus.COMPLETED)
    raise_("Another standard's", check_id=other)
    with db.session() as session:
        open_rows = check_actions(session, check, today=TODAY)
        every = check_actions(session, check, today=TODAY, open_only=False)
    assert [a.id for a in open_rows] == [open_id]
    assert open_rows[0].title == "Meet standard 1.1: Standard 1.1"
    assert len(every) == 2


def test_criticality_is_told_in_words() -> None:
    assert [criticality_label(n) for n in (1, 2, 3)] == ["Essential", "Expected", "Desirable"]


# --- report ---------------------------------------------------------------------------------


def _report_fixture(db: Database, tmp_path: Path) -> tuple[uuid.UUID, str]:
    rugby = _locality(db)
    fw = _framework(db, tmp_path, ["1.1", "1.2", "2.1", "2.2"])
    assessment = _assess(
        db,
        rugby,
        fw,
        {"1.1": M, "1.2": N, "2.1": P, "2.2": M},
        on=date(2026, 5, 12),
        submit=False,
    )
    gap = _check_id(db, assessment, "1.2")
    set_check(db, gap, evidence="Forum minutes <script>alert(1)</script> show no feedback loop.")
    source = tmp_path / "minutes-may.docx"
    source.write_bytes(b"minutes")
    add_evidence_file(db, gap, source)
    actions.raise_action(
        db,
        locality_id=rugby,
        data=actions.ActionInput(
            title="Meet standard 1.2: publish 'you said, we did'",
            owner="Siân O'Neill",
            due_on=date(2026, 7, 1),
        ),
        standard_check_id=gap,
        today=TODAY,
    )
    submit_assessment(db, assessment)
    return assessment, assessment_report_document(db, assessment, today=TODAY).text()


def test_report_holds_result_tallies_and_every_gap_with_evidence_and_actions(
    db: Database, tmp_path: Path
) -> None:
    _, report = _report_fixture(db, tmp_path)
    assert "Accreditation assessment: Rugby" in report
    assert "Not accredited" in report  # 1 of 2 essential met
    assert "Standards met by criticality" in report and "Essential" in report
    assert "Standards met by domain" in report and "Forums and feedback" in report
    gaps = report.split("Standards not met or partly met", 1)[1].split("Every standard", 1)[0]
    assert "1.2" in gaps and "2.1" in gaps and "Partly met" in gaps and "Not met" in gaps
    assert "Standard 1.1" not in gaps  # met standards are not gaps
    assert "minutes-may.docx" in gaps
    assert "RUG-A1" in gaps and "Siân O'Neill" in gaps and "01/07/2026" in gaps
    assert "none raised" in gaps  # 2.1 has no action yet
    assert "Action | Title | Owner | Due | Status" in gaps  # a table with its header row


def test_report_keeps_text_from_the_database_as_text(db: Database, tmp_path: Path) -> None:
    _, report = _report_fixture(db, tmp_path)
    assert "<script>alert(1)</script>" in report  # data, printed as typed, never markup


def test_report_of_an_assessment_with_no_gaps_says_so(db: Database, tmp_path: Path) -> None:
    rugby = _locality(db)
    fw = _framework(db, tmp_path, ["1.1"])
    assessment = _assess(db, rugby, fw, {"1.1": M}, on=date(2026, 1, 1))
    report = assessment_report_document(db, assessment, today=TODAY).text()
    assert "Every rated standard is met or not applicable." in report
    assert "Accredited" in report


def test_report_hides_service_users_names_and_contact_details(db: Database, tmp_path: Path) -> None:
    """The report leaves the coordinator: evidence, notes and actions go through the one
    redactor (docs/printouts.md#names-and-privacy)."""
    from coordinator_app.core import people
    from coordinator_app.core.vocab import Category

    rugby = _locality(db)
    people.create_participant(db, people.ParticipantInput("Bob Smith", Category.SERVICE_USER))
    fw = _framework(db, tmp_path, ["1.1"])
    assessment = _assess(db, rugby, fw, {"1.1": N}, on=date(2026, 5, 12), submit=False)
    gap = _check_id(db, assessment, "1.1")
    set_check(db, gap, evidence="Mr Smith said so", notes="Ring Bob on 07700 900456")
    report = assessment_report_document(db, assessment, today=TODAY).text()
    assert "Smith" not in report and "Bob" not in report and "900456" not in report
    assert "[service user] said so" in report and "[contact details removed]" in report
