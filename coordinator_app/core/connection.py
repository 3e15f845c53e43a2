"""Which database the app opens: "This laptop" (SQLite, the default) or a trust server.

The choice (``ConnectionChoice``: kind, host, port, database, user) is kept as JSON in the user's
config folder and never holds a password. The password lives only in the operating system's
credential store (the ``keyring`` library: Windows Credential Manager, macOS Keychain, the Secret
Service on Linux) under the service ``"Involvement Coordinator"`` and the username
``user@host:port/database``, or in memory for one session when the user would rather type it at
each start (or the computer has no credential store).

Pitfalls this module guards against:

- a password must never reach a file, a log, an exception's message, a ``repr`` or the status
  bar. ``build_url`` uses ``URL.create`` (special characters need no escaping and SQLAlchemy's
  ``repr``/``str`` of a URL hide it); show a server with ``describe_url`` (``user@host/database``).
- keyring's fallback backends fail loudly (``fail.Keyring`` raises ``NoKeyringError``) or, worse,
  silently (``null.Keyring`` forgets what it is given). Both count as "no credential store":
  ``store_password`` then raises a ``CoordinatorError`` and nothing is written anywhere else.
- driver errors (psycopg, SQLAlchemy) are translated into one plain sentence; their text names
  the host and user, never the password, and is not chained onto the sentence.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy.engine import URL

from .engine import (  # noqa: F401 - also re-exported: callers import these from here
    DEFAULT_PORT,
    describe_url,
)
from .errors import CoordinatorError, DatabaseOpenError, ValidationError
from .files import atomic_write

APP_DIR_NAME = "InvolvementCoordinator"
CHOICE_FILENAME = "database.json"
KEYRING_SERVICE = "Involvement Coordinator"
CONNECT_TIMEOUT_S = 5
DRIVER = "postgresql+psycopg"

LAPTOP = "laptop"
SERVER = "server"
KINDS = (LAPTOP, SERVER)

CONNECTED_CURRENT = "Connected: schema is current."
CONNECTED_EMPTY = "Connected: an empty database; the app will set it up."
CONNECTED_OLDER = "Connected: the database is from an older version; the app will upgrade it."
CONNECTED_NEWER_WRITABLE = (
    "Connected: a newer version of the app set the database up, and this one can still use it."
)
NO_KEYRING = (
    "This computer has no password store the app can use, so the password is not remembered; "
    "the app will ask for it each time it starts."
)


class NoCredentialStoreError(CoordinatorError):
    """The computer offers no usable credential store; nothing was written anywhere."""

    def __init__(self, message: str = NO_KEYRING) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class ConnectionChoice:
    """Where the app's data is: ``kind`` "laptop" (the SQLite file) or "server" (PostgreSQL).

    Never holds a password (there is no field for one), so its ``repr`` and its JSON are safe.
    """

    kind: str = LAPTOP
    host: str = ""
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""
    #: Whether the password is kept in the credential store (else asked for at each start).
    remember_password: bool = field(default=True)

    @property
    def is_server(self) -> bool:
        return self.kind == SERVER

    @property
    def keyring_username(self) -> str:
        """The credential store's username for this server: ``user@host:port/database``."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def described(self) -> str:
        """The choice in words: "This laptop" or ``user@host/database`` (no password)."""
        if not self.is_server:
            return "This laptop"
        port = "" if self.port == DEFAULT_PORT else f":{self.port}"
        return f"{self.user}@{self.host}{port}/{self.database}"


def validate(choice: ConnectionChoice) -> ConnectionChoice:
    """The choice with spaces trimmed; ``ValidationError`` naming each missing or wrong field."""
    if choice.kind not in KINDS:
        raise ValidationError({"kind": f"'{choice.kind}' is not a kind of database I know."})
    cleaned = ConnectionChoice(
        kind=choice.kind,
        host=choice.host.strip(),
        port=int(choice.port),
        database=choice.database.strip(),
        user=choice.user.strip(),
        remember_password=bool(choice.remember_password),
    )
    if not cleaned.is_server:
        return cleaned
    problems: dict[str, str] = {}
    if not cleaned.host:
        problems["host"] = "Enter the server's name or address."
    elif any(c.isspace() for c in cleaned.host) or "/" in cleaned.host or "@" in cleaned.host:
        problems["host"] = "The server's name cannot contain spaces, '/' or '@'."
    if not 1 <= cleaned.port <= 65535:
        problems["port"] = "The port is a number from 1 to 65535 (usually 5432)."
    if not cleaned.database:
        problems["database"] = "Enter the name of the database on the server."
    if not cleaned.user:
        problems["user"] = "Enter your user name on the server."
    if problems:
        raise ValidationError(problems)
    return cleaned


# --- the choice on disk ---------------------------------------------------------------------


def config_folder() -> Path:
    """The user's config folder (local, not roaming: the credential store is per computer)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_DIR_NAME, appauthor=False, roaming=False))


def choice_path(folder: Path | None = None) -> Path:
    return (folder if folder is not None else config_folder()) / CHOICE_FILENAME


def load_choice(folder: Path | None = None) -> ConnectionChoice:
    """The saved choice; "This laptop" when there is none.

    A file that cannot be read as a choice raises ``CoordinatorError`` rather than silently
    switching a server user back to a laptop database they do not know about.
    """
    path = choice_path(folder)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return preset_choice()
    except OSError as exc:
        raise CoordinatorError(
            f"The database setting {path} cannot be read ({exc.strerror})."
        ) from exc
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise TypeError
        known = {k: data[k] for k in ConnectionChoice.__dataclass_fields__ if k in data}
        choice = ConnectionChoice(**known)
        return validate(choice)
    except (ValueError, TypeError, ValidationError) as exc:
        raise CoordinatorError(
            f"The database setting {path} is not one I understand; choose the database again "
            "in File > Database…."
        ) from exc


def preset_choice() -> ConnectionChoice:
    """The choice of a user who has made none: a server when IT presets one (``core/policy.py``;
    its password is then asked for or found in the store like any server's), else this laptop
    (whose file IT may preset too: ``db.resolve_url``)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from .policy import PolicyError, load

    policy = load()
    if "://" not in policy.database:
        return ConnectionChoice()
    try:
        url = make_url(policy.database)
        return validate(
            ConnectionChoice(
                kind=SERVER,
                host=url.host or "",
                port=url.port or DEFAULT_PORT,
                database=url.database or "",
                user=url.username or "",
            )
        )
    except (ArgumentError, ValueError, TypeError, ValidationError) as exc:
        raise PolicyError(
            f"The database address in {policy.origin('database')} is not a complete server "
            "address (postgresql://USER@SERVER:PORT/DATABASE); ask your IT team."
        ) from exc


def save_choice(choice: ConnectionChoice, folder: Path | None = None) -> Path:
    """Write the choice (validated, never a password) atomically; returns the file."""
    choice = validate(choice)
    path = choice_path(folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CoordinatorError(
            f"The folder {path.parent} cannot be created ({exc.strerror})."
        ) from exc
    text = json.dumps(asdict(choice), indent=2, sort_keys=True) + "\n"
    return atomic_write(path, lambda temp: temp.write_text(text, encoding="utf-8"))


# --- the address ----------------------------------------------------------------------------


def build_url(choice: ConnectionChoice, password: str | None) -> URL:
    """The SQLAlchemy URL of a server choice; the password only in memory.

    ``URL.create`` keeps special characters (``@ : / % #`` and spaces) safe without escaping,
    and SQLAlchemy's ``repr``/``str`` of the URL show ``***`` instead of the password.
    """
    choice = validate(choice)
    if not choice.is_server:
        raise CoordinatorError("This laptop's database has no server address.")
    return URL.create(
        DRIVER,
        username=choice.user,
        password=password or None,
        host=choice.host,
        port=choice.port,
        database=choice.database,
    )


def url_text_for_opening(url: URL) -> str:
    """The URL as text ``--db`` understands, password included: for handing straight to
    ``open_database``, never to print or log (use ``describe_url`` for that)."""
    return url.render_as_string(hide_password=False)


# --- encryption and passwords of a server address -------------------------------------------

LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1", "[::1]"})
#: sslmode values weaker than ``require`` (libpq's; the first two never encrypt for sure).
WEAK_SSLMODES = frozenset({"disable", "allow", "prefer"})
PASSWORD_IN_ADDRESS = (
    "The database address holds a password, which other users of this computer can see (in "
    "the list of running programs) and the shell's history keeps; leave it out and use "
    "PGPASSWORD, a .pgpass file or the password store instead."
)


def on_this_computer(url: URL) -> bool:
    """Whether ``url`` names a server on this computer (loopback, or a Unix socket's folder)."""
    host = (url.host or "").strip().lower()
    return host in LOCAL_HOSTS or host.startswith(("/", "@"))


def tls_arguments(url: URL) -> dict[str, str]:
    """The libpq settings that protect a connection to ``url`` (given to the driver; they win
    over the address's own and over ``PGSSLMODE``).

    A server on another computer is reached encrypted, ``sslmode=require`` at least, unless
    IT's policy says ``server_tls = off`` (``core/policy.py``); ``verify-full`` (or a
    ``server_ca`` file, which implies it) also checks the server's certificate against the
    trust's certificate authority. An address asking for less (``sslmode=disable``, ``allow``
    or ``prefer``) is refused in one sentence (``DatabaseOpenError``) rather than quietly
    upgraded or obeyed. A server on this computer is left as the address says.
    """
    from .policy import load

    if url.get_backend_name() != "postgresql" or on_this_computer(url):
        return {}
    policy = load()
    wanted = policy.server_tls or ("verify-full" if policy.server_ca else "require")
    if wanted == "off":
        return {}
    asked = str(url.query.get("sslmode") or "").strip().lower()
    if asked in WEAK_SSLMODES:
        raise DatabaseOpenError(
            f"The address of {url.host} asks for sslmode={asked}, but a server on another "
            "computer is only reached encrypted (sslmode=require or stricter) unless your "
            "trust's IT policy turns that off; remove sslmode from the address."
        )
    arguments: dict[str, str] = {}
    if wanted == "verify-full":
        arguments["sslmode"] = "verify-full"
        if policy.server_ca:
            arguments["sslrootcert"] = policy.server_ca
    elif asked not in ("require", "verify-ca", "verify-full"):
        arguments["sslmode"] = "require"
    return arguments


#: ``ask(prompt) -> password or None`` (None: nothing typed).
PasswordAsker = Callable[[str], "str | None"]


def complete_url(
    url: URL,
    *,
    ask: PasswordAsker | None = None,
    warn: Callable[[str], None] | None = None,
) -> URL:
    """``url`` with the password it needs, found without it ever being on a command line.

    In this order: a password in the address itself (used, and ``warn`` is told
    ``PASSWORD_IN_ADDRESS``); ``PGPASSWORD``; a ``.pgpass`` file (both read by libpq itself:
    the address is tried without a password first, which also covers a server that asks for
    none); the system's password store (the entry File > Database… keeps for
    ``user@host:port/database``); ``ask`` (a prompt on a terminal). Without any, the address
    is returned as it was, and opening it says in one sentence that no password was given.
    The password is only ever in the returned URL, in memory: never shown or logged.
    """
    if url.get_backend_name() != "postgresql":
        return url
    if url.password:
        if warn is not None:
            warn(PASSWORD_IN_ADDRESS)
        return url
    import os

    if os.environ.get("PGPASSWORD"):
        return url
    if not _needs_password(url):
        return url
    choice = choice_from_url(url)
    try:
        kept = load_password(choice)
    except CoordinatorError:
        kept = None
    if kept:
        return url.set(password=kept)
    if ask is not None:
        typed = ask(f"Password for {choice.described()}: ")
        if typed:
            return url.set(password=typed)
    return url


def _needs_password(url: URL) -> bool:
    """Whether the server asks ``url``'s user for a password libpq cannot find (no
    ``PGPASSWORD``, no matching ``.pgpass`` line). Any other failure (down, refused, no such
    database) is False: opening says it in its own sentence."""
    try:
        import psycopg
    except ImportError:
        return False
    query = {k: str(v) for k, v in url.query.items() if isinstance(v, str)}
    arguments = {
        **query,
        **tls_arguments(url),
        "host": url.host or "",
        "dbname": url.database or "",
        "user": url.username or "",
        "connect_timeout": str(CONNECT_TIMEOUT_S),
    }
    if url.port:
        arguments["port"] = str(url.port)
    try:
        conninfo = psycopg.conninfo.make_conninfo(**{k: v for k, v in arguments.items() if v})
        psycopg.connect(conninfo).close()
    except psycopg.OperationalError as exc:
        message = str(exc).lower()
        return "no password supplied" in message or "password is required" in message
    return False


# --- testing a connection -------------------------------------------------------------------


def test_connection(choice: ConnectionChoice, password: str | None) -> str:
    """Connect to the server, read the schema revision and say what was found in one sentence.

    Returns ``CONNECTED_CURRENT``, ``CONNECTED_EMPTY`` or ``CONNECTED_OLDER``. Raises
    ``CoordinatorError`` with one plain sentence for a refused password, an unknown user or
    database, a server that cannot be found or reached (within ``CONNECT_TIMEOUT_S``), another
    program's tables, or a schema written by a newer version of the app. Writes nothing.
    """
    return check_server(build_url(validate(choice), password))


#: Named like a test, but it is not one: keep pytest from collecting it where it is imported.
test_connection.__test__ = False  # type: ignore[attr-defined]


def check_server(url: URL) -> str:
    """``test_connection`` for a URL already built (start-up checks the configured server)."""
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.exc import DBAPIError, NoSuchModuleError
    from sqlalchemy.pool import NullPool

    from . import compat
    from .migrations import HEAD, REVISIONS

    choice = choice_from_url(url)
    try:
        engine = create_engine(
            url,
            poolclass=NullPool,
            hide_parameters=True,
            # libpq's own timeout; other back ends (SQLite in tests) take no such argument.
            connect_args=(
                {"connect_timeout": CONNECT_TIMEOUT_S, **tls_arguments(url)}
                if url.get_backend_name() == "postgresql"
                else {}
            ),
        )
    except (NoSuchModuleError, ModuleNotFoundError):
        raise CoordinatorError(
            "This copy of the app cannot talk to PostgreSQL servers (the psycopg driver is "
            "missing); please reinstall it."
        ) from None
    try:
        with engine.connect() as conn:
            inspector = inspect(conn)
            if inspector.has_table("alembic_version"):
                row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
                revision = None if row is None else str(row[0])
            else:
                revision = None
            if revision is None and inspector.get_table_names():
                raise CoordinatorError(
                    f"The database {choice.database} on {choice.host} holds another program's "
                    "tables, not Involvement Coordinator data."
                )
            known = revision is None or revision in REVISIONS
            needed = None if known else compat.recorded(conn, str(revision))
    except DBAPIError as exc:
        raise CoordinatorError(explain_connection_error(exc.orig or exc, choice)) from None
    except OSError as exc:  # name resolution and sockets, should the driver let them through
        raise CoordinatorError(explain_connection_error(exc, choice)) from None
    finally:
        engine.dispose()
    if revision is None:
        return CONNECTED_EMPTY
    if revision == HEAD:
        return CONNECTED_CURRENT
    if revision in REVISIONS:
        return CONNECTED_OLDER
    if compat.may_write(needed):
        return CONNECTED_NEWER_WRITABLE
    raise CoordinatorError(
        compat.refusal(f"The database {choice.database} on {choice.host}", revision, needed)
    )


def choice_from_url(url: URL) -> ConnectionChoice:
    """The server choice a URL stands for (no password: a choice never holds one)."""
    return ConnectionChoice(
        kind=SERVER,
        host=url.host or "localhost",
        port=url.port or DEFAULT_PORT,
        database=url.database or "",
        user=url.username or "",
    )


def explain_connection_error(error: BaseException, choice: ConnectionChoice) -> str:
    """One plain sentence for a failed connection (driver messages are English on the client
    side; a server speaking another language falls through to the general sentence)."""
    message = str(error).strip()
    lowered = message.lower()
    where = f"{choice.host} (port {choice.port})"
    if "no password supplied" in lowered:
        return (
            f"The server {where} wants a password for {choice.user} and none was found: set "
            "PGPASSWORD, add it to a .pgpass file, keep it in the password store (File > "
            "Database… in the app) or run the command on a terminal to be asked."
        )
    if "password authentication failed" in lowered:
        return (
            f"The server {where} refused the user name or password for {choice.user}; check "
            "them and try again."
        )
    if "role" in lowered and "does not exist" in lowered:
        return f"The server {where} has no user called {choice.user}."
    if "database" in lowered and "does not exist" in lowered:
        return (
            f"The server {where} has no database called {choice.database}; check its name "
            "with your IT team."
        )
    if (
        "resolve host" in lowered
        or "could not translate host name" in lowered
        or "name or service not known" in lowered
        or "nodename nor servname" in lowered
        or "no such host" in lowered
    ):
        return f"No server called {choice.host} could be found; check the name for typing errors."
    if "connection refused" in lowered:
        return (
            f"The server {where} is not accepting connections: it may be down, or the port may "
            "be wrong."
        )
    if "timeout" in lowered or "timed out" in lowered:
        return (
            f"The server {where} did not answer within {CONNECT_TIMEOUT_S} seconds: check the "
            "network (and VPN) and the server's name."
        )
    if "no pg_hba.conf entry" in lowered or "not allowed" in lowered:
        return f"The server {where} does not allow this computer or user to connect."
    first = _first_line(message) or type(error).__name__
    return f"The server {where} could not be used ({first})."


def _first_line(message: str) -> str:
    for line in message.splitlines():
        line = line.strip()
        if line:
            # psycopg prefixes: 'connection failed: connection to server at "h", port p failed:'
            return line.rsplit("failed:", 1)[-1].strip().removeprefix("FATAL:").strip()
    return ""


# --- the credential store -------------------------------------------------------------------


def keyring_available() -> bool:
    """Whether a real credential store is there (not keyring's fail or null stand-ins)."""
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:
        return False
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return False
    try:
        return float(backend.priority) > 0  # type: ignore[attr-defined]
    except Exception:
        return True


def store_password(choice: ConnectionChoice, password: str) -> None:
    """Keep the password in the credential store; ``NoCredentialStoreError`` when there is none
    (nothing is then written anywhere: the app asks at each start instead)."""
    if not keyring_available():
        raise NoCredentialStoreError()
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, choice.keyring_username, password)
        kept = keyring.get_password(KEYRING_SERVICE, choice.keyring_username)
    except Exception as exc:  # keyring errors and the platform's own (dbus, Windows)
        raise NoCredentialStoreError(
            "The password could not be kept in this computer's password store "
            f"({type(exc).__name__}); the app will ask for it each time it starts."
        ) from None
    if kept != password:
        raise NoCredentialStoreError(
            "This computer's password store did not keep the password; the app will ask for it "
            "each time it starts."
        )


def load_password(choice: ConnectionChoice) -> str | None:
    """The remembered password, or None when none is kept; ``NoCredentialStoreError`` when the
    computer has no credential store (or it is locked and the user would not unlock it)."""
    if not keyring_available():
        raise NoCredentialStoreError()
    import keyring

    try:
        return keyring.get_password(KEYRING_SERVICE, choice.keyring_username)
    except Exception as exc:
        raise NoCredentialStoreError(
            "This computer's password store could not be read "
            f"({type(exc).__name__}); the app will ask for the password."
        ) from None


def forget_password(choice: ConnectionChoice) -> None:
    """Remove a remembered password; nothing to forget (or no store) is not an error."""
    if not keyring_available():
        return
    import keyring
    from keyring.errors import PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, choice.keyring_username)
    except PasswordDeleteError:
        return
    except Exception as exc:
        raise CoordinatorError(
            "The remembered password could not be removed from this computer's password store "
            f"({type(exc).__name__})."
        ) from None


# --- start-up -------------------------------------------------------------------------------

#: ``prompt(choice, reason) -> password or None`` (None: the user would rather not go on).
PasswordPrompt = Callable[[ConnectionChoice, str], "str | None"]


def configured_target(
    password_prompt: PasswordPrompt | None, *, folder: Path | None = None
) -> URL | None:
    """What the app opens when no ``--db`` was given: None for this laptop's database (the
    default SQLite file), else the server's URL with its password (from the credential store,
    or from ``password_prompt`` with a sentence saying why it is asked).

    Raises ``CoordinatorError`` when the saved choice cannot be read, or when a password is
    needed and there is no prompt (``--exit-after-startup``) or the user cancelled it.
    """
    choice = load_choice(folder)
    if not choice.is_server:
        return None
    password: str | None = None
    reason = f"Enter the password for {choice.described()}."
    if choice.remember_password:
        try:
            password = load_password(choice)
        except NoCredentialStoreError as exc:
            reason = f"{exc} {reason}"
    if password is None:
        if password_prompt is None:
            raise CoordinatorError(
                f"The app is set to open {choice.described()}, and no password is remembered "
                "for it on this computer."
            )
        password = password_prompt(choice, reason)
        if password is None:
            raise CoordinatorError(f"No password was given for {choice.described()}.")
    return build_url(choice, password)
