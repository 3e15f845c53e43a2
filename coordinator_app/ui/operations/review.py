"""The privacy review's one write: a piece of free text reworded before it leaves, saved to its
record (``core.review.rewrite``), as an ``Op``."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ...core import review
from ...core.privacy import Piece
from ..context import AppContext
from . import Op

#: Which page shows each table's text (the signal to tell them by).
_MEETING_TABLES = frozenset(
    {"forums", "meetings", "agenda_items", "experience_items", "polls", "poll_answers"}
)


def _changed(ctx: AppContext, piece: Piece) -> None:
    if piece.table in _MEETING_TABLES:
        ctx.events.meetingsChanged.emit(str(piece.record_id or ""))
    else:  # actions and their progress notes
        ctx.events.actionsChanged.emit(str(piece.record_id or piece.parent_id or ""))


def rewrite(
    parent: QWidget | None, ctx: AppContext, piece: Piece, expected: str, new_text: str
) -> Op[str]:
    """Save ``new_text`` where ``piece`` comes from, if it still reads ``expected``."""
    return Op(
        parent,
        lambda: review.rewrite(ctx.db, piece, expected, new_text),
        title="Privacy review",
        changed=lambda _kept: _changed(ctx, piece),
    )
