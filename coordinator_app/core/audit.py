"""Recording who changed what. Call ``record`` inside the same transaction as the change, so the
log and the change land together. Summaries name records by reference or kind, never a person.

Who: the coordinator's name from the settings (``actor``), the operating system's user
(``os_user``) and, on a trust server, the login (``login``): never sent by the app but filled
in by the server (``DEFAULT session_user``), whose policy refuses any other value, so an entry
cannot be written in another login's name (docs/engineering-notes.md#access-on-a-trust-server).
On SQLite ``login`` stays empty and the operating system's user is the one who."""

from __future__ import annotations

import getpass
import uuid
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from . import schema
from .vocab import AuditOperation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


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
    settings = schema.trust_settings.c
    actor = session.scalar(select(settings.coordinator_name).limit(1)) or ""
    # A Core insert in the caller's transaction: it lands or rolls back with the change.
    session.execute(
        insert(schema.audit_log).values(
            actor=actor,
            os_user=os_user(),
            operation=AuditOperation(operation),
            entity=entity,
            entity_id=entity_id,
            summary=summary,
        )
    )
