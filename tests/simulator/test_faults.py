"""Each injected fault, observed on the wire as raw bytes from a real socket."""

from __future__ import annotations

import socket
import time

import pytest

from tests.helpers import running_meter
from tests.simulator.wire import Silence, WireClient
from workbench.protocol.errors import ChecksumError
from workbench.protocol.hdlc import FLAG, FrameKind, decode_frame, server_address
from workbench.protocol.link import ClientLink
from workbench.protocol.xdlms_types import AttributeDescriptor
from workbench.simulator.faults import Fault, FaultError, FaultInjector, parse_fault

PROFILE = AttributeDescriptor(7, "1-0:99.1.0.255", 2)
SNRM = ClientLink(16, server_address(1, 1234)).connect()


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
