"""``make_backup``: an online copy of the database, checked (``quick_check``, and the full
``integrity_check`` once a week) and renamed into place, then the rotation folder pruned
(``rotation``). A copy that does not check out raises ``BackupNotSoundError``.
"""

from __future__ import annotations

import os
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import Path

from ..db import CopyNotSoundError, copy_sqlite_file
from ..errors import CoordinatorError, DatabaseOpenError
from ..files import make_private, private_folder
from .folder import DEFAULT_BACKUPS_FOLDER_NAME, Target, backup_name, backups_folder, database_file
from .rotation import limit_backups, prune_expired, rotate_backups

#: How often a backup's copy gets the full ``integrity_check`` rather than ``quick_check``.
FULL_CHECK_EVERY = timedelta(days=7)
#: Where the time of the last full check is kept, in the backups folder (no records in it).
FULL_CHECK_RECORD = ".{stem}.full-check"


class BackupNotSoundError(CoordinatorError):
    """The backup's copy did not check out: nothing was replaced, and since the copy is the
    database page for page, the database itself should be checked (``quick_check``)."""


def make_backup(
    db_or_target: Target,
    target: str | os.PathLike[str] | None = None,
    *,
    now: datetime | None = None,
    rotate: bool = True,
    check: str = "auto",
    limit_bytes: int | None = None,
) -> Path:
    """Back the database up and return the backup's path.

    With ``target`` the backup is written there (replacing a file of that name only once the new
    copy has checked out); without, into the rotation folder, which is then pruned (``rotate``;
    and to ``limit_bytes`` when given, ``limit_backups``). Raises ``ServerBackupError`` for a
    server database and ``CoordinatorError`` (one sentence) if the database is missing or
    damaged: a damaged database never replaces a good backup (``BackupNotSoundError`` when the
    copy did not check out). ``check``: "auto" (``quick_check``, and ``integrity_check`` when
    the last full check is more than ``FULL_CHECK_EVERY`` old), "quick" or "full".
    """
    path = database_file(db_or_target)
    if not path.is_file():
        raise CoordinatorError(f"There is no database at {path} to back up.")
    if target is not None:
        destination = Path(target).expanduser().resolve()
        if destination == path.resolve():
            raise CoordinatorError("A backup cannot be written over the database itself.")
        if destination.is_dir():
            destination = destination / backup_name(path.stem, now or datetime.now())
    else:
        folder = backups_folder(path)
        when = (now or datetime.now()).replace(microsecond=0)
        destination = folder / backup_name(path.stem, when)
        serial = 1
        while destination.exists():
            serial += 1
            destination = folder / f"{backup_name(path.stem, when)[:-3]}-{serial}.db"
    try:
        private_folder(destination.parent)
        if destination.parent == path.parent / DEFAULT_BACKUPS_FOLDER_NAME:
            make_private(destination.parent, folder=True)  # the app's own: repaired too
    except OSError as exc:
        raise CoordinatorError(
            f"The backups folder {destination.parent} cannot be made ({exc.strerror})."
        ) from exc
    record = backups_folder(path) / FULL_CHECK_RECORD.format(stem=path.stem)
    full = check == "full" or (check == "auto" and full_check_due(record, now))
    try:
        copy_sqlite_file(path, destination, check="full" if full else "quick")
    except CopyNotSoundError as exc:
        raise BackupNotSoundError(
            f"The backup of {path} failed, so no backup was replaced ({exc})."
        ) from exc
    except DatabaseOpenError as exc:
        raise CoordinatorError(
            f"The backup of {path} failed, so no backup was replaced ({exc})."
        ) from exc
    except OSError as exc:
        raise CoordinatorError(
            f"The backup could not be written to {destination.parent} ({exc.strerror})."
        ) from exc
    if full:
        _note_full_check(record, now)
    if target is None and rotate:
        rotate_backups(destination.parent, path.stem, keep=destination)
        prune_expired(path, now=now)
        if limit_bytes is not None:
            limit_backups(destination.parent, path.stem, limit_bytes, keep=destination)
    return destination


def full_check_due(record: Path, now: datetime | None = None) -> bool:
    """True when the database's last full check (the time in ``record``) is more than
    ``FULL_CHECK_EVERY`` ago, or unknown."""
    try:
        when = datetime.fromisoformat(record.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return True
    return (now or datetime.now()) - when > FULL_CHECK_EVERY


def _note_full_check(record: Path, now: datetime | None) -> None:
    with suppress(OSError):
        private_folder(record.parent)
        record.write_text((now or datetime.now()).isoformat(timespec="seconds"), encoding="utf-8")
