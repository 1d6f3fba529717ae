"""The window tells the truth about the link: one permanent state line, attempts counted,
old errors cleared by a new attempt, a failure while connected kept with Retry, the meter
box fed by what the meter said (its idle time-out, its clock), the title naming the meter.

The real MainWindow against the simulated meter over loopback TCP; every wait is bounded.
"""

from __future__ import annotations

import socket

from tests.helpers import running_meter
from tests.ui.conftest import LLS_PASSWORD
from workbench.simulator.config import MeterConfig
from workbench.simulator.server import MeterServer
from workbench.ui.messages import LinkState, ObjectListRequest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_new_attempt_clears_the_old_error_and_the_state_line_stays(driver, meter):
    window = driver.window
    window.connection.set_endpoint("127.0.0.1", _free_port())  # nothing listens there
    window.connection.connect_button.click()
    driver.wait(lambda: driver.failures)
    assert "Connect failed" in window.banner.message_label.text()
    driver.wait(lambda: driver.state is LinkState.DISCONNECTED)

    driver.failures.clear()
    driver.click_connect(meter)
    assert not window.banner.isVisible(), "the old error must go when a new attempt starts"
    driver.connect(meter)
    window.status_strip.show_notice("a temporary notice")
    assert "✔ Association" in window.status_strip.state_label.text()  # never covered
    assert window.status_strip.state_label.isVisible()
    assert "refused" not in window.status_strip.state_label.text().lower()


def test_connect_steps_and_attempts_are_shown_and_disconnect_stops_the_retries(driver, meter):
    window = driver.window
    window.connection.serial_edit.setText("000019009999")  # a physical address nobody has
    window.connection.timeout_spin.setValue(0.5)
    driver.click_connect(meter)

    driver.wait(lambda: "attempt 2 of 4" in window.status_strip.state_label.text())
    window.connection.disconnect_button.click()

    driver.wait(lambda: driver.state is LinkState.DISCONNECTED)
    driver.wait(lambda: window.connection.connect_button.isEnabled())
    assert not driver.failures, "a connect stopped by the user is not a failure"
    attempts = [s.attempt for s in driver.statuses if s.attempt]
    assert attempts and max(attempts) < 4, attempts  # stopped before the last attempt
    assert [s.state for s in driver.statuses].count(LinkState.TCP) >= 1  # steps are shown


def test_the_object_list_lost_mid_block_stays_on_screen_with_retry(driver):
    port = _free_port()
    broken = MeterServer(MeterConfig(password=LLS_PASSWORD, faults=("drop-mid-block",)),
                         "127.0.0.1", port).start()
    try:
        driver.click_connect(broken)
        driver.wait(lambda: driver.failures)
    finally:
        broken.stop()
    window = driver.window
    failure = driver.failures[-1]
    assert failure.action == "Read object list"
    assert isinstance(failure.retry, ObjectListRequest)
    assert window.banner.isVisible() and window.banner.retry_button.isVisible()
    hint = window.banner.hint_label.text()
    assert "middle of read object list" in hint and "180" not in hint, hint
    assert window.browser.model.rowCount() == 0

    healthy = MeterServer(MeterConfig(password=LLS_PASSWORD), "127.0.0.1", port).start()
    try:
        window.banner.retry_button.click()
        assert not window.banner.isVisible()
        driver.wait(lambda: window.browser.model.rowCount() > 0)
        driver.wait(lambda: driver.state is LinkState.ASSOCIATED)
    finally:
        healthy.stop()


def test_the_idle_countdown_uses_the_meters_own_timeout(driver):
    with running_meter(password=LLS_PASSWORD, idle_timeout=45) as meter:
        driver.connect(meter)
        window = driver.window
        driver.wait(lambda: "45 s" in window.meter_box.text("idle"))
        assert "IEC HDLC setup" in window.meter_box.text("idle")
        driver.wait(lambda: "(meter: 45 s)" in window.status_strip.idle_label.text())
        status = driver.statuses[-1]
        assert status.idle_from_meter and status.idle_limit == 45
        assert status.next_keepalive - status.last_activity <= 30 + 1e-6  # kept alive in time


def test_the_title_names_the_meter_and_the_meter_box_shows_link_and_clock(driver, meter):
    driver.connect(meter, 32, LLS_PASSWORD)
    window = driver.window
    driver.wait(lambda: window.windowTitle().startswith("meter 000019001234 — "))
    driver.wait(lambda: "within 1 s of this PC" in window.meter_box.text("clock"))
    assert "window" in window.meter_box.text("link")


def test_a_silent_meter_offers_the_probe_button_not_a_command(make_window):
    from workbench.session.errors import NoResponse
    from workbench.ui.failures import failure_from

    failure = failure_from("Connect", NoResponse("no answer from the meter within 5 s"),
                           connecting=True)
    assert failure.offer_probe and "Press Probe" in failure.hint
    assert "workbench probe" not in failure.hint and "`" not in failure.hint
    window = make_window()
    window.banner.show_failure(failure)
    assert window.banner.probe_button.isVisible()
    probes: list = []
    window.request_sent.connect(probes.append)
    window.banner.probe_button.click()
    assert [type(r).__name__ for r in probes] == ["ProbeRequest"]
    window.cancel()  # stop the scan the test started
