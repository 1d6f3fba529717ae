"""The real window against the simulated meter: live polling runs only while the Live tab
is shown (or kept on by choice), Start/Stop works, and a removed series is no longer polled."""

from __future__ import annotations

import numpy as np

FAST_POLL_MS = 200


def _points(window) -> int:
    return window.plot.point_count()


def test_no_polling_until_the_live_tab_is_shown(driver, meter, qtbot) -> None:
    window = driver.window
    window.plot.period_spin.setValue(FAST_POLL_MS)
    periods: list[int] = []
    window.polling_changed.connect(periods.append)
    driver.connect(meter)
    qtbot.wait(5 * FAST_POLL_MS)  # five periods in the Objects tab
    assert _points(window) == 0 and periods == []

    window.tabs.setCurrentWidget(window.plot)
    driver.wait(lambda: _points(window) >= 10)
    assert periods == [FAST_POLL_MS]

    window.tabs.setCurrentWidget(window.profile)
    assert periods == [FAST_POLL_MS, 0]
    qtbot.wait(FAST_POLL_MS)  # a sample already on its way may still land
    settled = _points(window)
    qtbot.wait(5 * FAST_POLL_MS)
    assert _points(window) == settled


def test_stop_ends_polling_and_start_resumes(driver, meter, qtbot) -> None:
    window = driver.window
    window.plot.period_spin.setValue(FAST_POLL_MS)
    window.tabs.setCurrentWidget(window.plot)
    driver.connect(meter)
    driver.wait(lambda: _points(window) >= 5)

    window.plot.start_button.click()
    assert window.plot.polling_period() == 0
    qtbot.wait(FAST_POLL_MS)
    stopped_at = _points(window)
    qtbot.wait(5 * FAST_POLL_MS)
    assert _points(window) == stopped_at

    window.plot.start_button.click()
    driver.wait(lambda: _points(window) > stopped_at + 5)


def test_a_removed_series_is_no_longer_polled(driver, meter) -> None:
    window = driver.window
    window.plot.period_spin.setValue(FAST_POLL_MS)
    window.tabs.setCurrentWidget(window.plot)
    driver.connect(meter)
    driver.wait(lambda: "Voltage L1" in window.plot.plot.series_names())

    window.plot.plot._series["Voltage L1"].close_button.click()

    assert "Voltage L1" not in window.plot.plot.series_names()
    before = _points(window)
    driver.wait(lambda: _points(window) >= before + 12)  # 3 polls of the 4 others
    assert "Voltage L1" not in window.plot.plot.series_names()
    _t, current = window.plot.plot.data("Current L1")
    assert np.isfinite(current).sum() >= 3
