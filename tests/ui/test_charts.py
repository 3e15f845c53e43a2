"""Home's charts: nothing loads until shown, then twelve months drawn from the core's series."""

from __future__ import annotations

from datetime import date

from coordinator_app.core import actions
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.rules import Month


def test_charts_load_after_show_and_draw_twelve_months(qtbot, db, ctx, place) -> None:
    from coordinator_app.ui.charts import HomeCharts, month_labels, span_text

    actions.raise_action(
        db,
        locality_id=place.locality_id,
        data=ActionInput(
            title="Fix the ramp", raised_on=date(2025, 3, 3), due_on=date(2025, 3, 10)
        ),
        today=date(2025, 3, 20),
    )
    charts = HomeCharts(ctx)
    qtbot.addWidget(charts)
    charts.set_localities([place.locality_id])
    assert charts.series is None and charts.attendance_plot is None  # nothing before show
    with qtbot.waitSignal(charts.loaded, timeout=10_000):
        charts.show()
    series = charts.series
    assert series is not None and len(series.months) == 12
    assert series.months[-1] == Month(2025, 3)
    assert series.actions_raised[-1] == 1 and series.actions_overdue[-1] == 1
    assert charts.attendance_plot is not None and charts.actions_plot is not None
    description = charts.actions_plot.accessibleDescription()
    assert "Mar 2025: raised 1, completed 0, open 1, overdue 1" in description
    assert month_labels(series.months)[0] == "Apr"
    assert span_text(series.months) == "April 2024 to March 2025"

    # Another locality: stale, reloaded on the next turn of the event loop.
    with qtbot.waitSignal(charts.loaded, timeout=10_000):
        charts.set_localities([place.other_locality_id])
    assert charts.series is not None and charts.series.actions_raised[-1] == 0


def test_charts_redraw_when_actions_change(qtbot, db, ctx, place) -> None:
    from coordinator_app.ui.charts import HomeCharts

    charts = HomeCharts(ctx)
    qtbot.addWidget(charts)
    charts.set_localities([place.locality_id])
    with qtbot.waitSignal(charts.loaded, timeout=10_000):
        charts.show()
    assert charts.series is not None and sum(charts.series.actions_raised) == 0
    actions.raise_action(
        db,
        locality_id=place.locality_id,
        data=ActionInput(title="Order leaflets", raised_on=date(2025, 3, 1)),
        today=date(2025, 3, 20),
    )
    with qtbot.waitSignal(charts.loaded, timeout=10_000):
        ctx.events.actionsChanged.emit("")
    assert charts.series.actions_raised[-1] == 1


def _left_tick_texts(plot) -> list[str]:
    """The labels pyqtgraph draws on ``plot``'s y-axis."""
    from PySide6.QtGui import QImage, QPainter

    axis = plot.getPlotItem().getAxis("left")
    image = QImage(200, 400, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    assert specs is not None
    return [text for _rect, _flags, text in specs[2]]


def test_count_charts_tick_their_y_axis_at_whole_numbers_from_zero(qtbot, db, ctx, place) -> None:
    """One action raised: pyqtgraph labelled the axis 0, 0.2, … 1.2, 1.4; a count has no
    fractions."""
    from coordinator_app.ui.charts import HomeCharts

    actions.raise_action(
        db,
        locality_id=place.locality_id,
        data=ActionInput(title="Fix the ramp", raised_on=date(2025, 3, 3)),
        today=date(2025, 3, 20),
    )
    charts = HomeCharts(ctx)
    qtbot.addWidget(charts)
    charts.set_localities([place.locality_id])
    charts.resize(1100, 400)
    with qtbot.waitSignal(charts.loaded, timeout=10_000):
        charts.show()
    for plot in (charts.attendance_plot, charts.actions_plot):
        texts = _left_tick_texts(plot)
        assert texts and all(t.isdigit() for t in texts), texts
        assert "1" in texts
        assert plot.getPlotItem().viewRange()[1][0] == 0  # from zero


def test_whole_ticks_are_one_two_or_five_times_a_power_of_ten_apart() -> None:
    from coordinator_app.ui.charts import whole_ticks

    assert [v for v, _ in whole_ticks(1.45)] == [0, 1]
    assert [v for v, _ in whole_ticks(8.7)] == [0, 2, 4, 6, 8]
    assert [v for v, _ in whole_ticks(72.5)] == [0, 20, 40, 60]
    assert [v for v, _ in whole_ticks(1450)] == [0, 500, 1000]


def test_each_chart_is_one_focus_stop_heard_as_a_chart_with_its_categories(
    qtbot, db, ctx, place, add_person
) -> None:
    """The walk heard each chart as a "filler" holding an unnamed focusable "filler" (the
    view pyqtgraph makes), and the attendance chart's description gave monthly totals only,
    not the categories drawn."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAccessible

    from coordinator_app.core import meetings
    from coordinator_app.core.vocab import AttendanceStatus, Category, MeetingStatus
    from coordinator_app.ui.charts import HomeCharts

    meeting = meetings.create_meeting(
        db,
        meetings.MeetingInput(
            forum_id=place.forum_id, meeting_date=date(2025, 3, 4), status=MeetingStatus.HELD
        ),
    )
    for name, category in (("Ann", Category.SERVICE_USER), ("Bob", Category.SERVICE_USER)):
        person = add_person(name, category, place.locality_id)
        meetings.set_attendance(db, meeting, person, AttendanceStatus.PRESENT)
    carer = add_person("Cat", Category.CARER, place.locality_id)
    meetings.set_attendance(db, meeting, carer, AttendanceStatus.PRESENT)
    charts = HomeCharts(ctx)
    qtbot.addWidget(charts)
    charts.set_localities([place.locality_id])
    with qtbot.waitSignal(charts.loaded, timeout=10_000):
        charts.show()
    titles = ("Attendances per month by category", "Actions per month")
    for plot, title in zip((charts.attendance_plot, charts.actions_plot), titles, strict=True):
        face = QAccessible.queryAccessibleInterface(plot)
        assert face.role() == QAccessible.Role.Chart
        assert face.text(QAccessible.Text.Name) == title
        assert face.childCount() == 0  # no unnamed parts to walk into
        assert plot.focusPolicy() != Qt.FocusPolicy.NoFocus
        assert plot.viewport().focusPolicy() == Qt.FocusPolicy.NoFocus  # one stop, not two
    described = charts.attendance_plot.accessibleDescription()
    assert "Mar 2025 3 (Service user 2, Carer 1)" in described
    assert "Feb 2025 0;" in described  # a month with none says so, with no categories
