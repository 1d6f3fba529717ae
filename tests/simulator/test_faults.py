"""Each injected fault, observed on the wire as raw bytes from a real socket."""

from __future__ import annotations

import socket
import time

import pytest

from tests.helpers import running_meter
from tests.simulator.wire import Silence, WireClient
from workbench.protocol.apdu import (
    Aare,
    Aarq,
    ActionRequestNormal,
    ActionResponseNormal,
    ActionResult,
    AssociationResult,
    AttributeDescriptor,
    GetResponseWithDatablock,
    MethodDescriptor,
    encode_apdu,
)
from workbench.protocol.axdr import Data
from workbench.protocol.errors import ChecksumError
from workbench.protocol.hdlc import FLAG, ClientLink, FrameKind, decode_frame, server_address
from workbench.simulator.faults import Fault, FaultError, FaultInjector, parse_fault

PROFILE = AttributeDescriptor(7, "1-0:99.1.0.255", 2)
def _snrm() -> bytes:
    link = ClientLink(16, server_address(1, 1234))
    link.connect()
    return link.data_to_send()[0]


SNRM = _snrm()


def _exchange(address: tuple[str, int], data: bytes, quiet: float = 0.3) -> tuple[bytes, bool]:
    """Send ``data``; collect bytes until ``quiet`` s of silence. Returns (bytes, closed)."""
    with socket.create_connection(address, timeout=2) as sock:
        sock.sendall(data)
        received, deadline = b"", time.monotonic() + 5
        sock.settimeout(quiet)
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(4096)
            except TimeoutError:
                return received, False
            if not chunk:
                return received, True
            received += chunk
    raise AssertionError("the meter kept talking for 5 s")


def test_parse_fault_specs() -> None:
    assert parse_fault("corrupt-fcs:0.1") == Fault("corrupt-fcs", 0.1)
    assert parse_fault("slow-bytes:2ms") == Fault("slow-bytes", 0.002)
    assert parse_fault("drop-mid-block") == Fault("drop-mid-block")
    assert str(parse_fault("truncate:7")) == "truncate:7"
    for bad in ("corrupt-fcs:2", "drop-frame:0", "drop-frame", "nonsense:1", "slow-bytes:x",
                "drop-mid-block:3"):
        with pytest.raises(FaultError):
            parse_fault(bad)


def test_no_fault_gives_a_clean_ua() -> None:
    with running_meter() as server:
        raw, closed = _exchange(server.address, SNRM)
    assert decode_frame(raw).kind is FrameKind.UA and not closed


def test_rtt_delays_every_response() -> None:
    with running_meter(rtt_ms=150) as server:
        started = time.monotonic()
        raw, _ = _exchange(server.address, SNRM, quiet=0.5)
        assert decode_frame(raw).kind is FrameKind.UA
    assert time.monotonic() - started >= 0.15


def test_corrupt_fcs() -> None:
    with running_meter(faults=("corrupt-fcs:1",)) as server:
        raw, _ = _exchange(server.address, SNRM)
    with pytest.raises(ChecksumError):
        decode_frame(raw)


def test_drop_frame_drops_every_nth() -> None:
    with running_meter(faults=("drop-frame:2",)) as server, \
            WireClient(server.address, timeout=0.5) as client:
        client.connect()  # frame 1 arrives
        with pytest.raises(Silence):  # frame 2 (the AARE) never does
            client.associate()


def test_dropped_answer_is_resent_when_the_client_polls() -> None:
    with running_meter(faults=("drop-frame:2",)) as server, \
            WireClient(server.address, timeout=0.5) as client:
        client.connect()  # frame 1: the UA
        client.link.send_apdu(encode_apdu(Aarq()))
        client.send(client.link.data_to_send())
        with pytest.raises(Silence):  # frame 2, the AARE, went into the void
            client.answer()
        client.link.poll()
        client.send(client.link.data_to_send())
        aare = client.answer()  # frame 3: the same AARE again
    assert isinstance(aare, Aare) and aare.result is AssociationResult.ACCEPTED


def test_repeated_request_is_answered_again_but_executed_once() -> None:
    shift = ActionRequestNormal(MethodDescriptor(8, "0-0:1.0.0.255", 6), Data.i16(30))
    with running_meter(faults=("drop-frame:3",), time_source=lambda: 1.8e9) as server, \
            WireClient(server.address, client_sap=32, timeout=0.5) as client:
        client.associate(b"2222222222")  # frames 1 and 2
        client.link.send_apdu(encode_apdu(shift))
        client.send(client.link.data_to_send())
        with pytest.raises(Silence):  # frame 3, the ACTION's answer, is lost
            client.answer()
        client.link.retransmit()  # the very same I-frame again
        client.send(client.link.data_to_send())
        answer = client.answer()
        assert server.meter.clock.now() == 1.8e9 + 30
    assert isinstance(answer, ActionResponseNormal) and answer.result is ActionResult.SUCCESS


def test_faults_switched_on_mid_connection() -> None:
    with running_meter() as server, WireClient(server.address, timeout=0.5) as client:
        client.associate()
        server.set_faults(["drop-frame:1"])
        with pytest.raises(Silence):
            client.get(PROFILE)
        server.set_faults([])
        client.link.poll()
        client.send(client.link.data_to_send())
        answer = client.answer()  # the lost answer, resent now that faults are off
    assert isinstance(answer, GetResponseWithDatablock) and answer.block_number == 1


def test_drop_link_after_n_frames() -> None:
    with running_meter(faults=("drop-link-after:2",)) as server, \
            WireClient(server.address) as client:
        client.associate()  # UA + AARE = 2 frames, then the meter hangs up
        client.sock.settimeout(2)
        assert client.sock.recv(10) == b""


def test_drop_mid_block() -> None:
    with running_meter(faults=("drop-mid-block",)) as server, \
            WireClient(server.address) as client:
        client.associate()
        with pytest.raises(ConnectionError):
            client.get(PROFILE)
        assert client.blocks == 1  # block 1 arrived whole; the link died before block 2


def test_truncate_sends_half_a_frame() -> None:
    with running_meter(faults=("truncate:1",)) as server:
        raw, _ = _exchange(server.address, SNRM)
    with running_meter() as server:
        clean, _ = _exchange(server.address, SNRM)
    assert raw == clean[: len(clean) // 2] and raw[-1:] != bytes([FLAG])


def test_garbage_between_frames_is_skippable() -> None:
    with running_meter(faults=("garbage:1",)) as server:
        raw, _ = _exchange(server.address, SNRM)
        with WireClient(server.address) as client:
            client.associate()
            assert client.rejected  # the client's reader saw (and skipped) the garbage
    junk, frame = raw[: raw.index(FLAG)], raw[raw.index(FLAG):]
    assert 1 <= len(junk) <= 8
    assert decode_frame(frame).kind is FrameKind.UA


def test_slow_bytes_trickle_in() -> None:
    with running_meter(faults=("slow-bytes:5ms",)) as server, \
            socket.create_connection(server.address, timeout=2) as sock:
        sock.sendall(SNRM)
        chunks = []
        while sum(map(len, chunks)) < 10:
            chunks.append(sock.recv(4096))
    assert len(chunks) >= 5


def test_faults_are_reproducible_for_a_seed() -> None:
    def pattern(seed: int) -> list[bool]:
        injector = FaultInjector((Fault("corrupt-fcs", 0.5),), seed=seed, connection=1)
        return [injector.shape([SNRM]).chunks[0] != SNRM for _ in range(40)]

    assert pattern(3) == pattern(3)
    assert pattern(3) != pattern(4)
    assert 5 < sum(pattern(3)) < 35
