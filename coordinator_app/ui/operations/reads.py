"""A read a screen makes and shows: ``read(parent, title, fn)``; a file it writes from what it
reads: ``export(parent, title, fn)``; a read or a showing that returns nothing:
``attempt(parent, title, fn)``.

The other half of the one way from a screen to the core (writes are ``Op``, see the package's
docstring). A screen that needs a value *now* to show it (a participant's name for a question,
a backup's counts, a meeting's parts) calls the core's read through ``read`` instead of writing
its own ``try``/``except`` for a refusal (a ``CoordinatorError``):

- **done**: the value is returned;
- **a sentence for the user** (any ``CoordinatorError``: the row went meanwhile, the server is
  away): the sentence is shown in a message titled ``title`` (through ``widgets.inform``, as an
  ``Op`` shows it) and ``None`` is returned, so the caller stops or shows nothing;
- **a bug** (any other exception) is *not* caught: it propagates to the last-resort handler
  (``ui.errors``), which logs the traceback and says so in one sentence.

The read runs on the GUI thread, at once. Reads are short (one query, or a small file) and the
screen needs the value before it can go on (fill a form, ask a question), so there is nothing
to do meanwhile; the background executor (``ui.tasks.executor``) stays for writes, which on a
server can be slow and must run one at a time, in order. Long reads that fill a list have their
own machinery (``ui.tasks``' loaders), not this.

``quiet=True`` is for a read whose failure the screen shows some other way (or not at all: a
panel left empty, an offer not made): nothing is shown, the sentence goes to the log, and
``None`` is returned. ``on_refused(exc)`` is for a screen that does more with the sentence than
tell it (puts it in a caption or beside the row, says it in its own words, logs it as a
warning): it is called *instead of* the message; ``None`` is still returned.

``export`` is the same for a file the screen writes now from what it reads (a PDF, a workbook,
a copy of an evidence file, a printout), where the user has just chosen the file and waits for
it: a refusal (a full disk, a file open in Excel) is its sentence titled ``title``. So is the
file system's own no (an ``OSError`` while the file is written: ``core.storage.explain``'s
sentence, else the error's own), told as a refusal rather than as a bug.

``attempt`` is for a read that returns nothing because it fills the screen itself (a meeting
loaded into its editor, a preview shown): True once done, False when refused (told as ``read``
tells it), so the failure is explicit. Pitfall: through ``read``/``export``, ``None`` means
"not done" only when ``fn`` never returns ``None`` itself; use ``attempt`` when it may.

What still catches ``CoordinatorError`` itself in ui/, and why (issue #20):

- start-up and opening (``ui/opening.py``, ``ui/app.py``, the policy read in
  ``main_window.py``): before a window exists, or each refusal decides what happens next;
- the operations' own machinery: ``ui/tasks.py`` (a background task's refusal becomes its
  ``failed`` signal on the worker; a list's first screenful leaves it to the background read)
  and ``ui/drafts.py`` (autosave: tried again at the next pause);
- ``RecordDialog.try_save`` (``ui/dialogs/record_dialog.py``): a write, not a read: the one
  shared save path that ``Op.call`` hands refusals back to, to show them at the fields;
- ``ui/updates.py``: the check runs on a thread of its own (these run on the GUI thread and
  may show a message), ``updates.check`` returns ``None`` for "up to date", and every other
  exception must be caught there too, to tell the check's sentence;
- ``ui/dialogs/database_settings.py``: the connection test writes its result into the dialog;
- ``ui/dialogs/papers_dialog.py``: owned by another piece of work for now.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from ...core.errors import CoordinatorError
from .. import widgets

T = TypeVar("T")

log = logging.getLogger(__name__)


#: What a refused read, export or attempt does with the sentence instead of showing it.
OnRefused = Callable[[CoordinatorError], object]


def read(
    parent: QWidget | None,
    title: str,
    fn: Callable[[], T],
    *,
    quiet: bool = False,
    on_refused: OnRefused | None = None,
) -> T | None:
    """Run ``fn`` (a read) now, on the GUI thread, and return its value; on a
    ``CoordinatorError`` show its sentence in a message titled ``title`` (or, ``quiet``, only
    log it; or hand it to ``on_refused``) and return ``None``. Any other exception (a bug)
    propagates. See the module's docstring."""
    return _run(parent, title, fn, quiet, on_refused, writing=False)[1]


def export(
    parent: QWidget | None,
    title: str,
    fn: Callable[[], T],
    *,
    on_refused: OnRefused | None = None,
) -> T | None:
    """Write a file now from what the screen reads (``fn``), and return what ``fn`` returns; on
    a ``CoordinatorError``, or an ``OSError`` while writing, show its sentence titled ``title``
    (or hand it to ``on_refused``) and return ``None``. As ``read``."""
    return _run(parent, title, fn, False, on_refused, writing=True)[1]


def attempt(
    parent: QWidget | None,
    title: str,
    fn: Callable[[], object],
    *,
    quiet: bool = False,
    on_refused: OnRefused | None = None,
) -> bool:
    """Run ``fn`` (a read that fills the screen itself, or shows something) now: True once done;
    on a ``CoordinatorError`` tell it as ``read`` does and return False. A bug propagates."""
    return _run(parent, title, fn, quiet, on_refused, writing=False)[0]


def _run(
    parent: QWidget | None,
    title: str,
    fn: Callable[[], T],
    quiet: bool,
    on_refused: OnRefused | None,
    *,
    writing: bool,
) -> tuple[bool, T | None]:
    """The one place a read, export or attempt runs and its refusal is told: (done, value)."""
    try:
        return True, fn()
    except CoordinatorError as exc:
        refusal = exc
    except OSError as exc:
        if not writing:
            raise
        from ...core.storage import explain

        log.info("%s: %s", title, exc)  # the file system's no (full, read-only, gone): no bug
        refusal = explain(exc, None) or CoordinatorError(str(exc))
    if on_refused is not None:
        on_refused(refusal)
    elif quiet:
        log.info("%s: %s", title, refusal)
    else:
        widgets.inform(parent, title, str(refusal))
    return False, None
