"""Without a console, every command and the app still work, and errors go to the log.

PyInstaller's windowed exe (what a coordinator double-clicks on Windows) starts with
``sys.stdout`` and ``sys.stderr`` set to None (docs/engineering-notes.md#packaging-pyinstaller).
Found in issue #25: ``--exit-after-startup`` then exited 1 with an AttributeError (the
command line flushed them), and an error's sentence went nowhere. Here each run is a fresh
interpreter that sets both to None before it imports the app, as the frozen program does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parents[2]

#: Runs ``cli.main`` for each command line given as JSON, with no stdout or stderr, and writes
#: the exit codes to a file (there is nowhere else to write them).
THROUGH_MAIN = """
import json, sys
results_file, commands = sys.argv[1], json.loads(sys.argv[2])
sys.stdout = sys.stderr = None
from coordinator_app.cli import main
codes = []
for argv in commands:
    try:
        codes.append(main(argv))
    except SystemExit as leaving:  # --help and --version leave through argparse
        codes.append(leaving.code)
with open(results_file, "w", encoding="utf-8") as out:
    json.dump(codes, out)
"""

#: The process entry point itself (``entry``), as the exe runs it.
THROUGH_ENTRY = """
import sys
sys.stdout = sys.stderr = None
sys.argv = ["coordinator-app", *sys.argv[1:]]
from coordinator_app.cli import entry
entry()
"""


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    path = log_file(env)
    env["LOG_START"] = str(len(path.read_text(encoding="utf-8")) if path.is_file() else 0)
    return env


def log_file(env: dict[str, str]) -> Path:
    """Where the app logs in ``env`` (on Windows the system says, not HOME: the runner's own)."""
    where = subprocess.run(
        [sys.executable, "-c", "from coordinator_app.core.logfile import log_folder, LOG_NAME; "
         "print(log_folder() / LOG_NAME)"],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return Path(where.stdout.strip())


def log_text(env: dict[str, str]) -> str:
    """What this test added to the log (a Windows runner's log may hold earlier runs')."""
    path = log_file(env)
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return text[int(env["LOG_START"]) :]


def through_main(env: dict[str, str], tmp_path: Path, *commands: list[str]) -> list[int]:
    results = tmp_path / "codes.json"
    done = subprocess.run(
        [sys.executable, "-c", THROUGH_MAIN, str(results), json.dumps(commands)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == done.stderr == ""  # nothing reached the real streams
    return json.loads(results.read_text(encoding="utf-8"))


def test_the_window_starts_and_exits_0_without_a_console(
    env: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "Zoë" / "records.db"
    done = subprocess.run(
        [sys.executable, "-c", THROUGH_ENTRY, "--db", str(db), "--exit-after-startup"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, log_text(env)
    assert "Traceback" not in log_text(env)


def test_every_command_works_without_a_console(env: dict[str, str], tmp_path: Path) -> None:
    db = str(tmp_path / "records.db")
    codes = through_main(
        env,
        tmp_path,
        ["--db", db, "demo", "--size", "small"],
        ["--db", db, "check"],
        ["--db", db, "backup", "-o", str(tmp_path / "copy.db")],
        ["--db", db, "export-return", "--locality", "Rugby", "--month", "2026-10",
         "-o", str(tmp_path / "return.xlsx")],
        ["--db", db, "standards", "export", str(tmp_path / "framework.xlsx")],
        ["consolidate", str(tmp_path / "return.xlsx"), "-o", str(tmp_path / "all.xlsx")],
        ["--version"],
        ["--help"],
    )  # fmt: skip
    assert codes == [0] * 8, log_text(env)
    for made in ("copy.db", "return.xlsx", "framework.xlsx", "all.xlsx"):
        assert (tmp_path / made).is_file(), made
    assert "Traceback" not in log_text(env)


def test_minutes_are_printed_without_a_console(env: dict[str, str], tmp_path: Path) -> None:
    db = str(tmp_path / "records.db")
    assert through_main(env, tmp_path, ["--db", db, "demo", "--size", "small"]) == [0]
    import sqlite3

    with sqlite3.connect(db) as conn:
        (reference,) = conn.execute(
            "SELECT reference FROM meetings WHERE status = 'held' ORDER BY meeting_date DESC"
        ).fetchone()
    pdf = tmp_path / "minutes.pdf"
    assert through_main(env, tmp_path, ["--db", db, "minutes", "--meeting", reference,
                                        "-o", str(pdf)]) == [0]  # fmt: skip
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_without_a_console_an_error_s_sentence_goes_to_the_log(
    env: dict[str, str], tmp_path: Path
) -> None:
    db = str(tmp_path / "records.db")
    codes = through_main(
        env,
        tmp_path,
        ["--db", db, "demo", "--size", "small"],
        ["--db", db, "export-return", "--locality", "Nowhere", "--month", "2026-10",
         "-o", str(tmp_path / "r.xlsx")],
        ["--db", db, "export-return", "--locality", "Rugby", "--month", "2026-13",
         "-o", str(tmp_path / "r.xlsx")],
    )  # fmt: skip
    assert codes == [0, 1, 2]
    log = log_text(env)
    sentences = [line for line in log.splitlines() if "coordinator-app: " in line]
    assert len(sentences) == 2, log
    assert "Nowhere" in sentences[0]
    assert "2026-13" in sentences[1] or "month" in sentences[1].lower()
    assert "Traceback" not in log


def test_a_narrow_code_page_never_stops_a_command(env: dict[str, str], tmp_path: Path) -> None:
    """Output piped on Windows uses the system's code page (cp1252), which has no "ŵ": a name
    it cannot show must not turn a done job into an error."""
    db = tmp_path / "Dŵr Cymru" / "records.db"
    done = subprocess.run(
        [sys.executable, "-c", "from coordinator_app.cli import entry; entry()",
         "--db", str(db), "demo", "--size", "small"],
        capture_output=True, env={**env, "PYTHONIOENCODING": "cp1252"}, cwd=tmp_path,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode("cp1252", "replace")
    assert b"D?r Cymru" in done.stdout
