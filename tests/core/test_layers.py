"""The core is a headless library: nothing under coordinator_app/core imports Qt."""

from __future__ import annotations

import ast
from pathlib import Path

import coordinator_app.core

CORE = Path(coordinator_app.core.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_imports_no_qt() -> None:
    files = sorted(CORE.rglob("*.py"))
    assert len(files) > 5
    offenders = {
        str(p.relative_to(CORE)): sorted(
            n for n in _imports(p) if n.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}
        )
        for p in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_core_runs_without_qt_loaded() -> None:
    """Importing every core module in a fresh interpreter loads no Qt module."""
    import subprocess
    import sys

    modules = [
        "coordinator_app.core." + ".".join(p.relative_to(CORE).with_suffix("").parts)
        for p in sorted(CORE.rglob("*.py"))
        if "migrations" not in p.parts and p.name != "__init__.py"
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(k for k in sys.modules if k.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
