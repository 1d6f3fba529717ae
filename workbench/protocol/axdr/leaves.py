r"""The leaves of A-XDR decoding, shared by the three decoders (``decode``: tagged Data, fast;
``record``: tagged Data, recording; ``compact``: untagged compact-array contents): the
fixed-size types' precompiled ``Struct`` objects, the length-prefixed strings, the A-XDR length,
and the two error builders that say where an element failed.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any, NamedTuple

from workbench.protocol.errors import DecodeError

from .cosemtime import CosemDate, CosemDateTime, CosemTime
from .types import BitString, Data, DataType

__all__ = ["EMPTY", "FIXED", "MAX_DEPTH", "STRINGS", "TYPES", "Fixed", "decode_length",
           "decode_string", "in_element", "new_data", "truncated"]

MAX_DEPTH = 64
new_data = tuple.__new__  # builds Data without a NamedTuple __new__ frame
_new = new_data


def _time_value(cls: type[CosemDateTime | CosemDate | CosemTime]
                ) -> Callable[[bytes, int], object]:
    """Tagged date/time values are read tolerantly: out-of-range fields become invalid
    (see ``cosemtime``), so one never-set stamp does not fail a whole APDU."""
    def convert(raw: bytes, offset: int) -> object:
        return cls.decode(raw, strict=False)
    return convert


class Fixed(NamedTuple):
    """A fixed-size type: its Struct code, byte size and optional bytes -> value converter."""

    type: DataType
    code: str
    size: int
    unpack: Callable[[bytes, int], tuple[Any, ...]]
    convert: Callable[[bytes, int], object] | None = None


def _fixed(t: DataType, code: str, convert: Callable[[bytes, int], object] | None = None) -> Fixed:
    s = struct.Struct(">" + code)
    return Fixed(t, code, s.size, s.unpack_from, convert)


FIXED: dict[int, Fixed] = {f.type: f for f in (
    _fixed(DataType.BOOLEAN, "?"),
    _fixed(DataType.DOUBLE_LONG, "i"),
    _fixed(DataType.DOUBLE_LONG_UNSIGNED, "I"),
    _fixed(DataType.BCD, "B"),
    _fixed(DataType.INTEGER, "b"),
    _fixed(DataType.LONG, "h"),
    _fixed(DataType.UNSIGNED, "B"),
    _fixed(DataType.LONG_UNSIGNED, "H"),
    _fixed(DataType.LONG64, "q"),
    _fixed(DataType.LONG64_UNSIGNED, "Q"),
    _fixed(DataType.ENUM, "B"),
    _fixed(DataType.FLOAT32, "f"),
    _fixed(DataType.FLOAT64, "d"),
    _fixed(DataType.DATE_TIME, "12s", _time_value(CosemDateTime)),
    _fixed(DataType.DATE, "5s", _time_value(CosemDate)),
    _fixed(DataType.TIME, "4s", _time_value(CosemTime)),
)}
TYPES: dict[int, DataType] = {t.value: t for t in DataType}
EMPTY = frozenset({DataType.NULL_DATA, DataType.DONT_CARE})
STRINGS = frozenset({DataType.OCTET_STRING, DataType.VISIBLE_STRING, DataType.UTF8_STRING,
                     DataType.BIT_STRING})


def truncated(what: str, offset: int, need: int, have: int) -> DecodeError:
    """The span is the bytes that are there (none at the end of the buffer)."""
    return DecodeError(f"{what} truncated", offset=offset, length=have,
                       got=f"{have} bytes left", expected=f"{need} bytes")


def in_element(exc: DecodeError, container: str, index: int,
               count: int | None) -> DecodeError:
    """Prefix an element failure with where it sits (1-based); keeps the innermost offset."""
    of = "" if count is None else f" of {count}"
    return DecodeError(f"{container} element {index + 1}{of}, {exc.message}",
                       offset=exc.offset, length=exc.length, got=exc.got,
                       expected=exc.expected, what=exc.what)


def decode_length(buf: bytes, pos: int, end: int | None = None,
                  what: str = "length") -> tuple[int, int]:
    """Decode an A-XDR length/count at ``pos``: one byte below 0x80, else 0x8N + N bytes.

    Returns:
        (value, offset after the length bytes).
    Raises:
        DecodeError: truncated, indefinite (0x80) or longer than 4 bytes.
    """
    end = len(buf) if end is None else end
    if pos >= end:
        raise truncated(what, pos, 1, 0)
    first = buf[pos]
    if first < 0x80:
        return first, pos + 1
    size = first & 0x7F
    if not 1 <= size <= 4:
        raise DecodeError(f"{what} uses {size} length bytes", offset=pos, got=f"0x{first:02X}",
                          expected="0x00..0x7F or 0x81..0x84")
    if pos + 1 + size > end:
        raise truncated(what, pos + 1, size, end - pos - 1)
    return int.from_bytes(buf[pos + 1:pos + 1 + size], "big"), pos + 1 + size




def decode_string(buf: bytes, pos: int, end: int, t: DataType) -> tuple[Data, int]:
    """The length-prefixed types; ``pos`` is just after the tag (or where untagged data starts)."""
    if pos < end and buf[pos] < 0x80:
        n, start = buf[pos], pos + 1
    else:
        n, start = decode_length(buf, pos, end, f"{t.label} length")
    size = (n + 7) // 8 if t == DataType.BIT_STRING else n
    stop = start + size
    if stop > end:
        raise truncated(t.label, start, size, end - start)
    raw = buf[start:stop]
    if t == DataType.OCTET_STRING:
        return _new(Data, (t, raw)), stop
    if t == DataType.VISIBLE_STRING:
        return _new(Data, (t, raw.decode("latin-1"))), stop
    if t == DataType.BIT_STRING:
        return _new(Data, (t, BitString(raw, n))), stop
    try:
        return _new(Data, (t, raw.decode("utf-8"))), stop
    except UnicodeDecodeError as exc:
        raise DecodeError("utf8-string is not valid UTF-8", offset=start + exc.start,
                          got=f"0x{raw[exc.start]:02X}") from None

