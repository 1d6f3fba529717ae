"""Screenshots of the frame log in the real window: 1366x768 at 100 %, 1920x1080 at 150 %.

The frame log must be readable on a small laptop: a whole frame's bytes and its field
names without scrolling sideways. PNGs go to ``$WORKBENCH_SCREENSHOTS`` (default: the
test's tmp_path); the 150 % one is rendered by a child pytest with ``QT_SCALE_FACTOR=1.5``
(Qt reads the factor once, at start-up).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import LLS_PASSWORD

SCREENS = {"1.0": (1366, 768), "1.5": (1920, 1080)}


@pytest.fixture
def shots(tmp_path) -> Path:
    target = Path(os.environ.get("WORKBENCH_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_frame_log_screenshot(driver, meter, shots):
    scale = os.environ.get("QT_SCALE_FACTOR", "1.0")
    width, height = SCREENS.get(scale, SCREENS["1.0"])
    window = driver.window
    window.resize(round(width / float(scale)), round(height / float(scale)))
    driver.connect(meter, 32, LLS_PASSWORD)
    log = window.frame_log
    driver.wait(lambda: log.model.rowCount() >= 6)
    row = max(range(log.model.rowCount()), key=lambda r: len(log.model.record(r).raw)
              if log.model.record(r) and log.model.record(r).direction == "rx" else 0)
    log.select_row(row)
    for _ in range(3):
        QApplication.processEvents()
    path = shots / f"frame-log-{width}x{height}-{scale.replace('.', '')}.png"
    assert window.grab().save(str(path))
    raw = log.model.record(row).raw
    hex_rows = -(-len(raw) // 16)
    visible = log.hex_view.viewport().height() // log.hex_view.fontMetrics().height()
    assert visible >= min(hex_rows, 8), f"hex pane shows {visible} of {hex_rows} rows"
    names = [n.name for r in log.dissection.roots() for n in r.children]
    widest = max(log.tree.fontMetrics().horizontalAdvance(n) for n in names)
    assert log.tree.columnWidth(0) >= widest


@pytest.mark.skipif(os.environ.get("QT_SCALE_FACTOR") is not None, reason="the child run")
def test_frame_log_screenshot_at_150_percent(shots):
    env = {**os.environ, "QT_SCALE_FACTOR": "1.5", "WORKBENCH_SCREENSHOTS": str(shots)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{__file__}::test_frame_log_screenshot"], env=env, capture_output=True, text=True,
        timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-2000:]
    assert (shots / "frame-log-1920x1080-15.png").exists()
