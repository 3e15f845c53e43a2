"""One way from a screen to the core: every write a screen makes is an ``Op``.

After Anki's ``CollectionOp`` (``qt/aqt/operations/__init__.py``): a view or dialog *asks*
(``operations.people.save_participant(parent, ...)``), the operation *does*: it runs the one core
call on the app's single background thread (``ui.tasks.executor``), so a write on a trust server
(a network round trip per statement) never freezes the window, and handles every way it can end
in one place:

- **done**: ``success(value)`` runs on the GUI thread, after ``changed(value)`` (the one
  ``DataEvents`` signal that tells other pages; emitted once, here, not by each screen);
- **a rule broken** (``ValidationError``): ``validation(exc)``, which a form uses to show each
  sentence at its field; without one the sentences are shown in a message;
- **someone else saved first** (``ConflictError``): ``conflict(exc)``; without one the sentence is
  shown (pages with nothing typed then reload what they show);
- **a sentence for the user** (any other ``CoordinatorError``: not found, a full disk, a lost
  server): ``failure(exc)``, else the sentence in a message titled ``title``;
- **a bug**: the traceback goes to the log (``core.logfile``) and the user reads one sentence
  saying nothing was saved and where the details are. Nothing typed is touched.

``run()`` returns at once and calls back later. ``wait()`` runs the same way but waits,
handling events as they come: the window repaints, and the user's keystrokes and clicks are
held back until the write is done (then delivered, in order). It returns an ``Outcome``: what
a dialog's Save uses, so it closes only once saved. Pitfall: timers still fire during ``wait``
(an autosave may queue its own write: the executor runs writes one at a time, in order). A
timer that saves with a version should check ``waiting()`` and try again later: a write made
while another waits would carry the version the one under way is about to change.

Contract of the operation's function: it runs on the worker thread, so it must never touch a
widget; it takes plain values (read everything it needs from the widgets before making the
``Op``) and calls exactly one core function, which opens its own transaction.

A *read* a screen makes and shows is not an ``Op``: ``read(parent, title, fn)`` (``reads.py``)
runs it at once on the GUI thread and shows a refusal's sentence titled ``title``; ``export``
does the same for a file the screen writes now, ``attempt`` for a read that returns nothing
(True once done), and ``on_refused`` lets a screen put the sentence somewhere else.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QRunnable, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from ...core.errors import ConflictError, CoordinatorError, ValidationError
from .. import tasks, widgets
from .reads import attempt as attempt
from .reads import export as export
from .reads import read as read

T = TypeVar("T")

#: A busy cursor shows only for a write that takes longer than this.
BUSY_CURSOR_MS = 300


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """How an ``Op`` ended: ``ok`` with its ``value``, or the ``error`` (already handled)."""

    ok: bool
    value: T | None = None
    error: BaseException | None = None

    @property
    def conflict(self) -> bool:
        return isinstance(self.error, ConflictError)

    @property
    def invalid(self) -> bool:
        return isinstance(self.error, ValidationError)


class _Signals(QObject):
    """Made on the GUI thread, emitted on the worker: delivered queued to the GUI thread."""

    ended = Signal(object)  #: an Outcome


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()
        #: The thread the function ran on (tests check that writes leave the GUI thread).
        self.thread: threading.Thread | None = None

    def run(self) -> None:  # the worker thread: no widgets here
        self.thread = threading.current_thread()
        try:
            value = self.fn()
        except BaseException as exc:  # delivered to the GUI thread and handled there
            self.signals.ended.emit(Outcome(False, None, exc))
        else:
            self.signals.ended.emit(Outcome(True, value, None))


#: Jobs queued or running, kept alive until their outcome reached the GUI thread.
_live: set[_Job] = set()
#: Every job's thread, newest last (for tests: ``last_thread()``).
_threads: list[threading.Thread | None] = []


#: How many ``wait()``/``call()`` are waiting for their write now (nested local event loops).
_waiting = 0


def waiting() -> bool:
    """True while an operation's ``wait()`` or ``call()`` waits for its write (its callbacks
    not yet run): a timer firing in that local event loop should put its own save off."""
    return _waiting > 0


def last_thread() -> threading.Thread | None:
    """The thread the most recent operation ran on (tests assert it is not the GUI's)."""
    return _threads[-1] if _threads else None


class Op(Generic[T]):
    """One write a screen asks for. Build it, attach what to do on each ending, then ``run()``
    or ``wait()``; see the module's docstring."""

    def __init__(
        self,
        parent: QWidget | None,
        fn: Callable[[], T],
        *,
        title: str = "Not saved",
        changed: Callable[[T], None] | None = None,
        quiet: bool = False,
    ) -> None:
        self.parent = parent
        self.fn = fn
        self.title = title
        self._changed = changed
        #: Background bookkeeping (a draft of the typing): a refusal without a handler is not
        #: shown and a bug is only logged; the caller tries again later.
        self.quiet = quiet
        self._success: Callable[[T], None] | None = None
        self._validation: Callable[[ValidationError], None] | None = None
        self._conflict: Callable[[ConflictError], None] | None = None
        self._failure: Callable[[CoordinatorError], None] | None = None

    def success(self, fn: Callable[[T], None]) -> Op[T]:
        self._success = fn
        return self

    def validation(self, fn: Callable[[ValidationError], None]) -> Op[T]:
        self._validation = fn
        return self

    def conflict(self, fn: Callable[[ConflictError], None]) -> Op[T]:
        self._conflict = fn
        return self

    def failure(self, fn: Callable[[CoordinatorError], None]) -> Op[T]:
        self._failure = fn
        return self

    # --- running ---------------------------------------------------------------------------

    def _start(self, ended: Callable[[Outcome[T]], None]) -> _Job:
        job = _Job(self.fn)
        _live.add(job)
        collector = tasks.collector()
        collector.hold()  # no garbage collection while the worker runs (``tasks._GuiCollector``)

        def deliver(outcome: Outcome[T]) -> None:
            _live.discard(job)
            collector.release()
            _threads.append(job.thread)
            del _threads[:-8]
            ended(outcome)

        job.signals.ended.connect(deliver, Qt.ConnectionType.QueuedConnection)
        tasks.executor().start(job)
        return job

    def run(self) -> None:
        """Run in the background; the callbacks come later, on the GUI thread."""
        self._start(self._handle)

    def wait(self) -> Outcome[T]:
        """Run in the background and wait for it (window repainting, input held back); the
        callbacks have run when this returns."""
        outcome = self._wait_for_outcome()
        self._handle(outcome)
        return outcome

    def call(self) -> T:
        """Run in the background and wait, like ``wait``, but hand a refusal back to the caller
        (raised here, on the GUI thread) instead of handling it: for the one shared save path
        that shows refusals its own way, at the fields (``RecordDialog.try_save``). ``changed``
        and ``success`` still run when it is done. A bug is raised too: the last-resort handler
        (``ui.errors``) logs it and says so, and the dialog stays open with its typing."""
        outcome = self._wait_for_outcome()
        if not outcome.ok:
            assert outcome.error is not None
            raise outcome.error
        self._handle(outcome)
        return outcome.value  # type: ignore[return-value]

    def _wait_for_outcome(self) -> Outcome[T]:
        result: list[Outcome[T]] = []

        def ended(outcome: Outcome[T]) -> None:
            result.append(outcome)

        cursor: list[bool] = []

        def show_busy() -> None:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            cursor.append(True)

        busy = QTimer()
        busy.setSingleShot(True)
        busy.timeout.connect(show_busy)
        busy.start(BUSY_CURSOR_MS)
        global _waiting
        _waiting += 1
        try:
            self._start(ended)
            # Events are handled one wake-up at a time, not in a QEventLoop: an event loop also
            # runs the deferred deletes posted before it, so a dialog deleteLater()'d while its
            # own save waited was deleted under it (a segmentation fault, seen in the tests);
            # processEvents never runs them. WaitForMoreEvents sleeps until something comes
            # (the outcome, a timer, a repaint): no busy loop.
            flags = (
                QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
                | QEventLoop.ProcessEventsFlag.WaitForMoreEvents
            )
            while not result:
                QCoreApplication.processEvents(flags)
        finally:
            _waiting -= 1
        busy.stop()
        if cursor:
            QGuiApplication.restoreOverrideCursor()
        return result[0]

    # --- the one place every ending is handled ---------------------------------------------

    def _handle(self, outcome: Outcome[T]) -> None:
        if outcome.ok:
            if self._changed is not None:
                self._changed(outcome.value)  # type: ignore[arg-type]
            if self._success is not None:
                self._success(outcome.value)  # type: ignore[arg-type]
            return
        error = outcome.error
        if self.quiet and not any((self._validation, self._conflict, self._failure)):
            if isinstance(error, Exception) and not isinstance(error, CoordinatorError):
                from ...core.logfile import log_exception

                log_exception(error, "background bookkeeping")
            elif error is not None and not isinstance(error, Exception):
                raise error
            return
        if isinstance(error, ValidationError):
            if self._validation is not None:
                self._validation(error)
            else:
                widgets.inform(self.parent, self.title, str(error))
        elif isinstance(error, ConflictError):
            if self._conflict is not None:
                self._conflict(error)
            else:
                widgets.inform(self.parent, self.title, str(error))
        elif isinstance(error, CoordinatorError):
            if self._failure is not None:
                self._failure(error)
            else:
                widgets.inform(self.parent, self.title, str(error))
        elif isinstance(error, Exception):
            report_unexpected(self.parent, error, self.title)
        elif error is not None:
            raise error  # KeyboardInterrupt, SystemExit: not ours to swallow


def report_unexpected(parent: QWidget | None, error: BaseException, title: str) -> None:
    """Log a bug's traceback and tell the user in one sentence (``ui.errors`` says how)."""
    from ..errors import tell_unexpected

    tell_unexpected(parent, error, title)
