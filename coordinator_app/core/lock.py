"""One writer per database file, in every process: the desktop app and every command that writes.

The lock is ``<database>.lock`` beside the database (``coordinator.db.lock``), held with
``flock`` on Linux and macOS and ``msvcrt.locking`` on Windows for as long as the database is
open for writing. It is not SQLite's own locking, on purpose: SQLite's locks on Linux and macOS
are POSIX advisory locks, which belong to the process and are all dropped when *any* descriptor
on the database file is closed, and Qt's file dialogs open the files of the folder they show
to sniff their type. A ``flock`` belongs to our own open file description of the lock file
alone: another descriptor on either file, opened and closed by anything in the process, cannot
release it. The kernel releases it when the process ends, however it ends, so a lock left by a
crash or ``kill -9`` never needs taking over.

- ``DatabaseLock(path).acquire()`` takes it or raises ``DatabaseInUse``: one sentence naming the
  program that holds it (the desktop app, or which command), its process, computer and since
  when. What the holder writes into the lock file is read for that sentence only.
- Within one process the lock is counted, not taken twice (two ``flock`` calls on two
  descriptors of one file would refuse each other even in one process): the app, its open
  ``Database`` and a restore it runs share the one lock.
- Releasing the last count deletes the lock file. Pitfall: deleting a file someone else may
  have just opened is a classic lock race; here a process that wins a lock checks that the
  file it locked is still the one at the path (same inode), and starts again if not.
- A server database (PostgreSQL) has no file and needs no lock: the server keeps writers apart.

Commands that only read open the database read-only (``open_database(read_only=True)``) and take
no lock: a read-only SQLite connection never checkpoints or deletes the ``-wal``/``-shm`` an open
window is writing to.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from .errors import CoordinatorError

LOCK_SUFFIX = ".lock"
#: Windows locks a byte range (and a locked range cannot be read by anyone else): lock one byte
#: far past the holder's details, so they stay readable for the "in use" sentence.
_WINDOWS_LOCK_OFFSET = 1 << 30
_HOLDER_MAX_BYTES = 4096

#: How this process describes itself in the lock file: "the desktop app" or the command.
_program = "Involvement Coordinator"


def describe_this_process(program: str) -> None:
    """Set what other processes are told holds the lock ("the desktop app", "the command
    'coordinator-app import'"). The command line and the app call this once at start."""
    global _program
    _program = program


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + LOCK_SUFFIX)


class Holder(NamedTuple):
    """Who holds a lock, as the holder wrote it (0 / "" when unknown)."""

    pid: int = 0
    host: str = ""
    program: str = ""
    since: str = ""


class DatabaseInUse(CoordinatorError):
    """Another process holds the database. ``pid``, ``host`` and ``program`` say which."""

    def __init__(self, path: Path, holder: Holder) -> None:
        self.path = path
        self.holder = holder
        self.pid = holder.pid
        self.host = holder.host
        who = f"process {holder.pid}" if holder.pid else "another process"
        if holder.host:
            who += f" on {holder.host}"
        if holder.since:
            who += f", since {holder.since}"
        if holder.program.startswith("the command"):
            sentence = (
                f"The database {path} is being changed by {holder.program} ({who}); wait for it "
                "to finish, then try again."
            )
        else:
            sentence = (
                f"The database {path} is already open in another copy of Involvement "
                f"Coordinator ({who}); use that window, or close it and try again."
            )
        super().__init__(sentence)


class _Held:
    """This process's hold on one lock file: its descriptor, and how many of this process's
    ``DatabaseLock``s share it (the file is unlocked with the last). A plain class, not a
    dataclass: it is defined on the way to Home (``tests/cli/test_start_dataclasses.py``)."""

    __slots__ = ("fd", "count")

    def __init__(self, fd: int, count: int) -> None:
        self.fd = fd
        self.count = count


_GUARD = threading.Lock()
_HELD: dict[Path, _Held] = {}


def held_here(database: Path) -> bool:
    """True when this process holds the lock of ``database``."""
    with _GUARD:
        return _key(lock_path(database)) in _HELD


def _key(path: Path) -> Path:
    return Path(os.path.abspath(path))


class DatabaseLock:
    """Hold the lock of ``database`` while it is open for writing: ``acquire`` then ``release``
    (or ``with``). ``database`` None (a server) needs no lock. ``acquire`` twice is one hold."""

    def __init__(self, database: Path | None) -> None:
        self.database = database
        self._mine = False

    @property
    def held(self) -> bool:
        return self.database is None or self._mine

    def acquire(self) -> None:
        """Take the lock; raise ``DatabaseInUse`` (or a ``CoordinatorError`` about the folder)."""
        if self.database is None or self._mine:
            return
        _acquire(self.database)
        self._mine = True

    def release(self) -> None:
        if self.database is None or not self._mine:
            return
        self._mine = False
        _release(self.database)

    def __enter__(self) -> DatabaseLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _acquire(database: Path) -> None:
    path = lock_path(database)
    key = _key(path)
    with _GUARD:
        held = _HELD.get(key)
        if held is not None:
            held.count += 1
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CoordinatorError(
                f"The folder {path.parent} cannot be created ({exc.strerror}); choose another "
                "place for the database."
            ) from exc
        for _attempt in range(20):
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                raise _cannot_save_beside(database) from exc
            try:
                locked = _try_lock(fd)
            except OSError as exc:
                os.close(fd)
                raise _cannot_save_beside(database) from exc
            if not locked:
                os.close(fd)
                raise DatabaseInUse(database, read_holder(database))
            if _still_at(fd, path):
                _write_holder(fd)
                _HELD[key] = _Held(fd, 1)
                return
            os.close(fd)  # the holder we waited for deleted this file: lock the new one
        raise CoordinatorError(f"The database {database} could not be marked as open; try again.")


def _cannot_save_beside(database: Path) -> CoordinatorError:
    """The lock file beside the database could not be made: the folder is not one the app can
    save in (a system folder such as /proc, a read-only disk)."""
    return CoordinatorError(
        f"The app cannot save files in the folder {database.parent}, so the database cannot be "
        "kept there; choose a folder of your own for it."
    )


def _release(database: Path) -> None:
    path = lock_path(database)
    key = _key(path)
    with _GUARD:
        held = _HELD.get(key)
        if held is None:
            return
        held.count -= 1
        if held.count > 0:
            return
        del _HELD[key]
        if os.name == "nt":
            # Windows cannot delete a file that is open; one that another process has opened
            # meanwhile stays (that process is about to lock it).
            os.close(held.fd)
            with suppress(OSError):
                path.unlink()
        else:
            with suppress(OSError):
                path.unlink()  # while still locked: a waiter then sees the inode has gone
            os.close(held.fd)


def _try_lock(fd: int) -> bool:
    """Lock ``fd`` without waiting: True if taken, False if someone else holds it."""
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _still_at(fd: int, path: Path) -> bool:
    try:
        mine, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _write_holder(fd: int) -> None:
    details = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "program": _program,
        "since": datetime.now().strftime("%H:%M on %d/%m/%Y"),
    }
    data = json.dumps(details).encode("utf-8")
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data)
        os.ftruncate(fd, len(data))
    except OSError:
        pass  # the details are only for the sentence another process shows


def read_holder(database: Path) -> Holder:
    """Who holds the lock of ``database``, as written in its lock file (empty when unknown)."""
    try:
        with open(lock_path(database), "rb") as handle:
            raw = handle.read(_HOLDER_MAX_BYTES)
        details = json.loads(raw.decode("utf-8"))
        return Holder(
            pid=int(details.get("pid", 0)),
            host=str(details.get("host", "")),
            program=str(details.get("program", "")),
            since=str(details.get("since", "")),
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return Holder()


def in_use(database: Path) -> DatabaseInUse | None:
    """The refusal another process's lock means for ``database``, or None when no other process
    holds it (this process's own hold does not count). Takes and drops the lock to find out."""
    if held_here(database):
        return None
    lock = DatabaseLock(database)
    try:
        lock.acquire()
    except DatabaseInUse as exc:
        return exc
    except CoordinatorError:
        return None
    lock.release()
    return None
