"""Screenshots of the main views on real screen sizes, for the README and for a human to look
at: a 1366×768 laptop at 100 % and a 1920×1080 screen at 150 % (1280×720 logical pixels).

Each size runs in a child pytest on an offscreen screen of exactly that size (the scaling
must be set before the QApplication exists), so the window lays itself out as it would on
that screen. Besides rendering, each shot checks that the state line, the idle countdown and
the meter box are not cut off. PNGs go to ``$WORKBENCH_SCREENSHOTS`` (default: tmp_path);
regenerate the committed ones with:
    WORKBENCH_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/ui/test_main_window_screenshots.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QLabel

from tests.helpers import running_meter
from tests.ui.conftest import LLS_PASSWORD
from workbench.ui.messages import LinkState

SCREENS = {"1366x768": (1366, 768, "1"), "1920x1080@150": (1920, 1080, "1.5")}
README_SCREEN = "1366x768"  # the README's pictures carry no suffix


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


def _name(base: str) -> str:
    screen = os.environ.get("WORKBENCH_SCREEN", README_SCREEN)
    return f"{base}.png" if screen == README_SCREEN else f"{base}-{screen}.png"


def _save(window, path: Path) -> np.ndarray:
    """Grab the window, save it as PNG, and check it is a real rendering of the whole screen.

    A first grab plus an event-loop turn lets posted layout requests (new label texts) and
    pyqtgraph's axis-width adjustment settle, as they would on screen before a repaint.
    """
    window.grab()
    for _ in range(3):
        QApplication.processEvents()
    image = window.grab().toImage()
    screen = QGuiApplication.primaryScreen()
    expected = screen.availableGeometry().size() * screen.devicePixelRatio()
    spare = (expected.width() - image.width(), expected.height() - image.height())
    assert min(spare) >= 0 and max(spare) <= 8, spare  # the screen, less its window frame
    assert image.save(str(path)), f"could not write {path}"
    pixels = _pixels(QImage(str(path)))
    assert len(np.unique(pixels)) > 20, f"{path.name} looks blank"
    return pixels


def _not_cut(*labels: QLabel) -> None:
    """Each label shows its whole text: as wide as it wants, or wrapping it."""
    for label in labels:
        if label.isVisible() and label.text() and not label.wordWrap():
            assert label.width() >= label.sizeHint().width() - 1, (label.text(), label.width())


def _distinct_colours(pixels: np.ndarray, widget, window) -> int:
    ratio = window.devicePixelRatioF()
    top_left = widget.mapTo(window, widget.rect().topLeft())
    x, y = int(top_left.x() * ratio), int(top_left.y() * ratio)
    w, h = int(widget.width() * ratio), int(widget.height() * ratio)
    return len(np.unique(pixels[y:y + h, x:x + w]))


@pytest.mark.skipif(os.environ.get("WORKBENCH_SCREEN") is None, reason="runs in the child")
def test_screenshots_of_the_main_views(driver, meter, shots):
    window = driver.window
    window.showMaximized()
    window.plot.period_spin.setValue(200)
    driver.connect(meter, 32, LLS_PASSWORD)
    strip = window.status_strip
    driver.wait(lambda: "within 1 s" in window.meter_box.text("clock"))
    driver.wait(lambda: strip.idle_label.text())

    assert driver.read_all("1-1:32.7.0.255").endswith(" V")
    driver.select_attribute(2)
    objects = _save(window, shots / _name("objects"))
    _not_cut(strip.state_label, strip.idle_label, strip.notice_label)
    assert _distinct_colours(objects, window.meter_box, window) > 5  # the meter box is drawn

    window.tabs.setCurrentWidget(window.plot)
    driver.wait(lambda: window.plot.point_count() >= 40)
    _save(window, shots / _name("live-values"))

    view = window.profile
    view.from_edit.setDateTime(QDateTime.currentDateTime().addDays(-3))
    window.tabs.setCurrentWidget(view)
    view.read_button.click()
    driver.wait(lambda: view.status.text().startswith("done"))
    _save(window, shots / _name("profile"))

    log = window.frame_log
    row = next(r for r in range(log.model.rowCount())
               if log.model.record(r).direction == "rx" and len(log.model.record(r).raw) > 40)
    log.select_row(row)
    log.tree.setCurrentIndex(log.dissection.index(0, 0, log.dissection.index(0, 0)))
    window.tabs.setCurrentWidget(window.browser)
    frames = _save(window, shots / _name("frame-log"))
    assert _distinct_colours(frames, log.hex_view, window) > 3


@pytest.mark.skipif(os.environ.get("WORKBENCH_SCREEN") is None, reason="runs in the child")
def test_screenshots_of_retries_and_a_failure(driver, shots):
    window = driver.window
    window.showMaximized()
    with running_meter(password=LLS_PASSWORD, faults=("drop-mid-block",)) as broken:
        driver.click_connect(broken, 32, LLS_PASSWORD)
        driver.wait(lambda: driver.failures)
        driver.wait(lambda: driver.state is LinkState.CLOSED)
        _save(window, shots / _name("failure"))
        assert window.banner.retry_button.isVisible()
    window.disconnect_meter()
    driver.wait(lambda: window.connection.connect_button.isEnabled())
    with running_meter(password=LLS_PASSWORD) as meter:
        window.connection.serial_edit.setText("000019009999")
        window.connection.timeout_spin.setValue(0.5)
        driver.click_connect(meter, 32, LLS_PASSWORD)
        driver.wait(lambda: "attempt 2 of 4" in window.status_strip.state_label.text())
        _save(window, shots / _name("connecting"))
        _not_cut(window.status_strip.state_label)
        window.disconnect_meter()
        driver.wait(lambda: window.connection.connect_button.isEnabled())


def run_on_screen(test_file: str, screen: str, shots: Path, tmp_path: Path) -> None:
    """Run ``test_file``'s child tests in a fresh process on a virtual ``screen`` (size and
    scale are fixed at start-up in Qt, so each screen needs its own process)."""
    width, height, scale = SCREENS[screen]
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96,
                                               "dpr": 1}]}))
    env = dict(os.environ, QT_SCALE_FACTOR=scale, WORKBENCH_SCREEN=screen,
               WORKBENCH_SCREENSHOTS=str(shots),
               QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test_file],
        env=env, capture_output=True, text=True, timeout=300, check=False)
    assert child.returncode == 0, child.stdout[-4000:] + child.stderr[-2000:]
    assert "2 passed" in child.stdout, child.stdout[-2000:]


@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.skipif(os.environ.get("WORKBENCH_SCREEN") is not None, reason="the child run")
def test_screenshots_on_each_screen(shots, tmp_path, screen) -> None:
    run_on_screen(__file__, screen, shots, tmp_path)
    assert (shots / ("objects.png" if screen == README_SCREEN
                     else f"objects-{screen}.png")).stat().st_size > 10_000
