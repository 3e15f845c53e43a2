"""The writes of drafts (``core.drafts``): what a form keeps of typing it cannot save yet. One
``Op`` each, run off the GUI thread like every other write.

Nothing is announced (no page shows drafts while the app runs; the next start reads them).
They are quiet operations (``Op(quiet=True)``): a draft the database will not take
(``DraftNotKept``) is tried again at the next pause, never shown as a message while someone
types, and a bug is logged, not said, unless the caller passes handlers of its own (the meeting
editor's ``DraftBook`` does).

Pitfall: ``fields`` and ``context`` are handed to the worker thread; pass values made for this
write (lists of ``DraftField``, a fresh dict), never something the form goes on changing."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from ...core import drafts
from ...core.drafts import DraftField
from ..context import AppContext
from . import Op


def save_draft(
    parent: QWidget | None,
    ctx: AppContext,
    *,
    key: str,
    form: str,
    label: str,
    fields: Sequence[DraftField],
    context: Mapping[str, Any],
    record: tuple[str, uuid.UUID] | None,
) -> Op[uuid.UUID]:
    """Keep ``fields`` as the draft ``key`` (replacing the one before); the draft's id."""
    kept = list(fields)
    return Op(
        parent,
        lambda: drafts.save_draft(
            ctx.db, key=key, form=form, label=label, fields=kept, context=context, record=record
        ),
        title="Not kept as a draft",
        quiet=True,
    )


def drop_draft(parent: QWidget | None, ctx: AppContext, key: str) -> Op[bool]:
    """Drop the draft ``key`` (saved, or thrown away on purpose); True when there was one."""
    return Op(parent, lambda: drafts.drop_draft(ctx.db, key), title="Draft not dropped", quiet=True)
