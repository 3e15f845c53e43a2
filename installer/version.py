"""One version number for everything that is shipped: ``coordinator_app.__version__``.

It flows from here into the bundle's Windows version resource (``coordinator-app.spec`` calls
``windows_version_info``), the Inno Setup installer (``build.py`` passes ``iscc_defines`` to
``iscc``; the script refuses to build without them) and the MSI (``msi.py`` passes it to WiX).
No other file holds a version number; ``tests/cli/test_installer.py`` checks that they agree.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_VERSION = re.compile(r'^__version__ = "([^"]+)"$', re.M)


def app_version() -> str:
    """``coordinator_app.__version__``, read from the package's ``__init__.py`` (the build
    machine's own Python need not be able to import the app)."""
    text = (ROOT / "coordinator_app" / "__init__.py").read_text(encoding="utf-8")
    found = _VERSION.search(text)
    if found is None:
        raise ValueError("coordinator_app/__init__.py has no __version__ line")
    return found[1]


def numeric(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows keeps (``1.2.0rc1`` gives ``(1, 2, 0, 0)``). Windows allows up
    to 65535 each; Windows Installer compares only the first three, and the first two must
    stay at or below 255."""
    parts = [int(p) for p in re.findall(r"\d+", version.split("+")[0])[:3]]
    if not parts or re.match(r"\d", version) is None:
        raise ValueError(f"{version!r} does not start with a version number")
    major, minor, patch = [*parts, 0, 0, 0][:3]
    if major > 255 or minor > 255 or patch > 65535:
        raise ValueError(f"{version!r} cannot be a Windows Installer version")
    return major, minor, patch, 0


def dotted(version: str) -> str:
    """``numeric`` as ``1.2.0.0``."""
    return ".".join(str(n) for n in numeric(version))


def msi_version(version: str) -> str:
    """The MSI's ProductVersion: ``1.2.0``."""
    return ".".join(str(n) for n in numeric(version)[:3])


def iscc_defines(version: str) -> list[str]:
    """What ``iscc`` is given: the version shown, and the numeric one Windows keeps."""
    return [f"/DAppVersion={version}", f"/DAppVersionNumeric={dotted(version)}"]


def windows_version_info(version: str, original_filename: str) -> str:
    """The version resource of ``original_filename`` (``coordinator-app.exe``), as the text
    PyInstaller reads (``EXE(version=FILE)``; the spec writes it into its work folder).

    Text rather than PyInstaller's ``VSVersionInfo`` object: that module imports pywin32, so it
    loads on Windows only, and the tests read this on Linux too.
    """
    numbers = numeric(version)
    strings = {
        "CompanyName": "Involvement Coordinator",
        "FileDescription": "Involvement Coordinator",
        "FileVersion": version,
        "InternalName": original_filename.removesuffix(".exe"),
        "OriginalFilename": original_filename,
        "ProductName": "Involvement Coordinator",
        "ProductVersion": version,
    }
    structs = ",\n".join(f"        StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return (
        "VSVersionInfo(\n"
        f"  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0,\n"
        "                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),\n"
        "  kids=[\n"
        "    StringFileInfo([StringTable('080904B0', [\n"  # English (UK), Unicode
        f"{structs}])]),\n"
        "    VarFileInfo([VarStruct('Translation', [2057, 1200])])\n"
        "  ]\n"
        ")\n"
    )
