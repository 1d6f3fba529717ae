"""A-XDR Data encoding with range checks.

Every value is checked before a byte is written, so a bad value gives an EncodeError naming
the type and the value ("double-long-unsigned value -1 out of range 0..4294967295") instead
of a ``struct.error`` or a silently wrapped integer.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from workbench.protocol.errors import EncodeError
from workbench.protocol.fields import encode_axdr_length as encode_length

from .compact import VALUES_PER_BYTE, min_size, value_count
from .cosemtime import CosemDate, CosemDateTime, CosemTime
from .leaves import MAX_DEPTH
from .types import BitString, CompactArray, Data, DataType, TypeDesc

__all__ = ["encode_data", "encode_length"]

_Encoder = Callable[[object, bytearray, int], None]


def encode_data(d: Data) -> bytes:
    """Encode one Data (tag + content).

    Raises:
        EncodeError: unknown type, value of the wrong Python type or out of range, nesting
            deeper than MAX_DEPTH.
    """
    out = bytearray()
    _encode(d, out, 0)
    return bytes(out)


def _encode(d: object, out: bytearray, depth: int) -> None:
    if not isinstance(d, Data):
        raise EncodeError(f"expected Data, got {d!r}")
    t, v = d
    encoder = _ENCODERS.get(t)
    if encoder is None:
        raise EncodeError(f"unknown data type {t!r}")
    out.append(t)
    encoder(v, out, depth)


def _bad(t: DataType, v: object, why: str) -> EncodeError:
    return EncodeError(f"{t.label} value {v!r} {why}")


def _integer(t: DataType, code: str) -> _Encoder:
    s = struct.Struct(">" + code)
    bits = s.size * 8
    lo, hi = (-(1 << bits - 1), (1 << bits - 1) - 1) if code.islower() else (0, (1 << bits) - 1)

    def encode(v: object, out: bytearray, depth: int) -> None:
        if not isinstance(v, int) or isinstance(v, bool):
            raise _bad(t, v, "is not an int")
        if not lo <= v <= hi:
            raise _bad(t, v, f"out of range {lo}..{hi}")
        out += s.pack(v)
    return encode


def _float(t: DataType, code: str) -> _Encoder:
    s = struct.Struct(">" + code)

    def encode(v: object, out: bytearray, depth: int) -> None:
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise _bad(t, v, "is not a number")
        try:
            out += s.pack(v)
        except OverflowError:
            raise _bad(t, v, f"is too large for a {t.label}") from None
    return encode


def _boolean(v: object, out: bytearray, depth: int) -> None:
    if not isinstance(v, bool):
        raise _bad(DataType.BOOLEAN, v, "is not a bool")
    out.append(1 if v else 0)


def _empty(t: DataType) -> _Encoder:
    def encode(v: object, out: bytearray, depth: int) -> None:
        if v is not None:
            raise _bad(t, v, "must be None")
    return encode


def _octets(v: object, out: bytearray, depth: int) -> None:
    if not isinstance(v, (bytes, bytearray, memoryview)):
        raise _bad(DataType.OCTET_STRING, v, "is not bytes")
    out += encode_length(len(v))
    out += v


def _string(t: DataType, codec: str) -> _Encoder:
    def encode(v: object, out: bytearray, depth: int) -> None:
        if not isinstance(v, str):
            raise _bad(t, v, "is not a str")
        try:
            raw = v.encode(codec)
        except UnicodeEncodeError as exc:
            raise _bad(t, v, f"has a character {codec} cannot hold at index {exc.start}"
                       ) from None
        out += encode_length(len(raw))
        out += raw
    return encode


def _bit_string(v: object, out: bytearray, depth: int) -> None:
    if not isinstance(v, BitString):
        raise _bad(DataType.BIT_STRING, v, "is not a BitString")
    out += encode_length(v.bits)
    out += v.data


def _time_type(t: DataType, cls: type) -> _Encoder:
    def encode(v: object, out: bytearray, depth: int) -> None:
        if not isinstance(v, cls):
            raise _bad(t, v, f"is not a {cls.__name__}")
        out += v.encode()  # type: ignore[attr-defined]
    return encode


def _container(t: DataType) -> _Encoder:
    def encode(v: object, out: bytearray, depth: int) -> None:
        if not isinstance(v, (tuple, list)):
            raise _bad(t, v, "is not a tuple of Data")
        if depth >= MAX_DEPTH:
            raise EncodeError(f"{t.label} nested deeper than {MAX_DEPTH} levels")
        out += encode_length(len(v))
        for item in v:
            _encode(item, out, depth + 1)
    return encode


def _type_desc(desc: object, out: bytearray, depth: int) -> None:
    if not isinstance(desc, TypeDesc) or depth >= MAX_DEPTH:
        raise EncodeError(f"bad compact-array description {desc!r}")
    out.append(desc.type)
    if desc.type == DataType.STRUCTURE:
        out += encode_length(len(desc.elements))
        for element in desc.elements:
            _type_desc(element, out, depth + 1)
    elif desc.type == DataType.ARRAY:
        if not 0 <= desc.count <= 0xFFFF or len(desc.elements) != 1:
            raise EncodeError(f"compact-array array description needs one element type and "
                              f"a count 0..65535, got {desc!r}")
        if desc.count and not min_size(desc.elements[0]):
            raise EncodeError(f"compact-array description {desc} has elements of no bytes")
        out += desc.count.to_bytes(2, "big")
        _type_desc(desc.elements[0], out, depth + 1)
    elif desc.type == DataType.COMPACT_ARRAY or desc.type not in _ENCODERS:
        raise EncodeError(f"{desc.type!r} cannot appear in a compact-array description")


def _untagged(value: object, desc: TypeDesc, out: bytearray, depth: int) -> None:
    if not isinstance(value, Data) or value.type != desc.type:
        raise EncodeError(f"compact-array element {value!r} does not match {desc}")
    if desc.type == DataType.STRUCTURE or desc.type == DataType.ARRAY:
        members = desc.elements if desc.type == DataType.STRUCTURE else desc.elements * desc.count
        if not isinstance(value.value, tuple) or len(value.value) != len(members):
            raise EncodeError(f"compact-array element {value!r} does not match {desc}")
        for item, member in zip(value.value, members, strict=True):
            _untagged(item, member, out, depth + 1)
    else:
        _ENCODERS[desc.type](value.value, out, depth)


def _compact_array(v: object, out: bytearray, depth: int) -> None:
    if not isinstance(v, CompactArray):
        raise _bad(DataType.COMPACT_ARRAY, v, "is not a CompactArray")
    _type_desc(v.description, out, depth + 1)
    least = min_size(v.description)
    if not least:
        raise EncodeError(f"compact-array elements of type {v.description} take no bytes")
    if value_count(v.description) > VALUES_PER_BYTE * least:  # the decoder refuses it
        raise EncodeError(f"compact-array elements of type {v.description} hold more than "
                          f"{VALUES_PER_BYTE} values per byte")
    contents = bytearray()
    for value in v.values:
        _untagged(value, v.description, contents, depth + 1)
    out += encode_length(len(contents))
    out += contents


_ENCODERS: dict[int, _Encoder] = {
    DataType.NULL_DATA: _empty(DataType.NULL_DATA),
    DataType.DONT_CARE: _empty(DataType.DONT_CARE),
    DataType.ARRAY: _container(DataType.ARRAY),
    DataType.STRUCTURE: _container(DataType.STRUCTURE),
    DataType.BOOLEAN: _boolean,
    DataType.BIT_STRING: _bit_string,
    DataType.DOUBLE_LONG: _integer(DataType.DOUBLE_LONG, "i"),
    DataType.DOUBLE_LONG_UNSIGNED: _integer(DataType.DOUBLE_LONG_UNSIGNED, "I"),
    DataType.OCTET_STRING: _octets,
    DataType.VISIBLE_STRING: _string(DataType.VISIBLE_STRING, "latin-1"),
    DataType.UTF8_STRING: _string(DataType.UTF8_STRING, "utf-8"),
    DataType.BCD: _integer(DataType.BCD, "B"),
    DataType.INTEGER: _integer(DataType.INTEGER, "b"),
    DataType.LONG: _integer(DataType.LONG, "h"),
    DataType.UNSIGNED: _integer(DataType.UNSIGNED, "B"),
    DataType.LONG_UNSIGNED: _integer(DataType.LONG_UNSIGNED, "H"),
    DataType.COMPACT_ARRAY: _compact_array,
    DataType.LONG64: _integer(DataType.LONG64, "q"),
    DataType.LONG64_UNSIGNED: _integer(DataType.LONG64_UNSIGNED, "Q"),
    DataType.ENUM: _integer(DataType.ENUM, "B"),
    DataType.FLOAT32: _float(DataType.FLOAT32, "f"),
    DataType.FLOAT64: _float(DataType.FLOAT64, "d"),
    DataType.DATE_TIME: _time_type(DataType.DATE_TIME, CosemDateTime),
    DataType.DATE: _time_type(DataType.DATE, CosemDate),
    DataType.TIME: _time_type(DataType.TIME, CosemTime),
}
