"""Lists fit their window: every column shows without scrolling sideways when it can (the widest
columns give way first, never below 8 ems; when even that is too wide, nothing is narrowed and
the table scrolls), and a cell cut short shows all its text as its tooltip. Seen under Xvfb:
the participant directory at 1366 pixels hid its "Active" column behind a sideways scroll bar.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QToolTip

from coordinator_app.ui.widgets import RecordTable, fitting_cap


def test_fitting_cap_narrows_only_the_widest_columns() -> None:
    assert fitting_cap([100, 200, 300], 600, floor=50) == 300  # they fit: nothing changes
    assert fitting_cap([100, 200, 300], 599, floor=50) == 299
    assert fitting_cap([100, 200, 300], 500, floor=50) == 200  # 100 + 200 + 200
    assert fitting_cap([100, 400, 400], 500, floor=50) == 200
    assert fitting_cap([100, 400, 400], 250, floor=80) == 83  # 83 * 3 = 249
    assert fitting_cap([100, 400, 400], 240, floor=80) == 80
    assert fitting_cap([100, 400, 400], 239, floor=80) is None  # cannot fit: left as they are
    assert fitting_cap([], 500, floor=80) == 80
    # A column of its own floor (its header's width) is never narrowed below it.
    assert fitting_cap([100, 400, 400], 500, floor=50, floors=[0, 300, 0]) == 100
    assert fitting_cap([100, 400, 400], 450, floor=50, floors=[0, 300, 0]) == 75
    assert fitting_cap([100, 400, 400], 449, floor=50, floors=[0, 300, 0]) == 74
    assert fitting_cap([100, 400, 400], 399, floor=50, floors=[0, 300, 0]) is None


def _long_table(qtbot, width: int) -> RecordTable:
    model = QStandardItemModel(0, 6)
    model.setHorizontalHeaderLabels(["Name", "Organisation", "Contact", "Format", "Seen", "Active"])
    for n in range(5):
        model.appendRow(
            [
                QStandardItem(f"Person {n}"),
                QStandardItem("Arden Valley Partnership NHS Foundation Trust, Rugby office"),
                QStandardItem(f"person.{n}@ardenvalley-nhs.example.org, 07700 900{n:03}"),
                QStandardItem("Large print"),
                QStandardItem("23/11/2026"),
                QStandardItem("Yes"),
            ]
        )
    table = RecordTable("People")
    table.setModel(model)
    qtbot.addWidget(table)
    table.resize(width, 300)
    table.show()
    qtbot.waitExposed(table)
    return table


def test_every_column_shows_without_scrolling_sideways(qtbot) -> None:
    table = _long_table(qtbot, 560)
    table.fit_columns()
    QApplication.processEvents()  # the last column and the scroll bar follow the new widths
    header = table.horizontalHeader()
    sizes = [header.sectionSize(c) for c in range(6)]
    assert sum(sizes) <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    name_only = table.fontMetrics().horizontalAdvance("Person 0")
    assert sizes[0] < sizes[1] and sizes[0] >= name_only  # narrow columns keep their width
    assert sizes[1] == sizes[2]  # the two widest share what is left
    wide = _long_table(qtbot, 1800)
    wide.fit_columns()
    wide_sizes = [wide.horizontalHeader().sectionSize(c) for c in range(6)]
    assert wide_sizes[1] > sizes[1]  # room to spare: not narrowed
    tight = _long_table(qtbot, 300)
    tight.fit_columns()
    tight_sizes = [tight.horizontalHeader().sectionSize(c) for c in range(6)]
    # No room even for the headers: the widest at 8 ems or their header's width ("Organisation"
    # was cut at 8 ems), the narrow ones as they were, and the table scrolls sideways.
    floor = tight.fontMetrics().horizontalAdvance("M") * 8
    assert tight_sizes[1] == max(floor, _header_need(tight, 1)) > floor
    assert tight_sizes[2] == max(floor, _header_need(tight, 2))
    assert _cut_headers(tight) == []
    assert tight_sizes[0] == wide_sizes[0] and tight_sizes[3] == wide_sizes[3]
    QApplication.processEvents()
    assert tight.horizontalScrollBar().maximum() > 0


def _header_need(table: RecordTable, column: int) -> int:
    """The width the header of ``column`` needs: its title, the padding and the sort arrow."""
    header = table.horizontalHeader()
    title = table.model().headerData(column, Qt.Orientation.Horizontal)
    em = table.fontMetrics().horizontalAdvance("M")
    margin = 2 * (table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) + 1)
    return header.fontMetrics().horizontalAdvance(title) + margin + em // 2 + em


def _cut_headers(table: RecordTable) -> list[str]:
    header = table.horizontalHeader()
    return [
        f"{table.model().headerData(c, Qt.Orientation.Horizontal)}: {header.sectionSize(c)}"
        for c in range(header.count())
        if header.sectionSize(c) < _header_need(table, c)
    ]


def _links_table(qtbot, width: int) -> RecordTable:
    """The Projects page's linked actions and experience, in its side panel at 1366x768."""
    model = QStandardItemModel(0, 4)
    model.setHorizontalHeaderLabels(["Linked", "Reference or kind", "Text", "Date"])
    for kind, label, text in (
        ("Action", "NAN-A2244", "Give every new carer information about the carers' centre"),
        ("Experience", "Idea", "A carers' passport so carers are known on every ward"),
    ):
        model.appendRow([QStandardItem(t) for t in (kind, label, text, "14/10/2026")])
    table = RecordTable("Linked actions and experience")
    table.setModel(model)
    qtbot.addWidget(table)
    table.resize(width, 200)
    table.show()
    qtbot.waitExposed(table)
    return table


def test_the_stretch_column_gives_way_before_any_header_is_cut(qtbot) -> None:
    """On the Projects page at 1366x768 (the large demo) the links' "Reference or kind" showed
    as "ference or ki", narrowed to 8 ems, while the Text column kept its 24 ems and the table
    scrolled. The stretch column gives way first, down to its own header; every header shows
    whole, with no sideways scrolling, while the headers fit."""
    table = _links_table(qtbot, 330)
    table.fit_columns(2)
    QApplication.processEvents()
    header = table.horizontalHeader()
    sizes = [header.sectionSize(c) for c in range(4)]
    assert _cut_headers(table) == [], sizes
    assert table.horizontalScrollBar().maximum() == 0
    assert sum(sizes) <= table.viewport().width()
    # The cells keep their width where they can: only the Text column gave way.
    widths = [table.fontMetrics().horizontalAdvance(t) for t in ("Experience", "14/10/2026")]
    assert sizes[0] >= widths[0] and sizes[3] >= widths[1]
    # Narrower still, the others give way too, down to their headers (not below).
    narrow = _links_table(qtbot, sum(_header_need(table, c) for c in range(4)) + 4)
    narrow.fit_columns(2)
    QApplication.processEvents()
    assert _cut_headers(narrow) == []
    assert narrow.horizontalScrollBar().maximum() == 0
    # Room again: the Text column takes it.
    table.resize(900, 200)
    QApplication.processEvents()
    assert header.sectionSize(2) > sizes[2] and header.sectionSize(1) == sizes[1]


def test_a_stretch_column_is_never_squeezed_to_nothing(qtbot) -> None:
    """Too narrow for every column: the title (the stretch column) gives way down to its
    header, never below; too narrow even for the headers, it keeps its own width, up to 24 ems,
    and the table scrolls sideways rather than crushing it."""
    table = _long_table(qtbot, 560)
    table.fit_columns(1)
    QApplication.processEvents()
    header = table.horizontalHeader()
    em = table.fontMetrics().horizontalAdvance("M")
    assert header.sectionSize(1) >= _header_need(table, 1)
    assert _cut_headers(table) == []
    assert table.horizontalScrollBar().maximum() == 0
    tight = _long_table(qtbot, 300)
    tight.fit_columns(1)
    QApplication.processEvents()
    assert tight.horizontalHeader().sectionSize(1) >= em * 16
    assert _cut_headers(tight) == []
    assert tight.horizontalScrollBar().maximum() > 0
    table.resize(1800, 300)  # room again: the title stretches to fill it
    QApplication.processEvents()
    assert header.sectionResizeMode(1) == header.ResizeMode.Stretch
    assert sum(header.sectionSize(c) for c in range(6)) == table.viewport().width()


def test_a_cell_cut_short_shows_all_its_text_as_a_tooltip(qtbot) -> None:
    table = _long_table(qtbot, 560)
    table.fit_columns()
    cut = table.model().index(0, 2)
    rect = table.visualRect(cut)
    event = QHelpEvent(
        QEvent.Type.ToolTip, rect.center(), table.viewport().mapToGlobal(rect.center())
    )
    assert table.viewportEvent(event)
    assert QToolTip.text() == cut.data(Qt.ItemDataRole.DisplayRole)
    QToolTip.hideText()
    whole = table.visualRect(table.model().index(0, 5)).center()  # "Yes" fits: no tooltip
    event = QHelpEvent(QEvent.Type.ToolTip, whole, table.viewport().mapToGlobal(QPoint(whole)))
    table.viewportEvent(event)
    assert QToolTip.text() != "Yes"


def test_the_narrowing_follows_the_window_until_a_column_is_sized_by_hand(qtbot) -> None:
    table = _long_table(qtbot, 560)
    table.fit_columns()
    header = table.horizontalHeader()
    narrow = header.sectionSize(1)
    table.resize(1800, 300)  # the window made wider: the contents' own widths come back
    QApplication.processEvents()
    assert header.sectionSize(1) > narrow
    table.resize(560, 300)
    QApplication.processEvents()
    assert header.sectionSize(1) == narrow
    header.resizeSection(1, 300)  # the user drags the column wider
    table.resize(700, 300)
    QApplication.processEvents()
    assert header.sectionSize(1) == 300  # kept: the user's width wins


def test_columns_fit_the_rows_a_screen_shows_not_those_below(qtbot) -> None:
    """The fitting measures a screenful from the first row shown (issue #23: measuring 100 rows
    was 25 to 45 ms of the meetings list opening at sixteen times the large demo): a column is
    wide enough for the longest text of the rows its screen could show, and a longer text
    further down does not widen it until it is among the rows shown."""
    screenful = RecordTable("Places").rows_to_fit()
    far = screenful + 2
    assert far < RecordTable.FIT_SAMPLE  # the old fitting measured that row
    model = QStandardItemModel(0, 3)
    model.setHorizontalHeaderLabels(["Name", "Place", "Notes"])
    last_shown, further = "Stratford-upon-Avon", "Leamington Spa and Kenilworth"
    for n in range(far + screenful):
        place = {screenful - 1: last_shown, far: further}.get(n, "Rugby")
        model.appendRow([QStandardItem(t) for t in (f"Person {n}", place, "")])
    table = RecordTable("Places")
    table.setModel(model)
    qtbot.addWidget(table)
    table.resize(1800, 300)
    table.show()
    qtbot.waitExposed(table)
    table.fit_columns()
    metrics = table.fontMetrics()
    width = table.horizontalHeader().sectionSize(1)
    assert metrics.horizontalAdvance(last_shown) < width < metrics.horizontalAdvance(further)
    table.scrollTo(model.index(far, 0), table.ScrollHint.PositionAtTop)
    assert table.rowAt(0) > 0
    table.fit_columns()
    assert table.horizontalHeader().sectionSize(1) > metrics.horizontalAdvance(further)
