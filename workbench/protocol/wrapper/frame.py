"""Wrapper PDUs: encode one, decode one, and split a byte stream into them (bounded).

Why a reader with a cap: the length field is 16 bits, so one PDU is at most 65,535 bytes of
APDU, but a peer could also announce a length it never sends. The reader holds at most one
PDU's worth of bytes and leaves the waiting to the session's deadlines; a header with a
wrong version is reported with its bytes, never taken for silence.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from workbench.protocol.errors import DecodeError, EncodeError

__all__ = ["HEADER_LENGTH", "WRAPPER_VERSION", "WrapperPdu", "WrapperReader", "decode_wrapper",
           "encode_wrapper"]

WRAPPER_VERSION = 1
HEADER_LENGTH = 8
_HEADER = struct.Struct(">HHHH")


@dataclass(frozen=True, slots=True)
class WrapperPdu:
    """One wrapper PDU: who sent it to whom, and the APDU it carries."""

    source: int
    destination: int
    apdu: bytes

    def __post_init__(self) -> None:
        for name in ("source", "destination"):
            value = getattr(self, name)
            if not 0 <= value <= 0xFFFF:
                raise EncodeError(f"wrapper {name} wPort must be 0..65535, got {value}")
        if len(self.apdu) > 0xFFFF:
            raise EncodeError(f"an APDU of {len(self.apdu)} bytes does not fit one wrapper "
                              "PDU (at most 65,535)")


def encode_wrapper(pdu: WrapperPdu) -> bytes:
    """Header + APDU, as sent."""
    return _HEADER.pack(WRAPPER_VERSION, pdu.source, pdu.destination, len(pdu.apdu)) + pdu.apdu


def decode_wrapper(raw: bytes) -> WrapperPdu:
    """Decode exactly one wrapper PDU.

    Raises:
        DecodeError: shorter than a header, a version other than 1, or a length that does
            not match the bytes.
    """
    if len(raw) < HEADER_LENGTH:
        raise DecodeError("wrapper header cut short", offset=0,
                          expected=f"{HEADER_LENGTH} bytes", got=f"{len(raw)}")
    version, source, destination, length = _HEADER.unpack_from(raw)
    if version != WRAPPER_VERSION:
        raise DecodeError("not an IEC 62056-47 wrapper header", offset=0, length=2,
                          expected="version 0x0001", got=f"0x{version:04X}")
    if length != len(raw) - HEADER_LENGTH:
        raise DecodeError("wrapper length does not match the bytes", offset=6, length=2,
                          expected=f"{len(raw) - HEADER_LENGTH}", got=f"{length}")
    return WrapperPdu(source, destination, bytes(raw[HEADER_LENGTH:]))


class WrapperReader:
    """Incremental splitter: feed bytes, take whole PDUs.

    Args:
        max_apdu: the largest APDU accepted (the negotiated maximum PDU size); a header
            announcing more is an error at once rather than a wait for bytes.
    """

    def __init__(self, max_apdu: int = 0xFFFF) -> None:
        self.max_apdu = max_apdu
        self._buffer = bytearray()

    def feed(self, data: bytes) -> None:
        """Add received bytes."""
        self._buffer += data

    def next_pdu(self) -> WrapperPdu | None:
        """The next whole PDU, or None while more bytes are needed.

        Raises:
            DecodeError: a bad version, or an announced length over ``max_apdu``. The
                buffer is cleared, since nothing after a broken header can be trusted.
        """
        if len(self._buffer) < HEADER_LENGTH:
            return None
        version, _src, _dst, length = _HEADER.unpack_from(self._buffer)
        if version != WRAPPER_VERSION or length > self.max_apdu:
            head = bytes(self._buffer[:HEADER_LENGTH])
            self._buffer.clear()
            if version != WRAPPER_VERSION:
                raise DecodeError("not an IEC 62056-47 wrapper header", offset=0, length=2,
                                  expected="version 0x0001", got=head.hex(" ").upper())
            raise DecodeError(f"wrapper PDU announces {length} bytes, more than the "
                              f"{self.max_apdu}-byte limit", offset=6, length=2)
        end = HEADER_LENGTH + length
        if len(self._buffer) < end:
            return None
        raw = bytes(self._buffer[:end])
        del self._buffer[:end]
        return decode_wrapper(raw)

    @property
    def pending(self) -> int:
        """Bytes held that do not make a whole PDU yet."""
        return len(self._buffer)
