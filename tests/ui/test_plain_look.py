"""The app's look with no app-wide style sheet (issue #23, docs/engineering-notes.md "Where
start-up goes"): with one, Qt draws and polishes every widget through its style sheet style, 12
to 17 ms on the way to Home. Home's cards and the sections list paint themselves, so Home looks
the same on the plain Fusion it is first painted on as under the focus ring's style that
arrives once it is shown; the rest (the ring round fields and lists, a field's error in red)
comes with that style.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.ui import focus
from coordinator_app.ui.app import apply_look
from coordinator_app.ui.main_window import PAGE_HOME, MainWindow
from coordinator_app.ui.navigation import NHS_BLUE, SELECTED_TEXT
from coordinator_app.ui.views.home import Card

ROLE = QPalette.ColorRole


pytestmark = pytest.mark.usefixtures("own_settings")


@pytest.fixture
def plain_start(qapp):
    """The desktop app's look at start-up (plain Fusion until Home is shown); the test run's own
    look after."""
    style, palette = qapp.style().name(), QPalette(qapp.palette())
    apply_look(qapp, ring=False)
    try:
        yield
    finally:
        qapp.setStyle(style)
        qapp.setPalette(palette)


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp, dark_colours) -> QPalette:
    chosen = QPalette(qapp.palette())
    if request.param == "dark":
        for role, colour in dark_colours.items():
            chosen.setColor(role, QColor(colour))
    qapp.setPalette(chosen)
    return chosen


def _shown(qtbot, widget: QWidget, width: int, height: int) -> None:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def test_the_app_has_no_style_sheet(qapp, plain_start) -> None:
    assert qapp.styleSheet() == ""
    focus.set_ring_style(qapp)
    assert qapp.styleSheet() == ""


def test_home_is_the_same_before_and_after_the_ring_style_arrives(
    qtbot, qapp, ctx, place, plain_start, palette
) -> None:
    """Home at 1366x768, painted on plain Fusion with the sections list focused (as the window
    opens), then again once ``FocusRingStyle`` is in place: not a pixel differs."""
    window = MainWindow(ctx)
    _shown(qtbot, window, 1366, 768)
    window.show_page(PAGE_HOME)
    window.nav.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(window.nav.hasFocus)
    home = window.home
    qtbot.waitUntil(
        lambda: home.charts.actions_plot is not None and home.charts.actions_plot.isVisible(),
        timeout=10_000,
    )
    before = _settled(qtbot, window)
    assert qapp.property(focus._PLAIN)
    focus.set_ring_style(qapp)
    after = _settled(qtbot, window)
    assert before.size() == after.size()
    differ = [
        (x, y)
        for y in range(before.height())
        for x in range(before.width())
        if before.pixel(x, y) != after.pixel(x, y)
    ]
    assert not differ, f"{len(differ)} pixels changed, the first at {differ[0]}"


def _settled(qtbot, window: QWidget) -> QImage:
    """``window`` as painted once it stops changing (the charts lay themselves out when their
    data comes)."""
    grabs = [window.grab().toImage()]

    def same_twice() -> bool:
        QApplication.processEvents()
        grabs.append(window.grab().toImage())
        return grabs[-1] == grabs[-2]

    qtbot.waitUntil(same_twice, timeout=10_000)
    return grabs[-1]


def _colours(image: QImage, points) -> set[str]:
    return {image.pixelColor(x, y).name() for x, y in points}


def test_the_sections_list_paints_its_selection_its_line_and_its_ring(
    qtbot, ctx, place, plain_start, palette
) -> None:
    window = MainWindow(ctx)
    _shown(qtbot, window, 1366, 768)
    nav, panel = window.nav, window.nav.panel
    window.show_page(PAGE_HOME)
    # The selected section: an NHS blue row with its title in white.
    rect = nav.visualItemRect(nav.item(PAGE_HOME))
    row = nav.viewport().grab(rect).toImage()
    colours = {row.pixelColor(x, y).name() for x in range(row.width()) for y in range(row.height())}
    assert QColor(NHS_BLUE).name() in colours
    assert any(QColor(c).lightnessF() > 0.95 for c in colours), "no white title"  # antialiased
    assert QColor(SELECTED_TEXT).lightnessF() == 1
    # Not focused: the mid colour down its right edge, nothing round the rest.
    window.find_box.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: not nav.hasFocus())
    image = panel.grab().toImage()
    middle = image.height() // 2
    right = [(image.width() - 1, middle), (image.width() - 2, middle)]
    assert _colours(image, right) == {palette.color(ROLE.Mid).name()}
    assert palette.color(ROLE.Mid).name() not in _colours(image, [(0, middle), (1, middle)])
    # Focused: a 2-pixel ring all round in the focus colour.
    nav.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(nav.hasFocus)
    image = panel.grab().toImage()
    centre = image.width() // 2
    edges = [(0, middle), (1, middle), *right, (centre, 0), (centre, 1)]
    edges += [(centre, image.height() - 1), (centre, image.height() - 2)]
    assert _colours(image, edges) == {focus.focus_colour(palette).name()}


def test_a_card_paints_its_border_and_the_fields_colour(qtbot, plain_start, palette) -> None:
    card = Card("Next meetings")
    qtbot.addWidget(card)
    card.resize(300, 120)
    card.show()
    qtbot.waitExposed(card)
    image = card.grab().toImage()
    mid, base = palette.color(ROLE.Mid).name(), palette.color(ROLE.Base).name()
    assert image.pixelColor(150, 0).name() == mid  # its border, 1 pixel
    assert image.pixelColor(150, 1).name() == base
    assert image.pixelColor(150, 100).name() == base  # inside
    assert image.pixelColor(0, 0).name() != mid  # its corners rounded


def test_a_field_error_label_is_red_and_bold_and_plain_again_once_cleared(
    qtbot, qapp, plain_start
) -> None:
    """A label whose role is ``field-error`` (the dialogs' sentences under a field) once the
    ring's style is in place, as it is before any dialog shows; and as before once its role is
    cleared and it is polished again (``database_settings._say``)."""
    focus.set_ring_style(qapp)
    label = QLabel("Error: the server cannot be reached.")
    label.setProperty("role", "field-error")
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    assert label.palette().color(ROLE.WindowText) == QColor(focus.ERROR_COLOUR)
    assert label.font().bold()
    label.setProperty("role", "")
    label.style().unpolish(label)
    label.style().polish(label)
    assert label.palette().color(ROLE.WindowText) == qapp.palette().color(ROLE.WindowText)
    assert not label.font().bold()


def test_the_ring_round_a_framed_control_follows_the_focus(qtbot, qapp, plain_start) -> None:
    """A list or a selectable label gets a ring laid over its edge while it has the focus, and
    none once the focus leaves; the sections list paints its own and gets none."""
    focus.set_ring_style(qapp)
    panel = QWidget()
    layout = QVBoxLayout(panel)
    field, label = QLineEdit(), QLabel("A standard's description")
    label.setProperty("selectable", True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    layout.addWidget(field)
    layout.addWidget(label)
    _shown(qtbot, panel, 300, 120)
    label.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(label.hasFocus)
    ring = focus._FrameRing.current
    assert ring is not None and ring.parent() is label and ring.geometry() == label.rect()
    image = label.grab().toImage()
    assert image.pixelColor(QPoint(0, label.height() // 2)) == focus.focus_colour(qapp.palette())
    field.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(field.hasFocus)
    assert focus._FrameRing.current is None
    assert not ring.isVisible()


def test_the_sections_list_follows_the_system_going_dark(
    qtbot, qapp, ctx, place, plain_start, dark_colours
) -> None:
    """Behind the sections, the window's colour, light and then dark once the system's palette
    changes while the window is open (no panel left light)."""
    window = MainWindow(ctx)
    _shown(qtbot, window, 1366, 768)
    nav = window.nav
    below = QPoint(nav.width() // 2, nav.height() - 5)  # under the last section

    def behind() -> str:
        return nav.grab().toImage().pixelColor(below).name()

    assert behind() == qapp.palette().color(ROLE.Window).name()
    dark = QPalette(qapp.palette())
    for role, colour in dark_colours.items():
        dark.setColor(role, QColor(colour))
    qapp.setPalette(dark)
    QApplication.processEvents()
    assert behind() == QColor(dark_colours[ROLE.Window]).name()


def _edge_contrast(image: QImage, widget: QWidget, window: QWidget) -> tuple[float, float]:
    """The contrast of ``widget``'s left edge (a little way down: a chart goes on below the
    window's foot) and top edge (half-way along) against the card just outside them, in
    ``image`` (``window`` painted)."""
    left = widget.mapTo(window, QPoint(0, min(widget.height() // 2, 30)))
    top = widget.mapTo(window, QPoint(widget.width() // 2, 0))
    return tuple(  # type: ignore[return-value]
        focus.contrast(image.pixelColor(edge), image.pixelColor(edge - step))
        for edge, step in ((left, QPoint(1, 0)), (top, QPoint(0, 1)))
    )


def test_homes_lists_and_charts_show_their_edge_against_the_card(
    qtbot, qapp, ctx, place, plain_start, palette
) -> None:
    """A list and a chart on Home stand out from their card as boxes, light or dark, at the
    contrast the style sheet's ``border: 1px solid palette(mid)`` gave (Fusion's own frame, the
    window's colour made darker, was 1.07:1 against a dark card's fields colour), on the plain
    Fusion Home is painted on and under the ring's style alike."""
    window = MainWindow(ctx)
    _shown(qtbot, window, 1366, 768)
    window.show_page(PAGE_HOME)
    home = window.home
    qtbot.waitUntil(
        lambda: home.charts.actions_plot is not None and home.charts.actions_plot.isVisible(),
        timeout=10_000,
    )
    sheet = focus.contrast(palette.color(ROLE.Mid), palette.color(ROLE.Base))
    controls = [home.next_meetings, home.overdue, home.projects, home.charts.attendance_plot]
    for style in ("plain", "ring"):
        image = _settled(qtbot, window)
        for control in controls:
            for seen in _edge_contrast(image, control, window):
                assert seen >= sheet * 0.95, f"{control.accessibleName()} ({style}): {seen:.2f}"
        focus.set_ring_style(qapp)


def test_a_text_box_and_a_table_made_after_home_are_outlined_not_their_headers(
    qtbot, qapp, plain_start, palette
) -> None:
    """Controls made once the ring's style is in place (a dialog's Notes, a page's table) get
    the same outline when polished; a table's headers and scroll bars keep their own colours."""
    focus.set_ring_style(qapp)
    panel = QWidget()
    layout = QVBoxLayout(panel)
    field, notes, table = QLineEdit(), QPlainTextEdit(), QTableWidget(3, 2)
    layout.addWidget(field)  # focused: the others without their ring
    notes.setAccessibleName("Notes")
    layout.addWidget(notes)
    layout.addWidget(table)
    _shown(qtbot, panel, 400, 300)
    field.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(field.hasFocus)
    image = panel.grab().toImage()
    sheet = focus.contrast(palette.color(ROLE.Mid), palette.color(ROLE.Base))
    for control in (notes, table):  # the sheet's colour, all round
        corners = [QPoint(0, 0), QPoint(control.width() - 1, control.height() - 1)]
        for corner in corners:
            edge = image.pixelColor(control.mapTo(panel, corner))
            assert edge.name() == palette.color(ROLE.Mid).name()
    inside = notes.mapTo(panel, QPoint(notes.width() // 2, 1))  # the text box's fields colour
    assert focus.contrast(palette.color(ROLE.Mid), image.pixelColor(inside)) >= sheet * 0.95
    assert notes.frameWidth() == table.frameWidth() == 1  # nothing inside moved
    header = table.horizontalHeader()
    assert header.foregroundRole() == ROLE.WindowText
    assert header.frameShape() == QFrame.Shape.NoFrame
