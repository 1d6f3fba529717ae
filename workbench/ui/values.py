"""Values typed into the write and action dialogs, parsed with messages in the dialog's words.

The command line has its own ``TYPE:VALUE`` syntax; a dialog already has a Type box and a
Value box, so its errors name the type and the accepted form ("“abc” is not a whole
number"), never command-line syntax or Python's own exception text (Qt-free).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from workbench.protocol.axdr import CosemDateTime, Data

__all__ = ["VALUE_KINDS", "kind_for_type_hint", "parse_value"]


@dataclass(frozen=True)
class _Kind:
    label: str  # the standard's name, as the attribute's declared type reads
    build: Callable[[str], Data]
    low: int | None = None
    high: int | None = None


def _whole(text: str) -> int:
    try:
        return int(text.strip(), 0)
    except ValueError:
        raise ValueError(f"“{text}” is not a whole number (e.g. 300, -5 or 0x1F)") from None


def _decimal(text: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise ValueError(f"“{text}” is not a number (e.g. 230.5)") from None


def _bool(text: str) -> Data:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return Data.boolean(True)
    if lowered in ("0", "false", "no", "off"):
        return Data.boolean(False)
    raise ValueError(f"“{text}” is not true or false")


def _octets(text: str) -> Data:
    try:
        return Data.octets(bytes.fromhex(text.replace(":", "").replace(" ", "")))
    except ValueError:
        raise ValueError(f"“{text}” is not hex bytes (two hex digits per byte, e.g. 0A0B0C)"
                         ) from None


def _bits(text: str) -> Data:
    if not text.strip() or set(text.strip()) - {"0", "1"}:
        raise ValueError(f"“{text}” is not a row of bits (only 0 and 1, e.g. 10110000)")
    return Data.bits(text.strip())


def _datetime(text: str) -> Data:
    if text.strip().lower() == "now":
        return Data.datetime(CosemDateTime.from_datetime(dt.datetime.now().astimezone()))
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"“{text}” is not a date and time (e.g. 2026-11-26 12:00:00, "
                         "or now)") from None
    return Data.datetime(CosemDateTime.from_datetime(moment))


def _integer(label: str, build: Callable[[int], Data], low: int, high: int) -> _Kind:
    return _Kind(label, lambda t: build(_whole(t)), low, high)


_KINDS: dict[str, _Kind] = {
    "null": _Kind("null-data", lambda _t: Data.null()),
    "bool": _Kind("boolean", _bool),
    "u8": _integer("unsigned", Data.u8, 0, 0xFF),
    "u16": _integer("long-unsigned", Data.u16, 0, 0xFFFF),
    "u32": _integer("double-long-unsigned", Data.u32, 0, 0xFFFFFFFF),
    "u64": _integer("long64-unsigned", Data.u64, 0, 2**64 - 1),
    "i8": _integer("integer", Data.i8, -128, 127),
    "i16": _integer("long", Data.i16, -32768, 32767),
    "i32": _integer("double-long", Data.i32, -(2**31), 2**31 - 1),
    "i64": _integer("long64", Data.i64, -(2**63), 2**63 - 1),
    "enum": _integer("enum", Data.enum, 0, 0xFF),
    "f32": _Kind("float32", lambda t: Data.float32(_decimal(t))),
    "f64": _Kind("float64", lambda t: Data.float64(_decimal(t))),
    "octets": _Kind("octet-string", _octets),
    "text": _Kind("visible-string", Data.text),
    "utf8": _Kind("utf8-string", Data.utf8),
    "bits": _Kind("bit-string", _bits),
    "datetime": _Kind("date-time", _datetime),
}
VALUE_KINDS: tuple[str, ...] = tuple(_KINDS)
"""The type names offered in the dialogs' Type box."""


def parse_value(kind: str, text: str) -> Data:
    """What the user typed, as a value of ``kind`` (one of :data:`VALUE_KINDS`).

    Raises:
        ValueError: one sentence for the dialog, e.g. "300 is too large for an integer
            (-128 to 127)".
    """
    spec = _KINDS[kind]
    data = spec.build(text)
    value, low, high = data.value, spec.low, spec.high
    if low is not None and high is not None and isinstance(value, int) \
            and not low <= value <= high:
        side = "large" if value > high else "small"
        raise ValueError(f"{value} is too {side} for {_article(spec.label)} ({low} to {high})")
    return data


def _article(label: str) -> str:
    return f"an {label}" if label[0] in "aeiou" else f"a {label}"


def kind_for_type_hint(type_hint: str) -> str:
    """The VALUE_KINDS entry for an attribute's declared type ("long-unsigned" → "u16")."""
    if "date-time" in type_hint:
        return "datetime"
    by_label = {kind.label: name for name, kind in _KINDS.items()}
    base = type_hint.split(" (")[0].split("[")[0].strip()
    return by_label.get(base, "octets")
