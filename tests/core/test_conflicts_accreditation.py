"""Two app instances on one database (issue #13), accreditation and strategic priorities: a save
of a standard check's rating, evidence or notes against the version the screen loaded is refused
when someone else changed the check meanwhile (their change stays intact), and works again with
the version read after reloading; a stale rename, retire or move of a strategic priority is
refused the same way.

Every test opens a second ``Database`` on the same database as ``db`` (the same SQLite file, or
the same PostgreSQL database when the suite runs there), as a second laptop or window would.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from coordinator_app.core import actions, standards
from coordinator_app.core.accreditation import (
    CheckRow,
    assessment_checks,
    set_check,
    start_assessment,
)
from coordinator_app.core.db import Database
from coordinator_app.core.errors import ConflictError
from coordinator_app.core.settings import ensure_locality
from coordinator_app.core.vocab import AssessmentKind, Rating

CHECK_CONFLICT = (
    "This standard check was changed since you opened it. Reload to see it as saved now; "
    "your edits are kept on screen until you do."
)


@pytest.fixture
def assessment(db: Database) -> uuid.UUID:
    with db.transaction() as session:
        rugby = ensure_locality(session, "Rugby", coordinated=True)
        framework = standards.load_default_framework(session)
    return start_assessment(
        db,
        locality_id=rugby,
        framework_id=framework,
        kind=AssessmentKind.SELF_REVIEW,
        assessed_on=date(2026, 3, 10),
        assessors=["Zoë Smith"],
    )


def first_check(db: Database, assessment_id: uuid.UUID) -> CheckRow:
    with db.session() as session:
        return assessment_checks(session, assessment_id)[0]


def test_checks_are_read_with_their_version_and_a_save_returns_the_new_one(
    db: Database, assessment: uuid.UUID
) -> None:
    loaded = first_check(db, assessment)
    assert loaded.version >= 1
    after = set_check(db, loaded.id, evidence="Zoë's survey", expected_version=loaded.version)
    assert after == loaded.version + 1
    assert first_check(db, assessment).version == after
    # Nothing changed: the version stays (no needless conflict for the other instance).
    assert set_check(db, loaded.id, evidence="Zoë's survey", expected_version=after) == after


@pytest.mark.parametrize(
    "mine",
    [
        {"evidence": "My evidence"},
        {"notes": "My notes"},
        {"rating": Rating.NOT_MET},
    ],
    ids=["evidence", "notes", "rating"],
)
def test_a_stale_save_of_a_check_is_refused_and_their_change_stays(
    db: Database, other: Database, assessment: uuid.UUID, mine: dict[str, object]
) -> None:
    loaded = first_check(db, assessment)  # my screen
    set_check(
        other,
        loaded.id,
        rating=Rating.MET,
        evidence="Siân's minutes of 3 May",
        notes="Seen by Seán",
        expected_version=first_check(other, assessment).version,
    )
    with pytest.raises(ConflictError) as info:
        set_check(db, loaded.id, expected_version=loaded.version, **mine)  # type: ignore[arg-type]
    assert str(info.value) == CHECK_CONFLICT
    theirs = first_check(db, assessment)
    assert (theirs.rating, theirs.evidence, theirs.notes) == (
        Rating.MET,
        "Siân's minutes of 3 May",
        "Seen by Seán",
    )
    # After reloading, my save goes through (and keeps what I did not touch).
    set_check(db, loaded.id, expected_version=theirs.version, **mine)  # type: ignore[arg-type]
    saved = first_check(other, assessment)
    field, value = next(iter(mine.items()))
    assert getattr(saved, field) == value
    assert saved.rating == (value if field == "rating" else Rating.MET)


def test_without_a_version_the_last_save_still_wins(
    db: Database, other: Database, assessment: uuid.UUID
) -> None:
    """The command line and the importer pass no version: unchanged behaviour for them."""
    loaded = first_check(db, assessment)
    set_check(other, loaded.id, evidence="Theirs")
    set_check(db, loaded.id, evidence="Mine")
    assert first_check(other, assessment).evidence == "Mine"


def test_a_save_of_another_check_is_not_refused(
    db: Database, other: Database, assessment: uuid.UUID
) -> None:
    with db.session() as session:
        first, second = assessment_checks(session, assessment)[:2]
    set_check(other, second.id, evidence="Theirs", expected_version=second.version)
    set_check(db, first.id, evidence="Mine", expected_version=first.version)
    with other.session() as session:
        rows = assessment_checks(session, assessment)[:2]
    assert [r.evidence for r in rows] == ["Mine", "Theirs"]


# --- strategic priorities -----------------------------------------------------------------------


def listed(db: Database, priority_id: uuid.UUID) -> actions.PriorityRow:
    return next(p for p in actions.list_priorities(db, include_retired=True) if p.id == priority_id)


def test_a_stale_rename_of_a_priority_is_refused_and_their_name_stays(
    db: Database, other: Database
) -> None:
    priority = actions.create_priority(db, "Our communities")
    mine = listed(db, priority)
    actions.rename_priority(other, priority, "Our places", expected_version=mine.version)
    with pytest.raises(ConflictError) as info:
        actions.rename_priority(db, priority, "Our neighbourhoods", expected_version=mine.version)
    assert "This strategic priority was changed" in str(info.value)
    assert listed(other, priority).name == "Our places"
    fresh = listed(db, priority)
    assert (
        actions.rename_priority(db, priority, "Our neighbourhoods", expected_version=fresh.version)
        == fresh.version + 1
    )
    assert listed(other, priority).name == "Our neighbourhoods"


def test_a_stale_retire_of_a_priority_is_refused(db: Database, other: Database) -> None:
    priority = actions.create_priority(db, "Our communities")
    mine = listed(db, priority)
    actions.rename_priority(other, priority, "Our places")
    with pytest.raises(ConflictError):
        actions.retire_priority(db, priority, expected_version=mine.version)
    assert listed(other, priority).retired is False
    actions.retire_priority(db, priority, expected_version=listed(db, priority).version)
    assert listed(other, priority).retired is True


def test_a_stale_restore_of_a_priority_is_refused(db: Database, other: Database) -> None:
    """They retired it after I listed it as retired and restored: my Restore would undo theirs."""
    priority = actions.create_priority(db, "Our communities")
    actions.retire_priority(db, priority)
    mine = listed(db, priority)
    actions.retire_priority(other, priority, retired=False)
    actions.rename_priority(other, priority, "Our places")
    with pytest.raises(ConflictError):
        actions.retire_priority(db, priority, retired=False, expected_version=mine.version)
    assert listed(other, priority).name == "Our places"


def test_a_stale_move_of_a_priority_is_refused_and_the_order_stays(
    db: Database, other: Database
) -> None:
    actions.create_priority(db, "Our care")
    priority = actions.create_priority(db, "Our communities")
    mine = listed(db, priority)
    actions.move_priority(other, priority, -1)
    assert actions.list_priorities(other)[0].id == priority
    order = [p.id for p in actions.list_priorities(other, include_retired=True)]
    with pytest.raises(ConflictError):
        actions.move_priority(db, priority, 1, expected_version=mine.version)
    assert [p.id for p in actions.list_priorities(db, include_retired=True)] == order
    # With the version read again, my move down goes through.
    actions.move_priority(db, priority, 1, expected_version=listed(db, priority).version)
    assert actions.list_priorities(other)[-1].id == priority
