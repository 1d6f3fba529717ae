"""Serial lines: an RS-485 converter or an optical probe on a USB serial port.

pyserial's exceptions are mapped once here, like the socket's in :mod:`.tcp`. A probe
pulled out mid-read surfaces as :class:`~workbench.transport.errors.PortGone`, a
``LinkClosed`` that says so in plain words ("the serial port /dev/ttyUSB0 went away — the
optical probe was unplugged or lost power; plug it back in and connect again"), so the
session treats it as a dropped link and reconnects once the port is back. A port that is
not there at all when opening is named the same plain way, with the ports that are.
:meth:`SerialTransport.configure` changes the line settings of an open port: the optical
sign-on needs 300 baud 7E1 first and the meter's rate at 8N1 afterwards.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from dataclasses import dataclass

import serial  # pyserial ships no type information (ignore_missing_imports)
from serial.tools import list_ports

from workbench.transport.base import Transport
from workbench.transport.errors import (
    ConnectError,
    LinkClosed,
    PortGone,
    PortMissing,
    ReadTimeout,
    TransportError,
    WriteTimeout,
)
from workbench.transport.tcp import map_exceptions

__all__ = ["LineSettings", "SerialPortInfo", "SerialTransport", "available_ports"]

try:  # pyserial lets termios.error (not an OSError) out of flush() on POSIX
    from termios import error as _TermiosError

    _PORT_FAILURES: tuple[type[Exception], ...] = (serial.SerialException, OSError,
                                                   _TermiosError)
except ImportError:  # Windows
    _PORT_FAILURES = (serial.SerialException, OSError)
_OPEN_MAP: dict[type[BaseException], type[TransportError]] = {
    serial.SerialException: ConnectError, OSError: ConnectError, ValueError: ConnectError}


@dataclass(frozen=True, slots=True)
class LineSettings:
    """Baud rate and character format of a serial line."""

    baud: int = 9600
    bytesize: int = 8
    parity: str = "N"  # "N", "E" or "O"
    stopbits: int = 1

    def __str__(self) -> str:
        return f"{self.baud} {self.bytesize}{self.parity}{self.stopbits}"


#: IEC 62056-21 sign-on: 300 baud 7E1, sent as 8N1 with the parity bit computed by
#: :func:`workbench.protocol.optical.with_even_parity` (the same bits on the wire; some USB
#: converters and pseudo-terminals refuse 7-bit formats).
SIGN_ON = LineSettings(300, 8, "N", 1)


@dataclass(frozen=True, slots=True)
class SerialPortInfo:
    """A serial port as the connection panel lists it."""

    device: str
    description: str

    def __str__(self) -> str:
        return f"{self.device} — {self.description}" if self.description else self.device


def available_ports() -> list[SerialPortInfo]:
    """The serial ports this machine has now, by name and description (USB probes included)."""
    ports = [SerialPortInfo(p.device, p.description if p.description != "n/a" else "")
             for p in list_ports.comports()]
    return sorted(ports, key=lambda p: p.device)


class SerialTransport(Transport):
    """A serial port with per-call timeouts.

    Args:
        device: ``/dev/ttyUSB0``, ``COM3``…
        settings: the line settings used when the port opens.
    """

    #: What the user plugs in to get this port, for the plain-language errors.
    HOLDER = "the serial adapter"

    def __init__(self, device: str, settings: LineSettings | None = None) -> None:
        self._device = device
        self._settings = settings or LineSettings()
        self._port: serial.Serial | None = None

    @property
    def peer(self) -> str:
        return f"serial port {self._device}"

    @property
    def settings(self) -> LineSettings:
        """The line settings in force."""
        return self._settings

    def __repr__(self) -> str:
        state = "open" if self._port is not None else "closed"
        return f"<SerialTransport {self._device} {self._settings} {state}>"

    def open(self, timeout: float) -> None:
        if self._port is not None:
            return
        with self._missing_named(), map_exceptions(_OPEN_MAP, f"cannot open {self.peer}"):
            port = serial.Serial(port=None, timeout=timeout, write_timeout=timeout)
            port.port = self._device
            self._apply(port, self._settings)
            port.open()
        self._port = port

    def gone(self) -> PortGone:
        """The error for this port going away under us, in the user's words."""
        return PortGone(f"the serial port {self._device} went away — {self.HOLDER} was "
                        "unplugged or lost power; plug it back in and connect again")

    def configure(self, settings: LineSettings) -> None:
        """Change baud rate and character format on the open port (sign-on → HDLC)."""
        port = self._require_open()
        with self._io():
            port.flush()
            self._apply(port, settings)
        self._settings = settings

    def read(self, max_bytes: int, timeout: float) -> bytes:
        port = self._require_open()
        with self._io():
            port.timeout = max(timeout, 0.0001)
            first = bytes(port.read(1))
            if not first:
                raise ReadTimeout(f"nothing from {self.peer} within {timeout:g} s")
            waiting = min(int(port.in_waiting), max_bytes - 1)
            return first + (bytes(port.read(waiting)) if waiting > 0 else b"")

    def write(self, data: bytes, timeout: float) -> None:
        port = self._require_open()
        with self._io():
            port.write_timeout = max(timeout, 0.0001)
            port.write(data)
            port.flush()

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(*_PORT_FAILURES):
                port.close()

    @contextlib.contextmanager
    def _io(self) -> Iterator[None]:
        """pyserial's failures on an open port: a write time-out, else the port is gone
        (pyserial reports an unplugged device as a failed read or write, EIO or "returned
        no data", on every platform)."""
        try:
            yield
        except serial.SerialTimeoutException as exc:
            raise WriteTimeout(f"{self.peer} did not take our bytes in time") from exc
        except _PORT_FAILURES as exc:
            raise self.gone() from exc

    @contextlib.contextmanager
    def _missing_named(self) -> Iterator[None]:
        """A port that does not exist is named plainly, with the ports that do."""
        try:
            yield
        except ConnectError as exc:
            cause = exc.__cause__
            if not (getattr(cause, "errno", None) in (errno.ENOENT, errno.ENODEV)
                    or "FileNotFoundError" in str(cause)):
                raise
            present = ", ".join(p.device for p in available_ports()) or "none"
            raise PortMissing(f"there is no serial port {self._device} — {self.HOLDER} is "
                               f"not plugged in (or has no power), or the name is wrong; "
                               f"ports on this computer: {present}") from cause

    @staticmethod
    def _apply(port: serial.Serial, settings: LineSettings) -> None:
        port.baudrate = settings.baud
        port.bytesize = settings.bytesize
        port.parity = settings.parity
        port.stopbits = settings.stopbits

    def _require_open(self) -> serial.Serial:
        if self._port is None:
            raise LinkClosed(f"{self.peer} is not open")
        return self._port
