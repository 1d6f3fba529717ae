"""Selective access to a profile buffer: by range (clock from/to) and by entry.

Parameters arrive as A-XDR ``Data`` (IEC 62056-6-2, profile generic, access selectors 1
and 2). They are checked here, once, and turned into row indices and column indices so the
object model only ever sees plain numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from workbench.protocol.axdr import CosemDateTime, Data, DataType
from workbench.protocol.cosem import CaptureObject, parse_capture_objects
from workbench.protocol.errors import DecodeError
from workbench.simulator.clock import ClockValueError, from_cosem

__all__ = ["Buffer", "RangeSelection", "SelectionError", "parse_entry", "parse_range",
           "select_rows"]

BY_RANGE = 1
BY_ENTRY = 2


class SelectionError(ValueError):
    """Selective-access parameters the meter cannot apply; the message says why."""


class Buffer(Protocol):
    """What a profile buffer offers to selection (see :mod:`profile`)."""

    @property
    def capture_objects(self) -> tuple[CaptureObject, ...]: ...

    @property
    def capture_period(self) -> int: ...

    @property
    def capacity(self) -> int: ...

    def times(self, now: float) -> Sequence[float]: ...

    def row(self, index: int, now: float) -> tuple[Data, ...]: ...


def select_rows(buffer: Buffer, now: float, selector: int | None,
                parameters: Data | None) -> list[Data]:
    """The buffer rows (as structures) chosen by an access selector; all rows for None.

    Raises:
        SelectionError: unknown selector or malformed parameters.
    """
    times = buffer.times(now)
    indices: Sequence[int] = range(len(times))
    columns: Sequence[int] = range(len(buffer.capture_objects))
    if selector == BY_RANGE:
        indices, columns = _by_range(buffer, times, parse_range(parameters))
    elif selector == BY_ENTRY:
        indices, columns = _by_entry(buffer, times, parse_entry(parameters))
    elif selector not in (None, 0):
        raise SelectionError(f"access selector {selector} is not supported (1 range, 2 entry)")
    rows = []
    for index in indices:
        row = buffer.row(index, now)
        rows.append(Data.struct(*(row[c] for c in columns)))
    return rows


@dataclass(frozen=True, slots=True)
class RangeSelection:
    """A range_descriptor as the meter understands it: instants, not encodings."""

    restricting: CaptureObject
    start: float
    end: float
    columns: tuple[CaptureObject, ...]  # empty: every column


def parse_range(parameters: Data | None) -> RangeSelection:
    """Selector 1's parameters; an unspecified deviation means meter time (UTC).

    Raises:
        SelectionError: not a range_descriptor, or an instant that is not one.
    """
    restricting, low, high, selected = _fields(parameters, 4, "range_descriptor")
    if selected.type != DataType.ARRAY:
        raise SelectionError(f"selected_values must be an array, got {selected!r}")
    return RangeSelection(_capture_object(restricting), _instant(low, "from_value"),
                          _instant(high, "to_value"),
                          tuple(_capture_object(item) for item in _items(selected)))


def parse_entry(parameters: Data | None) -> tuple[int, int, int, int]:
    """Selector 2's parameters: from_entry, to_entry, from_selected_value, to_selected_value.

    Raises:
        SelectionError: not an entry_descriptor of four integers.
    """
    first, last, first_col, last_col = (_int_field(item, "entry_descriptor field")
                                        for item in _fields(parameters, 4, "entry_descriptor"))
    return first, last, first_col, last_col


def _items(data: Data) -> tuple[Data, ...]:
    value = data.value
    return value if isinstance(value, tuple) else ()


def _fields(parameters: Data | None, count: int, what: str) -> tuple[Data, ...]:
    if (parameters is None or parameters.type != DataType.STRUCTURE
            or len(_items(parameters)) != count):
        raise SelectionError(f"{what} must be a structure of {count} elements, got {parameters!r}")
    return _items(parameters)


def _int_field(item: Data, what: str) -> int:
    value = item.value
    if type(value) is not int:
        raise SelectionError(f"{what} must be an integer, got {item!r}")
    return value


def _instant(item: Data, what: str) -> float:
    value = item.value
    if isinstance(value, bytes | CosemDateTime):
        try:
            return from_cosem(value)
        except ClockValueError as exc:
            raise SelectionError(f"range {what}: {exc}") from None
    raise SelectionError(f"range {what} must be a date-time octet-string, got {item!r}")


def _capture_object(item: Data) -> CaptureObject:
    try:
        return parse_capture_objects(Data.array([item]))[0]
    except DecodeError as exc:
        raise SelectionError(f"bad capture object definition: {exc}") from None


def _by_range(buffer: Buffer, times: Sequence[float],
              selection: RangeSelection) -> tuple[list[int], Sequence[int]]:
    if selection.restricting != buffer.capture_objects[0]:
        raise SelectionError("range restricting object must be the clock column, got "
                             f"{selection.restricting}")
    indices = [i for i, t in enumerate(times) if selection.start <= t <= selection.end]
    return indices, _selected_columns(buffer, selection.columns)


def _selected_columns(buffer: Buffer, selected: tuple[CaptureObject, ...]) -> Sequence[int]:
    if not selected:
        return range(len(buffer.capture_objects))
    columns = []
    for wanted in selected:
        if wanted not in buffer.capture_objects:
            raise SelectionError(f"selected value {wanted} is not a column of this profile")
        columns.append(buffer.capture_objects.index(wanted))
    return columns


def _by_entry(buffer: Buffer, times: Sequence[float],
              entry: tuple[int, int, int, int]) -> tuple[Sequence[int], Sequence[int]]:
    first, last, first_col, last_col = entry
    last = last or len(times)
    last_col = last_col or len(buffer.capture_objects)
    if first < 1 or first_col < 1 or last_col > len(buffer.capture_objects):
        raise SelectionError(f"entry_descriptor {first}..{last}, columns {first_col}..{last_col}"
                             f" is outside 1..{len(times)} / 1..{len(buffer.capture_objects)}")
    return range(first - 1, min(last, len(times))), range(first_col - 1, last_col)
