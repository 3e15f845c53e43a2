"""``check_database``: a database's soundness, schema revision and counts, read only (never
migrating or creating anything); on a server, the revision and counts, and a sentence saying
that integrity checks are the server's job.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import URL

from ..db import SQLITE_HEADER, explain_server_error, make_engine, resolve_url, sqlite_path
from ..errors import DatabaseOpenError
from ..migrations import HEAD, REVISIONS
from ..storage import StorageError, connect_read_only, explain, is_damage, on_read_only_disk

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
    #: True for a database on a server: ``sound`` then means only "a schema this app knows".
    on_server: bool = False
    #: Why the schema is one this app cannot open ("" when it can): ``check`` then exits 1
    #: however sound the file is.
    schema_problem: str = ""
    #: False when the file could not be read at all (busy, gone, no permission): soundness
    #: unknown, which is not damage.
    checked: bool = True
    #: True when the file is on a disk that does not allow writing (checked all the same).
    read_only_disk: bool = False

    @property
    def ok(self) -> bool:
        """Sound, and a schema this app can open: what ``check``'s exit code 0 means."""
        return self.sound and not self.schema_problem


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
        with closing(connect_read_only(path)) as conn:
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
        if is_damage(exc):
            revision = _revision_if_readable(path)
            return CheckReport(str(path), False, str(exc), revision, HEAD, "unknown")
        # Busy, gone, no permission: the file could not be read, which says nothing about
        # whether it is sound (``check`` says "not checked", never "NO").
        reason = explain(exc, path)
        detail = str(reason) if reason is not None else f"it could not be read ({exc})"
        return CheckReport(str(path), False, detail, None, HEAD, "unknown", checked=False)
    except StorageError as exc:
        return CheckReport(str(path), False, str(exc), None, HEAD, "unknown", checked=False)
    report = CheckReport(str(path), sound, detail, revision, HEAD, journal, counts)
    if on_read_only_disk(path):
        report.read_only_disk = True
    if revision is not None and revision not in REVISIONS:
        report.schema_problem = _unknown_schema(revision)
    return report


def _unknown_schema(revision: str) -> str:
    return (
        f"written by a newer version of Involvement Coordinator (schema {revision}), which this "
        "app does not know; install the latest version"
    )


def _revision_if_readable(path: Path) -> str | None:
    """The stored revision of a damaged file when that part can still be read, else None."""
    try:
        with closing(connect_read_only(path)) as conn:
            found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(found[0]) if found else None


#: What ``check`` says about soundness on a server, where it cannot look at the files itself.
SERVER_CHECK_SENTENCE = (
    "not checked here: on a server, integrity checks and backups are the server's job"
)


def _check_server(url: URL) -> CheckReport:
    """``check`` of a server database: the schema revision and counts, read-only. Soundness of
    the storage is the server's (its own checks, replication and backups), so the report says so
    instead of claiming a check it did not make; ``sound`` is False only for a schema this app
    does not know (a newer version wrote it)."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import DBAPIError

    engine = make_engine(url)
    location = url.render_as_string(hide_password=True)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            revision = None
            if "alembic_version" in tables:
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            elif tables:
                raise DatabaseOpenError(
                    "The database on the server holds another program's tables, not Involvement "
                    "Coordinator data."
                )
            else:
                raise DatabaseOpenError(
                    "The database on the server holds no Involvement Coordinator data yet; open "
                    "it with the app first."
                )
            counts = {
                t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() or 0)
                for t in COUNTED_TABLES
                if t in tables
            }
    except DBAPIError as exc:
        raise DatabaseOpenError(explain_server_error(str(exc.orig), url)) from exc
    finally:
        engine.dispose()
    if revision not in REVISIONS:
        detail = (
            f"written by a newer version of Involvement Coordinator (schema {revision}); "
            "install the latest version"
        )
        return CheckReport(location, False, detail, revision, HEAD, "server", counts, True)
    return CheckReport(
        location, True, SERVER_CHECK_SENTENCE, revision, HEAD, "server", counts, True
    )
