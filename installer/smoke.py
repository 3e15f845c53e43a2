"""The bundle's smoke test: run a built bundle the way a coordinator and IT's scripts do.

    python installer/smoke.py dist/InvolvementCoordinator

With the console program (``coordinator-app-cli.exe`` on Windows, ``coordinator-app``
elsewhere): ``--version`` names ``coordinator_app.__version__``; ``demo`` fills a database in a
folder named "Zoë Smith"; ``check``, ``export-return`` and ``minutes`` of that data, and
``standards export``. With the program a coordinator starts (windowed on Windows):
``--exit-after-startup`` exits 0. Every run has Qt offscreen and a time limit. Prints one line
per step; exit status 0 when all pass, 1 at the first failure (its output is shown).

The Windows workflow runs it on the built bundle; ``tests/cli/test_bundle.py`` runs it on the
Linux one, so the script itself is checked on every CI run.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from version import app_version  # noqa: E402

TIMEOUT = 180


class SmokeFailure(Exception):
    pass


def programs(bundle: Path) -> tuple[Path, Path]:
    """(console, windowed) programs of the bundle."""
    if sys.platform == "win32":
        return bundle / "coordinator-app-cli.exe", bundle / "coordinator-app.exe"
    return bundle / "coordinator-app", bundle / "coordinator-app"


def run(program: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [str(program), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=TIMEOUT
    )
    if done.returncode != 0:
        raise SmokeFailure(
            f"{program.name} {' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}"
        )
    return done


def latest_held_meeting(db: Path) -> tuple[str, str, str]:
    """(reference, locality, YYYY-MM) of the latest held meeting in the demo data."""
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT m.reference, l.name, substr(m.meeting_date, 1, 7) FROM meetings m "
            "JOIN forums f ON f.id = m.forum_id JOIN localities l ON l.id = f.locality_id "
            "WHERE m.status = 'held' ORDER BY m.meeting_date DESC LIMIT 1"
        ).fetchone()
    if row is None:
        raise SmokeFailure("the demo data has no held meeting")
    return row[0], row[1], row[2]


def smoke(bundle: Path, work: Path) -> list[str]:
    """Run every step; the lines reported. Raises SmokeFailure at the first failure."""
    console, windowed = programs(bundle)
    for program in {console, windowed}:
        if not program.is_file():
            raise SmokeFailure(f"{program} is missing")
    done: list[str] = []
    version = app_version()
    shown = run(console, "--version", cwd=work).stdout
    if version not in shown:
        raise SmokeFailure(f"--version says {shown.strip()!r}, not {version}")
    done.append(f"version: {shown.strip()}")

    folder = work / "Zoë Smith"
    folder.mkdir(exist_ok=True)
    db = folder / "demo.db"
    run(console, "--db", str(db), "demo", "--size", "small", cwd=work)
    done.append("demo: ok")
    run(console, "--db", str(db), "check", cwd=work)
    done.append("check: ok")

    reference, locality, month = latest_held_meeting(db)
    workbook = folder / "return.xlsx"
    run(console, "--db", str(db), "export-return", "--locality", locality, "--month", month,
        "-o", str(workbook), cwd=work)  # fmt: skip
    if workbook.read_bytes()[:2] != b"PK":
        raise SmokeFailure("the monthly return is not a workbook")
    done.append(f"export-return: ok ({locality}, {month})")

    pdf = folder / "minutes.pdf"
    run(console, "--db", str(db), "minutes", "--meeting", reference, "-o", str(pdf), cwd=work)
    if pdf.read_bytes()[:5] != b"%PDF-":
        raise SmokeFailure("the minutes are not a PDF")
    done.append(f"minutes: ok ({reference})")

    framework = folder / "framework.xlsx"
    run(console, "--db", str(db), "standards", "export", str(framework), cwd=work)
    done.append("standards export: ok")

    run(windowed, "--db", str(db), "--exit-after-startup", cwd=work)
    done.append(f"{windowed.name} --exit-after-startup: ok")
    return done


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python installer/smoke.py BUNDLE_FOLDER", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="coordinator-smoke-") as work:
        try:
            for line in smoke(Path(args[0]).resolve(), Path(work)):
                print(f"smoke: {line}", flush=True)
        except (SmokeFailure, subprocess.TimeoutExpired, OSError) as exc:
            print(f"smoke: FAILED: {exc}", file=sys.stderr)
            return 1
    print("smoke: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
