"""Data as one line of text for people: frame log, dissection values, ``workbench read``.

Octet-strings are shown in hex; a 12-byte one that is a valid COSEM date-time (the usual
load-profile time stamp) also shows the date-time, since that is what the user is after.
"""

from __future__ import annotations

from workbench.protocol.errors import DecodeError

from .cosemtime import CosemDateTime
from .types import CompactArray, Data, DataType

__all__ = ["format_data"]


def format_data(d: Data, max_items: int | None = None) -> str:
    """One-line text: arrays ``[a, b]``, structures ``{a, b}``, strings quoted, bytes in hex.

    Args:
        d: the value.
        max_items: show at most this many elements per container, then ``… (+N more)``.
    """
    t, v = d
    if t == DataType.ARRAY or t == DataType.STRUCTURE:
        inner = _items(v, max_items)  # type: ignore[arg-type]
        return f"[{inner}]" if t == DataType.ARRAY else f"{{{inner}}}"
    if t == DataType.COMPACT_ARRAY:
        assert isinstance(v, CompactArray)
        return f"compact-array of {v.description} [{_items(v.values, max_items)}]"
    return format_leaf(d)


def _items(items: tuple[Data, ...], max_items: int | None) -> str:
    shown = items if max_items is None else items[:max_items]
    text = ", ".join(format_data(item, max_items) for item in shown)
    if len(shown) < len(items):
        text += f", … (+{len(items) - len(shown)} more)"
    return text


def format_leaf(d: Data) -> str:
    """Text of a non-container value."""
    t, v = d
    if t == DataType.OCTET_STRING:
        return _octets(v)  # type: ignore[arg-type]
    if t == DataType.VISIBLE_STRING or t == DataType.UTF8_STRING:
        return repr(v)
    if t == DataType.BOOLEAN:
        return "true" if v else "false"
    if t == DataType.BIT_STRING:
        return f"'{v}'B"
    if t == DataType.BCD:
        return f"bcd {v:02X}"
    if t == DataType.NULL_DATA or t == DataType.DONT_CARE:
        return DataType(t).label
    if t == DataType.FLOAT32 or t == DataType.FLOAT64:
        return repr(v)
    return str(v)


def _octets(raw: bytes) -> str:
    text = "0x" + raw.hex().upper()
    if len(raw) == 12:
        try:
            return f"{text} ({CosemDateTime.decode(raw)})"
        except DecodeError:
            pass
    return text
