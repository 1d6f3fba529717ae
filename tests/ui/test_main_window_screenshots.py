"""Screenshots of the main views at 1366×768, for the README and for a human to look at.

PNGs go to ``$WORKBENCH_SCREENSHOTS`` (default: the test's tmp_path). Regenerate the
committed ones with:
    WORKBENCH_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/ui/test_main_window_screenshots.py
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import LLS_PASSWORD

SIZE = (1366, 768)


@pytest.fixture
def shots(tmp_path) -> Path:
    target = Path(os.environ.get("WORKBENCH_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    buffer = np.frombuffer(image.constBits(), dtype=np.uint32,
                           count=image.bytesPerLine() * image.height() // 4)
    rows = buffer.reshape(image.height(), image.bytesPerLine() // 4)[:, :image.width()]
    return rows.copy()  # the QImage owns the bits; keep none of them past its lifetime


def _save(window, path: Path) -> np.ndarray:
    """Grab the window, save it as PNG, and check it is a real rendering (not blank).

    A first grab plus an event-loop turn lets posted layout requests (new label texts) and
    pyqtgraph's axis-width adjustment settle, as they would on screen before a repaint.
    """
    window.plot.plot.redraw()
    window.grab()
    for _ in range(3):
        QApplication.processEvents()
    image = window.grab().toImage()
    assert (image.width(), image.height()) == SIZE
    assert image.save(str(path)), f"could not write {path}"
    pixels = _pixels(QImage(str(path)))
    colours = np.unique(pixels)
    assert len(colours) > 20, f"{path.name} looks blank ({len(colours)} colours)"
    return pixels


def _distinct_colours(pixels: np.ndarray, widget, window) -> int:
    """Colours inside ``widget``'s rectangle of the window grab."""
    top_left = widget.mapTo(window, widget.rect().topLeft())
    x, y, w, h = top_left.x(), top_left.y(), widget.width(), widget.height()
    return len(np.unique(pixels[y:y + h, x:x + w]))


def test_screenshots_of_the_main_views(driver, meter, shots):
    window = driver.window
    window.resize(*SIZE)
    window.plot.period_spin.setValue(200)
    driver.connect(meter, 32, LLS_PASSWORD)

    assert driver.read_all("1-1:32.7.0.255").endswith(" V")
    window.tabs.setCurrentWidget(window.browser)
    driver.select_attribute(2)
    objects = _save(window, shots / "objects.png")
    assert _distinct_colours(objects, window.browser.table, window) > 5

    window.tabs.setCurrentWidget(window.plot)
    driver.wait(lambda: window.plot.point_count() >= 40)
    live = _save(window, shots / "live-values.png")
    assert _distinct_colours(live, window.plot.plot, window) > 8  # curves, not just axes

    window.polling_changed.emit(0)
    view = window.profile
    view.from_edit.setDateTime(QDateTime.currentDateTime().addDays(-3))
    window.tabs.setCurrentWidget(view)
    view.read_button.click()
    driver.wait(lambda: view.status.text().startswith("done"))
    assert len(view.model.rows) > 200
    _save(window, shots / "profile.png")

    log = window.frame_log
    row = next(r for r in range(log.model.rowCount())
               if log.model.record(r).direction == "rx" and len(log.model.record(r).raw) > 40)
    log.select_row(row)
    field = log.dissection.index(0, 0, log.dissection.index(0, 0))
    log.tree.setCurrentIndex(field)
    window.tabs.setCurrentWidget(window.browser)
    frames = _save(window, shots / "frame-log.png")
    assert log.hex_view.highlighted()[1] > 0
    assert _distinct_colours(frames, log.hex_view, window) > 3

