"""Tabs whose pages scroll when the window is narrower than a page would like.

A page's minimum width (the profile view's controls, the live panel's buttons) would
otherwise become the window's minimum, and at 150 % scaling on a laptop the window would
be wider than the screen. Callers still name the page widgets themselves: the scroll area
around each one is an implementation detail of this widget.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget

__all__ = ["ScrollingTabs"]


class ScrollingTabs(QTabWidget):
    """A QTabWidget that wraps each page in a resizable scroll area."""

    def add_page(self, page: QWidget, title: str) -> int:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(page)
        return self.addTab(area, title)

    def page(self, index: int) -> QWidget | None:
        area = self.widget(index)
        return area.widget() if isinstance(area, QScrollArea) else area

    def indexOf(self, page: QWidget) -> int:
        for index in range(self.count()):
            if page is self.page(index) or page is self.widget(index):
                return index
        return -1

    def currentWidget(self) -> QWidget:
        page = self.page(self.currentIndex())
        assert page is not None, "ScrollingTabs always holds its three pages"
        return page

    def setCurrentWidget(self, page: QWidget) -> None:
        index = self.indexOf(page)
        if index >= 0:
            self.setCurrentIndex(index)
