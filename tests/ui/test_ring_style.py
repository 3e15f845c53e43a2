"""The focus ring's style comes when a person can first use it, not on the way to Home.

``FocusRingStyle`` is called from Qt for every widget polished and every control drawn; on the
way to Home that cost about 20 ms (docs/engineering-notes.md, "Where start-up goes"). The
desktop app starts on plain Fusion (``apply_look(app, ring=False)``) and puts the ring in place
once Home is shown, or before any dialog or message box asks something first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from coordinator_app.cli import main
from coordinator_app.ui import focus, tasks, widgets
from coordinator_app.ui.dialog_sizes import Dialog
from tests.cli.test_without_orm import _run

#: The real questions: ``tests/ui/conftest.py`` answers them in every test (``questions``).
_REAL = {
    name: getattr(widgets, name) for name in ("inform", "confirm", "ask_choice", "ask_conflict")
}
_SHOW_ERROR = tasks.show_error


@pytest.fixture
def ring_asked(monkeypatch) -> list[str]:
    """Each call of ``focus.use_ring_style`` (recorded, not made: switching the whole test
    run's style back and forth in one process is left to the real app, below)."""
    calls: list[str] = []
    monkeypatch.setattr(focus, "use_ring_style", lambda app=None: calls.append("ring"))
    return calls


def test_a_dialog_asks_for_the_ring_before_it_is_made(qtbot, ring_asked) -> None:
    dialog = Dialog()  # every dialog of the app is one (a test refuses a bare QDialog)
    qtbot.addWidget(dialog)
    assert ring_asked == ["ring"]


def test_the_ring_style_replaces_plain_fusion_once(monkeypatch) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    set_to: list[str] = []
    monkeypatch.setattr(app, "setStyle", lambda style: set_to.append(type(style).__name__))
    monkeypatch.setattr(app, "property", lambda name: {focus._PLAIN: True}.get(name))
    monkeypatch.setattr(app, "setProperty", lambda name, value: None)
    focus.use_ring_style(app)
    assert set_to == ["FocusRingStyle"]
    monkeypatch.setattr(app, "property", lambda name: {focus._PLAIN: False}.get(name))
    focus.use_ring_style(app)  # in place already: nothing to do
    assert set_to == ["FocusRingStyle"]


def _asked(monkeypatch) -> None:
    """Qt's own questions answered at once (nothing shown)."""
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: 0))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))


def _server_password() -> Any:
    from coordinator_app.core.connection import ConnectionChoice
    from coordinator_app.ui.dialogs.database_settings import ask_password

    return ask_password(ConnectionChoice(), "Why")


def _laptop_instead() -> Any:
    from coordinator_app.ui.dialogs.database_settings import offer_laptop_instead

    return offer_laptop_instead("The server cannot be reached.")


def _choose_file() -> Any:
    from coordinator_app.ui.files import WORKBOOK, _dialog

    return _dialog(None, "Open", Path.home(), WORKBOOK, QFileDialog.FileMode.ExistingFile)


@pytest.mark.parametrize(
    "ask",
    [
        lambda: _REAL["inform"](None, "Title", "Something went wrong."),
        lambda: _REAL["confirm"](None, "Title", "Delete it?"),
        lambda: _REAL["ask_choice"](None, "Title", "Which?", ["&One", "Cancel"]),
        lambda: _REAL["ask_conflict"](None, "Someone else saved it first."),
        lambda: _SHOW_ERROR(None, "Title", "It failed."),
        _server_password,
        _laptop_instead,
        _choose_file,
    ],
    ids=[
        "inform",
        "confirm",
        "ask_choice",
        "ask_conflict",
        "show_error",
        "server password",
        "laptop instead",
        "file chooser",
    ],
)
def test_every_question_asks_for_the_ring_first(
    qtbot, monkeypatch, ring_asked, ask: Callable[[], Any]
) -> None:
    _asked(monkeypatch)
    made = ask()
    if isinstance(made, QFileDialog):
        made.deleteLater()
    assert ring_asked == ["ring"]


def test_the_app_paints_first_on_plain_fusion_and_has_the_ring_once_home_shows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "demo.db"
    assert main(["--db", str(path), "demo", "--size", "small"]) == 0
    code = f"""
        from PySide6.QtWidgets import QApplication
        from coordinator_app.ui import app, focus
        from coordinator_app.ui.main_window import MainWindow

        painted = app.paint

        def paint(window, *args):
            painted(window, *args)
            print("first paint, plain:", bool(QApplication.instance().property(focus._PLAIN)))

        def recover_drafts(self):  # the last thing the app does once Home is shown
            print("home shown, plain:", bool(QApplication.instance().property(focus._PLAIN)))
            QApplication.quit()

        app.paint = paint
        MainWindow.recover_drafts = recover_drafts
        print("exit", app.run({str(path)!r}))
        """
    lines = _run(code, tmp_path).splitlines()  # its own process, which must exit 0
    assert "first paint, plain: True" in lines
    assert "home shown, plain: False" in lines
    assert "exit 0" in lines
