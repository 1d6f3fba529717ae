"""The application icon, drawn in code so there is one source for the window, the About box
and the installer's ``resources/workbench.ico`` (``python -m workbench.ui.icon resources``).

A meter face: a dark rounded square, a waveform (the live values) over a row of hex-like
bars (the frames on the wire).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPainterPath, QPen, QPixmap

__all__ = ["app_icon", "draw_icon", "export_icons"]

SIZES = (16, 24, 32, 48, 64, 128, 256)


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


def export_icons(folder: Path) -> list[Path]:
    """Write ``workbench.png`` (256 px) and ``workbench.ico`` (48 px) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, size in (("workbench.png", 256), ("workbench.ico", 48)):
        path = folder / name
        if not draw_icon(size).save(str(path)):
            raise OSError(f"Qt could not write {path}")
        written.append(path)
    return written


if __name__ == "__main__":
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])
    for written in export_icons(Path(sys.argv[1] if len(sys.argv) > 1 else "resources")):
        print(written)
