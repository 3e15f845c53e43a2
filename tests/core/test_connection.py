"""Choosing the database (issue #13): the choice on disk, the server address, the credential
store and the connection test. A password must never reach a file, a message or a ``repr``."""

from __future__ import annotations

import json
import os
import socket
import traceback
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import null
from keyring.errors import PasswordDeleteError
from sqlalchemy.engine import make_url

from coordinator_app.core import connection
from coordinator_app.core.connection import ConnectionChoice, NoCredentialStoreError
from coordinator_app.core.errors import CoordinatorError, ValidationError

PASSWORD = "p@ss:w/rd% #?&'\"Zoë"


class ForgetfulKeyring(KeyringBackend):
    """Says yes and keeps nothing (as a misconfigured store can)."""

    priority = 10  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        pass

    def delete_password(self, service: str, username: str) -> None:
        raise PasswordDeleteError("not kept")


SERVER = ConnectionChoice(
    kind="server", host="db.trust.nhs.uk", port=5432, database="involvement", user="siân"
)


def _files_hold(folder: Path, secret: str) -> list[Path]:
    if not folder.exists():
        return []
    return [
        p for p in folder.rglob("*") if p.is_file() and secret.encode("utf-8") in p.read_bytes()
    ]


# --- the choice on disk ---------------------------------------------------------------------


def test_no_saved_choice_means_this_laptop(folder: Path) -> None:
    choice = connection.load_choice(folder)
    assert choice == ConnectionChoice()
    assert not choice.is_server
    assert choice.described() == "This laptop"


def test_a_server_choice_round_trips_through_json_without_a_password(
    folder: Path, memory_keyring
) -> None:
    chosen = ConnectionChoice(
        kind="server", host=" db.trust.nhs.uk ", port=6543, database="involvement", user="siân"
    )
    path = connection.save_choice(chosen, folder)
    connection.store_password(connection.validate(chosen), PASSWORD)

    assert path == folder / connection.CHOICE_FILENAME
    loaded = connection.load_choice(folder)
    assert loaded.host == "db.trust.nhs.uk"  # trimmed on the way in
    assert (loaded.port, loaded.database, loaded.user) == (6543, "involvement", "siân")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"kind", "host", "port", "database", "user", "remember_password"}
    assert _files_hold(folder, PASSWORD) == []
    assert "password" not in path.read_text(encoding="utf-8").replace("remember_password", "")


def test_saving_leaves_no_temporary_file(folder: Path) -> None:
    connection.save_choice(SERVER, folder)
    connection.save_choice(ConnectionChoice(), folder)
    assert [p.name for p in folder.iterdir()] == [connection.CHOICE_FILENAME]
    assert connection.load_choice(folder) == ConnectionChoice()


@pytest.mark.parametrize(
    "content",
    ["not json", "[1, 2]", '{"kind": "cloud"}', '{"kind": "server", "host": "", "database": "x"}'],
)
def test_a_setting_file_that_makes_no_sense_is_refused_plainly(folder: Path, content: str) -> None:
    folder.mkdir()
    (folder / connection.CHOICE_FILENAME).write_text(content, encoding="utf-8")
    with pytest.raises(CoordinatorError) as caught:
        connection.load_choice(folder)
    assert "File > Database" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("host", "", "host"),
        ("host", "db trust", "host"),
        ("host", "user@db", "host"),
        ("database", "  ", "database"),
        ("user", "", "user"),
        ("port", 0, "port"),
        ("port", 65536, "port"),
    ],
)
def test_a_server_needs_every_detail(field: str, value: object, problem: str) -> None:
    choice = ConnectionChoice(**{**SERVER.__dict__, field: value})
    with pytest.raises(ValidationError) as caught:
        connection.validate(choice)
    assert set(caught.value.problems) == {problem}


@pytest.mark.parametrize("port", [1, 65535])
def test_port_boundaries_are_accepted(port: int) -> None:
    assert connection.validate(ConnectionChoice(**{**SERVER.__dict__, "port": port})).port == port


def test_a_laptop_choice_needs_no_server_details() -> None:
    assert connection.validate(ConnectionChoice(kind="laptop")).kind == "laptop"


# --- the address ----------------------------------------------------------------------------


def test_the_url_keeps_special_characters_and_hides_the_password() -> None:
    url = connection.build_url(SERVER, PASSWORD)
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.port, url.database, url.username) == (
        "db.trust.nhs.uk",
        5432,
        "involvement",
        "siân",
    )
    assert url.password == PASSWORD
    for shown in (repr(url), str(url), url.render_as_string(hide_password=True)):
        assert PASSWORD not in shown
        assert "p@ss" not in shown
    # The text handed to open_database parses back to the same password.
    assert make_url(connection.url_text_for_opening(url)).password == PASSWORD
    from coordinator_app.core.db import resolve_url

    assert resolve_url(connection.url_text_for_opening(url)).password == PASSWORD


def test_the_choice_has_no_password_to_show() -> None:
    assert "password" not in repr(SERVER).replace("remember_password", "")
    assert SERVER.keyring_username == "siân@db.trust.nhs.uk:5432/involvement"


def test_a_server_is_shown_as_user_at_host_slash_database() -> None:
    url = connection.build_url(SERVER, PASSWORD)
    assert connection.describe_url(url) == "siân@db.trust.nhs.uk/involvement"
    other = connection.build_url(ConnectionChoice(**{**SERVER.__dict__, "port": 6543}), PASSWORD)
    assert connection.describe_url(other) == "siân@db.trust.nhs.uk:6543/involvement"
    assert SERVER.described() == "siân@db.trust.nhs.uk/involvement"


def test_a_laptop_database_is_shown_as_its_file(tmp_path: Path) -> None:
    from coordinator_app.core.db import resolve_url

    path = tmp_path / "coordinator.db"
    assert connection.describe_url(resolve_url(path), path) == str(path)


def test_a_laptop_choice_has_no_url() -> None:
    with pytest.raises(CoordinatorError):
        connection.build_url(ConnectionChoice(), PASSWORD)


# --- the credential store -------------------------------------------------------------------


def test_the_password_goes_to_the_credential_store(memory_keyring) -> None:
    connection.store_password(SERVER, PASSWORD)
    assert memory_keyring.kept == {
        ("Involvement Coordinator", "siân@db.trust.nhs.uk:5432/involvement"): PASSWORD
    }
    assert connection.load_password(SERVER) == PASSWORD
    connection.forget_password(SERVER)
    assert memory_keyring.kept == {}
    assert connection.load_password(SERVER) is None
    connection.forget_password(SERVER)  # nothing to forget is not an error


def test_without_a_credential_store_nothing_is_written(no_keyring: None, folder: Path) -> None:
    assert not connection.keyring_available()
    with pytest.raises(NoCredentialStoreError) as caught:
        connection.store_password(SERVER, PASSWORD)
    message = str(caught.value)
    assert "ask for it each time" in message
    assert PASSWORD not in message
    with pytest.raises(NoCredentialStoreError):
        connection.load_password(SERVER)
    connection.forget_password(SERVER)  # no store, nothing to forget
    assert not folder.exists()


def test_the_null_store_counts_as_none() -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    try:
        assert not connection.keyring_available()
        with pytest.raises(NoCredentialStoreError):
            connection.store_password(SERVER, PASSWORD)
    finally:
        keyring.set_keyring(before)


def test_a_store_that_keeps_nothing_is_found_out() -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(ForgetfulKeyring())
    try:
        with pytest.raises(NoCredentialStoreError) as caught:
            connection.store_password(SERVER, PASSWORD)
        assert PASSWORD not in str(caught.value)
    finally:
        keyring.set_keyring(before)


# --- start-up -------------------------------------------------------------------------------


def test_start_up_opens_the_laptop_database_by_default(folder: Path) -> None:
    asked: list[str] = []
    assert connection.configured_target(lambda c, r: asked.append(r), folder=folder) is None
    assert asked == []


def test_start_up_takes_the_remembered_password(folder: Path, memory_keyring) -> None:
    connection.save_choice(SERVER, folder)
    connection.store_password(SERVER, PASSWORD)
    url = connection.configured_target(None, folder=folder)
    assert url is not None and url.password == PASSWORD
    assert url.host == "db.trust.nhs.uk"


def test_start_up_asks_when_no_password_is_remembered(folder: Path, memory_keyring) -> None:
    connection.save_choice(SERVER, folder)
    asked: list[str] = []

    def prompt(choice: ConnectionChoice, reason: str) -> str:
        asked.append(reason)
        return PASSWORD

    url = connection.configured_target(prompt, folder=folder)
    assert url is not None and url.password == PASSWORD
    assert asked == ["Enter the password for siân@db.trust.nhs.uk/involvement."]
    with pytest.raises(CoordinatorError) as caught:
        connection.configured_target(lambda c, r: None, folder=folder)
    assert str(caught.value) == "No password was given for siân@db.trust.nhs.uk/involvement."
    with pytest.raises(CoordinatorError):
        connection.configured_target(None, folder=folder)


def test_start_up_says_why_it_asks_when_there_is_no_store(folder: Path, no_keyring: None) -> None:
    connection.save_choice(SERVER, folder)
    asked: list[str] = []
    url = connection.configured_target(lambda c, r: asked.append(r) or PASSWORD, folder=folder)
    assert url is not None and url.password == PASSWORD
    assert asked and "no password store" in asked[0]


def test_start_up_does_not_look_in_the_store_when_told_not_to_remember(
    folder: Path, memory_keyring
) -> None:
    choice = ConnectionChoice(**{**SERVER.__dict__, "remember_password": False})
    connection.save_choice(choice, folder)
    memory_keyring.kept[(connection.KEYRING_SERVICE, choice.keyring_username)] = "stale"
    url = connection.configured_target(lambda c, r: PASSWORD, folder=folder)
    assert url is not None and url.password == PASSWORD


# --- the connection test --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _plain(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text
    assert "Traceback" not in text
    return text


def test_a_port_nobody_listens_on_is_one_clear_sentence() -> None:
    choice = ConnectionChoice(
        kind="server", host="127.0.0.1", port=_free_port(), database="involvement", user="siân"
    )
    with pytest.raises(CoordinatorError) as caught:
        connection.test_connection(choice, PASSWORD)
    text = _plain(caught.value)
    assert text.startswith(f"The server 127.0.0.1 (port {choice.port}) is not accepting")
    assert PASSWORD not in "".join(traceback.format_exception(caught.value))


def test_a_mistyped_server_name_is_one_clear_sentence() -> None:
    choice = ConnectionChoice(
        kind="server", host="db.trsut.invalid", port=5432, database="involvement", user="siân"
    )
    with pytest.raises(CoordinatorError) as caught:
        connection.test_connection(choice, PASSWORD)
    assert _plain(caught.value) == (
        "No server called db.trsut.invalid could be found; check the name for typing errors."
    )
    assert PASSWORD not in "".join(traceback.format_exception(caught.value))


def test_an_incomplete_choice_is_not_tried() -> None:
    with pytest.raises(ValidationError):
        connection.test_connection(ConnectionChoice(kind="server", host="db"), PASSWORD)


@pytest.mark.parametrize(
    ("driver_says", "sentence_starts"),
    [
        (
            'connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  '
            'password authentication failed for user "siân"',
            "The server db.trust.nhs.uk (port 5432) refused the user name or password",
        ),
        (
            "fe_sendauth: no password supplied",
            "The server db.trust.nhs.uk (port 5432) wants a password for",
        ),
        (
            'connection failed: ... failed: FATAL:  database "involvement" does not exist',
            "The server db.trust.nhs.uk (port 5432) has no database called involvement",
        ),
        (
            'connection failed: ... failed: FATAL:  role "siân" does not exist',
            "The server db.trust.nhs.uk (port 5432) has no user called siân",
        ),
        ("connection timeout expired", "The server db.trust.nhs.uk (port 5432) did not answer"),
        (
            'could not translate host name "db.trust.nhs.uk" to address',
            "No server called db.trust.nhs.uk could be found",
        ),
        (
            'connection failed: ... failed: FATAL:  no pg_hba.conf entry for host "10.0.0.9"',
            "The server db.trust.nhs.uk (port 5432) does not allow",
        ),
        (
            'connection failed: connection to server at "10.0.0.5", port 5432 failed: '
            "FATAL:  das Passwort ist falsch",
            "The server db.trust.nhs.uk (port 5432) could not be used (das Passwort ist falsch)",
        ),
    ],
)
def test_driver_errors_become_plain_sentences(driver_says: str, sentence_starts: str) -> None:
    sentence = connection.explain_connection_error(Exception(driver_says), SERVER)
    assert sentence.startswith(sentence_starts)
    assert "\n" not in sentence


def test_the_test_function_is_not_collected_as_a_test() -> None:
    assert connection.test_connection.__test__ is False  # type: ignore[attr-defined]


# --- a real server (CI sets COORDINATOR_TEST_PG_URL) -----------------------------------------

PG_URL = os.environ.get("COORDINATOR_TEST_PG_URL", "")


@pytest.mark.skipif(
    not PG_URL, reason="COORDINATOR_TEST_PG_URL is not set: no PostgreSQL server to connect to"
)
def test_a_real_server_answers_and_a_wrong_password_is_refused() -> None:
    url = make_url(PG_URL)
    choice = ConnectionChoice(
        kind="server",
        host=url.host or "localhost",
        port=url.port or 5432,
        database=url.database or "",
        user=url.username or "",
    )
    assert connection.test_connection(choice, url.password) in (
        connection.CONNECTED_CURRENT,
        connection.CONNECTED_EMPTY,
        connection.CONNECTED_OLDER,
    )
    wrong = (url.password or "") + "-wrong"
    with pytest.raises(CoordinatorError) as caught:
        connection.test_connection(choice, wrong)
    text = _plain(caught.value)
    # A server that trusts local users lets any password in; otherwise it must say "refused".
    assert "refused" in text or "could not be used" in text
    assert wrong not in "".join(traceback.format_exception(caught.value))


# --- what the test finds in the database (the same code for any back end: SQLite here) -------


def test_an_empty_database_will_be_set_up(tmp_path: Path) -> None:
    from coordinator_app.core.db import resolve_url

    assert connection.check_server(resolve_url(tmp_path / "empty.db")) == connection.CONNECTED_EMPTY


@pytest.mark.sqlite_only  # the revision check, shown on a SQLite file
def test_a_current_database_is_said_to_be_current(db_path: Path) -> None:
    from coordinator_app.core.db import resolve_url

    assert connection.check_server(resolve_url(db_path)) == connection.CONNECTED_CURRENT


@pytest.mark.sqlite_only  # the revision check, shown on a SQLite file
def test_a_newer_schema_is_refused_and_left_alone(db_path: Path) -> None:
    import sqlite3

    from coordinator_app.core.db import resolve_url

    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = db_path.read_bytes()
    with pytest.raises(CoordinatorError) as caught:
        connection.check_server(resolve_url(db_path))
    assert "newer version" in _plain(caught.value)
    assert "9999" in str(caught.value)
    assert db_path.read_bytes() == before


def test_another_programs_tables_are_refused(tmp_path: Path) -> None:
    import sqlite3

    from coordinator_app.core.db import resolve_url

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(CoordinatorError) as caught:
        connection.check_server(resolve_url(path))
    assert "another program's tables" in _plain(caught.value)
