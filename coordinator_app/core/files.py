"""Atomic file writes: a file the app writes is never half-written under the user's chosen name."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import CoordinatorError


def atomic_write(target: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(temp_path)`` for a temporary file beside ``target``, then rename it into place.

    If writing fails, or the target cannot be replaced (open in Excel, read-only, folder not
    writable), the temporary file is removed, the old target stays as it was, and a
    ``CoordinatorError`` says so in one sentence.
    """
    target = Path(target).expanduser().resolve()
    folder = target.parent
    if not folder.is_dir():
        raise CoordinatorError(f"The folder {folder} does not exist.")
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{target.stem}-", suffix=target.suffix, dir=folder
        )
    except OSError as exc:
        raise CoordinatorError(
            f"The folder {folder} does not allow saving ({exc.strerror})."
        ) from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        with open(temp, "rb+") as done:
            os.fsync(done.fileno())
        # mkstemp makes the file private to its owner; give it the permissions a normally saved
        # file would have (the old file's, else the default under the user's umask).
        os.chmod(temp, _permissions_for(target))
        # The write bits too: os.access says yes to root/administrators whatever the file says.
        if target.exists() and (
            not os.access(target, os.W_OK) or not target.stat().st_mode & 0o222
        ):
            raise CoordinatorError(f"{target} is read-only, so it was left as it was.")
        try:
            os.replace(temp, target)
        except PermissionError as exc:
            raise CoordinatorError(
                f"{target} could not be replaced: it may be open in another program such as Excel. "
                "Close it and try again; the old file is unchanged."
            ) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


def _permissions_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
