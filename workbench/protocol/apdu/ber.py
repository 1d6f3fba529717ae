"""The few BER (X.690) pieces the ACSE layer needs: TLV framing, lengths, OIDs, INTEGERs.

Why not a general ASN.1 library: AARQ/AARE/RLRQ/RLRE use one-byte tags only, definite
lengths only, and a handful of primitive types, so a small reader that reports exact
offsets in its errors serves the dissector better than a generic codec would.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.errors import DecodeError, EncodeError
from workbench.protocol.fields import encode_axdr_length

__all__ = [
    "Tlv",
    "decode_integer",
    "decode_oid",
    "encode_integer",
    "encode_length",
    "encode_oid",
    "read_tlv",
    "tlv",
]


@dataclass(frozen=True, slots=True)
class Tlv:
    """One BER element found in a buffer: its tag, where it starts, and its content span."""

    tag: int
    offset: int
    start: int
    end: int

    @property
    def header_length(self) -> int:
        return self.start - self.offset


def encode_length(n: int) -> bytes:
    """BER definite length (X.690 8.1.3): short form below 128, else 0x8N and N bytes.

    A different standard from the A-XDR length, but for every size an ACSE APDU can have
    (under 2**32) the same bytes, so the one A-XDR encoder writes it.
    """
    return encode_axdr_length(n)


def tlv(tag: int, content: bytes) -> bytes:
    """Encode one element with a one-byte tag."""
    return bytes([tag]) + encode_length(len(content)) + content


def read_tlv(buf: bytes, offset: int, end: int, what: str) -> Tlv:
    """Read tag and length at ``offset``; check the content fits before ``end``.

    Raises:
        DecodeError: truncated header, indefinite or oversized length, content past ``end``.
    """
    if offset >= end:
        raise DecodeError("element missing", offset=offset, length=0, expected="a BER tag",
                          what=what)
    tag = buf[offset]
    if tag & 0x1F == 0x1F:
        raise DecodeError("multi-byte BER tag not used by ACSE", offset=offset,
                          got=f"0x{tag:02X}", what=what)
    pos = offset + 1
    if pos >= end:
        raise DecodeError(f"length of element 0x{tag:02X} missing", offset=pos, length=0,
                          what=what)
    first = buf[pos]
    pos += 1
    if first < 0x80:
        length = first
    elif first == 0x80:
        raise DecodeError("indefinite BER length not allowed", offset=pos - 1, got="0x80",
                          expected="a definite length", what=what)
    else:
        count = first & 0x7F
        if count > 4 or pos + count > end:
            raise DecodeError("bad BER long-form length", offset=pos - 1, length=1 + count,
                              got=f"0x{first:02X}", what=what)
        length = int.from_bytes(buf[pos:pos + count], "big")
        pos += count
    if pos + length > end:
        raise DecodeError(f"element 0x{tag:02X} runs past its container", offset=offset,
                          length=pos - offset, expected=f"{length} content bytes",
                          got=f"{end - pos} left", what=what)
    return Tlv(tag, offset, pos, pos + length)


def encode_oid(arcs: tuple[int, ...]) -> bytes:
    """Content octets of an OBJECT IDENTIFIER (first two arcs joined, base-128 arcs)."""
    if len(arcs) < 2 or arcs[0] > 2:
        raise EncodeError(f"invalid object identifier {arcs}")
    out = bytearray()
    for arc in (arcs[0] * 40 + arcs[1], *arcs[2:]):
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out.extend(reversed(chunk))
    return bytes(out)


def decode_oid(content: bytes, offset: int, what: str) -> tuple[int, ...]:
    """Inverse of :func:`encode_oid`; ``offset`` is only used for error positions."""
    if not content or content[-1] & 0x80:
        raise DecodeError("truncated object identifier", offset=offset,
                          length=max(len(content), 1), got=content.hex(" ") or "nothing",
                          what=what)
    arcs: list[int] = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = arcs[0]
    head = (min(first // 40, 2), first - 40 * min(first // 40, 2))
    return (*head, *arcs[1:])


def encode_integer(n: int) -> bytes:
    """Content octets of an INTEGER: minimal two's complement."""
    size = max(1, (n + (n < 0)).bit_length() // 8 + 1)
    return n.to_bytes(size, "big", signed=True)


def decode_integer(content: bytes, offset: int, what: str) -> int:
    if not content or len(content) > 8:
        raise DecodeError("bad INTEGER length", offset=offset, got=f"{len(content)} bytes",
                          expected="1 to 8 bytes", what=what)
    return int.from_bytes(content, "big", signed=True)
