"""File > Database… and the choice at start-up (issue #13). The password never reaches a file
under the config folder, a label, a message or stderr."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from coordinator_app.core import connection
from coordinator_app.core.connection import ConnectionChoice
from coordinator_app.core.errors import CoordinatorError
from coordinator_app.ui.dialogs import database_settings
from coordinator_app.ui.dialogs.database_settings import DatabaseSettingsDialog

PASSWORD = "Tr0ub4dor&3 @:/%"
SERVICE = connection.KEYRING_SERVICE


@pytest.fixture
def dialog(qtbot, folder):
    def make() -> DatabaseSettingsDialog:
        d = DatabaseSettingsDialog(folder=folder)
        qtbot.addWidget(d)
        d.show()
        return d

    return make


def _no_file_holds(folder: Path, secret: str) -> bool:
    return not any(
        secret.encode("utf-8") in p.read_bytes() for p in folder.rglob("*") if p.is_file()
    )


def _fill_server(qtbot, d: DatabaseSettingsDialog, type_text, *, password: str = PASSWORD) -> None:
    qtbot.mouseClick(d.server, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(d.host, "db.trust.nhs.uk")
    d.port.setValue(6543)
    qtbot.keyClicks(d.database, "involvement")
    type_text(d.user, "siân")
    qtbot.keyClicks(d.password, password)


SERVER = ConnectionChoice(
    kind="server", host="db.trust.nhs.uk", port=6543, database="involvement", user="siân"
)


def test_the_laptop_is_the_default_and_the_server_fields_wait(
    dialog, memory_keyring, unnamed_controls
) -> None:
    d = dialog()
    assert d.laptop.isChecked()
    assert not d.server_box.isEnabled()
    assert d.port.value() == 5432
    assert d.password.echoMode() == QLineEdit.EchoMode.Password
    assert d.remember.isChecked()  # a credential store is there
    assert unnamed_controls(d) == []
    d.server.setChecked(True)
    assert d.server_box.isEnabled() and d.remember.isEnabled()


def test_every_field_has_a_keyboard_label(dialog, memory_keyring) -> None:
    from PySide6.QtWidgets import QLabel

    d = dialog()
    buddies = {label.buddy() for label in d.findChildren(QLabel) if label.buddy() is not None}
    assert {d.host, d.port, d.database, d.user, d.password} <= buddies


def test_testing_a_server_runs_in_the_background_and_shows_the_sentence(
    qtbot, dialog, memory_keyring, monkeypatch, type_text
) -> None:
    tried: list[tuple[ConnectionChoice, str | None]] = []

    def fake_test(choice: ConnectionChoice, password: str | None) -> str:
        tried.append((choice, password))
        return connection.CONNECTED_EMPTY

    monkeypatch.setattr(connection, "test_connection", fake_test)
    d = dialog()
    _fill_server(qtbot, d, type_text)
    qtbot.mouseClick(d.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.outcome.text() == connection.CONNECTED_EMPTY)
    assert d.test_button.isEnabled()
    assert tried == [(SERVER, PASSWORD)]
    assert PASSWORD not in d.outcome.text()


def test_a_failed_test_shows_the_plain_sentence(
    qtbot, dialog, memory_keyring, monkeypatch, type_text
) -> None:
    def refused(choice: ConnectionChoice, password: str | None) -> str:
        raise CoordinatorError("The server db.trust.nhs.uk (port 6543) refused the password.")

    monkeypatch.setattr(connection, "test_connection", refused)
    d = dialog()
    _fill_server(qtbot, d, type_text)
    qtbot.mouseClick(d.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(d.test_button.isEnabled)
    assert d.outcome.text() == "The server db.trust.nhs.uk (port 6543) refused the password."


def test_an_incomplete_server_is_not_tested_or_saved(
    qtbot, dialog, memory_keyring, monkeypatch, folder, questions
) -> None:
    monkeypatch.setattr(connection, "test_connection", lambda c, p: pytest.fail("tried"))
    d = dialog()
    d.show()
    d.server.setChecked(True)
    qtbot.keyClicks(d.host, "db.trust.nhs.uk")
    qtbot.mouseClick(d.test_button, Qt.MouseButton.LeftButton)
    assert "Enter the name of the database" in d.outcome.text()
    d.buttons.accepted.emit()
    assert d.isVisible() and d.saved_choice is None
    assert not folder.exists()
    assert questions.told == []


def test_ok_saves_the_choice_and_keeps_the_password_in_the_store(
    qtbot, dialog, memory_keyring, folder, questions, type_text
) -> None:
    d = dialog()
    _fill_server(qtbot, d, type_text)
    d.buttons.accepted.emit()
    assert d.result() == DatabaseSettingsDialog.DialogCode.Accepted
    assert connection.load_choice(folder) == SERVER
    assert memory_keyring.kept == {(SERVICE, SERVER.keyring_username): PASSWORD}
    assert _no_file_holds(folder, PASSWORD)
    saved = json.loads((folder / connection.CHOICE_FILENAME).read_text(encoding="utf-8"))
    assert saved["host"] == "db.trust.nhs.uk" and "password" not in saved
    assert questions.told == [
        "Saved: the app will open siân@db.trust.nhs.uk:6543/involvement the next time it starts."
    ]

    # Opened again: the fields are filled, the password is not shown but remembered.
    again = dialog()
    assert again.server.isChecked()
    assert (again.host.text(), again.port.value(), again.user.text()) == (
        "db.trust.nhs.uk",
        6543,
        "siân",
    )
    assert again.password.text() == ""
    assert again.password.placeholderText() == "remembered on this computer"


def test_a_remembered_password_is_used_for_the_test_and_kept_on_ok(
    qtbot, dialog, memory_keyring, folder, monkeypatch, questions
) -> None:
    connection.save_choice(SERVER, folder)
    memory_keyring.kept[(SERVICE, SERVER.keyring_username)] = PASSWORD
    tried: list[str | None] = []
    monkeypatch.setattr(
        connection, "test_connection", lambda c, p: tried.append(p) or connection.CONNECTED_CURRENT
    )
    d = dialog()
    qtbot.mouseClick(d.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.outcome.text() == connection.CONNECTED_CURRENT)
    assert tried == [PASSWORD]
    d.buttons.accepted.emit()
    assert memory_keyring.kept == {(SERVICE, SERVER.keyring_username): PASSWORD}


def test_switching_back_to_the_laptop_forgets_the_server_password(
    qtbot, dialog, memory_keyring, folder, questions
) -> None:
    connection.save_choice(SERVER, folder)
    memory_keyring.kept[(SERVICE, SERVER.keyring_username)] = PASSWORD
    d = dialog()
    qtbot.mouseClick(d.laptop, Qt.MouseButton.LeftButton)
    d.buttons.accepted.emit()
    assert connection.load_choice(folder).kind == "laptop"
    assert connection.load_choice(folder).host == "db.trust.nhs.uk"  # kept to switch back
    assert memory_keyring.kept == {}
    assert questions.told == [
        "Saved: the app will open the database on this laptop the next time it starts."
    ]


def test_unticking_remember_forgets_the_password(
    qtbot, dialog, memory_keyring, folder, questions
) -> None:
    connection.save_choice(SERVER, folder)
    memory_keyring.kept[(SERVICE, SERVER.keyring_username)] = PASSWORD
    d = dialog()
    d.remember.setChecked(False)
    d.buttons.accepted.emit()
    assert memory_keyring.kept == {}
    assert connection.load_choice(folder).remember_password is False
    assert "ask for the password when it starts" in questions.told[0]


def test_without_a_credential_store_the_password_is_asked_each_start(
    qtbot, dialog, no_keyring, folder, questions, type_text
) -> None:
    d = dialog()
    assert not d.remember.isChecked() and not d.remember.isEnabled()
    assert "no password store" in d.keyring_note.text()
    _fill_server(qtbot, d, type_text)
    d.buttons.accepted.emit()
    assert connection.load_choice(folder).remember_password is False
    assert _no_file_holds(folder, PASSWORD)
    assert PASSWORD not in " ".join(questions.told)


# --- the main window ------------------------------------------------------------------------


def test_the_file_menu_opens_the_dialog(qtbot, ctx, place, monkeypatch) -> None:
    from coordinator_app.ui.main_window import MainWindow

    asked: list[object] = []
    monkeypatch.setattr(DatabaseSettingsDialog, "ask", classmethod(lambda cls, p: asked.append(p)))
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    assert win.act_database.text() == "&Database…"
    file_menu = win.menuBar().actions()[0].menu()
    assert win.act_database in file_menu.actions()
    win.act_database.trigger()
    assert asked == [win]


def test_the_status_bar_shows_a_server_without_its_password() -> None:
    from coordinator_app.ui.main_window import database_shown

    url = connection.build_url(SERVER, PASSWORD)
    shown = database_shown(SimpleNamespace(db=SimpleNamespace(url=url, path=None)))
    assert shown == "siân@db.trust.nhs.uk:6543/involvement"


# --- start-up -------------------------------------------------------------------------------


def test_start_up_opens_the_laptop_database_when_nothing_is_chosen(folder) -> None:
    assert database_settings.target_at_startup(folder=folder) == (True, None)


def test_start_up_opens_a_server_that_answers(folder, memory_keyring, monkeypatch) -> None:
    connection.save_choice(SERVER, folder)
    memory_keyring.kept[(SERVICE, SERVER.keyring_username)] = PASSWORD
    checked: list[object] = []
    monkeypatch.setattr(connection, "check_server", lambda url: checked.append(url) or "ok")
    go_on, target = database_settings.target_at_startup(folder=folder)
    assert go_on and target is not None
    from sqlalchemy.engine import make_url

    assert make_url(target).password == PASSWORD
    assert len(checked) == 1


def test_start_up_asks_for_a_password_that_is_not_remembered(
    folder, memory_keyring, monkeypatch
) -> None:
    connection.save_choice(SERVER, folder)
    monkeypatch.setattr(connection, "check_server", lambda url: "ok")
    asked: list[str] = []
    monkeypatch.setattr(
        database_settings, "ask_password", lambda choice, reason: asked.append(reason) or "typed"
    )
    go_on, target = database_settings.target_at_startup(folder=folder)
    assert go_on and target is not None and ":typed@" in target
    assert asked == ["Enter the password for siân@db.trust.nhs.uk:6543/involvement."]


@pytest.mark.parametrize(
    ("laptop_instead", "expected"), [(True, (True, None)), (False, (False, None))]
)
def test_a_server_that_cannot_be_used_offers_the_laptop_or_quit(
    folder, memory_keyring, monkeypatch, laptop_instead, expected
) -> None:
    connection.save_choice(SERVER, folder)
    memory_keyring.kept[(SERVICE, SERVER.keyring_username)] = PASSWORD

    def down(url):
        raise CoordinatorError(
            "The server db.trust.nhs.uk (port 6543) is not accepting connections."
        )

    offered: list[str] = []
    monkeypatch.setattr(connection, "check_server", down)
    monkeypatch.setattr(
        database_settings,
        "offer_laptop_instead",
        lambda sentence: offered.append(sentence) or laptop_instead,
    )
    assert database_settings.target_at_startup(folder=folder) == expected
    assert offered == ["The server db.trust.nhs.uk (port 6543) is not accepting connections."]


def test_exit_after_startup_asks_nothing_and_says_why_on_stderr(
    folder, memory_keyring, monkeypatch, capsys
) -> None:
    connection.save_choice(SERVER, folder)
    monkeypatch.setattr(database_settings, "ask_password", lambda *a: pytest.fail("asked"))
    monkeypatch.setattr(database_settings, "offer_laptop_instead", lambda *a: pytest.fail("asked"))
    assert database_settings.target_at_startup(exit_after_startup=True, folder=folder) == (
        False,
        None,
    )
    err = capsys.readouterr().err
    assert err.startswith("coordinator-app: The app is set to open siân@db.trust.nhs.uk:6543")
    assert err.count("\n") == 1


def test_a_real_unreachable_server_is_explained_at_start_without_the_password(
    folder, memory_keyring, capsys
) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    choice = ConnectionChoice(**{**SERVER.__dict__, "host": "127.0.0.1", "port": port})
    connection.save_choice(choice, folder)
    memory_keyring.kept[(SERVICE, choice.keyring_username)] = PASSWORD
    assert database_settings.target_at_startup(exit_after_startup=True, folder=folder) == (
        False,
        None,
    )
    err = capsys.readouterr().err
    assert f"The server 127.0.0.1 (port {port}) is not accepting connections" in err
    assert PASSWORD not in err
