"""Opening the database: the checks before it is opened, the ``Database`` it gives, and
migrations on open. Where it lives and how SQLite is set up are in ``core/engine.py``, and copies
of a SQLite file in ``core/copies.py``; this module re-exports both, so callers import all of it
from here.

SQLite is the embedded default, kept in the user's data folder. Every connection has foreign keys
on, the WAL journal, ``synchronous=FULL`` (NORMAL can lose the last commits on a power cut) and a
busy timeout. Opening a database whose stored revision is behind the head copies the file aside
and then migrates it inside one transaction with foreign keys off (batch migrations with foreign
keys on delete child rows: docs/engineering-notes.md); a database written by a newer version of the
app is refused and left untouched. When the schema is current, Alembic is not imported.

Before the engine touches a SQLite file, ``quick_check`` runs on a read-only connection (about
0.2 s on the large demo database, 18-21 s at sixteen times that when the file is not cached): a
damaged database raises ``DamagedDatabaseError`` and is never written to (not even switched to
WAL), so the newest good backup can be offered instead. The desktop app opens with
``defer_check`` instead (``core/soundness.py``): a file this app closed cleanly and that has not
changed since is not checked again, and any other is checked beside the window while every
write waits for the verdict. A failed upgrade is rolled back, leaves the original as it was and
says where the pre-upgrade copy is.

Everything SQLite-only (pragmas, file checks, copies) stays behind ``is_sqlite``: the file checks
in this module, the pragmas in ``core/engine.py``, the copies in ``core/copies.py``.

PostgreSQL (``postgresql+psycopg://user@host/database``) is the second backend, for a
trust that shares one database. The seam is small: no pragmas, no file checks and no copy before
an upgrade (backups there are the server's job, ``core/backup/`` says so), migrations without
batch mode. Server errors never carry values (the DETAIL of a unique violation names them, so it
is dropped, as ``hide_parameters`` drops the bound values), and a connection that fails or is lost
becomes one sentence: ``DatabaseOpenError`` on opening, ``ConnectionLostError`` from
``transaction`` (rolled back by the server, so nothing half saved).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from .copies import (  # noqa: F401 - also re-exported: callers import these from here
    PARTIAL_SUFFIX,
    CopyNotSoundError,
    copy_sqlite_file,
    fsync_file,
    fsync_folder,
    partial_copy_path,
    process_alive,
    remove_leftover_copies,
)
from .engine import (  # noqa: F401 - also re-exported: callers import these from here
    APP_DIR_NAME,
    BUSY_TIMEOUT_MS,
    CONNECT_TIMEOUT_S,
    DATABASE_FILENAME,
    NUL_REPLACEMENT,
    default_data_dir,
    default_database_path,
    describe_url,
    is_access_denied,
    is_connection_error,
    is_default_data_dir,
    make_engine,
    resolve_url,
    sqlite_path,
)
from .errors import (
    ACCESS_DENIED_SAVING,
    AccessDeniedError,
    ConnectionLostError,
    DatabaseOpenError,
)
from .lock import DatabaseLock
from .migrations import HEAD, REVISIONS, SCRIPT_LOCATION
from .soundness import (
    SoundnessCheck,
    closed_cleanly,
    forget_clean_close,
    not_damage,
    record_clean_close,
    run_quick_check,
)
from .storage import connect_read_only, explain, is_damage

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    #: What a read-only query function takes: an ORM session, or a Core connection
    #: (``Database.reading``) where only Core tables are read.
    Reader: TypeAlias = Session | Connection

SQLITE_HEADER = b"SQLite format 3\x00"
#: The PostgreSQL advisory lock held while migrating (any fixed number unique to this app).
MIGRATION_LOCK = 0x1C_0D_2026


class DamagedDatabaseError(DatabaseOpenError):
    """The file is a SQLite database that fails ``quick_check`` (or cannot be read as one).

    ``path`` is the damaged file and ``detail`` what SQLite found; the file was not written to.
    """

    def __init__(self, path: Path, detail: str, *, saving: bool = False) -> None:
        self.path = path
        self.detail = detail
        #: Found while the database was open (the check beside the window), refusing a save.
        self.saving = saving
        what = (
            "nothing was saved to it"
            if saving
            else "it was not opened and nothing was written to it"
        )
        super().__init__(
            f"The database {path} is damaged, so {what} (the last good backup can be restored)."
        )


def quick_check(path: Path) -> list[str]:
    """SQLite's ``quick_check`` on a read-only connection: ``[]`` when sound, else the problems.

    Never writes to the file. A file SQLite cannot read at all gives one problem; a disk that
    cannot be read (busy, gone, no permission) raises its own sentence. Reads every page: never
    on the way to the window (``open_database``'s ``defer_check``).
    """
    return run_quick_check(path)


_not_damage = not_damage


@dataclass
class Database:
    """An open database: the engine, a session factory and where it lives."""

    engine: Engine
    url: URL
    path: Path | None
    _sessions: sessionmaker[Session] | None = None
    #: Opened read-only (``mode=ro``): nothing can be written, no lock is held.
    read_only: bool = False
    #: The one-writer lock held while this database is open for writing (``core.lock``).
    lock: DatabaseLock | None = None
    #: The damage check still to give its verdict (``defer_check``): every write waits for it.
    soundness: SoundnessCheck | None = None
    #: Known sound when opened (checked, or closed cleanly by this app and unchanged since): a
    #: clean close is then recorded by ``dispose`` (``core/soundness.py``).
    trusted: bool = False
    #: Called (on the writing thread) when a write is about to wait for ``soundness``, so the
    #: window can say why saving takes a moment.
    on_write_waits: Callable[[], None] | None = None
    #: SQLite said the file is damaged while it was open: never recorded as closed cleanly.
    damage_seen: bool = False

    @property
    def sessions(self) -> sessionmaker[Session]:
        """The session factory, made on first use: the ORM is imported and configured only
        when something needs it (Home and the monthly return read through ``reading``)."""
        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker

            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        return self._sessions

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def location(self) -> str:
        """Where the data is, in words a user can act on (a path, or the server, no password)."""
        if self.path is not None:
            return str(self.path)
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: everything inside commits together or not at all.

        A connection to a server that is lost on the way raises ``ConnectionLostError`` (one
        sentence); the server rolls back what it had, so nothing is half saved. A SQLite file
        whose disk is full, read-only, busy or gone raises ``storage.StorageError`` (one
        sentence, never SQL text); SQLite rolled the transaction back. A server that refuses
        the signed-in login (a privilege or a row-level security policy: ``core/access.py``)
        raises ``AccessDeniedError`` (one sentence; rolled back). Pitfall: when it
        is lost during the COMMIT itself the server may or may not have committed, and the
        sentence says so rather than promising either.
        """
        if self.read_only:
            raise DatabaseOpenError(
                f"{_describe(self.url, self.path)} was opened only for reading, so nothing can be "
                "saved to it."
            )
        self.wait_until_sound()
        committing = False
        try:
            with self.sessions.begin() as session:
                yield session
                committing = True
        except DBAPIError as exc:
            if exc.connection_invalidated or is_connection_error(exc):
                raise ConnectionLostError(during_commit=committing) from exc
            if is_access_denied(exc):
                raise AccessDeniedError(ACCESS_DENIED_SAVING) from exc
            if self.path is not None:
                reason = explain(exc, self.path)  # disk full, read-only, busy, gone...
                if reason is not None:
                    if reason.kind == "damaged":
                        self.damage_seen = True  # no record of a clean close, then
                    raise reason from exc
            raise

    def wait_until_sound(self) -> None:
        """Return once nothing stands in the way of writing: the damage check begun beside the
        window (``soundness``) has found the file sound. Raises ``DamagedDatabaseError`` (one
        sentence, ``saving`` set) when it found damage, and the sentence of a file that could
        not be read at all; nothing is written then. ``transaction`` calls this first."""
        check = self.soundness
        if check is None:
            return
        if not check.done and self.on_write_waits is not None:
            self.on_write_waits()
        problems = check.wait()
        if problems:
            assert self.path is not None
            raise DamagedDatabaseError(self.path, "; ".join(problems[:5]), saving=True)

    @property
    def known_sound(self) -> bool:
        """Checked and sound, or closed cleanly and unchanged since, with no damage found."""
        if self.damage_seen:
            return False
        check = self.soundness
        if check is not None:
            return check.problems == []
        return self.trusted

    def session(self) -> Session:
        """A session for reading; writes belong in ``transaction``."""
        return self.sessions()

    def reading(self) -> Connection:
        """A Core connection for reading (``with db.reading() as conn``), for code that selects
        from the tables of ``core.schema`` and never needs the ORM. Writes belong in
        ``transaction``."""
        return self.engine.connect()

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return _stored_revision(conn)

    def dispose(self) -> None:
        """Close every connection, then let go of the lock (the last connection to close
        checkpoints the WAL into the file first). A SQLite file open for writing that is
        ``known_sound`` gets its record of a clean close first (``soundness``), so the next
        opening need not read it all."""
        self.engine.dispose()
        if self.lock is not None:
            if self.path is not None and self.lock.held and self.known_sound:
                record_clean_close(self.path)
            self.lock.release()


def prepare_orm() -> None:
    """Import and configure the ORM classes now (about 0.15 s on a laptop).

    Start-up shows Home through Core queries and calls this just after the window appears, so
    the first page that edits something opens at once instead of paying for the ORM then.
    Calling it again costs nothing.
    """
    from sqlalchemy.orm import configure_mappers

    from . import models  # noqa: F401 - importing maps the classes

    configure_mappers()


def open_database(
    target: str | os.PathLike[str] | None = None,
    *,
    create: bool = True,
    check: bool = True,
    read_only: bool = False,
    private_copy: bool = False,
    defer_check: bool = False,
    clean_up: bool = True,
) -> Database:
    """Open (creating if allowed) and migrate the database named by ``target``.

    Raises ``DatabaseOpenError`` with one plain sentence when the target is not a database of this
    app, cannot be written, or was written by a newer version; the file is then left untouched.
    With ``check`` (the default) a SQLite file must also pass ``quick_check`` first, else
    ``DamagedDatabaseError`` (a ``DatabaseOpenError``) is raised and the file is left untouched.
    ``defer_check`` (the desktop app; with ``check``) reads no more than a few pages instead: a
    file this app closed cleanly and that has not changed since is trusted, any other gets a
    pending ``soundness`` check (started by ``soundness.start()``, or by the first write), and
    every write waits for its verdict (``Database.wait_until_sound``): a damaged file is still
    never written to. An older schema is checked before it is upgraded, whatever the mode.
    Opening for writing deletes the record of a clean close; ``dispose`` writes it again.

    A SQLite file opened for writing takes the one-writer lock (``core.lock``) first, held until
    ``dispose``: while another process (the window, or a command that writes) has it, this raises
    ``DatabaseInUse`` and nothing is opened. Once locked, what a killed restore or backup left
    behind is removed (``backup.remove_leftovers``), unless ``clean_up`` is False: the desktop
    app removes it itself once Home is shown (the lock is held as long as the window is open, so
    nothing can make more meanwhile). ``private_copy`` is only for a hidden copy
    nobody else can know of (a restore's file before it is swapped in): no lock, no cleaning up
    and no copy kept before an upgrade (the copy's source is the original).

    ``read_only`` (the commands that only read: ``export-return``, ``minutes``, ``standards
    export``) opens with SQLite's ``mode=ro`` and takes no lock, so it can run beside the
    window; a read-only connection never checkpoints or deletes the ``-wal``/``-shm`` the window
    is writing to. An older schema is first upgraded through a writing open (which does take
    the lock). ``create`` is ignored: there is nothing to read in a database that is not there.
    """
    url = resolve_url(target)
    path = sqlite_path(url)
    if read_only and path is not None:
        return _open_read_only(url, path, check=check)
    held: DatabaseLock | None = None
    if path is not None:
        _check_sqlite_file(path, create=create)
        if not private_copy:
            held = DatabaseLock(path)
            held.acquire()
    try:
        if path is not None and not private_copy:
            _make_files_private(path)
            if clean_up:
                from .backup import remove_leftovers

                remove_leftovers(path)
        return _open_for_writing(
            url,
            path,
            check=check,
            held=held,
            keep_copy=not private_copy,
            defer_check=defer_check and check,
        )
    except BaseException:
        if held is not None:
            held.release()
        raise


def _open_for_writing(
    url: URL,
    path: Path | None,
    *,
    check: bool,
    held: DatabaseLock | None,
    keep_copy: bool,
    defer_check: bool = False,
) -> Database:
    trusted = check
    pending: SoundnessCheck | None = None
    if path is not None and path.exists() and path.stat().st_size > 0:
        if check and defer_check and not closed_cleanly(path):
            pending, trusted = SoundnessCheck(path), False
        elif check and not defer_check:
            _refuse_damaged(path, quick_check(path))
        elif not check:
            trusted = False
    if path is not None and keep_copy:
        forget_clean_close(path)  # open from here on: a crash leaves no record of a clean close
    # Read the stored revision before our engine touches the file: its connections switch the
    # journal to WAL, which would change a database we are about to refuse.
    revision = _read_sqlite_revision(path) if path is not None else None
    if revision != HEAD and pending is not None and path is not None:
        _refuse_damaged(path, pending.wait())  # an upgrade writes everywhere: check it first
        pending, trusted = None, True
    engine = make_engine(url)
    try:
        if path is None:
            revision = _read_revision(engine, path, url)
        if revision != HEAD and not _newer_but_writable(revision, url, path, engine):
            if path is None and revision is not None:
                _owner_must_upgrade(engine)
            copy: Path | None = None
            if revision is not None and path is not None and keep_copy:
                copy = copy_sqlite_file(path, _pre_migration_copy_path(path, revision))
            try:
                _migrate(engine)
            except DatabaseOpenError:
                raise
            except Exception as exc:
                kept = f"; a copy from before the upgrade is at {copy}" if copy else ""
                raise DatabaseOpenError(
                    f"{_describe(url, path)} could not be upgraded, so it was left as it was "
                    f"({type(exc).__name__}){kept}."
                ) from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(
        engine=engine, url=url, path=path, lock=held, soundness=pending, trusted=trusted
    )


def _refuse_damaged(path: Path, problems: list[str]) -> None:
    if problems:
        raise DamagedDatabaseError(path, "; ".join(problems[:5]))


def _owner_must_upgrade(engine: Engine) -> None:
    """On a server, only the tables' owner (or a superuser) can upgrade them: a person's own
    login (``core/access.py``) opening an older schema is told so in one sentence, and nothing
    is tried (docs/engineering-notes.md#access-on-a-trust-server)."""
    with engine.connect() as conn:
        may = conn.execute(
            text(
                "SELECT pg_has_role(current_user, t.tableowner, 'USAGE') OR r.rolsuper "
                "FROM pg_tables t, pg_roles r WHERE t.tablename = 'alembic_version' "
                "AND t.schemaname = current_schema() AND r.rolname = current_user"
            )
        ).scalar()
    if may is False:
        raise DatabaseOpenError(
            "The database on the server needs upgrading for this version of the app, which "
            "only its owner can do; ask whoever runs the server to open it once with this "
            "version, as the owner."
        )


def _make_files_private(path: Path) -> None:
    """The database, its ``-wal``/``-shm`` and lock 0600 and the app's own data folder 0700
    (``core.files``), repaired on every opening. A new database starts as an empty 0600 file,
    which SQLite takes as a new database and whose permissions it gives the ``-wal``/``-shm``."""
    from .files import make_private

    if not path.exists():
        with suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists():
            make_private(file)
    if is_default_data_dir(path.parent):
        make_private(path.parent, folder=True)


def _newer_but_writable(
    revision: str | None, url: URL, path: Path | None, engine: Engine | None
) -> bool:
    """False for a revision this app knows (or none); True for one a newer version wrote that
    records this app as new enough to write it (``core/compat.py``: opened, not migrated);
    else the database is refused, naming the version it needs and where to get it."""
    if revision is None or revision in REVISIONS:
        return False
    from . import compat

    if path is not None:
        needed = compat.recorded_in_file(path, revision)
    else:
        assert engine is not None
        with engine.connect() as conn:
            needed = compat.recorded(conn, revision)
    if compat.may_write(needed):
        return True
    raise DatabaseOpenError(compat.refusal(_describe(url, path), revision, needed))


def _open_read_only(url: URL, path: Path, *, check: bool) -> Database:
    if path.is_dir():
        raise DatabaseOpenError(f"{path} is a folder, not a database file.")
    if not path.is_file():
        raise DatabaseOpenError(f"There is no database at {path}.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseOpenError(f"{path} cannot be read ({exc.strerror}).") from exc
    if header != SQLITE_HEADER:
        raise DatabaseOpenError(f"{path} is not an Involvement Coordinator database.")
    if check:
        problems = quick_check(path)
        if problems:
            raise DamagedDatabaseError(path, "; ".join(problems[:5]))
    revision = _read_sqlite_revision(path)
    if revision is None:
        raise DatabaseOpenError(f"{path} holds no Involvement Coordinator data yet.")
    if revision != HEAD and not _newer_but_writable(revision, url, path, None):
        # An older schema: upgrade it once (taking the lock, after a copy), then read.
        open_database(path, create=False, check=False).dispose()
    engine = make_engine(url, read_only=True)
    return Database(engine=engine, url=url, path=path, read_only=True)


def _describe(url: URL, path: Path | None) -> str:
    return f"The database {path}" if path is not None else "The database on the server"


def _check_sqlite_file(path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise DatabaseOpenError(f"{path} is a folder, not a database file.")
    if path.exists():
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise DatabaseOpenError(f"{path} cannot be read ({exc.strerror}).") from exc
        if header and header != SQLITE_HEADER:
            raise DatabaseOpenError(f"{path} is not an Involvement Coordinator database.")
        if not os.access(path, os.W_OK):
            raise DatabaseOpenError(f"{path} is read-only; the app needs to be able to save to it.")
        if not os.access(path.parent, os.W_OK):
            raise DatabaseOpenError(
                f"The folder {path.parent} does not allow saving, which the database needs."
            )
        return
    if not create:
        raise DatabaseOpenError(f"There is no database at {path}.")
    parent = path.parent
    try:
        from .files import private_folder

        private_folder(parent)
    except OSError as exc:
        raise DatabaseOpenError(f"The folder {parent} cannot be created ({exc.strerror}).") from exc
    if not os.access(parent, os.W_OK):
        raise DatabaseOpenError(f"The folder {parent} does not allow saving; choose another place.")


def _read_revision(engine: Engine, path: Path | None, url: URL | None = None) -> str | None:
    """The stored Alembic revision, None for an empty database; refuse a foreign database."""
    try:
        with engine.connect() as conn:
            revision = _stored_revision(conn)
            if revision is None and inspect(conn).get_table_names():
                where = f"{path}" if path is not None else "The database"
                raise DatabaseOpenError(
                    f"{where} holds another program's tables, not Involvement Coordinator data."
                )
            return revision
    except DBAPIError as exc:
        raise DatabaseOpenError(_explain_dbapi_error(exc, path, url)) from exc


def _read_sqlite_revision(path: Path) -> str | None:
    """The stored revision of a SQLite file, read-only; None for a new or empty file."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        with closing(connect_read_only(path)) as conn:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                return None if row is None else str(row[0])
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise DamagedDatabaseError(path, str(exc)) from exc
        raise _not_damage(exc, path) from exc
    if tables:
        raise DatabaseOpenError(
            f"{path} holds another program's tables, not Involvement Coordinator data."
        )
    return None


def _stored_revision(conn: Any) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def _explain_dbapi_error(exc: DBAPIError, path: Path | None, url: URL | None = None) -> str:
    message = str(exc.orig) if exc.orig is not None else str(exc)
    if path is not None:
        if "file is not a database" in message or "malformed" in message:
            return f"{path} is not a sound Involvement Coordinator database ({message})."
        if "readonly" in message or "unable to open" in message:
            return f"{path} cannot be opened for saving ({message})."
        return f"{path} cannot be opened ({message})."
    return explain_server_error(message, url)


def explain_server_error(message: str, url: URL | None) -> str:
    """One sentence for a failure to reach or log in to a database server (no password shown):
    ``connection.explain_connection_error``, the one place that reads the driver's words."""
    from .connection import choice_from_url, explain_connection_error

    choice = choice_from_url(url if url is not None else make_url("postgresql://localhost"))
    return explain_connection_error(Exception(message), choice)


def _migrate(engine: Engine) -> None:
    """Upgrade to the head in one transaction; nothing is changed if any step fails."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    migration_engine = engine
    if engine.dialect.name == "sqlite":
        # A separate engine whose connections have foreign keys OFF: the pragma is a no-op inside
        # a transaction, and batch table rebuilds with it ON delete child rows.
        migration_engine = make_engine(engine.url, foreign_keys=False)
    try:
        with migration_engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Two laptops opening an old shared database at once: the second waits here,
                # then finds it at the head (READ COMMITTED) and Alembic has nothing to do.
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            from . import compat

            compat.record(conn, HEAD)  # the oldest app that may write it (no schema change)
            if conn.dialect.name == "sqlite":
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseOpenError(
                        "Upgrading the database would break links between records, so it was "
                        "left as it was; please send it to support."
                    )
    finally:
        if migration_engine is not engine:
            migration_engine.dispose()


def _pre_migration_copy_path(path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return path.parent / "backups" / f"{path.stem}-before-upgrade-from-{revision}-{stamp}.db"
