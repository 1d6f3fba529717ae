"""The commissioning report as a PDF: the same HTML laid out by Qt onto A4 pages.

Why Qt and not another library: the window already ships Qt, and its rich-text engine
prints HTML tables to PDF with real text (searchable, crisp). It does not draw SVG, so the
charts are rasterised here with Qt's SVG renderer at print resolution and handed to the
document as images. Works without a display: a command-line call starts an offscreen
``QApplication`` if none exists (a widgets application, so a window or a test that
builds widgets later in the same process still can).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QMarginsF, QSizeF, QUrl
from PySide6.QtGui import (
    QColor,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from workbench.commissioning import Report, render_html

__all__ = ["write_pdf"]

_DPI = 150
_SCALE = 2  # chart pixels per SVG pixel, so bars and text stay sharp on paper


def _application() -> QCoreApplication:
    app = QApplication.instance()
    if app is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QApplication(["workbench-report"])
    return app


def _raster(svg: str) -> QImage:
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    size = renderer.defaultSize() * _SCALE
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def write_pdf(report: Report, path: str | Path) -> None:
    """Write ``report`` to ``path`` as an A4 PDF.

    Raises:
        OSError: the file cannot be written.
    """
    _application()
    document = QTextDocument()
    images: dict[str, QImage] = {}

    def image(name: str, svg: str) -> str:
        images[name] = _raster(svg)
        return f"chart://{name}"

    html = render_html(report, image)
    for name, picture in images.items():
        document.addResource(QTextDocument.ResourceType.ImageResource,
                             QUrl(f"chart://{name}"), picture)
    html = html.replace('<img alt=', f'<img width="{460}" alt=')
    document.setHtml(html)
    writer = QPdfWriter(str(path))
    if not writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                            QPageLayout.Orientation.Portrait,
                                            QMarginsF(14, 14, 14, 14),
                                            QPageLayout.Unit.Millimeter)):
        raise OSError(f"cannot lay out A4 pages in {path}")
    writer.setResolution(_DPI)
    writer.setTitle(f"Commissioning report — {report.title}")
    writer.setCreator("DLMS Workbench")
    page = writer.pageLayout().paintRectPixels(_DPI).size()
    document.setPageSize(QSizeF(page))
    document.print_(writer)
    if not Path(path).exists() or Path(path).stat().st_size == 0:
        raise OSError(f"the PDF {path} could not be written")
