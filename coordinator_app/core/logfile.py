"""The app's log: where an unexpected error's details go, never shown to the user.

One file, ``coordinator-app.log`` in the user's log folder (platformdirs), private to its owner
(0600 in a 0700 folder on Linux and macOS, ``core.files``). The command line and the desktop
app's last-resort handler both write through ``log_exception``; what reaches the screen is one
sentence naming this file. Pitfall: an exception's text can carry a value (a name typed into a
field): the engine's ``hide_parameters`` keeps SQL values out, and nothing here adds any.
"""

from __future__ import annotations

import os
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
    try:
        folder = private_folder(log_folder())
        path = folder / LOG_NAME
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as log:
            log.write(f"\n--- {datetime.now().isoformat(timespec='seconds')} {context}\n")
            log.write("".join(traceback.format_exception(exc)))
        make_private(path)
        return path
    except OSError:
        return NO_LOG
