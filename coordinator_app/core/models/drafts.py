"""What was being typed and is not saved yet (``core.drafts`` reads and writes it)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Mapped

from .. import schema
from .base import Base


class Draft(Base):
    """Typing kept so a crash loses at most the last seconds; never a record of its own."""

    __table__ = schema.drafts

    owner: Mapped[str]
    key: Mapped[str]
    form: Mapped[str]
    label: Mapped[str]
    record_table: Mapped[str | None]
    record_id: Mapped[uuid.UUID | None]
    context: Mapped[str]
    fields: Mapped[str]
