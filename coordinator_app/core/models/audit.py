"""The audit log: who changed what and when. Summaries never carry personal data."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..vocab import AuditOperation
from .base import Base, utcnow, vocab


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The coordinator's name from the settings, and the operating-system user.
    actor: Mapped[str] = mapped_column(default="")
    os_user: Mapped[str] = mapped_column(default="")
    operation: Mapped[AuditOperation] = mapped_column(vocab(AuditOperation, "audit_operation"))
    entity: Mapped[str] = mapped_column(default="")
    entity_id: Mapped[uuid.UUID | None]
    summary: Mapped[str] = mapped_column(Text, default="")
