"""Colours that follow the system palette, so the plots match a light or a dark desktop.

pyqtgraph reads its background and foreground from global options when a plot is
created, so :func:`apply_plot_palette` runs once before the window builds its plots.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

__all__ = ["apply_plot_palette", "is_dark", "warning_colour"]

WARNING_LIGHT = "#b00020"
WARNING_DARK = "#ff7a7a"


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


def warning_colour() -> str:
    """Red for warnings that stays readable: the dark red of a light theme is near-invisible
    on a dark window, so a dark palette gets a light red."""
    return WARNING_DARK if is_dark() else WARNING_LIGHT
