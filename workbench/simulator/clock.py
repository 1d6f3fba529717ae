"""The meter's clock: the host's wall clock plus an offset that SET/ACTION on the clock move.

The meter keeps UTC as its local time (time zone deviation 0, daylight saving disabled), so
a meter timestamp is plain epoch seconds and ``CosemDateTime`` conversions never guess.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable

from workbench.protocol.axdr import ClockStatus, CosemDateTime, IncompleteDateTime
from workbench.protocol.errors import ProtocolError

__all__ = ["QUARTER", "ClockValueError", "MeterClock", "from_cosem", "to_cosem"]

QUARTER = 900.0


class ClockValueError(ValueError):
    """A date-time sent by the client is not a single instant the meter can use."""


def to_cosem(t: float) -> CosemDateTime:
    """Meter time ``t`` (epoch seconds) as a fully specified date-time, deviation 0."""
    dt = _dt.datetime.fromtimestamp(math.floor(t), _dt.UTC)
    return CosemDateTime.from_datetime(dt, deviation=0, status=ClockStatus(0))


def from_cosem(value: CosemDateTime | bytes) -> float:
    """Epoch seconds of a client date-time; an unspecified deviation means meter time (UTC).

    Raises:
        ClockValueError: fields are unspecified or the bytes are not a date-time.
    """
    try:
        cosem = value if isinstance(value, CosemDateTime) else CosemDateTime.decode(value)
        dt = cosem.to_datetime()
    except IncompleteDateTime as exc:
        raise ClockValueError(str(exc)) from None
    except (ProtocolError, ValueError) as exc:
        raise ClockValueError(f"not a COSEM date-time: {exc}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=_dt.UTC)
    return dt.timestamp()


class MeterClock:
    """Meter time = ``time_source()`` + offset; setting the time only moves the offset."""

    def __init__(self, time_source: Callable[[], float]) -> None:
        self._source = time_source
        self._offset = 0.0

    def now(self) -> float:
        return self._source() + self._offset

    def set(self, t: float) -> tuple[float, float]:
        """Set meter time to ``t``; returns (old time, new time) for the event log."""
        old = self.now()
        self._offset += t - old
        return old, t

    def shift(self, seconds: float) -> tuple[float, float]:
        """Move meter time by ``seconds`` (ACTION shift_time)."""
        return self.set(self.now() + seconds)

    def adjust_to_quarter(self) -> tuple[float, float]:
        """Round meter time to the nearest quarter hour (ACTION adjust_to_quarter)."""
        return self.set(round(self.now() / QUARTER) * QUARTER)
