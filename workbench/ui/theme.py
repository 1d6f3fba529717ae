"""Colours that follow the system palette, so the plots match a light or a dark desktop.

pyqtgraph reads its background and foreground from global options when a plot is
created, so :func:`apply_plot_palette` runs once before the window builds its plots.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

__all__ = ["apply_plot_palette", "is_dark"]


def is_dark() -> bool:
    """True when the desktop palette has light text on a dark window."""
    palette = QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < \
        palette.color(QPalette.ColorRole.WindowText).lightness()


def apply_plot_palette() -> None:
    """Plot background = the palette's base colour, axes and text = its text colour.

    Antialiasing stays off: with CPU rendering it multiplies the cost of every redraw.
    """
    palette = QApplication.palette()
    pg.setConfigOptions(background=palette.color(QPalette.ColorRole.Base),
                        foreground=palette.color(QPalette.ColorRole.Text),
                        antialias=False)
