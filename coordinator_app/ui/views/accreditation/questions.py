"""The Accreditation page's questions for files, and the printing module, looked up at call time
through this module (``questions.open_file_name(...)``) so that tests patch them here; nothing
modal is ever ``exec``ed in a test.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from ... import files

#: Asks for a framework workbook (``files.STANDARDS``: opened from any spreadsheet the app
#: reads, saved as .xlsx).
XLSX_FILTER = "Excel workbooks (*.xlsx)"


def _kind(filters: str) -> files.FileKind:
    return files.STANDARDS if filters == XLSX_FILTER else files.EVIDENCE


def open_file_name(parent: QWidget | None, title: str, filters: str = "") -> str | None:
    """Ask for a file to open (``ui.files``); None when cancelled. Tests patch this function."""
    path = files.ask_open(parent, _kind(filters), title)
    return str(path) if path else None


def save_file_name(
    parent: QWidget | None, title: str, suggested: str, filters: str = ""
) -> str | None:
    """Ask where to save a file (``ui.files``); None when cancelled. Tests patch this function."""
    path = files.ask_save(parent, _kind(filters), title, suggested)
    return str(path) if path else None


def _printing() -> Any:
    """The printing module, imported on first use (it pulls in QtPrintSupport). Tests patch
    this function."""
    from ... import printing

    return printing
