"""Regenerate the app icon's PNG sizes from ``resources/icons/app.svg`` and write a multi-size
``app.ico`` (16, 24, 32, 48, 64, 128 and 256 pixels).

    python installer/make_icons.py

Qt's ICO writer stores one size only, so Windows would scale a single image for the taskbar,
Start menu and Explorer; the ICO here is written by hand: an ICONDIR header, one ICONDIRENTRY
per size, then each image as a PNG (PNG entries are valid in ICO files since Windows Vista).
Pitfall: in an ICONDIRENTRY a width or height of 256 is written as 0.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
#: PNG sizes shipped (Linux icon themes, the .desktop entry, the window icon).
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
#: Sizes inside app.ico (Windows: small icons, taskbar, Explorer's large and jumbo views).
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file holding each ``(size, png_bytes)`` (square images, size 1 to 256)."""
    header = struct.pack("<HHH", 0, 1, len(images))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(images)
    entries = b""
    payload = b""
    for size, png in images:
        if not 1 <= size <= 256:
            raise ValueError(f"An ICO image must be 1 to 256 pixels, not {size}.")
        side = 0 if size == 256 else size
        # width, height, colours in palette, reserved, colour planes, bits per pixel, size, offset
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + entries + payload


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn at ``size`` x ``size`` pixels, antialiased, as PNG bytes (needs QtSvg)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG file.")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - keep alive
    svg = ICONS / "app.svg"
    pngs = {size: render_png(svg, size) for size in sorted({*PNG_SIZES, *ICO_SIZES})}
    for size in PNG_SIZES:
        (ICONS / f"app-{size}.png").write_bytes(pngs[size])
    ico = ICONS / "app.ico"
    ico.write_bytes(ico_bytes([(size, pngs[size]) for size in ICO_SIZES]))
    print(f"Wrote {len(PNG_SIZES)} PNGs and {ico} ({len(ICO_SIZES)} sizes).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
