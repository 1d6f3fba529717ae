"""Selective access to a profile buffer: by range (clock from/to) and by entry.

Parameters arrive as A-XDR ``Data`` (IEC 62056-6-2, profile generic, access selectors 1
and 2). They are checked here, once, and turned into row indices and column indices so the
object model only ever sees plain numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from workbench.protocol.axdr import Data, DataType
from workbench.protocol.cosem import CaptureObject, parse_capture_objects
from workbench.protocol.errors import DecodeError
from workbench.simulator.clock import ClockValueError, from_cosem

__all__ = ["Buffer", "SelectionError", "select_rows"]

BY_RANGE = 1
BY_ENTRY = 2


class SelectionError(ValueError):
    """Selective-access parameters the meter cannot apply; the message says why."""


class Buffer(Protocol):
    """What a profile buffer offers to selection (see :mod:`profile`)."""

    capture_objects: tuple[CaptureObject, ...]
    capture_period: int
    capacity: int

    def times(self, now: float) -> Sequence[float]: ...

    def row(self, index: int, now: float) -> tuple[Data, ...]: ...


def select_rows(buffer: Buffer, now: float, selector: int | None,
                parameters: Data | None) -> list[Data]:
    """The buffer rows (as structures) chosen by an access selector; all rows for None.

    Raises:
        SelectionError: unknown selector or malformed parameters.
    """
    times = buffer.times(now)
    columns = range(len(buffer.capture_objects))
    if selector is None or selector == 0:
        indices: Sequence[int] = range(len(times))
    elif selector == BY_RANGE:
        indices, columns = _by_range(buffer, times, parameters)
    elif selector == BY_ENTRY:
        indices, columns = _by_entry(buffer, times, parameters)
    else:
        raise SelectionError(f"access selector {selector} is not supported (1 range, 2 entry)")
    rows = []
    for index in indices:
        row = buffer.row(index, now)
        rows.append(Data.struct(*(row[c] for c in columns)))
    return rows


def _fields(parameters: Data | None, count: int, what: str) -> tuple[Data, ...]:
    if (parameters is None or parameters.type != DataType.STRUCTURE
            or len(parameters.value) != count):
        raise SelectionError(f"{what} must be a structure of {count} elements, got {parameters!r}")
    return parameters.value


def _int_field(item: Data, what: str) -> int:
    if type(item.value) is not int:
        raise SelectionError(f"{what} must be an integer, got {item!r}")
    return item.value


def _by_range(buffer: Buffer, times: Sequence[float],
              parameters: Data | None) -> tuple[list[int], Sequence[int]]:
    restricting, low, high, selected = _fields(parameters, 4, "range_descriptor")
    column = _capture_object(restricting)
    if column != buffer.capture_objects[0]:
        raise SelectionError(f"range restricting object must be the clock column, got {column}")
    t0, t1 = _instant(low, "from_value"), _instant(high, "to_value")
    indices = [i for i, t in enumerate(times) if t0 <= t <= t1]
    return indices, _selected_columns(buffer, selected)


def _instant(item: Data, what: str) -> float:
    if item.type == DataType.OCTET_STRING or item.type == DataType.DATE_TIME:
        try:
            return from_cosem(item.value)
        except ClockValueError as exc:
            raise SelectionError(f"range {what}: {exc}") from None
    raise SelectionError(f"range {what} must be a date-time octet-string, got {item!r}")


def _capture_object(item: Data) -> CaptureObject:
    try:
        return parse_capture_objects(Data.array([item]))[0]
    except DecodeError as exc:
        raise SelectionError(f"bad capture object definition: {exc}") from None


def _selected_columns(buffer: Buffer, selected: Data) -> Sequence[int]:
    if selected.type != DataType.ARRAY:
        raise SelectionError(f"selected_values must be an array, got {selected!r}")
    if not selected.value:
        return range(len(buffer.capture_objects))
    columns = []
    for item in selected.value:
        wanted = _capture_object(item)
        if wanted not in buffer.capture_objects:
            raise SelectionError(f"selected value {wanted} is not a column of this profile")
        columns.append(buffer.capture_objects.index(wanted))
    return columns


def _by_entry(buffer: Buffer, times: Sequence[float],
              parameters: Data | None) -> tuple[Sequence[int], Sequence[int]]:
    first, last, first_col, last_col = (
        _int_field(item, "entry_descriptor field")
        for item in _fields(parameters, 4, "entry_descriptor"))
    last = last or len(times)
    last_col = last_col or len(buffer.capture_objects)
    if first < 1 or first_col < 1 or last_col > len(buffer.capture_objects):
        raise SelectionError(f"entry_descriptor {first}..{last}, columns {first_col}..{last_col}"
                             f" is outside 1..{len(times)} / 1..{len(buffer.capture_objects)}")
    return range(first - 1, min(last, len(times))), range(first_col - 1, last_col)
