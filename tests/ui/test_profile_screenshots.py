"""Screenshots of the live values and the profile view (scaled values, per-interval plot),
at 1366×768 and at 1920×1080 with 150 % scaling, for a human to look at.

PNGs go to ``$WORKBENCH_SCREENSHOTS`` (default: the test's tmp_path). 150 % scaling must be
set before the QApplication exists, so that run is a child pytest with QT_SCALE_FACTOR=1.5.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import LLS_PASSWORD

SCREENS = {"1366x768": (1366, 768, "1"), "1920x1080@150": (1920, 1080, "1.5")}


@pytest.fixture
def shots(tmp_path) -> Path:
    target = Path(os.environ.get("WORKBENCH_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def _save(window, path: Path, size: tuple[int, int]) -> None:
    window.plot.plot.redraw()
    window.grab()
    for _ in range(3):
        QApplication.processEvents()
    image = window.grab().toImage()
    assert (image.width(), image.height()) == size, (image.width(), image.height())
    assert image.save(str(path))


def _screen() -> tuple[str, tuple[int, int], float]:
    name = os.environ.get("WORKBENCH_SCREEN", "1366x768")
    width, height, scale = SCREENS[name]
    return name, (width, height), float(scale)


def test_live_and_profile_views(driver, meter, shots) -> None:
    name, size, scale = _screen()
    window = driver.window
    window.resize(round(size[0] / scale), round(size[1] / scale))
    window.plot.period_spin.setValue(200)
    window.tabs.setCurrentWidget(window.plot)
    driver.connect(meter, 32, LLS_PASSWORD)
    for obis, label in (("1-1:14.7.0.255", "Frequency"), ("1-1:13.7.0.255", "Power factor")):
        window.plot.add_register(3, obis, label)
    driver.wait(lambda: window.plot.point_count() >= 60)
    _save(window, shots / f"live-values-{name}.png", size)

    view = window.profile
    view.from_edit.setDateTime(QDateTime.currentDateTime().addDays(-2))
    window.tabs.setCurrentWidget(view)
    view.read_button.click()
    driver.wait(lambda: view.status.text().startswith("done"))
    _save(window, shots / f"profile-table-{name}.png", size)
    view.pages.setCurrentWidget(view.plot_page)
    _save(window, shots / f"profile-plot-{name}.png", size)
    window.tabs.setCurrentWidget(window.browser)
    driver.read_all("0-0:96.3.10.255", attribute=3)
    _save(window, shots / f"values-{name}.png", size)


@pytest.mark.skipif(os.environ.get("WORKBENCH_SCREEN") is not None, reason="the child run")
def test_the_same_at_150_percent_on_1920x1080(shots) -> None:
    env = dict(os.environ, QT_SCALE_FACTOR="1.5", WORKBENCH_SCREEN="1920x1080@150",
               WORKBENCH_SCREENSHOTS=str(shots), QT_QPA_PLATFORM="offscreen")
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{__file__}::test_live_and_profile_views"],
        env=env, capture_output=True, text=True, timeout=300, check=False)
    assert child.returncode == 0, child.stdout[-3000:] + child.stderr[-2000:]
    assert (shots / "profile-table-1920x1080@150.png").stat().st_size > 10_000
