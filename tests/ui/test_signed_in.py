"""Who is signed in, and choosing one's own password (issue #26): the status bar and Help > About
name the server login and its access; the first sign-in after ``access add`` asks for a new
password, kept in the password store when the person agrees; a password asked at start is kept
there when they chose "Remember". On this laptop nothing of it shows.

The dialog's test needs a PostgreSQL server (``COORDINATOR_TEST_PG_URL``) and is skipped with
that reason without one.
"""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from coordinator_app.core import access, connection
from coordinator_app.core.access import Access, SignedIn
from coordinator_app.core.connection import ConnectionChoice
from coordinator_app.core.db import open_database
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import AccessRole
from coordinator_app.ui.context import AppContext
from coordinator_app.ui.dialogs.access_dialogs import ChangePasswordDialog
from coordinator_app.ui.dialogs.database_settings import keep_asked_password
from coordinator_app.ui.main_window import MainWindow, about_text

NEEDS_SERVER = "needs a PostgreSQL server: set COORDINATOR_TEST_PG_URL (.ci/run starts one)"
RUGBY = SignedIn(
    "sian.evans", Access("sian.evans", AccessRole.COORDINATOR, ("Rugby",), False), False
)


def test_the_status_bar_and_about_say_who_is_signed_in(qtbot, ctx) -> None:
    ctx.signed_in = RUGBY  # (the context outlives the window: the ctx fixture)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.login_label.text() == "Signed in as sian.evans (coordinator: Rugby)"
    assert not window.login_label.isHidden()
    assert window.act_password.isVisible()  # File > Change my password…
    assert "Signed in as:</b><br>sian.evans (coordinator: Rugby)" in about_text(
        "x", RUGBY.described()
    )
    assert not window.act_access.isVisible()  # a coordinator keeps no one's access


def test_on_this_laptop_no_login_is_shown(qtbot, ctx) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.login_label.isHidden()
    assert not window.act_password.isVisible() and not window.act_access.isVisible()
    assert "Signed in" not in about_text(ctx.db.location)


def test_a_password_asked_at_start_is_kept_when_the_person_chose_to(memory_keyring) -> None:
    remember = ConnectionChoice(kind="server", host="db", database="ic", user="sian")
    keep_asked_password(remember, "typed at the start")
    assert connection.load_password(remember) == "typed at the start"
    keep_asked_password(remember, "another")  # one is kept already: left as it is
    assert connection.load_password(remember) == "typed at the start"
    forget = ConnectionChoice(
        kind="server", host="db", database="ic", user="zoe", remember_password=False
    )
    keep_asked_password(forget, "not kept")
    assert connection.load_password(forget) is None


@pytest.fixture
def first_login(pg_server, db):
    """A coordinator login just added with its first password, and its app database."""
    if pg_server is None:
        pytest.skip(NEEDS_SERVER)
    complete_first_run(db, trust_name="T", coordinator_name="S", localities=["Rugby"])
    login = f"t{uuid.uuid4().hex[:10]}_rugby"
    access.add_login(db, login, AccessRole.COORDINATOR, "first password 1234", localities=["Rugby"])
    url = make_url(db.url.render_as_string(hide_password=False)).set(
        username=login, password="first password 1234"
    )
    mine = open_database(url.render_as_string(hide_password=False))
    yield login, mine
    mine.dispose()
    admin = create_engine(pg_server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
    admin.dispose()


def test_the_first_sign_in_asks_for_a_new_password(qtbot, first_login, memory_keyring) -> None:
    login, db = first_login
    assert access.signed_in_login(db) == login
    ctx = AppContext(db=db, signed_in=access.signed_in(db))
    assert ctx.signed_in is not None and ctx.signed_in.access is not None
    assert ctx.signed_in.access.must_change_password
    dialog = ChangePasswordDialog(ctx, first=True)
    qtbot.addWidget(dialog)
    # Two different passwords, then a short one: told, and nothing changed.
    dialog.password.setText("a new passphrase of mine")
    dialog.again.setText("a new passphrase of mino")
    dialog.save()
    assert "differ" in dialog.problem.text() and dialog.result() == 0
    dialog.password.setText("short")
    dialog.again.setText("short")
    dialog.save()
    assert "at least 12" in dialog.problem.text() and dialog.result() == 0
    assert access.signed_in(db).access.must_change_password  # type: ignore[union-attr]
    dialog.password.setText("a new passphrase of mine")
    dialog.again.setText("a new passphrase of mine")
    dialog.remember.setChecked(True)
    dialog.save()
    assert dialog.result() == 1
    assert ctx.signed_in is not None and ctx.signed_in.access is not None
    assert not ctx.signed_in.access.must_change_password
    kept = connection.load_password(connection.choice_from_url(db.url))
    assert kept == "a new passphrase of mine"
    assert "passphrase" not in dialog.problem.text()


def test_an_administrator_adds_a_login_in_the_app(qtbot, pg_server, db, monkeypatch) -> None:
    """File > Logins and access… as the owner: the list, then a coordinator added."""
    from coordinator_app.ui.dialogs.access_dialogs import AccessDialog, AddLoginDialog

    if pg_server is None:
        pytest.skip(NEEDS_SERVER)
    complete_first_run(db, trust_name="T", coordinator_name="S", localities=["Rugby", "Coventry"])
    ctx = AppContext(db=db, signed_in=access.signed_in(db))
    dialog = AccessDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    login = f"t{uuid.uuid4().hex[:10]}_coventry"
    adder = AddLoginDialog(ctx, ["Coventry", "Rugby"], dialog)
    qtbot.addWidget(adder)
    adder.login.setText(login)
    adder.localities.item(0).setCheckState(Qt.CheckState.Checked)
    adder.password.setText("first password 1234")
    adder.again.setText("first password 1234")
    try:
        adder.save()
        assert adder.result() == 1, adder.problem.text()
        dialog.refresh()
        assert dialog.table.rowCount() == 1
        assert dialog.table.item(0, 0).text() == login
        assert dialog.table.item(0, 2).text() == "Coventry"
        assert dialog.table.item(0, 3).text() == "must change"
    finally:
        admin = create_engine(pg_server.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
        admin.dispose()


def test_a_changed_password_the_store_will_not_keep_is_said_and_the_change_stands(
    qtbot, ctx, monkeypatch
) -> None:
    """The password store refuses (locked, none): "Your password is changed." and its sentence,
    titled "Password changed"; the dialog closes as changed (issue #20: through
    ``operations.attempt``). The server's change itself is faked: this needs no server."""
    from coordinator_app.core.connection import NoCredentialStoreError
    from coordinator_app.ui import operations, widgets
    from coordinator_app.ui.dialogs import access_dialogs

    changed: list[str] = []
    monkeypatch.setattr(
        access_dialogs.access_ops,
        "change_own_password",
        lambda parent, _ctx, password: operations.Op(parent, lambda: changed.append(password)),
    )
    locked = "This computer's password store did not keep the password."

    def refuse(choice, password):
        raise NoCredentialStoreError(locked)

    monkeypatch.setattr(access_dialogs.connection, "store_password", refuse)
    monkeypatch.setattr(access_dialogs.connection, "choice_from_url", lambda url: None)
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(widgets, "inform", lambda _parent, title, text: told.append((title, text)))
    dialog = ChangePasswordDialog(ctx, first=False)
    qtbot.addWidget(dialog)
    dialog.password.setText("a new passphrase of mine")
    dialog.again.setText("a new passphrase of mine")
    dialog.remember.setEnabled(True)
    dialog.remember.setChecked(True)
    dialog.save()
    assert changed == ["a new passphrase of mine"]
    assert told == [("Password changed", f"Your password is changed. {locked}")]
    assert dialog.result() == 1
