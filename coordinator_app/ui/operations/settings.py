"""The writes of the trust's settings and lists (strategic priorities): one ``Op`` each."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QWidget

from ...core import actions
from ..context import AppContext
from . import Op


def _changed(ctx: AppContext) -> None:
    ctx.events.settingsChanged.emit()


def create_priority(parent: QWidget | None, ctx: AppContext, name: str) -> Op[uuid.UUID]:
    return Op(
        parent, lambda: actions.create_priority(ctx.db, name), changed=lambda _id: _changed(ctx)
    )


def rename_priority(
    parent: QWidget | None,
    ctx: AppContext,
    priority_id: uuid.UUID,
    name: str,
    *,
    expected_version: int | None,
) -> Op[int]:
    return Op(
        parent,
        lambda: actions.rename_priority(
            ctx.db, priority_id, name, expected_version=expected_version
        ),
        changed=lambda _version: _changed(ctx),
    )


def move_priority(
    parent: QWidget | None,
    ctx: AppContext,
    priority_id: uuid.UUID,
    delta: int,
    *,
    expected_version: int | None,
) -> Op[None]:
    return Op(
        parent,
        lambda: actions.move_priority(
            ctx.db, priority_id, delta, expected_version=expected_version
        ),
        changed=lambda _none: _changed(ctx),
    )


def retire_priority(
    parent: QWidget | None,
    ctx: AppContext,
    priority_id: uuid.UUID,
    retired: bool,
    *,
    expected_version: int | None,
) -> Op[int]:
    return Op(
        parent,
        lambda: actions.retire_priority(
            ctx.db, priority_id, retired, expected_version=expected_version
        ),
        changed=lambda _version: _changed(ctx),
    )
