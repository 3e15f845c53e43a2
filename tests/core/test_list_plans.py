"""The lists at any size of trust: each reads the coordinator's own localities (the scope) and
its first screenful in the list's order straight from an index.

SQLite's EXPLAIN QUERY PLAN says "USE TEMP B-TREE FOR ORDER BY" when it must sort the rows it
found: at sixteen times the large demo the tracker's newest 300 sorted every action (31 ms at
4x, 0.1 ms with an index). Every statement each list runs is planned here with the indexes
migration 0007 made (``core/schema.py``, "The lists' indexes"), and none may sort in a temporary
B-tree. The scope's rows are checked against the whole list's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import date, time
from typing import Any

import pytest
from sqlalchemy import event

from coordinator_app.core import actions, meetings, people
from coordinator_app.core.db import Database
from coordinator_app.core.rows import coordinated_localities
from coordinator_app.core.settings import complete_first_run, ensure_locality
from coordinator_app.core.vocab import Category, ForumKind, MeetingStatus

pytestmark = pytest.mark.sqlite_only  # EXPLAIN QUERY PLAN is SQLite's

TODAY = date(2026, 11, 20)


@pytest.fixture
def trust(db: Database) -> dict[str, Any]:
    """Rugby and Coventry coordinated here, Solihull another coordinator's; two forums each,
    meetings on the same days (to test the merge's ties), people (one with no locality) and
    actions in each."""
    complete_first_run(
        db, trust_name="Trust", coordinator_name="Siân Evans", localities=["Rugby", "Coventry"]
    )
    with db.transaction() as session:
        ensure_locality(session, "Solihull")
    ids = {loc.name: loc.id for loc in meetings.list_localities(db)}
    for name, locality in ids.items():
        for forum_name, kind in (("Forum", ForumKind.LOCALITY_FORUM), ("Events", ForumKind.EVENT)):
            forum = meetings.create_forum(
                db, locality_id=locality, name=f"{name} {forum_name}", kind=kind
            )
            for month in range(1, 7):
                for start in (time(10, 0), None):
                    meetings.create_meeting(
                        db,
                        meetings.MeetingInput(
                            forum_id=forum,
                            meeting_date=date(2026, month, 10),
                            start_time=start,
                            status=MeetingStatus.HELD,
                        ),
                    )
        for i in range(4):
            people.create_participant(
                db,
                people.ParticipantInput(
                    name=f"{'Élodie' if i % 2 else 'zoë'} {name} {i}",
                    category=Category.CARER,
                    locality_id=locality,
                ),
            )
            actions.raise_action(
                db,
                locality_id=locality,
                data=actions.ActionInput(title=f"Action {i}", raised_on=date(2026, 3, 1 + i)),
                today=TODAY,
            )
    people.create_participant(
        db, people.ParticipantInput(name="Nobody's Locality", category=Category.OTHER)
    )
    return ids


def _plans(db: Database, read: Callable[[], object]) -> list[list[str]]:
    """Every SELECT ``read`` runs, planned by SQLite (after ``read`` has run it)."""
    statements: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        read()
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert db.path is not None
    with closing(sqlite3.connect(db.path)) as raw:
        return [
            [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", params)]
            for statement, params in statements
        ]


LISTS: dict[str, Callable[[Database, list[Any] | None], object]] = {
    "meetings, first screenful": lambda db, scope: meetings.list_meetings(
        db, limit=300, locality_ids=scope
    ),
    "meetings, whole": lambda db, scope: meetings.list_meetings(db, locality_ids=scope),
    "participants": lambda db, scope: people.list_participants(
        db, active=None, figures=False, locality_ids=scope
    ),
    "participants, first screenful": lambda db, scope: people.list_participants(
        db, active=None, figures=False, locality_ids=scope, limit=300
    ),
    "tracker, first screenful": lambda db, scope: actions.tracker_rows(
        db, today=TODAY, limit=300, locality_ids=scope
    ),
    "tracker, whole": lambda db, scope: actions.tracker_rows(db, today=TODAY, locality_ids=scope),
}
#: The index each list's rows come from: (scope, all localities).
INDEXES = {
    "meetings": ("ix_meetings_forum_date_time_reference", "ix_meetings_date_time_reference"),
    "participants": ("ix_participants_locality_lower_name", "ix_participants_lower_name"),
    "tracker": ("ix_actions_locality_raised_created", "ix_actions_raised_created"),
}


@pytest.mark.parametrize("scoped", [True, False], ids=["my localities", "all localities"])
@pytest.mark.parametrize("name", list(LISTS))
def test_every_list_reads_its_order_from_an_index(
    db: Database, trust: dict[str, Any], name: str, scoped: bool
) -> None:
    with db.reading() as conn:
        scope = coordinated_localities(conn) if scoped else None
    plans = _plans(db, lambda: LISTS[name](db, scope))
    assert plans
    for plan in plans:
        assert not [line for line in plan if "TEMP B-TREE" in line], plan
    index = INDEXES[name.split(",")[0]][0 if scoped else 1]
    assert any(index in line for plan in plans for line in plan), plans


def test_the_scope_is_the_coordinated_localities_rows_in_the_whole_lists_order(
    db: Database, trust: dict[str, Any]
) -> None:
    with db.reading() as conn:
        mine = coordinated_localities(conn)
    assert sorted(mine) == sorted([trust["Rugby"], trust["Coventry"]])
    everyone = meetings.list_meetings(db)
    scoped = meetings.list_meetings(db, locality_ids=mine)
    assert scoped == [m for m in everyone if m.locality_id in mine]
    assert meetings.list_meetings(db, locality_ids=mine, limit=7) == scoped[:7]
    tracker = actions.tracker_rows(db, today=TODAY)
    in_scope = [r for r in tracker if r.locality_key in {m.hex for m in mine}]
    assert actions.tracker_rows(db, today=TODAY, locality_ids=mine) == in_scope
    assert actions.tracker_rows(db, today=TODAY, locality_ids=mine, limit=3) == in_scope[:3]
    directory = people.list_participants(db, active=None, figures=False)
    shown = people.list_participants(db, active=None, figures=False, locality_ids=mine)
    assert shown == [p for p in directory if p.locality_id in mine or p.locality_id is None]
    assert "Nobody's Locality" in {p.name for p in shown}  # no locality: everyone's
    for scope, whole in ((mine, shown), (None, directory)):  # the first screenful
        first = people.list_participants(
            db, active=None, figures=False, locality_ids=scope, limit=5
        )
        assert first == whole[:5]
    figures = people.attendance_figures(db, mine)
    assert set(figures) <= {p.id for p in shown}


def test_homes_waiting_claims_are_read_from_their_index(
    db: Database, trust: dict[str, Any]
) -> None:
    """Home's "Claimed, unpaid over 30 days" scanned every payment ever made (80 ms at sixteen
    times the large demo, at every start); the partial index of migration 0011 holds only the
    payments offered and claimed."""
    from coordinator_app.core.payments.claims import claims_waiting

    with db.reading() as conn:
        scope = coordinated_localities(conn)
    for locality_ids in (scope, None):
        plans = _plans(db, lambda ids=locality_ids: claims_waiting(db, TODAY, locality_ids=ids))
        lines = [line for plan in plans for line in plan]
        assert any("ix_involvement_payments_claims_waiting" in line for line in lines), plans
        assert not [line for line in lines if line.startswith("SCAN involvement_payments")]


def test_a_lists_forum_choices_are_the_forums_read_whole(
    db: Database, trust: dict[str, Any]
) -> None:
    """``rows.forum_choices`` (Core, three columns) offers the forums ``list_forums`` reads,
    retired ones too, in its order, for the scope or for every locality."""
    from coordinator_app.core.rows import ForumChoice, forum_choices

    retired = meetings.list_forums(db, locality_id=trust["Solihull"])[0]
    with db.transaction() as session:
        from coordinator_app.core.models import Forum

        session.get(Forum, retired.id).active = False
    for scope in (None, [trust["Rugby"], trust["Solihull"]], []):
        whole = meetings.list_forums(db, include_inactive=True, locality_ids=scope)
        expected = [ForumChoice(f.id, f.name, f.locality_name) for f in whole]
        assert forum_choices(db, scope) == expected
    assert retired.name in {f.name for f in forum_choices(db)}
    assert len(forum_choices(db)) == 6
