"""Where a database is, and the engine that reaches it.

``resolve_url`` turns ``--db`` (a path, an address, or nothing: the database IT presets, else the
app's file in the user's data folder) into a URL, ``sqlite_path`` gives the file behind one and
``describe_url`` says where it is in words.
``make_engine`` makes the engine this app uses: for SQLite, foreign keys, the WAL journal,
``synchronous=FULL`` and a busy timeout on every connection, and real BEGINs; for a server, its
timeouts and encryption, no values in its errors and no NUL characters in its text.
``is_connection_error`` and ``is_access_denied`` read what a server's failure means. Callers
import these from ``core.db``, which re-exports them.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from .errors import DatabaseOpenError
from .storage import connect_read_only

APP_DIR_NAME = "InvolvementCoordinator"
DATABASE_FILENAME = "coordinator.db"
BUSY_TIMEOUT_MS = 5000
#: A database server's port when its address names none (PostgreSQL's).
DEFAULT_PORT = 5432
#: How long to wait for a database server to answer before saying it cannot be reached.
CONNECT_TIMEOUT_S = 10


def default_data_dir() -> Path:
    """The user's local data folder (not roamed, so not synced by OneDrive on Windows)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))


def is_default_data_dir(folder: Path) -> bool:
    """Whether ``folder`` is the app's own data folder. platformdirs ends that folder with the
    app's name on every system, so a folder named otherwise (a ``--db`` file kept anywhere
    else) is told apart without importing platformdirs (about 3 ms of a start)."""
    return folder.name == APP_DIR_NAME and folder == default_data_dir()


def default_database_path() -> Path:
    return default_data_dir() / DATABASE_FILENAME


def resolve_url(target: str | os.PathLike[str] | None) -> URL:
    """Turn ``--db`` (a path, a SQLAlchemy URL or nothing) into a URL. Nothing means the
    database IT presets (``core/policy.py``), else the app's file in the user's data folder."""
    if target is None:
        from .policy import preset_database

        preset = preset_database()
        if preset is not None:
            return resolve_url(preset)
        return URL.create("sqlite+pysqlite", database=str(default_database_path()))
    text_target = os.fspath(target)
    if "://" in text_target:
        try:
            url = make_url(text_target)
            url.port  # noqa: B018 - a port that is not a number only fails when read
        except (ArgumentError, ValueError) as exc:
            shown = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", text_target)  # never the password
            raise DatabaseOpenError(f"'{shown}' is not a database address I understand.") from exc
        if url.drivername == "postgresql":  # SQLAlchemy's default driver is psycopg2: use ours
            url = url.set(drivername="postgresql+psycopg")
        return url
    path = Path(text_target).expanduser().resolve()
    return URL.create("sqlite+pysqlite", database=str(path))


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def describe_url(url: URL, path: Path | None = None) -> str:
    """Where the data is, for the status bar and About: a file path, or ``user@host/database``
    for a server (the port when not 5432; never the password)."""
    if path is not None:
        return str(path)
    if url.get_backend_name() == "sqlite":
        return url.database or "an in-memory database"
    host = url.host or "localhost"
    port = "" if url.port in (None, DEFAULT_PORT) else f":{url.port}"
    user = f"{url.username}@" if url.username else ""
    return f"{user}{host}{port}/{url.database or ''}"


def make_engine(url: URL, *, foreign_keys: bool = True, read_only: bool = False) -> Engine:
    """An engine for ``url`` set up for this app (SQLite pragmas, or a server's timeouts).

    ``hide_parameters``: SQL errors (and so tracebacks in the log) never carry the values of a
    statement, which are people's names and contact details. A server on another computer is
    reached encrypted unless IT's policy says otherwise (``connection.tls_arguments``; an
    address asking for less raises ``DatabaseOpenError``). ``read_only`` (SQLite files only)
    connects with ``mode=ro``: such a connection cannot write, checkpoint or delete the WAL.
    """
    try:
        if url.get_backend_name() == "sqlite":
            path = sqlite_path(url)
            if read_only and path is not None:
                read_path = path

                def connect() -> sqlite3.Connection:
                    return connect_read_only(read_path, check_same_thread=False)

                engine = create_engine(url, creator=connect, hide_parameters=True)
            else:
                engine = create_engine(
                    url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
                )
            _configure_sqlite(engine, foreign_keys=foreign_keys, read_only=read_only)
        else:
            connect_args: dict[str, Any] = {}
            if url.get_backend_name() == "postgresql":
                from . import schema
                from .connection import tls_arguments

                schema.complete_for_postgresql()
                connect_args = {
                    "connect_timeout": CONNECT_TIMEOUT_S,
                    "application_name": "involvement-coordinator",
                    **tls_arguments(url),  # another computer: encrypted (docs/command-line.md)
                }
            engine = create_engine(
                url, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args
            )
            event.listen(engine, "handle_error", _drop_server_error_detail)
            if url.get_backend_name() == "postgresql":
                event.listen(engine, "before_cursor_execute", _no_nul_characters, retval=True)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise DatabaseOpenError(
            f"This app cannot talk to '{url.get_backend_name()}' databases "
            "(a mistyped address? PostgreSQL's begins 'postgresql+psycopg://')."
        ) from exc
    except (ArgumentError, ValueError, TypeError) as exc:
        raise DatabaseOpenError(
            f"'{url.render_as_string(hide_password=True)}' is not a database address I "
            f"understand ({exc})."
        ) from exc
    return engine


def _drop_server_error_detail(context: Any) -> None:
    """Keep only the primary message of a server error: PostgreSQL's DETAIL line repeats the
    values of the row ("Key (name)=(Zoë Smith) already exists"), which must not reach a log."""
    orig = context.original_exception
    diag = getattr(orig, "diag", None)
    primary = getattr(diag, "message_primary", None)
    if not primary or not orig.args or orig.args[0] == primary:
        return
    orig.args = (primary, *orig.args[1:])
    wrapped = context.sqlalchemy_exception
    if wrapped is not None and wrapped.args:
        name = f"{type(orig).__module__}.{type(orig).__name__}"
        wrapped.args = (f"({name}) {primary}", *wrapped.args[1:])


NUL_REPLACEMENT = "\ufffd"


def _no_nul_characters(
    _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
) -> tuple[str, Any]:
    """PostgreSQL cannot store the NUL character in text (SQLite can). Rather than refuse a
    save over an invisible character pasted in from somewhere, it is stored as U+FFFD (the
    replacement character), so the rest of the text is kept and the oddity stays visible."""

    def clean(value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            return value.replace("\x00", NUL_REPLACEMENT)
        return value

    def clean_set(params: Any) -> Any:
        if isinstance(params, dict):
            if any(isinstance(v, str) and "\x00" in v for v in params.values()):
                return {k: clean(v) for k, v in params.items()}
            return params
        if isinstance(params, tuple):
            return tuple(clean(v) for v in params)
        return params

    if isinstance(parameters, list):
        return statement, [clean_set(p) for p in parameters]
    return statement, clean_set(parameters)


def is_connection_error(exc: BaseException) -> bool:
    """True for an error that means the database server cannot be reached or went away."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        exc = exc.orig if exc.orig is not None else exc
    if not type(exc).__module__.startswith("psycopg"):
        return False  # (and SQLite's errors never pay for importing psycopg, about 170 ms)
    import psycopg

    # OperationalError also covers a cancelled query, a lock timeout and a deadlock: not lost.
    busy = (
        psycopg.errors.QueryCanceled,
        psycopg.errors.LockNotAvailable,
        psycopg.errors.TransactionRollback,
    )
    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError) and not isinstance(
        exc, busy
    )


def is_access_denied(exc: BaseException) -> bool:
    """True for a server's refusal of the signed-in login: a privilege it lacks or a row-level
    security policy (SQLSTATE 42501, insufficient_privilege, covers both)."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    return getattr(orig, "sqlstate", None) == "42501"


def _configure_sqlite(engine: Engine, *, foreign_keys: bool, read_only: bool = False) -> None:
    """Pragmas on every connection, and real BEGINs so DDL is transactional (SQLAlchemy recipe)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if engine.url.database not in (None, "", ":memory:") and not read_only:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")
