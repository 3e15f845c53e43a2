"""Kills during a restore and during backups (issue #19's fault suite; the writer, the demo and
the import have theirs in test_crash_safety.py and test_crash_safety_import.py).

A real child process restores (or backs up) over and over; the parent SIGKILLs it after a
random number of rounds, at a random point of the next (no sleeps: it counts the child's lines,
then busy-waits a random number of file-system polls). After each kill: the database passes
``integrity_check``, holds exactly one of the two backups' contents (never a mixture), records the
restore that put it there, its backups folder holds only sound backups under real names, and the
app opens it, removing what the killed process left behind.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from coordinator_app.core import backup, people
from coordinator_app.core.db import open_database
from coordinator_app.core.vocab import Category

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
    pytest.mark.sqlite_only,
]

KILLS = 8
ROOT = Path(__file__).resolve().parents[2]

RESTORER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from coordinator_app.core.backup import restore_backup

    database, first, second = (Path(a) for a in sys.argv[1:4])
    print("ready", flush=True)
    while True:
        for taken in (first, second):
            print("restoring", flush=True)
            restore_backup(database, taken)
            print("restored", flush=True)
    """
)

BACKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from coordinator_app.core.backup import make_backup

    database = Path(sys.argv[1])
    print("ready", flush=True)
    while True:
        print("backing up", flush=True)
        make_backup(database)
        print("backed up", flush=True)
    """
)


def _names(path: Path) -> frozenset[str]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return frozenset(r[0] for r in conn.execute("SELECT name FROM participants"))


def _restored_from(path: Path) -> list[str]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT summary FROM audit_log WHERE operation = 'restore' ORDER BY rowid"
            )
        ]


def _sound(path: Path) -> bool:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _kill_after(child: subprocess.Popen[str], word: str, rounds: int, rng: random.Random) -> None:
    """Read the child's lines until ``word`` has come ``rounds`` times, let it run on for a
    random number of polls, then SIGKILL it."""
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    seen = 0
    while seen < rounds:
        line = child.stdout.readline().strip()
        assert line, "the child stopped on its own"
        seen += line == word
    for _ in range(rng.randint(0, 4000)):
        if child.poll() is not None:
            break
        os.stat(child.args[3])  # a file-system call per poll (the database), so it is real work
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()


def _run(script: str, *args: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def test_killing_a_restore_leaves_one_whole_database_with_its_record(db_path: Path) -> None:
    db = open_database(db_path)
    people.create_participant(
        db, people.ParticipantInput(name="Zoë First", category=Category.SERVICE_USER)
    )
    first = backup.make_backup(db, db_path.parent / "first.db")
    for name in ("Siân Second", "Seán Second"):
        people.create_participant(db, people.ParticipantInput(name=name, category=Category.CARER))
    second = backup.make_backup(db, db_path.parent / "second.db")
    db.dispose()
    contents = {first.name: _names(first), second.name: _names(second)}
    rng = random.Random(20261206)
    for _kill in range(KILLS):
        child = _run(RESTORER, db_path, first, second)
        try:
            _kill_after(child, "restoring", rng.randint(1, 3), rng)
        finally:
            if child.stdout is not None:
                child.stdout.close()
        assert _sound(db_path)
        names = _names(db_path)
        assert names in contents.values(), "a restore left a mixture"
        records = _restored_from(db_path)
        assert records, "a restore that swapped left no record"
        assert contents[records[-1].removeprefix("Restored from ")] == names
        open_database(db_path).dispose()  # opens, and clears what the kill left
        leftovers = [p.name for p in db_path.parent.iterdir() if p.name.startswith(".")]
        assert leftovers == []


def test_killing_a_backup_never_leaves_a_half_backup_under_a_real_name(db_path: Path) -> None:
    db = open_database(db_path)
    for i in range(200):
        people.create_participant(
            db, people.ParticipantInput(name=f"Zoë Backup {i}", category=Category.SERVICE_USER)
        )
    db.dispose()
    folder = backup.backups_folder(db_path)
    rng = random.Random(61220262)
    for _kill in range(KILLS):
        child = _run(BACKER, db_path)
        try:
            _kill_after(child, "backing up", rng.randint(1, 3), rng)
        finally:
            if child.stdout is not None:
                child.stdout.close()
        for info in backup.list_backups(folder, db_path.stem):
            backup.verify_backup(info.path)  # every backup under a real name is sound
        assert _sound(db_path)
        open_database(db_path).dispose()
        assert [p.name for p in folder.iterdir() if p.name.endswith(".partial")] == []
    assert backup.list_backups(folder, db_path.stem)
