"""HDLC addresses of IEC 62056-46: 1, 2 or 4 bytes, each byte carrying 7 bits plus an end bit.

The least significant bit of every address byte is the *extension bit*: 0 means "more address
bytes follow", 1 marks the last byte. The client address is always one byte (the client SAP).
The server address is split into an *upper* HDLC address (the logical device, 1 on Microstar
meters) and a *lower* one (the physical device, the last four digits of the serial):

* 1 byte:  upper only (7 bits), e.g. ``03`` = logical 1;
* 2 bytes: upper (7 bits), lower (7 bits), e.g. ``02 03`` = logical 1, physical 1;
* 4 bytes: upper (14 bits in two bytes), lower (14 bits in two bytes), e.g. ``00 02 12 A5`` =
  logical 1, physical 1234.

Frames carry the address bytes unchanged (``HdlcFrame.dest`` / ``src`` are ``bytes``) so a
server can answer in exactly the form it was addressed in; :func:`decode_address` gives the
numbers when they are needed.
"""

from __future__ import annotations

from typing import NamedTuple

from workbench.protocol.errors import DecodeError, EncodeError

__all__ = [
    "HdlcAddress",
    "client_address",
    "decode_address",
    "encode_address",
    "physical_from_serial",
    "server_address",
]

_MAX_BITS = {1: 7, 2: 7, 4: 14}


class HdlcAddress(NamedTuple):
    """A decoded address: ``lower`` is None for a 1-byte address."""

    upper: int
    lower: int | None
    size: int

    def __str__(self) -> str:
        if self.lower is None:
            return f"{self.upper}"
        return f"upper {self.upper} (logical), lower {self.lower} (physical)"


def _split(value: int, nbytes: int) -> list[int]:
    """7-bit groups of ``value``, most significant first, each shifted left for the end bit."""
    return [((value >> (7 * i)) & 0x7F) << 1 for i in reversed(range(nbytes))]


def encode_address(upper: int, lower: int | None = None, size: int = 4) -> bytes:
    """Encode an HDLC address of ``size`` bytes (1, 2 or 4), end bit set on the last byte.

    Raises:
        EncodeError: bad size, a part that does not fit, or ``lower`` given for size 1.
    """
    if size not in _MAX_BITS:
        raise EncodeError(f"HDLC address size must be 1, 2 or 4 bytes, not {size}")
    limit = (1 << _MAX_BITS[size]) - 1
    if size == 1 and lower is not None:
        raise EncodeError("a 1-byte HDLC address has no lower (physical) part")
    for name, part in (("upper", upper), ("lower", lower)):
        if part is not None and not 0 <= part <= limit:
            raise EncodeError(f"{name} HDLC address {part} does not fit in {size} byte(s)",
                              expected=f"0..{limit}")
    half = 1 if size <= 2 else 2
    groups = _split(upper, half) + ([] if size == 1 else _split(lower or 0, half))
    groups[-1] |= 1
    return bytes(groups)


def server_address(logical: int, physical: int | None, size: int = 4) -> bytes:
    """Server (meter) address bytes; with ``size=1`` only the logical part is sent.

    >>> server_address(1, 1234).hex(" ")
    '00 02 12 a5'
    """
    return encode_address(logical, None if size == 1 else physical, size)


def client_address(sap: int) -> bytes:
    """One-byte client address for a client SAP (16 public, 32 management, 1 ...)."""
    return encode_address(sap, None, 1)


def decode_address(raw: bytes) -> HdlcAddress:
    """Decode address bytes as found in a frame (end bit on the last byte only).

    Raises:
        DecodeError: wrong length (3 or more than 4 bytes) or misplaced end bits.
    """
    size = len(raw)
    if size not in _MAX_BITS:
        raise DecodeError("HDLC address must be 1, 2 or 4 bytes", got=f"{size} bytes")
    ends = [b & 1 for b in raw]
    if ends[-1] != 1 or any(ends[:-1]):
        raise DecodeError("HDLC address end bit misplaced", got=raw.hex(" ").upper(),
                          expected="end bit (0x01) on the last byte only")
    half = 1 if size <= 2 else 2
    upper = _join(raw[:half])
    return HdlcAddress(upper, None if size == 1 else _join(raw[half:]), size)


def _join(part: bytes) -> int:
    value = 0
    for b in part:
        value = (value << 7) | (b >> 1)
    return value


def read_address(data: bytes, offset: int, what: str) -> int:
    """Return the end offset of the address starting at ``offset`` (scan for the end bit).

    Raises:
        DecodeError: no end bit within 4 bytes, a 3-byte address, or the data ends first.
    """
    for i in range(offset, min(offset + 4, len(data))):
        if data[i] & 1:
            size = i - offset + 1
            if size == 3:
                raise DecodeError(f"{what} is 3 bytes long", offset=offset, length=3,
                                  got=data[offset:i + 1].hex(" ").upper(),
                                  expected="1, 2 or 4 address bytes", what="HDLC frame")
            return i + 1
    if len(data) < offset + 4:
        raise DecodeError(f"frame ends inside the {what}", offset=len(data), length=0,
                          expected="more address bytes, the last with bit 0 set",
                          what="HDLC frame")
    raise DecodeError(f"{what} has no end bit within 4 bytes", offset=offset, length=4,
                      got=data[offset:offset + 4].hex(" ").upper(),
                      expected="a byte with bit 0 set", what="HDLC frame")


def physical_from_serial(serial: str | int) -> int:
    """Physical address of a Microstar meter: the last four digits of its serial number.

    >>> physical_from_serial("000019001234")
    1234

    Raises:
        EncodeError: the serial has no digits at its end.
    """
    text = str(serial).strip()
    digits = text[-4:]
    if not digits.isdigit():
        raise EncodeError("a meter serial must end in 4 digits", got=repr(text))
    return int(digits)
