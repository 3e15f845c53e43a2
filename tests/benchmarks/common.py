"""Shared benchmark helpers: the cached large demo database and a side-by-side timer."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

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


def side_by_side_calls(a: Any, b: Any, runs: int = 7) -> tuple[float, float, float]:
    """``side_by_side`` for two calls in this process: ``a()`` and ``b()`` alternately (after one
    warm-up each); the median seconds of each and the median of the per-pair ratios a/b."""
    a()
    b()
    times_a, times_b, ratios = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        a()
        ta = time.perf_counter() - started
        started = time.perf_counter()
        b()
        tb = time.perf_counter() - started
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


# --- Sixteen times the data (issue "Fast at sixteen times the data") -------------------------

#: The factors measured: 1x is the large demo; 4x and 16x copy every locality's records.
SCALES = (1, 4, 16)

#: Tables whose rows are shared by every locality and so are not copied (the trust's own
#: settings, its strategic priorities, the standards frameworks, the audit log, drafts, its
#: staff list, payment rates and equality monitoring lists).
SHARED_TABLES = frozenset(
    {
        "alembic_version",
        "trust_settings",
        "strategic_priorities",
        "standards_frameworks",
        "standards",
        "audit_log",
        "drafts",
        "staff",
        "payment_rates",
        "monitoring_characteristics",
        "monitoring_groups",
    }
)


def _copied_id(value: str | None, copy: int) -> str | None:
    """A new, stable id for the ``copy``-th copy of the row (or link) ``value``: 32 hex digits,
    as SQLite keeps the app's UUIDs. Stable, so that a link copied with its row still points at
    the copy of what it pointed at."""
    import hashlib

    if value is None:
        return None
    return hashlib.blake2b(f"{value}:{copy}".encode(), digest_size=16).hexdigest()


def _copied_reference(value: str | None, copy: int) -> str | None:
    """``RUG-2610`` -> ``RUG2-2610``: the locality code takes the copy's number."""
    if value is None:
        return None
    code, dash, rest = value.partition("-")
    return f"{code}{copy}{dash}{rest}"


def _copy_statements(con: Any) -> list[str]:
    """One ``INSERT ... SELECT`` per copied table, parents first, run once per copy with the
    parameter ``:k``: every id and every link to a copied table is replaced by ``cid(x, :k)``,
    every link to a shared table kept; localities become "Rugby 2" / "RUG2", meetings' and
    actions' references "RUG2-2610" / "RUG2-A17"."""
    tables = [
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
        if r[0] not in SHARED_TABLES
    ]
    links = {
        table: {
            row[3]: row[2]  # from column -> referred table
            for row in con.execute(f"PRAGMA foreign_key_list('{table}')")
        }
        for table in tables
    }
    ordered: list[str] = []
    while len(ordered) < len(tables):  # parents before children
        for table in tables:
            if table in ordered:
                continue
            parents = {p for p in links[table].values() if p in tables and p != table}
            if parents <= set(ordered):
                ordered.append(table)
    statements = []
    for table in ordered:
        columns = [r[1] for r in con.execute(f"PRAGMA table_info('{table}')")]
        values = []
        for column in columns:
            refers = links[table].get(column)
            if column == "id" or (refers is not None and refers not in SHARED_TABLES):
                values.append(f'cid("{column}", :k)')
            elif (table, column) == ("localities", "name"):
                values.append("name || ' ' || :k")
            elif (table, column) == ("localities", "code"):
                values.append("code || :k")
            elif (table, column) == ("localities", "coordinated"):
                values.append("0")  # another coordinator's locality
            elif column == "reference" and table in ("meetings", "actions"):
                values.append("cref(reference, :k)")
            else:
                values.append(f'"{column}"')
        names = ", ".join(f'"{c}"' for c in columns)
        statements.append(
            f'INSERT INTO "{table}" ({names}) SELECT {", ".join(values)} FROM "{table}"'
        )
    return statements


def scaled_database(factor: int, seed: int = 1) -> Path:
    """The large demo with every locality's records copied ``factor - 1`` times under new ids
    (a trust-wide database holding ``factor`` times the localities), built once and cached in
    ``tests/benchmarks/.cache/`` beside the large demo (``demo-large-1-rev<HEAD>-x16.db``).

    Each copy is a new locality ("Rugby 2", code "RUG2", not coordinated by this laptop's
    coordinator) with copies of its forums, meetings (``RUG2-2610``), registers, agendas,
    payments, polls, experience, actions (``RUG2-A17``), progress notes, assessments, checks,
    evidence and improvement projects, and a copy of every participant. Settings, strategic
    priorities, the standards frameworks, the audit log and drafts are the trust's and are not
    copied. Built with foreign keys on (a link left pointing at an original fails the build),
    then ``foreign_key_check`` and ``VACUUM`` (no ``ANALYZE``: the app never runs it, so
    the query plans are those a coordinator's file gets). Pitfall: 16x is about 1.7 GB, and
    building it takes several minutes; delete ``.cache`` to get the space back.
    """
    import shutil
    import sqlite3

    large = large_database("large", seed)
    if factor == 1:
        return large
    path = large.with_name(f"{large.stem}-x{factor}.db")
    if path.exists():
        return path
    # Not ".NAME.partial": the app deletes hidden ".partial" files beside a database it opens
    # (``db.remove_leftover_copies``), and the benchmarks open the other sizes meanwhile.
    partial = path.with_suffix(".building.db")
    for leftover in (partial, Path(f"{partial}-journal"), Path(f"{partial}-wal")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    shutil.copyfile(large, partial)
    con = sqlite3.connect(partial, isolation_level=None)
    try:
        con.create_function("cid", 2, _copied_id, deterministic=True)
        con.create_function("cref", 2, _copied_reference, deterministic=True)
        con.execute("PRAGMA journal_mode = OFF")  # a failed build is simply deleted
        con.execute("PRAGMA synchronous = OFF")
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA cache_size = -262144")  # 256 MB: the indexes grow as rows go in
        statements = _copy_statements(con)
        # Every copy reads the originals only: the statements select from the whole table, so
        # each copy is made from a snapshot of the rows before that copy (one transaction per
        # copy, and the WHERE below keeps copies from being copied again).
        originals = {
            table: con.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0] or 0
            for table in _tables_in(statements)
        }
        for copy in range(2, factor + 1):
            con.execute("BEGIN")
            for statement in statements:
                table = _tables_in([statement])[0]
                con.execute(f"{statement} WHERE rowid <= {originals[table]}", {"k": copy})
            con.execute("COMMIT")
            print(f"  copy {copy} of {factor} made", file=sys.stderr)
        broken = con.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"copying left broken links: {broken[:5]}")
        con.execute("VACUUM")
    finally:
        con.close()
    os.replace(partial, path)
    took = time.perf_counter() - started
    size = path.stat().st_size / 1e6
    print(f"built {path.name} ({size:.0f} MB) in {took:.0f} s", file=sys.stderr)
    return path


def _tables_in(statements: list[str]) -> list[str]:
    return [s.split('"', 2)[1] for s in statements]
