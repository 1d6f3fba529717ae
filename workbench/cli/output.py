"""Two renderings of every result: an aligned table for people, JSON for machines."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TextIO

from workbench.protocol.axdr import Data, DataType, as_datetime, format_data
from workbench.protocol.errors import ProtocolError

__all__ = [
    "data_json",
    "display_value",
    "format_table",
    "plain_value",
    "print_json",
    "print_table",
    "to_jsonable",
]


def to_jsonable(value: Any) -> Any:
    """Plain JSON types for the values a meter gives (bytes as hex, Decimal as number)."""
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def print_json(value: Any, file: TextIO | None = None) -> None:
    print(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False), file=file or sys.stdout)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Left-aligned columns separated by two spaces, with a rule under the header."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]],
                file: TextIO | None = None) -> None:
    print(format_table(headers, rows), file=file or sys.stdout)


def _printable(raw: bytes) -> bool:
    return bool(raw) and all(0x20 <= b < 0x7F for b in raw)


def display_value(data: Data, max_items: int | None = 8) -> str:
    """How a value reads best: printable octet-strings as text, date-times decoded."""
    if data.type == DataType.OCTET_STRING and isinstance(data.value, bytes):
        if _printable(data.value):
            return data.value.decode("ascii")
        if len(data.value) == 12:
            try:
                return str(as_datetime(data))
            except ProtocolError:
                pass
    return format_data(data, max_items)


def plain_value(data: Data) -> Any:
    """The value as JSON wants it: printable octet-strings as text, other bytes as hex."""
    if data.type == DataType.OCTET_STRING and isinstance(data.value, bytes):
        return data.value.decode("ascii") if _printable(data.value) else data.value.hex()
    return to_jsonable(data.to_python())


def data_json(data: Data) -> dict[str, Any]:
    """``{"type": "long-unsigned", "value": ...}`` with nested values as plain lists."""
    value = data.to_python()
    if data.type == DataType.OCTET_STRING and isinstance(data.value, bytes):
        value = data.value.hex()
    return {"type": data.type.label, "value": to_jsonable(value)}
