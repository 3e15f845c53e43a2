"""Growth on PostgreSQL at four times the large demo data, beside the same on SQLite (issue "Fast
at sixteen times the data", item 5).

    COORDINATOR_TEST_PG_URL=postgresql+psycopg://user:pw@127.0.0.1:5432/postgres \\
        python tests/benchmarks/bench_postgres_scale.py [--runs N] [--scale 1,4]

Each size's PostgreSQL database holds exactly the rows of the SQLite file ``bench_scale.py``
measures (``common.scaled_database``: every locality's records copied under new ids): the schema
is made by opening the server's URL with the app's ``open_database`` (which migrates), the rows
the migrations seed are deleted, then every table of ``core/schema.py`` is copied from the SQLite
file in dependency order (SQLAlchemy Core ``insert()``, batches of ``BATCH`` rows, so both ends
convert the values as the app does) and each table's count compared with the file's. Cached on
the server as ``ic_bench_large_1_rev<HEAD>_x<N>``, built as ``..._partial``, analysed and renamed
only when complete (``bench_postgres.cached_postgres_database``).

Measured per size against 1x alternately in this run (each figure a median, each growth the
median of the per-pair ratios, so a busy machine slows both sides alike), on PostgreSQL and then
on SQLite:

- ``export-return`` of Rugby 2026-10, the whole process (``common.side_by_side``);
- the lists' reads as the app makes them for the coordinator's own localities
  (``core.rows.coordinated_localities``), the very calls of ``tests/core/test_list_plans.py``
  ``LISTS`` (with its ``TODAY``): meetings and tracker first screenful (300) and whole, the
  participant directory;
- Home's reads: ``core.home.home_summary`` and ``payments.claims.claims_waiting`` for its
  localities, as ``ui/views/home.py`` makes them;

the reads in this (warm) process, one database open per backend and size, ``CALLS_PER_RUN``
pairs per run (``common.side_by_side_calls``). Goal: 4x at most ``GOAL`` times 1x. Without the
environment variable it prints why and does nothing. Pitfall: the scaled SQLite files come from
``.cache/`` (4x is about 460 MB and takes a few minutes to build); filling the 4x PostgreSQL
database from it takes a few minutes more, once.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))  # the repository, for the lists' calls in tests/core

from bench_postgres import (  # noqa: E402
    LOCALITY,
    MONTH,
    URL_VARIABLE,
    cached_postgres_database,
    for_command,
)
from common import counts, scaled_database, side_by_side, side_by_side_calls  # noqa: E402

GOAL = 1.25
BATCH = 5000
#: Pairs of in-process reads per ``--runs``: a read takes milliseconds, a process a second.
CALLS_PER_RUN = 5


def copy_rows(source: Path, target: str) -> None:
    """Make the app's schema at ``target`` (a PostgreSQL URL) and copy every row of the SQLite
    file ``source`` into it; raises if any table's count differs afterwards."""
    from sqlalchemy import create_engine, delete, func, insert, select

    from coordinator_app.core import schema
    from coordinator_app.core.db import open_database

    started = time.perf_counter()
    open_database(target).dispose()  # migrates the empty database to this version's schema
    tables = schema.metadata.sorted_tables  # parents first
    reader = create_engine(f"sqlite:///file:{source}?mode=ro&uri=true")
    writer = create_engine(target)
    try:
        with reader.connect() as read, writer.begin() as write:
            for table in reversed(tables):  # what the migrations seeded, children first
                write.execute(delete(table))
            for table in tables:
                result = read.execution_options(yield_per=BATCH).execute(select(table))
                for chunk in result.mappings().partitions(BATCH):
                    write.execute(insert(table), [dict(row) for row in chunk])
            differ = {
                table.name: (want, got)
                for table in tables
                if (want := read.scalar(select(func.count()).select_from(table)))
                != (got := write.scalar(select(func.count()).select_from(table)))
            }
            if differ:
                raise RuntimeError(f"rows differ after copying (SQLite, PostgreSQL): {differ}")
    finally:
        reader.dispose()
        writer.dispose()
    took = time.perf_counter() - started
    print(f"copied {source.name} into PostgreSQL in {took:.0f} s", file=sys.stderr)


def postgres_scaled(admin_url: str, factor: int, source: Path) -> str:
    """The URL of the PostgreSQL copy of the scaled SQLite file ``source``, made on first use."""
    from coordinator_app.core.migrations import HEAD

    return cached_postgres_database(
        admin_url,
        f"ic_bench_large_1_rev{HEAD}_x{factor}",
        lambda url: copy_rows(source, url),
    )


def reads(db: Any) -> dict[str, Callable[[], object]]:
    """The reads measured, as the app makes them for the coordinator's own localities."""
    from coordinator_app.core.home import home_summary
    from coordinator_app.core.payments.claims import claims_waiting
    from coordinator_app.core.rows import coordinated_localities
    from tests.core.test_list_plans import LISTS

    with db.reading() as conn:
        scope = coordinated_localities(conn)
    today = date.today()

    def home() -> None:
        summary = home_summary(db, today=today)
        claims_waiting(db, today, locality_ids=summary.locality_ids or None)

    named: dict[str, Callable[[], object]] = {
        name: (lambda call=call: call(db, scope)) for name, call in LISTS.items()
    }
    named["Home (home_summary + claims_waiting)"] = home
    return named


def measure(admin_url: str, factors: list[int], runs: int) -> dict[str, Any]:
    """Every figure: ``{backend: {measure: {factor: seconds, "growth_N": ratio}}}``."""
    from coordinator_app.core.db import open_database

    sqlite = {n: scaled_database(n) for n in factors}
    targets = {
        "PostgreSQL": {n: postgres_scaled(admin_url, n, sqlite[n]) for n in factors},
        "SQLite": {n: str(sqlite[n]) for n in factors},
    }
    figures: dict[str, dict[str, dict[str, float]]] = {b: {} for b in targets}
    with tempfile.TemporaryDirectory() as tmp:

        def export(db: str, name: str) -> list[str]:
            out = os.path.join(tmp, name)
            return [sys.executable, "-m", "coordinator_app", "--db", db, "export-return",
                    "--locality", LOCALITY, "--month", MONTH, "-o", out]  # fmt: skip

        for backend, dbs in targets.items():
            entry = figures[backend].setdefault("export-return, whole process", {})
            command = {n: for_command(dbs[n]) for n in factors}  # no password in --db
            for n in factors[1:]:
                print(f"export-return, {backend} {n}x against 1x ...", file=sys.stderr)
                a, b, ratio = side_by_side(
                    export(command[n][0], "a.xlsx"),
                    export(command[1][0], "b.xlsx"),
                    runs,
                    env=command[1][1],
                )
                entry.update({str(n): a, "1": b, f"growth_{n}": ratio})
    for backend, dbs in targets.items():
        opened = {n: open_database(dbs[n], check=False, read_only=True) for n in factors}
        try:
            calls = {n: reads(opened[n]) for n in factors}
            for name in calls[1]:
                entry = figures[backend].setdefault(name, {})
                for n in factors[1:]:
                    print(f"{name}, {backend} {n}x against 1x ...", file=sys.stderr)
                    a, b, ratio = side_by_side_calls(
                        calls[n][name], calls[1][name], runs * CALLS_PER_RUN
                    )
                    entry.update({str(n): a, f"growth_{n}": ratio})
                    entry.setdefault("1", b)
        finally:
            for db in opened.values():
                db.dispose()
    return {"figures": figures, "counts": {n: counts(sqlite[n]) for n in factors}}


def table(results: dict[str, Any], factors: list[int]) -> str:
    """The Markdown table: each figure per size and its growth, PostgreSQL beside SQLite."""
    figures = results["figures"]
    backends = list(figures)
    heads, rule = ["measure"], ["---"]
    for backend in backends:
        heads += [f"{backend} {n}x" for n in factors]
        heads += [f"{backend} {n}x/1x" for n in factors[1:]]
        rule += ["---:"] * (2 * len(factors) - 1)
    heads.append(f"goal: growth <= {GOAL}x")
    rule.append("---")
    lines = ["| " + " | ".join(heads) + " |", "|" + "|".join(rule) + "|"]
    for name in figures[backends[0]]:
        cells, verdicts = [name], []
        for backend in backends:
            entry = figures[backend][name]
            cells += [_ms(entry[str(n)]) for n in factors]
            growths = [entry[f"growth_{n}"] for n in factors[1:]]
            cells += [f"{g:.2f}x" for g in growths]
            verdicts.append(f"{backend} {'met' if max(growths) <= GOAL else '**not met**'}")
        cells.append(", ".join(verdicts))
        lines.append("| " + " | ".join(cells) + " |")
    rows = "; ".join(
        f"{n}x: " + ", ".join(f"{c:,} {t}" for t, c in results["counts"][n].items())
        for n in factors
    )
    return "\n".join(lines) + f"\n\nRows: {rows}.\n"


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.1f} ms" if ms < 100 else f"{ms:,.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="pairs per side-by-side figure")
    parser.add_argument("--scale", default="1,4", help="the sizes, each against 1x")
    args = parser.parse_args()
    admin_url = os.environ.get(URL_VARIABLE, "").strip()
    if not admin_url:
        print(
            f"skipped: set {URL_VARIABLE} to a PostgreSQL URL that may create databases "
            "(e.g. postgresql+psycopg://user:password@127.0.0.1:5432/postgres)"
        )
        return
    factors = sorted({1, *(int(s) for s in args.scale.split(",") if s)})
    if len(factors) < 2:
        raise SystemExit("--scale needs a size other than 1 to compare with 1x")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = os.getloadavg()
    results = measure(admin_url, factors, args.runs)
    print(
        f"Measured {started}, median of {args.runs} pairs per figure, {os.cpu_count()} CPUs; "
        f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}.\n"
    )
    print(table(results, factors))


if __name__ == "__main__":
    main()
