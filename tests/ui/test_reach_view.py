"""The Reach tab at 1366x768 (issue #22's walk of the large demo): the table kept about a row
and a half while the chart took the rest, the chart's legend sat on its first bars, the
"Population share (%)" heading read "pulation share (", and a hidden small number was drawn
as an empty bar, like a real 0."""

from __future__ import annotations

from PySide6.QtCore import Qt

from coordinator_app.ui.reach_chart import ReachChart
from coordinator_app.ui.views.reach_view import ReachPanel


def test_a_hidden_share_is_a_labelled_stub_not_an_empty_bar_and_the_legend_is_outside(qtbot):
    chart = ReachChart()
    qtbot.addWidget(chart)
    chart.draw(
        "Age band", [("Under 16", "<5", 20.0), ("16 to 24", "*", 11.0), ("25 to 34", 0.0, 9.0)]
    )
    assert chart.plot.accessibleDescription() == (
        "Age band: Under 16 hidden (<5: fewer than 5, not 0) (population 20.0%); "
        "16 to 24 hidden (*: hidden so a small number cannot be worked out, not 0) "
        "(population 11.0%); 25 to 34 0.0% (population 9.0%)."
    )
    # The legend: labels under the plot, none of pyqtgraph's drawn over the bars.
    assert chart.plot.getPlotItem().legend is None
    assert not chart.plot.isAncestorOf(chart.legend)
    chart.resize(900, 400)
    chart.show()
    qtbot.waitExposed(chart)
    assert chart.legend.geometry().top() >= chart.plot.geometry().bottom()
    assert chart.marks == ["<5 (hidden)", "* (hidden)"]  # the real 0 gets no mark


def test_the_table_keeps_half_the_height_and_its_headings_whole(
    qtbot, ctx, place, answered_sex
) -> None:
    answered_sex(12, female=8)
    panel = ReachPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1190, 640)  # the Returns page's tab at 1366x768
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
    assert panel.table.height() >= panel.chart.height()
    rows_shown = panel.table.viewport().height() // panel.table.rowHeight(0)
    assert rows_shown >= 4
    header = panel.table.horizontalHeader()
    for column in range(panel.model.columnCount()):
        title = panel.model.headerData(column, Qt.Orientation.Horizontal)
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(title), title
