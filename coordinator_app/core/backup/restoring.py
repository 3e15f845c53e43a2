"""Verifying a backup (``verify_backup``) and restoring it (``restore_backup``, under the
database's lock): the current database kept aside, the restored copy upgraded, audited and
checked before it is renamed into place, and the erasures known beside it applied again; and
removing what a killed restore, backup or upgrade left behind (``remove_leftovers``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterable
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..db import (
    SQLITE_HEADER,
    copy_sqlite_file,
    fsync_file,
    fsync_folder,
    quick_check,
    remove_leftover_copies,
)
from ..errors import CoordinatorError, DatabaseOpenError
from ..files import private_folder
from ..lock import DatabaseLock, in_use
from ..migrations import REVISIONS
from ..storage import StorageError, connect_read_only, explain, is_damage
from .checking import COUNTED_TABLES
from .folder import (
    _STAMP_FORMAT,
    BackupInfo,
    Target,
    _sidecars,
    backups_folder,
    database_file,
    kept_copies,
    list_backups,
)

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
SCHEMA_TABLES["0008"] = SCHEMA_TABLES["0007"] | {"forum_members", "papers_sent", "staff"}
SCHEMA_TABLES["0009"] = SCHEMA_TABLES["0008"] | {
    "involvement_activities",
    "activity_participants",
    "payment_rates",
    "payment_expenses",
}
SCHEMA_TABLES["0010"] = SCHEMA_TABLES["0009"] | {
    "monitoring_characteristics", "monitoring_groups", "population_shares",
    "monitoring_records", "monitoring_answers", "monitoring_presence",
}  # fmt: skip
SCHEMA_TABLES["0011"] = SCHEMA_TABLES["0010"]
SCHEMA_TABLES["0012"] = SCHEMA_TABLES["0011"] | {
    "kept_returns", "board_targets", "board_highlights",
}  # fmt: skip
SCHEMA_TABLES["0013"] = SCHEMA_TABLES["0012"] | {"payment_receipts"}
SCHEMA_TABLES["0014"] = SCHEMA_TABLES["0013"] | {"papers_recipients"}


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


# --- Verifying ------------------------------------------------------------------------------


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


# --- Restoring ------------------------------------------------------------------------------


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
    from .. import anonymise, audit
    from ..db import open_database
    from ..vocab import AuditOperation

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


# --- Erasures -------------------------------------------------------------------------------


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
