"""The clock workflow: the meter box shows the meter's clock as it is now (re-read after a
clock write and at each keepalive), drift stated no finer than the clock allows, and Sync
shows the drift before, writes the time of the moment of sending and shows the drift after.
"""

from __future__ import annotations

import datetime as dt
import re
import time

from tests.helpers import running_meter
from tests.ui.conftest import LLS_PASSWORD
from workbench.protocol.axdr import CosemDateTime, Data
from workbench.session.clock import ClockReading
from workbench.ui import dialogs, meter_clock
from workbench.ui.messages import ActionRequest, AttributeRef

BEHIND_S = 30
BEHIND = re.compile(r"\b(29|30|31)(\.\d)? s behind this PC")


def _meter_30_s_behind():
    return running_meter(password=LLS_PASSWORD, time_source=lambda: time.time() - BEHIND_S)


def test_sync_clock_shows_drift_before_and_after_and_sends_the_time_of_sending(
        driver, monkeypatch):
    with _meter_30_s_behind() as meter:
        driver.connect(meter, 32, LLS_PASSWORD)
        window = driver.window
        driver.wait(lambda: BEHIND.search(window.meter_box.text("clock")))
        questions: list[str] = []

        def slow_confirmation(_parent, _title, question) -> bool:
            questions.append(question)
            time.sleep(2.5)  # the engineer reads the question before pressing Yes
            return True

        monkeypatch.setattr(dialogs, "confirm", slow_confirmation)
        window.meter_actions.sync_clock.trigger()

        assert questions and BEHIND.search(questions[0]), questions
        driver.wait(lambda: "Meter clock set" in window.status_strip.notice())
        notice = window.status_strip.notice()
        assert BEHIND.search(notice.split("after:")[0]), notice
        # a time taken before the dialog would leave the meter 2.5 s behind
        assert "after: within 1 s of this PC" in notice, notice
        assert "within 1 s of this PC" in window.meter_box.text("clock")


def test_a_clock_shift_is_shown_at_once(driver):
    with running_meter(password=LLS_PASSWORD) as meter:
        driver.connect(meter, 32, LLS_PASSWORD)
        window = driver.window
        driver.wait(lambda: "within 1 s" in window.meter_box.text("clock"))

        window.send(ActionRequest(AttributeRef(8, "0-0:1.0.0.255", 6), Data.i16(-30)))

        driver.wait(lambda: BEHIND.search(window.meter_box.text("clock")))
        assert not driver.failures


def test_sync_is_refused_to_the_public_client_with_the_reason(driver, meter):
    driver.connect(meter)
    action = driver.window.meter_actions.sync_clock
    assert not action.isEnabled()
    assert "read-only" in action.toolTip()


def _reading(drift: float | None, resolution: float = 1.0) -> ClockReading:
    stamp = CosemDateTime(2026, 11, 26, 12, 0, 0, None, 4, None, None)
    pc = dt.datetime(2026, 11, 26, 12, 0, 0).astimezone()
    return ClockReading(stamp, pc, drift, 0.02, resolution)


def test_drift_is_said_as_a_sentence_about_this_pc() -> None:
    assert meter_clock.drift_text(_reading(0.6)) == "within 1 s of this PC"
    assert meter_clock.drift_text(_reading(-31.1)) == "31.1 s behind this PC"
    assert meter_clock.drift_text(_reading(3.2)) == "3.2 s ahead of this PC"
    assert meter_clock.drift_text(_reading(None)).startswith("drift unknown")
