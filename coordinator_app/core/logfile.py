"""The app's log: where an unexpected error's details go, never shown to the user.

One file, ``coordinator-app.log`` in the user's log folder (platformdirs), private to its owner
(0600 in a 0700 folder on Linux and macOS, ``core.files``). The command line and the desktop
app's last-resort handler both write through ``log_exception``; what reaches the screen is one
sentence naming this file. Pitfall: an exception's text can carry a value (a name typed into a
field): the engine's ``hide_parameters`` keeps SQL values out, and nothing here adds any.

A program with no console (PyInstaller's windowed exe on Windows, ``pythonw``) starts with
``sys.stdout`` and ``sys.stderr`` set to None: ``print`` then does nothing, but any ``write`` or
``flush`` on them raises. ``ensure_streams`` (the first thing ``cli.main`` does) puts stand-ins
there: what goes to stderr (an error's one sentence) is written to this log instead, a line at a
time, and what goes to stdout is dropped (IT's scripts use the console companion,
``coordinator-app-cli.exe``, to read it).
"""

from __future__ import annotations

import io
import os
import sys
import traceback
from datetime import datetime
from pathlib import Path

from .files import make_private, private_folder

LOG_NAME = "coordinator-app.log"
NO_LOG = Path("(no log could be written)")


def log_folder() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir("InvolvementCoordinator", appauthor=False))


def log_exception(exc: BaseException, context: str = "") -> Path:
    """Append ``exc``'s traceback to the log and return the log's path (``NO_LOG`` when it
    cannot be written: a full disk must not turn one error into two)."""
    return _append(f"\n--- {_now()} {context}\n" + "".join(traceback.format_exception(exc)))


def log_line(text: str) -> Path:
    """Append one line (a sentence the user would have read on stderr) to the log, stamped
    with the time; the log's path, or ``NO_LOG``."""
    return _append(f"{_now()} {text.rstrip()}\n")


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _append(text: str) -> Path:
    try:
        folder = private_folder(log_folder())
        path = folder / LOG_NAME
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as log:
            log.write(text)
        make_private(path)
        return path
    except OSError:
        return NO_LOG


class LogStream(io.TextIOBase):
    """A stand-in for a missing ``sys.stderr``: each complete line written goes to the log."""

    def __init__(self) -> None:
        super().__init__()
        self._pending = ""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._pending += text
        while "\n" in self._pending:
            line, self._pending = self._pending.split("\n", 1)
            if line.strip():
                log_line(line)
        return len(text)

    def flush(self) -> None:
        if self._pending.strip():
            log_line(self._pending)
        self._pending = ""


def ensure_streams() -> None:
    """Give a program started without a console a ``sys.stderr`` that writes to the log and a
    ``sys.stdout`` that drops what it is given. Streams that exist keep their encoding, but a
    character it cannot show becomes ``?`` instead of an error: output piped on Windows is in
    the system's code page (cp1252 has no "ŵ"), and a name must not fail a done job."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
    if sys.stderr is None:
        sys.stderr = LogStream()
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
