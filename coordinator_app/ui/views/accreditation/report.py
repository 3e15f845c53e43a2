"""An assessment's report: previewed, printed or saved as a PDF from the assessment panel.

The document comes from the panel (``AssessmentPanel.report_document``, which saves what is
typed first); the printing module and the PDF's file name are asked through ``questions`` (tests
patch them there). No printer is needed to test this: printing goes through ``ui.printing``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from ....core.accreditation import AssessmentSummary
from ....core.document import Document
from ... import operations, widgets
from . import questions


def title(summary: AssessmentSummary | None) -> str:
    """The report's title, which also names its PDF."""
    if summary is None:
        return "Assessment report"
    return f"Accreditation assessment {summary.locality_name} {summary.assessed_on.isoformat()}"


def _printing_or_say(parent: QWidget) -> Any:
    try:
        return questions._printing()
    except ImportError:
        widgets.inform(parent, "Printing", "Printing is not available in this copy of the app.")
        return None


def preview(parent: QWidget, document: Callable[[], Document], name: str) -> None:
    printing = _printing_or_say(parent)
    if printing is not None:
        printing.preview(parent, document(), name)


def print_out(parent: QWidget, document: Callable[[], Document], name: str) -> None:
    printing = _printing_or_say(parent)
    if printing is not None:
        printing.print_document(parent, document(), name)


def save_pdf(parent: QWidget, document: Callable[[], Document], name: str) -> str | None:
    """Ask where, then write the report as a PDF; where it was saved, or None (cancelled, or
    not written: the sentence was shown)."""
    printing = _printing_or_say(parent)
    if printing is None:
        return None
    path = questions.save_file_name(
        parent, "Save the report as PDF", f"{name}.pdf", "PDF files (*.pdf)"
    )
    if path is None:
        return None
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    saved = operations.export(
        parent, "Report not saved", lambda: printing.write_pdf(document(), path)
    )
    return None if saved is None else str(saved)
