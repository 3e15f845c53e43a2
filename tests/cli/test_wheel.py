"""The wheel carries everything the app needs: installed from it (not editable), into a fresh
virtual environment outside the checkout, every command that reads a shipped resource works,
and the window gets its look (the focus ring's style), icon and fonts.

Found in issue #25: ``resources/`` lived beside the package, so the wheel lacked it; ``demo``
then failed ("default-framework.xlsx is missing"), ``minutes`` failed ("print.css is
missing"), and the window had no style sheet, fonts or icon. CI installs editable, which
finds ``resources/`` in the checkout and hides all of that
(docs/engineering-notes.md#packaging-pyinstaller).

The fresh environment borrows the dependencies (PySide6, SQLAlchemy...) from the running one
through a ``.pth`` line, not its ``.pth`` files: the editable install's finder is never run
there, and the commands run from a folder outside the checkout, so the only
``coordinator_app`` they can import is the wheel's (the test checks it).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
from pathlib import Path
from zipfile import ZipFile

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300
#: What stays out of the wheel on purpose: the README's screenshots, the developers' scripts.
LEFT_OUT = ("screenshots/", "build_")


def bin_dir(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def executable(folder: Path, name: str) -> Path:
    return folder / (f"{name}.exe" if os.name == "nt" else name)


#: What a source distribution holds: the wheel is built from a copy of these alone, because a
#: build in the checkout reuses its ``build/`` folder, whose leftovers can hide a missing file.
SOURCES = ("coordinator_app", "resources", "pyproject.toml", "setup.py", "README.md")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))  # fmt: skip
        elif (ROOT / name).is_file():
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheelhouse")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (path,) = out.glob("involvement_coordinator-*.whl")
    return path


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding the wheel, non-editable, outside the checkout."""
    folder = tmp_path_factory.mktemp("fresh") / "venv"
    assert ROOT not in folder.parents
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = executable(bin_dir(folder), "python")
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    # The running environment's packages, as plain path lines (its own .pth files stay unread).
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "borrowed-dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--no-index", str(wheel)],
        capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    return folder


def clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        QT_QPA_PLATFORM="offscreen",
    )
    return env


def test_the_wheel_carries_every_resource_but_screenshots_and_build_scripts(wheel: Path) -> None:
    with ZipFile(wheel) as archive:
        shipped = {
            name.removeprefix("coordinator_app/resources/")
            for name in archive.namelist()
            if name.startswith("coordinator_app/resources/")
        }
    in_git = {
        path.relative_to(ROOT / "resources").as_posix()
        for path in (ROOT / "resources").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    expected = {name for name in in_git if not any(part in name for part in LEFT_OUT)}
    assert "standards/default-framework.xlsx" in expected
    assert "templates/printout.typ" in expected
    assert shipped == expected


def test_installed_from_the_wheel_every_command_finds_its_resources(
    venv: Path, tmp_path: Path
) -> None:
    env = clean_env(tmp_path / "home")
    app = executable(bin_dir(venv), "coordinator-app")
    python = executable(bin_dir(venv), "python")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(app), *args], capture_output=True, text=True, env=env, cwd=tmp_path,
            timeout=TIMEOUT,
        )  # fmt: skip

    where = subprocess.run(
        [str(python), "-c", "import coordinator_app; print(coordinator_app.__file__)"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=True,
    ).stdout.strip()  # fmt: skip
    assert Path(where).resolve().is_relative_to(venv.resolve()), where

    db = tmp_path / "Zoë's records" / "demo.db"
    db.parent.mkdir()
    demo = run("--db", str(db), "demo", "--size", "small")
    assert demo.returncode == 0, demo.stderr
    reference, month = latest_held_meeting(db)

    workbook = tmp_path / "return.xlsx"
    exported = run("--db", str(db), "export-return", "--locality", "Rugby", "--month", month,
                   "-o", str(workbook))  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert workbook.read_bytes()[:2] == b"PK"

    pdf = tmp_path / "minutes.pdf"
    printed = run("--db", str(db), "minutes", "--meeting", reference, "-o", str(pdf))
    assert printed.returncode == 0, printed.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-" and b"DejaVuSans" in pdf.read_bytes()

    framework = tmp_path / "framework.xlsx"
    standards = run("--db", str(db), "standards", "export", str(framework))
    assert standards.returncode == 0, standards.stderr
    assert framework.read_bytes()[:2] == b"PK"

    started = run("--db", str(db), "--exit-after-startup")
    assert started.returncode == 0, started.stderr

    look = subprocess.run(
        [str(python), "-c", LOOK], capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=TIMEOUT,
    )  # fmt: skip
    assert look.returncode == 0, look.stderr
    assert look.stdout.split() == ["ring-style", "icon", "fonts"], look.stdout


#: The window's look, from the installed package: the focus ring's style (Fusion's, with no
#: app-wide style sheet), the icon and the fonts.
LOOK = """
from coordinator_app.ui.app import ensure_application, load_fonts
from coordinator_app.ui.focus import FocusRingStyle
app = ensure_application()
ring = isinstance(app.style(), FocusRingStyle) and app.style().baseStyle().name() == "fusion"
print("ring-style" if ring and not app.styleSheet() else "no-ring-style")
print("icon" if not app.windowIcon().isNull() else "no-icon")
print("fonts" if "DejaVu Sans" in load_fonts() else "no-fonts")
"""


def latest_held_meeting(db_path: Path) -> tuple[str, str]:
    """(reference, YYYY-MM) of Rugby's latest held meeting, read with sqlite3."""
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "SELECT m.reference, substr(m.meeting_date, 1, 7) FROM meetings m "
            "JOIN forums f ON f.id = m.forum_id JOIN localities l ON l.id = f.locality_id "
            "WHERE l.name = 'Rugby' AND m.status = 'held' ORDER BY m.meeting_date DESC LIMIT 1"
        ).fetchone()
    assert row is not None
    return row[0], row[1]
