"""Where the shipped resources (fonts, templates, standards, samples, icons) are.

From a source checkout or an editable install they are in ``resources/`` beside the package; in
a PyInstaller bundle they are in ``resources/`` under the bundle's folder.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a shipped resource; raises FileNotFoundError naming it when it is missing."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"The app's resource {'/'.join(parts)} is missing from {path.parent}."
        )
    return path
