"""Long work off the GUI thread, through ONE serialised executor (Anki's ``taskman`` idea).

Every long job (export a return, consolidate returns, import, the lists' reads, every write) is a
``Task`` run by a single worker thread (a ``QThreadPool`` limited to one thread), so two jobs
never touch the database or the same file at once, and they run in the order they were asked
for. Backups are the one exception: they only read, may take half a minute on a large database,
and so run on a thread of their own (``backups()``), so no list or save waits behind one.

Contract of a task function ``fn(progress, cancelled) -> result``:

- it runs on the worker thread: it must NEVER touch a widget or any other GUI object. It reports
  through ``progress(done, total)``; the signals are delivered to the GUI thread (queued).
- it reads ``cancelled()`` (a thread-safe flag) between steps and stops by raising
  ``ExportCancelled`` (the core's ``export_return`` and ``consolidate`` already do);
- SQLite connections must not be shared across threads: a task never receives a ``Session`` (or
  an ORM object) made on the GUI thread. It takes the ``Database`` and opens its own short
  session, which the core functions do themselves (``with db.session() ...``), so passing
  ``ctx.db`` to them is safe;
- errors meant for the user are ``CoordinatorError`` (one sentence); anything else is logged with
  its traceback and reported as a plain "something went wrong" sentence.

``run_with_progress`` is what pages call: it shows a window-modal, cancellable
``QProgressDialog`` (only when the job lasts longer than ``PROGRESS_DELAY_MS``), waits in a local
event loop (the window keeps repainting) and returns the result, or None when the user cancelled
or the job failed; a failure's sentence is shown through ``show_error``, which tests patch.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from ..core.errors import CoordinatorError, ExportCancelled
from . import focus

log = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
TaskFunction = Callable[[Progress, Cancelled], Any]

#: The progress dialog appears only for work that takes longer than this.
PROGRESS_DELAY_MS = 300
UNEXPECTED = "Something went wrong: {error}. Nothing was changed; please try again."


class TaskSignals(QObject):
    """The signals of one ``Task``, on a separate QObject (a QRunnable is not a QObject).

    Made on the GUI thread, so its signals, emitted on the worker, reach GUI slots queued.
    Exactly one of ``finished``, ``failed`` and ``cancelled`` is emitted, once, at the end.
    """

    progressed = Signal(int, int)  #: done, total
    finished = Signal(object)  #: the function's result
    failed = Signal(str)  #: one sentence for the user
    cancelled = Signal()  #: stopped at the user's request; nothing was written


class Task(QRunnable):
    """One job for the executor: ``fn(progress, cancelled)`` run on the worker thread.

    ``cancel()`` (from any thread) sets a flag that ``fn``'s ``cancelled()`` reads; a
    cooperative ``fn`` then raises ``ExportCancelled`` and ``signals.cancelled`` is emitted.
    Keep a reference to the task (or its ``signals``) until its end signal has arrived.
    """

    def __init__(self, fn: TaskFunction) -> None:
        super().__init__()
        # The Python object must outlive run(): the pool must not delete it (see ``submit``).
        self.setAutoDelete(False)
        self._fn = fn
        self._cancel = threading.Event()
        self.signals = TaskSignals()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int) -> None:
        self.signals.progressed.emit(int(done), int(total))

    def run(self) -> None:  # the worker thread: no widgets here
        try:
            result = self._fn(self._progress, self.is_cancelled)
        except ExportCancelled:
            self.signals.cancelled.emit()
        except CoordinatorError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # a bug: keep the traceback in the log, tell the user plainly
            log.exception("Background task failed")
            self.signals.failed.emit(UNEXPECTED.format(error=str(exc) or type(exc).__name__))
        else:
            self.signals.finished.emit(result)


# --- the one executor ---------------------------------------------------------------------------

_pool: QThreadPool | None = None
#: Tasks submitted and not yet ended, by ``id``: the executor keeps them alive (the pool does
#: not own them), and lets go on the GUI thread once the end signal has been delivered there.
_live: dict[int, Task] = {}
_live_lock = threading.Lock()


def _forget(key: int) -> None:
    """A task's end has been delivered (GUI thread): let go of it."""
    with _live_lock:
        task = _live.pop(key, None)
    if task is not None:
        collector().release()


#: How soon (seconds) the GUI thread gets the interpreter back while the worker computes.
#: Python's default, 5 ms, is paid at every call from Qt into Python (each cell a view paints),
#: so typing in a filter while the actions list loads lagged 20-100 ms per keystroke.
GUI_SWITCH_INTERVAL = 0.001


#: Until when (``time.monotonic``) background work should give way to someone typing.
_give_way_until = 0.0
#: How long after a keystroke background work keeps out of the window's way.
TYPING_PAUSE_S = 0.3


def note_typing() -> None:
    """The user typed (in a filter): background work pauses at its next ``give_way``."""
    global _give_way_until
    _give_way_until = time.monotonic() + TYPING_PAUSE_S


def give_way() -> None:
    """Called by background work between chunks: sleep (the interpreter free for the window)
    while the user is typing, so each keystroke is answered at the window's own speed."""
    while (left := _give_way_until - time.monotonic()) > 0:
        time.sleep(min(left, 0.05))


def typing_left() -> float:
    """Seconds until the user counts as having paused typing (0.0 when they have)."""
    return max(0.0, _give_way_until - time.monotonic())


def when_typing_pauses(context: QObject, fn: Callable[[], None]) -> None:
    """On the GUI thread: call ``fn`` now when nobody is typing, else once typing has paused
    (a single-shot timer, re-armed while keystrokes keep coming). A result that arrives from the
    worker between two keystrokes (``give_way`` returned just before the next one) is thus
    applied after the typing, never in the middle of it. Nothing is called once ``context`` is
    gone; ``fn`` must still check that its result is not stale by then."""
    left = typing_left()
    if left <= 0:
        fn()
        return
    QTimer.singleShot(int(left * 1000) + 1, context, lambda: when_typing_pauses(context, fn))


def executor() -> QThreadPool:
    """The application's single background thread (made on first use, on the GUI thread)."""
    global _pool
    if _pool is None:
        sys.setswitchinterval(min(sys.getswitchinterval(), GUI_SWITCH_INTERVAL))
        _pool = QThreadPool(QCoreApplication.instance())
        _pool.setMaxThreadCount(1)
        _pool.setObjectName("coordinator-tasks")
    return _pool


_backup_pool: QThreadPool | None = None


def backups() -> QThreadPool:
    """The backups' own background thread (made on first use, on the GUI thread): a backup
    reads the whole database, so it never runs on ``executor()``, where lists and saves would
    wait behind it. Pitfall: a backup and a save can therefore run at once; SQLite's online
    backup copies one consistent snapshot (one step, on a read-only connection), so that is
    safe, but a restore must wait for a backup under way (``wait_for_backups``)."""
    global _backup_pool
    if _backup_pool is None:
        _backup_pool = QThreadPool(QCoreApplication.instance())
        _backup_pool.setMaxThreadCount(1)
        _backup_pool.setObjectName("coordinator-backups")
    return _backup_pool


# --- the garbage collector waits for the background threads ---------------------------------

#: How often (ms) the GUI thread looks whether background work has ended.
IDLE_POLL_MS = 50


def _background_busy() -> bool:
    """A background thread is running (or about to run) a job's Python."""
    return any(pool is not None and pool.activeThreadCount() > 0 for pool in (_pool, _backup_pool))


class _GuiCollector(QObject):
    """No garbage collection while a background thread runs a job; then, on the GUI thread.

    Python collects on whichever thread happens to allocate when its counts pass a threshold,
    and a collection destroys what only a reference cycle still holds: a closed dialog (PySide
    hands an ``exec()``'d dialog back to Python's ownership) held by a closure is then deleted,
    widget tree, file dialog and backing store, on the thread that collected. On the worker
    that is a widget deleted off the GUI thread while the GUI thread paints: heap corruption and
    a segmentation fault (the first-day journey, writing the monthly return: the meeting's
    ``PrintChooser`` destroyed on "coordinator-tasks" inside a collection its openpyxl work set
    off). A collection on the GUI thread while the worker runs is no safer: Shiboken runs a
    widget's C++ destructor with the interpreter released, so the worker's Python runs beside
    it (that run ended with both threads' "Fatal Python error" at once, and so did a collection
    inside ``Op.wait`` earlier).

    So from the moment a job is submitted until no background thread runs one, automatic
    collection is off; then the GUI thread collects what is due and turns it back on. A timer
    notices the end: the worker may still be returning from the job when its end arrives.
    Collection that was off (start-up turns it off while it builds the window) stays off;
    turned on while a job runs (start-up's end, ``ui/app.py``), it is taken over at the next
    tick and handed back after.
    """

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self.setObjectName("coordinator-gui-collector")
        self._jobs = 0
        #: Automatic collection was on and is to be turned back on once the work is done.
        self._restore = False
        self._timer = QTimer(self)
        self._timer.setInterval(IDLE_POLL_MS)
        self._timer.timeout.connect(self._tick)

    @property
    def active(self) -> bool:
        """Background work is in flight: no collection until it has ended."""
        return self._timer.isActive()

    def hold(self) -> None:
        """A job is about to be started (GUI thread): no collection from now on."""
        self._jobs += 1
        self._take_over()
        self._timer.start()

    def release(self) -> None:
        """A job's end has reached the GUI thread; collection comes back once no thread is
        still busy."""
        self._jobs = max(0, self._jobs - 1)
        self._tick()

    def enable(self) -> None:
        """Turn automatic collection on: now when no job runs, else once the jobs have ended.
        What start-up should call instead of ``gc.enable()`` (the tick takes a plain
        ``gc.enable()`` over, but a collection could run on the worker until it does)."""
        if self.active:
            self._restore = True
        else:
            gc.enable()

    def _take_over(self) -> None:
        if gc.isenabled():
            gc.disable()
            self._restore = True

    def _tick(self) -> None:
        self._take_over()
        if self._jobs == 0 and not _background_busy():
            self._timer.stop()
            if self._restore:
                self._restore = False
                collect_due()
                gc.enable()


def collect_due() -> None:
    """Collect, here and now, the generations whose counts passed Python's thresholds (what an
    automatic collection would have done at the next allocation)."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    generation = -1
    for level in range(3):
        if counts[level] <= thresholds[level]:
            break
        generation = level
    if generation >= 0:
        gc.collect(generation)


_collector: _GuiCollector | None = None


def collector() -> _GuiCollector:
    """The one ``_GuiCollector`` (made on first use, on the GUI thread). Anything that starts a
    job on a background thread calls ``hold()`` before and ``release()`` once its end has been
    delivered to the GUI thread (``submit`` does; so does ``ui.operations``)."""
    global _collector
    if _collector is None:
        _collector = _GuiCollector()
    return _collector


def submit(task: Task, pool: QThreadPool | None = None) -> Task:
    """Queue ``task`` on the executor (or ``pool``: ``backups()``); jobs run one at a time, in
    the order submitted."""
    key = id(task)
    with _live_lock:
        _live[key] = task
    collector().hold()
    # The slots capture the key, not the task: no reference cycle through C++ connections.
    task.signals.finished.connect(lambda _result: _forget(key))
    task.signals.failed.connect(lambda _message: _forget(key))
    task.signals.cancelled.connect(lambda: _forget(key))
    (pool or executor()).start(task)
    return task


def shutdown(timeout_ms: int = 10_000) -> bool:
    """Cancel every queued or running task and wait for the worker; True when it stopped.

    The main window calls this when it closes, so no job is cut off halfway by the interpreter
    exiting (a cancelled export leaves the old file as it was).
    """
    with _live_lock:
        tasks = list(_live.values())
    for task in tasks:
        task.cancel()
    stopped = True
    for pool in (_pool, _backup_pool):
        if pool is not None:
            stopped = pool.waitForDone(timeout_ms) and stopped
    return stopped


# --- the helper pages call ----------------------------------------------------------------------


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the user why a job failed (a ``CoordinatorError`` sentence). Tests patch this."""
    focus.use_ring_style()
    QMessageBox.warning(parent, title, text)


def run_with_progress(
    parent: QWidget | None,
    title: str,
    label: str,
    fn: TaskFunction,
    pool: QThreadPool | None = None,
) -> Any:
    """Run ``fn(progress, cancelled)`` in the background behind a progress dialog.

    Returns ``fn``'s result, or None when the user cancelled or the job failed (the failure's
    sentence has then been shown through ``show_error``). The dialog is window-modal (the rest of
    the window cannot start a second job meanwhile), cancellable with its button or Escape, and
    appears only when the work lasts longer than ``PROGRESS_DELAY_MS``.

    Pitfall: this waits in a local event loop, so the caller's code resumes only after the job; a
    widget may have changed meanwhile (read what you need before calling).
    """
    task = Task(fn)
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)
    dialog.setAccessibleDescription(label)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(PROGRESS_DELAY_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    # No setValue() before the signals are connected: on a modal dialog it processes events, and
    # a cancel handled there would be lost.

    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def progressed(done: int, total: int) -> None:
        if dialog.wasCanceled():  # cancel() called directly does not emit canceled
            task.cancel()
            return
        if dialog.maximum() != total:
            dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total > 0 else 0)

    def finished(result: object) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(message: str) -> None:
        outcome["error"] = message
        loop.quit()

    def user_cancelled() -> None:
        dialog.setLabelText("Cancelling…")
        task.cancel()

    task.signals.progressed.connect(progressed)
    task.signals.finished.connect(finished)
    task.signals.failed.connect(failed)
    task.signals.cancelled.connect(loop.quit)
    dialog.canceled.connect(user_cancelled)
    if dialog.wasCanceled():
        task.cancel()
    submit(task, pool)
    loop.exec()

    dialog.canceled.disconnect(user_cancelled)
    dialog.hide()
    dialog.deleteLater()
    if "error" in outcome:
        show_error(parent, title, outcome["error"])
        return None
    return outcome.get("result")


def wait_for_backups(parent: QWidget | None) -> None:
    """Return once no backup is under way (a restore replaces the file a backup reads),
    behind the usual progress dialog when that takes a moment."""
    if _backup_pool is None or _backup_pool.activeThreadCount() == 0:
        return
    run_with_progress(
        parent, "Backup", "Finishing the backup under way…", lambda _p, _c: None, backups()
    )


# --- long lists: the newest screenful at once, the whole list from the executor ----------------


class ListLoader(QObject, Generic[T]):
    """The "first screen, then the whole list" plumbing shared by the long list pages (Actions,
    Meetings): one of them per page.

    The page gives ``deliver(result, complete)``, which puts rows in place on the GUI thread
    keeping the filters, the sort and the selection (``complete`` False: only the newest
    screenful); and, to each ``load``, ``read(limit, cancelled)``: plain core reads with no Qt
    (it runs on the worker for the whole list) giving the newest ``limit`` rows, or all of them
    when ``limit`` is None. ``read`` takes what it needs (the database, today) when it is made,
    on the GUI thread.

    ``load(read, first_screen)``: with a ``first_screen`` the newest that many rows are read and
    delivered at once on the GUI thread (so rows show with the page); when ``count`` is given
    and fewer than ``first_screen`` rows came back, that is the whole list and nothing runs in
    the background (small databases stay synchronous). Otherwise the whole list is read on the
    one executor and delivered when it arrives, after ``give_way`` and ``when_typing_pauses``
    (never in the middle of someone typing). Without ``first_screen`` (rows already shown) only
    the background read runs: the rows shown stay until the whole list replaces them, so a
    refresh never shrinks the list to a screenful and grows it again.

    A newer ``load`` supersedes an older one (its result is dropped); ``cancel()`` (the page was
    hidden) gives the executor back. A failed background read calls ``failed(sentence)``.
    Pitfall: ``read`` runs on the worker thread: no widgets, no GUI-thread sessions.
    """

    def __init__(
        self,
        what: str,
        deliver: Callable[[T, bool], None],
        failed: Callable[[str], None],
        *,
        count: Callable[[T], int] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._what = what
        self._deliver = deliver
        self._failed = failed
        self._count = count
        self._generation = 0
        self._task: Task | None = None
        #: The rows delivered last are the newest screenful; the whole list is still coming.
        self.partial = False

    @property
    def busy(self) -> bool:
        """A background read is under way (or its result is waiting for typing to pause)."""
        return self._task is not None

    def load(
        self, read: Callable[[int | None, Cancelled], T], first_screen: int | None = None
    ) -> None:
        self.cancel()  # superseded: a queued read then ends at once, a running one is dropped
        generation = self._generation
        if first_screen is not None:
            try:
                screen = read(first_screen, lambda: False)
            except CoordinatorError:
                pass  # the background read says so
            else:
                complete = self._count is not None and self._count(screen) < first_screen
                self.partial = not complete
                self._deliver(screen, complete)
                if complete:
                    return
        what = self._what

        def job(_progress: Progress, cancelled: Cancelled) -> tuple[int, T]:
            if cancelled():
                raise ExportCancelled(f"The {what} list was not needed any more.")
            result = read(None, cancelled)
            if cancelled():
                raise ExportCancelled(f"The {what} list was not needed any more.")
            give_way()  # someone typing: hand the rows over once they pause
            return generation, result

        task = self._task = Task(job)
        task.signals.finished.connect(self._finished)
        task.signals.failed.connect(lambda message, t=task: self._read_failed(t, message))
        task.signals.cancelled.connect(lambda t=task: self._ended(t))
        submit(task)

    def cancel(self) -> bool:
        """Stop the background read under way (its result, should it still come, is dropped);
        True when there was one (the page then loads again when next needed)."""
        self._generation += 1
        task, self._task = self._task, None
        if task is None:
            return False
        task.cancel()
        return True

    def _ended(self, task: Task) -> None:
        if task is self._task:
            self._task = None

    def _read_failed(self, task: Task, message: str) -> None:
        if task is self._task:
            self._task = None
            self.partial = False  # nothing more is coming: the page says why instead
            self._failed(message)

    def _finished(self, payload: tuple[int, T]) -> None:
        generation, result = payload
        if generation == self._generation:
            when_typing_pauses(self, lambda: self._hand_over(generation, result))

    def _hand_over(self, generation: int, result: T) -> None:
        if generation != self._generation:
            return  # a newer load began while typing held this one back
        self._task = None
        self.partial = False
        self._deliver(result, True)


class _Table(Protocol):
    """What ``KeptSelection`` needs of a list's table (``widgets.DataTable``)."""

    def current_row(self) -> int: ...

    def select_row(self, row: int) -> None: ...

    def selectionModel(self) -> Any: ...  # Qt's name


class KeptSelection:
    """Which row a long list keeps selected while ``ListLoader`` brings its rows in steps:
    one per page (Meetings, Actions).

    A row asked for by code (``select``: a record just made, edited or opened from elsewhere) or
    the row selected when a reload began (``keep_current``) is remembered until rows holding it
    are in place, and then it wins: the page calls ``take`` before it puts rows in place and
    ``select`` with the answer after. A row the user picks meanwhile replaces it (the user's
    choice is never overridden by a load finishing). ``find(row_id)`` is the row shown for an id
    (-1 when it is not shown); ``id_at(row)`` the id of a row shown.
    """

    def __init__(
        self,
        table: _Table,
        loader: ListLoader[Any],
        find: Callable[[uuid.UUID], int],
        id_at: Callable[[int], uuid.UUID],
    ) -> None:
        self._table, self._loader, self._find, self._id_at = table, loader, find, id_at
        self._wanted: uuid.UUID | None = None
        self._selecting = False
        table.selectionModel().currentRowChanged.connect(self._current_changed)

    def current(self) -> uuid.UUID | None:
        """The id of the row selected now, if any."""
        row = self._table.current_row()
        return self._id_at(row) if row >= 0 else None

    def keep_current(self) -> None:
        """A reload begins: the row selected now is selected again afterwards, unless code has
        asked for another."""
        if self._wanted is None:
            self._wanted = self.current()

    def select(self, row_id: uuid.UUID) -> bool:
        """Select ``row_id`` now if it is shown (True). While rows are still coming, or when it
        is not shown yet, it is also remembered and selected when they are in place."""
        row = self._find(row_id)
        if row < 0 or self._loader.busy or self._loader.partial:
            self._wanted = row_id
        else:
            # Shown and no rows coming: an older wish (a row that was not shown) is settled by
            # this one; kept, it would win over this row at the next reload.
            self._wanted = None
        if row < 0:
            return False
        self._selecting = True
        try:
            self._table.select_row(row)
        finally:
            self._selecting = False
        return True

    def take(self) -> uuid.UUID | None:
        """Rows are about to be put in place: the row to select once they are (the one asked
        for, else the one selected now); the page passes it to ``select``."""
        keep, self._wanted = self._wanted or self.current(), None
        return keep

    def _current_changed(self, *_args: object) -> None:
        if not self._selecting:
            self._wanted = None  # the user chose a row (or none): that choice is kept instead
