"""A-XDR Data decoding that records a field tree (the slow, explaining path): the second of
the two decoders (see ``decode`` for why two, and the test that keeps them equal).

Each element becomes a Node named ``[index] type`` (just ``type`` at the top), spanning its
tag and content. Containers get ``tag`` and ``count`` children before their elements;
length-prefixed leaves get ``tag``, ``length`` and ``value``. Leaves are decoded by the fast
path's own functions, so both paths accept and reject exactly the same bytes. A date/time
read with fields out of range (tagged, or a 12-byte octet-string that reads as one) gets a
``warning`` on its node: the dissection marks it, the value is still decoded.
"""

from __future__ import annotations

from workbench.protocol.errors import DecodeError
from workbench.protocol.fields import AXDR, Recorder

from .cosemtime import stamp_in_octets
from .decode import check_container, decode_value
from .leaves import (
    EMPTY,
    FIXED,
    STRINGS,
    decode_length,
    decode_string,
    in_element,
    truncated,
)
from .text import format_leaf
from .types import CompactArray, Data, DataType

__all__ = ["decode_recorded"]


def decode_recorded(buf: bytes, pos: int, end: int, rec: Recorder, depth: int,
                    prefix: str = "") -> tuple[Data, int]:
    """Decode one tagged Data at ``pos`` and record it under ``rec.current``."""
    if pos >= end:
        raise truncated("data", pos, 1, 0)
    tag = buf[pos]
    if tag in FIXED or tag in EMPTY or tag == DataType.COMPACT_ARRAY:
        data, stop = decode_value(buf, pos, end, depth)
        text = (f"{len(data.value.values)} elements" if isinstance(data.value, CompactArray)
                else format_leaf(data))
        node = rec.item(AXDR.TYPES[data.type], pos, stop - pos, text,
                        label=prefix + data.type.label)
        if getattr(data.value, "invalid", ()):
            node.warning = f"{data.value}; read as unspecified"
        return data, stop
    if tag in STRINGS:
        return _string(buf, pos, end, rec, DataType(tag), prefix)
    if tag == DataType.ARRAY or tag == DataType.STRUCTURE:
        return _container(buf, pos, end, rec, depth, DataType(tag), prefix)
    return decode_value(buf, pos, end, depth)  # raises the unknown-tag error


def _string(buf: bytes, pos: int, end: int, rec: Recorder, t: DataType,
            prefix: str) -> tuple[Data, int]:
    with rec.subtree(AXDR.TYPES[t], pos, label=prefix + t.label) as node:
        rec.item(AXDR.TAG, pos, 1, f"{t.label} ({int(t)})")
        n, start = decode_length(buf, pos + 1, end, f"{t.label} length")
        unit = " bits" if t == DataType.BIT_STRING else ""
        rec.item(AXDR.LENGTH, pos + 1, start - pos - 1, f"{n}{unit}")
        data, stop = decode_string(buf, pos + 1, end, t)
        node.value = format_leaf(data)
        rec.item(AXDR.VALUE, start, stop - start, node.value)
        stamp = stamp_in_octets(data.value) if isinstance(data.value, bytes) else None
        if stamp is not None and stamp.invalid:
            node.warning = f"{stamp}; read as unspecified"
    return data, stop


def _container(buf: bytes, pos: int, end: int, rec: Recorder, depth: int, t: DataType,
               prefix: str) -> tuple[Data, int]:
    with rec.subtree(AXDR.TYPES[t], pos, label=prefix + t.label) as node:
        rec.item(AXDR.TAG, pos, 1, f"{t.label} ({int(t)})")
        count, p = check_container(buf, pos + 1, end, depth, t)
        rec.item(AXDR.COUNT, pos + 1, p - pos - 1, str(count))
        node.value = f"{count} elements"
        items = []
        try:
            for i in range(count):
                item, p = decode_recorded(buf, p, end, rec, depth + 1, f"[{i}] ")
                items.append(item)
        except DecodeError as exc:
            raise in_element(exc, t.label, len(items), count) from None
    return Data(t, tuple(items)), p
