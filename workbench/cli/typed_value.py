"""Typed values typed by people: ``u16:300``, ``octets:0a0b``, ``datetime:2026-01-02T03:04:05``.

Without a type prefix the value is parsed as the type the attribute currently has (the
``set`` command reads it first), so ``workbench set 1-0:0.2.0.255:2 300`` just works for a
long-unsigned attribute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from workbench.cli.connection_options import UsageError
from workbench.protocol.axdr import CosemDateTime, Data, DataType

__all__ = ["TYPE_NAMES", "parse_typed_value", "parse_value_as"]


def _int(text: str) -> int:
    return int(text, 0)


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{text!r} is not a boolean (use true/false)")


def _octets(text: str) -> bytes:
    return bytes.fromhex(text.replace(":", "").replace(" ", ""))


def _datetime(text: str) -> CosemDateTime:
    moment = dt.datetime.now() if text.strip().lower() == "now" else dt.datetime.fromisoformat(text)
    return CosemDateTime.from_datetime(moment)


_PARSERS: dict[DataType, Callable[[str], Data]] = {
    DataType.NULL_DATA: lambda _t: Data.null(),
    DataType.BOOLEAN: lambda t: Data.boolean(_bool(t)),
    DataType.UNSIGNED: lambda t: Data.u8(_int(t)),
    DataType.LONG_UNSIGNED: lambda t: Data.u16(_int(t)),
    DataType.DOUBLE_LONG_UNSIGNED: lambda t: Data.u32(_int(t)),
    DataType.LONG64_UNSIGNED: lambda t: Data.u64(_int(t)),
    DataType.INTEGER: lambda t: Data.i8(_int(t)),
    DataType.LONG: lambda t: Data.i16(_int(t)),
    DataType.DOUBLE_LONG: lambda t: Data.i32(_int(t)),
    DataType.LONG64: lambda t: Data.i64(_int(t)),
    DataType.ENUM: lambda t: Data.enum(_int(t)),
    DataType.FLOAT32: lambda t: Data.float32(float(t)),
    DataType.FLOAT64: lambda t: Data.float64(float(t)),
    DataType.OCTET_STRING: lambda t: Data.octets(_octets(t)),
    DataType.VISIBLE_STRING: Data.text,
    DataType.UTF8_STRING: Data.utf8,
    DataType.BIT_STRING: Data.bits,
    DataType.DATE_TIME: lambda t: Data.datetime(_datetime(t)),
}

TYPE_NAMES: dict[str, DataType] = {
    "null": DataType.NULL_DATA, "bool": DataType.BOOLEAN,
    "u8": DataType.UNSIGNED, "u16": DataType.LONG_UNSIGNED,
    "u32": DataType.DOUBLE_LONG_UNSIGNED, "u64": DataType.LONG64_UNSIGNED,
    "i8": DataType.INTEGER, "i16": DataType.LONG, "i32": DataType.DOUBLE_LONG,
    "i64": DataType.LONG64, "enum": DataType.ENUM, "f32": DataType.FLOAT32,
    "f64": DataType.FLOAT64, "octets": DataType.OCTET_STRING, "text": DataType.VISIBLE_STRING,
    "utf8": DataType.UTF8_STRING, "bits": DataType.BIT_STRING, "datetime": DataType.DATE_TIME,
}
_HINT = "Write TYPE:VALUE with TYPE one of " + ", ".join(TYPE_NAMES) + " (e.g. u16:300)."


def parse_value_as(kind: DataType, text: str) -> Data:
    """Parse ``text`` as a value of A-XDR type ``kind``.

    Raises:
        UsageError: the type cannot be typed in, or the text does not fit it.
    """
    parser = _PARSERS.get(kind)
    if parser is None:
        raise UsageError(f"values of type {kind.label} cannot be typed in", _HINT)
    try:
        data = parser(text)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"{text!r} is not a valid {kind.label}: {exc}", _HINT) from exc
    if isinstance(data.value, int) and not isinstance(data.value, bool):
        _check_range(kind, data.value)
    return data


_RANGES = {
    DataType.UNSIGNED: (0, 0xFF), DataType.LONG_UNSIGNED: (0, 0xFFFF),
    DataType.DOUBLE_LONG_UNSIGNED: (0, 0xFFFFFFFF), DataType.LONG64_UNSIGNED: (0, 2**64 - 1),
    DataType.INTEGER: (-128, 127), DataType.LONG: (-32768, 32767),
    DataType.DOUBLE_LONG: (-(2**31), 2**31 - 1), DataType.LONG64: (-(2**63), 2**63 - 1),
    DataType.ENUM: (0, 0xFF),
}


def _check_range(kind: DataType, value: int) -> None:
    low, high = _RANGES[kind]
    if not low <= value <= high:
        raise UsageError(f"{value} does not fit a {kind.label} ({low}..{high})", _HINT)


def parse_typed_value(text: str, current: DataType | None = None) -> Data:
    """Parse ``TYPE:VALUE``, or a bare value as the attribute's ``current`` type.

    Raises:
        UsageError: unknown type prefix, no prefix and no current type, or a bad value.
    """
    prefix, sep, rest = text.partition(":")
    if sep and prefix.lower() in TYPE_NAMES:
        return parse_value_as(TYPE_NAMES[prefix.lower()], rest)
    if current is None:
        raise UsageError(f"cannot tell which type {text!r} should be", _HINT)
    return parse_value_as(current, text)
