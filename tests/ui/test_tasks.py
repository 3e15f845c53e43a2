"""The one background executor: results, failures and cancellation arrive on the GUI thread as
signals, and ``run_with_progress`` returns the result, None on cancel, and reports a failure's
sentence through ``tasks.show_error`` (patched here; no message box ever opens)."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from coordinator_app.core.errors import CoordinatorError, ExportCancelled
from coordinator_app.ui import tasks


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(tasks, "show_error", lambda parent, title, text: shown.append(text))
    return shown


def wait_until_cancelled(release: threading.Event):
    """A cooperative task: reports progress once, then waits until cancelled (or released)."""

    def fn(progress, cancelled):
        progress(1, 3)
        while not cancelled():
            if release.wait(0.01):
                return "released"
        raise ExportCancelled()

    return fn


def test_a_task_result_arrives_by_signal_on_the_gui_thread(qtbot) -> None:
    seen: dict[str, object] = {}

    def fn(progress, cancelled):
        seen["worker"] = QThread.currentThread()
        progress(1, 2)
        progress(2, 2)
        return {"Zoë": 3}

    task = tasks.Task(fn)
    steps: list[tuple[int, int]] = []
    task.signals.progressed.connect(lambda done, total: steps.append((done, total)))
    task.signals.finished.connect(lambda _r: seen.setdefault("slot", QThread.currentThread()))
    with qtbot.waitSignal(task.signals.finished, timeout=5000) as blocker:
        tasks.submit(task)
    assert blocker.args == [{"Zoë": 3}]
    assert steps == [(1, 2), (2, 2)]
    assert seen["worker"] is not QThread.currentThread()
    assert seen["slot"] is QThread.currentThread()


def test_a_coordinator_error_arrives_as_its_sentence(qtbot) -> None:
    def fn(progress, cancelled):
        raise CoordinatorError("Siân's return could not be saved.")

    task = tasks.Task(fn)
    with qtbot.waitSignal(task.signals.failed, timeout=5000) as blocker:
        tasks.submit(task)
    assert blocker.args == ["Siân's return could not be saved."]


def test_an_unexpected_error_arrives_as_a_plain_sentence(qtbot) -> None:
    def fn(progress, cancelled):
        raise ValueError("bad cell")

    task = tasks.Task(fn)
    with qtbot.waitSignal(task.signals.failed, timeout=5000) as blocker:
        tasks.submit(task)
    assert blocker.args[0].startswith("Something went wrong: bad cell.")


def test_cancel_stops_a_cooperative_task(qtbot) -> None:
    release = threading.Event()
    task = tasks.Task(wait_until_cancelled(release))
    finished: list[object] = []
    task.signals.finished.connect(finished.append)
    with qtbot.waitSignal(task.signals.progressed, timeout=5000):
        tasks.submit(task)
    try:
        with qtbot.waitSignal(task.signals.cancelled, timeout=5000):
            task.cancel()
    finally:
        release.set()
    assert task.is_cancelled()
    assert finished == []


def test_tasks_run_one_at_a_time_in_order(qtbot) -> None:
    assert tasks.executor().maxThreadCount() == 1
    order: list[str] = []
    lock = threading.Lock()
    running = [0]
    overlap = [False]

    def job(name: str):
        def fn(progress, cancelled):
            with lock:
                running[0] += 1
                overlap[0] = overlap[0] or running[0] > 1
            for _ in range(20_000):
                pass
            with lock:
                running[0] -= 1
                order.append(name)
            return name

        return fn

    first, second, third = (tasks.Task(job(n)) for n in ("first", "second", "third"))
    with qtbot.waitSignals(
        [first.signals.finished, second.signals.finished, third.signals.finished], timeout=5000
    ):
        for task in (first, second, third):
            tasks.submit(task)
    assert order == ["first", "second", "third"]
    assert not overlap[0]


def test_run_with_progress_returns_the_result(qtbot, errors) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    result = tasks.run_with_progress(parent, "Export", "Working…", lambda p, c: 42)
    assert result == 42
    assert errors == []
    assert parent.findChildren(QProgressDialog) == [] or all(
        not d.isVisible() for d in parent.findChildren(QProgressDialog)
    )


def test_run_with_progress_shows_the_failure_sentence_and_returns_none(qtbot, errors) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def fn(progress, cancelled):
        raise CoordinatorError("The file is open in Excel.")

    assert tasks.run_with_progress(parent, "Export", "Working…", fn) is None
    assert errors == ["The file is open in Excel."]


def test_run_with_progress_returns_none_when_the_dialog_is_cancelled(qtbot, errors) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()
    pressed: list[bool] = []

    def press_cancel() -> None:
        dialogs = parent.findChildren(QProgressDialog)
        if not dialogs:
            QTimer.singleShot(10, press_cancel)
            return
        pressed.append(True)
        dialogs[0].findChild(QPushButton).click()  # the dialog's Cancel button

    QTimer.singleShot(0, press_cancel)
    try:
        result = tasks.run_with_progress(
            parent, "Export", "Working…", wait_until_cancelled(release)
        )
    finally:
        release.set()
    assert pressed == [True]
    assert result is None
    assert errors == []


def test_the_executor_lets_go_of_a_task_once_it_has_ended(qtbot) -> None:
    task = tasks.Task(lambda progress, cancelled: "done")
    with qtbot.waitSignal(task.signals.finished, timeout=5000):
        tasks.submit(task)
    qtbot.waitUntil(lambda: id(task) not in tasks._live, timeout=2000)


def test_shutdown_cancels_a_running_task_and_waits_for_it(qtbot) -> None:
    release = threading.Event()
    task = tasks.Task(wait_until_cancelled(release))
    with qtbot.waitSignal(task.signals.progressed, timeout=5000):
        tasks.submit(task)
    try:
        with qtbot.waitSignal(task.signals.cancelled, timeout=5000):
            assert tasks.shutdown(5000)
    finally:
        release.set()
    assert task.is_cancelled()


def test_background_work_gives_way_while_the_user_types(monkeypatch: pytest.MonkeyPatch) -> None:
    """``give_way`` returns at once when nobody typed; after a keystroke it sleeps (the
    interpreter free for the window) until TYPING_PAUSE_S has passed. A fake clock: no sleeps."""
    now = [1000.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(tasks.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(tasks.time, "sleep", sleep)
    monkeypatch.setattr(tasks, "_give_way_until", 0.0)
    tasks.give_way()
    assert slept == []
    tasks.note_typing()
    now[0] += 0.1  # the worker reaches its checkpoint 0.1 s after the keystroke
    tasks.give_way()
    assert sum(slept) == pytest.approx(tasks.TYPING_PAUSE_S - 0.1)
    assert now[0] == pytest.approx(1000.0 + tasks.TYPING_PAUSE_S)
    slept.clear()
    tasks.give_way()
    assert slept == []


def test_a_list_loader_drops_a_superseded_load_and_keeps_a_short_list_synchronous(qtbot) -> None:
    """``ListLoader``: a screenful shorter than asked is the whole list (delivered at once, no
    background read); a longer one is followed by the whole list from the worker; a newer load
    supersedes an older one still running, whose result is never delivered."""
    delivered: list[tuple[object, bool]] = []
    failures: list[str] = []
    owner = QWidget()
    qtbot.addWidget(owner)
    loader = tasks.ListLoader(
        "test",
        lambda result, complete: delivered.append((result, complete)),
        failures.append,
        count=len,
        parent=owner,
    )
    loader.load(lambda limit, cancelled: ["Zoë", "Siân"][:limit], first_screen=3)
    assert delivered == [(["Zoë", "Siân"], True)]
    assert not loader.busy

    delivered.clear()
    release = threading.Event()

    def slow(limit, cancelled):
        if limit is None:
            release.wait(5)
            return ["old"]
        return ["a", "b"]

    loader.load(slow, first_screen=2)
    assert delivered == [(["a", "b"], False)] and loader.partial
    loader.load(lambda limit, cancelled: ["new", "whole"])  # rows shown: background only
    release.set()
    qtbot.waitUntil(lambda: not loader.busy, timeout=5000)
    assert delivered == [(["a", "b"], False), (["new", "whole"], True)]
    assert not loader.partial and failures == []


def settled(qtbot) -> None:
    """The jobs of earlier tests have ended and the collector has handed collection back."""
    qtbot.waitUntil(lambda: not tasks.collector().active, timeout=5000)


@pytest.fixture
def collection(qtbot):
    """Automatic collection as a test sets it, put back as it was after; the jobs of earlier
    tests have ended first."""
    settled(qtbot)
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


@pytest.fixture
def release(collection):
    """What a test's job (or thread) waits on, set at the end whatever happens."""
    event = threading.Event()
    yield event
    event.set()


def test_collection_off_at_start_up_stays_off_through_a_job(qtbot, collection) -> None:
    """Start-up turns the collector off while it builds the window: a job then changes nothing
    (``tasks._GuiCollector``)."""
    task = tasks.Task(lambda progress, cancelled: "done")
    gc.disable()
    with qtbot.waitSignal(task.signals.finished, timeout=5000):
        tasks.submit(task)
    qtbot.waitUntil(lambda: not tasks.collector().active, timeout=5000)
    assert not gc.isenabled()


def test_collection_turned_on_during_a_job_waits_for_the_job_to_end(qtbot, release) -> None:
    """Start-up's end turns the collector on (``ui/app.py``) while a job may run: the GUI thread
    takes it over until the worker is idle, so no collection runs on the worker."""
    task = tasks.Task(lambda progress, cancelled: release.wait(10))
    gc.disable()
    tasks.submit(task)
    gc.enable()
    qtbot.waitUntil(lambda: not gc.isenabled(), timeout=5000)
    with qtbot.waitSignal(task.signals.finished, timeout=5000):
        release.set()
    qtbot.waitUntil(lambda: not tasks.collector().active, timeout=5000)
    assert gc.isenabled()


def test_garbage_made_during_a_job_is_collected_once_it_has_ended(qtbot, release) -> None:
    """No collection while a job runs (on neither thread); what became garbage meanwhile is
    collected on the GUI thread once the worker is idle, and collection is automatic again."""

    class Node:
        pass

    task = tasks.Task(lambda progress, cancelled: release.wait(10))
    gc.enable()
    tasks.submit(task)
    assert not gc.isenabled()
    node = Node()
    node.me = node  # type: ignore[attr-defined]  # a cycle: only the collector frees it
    gone = weakref.ref(node)
    del node
    made = [[i] for i in range(gc.get_threshold()[0] * 2)]  # past the first threshold
    assert gone() is not None  # nothing collected while the job runs
    with qtbot.waitSignal(task.signals.finished, timeout=5000):
        release.set()
    qtbot.waitUntil(lambda: not tasks.collector().active, timeout=5000)
    assert gc.isenabled()
    assert gone() is None  # collected (what was due) before collection was handed back
    del made


def test_collection_asked_for_during_a_job_comes_on_once_it_has_ended(qtbot, release) -> None:
    """``collector().enable()`` (for start-up, in place of ``gc.enable()``) waits for the
    worker: turned on at once while it runs, a collection could run there."""
    task = tasks.Task(lambda progress, cancelled: release.wait(10))
    gc.disable()
    tasks.submit(task)
    tasks.collector().enable()
    assert not gc.isenabled()
    with qtbot.waitSignal(task.signals.finished, timeout=5000):
        release.set()
    qtbot.waitUntil(lambda: not tasks.collector().active, timeout=5000)
    assert gc.isenabled()
    tasks.collector().enable()  # no job: at once
    assert gc.isenabled()


def test_no_collection_while_the_update_check_runs(qtbot, release, monkeypatch) -> None:
    """The check for a new version runs Python on a thread of its own: the same rule as a job."""
    from coordinator_app.core import updates as core_updates
    from coordinator_app.ui.updates import UpdateCheck

    monkeypatch.setattr(core_updates, "check", lambda source: release.wait(10) and None)
    gc.enable()
    check = UpdateCheck("somewhere")
    check.start()
    assert not gc.isenabled()
    with qtbot.waitSignal(check.finished, timeout=5000):
        release.set()
    qtbot.waitUntil(lambda: not tasks.collector().active, timeout=5000)
    assert gc.isenabled() and check.delivered


def test_no_collection_while_the_deferred_damage_check_runs(qtbot, release) -> None:
    """The damage check the opening deferred runs on a thread of its own (``core.soundness``):
    no collection until its verdict has reached the GUI thread."""
    from types import SimpleNamespace

    from PySide6.QtWidgets import QMainWindow

    from coordinator_app.ui.dialogs.backup_dialogs import watch_soundness

    class Check:
        def when_done(self, deliver):
            self.deliver = deliver

        def start(self):
            threading.Thread(target=lambda: (release.wait(10), self.deliver([]))).start()

    db = SimpleNamespace(soundness=Check(), on_write_waits=None)
    window = QMainWindow()
    qtbot.addWidget(window)
    gc.enable()
    watch = watch_soundness(SimpleNamespace(db=db), window)
    assert watch is not None and not gc.isenabled()
    with qtbot.waitSignal(watch.verdict, timeout=5000):
        release.set()
    qtbot.waitUntil(lambda: not tasks.collector().active, timeout=5000)
    assert gc.isenabled() and window.statusBar().currentMessage() == ""
