"""Text for the derived HDLC addresses shown while the serial is typed (Qt-free)."""

from __future__ import annotations

from workbench.protocol.errors import ProtocolError
from workbench.protocol.hdlc import physical_from_serial, server_address

DEFAULT_PHYSICAL = 1234
LOGICAL = 1


def physical_or_default(serial: str) -> int:
    """Physical address from the serial's last 4 digits; 1234 when the serial has none."""
    try:
        return physical_from_serial(serial.strip())
    except ProtocolError:  # a serial without 4 usable digits: the Microstar default
        return DEFAULT_PHYSICAL


def describe(serial: str) -> str:
    """``physical 1234 · server address 00 02 12 A5`` (or why the default is used)."""
    physical = physical_or_default(serial)
    note = "" if _has_digits(serial) else " (default: serial has no digits)"
    address = server_address(LOGICAL, physical, 4).hex(" ").upper()
    return f"physical {physical} · logical {LOGICAL} · server address {address}{note}"


def _has_digits(serial: str) -> bool:
    return any(ch.isdigit() for ch in serial)
