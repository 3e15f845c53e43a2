"""Backups, rotation, restore and damage: nothing lost, a damaged or foreign file never made worse.

Every refusal is checked to leave the files it was about byte-for-byte unchanged.
"""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coordinator_app.core import backup, people
from coordinator_app.core.backup import (
    BackupInfo,
    ServerBackupError,
    backup_due,
    backups_folder,
    backups_to_keep,
    check_database,
    describe_last_backup,
    last_backup,
    list_backups,
    make_backup,
    newest_good_backup,
    restore_backup,
    verify_backup,
)
from coordinator_app.core.db import DamagedDatabaseError, Database, open_database
from coordinator_app.core.errors import CoordinatorError, DatabaseOpenError
from coordinator_app.core.models import AuditEntry, Participant
from coordinator_app.core.settings import save_settings
from coordinator_app.core.vocab import AuditOperation, Category

# Backups of files; on a server they are the server's job (tests/core/test_postgres.py).
pytestmark = pytest.mark.sqlite_only

NOW = datetime(2026, 11, 22, 14, 5, 0)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _add(db: Database, name: str, category: Category = Category.SERVICE_USER) -> None:
    people.create_participant(db, people.ParticipantInput(name=name, category=category))


def _names(path: Path) -> list[str]:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        return sorted(r[0] for r in conn.execute("SELECT name FROM participants"))


def _fill(db: Database, count: int) -> None:
    with db.transaction() as session:
        for i in range(count):
            session.add(
                Participant(name=f"Siân O'Neill {i}", category=Category.CARER, notes="x" * 300)
            )


def _damage(path: Path) -> None:
    """Overwrite two pages in the middle of the file with junk (a dropped laptop's disk)."""
    size = path.stat().st_size
    page = 4096
    middle = (size // 2) // page * page
    with path.open("r+b") as handle:
        handle.seek(middle)
        handle.write(b"\xa5" * (2 * page))


# --- making backups ----------------------------------------------------------------------------


def test_a_backup_holds_every_committed_change_even_while_the_app_is_open(
    db: Database, db_path: Path
) -> None:
    _add(db, "Zoë Smith")
    made = make_backup(db, now=NOW)
    assert made.parent == db_path.parent / "backups"
    assert made.name == "coordinator-2026-11-22_140500.db"
    assert _names(made) == ["Zoë Smith"]
    assert verify_backup(made).revision == db.revision()
    # The copy is a single file (no -wal to lose), not a half-written temporary.
    assert not list(made.parent.glob("*.partial"))
    assert not made.with_name(made.name + "-wal").exists()


def test_the_backups_folder_setting_is_honoured(db: Database, tmp_path: Path) -> None:
    elsewhere = tmp_path / "USB stick" / "Coordinator backups"
    save_settings(db, backups_folder=str(elsewhere))
    assert backups_folder(db) == elsewhere
    made = make_backup(db, now=NOW)
    assert made.parent == elsewhere
    assert last_backup(db) == BackupInfo(made, NOW, made.stat().st_size)


def test_backup_to_a_chosen_file_replaces_it_only_with_a_sound_copy(
    db: Database, tmp_path: Path
) -> None:
    _add(db, "Seán Murphy")
    target = tmp_path / "my backup.db"
    target.write_text("old", encoding="utf-8")
    assert make_backup(db, target) == target.resolve()
    assert _names(target) == ["Seán Murphy"]
    with pytest.raises(CoordinatorError, match="over the database itself"):
        make_backup(db, db.path)


def test_two_backups_in_the_same_second_get_their_own_names(db: Database) -> None:
    first = make_backup(db, now=NOW, rotate=False)
    second = make_backup(db, now=NOW, rotate=False)
    assert first != second and first.exists() and second.exists()
    assert [b.path for b in list_backups(first.parent, "coordinator")] == [second, first]
    # Rotation keeps only the newest of the day.
    third = make_backup(db, now=NOW)
    assert [b.path for b in list_backups(first.parent, "coordinator")] == [third]


def test_a_damaged_database_never_replaces_a_good_backup(db: Database, db_path: Path) -> None:
    _fill(db, 300)
    db.dispose()
    good = make_backup(db_path, now=NOW - timedelta(days=2))
    before = _digest(good)
    _damage(db_path)
    with pytest.raises(CoordinatorError, match=r"backup of .* failed"):
        make_backup(db_path, good)
    assert _digest(good) == before


def test_server_databases_are_backed_up_by_the_server() -> None:
    url = "postgresql+psycopg://coordinator:secret@db.example.nhs.uk/involvement"
    with pytest.raises(ServerBackupError, match="server's job"):
        make_backup(url)
    with pytest.raises(ServerBackupError, match="server's job"):
        restore_backup(url, "whatever.db")
    assert backup_due(url) is False


# --- rotation ----------------------------------------------------------------------------------


def _infos(times: list[datetime]) -> list[BackupInfo]:
    infos = [BackupInfo(Path(f"/b/{t:%Y%m%d%H%M}.db"), t, 1) for t in times]
    return sorted(infos, key=lambda i: i.taken_at, reverse=True)


def test_rotation_keeps_7_daily_4_weekly_and_12_monthly() -> None:
    # Two backups a day (morning and evening) for 500 days up to NOW.
    times = []
    for day in range(500):
        base = NOW - timedelta(days=day)
        times += [base.replace(hour=9), base.replace(hour=17)]
    infos = _infos(times)
    keep = backups_to_keep(infos)
    kept = sorted((i.taken_at for i in infos if i.path in keep), reverse=True)
    # The evening backup of each of the last 7 days...
    assert kept[:7] == [(NOW - timedelta(days=d)).replace(hour=17) for d in range(7)]
    # ...and no more than one per period otherwise: 7 + 4 + 12 at most, 12 months covered.
    assert len(kept) <= 7 + 4 + 12
    months = {(t.year, t.month) for t in kept}
    assert len(months) == 12
    assert min(kept) > NOW - timedelta(days=366)


def test_rotation_with_few_backups_keeps_them_all() -> None:
    infos = _infos([NOW - timedelta(days=d * 3) for d in range(5)])
    assert backups_to_keep(infos) == {i.path for i in infos}


def test_rotation_deletes_only_its_own_backups(db: Database, db_path: Path) -> None:
    folder = db_path.parent / "backups"
    for day in range(40):
        make_backup(db, now=NOW - timedelta(days=40 - day))
    others = [
        folder / "coordinator-before-restore-2026-01-01_100000.db",
        folder / "coordinator-before-upgrade-from-0001-20260101-100000.db",
        folder / "notes about Zoë.txt",
        folder / "other-2026-01-01_100000.db",
    ]
    for other in others:
        other.write_text("keep me", encoding="utf-8")
    make_backup(db, now=NOW)
    remaining = list_backups(folder, "coordinator")
    assert len(remaining) < 41
    assert remaining[0].taken_at == NOW
    assert [b.taken_at for b in remaining[:7]] == [NOW - timedelta(days=d) for d in range(7)]
    for other in others:
        assert other.read_text(encoding="utf-8") == "keep me"


def test_a_backup_is_due_when_none_is_younger_than_a_day(db: Database) -> None:
    assert backup_due(db, now=NOW) is True
    make_backup(db, now=NOW)
    assert backup_due(db, now=NOW + timedelta(hours=23, minutes=59)) is False
    assert backup_due(db, now=NOW + timedelta(days=1, seconds=1)) is True


def test_the_last_backup_is_described_in_plain_words() -> None:
    info = BackupInfo(Path("x.db"), NOW, 1)
    assert describe_last_backup(None, NOW) == "No backup yet"
    assert describe_last_backup(info, NOW + timedelta(hours=2)) == "Last backup: today at 14:05"
    assert describe_last_backup(info, NOW + timedelta(days=1)) == "Last backup: yesterday at 14:05"
    assert (
        describe_last_backup(info, NOW + timedelta(days=3))
        == "Last backup: 3 days ago (22/11/2026)"
    )


# --- restore -----------------------------------------------------------------------------------


def test_backup_and_restore_round_trip(db: Database, db_path: Path) -> None:
    _add(db, "Zoë Smith")
    taken = make_backup(db, now=NOW)
    _add(db, "Siân Evans", Category.CARER)
    db.dispose()  # the app closes its database before restoring

    result = restore_backup(db_path, taken, now=NOW + timedelta(hours=1))

    assert _names(db_path) == ["Zoë Smith"]
    assert result.kept_aside is not None and not result.replaced_was_damaged
    assert _names(result.kept_aside) == ["Siân Evans", "Zoë Smith"]
    assert result.counts["participants"] == 1
    reopened = open_database(db_path)
    try:
        with reopened.session() as session:
            restored = session.scalars(
                select(AuditEntry).where(AuditEntry.operation == AuditOperation.RESTORE)
            ).all()
        assert [e.summary for e in restored] == [f"Restored from {taken.name}"]
    finally:
        reopened.dispose()


def test_restore_discards_the_old_write_ahead_log(db: Database, db_path: Path) -> None:
    _add(db, "Zoë Smith")
    taken = make_backup(db, now=NOW)
    # Later commits that still sit in the -wal (a crash left it there: no checkpoint).
    wal = db_path.with_name(db_path.name + "-wal")
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("UPDATE participants SET name = 'Changed later'")
        conn.commit()
        saved_wal = wal.read_bytes()
    db.dispose()
    wal.write_bytes(saved_wal)  # as if the process died with the WAL not checkpointed
    restore_backup(db_path, taken, now=NOW)
    assert not wal.exists() or _names(db_path) == ["Zoë Smith"]
    assert _names(db_path) == ["Zoë Smith"]


@pytest.mark.parametrize(
    "make_junk, reason",
    [
        (lambda p: p.write_text("Minutes of the carers forum", encoding="utf-8"), "not a database"),
        (lambda p: p.write_bytes(b""), "not a database"),
        (lambda p: _sqlite(p, "CREATE TABLE recipes (name TEXT)"), "another program"),
        (lambda p: _sqlite(p, _version("9999")), "newer version"),
        (lambda p: _sqlite(p, _version("0001")), "incomplete"),
    ],
    ids=["text", "empty", "other-program", "newer", "missing-tables"],
)
def test_a_junk_file_offered_as_a_backup_is_refused_and_nothing_changes(
    db: Database, db_path: Path, tmp_path: Path, make_junk, reason: str
) -> None:
    _add(db, "Zoë Smith")
    db.dispose()
    junk = tmp_path / "backup from Seán.db"
    make_junk(junk)
    junk_before, db_before = _digest(junk), _digest(db_path)
    with pytest.raises(CoordinatorError, match=reason):
        restore_backup(db_path, junk)
    assert _digest(junk) == junk_before
    assert _digest(db_path) == db_before
    assert not (db_path.parent / "backups").exists()
    assert [p.name for p in db_path.parent.iterdir() if p.name.startswith(".")] == []


def _sqlite(path: Path, script: str) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(script)
        conn.commit()


def _version(revision: str) -> str:
    return (
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);"
        f"INSERT INTO alembic_version VALUES ('{revision}');"
    )


def test_a_damaged_backup_is_refused(db: Database, tmp_path: Path) -> None:
    _fill(db, 300)
    damaged = make_backup(db, tmp_path / "damaged.db")
    _damage(damaged)
    with pytest.raises(CoordinatorError, match="damaged"):
        verify_backup(damaged)


def test_a_folder_or_missing_file_is_not_a_backup(tmp_path: Path) -> None:
    with pytest.raises(CoordinatorError, match="is a folder"):
        verify_backup(tmp_path)
    with pytest.raises(CoordinatorError, match="no file"):
        verify_backup(tmp_path / "nothing.db")


# --- damage ------------------------------------------------------------------------------------


def test_a_damaged_database_is_detected_on_open_and_never_written(
    db: Database, db_path: Path
) -> None:
    _fill(db, 300)
    db.dispose()
    _damage(db_path)
    before = _digest(db_path)
    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(db_path)
    assert "damaged" in str(caught.value) and "backup" in str(caught.value)
    assert isinstance(caught.value, DatabaseOpenError)
    assert caught.value.path == db_path
    assert _digest(db_path) == before
    report = check_database(db_path)
    assert report.sound is False and report.detail
    assert _digest(db_path) == before


def test_a_damaged_database_is_replaced_by_the_newest_good_backup_and_kept_aside(
    db: Database, db_path: Path
) -> None:
    _fill(db, 300)
    older = make_backup(db, now=NOW - timedelta(days=3))
    newest = make_backup(db, now=NOW - timedelta(days=1))
    _damage(newest)  # the newest backup is itself bad: skip it
    db.dispose()
    _damage(db_path)
    damaged_bytes = _digest(db_path)

    offer = newest_good_backup(db_path)
    assert offer is not None and offer.path == older

    result = restore_backup(db_path, offer.path, now=NOW)
    assert result.replaced_was_damaged
    assert result.kept_aside == db_path.with_name("coordinator-damaged-2026-11-22_140500.db")
    assert _digest(result.kept_aside) == damaged_bytes
    assert check_database(db_path).sound
    assert check_database(db_path).counts["participants"] == 300


def test_no_good_backup_means_no_offer(db_path: Path) -> None:
    assert newest_good_backup(db_path) is None


def test_check_reports_soundness_revision_and_counts(db: Database, db_path: Path) -> None:
    _add(db, "Zoë Smith")
    report = check_database(db_path)
    assert report.sound and report.revision == report.app_revision
    assert report.counts["participants"] == 1
    assert report.counts["audit_log"] == 1


def test_counts_match_after_restore(db: Database, db_path: Path) -> None:
    _fill(db, 25)
    taken = make_backup(db, now=NOW)
    with db.session() as session:
        expected = session.scalar(select(func.count()).select_from(Participant))
    db.dispose()
    restore_backup(db_path, taken)
    assert check_database(db_path).counts["participants"] == expected == 25
    assert backup.verify_backup(taken).counts["participants"] == 25


# --- cheaper checks, the limit and disk use (issue "Fast at sixteen times the data") -----------


def test_a_backup_copy_gets_quick_check_and_the_full_check_once_a_week(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """integrity_check grows faster than the file (19x the time at 16x the data): the copy is
    checked with quick_check, and fully when the last full check is over a week old."""
    from coordinator_app.core import db as db_module
    from coordinator_app.core.backup import making

    kinds: list[str] = []
    real = db_module.copy_sqlite_file

    def recording(source: Path, target: Path, *, check: str = "full") -> Path:
        kinds.append(check)
        return real(source, target, check=check)

    monkeypatch.setattr(making, "copy_sqlite_file", recording)  # where make_backup reads it
    make_backup(db, now=NOW)  # never fully checked yet
    make_backup(db, now=NOW + timedelta(days=1))
    make_backup(db, now=NOW + timedelta(days=6, hours=23))
    make_backup(db, now=NOW + timedelta(days=7, hours=1))  # a week since the full check
    make_backup(db, now=NOW + timedelta(days=8), check="full")
    assert kinds == ["full", "quick", "quick", "full", "full"]


def test_a_copy_that_does_not_check_out_says_the_database_is_suspect(
    db: Database, db_path: Path
) -> None:
    _fill(db, 300)
    db.dispose()
    _damage(db_path)
    with pytest.raises(backup.BackupNotSoundError, match=r"backup of .* failed"):
        make_backup(db_path, now=NOW, check="quick")
    assert list_backups(db_path.parent / "backups", "coordinator") == []


def test_the_limit_deletes_the_oldest_backups_and_never_the_newest(db: Database) -> None:
    _fill(db, 50)
    made = [make_backup(db, now=NOW - timedelta(days=d), rotate=False) for d in (3, 2, 1)]
    folder = made[0].parent
    other = folder / "my own copy.db"
    other.write_bytes(b"x" * 10)
    size = made[0].stat().st_size
    assert backup.backups_disk_use(folder, "coordinator") == backup.DiskUse(3, 3 * size)
    removed = backup.limit_backups(folder, "coordinator", limit_bytes=2 * size)
    assert removed == [made[0]]
    removed = backup.limit_backups(folder, "coordinator", limit_bytes=1)  # under one copy
    assert removed == [made[1]]
    assert [b.path for b in list_backups(folder, "coordinator")] == [made[2]]
    assert other.exists()


def test_make_backup_keeps_the_rotation_within_its_limit(db: Database) -> None:
    _fill(db, 50)
    first = make_backup(db, now=NOW - timedelta(days=2))
    size = first.stat().st_size
    make_backup(db, now=NOW - timedelta(days=1))
    newest = make_backup(db, now=NOW, limit_bytes=int(size * 1.5))
    assert [b.path for b in list_backups(newest.parent, "coordinator")] == [newest]


def test_backed_up_today_is_by_the_local_date(db: Database) -> None:
    assert not backup.backed_up_today(db, NOW)
    make_backup(db, now=NOW.replace(hour=0, minute=1))
    assert backup.backed_up_today(db, NOW)
    assert not backup.backed_up_today(db, NOW + timedelta(days=1))
