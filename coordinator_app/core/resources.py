"""Where the shipped resources (fonts, icons, style sheet, templates, standards, samples) are.

They live in ``resources/`` at the top of the repository, and are installed as the package
``coordinator_app.resources`` (``setup.py``), so they are found in the package's own folder
wherever the package itself is: installed from a wheel, and in the PyInstaller bundle (whose
spec puts them in the same place). Only a source checkout or an editable install, which has no
such package folder, reads ``resources/`` beside the package instead.

Pitfall: an editable install hides a wheel that lacks them; ``tests/cli/test_wheel.py`` installs
the wheel itself, outside the checkout, and runs the commands that need them.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = "resources"


def resources_dir() -> Path:
    """The folder holding the resources: inside the installed package, else the checkout's.

    The package's folder is the one this module's file is in (a real path, which Qt needs): what
    ``importlib.resources.files`` gives for a package on disk, without loading its readers
    (about 1 ms of every start, issue #23)."""
    packaged = Path(__file__).parents[1] / FOLDER
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / FOLDER


def resource_path(*parts: str) -> Path:
    """The path of a shipped resource; raises FileNotFoundError naming it when it is missing."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"The app's resource {'/'.join(parts)} is missing from {path.parent}."
        )
    return path
