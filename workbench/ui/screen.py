"""Window size and dock sizes from the screen the window is on, remembered per screen.

A fixed 1366×768 window overflowed a 1920×1080 screen at 150 % scaling (1280×720 logical
pixels). The first size on a screen is a share of its available geometry in logical pixels
(Qt applies the scaling), so it fits at any scaling; the user's own layout is then saved
under a key naming the screen and its logical size, and restored only there.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea

__all__ = ["apply_first_layout", "restore_layout", "save_layout", "screen_key"]

WINDOW_SHARE = 0.92
"""The share of the screen's available width and height a new window takes."""
CONNECTION_SHARE = 0.25
FRAME_LOG_SHARE = 0.36


def screen_key(screen: QScreen | None) -> str:
    """``layout/NAME-1280x720``: one saved layout per screen and logical size."""
    if screen is None:
        return "layout/default"
    size = screen.availableGeometry().size()
    name = "".join(ch if ch.isalnum() else "_" for ch in screen.name()) or "screen"
    return f"layout/{name}-{size.width()}x{size.height()}"


def _screen(window: QMainWindow) -> QScreen | None:
    return window.screen() or QGuiApplication.primaryScreen()


def apply_first_layout(window: QMainWindow, connection: QDockWidget,
                       frames: QDockWidget) -> None:
    """Size the window and its docks from the screen's available geometry."""
    screen = _screen(window)
    if screen is None:
        return
    area = screen.availableGeometry()
    size = QSize(int(area.width() * WINDOW_SHARE), int(area.height() * WINDOW_SHARE))
    window.resize(size.expandedTo(window.minimumSizeHint()).boundedTo(area.size()))
    window.move(area.center() - window.rect().center())
    width = max(_wanted(connection).width(), int(size.width() * CONNECTION_SHARE))
    window.resizeDocks([connection], [width], Qt.Orientation.Horizontal)
    height = max(_wanted(frames).height(), int(size.height() * FRAME_LOG_SHARE))
    window.resizeDocks([frames], [height], Qt.Orientation.Vertical)


def _wanted(dock: QDockWidget) -> QSize:
    """The minimum size of a dock's content, looking through a scroll area around it (the
    area would let it shrink further, but only a too-small screen should make it scroll)."""
    content = dock.widget()
    inner = content.widget() if isinstance(content, QScrollArea) else None
    return (inner or content).minimumSizeHint()


def restore_layout(window: QMainWindow, settings: QSettings) -> bool:
    """Restore the layout saved on this screen; False when there is none."""
    key = screen_key(_screen(window))
    geometry = settings.value(f"{key}/geometry")
    state = settings.value(f"{key}/state")
    if geometry is None or state is None:
        return False
    return bool(window.restoreGeometry(geometry) and window.restoreState(state))


def save_layout(window: QMainWindow, settings: QSettings) -> None:
    key = screen_key(_screen(window))
    settings.setValue(f"{key}/geometry", window.saveGeometry())
    settings.setValue(f"{key}/state", window.saveState())
