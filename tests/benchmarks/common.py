"""Shared benchmark helpers: the cached large demo database and a side-by-side timer."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"


def large_database(size: str = "large", seed: int = 1) -> Path:
    """The large demo database for this schema revision, built once and reused."""
    from coordinator_app.core.migrations import HEAD

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-{size}-{seed}-rev{HEAD}.db"
    if not path.exists():
        partial = path.with_suffix(".partial.db")
        partial.unlink(missing_ok=True)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "coordinator_app",
                "--db",
                str(partial),
                "demo",
                "--size",
                size,
                "--seed",
                str(seed),
            ],
            check=True,
        )
        print(f"built {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        for suffix in ("-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        os.replace(partial, path)
    return path


#: The start-up baseline: SQLAlchemy's ORM imported and an empty QMainWindow shown. It leaves
#: with ``os._exit`` as ``--exit-after-startup`` does, so neither side pays for tearing every
#: object down (about a quarter of a second that nobody waits for).
BARE_STARTUP = (
    "import sqlalchemy.orm\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "from PySide6.QtCore import QTimer\n"
    "app = QApplication([])\n"
    "w = QMainWindow(); w.show()\n"
    "QTimer.singleShot(0, app.quit)\n"
    "app.exec()\n"
    "import os; os._exit(0)\n"
)

#: The monthly return's baseline: the ORM and openpyxl imported, six small sheets saved to the
#: path given as the first argument (exits normally, as ``export-return`` does).
BARE_RETURN = (
    "import sys, sqlalchemy.orm, openpyxl\n"
    "wb = openpyxl.Workbook()\n"
    "for name in ('Return', 'Summary', 'Meetings', 'Actions', 'Experience', 'Polls'):\n"
    "    ws = wb.create_sheet(name)\n"
    "    for r in range(20):\n"
    "        ws.append([f'cell {r}', r, r * 1.5])\n"
    "wb.save(sys.argv[1])\n"
)


def time_process(argv: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def side_by_side(a: list[str], b: list[str], runs: int = 7, env: dict[str, str] | None = None):
    """Run A and B alternately (after one warm-up each); medians and the median of A/B ratios."""
    time_process(a, env)
    time_process(b, env)
    times_a, times_b, ratios = [], [], []
    for _ in range(runs):
        ta = time_process(a, env)
        tb = time_process(b, env)
        times_a.append(ta)
        times_b.append(tb)
        ratios.append(ta / tb)
    return statistics.median(times_a), statistics.median(times_b), statistics.median(ratios)


#: What the filter keystroke figures type, a word at a time into a cleared box.
FILTER_WORDS = ("carers", "access", "zo", "rugby forum")


def type_filter_words(box) -> list[float]:
    """Seconds each keystroke of ``FILTER_WORDS`` takes, typed into the line edit ``box`` and
    answered (the event loop drained) before the next."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtTest import QTest

    keystrokes = []
    for word in FILTER_WORDS:
        box.clear()
        QCoreApplication.processEvents()
        for ch in word:
            started = time.perf_counter()
            QTest.keyClick(box, ch)
            QCoreApplication.processEvents()
            keystrokes.append(time.perf_counter() - started)
    return keystrokes


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


#: The sizes measured: the fraction of the large demo's ten years that is kept.
FRACTIONS = {"quarter": 0.25, "half": 0.5, "large": 1.0}

# Children first, so that every statement is valid with foreign keys on (no cascade is relied
# on). ``:cut`` is an ISO date; SQLite keeps dates as 'YYYY-MM-DD' text, so '<' compares dates.
_OLD_MEETINGS = "SELECT id FROM meetings WHERE meeting_date < :cut"
_OLD_ACTIONS = "SELECT id FROM actions WHERE raised_on < :cut"
_OLD_EXPERIENCE = "SELECT id FROM experience_items WHERE received_on < :cut"
_OLD_PROJECTS = "SELECT id FROM improvement_projects WHERE ended_on < :cut"
_OLD_CHECKS = (
    "SELECT c.id FROM standard_checks c JOIN assessments a ON a.id = c.assessment_id "
    "WHERE a.assessed_on < :cut"
)
TRIM_STATEMENTS = (
    f"DELETE FROM action_updates WHERE action_id IN ({_OLD_ACTIONS})",
    f"DELETE FROM project_links WHERE action_id IN ({_OLD_ACTIONS}) "
    f"OR experience_item_id IN ({_OLD_EXPERIENCE}) OR project_id IN ({_OLD_PROJECTS})",
    "DELETE FROM actions WHERE raised_on < :cut",
    "DELETE FROM poll_answers WHERE poll_id IN "
    f"(SELECT id FROM polls WHERE meeting_id IN ({_OLD_MEETINGS}))",
    *(
        f"DELETE FROM {table} WHERE meeting_id IN ({_OLD_MEETINGS})"
        for table in (
            "polls",
            "agenda_items",
            "attendances",
            "unnamed_attendances",
            "involvement_payments",
        )
    ),
    f"UPDATE actions SET meeting_id = NULL WHERE meeting_id IN ({_OLD_MEETINGS})",
    f"UPDATE actions SET experience_item_id = NULL WHERE experience_item_id IN ({_OLD_EXPERIENCE})",
    f"UPDATE experience_items SET meeting_id = NULL WHERE meeting_id IN ({_OLD_MEETINGS})",
    "DELETE FROM experience_items WHERE received_on < :cut",
    "DELETE FROM meetings WHERE meeting_date < :cut",
    f"UPDATE actions SET standard_check_id = NULL WHERE standard_check_id IN ({_OLD_CHECKS})",
    f"DELETE FROM evidence_files WHERE standard_check_id IN ({_OLD_CHECKS})",
    "DELETE FROM standard_checks WHERE assessment_id IN "
    "(SELECT id FROM assessments WHERE assessed_on < :cut)",
    "DELETE FROM assessments WHERE assessed_on < :cut",
    f"DELETE FROM project_participants WHERE project_id IN ({_OLD_PROJECTS})",
    "DELETE FROM improvement_projects WHERE ended_on < :cut",
    # People who only came before the cut-off (or never came) leave with their meetings.
    "DELETE FROM participants WHERE "
    "NOT EXISTS (SELECT 1 FROM attendances a WHERE a.participant_id = participants.id) "
    "AND NOT EXISTS (SELECT 1 FROM involvement_payments p "
    "WHERE p.participant_id = participants.id) "
    "AND NOT EXISTS (SELECT 1 FROM project_participants pp "
    "WHERE pp.participant_id = participants.id)",
)


def sized_database(size: str, seed: int = 1) -> Path:
    """The large demo cut down to its last ``FRACTIONS[size]`` of years, built once and reused.

    core.demo only knows small and large, so the quarter (2.5 years) and half (5 years) sizes are
    a copy of the large database with everything dated before a cut-off deleted in one
    transaction, children first, with foreign keys on (a broken reference fails the build),
    then checked with ``PRAGMA foreign_key_check`` and vacuumed. Forums, localities, standards
    and settings are kept; participants with nothing left are deleted.
    """
    import shutil
    import sqlite3
    from datetime import date, timedelta

    large = large_database("large", seed)
    fraction = FRACTIONS[size]
    if fraction == 1.0:
        return large
    path = large.with_name(large.stem + f"-{size}.db")
    if path.exists():
        return path
    partial = path.with_suffix(".partial.db")
    partial.unlink(missing_ok=True)
    shutil.copyfile(large, partial)
    con = sqlite3.connect(partial, isolation_level=None)
    con.execute("PRAGMA foreign_keys = ON")
    first, last = con.execute(
        "SELECT min(meeting_date), max(meeting_date) FROM meetings"
    ).fetchone()
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    cut = end - timedelta(days=round((end - start).days * fraction))
    con.execute("BEGIN")
    for statement in TRIM_STATEMENTS:
        con.execute(statement, {"cut": cut.isoformat()})
    con.execute("COMMIT")
    broken = con.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"trimming left broken references: {broken[:5]}")
    con.execute("VACUUM")
    con.execute("PRAGMA journal_mode = DELETE")
    con.close()
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    os.replace(partial, path)
    print(f"built {path.name} (meetings from {cut})", file=sys.stderr)
    return path


def counts(db_path: Path) -> dict[str, int]:
    """Row counts of the tables that grow with the years, read straight from the file."""
    import sqlite3

    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("meetings", "attendances", "actions", "participants", "experience_items")
        }
    finally:
        con.close()


def peak_rss_mb(argv: list[str], env: dict[str, str] | None = None) -> float:
    """Run ``argv`` to the end; its own peak resident set size in MB (``wait4``'s rusage,
    kilobytes on Linux), not the largest of every child this process ever had."""
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, argv)
    return usage.ru_maxrss / 1024
