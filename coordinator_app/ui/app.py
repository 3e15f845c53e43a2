"""Starting the desktop app: the QApplication, fonts, icon, the database and the main window."""

from __future__ import annotations

import gc
import sys
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QSettings, QTimer
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from .. import APP_NAME, ORG_NAME, __version__
from ..core.resources import resources_dir
from . import feature_check

# PySide6 now checks every module imported after it for its __feature__ switch, which the app
# never uses: the check is taken out before the window's and the database's modules are
# imported (else a faster check with the same answer is left in its place).
feature_check.read_faster()
feature_check.stop_watching()

if TYPE_CHECKING:
    from ..core.db import Database
    from .context import AppContext

_FONTS_LOADED: list[str] = []


def ensure_application(argv: list[str] | None = None, *, ring: bool = True) -> QApplication:
    """The one QApplication, set up with names (before any QSettings), icon and style (no style
    sheet: ``apply_look``; the shipped fonts are loaded by ``load_fonts``, when something is
    printed or once the window is up). ``ring`` False: plain Fusion until the focus ring is
    first needed (``apply_look``)."""
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
    apply_look(app, ring=ring)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    return app


def apply_look(app: QApplication, *, ring: bool = True) -> None:
    """The app's look: Fusion (the same on every laptop) with a focus ring you can see
    (``focus.FocusRingStyle``), and no app-wide style sheet (it would cost 12 to 17 ms on the
    way to Home: docs/engineering-notes.md, "Where start-up goes"). Whatever Fusion does not
    draw as the app wants paints itself (Home's cards, the sections list) in the palette's
    colours, read when painted, so the system's dark mode and high-contrast themes are followed.

    ``ring`` False (the desktop app's start): plain Fusion until Home is shown or a dialog is
    about to ask something, whichever comes first (``focus.use_plain_style``: the ring's style
    costs about 20 ms on the way to Home, for a ring nothing there can show yet)."""
    from . import focus

    if ring:
        focus.set_ring_style(app)
    else:
        focus.use_plain_style(app)


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


def run(
    target: str | None, *, exit_after_startup: bool = False, exit_after_first_paint: bool = False
) -> int:
    """Open the desktop app on ``target`` (``--db``); returns the process exit code.

    The window paints first: its frame, the navigation, the menus and Home's empty cards, before
    the database and SQLAlchemy are loaded (``exit_after_first_paint`` leaves there, exit 0,
    having opened nothing). Then the database is opened, taking the one-app-per-database lock
    and migrating the file but reading only a few pages of it, and Home fills in
    (``MainWindow.attach``); a question on the way (the server's password, the welcome on a new
    database, why it cannot open) is asked over the painted window. After that the damage check
    runs when the app did not close normally last time (``watch_soundness``: every write waits
    for its verdict, and a damaged file is offered the newest good backup), risky places are
    pointed out, a backup is made in the background when the last is more than a day old, and
    typing left unsaved when the app last stopped is offered back; closing makes one more
    backup unless one was made today. With ``exit_after_startup`` nothing waits for an answer
    and no backup is made; a damage check still pending is waited for once Home is shown (exit
    1 with one sentence when the file is damaged).

    Pitfall: nothing imported before the first paint may import SQLAlchemy
    (``tests/cli/test_without_orm.py``).
    """
    app = ensure_application(ring=False)  # the focus ring's style once Home is shown
    from . import errors

    errors.install()  # an error nobody handled: one sentence, the details in the log
    from .main_window import MainWindow

    window = MainWindow()
    window.show()
    paint(window)
    if exit_after_first_paint:
        return 0

    from .opening import open_for_app

    if target is None:  # no --db: the database chosen in File > Database… (this laptop's default)
        from .dialogs.database_settings import target_at_startup

        go_on, target = target_at_startup(exit_after_startup=exit_after_startup)
        if not go_on:
            return 1
    opened = open_for_app(target, exit_after_startup=exit_after_startup, parent=window)
    if opened is None:
        return 1

    from ..core.db import prepare_orm
    from ..core.settings import needs_first_run
    from . import tasks
    from .context import AppContext

    ctx = AppContext(db=opened.db)
    try:
        if not ctx.db.is_sqlite:
            # A server's login; a laptop's file has none (None), and core.access (2 to 3 ms on
            # the way to Home) is not imported for it.
            from ..core.access import signed_in

            ctx.signed_in = signed_in(ctx.db)
        if not exit_after_startup and _must_choose_password(ctx):
            from .dialogs.access_dialogs import ChangePasswordDialog

            tasks.collector().enable()  # a person is about to type
            if not ChangePasswordDialog.ask(ctx, first=True):
                return 0
        if not exit_after_startup and needs_first_run(ctx.db):
            from .dialogs.welcome import WelcomeDialog

            tasks.collector().enable()  # a person is about to type: collect as usual
            if not WelcomeDialog.ask(ctx):
                return 0
        damaged = _attach(window, ctx)
        if damaged is not None:  # Home met damage the deferred check has confirmed
            if exit_after_startup:
                return _verdict_before_exit(ctx.db)
            from .dialogs.backup_dialogs import damaged_while_open

            if not damaged_while_open(ctx, window, damaged):
                return 1
            window.attach(ctx)
        if exit_after_startup:
            # Lay out and paint the window with Home filled, then leave before what Home defers
            # (its charts, after LOAD_DELAY_MS).
            app.processEvents()
            return _verdict_before_exit(ctx.db)

        # Home is shown: what only the running app needs is loaded from here on.
        from .dialogs.backup_dialogs import (
            backup_on_close,
            damaged_while_open,
            start_backup_if_due,
            warn_about_risky_places,
            watch_soundness,
        )

        def after_show() -> None:
            from . import focus

            focus.use_ring_style(app)  # before anything else can take the keyboard's focus
            finish_opening(window, ctx)
            # Home was read without the ORM; load it now, while the user looks at Home, so the
            # first page that edits something opens at once.
            prepare_orm()
            load_fonts()
            # Start-up made many long-lived objects (ORM, Qt wrappers): move them out of the
            # garbage collector's way so later collections do not pause typing, then collect
            # as usual (the command line turned collection off while they were made). Not
            # while a background thread runs a job (``tasks._GuiCollector``): collection then
            # waits for its end.
            collector = tasks.collector()
            if not collector.active:
                gc.collect()
            gc.freeze()
            collector.enable()
            window.soundness_watch = watch_soundness(ctx, window)
            warn_about_risky_places(ctx.db, window)
            window.backup_task = start_backup_if_due(
                ctx.db, window.set_backup_status, on_damage=lambda problems: damaged_now(problems)
            )
            window.recover_drafts()  # what was typed when the app last stopped, if anything
            window.check_for_updates(quietly=True)  # only where IT sets a place to look

        def damaged_now(problems: list[str]) -> None:
            # The daily backup's copy did not check out and the database's own check found
            # damage: writes are refused from now on; offer the newest good backup.
            from ..core.db import DamagedDatabaseError

            assert ctx.db.path is not None
            damaged_while_open(ctx, window, DamagedDatabaseError(ctx.db.path, "; ".join(problems)))

        QTimer.singleShot(0, after_show)
        code = app.exec()
        tasks.shutdown()  # cancel the lists' reads; a running backup finishes
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


def paint(window: QWidget, limit_s: float = 10.0) -> None:
    """Run the event loop until ``window`` has been painted once (shown and exposed: on a
    desktop the expose comes from the window system a moment after ``show``)."""
    painted: list[bool] = []

    class Watcher(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted.append(True)
            return False

    watcher = Watcher()
    window.installEventFilter(watcher)
    deadline = time.monotonic() + limit_s
    try:
        while not painted and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    finally:
        window.removeEventFilter(watcher)


def finish_opening(window: Any, ctx: AppContext) -> None:
    """Once Home is shown: what a killed restore or backup left behind is removed (the opening
    left it, ``open_database(clean_up=False)``; the window holds the database's lock) and the
    status bar says when the database was last backed up. Both read the backups folder and the
    trust's policy file, about 14 ms that Home need not wait for (issue #23)."""
    from ..core import backup

    if ctx.db.path is not None:
        backup.remove_leftovers(ctx.db.path)
    window.refresh_backup_status()


def _attach(window: Any, ctx: Any) -> Any:
    """``window.attach(ctx)``, the status bar's backup text left for ``finish_opening``; None
    when done. A read that meets damage (possible only while a
    deferred damage check is pending: the app did not close normally last time) waits for the
    check's verdict and returns the ``DamagedDatabaseError`` it confirms; anything else raises."""
    try:
        window.attach(ctx, backup_status=False)
    except Exception as exc:
        from ..core.db import DamagedDatabaseError
        from ..core.storage import is_damage

        check = ctx.db.soundness
        if check is None or not is_damage(exc):
            raise
        problems = check.wait()
        if not problems:
            raise
        return DamagedDatabaseError(ctx.db.path, "; ".join(problems[:5]))
    return None


def _verdict_before_exit(db: Database) -> int:
    """``--exit-after-startup``: the exit code once Home is shown. A damage check the opening
    deferred (the app did not close normally last time) is waited for: a damaged database is
    one sentence on stderr naming the newest good backup, and exit 1."""
    if db.soundness is None:
        return 0
    from ..core import backup
    from ..core.db import DamagedDatabaseError
    from ..core.errors import CoordinatorError
    from .dialogs.backup_dialogs import damaged_database_sentence

    try:
        problems = db.soundness.wait()
    except CoordinatorError as exc:
        print(f"coordinator-app: {exc}", file=sys.stderr)
        return 1
    if not problems:
        return 0
    assert db.path is not None
    error = DamagedDatabaseError(db.path, "; ".join(problems[:5]))
    offer = backup.newest_good_backup(db.path)
    print(f"coordinator-app: {damaged_database_sentence(error, offer)}", file=sys.stderr)
    return 1
