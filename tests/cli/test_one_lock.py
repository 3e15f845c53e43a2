"""One lock for every process (issue #19): the window and every command that writes take the
same lock, and commands that only read can run beside the window without ever deleting its WAL.

A real child process plays the window: it opens the database for writing exactly as the app does
(``open_database``), saves, and on request opens and closes the database file as Qt's file dialog
does when it shows the folder, which silently drops every SQLite lock of the process (POSIX
locks belong to the process). The parent then runs real commands against the same file and at
the end kills the child with SIGKILL, as a flat battery would. No sleeps: each step waits for
the child's line on stdout.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from coordinator_app.core.db import open_database
from coordinator_app.core.lock import lock_path

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
    pytest.mark.sqlite_only,  # about a SQLite file's locks and WAL
]

ROOT = Path(__file__).resolve().parents[2]

WINDOW = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from coordinator_app.core.db import open_database
    from coordinator_app.core.lock import describe_this_process
    from coordinator_app.core import people
    from coordinator_app.core.vocab import Category

    path = Path(sys.argv[1])
    describe_this_process("the desktop app")
    db = open_database(path)
    print("open", flush=True)
    for line in sys.stdin:
        word, _, rest = line.strip().partition(" ")
        if word == "save":
            people.create_participant(
                db, people.ParticipantInput(name=rest, category=Category.SERVICE_USER)
            )
        elif word == "sniff":  # what a file dialog showing the folder does to the database file
            os.close(os.open(path, os.O_RDONLY))
        print("done", flush=True)
    """
)


class Window:
    """The child that plays the open window."""

    def __init__(self, database: Path) -> None:
        self.child = subprocess.Popen(
            [sys.executable, "-c", WINDOW, str(database)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self._line() == "open"

    def _line(self) -> str:
        assert self.child.stdout is not None
        return self.child.stdout.readline().strip()

    def do(self, command: str) -> None:
        assert self.child.stdin is not None
        self.child.stdin.write(command + "\n")
        self.child.stdin.flush()
        assert self._line() == "done"

    def kill(self) -> None:
        if self.child.poll() is None:
            os.kill(self.child.pid, signal.SIGKILL)
        self.child.wait()
        for stream in (self.child.stdin, self.child.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def window(tmp_path: Path):
    """A demo database and a window on it."""
    database = tmp_path / "Zoë's data" / "coordinator.db"
    database.parent.mkdir()
    assert run_cli("--db", str(database), "demo").returncode == 0
    opened: list[Window] = []

    def start() -> Window:
        w = Window(database)
        opened.append(w)
        return w

    yield database, start
    for w in opened:
        w.kill()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "coordinator_app", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def names(database: Path) -> set[str]:
    with closing(sqlite3.connect(database)) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM participants")}


def rows(database: Path) -> int:
    with closing(sqlite3.connect(database)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return sum(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)


def test_a_change_saved_after_a_file_dialog_and_a_return_survives_a_kill(
    window, tmp_path: Path
) -> None:
    """The sequence that lost data: save, a file dialog shows the folder (the process's SQLite
    locks vanish), ``export-return`` runs on the same database (it used to delete the window's
    open -wal and -shm on closing), save again, power cut. Both saves must be there."""
    database, start = window
    w = start()
    w.do("save Before Dialog")
    w.do("sniff")
    result = run_cli(
        "--db", str(database), "export-return", "--locality", "Rugby", "--month", "2026-10",
        "-o", str(tmp_path / "return.xlsx"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert Path(f"{database}-wal").exists(), "a command that only reads deleted the window's WAL"
    w.do("save After Dialog")
    w.kill()
    assert {"Before Dialog", "After Dialog"} <= names(database)
    with closing(sqlite3.connect(database)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize(
    "command",
    [
        ["demo", "--force"],
        ["import", str(ROOT / "resources" / "samples" / "import-example.xlsx")],
        ["standards", "import", str(ROOT / "resources" / "standards" / "default-framework.xlsx")],
        ["restore", "BACKUP"],
    ],
    ids=["demo", "import", "standards-import", "restore"],
)
def test_a_command_that_writes_is_refused_while_the_window_is_open(
    window, command: list[str]
) -> None:
    database, start = window
    if "BACKUP" in command:
        made = run_cli("--db", str(database), "backup")
        assert made.returncode == 0, made.stderr
        taken = made.stdout.strip().removeprefix("Backed up to ").removesuffix(".")
        command = [taken if word == "BACKUP" else word for word in command]
    w = start()
    w.do("sniff")  # whatever a file dialog does, the window still holds the database
    before = rows(database)
    result = run_cli("--db", str(database), *command)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"process {w.child.pid}" in lines[0]
    assert "already open in another copy of Involvement Coordinator" in lines[0]
    assert rows(database) == before


def test_commands_that_only_read_run_beside_the_window(window, tmp_path: Path) -> None:
    database, start = window
    start().do("save Zoë Reader")
    for command in (
        ["export-return", "--locality", "Rugby", "--month", "2026-10", "-o",
         str(tmp_path / "r.xlsx")],
        ["standards", "export", str(tmp_path / "f.xlsx")],
        ["payments-list", "--from", "2026-10-01", "--to", "2026-10-31", "-o",
         str(tmp_path / "p.xlsx")],
        ["check"],
        ["backup", "-o", str(tmp_path / "b.db")],
    ):  # fmt: skip
        result = run_cli("--db", str(database), *command)
        assert result.returncode == 0, (command, result.stderr)


def test_the_window_is_refused_while_a_command_writes(tmp_path: Path) -> None:
    """An import holds the lock for as long as it writes; the app (or a restore) asked meanwhile
    is told which command holds it and waits for nothing."""
    from coordinator_app.core.lock import DatabaseInUse, DatabaseLock, describe_this_process

    database = tmp_path / "coordinator.db"
    open_database(database).dispose()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys
                from pathlib import Path
                from coordinator_app.core.lock import DatabaseLock, describe_this_process
                describe_this_process("the command 'coordinator-app import'")
                with DatabaseLock(Path(sys.argv[1])):
                    print("locked", flush=True)
                    sys.stdin.readline()
                """
            ),
            str(database),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        describe_this_process("the desktop app")
        with pytest.raises(DatabaseInUse) as caught:
            DatabaseLock(database).acquire()
        message = str(caught.value)
        assert "is being changed by the command 'coordinator-app import'" in message
        assert f"process {holder.pid}" in message and "wait for it to finish" in message
        restore = run_cli("--db", str(database), "restore", str(database))
        assert restore.returncode == 1 and "is being changed by" in restore.stderr
    finally:
        holder.kill()
        holder.wait()
        for stream in (holder.stdin, holder.stdout):
            if stream is not None:
                stream.close()
    # Once it has ended (here killed: the kernel lets go of the lock), the window opens.
    open_database(database).dispose()
    assert not lock_path(database).exists()
