"""The update check in the window (``core/updates.py``): at start-up, quietly, and from Help >
Check for updates…. It reads the source IT sets on a thread of its own, never the one task
executor: a file share that does not answer can take Windows half a minute to give up, and an
export must not wait behind it. It only ever tells; it never downloads or installs."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from .. import __version__
from ..core import updates
from ..core.errors import CoordinatorError
from . import tasks

log = logging.getLogger(__name__)

NO_SOURCE = (
    "No place to look for updates is set on this computer; your IT team tells you when a new "
    "version is ready."
)


def up_to_date() -> str:
    return f"You have the latest version ({__version__})."


class UpdateCheck(QObject):
    """One check; ``finished(sentence, found)`` arrives on the GUI thread (``found``: a newer
    version is available; otherwise the sentence says there is none, or why it could not
    tell)."""

    finished = Signal(str, bool)

    def __init__(self, source: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self._thread: threading.Thread | None = None
        #: True once ``finished`` reached every slot connected before ``start``.
        self.delivered = False

    def start(self) -> None:
        # Connected last, so it runs after the slots connected before: waiting on ``delivered``
        # waits for them (a signal from another thread reaches each slot as its own event).
        self.finished.connect(self._delivered)
        self._thread = threading.Thread(target=self._run, name="update-check", daemon=True)
        tasks.collector().hold()  # no garbage collection while its thread runs Python
        self._thread.start()

    def _delivered(self, _sentence: str, _found: bool) -> None:
        self.delivered = True
        tasks.collector().release()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:  # the check's own thread: no widgets here
        try:
            found = updates.check(self.source)
        except CoordinatorError as exc:
            log.info("Update check: %s", exc)
            self.finished.emit(str(exc), False)
            return
        except Exception:  # never let a check break the app; the log has the details
            log.exception("Update check failed")
            self.finished.emit("The check for a new version went wrong.", False)
            return
        if found is None:
            self.finished.emit(up_to_date(), False)
        else:
            self.finished.emit(found.sentence(), True)
