"""The app on a real X display (Qt's xcb plugin), not only offscreen: the README's list of
system packages must be enough for the desktop a coordinator sees. Runs under Xvfb when it is
installed (CI installs it, with the packages the README lists)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(
        not sys.platform.startswith("linux") or shutil.which("Xvfb") is None,
        reason="needs Linux and Xvfb (apt-get install xvfb) to start the app on a real X display",
    ),
    pytest.mark.sqlite_only,  # about the desktop, on the laptop's own file
]


@pytest.fixture
def display(tmp_path: Path):
    """A private Xvfb at 1366x768 (the laptops' screen); its display number."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as answer:
        number = answer.readline().strip()  # Xvfb writes it once it is ready
    assert number, "Xvfb did not start"
    yield f":{number}"
    server.terminate()
    server.wait()


def test_the_window_starts_on_a_real_display(display: str, tmp_path: Path) -> None:
    database = tmp_path / "Zoë" / "coordinator.db"
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", XDG_RUNTIME_DIR=str(tmp_path))
    env.pop("WAYLAND_DISPLAY", None)
    demo = subprocess.run(
        [sys.executable, "-m", "coordinator_app", "--db", str(database), "demo"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    started = subprocess.run(
        [sys.executable, "-m", "coordinator_app", "--db", str(database), "--exit-after-startup"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    assert "could not load the Qt platform plugin" not in started.stderr
    assert "xcb" not in started.stderr.lower(), started.stderr
