"""Every dialog fits the screen and opens at the size it was last left at (issue #22 item 11).

One event filter on the application (``install``) does it for every dialog, so no dialog can
forget: when a dialog is first shown, the size it was closed at last time (kept per kind of
dialog in QSettings) is given back, and in every case the dialog is made no bigger than the
screen's free area less a margin, and moved to lie wholly on it (a 1366x768 laptop with its
taskbar). When the dialog is hidden its size is kept. Qt's own message boxes, file choosers and
progress dialogs size themselves and are left alone.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
)

from .widgets import SCREEN_MARGIN

PREFIX = "dialog-sizes/"
_LEFT_ALONE = (QMessageBox, QFileDialog, QProgressDialog, QInputDialog)
#: Set on a dialog once its size has been given back, so a dialog shown again (hidden by a
#: question, then shown) keeps the size it has.
_SIZED = "_coordinator_sized"


def key_of(dialog: QDialog) -> str:
    """Where a kind of dialog's size is kept: its class, and its object name when it has one (one
    class used for several purposes)."""
    name = dialog.objectName()
    return PREFIX + type(dialog).__name__ + (f"-{name}" if name else "")


def room_for(dialog: QDialog) -> QRect | None:
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return None
    room = screen.availableGeometry()
    return room.adjusted(
        SCREEN_MARGIN // 2, SCREEN_MARGIN // 2, -SCREEN_MARGIN // 2, -SCREEN_MARGIN // 2
    )


def fit(dialog: QDialog, wanted: QSize | None = None) -> None:
    """``wanted`` (else the dialog's own size), no smaller than the dialog needs and no bigger
    than the screen's free area, with the whole frame on the screen. A dialog nobody has
    placed yet is centred over the window it belongs to (else on the screen) first.

    Pitfall: this runs before the dialog's own show event, which would centre it, but only
    when nobody has moved it: the move here counts as placing it. Keeping it on the screen
    without centring it first left every dialog in the screen's top left corner, away from
    the window (issue #22's walk at 1366x768)."""
    room = room_for(dialog)
    size = wanted if wanted is not None and wanted.isValid() else dialog.size()
    least = dialog.minimumSizeHint()
    width, height = max(size.width(), least.width()), max(size.height(), least.height())
    if room is not None:
        width, height = min(width, room.width()), min(height, room.height())
    if (width, height) != (dialog.width(), dialog.height()):
        dialog.resize(width, height)
    if room is None:
        return
    frame = dialog.frameGeometry()
    if not dialog.testAttribute(Qt.WidgetAttribute.WA_Moved):
        parent = dialog.parentWidget()
        over = parent.window().frameGeometry() if parent is not None else room
        frame.moveCenter(over.center())
    if not room.contains(frame):
        x = min(max(frame.left(), room.left()), room.right() - frame.width() + 1)
        y = min(max(frame.top(), room.top()), room.bottom() - frame.height() + 1)
        frame.moveTopLeft(QPoint(max(x, room.left()), max(y, room.top())))
    if frame.topLeft() != dialog.frameGeometry().topLeft():
        dialog.move(frame.topLeft())


class DialogSizes(QObject):
    """The application's event filter that sizes dialogs (``install``)."""

    def __init__(self, parent: QObject | None = None, *, store: QSettings | None = None) -> None:
        super().__init__(parent)
        self._store = store

    def store(self) -> QSettings:
        return self._store if self._store is not None else QSettings()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.Show, QEvent.Type.Hide):
            return False
        if not isinstance(watched, QDialog) or isinstance(watched, _LEFT_ALONE):
            return False
        if not watched.isWindow():
            return False
        if kind == QEvent.Type.Show:
            self._shown(watched)
        else:
            self.store().setValue(key_of(watched), watched.size())
        return False

    def _shown(self, dialog: QDialog) -> None:
        wanted: QSize | None = None
        if not dialog.property(_SIZED):
            dialog.setProperty(_SIZED, True)
            kept = self.store().value(key_of(dialog))
            wanted = kept if isinstance(kept, QSize) else None
        fit(dialog, wanted)


def install(app: QApplication) -> DialogSizes:
    """Size every dialog the app shows from now on."""
    sizes = DialogSizes(app)
    app.installEventFilter(sizes)
    return sizes
