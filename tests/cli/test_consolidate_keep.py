"""``consolidate --keep`` (cli_consolidate.py; docs/command-line.md#consolidate): the returns
consolidated are kept in the group's database, and the Board report is then of the kept returns
with those read. Without ``--keep`` no database is opened."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coordinator_app import cli
from coordinator_app.core import kept_returns
from coordinator_app.core.db import open_database
from tests.core.test_consolidate import _fill
from tests.core.test_consolidate import _returns as _exported

POPPLER = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


@pytest.fixture
def four_returns(db_target: str, tmp_path: Path) -> list[Path]:
    """Coventry and Rugby, 2026-09 and 2026-10, as the app exported them (the database then
    closed, so the command takes the lock)."""
    db = open_database(db_target)
    try:
        _fill(db)
        return _exported(db, tmp_path)
    finally:
        db.dispose()


def _kept(db_target: str) -> list[tuple[str, str]]:
    db = open_database(db_target)
    try:
        return [(k.locality, str(k.month)) for k in kept_returns.kept(db)]
    finally:
        db.dispose()


@POPPLER
def test_keep_builds_the_picture_up_run_by_run(
    four_returns: list[Path], db_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.core.test_typeset import pdf_text

    first = [p for p in four_returns if p.name != "Rugby-2026-09.xlsx"]
    argv = ["--db", db_target, "consolidate", *map(str, first), "-o", str(tmp_path / "a.xlsx")]
    assert cli.main([*argv, "--keep"]) == 0
    assert "Kept 3 returns." in capsys.readouterr().out
    assert sorted(_kept(db_target)) == [
        ("Coventry", "2026-09"), ("Coventry", "2026-10"), ("Rugby", "2026-10"),
    ]  # fmt: skip
    # Next time only the late return is read: the report is of all four, none missing.
    late = tmp_path / "Rugby-2026-09.xlsx"
    report = tmp_path / "board.pdf"
    argv = ["consolidate", str(late), "-o", str(tmp_path / "b.xlsx"), "--report", str(report)]
    assert cli.main([*argv, "--keep", "--db", db_target]) == 0
    assert "Kept 1 return." in capsys.readouterr().out
    page = " ".join(pdf_text(report, page=1).split())
    assert "Returns not received: none" in page
    assert "Coventry, Rugby" in page
    # The same folder again: nothing changes.
    argv = ["consolidate", *map(str, four_returns), "-o", str(tmp_path / "c.xlsx"), "--keep"]
    assert cli.main(["--db", db_target, *argv]) == 0
    assert "Kept 0 returns; 4 already kept." in capsys.readouterr().out
    assert len(_kept(db_target)) == 4


def test_without_keep_no_database_is_opened(
    four_returns: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = tmp_path / "no such folder" / "coordinator.db"
    argv = ["--db", str(nowhere), "consolidate", *map(str, four_returns)]
    assert cli.main([*argv, "-o", str(tmp_path / "all.xlsx")]) == 0
    assert "Kept" not in capsys.readouterr().out
    assert not nowhere.parent.exists()


def test_keep_with_a_refused_return_writes_and_keeps_nothing(
    four_returns: list[Path], db_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    target = tmp_path / "all.xlsx"
    argv = ["consolidate", *map(str, four_returns), str(broken), "-o", str(target), "--keep"]
    assert cli.main([*argv, "--db", db_target]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert not target.exists() and _kept(db_target) == []


def test_keep_with_a_database_that_cannot_be_opened_writes_nothing(
    four_returns: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "all.xlsx"
    missing = tmp_path / "missing.db"
    argv = ["consolidate", *map(str, four_returns), "-o", str(target), "--keep"]
    assert cli.main([*argv, "--db", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("coordinator-app: ") and "Traceback" not in err
    assert not target.exists() and not missing.exists()
