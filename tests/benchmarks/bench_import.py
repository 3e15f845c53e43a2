"""Import speed: a workbook of 10,000 actions and 20,000 attendance rows into a fresh database.

Run by hand (not collected by pytest): ``python tests/benchmarks/bench_import.py``. Prints the
time to build the workbook (not measured against the target), then the time to read and validate
it (the wizard's preview), to write it, and the whole ``import_workbook``, with the number of
progress reports seen. The issue's target is under 10 seconds for the whole import.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from coordinator_app.core.db import open_database
from coordinator_app.core.importer import SHEETS, apply_import, read_import_workbook

MEETINGS = 1_000
PEOPLE = 400
ACTIONS = 10_000
ATTENDANCE = 20_000
NAMES = ("Zoë", "Siân", "Seán", "Aoife", "Priya", "Tomasz", "Grace", "Oluwaseun", "Mia", "Ravi")
SURNAMES = ("Hart", "O'Neill", "Murphy", "Shah", "Nowak", "Okafor", "Evans", "Brown")


def build(path: Path) -> None:
    workbook = Workbook(write_only=True)
    start = date(2016, 1, 1)
    localities = ("Rugby", "Coventry", "North Warwickshire", "South Warwickshire")

    def sheet(name: str, rows):
        ws = workbook.create_sheet(name)
        ws.append([spec.name for spec in SHEETS[name]])
        for row in rows:
            ws.append(row)

    names = [f"{NAMES[i % 10]} {SURNAMES[(i // 10) % 8]} {i}" for i in range(PEOPLE)]
    sheet("Participants", ([n, "Service user" if i % 3 else "Carer", localities[i % 4]]
                           for i, n in enumerate(names)))  # fmt: skip
    meetings = [
        (f"M{i:05d}", localities[i % 4], f"{localities[i % 4]} Forum",
         start + timedelta(days=3 * i))
        for i in range(MEETINGS)
    ]  # fmt: skip
    sheet("Meetings", ([ref, loc, forum, on, "14:00", "Hall", "In person", "Held"]
                       for ref, loc, forum, on in meetings))  # fmt: skip
    per_meeting = ATTENDANCE // MEETINGS
    sheet("Attendance", ([meetings[i // per_meeting][0], names[(i * 7 + i // per_meeting) % PEOPLE],
                          "Present"] for i in range(ATTENDANCE)))  # fmt: skip
    sheet("Actions", ([f"A{i:06d}", meetings[i % MEETINGS][0], f"Action number {i}", "detail",
                       "Owner", "Locality", "Our care", meetings[i % MEETINGS][3].isoformat(),
                       None, "Open", None, ""] for i in range(ACTIONS)))  # fmt: skip
    workbook.save(path)


def import_once(book: Path, folder: Path, run: int) -> tuple[float, float, int, str]:
    """Import ``book`` into a fresh database; (read seconds, write seconds, reports, summary)."""
    db = open_database(folder / f"bench-{run}.db")
    reports: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        reports.append((done, total))

    try:
        started = time.perf_counter()
        plan = read_import_workbook(book, db, progress=progress)
        read_s = time.perf_counter() - started
        if plan.problems:
            raise SystemExit("\n".join(plan.problems[:10]))
        started = time.perf_counter()
        summary = apply_import(db, plan, progress=progress)
        write_s = time.perf_counter() - started
    finally:
        db.dispose()
    return read_s, write_s, len(reports), summary.sentence()


def measure(runs: int = 3) -> dict[str, float]:
    """Medians in seconds over ``runs`` imports into fresh databases: ``read`` (read and
    validate), ``write`` and ``whole``; also ``build`` (making the workbook, not measured)."""
    with tempfile.TemporaryDirectory() as folder:
        folder_path = Path(folder)
        book = folder_path / "big.xlsx"
        started = time.perf_counter()
        build(book)
        built = time.perf_counter() - started
        results = [import_once(book, folder_path, run) for run in range(runs)]
    return {
        "build": built,
        "read": statistics.median(r[0] for r in results),
        "write": statistics.median(r[1] for r in results),
        "whole": statistics.median(r[0] + r[1] for r in results),
        "best": min(r[0] + r[1] for r in results),
        "reports": results[0][2],
        "summary": results[0][3],
    }


def main(runs: int = 3) -> int:
    print(f"load average {os.getloadavg()[0]:.1f}")
    result = measure(runs)
    print(f"built workbook in {result['build']:.2f} s")
    print(result["summary"])
    print(f"progress reports per import: {result['reports']}")
    for label, key in (
        ("read and validate", "read"),
        ("write", "write"),
        ("whole import", "whole"),
    ):
        print(f"{label:18} median {result[key]:5.2f} s over {runs} runs")
    print("target: whole import under 10 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
