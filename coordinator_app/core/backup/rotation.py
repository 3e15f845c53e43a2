"""Which backups are kept: the newest of each of the last 7 days, 4 ISO weeks and 12 months
(``rotate_backups``), the oldest deleted until the rest fit in a disk limit (``limit_backups``),
and every kept copy older than the trust's retention period deleted (``prune_expired``). Only
files with the names the app gives are ever deleted.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from ..db import Database
from ..storage import StorageError, connect_read_only
from .folder import (
    _STAMP_FORMAT,
    BackupInfo,
    Target,
    _sidecars,
    database_file,
    kept_copies,
    list_backups,
)

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12


@dataclass(frozen=True)
class DiskUse:
    """What the rotation backups of one database take: how many, and their bytes."""

    count: int
    size: int


def backups_disk_use(folder: Path, stem: str) -> DiskUse:
    """The rotation backups of ``stem`` in ``folder``: their number and total size."""
    backups = list_backups(folder, stem)
    return DiskUse(len(backups), sum(info.size for info in backups))


def limit_backups(
    folder: Path, stem: str, limit_bytes: int, keep: Path | None = None
) -> list[Path]:
    """Delete the oldest rotation backups of ``stem`` until the rest fit in ``limit_bytes``;
    returns what was deleted. The newest (and ``keep``) are never deleted, even when alone they
    are over the limit; no other file is ever touched."""
    backups = list_backups(folder, stem)  # newest first
    total = sum(info.size for info in backups)
    removed: list[Path] = []
    for info in reversed(backups[1:]):
        if total <= limit_bytes:
            break
        if info.path == keep:
            continue
        with suppress(FileNotFoundError):
            info.path.unlink()
            removed.append(info.path)
        total -= info.size
    return removed


def backups_to_keep(
    backups: list[BackupInfo],
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    monthly: int = KEEP_MONTHLY,
) -> set[Path]:
    """Grandfather-father-son: the newest backup of each of the ``daily`` latest days that have
    one, of the ``weekly`` latest ISO weeks and of the ``monthly`` latest months. ``backups`` is
    newest first (as ``list_backups`` gives)."""
    keep: set[Path] = set()
    periods: list[tuple[int, Callable[[date], object]]] = [
        (daily, lambda d: d),
        (weekly, lambda d: d.isocalendar()[:2]),
        (monthly, lambda d: (d.year, d.month)),
    ]
    for count, period in periods:
        seen: set[object] = set()
        for info in backups:
            key = period(info.taken_at.date())
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.add(key)
            keep.add(info.path)
    if backups:
        keep.add(backups[0].path)
    return keep


def rotate_backups(folder: Path, stem: str, keep: Path | None = None) -> list[Path]:
    """Delete the rotation backups of ``stem`` that ``backups_to_keep`` does not keep; returns
    what was deleted. Never touches any other file."""
    backups = list_backups(folder, stem)
    kept = backups_to_keep(backups)
    if keep is not None:
        kept.add(keep)
    removed = []
    for info in backups:
        if info.path not in kept:
            with suppress(FileNotFoundError):
                info.path.unlink()
                removed.append(info.path)
    return removed


# --- Retention -------------------------------------------------------------------------------


DEFAULT_RETENTION_MONTHS = 12
MAX_RETENTION_MONTHS = 120
_UPGRADE_STAMP = re.compile(r"-before-upgrade-from-[^-]+-(\d{8}-\d{6})\.db$")
_LOCAL_STAMP = re.compile(r"-(?:before-restore-|damaged-)?(\d{4}-\d{2}-\d{2}_\d{6})(?:-\d+)?\.db$")


def retention_months_setting(path: Path) -> int:
    """The ``backup_retention_months`` setting of the database at ``path``, read-only; 12 when
    unset, unreadable or out of range (a damaged database still gets its retention)."""
    if not path.is_file():
        return DEFAULT_RETENTION_MONTHS
    try:
        with closing(connect_read_only(path)) as conn:
            row = conn.execute(
                "SELECT backup_retention_months FROM trust_settings LIMIT 1"
            ).fetchone()
    except (sqlite3.Error, StorageError):
        return DEFAULT_RETENTION_MONTHS
    value = row[0] if row else None
    if not isinstance(value, int) or not 1 <= value <= MAX_RETENTION_MONTHS:
        return DEFAULT_RETENTION_MONTHS
    return value


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment ``months`` calendar months earlier (the 31st becomes the month's last)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


def copy_taken_at(file: Path) -> datetime | None:
    """When a kept copy was taken, from its name (local time; a pre-upgrade copy's UTC stamp
    turned local), else None (a name the app did not give)."""
    if match := _UPGRADE_STAMP.search(file.name):
        when = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        return when.astimezone().replace(tzinfo=None)
    if match := _LOCAL_STAMP.search(file.name):
        return datetime.strptime(match.group(1), _STAMP_FORMAT)
    return None


def save_backup_settings(
    db: Database,
    *,
    folder: str | None = None,
    retention_months: int | None = None,
    now: datetime | None = None,
) -> list[Path]:
    """Save the backups folder and the retention period (``settings.save_settings``; refused
    with ``ValidationError`` outside 1 to 120 months); a retention given deletes at once the
    kept copies now older than it (``prune_expired``). Returns what was deleted."""
    from ..settings import save_settings

    save_settings(db, backups_folder=folder, backup_retention_months=retention_months)
    if retention_months is None or db.path is None:
        return []
    return prune_expired(db, months=retention_months, now=now)


def prune_expired(
    db_or_target: Target, *, now: datetime | None = None, months: int | None = None
) -> list[Path]:
    """Delete every kept copy of the database (``kept_copies``) taken more than ``months``
    months (the setting by default) before ``now``, with its ``-wal``/``-shm``; returns what
    was deleted. Files whose names the app did not give are never touched."""
    path = database_file(db_or_target)
    months = retention_months_setting(path) if months is None else months
    cutoff = months_before(now or datetime.now(), months)
    removed: list[Path] = []
    for file in kept_copies(path):
        taken = copy_taken_at(file)
        if taken is None or taken >= cutoff:
            continue
        for leftover in (file, *_sidecars(file)):
            with suppress(FileNotFoundError):
                leftover.unlink()
                removed.append(leftover)
    return removed
