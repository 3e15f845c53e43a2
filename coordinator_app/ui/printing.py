"""Previewing and printing the core's printouts (``core.document.Document``), and saving them as
PDF, all through the one renderer (``core/typeset.py``, typst).

The PDF is typst's tagged PDF/UA-1 (``typeset.write_pdf``). The preview and the printer show the
pages of that same layout: typst renders each page as an image (``typeset.page_images``) and
``render_to`` paints one image per page of any ``QPagedPaintDevice`` (a ``QPrinter`` from the
print dialog or the preview, or a ``QPdfWriter`` in tests), so what the preview shows is what
prints and what is saved. QtPdf is not needed (it is left out of the bundle). The preview is the
app's own (``ui/preview.py``): Qt's QPrintPreviewDialog left its toolbar to the mouse.

Pitfalls:
- Never ``exec()`` a dialog in a test: tests call ``render_to`` / ``write_pdf`` directly.
- The page is painted edge to edge (``setFullPage``): the margins are typst's, inside the image,
  so a printer's own unprintable border (about 4 mm) never clips text (the margins are 15 mm
  and more).
- PDFs are written to a temporary file beside the target and renamed into place
  (``core.files.atomic_write``): a failed save leaves any old file as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF
from PySide6.QtGui import QImage, QPagedPaintDevice, QPageLayout, QPageSize, QPainter
from PySide6.QtWidgets import QWidget

from ..core import typeset
from ..core.document import Document
from ..core.errors import CoordinatorError


def a4_layout(landscape: bool = False) -> QPageLayout:
    """A4 without margins (typst's margins are inside each page image)."""
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Millimeter,
    )


def render_to(device: QPagedPaintDevice, document: Document, dpi: float | None = None) -> int:
    """Paint the document's pages (typst's layout, as images) on the pages of ``device``;
    returns the number of pages. ``dpi``: the images' resolution (default: the device's, at
    most ``typeset.PRINT_DPI``)."""
    if hasattr(device, "setFullPage"):
        device.setFullPage(True)  # QPrinter: paint from the paper's edge
    device.setPageLayout(a4_layout(document.landscape))
    resolution = float(device.resolution())  # type: ignore[attr-defined]
    images = typeset.page_images(document, dpi or min(resolution, typeset.PRINT_DPI))
    painter = QPainter()
    if not painter.begin(device):
        raise CoordinatorError("The printer or file could not be opened for printing.")
    try:
        for index, png in enumerate(images):
            if index:
                device.newPage()
            image = QImage.fromData(png)  # a PNG, told by its signature
            page = device.pageLayout().fullRectPixels(int(resolution))
            painter.drawImage(QRectF(0, 0, page.width(), page.height()), image)
    finally:
        painter.end()
    return len(images)


def write_pdf(document: Document, path: str | os.PathLike[str]) -> Path:
    """Write the document as a tagged PDF at ``path`` (atomically); the final path."""
    return typeset.write_pdf(document, path)


def preview(parent: QWidget | None, document: Document, title: str = "") -> None:
    """Open the print preview (``ui/preview.py``: every command by Tab and by a shortcut; its
    Print asks for a printer through ``print_document``)."""
    from .preview import PreviewDialog

    PreviewDialog(document, title, parent).exec()


def print_document(parent: QWidget | None, document: Document, title: str = "") -> bool:
    """Ask for a printer (QPrintDialog) and print; False when the user cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title or document.title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    render_to(printer, document)
    return True
