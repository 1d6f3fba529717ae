"""Compact-array (Data tag 19) decoding: the type description, then untagged contents.

Linear in the input whatever the description says: a description whose elements take no
bytes is refused, and so is one that makes more than ``VALUES_PER_BYTE`` values of each
content byte (null-data members cost nothing on the wire: 1,000 of them made 2 kB decode
into a million values). Elements of fixed-size members are read in bulk with one ``Struct``.
"""

from __future__ import annotations

import struct

from workbench.protocol.errors import DecodeError

from .leaves import (
    EMPTY,
    FIXED,
    MAX_DEPTH,
    STRINGS,
    TYPES,
    decode_length,
    decode_string,
    in_element,
    new_data,
    truncated,
)
from .types import CompactArray, Data, DataType, TypeDesc

__all__ = ["VALUES_PER_BYTE", "compact_array", "min_size", "value_count"]

_new = new_data
_U16 = struct.Struct(">H")


def _type_desc(buf: bytes, pos: int, end: int, depth: int) -> tuple[TypeDesc, int]:
    if depth >= MAX_DEPTH:
        raise DecodeError(f"compact-array description nested deeper than {MAX_DEPTH} levels",
                          offset=pos)
    if pos >= end:
        raise truncated("compact-array type description", pos, 1, 0)
    tag = buf[pos]
    if tag == DataType.STRUCTURE:
        return _structure_desc(buf, pos, end, depth)
    if tag == DataType.ARRAY:
        if pos + 3 > end:
            raise truncated("array description count", pos + 1, 2, end - pos - 1)
        count = _U16.unpack_from(buf, pos + 1)[0]
        desc, p = _type_desc(buf, pos + 3, end, depth + 1)
        if count and not min_size(desc):
            raise DecodeError(f"compact-array description: array of {count} {desc} "
                              "takes no bytes", offset=pos)
        return TypeDesc(DataType.ARRAY, (desc,), count), p
    simple = _SIMPLE_DESC.get(tag)
    if simple is not None:
        return simple, pos + 1
    raise DecodeError("invalid type in compact-array description", offset=pos,
                      got=f"0x{tag:02X}")


_SIMPLE_DESC = {tag: TypeDesc(TYPES[tag]) for tag in (*FIXED, *STRINGS, *EMPTY)}


def _structure_desc(buf: bytes, pos: int, end: int, depth: int) -> tuple[TypeDesc, int]:
    count, p = decode_length(buf, pos + 1, end, "structure description count")
    if count > end - p:  # every member description takes at least one byte
        raise DecodeError(f"structure description of {count} members cannot fit in the "
                          f"{end - p} bytes left", offset=pos + 1, length=p - pos - 1)
    elements = []
    for _ in range(count):
        simple = _SIMPLE_DESC.get(buf[p]) if p < end else None
        if simple is not None:  # the common case, without a call
            elements.append(simple)
            p += 1
            continue
        desc, p = _type_desc(buf, p, end, depth + 1)
        elements.append(desc)
    return TypeDesc(DataType.STRUCTURE, tuple(elements)), p


def min_size(desc: TypeDesc) -> int:
    """Fewest bytes one value of ``desc`` takes; 0 would let hostile input loop forever."""
    t = desc.type
    if t in FIXED:
        return FIXED[t].size
    if t in STRINGS:
        return 1
    if t == DataType.STRUCTURE:
        return sum(map(min_size, desc.elements))
    if t == DataType.ARRAY:
        return desc.count * min_size(desc.elements[0])
    return 0


def _untagged(buf: bytes, pos: int, end: int, desc: TypeDesc) -> tuple[Data, int]:
    t = desc.type
    fixed = FIXED.get(t)
    if fixed is not None:
        stop = pos + fixed.size
        if stop > end:
            raise truncated(t.label, pos, fixed.size, end - pos)
        raw_value = fixed.unpack(buf, pos)[0]
        value = raw_value if fixed.convert is None else fixed.convert(buf[pos:stop], pos)
        return _new(Data, (t, value)), stop
    if t in STRINGS:
        return decode_string(buf, pos, end, t)
    if t in EMPTY:
        return _new(Data, (t, None)), pos
    members = desc.elements if t == DataType.STRUCTURE else desc.elements * desc.count
    items = []
    for member in members:
        item, pos = _untagged(buf, pos, end, member)
        items.append(item)
    return _new(Data, (t, tuple(items))), pos


def value_count(desc: TypeDesc) -> int:
    """How many ``Data`` one element of ``desc`` becomes (containers count themselves)."""
    if desc.type == DataType.STRUCTURE:
        return 1 + sum(map(value_count, desc.elements))
    if desc.type == DataType.ARRAY:
        return 1 + desc.count * value_count(desc.elements[0])
    return 1


#: Most ``Data`` values one byte of compact-array contents may become. Why a limit: null-data
#: members take no bytes, so a description of 1,000 nulls made each content byte a thousand
#: values (2 kB took seconds and 150 MB to decode and format). A real element carries a
#: byte per value or so; 16 leaves room for nested structures.
VALUES_PER_BYTE = 16


def compact_array(buf: bytes, pos: int, end: int, depth: int) -> tuple[Data, int]:
    desc, p = _type_desc(buf, pos, end, depth + 1)
    per_element, least = value_count(desc), min_size(desc)
    if not least:
        raise DecodeError(f"compact-array elements of type {_short(desc)} take no bytes",
                          offset=pos)
    if per_element > VALUES_PER_BYTE * least:
        raise DecodeError(f"compact-array of {_short(desc)} makes {per_element} values of "
                          f"each {least}-byte element, more than {VALUES_PER_BYTE} per byte; "
                          "refused as not a real meter's data", offset=pos)
    size, start = decode_length(buf, p, end, "compact-array contents length")
    stop = start + size
    if stop > end:
        raise truncated("compact-array contents", start, size, end - start)
    values = _bulk_compact(buf, start, stop, desc)
    if values is None:
        values = _compact_elements(buf, start, stop, desc)
    return _new(Data, (DataType.COMPACT_ARRAY, CompactArray(desc, tuple(values)))), stop


def _compact_elements(buf: bytes, start: int, stop: int, desc: TypeDesc) -> list[Data]:
    values: list[Data] = []
    p = start
    try:
        while p < stop:
            value, p = _untagged(buf, p, stop, desc)
            values.append(value)
    except DecodeError as exc:
        raise in_element(exc, "compact-array", len(values), None) from None
    return values


def _short(desc: TypeDesc) -> str:
    text = str(desc)
    return text if len(text) <= 60 else text[:57] + "…"


def _bulk_compact(buf: bytes, start: int, stop: int, desc: TypeDesc) -> list[Data] | None:
    """All elements at C speed when every member has a fixed size (the usual profile row):
    one ``Struct`` for the row, ``iter_unpack`` over the contents. None: take the slow path
    (variable-size members, a size that is not a whole number of rows, a bad date-time)."""
    flat = desc.elements if desc.type == DataType.STRUCTURE else (desc,)
    if len(flat) > 64 or any(m.type not in FIXED and m.type not in EMPTY for m in flat):
        return None
    row = struct.Struct(">" + "".join(FIXED[m.type].code for m in flat if m.type in FIXED))
    if row.size == 0 or (stop - start) % row.size:
        return None
    try:
        cells = [_cells(flat, values) for values in row.iter_unpack(buf[start:stop])]
    except DecodeError:
        return None
    if desc.type != DataType.STRUCTURE:
        return [c[0] for c in cells]
    return [_new(Data, (DataType.STRUCTURE, c)) for c in cells]


def _cells(flat: tuple[TypeDesc, ...], values: tuple[object, ...]) -> tuple[Data, ...]:
    out = []
    it = iter(values)
    for member in flat:
        fixed = FIXED.get(member.type)
        if fixed is None:
            out.append(_new(Data, (member.type, None)))
            continue
        value = next(it)
        if fixed.convert is not None:
            value = fixed.convert(value, 0)  # type: ignore[arg-type]
        out.append(_new(Data, (member.type, value)))
    return tuple(out)

