"""Shared fixtures. Qt runs offscreen; no Qt object is made at import time (Spyder's warning).

Two backends. By default every test gets a copy of a migrated SQLite file. When
``COORDINATOR_TEST_PG_URL`` names a PostgreSQL database (an admin connection that may
``CREATE DATABASE``, e.g. ``postgresql+psycopg://user:pw@127.0.0.1:5432/postgres``), the ``db``
fixture instead uses a migrated database on that server, emptied after every test (see
``PostgresServer``; its addresses hold no password: the tests set PGPASSWORD instead). Tests
that are about SQLite files (quick_check, file backups, WAL, crash-safety kills, file copies)
carry ``@pytest.mark.sqlite_only`` and are skipped on PostgreSQL with that reason; ``db_path``
refuses to run there unmarked, so no test silently tests SQLite while claiming to test
PostgreSQL. Command-line tests pass ``--db`` from
``db_target`` (a path or a URL, whichever the backend needs).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep QSettings and the default data folder away from the real user's.
os.environ.setdefault("XDG_CONFIG_HOME", str(Path(__file__).resolve().parent / ".xdg-config"))

from coordinator_app.core.db import Database, open_database

PG_URL_VARIABLE = "COORDINATOR_TEST_PG_URL"
PG_URL = os.environ.get(PG_URL_VARIABLE, "").strip() or None
SQLITE_ONLY_REASON = "a SQLite file test (files, WAL, quick_check): not run on PostgreSQL"


def pytest_report_header(config: pytest.Config) -> str:
    if PG_URL is None:
        return f"database backend: SQLite (set {PG_URL_VARIABLE} to run on PostgreSQL)"
    from sqlalchemy.engine import make_url

    return f"database backend: PostgreSQL {make_url(PG_URL).render_as_string(hide_password=True)}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if PG_URL is None:
        return
    skip = pytest.mark.skip(reason=SQLITE_ONLY_REASON)
    for item in items:
        if item.get_closest_marker("sqlite_only") is not None:
            item.add_marker(skip)


class PostgresServer:
    """Throwaway databases on the server named by the admin URL.

    Most tests share one migrated database, emptied after each test (``TRUNCATE`` of every table
    but ``alembic_version``: about 30 ms, where ``CREATE DATABASE ... TEMPLATE`` takes about a
    second). A test that changes the schema or its revision asks for ``fresh_db_target``, a
    database of its own; ``reset`` also notices a changed revision and rebuilds the shared one.
    """

    def __init__(self, admin_url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.admin_url = make_url(admin_url)
        #: The server's password, given to libpq through PGPASSWORD (as a person would): the
        #: addresses the tests pass to the app and the command line hold none, since the
        #: command line warns about a password in an address (docs/command-line.md).
        self.password = self.admin_url.password
        if self.password:
            os.environ["PGPASSWORD"] = str(self.password)
        # AUTOCOMMIT: CREATE/DROP DATABASE cannot run inside a transaction block.
        self.engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"ic_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.template: str | None = None
        self.shared: str | None = None
        self._shared_engine: Any = None
        self._tables: list[str] = []

    def url(self, name: str) -> str:
        """The address of database ``name``, without the password (PGPASSWORD has it)."""
        # (URL.set ignores None, so the password is left out by _replace.)
        return self.admin_url._replace(password=None, database=name).render_as_string(
            hide_password=False
        )

    def create(self, *, migrated: bool = True) -> str:
        from sqlalchemy import text

        name = f"{self.prefix}_{uuid.uuid4().hex[:10]}"
        with self.engine.connect() as conn:
            if migrated:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self._template()}"'))
            else:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        return name

    def drop(self, name: str) -> None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def shared_url(self) -> str:
        """The shared migrated database, empty at the start of each test."""
        if self.shared is None:
            from sqlalchemy import create_engine, inspect

            self.shared = self.create()
            self._shared_engine = create_engine(self.url(self.shared), isolation_level="AUTOCOMMIT")
            with self._shared_engine.connect() as conn:
                names = inspect(conn).get_table_names()
            self._tables = sorted(n for n in names if n != "alembic_version")
        return self.url(self.shared)

    def reset(self) -> None:
        """Empty the shared database after a test (or rebuild it if its schema was changed)."""
        from sqlalchemy import inspect, text

        from coordinator_app.core.migrations import HEAD

        if self.shared is None:
            return
        with self._shared_engine.connect() as conn:
            # Connections a test left open would block TRUNCATE: the test is over, end them.
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            names = sorted(n for n in inspect(conn).get_table_names() if n != "alembic_version")
            if revision == HEAD and names == self._tables:
                listed = ", ".join(f'"{n}"' for n in names)
                conn.execute(text(f"TRUNCATE {listed} CASCADE"))
                return
        self._shared_engine.dispose()
        self.drop(self.shared)
        self.shared = None

    def _template(self) -> str:
        if self.template is None:
            from sqlalchemy import text

            name = f"{self.prefix}_template"
            with self.engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            self.template = name
            open_database(self.url(name)).dispose()
        return self.template

    def close(self) -> None:
        if self._shared_engine is not None:
            self._shared_engine.dispose()
        for name in (self.shared, self.template):
            if name is not None:
                self.drop(name)
        self.engine.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer | None]:
    if PG_URL is None:
        yield None
        return
    server = PostgresServer(PG_URL)
    yield server
    server.close()


@pytest.fixture(scope="session")
def backend(pg_server: PostgresServer | None) -> str:
    """``"sqlite"`` or ``"postgresql"``: the backend the ``db`` fixture uses in this run."""
    return "sqlite" if pg_server is None else "postgresql"


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated empty database per test run; each test gets a copy (Anki's approach)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(path).dispose()
    return path


@pytest.fixture
def db_path(
    request: pytest.FixtureRequest, tmp_path: Path, pg_server: PostgresServer | None
) -> Path:
    """A migrated SQLite file. On PostgreSQL only tests marked ``sqlite_only`` may ask for it
    (they are skipped there anyway); any other test must use ``db_target`` or ``db``."""
    if pg_server is not None:
        pytest.fail(
            "db_path is a SQLite file: mark the test sqlite_only or use db_target/db", False
        )
    from coordinator_app.core.db import copy_sqlite_file

    template = request.getfixturevalue("_template_db")
    return copy_sqlite_file(template, tmp_path / "coordinator.db")


@pytest.fixture
def db_target(request: pytest.FixtureRequest, pg_server: PostgresServer | None) -> Iterator[str]:
    """What ``--db`` takes for an empty migrated database of this run's backend: a file path on
    SQLite, a URL (with its password) on PostgreSQL (the shared database, emptied afterwards:
    a test that changes its schema or revision uses ``fresh_db_target`` instead)."""
    if pg_server is None:
        yield str(request.getfixturevalue("db_path"))
        return
    yield pg_server.shared_url()
    pg_server.reset()


@pytest.fixture
def fresh_db_target(
    request: pytest.FixtureRequest, pg_server: PostgresServer | None
) -> Iterator[str]:
    """Like ``db_target`` but a database of the test's own (it may change the schema)."""
    if pg_server is None:
        yield str(request.getfixturevalue("db_path"))
        return
    name = pg_server.create()
    yield pg_server.url(name)
    pg_server.drop(name)


@pytest.fixture
def empty_db_target(tmp_path: Path, pg_server: PostgresServer | None) -> Iterator[str]:
    """``--db`` for a database that does not exist yet (SQLite) or is empty (PostgreSQL)."""
    if pg_server is None:
        yield str(tmp_path / "new.db")
        return
    name = pg_server.create(migrated=False)
    yield pg_server.url(name)
    pg_server.drop(name)


@pytest.fixture
def db(db_target: str) -> Iterator[Database]:
    database = open_database(db_target)
    yield database
    database.dispose()


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """A second app instance on the same database (its own engine and connections): the other
    coordinator of the two-at-once tests."""
    second = open_database(db.url.render_as_string(hide_password=False))
    yield second
    second.dispose()


# --- the credential store (keyring), never the real one ------------------------------------------


def _memory_keyring_class() -> type:
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    class MemoryKeyring(KeyringBackend):
        """A credential store in a dict (``kept``), so tests never touch the real one."""

        priority = 10  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.kept: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.kept.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.kept[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if self.kept.pop((service, username), None) is None:
                raise PasswordDeleteError("not kept")

    return MemoryKeyring


@pytest.fixture
def memory_keyring() -> Iterator[Any]:
    """keyring set to an in-memory store for the test; the store (its ``kept`` dict) is given."""
    import keyring

    before = keyring.get_keyring()
    store = _memory_keyring_class()()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """keyring's fail backend: no credential store on this computer."""
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The app's config folder for the test (where the database choice is kept)."""
    return tmp_path / "config"


# --- workbooks built cell by cell ---------------------------------------------------------------


@pytest.fixture
def write_workbook() -> Any:
    """``write_workbook(path, {sheet: [header, row, ...]})`` saves an xlsx with those sheets (in
    that order, nothing else), each row as a coordinator's Excel would hold it, and returns
    ``path``."""

    def write(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.remove(workbook.active)
        for name, rows in sheets.items():
            sheet = workbook.create_sheet(name)
            for row in rows:
                sheet.append(row)
        workbook.save(path)
        return path

    return write
