"""Files the app writes: never half-written under the user's chosen name, and private.

Everything the app writes holds people's records (the database and its ``-wal``/``-shm``, the
lock, backups, exports, the log), so on Linux and macOS it is readable by its owner alone: files
0600 and the folders the app makes 0700, set when created and repaired when opened. On Windows
the data lives under the user's own profile, which is private already; nothing is changed there.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from .errors import CoordinatorError


def atomic_write(target: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
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
        # mkstemp makes the file private to its owner (0600); a file it replaces keeps its
        # owner's permissions, never anyone else's.
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
        return (target.stat().st_mode & 0o700) or PRIVATE_FILE
    except FileNotFoundError:
        return PRIVATE_FILE


PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def make_private(path: Path, *, folder: bool = False) -> None:
    """Make ``path`` readable by its owner alone (0600, a folder 0700) on Linux and macOS.

    Nothing on Windows. Never raises: a file on a system that does not keep permissions (a USB
    stick's FAT) stays as it is, which is no reason to refuse to save.
    """
    if os.name == "nt":
        return
    with suppress(OSError):
        mode = PRIVATE_FOLDER if folder else PRIVATE_FILE
        if (path.stat().st_mode & 0o777) != mode:
            os.chmod(path, mode)


def private_folder(folder: Path) -> Path:
    """Make ``folder`` (and any missing parents) if it is not there; a folder made here is
    0700. An existing folder is left as it is: it may be the user's own Documents or /tmp."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        make_private(folder, folder=True)
    return folder


#: The most a file kept inside the database may be: an evidence file, a receipt.
MAX_ATTACHED_BYTES = 20 * 1024 * 1024


def read_attached(path: str | os.PathLike[str], what: str, advice: str) -> tuple[str, bytes]:
    """(name, content) of a file to keep inside the database (an evidence file, a receipt), at
    most ``MAX_ATTACHED_BYTES``; else one ``CoordinatorError`` sentence ("... ``what`` can be at
    most 20 MB, so ``advice``.") and nothing read. A missing file, a folder or an unreadable one
    is its own sentence."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise CoordinatorError(f"There is no file at {path}.") from exc
    except OSError as exc:
        raise CoordinatorError(f"{path.name} cannot be read ({exc.strerror}).") from exc
    if not path.is_file():
        raise CoordinatorError(f"{path.name} is a folder, not a file.")
    limit = MAX_ATTACHED_BYTES // (1024 * 1024)
    if size > MAX_ATTACHED_BYTES:
        raise CoordinatorError(
            f"{path.name} is {size / (1024 * 1024):.1f} MB; {what} can be at most {limit} MB, "
            f"so {advice}."
        )
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise CoordinatorError(f"{path.name} cannot be read ({exc.strerror}).") from exc
    if len(content) > MAX_ATTACHED_BYTES:  # grew between the check and the read
        raise CoordinatorError(f"{path.name} is bigger than {limit} MB and was not attached.")
    return path.name, content
