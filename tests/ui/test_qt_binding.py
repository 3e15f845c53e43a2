"""Guards against a broken Qt binding: PySide6 6.12.0 drops a reference to None on every call
that returns nothing (and on ``currentData()`` of an item holding None). On Python 3.11 a long
session then dies with "Fatal Python error: none_dealloc". pyproject.toml keeps 6.12.0 out; this
test fails if a version with that fault is ever installed."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QComboBox, QLabel


def test_calls_returning_nothing_keep_none_alive(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("Zoë")
    assert before - sys.getrefcount(None) < 50


def test_combo_data_of_none_keeps_none_alive(qtbot) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItem("All localities", None)
    before = sys.getrefcount(None)
    for _ in range(2000):
        combo.currentData()
    assert before - sys.getrefcount(None) < 50
