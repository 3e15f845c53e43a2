"""What the way to the window reads of the database: a few pages, never the whole file.

The damage check (``PRAGMA quick_check``, every page of the file: 18-21 s at sixteen times the
large demo when the file is not cached) is off the start path after a clean shutdown, and runs
beside the window after an unclean one (core/soundness.py). Each run is a fresh interpreter
that records every statement SQLite runs on any connection, through the real command line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.sqlite_only

#: Runs the desktop app with --exit-after-startup, printing "QUICK_CHECK" (straight to the
#: output: the app leaves with os._exit) whenever any connection runs quick_check.
_START = """
import os, sqlite3, sys
real = sqlite3.connect

def connect(*args, **kwargs):
    conn = real(*args, **kwargs)
    def seen(statement):
        if "quick_check" in statement.lower() or "integrity_check" in statement.lower():
            os.write(1, b"QUICK_CHECK\\n")
    conn.set_trace_callback(seen)
    return conn

sqlite3.connect = connect
from coordinator_app.cli import main
sys.exit(main(["--db", sys.argv[1], "--exit-after-startup"]))
"""


def _start(
    path: Path, tmp_path: Path, script: str = _START, *args: str
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), str(path), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_the_start_path_runs_no_damage_check_after_a_clean_shutdown(
    demo_file: Path, tmp_path: Path
) -> None:
    done = _start(demo_file, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "QUICK_CHECK" not in done.stdout
    again = _start(demo_file, tmp_path)  # the app's own close was clean too
    assert again.returncode == 0, again.stderr
    assert "QUICK_CHECK" not in again.stdout


def test_after_an_unclean_shutdown_the_check_still_runs(demo_file: Path, tmp_path: Path) -> None:
    from coordinator_app.core.soundness import clean_close_path

    clean_close_path(demo_file).unlink()  # what a crash leaves: no record of a clean close
    done = _start(demo_file, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "QUICK_CHECK" in done.stdout
    assert clean_close_path(demo_file).is_file()  # checked sound: the next start need not
    assert "QUICK_CHECK" not in _start(demo_file, tmp_path).stdout


#: Runs the desktop app with --exit-after-startup as the ``coordinator-app`` command does
#: (``cli.entry``: collection off from the start), printing "COLLECTED" whenever Python's
#: garbage collector starts a collection.
_COLLECTING = """
import gc, os, sys
gc.disable()

def seen(phase, info):
    if phase == "start":
        os.write(1, b"COLLECTED\\n")

gc.callbacks.append(seen)
from coordinator_app.cli import main
sys.exit(main(["--db", sys.argv[1], "--exit-after-startup"]))
"""


def test_leaving_after_startup_does_not_collect_what_startup_made(
    demo_file: Path, tmp_path: Path
) -> None:
    # Collection is off while the app starts; turning it back on just before os._exit made
    # Python go through every object start-up had made (30-40 ms of every timed start).
    done = _start(demo_file, tmp_path, _COLLECTING)
    assert done.returncode == 0, done.stderr
    assert "COLLECTED" not in done.stdout


#: Runs the desktop app with --exit-after-startup through the command line, printing which of
#: the modules named after the database file are loaded once Home is shown.
_LOADED = """
import os, sys
import coordinator_app.ui.app as app
real = app.run

def run(*args, **kwargs):
    code = real(*args, **kwargs)
    loaded = [name for name in sys.argv[2:] if name in sys.modules]
    os.write(1, f"LOADED {' '.join(loaded)}\\n".encode())
    return code

app.run = run
from coordinator_app.cli import main
sys.exit(main(["--db", sys.argv[1], "--exit-after-startup"]))
"""


def test_the_way_to_home_loads_nothing_only_something_else_needs(
    demo_file: Path, tmp_path: Path
) -> None:
    # Each cost 1 to 3 ms of every start (issue #23): platformdirs, to learn whether a database
    # kept elsewhere is in the app's data folder; importlib's resource readers, to find the
    # package's own folder; core.connection (the choice of a server), for the file's path in
    # the status bar; html, whose import builds a table of every named character, to escape
    # two names on Home; core.access, for a server's login a laptop's file does not have.
    unwanted = [
        "platformdirs",
        "importlib.readers",
        "coordinator_app.core.connection",
        "html",
        "coordinator_app.core.access",
    ]
    done = _start(demo_file, tmp_path, _LOADED, *unwanted)
    assert done.returncode == 0, done.stderr
    loaded = next(line for line in done.stdout.splitlines() if line.startswith("LOADED"))
    assert loaded.split()[1:] == []
