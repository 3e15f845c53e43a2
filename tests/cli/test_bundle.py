"""The installable bundle works on its own: built with ``installer/build.py`` and run with no
Python on the PATH, it starts, writes a return and prints minutes, draws Home's charts, and bad
input (a data folder that cannot be written, a machine without fonts, a database from a newer
version) gives one clear sentence, never a silent exit. The Linux folder stays under its goal
(``installer/build.py``'s ``GOAL_MB``: 150 MB, plus what typst and python-calamine measure).

Slow (a build of about a minute on two cores) but run by CI: PyInstaller is in the ``test``
extra. Skipped, saying why, only when PyInstaller cannot be imported; on Linux a missing
``objdump`` (binutils, which PyInstaller cannot build without) fails the test instead, so CI
never passes without having built the bundle. Pitfall: a bundle that runs on the build machine
can still be broken; the environment here has no Python, no virtualenv and a fresh HOME, so
nothing outside the folder is borrowed.

On Windows (the windows workflow; never run on this project's own machines) the bundle has two
programs: ``coordinator-app.exe``, windowed (no console: its errors go to the log), which the
start-up tests run, and its console companion ``coordinator-app-cli.exe``, which the commands
whose output is read run. Elsewhere both are the one ``coordinator-app``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "PyInstaller", reason="PyInstaller is not installed (pip install -e '.[test]' installs it)"
)

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

ROOT = Path(__file__).resolve().parents[2]
WINDOWS = sys.platform == "win32"
#: The program a coordinator starts, and the one that prints (the same file but on Windows).
WINDOWED = "coordinator-app.exe" if WINDOWS else "coordinator-app"
CONSOLE = "coordinator-app-cli.exe" if WINDOWS else "coordinator-app"
BUILD_TIMEOUT = 600
RUN_TIMEOUT = 120
#: What the Linux build runs besides Python, all from binutils: PyInstaller refuses to start
#: without ``objdump``; ``installer/lean.py`` reads libraries with ``objdump``, the ICU data
#: is rebuilt with ``readelf``, ``as`` and ``ld``, and ``strip`` takes out debug symbols.
LINUX_BUILD_TOOLS = ("objdump", "readelf", "as", "ld", "strip")


def missing_build_tools() -> list[str]:
    if not sys.platform.startswith("linux"):
        return []
    return [tool for tool in LINUX_BUILD_TOOLS if shutil.which(tool) is None]


def test_the_build_tools_are_installed() -> None:
    missing = missing_build_tools()
    assert not missing, (
        f"{', '.join(missing)} not found: building the bundle on Linux needs binutils "
        "(apt-get install binutils)"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built bundle's folder (one build for the whole module)."""
    missing = missing_build_tools()
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: install binutils", pytrace=False)
    dist = tmp_path_factory.mktemp("dist")
    # A cache of its own: PyInstaller's shared one (~/.cache/pyinstaller) is not safe for two
    # builds at once, and a cold cache costs only a few seconds.
    env = {**os.environ, "PYINSTALLER_CONFIG_DIR": str(tmp_path_factory.mktemp("pyinstaller"))}
    result = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "build.py"), "--dist", str(dist)],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        cwd=ROOT,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(result.stdout)  # the size report, shown with -s or on failure
    folder = dist / "InvolvementCoordinator"
    assert (folder / WINDOWED).is_file() and (folder / CONSOLE).is_file()
    return folder


@pytest.fixture(scope="module")
def bundle(built: Path) -> Path:
    """The program whose output the tests read (the console companion on Windows)."""
    return built / CONSOLE


@pytest.fixture(scope="module")
def windowed(built: Path) -> Path:
    """The program a coordinator starts (windowed on Windows: no console)."""
    return built / WINDOWED


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def bare_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment without Python: an empty PATH folder, a fresh HOME and XDG folders.

    Windows also needs its own folder on PATH and the variables every program there expects;
    its data and log folders come from the system (platformdirs asks Windows, not the
    environment), so they are the runner's own.
    """
    empty_bin = home / "bin"
    empty_bin.mkdir(exist_ok=True)
    system: dict[str, str] = {}
    if WINDOWS:
        system = {
            k: os.environ[k]
            for k in ("SYSTEMROOT", "WINDIR", "TEMP", "TMP", "USERPROFILE", "LOCALAPPDATA",
                      "APPDATA", "COMPUTERNAME", "USERNAME")
            if k in os.environ
        }  # fmt: skip
        system["PATH"] = os.pathsep.join(
            [str(empty_bin), str(Path(os.environ.get("SYSTEMROOT", r"C:\Windows")) / "System32")]
        )
    env = {
        **system,
        "PATH": system.get("PATH", str(empty_bin)),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_RUNTIME_DIR": str(home / "runtime"),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    env.update(extra)
    assert shutil.which("python3", path=env["PATH"]) is None
    assert shutil.which("python", path=env["PATH"]) is None
    return env


def run(
    executable: Path, env: dict[str, str], *args: str, cwd: Path
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(executable), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=RUN_TIMEOUT,
    )


def one_sentence(result: subprocess.CompletedProcess) -> str:
    """The single ``coordinator-app: ...`` line of a refused run (exit 1, no traceback)."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("coordinator-app: ")
    return lines[0]


@pytest.fixture()
def demo_db(bundle: Path, home: Path, tmp_path: Path) -> Path:
    """A small demo database written by the bundle itself."""
    path = tmp_path / "Zoë's records" / "demo.db"
    path.parent.mkdir()
    result = run(bundle, bare_env(home), "--db", str(path), "demo", "--size", "small", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.is_file()
    return path


def latest_held_meeting(db_path: Path, locality: str) -> tuple[str, str]:
    """(reference, YYYY-MM) of the locality's latest held meeting, read with sqlite3."""
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "SELECT m.reference, substr(m.meeting_date, 1, 7) FROM meetings m "
            "JOIN forums f ON f.id = m.forum_id JOIN localities l ON l.id = f.locality_id "
            "WHERE l.name = ? AND m.status = 'held' ORDER BY m.meeting_date DESC LIMIT 1",
            (locality,),
        ).fetchone()
    assert row is not None, f"the demo data has no held meeting in {locality}"
    return row[0], row[1]


def test_the_bundle_starts_exports_a_return_and_prints_minutes_without_python(
    bundle: Path, windowed: Path, demo_db: Path, home: Path, tmp_path: Path
) -> None:
    env = bare_env(home)
    started = run(windowed, env, "--db", str(demo_db), "--exit-after-startup", cwd=tmp_path)
    assert started.returncode == 0, started.stderr

    reference, month = latest_held_meeting(demo_db, "Rugby")
    workbook = tmp_path / "return.xlsx"
    exported = run(
        bundle, env, "--db", str(demo_db), "export-return", "--locality", "Rugby",
        "--month", month, "-o", str(workbook), cwd=tmp_path,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert workbook.read_bytes()[:2] == b"PK"  # an xlsx is a zip

    pdf = tmp_path / "minutes.pdf"
    printed = run(
        bundle,
        env,
        "--db",
        str(demo_db),
        "minutes",
        "--meeting",
        reference,
        "-o",
        str(pdf),
        cwd=tmp_path,
    )
    assert printed.returncode == 0, printed.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert_real_text(pdf, reference)


def test_the_smoke_test_of_the_windows_workflow_passes_here(built: Path) -> None:
    """``installer/smoke.py``, which the Windows workflow runs on its bundle, on this one."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "smoke.py"), str(built)],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "smoke: all passed" in done.stdout
    print(done.stdout)


def assert_real_text(pdf: Path, expected: str) -> None:
    """The PDF has a text layer in the shipped font (not boxes drawn for missing glyphs)."""
    assert b"DejaVuSans" in pdf.read_bytes()
    pdftotext = shutil.which("pdftotext")
    if pdftotext is not None:
        text = subprocess.run(
            [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert expected in text


def test_the_lean_bundle_draws_charts_sorts_names_and_names_time_zones(
    bundle: Path, demo_db: Path, home: Path, tmp_path: Path
) -> None:
    """What the lean build trimmed still works (``installer/entry.py``'s self-check)."""
    result = run(bundle, bare_env(home), "--bundle-self-check", str(demo_db), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for check in (
        "numpy",
        "charts",
        "collation",
        "time zone names",
        "printing",
        "psycopg",
        "password store",
    ):
        assert any(line.startswith(check) for line in lines), (check, result.stdout)
    print(result.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the size goal is for Linux")
def test_the_linux_folder_is_under_the_size_goal(bundle: Path) -> None:
    sys.path.insert(0, str(ROOT / "installer"))
    try:
        from build import GOAL_MB, folder_size
    finally:
        sys.path.remove(str(ROOT / "installer"))
    folder = bundle.parent
    size = folder_size(folder)
    postgres = sum(folder_size(p) for p in (folder / "_internal").glob("psycopg*"))
    typst = folder_size(folder / "_internal" / "typst")
    print(
        f"bundle {size / 1e6:.1f} MB, of which the PostgreSQL driver {postgres / 1e6:.1f} MB "
        f"and typst {typst / 1e6:.1f} MB"
    )
    assert size < GOAL_MB * 1_000_000, f"the bundle is {size / 1e6:.1f} MB (goal {GOAL_MB:g} MB)"


@pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="fontconfig decides a machine's fonts on Linux only (Windows always has its own)",
)
def test_minutes_have_real_text_on_a_machine_without_fonts(
    bundle: Path, windowed: Path, demo_db: Path, home: Path, tmp_path: Path
) -> None:
    empty_fonts = tmp_path / "fonts.conf"
    empty_fonts.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = bare_env(home, FONTCONFIG_FILE=str(empty_fonts), FONTCONFIG_PATH=str(tmp_path))
    reference, _month = latest_held_meeting(demo_db, "Rugby")
    pdf = tmp_path / "no-fonts.pdf"
    printed = run(
        bundle,
        env,
        "--db",
        str(demo_db),
        "minutes",
        "--meeting",
        reference,
        "-o",
        str(pdf),
        cwd=tmp_path,
    )
    assert printed.returncode == 0, printed.stderr
    assert_real_text(pdf, reference)
    started = run(windowed, env, "--db", str(demo_db), "--exit-after-startup", cwd=tmp_path)
    assert started.returncode == 0, started.stderr


def test_a_database_from_a_newer_version_is_refused_in_one_sentence(
    bundle: Path, demo_db: Path, home: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(demo_db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = demo_db.read_bytes()
    env = bare_env(home)
    for args in (["--exit-after-startup"], ["export-return", "--locality", "Rugby",
                 "--month", "2026-10", "-o", str(tmp_path / "x.xlsx")]):  # fmt: skip
        message = one_sentence(run(bundle, env, "--db", str(demo_db), *args, cwd=tmp_path))
        assert "newer version" in message
    assert demo_db.read_bytes() == before
    assert not (tmp_path / "x.xlsx").exists()


def unwritable_data_home(home: Path) -> Path:
    """A data folder the app cannot create anything in.

    ``chmod 0o555`` does not stop root (CI runs as root), so as root the data folder is a path
    under a regular file, which no one can create.
    """
    if os.geteuid() != 0:
        folder = home / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    blocker = home / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    return blocker / "share"


@pytest.mark.skipif(
    WINDOWS, reason="Windows' data folder comes from the system, not from XDG_DATA_HOME"
)
def test_a_data_folder_that_cannot_be_written_is_named_in_one_sentence(
    bundle: Path, home: Path, tmp_path: Path
) -> None:
    data_home = unwritable_data_home(home)
    env = bare_env(home, XDG_DATA_HOME=str(data_home))
    message = one_sentence(run(bundle, env, "--exit-after-startup", cwd=tmp_path))
    assert "unexpected" not in message
    assert str(data_home) in message


def test_a_database_path_that_cannot_be_created_is_named_in_one_sentence(
    bundle: Path, home: Path, tmp_path: Path
) -> None:
    blocker = home / "Siân's notes.txt"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    env = bare_env(home)
    for args in (["--exit-after-startup"], ["check"]):
        message = one_sentence(
            run(bundle, env, "--db", str(blocker / "records" / "x.db"), *args, cwd=tmp_path)
        )
        assert "unexpected" not in message
        assert str(blocker) in message
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"


def test_the_slim_icu_package_keeps_every_item_qt_reaches_byte_for_byte() -> None:
    """``installer/icudata.py`` on the ICU data PySide6 ships: rewriting the package unchanged
    gives the same bytes, and the slim package keeps English and root collation and zone names
    exactly, and nothing from the trees Qt never reads."""
    import PySide6

    libraries = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not sys.platform.startswith("linux") or not libraries or missing_build_tools():
        pytest.skip("no bundled ICU data library here (PySide6 uses the system's ICU)")
    sys.path.insert(0, str(ROOT / "installer"))
    try:
        import icudata
    finally:
        sys.path.remove(str(ROOT / "installer"))
    _symbol, package = icudata.extract_data(libraries[0])
    header, items = icudata.read_package(package)
    assert icudata.write_package(header, items) == package
    _slim_header, slim_items = icudata.read_package(icudata.slim_package(package))
    kept = dict(slim_items)
    original = dict(items)
    prefix = items[0][0].split("/")[0]
    kept_items = ["coll/root.res", "coll/ucadata.icu", "coll/en.res", "zone/en_GB.res"]
    kept_items += ["zoneinfo64.res", "metaZones.res", "en_GB.res", "root.res", "cnvalias.icu"]
    for name in kept_items:
        assert kept[f"{prefix}/{name}"] == original[f"{prefix}/{name}"], name
    for name in ("coll/de.res", "brkitr/cjdict.dict", "translit/root.res", "de.res",
                 "ibm-5348_P100-1997.cnv"):  # fmt: skip
        assert f"{prefix}/{name}" in original and f"{prefix}/{name}" not in kept, name
    assert [name for name, _ in slim_items] == sorted(kept)  # binary search needs the order
    assert len(icudata.slim_package(package)) < len(package) / 8


@pytest.mark.skipif(not WINDOWS, reason="only Windows has a windowed program without a console")
def test_the_windowed_program_writes_its_error_to_the_log(
    windowed: Path, demo_db: Path, home: Path, tmp_path: Path
) -> None:
    """``coordinator-app.exe`` has no console: a refused start exits 1 and its sentence is in
    the log (``%LOCALAPPDATA%\\InvolvementCoordinator``, the runner's own)."""
    with sqlite3.connect(demo_db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    refused = run(windowed, bare_env(home), "--db", str(demo_db), "--exit-after-startup",
                  cwd=tmp_path)  # fmt: skip
    assert refused.returncode == 1
    assert refused.stdout == refused.stderr == ""
    logs = sorted(Path(os.environ["LOCALAPPDATA"], "InvolvementCoordinator").rglob("*.log"))
    assert logs and "newer version" in logs[-1].read_text(encoding="utf-8")
