"""Access on a trust server (issue #26, docs/engineering-notes.md#access-on-a-trust-server): each
person their own login, and the server itself keeping each one to what their role needs.

The proof is plain SQL, not the app: a Rugby coordinator, a Coventry coordinator and an
engagement-group login are added with the command line, then each connects with its own
password and queries the tables directly. Rugby sees Rugby's people and a Coventry person who
came to Rugby's forum, never one who only attended Coventry's; it cannot change Coventry's
records; the engagement-group login reads no e-mail address, phone number, note or name, yet
``export-return`` works under it for any locality and gives the same return as the owner's.

Every test here needs a PostgreSQL server (``COORDINATOR_TEST_PG_URL``; ``.ci/run`` starts one)
and is skipped with that reason without one, except the SQLite ones at the end. The logins are
roles of the whole cluster: each test makes its own, with a unique prefix, and drops them.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from coordinator_app.cli import EXIT_NOT_FOR_THIS_DATABASE, main
from coordinator_app.core import access, actions, meetings, people
from coordinator_app.core.connection import PASSWORD_IN_ADDRESS as PASSWORD_WARNING
from coordinator_app.core.db import Database, open_database
from coordinator_app.core.errors import (
    NOT_ON_SERVER,
    AccessDeniedError,
    NotFoundError,
    ValidationError,
)
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import (
    AccessRole,
    ActionLevel,
    AttendanceStatus,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingStatus,
    PaymentStatus,
)

NEEDS_SERVER = "needs a PostgreSQL server: set COORDINATOR_TEST_PG_URL (.ci/run starts one)"
FIRST = "first password 1234"
CHANGED = "a new passphrase of mine"
MONTH = "2026-03"


@dataclass
class Trust:
    """A server database with Rugby and Coventry, their people, and logins made per test."""

    target: str  # the owner's address (no password: PGPASSWORD)
    owner: Database
    prefix: str
    ids: dict[str, uuid.UUID]
    made: list[str]

    def login(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    def url(self, login: str, password: str | None = None) -> URL:
        url = make_url(self.target).set(username=login)
        return url.set(password=password) if password else url

    def plain(self, login: str, password: str = CHANGED) -> Any:
        """An engine of the login's own, for plain SQL (no app code in between)."""
        return create_engine(self.url(login, password), poolclass=NullPool)

    def app(self, login: str, password: str = CHANGED) -> Database:
        return open_database(self.url(login, password).render_as_string(hide_password=False))

    def add(self, name: str, *options: str, password: str = FIRST) -> int:
        """``coordinator-app --db URL access add LOGIN OPTIONS``, the password on stdin."""
        login = self.login(name)
        self.made.append(login)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdin", io.StringIO(password + "\n"))
            return main(["--db", self.target, "access", "add", login, *options])

    def signed_up(self, name: str, *options: str) -> str:
        """Add the login, then sign in once through the app to change the first password."""
        assert self.add(name, *options) == 0
        login = self.login(name)
        db = self.app(login, FIRST)
        try:
            access.change_own_password(db, CHANGED)
        finally:
            db.dispose()
        return login


@pytest.fixture
def trust(pg_server, fresh_db_target: str) -> Iterator[Trust]:
    if pg_server is None:
        pytest.skip(NEEDS_SERVER)
    owner = open_database(fresh_db_target)
    ids = _fill(owner)
    found = Trust(fresh_db_target, owner, f"t{uuid.uuid4().hex[:10]}", ids, [])
    yield found
    owner.dispose()
    admin = create_engine(pg_server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for login in found.made:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :u"),
                {"u": login},
            )
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
    admin.dispose()


def _fill(db: Database) -> dict[str, uuid.UUID]:
    """Rugby's and Coventry's forums, a held meeting each in March 2026, and four people:

    - Ruby (Rugby), at Rugby's meeting, paid;
    - Vic (Coventry), at Rugby's meeting and Coventry's: Rugby sees Vic through the register;
    - Cora (Coventry), at Coventry's meeting only, and named in Rugby's experience item;
    - Nell (no locality), at Coventry's meeting only.
    """
    complete_first_run(
        db, trust_name="Test Trust", coordinator_name="Siân Evans", localities=["Rugby", "Coventry"]
    )
    loc = {row.name: row.id for row in meetings.list_localities(db)}
    ids: dict[str, uuid.UUID] = {"rugby": loc["Rugby"], "coventry": loc["Coventry"]}
    for place in ("rugby", "coventry"):
        forum = meetings.create_forum(
            db, locality_id=ids[place], name=f"{place.title()} Forum", kind=ForumKind.LOCALITY_FORUM
        )
        ids[f"{place}_meeting"] = meetings.create_meeting(
            db,
            meetings.MeetingInput(
                forum_id=forum,
                meeting_date=date(2026, 3, 10),
                status=MeetingStatus.HELD,
                notes=f"{place} meeting notes",
            ),
        )
    people_made = {
        "ruby": ("Ruby Rugbeian", Category.SERVICE_USER, ids["rugby"]),
        "vic": ("Vic Visitor", Category.SERVICE_USER, ids["coventry"]),
        "cora": ("Cora Quenby", Category.CARER, ids["coventry"]),
        "nell": ("Nell Nowhere", Category.CARER, None),
    }
    for key, (name, category, locality) in people_made.items():
        ids[key] = people.create_participant(
            db,
            people.ParticipantInput(
                name=name,
                category=category,
                locality_id=locality,
                email=f"{key}@example.org",
                phone="07700 900123",
                consent_to_contact=True,
                notes=f"{key}'s private note",
                also_known_as=f"{key.title()}ster",
            ),
        )
    for key, place in (("ruby", "rugby"), ("vic", "rugby"), ("vic", "coventry")):
        meetings.set_attendance(db, ids[f"{place}_meeting"], ids[key], AttendanceStatus.PRESENT)
    for key in ("cora", "nell"):
        meetings.set_attendance(db, ids["coventry_meeting"], ids[key], AttendanceStatus.PRESENT)
    meetings.set_payment(
        db, ids["rugby_meeting"], ids["ruby"], status=PaymentStatus.PAID, amount_pence=2500
    )
    meetings.add_experience(
        db,
        ids["rugby_meeting"],
        meetings.ExperienceInput(
            kind=ExperienceKind.CONCERN, summary="Cora Quenby said the lift was broken"
        ),
    )
    return ids


def _names(engine: Any) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(text("SELECT name FROM participants")).scalars())


def _refused(engine: Any, sql: str, **values: Any) -> None:
    """``sql`` is refused by the server (a privilege or a policy), and rolled back."""
    with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
        conn.execute(text(sql), values)
    assert getattr(caught.value.orig, "sqlstate", None) == "42501", caught.value


def _changed(engine: Any, sql: str, **values: Any) -> int:
    with engine.begin() as conn:
        return int(conn.execute(text(sql), values).rowcount)


def _snapshot(db: Database) -> list[tuple[Any, ...]]:
    """Everything personal the tests try to change, as the owner sees it."""
    with db.engine.connect() as conn:
        rows: list[tuple[Any, ...]] = []
        for table in ("participants", "attendances", "involvement_payments", "meetings"):
            rows += [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
        return rows


# --- The proof -----------------------------------------------------------------------


def test_rugby_sees_its_people_and_a_visitor_through_the_register_only(trust: Trust) -> None:
    rugby = trust.plain(trust.signed_up("rugby", "--locality", "Rugby"))
    coventry = trust.plain(trust.signed_up("coventry", "--locality", "coventry"))
    try:
        assert _names(rugby) == {"Ruby Rugbeian", "Vic Visitor"}  # not Cora, not Nell
        assert _names(coventry) == {"Vic Visitor", "Cora Quenby", "Nell Nowhere"}
        with rugby.connect() as conn:
            meetings_seen = set(conn.execute(text("SELECT id FROM meetings")).scalars())
            assert meetings_seen == {trust.ids["rugby_meeting"]}
            # Vic's Coventry attendance is not Rugby's to see: only the one at Rugby's forum.
            seen = conn.execute(
                text("SELECT meeting_id FROM attendances WHERE participant_id = :p"),
                {"p": trust.ids["vic"]},
            ).scalars()
            assert set(seen) == {trust.ids["rugby_meeting"]}
            assert conn.execute(text("SELECT count(*) FROM experience_items")).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM involvement_payments")).scalar() == 1
    finally:
        rugby.dispose()
        coventry.dispose()


def test_rugby_cannot_change_coventry_s_records(trust: Trust) -> None:
    rugby = trust.plain(trust.signed_up("rugby", "--locality", "Rugby"))
    before = _snapshot(trust.owner)
    try:
        ids = trust.ids
        # Rows Rugby cannot see are simply not there for it: nothing is updated or deleted.
        for sql in (
            "UPDATE participants SET notes = 'x' WHERE id = :cora",
            "UPDATE participants SET email = 'x@example.org' WHERE id = :vic",  # seen, not owned
            "DELETE FROM participants WHERE id = :vic",
            "UPDATE meetings SET notes = 'x' WHERE id = :meeting",
            "DELETE FROM attendances WHERE meeting_id = :meeting",
            "UPDATE involvement_payments SET amount_pence = 1 WHERE meeting_id = :meeting",
        ):
            assert (
                _changed(
                    rugby, sql, cora=ids["cora"], vic=ids["vic"], meeting=ids["coventry_meeting"]
                )
                == 0
            ), sql
        # Adding to Coventry, or moving a person there, is refused by the policies.
        _refused(
            rugby,
            "INSERT INTO attendances (id, meeting_id, participant_id, status, created_at, "
            "updated_at, row_version) VALUES (:id, :meeting, :ruby, 'present', now(), now(), 1)",
            id=uuid.uuid4(),
            meeting=ids["coventry_meeting"],
            ruby=ids["ruby"],
        )
        _refused(
            rugby,
            "UPDATE participants SET locality_id = :coventry WHERE id = :ruby",
            coventry=ids["coventry"],
            ruby=ids["ruby"],
        )
        _refused(
            rugby,
            "INSERT INTO participants (id, name, category, locality_id, organisation, email, "
            "phone, consent_to_contact, name_in_minutes, accessible_format, notes, active, "
            "also_known_as, created_at, updated_at, row_version) VALUES (:id, 'New', "
            "'carer', :coventry, '', '', '', false, false, 'standard', '', true, '', now(), "
            "now(), 1)",
            id=uuid.uuid4(),
            coventry=ids["coventry"],
        )
        # No login writes an audit entry in another's name, or changes one.
        _refused(
            rugby,
            "INSERT INTO audit_log (id, at, actor, os_user, operation, entity, summary, login, "
            "created_at, updated_at, row_version) VALUES (:id, now(), '', '', 'update', 'x', "
            "'', 'someone_else', now(), now(), 1)",
            id=uuid.uuid4(),
        )
        _refused(rugby, "UPDATE audit_log SET summary = 'x'")
        assert _snapshot(trust.owner) == before
        # Its own records it may change.
        assert _changed(rugby, "UPDATE participants SET notes = 'ok' WHERE id = :r", r=ids["ruby"])
    finally:
        rugby.dispose()


def test_the_engagement_group_reads_no_contact_details_and_writes_nothing_personal(
    trust: Trust,
) -> None:
    group = trust.plain(trust.signed_up("group", "--engagement-group"))
    before = _snapshot(trust.owner)
    try:
        for column in ("email", "phone", "notes", "also_known_as", "name", "organisation"):
            _refused(group, f"SELECT {column} FROM participants")
        _refused(group, "SELECT * FROM participants")
        _refused(group, "SELECT notes FROM meetings")
        with group.connect() as conn:  # what the figures need, trust-wide
            assert conn.execute(text("SELECT count(id) FROM participants")).scalar() == 4
            assert conn.execute(text("SELECT count(*) FROM attendances")).scalar() == 5
        _refused(group, "UPDATE participants SET active = false")
        _refused(group, "DELETE FROM attendances")
        _refused(group, "UPDATE experience_items SET summary = 'x'")
        _refused(
            group,
            "INSERT INTO involvement_payments (id, meeting_id, participant_id, status, "
            "amount_pence, expenses_pence, created_at, updated_at, row_version) VALUES (:id, "
            ":m, :p, 'offered', 1, 0, now(), now(), 1)",
            id=uuid.uuid4(),
            m=trust.ids["rugby_meeting"],
            p=trust.ids["ruby"],
        )
        assert _snapshot(trust.owner) == before
    finally:
        group.dispose()


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's rows, but the moment it was generated (which differs between runs)."""
    book = openpyxl.load_workbook(path)
    return {
        ws.title: [row for row in ws.iter_rows(values_only=True) if row[0] != "Generated at"]
        for ws in book.worksheets
    }


def test_export_return_works_under_the_engagement_group_for_any_locality(
    trust: Trust, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    login = trust.signed_up("group", "--engagement-group")
    for locality in ("Rugby", "Coventry"):
        mine, owners = tmp_path / f"group-{locality}.xlsx", tmp_path / f"owner-{locality}.xlsx"
        args = ["export-return", "--locality", locality, "--month", MONTH, "--review"]
        assert main(["--db", trust.target, *args, "-o", str(owners)]) == 0
        with monkeypatch.context() as patch:
            patch.setenv("PGPASSWORD", CHANGED)  # no password on the command line
            address = trust.url(login).render_as_string(hide_password=False)
            assert main(["--db", address, *args, "-o", str(mine)]) == 0, capsys.readouterr()
        # The same return as the owner's, who reads everything: the figures count everyone,
        # and the names the group may not read are still hidden (Cora, of Coventry, in
        # Rugby's experience item).
        assert _cells(mine) == _cells(owners)
        text_of_return = repr(_cells(mine))
        assert "Cora" not in text_of_return and "Quenby" not in text_of_return
        assert "@example.org" not in text_of_return
    assert capsys.readouterr().err == ""


def test_a_new_login_sees_nothing_personal_until_its_first_password_is_changed(
    trust: Trust,
) -> None:
    assert trust.add("rugby", "--locality", "Rugby") == 0
    login = trust.login("rugby")
    first = trust.plain(login, FIRST)
    try:
        assert _names(first) == set()
        with first.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM meetings")).scalar() == 0
            entry = conn.execute(
                text("SELECT must_change_password FROM access_logins WHERE login = session_user")
            ).scalar()
            assert entry is True
            # Nor the names the redactor hides.
            assert (
                conn.execute(text("SELECT * FROM involvement_protected_people(false)")).all() == []
            )
    finally:
        first.dispose()
    db = trust.app(login, FIRST)
    try:
        signed = access.signed_in(db)
        assert signed is not None and signed.access is not None
        assert signed.access.must_change_password and not signed.sees_everything
        with pytest.raises(ValidationError, match="at least 12"):
            access.change_own_password(db, "short")
        access.change_own_password(db, CHANGED)
        db.engine.dispose()  # a new connection: the database now logs in with the new one
        signed = access.signed_in(db)
        assert signed is not None and signed.access is not None
        assert not signed.access.must_change_password
        assert signed.described() == f"{login} (coordinator: Rugby)"
    finally:
        db.dispose()
    with pytest.raises(Exception, match="refused"):  # the first password no longer works
        trust.app(login, FIRST)
    assert _names(trust.plain(login)) == {"Ruby Rugbeian", "Vic Visitor"}


# --- The app under each role ----------------------------------------------------------------


def test_the_app_works_for_a_coordinator_within_their_localities(trust: Trust) -> None:
    login = trust.signed_up("rugby", "--locality", "Rugby")
    db = trust.app(login)
    ids = trust.ids
    try:
        listed = {row.name for row in people.list_participants(db, active=None)}
        assert listed == {"Ruby Rugbeian", "Vic Visitor"}
        new = people.create_participant(
            db,
            people.ParticipantInput(
                name="Zoë Newcomer", category=Category.SERVICE_USER, locality_id=ids["rugby"]
            ),
        )
        meetings.set_attendance(db, ids["rugby_meeting"], new, AttendanceStatus.PRESENT)
        # Added with no locality, a person is Rugby's (else they would vanish once saved).
        unplaced = people.create_participant(
            db, people.ParticipantInput(name="Seán Unplaced", category=Category.CARER)
        )
        assert people.get_participant(db, unplaced).locality_id == ids["rugby"]
        actions.raise_action(
            db,
            locality_id=ids["rugby"],
            data=actions.ActionInput(
                title="Fix the lift", level=ActionLevel.LOCALITY, raised_on=date(2026, 3, 10)
            ),
        )
        # Coventry's are refused in one sentence, and nothing is saved.
        before = _snapshot(trust.owner)
        with pytest.raises(AccessDeniedError, match="nothing was saved"):
            people.create_participant(
                db,
                people.ParticipantInput(
                    name="Not Mine", category=Category.CARER, locality_id=ids["coventry"]
                ),
            )
        with pytest.raises(NotFoundError):
            people.update_participant(
                db, ids["cora"], people.ParticipantInput(name="Cora", category=Category.CARER)
            )
        assert _snapshot(trust.owner) == before
        with db.reading() as conn:  # the audit names the login, filled in by the server
            logins = set(conn.execute(text("SELECT login FROM audit_log")).scalars())
        assert logins == {login}
        from coordinator_app.core.audit_view import AuditFilter, list_audit

        shown = list_audit(db, AuditFilter(who=login))
        assert shown and all(f"(login {login})" in row.who for row in shown)
    finally:
        db.dispose()
    access.set_localities(trust.owner, login, ["Rugby", "Coventry"])
    db = trust.app(login)
    try:
        with pytest.raises(ValidationError, match="Choose the person's locality"):
            people.create_participant(
                db, people.ParticipantInput(name="Nowhere Yet", category=Category.CARER)
            )
    finally:
        db.dispose()


def test_access_commands_keep_the_table_and_the_logins_in_step(
    trust: Trust, capsys: pytest.CaptureFixture[str]
) -> None:
    assert trust.add("rugby", "--locality", "Rugby") == 0
    assert trust.add("group", "--engagement-group") == 0
    out = capsys.readouterr().out
    assert f"Added {trust.login('rugby')} (coordinator: Rugby)" in out
    assert FIRST not in out
    assert main(["--db", trust.target, "access", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "login\trole\tlocalities\tpassword"
    assert f"{trust.login('rugby')}\tcoordinator\tRugby\tmust change" in lines
    assert f"{trust.login('group')}\tengagement_group\t\tmust change" in lines
    assert (
        main(
            [
                *("--db", trust.target, "access", "set", trust.login("rugby")),
                *("--locality", "rugby", "--locality", "Coventry"),
            ]
        )
        == 0
    )
    assert "now sees Coventry, Rugby" in capsys.readouterr().out
    assert main(["--db", trust.target, "access", "remove", trust.login("group")]) == 0
    assert "and the login itself" in capsys.readouterr().out
    with trust.owner.engine.connect() as conn:
        roles = set(
            conn.execute(
                text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"),
                {"p": f"{trust.prefix}%"},
            ).scalars()
        )
        audit = list(
            conn.execute(
                text("SELECT summary FROM audit_log WHERE entity = 'access' ORDER BY at")
            ).scalars()
        )
    assert roles == {trust.login("rugby")}
    assert audit[-1] == f"Access removed: {trust.login('group')}"
    assert [a.login for a in access.list_access(trust.owner)] == [trust.login("rugby")]


def _state(trust: Trust) -> tuple[Any, ...]:
    with trust.owner.engine.connect() as conn:
        roles = sorted(
            conn.execute(
                text("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE :p"),
                {"p": f"{trust.prefix}%"},
            ).all()
        )
    return tuple(roles), tuple(access.list_access(trust.owner))


@pytest.mark.parametrize(
    ("args", "stdin", "code", "says"),
    [
        (["add", "{rugby}", "--locality", "Nowhere"], FIRST, 1, "no locality called 'Nowhere'"),
        (["add", "{rugby}", "--locality", "Rugby"], "short", 1, "at least 12 characters"),
        (["add", "{rugby}", "--locality", "Rugby"], "", 1, "No password for"),
        (["add", "Bad Name!", "--locality", "Rugby"], FIRST, 1, "not a login name"),
        (["add", "pg_sneaky", "--administrator"], FIRST, 1, "keeps for itself"),
        (["add", "{rugby}", "--locality", "Rugby", "--administrator"], FIRST, 2, "not allowed"),
        (["add", "{rugby}"], FIRST, 2, "One of the arguments"),
        (["add", "{existing}", "--locality", "Rugby"], FIRST, 1, "already has access"),
        (["set", "{nobody}", "--locality", "Rugby"], "", 1, "has no access"),
        (["set", "{existing}", "--locality", "Nowhere"], "", 1, "no locality called"),
        (["remove", "{nobody}"], "", 1, "has no access"),
    ],
)
def test_bad_access_commands_are_one_sentence_and_change_nothing(
    trust: Trust,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: str,
    code: int,
    says: str,
) -> None:
    assert trust.add("existing", "--locality", "Coventry") == 0
    capsys.readouterr()
    before = _state(trust)
    names = {n: trust.login(n) for n in ("rugby", "existing", "nobody")}
    trust.made.append(names["rugby"])
    words = ["--db", trust.target, "access", *[a.format(**names) for a in args]]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(stdin + "\n" if stdin else ""))
        assert main(words) == code
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1, err
    assert FIRST not in err
    assert _state(trust) == before


def test_a_coordinator_cannot_manage_access(
    trust: Trust, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    login = trust.signed_up("rugby", "--locality", "Rugby")
    trust.made.append(trust.login("sneaky"))
    before = _state(trust)
    monkeypatch.setenv("PGPASSWORD", CHANGED)
    monkeypatch.setattr("sys.stdin", io.StringIO(FIRST + "\n"))
    address = trust.url(login).render_as_string(hide_password=False)
    for words in (
        ["add", trust.login("sneaky"), "--administrator"],
        ["set", login, "--locality", "Coventry"],
    ):
        assert main(["--db", address, "access", *words]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and ("did not let" in err or "has no access" in err), err
    assert _state(trust) == before


def test_an_administrator_manages_access_but_reads_nothing_personal(trust: Trust) -> None:
    login = trust.signed_up("admin", "--administrator")
    db = trust.app(login)
    trust.made.append(trust.login("rugby"))
    try:
        added = access.add_login(
            db, trust.login("rugby"), AccessRole.COORDINATOR, FIRST, localities=["Rugby"]
        )
        assert added.localities == ("Rugby",)
        assert {a.login for a in access.list_access(db)} == {login, trust.login("rugby")}
        with pytest.raises(ValidationError, match="signed in as"):
            access.remove_login(db, login)
    finally:
        db.dispose()
    _refused(trust.plain(login), "SELECT name FROM participants")


# --- On SQLite nothing changes --------------------------------------------------------------


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "words",
    [
        ["add", "someone", "--locality", "Rugby"],
        ["add", "someone", "--engagement-group"],
        ["list"],
        ["remove", "someone"],
        ["set", "someone", "--locality", "Rugby"],
    ],
)
def test_access_on_a_laptop_database_says_it_is_for_a_server(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], words: list[str]
) -> None:
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    assert main(["--db", str(db_path), "access", *words]) == EXIT_NOT_FOR_THIS_DATABASE
    err = capsys.readouterr().err
    assert err == f"coordinator-app: {NOT_ON_SERVER}\n"
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    missing = tmp_path / "not-there.db"
    assert main(["--db", str(missing), "access", *words]) == EXIT_NOT_FOR_THIS_DATABASE
    assert not missing.exists()


@pytest.mark.sqlite_only
def test_on_a_laptop_the_audit_keeps_the_operating_system_user(db_path: Path) -> None:
    from coordinator_app.core.audit import os_user

    db = open_database(db_path)
    try:
        assert access.signed_in(db) is None
        people.create_participant(
            db, people.ParticipantInput(name="Zoë", category=Category.SERVICE_USER)
        )
        with db.reading() as conn:
            row = conn.execute(text("SELECT os_user, login FROM audit_log")).one()
        assert tuple(row) == (os_user(), "")
        with pytest.raises(Exception, match="trust server"):
            access.list_access(db)
    finally:
        db.dispose()


# --- No password on a command line; encryption to another computer ---------------------------

README = Path(__file__).resolve().parents[2] / "README.md"
DOCS = Path(__file__).resolve().parents[2] / "docs"
#: ``scheme://user:password@``: an address that carries a password.
PASSWORD_IN_ADDRESS = re.compile(r"://[^/@\s:]+:[^@\s/]+@")


def test_no_command_in_the_readme_or_the_docs_holds_a_password() -> None:
    texts = [README.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md"))]
    for found in texts:
        for block in re.findall(r"```[a-z]*\n(.*?)```", found, re.S):
            assert not PASSWORD_IN_ADDRESS.search(block), block
    section = README.read_text(encoding="utf-8").split("## A shared database on PostgreSQL")[1]
    section = section.split("\n## ")[0]
    assert "--db" in section and not PASSWORD_IN_ADDRESS.search(section)


def _policy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **settings: str) -> None:
    from coordinator_app.core import policy

    file = tmp_path / "policy.ini"
    lines = "".join(f"{k} = {v}\n" for k, v in settings.items())
    file.write_text(f"[Involvement Coordinator]\n{lines}", encoding="utf-8")
    monkeypatch.setenv(policy.FILE_VARIABLE, str(file))


REMOTE = "postgresql+psycopg://sian@db.trust.nhs.uk:5432/involvement"


@pytest.mark.parametrize(
    ("address", "settings", "expected"),
    [
        (REMOTE, {}, {"sslmode": "require"}),
        (REMOTE + "?sslmode=verify-full", {}, {}),
        (REMOTE, {"server_tls": "off"}, {}),
        (REMOTE + "?sslmode=disable", {"server_tls": "off"}, {}),
        (REMOTE, {"server_tls": "verify-full"}, {"sslmode": "verify-full"}),
        (
            REMOTE,
            {"server_ca": "/etc/trust-ca.pem"},
            {"sslmode": "verify-full", "sslrootcert": "/etc/trust-ca.pem"},
        ),
        ("postgresql+psycopg://sian@localhost/involvement", {}, {}),
        ("postgresql+psycopg://sian@127.0.0.1:5433/involvement", {}, {}),
        ("postgresql+psycopg://sian@/involvement?host=/run/postgresql", {}, {}),
    ],
)
def test_a_server_on_another_computer_is_reached_encrypted(
    address: str, settings: dict[str, str], expected: dict[str, str], monkeypatch, tmp_path
) -> None:
    from coordinator_app.core.connection import tls_arguments

    _policy(monkeypatch, tmp_path, **settings)
    assert tls_arguments(make_url(address)) == expected


@pytest.mark.parametrize("mode", ["disable", "allow", "prefer"])
def test_an_address_asking_for_no_encryption_is_refused_in_one_sentence(
    mode: str, monkeypatch, tmp_path
) -> None:
    from coordinator_app.core.errors import DatabaseOpenError

    _policy(monkeypatch, tmp_path)
    for tls in ("", "verify-full"):
        if tls:
            _policy(monkeypatch, tmp_path, server_tls=tls)
        with pytest.raises(DatabaseOpenError, match=f"sslmode={mode}") as caught:
            open_database(f"{REMOTE}?sslmode={mode}")
        message = str(caught.value)
        assert "\n" not in message and message.endswith(".") and "IT policy" in message


def test_a_policy_with_an_unknown_tls_setting_is_refused(monkeypatch, tmp_path) -> None:
    from coordinator_app.core import policy

    _policy(monkeypatch, tmp_path, server_tls="maybe")
    with pytest.raises(policy.PolicyError, match="'maybe'"):
        policy.load()


def test_the_password_of_an_address_comes_from_the_store_or_a_prompt(
    monkeypatch, memory_keyring
) -> None:
    from coordinator_app.core import connection

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setattr(connection, "_needs_password", lambda url: True)
    url = make_url(REMOTE)
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return "typed at the prompt"

    assert connection.complete_url(url, ask=ask).password == "typed at the prompt"
    assert asked == ["Password for sian@db.trust.nhs.uk/involvement: "]
    connection.store_password(connection.choice_from_url(url), "kept in the store")
    assert connection.complete_url(url, ask=ask).password == "kept in the store"
    assert len(asked) == 1  # the store was enough
    # PGPASSWORD (and .pgpass, which libpq reads) come first: the address is left alone.
    monkeypatch.setenv("PGPASSWORD", "from the environment")
    assert connection.complete_url(url, ask=ask) is url
    # A file is no server: nothing to complete.
    sqlite = make_url("sqlite+pysqlite:////tmp/x.db")
    assert connection.complete_url(sqlite, ask=ask) is sqlite


def test_an_address_with_a_password_works_and_warns(monkeypatch) -> None:
    from coordinator_app.core import connection

    warned: list[str] = []
    url = make_url("postgresql+psycopg://sian:secret@db.trust.nhs.uk/involvement")
    assert connection.complete_url(url, warn=warned.append) is url
    assert warned == [connection.PASSWORD_IN_ADDRESS]
    assert "secret" not in warned[0]


def test_the_command_line_warns_about_a_password_in_the_address(
    pg_server, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if pg_server is None:
        pytest.skip(NEEDS_SERVER)
    url = make_url(db_target).set(password=pg_server.password or "unused-by-trust-auth")
    assert main(["--db", url.render_as_string(hide_password=False), "check"]) == 0
    captured = capsys.readouterr()
    assert captured.err == f"coordinator-app: {PASSWORD_WARNING}\n"
    assert str(url.password) not in captured.out + captured.err


def test_without_any_password_a_command_says_where_to_put_one(
    pg_server, db_target: str, capsys, monkeypatch, tmp_path, no_keyring
) -> None:
    if pg_server is None:
        pytest.skip(NEEDS_SERVER)
    if not pg_server.password:
        pytest.skip("the test server takes no password (trust), so none is asked for")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: nothing is asked
    assert main(["--db", db_target, "check"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PGPASSWORD" in err and ".pgpass" in err, err
    # .pgpass is read by libpq itself.
    pgpass = tmp_path / "pgpass"
    url = make_url(db_target)
    pgpass.write_text(f"{url.host}:{url.port}:*:{url.username}:{pg_server.password}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    assert main(["--db", db_target, "check"]) == 0
    assert capsys.readouterr().err == ""


def test_a_person_s_login_does_not_upgrade_an_older_database(trust: Trust) -> None:
    login = trust.signed_up("rugby", "--locality", "Rugby")
    with trust.owner.engine.begin() as conn:  # as if the server still had the last revision
        conn.execute(text("UPDATE alembic_version SET version_num = '0004'"))
    with pytest.raises(Exception, match="only its owner can do") as caught:
        trust.app(login)
    assert "\n" not in str(caught.value)
    with trust.owner.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0004"
