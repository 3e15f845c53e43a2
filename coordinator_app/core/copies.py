"""Copies of a SQLite file: ``copy_sqlite_file`` copies a live database consistently (SQLite's
online backup), checks the copy and renames it into place, so a target is never half written;
``fsync_file`` and ``fsync_folder`` flush to the disk; ``remove_leftover_copies`` deletes the
half-made copies a killed process left behind. Backups, restores and the copy kept before an
upgrade all go through here. Callers import these from ``core.db``, which re-exports them.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing, suppress
from pathlib import Path

from .engine import BUSY_TIMEOUT_MS
from .errors import DatabaseOpenError
from .storage import connect_read_only, explain, is_damage

PARTIAL_SUFFIX = ".partial"


def partial_copy_path(target: Path) -> Path:
    """Where a copy for ``target`` is written before it is renamed into place: hidden, and named
    with this process's id so that a leftover of a killed copy can be told from one under way
    (``remove_leftover_copies``)."""
    return target.with_name(f".{target.name}.{os.getpid()}{PARTIAL_SUFFIX}")


def remove_leftover_copies(folder: Path) -> list[Path]:
    """Delete the half-made copies a killed backup, upgrade or restore left in ``folder``
    (``.NAME.PID.partial`` whose process is gone, and the unnamed ones older versions made);
    returns what was deleted. Never touches any other file, nor a copy still being made."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        for sidecar in ("-journal", "-wal", "-shm"):  # SQLite's files beside a copy
            name = name.removesuffix(sidecar)
        if not (name.startswith(".") and name.endswith(PARTIAL_SUFFIX)):
            continue
        stem = name[: -len(PARTIAL_SUFFIX)]
        pid_text = stem.rsplit(".", 1)[-1]
        if pid_text.isdigit() and process_alive(int(pid_text)):
            continue
        with suppress(OSError):
            entry.unlink()
            removed.append(entry)
    return removed


def process_alive(pid: int) -> bool:
    """True when process ``pid`` is running on this computer."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class CopyNotSoundError(DatabaseOpenError):
    """The copy did not check out as sound: the pages copied from the source are bad, so the
    source itself is probably damaged (the online backup copies its pages as they are)."""


def copy_sqlite_file(source: Path, target: Path, *, check: str = "full") -> Path:
    """Copy a live SQLite database consistently (online backup API), then move it into place.

    The copy is written beside the target under a temporary name, checked (``check`` "full":
    ``integrity_check``, which also compares every index with its table and grows faster than
    the file; "quick": ``quick_check``, one pass over the pages), flushed to disk and renamed,
    so the target is never half-written and a copy that does not check out never replaces
    anything (``CopyNotSoundError``). The source is opened read-only (a missing source is an
    error, not a new empty database); its WAL content is included.
    """
    if check not in ("full", "quick"):
        raise ValueError(f"check is 'full' or 'quick', not {check!r}")
    pragma = "PRAGMA integrity_check" if check == "full" else "PRAGMA quick_check"
    if not source.is_file():
        raise DatabaseOpenError(f"There is no database at {source}.")
    from .files import private_folder

    private_folder(target.parent)
    partial = partial_copy_path(target)
    with suppress(FileNotFoundError):
        partial.unlink()
    # Private from the first byte (0600): the copy holds everyone's records.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        with (
            closing(connect_read_only(source)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            ok = dst.execute(pragma).fetchone()
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        reason = explain(exc, target)
        if reason is not None and reason.kind != "damaged":
            raise DatabaseOpenError(
                f"{source} could not be copied to {target.parent}: {reason}"
            ) from exc
        if is_damage(exc):
            raise CopyNotSoundError(f"{source} could not be copied ({exc}).") from exc
        raise DatabaseOpenError(f"{source} could not be copied ({exc}).") from exc
    if ok is None or ok[0] != "ok":
        partial.unlink(missing_ok=True)
        raise CopyNotSoundError(f"The copy of {source} did not check out as sound.")
    fsync_file(partial)
    os.replace(partial, target)
    fsync_folder(target.parent)
    return target


def fsync_file(path: Path) -> None:
    """Flush a written file to the disk (a rename alone may reach the disk before the data)."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (the rename) to the disk where the platform allows it."""
    if os.name == "nt":  # folders cannot be opened for fsync on Windows
        return
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
