"""The window over time: live polling, a dropped link, the frame log, profile reads, closing.

The meter is real (loopback TCP); a dropped link is the meter going away (server stopped)
and coming back on the same port, as when a modem reboots.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PySide6.QtCore import QDateTime

from tests.helpers import running_meter
from tests.ui.conftest import LLS_PASSWORD
from workbench.simulator.config import MeterConfig
from workbench.simulator.server import MeterServer
from workbench.ui.messages import LinkState

VOLTAGE_SERIES = "Voltage L1"
FAST_POLL_MS = 200


def _finite_points(window, series: str = VOLTAGE_SERIES) -> int:
    if series not in window.plot.plot.series_names():
        return 0
    _t, values = window.plot.plot.data(series)
    return int(np.isfinite(values).sum())


def test_live_plot_receives_polled_values(driver, meter):
    driver.window.plot.period_spin.setValue(FAST_POLL_MS)
    driver.window.tabs.setCurrentWidget(driver.window.plot)  # polls only while shown
    driver.connect(meter)

    driver.wait(lambda: _finite_points(driver.window) >= 3)

    times, volts = driver.window.plot.plot.data(VOLTAGE_SERIES)
    assert np.all(np.diff(times) > 0)
    assert np.all((volts > 100) & (volts < 300)), volts
    assert {"Voltage L1", "Current L1", "P+"} <= set(driver.window.plot.plot.series_names())
    assert "samples" in driver.window.plot.count_label.text()


def test_default_one_second_polling_is_not_starved_by_status_updates(driver, meter):
    """The worker repeats its ASSOCIATED status every second; that must not restart the poll
    timer (a 1 s timer restarted about every second seldom gets to fire)."""
    assert driver.window.plot.period_ms() == 1000
    driver.window.tabs.setCurrentWidget(driver.window.plot)  # polls only while shown
    timer_starts: list[int] = []
    driver.window.polling_changed.connect(timer_starts.append)
    driver.connect(meter)

    def status_repeated_and_samples_came() -> None:
        associated = [s for s in driver.statuses if s.state is LinkState.ASSOCIATED]
        assert len(associated) >= 4, f"only {len(associated)} ASSOCIATED statuses so far"
        assert _finite_points(driver.window) >= 3, f"{_finite_points(driver.window)} samples"

    # about 4 s here; the bound is a hang guard for a loaded CI machine, not a speed target
    driver.wait(status_repeated_and_samples_came, timeout=40_000)
    assert timer_starts == [1000], "the poll timer must start once per association"
    times, _volts = driver.window.plot.plot.data(VOLTAGE_SERIES)
    assert np.all(np.diff(times) > 0)


def test_dropped_link_shows_a_gap_then_reconnects(driver):
    first = running_meter(password=LLS_PASSWORD)
    server = first.__enter__()
    port = server.address[1]
    driver.window.plot.period_spin.setValue(FAST_POLL_MS)
    driver.window.tabs.setCurrentWidget(driver.window.plot)  # polls only while shown
    driver.connect(server)
    driver.wait(lambda: _finite_points(driver.window) >= 2)

    first.__exit__(None, None, None)  # the meter goes away
    driver.wait(lambda: np.isnan(driver.window.plot.plot.data(VOLTAGE_SERIES)[1]).any())
    driver.wait(lambda: driver.failures)
    assert driver.failures[-1].action == "Live values"
    assert driver.window.connection.disconnect_button.isEnabled()  # still our session
    before = _finite_points(driver.window)

    back = MeterServer(MeterConfig(password=LLS_PASSWORD), "127.0.0.1", port).start()
    try:
        driver.wait(lambda: _finite_points(driver.window) > before)
        # the sample and the status come as two signals: the status may trail the point
        driver.wait(lambda: driver.state is LinkState.ASSOCIATED)
        states = [s.state for s in driver.statuses]
        assert LinkState.RECONNECTING in states[states.index(LinkState.ASSOCIATED):]
        log = driver.window.frame_log.model
        summaries = [log.index(r, 3).data() for r in range(log.rowCount())]
        lost = [i for i, s in enumerate(summaries) if s.startswith("⏸ link lost")]
        resumed = [i for i, s in enumerate(summaries) if s == "⏸ link resumed"]
        assert lost and resumed and lost[0] < resumed[-1], summaries[-12:]
        _t, values = driver.window.plot.plot.data(VOLTAGE_SERIES)
        gap = int(np.flatnonzero(np.isnan(values))[0])
        assert np.isfinite(values[:gap]).all() and np.isfinite(values[-1])
    finally:
        driver.window.polling_changed.emit(0)
        back.stop()


def test_frame_log_fills_and_a_field_highlights_its_bytes(driver, meter):
    driver.connect(meter, 32, LLS_PASSWORD)
    log = driver.window.frame_log
    driver.wait(lambda: log.model.rowCount() >= 6)  # SNRM, UA, AARQ, AARE, object list...

    summaries = [log.model.record(r) for r in range(log.model.rowCount())]
    assert summaries[0].direction == "tx"
    aarq_row = next(r for r, rec in enumerate(summaries) if rec.direction == "tx"
                    and LLS_PASSWORD.encode() in rec.raw)
    log.select_row(aarq_row)
    assert log.hex_view.data() == summaries[aarq_row].raw
    secret = [off for off in range(len(summaries[aarq_row].raw)) if log.hex_view.is_masked(off)]
    assert secret, "the LLS password bytes must be masked in the hex view"

    root = log.dissection.index(0, 0)
    child = log.dissection.index(0, 0, root)
    assert child.isValid()
    log.tree.setCurrentIndex(child)
    offset, length = log.hex_view.highlighted()
    span = log.dissection.data(child, log.dissection.SpanRole)
    assert (offset, length) == tuple(span) and length > 0


def _read_whole_profile(window) -> None:
    view = window.profile
    view.from_edit.setDateTime(QDateTime.currentDateTime().addDays(-60))
    view.to_edit.setDateTime(QDateTime.currentDateTime())
    window.tabs.setCurrentWidget(view)
    view.read_button.click()


def test_profile_read_can_be_cancelled_and_keeps_its_rows(driver):
    with running_meter(password=LLS_PASSWORD, rtt_ms=15) as slow:
        driver.connect(slow)
        view = driver.window.profile
        _read_whole_profile(driver.window)
        assert view.cancel_button.isEnabled() and not view.read_button.isEnabled()
        driver.wait(lambda: len(view.model.rows) > 0)

        view.cancel_button.click()

        driver.wait(lambda: view.read_button.isEnabled())
        kept = len(view.model.rows)
        assert view.status.text() == f"cancelled — {kept} rows kept"
        assert 0 < kept < 60 * 96
        assert not driver.failures, "a cancel is not a failure"
        assert isinstance(view.model.rows[0][0], dt.datetime)
        # The session is still usable after the cancel: the next read reconnects if needed.
        assert driver.read_all("1-1:32.7.0.255").endswith(" V")
        assert len(view.model.rows) == kept


@pytest.mark.timeout(30)
def test_closing_the_window_mid_read_is_clean(make_window, qtbot, qtlog):
    window = make_window()
    from tests.ui.conftest import WindowDriver

    driver = WindowDriver(window, qtbot)
    with running_meter(password=LLS_PASSWORD, rtt_ms=15) as slow:
        driver.connect(slow)
        _read_whole_profile(window)
        driver.wait(lambda: len(window.profile.model.rows) > 0)

        window.close()  # a hang here is caught by the timeout mark (it takes well under 1 s)

    assert not window.thread_.isRunning()
    assert not driver.failures  # the cancel caused by closing is not reported as a failure
    bad = [r.message for r in qtlog.records if "propagateSizeHints" not in r.message]
    assert not bad, bad


def test_a_register_added_from_the_browser_is_polled_and_plotted(driver, meter):
    driver.window.plot.period_spin.setValue(FAST_POLL_MS)
    driver.connect(meter)
    driver.select("1-1:14.7.0.255")
    entry = driver.window.browser.current_entry()
    label = "Supply frequency"

    driver.window.browser.plot_requested.emit((entry.class_id, str(entry.obis), label))

    assert driver.window.tabs.currentWidget() is driver.window.plot
    driver.wait(lambda: _finite_points(driver.window, label) >= 2)
    _t, hertz = driver.window.plot.plot.data(label)
    assert np.all((hertz[np.isfinite(hertz)] > 45) & (hertz[np.isfinite(hertz)] < 55))
