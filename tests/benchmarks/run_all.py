"""Every benchmark of issue "Fast with ten years of data", at three sizes, in one run.

    /work/venv/bin/python tests/benchmarks/run_all.py [--runs N] [--sizes quarter,half,large]
                                                     [--skip import,consolidate,minutes]

Prints a Markdown table (figures at a quarter, half and the whole of the large demo, the goal,
whether the large figure meets it, and how the figure grows with the data) and writes
``tests/benchmarks/results.json`` (gitignored).

How it measures:
- Whole-process figures (start-up, the monthly return) are medians of ``--runs`` runs, each run
  alternating with its bare baseline in the same loop (``common.side_by_side``), and the ratio
  quoted is the median of the per-pair ratios, so a busy machine slows both sides alike.
- In-process figures (lists, keystrokes, minutes, import) run in a fresh child process each, so
  one measurement's caches and memory never help or hurt another.
- Peak memory is the child's own ``ru_maxrss`` (``os.wait4``).
- The quarter and half sizes are the large demo with everything before a cut-off deleted
  (``common.sized_database``); start-up and list figures are measured on each, import, minutes
  and consolidation once (they do not read the demo database, or do not depend on its size).

Growth is the exponent k in figure ~ rows^k between the quarter and the large size: about 0 is
flat (does not grow with the data), about 1 is linear.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import (  # noqa: E402
    BARE_RETURN,
    BARE_STARTUP,
    CACHE,
    FRACTIONS,
    counts,
    large_database,
    peak_rss_mb,
    side_by_side,
    sized_database,
)

RESULTS = HERE / "results.json"
PY = sys.executable

RETURN_LOCALITY = "Rugby"
RETURN_MONTH = "2026-10"
CONSOLIDATE_MONTHS = 12  # x 8 localities = 96 returns

#: (key, label, unit, goal text, goal test on the large figure or None)
MEASURES: tuple[tuple[str, str, str, str, object], ...] = (
    ("startup_s", "start-up to Home filled", "s", "", None),
    ("startup_bare_s", "bare ORM + empty QMainWindow", "s", "", None),
    ("startup_ratio", "start-up / bare (median of pairs)", "x", "<= 1.2x", lambda v: v <= 1.2),
    ("return_s", "export-return (Rugby, 2026-10)", "s", "", None),
    ("return_bare_s", "bare ORM + openpyxl, six sheets", "s", "", None),
    ("return_ratio", "return / bare (median of pairs)", "x", "<= 1.2x", lambda v: v <= 1.2),
    ("meetings_open_ms", "open meetings list", "ms", "< 150 ms", lambda v: v < 150),
    ("meetings_key_p50_ms", "meetings filter keystroke p50", "ms", "", None),
    ("meetings_key_p95_ms", "meetings filter keystroke p95", "ms", "< 30 ms", lambda v: v < 30),
    ("participants_open_ms", "open participants list", "ms", "< 150 ms", lambda v: v < 150),
    ("participants_key_p50_ms", "participants filter keystroke p50", "ms", "", None),
    (
        "participants_key_p95_ms",
        "participants filter keystroke p95",
        "ms",
        "< 30 ms",
        lambda v: v < 30,
    ),
    ("actions_open_ms", "open actions list (rows shown)", "ms", "< 150 ms", lambda v: v < 150),
    ("actions_key_p50_ms", "actions filter keystroke p50", "ms", "", None),
    ("actions_key_p95_ms", "actions filter keystroke p95", "ms", "< 30 ms", lambda v: v < 30),
    ("rss_startup_mb", "peak memory, --exit-after-startup", "MB", "< 250 MB", lambda v: v < 250),
    (
        "rss_pages_mb",
        "peak memory, Home + Meetings + Participants + Actions",
        "MB",
        "< 250 MB",
        lambda v: v < 250,
    ),
    ("minutes_s", "minutes to PDF (40 attendees, 30 actions)", "s", "< 0.3 s", lambda v: v < 0.3),
    ("import_s", "import 10,000 actions + 20,000 attendances", "s", "< 10 s", lambda v: v < 10),
    ("consolidate_s", "consolidate 96 returns (whole command)", "s", "< 10 s", lambda v: v < 10),
)


def settings_env() -> dict[str, str]:
    """Offscreen Qt and a settings folder of its own (the window opens on Home)."""
    return dict(
        os.environ,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="bench-settings-"),
    )


def child(*args: str) -> dict[str, object]:
    """Run one worker of this script in a fresh process; its JSON answer (last stdout line)."""
    done = subprocess.run(
        [PY, str(Path(__file__).resolve()), "--worker", *args],
        check=True,
        env=settings_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- workers (run in a child process) -----------------------------------------------------------


def worker_lists(db_path: str) -> dict[str, object]:
    from bench_startup import list_figures

    figures: dict[str, object] = dict(list_figures(Path(db_path)))
    figures.update(_actions_figures(Path(db_path)))
    return figures


def _wait_for_rows(page: Any, limit: float = 30.0) -> None:
    """The actions page reads its rows on a worker thread: wait for its ``loaded`` signal."""
    from PySide6.QtCore import QEventLoop, QTimer

    if page.model.rowCount():
        return
    loop = QEventLoop()
    page.loaded.connect(loop.quit)
    QTimer.singleShot(int(limit * 1000), loop.quit)
    loop.exec()
    page.loaded.disconnect(loop.quit)
    if page.model.rowCount() == 0:
        raise RuntimeError("the actions list did not load")


def _actions_figures(db_path: Path) -> dict[str, float]:
    """The actions list: open until its rows are shown (it loads them on a worker thread;
    median of 5) and filter keystrokes once loaded, as for the other lists."""
    from common import percentile, type_filter_words
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QLineEdit

    from coordinator_app.core.db import open_database
    from coordinator_app.ui.app import ensure_application
    from coordinator_app.ui.context import AppContext
    from coordinator_app.ui.views.actions import ActionsPage

    ensure_application()
    ctx = AppContext(db=open_database(db_path))
    # As the app does once its window is up: start-up's objects out of the collector's way.
    gc.collect()
    gc.freeze()
    keep = []
    opens = []
    for _ in range(5):
        started = time.perf_counter()
        page = ActionsPage(ctx)
        page.show()
        QCoreApplication.processEvents()
        _wait_for_rows(page)
        QCoreApplication.processEvents()
        opens.append(time.perf_counter() - started)
        page.hide()
        keep.append(page)
    page = ActionsPage(ctx)
    page.show()
    QCoreApplication.processEvents()
    _wait_for_rows(page)
    box = getattr(page, "text_filter", None) or page.findChild(QLineEdit)
    keystrokes = type_filter_words(box)
    return {
        "actions_open_ms": statistics.median(opens) * 1000,
        "actions_key_p50_ms": percentile(keystrokes, 50) * 1000,
        "actions_key_p95_ms": percentile(keystrokes, 95) * 1000,
    }


def worker_pages(db_path: str) -> dict[str, object]:
    """The main window on Home, then the Meetings, Participants and Actions pages opened as a
    user would; the process's peak RSS in MB."""
    import resource

    from PySide6.QtCore import QCoreApplication

    from coordinator_app.core.db import open_database
    from coordinator_app.ui import main_window as mw
    from coordinator_app.ui.app import ensure_application
    from coordinator_app.ui.context import AppContext

    ensure_application()
    ctx = AppContext(db=open_database(db_path))
    window = mw.MainWindow(ctx)
    window.show()
    QCoreApplication.processEvents()
    for page in (mw.PAGE_MEETINGS, mw.PAGE_PARTICIPANTS, mw.PAGE_ACTIONS):
        window.show_page(page)
        QCoreApplication.processEvents()
    _wait_for_rows(window.page(mw.PAGE_ACTIONS))  # its rows come from a worker thread
    QCoreApplication.processEvents()
    return {"rss_pages_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def worker_minutes() -> dict[str, object]:
    from bench_minutes import measure

    return {"minutes_s": measure()["total"]}


def worker_import(runs: str) -> dict[str, object]:
    from bench_import import measure

    result = measure(int(runs))
    return {"import_s": result["whole"], "import_read_s": result["read"]}


def worker_returns(db_path: str, folder: str) -> dict[str, object]:
    """Write 8 localities x 12 months of returns into ``folder`` (the consolidation input)."""
    from coordinator_app import __version__
    from coordinator_app.core.db import open_database
    from coordinator_app.core.returns import export_return
    from coordinator_app.core.rules import Month

    db = open_database(db_path)
    with db.session() as session:
        from sqlalchemy import text

        names = [r[0] for r in session.execute(text("SELECT name FROM localities ORDER BY name"))]
    year, month = map(int, RETURN_MONTH.split("-"))
    written = 0
    for back in range(CONSOLIDATE_MONTHS):
        y, m = divmod(year * 12 + month - 1 - back, 12)
        for number, name in enumerate(names):
            target = Path(folder) / f"return-{number}-{y}-{m + 1:02d}.xlsx"
            export_return(
                db, locality=name, month=Month(y, m + 1), target=target, app_version=__version__
            )
            written += 1
    db.dispose()
    return {"returns": written}


WORKERS = {
    "lists": worker_lists,
    "pages": worker_pages,
    "minutes": worker_minutes,
    "import": worker_import,
    "returns": worker_returns,
}


# --- the run ------------------------------------------------------------------------------------


def measure_size(db: Path, runs: int) -> dict[str, object]:
    env = settings_env()
    figures: dict[str, object] = {"counts": counts(db)}
    app = [PY, "-m", "coordinator_app", "--db", str(db), "--exit-after-startup"]
    t_app, t_bare, ratio = side_by_side(app, [PY, "-c", BARE_STARTUP], runs=runs, env=env)
    figures.update(startup_s=t_app, startup_bare_s=t_bare, startup_ratio=ratio)
    with tempfile.TemporaryDirectory() as tmp:
        out_app, out_bare = os.path.join(tmp, "return.xlsx"), os.path.join(tmp, "bare.xlsx")
        ret = [PY, "-m", "coordinator_app", "--db", str(db), "export-return"]
        ret += ["--locality", RETURN_LOCALITY, "--month", RETURN_MONTH, "-o", out_app]
        t_ret, t_rbare, r_ratio = side_by_side(
            ret, [PY, "-c", BARE_RETURN, out_bare], runs=runs, env=env
        )
    figures.update(return_s=t_ret, return_bare_s=t_rbare, return_ratio=r_ratio)
    figures.update(child("lists", str(db)))
    figures["rss_startup_mb"] = statistics.median(peak_rss_mb(app, env) for _ in range(3))
    figures.update(child("pages", str(db)))
    return figures


def measure_consolidate(db: Path, runs: int) -> float:
    from coordinator_app.core.migrations import HEAD

    folder = CACHE / f"returns-rev{HEAD}"
    if not folder.exists() or len(list(folder.glob("*.xlsx"))) != 8 * CONSOLIDATE_MONTHS:
        partial = CACHE / f"returns-rev{HEAD}.partial"
        if partial.exists():
            for old in partial.iterdir():
                old.unlink()
        partial.mkdir(parents=True, exist_ok=True)
        child("returns", str(db), str(partial))
        os.replace(partial, folder)
    paths = sorted(str(p) for p in folder.glob("*.xlsx"))
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        command = [PY, "-m", "coordinator_app", "consolidate", *paths, "-o", f"{tmp}/all.xlsx"]
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=settings_env())
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def growth(small: float | None, large: float | None, rows_small: int, rows_large: int) -> str:
    if not small or not large or small <= 0 or large <= 0:
        return ""
    k = math.log(large / small) / math.log(rows_large / rows_small)
    words = "flat" if k < 0.25 else "sub-linear" if k < 0.75 else "linear" if k < 1.25 else "super"
    return f"{large / small:.2f}x ({words}, k={k:.2f})"


def fmt(value: object, unit: str) -> str:
    if not isinstance(value, int | float):
        return "-"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    return f"{value:.0f} {unit}"


def table(results: dict[str, object]) -> str:
    sizes: dict[str, dict[str, object]] = results["sizes"]  # type: ignore[assignment]
    once: dict[str, object] = results["once"]  # type: ignore[assignment]
    names = [s for s in ("quarter", "half", "large") if s in sizes]
    columns = names or ["figure"]  # only the size-independent figures were measured
    lines = [
        "| measure | " + " | ".join(columns) + " | goal | met | growth quarter -> large |",
        "|---|" + "---:|" * len(columns) + "---|---|---|",
    ]
    rows = {n: sizes[n]["counts"]["meetings"] for n in names}  # type: ignore[index]
    for key, label, unit, goal, test in MEASURES:
        if key in once:
            cells = ["" for _ in columns]
            cells[-1] = fmt(once[key], unit)
            value = once[key]
            grow = "(size-independent)"
        else:
            if not any(key in sizes[n] for n in names):
                continue
            cells = [fmt(sizes[n].get(key), unit) for n in names]
            value = sizes[names[-1]].get(key) if names else None
            grow = ""
            if "quarter" in sizes and "large" in sizes:
                grow = growth(
                    sizes["quarter"].get(key),  # type: ignore[arg-type]
                    sizes["large"].get(key),  # type: ignore[arg-type]
                    rows["quarter"],  # type: ignore[arg-type]
                    rows["large"],  # type: ignore[arg-type]
                )
        met = "" if test is None or value is None else ("yes" if test(value) else "**no**")
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {goal} | {met} | {grow} |")
    sizes_line = "; ".join(
        f"{n}: " + ", ".join(f"{v} {k}" for k, v in sizes[n]["counts"].items())  # type: ignore[union-attr]
        for n in names
    )
    machine = results["machine"]
    return (
        "\n".join(lines)
        + f"\n\nRows: {sizes_line}.\n"
        + f"Load average before {machine['load_before']}, after {machine['load_after']}; "
        + f"{machine['cpus']} CPUs; {results['runs']} runs per side-by-side figure.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="pairs per side-by-side figure")
    parser.add_argument("--sizes", default="quarter,half,large")
    parser.add_argument("--skip", default="", help="any of import,consolidate,minutes")
    parser.add_argument("--import-runs", type=int, default=2)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    skip = {s for s in args.skip.split(",") if s}
    results: dict[str, object] = {
        "machine": {"load_before": os.getloadavg(), "cpus": os.cpu_count()},
        "runs": args.runs,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "sizes": {},
        "once": {},
    }
    large = large_database()
    for size in filter(None, args.sizes.split(",")):
        if size not in FRACTIONS:
            raise SystemExit(f"unknown size {size!r}; choose from {', '.join(FRACTIONS)}")
        db = sized_database(size)
        print(f"measuring {size} ({db.name}) ...", file=sys.stderr)
        results["sizes"][size] = measure_size(db, args.runs)  # type: ignore[index]
    once: dict[str, object] = results["once"]  # type: ignore[assignment]
    if "minutes" not in skip:
        print("measuring minutes ...", file=sys.stderr)
        once.update(child("minutes"))
    if "import" not in skip:
        print("measuring import ...", file=sys.stderr)
        once.update(child("import", str(args.import_runs)))
    if "consolidate" not in skip:
        print("measuring consolidation ...", file=sys.stderr)
        once["consolidate_s"] = measure_consolidate(large, 3)
    results["machine"]["load_after"] = os.getloadavg()  # type: ignore[index]
    args.output.write_text(json.dumps(results, indent=2, default=str))
    print(table(results))
    print(f"(written to {args.output})")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        answer = WORKERS[sys.argv[2]](*sys.argv[3:])
        print(json.dumps(answer))
        sys.stdout.flush()
        os._exit(0)  # leave without tearing down pages one by one (the app never does that)
    main()
