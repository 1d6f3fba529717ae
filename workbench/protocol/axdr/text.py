"""Data as one line of text for people: frame log, dissection values, ``workbench read``.

Octet-strings are shown in hex; a 12-byte one that reads as a COSEM date-time (the usual
load-profile time stamp, see ``stamp_in_octets``) also shows the date-time, since that is
what the user is after.
"""

from __future__ import annotations

from .cosemtime import CosemDate, CosemDateTime, CosemTime, stamp_in_octets
from .types import CompactArray, Data, DataType

__all__ = ["format_data", "time_warnings"]


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
    stamp = stamp_in_octets(raw)
    return text if stamp is None else f"{text} ({stamp})"


def time_warnings(d: Data) -> list[str]:
    """One warning for the tagged date/time values in ``d`` read with fields out of range
    (see ``cosemtime``), or none. One line for all of them: a profile of 96 never-set
    stamps is one deviation, not 96."""
    bad = _invalid_times(d)
    if not bad:
        return []
    plural = "s" if len(bad) > 1 else ""
    return [f"{len(bad)} date/time value{plural} out of range, read as unspecified; "
            f"first: {bad[0]}"]


def _invalid_times(d: Data) -> list[CosemDateTime | CosemDate | CosemTime]:
    found: list[CosemDateTime | CosemDate | CosemTime] = []
    stack = [d]
    while stack:
        v = stack.pop().value
        if isinstance(v, CosemDateTime | CosemDate | CosemTime):
            if v.invalid:
                found.append(v)
        elif isinstance(v, CompactArray):  # a NamedTuple: test before plain tuples
            stack.extend(reversed(v.values))
        elif isinstance(v, tuple):  # array or structure
            stack.extend(reversed(v))
    return found
