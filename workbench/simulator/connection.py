"""One TCP client of the simulated meter: bytes ↔ HDLC link ↔ request handler.

Hardening, as a real meter behaves and so that nobody can hold the bench meter hostage:

* The idle timer restarts only on a *valid frame addressed to this meter* from a known
  client (the link accepted it: it answered, or its sequence moved). Junk, frames for
  another address and a one-byte trickle never keep a connection open.
* A connection that sends :data:`JUNK_LIMIT` bytes without one such frame is closed: the
  cost of any flood (flags, junk, frames for other meters) is bounded per connection.
* Buffers: the frame reader holds at most one frame; the link caps the reassembly of a
  segmented request (:func:`reassembly_cap`); the handler caps a block-wise SET.

Faults act after the link, on the bytes leaving the socket: a frame they drop or break was
sent as far as the :class:`ServerLink` knows, so it stays unacknowledged and is resent when
the client polls (RR, P=1) or repeats its request, as a real meter on a noisy line does.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Protocol

from workbench.protocol.errors import ApduTooLarge
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
from workbench.simulator.faults import FaultInjector, Outgoing
from workbench.simulator.handler import KNOWN_CLIENTS, Reply
from workbench.simulator.quirks import UA_GROUP_LENGTH_ZERO, zero_ua_group_length

__all__ = ["JUNK_LIMIT", "POLL", "Answerer", "Connection", "reassembly_cap"]

log = logging.getLogger("workbench.simulator")

POLL = 0.05
"""Seconds between checks of the stop flag and the idle timer."""

JUNK_LIMIT = 8192
"""Bytes a connection may send without one valid frame for this meter before it is closed.

Every I-frame accepted in sequence counts as valid at once (the link's ``progress``), even
mid-window, so an honest client never sends more than one frame (2,030 bytes at most)
between two valid ones; four times that leaves room for a noisy line. The worst flood for
the frame reader (``7E A0`` repeated) costs about 0.1 CPU-second before the cut."""

_RECV_SIZE = 4096


def reassembly_cap(max_pdu_size: int) -> int:
    """The link's reassembly cap for a meter whose server-max-receive-pdu-size is given.

    Larger than the PDU size on purpose: a request a little too long still reaches the
    handler, which answers it with a clear "PDU too long" instead of silence; only what
    no honest client sends is cut off by the link.
    """
    return max(4 * max_pdu_size, 4096)


class Answerer(Protocol):
    """What a connection needs from the application layer (a RequestHandler, a replay)."""

    def handle(self, client_sap: int, apdu: bytes) -> Reply: ...

    def release(self) -> None: ...


class Connection:
    """One TCP client of the meter, served by :meth:`run` on its own thread.

    Args:
        sock: the accepted socket.
        peer: the client's address, for the log.
        number: connection number (faults count per connection).
        new_link: makes a fresh ServerLink (also after an unknown client is dropped).
        answerer: the application layer for this connection.
        faults: the fault injector for this connection.
        stop: the server's stop flag.
        idle_timeout: seconds without a valid frame before the meter drops the link.
        quirks: the meter's quirk names (the UA rewrite acts here).
    """

    def __init__(self, sock: socket.socket, peer: tuple[str, int], number: int, *,
                 new_link: Callable[[], ServerLink], answerer: Answerer,
                 faults: FaultInjector, stop: threading.Event, idle_timeout: float,
                 quirks: tuple[str, ...] = ()) -> None:
        self.sock, self.peer, self.number = sock, peer, number
        self.faults, self.stop, self.idle_timeout = faults, stop, idle_timeout
        self._new_link, self.handler, self.quirks = new_link, answerer, quirks
        self.link = new_link()
        self.client_sap: int | None = None
        self._partial_block = False
        self._closed = threading.Event()
        self._last_valid = time.monotonic()
        self._junk = 0

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()

    def run(self) -> None:
        log.debug("connection from %s:%d", *self.peer[:2])
        self.sock.settimeout(POLL)
        with contextlib.suppress(OSError):  # answers leave at once, as from a meter's modem
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._last_valid = time.monotonic()
        while not self.stop.is_set() and not self._closed.is_set():
            data = self._receive()
            if data is None:
                return
            if data and not self._feed(data):
                return

    def _receive(self) -> bytes | None:
        """Bytes from the client; b"" for nothing yet; None when the connection must end."""
        try:
            data = self.sock.recv(_RECV_SIZE)
        except TimeoutError:
            if time.monotonic() - self._last_valid < self.idle_timeout:
                return b""
            log.info("dropping %s:%d after %.1f s without a valid frame for this meter",
                     *self.peer[:2], self.idle_timeout)
            return None
        except OSError:
            return None
        if not data:
            log.debug("client %s:%d closed the connection", *self.peer[:2])
            return None
        return data

    def _feed(self, data: bytes) -> bool:
        """Hand bytes to the link and answer; False when the connection must close."""
        progress = self.link.progress
        self.link.receive_data(data)
        self._junk += len(data)
        if not self._process_events():
            return False
        if self.link.progress != progress:
            self._heard()
        if self._junk > JUNK_LIMIT:
            log.info("closing %s:%d: %d bytes without a valid frame for this meter",
                     *self.peer[:2], self._junk)
            return False
        return True

    def _heard(self) -> None:
        """A valid frame for this meter arrived: restart the idle timer and junk count."""
        self._last_valid = time.monotonic()
        self._junk = 0

    def _process_events(self) -> bool:
        """Handle every complete frame; False when the connection must close."""
        while True:
            try:
                event = self.link.next_event()
            except ApduTooLarge as exc:  # the link drops the rest of it and carries on
                log.warning("client %s:%d: %s", *self.peer[:2], exc)
                continue
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
        self.link.send_apdu(reply.apdu)
        return self.link.data_to_send()

    def _send(self, frames: list[bytes]) -> bool:
        frames = [self._quirky(f) for f in frames if self._for_known_client(f)]
        if not frames:
            return True
        self._heard()  # the link answers only valid frames addressed to this meter
        # a non-final GET block counts as sent once its last HDLC segment goes out
        block_done = self._partial_block and not self.link.sending
        if block_done:
            self._partial_block = False
        return self._write(self.faults.shape(frames, partial_block=block_done))

    def _quirky(self, frame: bytes) -> bytes:
        if UA_GROUP_LENGTH_ZERO in self.quirks:
            return zero_ua_group_length(frame)
        return frame

    def _for_known_client(self, frame: bytes) -> bool:
        """Note the client's SAP from our reply; drop replies to unknown clients."""
        sap = decode_address(decode_frame(frame).dest).upper
        if sap in getattr(self.handler, "known_clients", KNOWN_CLIENTS):  # + the HLS client
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
            if out.byte_delay:
                if not all(self._trickle(chunk, out.byte_delay) for chunk in out.chunks):
                    return False
            else:  # one write for the whole window: Nagle never holds frames back
                self.sock.sendall(b"".join(out.chunks))
        except OSError:
            return False
        if out.close_after:
            log.info("fault injection: dropping the link to %s:%d", *self.peer[:2])
        return not out.close_after

    def _trickle(self, chunk: bytes, byte_delay: float) -> bool:
        """Send one byte at a time (the slow-bytes fault); False when stopped."""
        for i in range(len(chunk)):
            self.sock.sendall(chunk[i:i + 1])
            if self.stop.wait(byte_delay):
                return False
        return True
