"""Restoring a backup and the backups folder: the writes of File > Backups, each an ``Op``.

A restore replaces the database file, so the caller closes its own ``Database`` first and
opens it again afterwards (``ui.dialogs.backup_dialogs.restore_into_app``); the lock stays
held by the app throughout (``core.lock``), so no command can write in between."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from ...core import backup
from ...core.backup import RestoreResult
from ...core.db import Database
from ..context import AppContext
from . import Op


def restore(
    parent: QWidget | None, database: Path, backup_file: Path, *, title: str = "Restore"
) -> Op[RestoreResult]:
    return Op(parent, lambda: backup.restore_backup(database, backup_file), title=title)


def save_backups_folder(
    parent: QWidget | None, ctx: AppContext, folder: str, *, retention_months: int | None = None
) -> Op[list[Path]]:
    """Save the backups folder (and the retention period, when given); a shorter retention
    deletes the backups now older than it (``backup.prune_expired``) in the same operation."""
    db: Database = ctx.db
    return Op(
        parent,
        lambda: backup.save_backup_settings(db, folder=folder, retention_months=retention_months),
        title="Backups folder",
        changed=lambda _none: ctx.events.settingsChanged.emit(),
    )
