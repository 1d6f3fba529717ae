"""Serial lines: an RS-485 converter or an optical probe on a USB serial port.

pyserial's exceptions are mapped once here, like the socket's in :mod:`.tcp`. A probe
pulled out mid-read surfaces as ``LinkClosed`` ("the serial port /dev/ttyUSB0 went away"),
so the session treats it as a dropped link and reconnects when the port comes back.
:meth:`SerialTransport.configure` changes the line settings of an open port: the optical
sign-on needs 300 baud 7E1 first and the meter's rate at 8N1 afterwards.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import serial  # pyserial ships no type information (ignore_missing_imports)
from serial.tools import list_ports

from workbench.transport.base import Transport
from workbench.transport.errors import (
    ConnectError,
    LinkClosed,
    ReadTimeout,
    TransportError,
    WriteTimeout,
)
from workbench.transport.tcp import map_exceptions

__all__ = ["LineSettings", "SerialPortInfo", "SerialTransport", "available_ports"]

_OPEN_MAP: dict[type[BaseException], type[TransportError]] = {
    serial.SerialException: ConnectError, OSError: ConnectError, ValueError: ConnectError}
_IO_MAP: dict[type[BaseException], type[TransportError]] = {
    serial.SerialTimeoutException: WriteTimeout, serial.SerialException: LinkClosed,
    OSError: LinkClosed}


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
        with map_exceptions(_OPEN_MAP, f"cannot open {self.peer}"):
            port = serial.Serial(port=None, timeout=timeout, write_timeout=timeout)
            port.port = self._device
            self._apply(port, self._settings)
            port.open()
        self._port = port

    def configure(self, settings: LineSettings) -> None:
        """Change baud rate and character format on the open port (sign-on → HDLC)."""
        port = self._require_open()
        with map_exceptions(_IO_MAP, f"reconfiguring {self.peer}"):
            port.flush()
            self._apply(port, settings)
        self._settings = settings

    def read(self, max_bytes: int, timeout: float) -> bytes:
        port = self._require_open()
        with map_exceptions(_IO_MAP, f"reading from {self.peer} (probe unplugged?)"):
            port.timeout = max(timeout, 0.0001)
            first = bytes(port.read(1))
            if not first:
                raise ReadTimeout(f"nothing from {self.peer} within {timeout:g} s")
            waiting = min(int(port.in_waiting), max_bytes - 1)
            return first + (bytes(port.read(waiting)) if waiting > 0 else b"")

    def write(self, data: bytes, timeout: float) -> None:
        port = self._require_open()
        with map_exceptions(_IO_MAP, f"writing to {self.peer}"):
            port.write_timeout = max(timeout, 0.0001)
            port.write(data)
            port.flush()

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(serial.SerialException, OSError):
                port.close()

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
