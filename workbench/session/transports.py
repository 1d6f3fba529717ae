"""Which byte pipe a session runs over: TCP, a serial line, an optical probe or the wrapper.

One choice, read from :class:`~workbench.session.settings.ConnectionSettings`, decides both
the transport (TCP or a serial port, the optical sign-on inside its ``open``) and the
framing above it: HDLC on TCP, serial and optical lines; the IEC 62056-47 wrapper (no HDLC)
on TCP port 4059. The session's link code never asks which one it got.

A serial device that goes away mid-session (a probe unplugged) is remembered by the
:class:`TransportMaker`: while it stays away, every reconnect fails with the same plain
words (":class:`~workbench.transport.errors.PortGone`: went away — plug it back in")
rather than a bare "cannot open", and the first open that works again forgets it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.protocol.optical import Identification
from workbench.transport.base import Transport
from workbench.transport.errors import PortGone, PortMissing
from workbench.transport.optical import OpticalTransport
from workbench.transport.serial import LineSettings, SerialTransport
from workbench.transport.tcp import TcpTransport

if TYPE_CHECKING:
    from workbench.session.settings import ConnectionSettings

__all__ = ["PORT_HINT", "SERIAL_BAUDS", "SERIAL_TRANSPORTS", "TRANSPORTS", "WRAPPER_PORT",
           "TransportMaker", "check_transport"]

TRANSPORTS = ("tcp", "serial", "optical", "wrapper")
"""tcp: HDLC over raw TCP (Microstar, port 3333); serial: HDLC on a serial line (RS-485,
RS-232); optical: an IEC 62056-21 probe (mode E sign-on, then HDLC); wrapper: the
IEC 62056-47 TCP wrapper (port 4059, no HDLC)."""
WRAPPER_PORT = 4059
SERIAL_TRANSPORTS = ("serial", "optical")
PORT_HINT = ("Keep the probe or adapter plugged in and powered; check its cable and that no "
             "other program holds the port (the connection panel lists the ports; --com takes "
             "one of them).")
"""What to try when a serial port fails, in place of the TCP hints (host, port, modem)."""
SERIAL_BAUDS = (300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


def check_transport(transport: str, device: str, baud: int) -> None:
    """Refuse a choice that cannot work, naming what is missing.

    Raises:
        ValueError: an unknown transport, a serial one without a device, an odd baud rate.
    """
    if transport not in TRANSPORTS:
        raise ValueError(f"transport must be one of {', '.join(TRANSPORTS)}, got {transport!r}")
    if transport in SERIAL_TRANSPORTS and not device:
        raise ValueError(f"the {transport} transport needs a serial device "
                         "(/dev/ttyUSB0, COM3 ...)")
    if baud not in SERIAL_BAUDS:
        raise ValueError(f"baud must be one of {', '.join(map(str, SERIAL_BAUDS))}, got {baud}")


class TransportMaker:
    """The transport factory a :class:`~workbench.session.client.DlmsClient` calls on every
    (re)connect. It remembers the optical probe's last identification for the user to see.

    Attributes:
        identification: what the meter answered the last optical sign-on, if any.
        gone: how the serial device went away, until it opens again (None: it did not).
    """

    def __init__(self, settings: ConnectionSettings) -> None:
        self._settings = settings
        self.identification: Identification | None = None
        self.gone: PortGone | None = None

    def __call__(self, host: str, port: int) -> Transport:
        s = self._settings
        if s.transport == "serial":
            return _WatchedLine(s.device, self, LineSettings(s.baud, 8, "N", 1))
        if s.transport == "optical":
            return _WatchedProbe(s.device, self, max_baud=s.baud)
        return TcpTransport(host, port)


class _Watched(SerialTransport):
    """A serial transport that tells its maker when the device goes away or opens again."""

    _maker: TransportMaker

    def open(self, timeout: float) -> None:
        gone, self._maker.gone = self._maker.gone, None  # there again, unless missing
        try:
            super().open(timeout)
        except PortMissing as exc:
            self._maker.gone = gone
            if gone is not None:  # still away: say what happened, not just "no such port"
                raise PortMissing(str(gone)) from exc
            raise

    def read(self, max_bytes: int, timeout: float) -> bytes:
        try:
            return super().read(max_bytes, timeout)
        except PortGone as exc:
            self._maker.gone = exc
            raise

    def write(self, data: bytes, timeout: float) -> None:
        try:
            super().write(data, timeout)
        except PortGone as exc:
            self._maker.gone = exc
            raise


class _WatchedLine(_Watched):
    """HDLC on a serial line (RS-485/RS-232 adapter)."""

    def __init__(self, device: str, maker: TransportMaker, line: LineSettings) -> None:
        super().__init__(device, line)
        self._maker = maker


class _WatchedProbe(_Watched, OpticalTransport):
    """An optical probe that also hands its identification to the maker once signed on."""

    def __init__(self, device: str, maker: TransportMaker, max_baud: int) -> None:
        OpticalTransport.__init__(self, device, max_baud=max_baud)
        self._maker = maker

    def open(self, timeout: float) -> None:
        super().open(timeout)
        self._maker.identification = self.identification
