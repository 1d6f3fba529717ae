"""Connection progress events, the meter's own idle time-out, the clock and its sync."""

from __future__ import annotations

import threading
import time

import pytest

from tests.helpers import running_meter
from tests.session.conftest import settings_for
from workbench.session.client import DlmsClient
from workbench.session.errors import NoResponse
from workbench.session.progress import ConnectProgress, ConnectStep


def test_connect_reports_tcp_hdlc_association_in_order(meter) -> None:
    steps: list[ConnectProgress] = []
    with DlmsClient(settings_for(meter), on_progress=steps.append):
        pass
    assert [p.step for p in steps] == [ConnectStep.TCP, ConnectStep.HDLC,
                                       ConnectStep.ASSOCIATION, ConnectStep.ASSOCIATED]
    assert {p.attempt for p in steps} == {1} and steps[0].attempts == 4


def test_retries_are_counted_and_explained(meter) -> None:
    steps: list[ConnectProgress] = []
    client = DlmsClient(settings_for(meter, physical=4321, timeout=0.2, retries=2),
                        on_progress=steps.append)
    with pytest.raises(NoResponse):
        client.connect()
    hdlc = [p for p in steps if p.step is ConnectStep.HDLC]
    assert [(p.attempt, p.attempts) for p in hdlc] == [(1, 3), (2, 3), (3, 3)]
    waiting = [p for p in steps if p.step is ConnectStep.WAITING]
    assert len(waiting) == 2 and "nothing at all arrived" in waiting[0].detail
    assert hdlc[1].describe().startswith("opening the HDLC link (SNRM), attempt 2 of 3")


def test_cancel_during_connect_retries_stops_them_at_once(meter) -> None:
    client = DlmsClient(settings_for(meter, physical=4321, timeout=5.0, retries=5))
    outcome: list[BaseException] = []

    def connect() -> None:
        try:
            client.connect()
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=connect)
    worker.start()
    threading.Timer(0.3, client.cancel).start()
    worker.join(10)  # hang guard: the retries alone would take 30 s
    assert not worker.is_alive() and type(outcome[0]).__name__ == "Cancelled"


def test_idle_timeout_comes_from_the_meter_when_it_has_one() -> None:
    with running_meter(idle_timeout=45) as meter, \
            DlmsClient(settings_for(meter, keepalive=120)) as client:
        assert client.info is not None and client.info.idle_timeout is None
        info = client.read_idle_timeout()
        assert (info.idle_timeout, info.idle_timeout_source) == (45.0, "meter")
        assert client.next_keepalive <= 30.0  # two thirds of 45 s, not the configured 120


def test_keepalive_clock_read_is_exposed_with_drift() -> None:
    seen = []
    with running_meter() as meter, DlmsClient(settings_for(meter, keepalive=0.01)) as client:
        client.on_clock = seen.append
        time.sleep(0.05)
        assert client.poll()
    assert seen and seen[0] is client.last_clock
    assert seen[0].drift is not None and seen[0].describe_drift() == "within 1 s"


def test_sync_writes_the_time_and_reports_drift_before_and_after() -> None:
    with running_meter(time_source=lambda: 1.8e9) as meter:
        settings = settings_for(meter, client=1, password="right")
        with DlmsClient(settings) as client:
            result = client.sync_clock()
    assert result.before.drift is not None and abs(result.before.drift) > 1e6  # year 2027
    assert result.after.drift is not None and abs(result.after.drift) < 2
    assert result.after.describe_drift() == "within 1 s"
