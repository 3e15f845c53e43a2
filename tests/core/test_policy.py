"""Settings IT presets for every user (core/policy.py,
docs/it-deployment.md#presets-for-every-user): the database (a folder, a file or a server) and
the backups folder, from ``policy.ini`` beside the program and, on Windows, the registry's
Policies key (a stand-in ``winreg`` here: the real one exists on Windows only)."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from coordinator_app import cli
from coordinator_app.core import backup, connection, policy
from coordinator_app.core.db import DATABASE_FILENAME, open_database, resolve_url, sqlite_path


@pytest.fixture()
def policy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write a policy file and make it the one in force; returns the writer."""
    path = tmp_path / "program" / "policy.ini"
    path.parent.mkdir()
    monkeypatch.setenv(policy.FILE_VARIABLE, str(path))

    def write(**settings: str) -> Path:
        lines = ["[Involvement Coordinator]", *(f"{k} = {v}" for k, v in settings.items())]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


def test_no_policy_means_no_preset(policy_file) -> None:
    assert policy.load() == policy.Policy()
    assert policy.preset_database() is None


def test_a_folder_preset_puts_the_database_in_it(policy_file, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("USERNAME", "zoe.smith")
    policy_file(database=f"{tmp_path}/Coordinator data/%USERNAME%")
    expected = tmp_path / "Coordinator data" / "zoe.smith" / DATABASE_FILENAME
    assert policy.preset_database() == str(expected)
    assert sqlite_path(resolve_url(None)) == expected.resolve()


def test_a_command_without_db_opens_the_preset_database(policy_file, tmp_path, capsys) -> None:
    folder = tmp_path / "preset"
    policy_file(database=str(folder))
    assert cli.main(["demo", "--size", "small"]) == 0
    assert (folder / DATABASE_FILENAME).is_file()
    assert str(folder / DATABASE_FILENAME) in capsys.readouterr().out


def test_a_server_preset_is_the_choice_of_a_user_who_made_none(
    policy_file, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("USERNAME", "zoe.smith")
    policy_file(database="postgresql://%USERNAME%@trust-db.example:6543/involvement")
    choice = connection.load_choice(tmp_path / "no-choice-yet")
    assert choice.is_server
    assert (choice.host, choice.port, choice.database, choice.user) == (
        "trust-db.example", 6543, "involvement", "zoe.smith"
    )  # fmt: skip
    assert resolve_url(None).get_backend_name() == "postgresql"


def test_a_user_s_own_choice_wins_over_the_preset(policy_file, tmp_path) -> None:
    policy_file(database="postgresql://someone@trust-db.example/involvement")
    folder = tmp_path / "settings"
    connection.save_choice(connection.ConnectionChoice(), folder)
    assert not connection.load_choice(folder).is_server


def test_a_password_in_a_policy_is_refused(policy_file) -> None:
    path = policy_file(database="postgresql://zoe:secret@trust-db.example/involvement")
    with pytest.raises(policy.PolicyError, match="password") as caught:
        policy.preset_database()
    assert "secret" not in str(caught.value) and str(path) in str(caught.value)


def test_the_backups_folder_preset_applies_until_a_coordinator_chooses(
    policy_file, tmp_path
) -> None:
    preset = tmp_path / "share" / "backups"
    policy_file(backups_folder=str(preset))
    db = open_database(tmp_path / "records.db")
    try:
        assert backup.backups_folder(db) == preset
        assert backup.backups_folder(db, "") == preset  # what the dialog offers as the default
        assert backup.backups_folder(db, str(tmp_path / "mine")) == tmp_path / "mine"
    finally:
        db.dispose()


def test_a_policy_file_with_an_unknown_setting_is_refused_naming_it(policy_file) -> None:
    path = policy_file(backup_folder="D:/typo")
    with pytest.raises(policy.PolicyError, match="'backup_folder'") as caught:
        policy.load()
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    "text", ["database = D:/x\n", "[Involvement Coordinator\ndatabase = x\n", "[Other]\nx = 1\n"]
)
def test_a_policy_file_that_cannot_be_read_is_one_sentence(policy_file, text: str) -> None:
    path = policy_file()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(policy.PolicyError) as caught:
        policy.load()
    message = str(caught.value)
    assert str(path) in message and message.endswith("ask your IT team.")
    assert "\n" not in message


def test_notepad_s_byte_order_mark_is_fine(policy_file) -> None:
    path = policy_file()
    path.write_text("\ufeff[Involvement Coordinator]\nupdate_source = /srv/apps\n", "utf-8")
    assert policy.load().update_source == "/srv/apps"


class FakeRegistry(types.SimpleNamespace):
    """The parts of ``winreg`` the policy reads, over a dict of hive -> {name: (value, kind)}."""

    HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE = 1, 2
    REG_SZ, REG_EXPAND_SZ, REG_DWORD = 1, 2, 4

    def __init__(self, hives: dict[int, dict[str, tuple[object, int]]]) -> None:
        super().__init__(hives=hives, opened=[])

    def OpenKey(self, hive: int, key: str) -> int:  # winreg's own names
        assert key == policy.REGISTRY_KEY
        if hive not in self.hives:
            raise FileNotFoundError(key)
        self.opened.append(hive)
        return hive

    def QueryValueEx(self, handle: int, name: str) -> tuple[object, int]:
        try:
            return self.hives[handle][name]
        except KeyError:
            raise FileNotFoundError(name) from None

    def CloseKey(self, handle: int) -> None:
        self.opened.remove(handle)


def test_the_registry_s_policies_win_the_machine_s_over_the_user_s(
    policy_file, monkeypatch
) -> None:
    monkeypatch.setenv("LOCALAPPDATA", "/home/zoe/AppData/Local")
    policy_file(database="/from/the/file", backups_folder="/file/backups", update_source="/file")
    registry = FakeRegistry(
        {
            FakeRegistry.HKEY_CURRENT_USER: {
                "Database": ("/from/the/user/key", FakeRegistry.REG_SZ),
                "BackupsFolder": ("%LOCALAPPDATA%/Backups", FakeRegistry.REG_EXPAND_SZ),
            },
            FakeRegistry.HKEY_LOCAL_MACHINE: {
                "Database": ("/from/the/machine/key", FakeRegistry.REG_SZ),
                "UpdateSource": (7, FakeRegistry.REG_DWORD),  # not text: ignored
            },
        }
    )
    found = policy.load(winreg=registry)
    assert found.database == "/from/the/machine/key"
    assert found.origin("database").startswith("HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies")
    assert found.backups_folder == "/home/zoe/AppData/Local/Backups"
    assert found.update_source == "/file"
    assert registry.opened == []  # every key closed


def test_off_windows_the_registry_is_not_read() -> None:
    import sys

    if sys.platform == "win32":
        pytest.skip("on Windows the real registry is read")
    assert policy.read_registry() == []
