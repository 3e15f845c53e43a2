"""Every dialog fits the screen and opens at the size it was last left at (issue #22 item 11).

Every dialog of the app is a ``Dialog`` (a test checks that none is a bare QDialog): when it is
first shown, the size it was closed at last time (kept per kind of dialog in QSettings) is given
back, and in every case it is made no bigger than the screen's free area less a margin, centred
over its window and moved to lie wholly on the screen (a 1366x768 laptop with its taskbar). When
it is hidden its size is kept. Qt's own message boxes, file choosers and progress dialogs size
themselves and are left alone.

Pitfall: this was an event filter on the whole application, which sent every event of every
object through Python. PySide 6 then made Python objects for Qt objects being destroyed, and
the process crashed at random (9 of 19 runs of the first-day journey test: segmentation faults,
``malloc(): corrupted``, a hang). A dialog's own ``showEvent`` and ``hideEvent`` see only its
own events.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
)

from . import focus
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


#: Where the sizes are kept: None for the app's own QSettings (a test gives a file of its own).
store_override: QSettings | None = None


def store() -> QSettings:
    return store_override if store_override is not None else QSettings()


class Dialog(QDialog):
    """The app's dialogs: each fits the screen and opens at the size it was left at, and has
    the focus ring (``focus.use_ring_style``: a dialog may ask something before Home is shown,
    while the app is still on plain Fusion)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        focus.use_ring_style()
        super().__init__(*args, **kwargs)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.isWindow():
            wanted: QSize | None = None
            if not self.property(_SIZED):
                self.setProperty(_SIZED, True)
                kept = store().value(key_of(self))
                wanted = kept if isinstance(kept, QSize) else None
            fit(self, wanted)

    def hideEvent(self, event: QHideEvent) -> None:
        if self.isWindow():
            store().setValue(key_of(self), self.size())
        super().hideEvent(event)
