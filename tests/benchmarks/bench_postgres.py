"""The monthly return on PostgreSQL against the same return on SQLite, side by side.

    COORDINATOR_TEST_PG_URL=postgresql+psycopg://user:pw@127.0.0.1:5432/postgres \\
        python tests/benchmarks/bench_postgres.py [--runs N]

Goal (issue 13): on a local PostgreSQL with the large demo data, a monthly return takes at most
1.5 times its time on SQLite. Both databases are filled by the same generator with the same seed
and the same "today" (so they hold the same rows), cached (the SQLite file in `.cache/`, the
PostgreSQL database on the server, both named by schema revision) and measured alternately in
one run, so a busy machine slows both alike. Two figures: the whole `export-return` process
(what a coordinator waits for) and `export_return()` alone in a warm process (the queries and
the workbook, without Python's start-up). Without the environment variable it prints why and
does nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import CACHE, side_by_side

URL_VARIABLE = "COORDINATOR_TEST_PG_URL"
TODAY = date(2026, 11, 22)  # fixed, so both databases hold the same rows
LOCALITY, MONTH = "Rugby", "2026-10"
GOAL = 1.5


def _fill(target: str) -> None:
    from coordinator_app.core.db import open_database
    from coordinator_app.core.demo import generate_demo

    started = time.perf_counter()
    db = open_database(target)
    try:
        generate_demo(db, size="large", seed=1, today=TODAY)
    finally:
        db.dispose()
    print(f"built the large demo data in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def sqlite_database() -> Path:
    from coordinator_app.core.migrations import HEAD

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-large-1-{TODAY:%Y%m%d}-rev{HEAD}.db"
    if not path.exists():
        partial = path.with_suffix(".partial.db")
        partial.unlink(missing_ok=True)
        _fill(str(partial))
        for suffix in ("-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        os.replace(partial, path)
    return path


def postgres_database(admin_url: str) -> str:
    """The URL of the large demo database on the server, made and filled on first use."""
    from coordinator_app.core.migrations import HEAD

    return cached_postgres_database(admin_url, f"ic_bench_large_1_{TODAY:%Y%m%d}_rev{HEAD}", _fill)


def cached_postgres_database(admin_url: str, name: str, fill: Callable[[str], None]) -> str:
    """The URL of the database ``name`` on the server of ``admin_url``; made on first use by
    ``fill(url)`` into ``<name>_partial``, analysed (planner statistics), and renamed to ``name``
    only once complete, so a run stopped half-way never leaves a half-filled cache behind."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).scalar()
            if exists:
                return url
            building = f"{name}_partial"
            conn.execute(text(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{building}"'))
        building_url = make_url(admin_url).set(database=building)
        fill(building_url.render_as_string(hide_password=False))
        analysed = create_engine(building_url, isolation_level="AUTOCOMMIT")
        with analysed.connect() as conn:
            conn.execute(text("ANALYZE"))
        analysed.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{name}"'))
        return url
    finally:
        admin.dispose()


def for_command(url: str) -> tuple[str, dict[str, str]]:
    """``url`` (a server's, or a file's path) for ``--db`` without its password, and an
    environment holding it in ``PGPASSWORD``, as the command line asks (a password in ``--db``
    draws a warning)."""
    from sqlalchemy.engine import make_url

    env = dict(os.environ)
    if "://" not in url:  # a SQLite file's path
        return url, env
    parsed = make_url(url)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    return parsed.set(password=None).render_as_string(hide_password=False), env


def in_process(target: str, runs: int) -> float:
    """Median seconds of ``export_return`` in this (warm) process."""
    from coordinator_app import __version__
    from coordinator_app.core.db import open_database
    from coordinator_app.core.returns import export_return
    from coordinator_app.core.rules import Month

    db = open_database(target, create=False, check=False)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(runs + 1):
            started = time.perf_counter()
            export_return(
                db,
                locality=LOCALITY,
                month=Month.parse(MONTH),
                target=Path(tmp) / f"r{n}.xlsx",
                app_version=__version__,
            )
            if n:  # the first is the warm-up
                times.append(time.perf_counter() - started)
    db.dispose()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    admin_url = os.environ.get(URL_VARIABLE, "").strip()
    if not admin_url:
        print(
            f"skipped: set {URL_VARIABLE} to a PostgreSQL URL that may create databases "
            "(e.g. postgresql+psycopg://user:password@127.0.0.1:5432/postgres)"
        )
        return
    sqlite_db = str(sqlite_database())
    pg_db = postgres_database(admin_url)
    with tempfile.TemporaryDirectory() as tmp:

        def command(db: str, name: str) -> list[str]:
            return [
                sys.executable,
                "-m",
                "coordinator_app",
                "--db",
                db,
                "export-return",
                "--locality",
                LOCALITY,
                "--month",
                MONTH,
                "-o",
                os.path.join(tmp, name),
            ]

        pg_command, env = for_command(pg_db)
        t_pg, t_sqlite, ratio = side_by_side(
            command(pg_command, "pg.xlsx"),
            command(sqlite_db, "sqlite.xlsx"),
            runs=args.runs,
            env=env,
        )
    warm_pairs = [(in_process(pg_db, 1), in_process(sqlite_db, 1)) for _ in range(args.runs)]
    warm_pg = statistics.median(p for p, _ in warm_pairs)
    warm_sqlite = statistics.median(s for _, s in warm_pairs)
    warm_ratio = statistics.median(p / s for p, s in warm_pairs)
    print(f"large demo data, {LOCALITY} {MONTH}, median of {args.runs}")
    print(f"{'measure':46} {'PostgreSQL':>11} {'SQLite':>9} {'ratio':>7}  goal")
    print(
        f"{'export-return, whole process':46} {t_pg * 1000:8.0f} ms {t_sqlite * 1000:6.0f} ms "
        f"{ratio:6.2f}x  <= {GOAL}x {'met' if ratio <= GOAL else 'NOT met'}"
    )
    print(
        f"{'export_return() in a warm process':46} {warm_pg * 1000:8.0f} ms "
        f"{warm_sqlite * 1000:6.0f} ms {warm_ratio:6.2f}x"
    )


if __name__ == "__main__":
    main()
