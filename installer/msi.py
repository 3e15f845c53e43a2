"""Build the MSI (``coordinator-app.wxs``) from a bundle folder, for IT's deployment tools.

    python installer/msi.py --bundle dist/InvolvementCoordinator --out dist/X.msi

The bundle's files are listed by ``harvest`` into a WiX fragment (``ComponentGroup
BundleFiles``): one component per file, whose GUID is derived from the file's path in the
bundle, so a file keeps its component from one version to the next (Windows Installer's
component rules). On Windows the MSI is built with WiX Toolset 3 (``candle`` and ``light``,
found on PATH or in its usual folder); elsewhere with ``wixl`` (Debian's ``msitools``), which
reads the same WiX 3 source: that is how the source is checked on Linux, on a stand-in payload
(``tests/cli/test_installer.py``). Exit status: 0 built, 1 not (the tool's output says why).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from version import ROOT, app_version, msi_version  # noqa: E402

SOURCE = HERE / "coordinator-app.wxs"
ICON = ROOT / "resources" / "icons" / "app.ico"
#: Never changes: a new MSI replaces any older one carrying it (``MajorUpgrade``).
UPGRADE_CODE = "B1145D44-EFE0-400E-BCCC-B1CAD0B9E2A7"
#: The namespace of the components' GUIDs (uuid5 of the file's path in the bundle).
COMPONENT_NAMESPACE = uuid.UUID("0C7B1A2E-5D43-4E0B-9D55-2C8B8F6E9A31")
WIX3_FOLDERS = (r"C:\Program Files (x86)\WiX Toolset v3.14\bin",
                r"C:\Program Files (x86)\WiX Toolset v3.11\bin")  # fmt: skip


def _id(prefix: str, relative: str) -> str:
    return prefix + hashlib.sha1(relative.encode("utf-8")).hexdigest()[:32]


def harvest(bundle: Path) -> str:
    """The WiX fragment installing every file under ``bundle`` into ``INSTALLFOLDER``.

    Sources are written as ``$(var.BundleDir)\\relative\\path``; the directory, component and
    file ids are hashes of the relative path (valid and unique whatever the names hold).
    """
    files = sorted(p for p in bundle.rglob("*") if p.is_file())
    if not files:
        raise ValueError(f"{bundle} holds no files")
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">', "  <Fragment>"]  # fmt: skip
    refs: list[str] = []

    def folder(path: Path, depth: int) -> None:
        pad = "  " * depth
        for child in sorted(path.iterdir(), key=lambda p: (p.is_dir(), p.name.lower())):
            relative = child.relative_to(bundle).as_posix()
            if child.is_dir():
                lines.append(f"{pad}<Directory Id={quoteattr(_id('d', relative))} "
                             f"Name={quoteattr(child.name)}>")  # fmt: skip
                folder(child, depth + 1)
                lines.append(f"{pad}</Directory>")
            elif child.is_file():
                component = _id("c", relative)
                guid = str(uuid.uuid5(COMPONENT_NAMESPACE, relative.lower())).upper()
                source = "$(var.BundleDir)" + os.sep + relative.replace("/", os.sep)
                lines.append(
                    f'{pad}<Component Id="{component}" Guid="{guid}" Win64="yes">'
                    f"<File Id={quoteattr(_id('f', relative))} Name={quoteattr(child.name)} "
                    f'Source={quoteattr(source)} KeyPath="yes"/></Component>'
                )
                refs.append(component)

    lines.append('    <DirectoryRef Id="INSTALLFOLDER">')
    folder(bundle, 3)
    lines.append("    </DirectoryRef>")
    lines.append('    <ComponentGroup Id="BundleFiles">')
    lines += [f'      <ComponentRef Id="{ref}"/>' for ref in refs]
    lines += ["    </ComponentGroup>", "  </Fragment>", "</Wix>", ""]
    return "\n".join(lines)


def _wix3_tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for folder in WIX3_FOLDERS:
        candidate = Path(folder) / f"{name}.exe"
        if candidate.is_file():
            return str(candidate)
    return None


def defines(bundle: Path, version: str) -> dict[str, str]:
    """What the WiX source is given (``$(var.NAME)``), whichever tool builds it."""
    return {"Version": msi_version(version), "BundleDir": str(bundle), "IconFile": str(ICON)}


def commands(bundle: Path, out: Path, version: str, work: Path) -> list[list[str]]:
    """The commands that build the MSI here: WiX 3 on Windows, else wixl."""
    fragment = work / "bundle-files.wxs"
    given = defines(bundle, version)
    candle, light = _wix3_tool("candle"), _wix3_tool("light")
    if sys.platform == "win32" and candle and light:
        objects = work / "obj"
        return [
            [candle, "-nologo", "-arch", "x64", *(f"-d{k}={v}" for k, v in given.items()),
             "-out", f"{objects}{os.sep}", str(SOURCE), str(fragment)],
            [light, "-nologo", "-out", str(out), str(objects / "coordinator-app.wixobj"),
             str(objects / "bundle-files.wixobj")],
        ]  # fmt: skip
    wixl = shutil.which("wixl")
    if wixl is None:
        raise FileNotFoundError(
            "Neither WiX Toolset 3 (candle, light; Windows) nor wixl (msitools) was found."
        )
    # wixl takes sources relative to the folder it runs in (an absolute one fails), which is
    # the bundle's parent (``build_msi``).
    given["BundleDir"] = bundle.name
    given["IconFile"] = os.path.relpath(ICON, bundle.parent)
    return [
        [wixl, "--arch", "x64", *(a for k, v in given.items() for a in ("-D", f"{k}={v}")),
         "-D", "Wixl=1", "-o", str(out), str(SOURCE), str(fragment)],
    ]  # fmt: skip


def build_msi(bundle: Path, out: Path, version: str | None = None) -> Path:
    """Build ``out`` from the bundle folder; raises CalledProcessError when the tool fails."""
    version = version or app_version()
    bundle, out = bundle.resolve(), out.resolve()
    work = out.parent / f".{out.stem}-wix"
    shutil.rmtree(work, ignore_errors=True)
    (work / "obj").mkdir(parents=True)
    (work / "bundle-files.wxs").write_text(harvest(bundle), encoding="utf-8")
    try:
        for command in commands(bundle, out, version, work):
            subprocess.run(command, check=True, cwd=bundle.parent)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, required=True, help="the PyInstaller folder")
    parser.add_argument("--out", type=Path, required=True, help="the .msi to write")
    args = parser.parse_args(argv)
    try:
        path = build_msi(args.bundle, args.out)
    except (subprocess.CalledProcessError, FileNotFoundError, ValueError) as exc:
        print(f"msi.py: {exc}", file=sys.stderr)
        return 1
    print(f"MSI: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
