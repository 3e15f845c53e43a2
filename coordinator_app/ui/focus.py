"""Focus you can see (issue #24 item 2): a 2-pixel ring, at 3:1 contrast or more against the
window and the fields, on every control that takes the keyboard.

The ring is in one colour (``focus_colour``: the palette's highlight, made darker or lighter
only when it would fall below 3:1, as a light accent colour would), read when it is painted, so
it follows a change of palette (the system going dark) by itself. ``FocusRingStyle`` (a proxy
over Fusion) draws it:

- where Qt draws a focus frame: push buttons (round their edge), check boxes and radio buttons
  (round their text), tabs and tool buttons. Fusion's own was a 1-pixel line at 2.35:1. Check
  boxes and radio buttons are made 2 pixels larger all round for it;
- over Fusion's own frame of a focused field: line edits, combo boxes, date, time and spin
  boxes;
- round a focused list, table, chart (graphics view), text box, print preview's pages
  (``QScrollArea#pages``) or a label a keyboard can select (property ``selectable``): their
  frame is Fusion's 1 pixel, inside which the contents scroll, so the ring is a widget of its
  own laid over the control's edge (``_FrameRing``), moved with the focus.

It also shows a label whose property ``role`` is ``field-error`` in NHS red and bold, and gives
lists, tables, text boxes and the print preview's pages made after Home a 1-pixel border in the
palette's mid colour (``outline``; Home's lists and charts have theirs from where they are made).

There is no app-wide style sheet (docs/engineering-notes.md, "Where start-up goes"): with one, Qt
draws and polishes every widget through its style sheet style, 12 to 17 ms on the way to Home.
Home's cards and the sections list paint themselves (``views/home.py``'s ``Card``,
``ui/navigation.py``), the same on plain Fusion as under this style. The only style sheet left
is a field's red border while it is in error (``widgets.INVALID_STYLE``, on that field alone).

The same style puts a tab widget's tabs before its pages in the order assistive technology
reads them (``tab_list_first``).
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGraphicsView,
    QLabel,
    QPlainTextEdit,
    QProxyStyle,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QStyleOptionComplex,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QWidget,
)

#: WCAG 2.2's floor for a focus indicator and other non-text contrast (1.4.11, 2.4.13).
MINIMUM_CONTRAST = 3.0
#: The ring's width in device-independent pixels.
RING_WIDTH = 2
#: The width of ``outline``'s border round lists, tables, charts and text boxes (Fusion's frame's).
OUTLINE_WIDTH = 1
#: NHS red: a field's error, in words beside it (and its border while it is in error).
ERROR_COLOUR = "#d5281b"
#: A widget property: True on a control that paints its own ring (the sections list).
OWN_RING = "paints_own_focus_ring"


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    """WCAG's relative luminance (0 black .. 1 white)."""
    return (
        0.2126 * _linear(colour.redF())
        + 0.7152 * _linear(colour.greenF())
        + 0.0722 * _linear(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    """WCAG's contrast ratio of two colours (1 .. 21)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def focus_colour(palette: QPalette) -> QColor:
    """The ring's colour: the palette's highlight when it stands out at ``MINIMUM_CONTRAST``
    from both the window and the fields (base); otherwise the highlight made darker (on a light
    window) or lighter (on a dark one) until it does, keeping its hue."""
    role = QPalette.ColorRole
    colour = QColor(palette.color(QPalette.ColorGroup.Active, role.Highlight))
    behind = [palette.color(QPalette.ColorGroup.Active, r) for r in (role.Window, role.Base)]

    def enough(candidate: QColor) -> bool:
        return all(contrast(candidate, b) >= MINIMUM_CONTRAST for b in behind)

    if enough(colour):
        return colour
    darken = sum(luminance(b) for b in behind) / len(behind) > 0.18
    hue = max(colour.hslHueF(), 0.0)  # -1 for a grey
    saturation, lightness = colour.hslSaturationF(), colour.lightnessF()
    for step in range(1, 101):
        level = lightness * (1 - step / 100) if darken else lightness + (1 - lightness) * step / 100
        candidate = QColor.fromHslF(hue, saturation, level)
        if enough(candidate):
            return candidate
    return QColor(Qt.GlobalColor.black if darken else Qt.GlobalColor.white)


#: Application property: the app is on plain Fusion until the ring is first needed
#: (``apply_look(app, ring=False)``; ``use_ring_style``).
_PLAIN = "coordinator_plain_until_asked"


def use_plain_style(app: QApplication) -> None:
    """Plain Fusion until ``use_ring_style``: what the desktop app starts on.

    ``FocusRingStyle`` is a Python object Qt calls for every widget it polishes and every
    control it draws; handing it a widget Python has not seen (a list's scroll bar, a layout's
    insides) makes PySide6 set up every QWidget class and its enums to find the right one. On
    the way to Home that was about 20 ms (docs/engineering-notes.md, "Where start-up goes")
    for a ring nobody sees yet: the window opens with the sections list focused, which paints
    its own ring (``ui/navigation.py``), and nothing else can take the focus before Home is
    filled.
    """
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setProperty(_PLAIN, True)


def use_ring_style(app: QApplication | None = None) -> None:
    """Put ``FocusRingStyle`` in place of the plain Fusion ``use_plain_style`` set (nothing
    when it is in place already). The app calls it once Home is shown, and every dialog and
    message box calls it before it shows, so a question asked before Home has the ring too."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if isinstance(app, QApplication) and app.property(_PLAIN):
        set_ring_style(app)


def set_ring_style(app: QApplication) -> None:
    """Give ``app`` the ``FocusRingStyle`` now (and the rings round framed controls, which
    follow the focus from then on)."""
    app.setProperty(_PLAIN, False)
    app.setStyle(FocusRingStyle())
    if not app.property(_FOLLOWING):
        app.setProperty(_FOLLOWING, True)
        app.focusChanged.connect(_FrameRing.follow)
        _FrameRing.follow(None, app.focusWidget())


class FocusRingStyle(QProxyStyle):
    """Fusion, with a 2-pixel ring in ``focus_colour`` on a focused push button and in place of
    Qt's dotted or faint focus frame (check boxes, radio buttons, tabs, tool buttons). The
    current item inside a list or table keeps Fusion's own frame: the view has its ring."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def polish(self, target: Any) -> None:  # QWidget, QPalette or QApplication
        super().polish(target)
        if isinstance(target, QTabWidget):
            tab_list_first(target)
        elif isinstance(target, QLabel) and target.property("role") is not None:
            show_as_error(target, target.property("role") == "field-error")
        elif isinstance(target, QFrame) and has_outline(target):
            outline(target)

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        rect = QRectF(option.rect)  # type: ignore[attr-defined]
        palette: QPalette = option.palette  # type: ignore[attr-defined]
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            if isinstance(widget, QAbstractItemView):
                super().drawPrimitive(element, option, painter, widget)
            elif isinstance(widget, QToolButton):
                ring(painter, QRectF(widget.rect()), palette)  # the whole button
            elif not isinstance(widget, (QPushButton, QTabBar)):  # those ring themselves
                # Around the text (a check box's, a radio button's): just outside Qt's
                # rectangle, so the ring never touches the letters.
                ring(painter, rect.adjusted(-1, -1, 1, 1), palette)
            return
        super().drawPrimitive(element, option, painter, widget)
        focused = option.state & QStyle.StateFlag.State_HasFocus  # type: ignore[attr-defined]
        if focused and (
            (
                element == QStyle.PrimitiveElement.PE_PanelButtonCommand
                and isinstance(widget, QPushButton)
            )
            or element == QStyle.PrimitiveElement.PE_FrameLineEdit  # over Fusion's frame
        ):
            ring(painter, rect, palette)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        """Combo boxes, date, time and spin boxes: the ring over Fusion's frame."""
        super().drawComplexControl(control, option, painter, widget)
        if (
            control
            in (
                QStyle.ComplexControl.CC_ComboBox,
                QStyle.ComplexControl.CC_SpinBox,
            )
            and option.state & QStyle.StateFlag.State_HasFocus
        ):  # type: ignore[attr-defined]
            ring(painter, QRectF(option.rect), option.palette)  # type: ignore[attr-defined]

    def sizeFromContents(
        self,
        kind: QStyle.ContentsType,
        option: QStyleOption,
        size: QSize,
        widget: QWidget | None = None,
    ) -> QSize:
        """Check boxes and radio buttons a little larger than Fusion makes them: room for the
        ring around their text (cut to 1 pixel at the top and bottom otherwise)."""
        found = super().sizeFromContents(kind, option, size, widget)  # type: ignore[arg-type]
        if kind in (
            QStyle.ContentsType.CT_CheckBox,
            QStyle.ContentsType.CT_RadioButton,
        ):
            found += QSize(2 * RING_WIDTH, 2 * RING_WIDTH)
        return found

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        if (
            element == QStyle.ControlElement.CE_TabBarTabLabel
            and option.state & QStyle.StateFlag.State_HasFocus  # type: ignore[attr-defined]
        ):
            # The current tab of a focused tab bar (Fusion draws nothing there).
            ring(painter, QRectF(option.rect).adjusted(3, 3, -3, -2), option.palette)  # type: ignore[attr-defined]


#: Application property: the rings round framed controls follow the focus (``set_ring_style``).
_FOLLOWING = "coordinator_frame_rings_follow"
#: What a ``_FrameRing`` goes round: controls whose contents scroll inside a 1-pixel frame.
_FRAMED = (QAbstractItemView, QGraphicsView, QPlainTextEdit, QTextEdit)


def _framed(widget: QWidget) -> bool:
    """A list, table, chart, text box or the print preview's pages (``QScrollArea#pages``), not
    in a pop-up (a combo box's list, a date's calendar)."""
    if isinstance(widget, QScrollArea):
        if widget.objectName() != "pages":
            return False
    elif not isinstance(widget, _FRAMED):
        return False
    return widget.window().windowType() != Qt.WindowType.Popup


def has_frame_ring(widget: QWidget | None) -> bool:
    """Whether a focused ``widget`` gets a ``_FrameRing``: a framed control (``_framed``) or a
    label a keyboard can select; not a control that paints its own (``OWN_RING``)."""
    if widget is None or widget.property(OWN_RING):
        return False
    if isinstance(widget, QLabel):
        return bool(widget.property("selectable"))
    return _framed(widget)


def has_outline(widget: QFrame) -> bool:
    """Whether ``widget`` is a framed control ``outline`` is for (``_framed``) with Fusion's own
    frame, not a view without a frame (a table's headers)."""
    return _framed(widget) and widget.frameShape() == QFrame.Shape.StyledPanel


def outline(frame: QFrame) -> None:
    """Give a framed control (``has_outline``) a 1-pixel border in the palette's mid colour, as
    Home's cards have, so it shows as a box on a card or a window in dark palettes too: Fusion's
    own frame is the window's colour made darker, which a dark card's fields colour all but
    hides. Qt draws it in C++ (a plain box in the widget's foreground role), so nothing of
    Python is called to paint it, it follows a change of palette by itself, and its width is
    Fusion's frame's (nothing inside moves). The role is the widget's alone: its headers,
    scroll bars and editors keep their own colours (a palette would pass to them).

    Home's lists and charts get it where they are made (Home is painted on plain Fusion);
    every other such control when ``FocusRingStyle`` polishes it."""
    frame.setFrameShape(QFrame.Shape.Box)
    frame.setFrameShadow(QFrame.Shadow.Plain)
    frame.setLineWidth(OUTLINE_WIDTH)
    frame.setForegroundRole(QPalette.ColorRole.Mid)


class _FrameRing(QWidget):
    """The ring round a focused framed control: a child of the control, over its whole face
    (its frame, its scrolling contents), that lets the mouse through and draws only the ring.
    One at a time: made when such a control takes the focus, gone when it loses it."""

    current: _FrameRing | None = None

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setGeometry(target.rect())
        target.installEventFilter(self)
        self.raise_()
        self.show()

    @staticmethod
    def follow(_old: QWidget | None, new: QWidget | None) -> None:
        """``QApplication.focusChanged``: the ring moves to ``new`` (or goes)."""
        gone = _FrameRing.current
        _FrameRing.current = None
        if gone is not None and shiboken6.isValid(gone):
            gone.hide()
            gone.deleteLater()
        if has_frame_ring(new) and isinstance(QApplication.style(), FocusRingStyle):
            assert new is not None
            _FrameRing.current = _FrameRing(new)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        elif event.type() == QEvent.Type.ChildAdded:
            self.raise_()  # above a viewport or editor made while focused
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        ring(painter, QRectF(self.rect()), self.palette())
        painter.end()


def show_as_error(label: QLabel, error: bool) -> None:
    """``label`` in NHS red and bold (a field's error, in words), or as it was."""
    if error:
        palette = QPalette(label.palette())
        palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOUR))
        label.setPalette(palette)
        bold = QFont()  # bold only: the size still follows the system's
        bold.setBold(True)
        label.setFont(bold)
        label.setProperty("shown_as_error", True)
    elif label.property("shown_as_error"):
        label.setPalette(QPalette())
        label.setFont(QFont())
        label.setProperty("shown_as_error", False)


def plain_style(owner: QWidget) -> QStyle:
    """Fusion itself, for ``owner``, an item view: ``FocusRingStyle`` draws nothing of its own in
    a list or a table (their ring is a ``_FrameRing``, the current item Fusion's frame),
    but each cell painted through it calls Python two or three times (``drawControl``,
    ``drawPrimitive``): about 20 ms a repaint of the actions tracker, at every keystroke of its
    filter. One per view, its child (Qt let go of a style shared between views when one of them
    was deleted with its window)."""
    style = QStyleFactory.create("Fusion")
    assert style is not None
    style.setParent(owner)
    return style


def tab_list_first(tabs: QTabWidget) -> None:
    """Put the tab list before the page it shows in the order a screen reader reads (and an
    AT-SPI walk lists) the tab widget's parts: Qt makes the pages first and the tabs last. The
    keyboard already goes from the tabs into the page (the focus chain); this is the reading
    order. (``lower`` moves the tab bar to the front of its parent's children; the two do not
    overlap, so nothing is drawn differently.)"""
    tabs.tabBar().lower()


def ring(painter: QPainter, rect: QRectF, palette: QPalette) -> None:
    """A ``RING_WIDTH`` rounded ring in ``focus_colour`` just inside ``rect``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(focus_colour(palette), RING_WIDTH)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    half = RING_WIDTH / 2
    painter.drawRoundedRect(rect.adjusted(half, half, -half, -half), 3, 3)
    painter.restore()
