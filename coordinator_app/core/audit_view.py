"""Reading the audit log (who changed what and when) with filters. Read-only by design.

There is deliberately no function here, or anywhere in the app, that changes or deletes an audit
entry: the log is written only by ``audit.record`` inside the transaction of each change. The
viewer reads through ``db.session()`` and never commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from .db import Database
from .models import AuditEntry
from .people import contains_all_words
from .vocab import AuditOperation

DEFAULT_LIMIT = 2000


@dataclass(frozen=True)
class AuditRow:
    id: uuid.UUID
    at: datetime
    actor: str
    os_user: str
    operation: AuditOperation
    entity: str
    entity_id: uuid.UUID | None
    summary: str
    #: The server login that made the change (a trust server, ``core/access.py``); "" on SQLite.
    login: str = ""

    @property
    def who(self) -> str:
        """ "Siân Evans (sevans)", or whichever of the two is known; on a server the login
        that made the change, which the server itself recorded: "Siân Evans (login
        sian.evans)"."""
        second = f"login {self.login}" if self.login else self.os_user
        if self.actor and second:
            return f"{self.actor} ({second})"
        return self.actor or second


@dataclass(frozen=True)
class AuditFilter:
    """Every field narrows the list; the defaults show everything (newest first)."""

    operation: AuditOperation | None = None
    entity: str | None = None
    #: Matches the coordinator name, the operating-system user or the server login (case- and
    #: accent-insensitive).
    who: str = ""
    #: Every word must appear in the summary or the entity.
    text: str = ""
    since: date | None = None
    until: date | None = None  #: inclusive
    entity_id: uuid.UUID | None = None


def _day_start(day: date) -> datetime:
    """Local midnight as aware UTC (the log stores UTC; the user thinks in local days)."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def list_audit(
    db: Database, where: AuditFilter | None = None, *, limit: int = DEFAULT_LIMIT
) -> list[AuditRow]:
    """Audit entries matching ``where``, newest first, at most ``limit``."""
    where = where or AuditFilter()
    with db.session() as session:
        stmt = select(AuditEntry)
        if where.operation is not None:
            stmt = stmt.where(AuditEntry.operation == AuditOperation(where.operation))
        if where.entity:
            stmt = stmt.where(AuditEntry.entity == where.entity)
        if where.entity_id is not None:
            stmt = stmt.where(AuditEntry.entity_id == where.entity_id)
        if where.since is not None:
            stmt = stmt.where(AuditEntry.at >= _day_start(where.since))
        if where.until is not None:
            stmt = stmt.where(AuditEntry.at < _day_start(where.until + timedelta(days=1)))
        if where.who.strip():
            stmt = stmt.where(
                or_(
                    contains_all_words(session, [AuditEntry.actor], where.who),
                    contains_all_words(session, [AuditEntry.os_user], where.who),
                    contains_all_words(session, [AuditEntry.login], where.who),
                )
            )
        if where.text.strip():
            stmt = stmt.where(
                contains_all_words(session, [AuditEntry.summary, AuditEntry.entity], where.text)
            )
        stmt = stmt.order_by(AuditEntry.at.desc(), AuditEntry.id).limit(limit)
        return [
            AuditRow(
                e.id,
                e.at,
                e.actor,
                e.os_user,
                e.operation,
                e.entity,
                e.entity_id,
                e.summary,
                e.login,
            )
            for e in session.scalars(stmt)
        ]


def audit_entities(db: Database) -> list[str]:
    """The kinds of record that appear in the log (for the viewer's filter), sorted."""
    with db.session() as session:
        return sorted(e for e in session.scalars(select(AuditEntry.entity).distinct()) if e)


def audit_count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)
