"""A-XDR encoding of the DLMS ``Data`` CHOICE (IEC 62056-6-2 / Blue Book 4.1.5): the public API.

The codec is split by job: ``axdr_types`` (DataType, Data and its values), ``axdr_decode``
(the fast decoder, no recording), ``axdr_record`` (decoding that records a field tree),
``axdr_encode`` (encoding with range checks) and ``axdr_format`` (one-line text). Import
from here.

Wire form: one tag byte, then the content. Fixed-size types carry no length; octet-, visible-
and utf8-strings carry an A-XDR length, bit-strings a length in bits, arrays and structures
an element count. An A-XDR length is one byte below 0x80, else 0x81..0x84 followed by that
many big-endian bytes. Example: ``06 00 00 00 2A`` is double-long-unsigned 42.

Date-times: besides the tagged date-time (25), meters very often send a 12-byte octet-string
(load-profile time stamps, the clock's ``time`` attribute). :func:`as_datetime` accepts both.
Tagged date/time values with fields out of range are read, not refused (``.invalid`` names
the fields); :func:`time_warnings` turns them into the one warning a caller shows.
"""

from __future__ import annotations

from typing import TypeVar

from workbench.protocol.errors import DecodeError
from workbench.protocol.fields import Recorder

from .cosemtime import (
    DAY_LAST,
    MONTH_DST_BEGIN,
    ClockStatus,
    CosemDate,
    CosemDateTime,
    CosemTime,
    IncompleteDateTime,
    stamp_in_octets,
)
from .decode import decode_value
from .encode import encode_data, encode_length
from .leaves import MAX_DEPTH, decode_length
from .record import decode_recorded
from .text import format_data, time_warnings
from .types import BitString, CompactArray, Data, DataType, OpenEnum, TypeDesc

__all__ = [
    "DAY_LAST",
    "MAX_DEPTH",
    "MONTH_DST_BEGIN",
    "BitString",
    "ClockStatus",
    "CompactArray",
    "CosemDate",
    "CosemDateTime",
    "CosemTime",
    "Data",
    "DataType",
    "IncompleteDateTime",
    "OpenEnum",
    "TypeDesc",
    "as_date",
    "as_datetime",
    "as_time",
    "decode_data",
    "decode_data_exact",
    "decode_length",
    "encode_data",
    "encode_length",
    "format_data",
    "stamp_in_octets",
    "time_warnings",
]


def decode_data(buf: bytes | bytearray | memoryview, offset: int = 0,
                rec: Recorder | None = None) -> tuple[Data, int]:
    """Decode one Data starting at ``buf[offset]``.

    Args:
        buf: the bytes; offsets in errors and in ``rec`` are positions in ``buf``.
        offset: where the Data's tag is.
        rec: when given, every element is recorded as a Node under ``rec.current``. On error
            the nodes decoded so far stay; call ``rec.fail(exc)`` to attach the error.

    Returns:
        (the Data, offset just after it).

    Raises:
        DecodeError: unknown tag, truncated element, bad length, nesting deeper than
            MAX_DEPTH, invalid date-time/UTF-8 content. Never another exception type.
    """
    if not isinstance(buf, bytes):
        buf = bytes(buf)
    if offset < 0 or offset > len(buf):
        raise DecodeError("start offset outside the buffer", offset=offset,
                          expected=f"0..{len(buf)}")
    if rec is None:
        return decode_value(buf, offset, len(buf), 0)
    return decode_recorded(buf, offset, len(buf), rec, 0)


def decode_data_exact(buf: bytes | bytearray | memoryview) -> Data:
    """Decode a buffer holding exactly one Data; trailing bytes are an error."""
    data, end = decode_data(buf)
    if end != len(buf):
        raise DecodeError(f"{len(buf) - end} trailing bytes after the data", offset=end,
                          length=len(buf) - end, expected="end of buffer")
    return data


_T = TypeVar("_T", CosemDateTime, CosemDate, CosemTime)


def _time_value(d: Data, tagged: DataType, size: int, cls: type[_T]) -> _T:
    if d.type == tagged and isinstance(d.value, cls):
        return d.value
    if d.type == DataType.OCTET_STRING and isinstance(d.value, bytes) and len(d.value) == size:
        return cls.decode(d.value)
    raise DecodeError(f"expected a {tagged.label} or an octet-string of {size} bytes",
                      got=format_data(d, max_items=3))


def as_datetime(d: Data) -> CosemDateTime:
    """The date-time in a tagged date-time or a 12-byte octet-string.

    Either may come back with ``invalid`` fields (a never-set all-zero stamp, month 0,
    weekday 0, deviation 900 ...: see ``cosemtime``); check ``.invalid`` or just show it.

    Raises:
        DecodeError: another type or size, or an octet-string that does not read as a
            date-time (month 47 ...: see :func:`stamp_in_octets`).
    """
    if d.type == DataType.OCTET_STRING and isinstance(d.value, bytes) and len(d.value) == 12:
        stamp = stamp_in_octets(d.value)
        return stamp if stamp is not None else CosemDateTime.decode(d.value)  # raises
    return _time_value(d, DataType.DATE_TIME, 12, CosemDateTime)


def as_date(d: Data) -> CosemDate:
    """The date in a tagged date or a 5-byte octet-string (see :func:`as_datetime`)."""
    return _time_value(d, DataType.DATE, 5, CosemDate)


def as_time(d: Data) -> CosemTime:
    """The time in a tagged time or a 4-byte octet-string (see :func:`as_datetime`)."""
    return _time_value(d, DataType.TIME, 4, CosemTime)
