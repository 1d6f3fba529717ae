"""Oracle: the gurux-dlms client (independent, GPL, test-only) talks to our simulator.

gurux builds and parses every frame; we only move bytes over a plain socket. If our meter
misread the standard anywhere on these paths, gurux would fail to associate or decode.
"""

from __future__ import annotations

import datetime as dt
import socket
import time

import pytest

from tests.helpers import running_meter

gurux = pytest.importorskip("gurux_dlms")

from gurux_dlms import GXByteBuffer, GXDateTime, GXDLMSClient, GXReplyData  # noqa: E402
from gurux_dlms.enums import Authentication, InterfaceType  # noqa: E402
from gurux_dlms.objects import (  # noqa: E402
    GXDLMSClock,
    GXDLMSData,
    GXDLMSProfileGeneric,
    GXDLMSRegister,
)

pytestmark = pytest.mark.oracle


class GuruxSession:
    """gurux's GXDLMSClient driven over a socket, every read bounded by a timeout."""

    def __init__(self, address: tuple[str, int], client_sap: int, password: str | None) -> None:
        auth = Authentication.LOW if password else Authentication.NONE
        server = GXDLMSClient.getServerAddress(1, 1234, 4)
        self.client = GXDLMSClient(True, client_sap, server, auth, password,
                                   InterfaceType.HDLC)
        self.sock = socket.create_connection(address, timeout=3)

    def exchange(self, frames: list[bytes] | bytes | None) -> GXReplyData:
        reply = GXReplyData()
        for frame in [frames] if isinstance(frames, bytes | bytearray) else frames or []:
            self._packet(frame, reply)
        while reply.isMoreData():
            self._packet(self.client.receiverReady(reply), reply)
        return reply

    def _packet(self, frame: bytes, reply: GXReplyData) -> None:
        self.sock.sendall(frame)
        buffer, notify = GXByteBuffer(), GXReplyData()
        deadline = time.monotonic() + 3
        while not self.client.getData(buffer, reply, notify):
            assert time.monotonic() < deadline, "gurux: no complete answer in 3 s"
            chunk = self.sock.recv(4096)
            assert chunk, "meter closed the connection"
            buffer.set(chunk)

    def associate(self) -> None:
        self.client.parseUAResponse(self.exchange(self.client.snrmRequest()).data)
        self.client.parseAareResponse(self.exchange(self.client.aarqRequest()).data)

    def read(self, obj: object, attribute: int) -> object:
        reply = self.exchange(self.client.read(obj, attribute))
        return self.client.updateValue(obj, attribute, reply.value)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def session():
    with running_meter() as server:
        gx = GuruxSession(server.address, 32, "2222222222")
        try:
            gx.associate()
            yield gx
        finally:
            gx.close()


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
