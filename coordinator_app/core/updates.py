"""Whether a newer version of the app is available, from the place the trust's IT team sets.

Nothing is checked unless IT sets ``update_source`` (``core/policy.py``): an intranet address
(``https://intranet.example.nhs.uk/apps/involvement-coordinator/``) or a folder on a file
share (``\\\\trustfs01\\apps\\InvolvementCoordinator``). There IT keeps ``latest.ini``
(docs/it-deployment.md#updates):

    [Involvement Coordinator]
    version = 1.2
    download = \\\\trustfs01\\apps\\InvolvementCoordinator\\InvolvementCoordinator-1.2-setup.exe

The app only reads that file and says "Version 1.2 is available from …": it never downloads
or installs anything by itself (IT decides how a new version is installed). A source given as
a file (ending ``.ini``) is read as it is; a folder or an address ending ``/`` gets
``latest.ini`` added. Reading gives up after ``TIMEOUT_S``; a source that cannot be read is
one sentence (``UpdateCheckError``), which the app shows only when asked (Help > Check for
updates…), never at start-up.
"""

from __future__ import annotations

import configparser
import re
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from .errors import CoordinatorError

FILENAME = "latest.ini"
SECTION = "Involvement Coordinator"
TIMEOUT_S = 5
#: The most read from a source: the file is a few lines.
MAX_BYTES = 64 * 1024


class UpdateCheckError(CoordinatorError):
    """The update source could not be read or holds no version."""


@dataclass(frozen=True)
class Available:
    version: str
    where: str

    def sentence(self) -> str:
        return f"Version {self.version} is available from {self.where}."


def version_key(text: str) -> tuple[int, ...]:
    """``1.2.0rc1`` -> ``(1, 2, 0)``: the release numbers, trailing zeros dropped, for comparing
    (``1.2`` and ``1.2.0`` are the same version)."""
    match = re.match(r"\s*v?(\d+(?:\.\d+)*)", text)
    if match is None:
        raise ValueError(f"{text!r} is not a version number")
    numbers = [int(n) for n in match[1].split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def is_newer(candidate: str, current: str) -> bool:
    return version_key(candidate) > version_key(current)


def manifest_location(source: str) -> str:
    """Where ``latest.ini`` is for ``source`` (an address or a path)."""
    source = source.strip()
    if source.lower().endswith(".ini"):
        return source
    if "://" in source:
        return source.rstrip("/") + "/" + FILENAME
    return str(Path(source) / FILENAME)


def read_manifest(location: str) -> str:
    """The text at ``location``: an ``http(s)://`` or ``file://`` address, or a path."""
    try:
        if "://" in location:
            if not location.lower().startswith(("https://", "http://", "file://")):
                raise UpdateCheckError(
                    f"The update source {location} is not an intranet address or a folder."
                )
            request = urllib.request.Request(location, headers={"User-Agent": "coordinator-app"})
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                data = response.read(MAX_BYTES)
        else:
            with open(location, "rb") as handle:
                data = handle.read(MAX_BYTES)
        return data.decode("utf-8-sig")
    except UpdateCheckError:
        raise
    except (OSError, ValueError, UnicodeDecodeError) as exc:  # URLError is an OSError
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
        raise UpdateCheckError(
            f"The update source {location} could not be read ({reason})."
        ) from exc


def parse_manifest(text: str, location: str) -> tuple[str, str]:
    """``(version, where to get it)`` from ``latest.ini``'s text."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
        section = parser[SECTION]
        version = section.get("version", "").strip()
        version_key(version)
    except (configparser.Error, KeyError, ValueError) as exc:
        raise UpdateCheckError(
            f"The update source {location} does not say which version is the latest."
        ) from exc
    where = section.get("download", "").strip() or location.rsplit("/", 1)[0].rsplit("\\", 1)[0]
    return version, where


def check(source: str | None = None, current: str = __version__) -> Available | None:
    """The newer version available from ``source`` (default: IT's ``update_source``), or None
    when there is none newer, or when no source is set (then nothing is read at all)."""
    if source is None:
        from .policy import load

        source = load().update_source
    if not source or not source.strip():
        return None
    location = manifest_location(source)
    version, where = parse_manifest(read_manifest(location), location)
    return Available(version, where) if is_newer(version, current) else None
