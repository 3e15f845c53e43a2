"""One app per database: a second copy is told which process holds the database and does not
open it; a lock left by a killed copy is taken over."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coordinator_app.core.lock import DatabaseInUse, DatabaseLock, lock_path

HOLDER = textwrap.dedent(
    """
    import sys
    from coordinator_app.core.lock import DatabaseLock
    from pathlib import Path
    lock = DatabaseLock(Path(sys.argv[1]))
    lock.acquire()
    print("locked", flush=True)
    sys.stdin.readline()
    lock.release()
    """
)


@pytest.fixture
def other_copy(tmp_path: Path):
    """Start another copy of the app holding the lock on ``tmp_path/coordinator.db``."""
    children: list[subprocess.Popen[str]] = []

    def start(database: Path) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(database)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        children.append(child)
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        return child

    yield start
    for child in children:
        if child.poll() is None:
            child.kill()
        child.wait()
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()


def test_a_second_copy_is_told_which_process_holds_the_database(tmp_path: Path, other_copy) -> None:
    database = tmp_path / "Zoë's data" / "coordinator.db"
    child = other_copy(database)
    lock = DatabaseLock(database)
    with pytest.raises(DatabaseInUse) as caught:
        lock.acquire()
    assert caught.value.pid == child.pid
    assert f"process {child.pid}" in str(caught.value)
    assert socket.gethostname() in str(caught.value) or caught.value.host
    assert not lock.held
    # Once the other copy closes properly, this one can open it.
    assert child.stdin is not None
    child.stdin.write("\n")
    child.stdin.flush()
    child.wait()
    lock.acquire()
    assert lock.held
    lock.release()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_lock_left_by_a_killed_copy_is_taken_over(tmp_path: Path, other_copy) -> None:
    database = tmp_path / "coordinator.db"
    child = other_copy(database)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert lock_path(database).exists()  # the crash left its lock behind
    with DatabaseLock(database) as lock:
        assert lock.held
    assert not lock_path(database).exists()


def test_the_same_copy_can_close_and_reopen(tmp_path: Path) -> None:
    lock = DatabaseLock(tmp_path / "coordinator.db")
    lock.acquire()
    lock.acquire()  # idempotent
    lock.release()
    lock.acquire()
    assert lock.held
    lock.release()
    assert not lock.held


def test_a_server_database_needs_no_lock() -> None:
    lock = DatabaseLock(None)
    lock.acquire()
    assert lock.held
    lock.release()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_command_line_restore_is_refused_while_another_copy_holds_the_database(
    tmp_path: Path, other_copy
) -> None:
    from coordinator_app.core.backup import database_in_use, make_backup, restore_backup
    from coordinator_app.core.db import open_database
    from coordinator_app.core.errors import CoordinatorError

    database = tmp_path / "coordinator.db"
    open_database(database).dispose()
    taken = make_backup(database)
    child = other_copy(database)
    before = database.read_bytes()
    with pytest.raises(CoordinatorError, match=f"process {child.pid}"):
        restore_backup(database, taken)
    assert database.read_bytes() == before
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert database_in_use(database) is None  # a crashed copy's lock does not count
    restore_backup(database, taken)


def test_a_folder_that_cannot_be_made_is_one_sentence(tmp_path) -> None:
    from coordinator_app.core.errors import CoordinatorError
    from coordinator_app.core.lock import DatabaseLock

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    lock = DatabaseLock(blocker / "sub" / "coordinator.db")
    with pytest.raises(CoordinatorError, match="cannot be created"):
        lock.acquire()
