"""Actions: references, validation at the field, closing with an outcome, progress and lists."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coordinator_app.core import actions
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database
from coordinator_app.core.errors import NotFoundError, ValidationError
from coordinator_app.core.models import Action, AuditEntry, StrategicPriority
from coordinator_app.core.settings import ensure_default_priorities, ensure_locality
from coordinator_app.core.vocab import ActionLevel, ActionStatus

RAISED = date(2026, 3, 10)
TODAY = date(2026, 4, 1)


@pytest.fixture
def rugby(db: Database) -> uuid.UUID:
    with db.transaction() as s:
        ensure_default_priorities(s)
        return ensure_locality(s, "Rugby", coordinated=True)


def base(**kw: object) -> ActionInput:
    values: dict[str, object] = {
        "title": "Publish waiting times",
        "owner": "Service manager",
        "raised_on": RAISED,
        "due_on": RAISED + timedelta(days=14),
    }
    values.update(kw)
    return ActionInput(**values)  # type: ignore[arg-type]


def rows(db: Database) -> tuple[int, int]:
    with db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Action)),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )


def refused(db: Database, rugby: uuid.UUID, data: ActionInput, **kw: object) -> dict[str, str]:
    before = rows(db)
    with pytest.raises(ValidationError) as info:
        actions.raise_action(db, locality_id=rugby, data=data, today=TODAY, **kw)  # type: ignore[arg-type]
    assert rows(db) == before, "nothing may be half saved"
    return info.value.problems


def test_references_count_up_per_locality(db: Database, rugby: uuid.UUID) -> None:
    with db.transaction() as s:
        coventry = ensure_locality(s, "Coventry")
    first = actions.raise_action(db, locality_id=rugby, data=base(), today=TODAY)
    second = actions.raise_action(db, locality_id=rugby, data=base(), today=TODAY)
    other = actions.raise_action(db, locality_id=coventry, data=base(), today=TODAY)
    refs = [actions.get_action(db, a, TODAY).reference for a in (first, second, other)]
    assert refs == ["RUG-A1", "RUG-A2", "COV-A1"]


def test_validation_sentences_at_their_fields(db: Database, rugby: uuid.UUID) -> None:
    assert refused(db, rugby, base(title="  ")) == {"title": "Say what the action is."}
    assert list(refused(db, rugby, base(owner="x" * 121))) == ["owner"]
    assert refused(db, rugby, base(due_on=RAISED - timedelta(days=1))) == {
        "due_on": "The due date cannot be before the date it was raised."
    }
    assert refused(db, rugby, base(status=ActionStatus.COMPLETED)) == {
        "outcome": "Say what was done (the 'we did') before closing the action."
    }
    assert list(refused(db, rugby, base(strategic_priority_id=uuid.uuid4()))) == [
        "strategic_priority"
    ]
    # Boundaries that pass: owner of 120 characters, due on the day it was raised.
    aid = actions.raise_action(
        db, locality_id=rugby, data=base(owner="x" * 120, due_on=RAISED), today=TODAY
    )
    assert actions.get_action(db, aid, TODAY).due_on == RAISED


def test_closing_needs_an_outcome_and_reopening_clears_the_date(
    db: Database, rugby: uuid.UUID
) -> None:
    aid = actions.raise_action(db, locality_id=rugby, data=base(), today=TODAY)
    done = base(status=ActionStatus.COMPLETED)
    with pytest.raises(ValidationError) as info:
        actions.update_action(db, aid, done, today=TODAY)
    assert list(info.value.problems) == ["outcome"]
    assert actions.get_action(db, aid, TODAY).status is ActionStatus.OPEN

    actions.update_action(db, aid, done, outcome="Times now on the website", today=TODAY)
    row = actions.get_action(db, aid, TODAY)
    assert (row.status, row.closed_on, row.outcome) == (
        ActionStatus.COMPLETED,
        TODAY,
        "Times now on the website",
    )
    later = TODAY + timedelta(days=3)
    # Between closed states the first closed date stays; outcome None keeps the outcome.
    actions.update_action(db, aid, base(status=ActionStatus.CANCELLED), today=later)
    row = actions.get_action(db, aid, later)
    assert (row.status, row.closed_on, row.outcome) == (
        ActionStatus.CANCELLED,
        TODAY,
        "Times now on the website",
    )
    actions.update_action(db, aid, base(status=ActionStatus.IN_PROGRESS), today=later)
    row = actions.get_action(db, aid, later)
    assert (row.status, row.closed_on) == (ActionStatus.IN_PROGRESS, None)


def test_overdue_flag_and_latest_progress(db: Database, rugby: uuid.UUID) -> None:
    due = RAISED + timedelta(days=14)
    aid = actions.raise_action(db, locality_id=rugby, data=base(due_on=due), today=TODAY)
    assert actions.get_action(db, aid, today=due).overdue is False  # due today: not yet
    assert actions.get_action(db, aid, today=due + timedelta(days=1)).overdue is True
    assert actions.get_action(db, aid, TODAY).latest_progress == ""
    actions.add_progress(db, aid, "Second", written_on=RAISED + timedelta(days=5))
    actions.add_progress(db, aid, "First", written_on=RAISED + timedelta(days=1))
    assert actions.get_action(db, aid, TODAY).latest_progress == "Second"
    with pytest.raises(ValidationError) as info:
        actions.add_progress(db, aid, "  ")
    assert list(info.value.problems) == ["note"]


def test_list_actions_filters_and_priorities(db: Database, rugby: uuid.UUID) -> None:
    with db.transaction() as s:
        coventry = ensure_locality(s, "Coventry")
        ours = s.scalar(select(StrategicPriority).where(StrategicPriority.name == "Our care"))
        assert ours is not None
        retired = s.scalar(
            select(StrategicPriority).where(StrategicPriority.name == "Our leadership")
        )
        assert retired is not None
        retired.retired = True
        care = ours.id
    a = actions.raise_action(
        db,
        locality_id=rugby,
        data=base(strategic_priority_id=care, level=ActionLevel.STRATEGIC),
        today=TODAY,
    )
    b = actions.raise_action(
        db,
        locality_id=rugby,
        data=base(raised_on=RAISED + timedelta(days=1), status=ActionStatus.COMPLETED),
        outcome="Done",
        today=TODAY,
    )
    c = actions.raise_action(db, locality_id=coventry, data=base(), today=TODAY)
    # Newest raised first; raised the same day, the later one first.
    assert [r.id for r in actions.list_actions(db, today=TODAY)] == [b, c, a]
    assert {r.id for r in actions.list_actions(db, locality_id=rugby, today=TODAY)} == {a, b}
    assert {r.id for r in actions.list_actions(db, open_only=True, today=TODAY)} == {a, c}
    row = actions.get_action(db, a, TODAY)
    assert (row.priority_name, row.level, row.locality_name) == (
        "Our care",
        ActionLevel.STRATEGIC,
        "Rugby",
    )
    names = [p.name for p in actions.list_priorities(db)]
    assert "Our leadership" not in names and names[0] == "Our care"
    assert "Our leadership" in [p.name for p in actions.list_priorities(db, include_retired=True)]
    with pytest.raises(NotFoundError):
        actions.get_action(db, uuid.uuid4())


def test_update_validates_before_writing(db: Database, rugby: uuid.UUID) -> None:
    aid = actions.raise_action(db, locality_id=rugby, data=base(), today=TODAY)
    with pytest.raises(ValidationError) as info:
        actions.update_action(db, aid, replace(base(), title="", owner="y" * 121), today=TODAY)
    assert set(info.value.problems) == {"title", "owner"}
    assert actions.get_action(db, aid, TODAY).title == "Publish waiting times"
    actions.update_action(db, aid, replace(base(), raised_on=None, title="Renamed"), today=TODAY)
    row = actions.get_action(db, aid, TODAY)
    assert (row.title, row.raised_on) == ("Renamed", RAISED)


def test_an_action_done_last_month_is_closed_on_that_day(db: Database, rugby: uuid.UUID) -> None:
    """Issue #22: finished in March, recorded on 1 April, it counted as closed in April and
    March's return showed it open. The closed date can be set (today by default)."""
    aid = actions.raise_action(db, locality_id=rugby, data=base(), today=TODAY)
    march = date(2026, 3, 28)
    actions.update_action(
        db, aid, base(status=ActionStatus.COMPLETED, closed_on=march), outcome="Done", today=TODAY
    )
    assert actions.get_action(db, aid, TODAY).closed_on == march
    # Kept as recorded when saved again without a date.
    actions.update_action(db, aid, base(status=ActionStatus.COMPLETED), outcome="Done", today=TODAY)
    assert actions.get_action(db, aid, TODAY).closed_on == march
    # Raised already closed: the day it was done.
    raised_done = actions.raise_action(
        db,
        locality_id=rugby,
        data=base(status=ActionStatus.COMPLETED, closed_on=march),
        outcome="Done at the forum",
        today=TODAY,
    )
    assert actions.get_action(db, raised_done, TODAY).closed_on == march


@pytest.mark.parametrize(
    ("closed_on", "sentence"),
    [
        (TODAY + timedelta(days=1), "The closed date cannot be in the future."),
        (RAISED - timedelta(days=1), "The closed date cannot be before the date it was raised."),
        (date(1, 1, 1), "'01/01/0001' is not a date from 1900 to 2100; check the year."),
    ],
)
def test_a_closed_date_that_cannot_be_is_refused(
    db: Database, rugby: uuid.UUID, closed_on: date, sentence: str
) -> None:
    aid = actions.raise_action(db, locality_id=rugby, data=base(), today=TODAY)
    before = rows(db)
    with pytest.raises(ValidationError) as info:
        actions.update_action(
            db,
            aid,
            base(status=ActionStatus.COMPLETED, closed_on=closed_on),
            outcome="Done",
            today=TODAY,
        )
    assert info.value.problems == {"closed_on": sentence}
    assert rows(db) == before
    assert actions.get_action(db, aid, TODAY).status is ActionStatus.OPEN


def test_moving_a_due_date_is_noted_in_the_progress_log(db: Database, rugby: uuid.UUID) -> None:
    """Issue #22: a due date moved left no trace; the log now keeps every promise made."""
    aid = actions.raise_action(db, locality_id=rugby, data=base(), today=TODAY)
    first_due = RAISED + timedelta(days=14)
    actions.update_action(db, aid, base(due_on=date(2026, 4, 30)), today=TODAY)
    actions.update_action(
        db, aid, base(due_on=date(2026, 4, 30), owner="Ward manager"), today=TODAY
    )
    actions.update_action(db, aid, base(due_on=None), today=TODAY)
    notes = [(p.written_on, p.note) for p in actions.progress_log(db, aid)]
    assert sorted(notes) == sorted(
        [
            (TODAY, f"Due date moved from {first_due:%d/%m/%Y} to 30/04/2026."),
            (TODAY, "Due date 30/04/2026 taken off."),
        ]
    )


def test_an_action_answers_what_was_said(db: Database, rugby: uuid.UUID) -> None:
    """Issue #22: the core could link an action to an experience item; no form could. An
    action raised or saved with ``answers`` links to it, KEEP leaves the link, None unlinks,
    and the meeting's experience list names the actions answering each item."""
    from coordinator_app.core import meetings
    from coordinator_app.core.meetings import ExperienceInput, MeetingInput
    from coordinator_app.core.settings import ensure_locality as make_locality
    from coordinator_app.core.vocab import ExperienceKind, ForumKind

    forum = meetings.create_forum(db, locality_id=rugby, name="Forum", kind=ForumKind.OTHER)
    mid = meetings.create_meeting(db, MeetingInput(forum_id=forum, meeting_date=RAISED))
    said = meetings.add_experience(
        db, mid, ExperienceInput(kind=ExperienceKind.CONCERN, summary="Nobody rang back")
    )
    aid = actions.raise_action(
        db, locality_id=rugby, data=base(answers=said), meeting_id=mid, today=TODAY
    )
    reference = actions.get_action(db, aid, TODAY).reference
    assert [i.actions for i in meetings.get_meeting(db, mid).experience] == [(reference,)]
    actions.update_action(db, aid, base(owner="Someone else"), today=TODAY)  # KEEP
    assert meetings.get_meeting(db, mid).experience[0].actions == (reference,)
    actions.update_action(db, aid, base(answers=None), today=TODAY)
    assert meetings.get_meeting(db, mid).experience[0].actions == ()

    with db.transaction() as s:
        coventry = make_locality(s, "Coventry")
    elsewhere = meetings.create_forum(db, locality_id=coventry, name="C", kind=ForumKind.OTHER)
    other_mid = meetings.create_meeting(db, MeetingInput(forum_id=elsewhere, meeting_date=RAISED))
    theirs = meetings.add_experience(
        db, other_mid, ExperienceInput(kind=ExperienceKind.IDEA, summary="Coventry's idea")
    )
    before = rows(db)
    with pytest.raises(ValidationError) as info:
        actions.update_action(db, aid, base(answers=theirs), today=TODAY)
    assert info.value.problems == {"answers": "Choose something said in the action's own locality."}
    assert rows(db) == before
    assert refused(db, rugby, base(answers=uuid.uuid4())) == {
        "answers": "That experience item is no longer in the database."
    }
