"""Checking a database without changing it (and, with the backups issue, backup and restore).

What is SQLite-only (files, ``integrity_check``, the journal) is here behind ``is_sqlite``; on a
server database, soundness is the server's job and the report says so.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field

from .db import SQLITE_HEADER, resolve_url, sqlite_path
from .errors import DatabaseOpenError
from .migrations import HEAD

#: Tables whose counts ``check`` reports, in a reader's order.
COUNTED_TABLES = (
    "localities",
    "forums",
    "participants",
    "meetings",
    "attendances",
    "unnamed_attendances",
    "involvement_payments",
    "experience_items",
    "actions",
    "action_updates",
    "standards_frameworks",
    "standards",
    "assessments",
    "standard_checks",
    "polls",
    "improvement_projects",
    "audit_log",
)


@dataclass
class CheckReport:
    location: str
    sound: bool
    detail: str
    revision: str | None
    app_revision: str
    journal_mode: str
    counts: dict[str, int] = field(default_factory=dict)


def check_database(target: str | os.PathLike[str] | None) -> CheckReport:
    """Soundness, schema revision and counts, read-only (never migrates or creates anything)."""
    url = resolve_url(target)
    path = sqlite_path(url)
    if path is None:
        return _check_server(url)
    if not path.exists():
        raise DatabaseOpenError(f"There is no database at {path}.")
    if path.is_dir():
        raise DatabaseOpenError(f"{path} is a folder, not a database file.")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise DatabaseOpenError(f"{path} is not an Involvement Coordinator database.")
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            sound = rows == ["ok"]
            detail = "" if sound else "; ".join(rows[:5])
            journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = found[0] if found else None
            elif tables:
                raise DatabaseOpenError(
                    f"{path} holds another program's tables, not Involvement Coordinator data."
                )
            counts = {
                t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in COUNTED_TABLES
                if t in tables
            }
    except sqlite3.DatabaseError as exc:
        return CheckReport(str(path), False, str(exc), None, HEAD, "unknown")
    return CheckReport(str(path), sound, detail, revision, HEAD, journal, counts)


def _check_server(url: object) -> CheckReport:
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.exc import DBAPIError

    engine = create_engine(url, pool_pre_ping=True)  # type: ignore[arg-type]
    location = url.render_as_string(hide_password=True)  # type: ignore[attr-defined]
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            revision = None
            if "alembic_version" in tables:
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            counts = {
                t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() or 0)
                for t in COUNTED_TABLES
                if t in tables
            }
    except DBAPIError as exc:
        raise DatabaseOpenError(f"The database server could not be reached ({exc.orig}).") from exc
    finally:
        engine.dispose()
    return CheckReport(
        location,
        True,
        "soundness of a server database is checked by the server's own tools",
        revision,
        HEAD,
        "server",
        counts,
    )
