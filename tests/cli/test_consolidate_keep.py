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


def test_a_first_keep_with_a_refused_return_writes_and_starts_nothing(
    four_returns: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The returns are checked before the group's database is started: a refused return leaves
    neither a workbook nor a database (it left one started and empty); the next run starts it
    and says so."""
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    new = tmp_path / "engagement group" / "group.db"
    target = tmp_path / "all.xlsx"
    options = ["-o", str(target), "--keep", "--db", str(new)]
    assert cli.main(["consolidate", *map(str, four_returns), str(broken), *options]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert not target.exists() and not new.parent.exists()
    assert cli.main(["consolidate", *map(str, four_returns), *options]) == 0
    out = capsys.readouterr().out
    assert f"Started the group's database at {new}." in out and "Kept 4 returns." in out


@pytest.mark.parametrize("missing", ["workbook", "report"])
def test_a_missing_folder_is_refused_before_anything_is_created(
    four_returns: list[Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    missing: str,
) -> None:
    """``-o cons/x.xlsx --report cons/board.pdf`` where ``cons`` is not there: the refusal says
    nothing was written, and nothing was (it started the group's database and its folder, and
    said only that the Board report was not written); the next run says it started it."""
    cons = tmp_path / "cons"
    workbook = (cons if missing == "workbook" else tmp_path) / "trust.xlsx"
    report = (cons if missing == "report" else tmp_path) / "board.pdf"
    new = tmp_path / "group" / "trust.db"
    options = ["-o", str(workbook), "--report", str(report), "--keep", "--db", str(new)]
    before = sorted(tmp_path.rglob("*"))
    assert cli.main(["consolidate", *map(str, four_returns), *options]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"coordinator-app: The folder {cons} does not exist, so nothing was written; create it "
        "or choose another place, and run the command again.\n"
    )
    assert sorted(tmp_path.rglob("*")) == before  # no database, no folder, no file
    cons.mkdir()
    assert cli.main(["consolidate", *map(str, four_returns), *options]) == 0
    out = capsys.readouterr().out
    assert f"Started the group's database at {new}." in out and "Kept 4 returns." in out


@pytest.mark.parametrize("refused", ["read-only", "same name"])
def test_a_read_only_or_doubled_target_is_refused_before_anything_is_created(
    four_returns: list[Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    refused: str,
) -> None:
    """The other refusals of the files to write say nothing was written, and nothing was: not
    even the group's database is started."""
    workbook = tmp_path / "trust.xlsx"
    report = workbook if refused == "same name" else tmp_path / "board.pdf"
    if refused == "read-only":
        workbook.write_bytes(b"last month's")
        real_access = os.access
        monkeypatch.setattr(  # as root ignores permission bits (see _unwritable)
            "coordinator_app.core.returns.os.access",
            lambda p, mode: False if Path(p) == workbook else real_access(p, mode),
        )
    new = tmp_path / "group" / "trust.db"
    options = ["-o", str(workbook), "--report", str(report), "--keep", "--db", str(new)]
    before = sorted(tmp_path.rglob("*"))
    assert cli.main(["consolidate", *map(str, four_returns), *options]) == 1
    err = capsys.readouterr().err
    assert "so nothing was written" in err and err.count("\n") == 1, err
    assert sorted(tmp_path.rglob("*")) == before
    if refused == "read-only":
        assert workbook.read_bytes() == b"last month's"


def test_started_is_said_when_an_earlier_run_left_the_database_empty(
    four_returns: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run that started the database and then failed (the report could not be written) left
    it empty: the run that first keeps into it says where it is."""
    new = tmp_path / "group.db"
    open_database(str(new)).dispose()  # as a failed first run leaves it: there, nothing kept
    argv = ["consolidate", *map(str, four_returns), "-o", str(tmp_path / "all.xlsx"), "--keep"]
    assert cli.main([*argv, "--db", str(new)]) == 0
    out = capsys.readouterr().out
    assert f"Started the group's database at {new}." in out and "Kept 4 returns." in out


def test_the_summary_line_counts_in_words(
    four_returns: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One return of one locality and month is "1 return (1 locality, 1 month)", not
    "1 returns (1 localities, 1 months)"."""
    one = next(p for p in four_returns if p.name == "Rugby-2026-10.xlsx")
    target = tmp_path / "one.xlsx"
    assert cli.main(["consolidate", str(one), "-o", str(target)]) == 0
    assert capsys.readouterr().out == (
        f"Consolidated 1 return (1 locality, 1 month) into {target.resolve()}.\n"
    )
    assert cli.main(["consolidate", *map(str, four_returns), "-o", str(target)]) == 0
    assert "Consolidated 4 returns (2 localities, 2 months)" in capsys.readouterr().out


def test_a_database_folder_the_app_cannot_save_in_is_said_plainly(
    four_returns: list[Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--db /proc/trust.db``: the folder is there but nothing can be saved in it (as root,
    too). One plain sentence naming the folder and what to do, not "does not allow the app to
    mark the database as open (No such file or directory)"; nothing is written."""
    import errno

    from coordinator_app.core import lock

    system = tmp_path / "system"
    system.mkdir()
    real_open = os.open

    def refuse(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).parent == system:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(lock.os, "open", refuse)
    target = tmp_path / "all.xlsx"
    argv = ["consolidate", *map(str, four_returns), "-o", str(target), "--keep"]
    assert cli.main([*argv, "--db", str(system / "trust.db")]) == 1
    assert capsys.readouterr().err == (
        f"coordinator-app: The app cannot save files in the folder {system}, so the database "
        "cannot be kept there; choose a folder of your own for it.\n"
    )
    assert not target.exists() and list(system.iterdir()) == []
