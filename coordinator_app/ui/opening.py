"""Opening the database for the desktop app, between the window's first paint and Home.

Kept apart from ``dialogs/backup_dialogs.py`` (which imports the backup machinery and its
dialogs) so that the way to Home imports only what opening needs; the damaged-database offer is
imported when a database turns out damaged.
"""

from __future__ import annotations

import sys
from typing import NamedTuple

from PySide6.QtWidgets import QWidget

from .. import APP_NAME
from ..core.db import DamagedDatabaseError, Database, open_database
from ..core.errors import CoordinatorError
from ..core.lock import DatabaseLock
from . import widgets


class OpenedDatabase(NamedTuple):
    """What ``open_for_app`` hands ``app.run``: the database and the lock to release on exit."""

    db: Database
    lock: DatabaseLock


def _say(exit_after_startup: bool, parent: QWidget | None, text: str) -> None:
    if exit_after_startup:
        print(f"coordinator-app: {text}", file=sys.stderr)
    else:
        widgets.inform(parent, APP_NAME, text)


def open_for_app(
    target: str | None, *, exit_after_startup: bool = False, parent: QWidget | None = None
) -> OpenedDatabase | None:
    """Open the database for the desktop app, or say why not and return None (exit code 1).

    1. Take the one-app-per-database lock (``DatabaseLock``); a second copy is told which
       process holds it and does not open the database at all.
    2. ``open_database`` with ``defer_check``: a few pages are read, never the whole file. A
       file this app closed cleanly and unchanged since is not checked; any other carries a
       pending damage check (``db.soundness``) that ``watch_soundness`` starts once the window
       is up, and every write waits for its verdict. An older schema is checked, then migrated
       after a backup copy.
    3. A damaged database found here (one that SQLite cannot read at all, or an older schema
       that fails its check): with ``exit_after_startup`` one sentence on stderr naming the
       newest good backup, nothing asked; otherwise ``recover_damaged_database`` offers that
       backup and, if restored, the database is opened again.
    Any other refusal is one sentence (stderr or a message box). The lock is released whenever
    None is returned.
    """
    from ..core.db import resolve_url, sqlite_path

    try:
        path = sqlite_path(resolve_url(target))
    except CoordinatorError as exc:
        _say(exit_after_startup, parent, str(exc))
        return None
    lock = DatabaseLock(path)
    try:
        lock.acquire()
    except CoordinatorError as exc:
        _say(exit_after_startup, parent, str(exc))
        return None
    try:
        try:
            # What a killed restore or backup left behind is removed once Home is shown
            # (``app.finish_opening``), not on the way to it.
            db = open_database(target, defer_check=True, clean_up=False)
        except DamagedDatabaseError as damaged:
            from ..core import backup
            from .dialogs.backup_dialogs import damaged_database_sentence, recover_damaged_database

            if exit_after_startup:
                offer = backup.newest_good_backup(damaged.path)
                _say(True, parent, damaged_database_sentence(damaged, offer))
                lock.release()
                return None
            if recover_damaged_database(damaged, parent) is None:
                lock.release()
                return None
            db = open_database(target)
    except CoordinatorError as exc:
        _say(exit_after_startup, parent, str(exc))
        lock.release()
        return None
    return OpenedDatabase(db, lock)
