"""The command line on a PostgreSQL database: backup and restore say the server does that (exit
3), check reports the schema and says the server checks itself (exit 0), and every bad input is
one sentence with exit 1 and nothing changed.

Tests that need a server are skipped with the reason when ``COORDINATOR_TEST_PG_URL`` is unset;
``.ci/run`` sets it.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text

from coordinator_app.cli import EXIT_SERVER_JOB, main
from coordinator_app.core.migrations import HEAD

NEEDS_SERVER = "needs a PostgreSQL server: set COORDINATOR_TEST_PG_URL (.ci/run starts one)"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("coordinator-app: ")
    return lines[0]


def test_help_names_the_exit_codes(capsys) -> None:
    for args in (["--help"], ["backup", "--help"], ["check", "--help"]):
        with pytest.raises(SystemExit):
            main(args)
        out = capsys.readouterr().out
        assert "3 backup or restore of a database on a server" in " ".join(out.split())


@pytest.mark.parametrize(
    "target",
    [
        "postgressql+psycopg://u@127.0.0.1/db",
        "postgresql+psycopg://u@127.0.0.1:notaport/db",
    ],
)
def test_a_mistyped_address_is_one_sentence(target: str, capsys) -> None:
    assert main(["--db", target, "check"]) == 1
    line = _one_sentence(capsys.readouterr().err)
    assert "secret" not in line


@pytest.mark.parametrize("command", [["check"], ["demo"], ["import", "x.xlsx"]])
def test_a_server_that_is_down_is_one_sentence(command: list[str], capsys) -> None:
    url = f"postgresql+psycopg://u@127.0.0.1:{_free_port()}/coordinator"
    assert main(["--db", url, *command]) == 1
    line = _one_sentence(capsys.readouterr().err)
    assert "not accepting connections" in line and "secret" not in line


@pytest.mark.parametrize("command", [["backup"], ["restore", "some.db"]])
def test_backup_and_restore_on_a_server_exit_3_saying_why(command: list[str], capsys) -> None:
    url = f"postgresql+psycopg://u@127.0.0.1:{_free_port()}/coordinator"
    assert main(["--db", url, *command]) == EXIT_SERVER_JOB
    assert "server's job" in _one_sentence(capsys.readouterr().err)


@pytest.fixture
def server(pg_server):
    if pg_server is None:
        pytest.skip(NEEDS_SERVER)
    return pg_server


def test_check_on_a_server_reports_the_schema_and_exits_0(server, db_target: str, capsys) -> None:
    assert main(["--db", db_target, "check"]) == 0
    out = capsys.readouterr().out
    assert (
        "Sound: not checked here: on a server, integrity checks and backups are the server's"
        in (" ".join(out.split()))
    )
    assert f"Schema revision: {HEAD} (this app: {HEAD})" in out
    assert "Journal mode: server" in out


def test_a_wrong_password_is_one_sentence(server, db_target: str, capsys, monkeypatch) -> None:
    if not server.password:
        pytest.skip("the test server takes no password (trust), so a wrong one is not refused")
    monkeypatch.setenv("PGPASSWORD", "wrong-password")
    assert main(["--db", db_target, "check"]) == 1
    line = _one_sentence(capsys.readouterr().err)
    assert "refused" in line and "wrong-password" not in line


def test_a_newer_schema_is_refused_by_every_command(
    server, fresh_db_target: str, tmp_path: Path, capsys
) -> None:
    engine = create_engine(fresh_db_target)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    assert main(["--db", fresh_db_target, "check"]) == 1
    assert "newer version" in capsys.readouterr().out
    for command in (["demo"], ["export-return", "--locality", "X", "--month", "2026-01"]):
        extra = ["-o", str(tmp_path / "r.xlsx")] if command[0] == "export-return" else []
        assert main(["--db", fresh_db_target, *command, *extra]) == 1
        assert "newer version" in _one_sentence(capsys.readouterr().err)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
        assert conn.execute(text("SELECT count(*) FROM localities")).scalar() == 0
    engine.dispose()


def test_an_import_cut_off_by_the_network_is_one_sentence_and_saves_nothing(
    server, db_target: str, monkeypatch, capsys
) -> None:
    """``pg_terminate_backend`` from a second connection between two statements of the
    import's transaction: the server rolls it back and the command says so."""
    from coordinator_app.core import db as db_module
    from coordinator_app.core.backup import check_database
    from coordinator_app.core.resources import resource_path

    admin = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
    real_make_engine = db_module.make_engine
    seen = {"statements": 0}

    def make_engine_that_drops(url, **kwargs):
        engine = real_make_engine(url, **kwargs)

        @event.listens_for(engine, "before_cursor_execute")
        def _drop(conn, cursor, sql, params, context, many) -> None:
            seen["statements"] += 1
            if sql.lstrip().upper().startswith("INSERT") and "killed" not in seen:
                seen["killed"] = True
                pid = conn.connection.dbapi_connection.info.backend_pid
                with admin.connect() as other:
                    other.execute(text("SELECT pg_terminate_backend(:p, 10000)"), {"p": pid})

        return engine

    from coordinator_app.core.db import open_database
    from coordinator_app.core.standards import load_default_framework

    db = open_database(db_target)
    with db.transaction() as session:
        load_default_framework(session)
    db.dispose()
    before = check_database(db_target).counts
    monkeypatch.setattr(db_module, "make_engine", make_engine_that_drops)
    sample = resource_path("samples", "import-example.xlsx")
    assert main(["--db", db_target, "import", str(sample)]) == 1
    line = _one_sentence(capsys.readouterr().err)
    assert "connection to the database server was lost" in line and "nothing" in line
    monkeypatch.undo()
    assert seen.get("killed")
    assert check_database(db_target).counts == before
    admin.dispose()
