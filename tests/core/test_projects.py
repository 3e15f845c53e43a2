"""Improvement projects: the register, people and roles, links, starting from an experience
item or an action, Home's active list, and the return's two project rows at month boundaries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from coordinator_app.core import actions, meetings, people, projects
from coordinator_app.core.db import Database
from coordinator_app.core.errors import NotFoundError, ValidationError
from coordinator_app.core.figures import month_figures
from coordinator_app.core.models import ImprovementProject, ProjectLink
from coordinator_app.core.projects import ProjectInput
from coordinator_app.core.returns import gather_return
from coordinator_app.core.rules import Month
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import (
    Category,
    ExperienceKind,
    ForumKind,
    MeetingStatus,
    ProjectRole,
    ProjectStatus,
)

OCTOBER = Month(2026, 10)
ACTIVE, COMPLETED, PROPOSED = ProjectStatus.ACTIVE, ProjectStatus.COMPLETED, ProjectStatus.PROPOSED


@dataclass(frozen=True)
class Setting:
    rugby: uuid.UUID
    coventry: uuid.UUID
    forum: uuid.UUID


@pytest.fixture
def setting(db: Database) -> Setting:
    complete_first_run(
        db, trust_name="Test Trust", coordinator_name="Siân Evans", localities=["Rugby", "Coventry"]
    )
    ids = {loc.name: loc.id for loc in meetings.list_localities(db)}
    forum = meetings.create_forum(
        db, locality_id=ids["Rugby"], name="Rugby Events", kind=ForumKind.EVENT
    )
    return Setting(ids["Rugby"], ids["Coventry"], forum)


def _person(db: Database, name: str, category: Category = Category.SERVICE_USER) -> uuid.UUID:
    return people.create_participant(db, people.ParticipantInput(name=name, category=category))


def _project(db: Database, locality: uuid.UUID, title: str = "Welcome pack", **kw) -> uuid.UUID:
    return projects.create_project(db, ProjectInput(locality_id=locality, title=title, **kw))


def _count(db: Database, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _idea(db: Database, setting: Setting, summary: str, service: str = "") -> uuid.UUID:
    m = meetings.create_meeting(
        db,
        meetings.MeetingInput(
            forum_id=setting.forum, meeting_date=date(2026, 10, 3), status=MeetingStatus.HELD
        ),
    )
    return meetings.add_experience(
        db,
        m,
        meetings.ExperienceInput(
            kind=ExperienceKind.IDEA, theme="Waiting", service=service, summary=summary
        ),
    )


# --- Validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (dict(title="  "), "title", "title"),
        (dict(status=ACTIVE), "started_on", "started"),
        (
            dict(status=COMPLETED, started_on=date(2026, 5, 2), ended_on=date(2026, 5, 1)),
            "ended_on",
            "cannot end before it starts",
        ),
        (dict(status=COMPLETED, started_on=date(2026, 5, 2)), "ended_on", "completed"),
        (
            dict(status=ACTIVE, started_on=date(2026, 5, 2), ended_on=date(2026, 6, 1)),
            "ended_on",
            "Only a completed project",
        ),
        (dict(status="finished"), "status", "proposed, active or completed"),
    ],
)
def test_bad_projects_are_refused_at_their_field(db, setting: Setting, data, field, words) -> None:
    values = {"title": "Welcome pack", **data}
    with pytest.raises(ValidationError) as caught:
        projects.create_project(db, ProjectInput(locality_id=setting.rugby, **values))
    assert words in caught.value.problems[field]
    assert _count(db, ImprovementProject) == 0


def test_a_project_needs_a_locality(db: Database, setting: Setting) -> None:
    with pytest.raises(ValidationError) as caught:
        projects.create_project(db, ProjectInput(locality_id=None, title="X"))
    assert "locality" in caught.value.problems
    with pytest.raises(ValidationError):
        projects.create_project(db, ProjectInput(locality_id=uuid.uuid4(), title="X"))
    assert _count(db, ImprovementProject) == 0


def test_ending_on_the_day_it_starts_is_allowed(db: Database, setting: Setting) -> None:
    pid = _project(
        db, setting.rugby, status=COMPLETED, started_on=date(2026, 5, 1), ended_on=date(2026, 5, 1)
    )
    assert projects.get_project(db, pid).ended_on == date(2026, 5, 1)


def test_a_bad_update_changes_nothing(db: Database, setting: Setting) -> None:
    pid = _project(db, setting.rugby, status=ACTIVE, started_on=date(2026, 5, 1))
    with pytest.raises(ValidationError):
        projects.update_project(
            db,
            pid,
            ProjectInput(
                locality_id=setting.rugby,
                title="Renamed",
                status=COMPLETED,
                started_on=date(2026, 5, 1),
                ended_on=date(2026, 4, 30),
            ),
        )
    detail = projects.get_project(db, pid)
    assert (detail.title, detail.status, detail.ended_on) == ("Welcome pack", ACTIVE, None)


# --- People, links and the register ----------------------------------------------------------


def test_people_and_roles_one_row_per_person(db: Database, setting: Setting) -> None:
    pid = _project(db, setting.rugby, status=ACTIVE, started_on=date(2026, 9, 1))
    zoe, sian = _person(db, "Zoë O'Neill"), _person(db, "Siân", Category.CARER)
    projects.add_participant(db, pid, zoe, ProjectRole.ADVISER)
    projects.add_participant(db, pid, zoe, ProjectRole.CO_PRODUCER)  # a new role, not a second row
    projects.add_participant(db, pid, sian, ProjectRole.REVIEWER)
    detail = projects.get_project(db, pid)
    assert [(p.name, p.role) for p in detail.people] == [
        ("Siân", ProjectRole.REVIEWER),
        ("Zoë O'Neill", ProjectRole.CO_PRODUCER),
    ]
    assert detail.people_count == 2
    assert [(r.title, r.role) for r in projects.projects_for_participant(db, zoe)] == [
        ("Welcome pack", ProjectRole.CO_PRODUCER)
    ]
    projects.remove_participant(db, pid, zoe)
    projects.remove_participant(db, pid, zoe)
    assert projects.projects_for_participant(db, zoe) == []
    with pytest.raises(ValidationError) as caught:
        projects.add_participant(db, pid, sian, "boss")  # type: ignore[arg-type]
    assert "role" in caught.value.problems


def test_register_filters_by_locality_and_status(db: Database, setting: Setting) -> None:
    _project(db, setting.rugby, "Proposed one")
    _project(db, setting.rugby, "Active one", status=ACTIVE, started_on=date(2026, 9, 1))
    _project(db, setting.coventry, "Coventry one", status=ACTIVE, started_on=date(2026, 8, 1))
    assert [r.title for r in projects.list_projects(db)] == [
        "Active one",
        "Coventry one",
        "Proposed one",
    ]
    assert [r.title for r in projects.list_projects(db, locality_id=setting.rugby)] == [
        "Active one",
        "Proposed one",
    ]
    assert [r.title for r in projects.list_projects(db, status=ACTIVE)] == [
        "Active one",
        "Coventry one",
    ]


def test_start_from_an_experience_item_prefills_and_links(db: Database, setting) -> None:
    long = "Zoë's idea: " + "a welcome pack for new carers that explains the ward " * 3
    item = _idea(db, setting, long, service="Ward 3")
    pid = projects.start_project_from_experience(db, item)
    detail = projects.get_project(db, pid)
    assert detail.status == PROPOSED and detail.locality_id == setting.rugby
    assert detail.service == "Ward 3"
    assert detail.title.startswith("Zoë's idea: a welcome pack") and detail.title.endswith("…")
    assert len(detail.title) <= 81
    assert [(link.kind, link.target_id, link.label) for link in detail.links] == [
        ("experience", item, "Idea")
    ]
    assert [r.id for r in projects.projects_linked_to(db, item_id=item)] == [pid]


def test_start_from_an_action_prefills_and_links(db: Database, setting: Setting) -> None:
    action = actions.raise_action(
        db,
        locality_id=setting.rugby,
        data=actions.ActionInput(title="Redesign the discharge leaflet", owner="Seán Murphy"),
        today=date(2026, 10, 5),
    )
    pid = projects.start_project_from_action(db, action)
    detail = projects.get_project(db, pid)
    assert (detail.title, detail.lead) == ("Redesign the discharge leaflet", "Seán Murphy")
    assert [(link.kind, link.target_id) for link in detail.links] == [("action", action)]
    projects.link_action(db, pid, action)  # twice: one link
    assert len(projects.get_project(db, pid).links) == 1
    projects.unlink(db, detail.links[0].id)
    assert projects.get_project(db, pid).links == []


def test_links_across_localities_are_refused(db: Database, setting: Setting) -> None:
    item = _idea(db, setting, "An idea")
    pid = _project(db, setting.coventry)
    with pytest.raises(ValidationError):
        projects.link_experience(db, pid, item)
    assert _count(db, ProjectLink) == 0


def test_deleting_a_project_keeps_what_it_was_linked_to(db: Database, setting) -> None:
    item = _idea(db, setting, "An idea")
    pid = projects.start_project_from_experience(db, item)
    zoe = _person(db, "Zoë")
    projects.add_participant(db, pid, zoe, ProjectRole.ADVISER)
    projects.delete_project(db, pid)
    assert _count(db, ProjectLink) == 0
    assert projects.projects_for_participant(db, zoe) == []
    meetings.update_experience(
        db, item, meetings.ExperienceInput(kind=ExperienceKind.IDEA, summary="Still here")
    )
    with pytest.raises(NotFoundError):
        projects.get_project(db, pid)


# --- Counting: Home and the return ---------------------------------------------------------


def test_the_return_counts_projects_at_the_months_boundaries(db: Database, setting) -> None:
    zoe, sian, bo, ann = (_person(db, n) for n in ("Zoë", "Siân", "Bo", "Ann"))
    first_of_next = _project(
        db, setting.rugby, "Starts 1 Nov", status=ACTIVE, started_on=date(2026, 11, 1)
    )
    last_day = _project(
        db, setting.rugby, "Starts 31 Oct", status=ACTIVE, started_on=date(2026, 10, 31)
    )
    done_on_first = _project(
        db,
        setting.rugby,
        "Completed 1 Oct",
        status=COMPLETED,
        started_on=date(2026, 1, 1),
        ended_on=date(2026, 10, 1),
    )
    done_before = _project(
        db,
        setting.rugby,
        "Completed 30 Sep",
        status=COMPLETED,
        started_on=date(2026, 1, 1),
        ended_on=date(2026, 9, 30),
    )
    proposed = _project(db, setting.rugby, "Proposed", started_on=date(2026, 10, 2))
    for project, person in [
        (first_of_next, ann),
        (last_day, zoe),
        (last_day, sian),
        (done_on_first, zoe),
        (done_before, bo),
        (proposed, bo),
    ]:
        projects.add_participant(db, project, person, ProjectRole.CO_PRODUCER)
    with db.session() as s:
        figures = month_figures(s, setting.rugby, OCTOBER)
        summary = dict(gather_return(s, setting.rugby, OCTOBER, app_version="t").figures.rows())
    assert (figures.projects_active, figures.project_people) == (2, 2)
    assert summary["Improvement projects active"] == 2
    assert summary["People involved in improvement projects"] == 2
    with db.session() as s:
        november = month_figures(s, setting.rugby, Month(2026, 11))
    assert (november.projects_active, november.project_people) == (2, 3)


def test_home_lists_active_projects_of_the_localities_shown(db: Database, setting) -> None:
    _project(db, setting.rugby, "Running", status=ACTIVE, started_on=date(2026, 9, 1))
    _project(db, setting.rugby, "Later", status=ACTIVE, started_on=date(2026, 12, 1))
    _project(db, setting.rugby, "Idea only")
    _project(
        db,
        setting.rugby,
        "Done",
        status=COMPLETED,
        started_on=date(2026, 1, 1),
        ended_on=date(2026, 10, 1),
    )
    _project(db, setting.coventry, "Elsewhere", status=ACTIVE, started_on=date(2026, 9, 1))
    today = date(2026, 10, 15)
    assert [r.title for r in projects.active_projects(db, [setting.rugby], today)] == ["Running"]
    # Same start date: by title.
    assert [r.title for r in projects.active_projects(db, None, today)] == ["Elsewhere", "Running"]
