"""``operations.read``: a read a screen makes and shows, with a refusal told in one place."""

from __future__ import annotations

import logging
import threading

import pytest

from coordinator_app.core.errors import NotFoundError
from coordinator_app.ui import operations, widgets


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(widgets, "inform", lambda _parent, title, text: said.append((title, text)))
    return said


def test_a_refused_read_shows_its_sentence_titled_as_given_and_returns_none(qtbot, told) -> None:
    def gone() -> str:
        raise NotFoundError("That participant is no longer listed.")

    assert operations.read(None, "Subject access export", gone) is None
    assert told == [("Subject access export", "That participant is no longer listed.")]


def test_a_read_that_succeeds_returns_its_value_on_the_gui_thread_and_shows_nothing(
    qtbot, told
) -> None:
    ran_on: list[threading.Thread] = []

    def value() -> list[int]:
        ran_on.append(threading.current_thread())
        return [1, 2]

    assert operations.read(None, "Anonymise", value) == [1, 2]
    assert told == []
    assert ran_on == [threading.main_thread()]


def test_a_bug_in_a_read_propagates(qtbot, told) -> None:
    def bug() -> int:
        raise KeyError("oops")

    with pytest.raises(KeyError):
        operations.read(None, "Anonymise", bug)
    assert told == []


def test_a_quiet_read_shows_nothing_and_logs_the_sentence(qtbot, told, caplog) -> None:
    def gone() -> int:
        raise NotFoundError("That meeting is no longer listed.")

    with caplog.at_level(logging.INFO, logger="coordinator_app.ui.operations.reads"):
        assert operations.read(None, "Meeting papers", gone, quiet=True) is None
    assert told == []
    assert "That meeting is no longer listed." in caplog.text


def test_an_export_refused_shows_its_sentence_and_one_written_returns_its_path(
    qtbot, told, tmp_path
) -> None:
    """``operations.export``: a file the screen writes (the subject access workbook, a PDF) is
    told like a read; a bug still propagates."""
    from coordinator_app.core.errors import CoordinatorError

    def full() -> str:
        raise CoordinatorError("The disk is full.")

    assert operations.export(None, "Subject access export", full) is None
    assert told == [("Subject access export", "The disk is full.")]
    target = tmp_path / "report.pdf"
    assert operations.export(None, "Not saved", lambda: target) == target
    assert len(told) == 1

    def bug() -> None:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        operations.export(None, "Not saved", bug)
    assert len(told) == 1


def test_on_refused_is_called_instead_of_the_message_for_a_read_an_export_and_an_attempt(
    qtbot, told
) -> None:
    """A screen that puts the sentence somewhere else (a caption, beside a row) is handed the
    refusal; no message is shown, and the read still says it was not done."""
    from coordinator_app.core.errors import CoordinatorError

    def gone() -> int:
        raise NotFoundError("That meeting is no longer listed.")

    handed: list[CoordinatorError] = []
    assert operations.read(None, "Meeting", gone, on_refused=handed.append) is None
    assert operations.export(None, "PDF", gone, on_refused=handed.append) is None
    assert not operations.attempt(None, "Open", gone, on_refused=handed.append)
    assert [str(e) for e in handed] == ["That meeting is no longer listed."] * 3
    assert told == []


def test_an_attempt_says_whether_it_was_done_even_when_the_read_returns_nothing(
    qtbot, told
) -> None:
    """``attempt``: a read that fills the screen itself returns None when done; True tells it
    from a refusal (False, its sentence shown titled as given)."""
    filled: list[int] = []

    def fill() -> None:
        filled.append(1)

    def gone() -> None:
        raise NotFoundError("That meeting is no longer listed.")

    assert operations.attempt(None, "Cannot open the meeting", fill) is True
    assert filled == [1] and told == []
    assert operations.attempt(None, "Cannot open the meeting", gone) is False
    assert told == [("Cannot open the meeting", "That meeting is no longer listed.")]

    def bug() -> None:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        operations.attempt(None, "Cannot open the meeting", bug)
    assert len(told) == 1


def test_an_export_told_no_by_the_file_system_says_so_as_a_refusal(qtbot, told) -> None:
    """An ``OSError`` while the file is written (a full disk, a folder gone) is the file
    system's no, not a bug: its sentence titled as given (``core.storage.explain``'s when it
    has one, else the error's own); a read does not catch it."""
    import errno

    def full() -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def odd() -> None:
        raise OSError(errno.EINVAL, "Invalid argument")

    assert operations.export(None, "Report not saved", full) is None
    assert operations.export(None, "Report not saved", odd) is None
    full_disk = "The disk is full, so nothing was saved; free some space and try again."
    assert told == [
        ("Report not saved", full_disk),
        ("Report not saved", "[Errno 22] Invalid argument"),
    ]
    with pytest.raises(OSError):
        operations.read(None, "Meeting", full)


def test_only_the_places_reads_py_lists_catch_a_refusal_themselves() -> None:
    """Issue #20: a screen's read, export, print or preview goes through ``operations``; the
    files that still catch ``CoordinatorError`` themselves are those ``reads.py``'s docstring
    lists, each with its reason. A new one fails here (say why there, or use the one way)."""
    import ast
    from pathlib import Path

    from coordinator_app.ui.operations import reads

    ui = Path(reads.__file__).resolve().parent.parent
    listed = {
        "opening.py",
        "app.py",
        "main_window.py",
        "tasks.py",
        "drafts.py",
        "dialogs/record_dialog.py",
        "updates.py",
        "dialogs/database_settings.py",
        "dialogs/papers_dialog.py",
    }
    catching: set[str] = set()
    for path in ui.rglob("*.py"):
        name = path.relative_to(ui).as_posix()
        if name.startswith("operations/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ExceptHandler)
                and node.type is not None
                and "CoordinatorError" in ast.unparse(node.type)
            ):
                catching.add(name)
    assert catching <= listed, sorted(catching - listed)
    for name in listed:  # each with its reason there
        assert name.split("/")[-1] in (reads.__doc__ or ""), name
