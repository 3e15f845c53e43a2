"""The tracker's rows and rule flags at their boundaries, progress, sources, closing and
reopening, "you said, we did", owners' reminders and the strategic priorities."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coordinator_app.core import actions, meetings
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database
from coordinator_app.core.document import Table
from coordinator_app.core.errors import NotFoundError, ValidationError
from coordinator_app.core.figures import monthly_series
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.models import Action, StrategicPriority
from coordinator_app.core.privacy import Redactor
from coordinator_app.core.rules import Month
from coordinator_app.core.settings import ensure_default_priorities, ensure_locality
from coordinator_app.core.vocab import ActionStatus, ExperienceKind, ForumKind, MeetingStatus

TODAY = date(2025, 3, 20)


@dataclass(frozen=True)
class World:
    rugby: uuid.UUID
    coventry: uuid.UUID
    forum: uuid.UUID
    other_forum: uuid.UUID
    meeting: uuid.UUID


@pytest.fixture
def world(db: Database) -> World:
    with db.transaction() as s:
        ensure_default_priorities(s)
        rugby = ensure_locality(s, "Rugby", coordinated=True)
        coventry = ensure_locality(s, "Coventry")
    forum = meetings.create_forum(
        db, locality_id=rugby, name="Rugby Locality Forum", kind=ForumKind.LOCALITY_FORUM
    )
    other = meetings.create_forum(
        db, locality_id=coventry, name="Coventry Carers Forum", kind=ForumKind.CARERS_FORUM
    )
    meeting = meetings.create_meeting(
        db, MeetingInput(forum, date(2025, 2, 12), status=MeetingStatus.HELD)
    )
    return World(rugby, coventry, forum, other, meeting)


def raise_(db: Database, locality: uuid.UUID, **kw: object) -> uuid.UUID:
    values: dict[str, object] = {"title": "Publish waiting times", "owner": "Zoë O'Neill"}
    extra = {k: kw.pop(k) for k in ("meeting_id", "experience_item_id", "outcome") if k in kw}
    values.update(kw)
    return actions.raise_action(
        db,
        locality_id=locality,
        data=ActionInput(**values),  # type: ignore[arg-type]
        today=TODAY,
        **extra,  # type: ignore[arg-type]
    )


def tracker(db: Database, today: date = TODAY) -> dict[uuid.UUID, actions.TrackerRow]:
    return {r.id: r for r in actions.tracker_rows(db, today=today)}


# --- the rule flags (from rules.py, computed by the query) ------------------------------------


def test_overdue_now_starts_the_day_after_the_due_date(db: Database, world: World) -> None:
    aid = raise_(db, world.rugby, raised_on=date(2025, 3, 1), due_on=TODAY)
    assert tracker(db, TODAY)[aid].overdue is False  # due today: not yet overdue
    assert tracker(db, TODAY + timedelta(days=1))[aid].overdue is True
    no_due = raise_(db, world.rugby, raised_on=date(2025, 1, 1))
    assert tracker(db, TODAY)[no_due].overdue is False  # no due date is never overdue


def test_due_this_week_runs_from_today_to_six_days_ahead(db: Database, world: World) -> None:
    due = {
        offset: raise_(
            db, world.rugby, raised_on=date(2025, 3, 1), due_on=TODAY + timedelta(offset)
        )
        for offset in (-1, 0, 6, 7)
    }
    rows = tracker(db)
    assert {k: rows[v].due_soon for k, v in due.items()} == {
        -1: False,
        0: True,
        6: True,
        7: False,
    }


def test_closing_today_is_neither_open_nor_overdue_and_reopening_restores_both(
    db: Database, world: World
) -> None:
    aid = raise_(db, world.rugby, raised_on=date(2025, 3, 1), due_on=date(2025, 3, 10))
    assert (tracker(db)[aid].is_open, tracker(db)[aid].overdue) == (True, True)
    actions.set_status(db, aid, ActionStatus.COMPLETED, outcome="Times online", today=TODAY)
    row = tracker(db)[aid]
    assert (row.is_open, row.overdue, row.closed_on) == (False, False, TODAY)
    actions.set_status(db, aid, ActionStatus.OPEN, today=TODAY)
    row = tracker(db)[aid]
    assert (row.is_open, row.overdue, row.closed_on) == (True, True, None)


def test_raised_later_than_today_is_not_open_now(db: Database, world: World) -> None:
    aid = raise_(db, world.rugby, raised_on=TODAY + timedelta(days=1))
    today_raised = raise_(db, world.rugby, raised_on=TODAY)
    rows = tracker(db)
    assert (rows[aid].is_open, rows[today_raised].is_open) == (False, True)


def test_open_and_overdue_at_month_end_at_the_boundaries(db: Database, world: World) -> None:
    """The charts' "open / overdue at month end" (``rules.open_at``/``overdue_at`` at N)."""
    march = Month(2025, 3)
    n = march.next_first
    raise_(db, world.rugby, raised_on=march.last, due_on=march.last)  # open, overdue at N
    raise_(db, world.rugby, raised_on=march.last, due_on=n)  # open, not overdue
    raise_(db, world.rugby, raised_on=n)  # raised in April: not open at N
    closed_on_n = raise_(db, world.rugby, raised_on=march.first)
    closed_before = raise_(db, world.rugby, raised_on=march.first)
    actions.set_status(db, closed_on_n, ActionStatus.COMPLETED, outcome="Done", today=n)
    actions.set_status(db, closed_before, ActionStatus.COMPLETED, outcome="Done", today=march.last)
    with db.session() as s:
        series = monthly_series(s, world.rugby, march, months=1)
    assert series.actions_open == (3,)  # two raised on the last day + one closed on N
    assert series.actions_overdue == (1,)
    assert series.actions_completed == (1,)
    assert series.actions_raised == (4,)


# --- rows, sources, progress ----------------------------------------------------------------


def test_tracker_rows_carry_keys_and_source(db: Database, world: World) -> None:
    with db.session() as s:
        care = s.scalar(select(StrategicPriority.id).where(StrategicPriority.name == "Our care"))
    at_meeting = raise_(db, world.rugby, meeting_id=world.meeting, strategic_priority_id=care)
    item = meetings.add_experience(
        db, world.meeting, ExperienceInput(ExperienceKind.CONCERN, summary="Long waits")
    )
    from_item = raise_(db, world.rugby, experience_item_id=item)
    direct = raise_(db, world.coventry, owner="")
    rows = tracker(db)
    assert rows[at_meeting].source == "meeting"
    assert rows[at_meeting].forum_key == world.forum.hex
    assert rows[at_meeting].priority_key == care.hex
    assert rows[from_item].source == "experience"
    assert (rows[direct].source, rows[direct].forum_key, rows[direct].owner) == ("", None, "")
    assert rows[direct].locality_key == world.coventry.hex
    only = actions.tracker_rows(db, today=TODAY, action_ids=[direct])
    assert [r.id for r in only] == [direct]

    sources = actions.action_sources(db, from_item)
    assert [s.kind for s in sources] == ["experience"]
    assert sources[0].meeting_id == world.meeting and "Long waits" in sources[0].text
    meeting_source = actions.action_sources(db, at_meeting)[0]
    assert (meeting_source.kind, meeting_source.meeting_id) == ("meeting", world.meeting)
    assert "Rugby Locality Forum" in meeting_source.text
    assert actions.action_sources(db, direct) == []
    with pytest.raises(NotFoundError):
        actions.action_sources(db, uuid.uuid4())


def test_progress_log_is_oldest_first_and_owners_are_a_to_z(db: Database, world: World) -> None:
    aid = raise_(db, world.rugby)
    raise_(db, world.rugby, owner="siân evans")
    raise_(db, world.rugby, owner="Ahmed Khan")
    raise_(db, world.rugby, owner="")
    actions.add_progress(db, aid, "Asked the web team", written_on=date(2025, 3, 12))
    actions.add_progress(db, aid, "Draft page ready", written_on=date(2025, 3, 18))
    actions.add_progress(db, aid, "Kick-off", written_on=date(2025, 3, 2))
    assert [p.note for p in actions.progress_log(db, aid)] == [
        "Kick-off",
        "Asked the web team",
        "Draft page ready",
    ]
    assert actions.owners(db) == ["Ahmed Khan", "siân evans", "Zoë O'Neill"]


def test_closing_without_an_outcome_saves_nothing(db: Database, world: World) -> None:
    aid = raise_(db, world.rugby)
    with pytest.raises(ValidationError) as info:
        actions.set_status(db, aid, ActionStatus.COMPLETED, outcome="  ", today=TODAY)
    assert list(info.value.problems) == ["outcome"]
    row = actions.get_action(db, aid, TODAY)
    assert (row.status, row.closed_on) == (ActionStatus.OPEN, None)


# --- you said, we did --------------------------------------------------------------------------


def test_you_said_we_did_pairs_items_with_actions_and_filters(db: Database, world: World) -> None:
    early = meetings.add_experience(
        db,
        world.meeting,
        ExperienceInput(
            ExperienceKind.CONCERN,
            theme="Waiting times",
            summary="Waits are too long",
            received_on=date(2025, 2, 1),
        ),
    )
    late = meetings.add_experience(
        db,
        world.meeting,
        ExperienceInput(
            ExperienceKind.SUGGESTION,
            theme="Information",
            summary="Leaflets in Polish",
            response="Leaflets ordered",
            received_on=date(2025, 2, 28),
        ),
    )
    coventry_item = meetings.add_experience_for_locality(
        db,
        world.coventry,
        ExperienceInput(ExperienceKind.COMPLIMENT, summary="Kind staff", received_on=TODAY),
    )
    done = raise_(db, world.rugby, experience_item_id=early, raised_on=date(2025, 2, 2))
    actions.set_status(
        db, done, ActionStatus.COMPLETED, outcome="Clinic hours extended", today=TODAY
    )
    still_open = raise_(
        db, world.rugby, experience_item_id=early, title="Text reminders", due_on=date(2025, 4, 1)
    )

    rows = actions.you_said_we_did(db)
    assert [(r.experience_id, r.action_id) for r in rows] == [
        (coventry_item, None),
        (late, None),
        (early, done),
        (early, still_open),
    ]
    by_action = {r.action_id: r for r in rows}
    assert by_action[done].we_did == "Clinic hours extended"
    assert by_action[done].status_text == f"Completed {TODAY:%d/%m/%Y}"
    assert by_action[still_open].we_did == "Text reminders (open, due 01/04/2025)"
    assert rows[1].we_did == "Leaflets ordered" and rows[1].status_text == "Responded"
    assert rows[0].forum_name == "" and rows[0].locality_name == "Coventry"

    def ids(**kw: object) -> set[uuid.UUID]:
        return {r.experience_id for r in actions.you_said_we_did(db, **kw)}  # type: ignore[arg-type]

    assert ids(locality_id=world.coventry) == {coventry_item}
    assert ids(forum_id=world.forum) == {early, late}
    assert ids(forum_id=world.other_forum) == set()
    assert ids(theme="waiting TIMES") == {early}
    # The period is inclusive at both ends.
    assert ids(date_from=date(2025, 2, 1), date_to=date(2025, 2, 1)) == {early}
    assert ids(date_from=date(2025, 2, 2), date_to=date(2025, 2, 28)) == {late}
    assert ids(with_actions_only=True) == {early}
    assert actions.experience_themes(db) == ["Information", "Waiting times"]


def test_you_said_we_did_prints_text_as_typed_and_copies_it_escaped_one_line_per_row(
    db: Database, world: World
) -> None:
    item = meetings.add_experience(
        db,
        world.meeting,
        ExperienceInput(
            ExperienceKind.CONCERN,
            theme="<b>Access</b>",
            summary="Ramp\tbroken\nagain <script>alert(1)</script>",
        ),
    )
    raise_(db, world.rugby, experience_item_id=item, title="Fix the ramp & rail")
    rows = actions.you_said_we_did(db)
    hide = Redactor()
    # Printed: the document holds the text as data (never markup), so it prints as typed,
    # under a header row naming every column.
    page = actions.you_said_we_did_document(rows, "Rugby: you said & we did", redact=hide)
    assert page.title == "Rugby: you said & we did" and page.landscape
    (table,) = [b for b in page.blocks if isinstance(b, Table)]
    assert tuple(c.header for c in table.columns) == actions.PAIR_HEADERS
    assert len(table.rows) == 1
    text = page.text()
    assert "<b>Access</b>" in text and "<script>alert(1)</script>" in text
    assert "Fix the ramp & rail" in text
    # Copied as HTML (Word and Outlook paste it as a table): every value escaped.
    html = actions.you_said_we_did_table_html(rows, redact=hide)
    assert html.startswith("<table") and html.endswith("</table>") and "<thead>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;Access&lt;/b&gt;" in html and "Fix the ramp &amp; rail" in html
    # Copied as text (Excel pastes it as a table): one line per row.
    lines = actions.you_said_we_did_text(rows, redact=hide).splitlines()
    assert lines[0] == "Date\tForum\tTheme\tYou said\tWe did\tStatus"
    assert len(lines) == 2 and lines[1].count("\t") == 5
    assert "Ramp broken again" in lines[1]
    empty = actions.you_said_we_did_document([], "Nothing", redact=hide)
    assert "Nothing heard in this period." in empty.text()


# --- reminders ---------------------------------------------------------------------------------


def test_owner_reminders_group_open_actions_most_urgent_first(db: Database, world: World) -> None:
    later = raise_(db, world.rugby, raised_on=date(2025, 3, 1), due_on=date(2025, 4, 30))
    overdue = raise_(db, world.rugby, raised_on=date(2025, 3, 1), due_on=date(2025, 3, 5))
    undated = raise_(db, world.rugby, raised_on=date(2025, 3, 1))
    closed = raise_(db, world.rugby, raised_on=date(2025, 3, 1))
    actions.set_status(db, closed, ActionStatus.CANCELLED, outcome="Merged", today=TODAY)
    siân = raise_(db, world.coventry, owner="Siân Evans")
    raise_(db, world.rugby, owner="")  # nobody to remind
    found = actions.owner_reminders(db, TODAY)
    assert list(found) == ["Siân Evans", "Zoë O'Neill"]
    assert [r.id for r in found["Zoë O'Neill"]] == [overdue, later, undated]
    assert found["Zoë O'Neill"][0].overdue is True
    assert [r.id for r in found["Siân Evans"]] == [siân]
    assert list(actions.owner_reminders(db, TODAY, locality_ids=[world.coventry])) == ["Siân Evans"]


# --- strategic priorities -----------------------------------------------------------------------


def priority_names(db: Database, retired: bool = False) -> list[str]:
    return [p.name for p in actions.list_priorities(db, include_retired=retired)]


def test_priorities_are_named_ordered_and_retired(db: Database, world: World) -> None:
    new = actions.create_priority(db, "  Our   communities ")
    assert priority_names(db)[-1] == "Our communities"
    for bad, sentence in (
        ("  ", "Name the strategic priority."),
        ("our CARE", "There is already a priority called Our care."),
        ("x" * 121, "Strategic priority can be at most 120 characters (this is 121)."),
    ):
        with pytest.raises(ValidationError) as info:
            actions.create_priority(db, bad)
        assert info.value.problems == {"name": sentence}
    assert len(priority_names(db)) == 6
    actions.create_priority(db, "x" * 120)  # the boundary passes

    actions.move_priority(db, new, -1)
    assert priority_names(db)[4:6] == ["Our communities", "Our partnerships"]
    actions.move_priority(db, new, -99)  # stops at the top
    assert priority_names(db)[0] == "Our communities"

    actions.rename_priority(db, new, "Our places")
    with pytest.raises(ValidationError):
        actions.rename_priority(db, new, "Our care")
    actions.rename_priority(db, new, "OUR PLACES")  # its own name in another case is fine
    with pytest.raises(NotFoundError):
        actions.rename_priority(db, uuid.uuid4(), "Anything")


def test_a_retired_priority_stays_on_old_actions(db: Database, world: World) -> None:
    with db.session() as s:
        care = s.scalar(select(StrategicPriority.id).where(StrategicPriority.name == "Our care"))
    assert care is not None
    aid = raise_(db, world.rugby, strategic_priority_id=care)
    actions.retire_priority(db, care)
    assert "Our care" not in priority_names(db)
    assert "Our care" in priority_names(db, retired=True)
    assert actions.get_action(db, aid, TODAY).priority_name == "Our care"
    assert tracker(db)[aid].priority_key == care.hex
    actions.retire_priority(db, care, retired=False)
    assert "Our care" in priority_names(db)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Action)) == 1


def test_an_action_recorded_as_already_done_is_closed_on_its_raised_date(db) -> None:
    """Typing up an old action that was done: it must not count as open ever since."""
    from datetime import date

    from coordinator_app.core import actions
    from coordinator_app.core.settings import ensure_locality
    from coordinator_app.core.vocab import ActionLevel, ActionStatus

    with db.transaction() as session:
        rugby = ensure_locality(session, "Rugby")
    action_id = actions.raise_action(
        db,
        locality_id=rugby,
        outcome="We fixed the hearing loop.",
        today=date(2026, 11, 20),
        data=actions.ActionInput(
            title="Fix the hearing loop",
            detail="",
            owner="Estates",
            level=ActionLevel.LOCALITY,
            strategic_priority_id=None,
            raised_on=date(2026, 3, 2),
            due_on=None,
            status=ActionStatus.COMPLETED,
        ),
    )
    row = actions.get_action(db, action_id, today=date(2026, 11, 20))
    assert row.closed_on == date(2026, 3, 2)


def test_the_first_screen_of_the_tracker_is_the_start_of_the_full_list(db, monkeypatch) -> None:
    """The tracker shows the newest rows at once and the full list after: same order, ties too."""
    from datetime import date

    from coordinator_app.core import actions
    from coordinator_app.core.actions import tracker
    from coordinator_app.core.settings import ensure_locality
    from coordinator_app.core.vocab import ActionLevel

    with db.transaction() as session:
        rugby = ensure_locality(session, "Rugby")
    for n in range(12):
        actions.raise_action(
            db,
            locality_id=rugby,
            today=date(2026, 11, 20),
            data=actions.ActionInput(
                title=f"Action {n}",
                detail="",
                owner="Estates",
                level=ActionLevel.LOCALITY,
                strategic_priority_id=None,
                raised_on=date(2026, 3, 1 + n // 4),
                due_on=None,
            ),
        )
    full = [row.key for row in actions.tracker_rows(db, today=date(2026, 11, 20))]
    first = [row.key for row in actions.tracker_rows(db, today=date(2026, 11, 20), limit=5)]
    assert len(full) == 12
    assert first == full[:5]
    # A worker's checkpoint is called before each chunk of rows: here 12 rows, chunks of 5.
    calls: list[int] = []
    monkeypatch.setattr(tracker, "_CHECKPOINT_ROWS", 5)  # where tracker_rows reads it
    chunked = actions.tracker_rows(
        db, today=date(2026, 11, 20), checkpoint=lambda: calls.append(len(calls))
    )
    assert [row.key for row in chunked] == full
    assert calls == [0, 1, 2]
