"""Attribute values as an engineer reads them: OBIS codes, dates, enum names, kWh.

The generic one-line text of a ``Data`` (``format_data``) is right for the frame log, where
the bytes matter; in the object browser the same value must read like the meter's manual:
a logical name as ``1-1:32.7.0.255`` (not ``0x0101200700FF``), a clock as a date, a
disconnector state as ``connected (1)``. The raw text stays available as the tooltip.
Which attribute holds what comes from the interface-class definitions (Blue Book).
"""

from __future__ import annotations

from decimal import Decimal

from workbench.protocol.axdr import Data, DataType, as_datetime, format_data
from workbench.protocol.cosem import (
    ENGINEERING,
    Obis,
    ScaledValue,
    engineering,
    event_text,
    is_event_code_column,
)
from workbench.protocol.errors import ProtocolError

__all__ = ["readable_value", "scaled_text"]

MAX_ITEMS = 50
"""Elements shown per array (an object list has hundreds; the tooltip has the start)."""

_CONTROL_MODES = (
    "none: always connected",
    "remote disconnect; remote reconnect arms, the button on the meter reconnects",
    "remote disconnect; remote reconnect acts at once",
    "like 1, no manual disconnect",
    "like 2, no manual disconnect",
    "like 1, local reconnect allowed",
    "like 3, local reconnect allowed",
)
_BAUD = (300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)

ENUMS: dict[tuple[int, int], tuple[str, ...]] = {
    (70, 3): ("disconnected", "connected", "ready_for_reconnection"),
    (70, 4): _CONTROL_MODES,
    (23, 2): tuple(f"{b} baud" for b in _BAUD),
    (19, 3): tuple(f"{b} baud" for b in _BAUD),  # IEC local port setup default_baud
    (8, 9): ("not defined", "internal crystal", "mains 50 Hz", "mains 60 Hz", "GPS",
             "radio controlled"),
    (7, 5): ("", "fifo", "lifo", "largest", "smallest", "nearest_to_zero",
             "farthest_from_zero"),
    (15, 8): ("non-associated", "association-pending", "associated"),
    (64, 3): ("AES-GCM-128 (suite 0)", "ECDH-ECDSA-AES-GCM-128-SHA-256 (suite 1)",
              "ECDH-ECDSA-AES-GCM-256-SHA-384 (suite 2)"),
}
"""(class id, attribute) → names of the enum values, indexed by value."""

_OBIS_ATTRIBUTES = frozenset({(15, 9)})
"""Attributes other than logical_name (attribute 1) holding one logical name."""

_CLOCK_STATUS_BITS = ((0x01, "invalid"), (0x02, "doubtful"), (0x04, "different clock base"),
                      (0x08, "invalid status"), (0x80, "daylight saving active"))

def scaled_text(scaled: ScaledValue) -> str:
    """A register value with its unit, energies in kWh (e.g. ``85700.000 kWh``)."""
    value = scaled.value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal) \
            or scaled.unit not in ENGINEERING:
        return str(scaled)
    number, symbol = engineering(float(value), scaled.unit)
    return f"{number:,.3f} {symbol}"


def readable_value(class_id: int, obis: Obis, attribute: int, data: Data) -> str:
    """The text shown in the browser's Value column for one attribute."""
    if attribute == 1 or (class_id, attribute) in _OBIS_ATTRIBUTES:
        return _obis_text(data) or format_data(data, max_items=MAX_ITEMS)
    names = ENUMS.get((class_id, attribute))
    if names is not None and isinstance(data.value, int):
        return _enum_text(data.value, names)
    if class_id == 8 and attribute == 4 and isinstance(data.value, int):
        return _clock_status_text(data.value)
    if is_event_code_column(obis, attribute):
        return str(event_text(data.value))
    return _text(data)


def _text(data: Data) -> str:
    """Generic text: containers walked so nested logical names and dates read too."""
    if data.type in (DataType.STRUCTURE, DataType.ARRAY):
        return _container_text(data)
    if data.type == DataType.OCTET_STRING:
        return _octets_text(data)
    if data.type == DataType.DATE_TIME:
        return _date_text(data) or format_data(data)
    return format_data(data)


def _container_text(data: Data) -> str:
    items: tuple[Data, ...] = data.value  # type: ignore[assignment]
    if data.type == DataType.STRUCTURE:
        named = _definition_text(items)
        if named:
            return named
    shown = [_text(item) for item in items[:MAX_ITEMS]]
    if len(items) > MAX_ITEMS:
        shown.append(f"… (+{len(items) - MAX_ITEMS} more)")
    inner = ", ".join(shown)
    return f"[{inner}]" if data.type == DataType.ARRAY else f"{{{inner}}}"


def _definition_text(items: tuple[Data, ...]) -> str:
    """A capture-object or object-list element, led by its class id and logical name:
    ``1-1:1.8.0.255 /2 (class 3)``. Anything else: ""."""
    if len(items) < 3 or items[0].type != DataType.LONG_UNSIGNED:
        return ""
    if (obis := _obis_text(items[1])) and items[2].type == DataType.INTEGER:
        return f"{obis} /{items[2].value} (class {items[0].value})"  # capture_object_definition
    if items[1].type == DataType.UNSIGNED and (obis := _obis_text(items[2])):
        return f"{obis} (class {items[0].value} v{items[1].value})"  # object_list_element
    return ""


def _obis_text(data: Data) -> str:
    raw = data.value
    if data.type != DataType.OCTET_STRING or not isinstance(raw, bytes) or len(raw) != 6:
        return ""
    return str(Obis.from_bytes(raw))


def _octets_text(data: Data) -> str:
    """A date-time as a date, printable ASCII as text, anything else in hex."""
    raw: bytes = data.value  # type: ignore[assignment]
    if len(raw) == 12:
        date = _date_text(data)
        if date:
            return date
    if len(raw) >= 3 and raw.isascii() and raw.decode().isprintable():
        return f'"{raw.decode()}"'
    return format_data(data)


def _date_text(data: Data) -> str:
    try:
        return str(as_datetime(data))
    except (ProtocolError, ValueError):
        return ""


def _enum_text(value: int, names: tuple[str, ...]) -> str:
    name = names[value] if 0 <= value < len(names) else ""
    return f"{name} ({value})" if name else f"{value} (not a standard value)"


def _clock_status_text(value: int) -> str:
    flags = [name for bit, name in _CLOCK_STATUS_BITS if value & bit]
    return f"{', '.join(flags) or 'ok'} (0x{value:02X})"
