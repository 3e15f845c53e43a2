"""Whether a SQLite database is sound, without reading the whole file on the way to the window.

SQLite's ``quick_check`` reads every page: at sixteen times the large demo data (1.7 GB) it took
18 to 21 s when the file was not in the cache (docs/engineering-notes.md, "Whole-file reads
hide below 1x"). So the desktop app does not run it before its window:

- **A clean close is recorded.** When the app (or a command that writes) closes a database it
  knew to be sound, it writes ``<database>.closed`` beside it (``record_clean_close``): the
  file's identity, size and modification time (and its WAL's), nothing of its contents. Opening
  a database for writing deletes that record first (``forget_clean_close``), so a crash, a kill
  or a power cut leaves none behind.
- **At the next opening** (``closed_cleanly``) the record is compared with the file: present and
  matching means the file is as this app left it, sound, and it is not checked again. Missing
  (an unclean shutdown, or the first start of this version) or not matching (changed by another
  program, a sync tool, a file copied over it) means it must be checked.
- **The check runs beside the window** (``SoundnessCheck``): on a thread of its own with its own
  read-only connection, started once the window is up. Every write waits for its verdict
  (``Database.transaction``), so a damaged database is never written to; a damaged one is
  refused with ``DamagedDatabaseError``.

Pitfalls:
- The record holds nanosecond modification times, but a file system's clock ticks coarser
  (a few milliseconds on Linux): bytes changed within the same tick as the close, with the size
  unchanged, match. Damage comes from power cuts (no clean close), sync tools and copies (a new
  file: the inode differs) and failing disks; the last is caught by the daily backup, whose
  copy is page for page the database and is checked (``backup.make_backup``).
- A read-only connection (``export-return`` beside a closed app) may leave an empty ``-wal``:
  an empty WAL counts as none.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing, suppress
from datetime import UTC, datetime
from pathlib import Path

from .errors import DatabaseOpenError
from .storage import connect_read_only, explain, is_damage

#: Beside the database: ``coordinator.db.closed``.
CLEAN_CLOSE_SUFFIX = ".closed"


def run_quick_check(path: Path) -> list[str]:
    """``[]`` when sound, else SQLite's problems. A disk that cannot be read (busy, gone, no
    permission) is not damage: that raises its own sentence (``storage.explain``)."""
    try:
        with closing(connect_read_only(path)) as conn:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return [str(exc)]
        raise not_damage(exc, path) from exc
    return [] if rows == ["ok"] else rows


def not_damage(exc: BaseException, path: Path) -> DatabaseOpenError:
    """The sentence for a SQLite file that could not be read for a reason other than damage."""
    explained = explain(exc, path)
    if explained is not None:
        return DatabaseOpenError(str(explained))
    return DatabaseOpenError(f"{path} cannot be opened ({exc}).")


def fingerprint(path: Path) -> list[int]:
    """The file's inode, size and modification time, and its WAL's size and modification time.
    A missing WAL and an empty one are the same."""
    parts: list[int] = []
    st = path.stat()
    parts += [st.st_ino, st.st_size, st.st_mtime_ns]
    try:
        wal = Path(f"{path}-wal").stat()
        parts += [wal.st_size, wal.st_mtime_ns if wal.st_size else 0]
    except FileNotFoundError:
        parts += [0, 0]
    return parts


def clean_close_path(path: Path) -> Path:
    return path.with_name(path.name + CLEAN_CLOSE_SUFFIX)


def closed_cleanly(path: Path) -> bool:
    """True when the record of a clean close is beside ``path`` and the file is still as it was
    then. Reads two small files; never the database."""
    try:
        record = json.loads(clean_close_path(path).read_text(encoding="utf-8"))
        return bool(record.get("fingerprint") == fingerprint(path))
    except (OSError, ValueError, AttributeError):
        return False


def forget_clean_close(path: Path) -> None:
    """The database is open for writing from now on: no record of a clean close until it is
    closed again (call with its lock held, before anything is written)."""
    with suppress(FileNotFoundError):
        clean_close_path(path).unlink()


def record_clean_close(path: Path) -> None:
    """Write the record of a clean close (after the last connection has closed, the lock still
    held). Best effort: without it the next opening checks the file, which is only slower."""
    from .errors import CoordinatorError
    from .files import atomic_write

    record = {"fingerprint": fingerprint(path), "closed_at": datetime.now(UTC).isoformat()}
    text = json.dumps(record)
    with suppress(OSError, CoordinatorError):
        atomic_write(clean_close_path(path), lambda p: p.write_text(text, encoding="utf-8"))


class SoundnessCheck:
    """``quick_check`` of one database file on a thread of its own (own read-only connection).

    ``start()`` begins it (once); ``wait()`` starts it if need be and returns the problems
    (``[]``: sound), or raises the sentence of a file that could not be read at all. ``done``
    and ``problems`` (None while pending) can be read from any thread; ``when_done(fn)`` calls
    ``fn(problems)`` once the verdict is in: at once when it already is, else on the checking
    thread (a window must hand it to its own thread). A failure to read is reported as no
    verdict to ``when_done`` callers (``problems`` stays None) and raised by ``wait``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._started = False
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._problems: list[str] | None = None
        self._error: BaseException | None = None
        self._callbacks: list[Callable[[list[str] | None], None]] = []

    @classmethod
    def known(cls, path: Path, problems: list[str]) -> SoundnessCheck:
        """A verdict found another way (the copy of a backup did not check out, and then the
        database's own ``quick_check`` found ``problems``): done, nothing more to read."""
        check = cls(path)
        check._started = True
        check._problems = list(problems)
        check._done.set()
        return check

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._run, name="quick-check", daemon=True).start()

    def _run(self) -> None:
        try:
            self._problems = run_quick_check(self.path)
        except BaseException as exc:  # handed to whoever waits for the verdict
            self._error = exc
        with self._lock:
            self._done.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(self._problems)

    @property
    def started(self) -> bool:
        return self._started

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def problems(self) -> list[str] | None:
        """SQLite's problems once done (``[]``: sound); None while pending or unreadable."""
        return self._problems if self._done.is_set() else None

    def wait(self, timeout: float | None = None) -> list[str]:
        """The verdict, waiting for it (starting the check first if nothing has). Raises
        ``DatabaseOpenError`` when the file could not be read, ``TimeoutError`` after
        ``timeout`` seconds without a verdict."""
        self.start()
        if not self._done.wait(timeout):
            raise TimeoutError(f"the check of {self.path} has not finished")
        if self._error is not None:
            if isinstance(self._error, DatabaseOpenError):
                raise self._error
            raise DatabaseOpenError(f"{self.path} cannot be checked ({self._error}).")
        assert self._problems is not None
        return self._problems

    def when_done(self, fn: Callable[[list[str] | None], None]) -> None:
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(fn)
                return
        fn(self._problems)


def is_empty_file(path: Path) -> bool:
    """A file SQLite takes as a new database (nothing in it to check)."""
    try:
        return os.stat(path).st_size == 0
    except FileNotFoundError:
        return True
