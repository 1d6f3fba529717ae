"""The simulated meter behind the IEC 62056-47 TCP wrapper (port 4059, no HDLC).

Each TCP client gets a :class:`WrapperConnection`: wrapper PDUs in, the request handler's
answers out, with the wPorts swapped. As on the HDLC meter, what is addressed to another
logical device or comes from an unknown client gets no answer (logged), the idle timer
restarts only on a PDU the meter serves, and the bytes a client may send without one are
capped (:func:`unserved_limit`: tied to the PDU size, since one honest request may be a
whole PDU long, unlike HDLC where every frame of 2 KiB counts). A header that is not a
wrapper header closes the connection: nothing after it can be trusted. Faults act on HDLC
frames and are not applied here.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time

from workbench.protocol.errors import ProtocolError
from workbench.protocol.wrapper import HEADER_LENGTH, WrapperPdu, WrapperReader, encode_wrapper
from workbench.simulator.connection import POLL, Answerer, Connection
from workbench.simulator.faults import FaultInjector
from workbench.simulator.handler import KNOWN_CLIENTS
from workbench.simulator.secure import SecureMeterServer

__all__ = ["WrapperConnection", "WrapperMeterServer", "unserved_limit"]

log = logging.getLogger("workbench.simulator")
_RECV_SIZE = 4096


def unserved_limit(max_apdu: int) -> int:
    """Bytes a client may send without a PDU the meter serves: two whole PDUs.

    An honest client has one request on the way at a time, served as soon as it is whole,
    so two PDUs' worth without one served means it sends PDUs for nobody (or junk that
    happens to look like headers): the connection is closed.
    """
    return 2 * (HEADER_LENGTH + max_apdu)


class WrapperConnection:
    """One TCP client of the wrapper meter, served by :meth:`run` on its own thread."""

    def __init__(self, sock: socket.socket, peer: tuple[str, int], number: int, *,
                 answerer: Answerer, logical: int, max_apdu: int, faults: FaultInjector,
                 stop: threading.Event, idle_timeout: float) -> None:
        self.sock, self.peer, self.number = sock, peer, number
        self.handler, self.logical, self.faults = answerer, logical, faults
        self.stop, self.idle_timeout = stop, idle_timeout
        self._reader = WrapperReader(max_apdu)
        self._limit = unserved_limit(max_apdu)
        self._closed = threading.Event()
        self._last_valid = time.monotonic()
        self._unserved = 0

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()

    def run(self) -> None:
        self.sock.settimeout(POLL)
        while not self.stop.is_set() and not self._closed.is_set():
            try:
                data = self.sock.recv(_RECV_SIZE)
            except TimeoutError:
                if time.monotonic() - self._last_valid >= self.idle_timeout:
                    log.info("dropping %s:%d after %.1f s idle", *self.peer[:2],
                             self.idle_timeout)
                    return
                continue
            except OSError:
                return
            if not data or not self._feed(data):
                return
        self.handler.release()

    def _feed(self, data: bytes) -> bool:
        self._reader.feed(data)
        self._unserved += len(data)
        try:
            while (pdu := self._reader.next_pdu()) is not None:
                self._serve(pdu)
        except ProtocolError as exc:
            log.info("closing %s:%d: %s", *self.peer[:2], exc)
            return False
        except OSError:
            return False
        if self._unserved > self._limit:
            log.info("closing %s:%d: %d bytes without a PDU for this meter", *self.peer[:2],
                     self._unserved)
            return False
        return True

    def _serve(self, pdu: WrapperPdu) -> None:
        known = getattr(self.handler, "known_clients", KNOWN_CLIENTS)
        if pdu.destination != self.logical or pdu.source not in known:
            log.info("ignoring wrapper PDU from wPort %d to %d", pdu.source, pdu.destination)
            return
        self._last_valid, self._unserved = time.monotonic(), 0
        reply = self.handler.handle(pdu.source, pdu.apdu)
        self.sock.sendall(encode_wrapper(WrapperPdu(self.logical, pdu.source, reply.apdu)))


class WrapperMeterServer(SecureMeterServer):
    """The simulated meter on TCP with the IEC 62056-47 wrapper instead of HDLC."""

    def _connection(self, sock: socket.socket, peer: tuple[str, int],
                    number: int) -> Connection:
        return WrapperConnection(  # type: ignore[return-value]
            sock, peer, number, answerer=self._answerer(), logical=self.config.logical,
            max_apdu=4 * self.config.max_pdu_size, faults=self._injector(number),
            stop=self._stop, idle_timeout=self.config.idle_timeout)
