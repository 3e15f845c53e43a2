"""The operations layer (``ui/operations``) and the last-resort handler (``ui/errors``): writes
run off the GUI thread, and every way a write can end is handled in one place."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from coordinator_app.core.errors import ConflictError, CoordinatorError, ValidationError
from coordinator_app.core.storage import StorageError
from coordinator_app.ui import errors, operations, tasks, widgets
from coordinator_app.ui.operations import Op


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(widgets, "inform", lambda _parent, title, text: said.append((title, text)))
    return said


@pytest.fixture
def log_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    from coordinator_app.core.logfile import log_folder

    return log_folder()


def test_a_write_runs_off_the_gui_thread_and_reports_once(qtbot, told) -> None:
    ran_on: list[threading.Thread] = []
    changed: list[int] = []
    done: list[int] = []

    def write() -> int:
        ran_on.append(threading.current_thread())
        return 7

    op = Op(None, write, changed=changed.append).success(done.append)
    op.run()
    assert done == []  # run() does not wait
    qtbot.waitUntil(lambda: done == [7])
    assert changed == [7] and told == []
    assert ran_on[0] is not threading.main_thread()
    assert operations.last_thread() is ran_on[0]


def test_wait_returns_the_outcome_after_the_callbacks(qtbot, told) -> None:
    seen: list[str] = []
    outcome = Op(None, lambda: "saved").success(seen.append).wait()
    assert outcome.ok and outcome.value == "saved" and seen == ["saved"]


def test_a_broken_rule_goes_to_the_form_or_else_is_said(qtbot, told) -> None:
    problem = ValidationError({"name": "Please give a name."})

    def refuse() -> None:
        raise problem

    at_fields: list[ValidationError] = []
    outcome = Op(None, refuse).validation(at_fields.append).wait()
    assert not outcome.ok and outcome.invalid and at_fields == [problem] and told == []
    Op(None, refuse, title="Not saved").wait()
    assert told == [("Not saved", "Please give a name.")]


def test_a_conflict_goes_to_its_handler_or_else_is_said(qtbot, told) -> None:
    clash = ConflictError("meeting")

    def refuse() -> None:
        raise clash

    asked: list[ConflictError] = []
    assert Op(None, refuse).conflict(asked.append).wait().conflict
    assert asked == [clash] and told == []
    Op(None, refuse).wait()
    assert told[0][1].startswith("This meeting was changed since you opened it.")


def test_a_sentence_for_the_user_is_shown_as_it_is(qtbot, told) -> None:
    def full() -> None:
        raise StorageError("full", "The disk that holds the database is full, so nothing...")

    failures: list[CoordinatorError] = []
    Op(None, full).failure(failures.append).wait()
    assert failures and told == []
    Op(None, full, title="Not saved").wait()
    assert told == [("Not saved", "The disk that holds the database is full, so nothing...")]


def test_a_bug_is_logged_and_said_in_one_sentence_without_its_text(
    qtbot, told, log_here: Path
) -> None:
    def bug() -> None:
        raise KeyError("Zoë Smith 07700 900456")

    outcome = Op(None, bug).wait()
    assert not outcome.ok and isinstance(outcome.error, KeyError)
    (_title, text) = told[0]
    assert "Something unexpected went wrong (KeyError)" in text
    assert "nothing of it was saved" in text and str(log_here) in text
    assert "Zoë" not in text and "07700" not in text
    assert "KeyError" in (log_here / "coordinator-app.log").read_text(encoding="utf-8")


def test_the_last_resort_hook_tells_once_and_the_app_goes_on(qtbot, told, log_here) -> None:
    try:
        raise ZeroDivisionError("in a slot")
    except ZeroDivisionError as exc:
        errors.excepthook(ZeroDivisionError, exc, exc.__traceback__)
    assert len(told) == 1 and "Something unexpected went wrong (ZeroDivisionError)" in told[0][1]
    assert "in a slot" not in told[0][1]
    assert "ZeroDivisionError: in a slot" in (log_here / "coordinator-app.log").read_text(
        encoding="utf-8"
    )


def test_a_disk_problem_reaching_the_last_resort_is_its_own_sentence(qtbot, told, log_here):
    import sqlite3

    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = 13  # type: ignore[attr-defined]
    errors.excepthook(sqlite3.OperationalError, error, None)
    assert "is full" in told[0][1] and "unexpected" not in told[0][1]


def test_an_error_in_a_background_thread_is_shown_on_the_gui_thread(
    qtbot, told, log_here, monkeypatch
) -> None:
    monkeypatch.setattr(errors, "_relay", errors._Relay())

    def boom() -> None:
        raise ValueError("thread")

    worker = threading.Thread(target=boom)
    old = threading.excepthook
    threading.excepthook = errors.thread_excepthook
    try:
        worker.start()
        worker.join()
    finally:
        threading.excepthook = old
    qtbot.waitUntil(lambda: bool(told))
    assert "Something unexpected went wrong (ValueError)" in told[0][1]


def test_no_garbage_collection_while_a_write_is_waited_for(qtbot, told) -> None:
    """A collection while the worker runs (on it, or on the GUI thread inside ``wait``'s loop)
    crashed the first-day journey (``tasks._GuiCollector``). Collection is off while the worker
    runs and back on once it is idle, also when the write fails."""
    import gc

    qtbot.waitUntil(lambda: not tasks.collector().active, timeout=5000)  # earlier tests' jobs
    assert gc.isenabled()
    during: list[bool] = []

    def write() -> str:
        during.append(gc.isenabled())
        return "saved"

    assert Op(None, write).wait().ok
    qtbot.waitUntil(gc.isenabled, timeout=5000)  # the worker may still be returning
    assert during == [False]

    def refuse() -> None:
        during.append(gc.isenabled())
        raise CoordinatorError("The disk is full.")

    assert not Op(None, refuse).wait().ok
    qtbot.waitUntil(gc.isenabled, timeout=5000)
    assert during == [False, False]
