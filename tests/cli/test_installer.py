"""The Windows packaging, checked here on Linux as far as Linux can (issue #25): one version
number in every artefact, an Inno Setup script that asks a coordinator nothing and clears old
program files on upgrade, an MSI built from its WiX source by ``wixl`` (Debian's msitools) on
a stand-in payload, signing with a throwaway certificate by ``osslsigncode``, and the Windows
trimming rules. The Windows build itself runs in ``.github/workflows/windows.yml`` only.

``wixl``, ``msiinfo``, ``osslsigncode`` and ``openssl`` come from Debian packages (``.ci/run``
installs them); a test that needs a missing one is skipped, naming it.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coordinator_app import __version__

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
sys.path.insert(0, str(INSTALLER))
import build  # noqa: E402
import lean  # noqa: E402
import msi  # noqa: E402
import sign  # noqa: E402
import version  # noqa: E402

sys.path.remove(str(INSTALLER))

ISS = INSTALLER / "coordinator-app.iss"
WXS = INSTALLER / "coordinator-app.wxs"
SPEC = INSTALLER / "coordinator-app.spec"


def needs(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install msitools wixl "
                    "osslsigncode openssl)")  # fmt: skip


def iss_sections() -> dict[str, list[str]]:
    """The Inno Setup script's lines by section (comments and preprocessor lines left out)."""
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        if re.fullmatch(r"\[\w+\]", line):
            current = line[1:-1]
            continue
        sections.setdefault(current, []).append(line)
    return sections


def setup_directives() -> dict[str, str]:
    return dict(line.split("=", 1) for line in iss_sections()["Setup"] if "=" in line)


# --- One version number ---------------------------------------------------------------------


def test_no_packaging_file_carries_a_version_number_of_its_own() -> None:
    """The version lived in three files (the .iss, windows-version.txt and the package) with
    nothing checking they agreed; now only the package holds it."""
    assert version.app_version() == __version__
    assert not (INSTALLER / "windows-version.txt").exists()
    literal = re.compile(r"\b\d+\.\d+\.\d+\b")
    for path in (ISS, WXS, SPEC):
        code = "\n".join(
            line for line in path.read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith((";", "#", "<!--"))
        )  # fmt: skip
        assert not literal.search(code), f"{path.name} holds a version number"
    assert "AppVersion={#AppVersion}" in iss_sections()["Setup"]
    assert setup_directives()["VersionInfoVersion"] == "{#AppVersionNumeric}"
    assert 'Version="$(var.Version)"' in WXS.read_text(encoding="utf-8")


def test_the_version_flows_into_the_exe_the_setup_and_the_msi() -> None:
    numbers = version.numeric(__version__)
    # The bundle's version resource, as PyInstaller reads it (its classes stand in here: the
    # real ones load on Windows only).
    seen: dict[str, object] = {}

    def record(name: str):  # a stand-in for PyInstaller's class of that name
        def make(*args: object, **kwargs: object) -> tuple:
            if name == "StringStruct":
                seen[str(args[0])] = args[1]
            if name == "FixedFileInfo":
                seen.update(kwargs)
            return (name, args, kwargs)

        return make

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct"]  # fmt: skip
    text = version.windows_version_info(__version__, "coordinator-app-cli.exe")
    eval(compile(ast.parse(text, mode="eval"), "version", "eval"), {n: record(n) for n in names})
    assert seen["filevers"] == seen["prodvers"] == numbers
    assert seen["FileVersion"] == seen["ProductVersion"] == __version__
    assert seen["OriginalFilename"] == "coordinator-app-cli.exe"
    assert "windows_version_info(VERSION" in SPEC.read_text(encoding="utf-8")
    assert "VERSION = app_version()" in SPEC.read_text(encoding="utf-8")

    command = build.setup_command("iscc", Path("dist/InvolvementCoordinator"), __version__,
                                  signing=False)  # fmt: skip
    assert f"/DAppVersion={__version__}" in command
    assert f"/DAppVersionNumeric={'.'.join(map(str, numbers))}" in command

    assert msi.defines(Path("b"), __version__)["Version"] == version.msi_version(__version__)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("1.2.0rc1", (1, 2, 0, 0)),
     ("2.10.3+local", (2, 10, 3, 0))],
)  # fmt: skip
def test_windows_version_numbers(text: str, numbers: tuple[int, ...]) -> None:
    assert version.numeric(text) == numbers


def test_a_version_windows_installer_cannot_hold_is_refused() -> None:
    for bad in ("256.0.0", "release", ""):
        with pytest.raises(ValueError):
            version.numeric(bad)


# --- The Inno Setup installer ---------------------------------------------------------------


def test_the_setup_asks_a_coordinator_nothing_and_needs_no_admin_rights() -> None:
    setup = setup_directives()
    assert setup["PrivilegesRequired"] == "lowest"
    # "dialog" asked every coordinator "for me only or all users?"; only IT's /ALLUSERS now.
    assert setup["PrivilegesRequiredOverridesAllowed"] == "commandline"
    assert setup["DisableDirPage"] == "yes" and setup["DisableProgramGroupPage"] == "yes"
    assert setup["MinVersion"] == "10.0"


def test_per_machine_installs_into_program_files_with_the_common_desktop() -> None:
    """{localappdata} and {userdesktop} put an all-users install in the admin's own profile;
    {autopf} and {autodesktop} follow the install mode."""
    assert setup_directives()["DefaultDirName"].startswith("{autopf}\\")
    text = ISS.read_text(encoding="utf-8")
    for constant in ("{localappdata}", "{userdesktop}", "{userpf}", "{commonpf}"):
        assert constant not in text, constant
    icons = iss_sections()["Icons"]
    assert any(line.startswith('Name: "{autodesktop}\\') for line in icons)


def test_an_upgrade_clears_the_old_program_files_and_never_the_data() -> None:
    deleted = iss_sections()["InstallDelete"]
    assert deleted == ['Type: filesandordirs; Name: "{app}\\_internal"']
    assert "InvolvementCoordinator" in setup_directives()["DefaultDirName"]
    # The program folder is never the data folder (%LOCALAPPDATA%\InvolvementCoordinator).
    assert setup_directives()["DefaultDirName"] != "{localappdata}\\InvolvementCoordinator"


def test_the_setup_is_signed_only_when_a_certificate_is_given() -> None:
    bundle = Path("dist/InvolvementCoordinator")
    plain = build.setup_command("iscc", bundle, __version__, signing=False)
    assert not any(arg.startswith(("/DSignTool", "/S")) for arg in plain)
    signed = build.setup_command("iscc", bundle, __version__, signing=True)
    tool = next(arg for arg in signed if arg.startswith("/Scoordsign="))
    assert "sign.py" in tool and tool.endswith(" $f")
    assert "/DSignTool=coordsign" in signed
    text = ISS.read_text(encoding="utf-8")
    assert "#ifdef SignTool\nSignTool={#SignTool}\nSignedUninstaller=yes\n#endif" in text


def test_the_pascal_code_section_holds_no_ini_comments() -> None:
    """``;`` is not a comment in [Code] (Pascal Script): one there breaks the build."""
    code = ISS.read_text(encoding="utf-8").split("[Code]", 1)[1]
    assert not [line for line in code.splitlines() if line.lstrip().startswith(";")]


# --- The MSI --------------------------------------------------------------------------------


def stand_in_bundle(folder: Path) -> Path:
    """A bundle-shaped folder: the two programs (real PE files), a library, an odd name."""
    bundle = folder / "InvolvementCoordinator"
    (bundle / "_internal" / "PySide6" / "plugins" / "platforms").mkdir(parents=True)
    launcher = pe_file()
    shutil.copy(launcher, bundle / "coordinator-app.exe")
    shutil.copy(launcher, bundle / "coordinator-app-cli.exe")
    (bundle / "_internal" / "base_library.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (bundle / "_internal" / "PySide6" / "plugins" / "platforms" / "qwindows.dll").write_bytes(
        b"MZ stand-in"
    )
    (bundle / "_internal" / "Zoë's notes.txt").write_text("stand-in", encoding="utf-8")
    return bundle


def pe_file() -> Path:
    """A real Windows executable to stand in for the app: pip's own script launcher."""
    spec = importlib.util.find_spec("pip")
    assert spec is not None and spec.origin is not None
    launcher = Path(spec.origin).parent / "_vendor" / "distlib" / "t64.exe"
    if not launcher.is_file():
        pytest.skip("pip's t64.exe launcher (a stand-in Windows executable) is not here")
    return launcher


def msi_table(path: Path, table: str) -> list[dict[str, str]]:
    text = subprocess.run(
        ["msiinfo", "export", str(path), table], capture_output=True, text=True, check=True
    ).stdout
    header, _types, _key, *rows = text.splitlines()
    names = header.split("\t")
    return [dict(zip(names, row.split("\t"), strict=False)) for row in rows]


def properties(path: Path) -> dict[str, str]:
    return {row["Property"]: row["Value"] for row in msi_table(path, "Property")}


def test_the_msi_builds_from_its_wix_source(tmp_path: Path) -> None:
    needs("wixl", "msiinfo")
    bundle = stand_in_bundle(tmp_path)
    out = msi.build_msi(bundle, tmp_path / "app.msi")
    found = properties(out)
    assert found["ProductVersion"] == version.msi_version(__version__)
    assert found["UpgradeCode"] == "{" + msi.UPGRADE_CODE + "}"
    assert f'UpgradeCode="{msi.UPGRADE_CODE}"' in WXS.read_text(encoding="utf-8")
    assert found["ALLUSERS"] == "1"  # per machine: IT's tools install for every user
    files = {row["FileName"] for row in msi_table(out, "File")}
    assert files == {p.name for p in bundle.rglob("*") if p.is_file()}
    folders = {row["Directory"]: row for row in msi_table(out, "Directory")}
    assert folders["INSTALLFOLDER"]["Directory_Parent"] == "ProgramFiles64Folder"
    (shortcut,) = msi_table(out, "Shortcut")
    assert shortcut["Target"] == "[INSTALLFOLDER]coordinator-app.exe"


def test_a_newer_msi_replaces_the_older(tmp_path: Path) -> None:
    """The same UpgradeCode in every version, a new ProductCode each time, and an Upgrade row
    that finds any older version (MajorUpgrade), so installing 0.2 removes 0.1 first."""
    needs("wixl", "msiinfo")
    bundle = stand_in_bundle(tmp_path)
    older = msi.build_msi(bundle, tmp_path / "older.msi", "0.1.0")
    newer = msi.build_msi(bundle, tmp_path / "newer.msi", "0.2.0")
    old_props, new_props = properties(older), properties(newer)
    assert old_props["UpgradeCode"] == new_props["UpgradeCode"]
    assert old_props["ProductCode"] != new_props["ProductCode"]
    finds_older = [
        row for row in msi_table(newer, "Upgrade")
        if row["ActionProperty"] == "WIX_UPGRADE_DETECTED"
    ]  # fmt: skip
    assert finds_older and finds_older[0]["VersionMax"] == "0.2.0"
    assert finds_older[0]["UpgradeCode"] == new_props["UpgradeCode"]


def test_each_file_keeps_its_component_from_one_build_to_the_next(tmp_path: Path) -> None:
    bundle = stand_in_bundle(tmp_path)
    assert msi.harvest(bundle) == msi.harvest(bundle)
    guids = re.findall(r'Guid="([0-9A-F-]+)"', msi.harvest(bundle))
    assert len(guids) == len(set(guids)) == len([p for p in bundle.rglob("*") if p.is_file()])


# --- Signing --------------------------------------------------------------------------------


def throwaway_certificate(folder: Path) -> tuple[Path, Path]:
    """(pfx, pem) of a self-signed code-signing certificate valid for a day."""
    key, pem, pfx = folder / "key.pem", folder / "cert.pem", folder / "cert.pfx"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(pem), "-days", "1", "-subj", "/CN=Involvement Coordinator test signing",
         "-addext", "extendedKeyUsage=codeSigning"],
        check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        ["openssl", "pkcs12", "-export", "-out", str(pfx), "-inkey", str(key), "-in", str(pem),
         "-passout", "pass:throwaway"],
        check=True, capture_output=True,
    )  # fmt: skip
    return pfx, pem


def verified(path: Path, pem: Path) -> bool:
    done = subprocess.run(
        ["osslsigncode", "verify", "-in", str(path), "-CAfile", str(pem)],
        capture_output=True, text=True,
    )  # fmt: skip
    return done.returncode == 0


def test_executables_and_the_msi_are_signed_when_a_certificate_is_given(tmp_path: Path) -> None:
    needs("osslsigncode", "openssl", "wixl", "msiinfo")
    pfx, pem = throwaway_certificate(tmp_path)
    bundle = stand_in_bundle(tmp_path)
    installer = msi.build_msi(bundle, tmp_path / "app.msi")
    files = [bundle / name for name in build.WINDOWS_EXECUTABLES] + [installer]
    assert not any(verified(path, pem) for path in files)

    env = {"SIGN_PFX": str(pfx), "SIGN_PFX_PASSWORD": "throwaway"}
    assert sign.sign(files, env) == files
    for path in files:
        assert verified(path, pem), path.name


def test_nothing_is_signed_without_a_certificate(tmp_path: Path) -> None:
    program = tmp_path / "coordinator-app.exe"
    shutil.copy(pe_file(), program)
    before = program.read_bytes()
    assert sign.sign([program], {}) == []
    assert program.read_bytes() == before


def test_a_wrong_password_fails_the_build_in_one_sentence(tmp_path: Path) -> None:
    needs("osslsigncode", "openssl")
    pfx, _pem = throwaway_certificate(tmp_path)
    program = tmp_path / "coordinator-app.exe"
    shutil.copy(pe_file(), program)
    before = program.read_bytes()
    with pytest.raises(sign.SigningError, match=r"coordinator-app\.exe could not be signed"):
        sign.sign([program], {"SIGN_PFX": str(pfx), "SIGN_PFX_PASSWORD": "wrong"})
    assert program.read_bytes() == before
    assert not list(tmp_path.glob("*.signed"))


# --- The Windows bundle ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "dest",
    ["PySide6/opengl32sw.dll", "PySide6\\opengl32sw.dll", "PySide6/d3dcompiler_47.dll",
     "PySide6/plugins/platforms/qdirect2d.dll", "PySide6/plugins/platforms/qminimal.dll",
     "PySide6/Qt6Quick.dll", "PySide6/Qt6Pdf.dll", "PySide6/Qt6Network.dll",
     "PySide6/plugins/imageformats/qjpeg.dll", "PySide6/translations/qt_de.qm"],
)  # fmt: skip
def test_windows_bundle_leaves_out(dest: str) -> None:
    assert lean.is_pruned(dest)


@pytest.mark.parametrize(
    "dest",
    ["PySide6/Qt6Core.dll", "PySide6/Qt6Gui.dll", "PySide6/Qt6Widgets.dll",
     "PySide6/Qt6PrintSupport.dll", "PySide6/Qt6Svg.dll",
     "PySide6\\plugins\\platforms\\qwindows.dll", "PySide6/plugins/platforms/qoffscreen.dll",
     "PySide6/plugins/iconengines/qsvgicon.dll", "PySide6/plugins/imageformats/qico.dll",
     "PySide6/plugins/printsupport/windowsprintersupport.dll", "python311.dll",
     "numpy.libs/libscipy_openblas64_.dll"],
)  # fmt: skip
def test_windows_bundle_keeps(dest: str) -> None:
    assert not lean.is_pruned(dest)


def test_the_windows_bundle_has_a_console_companion() -> None:
    spec = SPEC.read_text(encoding="utf-8")
    assert 'executable("coordinator-app", console=False)' in spec
    assert 'executable("coordinator-app-cli", console=True)' in spec
    assert build.WINDOWS_EXECUTABLES == ("coordinator-app.exe", "coordinator-app-cli.exe")


def test_the_policy_file_can_be_given_to_the_setup() -> None:
    files = iss_sections()["Files"]
    assert any("{param:POLICY|}" in line and 'DestName: "policy.ini"' in line for line in files)
