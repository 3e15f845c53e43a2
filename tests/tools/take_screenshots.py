"""Screenshots of the main screens for the README, taken from a real window under Xvfb.

    xvfb-run -s "-screen 0 1366x860x24" .venv/bin/python tests/tools/take_screenshots.py DB OUTDIR

Opens the app on DB, visits Home, Meetings (with a meeting open), Participants, and grabs the
whole X screen (``QScreen.grabWindow``) at each step. Not collected by pytest.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from coordinator_app.core.db import open_database
from coordinator_app.core.meetings import list_meetings
from coordinator_app.ui.app import ensure_application
from coordinator_app.ui.context import AppContext
from coordinator_app.ui.main_window import (
    PAGE_ACCREDITATION,
    PAGE_ACTIONS,
    PAGE_HOME,
    PAGE_MEETINGS,
    PAGE_PARTICIPANTS,
    PAGE_PROJECTS,
    PAGE_RETURNS,
    MainWindow,
)


def show_database_dialog(window: MainWindow) -> None:
    """File > Database… with a trust server filled in, as a coordinator sees it after Test
    connection (its settings folder is a temporary one: nothing is saved)."""
    import tempfile

    from coordinator_app.core.connection import CONNECTED_CURRENT
    from coordinator_app.ui.dialogs.database_settings import DatabaseSettingsDialog

    dialog = DatabaseSettingsDialog(window, folder=Path(tempfile.mkdtemp()))
    dialog.server.setChecked(True)
    dialog.host.setText("coordination-db.trust.nhs.uk")
    dialog.database.setText("involvement")
    dialog.user.setText("j.okafor")
    dialog.password.setText("not-a-real-password")
    dialog.outcome.setText(CONNECTED_CURRENT)
    dialog.show()  # centred over the window (``dialog_sizes``)
    window.database_dialog = dialog  # kept alive until the shot


def settle(rounds: int = 5) -> None:
    """Let what is pending paint reach the X server (layouts, update requests, flushes)."""
    for _ in range(rounds):
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    QApplication.sync()


def wait_until(condition: Callable[[], object], limit_s: float = 15.0) -> None:
    """Run the event loop until ``condition()`` holds (or ``limit_s`` has passed: a picture of
    what there is then is better than none)."""
    deadline = time.monotonic() + limit_s
    while not condition() and time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def main() -> None:
    db_path, out = sys.argv[1], Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    app = ensure_application()
    ctx = AppContext(db=open_database(db_path))
    window = MainWindow(ctx)
    window.setGeometry(0, 0, 1366, 860)
    window.show()
    held = [m for m in list_meetings(ctx.db) if m.status.value == "held"]

    def shot(name: str) -> None:
        settle()
        # The whole X screen, as ImageMagick's ``import -window root`` took it (no tool needed).
        screen = QApplication.primaryScreen()  # asked each time: the object may be replaced
        screen.grabWindow(0).save(str(out / f"{name}.png"))
        print(out / f"{name}.png", flush=True)

    def visit(index: int, name: str) -> None:
        """Show a page and take it once its list has arrived from the background, for the
        pages that read one (a page is built before it is shown, so no signal is missed)."""
        done: list[bool] = []
        page = window.page(index)
        loaded = getattr(page, "loaded", None)
        if loaded is not None:
            loaded.connect(lambda: done.append(True))
        window.show_page(index)
        if loaded is not None:
            wait_until(lambda: done)
        shot(name)

    # Each step in turn, waiting for what it waits on: with a timer per step, a slow page let
    # the next steps run inside a picture's event processing (the Projects picture showed
    # Accreditation, the database one a black screen).
    window.show_page(PAGE_HOME)
    wait_until(lambda: window.home.charts.series is not None)  # drawn after Home shows
    shot("home")
    visit(PAGE_MEETINGS, "meetings")
    if held:
        window.open_meeting(held[0].id)
        window.meetings.editor.tabs.setCurrentIndex(2)  # the attendance register
    shot("meeting")
    visit(PAGE_PARTICIPANTS, "participants")
    visit(PAGE_ACTIONS, "actions")
    visit(PAGE_PROJECTS, "projects")
    visit(PAGE_ACCREDITATION, "accreditation")
    visit(PAGE_RETURNS, "returns")
    show_database_dialog(window)
    shot("database")
    window.database_dialog.close()
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main()
