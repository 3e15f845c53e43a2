"""Small builders the Accreditation page's parts share: the short lists' table and the wrapping
labels."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ... import focus, widgets


def list_table(accessible_name: str, model: Any) -> widgets.RecordTable:
    """A short list whose columns follow their contents and whose last column takes the spare
    width (kept across model resets, unlike widths set once by ``fit_columns``)."""
    table = widgets.RecordTable(accessible_name)
    table.setModel(model)
    header = table.horizontalHeader()
    header.setSectionResizeMode(header.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    # One long cell (a list of assessors) must not push the result off the screen.
    header.setMaximumSectionSize(table.fontMetrics().horizontalAdvance("M") * 28)
    return table


def wrapping_label(description: str = "") -> QLabel:
    """A label of text that wraps and can be selected (and read by the keyboard).

    ``description`` says what the text is to a screen reader (its accessible description). It
    is never the accessible name: Qt reads a label's name *instead of* its text (issue #24)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setProperty("selectable", True)  # its focus ring (focus._FrameRing)
    ring = focus.RING_WIDTH  # room kept for it: the text does not move when it comes
    label.setContentsMargins(ring + 2, ring, ring + 2, ring)
    if description:
        label.setAccessibleDescription(description)
    return label
