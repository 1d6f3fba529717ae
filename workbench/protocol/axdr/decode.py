"""A-XDR Data decoding, the fast path (no recording).

Two decoders, on purpose: this one serves the session (a 60-day profile is ~35,000 values,
read in a few milliseconds); ``record`` serves the dissection, recording a Node per element.
Two codes for one format could drift apart, so ``record`` decodes every leaf with this
module's functions and a property test (tests/protocol/test_decoder_pairs.py) holds both to
the same result or the same error for valid, mutated and random bytes.

How it stays fast: one dict lookup per element picks a precompiled ``Struct`` for the
fixed-size types; ``Data`` is built with ``tuple.__new__`` (no NamedTuple ``__new__`` frame);
and an array whose elements share one fixed byte layout (a load profile: structures of an
octet-string(12) and a few integers) is decoded in bulk: the layout is learnt from the first
element, every structural byte (tags, counts, lengths) of every row is checked with one
strided slice comparison, then ``Struct.iter_unpack`` reads all rows at C speed. Since an
element's parse depends only on its structural bytes, rows that match them byte for byte
are guaranteed to parse like the first; anything else takes the element-by-element path.

Errors: every failure is a DecodeError with the byte offset; failures inside containers are
re-raised with their position ("array element 3 of 5, structure element 2 of 6: ...").
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from workbench.protocol.errors import DecodeError

from .cosemtime import CosemDate, CosemDateTime, CosemTime
from .types import BitString, CompactArray, Data, DataType, TypeDesc

__all__ = ["MAX_DEPTH", "VALUES_PER_BYTE", "decode_length", "decode_value", "min_size",
           "value_count"]

MAX_DEPTH = 64
_new = tuple.__new__
_U16 = struct.Struct(">H")
_MIN_BULK = 8  # arrays shorter than this are not worth learning a layout for


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


def decode_value(buf: bytes, pos: int, end: int, depth: int) -> tuple[Data, int]:
    """Decode one tagged Data at ``pos`` (``buf[:end]`` is the input)."""
    if pos >= end:
        raise truncated("data", pos, 1, 0)
    tag = buf[pos]
    fixed = FIXED.get(tag)
    if fixed is not None:
        start = pos + 1
        stop = start + fixed.size
        if stop > end:
            raise truncated(fixed.type.label, start, fixed.size, end - start)
        if fixed.convert is None:
            return _new(Data, (fixed.type, fixed.unpack(buf, start)[0])), stop
        return _new(Data, (fixed.type, fixed.convert(buf[start:stop], start))), stop
    if tag in STRINGS:
        return decode_string(buf, pos + 1, end, TYPES[tag])
    if tag == DataType.ARRAY or tag == DataType.STRUCTURE:
        return _container(buf, pos + 1, end, depth, TYPES[tag])
    if tag in EMPTY:
        return _new(Data, (TYPES[tag], None)), pos + 1
    if tag == DataType.COMPACT_ARRAY:
        return _compact_array(buf, pos + 1, end, depth)
    raise DecodeError("unknown data type tag", offset=pos, got=f"0x{tag:02X}",
                      expected="a Data CHOICE tag (0-6, 9, 10, 12, 13, 15-27, 255)")


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


def check_container(buf: bytes, pos: int, end: int, depth: int,
                    t: DataType) -> tuple[int, int]:
    """Read a container's count and refuse what cannot be valid before decoding elements."""
    if depth >= MAX_DEPTH:
        raise DecodeError(f"{t.label} nested deeper than {MAX_DEPTH} levels", offset=pos - 1)
    if pos < end and buf[pos] < 0x80:  # the usual short form, without a call
        count, start = buf[pos], pos + 1
    else:
        count, start = decode_length(buf, pos, end, f"{t.label} count")
    if count > end - start:  # every element takes at least its tag byte
        raise DecodeError(f"{t.label} of {count} elements cannot fit in the "
                          f"{end - start} bytes left", offset=pos, length=start - pos)
    return count, start


def _container(buf: bytes, pos: int, end: int, depth: int, t: DataType) -> tuple[Data, int]:
    count, pos = check_container(buf, pos, end, depth, t)
    items: list[Data] = []
    append = items.append
    i = 0
    try:
        if t == DataType.ARRAY and count >= _MIN_BULK:
            pos = _bulk_rows(buf, pos, end, depth, count, items)
            i = len(items)
        while i < count:
            item, pos = decode_value(buf, pos, end, depth + 1)
            append(item)
            i += 1
    except DecodeError as exc:
        raise in_element(exc, t.label, i, count) from None
    return _new(Data, (t, tuple(items))), pos


class _Column(NamedTuple):
    type: DataType
    convert: Callable[[Any], object] | None


_Layout = tuple[list[tuple[int, int]], str, list[_Column], bool]


def _leaf_layout(buf: bytes, pos: int, end: int, consts: list[tuple[int, int]],
                 fmt: list[str], base: int) -> tuple[_Column, int] | None:
    """Learn one leaf's layout: structural bytes go to ``consts`` as (row offset, value),
    value bytes to the Struct format ``fmt``. Returns (column, end of the leaf)."""
    tag = buf[pos]
    consts.append((pos - base, tag))
    fixed = FIXED.get(tag)
    if fixed is not None:
        fmt.append("x" + fixed.code)
        convert = fixed.convert and _bulk_convert(fixed.convert)
        return _Column(fixed.type, convert), pos + 1 + fixed.size
    if tag == DataType.OCTET_STRING or tag == DataType.VISIBLE_STRING:
        n, start = decode_length(buf, pos + 1, end)
        consts.extend((p - base, buf[p]) for p in range(pos + 1, start))
        fmt.append("x" * (start - pos) + f"{n}s")
        return _Column(TYPES[tag], None if tag == DataType.OCTET_STRING else _latin1), start + n
    return None


def _latin1(raw: bytes) -> str:
    return raw.decode("latin-1")


def _bulk_convert(convert: Callable[[bytes, int], object]) -> Callable[[bytes], object]:
    return lambda raw: convert(raw, 0)


def _row_layout(buf: bytes, pos: int, end: int) -> _Layout | None:
    """Layout of the (already decoded, so well-formed) element at ``pos``: a leaf or a
    structure of leaves. Returns (structural bytes, Struct format, columns, is_structure)."""
    consts: list[tuple[int, int]] = []
    fmt: list[str] = []
    if buf[pos] != DataType.STRUCTURE:
        leaf = _leaf_layout(buf, pos, end, consts, fmt, pos)
        return None if leaf is None else (consts, ">" + "".join(fmt), [leaf[0]], False)
    count, p = decode_length(buf, pos + 1, end)
    consts.extend((q - pos, buf[q]) for q in range(pos, p))
    fmt.append("x" * (p - pos))
    columns = []
    for _ in range(count):
        leaf = _leaf_layout(buf, p, end, consts, fmt, pos)
        if leaf is None:
            return None
        column, p = leaf
        columns.append(column)
    return consts, ">" + "".join(fmt), columns, True


def _bulk_rows(buf: bytes, pos: int, end: int, depth: int, count: int,
               items: list[Data]) -> int:
    """Decode the array's elements in bulk if they all share the first one's byte layout.

    Appends to ``items`` (all ``count`` elements, or just the first when the layout is not
    shared) and returns the position after them.
    """
    first, first_end = decode_value(buf, pos, end, depth + 1)
    layout = _row_layout(buf, pos, end)
    row = first_end - pos
    if layout is None or pos + row * count > end:
        items.append(first)
        return first_end
    consts, fmt, columns, is_struct = layout
    block = buf[pos:pos + row * count]
    for offset, value in consts:
        if block[offset::row] != bytes((value,)) * count:
            items.append(first)
            return first_end
    try:
        items.extend(_build_rows(struct.Struct(fmt).iter_unpack(block), columns, is_struct))
    except DecodeError:  # a bad date-time somewhere: the slow path will say which element
        items[:] = [first]
        return first_end
    return pos + row * count


def _build_rows(rows: Iterable[Sequence[object]], columns: list[_Column],
                is_struct: bool) -> list[Data]:
    types = [c.type for c in columns]
    if any(c.convert for c in columns):
        converts = [c.convert or _same for c in columns]
        rows = ([f(v) for f, v in zip(converts, r, strict=True)] for r in rows)
    if not is_struct:
        t = types[0]
        return [_new(Data, (t, r[0])) for r in rows]
    s = DataType.STRUCTURE
    return [_new(Data, (s, tuple([_new(Data, tv) for tv in zip(types, r, strict=True)])))
            for r in rows]


def _same(v: object) -> object:
    return v


# ---- compact-array -----------------------------------------------------------------------

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


def _compact_array(buf: bytes, pos: int, end: int, depth: int) -> tuple[Data, int]:
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
