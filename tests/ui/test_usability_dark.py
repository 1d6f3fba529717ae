"""With a dark desktop palette the warning red (recording mark, connect failures, clock
drift) is a light red that stays readable, and the window renders at 1366×768."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette

from workbench.ui import theme
from workbench.ui.messages import Failure

DARK = {QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e0e0e0",
        QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.Text: "#e0e0e0",
        QPalette.ColorRole.Button: "#353535", QPalette.ColorRole.ButtonText: "#e0e0e0"}


@pytest.fixture
def dark_palette(qapp):
    before = qapp.palette()
    palette = QPalette(before)
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    qapp.setPalette(palette)
    yield
    qapp.setPalette(before)


def test_dark_window_uses_a_readable_warning_red(dark_palette, make_window, tmp_path) -> None:
    assert theme.is_dark() and theme.warning_colour() == theme.WARNING_DARK
    window = make_window()
    window.resize(1366, 768)
    window.banner.show_failure(Failure("Connect", "no answer", "check the serial"))
    assert theme.WARNING_DARK in window.status_strip.recording_label.styleSheet()
    assert theme.WARNING_DARK in window.banner.message_label.styleSheet()

    target = Path(os.environ.get("WORKBENCH_SCREENSHOTS") or tmp_path) / "dark.png"
    image = window.grab().toImage()
    assert (image.width(), image.height()) == (1366, 768)
    assert image.save(str(target))
    background = QColor(image.pixel(5, 600))  # the dock area, left of the frame log
    assert background.lightness() < 100, "the window did not take the dark palette"


def test_light_palette_keeps_the_dark_red(qapp) -> None:
    if theme.is_dark():
        pytest.skip("the test desktop itself is dark")
    assert theme.warning_colour() == theme.WARNING_LIGHT
