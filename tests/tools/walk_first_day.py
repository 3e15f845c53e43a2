"""Walk the first day (issue #22) on a real X display at 1366×768 and take a screenshot of each
step, for a person to look at.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/walk_first_day.py [OUTDIR]

The journey is ``first_day`` of ``tests/ui/test_journey_first_day.py``, the one the test walks
offscreen: the same keys on the widget with the focus, the same answers to every dialog, the
same checks (a failed check stops the walk with its message). Here the app looks as it does on a
laptop (``ensure_application``: Fusion and the focus ring's style, no style sheet; every dialog
sized and placed by ``dialog_sizes``), the message boxes are real, and each ``shot`` grabs the
whole screen into OUTDIR (default ``/tmp/journey``) as ``NN-step.png`` (the journey names them);
the first page of the agenda and of the sign-in sheet follow as pictures (``pdftoppm``). The
clock is the test's (Thursday 20 March 2025, the forum's day); the database, the settings and
the files saved are in a temporary folder. Not collected by pytest (``tests/tools`` is in
``norecursedirs``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

from test_journey_first_day import FORUM_DAY, LAPTOP, Keyboard, first_day

from coordinator_app.core.db import open_database
from coordinator_app.ui.app import ensure_application
from coordinator_app.ui.context import AppContext
from coordinator_app.ui.main_window import MainWindow


def settle(rounds: int = 5) -> None:
    """Let what is pending paint reach the X server (layouts, update requests, flushes)."""
    for _ in range(rounds):
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    QApplication.sync()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/journey")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    work = Path(tempfile.mkdtemp(prefix="first-day-"))
    app = ensure_application()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work / "qs"))
    screen = app.primaryScreen()
    print(f"screen {screen.geometry().width()}×{screen.geometry().height()}", flush=True)

    def shot(name: str) -> None:
        settle()
        path = out / f"{name}.png"
        # Asked for each time: the X server may replace the screen object meanwhile.
        QApplication.primaryScreen().grabWindow(0).save(str(path))
        print(f"{path}  (focus: {describe(QApplication.focusWidget())})", flush=True)

    started = time.monotonic()
    db = open_database(work / "first-day.db")
    try:
        ctx = AppContext(db=db, today_override=FORUM_DAY)
        window = MainWindow()
        window.setGeometry(0, 0, LAPTOP.width(), LAPTOP.height())
        window.show()
        window.activateWindow()
        settle()
        keys = Keyboard()
        saved = work / "saved"
        saved.mkdir()
        walked = first_day(keys, window, ctx, saved, shot)
        # The papers as printed: the first page of each PDF, to look at beside the screens.
        for name, pdf in (
            ("25-agenda-pdf", walked.agenda_pdf),
            ("26-sign-in-pdf", walked.sign_in_pdf),
        ):
            if pdf is not None and shutil.which("pdftoppm"):
                subprocess.run(
                    [
                        "pdftoppm",
                        "-png",
                        "-r",
                        "60",
                        "-singlefile",
                        "-f",
                        "1",
                        "-l",
                        "1",
                        str(pdf),
                        str(out / name),
                    ],
                    check=True,
                )
                print(out / f"{name}.png")
        for title, size, needs in keys.dialogs_seen:
            print(
                f"dialog {title!r}: {size.width()}×{size.height()}, needs {needs.width()}×"
                f"{needs.height()}"
            )
        print(f"walked in {time.monotonic() - started:.1f} s; files in {saved}")
        window.close()
    finally:
        db.dispose()
    return 0


def describe(widget: object) -> str:
    if widget is None:
        return "nothing"
    name = getattr(widget, "accessibleName", lambda: "")() or getattr(widget, "text", lambda: "")()
    return f"{type(widget).__name__} {name!r}"


if __name__ == "__main__":
    sys.exit(main())
