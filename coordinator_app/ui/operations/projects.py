"""The writes of improvement projects: one function per core call, each an ``Op``."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QWidget

from ...core import projects
from ...core.vocab import ProjectRole
from ..context import AppContext
from . import Op


def _changed(ctx: AppContext, project_id: uuid.UUID) -> None:
    ctx.events.projectsChanged.emit(str(project_id))


def create_project(
    parent: QWidget | None,
    ctx: AppContext,
    data: projects.ProjectInput,
    *,
    action_id: uuid.UUID | None = None,
    item_id: uuid.UUID | None = None,
) -> Op[uuid.UUID]:
    return Op(
        parent,
        lambda: projects.create_project_linked(ctx.db, data, action_id=action_id, item_id=item_id),
        changed=lambda saved: _changed(ctx, saved),
    )


def update_project(
    parent: QWidget | None,
    ctx: AppContext,
    project_id: uuid.UUID,
    data: projects.ProjectInput,
    *,
    expected_version: int | None,
) -> Op[int]:
    return Op(
        parent,
        lambda: projects.update_project(
            ctx.db, project_id, data, expected_version=expected_version
        ),
        changed=lambda _version: _changed(ctx, project_id),
    )


def delete_project(
    parent: QWidget | None, ctx: AppContext, project_id: uuid.UUID, *, expected_version: int
) -> Op[None]:
    return Op(
        parent,
        lambda: projects.delete_project(ctx.db, project_id, expected_version=expected_version),
        title="Not deleted",
        changed=lambda _none: _changed(ctx, project_id),
    )


def involve(
    parent: QWidget | None,
    ctx: AppContext,
    project_id: uuid.UUID,
    participant_id: uuid.UUID,
    role: ProjectRole,
) -> Op[None]:
    return Op(
        parent,
        lambda: projects.add_participant(ctx.db, project_id, participant_id, role),
        changed=lambda _none: _changed(ctx, project_id),
    )


def take_off(
    parent: QWidget | None, ctx: AppContext, project_id: uuid.UUID, participant_id: uuid.UUID
) -> Op[None]:
    return Op(
        parent,
        lambda: projects.remove_participant(ctx.db, project_id, participant_id),
        changed=lambda _none: _changed(ctx, project_id),
    )


def link_action(
    parent: QWidget | None, ctx: AppContext, project_id: uuid.UUID, action_id: uuid.UUID
) -> Op[uuid.UUID]:
    return Op(
        parent,
        lambda: projects.link_action(ctx.db, project_id, action_id),
        changed=lambda _link: _changed(ctx, project_id),
    )


def link_experience(
    parent: QWidget | None, ctx: AppContext, project_id: uuid.UUID, item_id: uuid.UUID
) -> Op[uuid.UUID]:
    return Op(
        parent,
        lambda: projects.link_experience(ctx.db, project_id, item_id),
        changed=lambda _link: _changed(ctx, project_id),
    )


def unlink(
    parent: QWidget | None, ctx: AppContext, project_id: uuid.UUID, link_id: uuid.UUID
) -> Op[None]:
    return Op(
        parent,
        lambda: projects.unlink(ctx.db, link_id),
        changed=lambda _none: _changed(ctx, project_id),
    )
