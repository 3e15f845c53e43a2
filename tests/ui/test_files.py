"""The one file chooser (``ui/files.py``): where it starts, what it remembers, the suffix, and a
dialog that shows the database's folder without dropping the app's SQLite locks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QFileSystemModel

from coordinator_app.core import people
from coordinator_app.core.db import open_database
from coordinator_app.core.vocab import Category
from coordinator_app.ui import files


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    QSettings().remove(files.SETTINGS_PREFIX.rstrip("/"))
    yield
    QSettings().remove(files.SETTINGS_PREFIX.rstrip("/"))


def _locks_on(paths: list[Path]) -> dict[str, int]:
    """How many POSIX/flock locks /proc/locks lists on each file (by inode)."""
    table = Path("/proc/locks").read_text().splitlines()
    counts = {}
    for path in paths:
        inode = os.stat(path).st_ino
        counts[path.name] = sum(1 for line in table if f":{inode} " in line)
    return counts


def _list_folder_as_the_view_does(qtbot, dialog: QFileDialog, folder: Path) -> None:
    """Wait for the dialog's model to load ``folder``, then ask every row for what a detailed
    view shows (icon and type), which is when a type-sniffing provider opens each file."""
    model = dialog.findChild(QFileSystemModel)
    assert model is not None
    root = model.index(str(folder))
    if model.rowCount(root) == 0:
        with qtbot.waitSignal(model.directoryLoaded, timeout=5000):
            pass
    qtbot.waitUntil(lambda: model.rowCount(model.index(str(folder))) >= 4, timeout=5000)
    root = model.index(str(folder))
    for row in range(model.rowCount(root)):
        index = model.index(row, 0, root)
        model.data(index, Qt.ItemDataRole.DecorationRole)
        model.type(index)


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="reads Linux's /proc/locks")
@pytest.mark.sqlite_only
def test_the_chooser_shows_the_database_folder_without_dropping_its_locks(
    qtbot, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "coordinator.db"
    db = open_database(database)
    try:
        people.create_participant(
            db, people.ParticipantInput(name="Zoë Held", category=Category.SERVICE_USER)
        )
        reader = db.session()  # a connection kept open, as the window's are
        reader.connection()
        watched = [database, Path(f"{database}-shm"), database.with_name("coordinator.db.lock")]
        before = _locks_on(watched)
        assert before["coordinator.db"] >= 1 and before["coordinator.db-shm"] >= 1

        dialog = files._dialog(None, "Save as PDF", folder, files.PDF, QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter(files.ALL_FILES)
        qtbot.addWidget(dialog)
        dialog.setViewMode(QFileDialog.ViewMode.Detail)
        dialog.show()
        _list_folder_as_the_view_does(qtbot, dialog, folder)
        assert _locks_on(watched) == before

        # The same listing with Qt's own provider opens the files and the locks are gone: the
        # reason the chooser has its own (if Qt stops sniffing, this says so).
        plain = QFileDialog(None, "Plain", str(folder))
        plain.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        plain.setIconProvider(QFileIconProvider())
        plain.setNameFilter(files.ALL_FILES)
        qtbot.addWidget(plain)
        plain.setViewMode(QFileDialog.ViewMode.Detail)
        plain.show()
        _list_folder_as_the_view_does(qtbot, plain, folder)
        after_plain = _locks_on(watched)
        assert after_plain["coordinator.db"] < before["coordinator.db"]
        # ...while the app's own lock, a flock on its own file, is still held.
        assert after_plain["coordinator.db.lock"] == before["coordinator.db.lock"] == 1
        reader.close()
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("typed", "kind", "saved"),
    [
        ("summary", files.PDF, "summary.pdf"),
        ("You said we did.PDF", files.PDF, "You said we did.PDF"),
        ("Return-Rugby-2026-10", files.RETURN, "Return-Rugby-2026-10.xlsx"),
        ("book.xlsm", files.WORKBOOK, "book.xlsm"),
        ("copy.v2", files.BACKUP, "copy.v2.db"),
        ("notes", files.EVIDENCE, "notes"),
    ],
)
def test_a_saved_name_gets_its_suffix(typed: str, kind: files.FileKind, saved: str) -> None:
    assert files.with_suffix(Path("/somewhere") / typed, kind).name == saved


def test_it_starts_in_documents_then_remembers_each_kind(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = files.documents_folder()
    assert files.last_folder(files.PDF) == documents
    assert files.last_folder(files.PDF) != Path.cwd() or Path.cwd() == documents

    chosen_folder = tmp_path / "Minutes Zoë"
    chosen_folder.mkdir()
    seen_start: list[Path] = []

    def answer(dialog: QFileDialog) -> list[Path]:
        seen_start.append(Path(dialog.directory().absolutePath()))
        return [chosen_folder / "minutes"]

    monkeypatch.setattr(files, "_run", answer)
    saved = files.ask_save(None, files.PDF, "Save as PDF", "minutes.pdf")
    assert saved == chosen_folder / "minutes.pdf"
    assert seen_start == [documents]
    assert files.last_folder(files.PDF) == chosen_folder
    assert files.last_folder(files.RETURN) == documents  # each kind its own

    files.ask_save(None, files.PDF, "Save as PDF", "agenda.pdf")
    assert seen_start[-1] == chosen_folder

    chosen_folder.rmdir()  # a remembered folder that has gone: Documents again
    assert files.last_folder(files.PDF) == documents


def test_a_cancelled_question_is_none_and_remembers_nothing(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "_run", lambda dialog: [])
    assert files.ask_save(None, files.PDF, "Save as PDF", "x.pdf") is None
    assert files.ask_open(None, files.IMPORT, "Import") is None
    assert files.ask_open_many(None, files.RETURN, "Returns") == []
    assert files.ask_folder(None, files.DRAFTS, "Drafts") is None
    assert QSettings().value(files.SETTINGS_PREFIX + "pdf", "") in ("", None)


@pytest.mark.skipif(sys.platform == "win32", reason="the native dialog is used on Windows")
def test_the_dialog_offers_the_kinds_formats(qtbot, tmp_path: Path) -> None:
    dialog = files._dialog(None, "Open", tmp_path, files.IMPORT, QFileDialog.FileMode.ExistingFile)
    qtbot.addWidget(dialog)
    # Opening offers every spreadsheet the app reads, Excel's and LibreOffice's alike (#24)...
    offered = dialog.nameFilters()
    assert offered[0] == "Spreadsheet, Excel or LibreOffice (*.xlsx *.xlsm *.xls *.ods *.csv)"
    assert offered[-1] == "All files (*)"
    for kind in (files.RETURN, files.STANDARDS):
        first = files._dialog(None, "Open", tmp_path, kind, QFileDialog.FileMode.ExistingFiles)
        qtbot.addWidget(first)
        assert "*.ods" in first.nameFilters()[0] and "*.xls " in first.nameFilters()[0]
    # ... saving offers the one format the app writes.
    save = files._dialog(None, "Save", tmp_path, files.IMPORT, QFileDialog.FileMode.AnyFile)
    qtbot.addWidget(save)
    assert save.nameFilters() == ["Excel workbook (*.xlsx *.xlsm)", "All files (*)"]
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert isinstance(dialog.iconProvider(), files._TypeByName)
