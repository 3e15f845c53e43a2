"""Fixtures shared by the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from coordinator_app.cli import main


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    """A database file holding the small demo data, made through the command line."""
    path = tmp_path / "demo.db"
    assert main(["--db", str(path), "demo", "--size", "small"]) == 0
    return path
