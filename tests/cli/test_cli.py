"""The command line contract (docs/command-line.md): help everywhere, one-sentence errors,
non-zero exits, and bad input that changes nothing."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coordinator_app.cli import main
from coordinator_app.core.migrations import HEAD

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "coordinator_app", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def _one_sentence(stderr: str) -> None:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("coordinator-app: ")


@pytest.mark.parametrize("args", [["--help"], ["demo", "--help"], ["check", "--help"]])
def test_help_at_every_level(args: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 0
    assert "usage: coordinator-app" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [["frobnicate"], ["--colour", "blue"], ["demo", "--size", "huge"], ["demo", "--seed", "x"]],
)
def test_unknown_commands_and_options_are_one_sentence(args: list[str], capsys) -> None:
    assert main(args) == 2
    _one_sentence(capsys.readouterr().err)


def test_check_reports_a_sound_database(db_target: str, backend: str, capsys) -> None:
    assert main(["--db", db_target, "check"]) == 0
    out = capsys.readouterr().out
    if backend == "sqlite":
        assert "Sound: yes" in out
    else:  # a server checks itself: check says so plainly instead of claiming it did
        assert "the server's job" in out
    assert f"Schema revision: {HEAD}" in out


def test_db_may_follow_the_command(db_target: str, capsys) -> None:
    from sqlalchemy.engine import make_url

    assert main(["check", "--db", db_target]) == 0
    out = capsys.readouterr().out
    if "://" not in db_target:
        assert db_target in out
        return
    url = make_url(db_target)
    assert f"/{url.database}" in out
    if url.password:  # the password is never printed
        assert url.password not in out and ":***@" in out


def test_check_of_a_missing_database_creates_nothing(tmp_path: Path, capsys) -> None:
    target = tmp_path / "missing.db"
    assert main(["--db", str(target), "check"]) == 1
    _one_sentence(capsys.readouterr().err)
    assert not target.exists()


def test_a_file_that_is_not_a_database_is_refused_unchanged(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "minutes.docx"
    junk.write_bytes(b"PK\x03\x04 not a database at all")
    before = hashlib.sha256(junk.read_bytes()).hexdigest()
    for args in (["check"], ["demo"]):
        assert main(["--db", str(junk), *args]) == 1
        _one_sentence(capsys.readouterr().err)
    assert hashlib.sha256(junk.read_bytes()).hexdigest() == before


def test_exit_after_startup_with_a_command_is_a_usage_error(db_target: str, capsys) -> None:
    assert main(["--db", db_target, "--exit-after-startup", "check"]) == 2
    _one_sentence(capsys.readouterr().err)
    assert main(["--db", db_target, "--exit-after-first-paint", "check"]) == 2
    err = capsys.readouterr().err
    _one_sentence(err)
    assert "--exit-after-first-paint goes with no command" in err


@pytest.mark.slow
def test_demo_check_and_startup_end_to_end(empty_db_target: str, backend: str) -> None:
    """The foundation's 'done when': demo, check and --exit-after-startup in real processes
    (on PostgreSQL too: the desktop app opens a server database the same way)."""
    target = empty_db_target
    demo = run_cli("--db", target, "demo", "--size", "small")
    assert demo.returncode == 0, demo.stderr
    check = run_cli("--db", target, "check")
    assert check.returncode == 0, check.stderr
    assert f"Journal mode: {'wal' if backend == 'sqlite' else 'server'}" in check.stdout
    assert f"Schema revision: {HEAD}" in check.stdout
    start = run_cli("--db", target, "--exit-after-startup")
    assert start.returncode == 0, start.stderr
    assert "Traceback" not in start.stderr
    again = run_cli("--db", target, "demo")
    assert again.returncode == 1
    _one_sentence(again.stderr)
    assert "--force" in again.stderr


@pytest.mark.slow
def test_minutes_command_writes_a_pdf_with_real_text(tmp_path: Path, empty_db_target: str) -> None:
    import shutil

    from coordinator_app.core.db import open_database
    from coordinator_app.core.meetings import list_meetings

    target = empty_db_target
    assert run_cli("--db", target, "demo").returncode == 0
    db = open_database(target)
    held = next(m for m in list_meetings(db) if m.status.value == "held")
    db.dispose()
    pdf = tmp_path / "minutes.pdf"
    done = run_cli("--db", target, "minutes", "--meeting", held.reference, "-o", str(pdf))
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert held.forum_name.split()[0] in text
    missing = run_cli("--db", target, "minutes", "--meeting", "NOPE-0000", "-o", str(pdf))
    assert missing.returncode == 1
    _one_sentence(missing.stderr)


def test_import_the_sample_twice_adds_nothing_the_second_time(db_target: str, capsys) -> None:
    from coordinator_app.core.db import open_database
    from coordinator_app.core.resources import resource_path
    from coordinator_app.core.standards import load_default_framework

    db = open_database(db_target)
    with db.transaction() as session:
        load_default_framework(session)
    db.dispose()
    sample = resource_path("samples", "import-example.xlsx")
    assert main(["--db", db_target, "import", str(sample)]) == 0
    first = capsys.readouterr().out
    assert main(["--db", db_target, "import", str(sample)]) == 0
    second = capsys.readouterr().out
    assert first != second
    assert "nothing" in second.lower() or " 0 " in second


def test_a_bad_workbook_lists_every_problem_and_changes_nothing(
    db_target: str, tmp_path, capsys
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Meetings"
    sheet.append(["Reference", "Locality", "Forum", "Date", "Status"])
    sheet.append(["RUG-2602", "Rugby", "Rugby Forum", "31/02/2026", "held"])
    sheet.append(["RUG-2602", "Rugby", "Rugby Forum", "2026-02-10", "maybe"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    from coordinator_app.core.backup import check_database

    before = check_database(db_target).counts
    assert main(["--db", db_target, "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Sheet 'Meetings' row 2" in err and "Sheet 'Meetings' row 3" in err
    assert "Traceback" not in err
    assert check_database(db_target).counts == before


@pytest.mark.sqlite_only
def test_backup_and_restore_round_trip(db_path: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "copy.db"
    assert main(["--db", str(db_path), "backup", "-o", str(copy)]) == 0
    assert "Backed up to" in capsys.readouterr().out
    assert main(["--db", str(db_path), "restore", str(copy)]) == 0
    assert "kept at" in capsys.readouterr().out
    junk = tmp_path / "junk.db"
    junk.write_text("not a backup")
    assert main(["--db", str(db_path), "restore", str(junk)]) == 1
    _one_sentence(capsys.readouterr().err)
    assert main(["--db", str(db_path), "check"]) == 0


def test_the_windows_start_reads_only_the_global_options(monkeypatch) -> None:
    """No command (the desktop app's start, every day) is read without making every command's
    options (about 10 ms of each start, issue #23); a command, help or a mistake goes to the
    whole parser as before."""
    from coordinator_app import cli as cli_module

    built: list[bool] = []
    real = cli_module.build_parser

    def spy(*, with_commands: bool = True):  # type: ignore[no-untyped-def]
        built.append(with_commands)
        return real(with_commands=with_commands)

    monkeypatch.setattr(cli_module, "build_parser", spy)
    args = cli_module._parse(["--db", "x.db", "--exit-after-startup"])
    assert (args.command, args.db, args.exit_after_startup) == (None, "x.db", True)
    assert built == [False]
    built.clear()
    args = cli_module._parse(["--db", "x.db", "demo", "--size", "large"])
    assert (args.command, args.size) == ("demo", "large")
    assert built == [False, True]
    with pytest.raises(cli_module.UsageError, match="Unrecognized arguments: --bogus"):
        cli_module._parse(["--bogus"])
