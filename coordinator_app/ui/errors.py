"""The last resort: an error nobody handled becomes one plain sentence, and the app goes on.

``install()`` (called once by ``app.run``, never at import: pytest-qt has its own hook) sets
``sys.excepthook`` (an exception escaping a slot or event handler: PySide6 hands it there),
``threading.excepthook`` (a worker thread) and Qt's message handler (Qt's own warnings, to the
log only). The traceback goes to the log (``core.logfile``), never to the screen; the user reads
that something unexpected went wrong, that nothing of that action was saved, and where the
details are. What is typed on screen stays there, and the window keeps running.

A disk or file problem (``core.storage.explain``: full, read-only, busy, gone) is not a bug:
its own sentence is shown instead; nor is a server refusing the signed-in login a read its role
may not make (``core/access.py``).
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import Any

from PySide6.QtCore import QMetaObject, QObject, Qt, QtMsgType, Slot, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget

from ..core.logfile import NO_LOG, log_exception
from . import widgets

UNEXPECTED_TITLE = "Something went wrong"


def sentence(error: BaseException, log: Any) -> str:
    """What the user reads for an unexpected ``error`` whose details went to ``log``."""
    from ..core.db import is_access_denied
    from ..core.errors import ACCESS_DENIED_READING
    from ..core.storage import explain

    reason = explain(error, None)
    if reason is not None:
        return str(reason)
    if is_access_denied(error):  # the server refused the signed-in login (core/access.py)
        return ACCESS_DENIED_READING
    where = "" if log == NO_LOG else f" The details are in {log}."
    return (
        f"Something unexpected went wrong ({type(error).__name__}), so that last step was not "
        f"finished and nothing of it was saved; what you typed is still on screen.{where}"
    )


def tell_unexpected(parent: QWidget | None, error: BaseException, title: str = "") -> None:
    """Log ``error`` and tell the user in one sentence (on the GUI thread)."""
    log = log_exception(error, title or "the desktop app")
    widgets.inform(parent, title or UNEXPECTED_TITLE, sentence(error, log))


class _Relay(QObject):
    """Brings an error from another thread to the GUI thread before anything is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[BaseException] = []

    @Slot()
    def show(self) -> None:
        while self.pending:
            error = self.pending.pop(0)
            widgets.inform(
                QApplication.activeWindow(), UNEXPECTED_TITLE, sentence(error, log_exception(error))
            )


_relay: _Relay | None = None
_showing = False


def excepthook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """``sys.excepthook``: log, then one sentence; KeyboardInterrupt leaves as usual."""
    global _showing
    if issubclass(kind, KeyboardInterrupt | SystemExit):
        sys.__excepthook__(kind, error, trace)
        return
    if error.__traceback__ is None and trace is not None:
        error = error.with_traceback(trace)
    if _showing:  # an error while telling about one: log it only, never a cascade of boxes
        log_exception(error, "while showing an error")
        return
    _showing = True
    try:
        tell_unexpected(QApplication.activeWindow(), error)
    finally:
        _showing = False


def thread_excepthook(args: threading.ExceptHookArgs) -> None:
    """``threading.excepthook``: hand the error to the GUI thread (widgets live there)."""
    if args.exc_value is None or isinstance(args.exc_value, SystemExit):
        return
    if _relay is None:
        log_exception(args.exc_value, "a background thread")
        return
    _relay.pending.append(args.exc_value)
    QMetaObject.invokeMethod(_relay, "show", Qt.ConnectionType.QueuedConnection)


def qt_messages(kind: QtMsgType, _context: Any, message: str) -> None:
    """Qt's own warnings go to the log, never to the screen (nor to a console nobody sees)."""
    if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        log_exception(RuntimeError(f"Qt: {message}"), "Qt")


def install() -> None:
    global _relay
    _relay = _Relay()
    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook
    qInstallMessageHandler(qt_messages)
