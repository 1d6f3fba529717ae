"""The simulated meter on a real TCP socket: one accept thread, one thread per connection.

Each connection owns a sans-IO :class:`~workbench.protocol.hdlc.link.ServerLink` (HDLC) and a
:class:`~workbench.simulator.handler.RequestHandler` (association + services); all share one
:class:`~workbench.simulator.meter.Meter`. Sockets poll with a short timeout so ``stop()``
and the idle timeout act within ~0.1 s without any platform-specific wake-up trick.

Faults act after the link, on the bytes leaving the socket: a frame they drop or break was
sent as far as the :class:`ServerLink` knows, so it stays unacknowledged and is resent when
the client polls (RR, P=1) or repeats its request, as a real meter on a noisy line does.

Clients with an unknown SAP (not 16, 32 or 1) get silence, like frames for another meter:
nothing addressed to them is ever sent, and their SNRM leaves the link disconnected.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from types import TracebackType

from workbench.protocol.hdlc import (
    NEED_DATA,
    ApduReceived,
    Disconnected,
    FrameRejected,
    LinkEstablished,
    ServerLink,
    decode_address,
    decode_frame,
)
from workbench.simulator.config import MeterConfig
from workbench.simulator.faults import Fault, FaultInjector, Outgoing
from workbench.simulator.handler import KNOWN_CLIENTS, RequestHandler
from workbench.simulator.meter import Meter

__all__ = ["MeterServer"]

log = logging.getLogger("workbench.simulator")

_POLL = 0.05  # seconds between checks of the stop flag and the idle timer


class MeterServer:
    """A Microstar-like meter listening on TCP.

    Args:
        config: the meter (serial, password, idle timeout, seed, RTT, faults).
        host: interface to bind.
        port: TCP port; 0 picks a free one (read it back from :attr:`address`).
        time_source: wall clock for the meter's clock (epoch seconds).
    """

    def __init__(self, config: MeterConfig | None = None, host: str = "127.0.0.1",
                 port: int = 0, *, time_source: Callable[[], float] = time.time) -> None:
        self.config = config or MeterConfig()
        self.meter = Meter(self.config, time_source)
        self._bind = (host, port)
        self._listener: socket.socket | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._connections: set[_Connection] = set()
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)

    @property
    def address(self) -> tuple[str, int]:
        """(host, port) actually bound; valid after :meth:`start`."""
        if self._listener is None:
            raise RuntimeError("MeterServer.address is known only after start()")
        host, port = self._listener.getsockname()[:2]
        return host, port

    def start(self) -> MeterServer:
        """Bind, listen and serve in background threads; returns self."""
        if self._listener is not None:
            raise RuntimeError("MeterServer already started")
        self._listener = socket.create_server(self._bind, reuse_port=False)
        self._listener.settimeout(_POLL)
        accept = threading.Thread(target=self._accept_loop, name="meter-accept", daemon=True)
        self._threads.append(accept)
        accept.start()
        log.info("meter %s listening on %s:%d", self.config.serial, *self.address)
        return self

    def stop(self) -> None:
        """Close the listener and every connection, and join all threads."""
        self._stop.set()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            conn.close()
        for thread in list(self._threads):
            thread.join(timeout=5.0)
        if self._listener is not None:
            self._listener.close()

    def __enter__(self) -> MeterServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def set_faults(self, faults: Iterable[Fault | str]) -> None:
        """Change the injected faults now, on open connections too (a modem turning flaky
        mid-session); each open connection counts its frames afresh from here.

        Raises:
            FaultError: a SPEC that cannot be understood.
        """
        self.config = dataclasses.replace(self.config, faults=tuple(faults))
        with self._lock:
            for conn in self._connections:
                conn.faults = self._injector(conn.number)

    def _injector(self, number: int) -> FaultInjector:
        return FaultInjector(self.config.faults, seed=self.config.seed, connection=number,
                             rtt_ms=self.config.rtt_ms)

    @property
    def connection_count(self) -> int:
        """Connections currently open (for tests and the CLI)."""
        with self._lock:
            return len(self._connections)

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                sock, peer = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            self._serve(sock, peer)

    def _serve(self, sock: socket.socket, peer: tuple) -> None:
        number = next(self._numbers)
        conn = _Connection(sock, peer, number, self.meter, self._injector(number), self._stop)
        thread = threading.Thread(target=self._run, args=(conn,), daemon=True,
                                  name=f"meter-conn-{number}")
        with self._lock:
            self._connections.add(conn)
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def _run(self, conn: _Connection) -> None:
        try:
            conn.run()
        except Exception:  # a meter bug must show, and must not kill the server
            log.exception("connection %s:%d failed", *conn.peer[:2])
        finally:
            conn.close()
            with self._lock:
                self._connections.discard(conn)


class _Connection:
    """One TCP client: bytes ↔ HDLC link ↔ request handler, with faults on the way out."""

    def __init__(self, sock: socket.socket, peer: tuple, number: int, meter: Meter,
                 faults: FaultInjector, stop: threading.Event) -> None:
        self.sock, self.peer, self.number = sock, peer, number
        self.meter, self.faults, self.stop = meter, faults, stop
        self.link = self._new_link()
        self.handler = RequestHandler(meter)
        self.client_sap: int | None = None
        self._partial_block = False
        self._closed = threading.Event()

    def _new_link(self) -> ServerLink:
        return ServerLink(logical=1, physical=self.meter.config.physical_address)

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()

    def run(self) -> None:
        log.debug("connection from %s:%d", *self.peer[:2])
        self.sock.settimeout(_POLL)
        idle = self.meter.config.idle_timeout
        last_rx = time.monotonic()
        while not self.stop.is_set() and not self._closed.is_set():
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                if time.monotonic() - last_rx >= idle:
                    log.info("dropping %s:%d after %.1f s of silence", *self.peer[:2], idle)
                    return
                continue
            except OSError:
                return
            if not data:
                log.debug("client %s:%d closed the connection", *self.peer[:2])
                return
            last_rx = time.monotonic()
            self.link.receive_data(data)
            if not self._process_events():
                return

    def _process_events(self) -> bool:
        """Handle every complete frame; False when the connection must close."""
        while True:
            event = self.link.next_event()
            if event is NEED_DATA:  # frames the link made on its own (next segment, RR)
                return self._send(self.link.data_to_send())
            frames: list[bytes] = []
            if isinstance(event, ApduReceived):
                frames = self._answer(event.apdu)
            elif isinstance(event, LinkEstablished | Disconnected):
                self.handler.release()
            elif isinstance(event, FrameRejected):
                log.debug("frame rejected: %s", event.reason)
            if not self._send([*frames, *self.link.data_to_send()]):
                return False

    def _answer(self, apdu: bytes) -> list[bytes]:
        """The first frames of the response (the link sends the rest as RRs arrive)."""
        if self.client_sap is None:
            return []
        reply = self.handler.handle(self.client_sap, apdu)
        self._partial_block = reply.partial_block
        return self.link.send_apdu(reply.apdu)

    def _send(self, frames: list[bytes]) -> bool:
        frames = [f for f in frames if self._for_known_client(f)]
        if not frames:
            return True
        # a non-final GET block counts as sent once its last HDLC segment goes out
        block_done = self._partial_block and not self.link.sending
        if block_done:
            self._partial_block = False
        return self._write(self.faults.shape(frames, partial_block=block_done))

    def _for_known_client(self, frame: bytes) -> bool:
        """Note the client's SAP from our reply; drop replies to unknown clients."""
        sap = decode_address(decode_frame(frame).dest).upper
        if sap in KNOWN_CLIENTS:
            self.client_sap = sap
            return True
        log.info("ignoring client SAP %d (not 16, 32 or 1)", sap)
        self.link = self._new_link()
        self.client_sap = None
        return False

    def _write(self, out: Outgoing) -> bool:
        if out.delay and self.stop.wait(out.delay):
            return False
        try:
            for chunk in out.chunks:
                if out.byte_delay:
                    for i in range(len(chunk)):
                        self.sock.sendall(chunk[i:i + 1])
                        if self.stop.wait(out.byte_delay):
                            return False
                else:
                    self.sock.sendall(chunk)
        except OSError:
            return False
        if out.close_after:
            log.info("fault injection: dropping the link to %s:%d", *self.peer[:2])
        return not out.close_after
