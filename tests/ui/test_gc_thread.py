"""Python's garbage collector never destroys a widget on the worker thread (issue #23).

A closed dialog that only a reference cycle still holds (PySide gives an ``exec()``'d dialog back
to Python's ownership) is destroyed by whichever thread's allocation sets off the next
collection. The first-day journey crashed that way now and then: writing the monthly return,
the worker's openpyxl work set off a collection that deleted the meeting's Print chooser on the
worker thread while the GUI thread painted (heap corruption, a segmentation fault).

Here the GUI thread keeps making such garbage (a widget held by a closure's cycle) while a job
allocates on the worker, through ``tasks.run_with_progress`` (the return's path) and through an
``Op`` run in the background (every write): each widget must be destroyed on the GUI thread.
Before the fix the collections ran on the worker (or the process crashed), so the test runs in
a process of its own (``tests/cli/test_without_orm._run``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_without_orm import _run

#: Garbage made on the GUI thread, each followed by a burst of allocation on the worker.
ROUNDS = 40

_SCRIPT = """
import gc, threading, time
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from coordinator_app.ui import operations, tasks

app = QApplication([])
gc.enable()  # as the app once its window is up (ui/app.py)
ROUNDS = {rounds}
gui = threading.current_thread()
destroyed = []  # True: destroyed on the GUI thread
wanted = threading.Event()  # the worker is ready for the next piece of garbage
made = threading.Event()  # the GUI thread has made it


class Closed(QWidget):
    # A widget the app no longer needs, owned by Python (as an exec()'d dialog is).
    def __del__(self):
        destroyed.append(threading.current_thread() is gui)


def garbage():
    widget = Closed()

    def again():  # a closure that refers to itself: only the collector frees the widget
        return widget, again


feeder = QTimer()
feeder.setInterval(0)


def feed():
    if wanted.is_set():
        wanted.clear()
        garbage()
        made.set()


feeder.timeout.connect(feed)


def work(*_args):
    kept = []
    for _ in range(ROUNDS):
        wanted.set()
        assert made.wait(30), "the GUI thread made no garbage"
        made.clear()
        # What a return's openpyxl objects do: thousands of containers, kept till the end.
        kept.append([[i] for i in range(3000)])
    return "done"


def job_by_task():
    return tasks.run_with_progress(None, "Export return", "Writing…", work)


def job_by_op():
    # run(), as an autosave or a list's write does: the window goes on as usual meanwhile.
    ended = []
    operations.Op(None, work).success(ended.append).run()
    while not ended:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    return ended[0]


feeder.start()
result = {{"task": job_by_task, "op": job_by_op}}["{how}"]()
feeder.stop()
assert result == "done", result
# Automatic collection comes back once the worker has returned from the job.
deadline = time.monotonic() + 30
while not gc.isenabled() and time.monotonic() < deadline:
    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
assert gc.isenabled(), "automatic collection is back once the work is done"
gc.collect()
print(len(destroyed), destroyed.count(False))
"""


@pytest.mark.parametrize("how", ["task", "op"])
def test_garbage_made_during_a_job_is_destroyed_on_the_gui_thread(how: str, tmp_path: Path) -> None:
    out = _run(_SCRIPT.format(rounds=ROUNDS, how=how), tmp_path)
    destroyed, off_the_gui_thread = map(int, out.split())
    assert destroyed == ROUNDS
    assert off_the_gui_thread == 0
