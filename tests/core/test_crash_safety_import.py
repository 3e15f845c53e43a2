"""Crash safety of imports: the real command ``coordinator-app --db DB import WORKBOOK.xlsx`` is
killed with SIGKILL (the nearest thing to a flat battery a test can do) at several points of a
large import, each time on a fresh copy of the same prepared database. Afterwards the database
must be sound (``PRAGMA integrity_check`` is ok, no broken foreign keys) and the import all
there or not there at all: every table's count is exactly what it was before the import or
exactly what a finished import leaves, never anything in between.

Kill points (seeded, so a failure can be repeated; each is in the assertion message):

- while reading and validating the workbook: once the child has used a random share (10-70 %)
  of the CPU time a whole import took (Linux ``/proc``; elsewhere, as soon as the database's
  write-ahead log exists, that is once the database is open);
- while writing: once the write-ahead log has grown to a random share (3-97 %) of the size it
  reached in the finished import, that is in the middle of the one transaction, some of its
  pages on disk, its commit not yet.

No sleeps: the parent polls an observable condition in a loop bounded by a deadline. A child that
finishes before its kill point is allowed (a busy machine), but most kills must land.

Pitfall: the ``-wal`` file only shows the write phase; the reading phase writes nothing, so it
is watched through the child's CPU time, which, unlike wall time, does not stretch on a busy
machine.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import text

from coordinator_app.core import people
from coordinator_app.core.db import open_database
from coordinator_app.core.importer import ACTIONS, ATTENDANCE, MEETINGS, PARTICIPANTS, SHEETS
from coordinator_app.core.meetings import create_forum, list_localities
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import Category, ForumKind

resource = pytest.importorskip("resource")  # the children's CPU time (POSIX)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.sqlite_only,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]

N_PEOPLE = 250
N_MEETINGS = 150
N_ATTENDANCE = 3_000
N_ACTIONS = 1_500
KILLS = 6
DEADLINE_S = 120.0  # per child: far beyond a normal import, only there to end a hung loop
PROC = Path("/proc/self/stat").exists()
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _build_workbook(path: Path) -> None:
    """An import workbook big enough that writing it takes a noticeable time (a few MB of log).

    A small builder of our own (tests/benchmarks is not a package); the columns come from the
    importer's ``SHEETS`` so the file follows the real format."""
    workbook = Workbook(write_only=True)

    def sheet(name: str, rows: Iterable[list[object]]) -> None:
        ws = workbook.create_sheet(name)
        ws.append([spec.name for spec in SHEETS[name]])
        for row in rows:
            ws.append(row)

    localities = ("Rugby", "Coventry")
    names = [f"Zoë O'Neill-Siân {i}" for i in range(N_PEOPLE)]
    sheet(
        PARTICIPANTS,
        ([name, "Service user" if i % 3 else "Carer", localities[i % 2]]
         for i, name in enumerate(names)),
    )  # fmt: skip
    meetings = [
        (f"CR{i:04d}", localities[i % 2], f"{localities[i % 2]} Forum",
         date(2020, 1, 6) + timedelta(days=3 * i))
        for i in range(N_MEETINGS)
    ]  # fmt: skip
    sheet(
        MEETINGS,
        ([ref, loc, forum, on, "14:00", "Café Hall", "In person", "Held"]
         for ref, loc, forum, on in meetings),
    )  # fmt: skip
    per_meeting = N_ATTENDANCE // N_MEETINGS
    sheet(
        ATTENDANCE,
        ([meetings[i // per_meeting][0], names[(i * 7 + i // per_meeting) % N_PEOPLE], "Present"]
         for i in range(N_ATTENDANCE)),
    )  # fmt: skip
    sheet(
        ACTIONS,
        ([f"CRA{i:05d}", meetings[i % N_MEETINGS][0], f"Action {i} for Zoë", "Detail",
          "Seán Murphy", "Locality", "Our care", meetings[i % N_MEETINGS][3].isoformat(), None,
          "Open", None, ""]
         for i in range(N_ACTIONS)),
    )  # fmt: skip
    workbook.save(path)


def _prepare(db_path: Path) -> None:
    """Make the migrated empty database at ``db_path`` one in use: first run done, a forum the
    workbook also names, a few people."""
    db = open_database(db_path)
    try:
        complete_first_run(
            db, trust_name="Test Trust", coordinator_name="Siân Evans", localities=["Rugby"]
        )
        (rugby,) = [loc.id for loc in list_localities(db)]
        create_forum(db, locality_id=rugby, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM)
        for name in ("Aoife Ní Bhriain", "Tomasz Nowak", "Grace O'Connor"):
            people.create_participant(
                db, people.ParticipantInput(name=name, category=Category.SERVICE_USER)
            )
    finally:
        db.dispose()  # the last connection checkpoints and removes the -wal file


def _fresh_copy(base: Path, target: Path) -> Path:
    assert not _wal(base).exists(), "the prepared database was not closed cleanly"
    shutil.copyfile(base, target)
    return target


def _wal(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + "-wal")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # not made yet, or removed by the child's closing checkpoint
        return 0


def _cpu_seconds(pid: int) -> float:
    """The child's user + system CPU time so far, from /proc (0 once it has gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # the command name may hold spaces
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def _let_others_run() -> None:
    """Give the processor away while polling (not a sleep: back at once when nothing waits), so
    a busy two-core machine runs the child rather than the watcher."""
    if hasattr(os, "sched_yield"):
        os.sched_yield()


def _cpu_reached(pid: int, seconds: float) -> Callable[[], bool]:
    return lambda: _cpu_seconds(pid) >= seconds


def _log_reached(wal: Path, size: int) -> Callable[[], bool]:
    return lambda: _size(wal) >= size


def _start_import(db_path: Path, workbook: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "coordinator_app", "--db", str(db_path), "import", str(workbook)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _reference_import(db_path: Path, workbook: Path) -> tuple[float, int]:
    """Run one import to completion; return (its CPU seconds, the largest -wal size seen)."""
    wal = _wal(db_path)
    cpu_before = _children_cpu()
    child = _start_import(db_path, workbook)
    peak = 0
    deadline = time.monotonic() + DEADLINE_S
    while child.poll() is None and time.monotonic() < deadline:
        peak = max(peak, _size(wal))
        _let_others_run()
    _, err = child.communicate(timeout=DEADLINE_S)
    assert child.returncode == 0, err.decode(errors="replace")
    return _children_cpu() - cpu_before, peak


def _kill_when(child: subprocess.Popen[bytes], reached: Callable[[], bool]) -> bool:
    """Poll (no sleep) until ``reached()``, then SIGKILL; True if the kill landed."""
    deadline = time.monotonic() + DEADLINE_S
    while child.poll() is None and not reached():
        assert time.monotonic() < deadline, "the import neither finished nor reached its point"
        _let_others_run()
    killed = child.poll() is None
    if killed:
        os.kill(child.pid, signal.SIGKILL)
    _, err = child.communicate(timeout=DEADLINE_S)
    if killed:
        assert child.returncode == -signal.SIGKILL
    else:  # it finished before its kill point: it must have finished well
        assert child.returncode == 0, err.decode(errors="replace")
    return killed


def _sound_counts(db_path: Path) -> dict[str, int]:
    """Open with the app (which recovers the log), assert the file is sound, count every table."""
    db = open_database(db_path)
    try:
        with db.session() as session:
            integrity = [row[0] for row in session.execute(text("PRAGMA integrity_check"))]
            assert integrity == ["ok"], integrity
            broken = session.execute(text("PRAGMA foreign_key_check")).fetchall()
            assert broken == [], broken
            tables = session.scalars(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version' ORDER BY name"
                )
            ).all()
            return {
                table: session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
                for table in tables
            }
    finally:
        db.dispose()


def test_killing_an_import_leaves_all_of_it_or_none_of_it(db_path: Path, tmp_path: Path) -> None:
    workbook = tmp_path / "big import.xlsx"
    _build_workbook(workbook)
    base = db_path
    _prepare(base)
    before = _sound_counts(base)

    full_copy = _fresh_copy(base, tmp_path / "full.db")
    cpu_full, wal_peak = _reference_import(full_copy, workbook)
    full = _sound_counts(full_copy)
    assert full["meetings"] == before["meetings"] + N_MEETINGS
    assert full["actions"] == before["actions"] + N_ACTIONS
    assert full["attendances"] == before["attendances"] + N_ATTENDANCE
    assert full["participants"] == before["participants"] + N_PEOPLE
    assert wal_peak > 512 * 1024, "the write phase is too small to be interrupted in the middle"

    rng = random.Random(20261122)
    outcomes: list[tuple[str, bool, str]] = []
    copy = base
    for kill in range(KILLS):
        copy = _fresh_copy(base, tmp_path / f"killed-{kill}.db")
        wal = _wal(copy)
        child = _start_import(copy, workbook)
        grow = 0
        if kill % 2 == 0:  # while reading and validating the workbook
            if PROC:
                share = rng.uniform(0.10, 0.70)
                point = f"reading, after {share:.0%} of the import's CPU time"
                threshold = share * cpu_full
                landed = _kill_when(child, _cpu_reached(child.pid, threshold))
            else:
                point = "as soon as the database was open"
                landed = _kill_when(child, wal.exists)
        else:  # while writing: part of the one transaction's pages are in the log
            share = rng.uniform(0.03, 0.97)
            point = f"writing, the log at {share:.0%} of its peak"
            grow = int(share * wal_peak)
            landed = _kill_when(child, _log_reached(wal, grow))
        log_left = _size(wal)
        after = _sound_counts(copy)
        assert after in (before, full), f"half an import after a kill {point}: {after}"
        outcomes.append((point, landed, "none" if after == before else "all"))
        if kill % 2 == 1 and landed and after == before:
            # Not a kill before anything was written: part of the transaction was on disk in
            # the log, and opening the database discarded it as uncommitted.
            assert log_left >= grow, (point, log_left, grow)

    assert sum(landed for _, landed, _ in outcomes) >= KILLS // 2, outcomes
    assert any(result == "none" for _, _, result in outcomes), outcomes

    # The last killed copy is still usable: the same import, uninterrupted, completes on it.
    finished = subprocess.run(
        [sys.executable, "-m", "coordinator_app", "--db", str(copy), "import", str(workbook)],
        capture_output=True,
        text=True,
        timeout=DEADLINE_S,
    )
    assert finished.returncode == 0, finished.stderr
    final = _sound_counts(copy)
    # A second import of the same workbook adds nothing but its own audit entry.
    assert final["audit_log"] in (full["audit_log"], full["audit_log"] + 1)
    del final["audit_log"]
    assert final == {table: n for table, n in full.items() if table != "audit_log"}
