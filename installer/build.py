"""Build the one-folder bundle for this operating system and print its size.

    python installer/build.py                  # -> dist/InvolvementCoordinator/
    python installer/build.py --tarball        # Linux: also dist/<name>-<version>-linux.tar.gz
    python installer/build.py --dist /tmp/out  # build somewhere else (the bundle test does)
    python installer/build.py --setup --msi    # Windows: also the setup (Inno Setup) and the MSI

When a certificate is given (``installer/sign.py``: SIGN_PFX or SIGN_THUMBPRINT), the
executables, the setup (and its uninstaller) and the MSI are signed; otherwise they are not,
and the build says so. Every artefact carries ``coordinator_app.__version__``
(``installer/version.py``).

Needs PyInstaller (the ``installer`` extra). What is left out of the bundle (unused Qt modules,
plugins and libraries; test and build tools) is listed in ``installer/lean.py`` and applied by
the spec, so the folder is lean straight from PyInstaller; this script only reports.
Exit status: 0 built, 1 the build failed (PyInstaller's own output says why).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "installer"
NAME = "InvolvementCoordinator"
#: The two programs of the Windows bundle: the app, and its console companion for scripts.
WINDOWS_EXECUTABLES = ("coordinator-app.exe", "coordinator-app-cli.exe")
ISCC_FOLDERS = (r"C:\Program Files (x86)\Inno Setup 6", r"C:\Program Files\Inno Setup 6")
#: The issue's goal for the Linux folder (150 MB, PostgreSQL driver included), raised by exactly
#: what the two libraries of issue #24 measure in the bundle (stripped), so the rest keeps the
#: headroom it had: typst, 68.3 MB, the typesetter of every printout (tagged PDF/UA-1 from one
#: compiled library with its own PDF writer and text shaping, needing no system library), and
#: python-calamine, 1.8 MB, which reads .xls and .ods. The bundle measured 148.9 MB before them
#: and 219.0 MB with them.
GOAL_MB = 150 + 68.3 + 1.8


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


def iscc() -> str | None:
    found = shutil.which("iscc")
    if found:
        return found
    for folder in ISCC_FOLDERS:
        if (Path(folder) / "ISCC.exe").is_file():
            return str(Path(folder) / "ISCC.exe")
    return None


def setup_command(compiler: str, bundle: Path, version: str, *, signing: bool) -> list[str]:
    """``iscc`` on ``coordinator-app.iss`` for ``bundle``, writing the setup beside it."""
    from version import iscc_defines

    command = [compiler, "/Q", *iscc_defines(version), f"/DBundleDir={bundle}",
               f"/O{bundle.parent}"]  # fmt: skip
    if signing:  # Inno Setup signs the setup and its uninstaller with this command ($f: file)
        sign_py = HERE / "sign.py"
        command += ["/DSignTool=coordsign", f"/Scoordsign=$q{sys.executable}$q $q{sign_py}$q $f"]
    return [*command, str(HERE / "coordinator-app.iss")]


def setup_path(bundle: Path, version: str) -> Path:
    return bundle.parent / f"{NAME}-{version}-setup.exe"


def msi_path(bundle: Path, version: str) -> Path:
    return bundle.parent / f"{NAME}-{version}.msi"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", action="store_true", help="also write a .tar.gz (Linux)")
    parser.add_argument(
        "--setup", action="store_true", help="also build the Inno Setup installer (Windows)"
    )
    parser.add_argument("--msi", action="store_true", help="also build the MSI (installer/msi.py)")
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
    sys.path.insert(0, str(HERE))
    import sign
    from version import app_version

    __version__ = app_version()
    try:
        bundle = build(dist, work)
    except subprocess.CalledProcessError as exc:
        print(f"build.py: PyInstaller failed (exit {exc.returncode}); see its output above.")
        return 1
    signing = sign.configured()
    programs = [bundle / name for name in WINDOWS_EXECUTABLES if (bundle / name).is_file()]
    try:
        if programs and signing:
            sign.sign(programs)
            print(f"Signed: {', '.join(p.name for p in programs)}")
        elif programs:
            print("Not signed: no certificate given (installer/sign.py).")
        if args.setup:
            compiler = iscc()
            if compiler is None:
                print("build.py: Inno Setup's iscc was not found (Windows only).")
                return 1
            subprocess.run(setup_command(compiler, bundle, __version__, signing=signing),
                           check=True)  # fmt: skip
            print(f"Setup: {setup_path(bundle, __version__)}")
        if args.msi:
            from msi import build_msi

            msi = build_msi(bundle, msi_path(bundle, __version__), __version__)
            sign.sign([msi])
            print(f"MSI: {msi}")
    except (sign.SigningError, subprocess.CalledProcessError, FileNotFoundError) as exc:
        print(f"build.py: {exc}")
        return 1
    size = folder_size(bundle)
    print(f"Bundle: {bundle} ({size / 1e6:.0f} MB; goal under {GOAL_MB:g} MB on Linux)")
    for name, part in largest_parts(bundle):
        print(f"  {part / 1e6:6.1f} MB  {name}")
    if args.tarball:
        archive = write_tarball(bundle, __version__)
        print(f"Tarball: {archive} ({archive.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
