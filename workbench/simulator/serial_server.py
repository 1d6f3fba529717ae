"""The simulated meter on a serial line: HDLC on RS-485/RS-232, or behind an optical head.

A serial port has one peer and no accept: the meter serves it from one thread, as one
long-lived :class:`~workbench.simulator.connection.Connection` after another (a new one
after each idle time-out, so a fresh client finds a fresh link). The connection code is the
TCP meter's own, over :class:`_PortAsSocket`, which gives the port the three socket calls
the connection makes.

With ``optical``, the port also answers the IEC 62056-21 mode E sign-on whenever one
arrives between frames (a sign-on starts with ``/``, an HDLC frame with ``7E``, so they
cannot be confused): identification ``/MSR5\\2MS3P<serial>`` (9600 baud offered, mode E),
then the client's acknowledgement, after which HDLC begins.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from workbench.protocol.errors import ProtocolError
from workbench.protocol.optical import BAUD_RATES, with_even_parity
from workbench.simulator.connection import POLL
from workbench.simulator.secure import SecureMeterServer
from workbench.transport.errors import LinkClosed, ReadTimeout, TransportError
from workbench.transport.serial import SIGN_ON, LineSettings, SerialTransport

__all__ = ["SerialMeterServer", "identification_for"]

log = logging.getLogger("workbench.simulator")

_SIGN_ON_LIMIT = 40  # "/?" + a 32-character address + "!\r\n", with margin
_OFFERED = "5"  # 9600 baud


def identification_for(serial: str) -> bytes:
    """The meter's answer to a sign-on: Microstar letters, 9600 baud, mode E, the serial."""
    return f"/MSR{_OFFERED}\\2MS3P{serial}\r\n".encode("ascii")


class _PortAsSocket:
    """The socket calls a :class:`Connection` makes (recv, sendall, settimeout, setsockopt,
    shutdown, close),
    on a serial port; the optical sign-on is answered here, below HDLC."""

    def __init__(self, port: SerialTransport, serial: str, optical: bool) -> None:
        self._port, self._serial, self._optical = port, serial, optical
        self._closed = threading.Event()
        self.gone: LinkClosed | None = None  # the port itself failed (device unplugged)

    def settimeout(self, _timeout: float) -> None:
        """Reads are short slices already (POLL)."""

    def setsockopt(self, *_option: object) -> None:
        """Socket options (TCP_NODELAY) mean nothing on a serial line."""

    def recv(self, size: int) -> bytes:
        if self._closed.is_set():
            raise OSError("the port is closed")
        try:
            data = self._port.read(size, POLL)
        except ReadTimeout:
            raise TimeoutError from None
        except LinkClosed as exc:
            self.gone = exc
            raise OSError(str(exc)) from exc
        if self._optical and data[:1] in (b"/", b"\xaf"):
            self._sign_on(data)
            raise TimeoutError  # nothing for HDLC in it
        return data

    def sendall(self, data: bytes) -> None:
        try:
            self._port.write(data, 5.0)
        except TransportError as exc:
            raise OSError(str(exc)) from exc

    def shutdown(self, _how: int) -> None:
        self._closed.set()

    def close(self) -> None:
        self._closed.set()

    def _sign_on(self, first: bytes) -> None:
        """Answer ``/?!`` with the identification, then take the ACK and switch rate."""
        try:
            line = self._line(first)
            if not bytes(b & 0x7F for b in line).startswith(b"/?"):
                log.info("optical: not a sign-on request: %s", line[:16].hex(" "))
                return
            self._port.write(with_even_parity(identification_for(self._serial)), 2.0)
            ack = bytes(b & 0x7F for b in self._line(b""))
            baud_char = chr(ack[2]) if len(ack) >= 5 and ack[0] == 0x06 else ""
            if baud_char not in BAUD_RATES or baud_char > _OFFERED:
                log.info("optical: no acknowledgement we accept: %s", ack.hex(" "))
                return
            self._port.configure(LineSettings(BAUD_RATES[baud_char], 8, "N", 1))
            log.info("optical: signed on, HDLC at %d baud", BAUD_RATES[baud_char])
        except (TransportError, ProtocolError) as exc:
            log.info("optical: sign-on failed: %s", exc)

    def _line(self, data: bytes) -> bytes:
        """Bytes up to LF, bounded in length and in time (the standard's 1.5 s)."""
        deadline = time.monotonic() + 1.5
        while not data.endswith(b"\n") and len(data) <= _SIGN_ON_LIMIT:
            if time.monotonic() > deadline:
                raise ReadTimeout("sign-on line cut short")
            try:
                data += self._port.read(_SIGN_ON_LIMIT, POLL)
            except ReadTimeout:
                continue
        return data


class SerialMeterServer(SecureMeterServer):
    """The simulated meter on a serial device (optionally with the optical sign-on).

    Args:
        device: the port the meter listens on (one end of a null modem in tests).
        optical: answer the IEC 62056-21 sign-on (mode E) before HDLC.
        baud: the line rate when not optical (the optical sign-on starts at 300).
        Other arguments as :class:`SecureMeterServer` (config, security, time_source ...).
    """

    def __init__(self, device: str, *, optical: bool = False, baud: int = 9600,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.device, self.optical = device, optical
        self._line = SIGN_ON if optical else LineSettings(baud, 8, "N", 1)
        self._port: SerialTransport | None = None

    @property
    def address(self) -> tuple[str, int]:
        """(device, 0): where the meter listens, for the announcement."""
        return self.device, 0

    def start(self) -> SerialMeterServer:
        """Open the port and serve it in a background thread.

        Raises:
            ValueError: the device cannot be opened (the message names it and why).
        """
        port = SerialTransport(self.device, self._line)
        try:
            port.open(2.0)
        except TransportError as exc:
            raise ValueError(str(exc)) from exc
        self._port = port
        thread = threading.Thread(target=self._serve_port, name="meter-serial", daemon=True)
        self._threads.append(thread)
        thread.start()
        log.info("meter %s on %s%s", self.config.serial, self.device,
                 " (optical, mode E)" if self.optical else f" at {self._line}")
        return self

    def stop(self) -> None:
        super().stop()
        if self._port is not None:
            self._port.close()

    def _serve_port(self) -> None:
        """One conversation after another on the port, until stopped or the port goes away.

        A port that fails (the device was unplugged, the other end of the cable closed) is
        said once and not retried: a loop on a dead device would only spin.
        """
        assert self._port is not None
        while not self._stop.is_set():
            sock = _PortAsSocket(self._port, self.config.serial, self.optical)
            conn = self._connection(sock, (self.device, 0), next(self._numbers))  # type: ignore[arg-type]
            with self._lock:
                self._connections.add(conn)
            self._run(conn)
            if sock.gone is not None:
                log.warning("meter %s: %s; no longer serving it", self.config.serial, sock.gone)
                return
            self._stop.wait(0.05)
