"""Backups in the desktop app: the damaged-database offer, back up now, restore from a backup,
the backups folder setting, the automatic backups on opening and closing, and the risky-place
warning.

Every question goes through a function or ``ask`` classmethod that tests patch
(``widgets.confirm``, ``widgets.inform``, ``choose_backup_file``, ``choose_folder``,
``DamagedDatabaseDialog.ask``); nothing here calls ``exec`` on a file dialog in a test.

Pitfalls:
- A restore replaces the file under the open database: ``restore_into_app`` disposes
  ``ctx.db`` first, restores, then opens the restored file into ``ctx.db`` (pages read
  ``ctx.db`` at call time) and tells every page through ``ctx.events``. If the restore fails,
  the old database is reopened.
- Backups run on their own thread (``tasks.backups()``), never on the executor the lists and
  saves use: at sixteen times the large demo (1.7 GB) one takes half a minute, and the full
  actions list waited 30.7 s behind it instead of 3.7 s. The copy is checked with
  ``quick_check``, fully once a week (``core.backup``). A restore waits for a backup under way
  (``tasks.wait_for_backups``).
- The backup on closing runs after the window is hidden, and only when none was made today.
- The rotation's disk use is bounded by a limit kept in QSettings (``backups/limit_gb``,
  ``DEFAULT_LIMIT_GB`` when unset; not in the database, so it is this computer's and this
  user's, not the trust's): the oldest backups go first, the newest always stays. The backups
  folder dialog shows the use and sets the limit.
- A backup whose copy does not check out means the database itself may be damaged: it is then
  checked (``quick_check``), and a damaged one is refused every write from then on and offered
  the newest good backup (``on_damage``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ... import APP_NAME
from ...core import backup
from ...core.backup import BackupInfo, RestoreResult
from ...core.db import DamagedDatabaseError, Database, open_database, quick_check
from ...core.places import risky_place, risky_places
from ...core.soundness import SoundnessCheck
from .. import files, operations, tasks, widgets
from ..context import AppContext
from ..dialog_sizes import Dialog
from ..opening import OpenedDatabase as OpenedDatabase  # in ui/opening.py: light, before Home
from ..opening import open_for_app as open_for_app
from ..operations import backup as backup_ops
from .buttons import letter_buttons

log = logging.getLogger(__name__)


# --- small questions tests patch


def choose_backup_file(parent: QWidget | None, folder: Path) -> Path | None:
    """Ask for a backup file to restore (a real file dialog; tests patch this)."""
    if folder.is_dir():
        files.remember(files.BACKUP, folder)
    return files.ask_open(parent, files.BACKUP, "Restore from a backup file")


def choose_backup_target(parent: QWidget | None, suggested: Path) -> Path | None:
    """Ask where to save a backup copy (tests patch this)."""
    return files.ask_save(parent, files.BACKUP, "Save a backup copy", suggested)


def choose_folder(parent: QWidget | None, start: Path) -> Path | None:
    """Ask for a folder (tests patch this)."""
    return files.ask_folder(parent, files.BACKUP, "Choose the backups folder", start)


def _when(info: BackupInfo) -> str:
    return info.taken_at.strftime("%d/%m/%Y at %H:%M")


def _size(info: BackupInfo) -> str:
    return (
        f"{info.size / 1_048_576:.1f} MB" if info.size >= 1_048_576 else f"{info.size // 1024} KB"
    )


# --- status


def backup_status_text(db: Database, now: datetime | None = None) -> str:
    """The status bar / Home words: "Last backup: today at 14:05", or "" for a server database
    (``backup.status_text``)."""
    return backup.status_text(db, now)


def risky_place_warnings(db: Database) -> list[str]:
    """Sentences for a database or backups folder on a network share or in a synced folder."""
    if db.path is None:
        return []
    return risky_places(db.path, backup.backups_folder(db))


def warn_about_risky_places(db: Database, parent: QWidget | None = None) -> list[str]:
    """Tell the user (once, after the window shows) when the database or backups are at risk."""
    warnings = risky_place_warnings(db)
    if warnings:
        widgets.inform(parent, f"{APP_NAME}: a risky place", "\n\n".join(warnings))
    return warnings


# --- automatic backups

#: QSettings key: at most this many gigabytes of rotation backups (this computer's setting).
KEY_LIMIT_GB = "backups/limit_gb"
#: The limit when none is set: the large demo's twenty copies take about 2 GB and stay whole;
#: at sixteen times that (1.7 GB a copy) the oldest go.
DEFAULT_LIMIT_GB = 10.0


def backup_limit_gb() -> float:
    """The rotation's limit in gigabytes (QSettings ``backups/limit_gb``, else the default)."""
    from PySide6.QtCore import QSettings

    value = QSettings().value(KEY_LIMIT_GB, DEFAULT_LIMIT_GB)
    try:
        limit = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_LIMIT_GB
    return limit if limit > 0 else DEFAULT_LIMIT_GB


def set_backup_limit_gb(limit: float) -> None:
    from PySide6.QtCore import QSettings

    QSettings().setValue(KEY_LIMIT_GB, float(limit))


def backup_limit_bytes() -> int:
    return int(backup_limit_gb() * 1e9)


@dataclass(frozen=True)
class SuspectDatabase:
    """What the automatic backup hands back when its copy did not check out and the database's
    own check then found damage."""

    problems: list[str]


def _backup_job(path: Path, limit: int) -> Path | SuspectDatabase:
    """On the backups' thread: a rotation backup; a copy that does not check out has the
    database itself checked, and its damage is handed back instead of a path."""
    try:
        return backup.make_backup(path, limit_bytes=limit)
    except backup.BackupNotSoundError:
        problems = quick_check(path)
        if problems:
            return SuspectDatabase(problems)
        raise


def start_backup_if_due(
    db: Database,
    on_done: Callable[[str], None] | None = None,
    now: datetime | None = None,
    on_damage: Callable[[list[str]], None] | None = None,
) -> object | None:
    """If the last backup is more than a day old, back up on the backups' own thread (never
    blocking the window, nor the lists and saves on the executor); ``on_done(status_text)`` is
    called on the GUI thread afterwards. Returns the task (keep it until it ends) or None when
    no backup was due. A failure is logged (no personal data: the sentence names files only)
    and shown in the status text. When the copy did not check out and the database's own check
    then finds damage, every later write to ``db`` is refused (``db.soundness``) and
    ``on_damage(problems)`` is called on the GUI thread."""
    if db.path is None or not backup.backup_due(db, now):
        return None
    from ..tasks import Task, backups, submit

    path, limit = db.path, backup_limit_bytes()
    task = Task(lambda _progress, _cancelled: _backup_job(path, limit))

    def finished(result: object) -> None:
        if isinstance(result, SuspectDatabase):
            db.soundness = SoundnessCheck.known(path, result.problems)
            if on_done is not None:
                on_done("Backup failed: the database is damaged.")
            if on_damage is not None:
                on_damage(result.problems)
        elif on_done is not None:
            on_done(backup_status_text(db))

    task.signals.finished.connect(finished)
    if on_done is not None:
        task.signals.failed.connect(lambda message: on_done(f"Backup failed: {message}"))
    else:
        task.signals.failed.connect(lambda message: log.warning("Automatic backup: %s", message))
    return submit(task, backups())


def backup_on_close(db: Database, now: datetime | None = None) -> Path | None:
    """The backup made when the app closes (after the window is hidden, before ``db.dispose``),
    unless one was already made today (``backup.backed_up_today``: at sixteen times the large
    demo each is half a minute of closing). Never raises: closing must not be stopped by a full
    USB stick. A database found damaged while open is not copied (its copy could never check
    out)."""
    if db.path is None or db.damage_seen:
        return None
    if db.soundness is not None and db.soundness.problems:
        return None
    if backup.backed_up_today(db, now):
        return None
    return operations.export(  # the window is gone: a refusal goes to the log
        None,
        "Backup on closing",
        lambda: backup.make_backup(db, now=now, limit_bytes=backup_limit_bytes()),
        on_refused=lambda exc: log.warning("Backup on closing failed: %s", exc),
    )


def back_up_now(ctx: AppContext, parent: QWidget | None = None) -> Path | None:
    """File > Back up now…: a backup into the rotation folder, behind a progress dialog, on the
    backups' own thread."""
    from ..tasks import backups, run_with_progress

    if ctx.db.path is None:
        widgets.inform(parent, "Back up", backup.SERVER_SENTENCE)
        return None
    path, limit = ctx.db.path, backup_limit_bytes()
    made = run_with_progress(
        parent,
        "Back up",
        "Backing up the database…",
        lambda _p, _c: backup.make_backup(path, limit_bytes=limit),
        backups(),
    )
    if made is not None:
        widgets.inform(parent, "Back up", f"The database was backed up to {made}.")
    return made


def usage_text(db: Database, limit_gb: float | None = None) -> str:
    """ "The 18 backups in /…/backups take 2.1 GB of the 10.0 GB they may take." ("" on a
    server, where backups are the server's)."""
    if db.path is None:
        return ""
    folder = backup.backups_folder(db)
    use = backup.backups_disk_use(folder, db.path.stem)
    limit = backup_limit_gb() if limit_gb is None else limit_gb
    if use.count == 0:
        return f"No backup yet in {folder}; they may take up to {limit:.1f} GB."
    copies = "backup" if use.count == 1 else "backups"
    return (
        f"The {use.count} {copies} in {folder} take {use.size / 1e9:.1f} GB of the "
        f"{limit:.1f} GB they may take."
    )


# --- restore


class RestoreDialog(Dialog):
    """Choose a backup to restore: the rotation backups newest first, or another file."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.chosen: Path | None = None
        self.setWindowTitle("Restore from a backup")
        self.folder = backup.backups_folder(db)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Choose the backup to go back to. Everything entered since it was taken will be "
            "replaced; the database as it is now is kept aside first, so nothing is lost."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName("Backups, newest first")
        for info in backup.list_backups(self.folder, db.path.stem if db.path else ""):
            item = QListWidgetItem(f"{_when(info)}   ({_size(info)})")
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.list.addItem(QListWidgetItem(f"No backups yet in {self.folder}"))
            self.list.setEnabled(False)
        layout.addWidget(self.list)
        self.other = QPushButton("Choose &another file…")
        self.other.clicked.connect(self._choose_other)
        layout.addWidget(self.other, alignment=Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        letter_buttons(buttons)
        self.restore_button = buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(self.list.isEnabled())
        buttons.accepted.connect(self._accept_current)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self._accept_current())
        layout.addWidget(buttons)

    def current_backup(self) -> Path | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return Path(value) if value else None

    def _accept_current(self) -> None:
        self.chosen = self.current_backup()
        if self.chosen is not None:
            self.accept()

    def _choose_other(self) -> None:
        chosen = choose_backup_file(self, self.folder)
        if chosen is not None:
            self.chosen = chosen
            self.accept()

    @classmethod
    def ask(cls, db: Database, parent: QWidget | None = None) -> Path | None:
        dialog = cls(db, parent)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None


def restore_into_app(
    ctx: AppContext, backup_file: Path, parent: QWidget | None = None
) -> RestoreResult | None:
    """Verify ``backup_file``, confirm, then restore it under the running app (see the module
    docstring); returns the result, or None when refused, cancelled or failed (told to the
    user)."""
    if ctx.db.path is None:
        widgets.inform(parent, "Restore", backup.SERVER_SENTENCE)
        return None
    check = operations.read(parent, "Restore", lambda: backup.verify_backup(backup_file))
    if check is None:
        return None
    counts = check.counts
    question = (
        f"Restore {backup_file.name}? It holds {counts.get('meetings', 0)} meetings, "
        f"{counts.get('participants', 0)} participants and {counts.get('actions', 0)} actions. "
        "The database as it is now is kept aside first."
    )
    if not widgets.confirm(parent, "Restore from a backup", question, yes="Restore"):
        return None
    from ..tasks import wait_for_backups

    path = ctx.db.path
    wait_for_backups(parent)  # the backup under way reads the file being replaced
    ctx.db.dispose()
    outcome = backup_ops.restore(parent, path, backup_file).wait()
    ctx.db = open_database(path)
    if not outcome.ok or outcome.value is None:
        return None
    result = outcome.value
    _announce_everything_changed(ctx)
    aside = f" The database as it was is kept at {result.kept_aside}." if result.kept_aside else ""
    again = f" {result.erasures_note}" if result.erasures_note else ""
    widgets.inform(parent, "Restore", f"The backup {backup_file.name} was restored.{aside}{again}")
    return result


def restore_from_backup(ctx: AppContext, parent: QWidget | None = None) -> RestoreResult | None:
    """File > Restore from backup…: choose (``RestoreDialog.ask``), then ``restore_into_app``."""
    if ctx.db.path is None:
        widgets.inform(parent, "Restore", backup.SERVER_SENTENCE)
        return None
    chosen = RestoreDialog.ask(ctx.db, parent)
    return restore_into_app(ctx, chosen, parent) if chosen is not None else None


def _announce_everything_changed(ctx: AppContext) -> None:
    events = ctx.events
    for signal in (
        events.meetingsChanged,
        events.participantsChanged,
        events.actionsChanged,
        events.accreditationChanged,
    ):
        signal.emit("")
    events.settingsChanged.emit()


# --- a damaged database on opening


class DamagedDatabaseDialog(Dialog):
    """Plain words about a damaged database and the offer of the newest good backup."""

    def __init__(
        self, error: DamagedDatabaseError, offer: BackupInfo | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: the database is damaged")
        layout = QVBoxLayout(self)
        if offer is not None:
            advice = (
                f"<p>The newest good backup was taken on {_when(offer)}. Restoring it brings "
                "back everything up to then; anything entered after it will need typing again."
                "</p><p>The damaged file is kept aside, untouched, so support can try to "
                "recover the rest.</p>"
            )
        else:
            advice = (
                "<p>No good backup was found. Keep the file as it is and contact support; "
                "do not delete it.</p>"
            )
        text = QLabel(
            f"<p><b>The database could not be opened because it is damaged</b> (this can happen "
            f"after a power cut, a full disk or a synced folder).</p><p>{error.path}</p>{advice}"
        )
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(text)
        buttons = QDialogButtonBox()
        if offer is not None:
            restore = buttons.addButton(
                "&Restore the backup", QDialogButtonBox.ButtonRole.AcceptRole
            )
            restore.setDefault(True)
        buttons.addButton("&Quit", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(
        cls, error: DamagedDatabaseError, offer: BackupInfo | None, parent: QWidget | None = None
    ) -> bool:
        """True when the user chose to restore ``offer``."""
        return cls(error, offer, parent).exec() == QDialog.DialogCode.Accepted and offer is not None


def damaged_database_sentence(error: DamagedDatabaseError, offer: BackupInfo | None) -> str:
    """What ``--exit-after-startup`` (and the command line) says: one clear sentence."""
    if offer is None:
        return f"{error} No good backup was found; keep the file and contact support."
    return (
        f"{error} The newest good backup is {offer.path} ({_when(offer)}); "
        f'restore it with: coordinator-app --db "{error.path}" restore "{offer.path}"'
    )


def recover_damaged_database(
    error: DamagedDatabaseError, parent: QWidget | None = None
) -> RestoreResult | None:
    """Offer the newest good backup for a damaged database and restore it if the user agrees
    (the damaged file is moved aside, never overwritten). Returns the result, or None when the
    user quit or there was nothing to offer; the caller then opens the database again."""
    offer = backup.newest_good_backup(error.path)
    if not DamagedDatabaseDialog.ask(error, offer, parent):
        return None
    assert offer is not None
    outcome = backup_ops.restore(parent, error.path, offer.path, title=APP_NAME).wait()
    if not outcome.ok or outcome.value is None:
        return None
    result = outcome.value
    widgets.inform(
        parent,
        APP_NAME,
        f"The backup of {_when(offer)} was restored. The damaged file is kept at "
        f"{result.kept_aside}." + (f" {result.erasures_note}" if result.erasures_note else ""),
    )
    return result


# --- the damage check beside the window


#: The status bar while the check runs, and when a save waits for it.
CHECKING_TEXT = (
    "Checking the database for damage (the app did not close normally last time, or the file "
    "was changed by something else)…"
)
SAVE_WAITS_TEXT = (
    "Saving waits until the database has been checked for damage; on a large database this "
    "takes a moment…"
)


class SoundnessWatch(QObject):
    """Hands the verdict of ``db.soundness`` (given on the checking thread) and a write that
    waits for it (on the executor) to the GUI thread."""

    verdict = Signal(object)  #: list[str] (``[]``: sound) or None (the file could not be read)
    waiting = Signal()

    def write_waits(self) -> None:
        """``Database.on_write_waits``: from any thread. A write on the GUI thread blocks it,
        so the status bar is repainted at once instead of through the (blocked) event loop."""
        if QThread.currentThread() is self.thread():
            self.waiting.emit()
            window = self.parent()
            if isinstance(window, QMainWindow):
                window.statusBar().repaint()
        else:
            self.waiting.emit()


def watch_soundness(ctx: AppContext, window: QMainWindow) -> SoundnessWatch | None:
    """Start the damage check the opening deferred (``db.soundness``; None when the database
    was closed cleanly and is unchanged, or is on a server) now that the window is up, say so
    in the status bar, and act on its verdict on the GUI thread: sound, the words go; damaged,
    ``damaged_while_open`` (nothing was written meanwhile: every write waited for this)."""
    check = ctx.db.soundness
    if check is None:
        return None
    db = ctx.db
    watch = SoundnessWatch(window)
    bar = window.statusBar()
    bar.showMessage(CHECKING_TEXT)
    watch.waiting.connect(lambda: bar.showMessage(SAVE_WAITS_TEXT))

    def arrived(problems: list[str] | None) -> None:
        collector.release()
        if db is not ctx.db:
            return  # a restore replaced the database meanwhile
        db.on_write_waits = None
        bar.clearMessage()
        if problems:
            assert db.path is not None
            damaged_while_open(ctx, window, DamagedDatabaseError(db.path, "; ".join(problems)))
        elif problems is None:
            bar.showMessage("The database could not be checked for damage; saving will say why.")

    watch.verdict.connect(arrived)
    db.on_write_waits = watch.write_waits
    check.when_done(watch.verdict.emit)
    # No garbage collection while the check's own thread runs (``tasks._GuiCollector``).
    collector = tasks.collector()
    collector.hold()
    check.start()
    return watch


def damaged_while_open(ctx: AppContext, window: QWidget, error: DamagedDatabaseError) -> bool:
    """The check beside the window found the open database damaged (nothing was written to it:
    every write waited for the verdict and is refused). Offer the newest good backup
    (``DamagedDatabaseDialog``); restored, the database is opened again and every page told;
    otherwise the app quits (exit code 1), leaving the file as it is. True when restored."""
    offer = backup.newest_good_backup(error.path)
    if not DamagedDatabaseDialog.ask(error, offer, window) or offer is None:
        QCoreApplication.exit(1)
        return False
    from ..tasks import wait_for_backups

    path = error.path
    wait_for_backups(window)
    ctx.db.dispose()
    outcome = backup_ops.restore(window, path, offer.path, title=APP_NAME).wait()
    reopened = operations.read(window, APP_NAME, lambda: open_database(path))
    if reopened is None:  # its sentence was shown
        QCoreApplication.exit(1)
        return False
    ctx.db = reopened
    if not outcome.ok or outcome.value is None:
        QCoreApplication.exit(1)
        return False
    _announce_everything_changed(ctx)
    widgets.inform(
        window,
        APP_NAME,
        f"The backup of {_when(offer)} was restored. The damaged file is kept at "
        f"{outcome.value.kept_aside}.",
    )
    return True


# --- the backups folder setting


class BackupsFolderDialog(Dialog):
    """Edit > Settings, backups folder: a folder (empty = ``backups`` beside the database),
    with a warning when it is on a network share or in a synced folder; how many months
    backups are kept (the trust's retention period: older ones are deleted, copies kept before
    an upgrade or a restore too; ``core.backup.prune_expired``); how much disk the backups take
    now, and the most they may take (``backup_limit_gb``, this computer's)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Backups folder")
        from ...core.settings import get_settings

        layout = QVBoxLayout(self)
        intro = QLabel(
            "The app backs the database up every day (when you open it, or close it if it has "
            "not yet that day), keeping 7 daily, 4 weekly and 12 monthly copies, the oldest "
            "going first when they would take more space than the limit below. Choose where "
            "they go (a USB stick is fine; a synced or network folder is not), and how long any "
            "backup may be kept."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        settings = get_settings(ctx.db)
        self.folder = QLineEdit(settings.backups_folder)
        self.folder.setAccessibleName("Backups folder")
        self.folder.setPlaceholderText(str(backup.backups_folder(ctx.db, "")))
        self.folder.textChanged.connect(self._check)
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        default = QPushButton("Use the &default")
        default.clicked.connect(lambda: self.folder.setText(""))
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        row.addWidget(default)
        layout.addLayout(row)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setProperty("role", "field-error")
        self.warning.setAccessibleDescription("Warning about the backups folder")
        layout.addWidget(self.warning)
        keep_row = QHBoxLayout()
        keep_label = QLabel("&Keep backups for")
        self.retention = QSpinBox()
        self.retention.setRange(1, backup.MAX_RETENTION_MONTHS)
        self.retention.setSuffix(" months")
        self.retention.setValue(settings.backup_retention_months)
        self.retention.setAccessibleName("Keep backups for, in months")
        self.retention.setToolTip(
            "Your trust's retention period. Older backups are deleted, copies kept before an "
            "upgrade or a restore too; backups saved elsewhere with Back up to… are yours to "
            "delete."
        )
        keep_label.setBuddy(self.retention)
        keep_row.addWidget(keep_label)
        keep_row.addWidget(self.retention)
        keep_row.addStretch(1)
        layout.addLayout(keep_row)
        limit_row = QHBoxLayout()
        limit_label = QLabel("Take at &most:")
        self.limit = QDoubleSpinBox()
        self.limit.setRange(0.1, 10_000.0)
        self.limit.setDecimals(1)
        self.limit.setSuffix(" GB")
        self.limit.setValue(backup_limit_gb())
        self.limit.setAccessibleName("Most disk space the backups may take, in gigabytes")
        limit_label.setBuddy(self.limit)
        limit_row.addWidget(limit_label)
        limit_row.addWidget(self.limit)
        limit_row.addStretch(1)
        layout.addLayout(limit_row)
        self.usage = QLabel()
        self.usage.setWordWrap(True)
        self.usage.setAccessibleDescription("Disk space the backups take")
        layout.addWidget(self.usage)
        self.limit.valueChanged.connect(self._show_usage)
        self._show_usage()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        letter_buttons(buttons)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._check()

    def chosen_folder(self) -> Path:
        return backup.backups_folder(self.ctx.db, self.folder.text())

    def _show_usage(self) -> None:
        self.usage.setText(usage_text(self.ctx.db, self.limit.value()))

    def _check(self) -> None:
        place = risky_place(self.chosen_folder())
        text = place.sentence("The backups folder") if place is not None else ""
        self.warning.setText(f"Warning: {text}" if text else "")
        self.warning.setVisible(bool(text))

    def _browse(self) -> None:
        chosen = choose_folder(self, self.chosen_folder())
        if chosen is not None:
            self.folder.setText(str(chosen))

    def _save(self) -> None:

        folder = self.chosen_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            widgets.inform(self, "Backups folder", f"{folder} cannot be made ({exc.strerror}).")
            return
        set_backup_limit_gb(self.limit.value())
        months = self.retention.value()
        op = backup_ops.save_backups_folder(
            self, self.ctx, self.folder.text().strip(), retention_months=months
        )
        if op.wait().ok:
            self.accept()

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> bool:
        return cls(ctx, parent).exec() == QDialog.DialogCode.Accepted
