"""``consolidate --keep`` (cli_consolidate.py; docs/command-line.md#consolidate): the returns
consolidated are kept in the group's database, and the Board report is then of the kept returns
with those read. Without ``--keep`` no database is opened."""

from __future__ import annotations

import os
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


def test_the_first_keep_starts_the_groups_database(
    four_returns: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An engagement group's first ``--keep`` names a database that is not there yet: it is
    started, as ``import`` and ``demo`` start theirs (it refused with only "There is no
    database at …"), and a line says where."""
    new = tmp_path / "engagement group" / "group.db"
    argv = ["consolidate", *map(str, four_returns), "-o", str(tmp_path / "all.xlsx"), "--keep"]
    assert cli.main([*argv, "--db", str(new)]) == 0
    out = capsys.readouterr().out
    assert f"Started the group's database at {new}." in out
    assert "Kept 4 returns." in out
    assert len(_kept(str(new))) == 4
    # The next month it is there: no second "Started".
    assert cli.main([*argv, "--db", str(new)]) == 0
    out = capsys.readouterr().out
    assert "Started" not in out and "Kept 0 returns; 4 already kept." in out


def _unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder that does not allow saving (root ignores permission bits, so the refusal the
    system would give is given by ``os.access``)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        "coordinator_app.core.db.os.access",
        lambda p, mode: False if Path(p) == locked and mode & os.W_OK else real_access(p, mode),
    )
    return locked / "group.db"


def _under_a_file(tmp_path: Path, _monkeypatch: pytest.MonkeyPatch) -> Path:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    return blocker / "group.db"


@pytest.mark.parametrize(
    ("place", "sentence"),
    [
        (lambda tmp_path, _m: tmp_path, "is a folder, not a database file."),
        (_unwritable, "does not allow saving; choose another place."),
        (_under_a_file, "cannot be created"),
    ],
    ids=["a folder", "a folder that does not allow saving", "a folder that cannot be made"],
)
def test_keep_with_a_database_that_cannot_be_opened_writes_nothing(
    four_returns: list[Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    place,
    sentence: str,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "all.xlsx"
    bad = place(tmp_path, monkeypatch)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    argv = ["consolidate", *map(str, four_returns), "-o", str(target), "--keep"]
    assert cli.main([*argv, "--db", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("coordinator-app: ") and "Traceback" not in err
    assert sentence in err and err.count("\n") == 1, err
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing created


def test_a_first_keep_with_a_refused_return_writes_nothing_but_the_new_database(
    four_returns: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The database is started before the returns are checked (as ``import``'s is): a refused
    return leaves it started, with nothing kept, and no workbook; the next run keeps into it."""
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    new = tmp_path / "engagement group" / "group.db"
    target = tmp_path / "all.xlsx"
    options = ["-o", str(target), "--keep", "--db", str(new)]
    assert cli.main(["consolidate", *map(str, four_returns), str(broken), *options]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert not target.exists() and _kept(str(new)) == []
    assert cli.main(["consolidate", *map(str, four_returns), *options]) == 0
    assert "Kept 4 returns." in capsys.readouterr().out
