"""Experience heard, actions agreed ("you said, we did") and improvement projects."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Mapped, relationship

from .. import schema
from ..vocab import ActionLevel, ActionStatus, ExperienceKind, ProjectRole, ProjectStatus
from .base import Base
from .meetings import Meeting
from .organisation import Locality, StrategicPriority
from .people import Participant


class ExperienceItem(Base):
    """Something heard at a meeting or brought to the coordinator, and the response given."""

    __table__ = schema.experience_items

    locality_id: Mapped[uuid.UUID]
    meeting_id: Mapped[uuid.UUID | None]
    received_on: Mapped[date]
    kind: Mapped[ExperienceKind]
    theme: Mapped[str]
    service: Mapped[str]
    summary: Mapped[str]
    response: Mapped[str]
    responded_on: Mapped[date | None]

    locality: Mapped[Locality] = relationship()
    meeting: Mapped[Meeting | None] = relationship()


class Action(Base):
    """Work agreed to improve a service. Closed means completed or cancelled
    (docs/counting-rules.md#actions)."""

    __table__ = schema.actions

    #: Human reference, unique, e.g. RUG-A3.
    reference: Mapped[str]
    locality_id: Mapped[uuid.UUID]
    #: Where the action came from: a meeting, an experience item or a standard check.
    meeting_id: Mapped[uuid.UUID | None]
    experience_item_id: Mapped[uuid.UUID | None]
    standard_check_id: Mapped[uuid.UUID | None]
    title: Mapped[str]
    detail: Mapped[str]
    owner: Mapped[str]
    level: Mapped[ActionLevel]
    strategic_priority_id: Mapped[uuid.UUID | None]
    raised_on: Mapped[date]
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus]
    closed_on: Mapped[date | None]
    outcome: Mapped[str]
    #: The owner on the staff list, by id (``core.staff``); None for any other owner.
    owner_staff_id: Mapped[uuid.UUID | None]

    locality: Mapped[Locality] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    experience_item: Mapped[ExperienceItem | None] = relationship()
    strategic_priority: Mapped[StrategicPriority | None] = relationship()
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action",
        order_by="(ActionUpdate.written_on, ActionUpdate.created_at)",
        cascade="all, delete-orphan",
    )


class ActionUpdate(Base):
    """A dated progress note on an action."""

    __table__ = schema.action_updates

    action_id: Mapped[uuid.UUID]
    written_on: Mapped[date]
    note: Mapped[str]

    action: Mapped[Action] = relationship(back_populates="updates")


class ImprovementProject(Base):
    """A service improvement that service users and carers help design or deliver."""

    __table__ = schema.improvement_projects

    locality_id: Mapped[uuid.UUID]
    title: Mapped[str]
    service: Mapped[str]
    lead: Mapped[str]
    status: Mapped[ProjectStatus]
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    outcome: Mapped[str]

    locality: Mapped[Locality] = relationship()
    people: Mapped[list[ProjectParticipant]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )


class ProjectParticipant(Base):
    __table__ = schema.project_participants

    project_id: Mapped[uuid.UUID]
    participant_id: Mapped[uuid.UUID]
    role: Mapped[ProjectRole]

    project: Mapped[ImprovementProject] = relationship(back_populates="people")
    participant: Mapped[Participant] = relationship()


class ProjectLink(Base):
    """Links a project to an action or an experience item it grew from or delivers."""

    __table__ = schema.project_links

    project_id: Mapped[uuid.UUID]
    action_id: Mapped[uuid.UUID | None]
    experience_item_id: Mapped[uuid.UUID | None]
