"""Shared test fixtures: a real simulated meter on loopback TCP, and two HDLC links joined
by an in-memory wire."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

import pytest

from workbench.protocol.hdlc import (
    NEED_DATA,
    ClientLink,
    FrameKind,
    HdlcParameters,
    LinkEstablished,
    ServerLink,
    decode_frame,
    server_address,
)
from workbench.simulator.config import MeterConfig
from workbench.simulator.server import MeterServer


@contextmanager
def running_meter(**config: Any) -> Iterator[MeterServer]:
    """Start a :class:`MeterServer` on 127.0.0.1 with a free port; stop it afterwards.

    Keyword arguments are :class:`MeterConfig` fields (``serial``, ``password``,
    ``idle_timeout``, ``seed``, ``rtt_ms``, ``faults``, ``max_pdu_size``, ``block_size``,
    ``history_days``); ``time_source`` is passed to the server.
    """
    time_source = config.pop("time_source", None)
    extra = {"time_source": time_source} if time_source else {}
    server = MeterServer(MeterConfig(**config), "127.0.0.1", 0, **extra)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll ``condition`` until it is truthy; fail naming ``what`` after ``timeout`` s.

    For waits on another thread or process; ``timeout`` is a hang guard, not a speed target,
    so give it ample headroom over the typical time.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {timeout} s")
        time.sleep(0.01)


def readline_within(stream: IO[str], timeout: float) -> str | None:
    """The next line of ``stream`` (a child's pipe), or None if none came within ``timeout`` s.

    A pipe's readline() cannot time out, so a daemon thread does the blocking read and the
    caller can give up; killing the child then ends that read with EOF.
    """
    lines: queue.Queue[str] = queue.Queue(maxsize=1)
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return None


class ClientServerPair:
    """A client and a server link joined by a wire that records every frame per direction."""

    def __init__(self, *, size: int = 4, physical: int = 1234,
                 client_params: HdlcParameters | None = None,
                 server_params: HdlcParameters | None = None) -> None:
        self.client = ClientLink(16, server_address(1, physical, size), client_params)
        self.server = ServerLink(1, physical, server_params)
        self.wire: list[tuple[str, bytes]] = []

    def _deliver(self, frames: list[bytes], to: ClientLink | ServerLink, tag: str) -> list:
        self.wire.extend((tag, f) for f in frames)
        to.receive_data(b"".join(frames))
        events = []
        while (event := to.next_event()) is not NEED_DATA:
            events.append(event)
        return events

    def run(self, frames: list[bytes] | None = None) -> tuple[list, list]:
        """Send client ``frames`` (default: what the client queued), then bounce automatic
        replies until both sides are quiet."""
        client_events, server_events = [], []
        to_server = self.client.data_to_send() if frames is None else frames
        while to_server:
            server_events += self._deliver(to_server, self.server, "c>s")
            client_events += self._deliver(self.server.data_to_send(), self.client, "s>c")
            to_server = self.client.data_to_send()
        return client_events, server_events

    def respond(self, apdu: bytes) -> list:
        """Server sends ``apdu``; bounce RRs and segments; return the client's events."""
        self.server.send_apdu(apdu)
        client_events = self._deliver(self.server.data_to_send(), self.client, "s>c")
        while to_server := self.client.data_to_send():
            self._deliver(to_server, self.server, "c>s")
            client_events += self._deliver(self.server.data_to_send(), self.client, "s>c")
        return client_events

    def request(self, apdu: bytes) -> tuple[list, list]:
        """Client sends ``apdu``; bounce until quiet; return (client, server) events."""
        self.client.send_apdu(apdu)
        return self.run()

    def connect(self) -> HdlcParameters:
        self.client.connect()
        client_events, _ = self.run()
        assert isinstance(client_events[-1], LinkEstablished)
        return client_events[-1].params

    def kinds(self, tag: str) -> list[FrameKind]:
        return [decode_frame(raw).kind for t, raw in self.wire if t == tag]
