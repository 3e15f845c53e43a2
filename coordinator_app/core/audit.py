"""Recording who changed what. Call ``record`` inside the same transaction as the change, so the
log and the change land together. Summaries name records by reference or kind, never a person."""

from __future__ import annotations

import getpass
import uuid
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry, TrustSettings
from .vocab import AuditOperation


@cache
def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment (some service accounts)
        return ""


def record(
    session: Session,
    operation: AuditOperation,
    entity: str,
    entity_id: uuid.UUID | None = None,
    summary: str = "",
) -> None:
    actor = session.scalar(select(TrustSettings.coordinator_name).limit(1)) or ""
    session.add(
        AuditEntry(
            actor=actor,
            os_user=os_user(),
            operation=AuditOperation(operation),
            entity=entity,
            entity_id=entity_id,
            summary=summary,
        )
    )
