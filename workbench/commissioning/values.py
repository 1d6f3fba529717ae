"""Session readings turned into the readout's plain values (numbers scaled, text readable)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workbench.protocol.axdr import Data, DataType, format_data
from workbench.protocol.cosem import ENGINEERING, engineering
from workbench.session.readings import Reading

from .readout import Value

__all__ = ["data_text", "value_of"]

_TEXT_TYPES = frozenset({DataType.OCTET_STRING, DataType.VISIBLE_STRING, DataType.UTF8_STRING})


def data_text(data: Data) -> str:
    """Printable strings as text ("MS-DLMS 2.04"), anything else as the codec formats it."""
    if data.type in _TEXT_TYPES and isinstance(data.value, bytes | str):
        raw = data.value if isinstance(data.value, bytes) else data.value.encode()
        if raw and all(32 <= b < 127 for b in raw):
            return raw.decode("ascii")
    return format_data(data)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return float(value)


def value_of(reading: Reading) -> Value:
    """One reading as a readout value."""
    def value(**shown: Any) -> Value:
        return Value(str(reading.target.obis), reading.target.index, reading.class_id,
                     reading.name, **shown)

    if not reading.ok or reading.data is None:
        return value(error=reading.error or "not read")
    if reading.scaled is not None:
        scaled = reading.scaled
        number = _number(scaled.value)
        if number is None or scaled.unit not in ENGINEERING:
            return value(number=number, unit=scaled.symbol, text=str(scaled))
        shown, symbol = engineering(number, scaled.unit)
        return value(number=shown, unit=symbol, text=f"{shown:,.3f} {symbol}")
    return value(number=_number(reading.data.value), text=data_text(reading.data))
