"""The drafts of the meeting editor: what was typed in one of its parts and could not be saved
yet (a half-typed date, a title too long, a conflict with someone else's save, or typed while
that question was being answered), kept in the drafts table (``core.drafts``) until it is
saved or thrown away on purpose (Reload, "Leave without saving", the meeting deleted).

A draft is of one part of one meeting: ``details``, the chosen ``agenda`` item, the ``poll``
being typed, or the title of a ``new_agenda_item``; its key names the record it stands for
(``MeetingEditor:agenda_items:<id>``), so the next start offers it back where it was typed
(``MeetingEditor.apply_draft``, called by the recovery dialog).

``DraftBook`` writes and drops them through ``ui/operations/drafts.py`` and remembers which it
wrote, so dropping one that was never written costs nothing. Pitfall: it never raises and never
shows a message: a draft the database will not take is tried again at the next pause.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from ....core.drafts import DraftField
from ....core.errors import CoordinatorError
from ...context import AppContext
from ...operations import drafts as draft_ops

#: The form name the editor's drafts carry (the recovery dialog finds them by it).
DRAFT_FORM = "MeetingEditor"
PART_DETAILS = "details"
PART_AGENDA = "agenda"
PART_POLL = "poll"
PART_NEW_ITEM = "new_agenda_item"


def _tried_again(_exc: CoordinatorError) -> None:
    """A draft the database would not take (or drop) just now: nothing is said while someone
    types; the next pause tries again (``DraftNotKept``)."""


class DraftBook:
    """The drafts one editor wrote (key -> part) and what each held."""

    def __init__(self, parent: QWidget, ctx: AppContext) -> None:
        self._parent = parent
        self._ctx = ctx
        self.written: dict[str, str] = {}
        self._last: dict[str, list[DraftField]] = {}

    def keep(
        self,
        key: str,
        part: str,
        *,
        label: str,
        fields: list[DraftField],
        context: Mapping[str, Any],
        record: tuple[str, uuid.UUID],
    ) -> None:
        """Keep ``fields`` as the draft ``key`` (waiting for the write); nothing is written
        when they are what this key last held."""
        if self._last.get(key) == fields:
            return

        def kept(_draft_id: uuid.UUID) -> None:
            self.written[key] = part
            self._last[key] = fields

        draft_ops.save_draft(
            self._parent,
            self._ctx,
            key=key,
            form=DRAFT_FORM,
            label=label,
            fields=fields,
            context=dict(context),
            record=record,
        ).failure(_tried_again).success(kept).wait()

    def drop(self, key: str | None) -> None:
        """Drop a draft this editor wrote (its text was saved). Costs nothing when none was."""
        if key is None or key not in self.written:
            return
        if draft_ops.drop_draft(self._parent, self._ctx, key).failure(_tried_again).wait().ok:
            self.written.pop(key, None)
            self._last.pop(key, None)

    def drop_all(self) -> None:
        for key in list(self.written):
            self.drop(key)

    def adopt(self, key: str, part: str) -> None:
        """A recovered draft put back into the editor: drop it once its part is saved."""
        self.written[key] = part
