"""The one renderer of every printout: a ``core.document.Document`` set by typst as a tagged
PDF/UA-1 (docs/printouts.md#layout), or as PNG pages of that same PDF for the print preview and
the printer (``ui/printing.py``). The ``minutes`` command and the app both come here, so what
is previewed, printed and saved is one layout. No Qt here.

Contracts and pitfalls (docs/engineering-notes.md#pdf-and-printing):
- The document goes to typst as JSON data in ``sys.inputs`` and the template
  (``resources/templates/printout.typ``) reads it with ``json()``: user text is never typst
  markup, so nothing needs escaping and nothing typed can change the layout.
- Fonts: only the shipped DejaVu Sans (``resources/fonts``) and typst's own; the machine's
  fonts are ignored, so every machine prints the same pages.
- PDF/UA-1: tagged (headings, lists, tables with header cells, reading order), the title shown
  as the window title, the language en-GB, the footer an artifact. Typst refuses what PDF/UA
  forbids (an image without alternative text, for one): that is a ``CoordinatorError``.
- Ligatures are off, so "Staff" and "leaflet" are stored as letters (search and copy work).
- PDFs are written through ``files.atomic_write``: a failed save leaves any old file as it was.
- One compile at a time per process (a lock): typst's compiler object is not shared across
  threads here.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from .document import Document
from .errors import CoordinatorError
from .files import atomic_write
from .resources import resources_dir

#: The PDF standard every printout meets.
PDF_STANDARD = "ua-1"
#: Resolution of the preview's and the printer's page images (dots per inch).
PREVIEW_DPI = 110.0
PRINT_DPI = 300.0
#: A4 in points (portrait).
A4_POINTS = (595.28, 841.89)

_MAIN = b'#import "printout.typ": render\n#render(json(bytes(sys.inputs.document)))\n'
_LOCK = threading.Lock()


def _compiler() -> Any:
    import typst

    root = resources_dir()
    # The shipped fonts and typst's own, never the machine's, as a ``typst.Fonts``: typst's type
    # hints give a plain list of font folders the type of the source (bytes here).
    fonts = typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=True,
        font_paths=[str(root / "fonts")],
    )
    return typst.Compiler(
        _MAIN,
        root=str(root / "templates"),
        font_paths=fonts,
        ignore_system_fonts=True,
    )


def _compile(document: Document, **options: Any) -> Any:
    try:
        import typst
    except ImportError as exc:  # pragma: no cover - a broken install
        raise CoordinatorError(
            "Printing is not available: the typst typesetter is missing; reinstall the app."
        ) from exc
    with _LOCK:
        try:
            return _compiler().compile(sys_inputs={"document": document.to_json()}, **options)
        except typst.TypstError as exc:
            raise CoordinatorError(
                f"The printout could not be typeset ({exc.message}). If the printout template "
                "was changed, put the shipped one back."
            ) from exc


def pdf_bytes(document: Document) -> bytes:
    """The document as a tagged PDF/UA-1."""
    result = _compile(document, format="pdf", pdf_standards=PDF_STANDARD)
    assert isinstance(result, bytes)
    return result


def page_images(document: Document, dpi: float = PREVIEW_DPI) -> list[bytes]:
    """The document's pages as PNG images at ``dpi`` (the PDF's pages, for preview and print)."""
    result = _compile(document, format="png", ppi=float(dpi))
    if isinstance(result, bytes):
        return [result]
    return list(result)


def write_pdf(document: Document, path: str | os.PathLike[str]) -> Path:
    """Write the document as a PDF at ``path`` (atomically) and return the final path.

    Raises ``CoordinatorError`` with a sentence when the folder or file cannot be written."""
    data = pdf_bytes(document)
    return atomic_write(path, lambda temp: temp.write_bytes(data))
