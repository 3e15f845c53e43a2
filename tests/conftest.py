"""Shared fixtures. Qt runs offscreen; no Qt object is made at import time (Spyder's warning)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep QSettings and the default data folder away from the real user's.
os.environ.setdefault("XDG_CONFIG_HOME", str(Path(__file__).resolve().parent / ".xdg-config"))

from coordinator_app.core.db import Database, open_database


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated empty database per test run; each test gets a copy (Anki's approach)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(path).dispose()
    return path


@pytest.fixture
def db_path(tmp_path: Path, _template_db: Path) -> Path:
    from coordinator_app.core.db import copy_sqlite_file

    return copy_sqlite_file(_template_db, tmp_path / "coordinator.db")


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.dispose()
