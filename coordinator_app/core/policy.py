"""Settings a trust's IT team presets for every user of a laptop (docs/it-deployment.md).

Three settings, each a preset that a coordinator's own choice still overrides (File >
Database…, Edit > Backups folder…):

- ``database``: the database a coordinator gets until they choose one: a folder (the file
  ``coordinator.db`` in it), a database file, or a server's address
  (``postgresql://USER@SERVER:5432/DATABASE``, never with a password: the app asks for it, or
  finds it in the computer's password store). Every command without ``--db`` opens it too.
- ``backups_folder``: where the rotation backups go when a coordinator has not chosen a
  folder (else ``backups`` beside the database).
- ``update_source``: where the app looks for a newer version (``core/updates.py``); nothing is
  checked when it is not set.
- ``server_tls``: how a connection to a database server on another computer is protected
  (``connection.tls_arguments``): ``require`` (the default: encrypted, ``sslmode=require``),
  ``verify-full`` (encrypted to a server whose certificate names it, checked against
  ``server_ca``) or ``off`` (the trust's own choice, e.g. a network that encrypts already).
- ``server_ca``: the certificate file of the trust's certificate authority; setting it means
  ``verify-full``.

They are read from, in order, each later one winning: ``policy.ini`` beside the installed
program (the folder of ``coordinator-app.exe``; the Inno Setup installer copies one there with
``/POLICY=``), then on Windows the registry's Policies key (``HKEY_CURRENT_USER``, then
``HKEY_LOCAL_MACHINE``, which wins, as Group Policy's machine settings do). Values may hold
environment variables (``%USERNAME%``, ``%LOCALAPPDATA%``) and ``~``.

A policy file that cannot be read, or that names a setting this app does not know (a typing
mistake would otherwise be silently ignored), is refused in one sentence naming the file:
IT's presets must never be half applied. Pitfall: this is a preset, not a lock: a coordinator
can still choose another database; the trust's own controls (folder permissions, the server's
accounts) decide what they can reach.
"""

from __future__ import annotations

import configparser
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DatabaseOpenError

FILENAME = "policy.ini"
SECTION = "Involvement Coordinator"
#: Another policy file instead of the one beside the program (for trying a policy out).
FILE_VARIABLE = "COORDINATOR_POLICY_FILE"
REGISTRY_KEY = r"SOFTWARE\Policies\InvolvementCoordinator"
#: The registry's value names and the settings they set.
REGISTRY_VALUES = {
    "Database": "database",
    "BackupsFolder": "backups_folder",
    "UpdateSource": "update_source",
    "ServerTls": "server_tls",
    "ServerCa": "server_ca",
}
SETTINGS = tuple(REGISTRY_VALUES.values())
#: What ``server_tls`` may say.
TLS_CHOICES = ("require", "verify-full", "off")


class PolicyError(DatabaseOpenError):
    """IT's policy cannot be read or holds something this app does not understand."""


@dataclass(frozen=True)
class Policy:
    database: str = ""
    backups_folder: str = ""
    update_source: str = ""
    server_tls: str = ""
    server_ca: str = ""
    #: Where each setting came from, for messages (a file's path or a registry key).
    origins: tuple[tuple[str, str], ...] = ()

    def origin(self, setting: str) -> str:
        return dict(self.origins).get(setting, "")


def installation_folder() -> Path:
    """The folder of the installed program: the bundle's, or the Python environment's."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(sys.prefix)


def policy_file() -> Path:
    chosen = os.environ.get(FILE_VARIABLE, "").strip()
    return Path(chosen) if chosen else installation_folder() / FILENAME


def expand(value: str) -> str:
    """``value`` with ``%NAME%`` and ``$NAME`` environment variables and ``~`` expanded (on
    every system, so a policy reads the same in tests as on Windows)."""

    def variable(match: re.Match[str]) -> str:
        return os.environ.get(match[1], match[0])

    return os.path.expanduser(os.path.expandvars(re.sub(r"%([^%\s]+)%", variable, value)))


def read_file(path: Path) -> dict[str, str]:
    """The settings in the policy file at ``path``; ``{}`` when there is none."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with path.open(encoding="utf-8-sig") as handle:  # Notepad may add a byte-order mark
            parser.read_file(handle)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        raise PolicyError(
            f"The policy file {path} cannot be read ({_reason(exc)}); ask your IT team."
        ) from exc
    if not parser.has_section(SECTION):
        raise PolicyError(f"The policy file {path} has no [{SECTION}] section; ask your IT team.")
    unknown = [name for name in parser[SECTION] if name not in SETTINGS]
    if unknown or len(parser.sections()) > 1:
        extra = unknown or [s for s in parser.sections() if s != SECTION]
        raise PolicyError(
            f"The policy file {path} names '{extra[0]}', which this app does not know "
            f"(it knows {', '.join(SETTINGS)}); ask your IT team."
        )
    return {name: parser[SECTION][name].strip() for name in parser[SECTION]}


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def read_registry(winreg: Any = None) -> list[tuple[str, dict[str, str]]]:
    """``[(key name, settings)]`` from the Policies key, user's first then the machine's; empty
    off Windows. ``winreg`` is the module (a stand-in in tests)."""
    if winreg is None:
        if sys.platform != "win32":
            return []
        import winreg
    found = []
    for hive, hive_name in ((winreg.HKEY_CURRENT_USER, "HKEY_CURRENT_USER"),
                            (winreg.HKEY_LOCAL_MACHINE, "HKEY_LOCAL_MACHINE")):  # fmt: skip
        settings: dict[str, str] = {}
        try:
            key = winreg.OpenKey(hive, REGISTRY_KEY)
        except OSError:  # no such key: nothing set there
            continue
        try:
            for value_name, setting in REGISTRY_VALUES.items():
                try:
                    value, kind = winreg.QueryValueEx(key, value_name)
                except OSError:
                    continue
                if kind in (winreg.REG_SZ, winreg.REG_EXPAND_SZ) and str(value).strip():
                    settings[setting] = str(value).strip()
        finally:
            winreg.CloseKey(key)
        if settings:
            found.append((f"{hive_name}\\{REGISTRY_KEY}", settings))
    return found


def load(*, winreg: Any = None) -> Policy:
    """The policy in force: the file beside the program, then the registry's (which wins)."""
    values: dict[str, str] = {}
    origins: dict[str, str] = {}
    path = policy_file()
    layers = [(str(path), read_file(path)), *read_registry(winreg)]
    for origin, settings in layers:
        for setting, value in settings.items():
            if value:
                values[setting] = expand(value)
                origins[setting] = origin
    tls = values.get("server_tls", "").strip().lower()
    if tls and tls not in TLS_CHOICES:
        raise PolicyError(
            f"The server_tls setting in {origins['server_tls']} is '{values['server_tls']}', "
            f"which this app does not know (it knows {', '.join(TLS_CHOICES)}); ask your IT team."
        )
    if tls:
        values["server_tls"] = tls
    return Policy(**values, origins=tuple(sorted(origins.items())))


def preset_database() -> str | None:
    """The database IT presets, as ``--db`` would take it (a file's path or a server's
    address); None when there is no preset. A folder becomes ``coordinator.db`` in it."""
    policy = load()
    value = policy.database
    if not value:
        return None
    if "://" in value:
        from sqlalchemy.engine import make_url

        try:
            url = make_url(value)
        except Exception as exc:  # ArgumentError, ValueError: not an address
            raise PolicyError(
                f"The database address in {policy.origin('database')} is not one this app "
                "understands; ask your IT team."
            ) from exc
        if url.password:
            raise PolicyError(
                f"The database address in {policy.origin('database')} holds a password, which "
                "a policy must never hold (everyone can read it); ask your IT team."
            )
        return value
    path = Path(value)
    if path.suffix.lower() in (".db", ".sqlite", ".sqlite3"):
        return str(path)
    from .db import DATABASE_FILENAME

    return str(path / DATABASE_FILENAME)
