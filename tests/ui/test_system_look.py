"""The system's look (issue 3, "Feel"): every page follows the palette (dark mode) and the font
size. The app's own painting (Home's cards, the sections list, the focus ring) and the charts
take their colours from the palette, so under a dark palette every page is drawn dark, with no
panel left white by a colour written into the code; fonts are only ever scaled from the
system's, never set to a size of their own."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QFont, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from coordinator_app.ui.main_window import PAGE_TITLES, MainWindow

TEXT_WIDGETS = (QLabel, QAbstractButton, QLineEdit, QComboBox, QAbstractItemView)


@pytest.fixture
def dark_palette(qapp: QApplication, app_look: None, dark_colours: dict) -> QPalette:
    """The palette a laptop in dark mode gives the app (Fusion follows it)."""
    palette = QPalette()
    for role, colour in dark_colours.items():
        palette.setColor(role, QColor(colour))
    qapp.setPalette(palette)
    return palette


def lightness(image: QImage) -> float:
    """The mean lightness (0 black .. 1 white) of ``image``, sampled on a grid."""
    values = [
        image.pixelColor(x, y).lightnessF()
        for x in range(0, image.width(), 9)
        for y in range(0, image.height(), 9)
    ]
    return sum(values) / len(values)


def test_every_page_is_drawn_dark_under_a_dark_palette(qtbot, ctx, place, dark_palette) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    seen = {}
    for index, title in enumerate(PAGE_TITLES):
        window.show_page(index)
        QApplication.processEvents()  # let the page lay out (grab paints it)
        seen[title] = round(lightness(window.grab().toImage()), 2)
    too_light = {title: value for title, value in seen.items() if value > 0.3}
    assert not too_light, f"pages drawn light under a dark palette: {too_light} (all: {seen})"


def test_the_same_pages_are_light_under_a_light_palette(qtbot, ctx, place, app_look) -> None:
    """The measure above can tell the two apart (the default palette is light)."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.show_page(0)
    QApplication.processEvents()
    assert lightness(window.grab().toImage()) > 0.6


def test_text_follows_the_system_font_size(qtbot, ctx, place, qapp, app_look) -> None:
    """A laptop set to larger text: every piece of text on every page is at least that size
    (no size written into the code), headings grow with it, and the navigation widens to fit."""
    before = QFont(qapp.font())
    large = QFont(before)
    large.setPointSizeF(16)
    qapp.setFont(large)
    try:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        smaller: set[str] = set()
        for index, title in enumerate(PAGE_TITLES):
            window.show_page(index)
            QApplication.processEvents()
            for widget in window.page(index).findChildren(QWidget):
                if not isinstance(widget, TEXT_WIDGETS) or not widget.isVisible():
                    continue
                if widget.font().pointSizeF() < 16:
                    name = widget.accessibleName() or widget.objectName() or type(widget).__name__
                    smaller.add(f"{title}: {name} ({widget.font().pointSizeF()} pt)")
        assert not smaller, sorted(smaller)
        assert window.home.greeting.font().pointSizeF() == pytest.approx(24)
        nav_width = window.nav.width()
        assert nav_width >= window.nav.fontMetrics().horizontalAdvance("Accreditation")
    finally:
        qapp.setFont(before)
