"""A hostile peer cannot hold the simulated meter: connection cap, idle timer reset only by
valid frames for this meter, floods cut off, reassembly capped. Real loopback sockets;
every wait is a hang guard, never a speed target."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest

from tests.helpers import running_meter, wait_until
from tests.simulator.wire import WireClient
from workbench.protocol.apdu import AssociationResult
from workbench.protocol.hdlc import (
    ClientLink,
    FrameKind,
    HdlcFrame,
    client_address,
    encode_frame,
    server_address,
)
from workbench.simulator.connection import JUNK_LIMIT

GUARD = 10.0  # seconds: hang guard for things that happen in well under a second


def _closed_by_meter(sock: socket.socket, timeout: float = GUARD) -> bool:
    """True when the meter ends the connection (EOF or reset) before ``timeout``."""
    sock.settimeout(timeout)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


def _meter_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("meter-conn-")]


def test_the_connection_beyond_the_cap_is_closed_at_once_and_logged(caplog) -> None:
    caplog.set_level("WARNING", logger="workbench.simulator")
    with running_meter(max_connections=2) as server:
        first, second = WireClient(server.address), WireClient(server.address)
        try:
            for client in (first, second):
                assert client.associate().result is AssociationResult.ACCEPTED
            with socket.create_connection(server.address, timeout=GUARD) as third:
                assert _closed_by_meter(third)
            assert "refusing 127.0.0.1" in caplog.text
            assert "2 connections already open (--max-connections)" in caplog.text
            first.close()
            wait_until(lambda: server.connection_count == 1, GUARD, "first connection freed")
            with WireClient(server.address) as again:  # a freed place is served again
                assert again.associate().result is AssociationResult.ACCEPTED
        finally:
            first.close()
            second.close()


def test_trickling_connections_are_dropped_and_their_threads_released(caplog) -> None:
    """Six peers each sending one junk byte per 50 ms: two refused at once, four dropped
    after the idle timeout although bytes keep coming; no thread is left."""
    caplog.set_level("INFO", logger="workbench.simulator")
    with running_meter(idle_timeout=0.5, max_connections=4) as server:
        socks = [socket.create_connection(server.address, timeout=GUARD) for _ in range(6)]
        try:
            closed = _trickle_until_closed(socks)
        finally:
            for sock in socks:
                sock.close()
        assert closed == 6
        wait_until(lambda: server.connection_count == 0, GUARD, "connections released")
        wait_until(lambda: not _meter_threads(), GUARD, "connection threads ended")
    assert caplog.text.count("without a valid frame for this meter") == 4
    assert caplog.text.count("connections already open") == 2


def _trickle_until_closed(socks: list[socket.socket]) -> int:
    """Send one byte per socket per round until the meter closed each; how many it closed."""
    open_socks, closed = list(socks), 0
    deadline = time.monotonic() + 4 * GUARD
    while open_socks and time.monotonic() < deadline:
        for sock in list(open_socks):
            try:
                sock.sendall(b"\x00")
                sock.settimeout(0.01)
                if sock.recv(16) == b"":
                    raise ConnectionResetError
            except TimeoutError:
                continue
            except OSError:
                open_socks.remove(sock)
                closed += 1
        time.sleep(0.05)
    return closed


@pytest.mark.parametrize("pattern", [b"\x7e", b"\x7e\xa0", b"\x55"],
                         ids=["flag-flood", "false-frame-starts", "junk"])
def test_a_flood_without_valid_frames_is_cut_off(pattern: bytes, caplog) -> None:
    caplog.set_level("INFO", logger="workbench.simulator")
    flood = pattern * (2 * JUNK_LIMIT // len(pattern))
    with running_meter() as server, \
            socket.create_connection(server.address, timeout=GUARD) as sock:
        with contextlib.suppress(OSError):  # the meter may close while we still send
            sock.sendall(flood)
        assert _closed_by_meter(sock)
        wait_until(lambda: server.connection_count == 0, GUARD, "connection released")
    assert "bytes without a valid frame for this meter" in caplog.text


def test_a_flood_between_valid_frames_does_not_cost_the_link() -> None:
    """Junk below the limit, then a valid SNRM: the meter still answers."""
    with running_meter() as server, WireClient(server.address) as client:
        client.sock.sendall(b"\x7e" * (JUNK_LIMIT // 2))
        assert client.connect().params.max_info_rx == 128


def _segment(n_s: int, *, last: bool = False) -> bytes:
    return encode_frame(HdlcFrame(FrameKind.I, server_address(1, 1234), client_address(16),
                                  pf=True, n_s=n_s % 8, n_r=0, segmented=not last,
                                  info=b"\xaa" * 120))


def test_endless_segments_are_capped_and_the_link_recovers(caplog) -> None:
    """The issue's endless segmented request: reassembly stops at the cap (logged once),
    the rest is acknowledged and dropped, and the link serves a new SNRM afterwards."""
    caplog.set_level("WARNING", logger="workbench.simulator")
    with running_meter(max_pdu_size=256) as server, WireClient(server.address) as client:
        client.connect()
        for n_s in range(60):  # 7,200 bytes against a cap of 4,096
            client.sock.sendall(_segment(n_s))
            assert client.recv_some(time.monotonic() + GUARD)  # the meter's RR
        client.sock.sendall(_segment(60, last=True))
        client.link = ClientLink(16, server_address(1, 1234))
        assert client.connect().params.window_rx == 1
        assert server.connection_count == 1
    assert caplog.text.count("more than the negotiated maximum APDU size of 4096") == 1
