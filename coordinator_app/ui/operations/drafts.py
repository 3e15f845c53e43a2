"""Keeping typing that is not saved yet (``core.drafts``): quiet operations, never a message
in the middle of typing. A draft that cannot be written is simply tried again at the next
pause; the caller sees ``Outcome.ok`` False."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from ...core import drafts
from ...core.drafts import DraftField
from ..context import AppContext
from . import Op


def keep(
    parent: QWidget | None,
    ctx: AppContext,
    *,
    key: str,
    form: str,
    label: str,
    fields: Sequence[DraftField],
    context: Mapping[str, Any] | None = None,
    record: tuple[str, uuid.UUID] | None = None,
) -> Op[uuid.UUID]:
    kept = list(fields)
    return Op(
        parent,
        lambda: drafts.save_draft(
            ctx.db, key=key, form=form, label=label, fields=kept, context=context, record=record
        ),
        quiet=True,
    )


def drop(parent: QWidget | None, ctx: AppContext, key: str) -> Op[bool]:
    return Op(parent, lambda: drafts.drop_draft(ctx.db, key), quiet=True)
