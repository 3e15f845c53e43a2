"""The sections list down the main window's left side, painted by itself: the same on plain
Fusion (the window's first paint) as under ``focus.FocusRingStyle`` (once Home is shown), with no
style sheet (docs/engineering-notes.md, "Where start-up goes").

Its look, in the palette's colours so dark mode and high contrast follow: the window's colour
behind it, a 2-pixel line in the palette's mid colour down its right edge, each section a
rounded row whose selection is NHS blue with white text, and, while it has the keyboard (it has
when the window opens), a 2-pixel ring all round in ``focus.focus_colour``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFocusEvent, QIcon, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QListWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from . import focus

#: The selected section's background (NHS blue) and text.
NHS_BLUE = "#005EB8"
SELECTED_TEXT = "#FFFFFF"
#: The frame's width: the ring's, and the line down the right edge.
EDGE = focus.RING_WIDTH
#: Room above the first section.
TOP = 8
#: A section's row: its margin within the list, its padding, its corners' radius.
MARGIN_X, MARGIN_Y, PADDING_X, RADIUS = 6, 2, 10, 6
#: Between a section's icon and its title.
ICON_GAP = 9


class _SectionDelegate(QStyledItemDelegate):
    """Paints one section: a rounded NHS-blue row when selected, its icon and its title."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rect: QRect = option.rect.adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y)  # type: ignore[attr-defined]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        palette: QPalette = option.palette  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(NHS_BLUE))
            painter.drawRoundedRect(QRectF(rect), RADIUS, RADIUS)
        content = rect.adjusted(PADDING_X, 0, -PADDING_X, 0)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(icon, QIcon):
            size = option.decorationSize  # type: ignore[attr-defined]
            top = content.top() + (content.height() - size.height()) // 2
            place = QRect(content.left(), top, size.width(), size.height())
            icon.paint(painter, place, mode=QIcon.Mode.Selected if selected else QIcon.Mode.Normal)
            content.setLeft(place.right() + 1 + ICON_GAP)
        painter.setFont(option.font)  # type: ignore[attr-defined]
        painter.setPen(
            QColor(SELECTED_TEXT) if selected else palette.color(QPalette.ColorRole.Text)
        )
        painter.drawText(
            content,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
        )
        painter.restore()


class SectionsList(QListWidget):
    """The list of sections: no frame of its own (its panel draws it), the window's colour
    behind the sections, and each section painted by ``_SectionDelegate``."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("navigation")
        self.setProperty(focus.OWN_RING, True)  # not a ring laid over it (focus._FrameRing)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._delegate = _SectionDelegate(self)
        self.setItemDelegate(self._delegate)
        #: The panel round it, which draws its frame and its ring.
        self.panel = NavigationPanel(self)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.panel.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.panel.update()


class NavigationPanel(QWidget):
    """Holds the sections list: room above it and a frame round it, painted here."""

    def __init__(self, sections: QListWidget) -> None:
        super().__init__()
        self.sections = sections
        layout = QVBoxLayout(self)
        layout.setContentsMargins(EDGE, EDGE + TOP, EDGE, EDGE)
        layout.setSpacing(0)
        layout.addWidget(sections)
        self._behind_sections()

    def _behind_sections(self) -> None:
        """The window's colour behind the sections: the list's fields' colour (its scrolling
        part's background) made the panel's window colour. Not by asking the list for that part
        (``viewport()``): a widget made in C++ handed to Python for the first time makes PySide6
        set up its classes, about 10 ms on the way to Home."""
        palette = QPalette(self.palette())
        palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
        self.sections.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the system went dark, or light again
            self._behind_sections()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        half = EDGE / 2
        if self.sections.hasFocus():
            pen = QPen(focus.focus_colour(palette), EDGE)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            painter.drawRect(QRectF(self.rect()).adjusted(half, half, -half, -half))
        else:  # the line between the sections and the page
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), EDGE))
            x = self.width() - half
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        painter.end()
