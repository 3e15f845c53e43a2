"""Returns kept between months, the group's targets and highlights (core/kept_returns.py;
docs/monthly-return.md#kept-between-months), over the four localities of
tests/core/test_board.py."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from coordinator_app.core import kept_returns, schema
from coordinator_app.core.board import MEDIAN_DAYS, Target, trust_picture
from coordinator_app.core.db import Database
from coordinator_app.core.errors import NotFoundError, ValidationError, WorkbookError
from coordinator_app.core.return_format import ReturnData
from coordinator_app.core.rules import Month
from tests.core.test_board import AUG, OCT, SEP, _return, _returns

NOW = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)


def _count(db: Database, table: Any) -> int:
    with db.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _generated(data: ReturnData, when: datetime, **fields: Any) -> ReturnData:
    return dataclasses.replace(data, fields={**data.fields, "Generated at": when, **fields})


def test_kept_returns_rebuild_exactly_the_picture_the_files_give(db: Database) -> None:
    returns = _returns()
    returns[0] = _generated(returns[0], datetime(2026, 11, 2), **{"Prepared by": "Sam Jones"})
    result = kept_returns.keep(db, returns, now=NOW)
    assert (result.kept, result.replaced, result.unchanged) == (len(returns), 0, 0)
    assert result.sentence() == f"Kept {len(returns)} returns."
    kept = kept_returns.kept(db)
    assert len(kept) == len(returns)
    # Prepared by (a staff name, used by nothing here) is not kept; everything else is.
    assert all("Prepared by" not in k.data.fields for k in kept)
    with db.reading() as conn:
        stored = " ".join(conn.execute(select(schema.kept_returns.c.content)).scalars())
    assert "Sam Jones" not in stored
    targets = [Target("Attendances", 10), Target(MEDIAN_DAYS, 30, False, "trust")]
    again = kept_returns.picture(db, targets=targets)
    direct = trust_picture(returns, targets)
    for name in ("localities", "months", "values", "missing", "exceptions", "ratings",
                 "accreditation", "themes", "reach", "trust_name", "completed"):  # fmt: skip
        assert getattr(again, name) == getattr(direct, name), name
    first = next(k for k in kept if k.locality == "Avon" and k.month == Month(2025, 10))
    assert first.source_file == "Avon-2025-10.xlsx" and first.format_version == 1
    assert first.kept_at == NOW


def test_a_later_return_replaces_an_older_one_is_set_aside_the_same_one_changes_nothing(
    db: Database,
) -> None:
    first = _return("Avon", OCT, 15)  # generated 2026-11-02
    kept_returns.keep(db, [first, _return("Bath", OCT, 22)], now=NOW)
    later = _generated(_return("avon", OCT, 17), datetime(2026, 11, 3, 10, 30))
    older = _generated(_return("Bath", OCT, 1), datetime(2026, 11, 1, 8, 0))
    result = kept_returns.keep(db, [later, older, _return("Calne", OCT, 0)], now=NOW)
    assert (result.kept, result.replaced, result.unchanged) == (1, 1, 0)
    assert result.set_aside == (
        "Bath-2026-10.xlsx: Bath 2026-10 was generated again later: the kept one "
        "(Bath-2026-10.xlsx, generated 2026-11-02 00:00) stays and this one "
        "(generated 2026-11-01 08:00) is set aside.",
    )
    assert result.sentence() == "Kept 1 return; 1 replaced by one generated later; 1 set aside."
    values = {(k.locality, k.month): k.data.measure("Attendances") for k in kept_returns.kept(db)}
    assert values == {("avon", OCT): 17, ("Bath", OCT): 22, ("Calne", OCT): 0}
    # The same folder read again next month: nothing changes.
    again = kept_returns.keep(db, [later], now=NOW)
    assert (again.kept, again.replaced, again.unchanged, again.set_aside) == (0, 0, 1, ())


def test_a_return_generated_at_the_same_time_with_other_figures_is_set_aside(
    db: Database,
) -> None:
    kept_returns.keep(db, [_return("Avon", OCT, 15)], now=NOW)
    result = kept_returns.keep(db, [_return("Avon", OCT, 99)], now=NOW)
    assert result.kept == result.replaced == 0
    assert "cannot tell which is newer: the kept one stays" in result.set_aside[0]
    assert kept_returns.kept(db)[0].data.measure("Attendances") == 15


def test_what_a_return_cannot_hold_is_refused_and_nothing_is_kept(db: Database) -> None:
    bad = _return("Bath", SEP, 18)
    bad.tables["Experience"].append(
        (None, "Forum", "Concern", "Access", "Crisis", "Ring 07700 900123 about it", "")
    )
    with pytest.raises(WorkbookError) as caught:
        kept_returns.keep(db, [_return("Avon", SEP, 12), bad], now=NOW)
    assert "none was kept" in str(caught.value)
    assert caught.value.problems == [
        "Bath-2026-09.xlsx: Sheet 'Experience' cell F3: a phone number "
        "(07700 900123); a return holds no contact details."
    ]
    assert _count(db, schema.kept_returns) == 0


def test_a_name_in_the_text_is_refused_as_consolidation_refuses_it(db: Database) -> None:
    bad = _return("Bath", SEP, 18)
    bad.tables["Experience"].append(
        (None, "Forum", "Concern", "Access", "Crisis", "Mrs Patel waited a long time", "")
    )
    with pytest.raises(WorkbookError) as caught:
        kept_returns.keep(db, [bad], now=NOW)
    assert "looks like a name" in caught.value.problems[0]
    assert _count(db, schema.kept_returns) == 0


def test_one_locality_and_month_twice_in_one_keep_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="AVON 2026-10 is read twice"):
        kept_returns.keep(db, [_return("Avon", OCT, 1), _return("AVON", OCT, 2)], now=NOW)
    assert _count(db, schema.kept_returns) == 0


def test_forget_a_locality_month(db: Database) -> None:
    kept_returns.keep(db, [_return("Avon", AUG, 10), _return("Avon", SEP, 12)], now=NOW)
    kept_returns.forget(db, "AVON", SEP)
    assert [(k.locality, k.month) for k in kept_returns.kept(db)] == [("Avon", AUG)]
    with pytest.raises(NotFoundError, match="No return of Avon for 2026-09 is kept"):
        kept_returns.forget(db, "Avon", SEP)
    assert len(kept_returns.kept(db)) == 1


def test_newly_read_returns_join_the_kept_ones_a_later_one_in_place() -> None:
    kept = [_return("Avon", AUG, 10), _return("Avon", SEP, 12)]
    later = _generated(_return("Avon", SEP, 14), datetime(2026, 12, 1))
    older = _generated(_return("Avon", AUG, 1), datetime(2026, 1, 1))
    found = kept_returns.combined(kept, [later, older, _return("Bath", SEP, 3)])
    assert sorted((r.locality, str(r.month), r.measure("Attendances")) for r in found) == [
        ("Avon", "2026-08", 10),
        ("Avon", "2026-09", 14),
        ("Bath", "2026-09", 3),
    ]


def test_the_content_round_trips_dates_and_times() -> None:
    data = _returns()[3]  # Avon 2026-10: actions with dates, an accreditation row
    again = kept_returns.decode(kept_returns.encode(data), "Avon-2026-10.xlsx")
    assert again.tables == data.tables and again.summary == data.summary
    assert again.fields == data.fields and again.month == data.month


def test_targets_are_kept_in_order_replaced_by_measure_and_removed(db: Database) -> None:
    kept_returns.save_target(db, Target("Attendances", 10))
    kept_returns.save_target(db, Target(MEDIAN_DAYS, 30, False, "trust"))
    kept_returns.save_target(db, Target("Attendances", 12, amber_within=2))
    assert kept_returns.load_targets(db) == [
        Target("Attendances", 12, amber_within=2),
        Target(MEDIAN_DAYS, 30, False, "trust"),
    ]
    kept_returns.remove_target(db, "Attendances", "locality")
    assert kept_returns.load_targets(db) == [Target(MEDIAN_DAYS, 30, False, "trust")]
    with pytest.raises(NotFoundError):
        kept_returns.remove_target(db, "Attendances", "locality")


@pytest.mark.parametrize(
    ("target", "field"),
    [
        (Target("Shoe size", 10), "measure"),
        (Target("Accreditation result", 10), "measure"),
        (Target("Attendances", -1), "value"),
        (Target("Attendances", 10, per="ward"), "per"),
    ],
)
def test_a_target_that_cannot_be_one_is_refused_and_nothing_changes(
    db: Database, target: Target, field: str
) -> None:
    kept_returns.save_target(db, Target("Attendances", 10))
    with pytest.raises(ValidationError) as caught:
        kept_returns.save_target(db, target)
    assert list(caught.value.problems) == [field]
    assert kept_returns.load_targets(db) == [Target("Attendances", 10)]


def test_targets_from_the_old_settings_are_adopted_once_after_the_databases_own(
    db: Database,
) -> None:
    kept_returns.save_target(db, Target("Attendances", 10))
    old = [Target("Attendances", 99), Target("Shoe size", 1), Target("Experience items", 5)]
    assert kept_returns.adopt_targets(db, old) == 1
    assert kept_returns.load_targets(db) == [
        Target("Attendances", 10),
        Target("Experience items", 5),
    ]
    assert kept_returns.adopt_targets(db, old) == 0


def test_highlights_are_kept_and_the_picture_features_them(db: Database) -> None:
    kept_returns.keep(db, _returns(), now=NOW)
    kept_returns.feature(db, "bath", "B-2", True)
    kept_returns.feature(db, "Avon", "A-2", True)
    kept_returns.feature(db, "Avon", "A-2", True)  # already featured: nothing changes
    kept_returns.feature(db, "Avon", "A-1", True)  # not completed: never shown
    picture = kept_returns.picture(db)
    assert [(a.locality, a.reference) for a in picture.featured] == [
        ("Bath", "B-2"),
        ("Avon", "A-2"),
    ]
    assert picture.featured[1].title == "Fix A-2"
    assert [a.reference for a in picture.completed] == ["B-1", "A-2", "B-2"]  # latest closed first
    kept_returns.feature(db, "Bath", "B-2", False)
    assert [a.reference for a in kept_returns.picture(db).featured] == ["A-2"]
    with pytest.raises(ValidationError):
        kept_returns.feature(db, "Bath", "  ", True)
    assert len(kept_returns.highlights(db)) == 2


def test_the_kept_picture_chases_only_the_latest_three_months(db: Database) -> None:
    """Avon's 2025-10 kept for last year's figures, August and September kept, October's first
    two returns just read: the missing are those of the months the group is chasing."""
    returns = _returns()
    kept_returns.keep(db, [r for r in returns if r.month != OCT], now=NOW)
    new = [r for r in returns if r.month == OCT and r.locality in ("Avon", "Bath")]
    assert kept_returns.picture(db, new).missing == (
        ("Dorset", SEP),
        ("Calne", OCT),
        ("Dorset", OCT),
    )
