"""The first-run welcome: answers saved, each missing answer named at its field, and the
spreadsheet path offered once the import exists."""

from __future__ import annotations

import pytest

from coordinator_app.core.meetings import list_localities
from coordinator_app.core.settings import get_settings, needs_first_run
from coordinator_app.ui.dialogs.welcome import WelcomeDialog


def test_missing_answers_are_named_and_nothing_is_saved(qtbot, ctx) -> None:
    dialog = WelcomeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert not dialog.errors["trust_name"].isHidden()
    assert not dialog.errors["localities"].isHidden()
    assert needs_first_run(ctx.db)


def test_answers_are_saved_with_accents(qtbot, ctx) -> None:
    dialog = WelcomeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.trust.setText("Arden Valley Partnership NHS Foundation Trust")
    dialog.coordinator.setText("Siân O'Neill")
    dialog.localities.setText("Rugby, North Warwickshire")
    dialog.accept()
    assert dialog.result() == WelcomeDialog.DialogCode.Accepted
    assert get_settings(ctx.db).coordinator_name == "Siân O'Neill"
    names = {loc.name for loc in list_localities(ctx.db) if loc.coordinated}
    assert names == {"Rugby", "North Warwickshire"}
    assert not needs_first_run(ctx.db)


def test_bring_in_a_spreadsheet_opens_the_import_wizard(qtbot, ctx, monkeypatch) -> None:
    from coordinator_app.ui.dialogs import import_wizard

    opened: list[object] = []
    monkeypatch.setattr(
        import_wizard.ImportWizard, "ask", classmethod(lambda cls, c, parent=None: opened.append(c))
    )
    dialog = WelcomeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.trust.setText("Test Trust")
    dialog.coordinator.setText("Zoë Price")
    dialog.localities.setText("Rugby")
    dialog.start_import.setChecked(True)
    dialog.accept()
    assert opened == [ctx]


def test_the_welcome_ends_with_a_forum_for_each_locality(qtbot, ctx, type_text) -> None:
    """Issue #22: after the welcome, Ctrl+N had no forum to plan a meeting of."""
    from coordinator_app.core.meetings import list_forums

    dialog = WelcomeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.trust.setText("Arden Valley Partnership NHS Foundation Trust")
    dialog.coordinator.setText("Siân O'Neill")
    type_text(dialog.localities, "Rugby, Nuneaton")
    assert dialog.forums.toPlainText() == (
        "Rugby: Rugby Locality Forum\nNuneaton: Nuneaton Locality Forum"
    )
    dialog.forums.appendPlainText("Rugby: Rugby Carers’ Forum")  # typed: no longer proposed
    type_text(dialog.localities, " and Bedworth")
    assert dialog.forums.toPlainText().endswith("Rugby Carers’ Forum")
    dialog.forums.setPlainText(
        "Rugby: Rugby Locality Forum\nNuneaton and Bedworth: N&B Forum\nRugby: Rugby Carers’ Forum"
    )
    dialog.accept()
    assert dialog.result() == WelcomeDialog.DialogCode.Accepted
    assert {(f.locality_name, f.name) for f in list_forums(ctx.db)} == {
        ("Rugby", "Rugby Locality Forum"),
        ("Rugby", "Rugby Carers’ Forum"),
        ("Nuneaton and Bedworth", "N&B Forum"),
    }


def test_a_forum_of_no_locality_is_named_and_nothing_is_saved(qtbot, ctx) -> None:
    dialog = WelcomeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.trust.setText("Trust")
    dialog.coordinator.setText("Siân")
    dialog.localities.setText("Rugby, Coventry")
    dialog.forums.setPlainText("Warwick: Warwick Forum")
    dialog.accept()
    assert "not one of your localities" in dialog.errors["forums"].text()
    assert needs_first_run(ctx.db)


@pytest.mark.sqlite_only
def test_the_app_opens_a_group_database_without_the_welcome(tmp_path) -> None:
    """Issue #30 follow-up: the database ``consolidate --keep`` started (kept returns, no
    localities) opened on the coordinator's welcome, a dead end for the group's lead; start-up
    now goes straight on to the window. Run in a fresh interpreter, as ``app.run`` sets up the
    process (``tests/cli/test_without_orm._run``)."""
    from coordinator_app.core import kept_returns
    from coordinator_app.core.db import open_database
    from tests.cli.test_without_orm import _run
    from tests.core.test_board import _returns

    path = tmp_path / "group.db"
    db = open_database(str(path))
    try:
        kept_returns.keep(db, _returns())
    finally:
        db.dispose()
    code = f"""
        from coordinator_app.ui import app
        from coordinator_app.ui.dialogs.welcome import WelcomeDialog

        class Attached(Exception):
            pass

        def attach(window, ctx):
            print("attached")
            raise Attached  # the window is filled next: far enough for this test

        WelcomeDialog.ask = classmethod(lambda cls, *a, **k: print("welcome") or False)
        app._attach = attach
        try:
            print("exit", app.run({str(path)!r}))
        except Attached:
            pass
        """
    assert _run(code, tmp_path).split() == ["attached"]
