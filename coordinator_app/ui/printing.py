"""Rendering the core's printouts (``core/minutes.py`` HTML) on paper, in a preview or to PDF.

One function, ``render_to``, lays the HTML out on A4 pages of any ``QPagedPaintDevice`` (a
``QPdfWriter``, a ``QPrinter`` from the print dialog or the preview) and draws a footer with
"Page N of M" on each page; PDF, print and preview all go through it, so what the preview shows
is what prints.

Pitfalls:
- Without the shipped font, Qt writes boxes and no text layer into a PDF: ``render_to`` loads
  ``resources/fonts`` (``app.load_fonts``) and sets "DejaVu Sans" as the document's default.
- Never ``exec()`` a dialog in a test: tests call ``render_to`` / ``write_pdf`` directly.
- PDFs are written to a temporary file beside the target and renamed into place
  (``core.files.atomic_write``): a failed save leaves any old file as it was.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QWidget

from ..core.errors import CoordinatorError
from ..core.files import atomic_write
from .app import load_fonts

FONT_FAMILY = "DejaVu Sans"
#: Page margins in millimetres (left, top, right, bottom); the footer sits in the bottom one.
MARGINS_MM = (18.0, 15.0, 18.0, 12.0)
FOOTER_PT = 9.0
#: Resolution of the PDFs we write (vector text either way; this is the layout grid).
PDF_DPI = 600


_LANDSCAPE = re.compile(
    r"<meta\s+name=[\"']orientation[\"']\s+content=[\"']landscape[\"']", re.IGNORECASE
)


_BODY_SIZE = re.compile(r"body\s*\{[^}]*?font-size:\s*([\d.]+)pt", re.IGNORECASE)


def footer_points(html: str) -> float:
    """The footer's size: small, except in a large-print document (body text 16 pt or more),
    whose footer is as large as its text."""
    found = _BODY_SIZE.search(html)
    body = float(found.group(1)) if found else 0.0
    return body if body >= 16 else FOOTER_PT


def wants_landscape(html: str) -> bool:
    """True when the template asks for landscape pages with
    ``<meta name="orientation" content="landscape">`` (QTextDocument ignores meta tags)."""
    return _LANDSCAPE.search(html) is not None


def a4_layout(landscape: bool = False) -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
        QMarginsF(*MARGINS_MM),
        QPageLayout.Unit.Millimeter,
    )


def make_document(html: str, device: QPagedPaintDevice | None = None) -> QTextDocument:
    """The HTML as a QTextDocument in the shipped font, laid out for ``device`` when given."""
    load_fonts()
    doc = QTextDocument()
    doc.setUndoRedoEnabled(False)
    if device is not None:
        doc.documentLayout().setPaintDevice(device)
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(11)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    _honour_point_sizes(doc)
    return doc


def _honour_point_sizes(doc: QTextDocument) -> None:
    """Let a CSS ``font-size`` in points win over a heading's built-in size.

    Qt gives ``<h1>``..``<h6>`` a size *adjustment* relative to the default font which beats
    the stylesheet's point size (an ``h2 { font-size: 21pt }`` prints at 16.5 pt), so a large
    print heading came out smaller than its text. Clearing the adjustment where a point size is
    set restores what the template asks for."""
    changes = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.hasProperty(QTextFormat.Property.FontSizeAdjustment) and fmt.hasProperty(
                QTextFormat.Property.FontPointSize
            ):
                fmt.clearProperty(QTextFormat.Property.FontSizeAdjustment)
                changes.append((fragment.position(), fragment.length(), fmt))
            it += 1
        block = block.next()
    cursor = QTextCursor(doc)
    for position, length, fmt in changes:  # after the walk: editing splits fragments
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(fmt)


def _first_line_top(layout: QAbstractTextDocumentLayout, block: QTextBlock) -> float:
    """Where the block's first line really is: pagination moves lines, not the block's top."""
    top = layout.blockBoundingRect(block).top()
    text_layout = block.layout()
    if text_layout is not None and text_layout.lineCount() > 0:
        return top + text_layout.lineAt(0).y()
    return top


def _keep_headings_with_next(doc: QTextDocument, page_height: float) -> None:
    """Move a heading left alone at the foot of a page to the top of the next one.

    QTextDocument has no "keep with next": a heading whose following block starts on the next
    page gets a page break before it, then the document is laid out again (a few headings at
    most, in page order)."""
    layout = doc.documentLayout()
    fixed: set[int] = set()
    for _attempt in range(50):
        doc.pageCount()  # a full layout before measuring
        offender = None
        block = doc.begin()
        while block.isValid():
            following = block.next()
            if (
                block.blockNumber() not in fixed
                and block.blockFormat().headingLevel() > 0
                and following.isValid()
            ):
                top = _first_line_top(layout, block)
                below = _first_line_top(layout, following)
                # A heading already at the top of its page gains nothing from a break.
                if int(below // page_height) > int(top // page_height) and top % page_height > 1:
                    offender = block
                    break
            block = following
        if offender is None:
            return
        fixed.add(offender.blockNumber())
        fmt = offender.blockFormat()
        fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        QTextCursor(offender).setBlockFormat(fmt)
        doc.markContentsDirty(0, doc.characterCount())


def render_to(device: QPagedPaintDevice, html: str) -> int:
    """Lay ``html`` out on A4 pages of ``device`` and paint every page with a footer (document
    title on the left, "Page N of M" on the right). Returns the number of pages.

    The device gets the A4 layout and margins; a table crossing a page repeats its ``<thead>``
    row (QTextDocument does that for tables with header rows). Pages are portrait unless the
    HTML asks for landscape (``wants_landscape``)."""
    device.setPageLayout(a4_layout(wants_landscape(html)))
    dpi = device.resolution()  # type: ignore[attr-defined]  # QPdfWriter's and QPrinter's
    paint_rect = device.pageLayout().paintRectPixels(dpi)
    doc = make_document(html, device)
    footer_font = QFont(FONT_FAMILY)
    footer_font.setPointSizeF(footer_points(html))
    metrics = QFontMetricsF(footer_font, device)
    footer_gap = metrics.height() * 2.2
    width = float(paint_rect.width())
    body_height = float(paint_rect.height()) - footer_gap
    doc.setPageSize(QSizeF(width, body_height))
    _keep_headings_with_next(doc, body_height)
    pages = max(1, doc.pageCount())
    title = doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle)
    if isinstance(device, QPdfWriter):
        device.setTitle(title)

    painter = QPainter()
    if not painter.begin(device):
        raise CoordinatorError("The printer or file could not be opened for printing.")
    try:
        layout = doc.documentLayout()
        for index in range(pages):
            if index:
                device.newPage()
            painter.save()
            painter.translate(0, -index * body_height)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, index * body_height, width, body_height)
            painter.setClipRect(context.clip)
            layout.draw(painter, context)
            painter.restore()
            painter.setFont(footer_font)
            footer = QRectF(0, body_height + footer_gap - metrics.height(), width, metrics.height())
            right = f"Page {index + 1} of {pages}"
            right_width = metrics.horizontalAdvance(right) + metrics.averageCharWidth() * 2
            left = metrics.elidedText(title, Qt.TextElideMode.ElideRight, width - right_width)
            painter.drawText(footer, int(Qt.AlignmentFlag.AlignLeft), left)
            painter.drawText(footer, int(Qt.AlignmentFlag.AlignRight), right)
    finally:
        painter.end()
    return pages


def write_pdf(html: str, path: str | os.PathLike[str]) -> Path:
    """Write ``html`` as an A4 PDF at ``path`` (atomically) and return the final path.

    Raises ``CoordinatorError`` with a sentence when the folder or file cannot be written."""

    def write(temp: Path) -> None:
        writer = QPdfWriter(str(temp))
        writer.setResolution(PDF_DPI)
        writer.setCreator("Involvement Coordinator")
        render_to(writer, html)
        del writer  # closes and flushes the file

    return atomic_write(path, write)


def preview(parent: QWidget | None, html: str, title: str) -> None:
    """Open the print preview (its Print button prints what it shows)."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Print preview - {title}")
    dialog.paintRequested.connect(lambda device: render_to(device, html))
    from . import widgets

    widgets.fit_to_screen(dialog, 900, 1000)  # a whole A4 page where the screen has room
    dialog.exec()


def print_document(parent: QWidget | None, html: str, title: str = "") -> bool:
    """Ask for a printer (QPrintDialog) and print; False when the user cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if title:
        printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    render_to(printer, html)
    return True
