"""Faults, drops, idle timeouts and cancel: every case ends in recovery or a typed error.

The simulator's faults act per TCP connection, so a reconnect restarts their frame count.
A fault that strikes at the same point of every connection (drop-frame:7) could never be
outrun by reconnecting; the HDLC link repairs it in place (RR poll, resent frames), so lost
and broken frames end in recovery without a reconnect. Silence that outlasts the link-level
retries still ends in NoResponse after a bounded number of tries, each visible in the trace.
How long any of this takes on a given machine is bench/session.py's business, not a test's.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Callable

import pytest

from tests.helpers import running_meter, wait_until
from tests.session.conftest import settings_for
from workbench.protocol.apdu import AttributeDescriptor, MethodDescriptor
from workbench.protocol.axdr import Data, as_datetime
from workbench.protocol.cosem import Obis
from workbench.session.client import DlmsClient
from workbench.session.errors import Cancelled, NoResponse
from workbench.session.profile import Row
from workbench.session.trace import FrameRecord

LOAD_PROFILE = Obis.parse("1-0:99.1.0.255")
SERIAL = AttributeDescriptor(1, Obis.parse("0-0:96.1.0.255"), 2)


def _one_day() -> tuple[dt.datetime, dt.datetime]:
    end = dt.datetime.now().replace(minute=0, second=0, microsecond=0)
    return end - dt.timedelta(days=1), end


def _tx_notes(into: list[str]) -> Callable[[FrameRecord], None]:
    """A trace observer keeping the note of every frame we send ("SNRM", "retry 1: ...")."""
    return lambda record: into.append(record.note) if record.direction == "tx" else None


def _assert_complete_day(rows: list[Row]) -> None:
    stamps = [as_datetime(r[0]).to_datetime() for r in rows]
    assert len(stamps) == 97  # 24 h of 15-minute rows, both ends included
    gaps = {b - a for a, b in itertools.pairwise(stamps)}
    assert gaps == {dt.timedelta(minutes=15)}


@pytest.mark.parametrize("fault", ["corrupt-fcs:0.1", "drop-frame:15", "drop-link-after:9",
                                   "drop-mid-block", "truncate:15", "garbage:0.5",
                                   "slow-bytes:1ms"])
def test_profile_read_recovers_from_fault_without_losing_or_repeating_rows(fault: str) -> None:
    start, end = _one_day()
    delivered: list[Row] = []
    with running_meter(faults=(fault,)) as meter, DlmsClient(settings_for(meter)) as client:
        rows = client.read_profile(LOAD_PROFILE, start=start, end=end,
                                   on_rows=delivered.extend)
    _assert_complete_day(rows)
    assert delivered == rows


@pytest.mark.parametrize("fault", ["drop-frame:7", "truncate:6", "corrupt-fcs:0.2"])
def test_lost_or_broken_frames_are_recovered_on_the_link_without_reconnecting(fault: str) -> None:
    start, end = _one_day()
    notes: list[str] = []
    with running_meter(faults=(fault,), seed=3) as meter:
        # one frame in 5 lost can strike 4 times running in a 130-frame read: allow 6 tries
        client = DlmsClient(settings_for(meter, timeout=0.3, retries=5),
                            observers=[_tx_notes(notes)])
        with client:
            rows = client.read_profile(LOAD_PROFILE, start=start, end=end)
            assert client.get(SERIAL).value == b"000019001234"
    _assert_complete_day(rows)
    assert client.reconnects == 0
    assert client.link_recoveries == sum(n.startswith("retry ") for n in notes) > 0
    assert "retry 1: RR poll" in notes


def test_silence_through_every_link_retry_ends_in_no_response_after_bounded_tries() -> None:
    notes: list[str] = []
    with running_meter() as meter:
        client = DlmsClient(settings_for(meter, timeout=0.3, retries=2),
                            observers=[_tx_notes(notes)])
        client.connect()
        meter.set_faults(["drop-frame:1"])  # from now on every answer is lost
        del notes[:]
        with pytest.raises(NoResponse) as info:
            client.get(SERIAL)
        client.close()
    # the request, its link-level retries, then a reconnect whose SNRM is tried 3 times.
    # Waits shorter than the timeout (the adaptive RTO, 0.2 s floor, doubling up to the
    # 0.3 s timeout) are free; 2 full-timeout silences in a row end the exchange.
    retries = [n for n in notes[1:] if n.startswith("retry ")]
    assert notes[0] == "" and notes[1 + len(retries):] == ["SNRM", "SNRM", "SNRM"]
    assert retries[:3] == ["retry 1: RR poll", "retry 2: resent I-frame", "retry 3: RR poll"]
    assert len(retries) == 3  # one short wait (0.2 s) + 2 at the full 0.3 s, then it gives up
    assert "physical" in info.value.hint


def test_action_whose_answer_is_lost_twice_runs_exactly_once() -> None:
    shift = MethodDescriptor(8, Obis.parse("0-0:1.0.0.255"), 6)
    notes: list[str] = []
    # meter frames: 1 UA, 2 AARE, 3 the ACTION answer (dropped), 4 its resend (truncated)
    with running_meter(faults=("drop-frame:3", "truncate:4"), time_source=lambda: 1.8e9) \
            as meter:
        settings = settings_for(meter, client=1, password="right", timeout=0.3)
        with DlmsClient(settings, observers=[lambda record: notes.append(record.note)]) \
                as client:
            assert client.action(shift, Data.i16(30)) is None
        assert meter.meter.clock.now() == 1.8e9 + 30  # shifted once, not twice or more
    assert client.reconnects == 0
    assert [n for n in notes if n.startswith("retry")] == [
        "retry 1: RR poll", "retry 2: resent I-frame"]


def test_every_frame_corrupted_fails_connect_with_no_response() -> None:
    notes: list[str] = []
    with running_meter(faults=("corrupt-fcs:1",)) as meter:
        client = DlmsClient(settings_for(meter, timeout=0.2, retries=1),
                            observers=[_tx_notes(notes)])
        with pytest.raises(NoResponse, match="UA answering our SNRM"):
            client.connect()
    assert notes == ["SNRM", "SNRM"]  # the first try and its one retry, then it gives up


def test_wrong_physical_address_is_silence_with_a_hint(meter) -> None:
    notes: list[str] = []
    client = DlmsClient(settings_for(meter, physical=4321, timeout=0.3, retries=0),
                        observers=[_tx_notes(notes)])
    with pytest.raises(NoResponse) as info:
        client.connect()
    assert notes == ["SNRM"]  # retries=0: one try, no more
    assert "physical address 4321" in info.value.message
    assert "probe" in info.value.hint


def test_idle_drop_is_followed_by_reconnect_and_reassociation() -> None:
    with running_meter(idle_timeout=0.4) as meter, DlmsClient(settings_for(meter)) as client:
        # hang guard 25x the idle timeout
        wait_until(lambda: meter.connection_count == 0, timeout=10, what="the meter's idle drop")
        assert client.get(SERIAL).value == b"000019001234"
        assert client.reconnects == 1


def test_keepalive_polls_hold_the_link_open_past_the_idle_timeout() -> None:
    notes: list[str] = []
    with running_meter(idle_timeout=0.6) as meter:
        settings = settings_for(meter, keepalive=0.2)
        with DlmsClient(settings, observers=[_tx_notes(notes)]) as client:
            silent_until = time.monotonic() + 3 * 0.6  # three idle timeouts without a request
            while time.monotonic() < silent_until:
                client.poll()
                time.sleep(0.05)
            assert client.get(SERIAL).value == b"000019001234"
            assert client.reconnects == 0
            assert meter.connection_count == 1
    # the link only outlives 1.8 s of idle_timeout=0.6 with at least 3 keepalives
    assert notes.count("keepalive") >= 3


def test_cancel_from_another_thread_stops_a_slow_read_and_keeps_rows() -> None:
    start, end = _one_day()
    delivered: list[Row] = []
    outcome: list[BaseException] = []
    with running_meter(faults=("slow-bytes:4ms",)) as meter:
        client = DlmsClient(settings_for(meter))
        client.connect()

        def work() -> None:
            try:
                client.read_profile(LOAD_PROFILE, start=start, end=end, on_rows=delivered.extend)
            except BaseException as exc:
                outcome.append(exc)

        worker = threading.Thread(target=work)
        worker.start()
        wait_until(lambda: delivered or not worker.is_alive(), timeout=30,
                   what="the first rows of the slow read")
        client.cancel()
        worker.join(timeout=20)  # hang guard: a cancel lands within one read timeout
        assert not worker.is_alive(), "the read did not stop on cancel"
        assert len(outcome) == 1 and isinstance(outcome[0], Cancelled), outcome
        kept = len(delivered)
        assert 0 < kept < 97
        assert client.get(SERIAL).value == b"000019001234"  # usable again (reconnects)
        client.close()
