"""Help > About shows the version; the update check tells of a newer version where IT says to
look, in the status bar at start-up and in a message when asked, and is silent otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from coordinator_app import __version__
from coordinator_app.core import policy
from coordinator_app.ui.main_window import MainWindow
from coordinator_app.ui.updates import NO_SOURCE, up_to_date


@pytest.fixture
def window(qtbot, ctx, place):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    return win


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What message boxes would have said (none is shown in a test)."""
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
    monkeypatch.setattr(QMessageBox, "about", lambda _p, _t, text: said.append(text))
    return said


def set_source(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, version: str | None) -> Path:
    share = tmp_path / "share"
    share.mkdir()
    if version is not None:
        (share / "latest.ini").write_text(
            f"[Involvement Coordinator]\nversion = {version}\n", encoding="utf-8"
        )
    file = tmp_path / "policy.ini"
    file.write_text(f"[Involvement Coordinator]\nupdate_source = {share}\n", encoding="utf-8")
    monkeypatch.setenv(policy.FILE_VARIABLE, str(file))
    return share


def finish(qtbot, check) -> None:
    """Wait for the check's answer to reach the window (it may come before any wait starts)."""
    qtbot.waitUntil(lambda: check.delivered, timeout=10_000)


def test_help_about_shows_the_version(window, told) -> None:
    window.act_about.trigger()
    assert len(told) == 1 and f"Involvement Coordinator {__version__}" in told[0]


def test_a_newer_version_is_told_in_the_status_bar_at_start_up(
    window, qtbot, told, monkeypatch, tmp_path
) -> None:
    share = set_source(monkeypatch, tmp_path, "99.2")
    check = window.check_for_updates(quietly=True)
    finish(qtbot, check)
    sentence = f"Version 99.2 is available from {share}."
    assert window.statusBar().currentMessage() == sentence
    assert window.update_notice == sentence
    assert told == []  # quietly: no message box at start-up


def test_asking_says_the_answer_whatever_it_is(window, qtbot, told, monkeypatch, tmp_path):
    set_source(monkeypatch, tmp_path, __version__)
    finish(qtbot, window.check_for_updates())
    assert told == [up_to_date()]
    assert window.statusBar().currentMessage() == ""


def test_a_share_that_cannot_be_read_is_silent_at_start_up(
    window, qtbot, told, monkeypatch, tmp_path
) -> None:
    set_source(monkeypatch, tmp_path, None)  # the folder holds no latest.ini
    finish(qtbot, window.check_for_updates(quietly=True))
    assert told == [] and window.statusBar().currentMessage() == ""
    finish(qtbot, window.check_for_updates())
    assert len(told) == 1 and "could not be read" in told[0]


def test_without_a_source_nothing_is_looked_at(window, told, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(policy.FILE_VARIABLE, str(tmp_path / "no-policy.ini"))
    assert window.check_for_updates(quietly=True) is None
    assert told == []
    assert window.check_for_updates() is None
    assert told == [NO_SOURCE]
    assert window.act_updates.text() == "Check for &updates…"
