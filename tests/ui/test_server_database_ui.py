"""The desktop app on a PostgreSQL database: File > Back up now and Restore say in one sentence
that backups are the server's job (and make no file), and no backup status is shown.

Skipped with the reason when ``COORDINATOR_TEST_PG_URL`` is unset (the SQLite-file side is in
test_backup_ui.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coordinator_app.core import backup
from coordinator_app.ui.dialogs.backup_dialogs import (
    back_up_now,
    backup_status_text,
    restore_into_app,
    start_backup_if_due,
)


@pytest.fixture(autouse=True)
def _needs_a_server(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("needs a PostgreSQL server: set COORDINATOR_TEST_PG_URL (.ci/run starts one)")


def test_back_up_and_restore_say_the_server_does_it(qtbot, ctx, questions, tmp_path) -> None:
    assert back_up_now(ctx) is None
    assert restore_into_app(ctx, tmp_path / "any.db") is None
    assert questions.told == [backup.SERVER_SENTENCE, backup.SERVER_SENTENCE]
    assert "server's job" in backup.SERVER_SENTENCE
    assert list(Path(tmp_path).iterdir()) == []


def test_no_backup_status_and_no_backup_on_opening(qtbot, ctx, questions) -> None:
    assert backup_status_text(ctx.db) == ""
    assert start_backup_if_due(ctx.db) is None
    assert questions.told == []
