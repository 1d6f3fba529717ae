"""Every action can be stopped: Cancel (Esc) and Disconnect interrupt what runs, drop what
is queued (a write queued behind a long read never reaches the meter), stop the probe, and
leave the window in a consistent state. Ctrl+K on an open session does not reconnect.

Bounds are on outcomes (states, counts), with generous hang guards, never on speed.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.helpers import running_meter
from tests.ui.conftest import LLS_PASSWORD
from workbench.protocol.axdr import Data
from workbench.ui.messages import (
    AttributeRef,
    ConnectRequest,
    LinkState,
    ProbeRequest,
    ProfileRequest,
    WriteRequest,
)

LOAD_PROFILE = "1-0:99.1.0.255"
DEVIATION = AttributeRef(8, "0-0:1.0.0.255", 7)


def _busy(window) -> bool:
    return window.status_strip.cancel_button.isVisible()


def _long_profile_read(window) -> None:
    start = dt.datetime.now() - dt.timedelta(days=60)
    window.send(ProfileRequest(LOAD_PROFILE, start, dt.datetime.now()))


def test_cancel_stops_a_profile_read_and_drops_the_queued_write(driver):
    with running_meter(password=LLS_PASSWORD, rtt_ms=15) as slow:
        driver.connect(slow, 32, LLS_PASSWORD)
        window = driver.window
        notices: list[str] = []
        window.worker.notice.connect(notices.append)
        _long_profile_read(window)
        driver.wait(lambda: len(window.profile.model.rows) > 0)
        assert _busy(window) and window.meter_actions.cancel.isEnabled()
        window.send(WriteRequest(DEVIATION, Data.i8(15)))  # queued behind the read

        QTest.keyClick(window, Qt.Key.Key_Escape)  # Meter → Cancel

        driver.wait(lambda: not _busy(window))
        driver.wait(lambda: "cancelled" in window.status_strip.notice())
        assert not driver.failures, "a cancel is not a failure"
        assert not window.meter_actions.cancel.isEnabled()
        assert driver.state in (LinkState.CLOSED, LinkState.ASSOCIATED)
        if driver.state is LinkState.CLOSED:
            assert "next request reconnects" in window.status_strip.state_label.text()
        # the session still works, and the write queued before the cancel never ran
        assert driver.read_all("0-0:1.0.0.255", 7) == "60"
        assert not any(n.startswith("wrote") for n in notices), notices


def test_disconnect_during_a_read_returns_to_a_consistent_state(driver):
    with running_meter(password=LLS_PASSWORD, rtt_ms=15) as slow:
        driver.connect(slow)
        window = driver.window
        _long_profile_read(window)
        driver.wait(lambda: len(window.profile.model.rows) > 0)

        window.connection.disconnect_button.click()

        driver.wait(lambda: driver.state is LinkState.DISCONNECTED)
        driver.wait(lambda: not _busy(window))
        assert window.connection.connect_button.isEnabled()
        assert not window.connection.disconnect_button.isEnabled()
        assert window.meter_actions.connect.isEnabled()
        assert not window.meter_actions.read.isEnabled()
        assert "Connect first" in window.meter_actions.read.toolTip()
        assert not driver.failures


def test_ctrl_k_on_an_open_session_does_not_reconnect(driver, meter):
    driver.connect(meter)
    window = driver.window
    sent: list = []
    window.request_sent.connect(sent.append)

    QTest.keySequence(window, "Ctrl+K")

    assert not window.meter_actions.connect.isEnabled()
    assert "Disconnect first" in window.meter_actions.connect.toolTip()
    assert not [r for r in sent if isinstance(r, ConnectRequest)]
    assert driver.state is LinkState.ASSOCIATED


def test_the_probe_can_be_cancelled(driver, meter):
    window = driver.window
    host, port = meter.address
    window.connection.set_endpoint(host, port)
    window.connection.serial_edit.setText("000019009999")
    window.connection.timeout_spin.setValue(2.0)
    reports: list[str] = []
    window.worker.probe_finished.connect(reports.append)
    window.connection.probe_button.click()
    driver.wait(lambda: _busy(window))
    assert "Probing" in window.status_strip.activity_label.text()

    window.status_strip.cancel_button.click()

    driver.wait(lambda: not _busy(window))
    driver.wait(lambda: "Probe cancelled" in window.status_strip.notice())
    assert not reports and not driver.failures
    # and the next probe runs to the end: the cancel does not stick
    window.connection.serial_edit.setText("000019001234")
    window.connection.timeout_spin.setValue(1.0)
    window.send(ProbeRequest(window.connection.settings()))
    driver.wait(lambda: reports)
    assert "associated" in reports[-1]
