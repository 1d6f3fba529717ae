"""A profile read as the profile view needs it: rows, each column's scale, and link drops.

Why the scalers are read here: a load profile captures a register's raw value (attribute
2), so the buffer says ``85737426`` where the meter means 85 737.426 kWh; the scale and
unit live in each captured register's own scaler_unit attribute, read once per read in a
single GET-with-list. Why link drops are counted here: the session resumes a dropped
profile read silently (all rows arrive), but the engineer must be told it happened, and
where, so every chunk carries the drops seen since the previous one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.protocol.apdu import AttributeDescriptor
from workbench.protocol.axdr import Data, DataType, as_datetime, format_data
from workbench.protocol.cosem import (
    ENGINEERING,
    CaptureObject,
    Obis,
    engineering,
    event_text,
    is_event_code_column,
    is_profile_status,
    obis_name,
    parse_scaler_unit,
    status_text,
)
from workbench.protocol.errors import ProtocolError
from workbench.session.profile import profile_columns
from workbench.ui.messages import ProfileChunk

__all__ = ["ColumnScale", "ScaledProfileChunk", "column_name", "read_profile"]

SCALER_UNIT_ATTRIBUTE = {3: 3, 4: 3, 5: 4}
"""Class id → index of its scaler_unit attribute (a demand register keeps it in 4)."""
VALUE_ATTRIBUTES = {3: (2,), 4: (2,), 5: (2, 3)}
"""Class id → the attributes that scaler_unit applies to."""


@dataclass(frozen=True)
class ColumnScale:
    """How one captured register column is shown: raw × 10^scaler, in engineering units."""

    scaler: int
    unit: int

    @property
    def cumulative(self) -> bool:
        """An energy counter: its per-interval difference is what was consumed."""
        return self.unit in ENGINEERING

    @property
    def symbol(self) -> str:
        return engineering(0.0, self.unit)[1]

    @property
    def decimals(self) -> int:
        """Digits after the point that the raw integer actually resolves."""
        power = ENGINEERING.get(self.unit, ("", 0))[1]
        return max(0, power - self.scaler)

    def value(self, raw: object) -> float | None:
        """The engineering value of a raw cell, or None when it is not a number."""
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return None
        return engineering(raw * 10.0**self.scaler, self.unit)[0]

    def text(self, raw: object) -> str:
        value = self.value(raw)
        return "" if value is None else f"{value:.{self.decimals}f}"


@dataclass(frozen=True)
class ScaledProfileChunk(ProfileChunk):
    """A :class:`ProfileChunk` with the column scales and the link drops since the last one."""

    scales: tuple[ColumnScale | None, ...] = ()
    link_events: tuple[str, ...] = ()


def column_name(column: CaptureObject, scale: ColumnScale | None) -> str:
    """``Active energy import (+A) [kWh]``; an attribute other than the value is named."""
    name = obis_name(column.obis) or str(column.obis)
    if column.attribute != 2 and column.class_id != 8:
        name += f" /{column.attribute}"
    if scale is not None and scale.symbol:
        name += f" [{scale.symbol}]"
    return name


def read_profile(client: Any, obis: str, start: dt.datetime | None, end: dt.datetime | None,
                 emit: Callable[[ProfileChunk], None]) -> None:
    """Stream a profile's rows to ``emit`` as blocks arrive; the last chunk has done=True."""
    target = Obis.parse(obis)
    captured = profile_columns(client, target)
    scales = read_scales(client, captured)
    names = tuple(column_name(c, s) for c, s in zip(captured, scales, strict=True))
    watch = _LinkWatch(client)

    def on_rows(rows: list[tuple[Data, ...]]) -> None:
        events = watch.events()
        watch.rows += len(rows)
        emit(ScaledProfileChunk(obis, names, tuple(_row_values(r, captured) for r in rows),
                                scales=scales, link_events=events))

    client.read_profile(target, start=start, end=end, on_rows=on_rows, columns=captured)
    emit(ScaledProfileChunk(obis, names, (), done=True, scales=scales,
                            link_events=watch.events()))


def read_scales(client: Any, columns: list[CaptureObject]) -> tuple[ColumnScale | None, ...]:
    """Each register column's scale, from its scaler_unit (one GET-with-list for all)."""
    wanted = [i for i, c in enumerate(columns)
              if c.attribute in VALUE_ATTRIBUTES.get(c.class_id, ())]
    descs = [AttributeDescriptor(columns[i].class_id, columns[i].obis,
                                 SCALER_UNIT_ATTRIBUTE[columns[i].class_id]) for i in wanted]
    answers = client.get_many(descs) if descs else []
    scales: list[ColumnScale | None] = [None] * len(columns)
    for i, answer in zip(wanted, answers, strict=True):
        scales[i] = _scale(answer)
    return tuple(scales)


def _scale(answer: object) -> ColumnScale | None:
    if not isinstance(answer, Data):  # refused: the column is shown raw
        return None
    try:
        return ColumnScale(*parse_scaler_unit(answer))
    except ProtocolError:
        return None


class _LinkWatch:
    """Notices the session reconnecting (its ``reconnects`` count) between two row batches."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._seen = client.reconnects
        self.rows = 0

    def events(self) -> tuple[str, ...]:
        now = self._client.reconnects
        if now == self._seen:
            return ()
        count, self._seen = now - self._seen, now
        again = "" if count == 1 else f" ({count} reconnects)"
        return (f"link dropped at row {self.rows}, resumed{again}",)


def _row_values(row: tuple[Data, ...], columns: list[CaptureObject]) -> tuple[object, ...]:
    """Plain cells: date-times as datetime, numbers as numbers, codes and flags named."""
    out = []
    for cell, column in zip(row, columns, strict=False):
        out.append(_cell(cell, column))
    return tuple(out)


def _cell(cell: Data, column: CaptureObject) -> object:
    if cell.type in (DataType.OCTET_STRING, DataType.DATE_TIME):
        try:
            return as_datetime(cell).to_datetime()
        except (ProtocolError, ValueError):
            pass
    value = cell.to_python()
    if is_event_code_column(column.obis, column.attribute):
        return event_text(value)
    if is_profile_status(column.obis) and isinstance(value, int):
        return status_text(value)
    return value if isinstance(value, int | float | str) else format_data(cell, max_items=8)
