"""Opening databases: the right pragmas, migrations on open, and every bad target refused
with one sentence and left exactly as it was."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from coordinator_app.core.db import Database, open_database, resolve_url
from coordinator_app.core.errors import DatabaseOpenError
from coordinator_app.core.migrations import HEAD, REVISIONS, SCRIPT_LOCATION
from coordinator_app.core.models import Locality


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_migrated_to_head_in_wal_mode(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new" / "coordinator.db")
    try:
        assert db.revision() == HEAD
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        db.dispose()


def test_revisions_list_matches_alembic_scripts() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(SCRIPT_LOCATION))
    ordered = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert tuple(ordered) == REVISIONS
    assert script.get_current_head() == HEAD


def test_schema_matches_models(db) -> None:
    """The migrations build exactly the tables and columns the models declare."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from coordinator_app.core.models import Base

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


@pytest.mark.sqlite_only
def test_opening_a_current_database_does_not_import_alembic(db_path: Path) -> None:
    code = (
        "import sys\n"
        "from coordinator_app.core.db import open_database\n"
        f"open_database({str(db_path)!r}).dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_foreign_keys_are_enforced(db) -> None:
    import uuid

    from sqlalchemy.exc import IntegrityError

    from coordinator_app.core.models import Forum
    from coordinator_app.core.vocab import ForumKind

    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(Forum(locality_id=uuid.uuid4(), name="Orphan", kind=ForumKind.OTHER))


def test_a_text_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("Minutes of the carers forum\n", encoding="utf-8")
    before = _digest(junk)
    with pytest.raises(DatabaseOpenError, match="is not an Involvement Coordinator database"):
        open_database(junk)
    assert _digest(junk) == before


def test_another_programs_sqlite_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()
    before = _digest(other)
    with pytest.raises(DatabaseOpenError, match="another program's tables"):
        open_database(other)
    assert _digest(other) == before


@pytest.mark.sqlite_only
def test_a_database_from_a_newer_app_is_refused_untouched(db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _digest(db_path)
    with pytest.raises(DatabaseOpenError, match="newer version of Involvement Coordinator"):
        open_database(db_path)
    assert _digest(db_path) == before
    assert not (db_path.parent / "backups").exists()


def test_a_folder_without_write_permission_is_refused(tmp_path: Path, monkeypatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    # Root ignores permission bits, so deny writing to this folder the way the OS would.
    monkeypatch.setattr(
        "coordinator_app.core.db.os.access",
        lambda p, mode: False if Path(p) == locked and mode & os.W_OK else real_access(p, mode),
    )
    with pytest.raises(DatabaseOpenError, match="does not allow saving"):
        open_database(locked / "coordinator.db")
    assert list(locked.iterdir()) == []


def test_a_folder_given_as_the_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="is a folder"):
        open_database(tmp_path)


def test_a_mistyped_url_is_refused_in_one_sentence() -> None:
    with pytest.raises(DatabaseOpenError):
        open_database("nosuchdialect://somewhere/db")


def test_resolve_url_takes_paths_and_urls(tmp_path: Path) -> None:
    assert resolve_url(tmp_path / "a.db").database == str((tmp_path / "a.db").resolve())
    assert resolve_url("sqlite:///x.db").database == "x.db"
    assert resolve_url("postgresql+psycopg://u:secret@h/db").get_backend_name() == "postgresql"
    # A plain postgresql:// address means our driver (psycopg 3), not SQLAlchemy's psycopg2.
    assert resolve_url("postgresql://u:secret@h/db").drivername == "postgresql+psycopg"
    assert resolve_url("postgresql+psycopg2://u:secret@h/db").drivername == "postgresql+psycopg2"


def test_every_row_gets_uuid_timestamps_and_a_row_version(db) -> None:
    with db.transaction() as session:
        session.add(Locality(name="Rugby", code="RUG"))
    with db.transaction() as session:
        locality = session.query(Locality).one()
        created = locality.created_at
        assert created.tzinfo is not None
        assert locality.row_version == 1
        locality.coordinated = True
    with db.session() as session:
        locality = session.query(Locality).one()
        assert locality.row_version == 2
        assert locality.updated_at >= created


def test_a_failed_transaction_leaves_nothing(db) -> None:
    with pytest.raises(RuntimeError), db.transaction() as session:
        session.add(Locality(name="Coventry", code="COV"))
        session.flush()
        raise RuntimeError("power cut")
    with db.session() as session:
        assert session.execute(text("SELECT count(*) FROM localities")).scalar() == 0


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions (Windows keeps the profile private)")
def test_atomic_write_makes_files_for_their_owner_alone(tmp_path: Path) -> None:
    """Exports hold records: 0600 whatever the umask, and a file replaced keeps only its
    owner's permissions (it was 0666 under the umask, and a replaced 0640 stayed 0640)."""
    from coordinator_app.core.files import atomic_write

    fresh = atomic_write(tmp_path / "new.txt", lambda p: p.write_text("one"))
    assert fresh.stat().st_mode & 0o777 == 0o600
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o640)
    atomic_write(kept, lambda p: p.write_text("new"))
    assert kept.read_text() == "new"
    assert kept.stat().st_mode & 0o777 == 0o600


# --- the damage check off the start path (core/soundness.py) --------------------------------


def _count_quick_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    from coordinator_app.core import soundness

    seen: list[Path] = []
    real = soundness.run_quick_check

    def counting(path: Path) -> list[str]:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(soundness, "run_quick_check", counting)
    return seen


def _closed_database(tmp_path: Path, name: str = "coordinator.db", people: int = 0) -> Path:
    path = tmp_path / name
    db = open_database(path)
    if people:
        with db.transaction() as session:
            for i in range(people):
                session.add(Locality(name=f"Locality {i}", code=f"L{i}"))
    db.dispose()
    return path


def _crash(db: Database) -> None:
    """What a kill or a power cut leaves: connections gone, the lock gone, no clean close."""
    db.engine.dispose()
    assert db.lock is not None
    db.lock.release()


def _damage(path: Path) -> None:
    """Overwrite two pages of the participants' rows, later than the file was closed (as damage
    is). (Their middle pages: the middle of the whole file may hold the schema's own pages,
    which SQLite reads at opening, before any check could be deferred.)"""
    with closing(sqlite3.connect(path)) as conn:
        pages = [
            row[0]
            for row in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'participants' AND pagetype = 'leaf'"
            )
        ]
    with path.open("r+b") as handle:
        handle.seek((sorted(pages)[len(pages) // 2] - 1) * 4096)
        handle.write(b"\xa5" * 8192)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


@pytest.mark.sqlite_only
def test_a_clean_close_is_recorded_and_the_next_opening_reads_no_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coordinator_app.core.soundness import clean_close_path

    path = _closed_database(tmp_path)
    assert clean_close_path(path).is_file()
    seen = _count_quick_checks(monkeypatch)
    db = open_database(path, defer_check=True)
    try:
        assert not clean_close_path(path).exists()  # open: a crash from here leaves no record
        assert db.soundness is None and db.known_sound
        with db.transaction() as session:
            session.add(Locality(name="Rugby", code="RUG"))
    finally:
        db.dispose()
    assert seen == []
    assert clean_close_path(path).is_file()


@pytest.mark.sqlite_only
def test_after_an_unclean_shutdown_the_check_waits_beside_and_writes_wait_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _closed_database(tmp_path)
    _crash(open_database(path))
    seen = _count_quick_checks(monkeypatch)
    db = open_database(path, defer_check=True)
    try:
        assert db.soundness is not None and not db.soundness.started
        assert seen == []  # opened without reading the file: the window starts the check
        waited: list[bool] = []
        db.on_write_waits = lambda: waited.append(True)
        with db.transaction() as session:  # the first write starts it and waits for it
            session.add(Locality(name="Rugby", code="RUG"))
        assert seen == [path] and waited == [True]
        assert db.known_sound
    finally:
        db.dispose()
    from coordinator_app.core.soundness import closed_cleanly

    assert closed_cleanly(path)


@pytest.mark.sqlite_only
def test_a_damaged_file_is_refused_before_any_write_when_the_check_is_deferred(
    tmp_path: Path,
) -> None:
    from coordinator_app.core.db import DamagedDatabaseError
    from coordinator_app.core.soundness import clean_close_path

    path = _closed_database(tmp_path, people=300)
    _crash(open_database(path))
    _damage(path)
    before = path.read_bytes()
    db = open_database(path, defer_check=True)
    try:
        with pytest.raises(DamagedDatabaseError) as refused, db.transaction() as session:
            session.add(Locality(name="Rugby", code="RUG"))
        assert refused.value.saving and "nothing was saved" in str(refused.value)
        assert not db.known_sound
    finally:
        db.dispose()
    assert path.read_bytes() == before
    assert not clean_close_path(path).exists()  # the next opening checks it again


@pytest.mark.sqlite_only
def test_a_file_changed_since_its_clean_close_is_checked(tmp_path: Path) -> None:
    path = _closed_database(tmp_path)
    with closing(sqlite3.connect(path)) as other:  # another program writes to it
        other.execute("UPDATE localities SET name = name")
        other.execute("CREATE TABLE IF NOT EXISTS elsewhere (x)")
        other.commit()
    db = open_database(path, defer_check=True)
    try:
        assert db.soundness is not None
    finally:
        db.dispose()


@pytest.mark.sqlite_only
def test_a_file_replaced_by_a_copy_is_checked(tmp_path: Path) -> None:
    import shutil

    path = _closed_database(tmp_path)
    shutil.copyfile(path, tmp_path / "copy.db")
    os.replace(tmp_path / "copy.db", path)  # what a sync tool or a copy over it does
    db = open_database(path, defer_check=True)
    try:
        assert db.soundness is not None
    finally:
        db.dispose()


@pytest.mark.sqlite_only
def test_an_opening_that_did_not_check_records_no_clean_close(tmp_path: Path) -> None:
    from coordinator_app.core.soundness import clean_close_path

    path = _closed_database(tmp_path)
    open_database(path, check=False).dispose()
    assert not clean_close_path(path).exists()
