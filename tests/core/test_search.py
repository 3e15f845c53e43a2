"""Finding anything: participants, meetings and actions, ignoring case and accents."""

from __future__ import annotations

from datetime import date

from coordinator_app.core import actions, meetings, people
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.people import ParticipantInput
from coordinator_app.core.search import find_everything
from coordinator_app.core.settings import ensure_locality
from coordinator_app.core.vocab import Category, ForumKind


def fill(db: Database) -> None:
    with db.transaction() as s:
        rugby = ensure_locality(s, "Rugby")
    forum = meetings.create_forum(
        db, locality_id=rugby, name="Café Carers Forum", kind=ForumKind.CARERS_FORUM
    )
    mid = meetings.create_meeting(
        db, MeetingInput(forum_id=forum, meeting_date=date(2026, 3, 3), venue="Benn Hall")
    )
    for name, org in (("Zoë Smith", ""), ("Siân Evans", "Mind"), ("Seán O'Neill", "")):
        people.create_participant(
            db, ParticipantInput(name=name, category=Category.CARER, organisation=org)
        )
    actions.raise_action(
        db,
        locality_id=rugby,
        data=ActionInput(
            title="Réview the leaflet", owner="Zoë's manager", raised_on=date(2026, 3, 3)
        ),
        meeting_id=mid,
    )


def test_finds_each_kind_ignoring_case_and_accents(db: Database) -> None:
    fill(db)
    found = find_everything(db, "zoe")
    assert [p.name for p in found.participants] == ["Zoë Smith"]
    assert [a.title for a in found.actions] == ["Réview the leaflet"]  # by its owner
    assert found.meetings == []
    assert [m.reference for m in find_everything(db, "cafe").meetings] == ["RUG-2603"]
    assert [m.reference for m in find_everything(db, "rug-2603").meetings] == ["RUG-2603"]
    assert [m.venue for m in find_everything(db, "BENN").meetings] == ["Benn Hall"]
    assert [a.reference for a in find_everything(db, "review leaflet").actions] == ["RUG-A1"]
    assert [a.reference for a in find_everything(db, "rug-a1").actions] == ["RUG-A1"]
    assert [p.name for p in find_everything(db, "mind").participants] == ["Siân Evans"]
    assert [p.name for p in find_everything(db, "o'neill").participants] == ["Seán O'Neill"]


def test_nothing_for_blank_or_wildcard_text_and_limit_is_kept(db: Database) -> None:
    fill(db)
    assert find_everything(db, "   ").empty
    assert find_everything(db, "%").empty
    assert find_everything(db, "_").empty
    for n in range(12):
        people.create_participant(
            db, ParticipantInput(name=f"Sam {n:02d}", category=Category.STAFF)
        )
    assert len(find_everything(db, "sam", limit=8).participants) == 8
    assert len(find_everything(db, "sam", limit=20).participants) == 12


def test_a_reference_typed_whole_comes_first(db: Database) -> None:
    """Issue #22: "RUG-2612-2" then Enter opened RUG-2612-3 (newest first, no exact match on
    top)."""
    with db.transaction() as s:
        rugby = ensure_locality(s, "Rugby")
    forum = meetings.create_forum(db, locality_id=rugby, name="Forum", kind=ForumKind.OTHER)
    made = [
        meetings.create_meeting(db, MeetingInput(forum_id=forum, meeting_date=date(2026, 12, day)))
        for day in range(1, 13)
    ]
    references = [meetings.get_meeting(db, m).reference for m in made]
    wanted = references[1]
    assert wanted.endswith("-2")
    found = find_everything(db, wanted.lower(), limit=8)
    assert found.meetings[0].reference == wanted
    assert len(found.meetings) == 8 and len({m.id for m in found.meetings}) == 8
