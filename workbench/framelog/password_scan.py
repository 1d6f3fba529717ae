"""Finding the LLS password in AARQ bytes the careful parser rejects.

The dissector marks the password only in an AARQ it can decode to the last byte. Captures
also hold AARQs it cannot decode: cut short, followed by a stray byte, or split over several
HDLC segments (a meter that negotiates a small max_info) so that no single frame holds a
whole APDU. Their password must be masked all the same, so this module reads the AARQ the
forgiving way, on whatever prefix of it is available:

1. walk the AARQ's BER elements (known tags only) and take the value of calling-authentication-value
   (``AC len 80 len value``), even when that value runs past the bytes at hand — unless the
   mechanism-name before it is an HLS one: then that value is a challenge, not a secret;
2. if the walk breaks or misses it, scan for the ``AC n+2 8x n`` pattern anywhere;
3. if the walk broke and nothing matched, give up on precision: everything after the first
   ``AC`` byte (or after the AARQ tag) is treated as secret. Over-masking beats a leak.

Offsets count from the first byte of the LLC header (``E6 E6 00 60 ...``). Spans may end
past the data given (the rest arrives in later segments), up to :data:`OPEN`.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["AARQ_START", "OPEN", "aarq_size", "password_spans"]

AARQ_START = b"\xe6\xe6\x00\x60"
"""LLC request header followed by the AARQ tag: how an AARQ's first information field starts."""

OPEN = 1 << 30
"""End of a span that covers everything from its start on, however many segments follow."""

_AUTH_VALUE = 0xAC  # calling-authentication-value, [12] constructed
_MECHANISM = 0x8B  # mechanism-name, [11] implicit OBJECT IDENTIFIER
_MECHANISM_ARCS = bytes.fromhex("608574050802")  # 2.16.756.5.8.2 as BER: then the mechanism
_LLS = 1
_CHOICES = range(0x80, 0x84)  # Authentication-value: charstring, bitstring, external, other
_AARQ_BODY = len(AARQ_START)  # where the AARQ's length field starts
_AARQ_TAGS = frozenset({0x80, *range(0xA1, 0xAA), 0x8A, 0x8B, _AUTH_VALUE, 0xBD, 0xBE})
"""Tags an AARQ may hold (IEC 62056-5-3 / ISO 8650); any other means the bytes are damaged."""


class _Walk(Enum):
    CLEAN = "consistent so far, no password"
    MALFORMED = "lengths do not add up"
    HLS = "an HLS mechanism: the authentication value is a challenge, nothing is secret"


class _Malformed(Exception):
    """A BER length the walk cannot accept."""


def password_spans(aarq: bytes) -> list[tuple[int, int]]:
    """``(start, end)`` of the bytes to mask in ``aarq``, a prefix of LLC header + AARQ.

    Returns [] only when the bytes are consistent and hold no calling-authentication-value
    (a public client's AARQ, or the password has not arrived yet).
    """
    walked = _walk(aarq)
    if isinstance(walked, tuple):
        return [walked]
    if walked is _Walk.HLS:
        return []
    found = _scan(aarq)
    if found or walked is _Walk.CLEAN:
        return found
    tag = aarq.find(_AUTH_VALUE, _AARQ_BODY + 1)
    return [(tag + 1 if tag >= 0 else _AARQ_BODY, OPEN)]


def aarq_size(aarq: bytes) -> int | None:
    """Bytes from the LLC header to the AARQ's end, as its length field announces them.

    None while the length field has not arrived, or when it is not one an AARQ can have.
    """
    try:
        header = _length(aarq, _AARQ_BODY)
    except _Malformed:
        return None
    return None if header is None else header[1] + header[0]


def _walk(aarq: bytes) -> tuple[int, int] | _Walk:
    """Follow the AARQ's top-level elements to calling-authentication-value's value."""
    try:
        header = _length(aarq, _AARQ_BODY)
        if header is None:
            return _Walk.CLEAN
        size, pos = header
        end = pos + size
        while pos < end:
            element = _length(aarq, pos + 1)
            if element is None:
                return _Walk.CLEAN  # the rest has not arrived (or never will: truncated)
            size, value = element
            if value + size > end or aarq[pos] not in _AARQ_TAGS:
                return _Walk.MALFORMED
            if aarq[pos] == _AUTH_VALUE:
                return _auth_value(aarq, value, value + size)
            if aarq[pos] == _MECHANISM and _is_hls(aarq[value:value + size]):
                return _Walk.HLS
            pos = value + size
    except _Malformed:
        return _Walk.MALFORMED
    return _Walk.CLEAN


def _is_hls(oid: bytes) -> bool:
    """Whether a mechanism-name's content names an HLS mechanism (2.16.756.5.8.2.x, x > 1)."""
    return (len(oid) == len(_MECHANISM_ARCS) + 1 and oid.startswith(_MECHANISM_ARCS)
            and oid[-1] > _LLS)


def _auth_value(aarq: bytes, start: int, end: int) -> tuple[int, int]:
    """The password inside ``AC``'s content ``start..end``: after the choice tag and length."""
    try:
        inner = _length(aarq, start + 1)
    except _Malformed:
        inner = None
    if inner is None:
        return start + 2, end  # choice header not here yet: assume the usual short form
    size, value = inner
    if aarq[start] not in _CHOICES or value + size != end:
        return start, end  # not the expected shape: the whole content is secret
    return value, end


def _scan(aarq: bytes) -> list[tuple[int, int]]:
    """Every ``AC n+2 8x n`` in ``aarq``: the value spans of likely authentication values."""
    spans = []
    tag = aarq.find(_AUTH_VALUE, _AARQ_BODY + 1)
    while 0 <= tag < len(aarq) - 3:
        if aarq[tag + 2] in _CHOICES and aarq[tag + 1] == aarq[tag + 3] + 2:
            spans.append((tag + 4, tag + 4 + aarq[tag + 3]))
        tag = aarq.find(_AUTH_VALUE, tag + 1)
    return spans


def _length(data: bytes, at: int) -> tuple[int, int] | None:
    """BER length at ``at``: ``(length, where the value starts)``, None if not all here yet.

    Raises:
        _Malformed: indefinite or longer than two bytes (an AARQ never needs that).
    """
    if at >= len(data):
        return None
    first = data[at]
    if first < 0x80:
        return first, at + 1
    count = first & 0x7F
    if not 1 <= count <= 2:
        raise _Malformed
    if at + 1 + count > len(data):
        return None
    return int.from_bytes(data[at + 1:at + 1 + count], "big"), at + 1 + count
