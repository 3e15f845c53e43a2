"""Sign the Windows executables, the setup and the MSI, when a certificate is given.

    python installer/sign.py FILE [FILE ...]

Unsigned programs make SmartScreen warn, and AppLocker rules commonly block unsigned
executables in folders a user can write to (a per-user install is one). ``build.py`` calls this
for the two executables, hands it to Inno Setup as its sign tool (so the setup and its
uninstaller are signed too) and calls it for the MSI. With no certificate it signs nothing, says
so, and exits 0: a developer's build is unsigned.

The certificate comes from the environment (CI: the repository's secrets):

    SIGN_PFX             a PKCS#12 file (.pfx) holding the certificate and its private key
    SIGN_PFX_PASSWORD    its password
    SIGN_THUMBPRINT      instead of a file (Windows only): the SHA-1 thumbprint of a
                         certificate in the certificate store (a hardware token or a
                         cloud-signing service installs it there)
    SIGN_TIMESTAMP_URL   an RFC 3161 time-stamping server (the certificate authority names
                         one); without it a signature stops being valid when the certificate
                         expires

On Windows it runs ``signtool`` (from the Windows SDK, found on PATH or in its usual folder);
elsewhere ``osslsigncode`` (Debian's package), which signs the same PE and MSI files, so the
step is checked on Linux with a throwaway certificate (``tests/cli/test_installer.py``).
Exit status: 0 signed (or nothing to sign with), 1 signing failed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SDK_BIN = Path(r"C:\Program Files (x86)\Windows Kits\10\bin")


class SigningError(Exception):
    """A certificate was given but a file could not be signed."""


def configured(env: dict[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get("SIGN_PFX") or env.get("SIGN_THUMBPRINT"))


def signtool() -> str | None:
    found = shutil.which("signtool")
    if found:
        return found
    candidates = sorted(SDK_BIN.glob("10.*/x64/signtool.exe")) if SDK_BIN.is_dir() else []
    return str(candidates[-1]) if candidates else None


def command(path: Path, env: dict[str, str], *, windows: bool) -> list[str]:
    """The command that signs ``path`` in place (osslsigncode writes a copy, see ``sign``)."""
    pfx, password = env.get("SIGN_PFX", ""), env.get("SIGN_PFX_PASSWORD", "")
    timestamp = env.get("SIGN_TIMESTAMP_URL", "")
    if windows:
        tool = signtool()
        if tool is None:
            raise SigningError("signtool was not found (install the Windows SDK)")
        args = [tool, "sign", "/fd", "sha256", "/d", "Involvement Coordinator"]
        if env.get("SIGN_THUMBPRINT"):
            args += ["/sha1", env["SIGN_THUMBPRINT"]]
        else:
            args += ["/f", pfx, "/p", password]
        if timestamp:
            args += ["/tr", timestamp, "/td", "sha256"]
        return [*args, str(path)]
    tool = shutil.which("osslsigncode")
    if tool is None:
        raise SigningError("osslsigncode was not found (apt-get install osslsigncode)")
    if not pfx:
        raise SigningError("SIGN_THUMBPRINT is for Windows' certificate store; give SIGN_PFX here")
    args = [tool, "sign", "-pkcs12", pfx, "-pass", password, "-h", "sha256",
            "-n", "Involvement Coordinator"]  # fmt: skip
    if timestamp:
        args += ["-ts", timestamp]
    return [*args, "-in", str(path), "-out", str(path) + ".signed"]


def sign(paths: list[Path], env: dict[str, str] | None = None) -> list[Path]:
    """Sign each file in place; the files signed (none when no certificate is given)."""
    env = dict(os.environ if env is None else env)
    if not configured(env):
        return []
    windows = sys.platform == "win32"
    for path in paths:
        args = command(path, env, windows=windows)
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode != 0:
            Path(str(path) + ".signed").unlink(missing_ok=True)
            # The output never holds the password (it is an argument, not echoed).
            raise SigningError(f"{path.name} could not be signed: {done.stdout}{done.stderr}")
        if not windows:
            os.replace(str(path) + ".signed", path)
    return paths


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)]
    if not configured():
        print(f"sign.py: no certificate given (SIGN_PFX); left unsigned: "
              f"{', '.join(p.name for p in paths)}")  # fmt: skip
        return 0
    try:
        sign(paths)
    except SigningError as exc:
        print(f"sign.py: {exc}", file=sys.stderr)
        return 1
    print(f"sign.py: signed {', '.join(p.name for p in paths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
