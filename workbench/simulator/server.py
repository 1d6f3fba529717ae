"""The simulated meter on a real TCP socket: one accept thread, one thread per connection.

Each connection (:mod:`.connection`) owns a sans-IO
:class:`~workbench.protocol.hdlc.ServerLink` (HDLC) and a
:class:`~workbench.simulator.handler.RequestHandler` (association + services); all share one
:class:`~workbench.simulator.meter.Meter`. Sockets poll with a short timeout so ``stop()``
and the idle timeout act within ~0.1 s without any platform-specific wake-up trick.

At most ``max_connections`` clients are served at once: one more is accepted, logged and
closed at once (its peer sees the connection end before any byte), so a crowd of idle
sockets can never pin an unbounded number of threads.

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

from workbench.protocol.hdlc import ServerLink
from workbench.simulator.config import MeterConfig
from workbench.simulator.connection import POLL, Answerer, Connection, reassembly_cap
from workbench.simulator.faults import Fault, FaultInjector, parse_fault
from workbench.simulator.handler import MeterModel, RequestHandler
from workbench.simulator.meter import Meter

__all__ = ["MeterConfig", "MeterServer"]

log = logging.getLogger("workbench.simulator")


class MeterServer:
    """A Microstar-like meter listening on TCP.

    Args:
        config: the meter (serial, password, idle timeout, seed, RTT, faults).
        host: interface to bind.
        port: TCP port; 0 picks a free one (read it back from :attr:`address`).
        time_source: wall clock for the meter's clock (epoch seconds).
        model: what requests are served from, if not the simulated :class:`Meter` (a
            :class:`~workbench.simulator.replay.ReplayMeter`).
    """

    def __init__(self, config: MeterConfig | None = None, host: str = "127.0.0.1",
                 port: int = 0, *, time_source: Callable[[], float] = time.time,
                 model: MeterModel | None = None) -> None:
        self.config = config or MeterConfig()
        self.meter: MeterModel = model or Meter(self.config, time_source)
        self._bind = (host, port)
        self._listener: socket.socket | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._connections: set[Connection] = set()
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
        self._listener.settimeout(POLL)
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
        self.config = dataclasses.replace(self.config,
                                          faults=tuple(map(parse_fault, faults)))
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

    def _serve(self, sock: socket.socket, peer: tuple[str, int]) -> None:
        number = next(self._numbers)
        with self._lock:
            full = len(self._connections) >= self.config.max_connections
        if full:
            log.warning("refusing %s:%d: %d connections already open (--max-connections)",
                        peer[0], peer[1], self.config.max_connections)
            with contextlib.suppress(OSError):
                sock.close()
            return
        conn = self._connection(sock, peer, number)
        thread = threading.Thread(target=self._run, args=(conn,), daemon=True,
                                  name=f"meter-conn-{number}")
        with self._lock:
            self._connections.add(conn)
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def _connection(self, sock: socket.socket, peer: tuple[str, int], number: int) -> Connection:
        """One client's connection (the wrapper server serves a different kind)."""
        return Connection(sock, peer, number, new_link=self._new_link,
                          answerer=self._answerer(), faults=self._injector(number),
                          stop=self._stop, idle_timeout=self.config.idle_timeout,
                          quirks=self.config.quirks)

    def _new_link(self) -> ServerLink:
        return ServerLink(logical=self.config.logical, physical=self.config.physical_address,
                          params=self.config.hdlc_limits,
                          max_apdu_size=reassembly_cap(self.config.max_pdu_size))

    def _answerer(self) -> Answerer:
        return RequestHandler(self.meter)

    def _run(self, conn: Connection) -> None:
        try:
            conn.run()
        except Exception:  # a meter bug must show, and must not kill the server
            log.exception("connection %s:%d failed", *conn.peer[:2])
        finally:
            conn.close()
            with self._lock:
                self._connections.discard(conn)
