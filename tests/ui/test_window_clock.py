"""The clock workflow: the meter box shows the meter's clock as it is now (re-read after a
clock write and at each keepalive), drift stated no finer than the clock allows, and Sync
shows the drift before, writes the time of the moment of sending and shows the drift after.
"""

from __future__ import annotations

import re
import time

from tests.helpers import running_meter
from tests.ui.conftest import LLS_PASSWORD
from workbench.protocol.axdr import CosemDateTime, Data
from workbench.ui import dialogs, meter_clock
from workbench.ui.messages import ActionRequest, AttributeRef, ClockReading

BEHIND_S = 30
BEHIND = re.compile(r"\b(29|30|31) s behind this PC")


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


def test_drift_is_not_stated_finer_than_the_clock_and_the_round_trip() -> None:
    whole_seconds = CosemDateTime(2026, 11, 26, 12, 0, 0, None, 4, None, None)
    moment = whole_seconds.to_datetime().timestamp()
    near = meter_clock.reading_of(whole_seconds, moment + 0.59, moment + 0.61)
    assert meter_clock.drift_text(near) == "within 1 s of this PC"
    far = meter_clock.reading_of(whole_seconds, moment + 31.0, moment + 31.2)
    assert meter_clock.drift_text(far) == "31 s behind this PC (±1.1 s)"
    assert meter_clock.drift_text(ClockReading("?")).startswith("drift unknown")
