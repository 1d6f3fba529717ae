"""Oracle: the gurux-dlms client (independent, GPL, test-only) talks to our simulator.

gurux builds and parses every frame; we only move bytes over a plain socket. If our meter
misread the standard anywhere on these paths, gurux would fail to associate or decode.
"""

from __future__ import annotations

import datetime as dt
import itertools
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.helpers import running_meter
from workbench.protocol.hdlc import LLC_RESPONSE, FrameReader, FrameReceived
from workbench.simulator import MeterServer

gurux = pytest.importorskip("gurux_dlms")

from gurux_dlms import GXDateTime  # noqa: E402
from gurux_dlms.enums import DataType  # noqa: E402
from gurux_dlms.objects import (  # noqa: E402
    GXDLMSClock,
    GXDLMSData,
    GXDLMSDisconnectControl,
    GXDLMSProfileGeneric,
    GXDLMSRegister,
)

from tests.gurux_session import GuruxSession  # noqa: E402

pytestmark = pytest.mark.oracle


@contextmanager
def gurux_on(*, propose: tuple[int, int] = (128, 1),
             **config: Any) -> Iterator[tuple[GuruxSession, MeterServer]]:
    """gurux, proposing (max info, window), associated as client 32 with a meter of
    ``config``; closed afterwards."""
    with running_meter(**config) as server:
        max_info, window = propose
        gx = GuruxSession(server.address, 32, "2222222222", max_info=max_info, window=window)
        try:
            gx.associate()
            yield gx, server
        finally:
            gx.close()


@pytest.fixture
def session() -> Iterator[GuruxSession]:
    with gurux_on() as (gx, _):
        yield gx


def test_gurux_reads_serial_and_clock(session: GuruxSession) -> None:
    serial = GXDLMSData("0.0.96.1.0.255")
    session.read(serial, 2)
    assert bytes(serial.value) == b"000019001234"
    clock = GXDLMSClock("0.0.1.0.0.255")
    session.read(clock, 2)
    meter_time = clock.time.value
    now = dt.datetime.now(dt.UTC)
    assert abs((meter_time - now).total_seconds()) < 5


def test_gurux_reads_register_with_scaler_and_unit(session: GuruxSession) -> None:
    voltage = GXDLMSRegister("1.1.32.7.0.255")
    session.read(voltage, 3)
    session.read(voltage, 2)
    assert voltage.scaler == 0.1 and int(voltage.unit) == 35
    assert 220 < voltage.value < 240


def test_gurux_reads_a_profile_range(session: GuruxSession) -> None:
    profile = GXDLMSProfileGeneric("1.0.99.1.0.255")
    session.read(profile, 3)  # capture objects, so gurux knows the columns
    assert len(profile.captureObjects) == 6
    end = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    start = end - dt.timedelta(hours=4)
    reply = session.exchange(session.client.readRowsByRange(
        profile, GXDateTime(start), GXDateTime(end)))
    session.client.updateValue(profile, 2, reply.value)
    assert 15 <= len(profile.buffer) <= 17
    first, second = profile.buffer[0], profile.buffer[1]
    assert (second[0].value - first[0].value).total_seconds() == 900
    assert second[1] >= first[1]  # A+ energy never decreases


def test_gurux_parses_the_object_list(session: GuruxSession) -> None:
    reply = session.exchange(session.client.getObjectsRequest())
    objects = session.client.parseObjects(reply.data, True)
    names = {(int(o.objectType), o.logicalName) for o in objects}
    assert (7, "1.0.99.1.0.255") in names and (70, "0.0.96.3.10.255") in names
    assert (8, "0.0.1.0.0.255") in names and len(objects) >= 25


def test_gurux_negotiates_512_window_4_through_the_ua_quirk() -> None:
    """gurux proposes 1024/7 to a meter supporting 512/4 whose UA has group length 00 (the
    gurux server's own bug): it gets the minimum and reads a day of profile in windows."""
    with gurux_on(propose=(1024, 7), max_info=512, window=4,
                  quirks=("ua-group-length-zero",)) as (gx, _):
        hdlc = gx.client.hdlcSettings
        assert (hdlc.maxInfoTX, hdlc.maxInfoRX, hdlc.windowSizeTX, hdlc.windowSizeRX) \
            == (512, 512, 4, 4)
        profile = GXDLMSProfileGeneric("1.0.99.1.0.255")
        gx.read(profile, 3)
        end = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
        reply = gx.exchange(gx.client.readRowsByRange(
            profile, GXDateTime(end - dt.timedelta(hours=24)), GXDateTime(end)))
        gx.client.updateValue(profile, 2, reply.value)
    assert 96 <= len(profile.buffer) <= 97
    times = [row[0].value for row in profile.buffer]
    assert all((b - a).total_seconds() == 900 for a, b in itertools.pairwise(times))


@pytest.fixture
def small_pdu_session() -> Iterator[GuruxSession]:
    with gurux_on(quirks=("small-pdu", "action-no-optional")) as (gx, _):
        yield gx


def test_gurux_sends_785_bytes_in_datablocks_to_a_small_pdu_meter(small_pdu_session) -> None:
    gx = small_pdu_session
    assert gx.client.maxReceivePDUSize == 256  # from our AARE
    name = GXDLMSData("0.0.42.0.0.255")
    name.value = bytes(range(256)) * 3 + bytes(13)
    name.setDataType(2, DataType.OCTET_STRING)
    reply = gx.exchange(gx.client.write(name, 2))
    # the last answer: SET-Response-Last-Datablock, read-write-denied, block 4: the meter
    # reassembled and decoded all 785 bytes (else type-unmatched), then refused the write
    assert bytes(reply.data.array()[-8:]).hex(" ") == "c5 03 c1 03 00 00 00 04"


def test_gurux_reads_an_action_response_without_the_optional_byte(small_pdu_session) -> None:
    reconnect = GXDLMSDisconnectControl("0.0.96.3.10.255")
    reply = small_pdu_session.exchange(small_pdu_session.client.method(
        reconnect, 2, 0, DataType.INT8))
    assert reply.error == 0
    assert bytes(reply.data.array()).hex(" ") == "c7 01 c1 00"


def test_gurux_action_with_pblocks_is_reassembled_by_a_small_pdu_meter() -> None:
    """gurux splits a 600-byte method parameter into ACTION-Request-with-first-pblock and
    -with-pblock APDUs for a 256-byte PDU; the meter answers next-pblock twice, then runs
    the method once (remote disconnect). gurux 1.0.x cannot parse next-pblock answers
    itself, so the answers are read with our frame reader."""
    with gurux_on(quirks=("small-pdu",)) as (gx, server):
        disconnect = GXDLMSDisconnectControl("0.0.96.3.10.255")
        answers = [_answer_to(gx.sock, frame) for frame in gx.client.method(
            disconnect, 1, bytes(600), DataType.OCTET_STRING)]
        connected = server.meter.supply.connected
    apdus = [a[3:] for a in answers if a.startswith(LLC_RESPONSE)]
    assert [a.hex(" ") for a in apdus] == [
        "c7 04 c1 00 00 00 01", "c7 04 c1 00 00 00 02", "c7 01 c1 00 00"]
    assert connected is False


def _answer_to(sock: socket.socket, frame: bytes) -> bytes:
    """Send one gurux frame; the information field of the meter's one-frame answer."""
    sock.sendall(frame)
    reader, deadline = FrameReader(), time.monotonic() + 3
    while time.monotonic() < deadline:
        chunk = sock.recv(4096)
        assert chunk, "meter closed the connection"
        frames = [e.frame for e in reader.feed(chunk) if isinstance(e, FrameReceived)]
        if frames:
            return frames[0].info
    raise AssertionError("no answer in 3 s")
