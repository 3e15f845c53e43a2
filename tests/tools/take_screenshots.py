"""Screenshots of the main screens for the README, taken from a real window under Xvfb.

    xvfb-run -s "-screen 0 1366x860x24" .venv/bin/python tests/tools/take_screenshots.py DB OUTDIR

Opens the app on DB, visits Home, Meetings (with a meeting open), Participants, and grabs the
whole X screen with ImageMagick's ``import`` at each step. Not collected by pytest.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
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
    dialog.move(window.geometry().center() - dialog.rect().center())
    dialog.show()
    window.database_dialog = dialog  # kept alive until the shot


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
        QApplication.processEvents()
        subprocess.run(["import", "-window", "root", str(out / f"{name}.png")], check=True)

    steps = [
        lambda: window.show_page(PAGE_HOME),
        lambda: None,  # the charts load a moment after Home shows
        lambda: None,
        lambda: shot("home"),
        lambda: window.show_page(PAGE_MEETINGS),
        lambda: shot("meetings"),
        lambda: window.open_meeting(held[0].id) if held else None,
        lambda: window.meetings.editor.tabs.setCurrentIndex(2),  # the attendance register
        lambda: shot("meeting"),
        lambda: window.show_page(PAGE_PARTICIPANTS),
        lambda: shot("participants"),
        lambda: window.show_page(PAGE_ACTIONS),
        lambda: None,  # the tracker's rows arrive from the background
        lambda: shot("actions"),
        lambda: window.show_page(PAGE_PROJECTS),
        lambda: shot("projects"),
        lambda: window.show_page(PAGE_ACCREDITATION),
        lambda: shot("accreditation"),
        lambda: window.show_page(PAGE_RETURNS),
        lambda: shot("returns"),
        lambda: show_database_dialog(window),
        lambda: shot("database"),
        app.quit,
    ]
    for delay, step in enumerate(steps):
        QTimer.singleShot(700 * (delay + 1), step)
    app.exec()


if __name__ == "__main__":
    main()
