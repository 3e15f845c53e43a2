"""Checking, backing up and restoring a database (SQLite files only).

- ``check_database``: soundness, schema revision and counts, read-only.
- ``make_backup``: an online copy (SQLite backup API, so it works while the app is writing),
  checked and renamed into place; by default into the rotation folder (the ``backups_folder``
  setting, else ``backups`` beside the database) named ``<stem>-YYYY-MM-DD_HHMMSS.db`` in local
  time, then the folder is pruned to the newest backup of each of the last 7 days, 4 ISO weeks
  and 12 months, and, given a ``limit_bytes``, the oldest of those until they fit in it (the
  newest is always kept). Only files with that exact name pattern are ever deleted: copies kept
  before an upgrade or a restore, and ``-o`` backups, are never pruned. The copy is checked with
  ``quick_check`` (one pass over its pages), and with the full ``integrity_check`` (which also
  compares every index with its table, and grows faster than the file) when the database's last
  full check is more than ``FULL_CHECK_EVERY`` old: the copy is the database page for page, so
  checking it checks the database as it was. A copy that does not check out raises
  ``BackupNotSoundError``: the database itself is then suspect (the app checks it).
- ``restore_backup``: verifies the offered file first (a SQLite file, an Involvement Coordinator
  schema revision this app knows, every table of that revision, ``integrity_check``), keeps the
  current database aside (a consistent copy in the backups folder; a damaged file is MOVED aside
  beside the database, with its ``-wal``, untouched for recovery), removes the old ``-wal``/``-shm``
  (a stale WAL would be replayed into the restored file) and renames the restored copy into place.
  The app must have closed its own ``Database`` on that file first.
- **Anonymisation sticks across a restore.** Before the swap, the erasure records (``erasures``:
  a participant's id and the date, no personal data) of the database being replaced and of
  every backup and kept copy beside it are read, and everyone they name who is not anonymised
  in the restored copy is anonymised again in it, in the same transaction as the restore's
  audit record (``anonymise.reapply_erasures``); ``RestoreResult.erasures_note`` says so.
- **Retention.** Backups older than the trust's retention period (``backup_retention_months``,
  12 unless the backups dialog says otherwise) are deleted after each rotation backup
  (``prune_expired``): rotation backups, copies kept before an upgrade or a restore, and
  damaged files moved aside. Backups written elsewhere with ``-o`` are the user's own and are
  never touched.

On a server database (PostgreSQL) backups are the server's job: ``make_backup`` and
``restore_backup`` say so in one sentence (``ServerBackupError``), and ``check_database`` reports
the schema revision and counts and says that integrity checks are the server's too.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import URL

from .db import (
    SQLITE_HEADER,
    CopyNotSoundError,
    Database,
    copy_sqlite_file,
    explain_server_error,
    fsync_file,
    fsync_folder,
    make_engine,
    quick_check,
    remove_leftover_copies,
    resolve_url,
    sqlite_path,
)
from .errors import (  # noqa: F401 - SERVER_SENTENCE and ServerBackupError are used from here
    SERVER_SENTENCE,
    CoordinatorError,
    DatabaseOpenError,
    ServerBackupError,
)
from .files import make_private, private_folder
from .lock import DatabaseLock, in_use
from .migrations import HEAD, REVISIONS
from .storage import StorageError, connect_read_only, explain, is_damage, on_read_only_disk

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


# --- Backups ---------------------------------------------------------------------------------

#: How old the last backup may be before the app makes one on opening.
BACKUP_MAX_AGE = timedelta(days=1)
#: How often a backup's copy gets the full ``integrity_check`` rather than ``quick_check``.
FULL_CHECK_EVERY = timedelta(days=7)
#: Where the time of the last full check is kept, in the backups folder (no records in it).
FULL_CHECK_RECORD = ".{stem}.full-check"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
DEFAULT_BACKUPS_FOLDER_NAME = "backups"
_STAMP_FORMAT = "%Y-%m-%d_%H%M%S"
_STAMP_RE = r"(\d{4}-\d{2}-\d{2}_\d{6})(?:-(\d+))?"

#: Tables every released schema revision has; a backup must hold all of its revision's tables.
SCHEMA_TABLES: dict[str, frozenset[str]] = {
    "0001": frozenset(
        {
            "action_updates", "actions", "agenda_items", "alembic_version", "assessments",
            "attendances", "audit_log", "evidence_files", "experience_items", "forums",
            "improvement_projects", "involvement_payments", "localities", "meetings",
            "participants", "poll_answers", "polls", "project_links", "project_participants",
            "standard_checks", "standards", "standards_frameworks", "strategic_priorities",
            "trust_settings", "unnamed_attendances",
        }
    ),
}  # fmt: skip
SCHEMA_TABLES["0002"] = SCHEMA_TABLES["0001"]  # 0002 added indexes only
SCHEMA_TABLES["0003"] = SCHEMA_TABLES["0002"] | {"drafts"}
SCHEMA_TABLES["0004"] = SCHEMA_TABLES["0003"] | {"erasures"}
SCHEMA_TABLES["0005"] = SCHEMA_TABLES["0004"] | {"access_logins", "access_localities"}
SCHEMA_TABLES["0006"] = SCHEMA_TABLES["0005"]  # 0006 added columns only
SCHEMA_TABLES["0007"] = SCHEMA_TABLES["0006"]  # 0007 added indexes only


class BackupNotSoundError(CoordinatorError):
    """The backup's copy did not check out: nothing was replaced, and since the copy is the
    database page for page, the database itself should be checked (``quick_check``)."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup in the rotation folder. ``taken_at`` is naive local time (from the name)."""

    path: Path
    taken_at: datetime
    size: int


@dataclass(frozen=True)
class BackupCheck:
    """What ``verify_backup`` found in a sound backup file."""

    path: Path
    revision: str
    counts: dict[str, int]


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    restored_from: Path
    #: Where the database that was replaced now is (None when there was none).
    kept_aside: Path | None
    #: True when the replaced database was damaged (moved aside as it was, not copied).
    replaced_was_damaged: bool
    revision: str
    counts: dict[str, int]
    #: People anonymised after the backup was taken, anonymised again in the restored copy.
    reanonymised: int = 0

    @property
    def erasures_note(self) -> str:
        """The sentence the app and the command line add after a restore ("" when nobody had
        to be anonymised again)."""
        if not self.reanonymised:
            return ""
        who = "1 person" if self.reanonymised == 1 else f"{self.reanonymised} people"
        was = "was" if self.reanonymised == 1 else "were"
        return (
            f"{who} anonymised since this backup was taken {was} anonymised again in the "
            "restored database."
        )


Target = Database | str | os.PathLike[str] | None


def database_file(db_or_target: Target) -> Path:
    """The SQLite file behind a ``Database``, a path or a URL; ``ServerBackupError`` otherwise."""
    if isinstance(db_or_target, Database):
        path = db_or_target.path
    else:
        path = sqlite_path(resolve_url(db_or_target))
    if path is None:
        raise ServerBackupError()
    return path


def backups_folder_setting(path: Path) -> str:
    """The ``backups_folder`` setting stored in the database at ``path``, read-only; "" when
    unset or unreadable (a damaged database still gets its default folder)."""
    if not path.is_file():
        return ""
    try:
        with closing(connect_read_only(path)) as conn:
            row = conn.execute("SELECT backups_folder FROM trust_settings LIMIT 1").fetchone()
    except sqlite3.Error:
        return ""
    return str(row[0] or "").strip() if row else ""


def backups_folder(db_or_target: Target, setting: str | None = None) -> Path:
    """Where the rotation backups of this database go: the setting (``~`` allowed; a relative
    folder is taken beside the database), else the folder IT presets (``core/policy.py``), else
    ``backups`` beside the database."""
    path = database_file(db_or_target)
    chosen = backups_folder_setting(path) if setting is None else setting.strip()
    if not chosen:
        from .policy import load

        chosen = load().backups_folder
    if not chosen:
        return path.parent / DEFAULT_BACKUPS_FOLDER_NAME
    folder = Path(chosen).expanduser()
    return folder if folder.is_absolute() else path.parent / folder


def backup_name(stem: str, when: datetime) -> str:
    return f"{stem}-{when.strftime(_STAMP_FORMAT)}.db"


def list_backups(folder: Path, stem: str) -> list[BackupInfo]:
    """The rotation backups of database ``stem`` in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    pattern = re.compile(rf"^{re.escape(stem)}-{_STAMP_RE}\.db$")
    found: list[tuple[datetime, int, BackupInfo]] = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if not match or not entry.is_file():
            continue
        try:
            when = datetime.strptime(match.group(1), _STAMP_FORMAT)
        except ValueError:
            continue
        serial = int(match.group(2) or 0)
        found.append((when, serial, BackupInfo(entry, when, entry.stat().st_size)))
    found.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [info for _, _, info in found]


def last_backup(db_or_target: Target) -> BackupInfo | None:
    """The newest rotation backup of this database, or None."""
    path = database_file(db_or_target)
    backups = list_backups(backups_folder(path), path.stem)
    return backups[0] if backups else None


def backup_due(db_or_target: Target, now: datetime | None = None) -> bool:
    """True when there is no backup yet or the newest is more than a day old (server: False)."""
    try:
        newest = last_backup(db_or_target)
    except ServerBackupError:
        return False
    now = now or datetime.now()
    return newest is None or now - newest.taken_at > BACKUP_MAX_AGE


def make_backup(
    db_or_target: Target,
    target: str | os.PathLike[str] | None = None,
    *,
    now: datetime | None = None,
    rotate: bool = True,
    check: str = "auto",
    limit_bytes: int | None = None,
) -> Path:
    """Back the database up and return the backup's path.

    With ``target`` the backup is written there (replacing a file of that name only once the new
    copy has checked out); without, into the rotation folder, which is then pruned (``rotate``;
    and to ``limit_bytes`` when given, ``limit_backups``). Raises ``ServerBackupError`` for a
    server database and ``CoordinatorError`` (one sentence) if the database is missing or
    damaged: a damaged database never replaces a good backup (``BackupNotSoundError`` when the
    copy did not check out). ``check``: "auto" (``quick_check``, and ``integrity_check`` when
    the last full check is more than ``FULL_CHECK_EVERY`` old), "quick" or "full".
    """
    path = database_file(db_or_target)
    if not path.is_file():
        raise CoordinatorError(f"There is no database at {path} to back up.")
    if target is not None:
        destination = Path(target).expanduser().resolve()
        if destination == path.resolve():
            raise CoordinatorError("A backup cannot be written over the database itself.")
        if destination.is_dir():
            destination = destination / backup_name(path.stem, now or datetime.now())
    else:
        folder = backups_folder(path)
        when = (now or datetime.now()).replace(microsecond=0)
        destination = folder / backup_name(path.stem, when)
        serial = 1
        while destination.exists():
            serial += 1
            destination = folder / f"{backup_name(path.stem, when)[:-3]}-{serial}.db"
    try:
        private_folder(destination.parent)
        if destination.parent == path.parent / DEFAULT_BACKUPS_FOLDER_NAME:
            make_private(destination.parent, folder=True)  # the app's own: repaired too
    except OSError as exc:
        raise CoordinatorError(
            f"The backups folder {destination.parent} cannot be made ({exc.strerror})."
        ) from exc
    record = backups_folder(path) / FULL_CHECK_RECORD.format(stem=path.stem)
    full = check == "full" or (check == "auto" and full_check_due(record, now))
    try:
        copy_sqlite_file(path, destination, check="full" if full else "quick")
    except CopyNotSoundError as exc:
        raise BackupNotSoundError(
            f"The backup of {path} failed, so no backup was replaced ({exc})."
        ) from exc
    except DatabaseOpenError as exc:
        raise CoordinatorError(
            f"The backup of {path} failed, so no backup was replaced ({exc})."
        ) from exc
    except OSError as exc:
        raise CoordinatorError(
            f"The backup could not be written to {destination.parent} ({exc.strerror})."
        ) from exc
    if full:
        _note_full_check(record, now)
    if target is None and rotate:
        rotate_backups(destination.parent, path.stem, keep=destination)
        prune_expired(path, now=now)
        if limit_bytes is not None:
            limit_backups(destination.parent, path.stem, limit_bytes, keep=destination)
    return destination


def full_check_due(record: Path, now: datetime | None = None) -> bool:
    """True when the database's last full check (the time in ``record``) is more than
    ``FULL_CHECK_EVERY`` ago, or unknown."""
    try:
        when = datetime.fromisoformat(record.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return True
    return (now or datetime.now()) - when > FULL_CHECK_EVERY


def _note_full_check(record: Path, now: datetime | None) -> None:
    with suppress(OSError):
        private_folder(record.parent)
        record.write_text((now or datetime.now()).isoformat(timespec="seconds"), encoding="utf-8")


@dataclass(frozen=True)
class DiskUse:
    """What the rotation backups of one database take: how many, and their bytes."""

    count: int
    size: int


def backups_disk_use(folder: Path, stem: str) -> DiskUse:
    """The rotation backups of ``stem`` in ``folder``: their number and total size."""
    backups = list_backups(folder, stem)
    return DiskUse(len(backups), sum(info.size for info in backups))


def limit_backups(
    folder: Path, stem: str, limit_bytes: int, keep: Path | None = None
) -> list[Path]:
    """Delete the oldest rotation backups of ``stem`` until the rest fit in ``limit_bytes``;
    returns what was deleted. The newest (and ``keep``) are never deleted, even when alone they
    are over the limit; no other file is ever touched."""
    backups = list_backups(folder, stem)  # newest first
    total = sum(info.size for info in backups)
    removed: list[Path] = []
    for info in reversed(backups[1:]):
        if total <= limit_bytes:
            break
        if info.path == keep:
            continue
        with suppress(FileNotFoundError):
            info.path.unlink()
            removed.append(info.path)
        total -= info.size
    return removed


def backed_up_today(db_or_target: Target, now: datetime | None = None) -> bool:
    """True when the newest rotation backup was taken today (local time); False on a server."""
    try:
        newest = last_backup(db_or_target)
    except ServerBackupError:
        return False
    return newest is not None and newest.taken_at.date() == (now or datetime.now()).date()


def backups_to_keep(
    backups: list[BackupInfo],
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    monthly: int = KEEP_MONTHLY,
) -> set[Path]:
    """Grandfather-father-son: the newest backup of each of the ``daily`` latest days that have
    one, of the ``weekly`` latest ISO weeks and of the ``monthly`` latest months. ``backups`` is
    newest first (as ``list_backups`` gives)."""
    keep: set[Path] = set()
    periods: list[tuple[int, Callable[[date], object]]] = [
        (daily, lambda d: d),
        (weekly, lambda d: d.isocalendar()[:2]),
        (monthly, lambda d: (d.year, d.month)),
    ]
    for count, period in periods:
        seen: set[object] = set()
        for info in backups:
            key = period(info.taken_at.date())
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.add(key)
            keep.add(info.path)
    if backups:
        keep.add(backups[0].path)
    return keep


def rotate_backups(folder: Path, stem: str, keep: Path | None = None) -> list[Path]:
    """Delete the rotation backups of ``stem`` that ``backups_to_keep`` does not keep; returns
    what was deleted. Never touches any other file."""
    backups = list_backups(folder, stem)
    kept = backups_to_keep(backups)
    if keep is not None:
        kept.add(keep)
    removed = []
    for info in backups:
        if info.path not in kept:
            with suppress(FileNotFoundError):
                info.path.unlink()
                removed.append(info.path)
    return removed


def status_text(db_or_target: Target, now: datetime | None = None) -> str:
    """``describe_last_backup`` of the newest rotation backup; "" on a server (backups are its
    job)."""
    try:
        return describe_last_backup(last_backup(db_or_target), now)
    except ServerBackupError:
        return ""


def describe_last_backup(info: BackupInfo | None, now: datetime | None = None) -> str:
    """The status bar's words: "Last backup: today at 14:05", "... yesterday at 09:12",
    "... 3 days ago (19/11/2026)" or "No backup yet"."""
    if info is None:
        return "No backup yet"
    now = now or datetime.now()
    when = info.taken_at
    days = (now.date() - when.date()).days
    if days <= 0:
        return f"Last backup: today at {when:%H:%M}"
    if days == 1:
        return f"Last backup: yesterday at {when:%H:%M}"
    return f"Last backup: {days} days ago ({when:%d/%m/%Y})"


# --- Verifying and restoring ------------------------------------------------------------------


def verify_backup(file: str | os.PathLike[str]) -> BackupCheck:
    """Check that ``file`` is a sound backup this app can restore, without changing it.

    Raises ``CoordinatorError`` (one sentence naming the file and the reason) for anything else:
    a missing file, a folder, a file that is not a database, another program's database, a
    schema from a newer version or one missing tables, or a damaged database.
    """
    path = Path(file).expanduser()
    if not path.exists():
        raise CoordinatorError(f"There is no file at {path}.")
    if path.is_dir():
        raise CoordinatorError(f"{path} is a folder, not a backup file.")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise CoordinatorError(
                f"{path.name} is not an Involvement Coordinator backup: it is not a database file."
            )
    try:
        with closing(connect_read_only(path)) as conn:
            rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
            if rows != ["ok"]:
                raise CoordinatorError(
                    f"{path.name} is damaged ({rows[0]}), so it cannot be restored; "
                    "choose an older backup."
                )
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "alembic_version" not in tables:
                raise CoordinatorError(
                    f"{path.name} is another program's database, not an Involvement Coordinator "
                    "backup."
                )
            found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(found[0]) if found else ""
            if revision not in REVISIONS:
                raise CoordinatorError(
                    f"{path.name} was made by a newer version of Involvement Coordinator "
                    f"(schema {revision or 'unknown'}); install the latest version to restore it."
                )
            missing = SCHEMA_TABLES.get(revision, frozenset()) - tables
            if missing:
                raise CoordinatorError(
                    f"{path.name} is incomplete (it has no {sorted(missing)[0]} table), so it "
                    "cannot be restored."
                )
            counts = {
                t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
                for t in COUNTED_TABLES
                if t in tables
            }
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            reason = explain(exc, path)
            raise CoordinatorError(
                f"{path.name} could not be read, so nothing was restored"
                + (f": {reason}" if reason is not None else f" ({exc}).")
            ) from exc
        raise CoordinatorError(
            f"{path.name} is damaged ({exc}), so it cannot be restored; choose an older backup."
        ) from exc
    return BackupCheck(path, revision, counts)


def newest_good_backup(db_or_target: Target) -> BackupInfo | None:
    """The newest rotation backup that passes ``verify_backup`` (each is checked, newest first,
    so this can take a while on a large database: call it off the GUI thread)."""
    path = database_file(db_or_target)
    for info in list_backups(backups_folder(path), path.stem):
        try:
            verify_backup(info.path)
        except CoordinatorError:
            continue
        return info
    return None


def database_in_use(path: Path) -> str | None:
    """A sentence when another process (the window, or a command that writes) holds the lock of
    ``path`` (``core.lock``), else None. This process's own hold does not count (the app
    restores after closing its own engine), nor a lock whose process has ended."""
    refusal = in_use(path)
    return None if refusal is None else str(refusal)


RESTORING_SUFFIX = ".restoring"


def restoring_path(path: Path) -> Path:
    """Where ``restore_backup`` prepares the restored copy, beside the database."""
    return path.with_name(f".{path.name}{RESTORING_SUFFIX}")


def remove_leftovers(path: Path) -> list[Path]:
    """Delete what a killed restore, backup or upgrade left behind for the database ``path``:
    the restore's copy beside it and half-made copies there and in its backups folder. Only
    called with the database's lock held (no restore of it can be under way); returns what
    was deleted."""
    removed: list[Path] = []
    prepared = restoring_path(path)
    for leftover in (prepared, *_sidecars(prepared)):
        with suppress(OSError):
            leftover.unlink()
            removed.append(leftover)
    removed += remove_leftover_copies(path.parent)
    try:
        folder = backups_folder(path)
    except CoordinatorError:
        return removed
    if folder != path.parent:
        removed += remove_leftover_copies(folder)
    return removed


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def restore_backup(
    target_db_path: str | os.PathLike[str] | None,
    backup_file: str | os.PathLike[str],
    *,
    now: datetime | None = None,
) -> RestoreResult:
    """Replace the database at ``target_db_path`` with the backup ``backup_file``.

    Takes the database's lock for the whole restore: refused (``DatabaseInUse``, nothing
    changed) while the window or a command that writes holds it; the app restoring its own
    database already holds it. Order (each step safe if the next never happens):
    verify the backup; copy it beside the database under a hidden name, upgrade that copy to
    this app's schema and record the restore in its audit log, then check it; keep the current
    database aside (a sound one copied into the backups folder as
    ``<stem>-before-restore-<stamp>.db``; a damaged one moved beside itself as
    ``<stem>-damaged-<stamp>.db`` with its ``-wal``); delete the old ``-wal``/``-shm``; rename
    into place. The audit record is inside the file that is swapped in, so a restore that
    completed its swap always has it, however the process ends afterwards. A copy left by a
    restore killed before the swap is removed at the next opening (``remove_leftovers``).
    The caller must have closed its own ``Database`` on the file.
    """
    path = database_file(target_db_path)
    with DatabaseLock(path):
        return _restore_locked(path, backup_file, now=now)


def _restore_locked(
    path: Path, backup_file: str | os.PathLike[str], *, now: datetime | None
) -> RestoreResult:
    check = verify_backup(backup_file)
    source = check.path.resolve()
    if source == path.resolve():
        raise CoordinatorError("That file is the database itself; choose a backup to restore.")
    stamp = (now or datetime.now()).strftime(_STAMP_FORMAT)
    kept_aside: Path | None = None
    damaged = False
    private_folder(path.parent)
    prepared = restoring_path(path)
    erasures = known_erasures(path)
    try:
        copy_sqlite_file(source, prepared)
        reanonymised = _prepare_restored_copy(prepared, source.name, erasures)
    except (DatabaseOpenError, OSError) as exc:
        for leftover in (prepared, *_sidecars(prepared)):
            leftover.unlink(missing_ok=True)
        raise CoordinatorError(f"{source.name} could not be copied into place ({exc}).") from exc
    if path.exists():
        damaged = bool(quick_check(path))
        if damaged:
            kept_aside = path.with_name(f"{path.stem}-damaged-{stamp}.db")
            for sidecar, aside in zip(_sidecars(path), _sidecars(kept_aside), strict=True):
                if sidecar.exists() and not sidecar.name.endswith("-shm"):
                    shutil.copy2(sidecar, aside)
            os.replace(path, kept_aside)
        else:
            kept_aside = backups_folder(path) / f"{path.stem}-before-restore-{stamp}.db"
            try:
                copy_sqlite_file(path, kept_aside)
            except (DatabaseOpenError, OSError) as exc:
                prepared.unlink(missing_ok=True)
                raise CoordinatorError(
                    f"The current database could not be kept aside, so nothing was restored "
                    f"({exc})."
                ) from exc
    for sidecar in _sidecars(path):
        sidecar.unlink(missing_ok=True)
    os.replace(prepared, path)
    fsync_folder(path.parent)
    return RestoreResult(
        path, source, kept_aside, damaged, check.revision, check.counts, reanonymised
    )


def _prepare_restored_copy(
    prepared: Path, backup_name_: str, erasures: Iterable[tuple[uuid.UUID, datetime]] = ()
) -> int:
    """Upgrade the restored copy to this app's schema (no copy of it kept first: the backup
    itself is the original), record the restore in its audit log and anonymise again everyone
    ``erasures`` names (one transaction), leave it as one file with no ``-wal`` (checkpointed,
    journal back to DELETE) and check it once more. Returns how many were anonymised again."""
    from . import anonymise, audit
    from .db import open_database
    from .vocab import AuditOperation

    db = open_database(prepared, create=False, check=False, private_copy=True)
    try:
        with db.transaction() as session:
            audit.record(
                session, AuditOperation.RESTORE, "database", None, f"Restored from {backup_name_}"
            )
            again = anonymise.reapply_erasures(session, erasures)
    finally:
        db.dispose()
    with closing(sqlite3.connect(prepared)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
        ok = conn.execute("PRAGMA integrity_check").fetchone()
    for sidecar in _sidecars(prepared):
        sidecar.unlink(missing_ok=True)
    if ok is None or ok[0] != "ok":
        raise DatabaseOpenError("the restored copy did not check out as sound")
    fsync_file(prepared)
    return again


# --- Erasures and retention -------------------------------------------------------------------


def read_erasures(file: Path) -> list[tuple[uuid.UUID, datetime]]:
    """The erasure records of the SQLite file ``file``, read-only: [] when it has none, has no
    such table (a schema before 0004) or cannot be read (damaged, gone)."""
    try:
        with closing(connect_read_only(file)) as conn:
            rows = conn.execute("SELECT participant_id, erased_at FROM erasures").fetchall()
    except (sqlite3.Error, StorageError, OSError):
        return []
    found = []
    for raw_id, raw_when in rows:
        try:
            participant_id = (
                uuid.UUID(bytes=raw_id) if isinstance(raw_id, bytes) else uuid.UUID(str(raw_id))
            )
            when = raw_when if isinstance(raw_when, datetime) else datetime.fromisoformat(raw_when)
        except (TypeError, ValueError):
            continue
        found.append((participant_id, when.replace(tzinfo=UTC)))
    return found


def kept_copies(path: Path) -> list[Path]:
    """Every copy of the database ``path`` the app keeps: rotation backups, copies kept before
    an upgrade or a restore (in the backups folder) and damaged files moved aside (beside it)."""
    stem = re.escape(path.stem)
    pattern = re.compile(rf"^{stem}-.+\.db$")
    folders = [path.parent]
    with suppress(CoordinatorError):
        folders.insert(0, backups_folder(path))
    found: list[Path] = []
    for folder in dict.fromkeys(folders):
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if pattern.match(entry.name) and entry.is_file() and entry != path:
                found.append(entry)
    return sorted(found)


def known_erasures(path: Path) -> list[tuple[uuid.UUID, datetime]]:
    """Every erasure the database ``path`` and the copies kept beside it know of (what a
    restore of ``path`` applies again): a copy taken later than the backup being restored
    holds erasures the backup does not, and the database being replaced may be damaged."""
    found: dict[uuid.UUID, datetime] = {}
    for file in [path, *kept_copies(path)]:
        if file.is_file():
            for participant_id, when in read_erasures(file):
                found.setdefault(participant_id, when)
    return list(found.items())


DEFAULT_RETENTION_MONTHS = 12
MAX_RETENTION_MONTHS = 120
_UPGRADE_STAMP = re.compile(r"-before-upgrade-from-[^-]+-(\d{8}-\d{6})\.db$")
_LOCAL_STAMP = re.compile(r"-(?:before-restore-|damaged-)?(\d{4}-\d{2}-\d{2}_\d{6})(?:-\d+)?\.db$")


def retention_months_setting(path: Path) -> int:
    """The ``backup_retention_months`` setting of the database at ``path``, read-only; 12 when
    unset, unreadable or out of range (a damaged database still gets its retention)."""
    if not path.is_file():
        return DEFAULT_RETENTION_MONTHS
    try:
        with closing(connect_read_only(path)) as conn:
            row = conn.execute(
                "SELECT backup_retention_months FROM trust_settings LIMIT 1"
            ).fetchone()
    except (sqlite3.Error, StorageError):
        return DEFAULT_RETENTION_MONTHS
    value = row[0] if row else None
    if not isinstance(value, int) or not 1 <= value <= MAX_RETENTION_MONTHS:
        return DEFAULT_RETENTION_MONTHS
    return value


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment ``months`` calendar months earlier (the 31st becomes the month's last)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


def copy_taken_at(file: Path) -> datetime | None:
    """When a kept copy was taken, from its name (local time; a pre-upgrade copy's UTC stamp
    turned local), else None (a name the app did not give)."""
    if match := _UPGRADE_STAMP.search(file.name):
        when = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        return when.astimezone().replace(tzinfo=None)
    if match := _LOCAL_STAMP.search(file.name):
        return datetime.strptime(match.group(1), _STAMP_FORMAT)
    return None


def save_backup_settings(
    db: Database,
    *,
    folder: str | None = None,
    retention_months: int | None = None,
    now: datetime | None = None,
) -> list[Path]:
    """Save the backups folder and the retention period (``settings.save_settings``; refused
    with ``ValidationError`` outside 1 to 120 months); a retention given deletes at once the
    kept copies now older than it (``prune_expired``). Returns what was deleted."""
    from .settings import save_settings

    save_settings(db, backups_folder=folder, backup_retention_months=retention_months)
    if retention_months is None or db.path is None:
        return []
    return prune_expired(db, months=retention_months, now=now)


def prune_expired(
    db_or_target: Target, *, now: datetime | None = None, months: int | None = None
) -> list[Path]:
    """Delete every kept copy of the database (``kept_copies``) taken more than ``months``
    months (the setting by default) before ``now``, with its ``-wal``/``-shm``; returns what
    was deleted. Files whose names the app did not give are never touched."""
    path = database_file(db_or_target)
    months = retention_months_setting(path) if months is None else months
    cutoff = months_before(now or datetime.now(), months)
    removed: list[Path] = []
    for file in kept_copies(path):
        taken = copy_taken_at(file)
        if taken is None or taken >= cutoff:
            continue
        for leftover in (file, *_sidecars(file)):
            with suppress(FileNotFoundError):
                leftover.unlink()
                removed.append(leftover)
    return removed
