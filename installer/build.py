"""Build the one-folder bundle for this operating system and print its size.

    python installer/build.py                  # -> dist/InvolvementCoordinator/
    python installer/build.py --tarball        # Linux: also dist/<name>-<version>-linux.tar.gz
    python installer/build.py --dist /tmp/out  # build somewhere else (the bundle test does)

Needs PyInstaller (the ``installer`` extra). What is left out of the bundle (unused Qt modules,
plugins and libraries; test and build tools) is listed in ``installer/lean.py`` and applied by
the spec, so the folder is lean straight from PyInstaller; this script only reports.
Exit status: 0 built, 1 the build failed (PyInstaller's own output says why).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "InvolvementCoordinator"
#: The issue's goal for the Linux folder.
GOAL_MB = 150


def folder_size(path: Path) -> int:
    """Bytes in the files under ``path`` (symbolic links not counted twice)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def largest_parts(bundle: Path, count: int = 8) -> list[tuple[str, int]]:
    """The biggest entries of the bundle's ``_internal`` folder (a folder counts as a whole)."""
    inner = bundle / "_internal"
    parts = [
        (p.name, folder_size(p) if p.is_dir() else p.stat().st_size)
        for p in inner.iterdir()
        if not p.is_symlink()
    ]
    return sorted(parts, key=lambda part: part[1], reverse=True)[:count]


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; return the bundle folder. Raises CalledProcessError."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(ROOT / "installer" / "coordinator-app.spec"),
        ],
        check=True,
    )
    return dist / NAME


def write_tarball(bundle: Path, version: str) -> Path:
    """``<dist>/InvolvementCoordinator-<version>-linux.tar.gz`` with the .desktop entry."""
    archive = bundle.parent / f"{NAME}-{version}-linux.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(bundle, arcname=NAME)
        tar.add(
            ROOT / "installer" / "involvement-coordinator.desktop",
            arcname=f"{NAME}/involvement-coordinator.desktop",
        )
        tar.add(ROOT / "resources" / "icons" / "app-256.png", arcname=f"{NAME}/app-256.png")
        tar.add(ROOT / "installer" / "install-linux.sh", arcname=f"{NAME}/install-linux.sh")
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", action="store_true", help="also write a .tar.gz (Linux)")
    parser.add_argument(
        "--dist", type=Path, default=ROOT / "dist", help="where the bundle goes (default: dist/)"
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="PyInstaller's work folder (default: build/ beside --dist's default, else DIST/.work)",
    )
    args = parser.parse_args(argv)
    dist: Path = args.dist.resolve()
    work: Path = args.work or (ROOT / "build" if dist == ROOT / "dist" else dist / ".work")
    sys.path.insert(0, str(ROOT))
    from coordinator_app import __version__

    try:
        bundle = build(dist, work)
    except subprocess.CalledProcessError as exc:
        print(f"build.py: PyInstaller failed (exit {exc.returncode}); see its output above.")
        return 1
    size = folder_size(bundle)
    print(f"Bundle: {bundle} ({size / 1e6:.0f} MB; goal under {GOAL_MB} MB on Linux)")
    for name, part in largest_parts(bundle):
        print(f"  {part / 1e6:6.1f} MB  {name}")
    if args.tarball:
        archive = write_tarball(bundle, __version__)
        print(f"Tarball: {archive} ({archive.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
