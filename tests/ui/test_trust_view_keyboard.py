"""The Trust view (ui/views/trust_view.py) as a laptop shows it (1366x768): the measures by
locality fit the width with every header whole (empty or not), each short header's full
meaning its tooltip and accessible description."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QWidget,
)

from coordinator_app.ui.views import trust_view
from coordinator_app.ui.views.trust_view import TrustView
from tests.core.test_board import _returns


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path, monkeypatch):
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.setOrganizationName("Involvement Coordinator Tests")
    QCoreApplication.setApplicationName("Trust view keyboard tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    ini = str(tmp_path / "settings.ini")
    monkeypatch.setattr(trust_view, "settings", lambda: QSettings(ini, QSettings.Format.IniFormat))


def _shown(qtbot, view: QWidget) -> None:
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)


def _fits(table) -> list[str]:
    """The columns of ``table`` narrower than their header or a cell, and any sideways scroll."""
    header, problems = table.horizontalHeader(), []
    for column in range(header.count()):
        need = max(header.sectionSizeHint(column), table.sizeHintForColumn(column))
        if header.sectionSize(column) < need:
            title = " ".join(
                str(table.model().headerData(column, Qt.Orientation.Horizontal)).split()
            )
            problems.append(f"{title}: {header.sectionSize(column)} < {need}")
    if table.horizontalScrollBar().maximum() > 0:
        problems.append(f"scrolls sideways by {table.horizontalScrollBar().maximum()} px")
    return problems


def test_the_measures_by_locality_fit_a_laptop_with_every_header_whole(
    qtbot, demo_ctx, app_look
) -> None:
    empty = TrustView(demo_ctx)
    _shown(qtbot, empty)
    assert _fits(empty.places_table) == []
    view = TrustView(demo_ctx)
    _shown(qtbot, view)
    view.set_returns([r for r in _returns() if r.month.year == 2026])  # four over three months
    assert view.places_model.rowCount() == 5
    assert _fits(view.places_table) == []
    view.trend_place_combo.setCurrentText("Avon")
    assert _fits(view.trend_table) == []


def test_a_short_header_says_its_full_meaning(qtbot, demo_ctx) -> None:
    view = TrustView(demo_ctx)
    _shown(qtbot, view)
    model, horizontal = view.places_model, Qt.Orientation.Horizontal
    change = next(
        c for c in range(model.columnCount()) if "last month" in model.headerData(c, horizontal)
    )
    assert model.headerData(change, horizontal) == "Change on\nlast month"
    meaning = model.headerData(change, horizontal, Qt.ItemDataRole.ToolTipRole)
    assert meaning.startswith("Attendances: the change from the month before")
    face = QAccessible.queryAccessibleInterface(view.places_table)
    headers = [face.child(i) for i in range(face.childCount())]
    cell = [h for h in headers if h.role() == QAccessible.Role.ColumnHeader][change]
    assert cell.text(QAccessible.Text.Name) == "Change on last month"
    assert cell.text(QAccessible.Text.Description) == meaning
    for column in range(model.columnCount()):
        assert model.headerData(column, horizontal, Qt.ItemDataRole.ToolTipRole)
    trend = view.trend_model
    assert [trend.headerData(c, horizontal) for c in (2, 3)] == [
        "Change on last month",
        "Change on a year ago",
    ]
    assert "same month a year before" in trend.headerData(
        3, horizontal, Qt.ItemDataRole.AccessibleDescriptionRole
    )
