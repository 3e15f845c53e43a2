"""PostgreSQL as the second backend: the bad inputs a shared server brings (a server that is down
or refuses the password, a mistyped address, a schema from a newer app, the connection dropping
in the middle of a save) each give one plain sentence and leave nothing half saved; types make
the round trip; backups and ``check`` say plainly that the server looks after itself.

The address tests need no server and always run. The rest need ``COORDINATOR_TEST_PG_URL`` (see
tests/conftest.py) and are skipped with that reason without it; ``.ci/run`` provides one.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.engine import make_url

from coordinator_app.core import backup, people
from coordinator_app.core.db import Database, open_database
from coordinator_app.core.errors import (
    ConnectionLostError,
    DatabaseOpenError,
    ServerBackupError,
)
from coordinator_app.core.migrations import HEAD
from coordinator_app.core.models import AuditEntry, Forum, Locality, Meeting, Participant
from coordinator_app.core.vocab import (
    AuditOperation,
    Category,
    ForumKind,
    MeetingFormat,
    MeetingStatus,
)

NEEDS_SERVER = "needs a PostgreSQL server: set COORDINATOR_TEST_PG_URL (.ci/run starts one)"


def _free_port() -> int:
    """A loopback port nobody listens on (bound for a moment by us, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _one_sentence(message: str) -> None:
    assert "\n" not in message.strip() and "Traceback" not in message, message
    assert message.rstrip().endswith("."), message


# --- Addresses and servers that cannot be reached (no server needed) -------------------------


@pytest.mark.parametrize(
    "target",
    [
        "postgressql+psycopg://u:p@127.0.0.1/db",  # a mistyped dialect
        "postgresql+psycopg2x://u:p@127.0.0.1/db",  # a driver that does not exist
        "postgresql+psycopg://u:p@127.0.0.1:notaport/db",  # an unparseable port
        "://nothing",
    ],
)
def test_a_mistyped_address_is_one_sentence(target: str) -> None:
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(target)
    _one_sentence(str(caught.value))
    assert ":p@" not in str(caught.value)  # never the password


def test_a_server_that_is_down_is_one_sentence() -> None:
    port = _free_port()
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(f"postgresql+psycopg://someone:secret@127.0.0.1:{port}/coordinator")
    message = str(caught.value)
    _one_sentence(message)
    assert f"127.0.0.1 (port {port})" in message and "not accepting connections" in message
    assert "secret" not in message


def test_check_of_a_server_that_is_down_is_one_sentence() -> None:
    with pytest.raises(DatabaseOpenError) as caught:
        backup.check_database(f"postgresql+psycopg://u:pw@127.0.0.1:{_free_port()}/x")
    _one_sentence(str(caught.value))


def test_backup_and_restore_of_a_server_database_say_it_is_the_servers_job(tmp_path) -> None:
    url = f"postgresql+psycopg://u:pw@127.0.0.1:{_free_port()}/x"
    with pytest.raises(ServerBackupError) as caught:
        backup.make_backup(url)
    assert "server's job" in str(caught.value)
    with pytest.raises(ServerBackupError):
        backup.restore_backup(url, tmp_path / "some.db")
    assert backup.backup_due(url) is False


# --- With a server ---------------------------------------------------------------------------


@pytest.fixture
def server(pg_server):
    if pg_server is None:
        pytest.skip(NEEDS_SERVER)
    return pg_server


@pytest.fixture
def admin(server) -> Iterator[Engine]:
    engine = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def test_a_wrong_password_is_one_sentence_naming_the_user(server, db_target: str) -> None:
    url = make_url(db_target)
    if not server.password:
        pytest.skip("the test server takes no password (trust), so a wrong one is not refused")
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(url.set(password="not-the-password").render_as_string(False))
    message = str(caught.value)
    _one_sentence(message)
    assert "refused" in message and f"password for {url.username};" in message
    assert "not-the-password" not in message


def test_a_database_that_does_not_exist_is_one_sentence(server) -> None:
    missing = server.url(f"ic_missing_{uuid.uuid4().hex[:8]}")
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(missing)
    _one_sentence(str(caught.value))
    assert "has no database" in str(caught.value)


def _schema(engine: Engine) -> tuple[list[str], list[tuple[str]]]:
    with engine.connect() as conn:
        tables = conn.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema='public'")
        ).all()
        return sorted(t[0] for t in tables), conn.execute(
            text("SELECT version_num FROM alembic_version")
        ).all()


def test_a_database_of_a_newer_schema_is_refused_and_left_untouched(server, db_target: str) -> None:
    engine = create_engine(db_target)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    before = _schema(engine)
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(db_target)
    message = str(caught.value)
    _one_sentence(message)
    assert "newer version" in message and "9999" in message
    report = backup.check_database(db_target)
    assert not report.sound and "newer version" in report.detail
    assert _schema(engine) == before
    engine.dispose()


def test_an_empty_database_is_migrated_without_batch_mode(server, empty_db_target: str) -> None:
    url = make_url(empty_db_target).set(password=server.password or "a-password-shown-nowhere")
    db = open_database(url.render_as_string(hide_password=False))
    try:
        assert db.revision() == HEAD
        assert not db.is_sqlite and db.path is None
        assert "***" in db.location and str(url.password) not in db.location.replace("***", "")
    finally:
        db.dispose()


def test_types_make_the_round_trip(db: Database, server) -> None:
    at = datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=UTC)  # the night the clocks change
    with db.transaction() as session:
        place = Locality(name="Zoë's Place", code="ZOE", coordinated=True, active=False)
        session.add(place)
        session.flush()
        forum = Forum(locality_id=place.id, name="Carers' forum", kind=ForumKind.CARERS_FORUM)
        session.add(forum)
        session.flush()
        meeting = Meeting(
            reference="ZOE-2603",
            forum_id=forum.id,
            meeting_date=date(2026, 3, 29),
            start_time=time(18, 45),
            format=MeetingFormat.HYBRID,
            status=MeetingStatus.HELD,
        )
        entry = AuditEntry(
            at=at,
            actor="Siân",
            os_user="sian",
            operation=AuditOperation.CREATE,
            entity="locality",
            entity_id=place.id,
            summary="Made a place",
        )
        session.add_all([meeting, entry])
        session.flush()
        ids = place.id, meeting.id, entry.id
    with db.session() as session:
        place = session.get(Locality, ids[0])
        assert (place.coordinated, place.active) == (True, False)
        assert isinstance(place.id, uuid.UUID) and place.id == ids[0]
        meeting = session.get(Meeting, ids[1])
        assert (meeting.meeting_date, meeting.start_time) == (date(2026, 3, 29), time(18, 45))
        assert meeting.format is MeetingFormat.HYBRID
        entry = session.get(AuditEntry, ids[2])
        assert entry.at == at and entry.at.tzinfo is not None
        assert entry.entity_id == ids[0]
        assert place.created_at.tzinfo is not None
        assert session.scalar(select(func.count()).where(Locality.coordinated.is_(True))) == 1


def test_a_nul_character_is_kept_visible_instead_of_refusing_the_save(db: Database, server) -> None:
    pid = people.create_participant(
        db, people.ParticipantInput("Pasted\x00Name", Category.CARER, notes="a\x00b")
    )
    with db.session() as session:
        person = session.get(Participant, pid)
        assert person.name == "Pasted\ufffdName" and person.notes == "a\ufffdb"


def _kill_before(engine: Engine, admin: Engine, *, statement: int | None = None) -> dict:
    """Terminate this engine's server connection before its ``statement``-th statement, or
    before its COMMIT when ``statement`` is None. ``pg_terminate_backend`` with a timeout waits
    until the backend is really gone, so the next step fails every time (no race, no sleep)."""
    seen = {"statements": 0, "killed": False}

    def kill(conn) -> None:
        pid = conn.connection.dbapi_connection.info.backend_pid
        with admin.connect() as other:
            done = other.execute(text("SELECT pg_terminate_backend(:pid, 10000)"), {"pid": pid})
            assert done.scalar() is True
        seen["killed"] = True

    if statement is None:

        @event.listens_for(engine, "commit")
        def _on_commit(conn) -> None:
            if not seen["killed"]:
                kill(conn)

    else:

        @event.listens_for(engine, "before_cursor_execute")
        def _on_execute(conn, cursor, sql, params, context, many) -> None:
            seen["statements"] += 1
            if seen["statements"] == statement and not seen["killed"]:
                kill(conn)

    return seen


def _count(db: Database, model) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_connection_dropped_between_statements_saves_nothing(db: Database, admin: Engine) -> None:
    seen = _kill_before(db.engine, admin, statement=3)
    with pytest.raises(ConnectionLostError) as caught, db.transaction() as session:
        for n in range(5):
            session.add(Locality(name=f"Place {n}", code=f"P{n}"))
            session.flush()  # one INSERT each: the third never reaches the server
    assert seen["killed"]
    message = str(caught.value)
    _one_sentence(message)
    assert "nothing of this change was saved" in message
    assert not caught.value.during_commit
    assert _count(db, Locality) == 0  # the server rolled the first two back
    # The app carries on: the next action gets a fresh connection.
    with db.transaction() as session:
        session.add(Locality(name="After", code="AFT"))
    assert _count(db, Locality) == 1


def test_a_connection_dropped_at_commit_says_the_outcome_is_not_known(
    db: Database, admin: Engine
) -> None:
    _kill_before(db.engine, admin)
    with pytest.raises(ConnectionLostError) as caught, db.transaction() as session:
        session.add(Locality(name="Late", code="LAT"))
    assert caught.value.during_commit
    _one_sentence(str(caught.value))
    assert "not known whether" in str(caught.value)
    assert _count(db, Locality) == 0  # it died before COMMIT reached the server


def test_a_service_import_cut_off_half_way_leaves_the_database_as_it_was(
    db: Database, admin: Engine
) -> None:
    from coordinator_app.core.importer import import_workbook
    from coordinator_app.core.resources import resource_path
    from coordinator_app.core.standards import load_default_framework

    with db.transaction() as session:
        load_default_framework(session)
    before = backup.check_database(db.url.render_as_string(hide_password=False)).counts
    _kill_before(db.engine, admin, statement=25)
    with pytest.raises(ConnectionLostError):
        import_workbook(db, resource_path("samples", "import-example.xlsx"))
    after = backup.check_database(db.url.render_as_string(hide_password=False)).counts
    assert after == before


def test_check_of_a_server_database_reports_the_schema_and_says_the_server_checks_itself(
    db: Database, server
) -> None:
    people.create_participant(db, people.ParticipantInput("Seán O'Neill", Category.SERVICE_USER))
    report = backup.check_database(db.url.render_as_string(hide_password=False))
    assert report.on_server and report.sound
    assert report.revision == HEAD and report.journal_mode == "server"
    assert "server's job" in report.detail
    assert report.counts["participants"] == 1
    assert "@" in report.location and (server.password or "@") not in report.location


def test_two_apps_opening_a_new_shared_database_at_once_both_succeed(
    server, empty_db_target: str
) -> None:
    """The migration holds an advisory lock: the second waits, then finds nothing to do."""
    import threading

    start = threading.Barrier(2)
    results: list[object] = []

    def open_it() -> None:
        start.wait()
        try:
            db = open_database(empty_db_target)
            results.append(db.revision())
            db.dispose()
        except Exception as exc:  # reported below, with its type
            results.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [HEAD, HEAD]


def test_sqlite_never_imports_psycopg(tmp_path) -> None:
    """psycopg costs about 170 ms to import: a laptop on SQLite must never pay it, not even
    when a save fails (the connection-lost check looks at the error's module first)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from sqlalchemy.exc import IntegrityError\n"
        "from coordinator_app.core.db import open_database\n"
        "from coordinator_app.core.models import Locality\n"
        f"db = open_database({str(tmp_path / 'x.db')!r})\n"
        "for _ in range(2):\n"
        "    try:\n"
        "        with db.transaction() as session:\n"
        "            session.add(Locality(name='Rugby', code='RUG'))\n"
        "    except IntegrityError:\n"
        "        pass\n"
        "db.dispose()\n"
        "assert 'psycopg' not in sys.modules, 'psycopg was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
