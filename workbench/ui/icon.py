"""The application icon, drawn in code so there is one source for the window, the About box
and the installer's ``resources/workbench.ico`` (``python -m workbench.ui.icon resources``).

A meter face: a dark rounded square, a waveform (the live values) over a row of hex-like
bars (the frames on the wire).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPainterPath, QPen, QPixmap

__all__ = ["ICO_SIZES", "app_icon", "draw_icon", "export_icons", "ico_bytes"]

SIZES = (16, 24, 32, 48, 64, 128, 256)
# What Windows picks from for the exe, the Start-menu shortcut, Explorer views and .wbcap files.
ICO_SIZES = (16, 24, 32, 48, 256)


def draw_icon(size: int) -> QImage:
    """The icon at ``size`` × ``size`` pixels, transparent outside the rounded square."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 64.0
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#17324d"))
    p.drawRoundedRect(QRectF(2 * s, 2 * s, 60 * s, 60 * s), 12 * s, 12 * s)
    wave = QPainterPath(QPointF(10 * s, 30 * s))
    for x0 in (10, 26, 42):
        wave.cubicTo(QPointF((x0 + 4) * s, 14 * s), QPointF((x0 + 8) * s, 14 * s),
                     QPointF((x0 + 8) * s, 30 * s))
        wave.cubicTo(QPointF((x0 + 8) * s, 46 * s), QPointF((x0 + 12) * s, 46 * s),
                     QPointF((x0 + 16) * s, 30 * s))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(QColor("#4fd1c5"), max(1.5, 4.5 * s), Qt.PenStyle.SolidLine,
                  Qt.PenCapStyle.RoundCap))
    p.drawPath(wave)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#f6ad55"))
    for i, width in enumerate((8, 5, 10, 6, 7)):
        x = 10 + sum((8, 5, 10, 6, 7)[:i]) + 2 * i
        p.drawRoundedRect(QRectF(x * s, 50 * s, width * s, 5 * s), 1.5 * s, 1.5 * s)
    p.end()
    return image


def app_icon() -> QIcon:
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(QPixmap.fromImage(draw_icon(size)))
    return icon


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data)


def _dib(image: QImage) -> bytes:
    """A 32-bit BGRA icon bitmap: BITMAPINFOHEADER (height doubled for the mask), the rows
    bottom-up, then an all-zero AND mask (the alpha channel does the masking)."""
    size = image.width()
    image = image.convertToFormat(QImage.Format.Format_ARGB32)   # little-endian: B, G, R, A
    header = struct.pack("<IiiHHIIiiII", 40, size, 2 * size, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = [bytes(image.constScanLine(y))[:4 * size] for y in reversed(range(size))]
    mask_row = ((size + 31) // 32) * 4
    return header + b"".join(rows) + bytes(mask_row * size)


def ico_bytes(sizes: tuple[int, ...] = ICO_SIZES) -> bytes:
    """A Windows .ico holding the icon at every size in ``sizes``: uncompressed bitmaps up to
    48 px (every Windows reader takes those), PNG above (Windows Vista and later)."""
    images = [_png(draw_icon(s)) if s > 48 else _dib(draw_icon(s)) for s in sizes]
    out = struct.pack("<HHH", 0, 1, len(sizes))            # ICONDIR: reserved, type 1 = icon
    offset = 6 + 16 * len(sizes)
    for size, data in zip(sizes, images, strict=True):                 # ICONDIRENTRY; 0 means 256
        out += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(images)


def export_icons(folder: Path) -> list[Path]:
    """Write ``workbench.png`` (256 px) and ``workbench.ico`` (16, 24, 32, 48 and 256 px)
    into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / "workbench.png"
    if not draw_icon(256).save(str(png)):
        raise OSError(f"Qt could not write {png}")
    ico = folder / "workbench.ico"
    ico.write_bytes(ico_bytes())
    return [png, ico]


if __name__ == "__main__":
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])
    for written in export_icons(Path(sys.argv[1] if len(sys.argv) > 1 else "resources")):
        print(written)
