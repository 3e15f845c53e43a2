"""Two app instances on one database (issue #13): edits to different records both land; an edit
to a record someone else changed since it was loaded is refused with ``ConflictError`` and their
change stays intact; a stale delete is refused.

Every test opens a second ``Database`` on the same database as ``db`` (the same SQLite file, or
the same PostgreSQL database when the suite runs there), as a second laptop or window would.
"""

from __future__ import annotations

import uuid
from datetime import date, time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from coordinator_app.core import actions, meetings, people, projects, versions
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database
from coordinator_app.core.errors import ConflictError, CoordinatorError, NotFoundError
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.models import Meeting
from coordinator_app.core.people import ParticipantInput
from coordinator_app.core.projects import ProjectInput
from coordinator_app.core.settings import ensure_locality
from coordinator_app.core.vocab import (
    ActionStatus,
    AttendanceStatus,
    Category,
    ForumKind,
    MeetingStatus,
    ProjectStatus,
)

PAST = date(2026, 3, 10)
TODAY = date(2026, 3, 20)


@pytest.fixture
def place(db: Database) -> dict[str, uuid.UUID]:
    with db.transaction() as s:
        rugby = ensure_locality(s, "Rugby", coordinated=True)
    forum = meetings.create_forum(
        db, locality_id=rugby, name="Rugby Locality Forum", kind=ForumKind.LOCALITY_FORUM
    )
    return {"rugby": rugby, "forum": forum}


def meeting_input(forum: uuid.UUID, **kw: object) -> MeetingInput:
    values: dict[str, object] = {
        "start_time": time(10, 0),
        "end_time": time(12, 0),
        "venue": "Benn Hall",
        "status": MeetingStatus.HELD,
        "chair": "Siân Evans",
    }
    values.update(kw)
    return MeetingInput(forum_id=forum, meeting_date=PAST, **values)  # type: ignore[arg-type]


def new_meeting(db: Database, place: dict[str, uuid.UUID], **kw: object) -> uuid.UUID:
    return meetings.create_meeting(db, meeting_input(place["forum"], **kw))


def test_the_second_instance_is_a_separate_engine(db: Database, other: Database) -> None:
    assert other.engine is not db.engine
    assert other.url.render_as_string(hide_password=False) == db.url.render_as_string(
        hide_password=False
    )


# --- Meetings -------------------------------------------------------------------------------


def test_edits_to_different_meetings_both_land(db, other, place) -> None:
    first, second = new_meeting(db, place), new_meeting(db, place)
    mine = meetings.get_meeting(db, first)
    theirs = meetings.get_meeting(other, second)
    meetings.update_meeting(
        other,
        second,
        meeting_input(place["forum"], venue="Library"),
        expected_version=theirs.version,
    )
    meetings.update_meeting(
        db, first, meeting_input(place["forum"], venue="Town Hall"), expected_version=mine.version
    )
    assert meetings.get_meeting(db, first).venue == "Town Hall"
    assert meetings.get_meeting(db, second).venue == "Library"


def test_a_stale_meeting_edit_is_refused_and_theirs_is_kept(db, other, place) -> None:
    meeting_id = new_meeting(db, place)
    mine = meetings.get_meeting(db, meeting_id)
    theirs = meetings.get_meeting(other, meeting_id)
    assert mine.version == theirs.version >= 1
    new_version = meetings.update_meeting(
        other,
        meeting_id,
        meeting_input(place["forum"], venue="Library"),
        expected_version=theirs.version,
    )
    assert new_version == theirs.version + 1
    with pytest.raises(ConflictError) as info:
        meetings.update_meeting(
            db,
            meeting_id,
            meeting_input(place["forum"], chair="Zoë"),
            expected_version=mine.version,
        )
    assert str(info.value) == (
        "This meeting was changed since you opened it. Reload to see it as saved now; "
        "your edits are kept on screen until you do."
    )
    assert isinstance(info.value, CoordinatorError)
    stored = meetings.get_meeting(db, meeting_id)
    assert (stored.venue, stored.chair, stored.version) == ("Library", "Siân Evans", new_version)


def test_saving_again_with_the_returned_version_works(db, place) -> None:
    meeting_id = new_meeting(db, place)
    version = meetings.get_meeting(db, meeting_id).version
    version = meetings.update_meeting(
        db, meeting_id, meeting_input(place["forum"], venue="A"), expected_version=version
    )
    version = meetings.update_meeting(
        db, meeting_id, meeting_input(place["forum"], venue="B"), expected_version=version
    )
    assert meetings.get_meeting(db, meeting_id).version == version
    assert meetings.get_meeting(db, meeting_id).venue == "B"


def test_without_a_version_the_old_behaviour_stays(db, other, place) -> None:
    """The command line and the importer pass no version: the last save wins, as before."""
    meeting_id = new_meeting(db, place)
    meetings.update_meeting(other, meeting_id, meeting_input(place["forum"], venue="Library"))
    meetings.update_meeting(db, meeting_id, meeting_input(place["forum"], venue="Town Hall"))
    assert meetings.get_meeting(db, meeting_id).venue == "Town Hall"


def _bumps(db: Database, meeting_id: uuid.UUID, change) -> None:
    """``change(version) -> returned`` must raise the meeting's version by exactly one."""
    before = meetings.get_meeting(db, meeting_id).version
    returned = change(before)
    after = meetings.get_meeting(db, meeting_id).version
    assert after == before + 1
    if isinstance(returned, int):
        assert returned == after


def test_agenda_and_register_changes_bump_the_meeting(db, place) -> None:
    meeting_id = new_meeting(db, place)
    person = people.create_participant(
        db, ParticipantInput(name="Seán Byrne", category=Category.CARER)
    )
    item_ids: list[uuid.UUID] = []
    _bumps(
        db,
        meeting_id,
        lambda v: item_ids.append(
            meetings.add_agenda_item(db, meeting_id, "Welcome", expected_version=v)
        ),
    )
    _bumps(db, meeting_id, lambda v: meetings.add_agenda_item(db, meeting_id, "AOB"))
    item = item_ids[0]
    _bumps(
        db,
        meeting_id,
        lambda v: meetings.update_agenda_item(
            db, item, title="Welcome", discussion="Hello", decisions="", expected_version=v
        ),
    )
    _bumps(db, meeting_id, lambda v: meetings.move_agenda_item(db, item, 1, expected_version=v))
    _bumps(db, meeting_id, lambda v: meetings.delete_agenda_item(db, item, expected_version=v))
    _bumps(
        db,
        meeting_id,
        lambda v: meetings.set_attendance(
            db, meeting_id, person, AttendanceStatus.PRESENT, expected_version=v
        ),
    )
    _bumps(
        db,
        meeting_id,
        lambda v: meetings.set_attendance(
            db, meeting_id, person, AttendanceStatus.APOLOGIES, expected_version=v
        ),
    )
    _bumps(
        db,
        meeting_id,
        lambda v: meetings.remove_attendance(db, meeting_id, person, expected_version=v),
    )
    _bumps(
        db,
        meeting_id,
        lambda v: meetings.set_unnamed(db, meeting_id, Category.CARER, 3, expected_version=v),
    )
    _bumps(
        db,
        meeting_id,
        lambda v: meetings.set_unnamed(db, meeting_id, Category.CARER, 0, expected_version=v),
    )


def test_a_register_mark_that_changes_nothing_bumps_nothing(db, place) -> None:
    meeting_id = new_meeting(db, place)
    person = people.create_participant(
        db, ParticipantInput(name="Zoë Hart", category=Category.SERVICE_USER)
    )
    v = meetings.set_attendance(db, meeting_id, person, AttendanceStatus.PRESENT)
    assert meetings.set_attendance(db, meeting_id, person, AttendanceStatus.PRESENT) == v
    assert meetings.set_unnamed(db, meeting_id, Category.STAFF, 0) == v
    assert meetings.remove_attendance(db, meeting_id, uuid.uuid4()) == v
    assert meetings.get_meeting(db, meeting_id).version == v


def test_their_register_mark_makes_my_details_save_a_conflict(db, other, place) -> None:
    meeting_id = new_meeting(db, place)
    person = people.create_participant(
        db, ParticipantInput(name="Zoë Hart", category=Category.SERVICE_USER)
    )
    mine = meetings.get_meeting(db, meeting_id)
    meetings.set_attendance(other, meeting_id, person, AttendanceStatus.PRESENT)
    with pytest.raises(ConflictError):
        meetings.update_meeting(
            db, meeting_id, meeting_input(place["forum"], venue="X"), expected_version=mine.version
        )
    with pytest.raises(ConflictError):
        meetings.set_unnamed(db, meeting_id, Category.STAFF, 2, expected_version=mine.version)
    stored = meetings.get_meeting(db, meeting_id)
    assert stored.venue == "Benn Hall" and stored.unnamed == {}
    assert [r.name for r in stored.register] == ["Zoë Hart"]


def test_an_agenda_item_they_removed_is_a_conflict_for_me(db, other, place) -> None:
    meeting_id = new_meeting(db, place)
    item = meetings.add_agenda_item(db, meeting_id, "Welcome")
    mine = meetings.get_meeting(db, meeting_id)
    meetings.delete_agenda_item(other, item)
    with pytest.raises(ConflictError):
        meetings.update_agenda_item(
            db,
            item,
            title="Welcome",
            discussion="Notes",
            decisions="",
            expected_version=mine.version,
        )
    with pytest.raises(NotFoundError):  # without a version: the old sentence
        meetings.update_agenda_item(db, item, title="Welcome", discussion="", decisions="")
    assert meetings.get_meeting(db, meeting_id).agenda == []


def test_a_stale_meeting_delete_is_refused(db, other, place) -> None:
    meeting_id = new_meeting(db, place)
    mine = meetings.get_meeting(db, meeting_id)
    meetings.add_agenda_item(other, meeting_id, "Their item")
    with pytest.raises(ConflictError) as info:
        meetings.delete_meeting(db, meeting_id, expected_version=mine.version)
    assert "so it was not deleted" in str(info.value)
    assert [a.title for a in meetings.get_meeting(db, meeting_id).agenda] == ["Their item"]
    meetings.delete_meeting(
        db, meeting_id, expected_version=meetings.get_meeting(db, meeting_id).version
    )
    with pytest.raises(NotFoundError):
        meetings.delete_meeting(other, meeting_id, expected_version=mine.version)
    with pytest.raises(NotFoundError):
        meetings.update_meeting(
            other, meeting_id, meeting_input(place["forum"]), expected_version=mine.version
        )


def test_a_race_between_check_and_write_is_a_conflict_too(db, place) -> None:
    """The UPDATE's own version check (StaleDataError) is turned into ConflictError at the
    service boundary. The race is staged inside one transaction: the row's version moves after
    the ORM read it (as another instance's commit would on PostgreSQL, where our UPDATE waits
    for theirs and then matches no row), so our UPDATE finds no row with the version it read."""
    meeting_id = new_meeting(db, place)
    table = Meeting.__table__
    with pytest.raises(ConflictError), versions.guard("meeting"), db.transaction() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        session.execute(
            table.update()
            .where(table.c.id == meeting_id)
            .values(row_version=table.c.row_version + 1, venue="Theirs")
        )
        meeting.venue = "Mine"
    stored = meetings.get_meeting(db, meeting_id)
    assert (stored.venue, stored.version) == ("Benn Hall", 1), "rolled back as a whole"


def test_guard_only_turns_stale_data_into_a_conflict() -> None:
    with pytest.raises(ConflictError), versions.guard("action"):
        raise StaleDataError("UPDATE statement on table 'actions' expected to update 1 row")
    with pytest.raises(KeyError), versions.guard("action"):
        raise KeyError("other")


# --- Participants ---------------------------------------------------------------------------


def test_participants_stale_edit_and_delete(db, other) -> None:
    zoe = people.create_participant(
        db, ParticipantInput(name="Zoë Hart", category=Category.SERVICE_USER)
    )
    sian = people.create_participant(
        db, ParticipantInput(name="Siân Evans", category=Category.CARER)
    )
    mine, mine_too = people.get_participant(db, zoe), people.get_participant(db, sian)
    theirs = people.get_participant(other, zoe)
    assert mine.version == theirs.version >= 1
    people.update_participant(
        other,
        zoe,
        ParticipantInput(name="Zoë Hart", category=Category.SERVICE_USER, organisation="Mind"),
        expected_version=1,
    )
    people.update_participant(  # a different person: lands
        db,
        sian,
        ParticipantInput(name="Siân Evans", category=Category.CARER, notes="Large print"),
        expected_version=1,
    )
    with pytest.raises(ConflictError) as info:
        people.update_participant(
            db,
            zoe,
            ParticipantInput(name="Zoe Hart", category=Category.SERVICE_USER),
            expected_version=mine.version,
        )
    assert "This participant" in str(info.value)
    with pytest.raises(ConflictError):
        people.delete_participant(db, zoe, expected_version=mine.version)
    stored = people.get_participant(db, zoe)
    assert (stored.name, stored.organisation, stored.version) == ("Zoë Hart", "Mind", 2)
    assert people.get_participant(db, sian).notes == "Large print"
    assert mine_too.version == 1
    people.delete_participant(other, sian, expected_version=2)
    with pytest.raises(NotFoundError):
        people.update_participant(
            db,
            sian,
            ParticipantInput(name="Siân Evans", category=Category.CARER),
            expected_version=2,
        )


# --- Actions --------------------------------------------------------------------------------


def _action(db: Database, place: dict[str, uuid.UUID], title: str) -> uuid.UUID:
    return actions.raise_action(
        db,
        locality_id=place["rugby"],
        data=ActionInput(title=title, owner="Ward manager", raised_on=PAST),
        today=TODAY,
    )


def _form(row: actions.ActionRow, **kw: object) -> ActionInput:
    values: dict[str, object] = {
        "title": row.title,
        "detail": row.detail,
        "owner": row.owner,
        "level": row.level,
        "strategic_priority_id": row.strategic_priority_id,
        "raised_on": row.raised_on,
        "due_on": row.due_on,
        "status": row.status,
    }
    values.update(kw)
    return ActionInput(**values)  # type: ignore[arg-type]


def test_action_edits_conflict_but_progress_notes_do_not(db, other, place) -> None:
    action_id = _action(db, place, "Fix the hearing loop")
    mine = actions.get_action(db, action_id, today=TODAY)
    theirs = actions.get_action(other, action_id, today=TODAY)
    # Notes appended from both places land and are no edit of the action.
    actions.add_progress(other, action_id, "Estates asked", written_on=TODAY)
    actions.add_progress(db, action_id, "Quote received", written_on=TODAY)
    assert actions.get_action(db, action_id, today=TODAY).version == mine.version
    version = actions.update_action(
        db, action_id, _form(mine, owner="Estates"), today=TODAY, expected_version=mine.version
    )
    assert version == mine.version + 1
    with pytest.raises(ConflictError) as info:
        actions.update_action(
            other,
            action_id,
            _form(theirs, title="Fix the loop"),
            today=TODAY,
            expected_version=theirs.version,
        )
    assert "This action" in str(info.value)
    stored = actions.get_action(db, action_id, today=TODAY)
    assert (stored.title, stored.owner) == ("Fix the hearing loop", "Estates")
    assert [p.note for p in actions.progress_log(db, action_id)] == [
        "Estates asked",
        "Quote received",
    ]


def test_closing_or_reopening_a_stale_action_is_refused(db, other, place) -> None:
    action_id = _action(db, place, "Easy read leaflet")
    mine = actions.get_action(db, action_id, today=TODAY)
    actions.update_action(
        other, action_id, _form(mine, owner="Comms team"), today=TODAY, expected_version=1
    )
    with pytest.raises(ConflictError):
        actions.set_status(
            db,
            action_id,
            ActionStatus.COMPLETED,
            outcome="Printed",
            today=TODAY,
            expected_version=mine.version,
        )
    stored = actions.get_action(db, action_id, today=TODAY)
    assert (stored.status, stored.owner, stored.closed_on) == (
        ActionStatus.OPEN,
        "Comms team",
        None,
    )
    # Closed with the current version, then reopened by the other instance with a stale one.
    closed_version = actions.set_status(
        db, action_id, ActionStatus.COMPLETED, outcome="Printed", today=TODAY
    )
    with pytest.raises(ConflictError):
        actions.set_status(
            other, action_id, ActionStatus.OPEN, today=TODAY, expected_version=stored.version
        )
    reopened = actions.set_status(
        other, action_id, ActionStatus.OPEN, today=TODAY, expected_version=closed_version
    )
    assert reopened == closed_version + 1
    assert actions.get_action(db, action_id, today=TODAY).closed_on is None


# --- Improvement projects ---------------------------------------------------------------------


def test_projects_stale_edit_and_delete(db, other, place) -> None:
    def data(**kw: object) -> ProjectInput:
        values: dict[str, object] = {
            "locality_id": place["rugby"],
            "title": "Welcome pack",
            "status": ProjectStatus.PROPOSED,
        }
        values.update(kw)
        return ProjectInput(**values)  # type: ignore[arg-type]

    project_id = projects.create_project(db, data())
    mine = projects.get_project(db, project_id)
    theirs = projects.get_project(other, project_id)
    new = projects.update_project(
        other, project_id, data(lead="Zoë"), expected_version=theirs.version
    )
    with pytest.raises(ConflictError) as info:
        projects.update_project(
            db, project_id, data(service="Ward 3"), expected_version=mine.version
        )
    assert "This improvement project" in str(info.value)
    with pytest.raises(ConflictError):
        projects.delete_project(db, project_id, expected_version=mine.version)
    stored = projects.get_project(db, project_id)
    assert (stored.lead, stored.service, stored.version) == ("Zoë", "", new)
    projects.delete_project(other, project_id, expected_version=new)
    with pytest.raises(NotFoundError):
        projects.delete_project(db, project_id, expected_version=new)
    projects.delete_project(db, project_id)  # without a version: gone is fine, as before


def test_a_refused_save_writes_no_audit_entry(db, other, place) -> None:
    from coordinator_app.core.models import AuditEntry

    meeting_id = new_meeting(db, place)
    mine = meetings.get_meeting(db, meeting_id)
    meetings.update_meeting(other, meeting_id, meeting_input(place["forum"], venue="Library"))
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(ConflictError):
        meetings.update_meeting(
            db, meeting_id, meeting_input(place["forum"], venue="X"), expected_version=mine.version
        )
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before
