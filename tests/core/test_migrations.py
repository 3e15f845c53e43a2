"""Migrations proven: a fixture database of every released schema revision is upgraded to the
head with its data checked; a backup is taken before every upgrade; a failed upgrade leaves the
original as it was (docs/engineering-notes.md#migrations)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from coordinator_app.core import db as db_module
from coordinator_app.core.db import open_database
from coordinator_app.core.errors import DatabaseOpenError
from coordinator_app.core.migrations import HEAD, REVISIONS

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: What every fixture holds (tests/core/fixtures/make_fixture.py); it must survive any upgrade.
EXPECTED_COUNTS = {
    "localities": 1,
    "forums": 1,
    "participants": 2,
    "meetings": 1,
    "attendances": 2,
    "unnamed_attendances": 1,
    "involvement_payments": 1,
    "experience_items": 1,
    "actions": 1,
}


def _fixture(revision: str) -> Path:
    return FIXTURES / f"rev{revision}.db"


def _dump(path: Path) -> str:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        return "\n".join(conn.iterdump())


def test_every_released_revision_has_a_fixture() -> None:
    missing = [r for r in REVISIONS if not _fixture(r).exists()]
    assert missing == [], (
        f"add tests/core/fixtures/rev{missing[0]}.db with make_fixture.py when releasing it"
    )


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_database_of_each_revision_upgrades_with_its_data(revision: str, tmp_path: Path) -> None:
    path = shutil.copy(_fixture(revision), tmp_path / "coordinator.db")
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
    db = open_database(path)
    try:
        assert db.revision() == HEAD
        with db.engine.connect() as conn:
            for table, count in EXPECTED_COUNTS.items():
                assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == count, table
            names = sorted(conn.execute(text("SELECT name FROM participants")).scalars())
            assert names == ["Seán Murphy", "Zoë O'Neill"]
            pence = conn.execute(
                text("SELECT amount_pence, expenses_pence FROM involvement_payments")
            ).one()
            assert tuple(pence) == (2500, 340)
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        db.dispose()
    copies = list((tmp_path / "backups").glob(f"coordinator-before-upgrade-from-{revision}-*.db"))
    assert len(copies) == (0 if revision == HEAD else 1)


def test_a_failed_upgrade_leaves_the_original_and_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pretend a newer revision exists whose upgrade deletes rows and then fails half way."""
    path = Path(shutil.copy(_fixture(REVISIONS[0]), tmp_path / "coordinator.db"))
    before = _dump(path)
    monkeypatch.setattr(db_module, "REVISIONS", (*REVISIONS, "9000"))
    monkeypatch.setattr(db_module, "HEAD", "9000")

    import alembic.command

    def broken_upgrade(config, _target) -> None:
        conn = config.attributes["connection"]
        conn.exec_driver_sql("DELETE FROM attendances")
        conn.exec_driver_sql("UPDATE participants SET name = 'lost'")
        raise RuntimeError("disk full half way through the upgrade")

    monkeypatch.setattr(alembic.command, "upgrade", broken_upgrade)

    with pytest.raises(DatabaseOpenError, match="left as it was") as caught:
        open_database(path)
    assert "before the upgrade" in str(caught.value)
    assert _dump(path) == before
    (copy,) = (tmp_path / "backups").glob("coordinator-before-upgrade-from-0001-*.db")
    assert _dump(copy) == before


def test_an_upgraded_database_has_exactly_the_schema_of_a_new_one(tmp_path: Path) -> None:
    """Upgrading the oldest fixture gives the same tables, columns and indexes as the models
    (so 0002's list indexes reach databases made before it)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from coordinator_app.core.models import Base

    path = shutil.copy(_fixture(REVISIONS[0]), tmp_path / "coordinator.db")
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            indexes = {row[1] for row in conn.exec_driver_sql("PRAGMA index_list('attendances')")}
    finally:
        db.dispose()
    assert {"ix_attendances_meeting_status", "ix_attendances_participant_status"} <= indexes
    assert "ix_attendances_participant_id" not in indexes


def test_0009_keeps_every_row_of_0008_and_every_payment_at_its_meeting(tmp_path: Path) -> None:
    """Issue #28 rebuilds involvement_payments on SQLite (meeting_id may now be empty, revision
    0009): every table of 0008 keeps every row, and each payment stays a meeting's, paid in
    money, with no claim date; people have no benefits answers and the trust no threshold."""
    path = shutil.copy(_fixture("0008"), tmp_path / "coordinator.db")
    with closing(sqlite3.connect(path)) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] != "alembic_version" and not r[0].startswith("sqlite_")
        ]
        before = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        payments_before = conn.execute(
            "SELECT id, meeting_id, participant_id, status, amount_pence, expenses_pence, paid_on "
            "FROM involvement_payments ORDER BY id"
        ).fetchall()
    db = open_database(path)
    db.dispose()
    with closing(sqlite3.connect(path)) as conn:
        after = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        payments_after = conn.execute(
            "SELECT id, meeting_id, participant_id, status, amount_pence, expenses_pence, paid_on "
            "FROM involvement_payments ORDER BY id"
        ).fetchall()
        extra = conn.execute(
            "SELECT activity_id, claimed_on, method FROM involvement_payments"
        ).fetchall()
        people = conn.execute(
            "SELECT benefits_advice_on, wants_vouchers, wants_no_payment FROM participants"
        ).fetchall()
        settings = conn.execute(
            "SELECT payment_threshold_pence, payment_threshold_period, unpaid_limit_days "
            "FROM trust_settings"
        ).fetchall()
        assert conn.execute("SELECT count(*) FROM involvement_activities").fetchone()[0] == 0
    assert after == before
    assert payments_after == payments_before and payments_before
    assert set(extra) == {(None, None, "money")}
    assert set(people) == {(None, 0, 0)}
    assert set(settings) <= {(None, "week", 30)}
