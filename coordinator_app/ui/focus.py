"""Focus you can see (issue #24 item 2): a 2-pixel ring, at 3:1 contrast or more against the
window and the fields, on every control that takes the keyboard.

Two halves draw it, in one colour (``focus_colour``, the palette's highlight, made darker or
lighter only when it would fall below 3:1, as a light accent colour would):

- the style sheet (``resources/styles/app.qss``) gives fields, lists, tables and charts a
  2-pixel border on ``:focus`` in ``palette(highlight)`` (``style_sheet`` puts the adjusted
  colour there when the highlight falls short);
- ``FocusRingStyle`` (a proxy over Fusion) draws the ring where Qt draws a focus frame: push
  buttons (round their edge), check boxes and radio buttons (round their text), tabs and tool
  buttons. Fusion's own was a 1-pixel line at 2.35:1, and the style sheet's ``outline`` on
  buttons drew nothing at all. Check boxes and radio buttons are made 2 pixels larger all
  round for it.

The same style puts a tab widget's tabs before its pages in the order assistive technology
reads them (``tab_list_first``).

Pitfall: a style sheet rule that sets a push button's border or background makes Qt draw the
whole button from the sheet (flat, its own padding): the buttons keep Fusion's look and the
ring is painted over it here, so no rule in app.qss may style ``QPushButton``'s box.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QProxyStyle,
    QPushButton,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QTabBar,
    QTabWidget,
    QToolButton,
    QWidget,
)

#: WCAG 2.2's floor for a focus indicator and other non-text contrast (1.4.11, 2.4.13).
MINIMUM_CONTRAST = 3.0
#: The ring's width in device-independent pixels.
RING_WIDTH = 2


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


def style_sheet(text: str, palette: QPalette) -> str:
    """The app's style sheet with the focus colour in place of ``palette(highlight)`` when the
    palette's own highlight falls short of ``MINIMUM_CONTRAST`` (else unchanged, so it follows
    the palette by itself)."""
    colour = focus_colour(palette)
    if colour == palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight):
        return text
    return text.replace("palette(highlight)", colour.name())


#: Application properties: the style sheet as written, and as last set (``style_sheet``).
_WRITTEN, _SET = "coordinator_style_sheet", "coordinator_style_sheet_set"


def set_style_sheet(app: QApplication, text: str) -> None:
    """Give ``app`` the style sheet ``text``, its focus colour made right for the palette."""
    applied = style_sheet(text, app.palette())
    app.setProperty(_WRITTEN, text)
    app.setProperty(_SET, applied)
    app.setStyleSheet(applied)


def follow_palette(app: QApplication) -> None:
    """After a change of palette (the system went dark): the focus colour made right again,
    while the sheet ``set_style_sheet`` set is in use and only when the colour to use changed
    (setting a sheet repolishes every widget). The main window calls it on a palette change."""
    text, applied = app.property(_WRITTEN), app.property(_SET)
    if not isinstance(text, str) or not text or app.styleSheet() != applied:
        return
    if style_sheet(text, app.palette()) != applied:
        set_style_sheet(app, text)


#: Application property: the app is on plain Fusion until the ring is first needed
#: (``apply_look(app, ring=False)``; ``use_ring_style``).
_PLAIN = "coordinator_plain_until_asked"


def use_plain_style(app: QApplication) -> None:
    """Plain Fusion until ``use_ring_style``: what the desktop app starts on.

    ``FocusRingStyle`` is a Python object Qt calls for every widget it polishes and every
    control it draws; handing it a widget Python has not seen (a list's scroll bar, a layout's
    insides) makes PySide6 set up every QWidget class and its enums to find the right one. On
    the way to Home that was about 20 ms (docs/engineering-notes.md, "Where start-up goes")
    for a ring nobody sees yet: the window opens with the sections list focused, whose ring is
    the style sheet's, and nothing else can take the focus before Home is filled.
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
    """Give ``app`` the ``FocusRingStyle`` now."""
    app.setProperty(_PLAIN, False)
    app.setStyle(FocusRingStyle())


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
        if (
            element == QStyle.PrimitiveElement.PE_PanelButtonCommand
            and isinstance(widget, QPushButton)
            and option.state & QStyle.StateFlag.State_HasFocus  # type: ignore[attr-defined]
        ):
            ring(painter, rect, palette)

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


def plain_style(owner: QWidget) -> QStyle:
    """Fusion itself, for ``owner``, an item view: ``FocusRingStyle`` draws nothing of its own in
    a list or a table (their focus is the style sheet's border and Fusion's current-item frame),
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
