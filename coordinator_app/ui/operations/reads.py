"""A read a screen makes and shows: ``read(parent, title, fn)``; a file it writes from what it
reads: ``export(parent, title, fn)``.

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
``None`` is returned.

``export`` is the same for a file the screen writes now from what it reads (a PDF, a workbook,
a copy of an evidence file), where the user has just chosen the file and waits for it: a
refusal (a full disk, a file open in Excel) is its sentence titled ``title``.

Pitfall: ``None`` means "not read" only when ``fn`` never returns ``None`` itself; a read that
may return ``None`` (or returns nothing) cannot tell the two apart through this helper.
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


def read(
    parent: QWidget | None, title: str, fn: Callable[[], T], *, quiet: bool = False
) -> T | None:
    """Run ``fn`` (a read) now, on the GUI thread, and return its value; on a
    ``CoordinatorError`` show its sentence in a message titled ``title`` (or, ``quiet``, only
    log it) and return ``None``. Any other exception (a bug) propagates. See the module's
    docstring."""
    try:
        return fn()
    except CoordinatorError as exc:
        if quiet:
            log.info("%s: %s", title, exc)
        else:
            widgets.inform(parent, title, str(exc))
        return None


def export(parent: QWidget | None, title: str, fn: Callable[[], T]) -> T | None:
    """Write a file now from what the screen reads (``fn``), and return what ``fn`` returns; on
    a ``CoordinatorError`` show its sentence titled ``title`` and return ``None``. As ``read``."""
    return read(parent, title, fn)
