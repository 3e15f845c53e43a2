"""Starting the desktop app: the QApplication, fonts, icon, the database and the main window."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from .. import APP_NAME, ORG_NAME, __version__
from ..core.resources import resources_dir

if TYPE_CHECKING:
    from .context import AppContext

_FONTS_LOADED: list[str] = []


def ensure_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, set up with names (before any QSettings), icon, style and style
    sheet (the shipped fonts are loaded by ``load_fonts``, when something is printed or once the
    window is up)."""
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
    apply_look(app)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    return app


def apply_look(app: QApplication) -> None:
    """The app's look: Fusion (the same on every laptop) and the style sheet, whose colours all
    come from the palette, so the system's dark mode and high-contrast themes are followed."""
    app.setStyle("Fusion")
    style_sheet = resources_dir() / "styles" / "app.qss"
    if style_sheet.exists():
        app.setStyleSheet(style_sheet.read_text(encoding="utf-8"))


def load_fonts() -> list[str]:
    """Load the shipped font (printouts must have real text even on a machine without fonts).

    Printing calls this before it lays out a document, and the app just after its window
    appears (a fallback for a machine with no fonts of its own); start-up does not wait for it.
    """
    if not _FONTS_LOADED:
        for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id >= 0:
                _FONTS_LOADED.extend(QFontDatabase.applicationFontFamilies(font_id))
    return _FONTS_LOADED


def run(target: str | None, *, exit_after_startup: bool = False) -> int:
    """Open the desktop app on ``target`` (``--db``); returns the process exit code.

    Opening takes the one-app-per-database lock, checks the file for damage (offering the newest
    good backup) and migrates it; after the window shows, risky places are pointed out, a
    backup is made in the background when the last is more than a day old, and typing left
    unsaved when the app last stopped is offered back; closing makes one more backup. With
    ``exit_after_startup`` nothing waits for an answer and no backup is made.
    """
    from .dialogs.backup_dialogs import (
        backup_on_close,
        open_for_app,
        start_backup_if_due,
        warn_about_risky_places,
    )

    app = ensure_application()
    from . import errors

    errors.install()  # an error nobody handled: one sentence, the details in the log
    from . import dialog_sizes

    dialog_sizes.install(app)  # every dialog fits the screen, at the size it was left at
    if target is None:  # no --db: the database chosen in File > Database… (this laptop's default)
        from .dialogs.database_settings import target_at_startup

        go_on, target = target_at_startup(exit_after_startup=exit_after_startup)
        if not go_on:
            return 1
    opened = open_for_app(target, exit_after_startup=exit_after_startup)
    if opened is None:
        return 1

    from ..core.db import prepare_orm
    from ..core.settings import needs_first_run
    from . import tasks
    from .context import AppContext
    from .main_window import MainWindow

    ctx = AppContext(db=opened.db)
    try:
        from ..core.access import signed_in

        ctx.signed_in = signed_in(ctx.db)  # a server's login (None on this laptop: no query)
        if not exit_after_startup and _must_choose_password(ctx):
            from .dialogs.access_dialogs import ChangePasswordDialog

            gc.enable()  # a person is about to type
            if not ChangePasswordDialog.ask(ctx, first=True):
                return 0
        if not exit_after_startup and needs_first_run(ctx.db):
            from .dialogs.welcome import WelcomeDialog

            gc.enable()  # a person is about to type: collect as usual from here on
            if not WelcomeDialog.ask(ctx):
                return 0
        window = MainWindow(ctx)
        window.show()
        if exit_after_startup:
            # Lay out and paint the window with Home filled, then leave before what Home defers
            # (its charts, after LOAD_DELAY_MS).
            app.processEvents()
            return 0

        def after_show() -> None:
            # Home was read without the ORM; load it now, while the user looks at Home, so the
            # first page that edits something opens at once.
            prepare_orm()
            load_fonts()
            # Start-up made many long-lived objects (ORM, Qt wrappers): move them out of the
            # garbage collector's way so later collections do not pause typing, then collect
            # as usual (the command line turned collection off while they were made).
            gc.collect()
            gc.freeze()
            gc.enable()
            warn_about_risky_places(ctx.db, window)
            window.backup_task = start_backup_if_due(ctx.db, window.set_backup_status)
            window.recover_drafts()  # what was typed when the app last stopped, if anything
            window.check_for_updates(quietly=True)  # only where IT sets a place to look

        QTimer.singleShot(0, after_show)
        code = app.exec()
        tasks.shutdown()  # let a running automatic backup finish first
        backup_on_close(ctx.db)  # never raises
        window.deleteLater()
        return int(code)
    finally:
        ctx.db.dispose()  # ctx.db, not opened.db: a restore reopens the database
        opened.lock.release()


def _must_choose_password(ctx: AppContext) -> bool:
    """The login still has the first password ``access add`` gave it (core/access.py)."""
    signed = ctx.signed_in
    return signed is not None and signed.access is not None and signed.access.must_change_password
