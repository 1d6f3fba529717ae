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

from .compact import compact_array
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
from .types import Data, DataType

__all__ = ["check_container", "decode_value"]

_new = new_data
_MIN_BULK = 8  # arrays shorter than this are not worth learning a layout for


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
        return compact_array(buf, pos + 1, end, depth)
    raise DecodeError("unknown data type tag", offset=pos, got=f"0x{tag:02X}",
                      expected="a Data CHOICE tag (0-6, 9, 10, 12, 13, 15-27, 255)")



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
