"""The audit log: who changed what and when. Summaries never carry personal data."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Mapped

from .. import schema
from ..vocab import AuditOperation
from .base import Base


class AuditEntry(Base):
    __table__ = schema.audit_log

    at: Mapped[datetime]
    #: The coordinator's name from the settings, and the operating-system user.
    actor: Mapped[str]
    os_user: Mapped[str]
    operation: Mapped[AuditOperation]
    entity: Mapped[str]
    entity_id: Mapped[uuid.UUID | None]
    summary: Mapped[str]
    #: The server login that made it, filled in by the server (0005); "" on SQLite.
    login: Mapped[str]
