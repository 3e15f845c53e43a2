"""Experience heard, actions agreed ("you said, we did") and improvement projects."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..vocab import ActionLevel, ActionStatus, ExperienceKind, ProjectRole, ProjectStatus
from .base import Base, vocab
from .meetings import Meeting
from .organisation import Locality, StrategicPriority
from .people import Participant


class ExperienceItem(Base):
    """Something heard at a meeting or brought to the coordinator, and the response given."""

    __tablename__ = "experience_items"
    __table_args__ = (Index("ix_experience_items_locality_date", "locality_id", "received_on"),)

    locality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("localities.id"))
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    received_on: Mapped[date]
    kind: Mapped[ExperienceKind] = mapped_column(vocab(ExperienceKind, "experience_kind"))
    theme: Mapped[str] = mapped_column(default="")
    service: Mapped[str] = mapped_column(default="")
    summary: Mapped[str] = mapped_column(Text)
    response: Mapped[str] = mapped_column(Text, default="")
    responded_on: Mapped[date | None]

    locality: Mapped[Locality] = relationship()
    meeting: Mapped[Meeting | None] = relationship()


class Action(Base):
    """Work agreed to improve a service. Closed means completed or cancelled (DESIGN.md s.5)."""

    __tablename__ = "actions"
    __table_args__ = (
        Index("ix_actions_locality_raised", "locality_id", "raised_on"),
        Index("ix_actions_status_due", "status", "due_on"),
        Index("ix_actions_closed_on", "closed_on"),
        CheckConstraint("due_on IS NULL OR due_on >= raised_on", name="due_not_before_raised"),
        CheckConstraint(
            "(status IN ('completed', 'cancelled')) = (closed_on IS NOT NULL)",
            name="closed_on_iff_closed",
        ),
    )

    #: Human reference, unique, e.g. RUG-A3.
    reference: Mapped[str] = mapped_column(unique=True)
    locality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("localities.id"))
    #: Where the action came from: a meeting, an experience item or a standard check.
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    experience_item_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("experience_items.id", ondelete="SET NULL"), index=True
    )
    standard_check_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("standard_checks.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(default="")
    level: Mapped[ActionLevel] = mapped_column(vocab(ActionLevel, "action_level"))
    strategic_priority_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("strategic_priorities.id")
    )
    raised_on: Mapped[date]
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        vocab(ActionStatus, "action_status"), default=ActionStatus.OPEN
    )
    closed_on: Mapped[date | None]
    outcome: Mapped[str] = mapped_column(Text, default="")

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

    __tablename__ = "action_updates"

    action_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    written_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text)

    action: Mapped[Action] = relationship(back_populates="updates")


class ImprovementProject(Base):
    """A service improvement that service users and carers help design or deliver."""

    __tablename__ = "improvement_projects"
    __table_args__ = (
        CheckConstraint(
            "ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on",
            name="ends_after_start",
        ),
    )

    locality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("localities.id"), index=True)
    title: Mapped[str]
    service: Mapped[str] = mapped_column(default="")
    lead: Mapped[str] = mapped_column(default="")
    status: Mapped[ProjectStatus] = mapped_column(
        vocab(ProjectStatus, "project_status"), default=ProjectStatus.PROPOSED
    )
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    outcome: Mapped[str] = mapped_column(Text, default="")

    locality: Mapped[Locality] = relationship()
    people: Mapped[list[ProjectParticipant]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )


class ProjectParticipant(Base):
    __tablename__ = "project_participants"
    __table_args__ = (UniqueConstraint("project_id", "participant_id"),)

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("improvement_projects.id", ondelete="CASCADE")
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    role: Mapped[ProjectRole] = mapped_column(vocab(ProjectRole, "project_role"))

    project: Mapped[ImprovementProject] = relationship(back_populates="people")
    participant: Mapped[Participant] = relationship()


class ProjectLink(Base):
    """Links a project to an action or an experience item it grew from or delivers."""

    __tablename__ = "project_links"
    __table_args__ = (
        UniqueConstraint("project_id", "action_id", "experience_item_id"),
        CheckConstraint(
            "(action_id IS NULL) != (experience_item_id IS NULL)", name="links_one_thing"
        ),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("improvement_projects.id", ondelete="CASCADE")
    )
    action_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    experience_item_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("experience_items.id", ondelete="CASCADE"), index=True
    )
