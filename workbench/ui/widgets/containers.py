"""Containers the main window arranges its panels in: a column, and scroll areas that let a
panel scroll on a small screen instead of making the window larger than the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QVBoxLayout, QWidget

__all__ = ["scroll_when_narrow", "scrolling", "stacked"]


def stacked(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QTabWidget) else 0)
    return box


def scroll_when_narrow(widget: QWidget) -> QScrollArea:
    """``widget`` scrolls sideways on a screen narrower than it would like, rather than
    making the whole window wider than the screen; its height is always its own."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumHeight(widget.minimumSizeHint().height())
    return area


def scrolling(*panels: QWidget) -> QScrollArea:
    """The panels in a scroll area: at 1366×768 (or 150 %) a long form would otherwise
    squash every field to a sliver instead of adding a scroll bar."""
    inner = stacked(*panels)
    inner.layout().addStretch(1)
    inner.layout().setContentsMargins(4, 4, 4, 4)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumWidth(inner.minimumSizeHint().width()
                         + area.verticalScrollBar().sizeHint().width())
    return area
