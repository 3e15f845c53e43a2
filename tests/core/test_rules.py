"""The rules of docs/counting-rules.md at their boundaries, through a real database."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from coordinator_app.core import rules
from coordinator_app.core.db import Database
from coordinator_app.core.models import Action, Forum, ImprovementProject, Locality, Meeting
from coordinator_app.core.rules import (
    AccreditationResult,
    Month,
    Thresholds,
    accreditation_result,
    standards_met_percent,
    tally,
)
from coordinator_app.core.vocab import (
    ActionLevel,
    ActionStatus,
    ForumKind,
    MeetingStatus,
    ProjectStatus,
    Rating,
)

M = Month(2026, 10)
F = date(2026, 10, 1)
N = date(2026, 11, 1)
LAST = date(2026, 10, 31)


def _locality(s: Any) -> Locality:
    locality = Locality(name="Siân's Rugby", code="RUG")
    s.add(locality)
    return locality


def _action(s: Any, locality: Locality, ref: str, raised: date, **kw: Any) -> Action:
    status = kw.pop("status", ActionStatus.OPEN)
    closed = kw.pop("closed_on", None)
    action = Action(
        reference=ref,
        locality=locality,
        raised_on=raised,
        title=f"Action {ref}",
        level=ActionLevel.LOCALITY,
        status=status,
        closed_on=closed,
        **kw,
    )
    s.add(action)
    return action


@pytest.fixture
def actions(db: Database) -> Database:
    """Actions at each boundary of month M = October 2026."""
    with db.transaction() as s:
        loc = _locality(s)
        done, cancelled = ActionStatus.COMPLETED, ActionStatus.CANCELLED
        _action(s, loc, "due-last-day", date(2026, 10, 5), due_on=LAST)
        _action(s, loc, "closed-on-N", date(2026, 10, 5), status=done, closed_on=N, due_on=LAST)
        _action(s, loc, "closed-last-day", date(2026, 10, 5), status=done, closed_on=LAST)
        _action(s, loc, "raised-on-N", N, due_on=N)
        _action(s, loc, "raised-on-F-no-due", F)
        _action(s, loc, "raised-last-day", LAST)
        _action(
            s,
            loc,
            "closed-before-F",
            date(2026, 9, 1),
            status=cancelled,
            closed_on=F - timedelta(1),
        )
        _action(s, loc, "closed-on-F", date(2026, 9, 1), status=done, closed_on=F)
        _action(
            s,
            loc,
            "cancelled-in-M",
            date(2026, 9, 1),
            status=cancelled,
            closed_on=date(2026, 10, 15),
        )
        _action(s, loc, "due-on-N", date(2026, 9, 1), due_on=N, status=ActionStatus.IN_PROGRESS)
        _action(s, loc, "due-before-F", date(2026, 9, 1), due_on=date(2026, 9, 30))
    return db


def _refs(db: Database, clause: Any) -> set[str]:
    with db.session() as s:
        return set(s.scalars(select(Action.reference).where(clause)))


def test_open_at_n_boundaries(actions: Database) -> None:
    assert _refs(actions, rules.open_at(N)) == {
        "due-last-day",
        "closed-on-N",
        "raised-on-F-no-due",
        "raised-last-day",
        "due-on-N",
        "due-before-F",
    }


def test_overdue_at_n_boundaries(actions: Database) -> None:
    # Due on the last day is overdue at N; due on N is not; no due date is never overdue;
    # closed on N is still open (so overdue) at N.
    assert _refs(actions, rules.overdue_at(N)) == {"due-last-day", "closed-on-N", "due-before-F"}


def test_raised_in_month_includes_f_and_last_day_not_n(actions: Database) -> None:
    assert _refs(actions, rules.raised_in(M)) == {
        "due-last-day",
        "closed-on-N",
        "closed-last-day",
        "raised-on-F-no-due",
        "raised-last-day",
    }


def test_completed_in_month_counts_completed_only_closed_from_f_to_last_day(
    actions: Database,
) -> None:
    assert _refs(actions, rules.completed_in(M)) == {"closed-last-day", "closed-on-F"}


def test_open_during_month_keeps_closed_on_f_and_n_but_not_before_f(actions: Database) -> None:
    found = _refs(actions, rules.open_during(M))
    assert "closed-on-N" in found
    assert "closed-on-F" in found
    assert "cancelled-in-M" in found
    assert "closed-before-F" not in found
    assert "raised-on-N" not in found
    assert len(found) == 9


def test_overdue_today_leaves_out_actions_closed_today(db: Database) -> None:
    today = date(2026, 10, 20)
    with db.transaction() as s:
        loc = _locality(s)
        _action(
            s,
            loc,
            "closed-today",
            date(2026, 10, 1),
            due_on=date(2026, 10, 19),
            status=ActionStatus.COMPLETED,
            closed_on=today,
        )
        _action(s, loc, "due-yesterday", date(2026, 10, 1), due_on=date(2026, 10, 19))
        _action(s, loc, "due-today", date(2026, 10, 1), due_on=today)
    assert _refs(db, rules.overdue_at(today)) == {"closed-today", "due-yesterday"}
    assert _refs(db, rules.overdue_today(today)) == {"due-yesterday"}
    assert _refs(db, rules.open_now(today)) == {"due-yesterday", "due-today"}


def test_reopening_clears_closed_on_and_moving_between_closed_states_keeps_it(
    db: Database,
) -> None:
    with db.transaction() as s:
        loc = _locality(s)
        action = _action(s, loc, "RUG-A1", date(2026, 9, 1), due_on=date(2026, 9, 30))
        s.flush()
        rules.apply_action_status(action, ActionStatus.COMPLETED, date(2026, 10, 10))
        s.flush()
        assert action.closed_on == date(2026, 10, 10)
        rules.apply_action_status(action, ActionStatus.CANCELLED, date(2026, 10, 12))
        s.flush()
        assert action.closed_on == date(2026, 10, 10)
        rules.apply_action_status(action, ActionStatus.IN_PROGRESS, date(2026, 10, 14))
        s.flush()  # the database's closed_on_iff_closed check passes
        assert action.closed_on is None
    assert _refs(db, rules.overdue_at(N)) == {"RUG-A1"}
    with db.transaction() as s:
        action = s.scalar(select(Action))
        rules.apply_action_status(action, ActionStatus.COMPLETED, date(2026, 11, 3))
        assert action.closed_on == date(2026, 11, 3)
    assert _refs(db, rules.open_at(N)) == {"RUG-A1"}
    assert _refs(db, rules.completed_in(Month(2026, 11))) == {"RUG-A1"}


def test_days_overdue() -> None:
    raised = date(2026, 9, 1)
    assert rules.days_overdue(LAST, None, raised, N) == 1
    assert rules.days_overdue(date(2026, 10, 15), N, raised, N) == 17  # closed on N: still open
    assert rules.days_overdue(N, None, raised, N) is None
    assert rules.days_overdue(None, None, raised, N) is None
    assert rules.days_overdue(LAST, LAST, raised, N) is None
    assert rules.days_overdue(N, None, N, N) is None


def test_meetings_held_and_cancelled_in_month(db: Database) -> None:
    with db.transaction() as s:
        forum = Forum(locality=_locality(s), name="Forum", kind=ForumKind.LOCALITY_FORUM)
        held, cancelled, planned = (
            MeetingStatus.HELD,
            MeetingStatus.CANCELLED,
            MeetingStatus.PLANNED,
        )
        for ref, on, status in [
            ("held-before-F", F - timedelta(1), held),
            ("held-F", F, held),
            ("held-last", LAST, held),
            ("held-N", N, held),
            ("cancelled-F", F, cancelled),
            ("cancelled-last", LAST, cancelled),
            ("cancelled-N", N, cancelled),
            ("planned-mid", date(2026, 10, 15), planned),
        ]:
            s.add(Meeting(reference=ref, forum=forum, meeting_date=on, status=status))

    def refs(clause: Any) -> set[str]:
        with db.session() as s:
            return set(s.scalars(select(Meeting.reference).where(clause)))

    assert refs(rules.held_in(M)) == {"held-F", "held-last"}
    assert refs(rules.cancelled_in(M)) == {"cancelled-F", "cancelled-last"}
    assert len(refs(rules.dated_in(M))) == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-10", Month(2026, 10)), (" 2026-1 ", Month(2026, 1)), ("2026-12", Month(2026, 12))],
)
def test_month_parse_good(text: str, expected: Month) -> None:
    assert Month.parse(text) == expected


@pytest.mark.parametrize("text", ["2026-13", "26-10", "", "2026-00", "October 2026", "2026/10"])
def test_month_parse_bad_says_how_to_write_it(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        Month.parse(text)


def test_month_bounds() -> None:
    assert Month(2026, 12).next_first == date(2027, 1, 1)
    assert Month(2028, 2).last == date(2028, 2, 29)
    assert Month(2026, 1).previous() == Month(2025, 12)
    assert str(Month(2026, 3)) == "2026-03"
    assert M.contains(F) and M.contains(LAST) and not M.contains(N)


def test_matters_arising_are_open_actions_of_earlier_meetings_of_the_same_forum(
    db: Database,
) -> None:
    d = date(2026, 10, 1)
    with db.transaction() as s:
        loc = _locality(s)
        forum = Forum(locality=loc, name="Forum", kind=ForumKind.LOCALITY_FORUM)
        other = Forum(locality=loc, name="Other", kind=ForumKind.CARERS_FORUM)
        earlier = Meeting(
            reference="E", forum=forum, meeting_date=date(2026, 9, 1), status=MeetingStatus.HELD
        )
        today = Meeting(reference="T", forum=forum, meeting_date=d, status=MeetingStatus.HELD)
        elsewhere = Meeting(
            reference="O", forum=other, meeting_date=date(2026, 9, 1), status=MeetingStatus.HELD
        )
        s.add_all([earlier, today, elsewhere])
        done = ActionStatus.COMPLETED
        _action(s, loc, "open", date(2026, 9, 1), meeting=earlier)
        _action(
            s,
            loc,
            "closed-before-D",
            date(2026, 9, 1),
            meeting=earlier,
            status=done,
            closed_on=d - timedelta(1),
        )
        _action(s, loc, "closed-on-D", date(2026, 9, 1), meeting=earlier, status=done, closed_on=d)
        _action(s, loc, "other-forum", date(2026, 9, 1), meeting=elsewhere)
        _action(s, loc, "same-meeting", d, meeting=today)
        _action(s, loc, "no-meeting", date(2026, 9, 1))
        s.flush()
        forum_id = forum.id
    assert _refs(db, rules.matters_arising_clause(forum_id, d)) == {"open", "closed-on-D"}


def test_project_active_in_month(db: Database) -> None:
    with db.transaction() as s:
        loc = _locality(s)
        active, done = ProjectStatus.ACTIVE, ProjectStatus.COMPLETED
        for title, status, start, end in [
            ("started-on-N", active, N, None),
            ("started-last-day", active, LAST, None),
            ("ended-on-F", done, date(2026, 1, 1), F),
            ("ended-day-before-F", done, date(2026, 1, 1), F - timedelta(1)),
            ("proposed", ProjectStatus.PROPOSED, date(2026, 9, 1), None),
            ("no-start", active, None, None),
            ("running", active, date(2025, 1, 1), None),
        ]:
            s.add(
                ImprovementProject(
                    locality=loc, title=title, status=status, started_on=start, ended_on=end
                )
            )
    with db.session() as s:
        found = set(s.scalars(select(ImprovementProject.title).where(rules.project_active_in(M))))
    assert found == {"started-last-day", "ended-on-F", "running"}


# --- Accreditation (pure) ------------------------------------------------------------------


def _ratings(level: int, met: int, of: int, *, other: Rating = Rating.NOT_MET) -> list[Any]:
    return [(level, Rating.MET)] * met + [(level, other)] * (of - met)


def _result(c1: tuple[int, int], c2: tuple[int, int], c3: tuple[int, int]) -> AccreditationResult:
    return accreditation_result(tally(_ratings(1, *c1) + _ratings(2, *c2) + _ratings(3, *c3)))


def test_accredited_at_exactly_100_80_60() -> None:
    assert _result((1, 1), (4, 5), (3, 5)) == AccreditationResult.ACCREDITED
    assert _result((10, 10), (80, 100), (60, 100)) == AccreditationResult.ACCREDITED


@pytest.mark.parametrize(
    ("c1", "c2", "c3"),
    [
        ((99, 100), (80, 100), (60, 100)),
        ((10, 10), (79, 100), (60, 100)),
        ((10, 10), (80, 100), (59, 100)),
    ],
)
def test_just_below_an_accredited_threshold_is_deferred(c1: Any, c2: Any, c3: Any) -> None:
    assert _result(c1, c2, c3) == AccreditationResult.DEFERRED


def test_deferred_at_exactly_90_and_70_and_not_just_below() -> None:
    assert _result((9, 10), (7, 10), (0, 10)) == AccreditationResult.DEFERRED
    assert _result((89, 100), (70, 100), (10, 10)) == AccreditationResult.NOT_ACCREDITED
    assert _result((90, 100), (69, 100), (10, 10)) == AccreditationResult.NOT_ACCREDITED


def test_partly_met_counts_as_not_met() -> None:
    ratings = _ratings(1, 1, 2, other=Rating.PARTLY_MET) + _ratings(2, 1, 1)
    assert accreditation_result(tally(ratings)) == AccreditationResult.NOT_ACCREDITED


def test_no_applicable_standards_at_a_level_leaves_nothing_to_fail() -> None:
    ratings = _ratings(1, 1, 1) + _ratings(2, 4, 5) + [(3, Rating.NOT_APPLICABLE)] * 3
    tallies = tally(ratings)
    assert tallies[3].rated == 0 and tallies[3].percent is None
    assert accreditation_result(tallies) == AccreditationResult.ACCREDITED
    assert accreditation_result(tally(_ratings(1, 1, 1))) == AccreditationResult.ACCREDITED


def test_not_yet_rated_makes_the_result_incomplete() -> None:
    ratings = _ratings(1, 1, 1) + _ratings(2, 5, 5) + [(3, Rating.NOT_YET_RATED)]
    assert accreditation_result(tally(ratings)) == AccreditationResult.INCOMPLETE


def test_framework_thresholds_replace_the_default() -> None:
    thresholds = Thresholds.for_framework(None, 95, None)
    tallies = tally(_ratings(1, 1, 1) + _ratings(2, 9, 10) + _ratings(3, 1, 1))
    assert accreditation_result(tallies) == AccreditationResult.ACCREDITED
    assert accreditation_result(tallies, thresholds) == AccreditationResult.DEFERRED


@pytest.mark.parametrize(
    ("met", "of", "expected"),
    [(2, 3, 66.7), (1, 3, 33.3), (1, 6, 16.7), (1, 8, 12.5), (5, 5, 100.0), (0, 4, 0.0)],
)
def test_standards_met_percent_rounds_to_one_decimal(met: int, of: int, expected: float) -> None:
    assert standards_met_percent(tally(_ratings(2, met, of))) == expected


def test_standards_met_percent_leaves_out_not_applicable_and_is_none_when_nothing_rated() -> None:
    ratings = _ratings(1, 1, 2) + [(3, Rating.NOT_APPLICABLE)] * 5
    assert standards_met_percent(tally(ratings)) == 50.0
    assert standards_met_percent(tally([(1, Rating.NOT_APPLICABLE)])) is None


def test_standards_met_percent_rounds_half_up_as_excel_does() -> None:
    from coordinator_app.core.rules import Tally, standards_met_percent

    assert standards_met_percent({1: Tally(met=1, rated=16)}) == 6.3  # 6.25
    assert standards_met_percent({1: Tally(met=1, rated=8)}) == 12.5
    assert standards_met_percent({1: Tally(met=0, rated=0)}) is None
