"""What went wrong with the disk, in words a coordinator can act on.

SQLite reports a full disk, a read-only file or folder, a file held by another program, a
vanished USB stick or network folder and a refused permission as ``OperationalError`` with a
code; shown as they are they read "(sqlite3.OperationalError) database or disk is full [SQL:
INSERT INTO participants (name, ..., email, phone ...)]": program text that names the columns
of people's records. ``explain`` turns each into one sentence on what happened and what to do
(``StorageError``); the transaction it happened in was rolled back, so nothing is half
written. Damage is told apart (``is_damage``): only SQLite's "corrupt" and "not a database" mean
the file itself is bad.

``connect_read_only`` opens a SQLite file for reading even on a read-only disk (a CD, a locked
USB stick, a read-only network folder), where SQLite cannot make the ``-shm`` a WAL database
needs: it then reads the file as immutable, which is sound because nothing can write there,
unless a ``-wal`` with changes not yet in the file is beside it (reading without it would show
an older state, so that is said instead).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from contextlib import suppress
from pathlib import Path

from .errors import CoordinatorError

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_AUTH = 23
SQLITE_NOTADB = 26


class StorageError(CoordinatorError):
    """The disk or file refused: one sentence on what happened and what to do; nothing of the
    change it interrupted was saved. ``kind`` is "full", "read-only", "busy", "gone",
    "permission", "damaged" or "disk"."""

    def __init__(self, kind: str, sentence: str) -> None:
        self.kind = kind
        super().__init__(sentence)


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    return None


def _sqlite_error(exc: BaseException) -> BaseException | None:
    """The ``sqlite3`` error inside ``exc`` (a SQLAlchemy ``DBAPIError`` wraps it), or None."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 5:
        if isinstance(current, sqlite3.Error):
            return current
        current = getattr(current, "orig", None) or current.__cause__
        seen += 1
    return None


def is_damage(exc: BaseException) -> bool:
    """True when SQLite says the file itself is bad (corrupt, or not a database)."""
    found = _sqlite_error(exc)
    if found is None:
        return False
    code = _code(found)
    if code is not None:
        return code in (SQLITE_CORRUPT, SQLITE_NOTADB)
    text = str(found).lower()
    return "malformed" in text or "not a database" in text


def explain(exc: BaseException, path: Path | None) -> StorageError | None:
    """One sentence for a disk or file problem behind ``exc`` (a sqlite3 error, a SQLAlchemy
    error wrapping one, or an ``OSError``), or None when it is not one. ``path`` is the
    database file (None on a server, where these do not arise)."""
    where = f"The database {path}" if path is not None else "The database"
    folder = f" ({path.parent})" if path is not None else ""
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        return _explain_os_error(exc, where, folder)
    found = _sqlite_error(exc)
    if found is None:
        return None
    code = _code(found)
    text = str(found).lower()
    if code == SQLITE_FULL or "disk is full" in text:
        return StorageError(
            "full",
            f"The disk that holds the database{folder} is full, so nothing of this change was "
            "saved; free some space on it and try again.",
        )
    if code == SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return StorageError(
            "read-only",
            f"{where} cannot be saved to because the file or its folder is read-only, so "
            "nothing of this change was saved; move the database to a folder you can save in "
            "(or ask IT to allow saving there).",
        )
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or "locked" in text or "busy" in text:
        return StorageError(
            "busy",
            f"{where} is in use by another program (a backup or sync tool, a virus checker, or "
            "the app on another computer), so nothing of this change was saved; wait a moment "
            "and try again.",
        )
    if code in (SQLITE_PERM, SQLITE_AUTH) or "permission" in text:
        return StorageError(
            "permission",
            f"{where} may not be opened by your user account, so nothing of this change was "
            "saved; ask IT to give you access to it.",
        )
    if code == SQLITE_CANTOPEN or "unable to open" in text:
        return StorageError(
            "gone",
            f"{where} cannot be reached: its folder may be on a USB stick or network folder "
            "that is no longer there. Nothing of this change was saved; reconnect it and try "
            "again.",
        )
    if code == SQLITE_IOERR or "disk i/o" in text:
        return StorageError(
            "disk",
            f"The disk that holds the database{folder} could not be read or written (a USB "
            "stick or network folder removed?), so nothing of this change was saved; check it "
            "and try again.",
        )
    if is_damage(found):
        return StorageError(
            "damaged",
            f"{where} is damaged, so nothing of this change was saved; close the app and open "
            "it again to restore the last good backup.",
        )
    return None


def _explain_os_error(exc: OSError, where: str, folder: str) -> StorageError | None:
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return StorageError(
            "full",
            f"The disk{folder} is full, so nothing was saved; free some space and try again.",
        )
    if code == errno.EROFS:
        return StorageError(
            "read-only",
            f"The disk{folder} is read-only, so nothing was saved; choose a folder you can save "
            "in.",
        )
    if code in (errno.EACCES, errno.EPERM):
        name = exc.filename or where
        return StorageError(
            "permission",
            f"{name} may not be written by your user account, so nothing was saved; choose "
            "another place or ask IT.",
        )
    if code in (errno.ENOENT, errno.ENOTDIR, getattr(errno, "ENODEV", -1), errno.EIO):
        name = exc.filename or where
        return StorageError(
            "gone",
            f"{name} cannot be reached (a USB stick or network folder removed?), so nothing "
            "was saved; reconnect it and try again.",
        )
    return None


def _uri(path: Path, *, immutable: bool = False) -> str:
    """A read-only URI for ``path``: resolved first (a relative path cannot be a file URI),
    ``as_uri`` escaping ``?`` and ``#`` in folder names."""
    mode = "immutable=1" if immutable else "mode=ro"
    return f"{path.resolve().as_uri()}?{mode}"


def has_unsaved_wal(path: Path) -> bool:
    """True when a non-empty ``-wal`` sits beside ``path`` (changes not yet in the file)."""
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def on_read_only_disk(path: Path) -> bool:
    """True when ``path``'s folder is on a disk that does not allow writing (even for an
    administrator: the file system itself refuses)."""
    folder = path.parent
    if hasattr(os, "statvfs"):
        with suppress(OSError):
            return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    return not os.access(folder, os.W_OK)


def connect_read_only(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """A read-only connection to the SQLite file ``path`` (``mode=ro``): it can never write,
    checkpoint, or delete the ``-wal``/``-shm`` of a window writing to the same file.

    On a read-only disk, where SQLite cannot make the ``-shm`` it needs, the file is read as
    immutable instead, unless a ``-wal`` with unsaved changes is beside it: then a
    ``StorageError`` says so (reading without it would show an older state)."""
    from .db import BUSY_TIMEOUT_MS

    timeout = BUSY_TIMEOUT_MS / 1000
    conn = sqlite3.connect(
        _uri(path), uri=True, timeout=timeout, check_same_thread=check_same_thread
    )
    try:
        conn.execute("PRAGMA schema_version").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        if _code(exc) not in (SQLITE_CANTOPEN, SQLITE_READONLY) or not on_read_only_disk(path):
            raise
        if has_unsaved_wal(path):
            raise StorageError(
                "read-only",
                f"The database {path} is on a read-only disk with changes not yet written into "
                "the file, so it cannot be read as it is; copy the folder to this computer "
                "and open the copy.",
            ) from exc
    return sqlite3.connect(
        _uri(path, immutable=True), uri=True, timeout=timeout, check_same_thread=check_same_thread
    )
