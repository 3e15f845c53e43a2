"""Checking, backing up and restoring a database (SQLite files only).

- ``check_database``: soundness, schema revision and counts, read-only.
- ``make_backup``: an online copy (SQLite backup API, so it works while the app is writing),
  checked and renamed into place; by default into the rotation folder (the ``backups_folder``
  setting, else ``backups`` beside the database) named ``<stem>-YYYY-MM-DD_HHMMSS.db`` in local
  time, then the folder is pruned to the newest backup of each of the last 7 days, 4 ISO weeks
  and 12 months, and, given a ``limit_bytes``, the oldest of those until they fit in it (the
  newest is always kept). Only files with that exact name pattern are ever deleted: copies kept
  before an upgrade or a restore, and ``-o`` backups, are never pruned. The copy is checked with
  ``quick_check`` (one pass over its pages), and with the full ``integrity_check`` (which also
  compares every index with its table, and grows faster than the file) when the database's last
  full check is more than ``FULL_CHECK_EVERY`` old: the copy is the database page for page, so
  checking it checks the database as it was. A copy that does not check out raises
  ``BackupNotSoundError``: the database itself is then suspect (the app checks it).
- ``restore_backup``: verifies the offered file first (a SQLite file, an Involvement Coordinator
  schema revision this app knows, every table of that revision, ``integrity_check``), keeps the
  current database aside (a consistent copy in the backups folder; a damaged file is MOVED aside
  beside the database, with its ``-wal``, untouched for recovery), removes the old ``-wal``/``-shm``
  (a stale WAL would be replayed into the restored file) and renames the restored copy into place.
  The app must have closed its own ``Database`` on that file first.
- **Anonymisation sticks across a restore.** Before the swap, the erasure records (``erasures``:
  a participant's id and the date, no personal data) of the database being replaced and of
  every backup and kept copy beside it are read, and everyone they name who is not anonymised
  in the restored copy is anonymised again in it, in the same transaction as the restore's
  audit record (``anonymise.reapply_erasures``); ``RestoreResult.erasures_note`` says so.
- **Retention.** Backups older than the trust's retention period (``backup_retention_months``,
  12 unless the backups dialog says otherwise) are deleted after each rotation backup
  (``prune_expired``): rotation backups, copies kept before an upgrade or a restore, and
  damaged files moved aside. Backups written elsewhere with ``-o`` are the user's own and are
  never touched.

On a server database (PostgreSQL) backups are the server's job: ``make_backup`` and
``restore_backup`` say so in one sentence (``ServerBackupError``), and ``check_database`` reports
the schema revision and counts and says that integrity checks are the server's too.

One package, split by task: ``checking`` (``check_database``), ``folder`` (where a database's
backups go and which copies of it there are), ``making`` (``make_backup``), ``rotation`` (which
backups are kept: the rotation, the disk limit and the retention period) and ``restoring``
(``verify_backup``, ``restore_backup``, the erasures applied again). Callers use the package
(``backup.make_backup``, ``from ...core.backup import restore_backup``), never a sub-module.
Pitfall: a test that patches ``backup.X`` replaces the package's name, which is what the UI and
the command line call; a sub-module calling ``X`` still calls its own import of it, so a test
that patches what ``make_backup`` or ``restore_backup`` call (``copy_sqlite_file``,
``fsync_folder``) patches it in ``making`` or ``restoring``.
"""

from __future__ import annotations

from ..errors import SERVER_SENTENCE, ServerBackupError
from .checking import COUNTED_TABLES, SERVER_CHECK_SENTENCE, CheckReport, check_database
from .folder import (
    BACKUP_MAX_AGE,
    DEFAULT_BACKUPS_FOLDER_NAME,
    BackupInfo,
    Target,
    backed_up_today,
    backup_due,
    backup_name,
    backups_folder,
    backups_folder_setting,
    database_file,
    describe_last_backup,
    kept_copies,
    last_backup,
    list_backups,
    status_text,
)
from .making import (
    FULL_CHECK_EVERY,
    FULL_CHECK_RECORD,
    BackupNotSoundError,
    full_check_due,
    make_backup,
)
from .restoring import (
    RESTORING_SUFFIX,
    SCHEMA_TABLES,
    BackupCheck,
    RestoreResult,
    database_in_use,
    known_erasures,
    newest_good_backup,
    read_erasures,
    remove_leftovers,
    restore_backup,
    restoring_path,
    verify_backup,
)
from .rotation import (
    DEFAULT_RETENTION_MONTHS,
    KEEP_DAILY,
    KEEP_MONTHLY,
    KEEP_WEEKLY,
    MAX_RETENTION_MONTHS,
    DiskUse,
    backups_disk_use,
    backups_to_keep,
    copy_taken_at,
    limit_backups,
    months_before,
    prune_expired,
    retention_months_setting,
    rotate_backups,
    save_backup_settings,
)

__all__ = [
    "BACKUP_MAX_AGE",
    "COUNTED_TABLES",
    "DEFAULT_BACKUPS_FOLDER_NAME",
    "DEFAULT_RETENTION_MONTHS",
    "FULL_CHECK_EVERY",
    "FULL_CHECK_RECORD",
    "KEEP_DAILY",
    "KEEP_MONTHLY",
    "KEEP_WEEKLY",
    "MAX_RETENTION_MONTHS",
    "RESTORING_SUFFIX",
    "SCHEMA_TABLES",
    "SERVER_CHECK_SENTENCE",
    "SERVER_SENTENCE",
    "BackupCheck",
    "BackupInfo",
    "BackupNotSoundError",
    "CheckReport",
    "DiskUse",
    "RestoreResult",
    "ServerBackupError",
    "Target",
    "backed_up_today",
    "backup_due",
    "backup_name",
    "backups_disk_use",
    "backups_folder",
    "backups_folder_setting",
    "backups_to_keep",
    "check_database",
    "copy_taken_at",
    "database_file",
    "database_in_use",
    "describe_last_backup",
    "full_check_due",
    "kept_copies",
    "known_erasures",
    "last_backup",
    "limit_backups",
    "list_backups",
    "make_backup",
    "months_before",
    "newest_good_backup",
    "prune_expired",
    "read_erasures",
    "remove_leftovers",
    "restore_backup",
    "restoring_path",
    "retention_months_setting",
    "rotate_backups",
    "save_backup_settings",
    "status_text",
    "verify_backup",
]
