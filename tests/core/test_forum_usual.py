"""A forum's usual day, times and standing agenda items (issue #22 items 1 and 3): checked at the
field with nothing saved, kept when the forum is changed, proposing a new meeting's date, and
copied into the agenda of a meeting planned in the app."""

from __future__ import annotations

import uuid
from datetime import date, time

import pytest
from sqlalchemy import func, select

from coordinator_app.core import forum_usual, meetings, organisation
from coordinator_app.core.db import Database
from coordinator_app.core.errors import ValidationError
from coordinator_app.core.forum_usual import Usual
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.models import AgendaItem, AuditEntry, Forum
from coordinator_app.core.settings import ensure_locality
from coordinator_app.core.vocab import ForumKind, MeetingStatus

SECOND_TUESDAY = Usual(week=2, weekday=1, start=time(14), end=time(16))
STANDING = ("Welcome and introductions", "Apologies", "Matters arising", "Any other business")


@pytest.fixture
def rugby(db: Database) -> uuid.UUID:
    with db.transaction() as s:
        return ensure_locality(s, "Rugby", coordinated=True)


def forum_state(db: Database) -> list[tuple[object, ...]]:
    with db.session() as s:
        rows = s.execute(select(Forum.name, Forum.usual_week, Forum.standing_items)).all()
        audits = s.scalar(select(func.count()).select_from(AuditEntry))
    return [*map(tuple, rows), ("audit", audits)]


@pytest.mark.parametrize(
    ("usual", "field", "words"),
    [
        (Usual(week=2), "usual_day", "both the week and the day"),
        (Usual(weekday=1), "usual_day", "both the week and the day"),
        (Usual(week=6, weekday=1), "usual_day", "1st to the 4th, or the last"),
        (Usual(week=2, weekday=7), "usual_day", "day of the week"),
        (Usual(start=time(16), end=time(14)), "usual_end", "after the start"),
        (Usual(start=time(16), end=time(16)), "usual_end", "after the start"),
        (Usual(standing_items=("x" * 300,)), "standing_items", "Standing item"),
        (
            Usual(standing_items=tuple(f"Item {n}" for n in range(21))),
            "standing_items",
            "at most 20",
        ),
    ],
)
def test_a_bad_usual_day_time_or_item_is_refused_at_its_field_and_nothing_changes(
    db: Database, rugby: uuid.UUID, usual: Usual, field: str, words: str
) -> None:
    forum = meetings.create_forum(
        db, locality_id=rugby, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM
    )
    before = forum_state(db)
    with pytest.raises(ValidationError) as new:
        meetings.create_forum(
            db, locality_id=rugby, name="Carers", kind=ForumKind.CARERS_FORUM, usual=usual
        )
    with pytest.raises(ValidationError) as changed:
        organisation.update_forum(
            db, forum, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM, usual=usual
        )
    for info in (new, changed):
        assert words in info.value.problems[field]
    assert forum_state(db) == before


def test_the_usual_day_and_items_are_kept_tidy_and_read_back(
    db: Database, rugby: uuid.UUID
) -> None:
    typed = Usual(
        week=forum_usual.LAST_WEEK,
        weekday=4,
        start=time(10, 30),
        standing_items=("  Welcome  ", "", "Apologies", "apologies", "Any   other business"),
    )
    forum = meetings.create_forum(
        db, locality_id=rugby, name="Carers Forum", kind=ForumKind.CARERS_FORUM, usual=typed
    )
    (row,) = meetings.list_forums(db, rugby)
    assert row.id == forum
    assert row.usual == Usual(
        week=5,
        weekday=4,
        start=time(10, 30),
        standing_items=("Welcome", "Apologies", "Any other business"),
    )
    assert forum_usual.describe(row.usual) == "last Friday of the month, 10:30"
    organisation.update_forum(db, forum, name="Carers Forum", kind=ForumKind.CARERS_FORUM)
    assert meetings.list_forums(db, rugby)[0].usual == row.usual, "not given: left as it was"
    organisation.update_forum(
        db, forum, name="Carers Forum", kind=ForumKind.CARERS_FORUM, usual=Usual()
    )
    assert meetings.list_forums(db, rugby)[0].usual == Usual(), "given empty: cleared"


@pytest.mark.parametrize(
    ("usual", "after", "expected"),
    [
        (SECOND_TUESDAY, date(2026, 12, 6), date(2026, 12, 8)),
        (SECOND_TUESDAY, date(2026, 12, 8), date(2026, 12, 8)),
        (SECOND_TUESDAY, date(2026, 12, 9), date(2027, 1, 12)),
        (Usual(week=5, weekday=4), date(2026, 12, 26), date(2027, 1, 29)),
        (Usual(week=5, weekday=4), date(2026, 12, 1), date(2026, 12, 25)),
        (Usual(), date(2026, 12, 6), None),
    ],
)
def test_the_next_usual_day(usual: Usual, after: date, expected: date | None) -> None:
    assert forum_usual.next_date(usual, after) == expected


def agenda(db: Database, meeting_id: uuid.UUID) -> list[str]:
    with db.session() as s:
        return list(
            s.scalars(
                select(AgendaItem.title)
                .where(AgendaItem.meeting_id == meeting_id)
                .order_by(AgendaItem.position)
            )
        )


def test_plan_next_keeps_to_the_usual_day_and_copies_the_standing_items(
    db: Database, rugby: uuid.UUID
) -> None:
    """Issue #22 item 3: "Plan next meeting" did not copy standing agenda items."""
    forum = meetings.create_forum(
        db,
        locality_id=rugby,
        name="Rugby Forum",
        kind=ForumKind.LOCALITY_FORUM,
        usual=Usual(week=2, weekday=1, standing_items=("Welcome", "Service updates")),
    )
    held = meetings.create_meeting(
        db, MeetingInput(forum_id=forum, meeting_date=date(2026, 12, 1), status=MeetingStatus.HELD)
    )
    planned = meetings.plan_next_meeting(db, held)
    detail = meetings.get_meeting(db, planned)
    assert detail.meeting_date == date(2027, 1, 12), "the 2nd Tuesday, not the 1st"
    assert agenda(db, planned) == ["Matters arising", "Welcome", "Service updates"]
    assert agenda(db, held) == [], "a meeting typed in without asking gets none"


def test_standing_items_that_name_matters_arising_keep_their_order(
    db: Database, rugby: uuid.UUID
) -> None:
    forum = meetings.create_forum(
        db,
        locality_id=rugby,
        name="Rugby Forum",
        kind=ForumKind.LOCALITY_FORUM,
        usual=Usual(standing_items=STANDING),
    )
    held = meetings.create_meeting(
        db, MeetingInput(forum_id=forum, meeting_date=date(2026, 12, 1), status=MeetingStatus.HELD)
    )
    assert agenda(db, meetings.plan_next_meeting(db, held)) == list(STANDING)
    assert meetings.get_meeting(db, meetings.plan_next_meeting(db, held)).meeting_date == date(
        2027, 1, 5
    ), "no usual day: the same weekday of the month, as before"
    first = meetings.create_meeting(
        db,
        MeetingInput(forum_id=forum, meeting_date=date(2027, 2, 2)),
        standing_items=True,
    )
    assert agenda(db, first) == list(STANDING)


def test_a_logo_must_be_a_small_png_and_nothing_changes_otherwise(db: Database) -> None:
    from coordinator_app.core import settings

    settings.set_logo(db, settings.PNG_SIGNATURE + b"picture")
    for bad, words in (
        (b"GIF89a...", "PNG format"),
        (settings.PNG_SIGNATURE + b"x" * settings.MAX_LOGO_BYTES, "at most 1000 KB"),
    ):
        with pytest.raises(ValidationError) as info:
            settings.set_logo(db, bad)
        assert words in info.value.problems["logo"]
        assert settings.get_logo(db) == settings.PNG_SIGNATURE + b"picture"
    settings.set_logo(db, None)
    assert settings.get_logo(db) is None
