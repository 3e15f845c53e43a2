"""The oldest app version that may write a database (core/compat.py): recorded when a database
is migrated, with no schema change; a copy of the app that a newer version's database names as
new enough opens and writes it (a shared server upgraded laptop by laptop), any other is refused
with a sentence naming the version it needs and where to get it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from coordinator_app import __version__
from coordinator_app.core import compat, connection, policy, settings
from coordinator_app.core.db import open_database, resolve_url
from coordinator_app.core.errors import CoordinatorError, DatabaseOpenError
from coordinator_app.core.migrations import HEAD, REVISIONS

NEWER = "0099"


def make_newer(target: str, oldest_writer: str | None) -> None:
    """What a newer version leaves: a revision this copy does not know, and maybe its record."""
    db = open_database(target)
    try:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": NEWER})
            if oldest_writer is None:
                if conn.dialect.name == "sqlite":
                    conn.exec_driver_sql("PRAGMA user_version = 0")
                else:
                    conn.exec_driver_sql("COMMENT ON TABLE alembic_version IS NULL")
            else:
                compat.write_record(conn, NEWER, oldest_writer)
    finally:
        db.dispose()


def revision_of(target: str) -> str | None:
    db = open_database(target, check=False)
    try:
        return db.revision()
    finally:
        db.dispose()


@pytest.fixture()
def update_source(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    share = r"\\trustfs01\apps\InvolvementCoordinator"
    file = tmp_path / "policy.ini"
    file.write_text(f"[Involvement Coordinator]\nupdate_source = {share}\n", encoding="utf-8")
    monkeypatch.setenv(policy.FILE_VARIABLE, str(file))
    return share


def test_every_revision_names_its_oldest_writer() -> None:
    """A new migration adds its line to WRITABLE_BY in the same commit."""
    assert list(compat.WRITABLE_BY) == list(REVISIONS)
    versions = [compat.key(compat.WRITABLE_BY[r]) for r in REVISIONS]
    assert versions == sorted(versions)  # never older than the revision before
    assert versions[-1] <= compat.key(__version__)


@pytest.mark.parametrize("revision", ["0001", "0002", "0999", "a1b2c3d4e5f6", NEWER])
@pytest.mark.parametrize("version", ["0.1.0", "1.2.3", "12.0.99", "99.99.99"])
def test_a_version_fits_in_the_record(revision: str, version: str) -> None:
    number = compat.encode(revision, version)
    assert 0 < number < 2**31
    assert compat.decode(number, revision) == version
    assert compat.decode(number, "0003" if revision != "0003" else "0004") is None
    assert compat.decode(0, revision) is None


def test_a_record_about_another_revision_says_nothing(fresh_db_target: str) -> None:
    """A database whose revision changed without a new record (migrated by hand, or a test
    pretending a newer version wrote it) is refused as before: the record was for its old
    revision."""
    db = open_database(fresh_db_target)
    try:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": NEWER})
            assert compat.recorded(conn, HEAD) == compat.WRITABLE_BY[HEAD]  # its old revision's
            assert compat.recorded(conn, NEWER) is None
    finally:
        db.dispose()
    with pytest.raises(DatabaseOpenError, match="newer version"):
        open_database(fresh_db_target)


def test_a_new_database_records_its_oldest_writer(empty_db_target: str) -> None:
    db = open_database(empty_db_target)
    try:
        with db.engine.connect() as conn:
            assert compat.recorded(conn, HEAD) == compat.WRITABLE_BY[HEAD]
    finally:
        db.dispose()


def test_a_newer_database_that_names_this_copy_is_opened_and_written(
    fresh_db_target: str,
) -> None:
    make_newer(fresh_db_target, compat.WRITABLE_BY[HEAD])
    db = open_database(fresh_db_target)
    try:
        settings.save_settings(db, trust_name="Coventry and Warwickshire")
        assert settings.get_settings(db).trust_name == "Coventry and Warwickshire"
    finally:
        db.dispose()
    reading = open_database(fresh_db_target, check=False, read_only=True)
    reading.dispose()
    assert revision_of(fresh_db_target) == NEWER  # not migrated: this copy cannot
    url = resolve_url(fresh_db_target)
    assert connection.check_server(url) == connection.CONNECTED_NEWER_WRITABLE


def test_a_newer_database_needing_a_newer_copy_is_refused_naming_it(
    fresh_db_target: str, update_source: str
) -> None:
    make_newer(fresh_db_target, "99.0")
    before = Path(fresh_db_target).read_bytes() if "://" not in fresh_db_target else None
    for read_only in (False, True):
        with pytest.raises(DatabaseOpenError) as caught:
            open_database(fresh_db_target, read_only=read_only)
        message = str(caught.value)
        assert "needs Involvement Coordinator 99.0.0 or newer" in message
        assert f"(this is {__version__})" in message
        assert message.endswith(f"get it from {update_source}.")
    with pytest.raises(CoordinatorError, match=r"99\.0\.0 or newer"):
        connection.check_server(resolve_url(fresh_db_target))
    if before is not None:
        assert Path(fresh_db_target).read_bytes() == before
    assert revision_of_untouched(fresh_db_target) == NEWER


def revision_of_untouched(target: str) -> str | None:
    from sqlalchemy import create_engine

    engine = create_engine(resolve_url(target))
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def test_a_newer_database_with_no_record_is_refused_as_before(
    fresh_db_target: str, update_source: str
) -> None:
    make_newer(fresh_db_target, None)
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(fresh_db_target)
    assert "was written by a newer version of Involvement Coordinator (schema 0099)" in str(
        caught.value
    )
    assert str(caught.value).endswith(
        f"install the latest version from {update_source} to open it."
    )


def test_without_an_update_source_the_refusal_says_to_ask_it(
    fresh_db_target: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(policy.FILE_VARIABLE, str(tmp_path / "no-policy.ini"))
    make_newer(fresh_db_target, "99.0")
    with pytest.raises(DatabaseOpenError, match="ask your IT team for it"):
        open_database(fresh_db_target)
