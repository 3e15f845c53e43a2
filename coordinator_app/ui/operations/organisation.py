"""The writes of the organisation: the trust's details, localities and forums. One ``Op`` each,
telling every page (``settingsChanged``: lists of localities and forums are read again)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from ...core import meetings, organisation, settings
from ...core.forum_usual import Usual
from ...core.settings import Settings, save_settings
from ...core.vocab import ForumKind, MeetingFormat
from ..context import AppContext
from . import Op


def _told(ctx: AppContext) -> Callable[[object], None]:
    return lambda _value: ctx.events.settingsChanged.emit()


def save_trust(
    parent: QWidget | None,
    ctx: AppContext,
    *,
    trust_name: str,
    coordinator_name: str,
    default_payment_pence: int | None = None,
) -> Op[Settings]:
    return Op(
        parent,
        lambda: save_settings(
            ctx.db,
            trust_name=trust_name,
            coordinator_name=coordinator_name,
            default_payment_pence=default_payment_pence,
        ),
        changed=_told(ctx),
    )


def set_logo(parent: QWidget | None, ctx: AppContext, png: bytes | None) -> Op[None]:
    return Op(parent, lambda: settings.set_logo(ctx.db, png), changed=_told(ctx))


def add_locality(parent: QWidget | None, ctx: AppContext, name: str) -> Op[uuid.UUID]:
    return Op(parent, lambda: organisation.add_locality(ctx.db, name), changed=_told(ctx))


def rename_locality(
    parent: QWidget | None, ctx: AppContext, locality_id: uuid.UUID, name: str
) -> Op[None]:
    return Op(
        parent,
        lambda: organisation.rename_locality(ctx.db, locality_id, name),
        changed=_told(ctx),
    )


def set_locality_coordinated(
    parent: QWidget | None, ctx: AppContext, locality_id: uuid.UUID, coordinated: bool
) -> Op[None]:
    return Op(
        parent,
        lambda: organisation.set_locality_coordinated(ctx.db, locality_id, coordinated),
        changed=_told(ctx),
    )


def set_locality_active(
    parent: QWidget | None, ctx: AppContext, locality_id: uuid.UUID, active: bool
) -> Op[None]:
    return Op(
        parent,
        lambda: organisation.set_locality_active(ctx.db, locality_id, active),
        changed=_told(ctx),
    )


def add_forum(
    parent: QWidget | None,
    ctx: AppContext,
    *,
    locality_id: uuid.UUID,
    name: str,
    kind: ForumKind,
    default_venue: str,
    default_format: MeetingFormat,
    usual: Usual | None = None,
) -> Op[uuid.UUID]:
    return Op(
        parent,
        lambda: meetings.create_forum(
            ctx.db,
            locality_id=locality_id,
            name=name,
            kind=kind,
            default_venue=default_venue,
            default_format=default_format,
            usual=usual,
        ),
        changed=_told(ctx),
    )


def update_forum(
    parent: QWidget | None,
    ctx: AppContext,
    forum_id: uuid.UUID,
    *,
    name: str,
    kind: ForumKind,
    default_venue: str,
    default_format: MeetingFormat,
    usual: Usual | None = None,
) -> Op[None]:
    return Op(
        parent,
        lambda: organisation.update_forum(
            ctx.db,
            forum_id,
            name=name,
            kind=kind,
            default_venue=default_venue,
            default_format=default_format,
            usual=usual,
        ),
        changed=_told(ctx),
    )


def set_forum_active(
    parent: QWidget | None, ctx: AppContext, forum_id: uuid.UUID, active: bool
) -> Op[None]:
    return Op(
        parent,
        lambda: organisation.set_forum_active(ctx.db, forum_id, active),
        changed=_told(ctx),
    )
