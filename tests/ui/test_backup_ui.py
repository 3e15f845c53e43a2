"""Backups in the desktop app: back up now, restore (chosen from the list or a file), the
damaged-database offer, the automatic backup on opening, the backups folder setting and the
risky-place warning. Dialogs are answered through their patchable functions."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from coordinator_app.core import backup, people
from coordinator_app.core.db import DamagedDatabaseError, open_database
from coordinator_app.core.models import Participant
from coordinator_app.core.settings import get_settings
from coordinator_app.core.vocab import Category
from coordinator_app.ui.dialogs import backup_dialogs
from coordinator_app.ui.dialogs.backup_dialogs import (
    BackupsFolderDialog,
    DamagedDatabaseDialog,
    RestoreDialog,
    back_up_now,
    backup_status_text,
    damaged_database_sentence,
    recover_damaged_database,
    restore_into_app,
    start_backup_if_due,
    warn_about_risky_places,
)

# Backups of SQLite files; on a server they are the server's job (tests/core/test_postgres.py).
pytestmark = pytest.mark.sqlite_only


def _names(db) -> list[str]:
    return sorted(r.name for r in people.list_participants(db, active=None))


def _add(db, name: str) -> None:
    people.create_participant(db, people.ParticipantInput(name=name, category=Category.CARER))


def test_back_up_now_makes_a_backup_and_the_status_says_so(qtbot, ctx, questions) -> None:
    assert backup_status_text(ctx.db) == "No backup yet"
    made = back_up_now(ctx)
    assert made is not None and made.exists()
    assert questions.told == [f"The database was backed up to {made}."]
    assert backup_status_text(ctx.db).startswith("Last backup: today at ")


def test_restore_replaces_the_data_and_every_page_hears_of_it(qtbot, ctx, questions) -> None:
    _add(ctx.db, "Zoë Smith")
    taken = backup.make_backup(ctx.db)
    _add(ctx.db, "Siân Evans")
    heard: list[str] = []
    ctx.events.participantsChanged.connect(heard.append)

    result = restore_into_app(ctx, taken)

    assert result is not None
    assert _names(ctx.db) == ["Zoë Smith"]  # ctx.db is the reopened, restored database
    assert heard == [""]
    assert "It holds 0 meetings, 1 participants" in questions.asked[0]
    assert f"kept at {result.kept_aside}" in questions.told[0]


def test_saying_no_to_the_restore_changes_nothing(qtbot, ctx, questions) -> None:
    _add(ctx.db, "Zoë Smith")
    taken = backup.make_backup(ctx.db)
    _add(ctx.db, "Siân Evans")
    questions.answer = False
    assert restore_into_app(ctx, taken) is None
    assert _names(ctx.db) == ["Siân Evans", "Zoë Smith"]


def test_a_junk_file_offered_for_restore_is_refused_in_plain_words(
    qtbot, ctx, questions, tmp_path: Path
) -> None:
    _add(ctx.db, "Zoë Smith")
    junk = tmp_path / "holiday photos.db"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not a database")
    assert restore_into_app(ctx, junk) is None
    assert questions.asked == []
    assert questions.told == ["holiday photos.db is not an Involvement Coordinator backup: "
                              "it is not a database file."]  # fmt: skip
    assert _names(ctx.db) == ["Zoë Smith"]


def test_the_restore_dialog_lists_backups_newest_first(
    qtbot, ctx, monkeypatch, tmp_path: Path, unnamed_controls
) -> None:
    now = datetime(2026, 11, 22, 9, 30)
    older = backup.make_backup(ctx.db, now=now - timedelta(days=2))
    newer = backup.make_backup(ctx.db, now=now)
    dialog = RestoreDialog(ctx.db)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2
    assert dialog.list.item(0).text().startswith("22/11/2026 at 09:30")
    assert dialog.current_backup() == newer
    dialog.list.setCurrentRow(1)
    dialog.restore_button.click()
    assert dialog.chosen == older
    assert unnamed_controls(dialog) == []

    other = tmp_path / "from the USB stick.db"
    monkeypatch.setattr(backup_dialogs, "choose_backup_file", lambda parent, folder: other)
    second = RestoreDialog(ctx.db)
    qtbot.addWidget(second)
    second.other.click()
    assert second.chosen == other


def test_with_no_backups_the_restore_dialog_says_so(qtbot, ctx) -> None:
    dialog = RestoreDialog(ctx.db)
    qtbot.addWidget(dialog)
    assert "No backups yet" in dialog.list.item(0).text()
    assert not dialog.restore_button.isEnabled()


def _tear_down_windows() -> None:
    """What ``app.run`` left (the process would have ended): the window deleted and its cycles
    collected here, on the GUI thread, never by a collection on a worker thread later."""
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        if hasattr(widget, "home"):
            widget.close()
            widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def _damage(path: Path) -> None:
    """Overwrite pages in the middle of the file, later than it was closed (as damage is)."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek((size // 2) // 4096 * 4096)
        handle.write(b"\xa5" * 8192)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


@pytest.fixture
def damaged(ctx):
    """A database with 300 participants and a good backup, then damaged on disk."""
    with ctx.db.transaction() as session:
        for i in range(300):
            session.add(Participant(name=f"Seán {i}", category=Category.CARER, notes="x" * 300))
    good = backup.make_backup(ctx.db, now=datetime.now() - timedelta(days=1))
    path = ctx.db.path
    ctx.db.dispose()
    _damage(path)
    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(path)
    return caught.value, good


def test_a_damaged_database_is_offered_the_newest_good_backup(
    qtbot, damaged, monkeypatch, questions
) -> None:
    error, good = damaged
    offered = []

    def ask(err, offer, parent=None):
        offered.append(offer)
        return True

    monkeypatch.setattr(DamagedDatabaseDialog, "ask", ask)
    result = recover_damaged_database(error)
    assert offered[0].path == good
    assert result is not None and result.replaced_was_damaged
    assert "damaged file is kept at" in questions.told[0]
    reopened = open_database(error.path)
    try:
        assert len(people.list_participants(reopened, active=None)) == 300
    finally:
        reopened.dispose()


def test_quitting_at_the_damage_offer_leaves_the_file_alone(qtbot, damaged, monkeypatch) -> None:
    error, _good = damaged
    before = error.path.read_bytes()
    monkeypatch.setattr(DamagedDatabaseDialog, "ask", lambda err, offer, parent=None: False)
    assert recover_damaged_database(error) is None
    assert error.path.read_bytes() == before


def test_the_damage_dialog_speaks_plainly(qtbot, damaged, unnamed_controls) -> None:
    error, good = damaged
    offer = backup.newest_good_backup(error.path)
    dialog = DamagedDatabaseDialog(error, offer)
    qtbot.addWidget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(backup_dialogs.QLabel))
    assert "damaged" in text and "kept aside" in text and str(error.path) in text
    assert unnamed_controls(dialog) == []
    sentence = damaged_database_sentence(error, offer)
    assert str(good) in sentence and "restore" in sentence
    assert "No good backup" in damaged_database_sentence(error, None)


def test_the_backup_on_opening_runs_in_the_background_when_due(qtbot, ctx) -> None:
    texts: list[str] = []
    task = start_backup_if_due(ctx.db, texts.append)
    assert task is not None
    qtbot.waitUntil(lambda: bool(texts), timeout=10_000)
    assert texts[0].startswith("Last backup: today")
    assert backup.last_backup(ctx.db) is not None
    assert start_backup_if_due(ctx.db, texts.append) is None  # not due again today


def test_the_backups_folder_setting_warns_about_synced_folders(
    qtbot, ctx, tmp_path: Path, unnamed_controls
) -> None:
    dialog = BackupsFolderDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.warning.isHidden()
    dialog.folder.setText(str(tmp_path / "Dropbox" / "coordinator backups"))
    assert not dialog.warning.isHidden() and "Dropbox" in dialog.warning.text()
    chosen = tmp_path / "USB" / "backups"
    dialog.folder.setText(str(chosen))
    assert dialog.warning.isHidden()
    assert unnamed_controls(dialog) == []
    dialog._save()
    assert get_settings(ctx.db).backups_folder == str(chosen)
    assert chosen.is_dir()
    assert backup.make_backup(ctx.db).parent == chosen


def test_a_database_in_a_synced_folder_is_warned_about(qtbot, tmp_path: Path, questions) -> None:
    path = tmp_path / "OneDrive - Arden Valley NHS" / "coordinator.db"
    db = open_database(path)
    try:
        warnings = warn_about_risky_places(db)
    finally:
        db.dispose()
    assert len(warnings) == 2  # the database and its default backups folder beside it
    assert "OneDrive" in questions.told[0]


def test_the_restored_file_has_no_stale_log(qtbot, ctx, questions) -> None:
    _add(ctx.db, "Zoë Smith")
    taken = backup.make_backup(ctx.db)
    restore_into_app(ctx, taken)
    with closing(sqlite3.connect(ctx.db.path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_open_for_app_takes_the_lock_and_opens(qtbot, tmp_path: Path) -> None:
    from coordinator_app.core.lock import lock_path
    from coordinator_app.ui.dialogs.backup_dialogs import open_for_app

    path = tmp_path / "coordinator.db"
    opened = open_for_app(str(path), exit_after_startup=True)
    assert opened is not None and opened.lock.held and lock_path(path).exists()
    opened.db.dispose()
    opened.lock.release()
    assert not lock_path(path).exists()


@pytest.fixture
def app_run_state(qapp):
    """``app.run`` sets the app's look (its style) and names for the process: the test
    run's own come back afterwards, so later tests see what they always saw."""
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtGui import QPalette

    style, palette = qapp.style().name(), QPalette(qapp.palette())
    names = (QCoreApplication.organizationName(), QCoreApplication.applicationName())
    settings_format = QSettings.defaultFormat()
    try:
        yield
    finally:
        _tear_down_windows()
        qapp.setStyle(style)
        qapp.setPalette(palette)
        QCoreApplication.setOrganizationName(names[0])
        QCoreApplication.setApplicationName(names[1])
        QSettings.setDefaultFormat(settings_format)


def test_a_damaged_database_with_exit_after_startup_says_one_sentence_and_asks_nothing(
    qtbot, damaged, capsys, monkeypatch, app_run_state
) -> None:
    """The check the opening deferred is waited for once Home is shown: one sentence naming the
    newest good backup, exit 1, no question, the lock released, the file untouched."""
    from coordinator_app.core.lock import lock_path
    from coordinator_app.ui import app as app_module
    from coordinator_app.ui import errors

    error, good = damaged
    before = error.path.read_bytes()
    monkeypatch.setattr(
        DamagedDatabaseDialog, "ask", lambda *a, **k: pytest.fail("asked a question")
    )
    monkeypatch.setattr(errors, "install", lambda: None)
    assert app_module.run(str(error.path), exit_after_startup=True) == 1
    err = capsys.readouterr().err
    assert err.startswith("coordinator-app: The database ") and "is damaged" in err
    assert str(good) in err and err.count("\n") == 1
    assert not lock_path(error.path).exists()
    assert error.path.read_bytes() == before


def test_the_opening_defers_the_check_and_a_damaged_verdict_offers_the_backup(
    qtbot, damaged, monkeypatch, questions
) -> None:
    """Opened without reading the whole file; the check beside the window finds the damage,
    nothing was written meanwhile, and restoring the offered backup reopens the database."""
    from PySide6.QtWidgets import QMainWindow

    from coordinator_app.ui.context import AppContext
    from coordinator_app.ui.dialogs.backup_dialogs import open_for_app, watch_soundness

    error, good = damaged
    offered: list[object] = []

    def ask(err, offer, parent=None):
        offered.append(offer)
        return True

    monkeypatch.setattr(DamagedDatabaseDialog, "ask", ask)
    opened = open_for_app(str(error.path))
    assert opened is not None and opened.db.soundness is not None
    ctx = AppContext(db=opened.db)
    window = QMainWindow()
    qtbot.addWidget(window)
    try:
        watch = watch_soundness(ctx, window)
        assert watch is not None
        qtbot.waitUntil(lambda: bool(offered), timeout=20_000)
        assert offered[0].path == good
        qtbot.waitUntil(lambda: ctx.db is not opened.db, timeout=20_000)
        assert len(people.list_participants(ctx.db, active=None)) == 300
        assert "damaged file is kept at" in questions.told[-1]
    finally:
        ctx.db.dispose()
        opened.lock.release()


def test_a_save_waits_for_the_check_and_the_status_bar_says_why(qtbot, ctx, monkeypatch) -> None:
    """After an unclean shutdown a save made before the verdict waits for it on the worker (the
    window stays responsive) and the status bar says why; the verdict lets it through."""
    import threading

    from PySide6.QtWidgets import QMainWindow

    from coordinator_app.core import soundness
    from coordinator_app.ui.context import AppContext
    from coordinator_app.ui.dialogs.backup_dialogs import (
        CHECKING_TEXT,
        SAVE_WAITS_TEXT,
        open_for_app,
        watch_soundness,
    )
    from coordinator_app.ui.operations import Op

    path = ctx.db.path
    ctx.db.dispose()
    soundness.clean_close_path(path).unlink()  # as a crash leaves it
    release = threading.Event()
    real = soundness.run_quick_check

    def held(checked: Path) -> list[str]:
        assert release.wait(30)
        return real(checked)

    monkeypatch.setattr(soundness, "run_quick_check", held)
    opened = open_for_app(str(path))
    assert opened is not None
    app_ctx = AppContext(db=opened.db)
    window = QMainWindow()
    qtbot.addWidget(window)
    saved: list[object] = []
    try:
        watch = watch_soundness(app_ctx, window)
        assert watch is not None
        assert window.statusBar().currentMessage() == CHECKING_TEXT
        Op(window, lambda: _add(app_ctx.db, "Zoë Smith")).success(saved.append).run()
        qtbot.waitUntil(lambda: window.statusBar().currentMessage() == SAVE_WAITS_TEXT)
        assert saved == []
        release.set()
        qtbot.waitUntil(lambda: saved == [None], timeout=10_000)
        assert window.statusBar().currentMessage() == ""
        assert _names(app_ctx.db) == ["Zoë Smith"]
    finally:
        release.set()
        app_ctx.db.dispose()
        opened.lock.release()


@pytest.fixture
def own_settings(tmp_path, monkeypatch):
    """QSettings in this test's own folder (the backups' limit is kept there)."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("Involvement Coordinator Tests")
    QCoreApplication.setApplicationName("Backup tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))


def test_no_list_waits_behind_a_backup(qtbot, ctx, monkeypatch) -> None:
    """The automatic backup runs on its own thread: a list's read queued on the executor after
    it finishes while the backup is still copying (at 16x the full actions list waited 30.7 s
    behind one instead of 3.7 s)."""
    import threading

    from coordinator_app.ui import tasks

    release = threading.Event()
    threads: list[str] = []
    real = backup.make_backup

    def slow(*args, **kwargs):
        threads.append(threading.current_thread().name)
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(backup, "make_backup", slow)
    texts: list[str] = []
    task = start_backup_if_due(ctx.db, texts.append)
    assert task is not None
    qtbot.waitUntil(lambda: bool(threads), timeout=10_000)
    read: list[object] = []
    list_task = tasks.Task(lambda _p, _c: people.list_participants(ctx.db, active=None))
    list_task.signals.finished.connect(read.append)
    tasks.submit(list_task)
    try:
        qtbot.waitUntil(lambda: bool(read), timeout=10_000)
        assert texts == []  # the backup is still under way
    finally:
        release.set()
    qtbot.waitUntil(lambda: bool(texts), timeout=10_000)
    assert texts[0].startswith("Last backup: today")


def test_closing_makes_no_second_backup_on_a_day_that_has_one(qtbot, ctx, own_settings) -> None:
    now = datetime.now()
    first = backup_dialogs.backup_on_close(ctx.db, now=now)
    assert first is not None
    assert backup_dialogs.backup_on_close(ctx.db, now=now) is None
    assert [b.path for b in backup.list_backups(first.parent, "coordinator")] == [first]


def test_the_backups_dialog_shows_their_disk_use_and_keeps_them_within_its_limit(
    qtbot, ctx, own_settings
) -> None:
    with ctx.db.transaction() as session:
        for i in range(200):
            session.add(Participant(name=f"Seán {i}", category=Category.CARER, notes="x" * 300))
    now = datetime.now()
    old = [backup.make_backup(ctx.db, now=now - timedelta(days=d)) for d in (3, 2, 1)]
    size = old[0].stat().st_size
    dialog = BackupsFolderDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.limit.value() == backup_dialogs.DEFAULT_LIMIT_GB
    assert dialog.usage.text().startswith(f"The 3 backups in {old[0].parent} take ")
    assert "of the 10.0 GB they may take" in dialog.usage.text()
    dialog.limit.setValue(2.5)
    dialog._save()
    assert backup_dialogs.backup_limit_gb() == 2.5
    backup_dialogs.set_backup_limit_gb(size * 2.5 / 1e9)  # two and a half copies of this small one
    limit = backup_dialogs.backup_limit_bytes()
    texts: list[str] = []
    assert start_backup_if_due(ctx.db, texts.append, now=now + timedelta(days=1)) is not None
    qtbot.waitUntil(lambda: bool(texts), timeout=10_000)
    kept = backup.backups_disk_use(old[0].parent, "coordinator")
    assert kept.size <= max(limit, size) and kept.count >= 1
    assert not old[0].exists()  # the oldest went first


def test_a_backup_that_does_not_check_out_has_the_database_checked_and_writes_refused(
    qtbot, ctx, own_settings
) -> None:
    with ctx.db.transaction() as session:
        for i in range(300):
            session.add(Participant(name=f"Seán {i}", category=Category.CARER, notes="x" * 300))
    ctx.db.engine.dispose()  # nothing cached: what is on the disk is what is read next
    _damage(ctx.db.path)
    damage: list[list[str]] = []
    texts: list[str] = []
    assert start_backup_if_due(ctx.db, texts.append, on_damage=damage.append) is not None
    qtbot.waitUntil(lambda: bool(damage), timeout=20_000)
    assert texts == ["Backup failed: the database is damaged."]
    with pytest.raises(DamagedDatabaseError):
        _add(ctx.db, "Zoë Smith")
    assert backup_dialogs.backup_on_close(ctx.db) is None


def test_a_backup_on_closing_that_is_refused_is_logged_and_closing_goes_on(
    qtbot, ctx, own_settings, monkeypatch, questions, caplog
) -> None:
    """The backup folder is full when the app closes: nothing is shown (the window has gone),
    the sentence goes to the log as a warning, and closing goes on (issue #20: through
    ``operations.export``)."""
    import logging

    from coordinator_app.core.errors import CoordinatorError

    def full(*_args, **_kwargs):
        raise CoordinatorError("The backup folder is full.")

    monkeypatch.setattr(backup_dialogs.backup, "make_backup", full)
    with caplog.at_level(logging.WARNING, logger=backup_dialogs.log.name):
        assert backup_dialogs.backup_on_close(ctx.db) is None
    assert "Backup on closing failed: The backup folder is full." in caplog.text
    assert questions.told == []


def test_a_database_that_cannot_be_opened_after_the_restore_is_said_and_the_app_quits(
    qtbot, ctx, monkeypatch
) -> None:
    """Restored, but the file will not open again: its sentence titled with the app's name, and
    the app quits (exit code 1) with ``ctx.db`` left as it was (issue #20: ``operations.read``)."""
    from types import SimpleNamespace

    from PySide6.QtWidgets import QMainWindow

    from coordinator_app import APP_NAME
    from coordinator_app.core.errors import CoordinatorError
    from coordinator_app.ui import tasks, widgets
    from coordinator_app.ui.operations import Op

    window = QMainWindow()
    qtbot.addWidget(window)
    before = ctx.db
    offer = SimpleNamespace(path=ctx.db.path.with_name("good.sqlite"))
    locked = "The database is in use by another program."

    def refuse(_path):
        raise CoordinatorError(locked)

    exits: list[int] = []
    monkeypatch.setattr(backup_dialogs.backup, "newest_good_backup", lambda path: offer)
    monkeypatch.setattr(DamagedDatabaseDialog, "ask", lambda err, found, parent=None: True)
    monkeypatch.setattr(tasks, "wait_for_backups", lambda parent: None)
    monkeypatch.setattr(
        backup_dialogs.backup_ops, "restore", lambda *a, **k: Op(None, lambda: None)
    )
    monkeypatch.setattr(backup_dialogs, "open_database", refuse)
    monkeypatch.setattr(backup_dialogs, "QCoreApplication", SimpleNamespace(exit=exits.append))
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(widgets, "inform", lambda _parent, title, text: told.append((title, text)))
    error = DamagedDatabaseError(ctx.db.path, "page 3 is damaged")
    assert backup_dialogs.damaged_while_open(ctx, window, error) is False
    assert told == [(APP_NAME, locked)]
    assert exits == [1] and ctx.db is before
