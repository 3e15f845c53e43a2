"""Qt's message boxes the app asks with: every button has its own Alt letter.

``tests/ui/conftest.py`` answers ``widgets.confirm`` and the other questions in every test, so
these read the real functions in ``ui/questions.py`` and look at the boxes before they would be
shown (never ``exec`` in a test).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coordinator_app.ui import files, questions


def _letters(labels: list[str]) -> list[str]:
    return [label[label.index("&") + 1].lower() for label in labels]


@pytest.mark.parametrize("yes", ["Delete", "Anonymise", "Save anyway", "&Withdraw"])
def test_confirm_letters_its_answer_and_cancel(monkeypatch, yes: str) -> None:
    asked: list[list[str]] = []
    monkeypatch.setattr(questions, "ask_choice", lambda *a, **k: asked.append(a[3]) or 1)
    assert questions.confirm(None, "Delete", "Delete it?", yes=yes) is False  # Cancel
    (labels,) = asked
    assert all("&" in label for label in labels)
    assert labels[-1] == "&Cancel"  # last: Escape and the default, so Enter loses nothing
    assert len(set(_letters(labels))) == len(labels)


def test_someone_saved_first_letters_reload_and_keep_editing(qtbot) -> None:
    box, reload_button = questions.conflict_box(None, "Someone else saved it first.")
    qtbot.addWidget(box)
    labels = [button.text() for button in box.buttons()]
    assert sorted(labels) == ["&Keep editing", "&Reload"]
    assert reload_button.accessibleName() == questions.RELOAD_TEXT
    assert box.defaultButton() is box.escapeButton() is not reload_button
    # True whoever changed it: someone else, or this coordinator anonymising someone.
    words = f"{box.windowTitle()} {box.informativeText()}".lower()
    assert "someone else" not in words and "their" not in words


def test_saved_open_it_or_close_is_lettered(monkeypatch, tmp_path: Path) -> None:
    asked: list[list[str]] = []
    monkeypatch.setattr(files, "ask_choice", lambda *a, **k: asked.append(a[3]) or 1)
    assert _REAL_OFFER(None, tmp_path / "return.xlsx", "the return") is False  # Close
    (labels,) = asked
    assert labels == ["&Open it", "&Close"]


#: The real offer: ``tests/ui/conftest.py`` records every offer in every test.
_REAL_OFFER = files.offer_to_open
