"""Who may see what on a trust server: each person's own PostgreSQL login, and the access table
the server's row-level security reads (docs/engineering-notes.md#access-on-a-trust-server).

A login has one role:

- **coordinator**: reads and writes the personal records (participants, registers, payments,
  notes, free text) of their own localities, and sees a participant of another locality only
  when that person is on a register, a payment or an improvement project of theirs (and then
  cannot change the person's record);
- **engagement group**: reads every locality's figures and what the monthly return is made
  of, no contact detail, note or name (column privileges), and writes nothing personal;
- **administrator**: keeps logins, localities, access and the trust's settings; reads the
  figures as the engagement group does.

The server enforces all of it (migration 0005); this module keeps the access tables and the
logins in step, in one transaction each (PostgreSQL's CREATE ROLE, GRANT and DROP ROLE are
transactional, so a failure leaves neither half done).

Pitfalls:

- **Passwords never travel as text.** A new or changed password is turned into a SCRAM-SHA-256
  verifier on this computer (libpq's ``PQencryptPasswordConn``) and only the verifier is sent,
  so the server's statement log, if on, holds no password. Nothing here logs or prints one.
- **"Must change" is the app's, and the server's gate.** PostgreSQL has no such flag: ``access
  add`` marks the login, the app asks for a new password at the next sign-in (``ALTER ROLE
  CURRENT_USER``, which any login may do to itself) and clears the mark; until then the
  policies show the login nothing personal. A person who changes it with another client and
  then clears the mark by calling ``involvement_password_changed()`` is not stopped, and a
  person could call that function without changing the password at all: the server cannot
  tell one password from another.
- **Roles are the cluster's, access is the database's.** The three group roles and every login
  are shared by all databases on the server; which localities a login sees is in this
  database's tables, so a login with no row here sees nothing personal here.
- **An administrator has CREATEROLE** (a role attribute, never inherited, so ``access add``
  gives it to the login itself). On PostgreSQL 15 that lets it manage every role that is not a
  superuser, the database owner's included: give it only to people trusted with the server.
- On SQLite every function here raises ``NotOnServerError`` (one laptop, one coordinator).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import delete, insert, select, text
from sqlalchemy.exc import DBAPIError

from . import audit, schema
from .errors import (
    AccessDeniedError,
    CoordinatorError,
    NotFoundError,
    NotOnServerError,
    ValidationError,
)
from .vocab import AccessRole, AuditOperation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .db import Database

#: The PostgreSQL group role of each access role (migration 0005 creates them).
GROUP_ROLES: dict[AccessRole, str] = {
    AccessRole.COORDINATOR: "involvement_coordinator",
    AccessRole.ENGAGEMENT_GROUP: "involvement_engagement_group",
    AccessRole.ADMINISTRATOR: "involvement_administrator",
}
#: The shortest password accepted for a login (length over complexity, as the NCSC advises).
MIN_PASSWORD_LENGTH = 12
#: A login name: letters, digits, ``_ . -``, starting with a letter; PostgreSQL keeps 63 bytes.
LOGIN_PATTERN = re.compile(r"[a-z][a-z0-9_.-]{0,62}")


class Access(NamedTuple):
    """One login's entry in the access table."""

    login: str
    role: AccessRole
    #: The names of the localities a coordinator sees (empty for the other roles).
    localities: tuple[str, ...]
    must_change_password: bool

    def described(self) -> str:
        """ "coordinator: Rugby, Nuneaton", "engagement group", "administrator"."""
        role = self.role.label.lower()
        if self.role is AccessRole.COORDINATOR:
            return f"{role}: {', '.join(self.localities) or 'no localities'}"
        return role


class SignedIn(NamedTuple):
    """Who the app is connected as (the status bar, Help > About, the audit)."""

    login: str
    #: None when the login is not in the access table (the database owner, the trust's DBA).
    access: Access | None
    #: The database owner or a superuser: the server's row-level security does not apply.
    sees_everything: bool

    def described(self) -> str:
        """ "rugby.coordinator (coordinator: Rugby)", or "dba (owner: sees everything)"."""
        if self.access is not None:
            return f"{self.login} ({self.access.described()})"
        if self.sees_everything:
            return f"{self.login} (database owner: sees everything)"
        return f"{self.login} (no access set up in this database)"


# --- checks ---------------------------------------------------------------------------------


def require_server(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        raise NotOnServerError()


def check_login(login: str) -> str:
    """``login`` trimmed; ``ValidationError`` when it is not a name this app makes logins of."""
    cleaned = (login or "").strip()
    if not LOGIN_PATTERN.fullmatch(cleaned):
        raise ValidationError(
            {
                "login": f"'{cleaned}' is not a login name this app accepts: use lower-case "
                "letters, digits, '_', '.' or '-', starting with a letter, at most 63 characters."
            }
        )
    if cleaned.startswith("pg_") or cleaned in GROUP_ROLES.values():
        raise ValidationError({"login": f"'{cleaned}' is a name the server keeps for itself."})
    return cleaned


def check_password(password: str, login: str) -> str:
    """The password as given; ``ValidationError`` when it is too short or is the login."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            {"password": f"A password needs at least {MIN_PASSWORD_LENGTH} characters."}
        )
    if password.strip().casefold() == login.casefold():
        raise ValidationError({"password": "A password cannot be the login name."})
    if "\x00" in password or "\n" in password or "\r" in password:
        raise ValidationError({"password": "A password cannot hold a line break."})
    return password


def _quoted(login: str) -> str:
    """A checked login as an SQL identifier (``check_login`` allows no double quote)."""
    return '"' + check_login(login) + '"'


def _verifier(session: Session, login: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, made on this computer, as an SQL literal.

    The verifier is ``SCRAM-SHA-256$<iterations>:<salt>$<key>:<key>`` in base64: no quote can
    be in it, which is checked anyway."""
    raw = session.connection().connection.dbapi_connection
    pgconn = raw.pgconn  # type: ignore[union-attr]
    secret = pgconn.encrypt_password(
        password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256"
    ).decode("ascii")
    if not secret.startswith("SCRAM-SHA-256$") or "'" in secret or "\\" in secret:
        raise CoordinatorError("The password could not be prepared for the server.")
    return f"'{secret}'"


def _run_with_secret(session: Session, sql: str, what: str) -> None:
    """Run a statement that carries a password verifier (CREATE or ALTER ROLE ... PASSWORD):
    as the driver's own SQL (a verifier has ':' in it, which ``text()`` would take for a
    parameter), and never letting the statement reach an error message or the log."""
    who = signed_in_login_of(session)  # (asked first: a failed statement ends the transaction)
    try:
        session.connection().exec_driver_sql(sql)
    except DBAPIError as exc:
        if _denied(exc):
            raise AccessDeniedError(
                f"The server did not let the login {who} {what}, so nothing was changed."
            ) from None
        reason = (
            getattr(getattr(exc.orig, "diag", None), "message_primary", None)
            or type(exc.orig).__name__
        )
        raise CoordinatorError(f"The server refused to {what} ({reason}).") from None


def signed_in_login_of(session: Session) -> str:
    return str(session.execute(text("SELECT session_user")).scalar() or "")


def _denied(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) == "42501"


def _locality_ids(session: Session, names: Iterable[str]) -> list[tuple[uuid.UUID, str]]:
    """The localities named (any case); ``ValidationError`` naming the unknown ones and the
    known ones."""
    known = {
        str(name).casefold(): (locality_id, str(name))
        for locality_id, name in session.execute(
            select(schema.localities.c.id, schema.localities.c.name)
        )
    }
    found: list[tuple[uuid.UUID, str]] = []
    unknown: list[str] = []
    for name in names:
        key = " ".join(str(name).split()).casefold()
        if key in known:
            if known[key] not in found:
                found.append(known[key])
        else:
            unknown.append(str(name))
    if unknown:
        listed = ", ".join(sorted(n for _, n in known.values())) or "none are set up"
        raise ValidationError(
            {
                "localities": f"There is no locality called '{unknown[0]}' (the localities: "
                f"{listed})."
            }
        )
    return found


def _role_exists(session: Session, login: str) -> bool:
    return bool(
        session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}).first()
    )


def _entry(session: Session, login: str) -> Any:
    t = schema.access_logins.c
    return session.execute(select(schema.access_logins).where(t.login == login)).first()


def _check_role_and_localities(role: AccessRole, localities: Sequence[str]) -> None:
    if role is AccessRole.COORDINATOR and not localities:
        raise ValidationError(
            {"localities": "A coordinator needs at least one locality (--locality NAME)."}
        )
    if role is not AccessRole.COORDINATOR and localities:
        raise ValidationError(
            {
                "localities": f"Only a coordinator has localities; an {role.label.lower()} sees "
                "every locality's figures."
            }
        )


# --- keeping access -------------------------------------------------------------------------


def add_login(
    db: Database,
    login: str,
    role: AccessRole,
    password: str,
    *,
    localities: Sequence[str] = (),
) -> Access:
    """Create the server login ``login`` with its first ``password`` (which the person must
    change at the next sign-in), make it a member of ``role``'s group role and record its
    access, all in one transaction; returns the entry.

    Refused in one sentence, with nothing changed: a database on SQLite (``NotOnServerError``);
    a bad login name, a short password, a coordinator without localities or another role with
    some, an unknown locality, a login already in the table or already on the server
    (``ValidationError``); a signed-in login that may not create logins (``AccessDeniedError``).
    """
    require_server(db)
    login = check_login(login)
    role = AccessRole(role)
    check_password(password, login)
    _check_role_and_localities(role, localities)
    try:
        with db.transaction() as session:
            chosen = _locality_ids(session, localities)
            if _entry(session, login) is not None:
                raise ValidationError(
                    {"login": f"{login} already has access; change it with 'access set'."}
                )
            if _role_exists(session, login):
                raise ValidationError(
                    {
                        "login": f"A login called {login} already exists on the server (perhaps "
                        "for something else), so it was not given access; choose another name."
                    }
                )
            extra = " CREATEROLE" if role is AccessRole.ADMINISTRATOR else ""
            verifier = _verifier(session, login, password)
            _run_with_secret(
                session,
                f"CREATE ROLE {_quoted(login)} LOGIN{extra} PASSWORD {verifier}",
                "create logins (an administrator or the database owner can)",
            )
            session.execute(text(f"GRANT {GROUP_ROLES[role]} TO {_quoted(login)}"))
            login_id = uuid.uuid4()
            session.execute(
                insert(schema.access_logins).values(
                    id=login_id, login=login, role=role, must_change_password=True
                )
            )
            for locality_id, _name in chosen:
                session.execute(
                    insert(schema.access_localities).values(
                        login_id=login_id, locality_id=locality_id
                    )
                )
            entry = Access(login, role, tuple(sorted(n for _, n in chosen)), True)
            audit.record(
                session,
                AuditOperation.CREATE,
                "access",
                login_id,
                f"Access added: {login}, {entry.described()}",
            )
            return entry
    except DBAPIError as exc:
        if _denied(exc):
            raise AccessDeniedError(
                f"The login {signed_in_login(db)} may not create logins; an administrator or "
                "the database owner can."
            ) from None
        raise


def set_localities(db: Database, login: str, localities: Sequence[str]) -> Access:
    """Replace the localities of the coordinator ``login``; returns the entry.

    Refused in one sentence, nothing changed: no such login in the access table
    (``NotFoundError``), a login that is not a coordinator, no locality or an unknown one
    (``ValidationError``), a signed-in login that may not change access (``AccessDeniedError``).
    """
    require_server(db)
    login = check_login(login)
    try:
        with db.transaction() as session:
            row = _entry(session, login)
            if row is None:
                raise NotFoundError(f"{login} has no access in this database.")
            role = AccessRole(row.role)
            if role is not AccessRole.COORDINATOR:
                raise ValidationError(
                    {"localities": f"{login} is an {role.label.lower()}, who has no localities."}
                )
            _check_role_and_localities(role, localities)
            chosen = _locality_ids(session, localities)
            session.execute(
                delete(schema.access_localities).where(
                    schema.access_localities.c.login_id == row.id
                )
            )
            for locality_id, _name in chosen:
                session.execute(
                    insert(schema.access_localities).values(
                        login_id=row.id, locality_id=locality_id
                    )
                )
            entry = Access(
                login, role, tuple(sorted(n for _, n in chosen)), row.must_change_password
            )
            audit.record(
                session,
                AuditOperation.UPDATE,
                "access",
                row.id,
                f"Access changed: {login}, {entry.described()}",
            )
            return entry
    except DBAPIError as exc:
        if _denied(exc):
            raise AccessDeniedError(
                f"The login {signed_in_login(db)} may not change access; an administrator or "
                "the database owner can."
            ) from None
        raise


def remove_login(db: Database, login: str) -> bool:
    """Take ``login``'s access away and drop the login from the server, in one transaction.
    Returns False when the login is kept on the server (it owns something or has privileges
    elsewhere there: it is then made unable to log in, NOLOGIN, instead).

    Refused in one sentence, nothing changed: no such login in the access table
    (``NotFoundError``), the signed-in login itself (``ValidationError``), a login that may not
    change access (``AccessDeniedError``).
    """
    require_server(db)
    login = check_login(login)
    if login == signed_in_login(db):
        raise ValidationError(
            {
                "login": f"{login} is the login you are signed in as; another administrator can "
                "remove it."
            }
        )
    try:
        with db.transaction() as session:
            row = _entry(session, login)
            if row is None:
                raise NotFoundError(f"{login} has no access in this database.")
            session.execute(delete(schema.access_logins).where(schema.access_logins.c.id == row.id))
            audit.record(
                session, AuditOperation.DELETE, "access", row.id, f"Access removed: {login}"
            )
            dropped = True
            if _role_exists(session, login):
                for group in GROUP_ROLES.values():
                    if _member_of(session, login, group):
                        session.execute(text(f"REVOKE {group} FROM {_quoted(login)}"))
                try:
                    with session.begin_nested():
                        session.execute(text(f"DROP ROLE {_quoted(login)}"))
                except DBAPIError as exc:
                    if _denied(exc):
                        raise
                    session.execute(text(f"ALTER ROLE {_quoted(login)} NOLOGIN"))
                    dropped = False
            return dropped
    except DBAPIError as exc:
        if _denied(exc):
            raise AccessDeniedError(
                f"The login {signed_in_login(db)} may not remove logins; an administrator or "
                "the database owner can."
            ) from None
        raise


def _member_of(session: Session, login: str, group: str) -> bool:
    return bool(
        session.execute(
            text(
                "SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
                "JOIN pg_roles u ON u.oid = m.member WHERE r.rolname = :g AND u.rolname = :u"
            ),
            {"g": group, "u": login},
        ).first()
    )


def list_access(db: Database) -> list[Access]:
    """Every login in the access table, by name (an administrator or the owner sees them all;
    any other login only itself)."""
    require_server(db)
    with db.reading() as conn:
        return _read_access(conn)


def _read_access(conn: Any, login: str | None = None) -> list[Access]:
    a, al, loc = schema.access_logins.c, schema.access_localities.c, schema.localities.c
    stmt = select(a.id, a.login, a.role, a.must_change_password).order_by(a.login)
    if login is not None:
        stmt = stmt.where(a.login == login)
    rows = conn.execute(stmt).all()
    names: dict[uuid.UUID, list[str]] = {}
    for login_id, name in conn.execute(
        select(al.login_id, loc.name).join(
            schema.localities, schema.localities.c.id == al.locality_id
        )
    ):
        names.setdefault(login_id, []).append(str(name))
    return [
        Access(
            str(row.login),
            AccessRole(row.role),
            tuple(sorted(names.get(row.id, []))),
            bool(row.must_change_password),
        )
        for row in rows
    ]


# --- the signed-in login --------------------------------------------------------------------


def signed_in_login(db: Database) -> str:
    """The server login the app is connected as (``session_user``); "" on SQLite."""
    if db.engine.dialect.name != "postgresql":
        return ""
    with db.reading() as conn:
        return str(conn.execute(text("SELECT session_user")).scalar() or "")


def signed_in(db: Database) -> SignedIn | None:
    """Who the app is connected as, with their access; None on SQLite."""
    if db.engine.dialect.name != "postgresql":
        return None
    with db.reading() as conn:
        login = str(conn.execute(text("SELECT session_user")).scalar() or "")
        entries = _read_access(conn, login)
        everything = bool(
            conn.execute(
                text(
                    "SELECT r.rolsuper OR r.rolbypassrls OR pg_has_role(session_user, "
                    "t.tableowner, 'USAGE') FROM pg_roles r, pg_tables t WHERE r.rolname = "
                    "session_user AND t.tablename = 'participants' AND t.schemaname = "
                    "current_schema()"
                )
            ).scalar()
        )
    return SignedIn(login, entries[0] if entries else None, everything)


def my_localities(session: Session) -> list[uuid.UUID]:
    """The localities of the signed-in coordinator (none for any other login, the owner's
    included), as the server's policies see them."""
    return list(session.execute(text("SELECT involvement_my_localities()")).scalars())


def change_own_password(db: Database, new_password: str) -> None:
    """Set the signed-in login's password (the first one given by ``access add``, or any later
    one) and clear its "must change" mark, in one transaction. ``ValidationError`` for a short
    password; the server's refusal is one sentence. The caller keeps the new password in the
    credential store if the person asked it to.

    ``db`` then connects with the new password: its engine is replaced by one whose address
    holds it (in memory only), since the old password, wherever it came from (the address,
    PGPASSWORD, .pgpass, the store), no longer opens a connection. Pitfall: a session or
    connection still open on the old engine is not moved; call this with none open."""
    from .db import make_engine

    require_server(db)
    login = signed_in_login(db)
    check_password(new_password, login)
    with db.transaction() as session:
        verifier = _verifier(session, login, new_password)
        _run_with_secret(
            session, f"ALTER ROLE CURRENT_USER PASSWORD {verifier}", "change its own password"
        )
        if _entry(session, login) is not None:
            session.execute(text("SELECT involvement_password_changed()"))
    old = db.engine
    db.url = db.url.set(password=new_password)
    db.engine = make_engine(db.url)
    db._sessions = None
    old.dispose()
