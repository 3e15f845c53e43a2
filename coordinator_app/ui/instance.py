"""One app per database: a ``QLockFile`` beside the database file (``coordinator.db.lock``).

The first copy of the app to open a database holds the lock until it closes; a second copy is
refused (``DatabaseInUse``, a sentence naming the process and computer that hold it) and does not
open the database at all. A lock left behind by a copy that crashed or was killed is taken over:
``setStaleLockTime(0)`` means "stale only when its process is gone", which QLockFile checks by
the process id and host name written in the lock (docs/engineering-notes.md#one-app-per-database).
Pitfall: on a network share the lock cannot see another computer's processes, which is one
more reason to warn about network places (``core.places``).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QLockFile

from ..core.errors import CoordinatorError

TRY_LOCK_MS = 100


class DatabaseInUse(CoordinatorError):
    """Another running copy holds the database. ``pid`` and ``host`` say which (0/"" unknown)."""

    def __init__(self, path: Path, pid: int, host: str, app: str) -> None:
        self.path = path
        self.pid = pid
        self.host = host
        who = f"process {pid}" if pid else "another process"
        where = f" on {host}" if host else ""
        super().__init__(
            f"The database {path} is already open in another copy of Involvement Coordinator "
            f"({who}{where}); use that window, or close it and try again."
        )


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class DatabaseLock:
    """Hold the lock for ``database`` while the app has it open. Use ``acquire`` then
    ``release`` (or as a context manager). A server database (no file) needs no lock."""

    def __init__(self, database: Path | None) -> None:
        self.database = database
        self._lock: QLockFile | None = None
        if database is not None:
            self._lock = QLockFile(os.fspath(lock_path(database)))
            self._lock.setStaleLockTime(0)

    @property
    def held(self) -> bool:
        return self._lock is None or self._lock.isLocked()

    def acquire(self) -> None:
        """Take the lock (taking over one whose process has died); raise ``DatabaseInUse``."""
        if self._lock is None or self._lock.isLocked():
            return
        assert self.database is not None
        try:
            self.database.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CoordinatorError(
                f"The folder {self.database.parent} cannot be created ({exc.strerror}); "
                "choose another place for the database."
            ) from exc
        if self._lock.tryLock(TRY_LOCK_MS):
            return
        if self._lock.error() == QLockFile.LockError.LockFailedError:
            pid, host, app = holder(self._lock)
            raise DatabaseInUse(self.database, pid, host, app)
        raise CoordinatorError(
            f"The folder {self.database.parent} does not allow the app to mark the database "
            "as open; choose another place for it."
        )

    def release(self) -> None:
        if self._lock is not None and self._lock.isLocked():
            self._lock.unlock()

    def __enter__(self) -> DatabaseLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def holder(lock: QLockFile) -> tuple[int, str, str]:
    """(pid, host name, app name) of the lock's holder; PySide6 returns a tuple whose first item
    says whether the lock file could be read."""
    info = lock.getLockInfo()
    if isinstance(info, tuple) and len(info) == 4:
        ok, pid, host, app = info
        if ok:
            return int(pid), str(host), str(app)
    elif isinstance(info, tuple) and len(info) == 3:
        pid, host, app = info
        return int(pid), str(host), str(app)
    return 0, "", ""
