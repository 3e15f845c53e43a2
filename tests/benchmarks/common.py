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


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]
