"""Where a database's backups go (``backups_folder``: the setting, else IT's preset, else
``backups`` beside it), the rotation backups there (``list_backups``, newest first, named
``<stem>-YYYY-MM-DD_HHMMSS.db``) and every other copy the app keeps of it (``kept_copies``), and
what the window says about them (``backup_due``, ``status_text``).
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ..db import Database, resolve_url, sqlite_path
from ..errors import CoordinatorError, ServerBackupError
from ..storage import connect_read_only

#: How old the last backup may be before the app makes one on opening.
BACKUP_MAX_AGE = timedelta(days=1)
DEFAULT_BACKUPS_FOLDER_NAME = "backups"
_STAMP_FORMAT = "%Y-%m-%d_%H%M%S"
_STAMP_RE = r"(\d{4}-\d{2}-\d{2}_\d{6})(?:-(\d+))?"


@dataclass(frozen=True)
class BackupInfo:
    """One backup in the rotation folder. ``taken_at`` is naive local time (from the name)."""

    path: Path
    taken_at: datetime
    size: int


Target = Database | str | os.PathLike[str] | None


def database_file(db_or_target: Target) -> Path:
    """The SQLite file behind a ``Database``, a path or a URL; ``ServerBackupError`` otherwise."""
    if isinstance(db_or_target, Database):
        path = db_or_target.path
    else:
        path = sqlite_path(resolve_url(db_or_target))
    if path is None:
        raise ServerBackupError()
    return path


def backups_folder_setting(path: Path) -> str:
    """The ``backups_folder`` setting stored in the database at ``path``, read-only; "" when
    unset or unreadable (a damaged database still gets its default folder)."""
    if not path.is_file():
        return ""
    try:
        with closing(connect_read_only(path)) as conn:
            row = conn.execute("SELECT backups_folder FROM trust_settings LIMIT 1").fetchone()
    except sqlite3.Error:
        return ""
    return str(row[0] or "").strip() if row else ""


def backups_folder(db_or_target: Target, setting: str | None = None) -> Path:
    """Where the rotation backups of this database go: the setting (``~`` allowed; a relative
    folder is taken beside the database), else the folder IT presets (``core/policy.py``), else
    ``backups`` beside the database."""
    path = database_file(db_or_target)
    chosen = backups_folder_setting(path) if setting is None else setting.strip()
    if not chosen:
        from ..policy import load

        chosen = load().backups_folder
    if not chosen:
        return path.parent / DEFAULT_BACKUPS_FOLDER_NAME
    folder = Path(chosen).expanduser()
    return folder if folder.is_absolute() else path.parent / folder


def backup_name(stem: str, when: datetime) -> str:
    return f"{stem}-{when.strftime(_STAMP_FORMAT)}.db"


def list_backups(folder: Path, stem: str) -> list[BackupInfo]:
    """The rotation backups of database ``stem`` in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    pattern = re.compile(rf"^{re.escape(stem)}-{_STAMP_RE}\.db$")
    found: list[tuple[datetime, int, BackupInfo]] = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if not match or not entry.is_file():
            continue
        try:
            when = datetime.strptime(match.group(1), _STAMP_FORMAT)
        except ValueError:
            continue
        serial = int(match.group(2) or 0)
        found.append((when, serial, BackupInfo(entry, when, entry.stat().st_size)))
    found.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [info for _, _, info in found]


def last_backup(db_or_target: Target) -> BackupInfo | None:
    """The newest rotation backup of this database, or None."""
    path = database_file(db_or_target)
    backups = list_backups(backups_folder(path), path.stem)
    return backups[0] if backups else None


def backup_due(db_or_target: Target, now: datetime | None = None) -> bool:
    """True when there is no backup yet or the newest is more than a day old (server: False)."""
    try:
        newest = last_backup(db_or_target)
    except ServerBackupError:
        return False
    now = now or datetime.now()
    return newest is None or now - newest.taken_at > BACKUP_MAX_AGE


def backed_up_today(db_or_target: Target, now: datetime | None = None) -> bool:
    """True when the newest rotation backup was taken today (local time); False on a server."""
    try:
        newest = last_backup(db_or_target)
    except ServerBackupError:
        return False
    return newest is not None and newest.taken_at.date() == (now or datetime.now()).date()


def status_text(db_or_target: Target, now: datetime | None = None) -> str:
    """``describe_last_backup`` of the newest rotation backup; "" on a server (backups are its
    job)."""
    try:
        return describe_last_backup(last_backup(db_or_target), now)
    except ServerBackupError:
        return ""


def describe_last_backup(info: BackupInfo | None, now: datetime | None = None) -> str:
    """The status bar's words: "Last backup: today at 14:05", "... yesterday at 09:12",
    "... 3 days ago (19/11/2026)" or "No backup yet"."""
    if info is None:
        return "No backup yet"
    now = now or datetime.now()
    when = info.taken_at
    days = (now.date() - when.date()).days
    if days <= 0:
        return f"Last backup: today at {when:%H:%M}"
    if days == 1:
        return f"Last backup: yesterday at {when:%H:%M}"
    return f"Last backup: {days} days ago ({when:%d/%m/%Y})"


def kept_copies(path: Path) -> list[Path]:
    """Every copy of the database ``path`` the app keeps: rotation backups, copies kept before
    an upgrade or a restore (in the backups folder) and damaged files moved aside (beside it)."""
    stem = re.escape(path.stem)
    pattern = re.compile(rf"^{stem}-.+\.db$")
    folders = [path.parent]
    with suppress(CoordinatorError):
        folders.insert(0, backups_folder(path))
    found: list[Path] = []
    for folder in dict.fromkeys(folders):
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if pattern.match(entry.name) and entry.is_file() and entry != path:
                found.append(entry)
    return sorted(found)


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
