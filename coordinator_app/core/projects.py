"""Improvement projects: service improvements that service users and carers help design or
deliver (docs/glossary.md), with the people involved and their role, and the actions and
experience items they grew from or deliver.

Counting in the return ("Improvement projects active", "People involved in improvement
projects") is ``rules.project_active_in`` via ``figures.month_figures``; this module never
re-implements it. For that rule to mean what a coordinator expects, a project's dates follow its
status: an active or completed project has a start date, a completed one an end date, and only a
completed one has an end date (the rule reads the end date as "completed on").

Every write is one transaction, validated first (``ValidationError`` keyed by field: "title",
"locality", "status", "started_on", "ended_on", "service", "lead", "role"); nothing is written
when a check fails.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from . import audit, fields, versions
from .db import Database
from .errors import NotFoundError, ValidationError
from .models import (
    Action,
    ExperienceItem,
    ImprovementProject,
    Locality,
    Participant,
    ProjectLink,
    ProjectParticipant,
)
from .parsing import parse_choice
from .rows import ProjectRow, project_rows
from .rows import active_projects as active_projects
from .vocab import AuditOperation, Category, ExperienceKind, ProjectRole, ProjectStatus

TITLE_FROM_TEXT = 80


@dataclass
class ProjectInput:
    locality_id: uuid.UUID | None
    title: str
    service: str = ""
    lead: str = ""
    status: ProjectStatus = ProjectStatus.PROPOSED
    started_on: date | None = None
    ended_on: date | None = None
    outcome: str = ""


@dataclass(frozen=True)
class ProjectPersonRow:
    participant_id: uuid.UUID
    name: str
    category: Category
    role: ProjectRole


@dataclass(frozen=True)
class ProjectLinkRow:
    #: The link's own id (for ``unlink``).
    id: uuid.UUID
    #: "action" or "experience".
    kind: str
    target_id: uuid.UUID
    #: The action's reference, or the experience item's kind ("Idea").
    label: str
    #: The action's title or the experience item's summary.
    text: str
    on: date | None


@dataclass(frozen=True)
class ProjectDetail(ProjectRow):
    people: list[ProjectPersonRow] = field(default_factory=list)
    links: list[ProjectLinkRow] = field(default_factory=list)
    #: The project's ``row_version`` when read: pass it back as ``expected_version`` to save
    #: its details or delete it. People and links are saved one at a time and bump nothing.
    version: int = 0


@dataclass(frozen=True)
class ParticipantProjectRow:
    """A project a person is involved in, with their role (the participant editor's list)."""

    project_id: uuid.UUID
    title: str
    locality_name: str
    status: ProjectStatus
    role: ProjectRole
    started_on: date | None
    ended_on: date | None


# --- Validation ------------------------------------------------------------------------------


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _title_from(text: str) -> str:
    """A project title from a longer text: its first line, cut at a word near 80 characters."""
    line = _one_line((text or "").strip().splitlines()[0] if (text or "").strip() else "")
    if len(line) <= TITLE_FROM_TEXT:
        return line
    cut = line[:TITLE_FROM_TEXT].rsplit(" ", 1)[0] or line[:TITLE_FROM_TEXT]
    return cut.rstrip(",;:.") + "…"


def clean_project(data: ProjectInput) -> dict[str, Any]:
    """Validate a project; returns the column values or raises ``ValidationError`` with every
    problem found."""
    problems: dict[str, str] = {}
    title = fields.PROJECT_TITLE.clean(data.title, problems, required="Give the project a title.")
    if data.locality_id is None:
        problems["locality"] = "Choose the locality the project belongs to."
    service = fields.PROJECT_SERVICE.clean(data.service, problems)
    lead = fields.PROJECT_LEAD.clean(data.lead, problems)
    outcome = fields.PROJECT_OUTCOME.clean(data.outcome, problems)
    status = fields.choice(
        ProjectStatus, data.status, problems, "status", "Choose proposed, active or completed.",
        None,
    )  # fmt: skip
    started, ended = data.started_on, data.ended_on
    fields.check_dates(problems, started_on=started, ended_on=ended)
    if "started_on" in problems or "ended_on" in problems:
        pass  # a date outside 1900-2100: the one thing to put right first
    elif started is not None and ended is not None and ended < started:
        problems["ended_on"] = "The project cannot end before it starts."
    elif status in (ProjectStatus.ACTIVE, ProjectStatus.COMPLETED) and started is None:
        problems["started_on"] = "Give the date the project started."
    elif status is ProjectStatus.COMPLETED and ended is None:
        problems["ended_on"] = "Give the date the project was completed."
    elif status is not None and status is not ProjectStatus.COMPLETED and ended is not None:
        problems["ended_on"] = (
            "Only a completed project has an end date: mark it completed or clear the date."
        )
    if problems:
        raise ValidationError(problems)
    return {
        "locality_id": data.locality_id,
        "title": title,
        "service": service,
        "lead": lead,
        "status": status,
        "started_on": started,
        "ended_on": ended,
        "outcome": outcome,
    }


# --- Reading ---------------------------------------------------------------------------------


def _project(session: Session, project_id: uuid.UUID) -> ImprovementProject:
    project = session.get(ImprovementProject, project_id)
    if project is None:
        raise NotFoundError("That improvement project is no longer in the database.")
    return project


def list_projects(
    db: Database,
    *,
    locality_id: uuid.UUID | None = None,
    status: ProjectStatus | None = None,
) -> list[ProjectRow]:
    """The register: every project (of one locality, of one status), latest start first,
    projects not yet started last."""
    where: list[ColumnElement[bool]] = []
    if locality_id is not None:
        where.append(ImprovementProject.locality_id == locality_id)
    if status is not None:
        where.append(ImprovementProject.status == ProjectStatus(status))
    with db.session() as session:
        return project_rows(session, *where)


def get_project(db: Database, project_id: uuid.UUID) -> ProjectDetail:
    """One project with its people (by name) and its links (actions, then experience items)."""
    with db.session() as session:
        version = versions.current(
            session,
            ImprovementProject,
            project_id,
            "That improvement project is no longer in the database.",
        )
        rows = project_rows(session, ImprovementProject.id == project_id)
        if not rows:
            raise NotFoundError("That improvement project is no longer in the database.")
        people = [
            ProjectPersonRow(pid, name, Category(category), ProjectRole(role))
            for pid, name, category, role in session.execute(
                select(
                    Participant.id,
                    Participant.name,
                    Participant.category,
                    ProjectParticipant.role,
                )
                .join(Participant, Participant.id == ProjectParticipant.participant_id)
                .where(ProjectParticipant.project_id == project_id)
                .order_by(func.lower(Participant.name), Participant.id)
            )
        ]
        links = [
            ProjectLinkRow(link_id, "action", a.id, a.reference, a.title, a.raised_on)
            for link_id, a in session.execute(
                select(ProjectLink.id, Action)
                .join(Action, Action.id == ProjectLink.action_id)
                .where(ProjectLink.project_id == project_id)
                .order_by(Action.raised_on, Action.reference)
            )
        ] + [
            ProjectLinkRow(
                link_id,
                "experience",
                e.id,
                ExperienceKind(e.kind).label,
                e.summary,
                e.received_on,
            )
            for link_id, e in session.execute(
                select(ProjectLink.id, ExperienceItem)
                .join(ExperienceItem, ExperienceItem.id == ProjectLink.experience_item_id)
                .where(ProjectLink.project_id == project_id)
                .order_by(ExperienceItem.received_on, ExperienceItem.created_at)
            )
        ]
        row = rows[0]
        return ProjectDetail(
            **{name: getattr(row, name) for name in ProjectRow.__dataclass_fields__},
            people=people,
            links=links,
            version=version,
        )


def projects_for_participant(
    db: Database, participant_id: uuid.UUID
) -> list[ParticipantProjectRow]:
    """The projects a person is involved in, with their role; latest start first."""
    with db.session() as session:
        return [
            ParticipantProjectRow(
                p.id,
                p.title,
                locality_name,
                ProjectStatus(p.status),
                ProjectRole(role),
                p.started_on,
                p.ended_on,
            )
            for p, locality_name, role in session.execute(
                select(ImprovementProject, Locality.name, ProjectParticipant.role)
                .join(ProjectParticipant, ProjectParticipant.project_id == ImprovementProject.id)
                .join(Locality, Locality.id == ImprovementProject.locality_id)
                .where(ProjectParticipant.participant_id == participant_id)
                .order_by(
                    ImprovementProject.started_on.is_(None),
                    ImprovementProject.started_on.desc(),
                    func.lower(ImprovementProject.title),
                )
            )
        ]


def projects_linked_to(
    db: Database, *, action_id: uuid.UUID | None = None, item_id: uuid.UUID | None = None
) -> list[ProjectRow]:
    """The projects an action or an experience item is linked to."""
    if action_id is not None:
        clause = ProjectLink.action_id == action_id
    else:
        clause = ProjectLink.experience_item_id == item_id
    with db.session() as session:
        ids = select(ProjectLink.project_id).where(clause).scalar_subquery()
        return project_rows(session, ImprovementProject.id.in_(ids))


# --- Writing ---------------------------------------------------------------------------------


def _check_locality(session: Session, locality_id: uuid.UUID | None) -> None:
    if locality_id is None or session.get(Locality, locality_id) is None:
        raise ValidationError({"locality": "Choose the locality the project belongs to."})


def create_project(db: Database, data: ProjectInput) -> uuid.UUID:
    """Register a project; returns its id."""
    values = clean_project(data)
    with db.transaction() as session:
        _check_locality(session, values["locality_id"])
        project = ImprovementProject(**values)
        session.add(project)
        session.flush()
        audit.record(
            session, AuditOperation.CREATE, "improvement_project", project.id, "Project created"
        )
        return project.id


def update_project(
    db: Database,
    project_id: uuid.UUID,
    data: ProjectInput,
    *,
    expected_version: int | None = None,
) -> int:
    """Save a project's details (its people and links are kept); returns the new version. With
    ``expected_version`` a project changed meanwhile is refused with ``ConflictError``."""
    values = clean_project(data)
    with versions.guard("improvement project"), db.transaction() as session:
        project = _project(session, project_id)
        versions.check(project, expected_version, "improvement project")
        _check_locality(session, values["locality_id"])
        for key, value in values.items():
            setattr(project, key, value)
        audit.record(
            session, AuditOperation.UPDATE, "improvement_project", project.id, "Project changed"
        )
        return versions.saved_version(session, project)


def delete_project(
    db: Database, project_id: uuid.UUID, *, expected_version: int | None = None
) -> None:
    """Delete a project with its people and links; the actions and experience items it was
    linked to stay. Nothing happens when it is already gone, unless ``expected_version`` is
    given (an editor's delete): then gone is ``NotFoundError`` and changed is ``ConflictError``."""
    with versions.guard("improvement project", deleting=True), db.transaction() as session:
        project = session.get(ImprovementProject, project_id)
        if project is None:
            if expected_version is not None:
                raise NotFoundError("That improvement project is no longer in the database.")
            return
        versions.check(project, expected_version, "improvement project", deleting=True)
        for link in session.scalars(
            select(ProjectLink).where(ProjectLink.project_id == project_id)
        ):
            session.delete(link)
        session.delete(project)
        audit.record(
            session, AuditOperation.DELETE, "improvement_project", project_id, "Project deleted"
        )


def add_participant(
    db: Database, project_id: uuid.UUID, participant_id: uuid.UUID, role: ProjectRole
) -> None:
    """Involve a person in a project with a role; a person already involved gets the new
    role (one row per person and project)."""
    try:
        clean_role = parse_choice(ProjectRole, role)
    except ValueError:
        raise ValidationError({"role": "Choose co-producer, adviser or reviewer."}) from None
    with db.transaction() as session:
        _project(session, project_id)
        if session.get(Participant, participant_id) is None:
            raise NotFoundError("That participant is no longer in the database.")
        row = session.scalar(
            select(ProjectParticipant).where(
                ProjectParticipant.project_id == project_id,
                ProjectParticipant.participant_id == participant_id,
            )
        )
        if row is None:
            row = ProjectParticipant(
                project_id=project_id, participant_id=participant_id, role=clean_role
            )
            session.add(row)
            operation = AuditOperation.CREATE
        else:
            row.role = clean_role
            operation = AuditOperation.UPDATE
        session.flush()
        audit.record(
            session, operation, "project_participant", row.id, f"Project role: {clean_role.label}"
        )


def remove_participant(db: Database, project_id: uuid.UUID, participant_id: uuid.UUID) -> None:
    """Take a person off a project (nothing happens when they were not on it)."""
    with db.transaction() as session:
        row = session.scalar(
            select(ProjectParticipant).where(
                ProjectParticipant.project_id == project_id,
                ProjectParticipant.participant_id == participant_id,
            )
        )
        if row is None:
            return
        session.delete(row)
        audit.record(
            session, AuditOperation.DELETE, "project_participant", row.id, "Taken off a project"
        )


def _link(
    session: Session,
    project: ImprovementProject,
    *,
    action_id: uuid.UUID | None = None,
    item_id: uuid.UUID | None = None,
) -> uuid.UUID:
    if action_id is not None:
        target: Action | ExperienceItem | None = session.get(Action, action_id)
        what = "action"
        clause = ProjectLink.action_id == action_id
    else:
        target = session.get(ExperienceItem, item_id)
        what = "experience item"
        clause = ProjectLink.experience_item_id == item_id
    if target is None:
        raise NotFoundError(f"That {what} is no longer in the database.")
    if target.locality_id != project.locality_id:
        raise ValidationError(
            {"link": f"That {what} belongs to another locality than the project."}
        )
    existing = session.scalar(
        select(ProjectLink).where(ProjectLink.project_id == project.id, clause)
    )
    if existing is not None:
        return existing.id
    link = ProjectLink(project_id=project.id, action_id=action_id, experience_item_id=item_id)
    session.add(link)
    session.flush()
    audit.record(
        session, AuditOperation.CREATE, "project_link", link.id, f"Project linked to {what}"
    )
    return link.id


def link_action(db: Database, project_id: uuid.UUID, action_id: uuid.UUID) -> uuid.UUID:
    """Link an action of the project's locality; linking twice keeps one link. Returns the
    link's id."""
    with db.transaction() as session:
        return _link(session, _project(session, project_id), action_id=action_id)


def link_experience(db: Database, project_id: uuid.UUID, item_id: uuid.UUID) -> uuid.UUID:
    """Link an experience item of the project's locality; linking twice keeps one link."""
    with db.transaction() as session:
        return _link(session, _project(session, project_id), item_id=item_id)


def unlink(db: Database, link_id: uuid.UUID) -> None:
    """Remove one link (the action or experience item itself stays)."""
    with db.transaction() as session:
        link = session.get(ProjectLink, link_id)
        if link is None:
            return
        session.delete(link)
        audit.record(
            session, AuditOperation.DELETE, "project_link", link_id, "Project link removed"
        )


def experience_prefill(db: Database, item_id: uuid.UUID) -> ProjectInput:
    """A proposed project drawn from an experience item: title from its summary, its service
    and locality (for a dialog to show before saving)."""
    with db.session() as session:
        item = session.get(ExperienceItem, item_id)
        if item is None:
            raise NotFoundError("That experience item is no longer in the database.")
        return ProjectInput(
            locality_id=item.locality_id,
            title=_title_from(item.summary) or ExperienceKind(item.kind).label,
            service=_one_line(item.service),
        )


def action_prefill(db: Database, action_id: uuid.UUID) -> ProjectInput:
    """A proposed project drawn from an action: title, owner as lead, locality."""
    with db.session() as session:
        action = session.get(Action, action_id)
        if action is None:
            raise NotFoundError("That action is no longer in the database.")
        return ProjectInput(
            locality_id=action.locality_id,
            title=_title_from(action.title) or action.reference,
            lead=_one_line(action.owner),
        )


def create_project_linked(
    db: Database,
    data: ProjectInput,
    *,
    action_id: uuid.UUID | None = None,
    item_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Create a project and link it to an action or an experience item in one transaction
    (both or neither are saved)."""
    values = clean_project(data)
    with db.transaction() as session:
        _check_locality(session, values["locality_id"])
        project = ImprovementProject(**values)
        session.add(project)
        session.flush()
        audit.record(
            session, AuditOperation.CREATE, "improvement_project", project.id, "Project created"
        )
        if action_id is not None or item_id is not None:
            _link(session, project, action_id=action_id, item_id=item_id)
        return project.id


def start_project_from_experience(db: Database, item_id: uuid.UUID) -> uuid.UUID:
    """Start a proposed project from an experience item, pre-filled and linked to it."""
    return create_project_linked(db, experience_prefill(db, item_id), item_id=item_id)


def start_project_from_action(db: Database, action_id: uuid.UUID) -> uuid.UUID:
    """Start a proposed project from an action, pre-filled and linked to it."""
    return create_project_linked(db, action_prefill(db, action_id), action_id=action_id)


@dataclass(frozen=True)
class LinkChoice:
    """An action or experience item of the project's locality not linked yet."""

    kind: str  # "action" or "experience"
    target_id: uuid.UUID
    text: str


def link_choices(db: Database, project_id: uuid.UUID, *, limit: int = 300) -> list[LinkChoice]:
    """What the project could be linked to: its locality's actions (newest raised first), then
    its experience items (newest first), leaving out those already linked; ``limit`` of each."""
    with db.session() as session:
        project = _project(session, project_id)
        linked_actions = select(ProjectLink.action_id).where(
            ProjectLink.project_id == project_id, ProjectLink.action_id.is_not(None)
        )
        linked_items = select(ProjectLink.experience_item_id).where(
            ProjectLink.project_id == project_id, ProjectLink.experience_item_id.is_not(None)
        )
        choices = [
            LinkChoice("action", a.id, f"Action {a.reference}: {_title_from(a.title)}")
            for a in session.scalars(
                select(Action)
                .where(Action.locality_id == project.locality_id, Action.id.not_in(linked_actions))
                .order_by(Action.raised_on.desc(), Action.reference)
                .limit(limit)
            )
        ]
        choices += [
            LinkChoice(
                "experience",
                e.id,
                f"{ExperienceKind(e.kind).label} {e.received_on:%d/%m/%Y}: "
                f"{_title_from(e.summary)}",
            )
            for e in session.scalars(
                select(ExperienceItem)
                .where(
                    ExperienceItem.locality_id == project.locality_id,
                    ExperienceItem.id.not_in(linked_items),
                )
                .order_by(ExperienceItem.received_on.desc(), ExperienceItem.created_at.desc())
                .limit(limit)
            )
        ]
        return choices
