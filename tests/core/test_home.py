"""Home: the coordinated localities, next meetings, overdue and due-this-week boundaries."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from coordinator_app.core import actions, home, meetings
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.settings import ensure_locality
from coordinator_app.core.vocab import ActionStatus, ForumKind, MeetingStatus

TODAY = date(2026, 4, 15)


@pytest.fixture
def two(db: Database) -> dict[str, uuid.UUID]:
    with db.transaction() as s:
        rugby = ensure_locality(s, "Rugby", coordinated=True)
        coventry = ensure_locality(s, "Coventry")
    return {
        "rugby": rugby,
        "coventry": coventry,
        "rugby_forum": meetings.create_forum(
            db, locality_id=rugby, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM
        ),
        "coventry_forum": meetings.create_forum(
            db, locality_id=coventry, name="Coventry Forum", kind=ForumKind.LOCALITY_FORUM
        ),
    }


def action_due(db: Database, locality: uuid.UUID, title: str, due: date, **kw: object) -> None:
    actions.raise_action(
        db,
        locality_id=locality,
        data=ActionInput(title=title, raised_on=TODAY - timedelta(days=60), due_on=due, **kw),  # type: ignore[arg-type]
        today=TODAY,
        outcome="Done" if kw.get("status") == ActionStatus.COMPLETED else "",
    )


def test_overdue_and_due_this_week_at_their_boundaries(
    db: Database, two: dict[str, uuid.UUID]
) -> None:
    rugby = two["rugby"]
    action_due(db, rugby, "due yesterday", TODAY - timedelta(days=1))
    action_due(db, rugby, "due long ago", TODAY - timedelta(days=30))
    action_due(db, rugby, "due today", TODAY)
    action_due(db, rugby, "due in six days", TODAY + timedelta(days=6))
    action_due(db, rugby, "due in seven days", TODAY + timedelta(days=7))
    action_due(db, rugby, "closed late", TODAY - timedelta(days=5), status=ActionStatus.COMPLETED)
    action_due(db, two["coventry"], "elsewhere", TODAY - timedelta(days=1))
    summary = home.home_summary(db, today=TODAY)
    assert summary.locality_ids == [rugby]
    assert [a.title for a in summary.overdue] == ["due long ago", "due yesterday"]
    assert all(a.overdue for a in summary.overdue)
    assert [a.title for a in summary.due_this_week] == ["due today", "due in six days"]
    assert summary.counts["overdue"] == 2
    assert summary.counts["due_this_week"] == 2
    assert summary.counts["open_actions"] == 5
    everywhere = home.home_summary(db, locality_ids=[rugby, two["coventry"]], today=TODAY)
    assert everywhere.counts["overdue"] == 3
    assert len(home.home_summary(db, today=TODAY, limit=1).overdue) == 1


def test_next_meetings_are_the_five_soonest_planned_from_today(
    db: Database, two: dict[str, uuid.UUID]
) -> None:
    def meeting(on: date, status: MeetingStatus, forum: str = "rugby_forum") -> None:
        meetings.create_meeting(
            db, MeetingInput(forum_id=two[forum], meeting_date=on, status=status)
        )

    meeting(TODAY - timedelta(days=1), MeetingStatus.PLANNED)  # in the past
    meeting(TODAY + timedelta(days=3), MeetingStatus.CANCELLED)
    meeting(TODAY + timedelta(days=1), MeetingStatus.PLANNED, "coventry_forum")
    for days in (40, 0, 30, 20, 10, 50):
        meeting(TODAY + timedelta(days=days), MeetingStatus.PLANNED)
    summary = home.home_summary(db, today=TODAY)
    assert [m.meeting_date for m in summary.next_meetings] == [
        TODAY + timedelta(days=d) for d in (0, 10, 20, 30, 40)
    ]
    assert summary.counts["planned_meetings"] == 6


def test_all_localities_when_none_is_coordinated(db: Database) -> None:
    with db.transaction() as s:
        a = ensure_locality(s, "Rugby")
        b = ensure_locality(s, "Coventry")
    action_due(db, a, "one", TODAY - timedelta(days=1))
    action_due(db, b, "two", TODAY - timedelta(days=2))
    summary = home.home_summary(db, today=TODAY)
    assert summary.locality_ids == []
    assert [x.title for x in summary.overdue] == ["two", "one"]


def test_homes_three_action_counts_are_one_pass_over_the_open_actions(
    db: Database, two: dict[str, uuid.UUID]
) -> None:
    from sqlalchemy import event

    counted: list[str] = []

    def seen(conn, cursor, statement, params, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("SELECT count(*)") and "FROM actions" in statement:
            counted.append(statement)

    summary = home.home_summary(db, today=TODAY)  # nothing open: every count is 0
    assert summary.counts["open_actions"] == 0
    assert summary.counts["overdue"] == summary.counts["due_this_week"] == 0
    action_due(db, two["rugby"], "due yesterday", TODAY - timedelta(days=1))
    action_due(db, two["rugby"], "due today", TODAY)
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        summary = home.home_summary(db, today=TODAY)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert (summary.counts["open_actions"], summary.counts["overdue"]) == (2, 1)
    assert summary.counts["due_this_week"] == 1
    assert len(counted) == 1  # was three statements, each compiled and run at every start
