"""Build the one-folder bundle for this operating system and print its size.

    python installer/build.py            # -> dist/InvolvementCoordinator/
    python installer/build.py --tarball  # Linux: also dist/InvolvementCoordinator-<version>-linux.tar.gz

Needs `pip install pyinstaller` (the `installer` extra). Unneeded Qt parts (translations, QML,
WebEngine, unused plugins) are pruned after the build.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
BUNDLE = DIST / "InvolvementCoordinator"

#: Parts of Qt the app never loads.
PRUNE = [
    "translations",
    "qml",
    "plugins/qmltooling",
    "plugins/sqldrivers",
    "plugins/multimedia",
    "plugins/networkinformation",
    "plugins/tls",
    "plugins/designer",
    "plugins/scenegraph",
]
PRUNE_LIBS = ("Qt6Qml", "Qt6Quick", "Qt6Pdf", "Qt6VirtualKeyboard", "Qt6Network", "Qt6OpenGL.")


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def prune(bundle: Path) -> int:
    removed = 0
    for qt in bundle.rglob("PySide6/Qt"):
        for part in PRUNE:
            target = qt / part
            if target.exists():
                removed += folder_size(target)
                shutil.rmtree(target)
    for lib in list(bundle.rglob("*")):
        if lib.is_file() and lib.name.startswith(PRUNE_LIBS) or lib.name.startswith(
            tuple("lib" + p for p in PRUNE_LIBS)
        ):
            removed += lib.stat().st_size
            lib.unlink()
    return removed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tarball", action="store_true", help="also write a .tar.gz (Linux)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from coordinator_app import __version__

    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
         "--distpath", str(DIST), "--workpath", str(ROOT / "build"),
         str(ROOT / "installer" / "coordinator-app.spec")],
        check=True,
    )
    removed = prune(BUNDLE)
    size = folder_size(BUNDLE)
    print(f"Bundle: {BUNDLE} ({size / 1e6:.0f} MB; pruned {removed / 1e6:.0f} MB)")
    if args.tarball:
        archive = DIST / f"InvolvementCoordinator-{__version__}-linux.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(BUNDLE, arcname="InvolvementCoordinator")
            tar.add(ROOT / "installer" / "involvement-coordinator.desktop",
                    arcname="InvolvementCoordinator/involvement-coordinator.desktop")
        print(f"Tarball: {archive} ({archive.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
