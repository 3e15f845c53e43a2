"""The process entry point (``cli.entry``): one command, then exit, without the garbage
collector's work for nobody. A short command runs with collection off; a long one (demo, import,
consolidate) turns it back on once its modules are loaded; ``main`` called inside another
program (these tests) leaves the collector exactly as it found it."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from coordinator_app import cli

ROOT = Path(__file__).resolve().parents[2]

# Runs ``entry`` for one command with the command's core function wrapped to note whether the
# collector is on when the real work starts; prints that and the exit code.
PROBE = """
import gc, importlib, sys
module_name, function, *argv = sys.argv[1:]
module = importlib.import_module(module_name)
real = getattr(module, function)
def noting(*args, **kwargs):
    print("collecting:", gc.isenabled(), flush=True)
    return real(*args, **kwargs)
setattr(module, function, noting)
sys.argv = ["coordinator-app", *argv]
from coordinator_app.cli import entry
try:
    entry()
except SystemExit as leaving:
    print("exit:", leaving.code, "frozen:", gc.get_freeze_count() > 0, flush=True)
    raise
"""


def _probe(module: str, function: str, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROBE, module, function, *argv],
        capture_output=True,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        cwd=ROOT,
        timeout=120,
    )


def test_a_short_command_runs_without_collection_and_leaves_frozen(
    db_target: str, tmp_path: Path
) -> None:
    done = _probe(
        "coordinator_app.core.returns",
        "export_return",
        "--db",
        db_target,
        "export-return",
        "--locality",
        "Nowhere",
        "--month",
        "2026-10",
        "-o",
        str(tmp_path / "r.xlsx"),
    )
    assert done.returncode == 1, done.stderr  # an unknown locality: one sentence, exit 1
    assert "collecting: False" in done.stdout
    assert "exit: 1 frozen: True" in done.stdout
    assert "Nowhere" in done.stderr and "Traceback" not in done.stderr


def test_a_long_command_collects_as_usual_once_loaded(tmp_path: Path) -> None:
    done = _probe(
        "coordinator_app.core.consolidate",
        "consolidate",
        "consolidate",
        str(tmp_path / "missing.xlsx"),
        "-o",
        str(tmp_path / "all.xlsx"),
    )
    assert "collecting: True" in done.stdout, done.stdout + done.stderr
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_collect_as_usual_turns_collection_back_on_when_entry_turned_it_off() -> None:
    gc.disable()
    try:
        cli._collect_as_usual()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_collect_as_usual_changes_nothing_inside_another_program() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    cli._collect_as_usual()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_main_leaves_the_collector_as_it_found_it(db_target: str, tmp_path: Path, capsys) -> None:
    frozen = gc.get_freeze_count()
    target = tmp_path / "return.xlsx"
    args = ["--db", db_target, "export-return", "--locality", "Rugby", "--month", "2026-10"]
    assert cli.main([*args, "-o", str(target)]) in (0, 1)
    assert cli.main(["consolidate", str(tmp_path / "missing.xlsx"), "-o", str(tmp_path / "a")]) == 1
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
    capsys.readouterr()
