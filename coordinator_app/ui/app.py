"""Starting the desktop app: the QApplication, fonts, icon, the database and the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import APP_NAME, ORG_NAME, __version__
from ..core.resources import resources_dir

_FONTS_LOADED: list[str] = []


def ensure_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, set up with names (before any QSettings), icon and shipped fonts."""
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setDesktopFileName("involvement-coordinator")
    icon = resources_dir() / "icons" / "app.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    load_fonts()
    app.setStyle("Fusion")  # the same look on every laptop, following the palette (dark mode)
    style_sheet = resources_dir() / "styles" / "app.qss"
    if style_sheet.exists():
        app.setStyleSheet(style_sheet.read_text(encoding="utf-8"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    return app


def load_fonts() -> list[str]:
    """Load the shipped font (printouts must have real text even on a machine without fonts)."""
    if not _FONTS_LOADED:
        for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id >= 0:
                _FONTS_LOADED.extend(QFontDatabase.applicationFontFamilies(font_id))
    return _FONTS_LOADED


def run(target: str | None, *, exit_after_startup: bool = False) -> int:
    """Open the desktop app on ``target`` (``--db``); returns the process exit code."""
    from ..core.db import open_database
    from ..core.errors import CoordinatorError

    app = ensure_application()
    try:
        db = open_database(target)
    except CoordinatorError as exc:
        if exit_after_startup:
            print(f"coordinator-app: {exc}", file=sys.stderr)
        else:
            QMessageBox.critical(None, APP_NAME, str(exc))
        return 1

    from ..core.settings import needs_first_run
    from .context import AppContext
    from .main_window import MainWindow

    ctx = AppContext(db=db)
    if not exit_after_startup and needs_first_run(db):
        from .dialogs.welcome import WelcomeDialog

        if not WelcomeDialog.ask(ctx):
            db.dispose()
            return 0
    window = MainWindow(ctx)
    window.show()
    if exit_after_startup:
        # Let the window lay out and paint once with Home filled, then leave.
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    window.deleteLater()
    db.dispose()
    return int(code)
