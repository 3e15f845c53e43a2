"""Crash safety: a real child process writing to the database is killed with SIGKILL (the
nearest thing to a flat battery a test can do) many times, at points chosen by a seeded random
generator, and the database is then sound and every transaction is all there or not at all.

No sleeps: the parent kills after the child reports it is writing (a line on stdout) or, for
points in the middle of a commit, as soon as the write-ahead log has grown past a random size.
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

from coordinator_app.core import people
from coordinator_app.core.backup import check_database
from coordinator_app.core.db import Database, open_database
from coordinator_app.core.meetings import create_forum, list_localities
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import Category, ForumKind

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
    pytest.mark.sqlite_only,  # kills a writer of a SQLite file; a server's crash safety is its own
]

KILLS = 10
PARTICIPANTS = 30

WRITER = textwrap.dedent(
    """
    import sys, uuid, random
    from datetime import date
    from sqlalchemy import select
    from coordinator_app.core import audit
    from coordinator_app.core.db import open_database
    from coordinator_app.core.models import Attendance, Forum, Meeting, Participant
    from coordinator_app.core.vocab import AttendanceStatus, AuditOperation

    db = open_database(sys.argv[1])
    rng = random.Random(int(sys.argv[2]))
    with db.session() as s:
        forum_id = s.scalar(select(Forum.id))
        people = list(s.scalars(select(Participant.id)))
    print("ready", flush=True)
    while True:
        n = rng.randint(1, len(people))
        print("writing", flush=True)
        with db.transaction() as session:
            meeting = Meeting(
                reference=uuid.uuid4().hex, forum_id=forum_id, meeting_date=date(2025, 3, 1),
                venue=f"n={n}", notes="Notes by Zoë " * 200,
            )
            session.add(meeting)
            session.flush()
            for pid in rng.sample(people, n):
                session.add(Attendance(
                    meeting_id=meeting.id, participant_id=pid, status=AttendanceStatus.PRESENT
                ))
                session.flush()
            audit.record(session, AuditOperation.CREATE, "meeting", meeting.id, "Meeting added")
        print("written", flush=True)
    """
)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # not made yet, or removed by a checkpoint
        return 0


def _kill_when_log_grows(child: subprocess.Popen[str], wal: Path, grow: int) -> None:
    """Busy-wait (no sleep) until the write-ahead log has grown by ``grow`` bytes, then kill."""
    start = _size(wal)
    while child.poll() is None and _size(wal) < start + grow:
        pass
    if child.poll() is None:  # else it finished its work first: nothing to kill
        os.kill(child.pid, signal.SIGKILL)
    child.wait()


def _setup(db: Database) -> None:
    complete_first_run(
        db, trust_name="Test Trust", coordinator_name="Siân Evans", localities=["Rugby"]
    )
    (rugby,) = [loc.id for loc in list_localities(db)]
    create_forum(db, locality_id=rugby, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM)
    for i in range(PARTICIPANTS):
        people.create_participant(
            db, people.ParticipantInput(name=f"Seán O'Neill {i}", category=Category.SERVICE_USER)
        )


def _kill_while_writing(script: Path, db_path: Path, seed: int, rng: random.Random) -> int:
    """Start the writer, let it get going, SIGKILL it; return how many commits it reported."""
    wal = db_path.with_name(db_path.name + "-wal")
    child = subprocess.Popen(
        [sys.executable, str(script), str(db_path), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "ready"
        writes_before_kill = rng.randint(1, 6)
        committed = 0
        seen = 0
        while seen < writes_before_kill:
            line = child.stdout.readline().strip()
            assert line, "the writer stopped on its own"
            if line == "writing":
                seen += 1
            elif line == "written":
                committed += 1
        if rng.random() < 0.5:
            # Kill in the middle of this transaction, once the log has grown a random amount.
            _kill_when_log_grows(child, wal, rng.randint(1, 64) * 1024)
        else:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        assert child.returncode == -signal.SIGKILL  # the writer never stops by itself
        # Commits it reported while the parent was watching the log grow are still in the pipe.
        committed += sum(1 for line in child.stdout if line.strip() == "written")
        return committed
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()


def _consistent(db_path: Path) -> tuple[int, int]:
    """Assert each meeting has its attendances and one audit row; return (meetings, rows)."""
    with closing(sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)) as conn:
        meetings = conn.execute(
            "SELECT m.id, m.venue, (SELECT count(*) FROM attendances a WHERE a.meeting_id = m.id),"
            " (SELECT count(*) FROM audit_log l WHERE l.entity_id = m.id) FROM meetings m"
        ).fetchall()
        for _id, venue, attendances, audits in meetings:
            assert venue == f"n={attendances}", "a meeting was saved without all its attendances"
            assert audits == 1, "a meeting was saved without its audit row"
        orphans = conn.execute(
            "SELECT count(*) FROM attendances WHERE meeting_id NOT IN (SELECT id FROM meetings)"
        ).fetchone()[0]
        assert orphans == 0
        meeting_audits = conn.execute(
            "SELECT count(*) FROM audit_log WHERE entity = 'meeting'"
        ).fetchone()[0]
        assert meeting_audits == len(meetings), "an audit row was saved without its meeting"
        attendances = conn.execute("SELECT count(*) FROM attendances").fetchone()[0]
    return len(meetings), attendances


def test_killing_the_app_mid_write_leaves_whole_transactions_only(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    _setup(db)
    db.dispose()
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    rng = random.Random(20261122)
    meetings_before = 0
    for kill in range(KILLS):
        committed = _kill_while_writing(script, db_path, seed=kill, rng=rng)
        report = check_database(db_path)
        assert report.sound, report.detail
        meetings, _ = _consistent(db_path)
        # Every commit the child reported is there (synchronous=FULL); at most one more, whose
        # COMMIT reached the disk before the kill but not its "written" line.
        assert meetings_before + committed <= meetings <= meetings_before + committed + 1
        meetings_before = meetings
    # The app opens the database normally afterwards (and recovers the log).
    reopened = open_database(db_path)
    reopened.dispose()
    assert meetings_before >= KILLS


DEMO = textwrap.dedent(
    """
    import sys
    from datetime import date
    from coordinator_app.core.db import open_database
    from coordinator_app.core.demo import generate_demo

    db = open_database(sys.argv[1])
    generate_demo(
        db, size="small", seed=5, today=date(2025, 6, 30), force=True,
        progress=lambda text: print(text, flush=True),
    )
    print("done", flush=True)
    """
)


def _counts(db_path: Path) -> dict[str, int]:
    report = check_database(db_path)
    assert report.sound, report.detail
    return {k: v for k, v in report.counts.items() if k != "audit_log"}


def test_killing_a_bulk_fill_leaves_the_old_data_or_the_new_never_half(
    db_path: Path, tmp_path: Path
) -> None:
    """A large all-or-nothing write (the demo generator, like an import, is one transaction):
    it replaces everything with the same seeded data, so whatever the moment of the kill the
    counts must be exactly those of a finished run."""
    script = tmp_path / "demo.py"
    script.write_text(DEMO, encoding="utf-8")
    subprocess.run([sys.executable, str(script), str(db_path)], check=True, capture_output=True)
    expected = _counts(db_path)
    assert expected["meetings"] > 100
    rng = random.Random(7)
    phases = ["Saving", "Clearing the database", "Saving", "Meetings 2024", "Saving"]
    wal = db_path.with_name(db_path.name + "-wal")
    for target in phases:
        child = subprocess.Popen(
            [sys.executable, str(script), str(db_path)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        try:
            for line in child.stdout:
                if line.strip() == target:
                    break
            if target == "Saving":  # into the commit itself, by a random amount of log
                _kill_when_log_grows(child, wal, rng.randint(1, 2048) * 1024)
            else:
                os.kill(child.pid, signal.SIGKILL)
                child.wait()
        finally:
            child.stdout.close()
        assert _counts(db_path) == expected, f"half a fill after a kill at {target!r}"
