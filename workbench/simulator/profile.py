"""The meter's buffers: the 15-minute load profile and the event log (class 7 contents).

Why rows are computed, not stored: a load-profile row is a pure function of its capture
time (energies come from :mod:`values`), so 60 days of history cost nothing until a client
reads them, the buffer "grows" simply because meter time moves on, and two meters with the
same seed return the same rows. Only the event log keeps a list, because clock changes
made by clients are real history.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from enum import IntEnum

from workbench.protocol.axdr import Data
from workbench.protocol.cosem import CaptureObject, Obis
from workbench.simulator.clock import QUARTER, to_cosem
from workbench.simulator.quirks import bad_event_time, bad_profile_time
from workbench.simulator.values import Supply

__all__ = [
    "CLOCK_OBIS",
    "EVENT_CODE_OBIS",
    "PROFILE_STATUS_OBIS",
    "EventCode",
    "EventLog",
    "LoadProfile",
    "ProfileStatus",
]

CLOCK_OBIS = Obis(0, 0, 1, 0, 0, 255)
EVENT_CODE_OBIS = Obis(0, 0, 96, 11, 0, 255)
PROFILE_STATUS_OBIS = Obis(0, 0, 96, 10, 1, 255)
ENERGY_OBIS = tuple(Obis(1, 1, c, 8, 0, 255) for c in (1, 2, 3, 4))


class EventCode(IntEnum):
    """Standard event codes (IDIS standard event log numbering)."""

    POWER_DOWN = 1
    POWER_UP = 2
    CLOCK_ADJUSTED_OLD_TIME = 4
    CLOCK_ADJUSTED_NEW_TIME = 5


class ProfileStatus(IntEnum):
    """Bits of the load-profile status column (IDIS AMR profile status)."""

    CLOCK_ADJUSTED = 0x20
    POWER_DOWN = 0x80


_CLOCK_COLUMN = CaptureObject(8, CLOCK_OBIS, 2)


class EventLog:
    """Power and clock events: a seeded history before boot, then what clients cause."""

    capture_objects = (_CLOCK_COLUMN, CaptureObject(1, EVENT_CODE_OBIS, 2))
    capture_period = 0
    capacity = 500

    def __init__(self, seed: int, start: float, end: float, *,
                 invalid_dates: bool = False) -> None:
        self.invalid_dates = invalid_dates
        rng = random.Random(f"events:{seed}")
        events: list[tuple[float, EventCode]] = []
        for _ in range(rng.randint(3, 6)):
            down = float(int(rng.uniform(start, end - 3600)))
            events += [(down, EventCode.POWER_DOWN),
                       (down + rng.randint(60, 1800), EventCode.POWER_UP)]
        self._events = sorted(events)

    def record(self, t: float, code: EventCode) -> None:
        self._events.append((t, code))
        del self._events[: -self.capacity]

    def times(self, now: float) -> Sequence[float]:
        return [t for t, _ in self._events]

    def last_code(self) -> int:
        """Code of the newest event (the event object 0-0:96.11.0.255 shows it)."""
        return int(self._events[-1][1]) if self._events else 0

    def row(self, index: int, now: float) -> tuple[Data, ...]:
        t, code = self._events[index]
        when = to_cosem(t).encode()
        if self.invalid_dates:
            when = bad_event_time(index, when)
        return (Data.octets(when), Data.u8(int(code)))

    def flags_between(self, t0: float, t1: float) -> int:
        """Load-profile status bits for events in ``(t0, t1]``."""
        flags = 0
        for t, code in self._events:
            if t0 < t <= t1:
                if code is EventCode.POWER_DOWN:
                    flags |= ProfileStatus.POWER_DOWN
                elif code in (EventCode.CLOCK_ADJUSTED_OLD_TIME,
                              EventCode.CLOCK_ADJUSTED_NEW_TIME):
                    flags |= ProfileStatus.CLOCK_ADJUSTED
        return flags


class LoadProfile:
    """Quarter-hour energies: clock, A+, A-, R+, R- (Wh/varh) and a status byte.

    Rows exist at every quarter from ``history_days`` before boot up to the current meter
    time; if the clock is set back, rows already captured stay (the newest capture time is
    remembered).
    """

    capture_objects = (_CLOCK_COLUMN,
                       *(CaptureObject(3, obis, 2) for obis in ENERGY_OBIS),
                       CaptureObject(1, PROFILE_STATUS_OBIS, 2))
    capture_period = int(QUARTER)

    def __init__(self, supply: Supply, events: EventLog, boot: float, history_days: int, *,
                 invalid_dates: bool = False) -> None:
        self.invalid_dates = invalid_dates
        self._supply = supply
        self._events = events
        self._first = int(boot // QUARTER * QUARTER) - history_days * 86_400
        self._newest = self._first
        self.capacity = (history_days + 30) * 96

    def times(self, now: float) -> Sequence[float]:
        self._newest = max(self._newest, int(now // QUARTER * QUARTER))
        step = int(QUARTER)
        oldest = max(self._first, self._newest - (self.capacity - 1) * step)
        return range(oldest, self._newest + 1, step)

    def row(self, index: int, now: float) -> tuple[Data, ...]:
        t = self.times(now)[index]
        energies = self._supply.energies(t).as_tuple()
        status = self._events.flags_between(t - QUARTER, t)
        when = to_cosem(t).encode()
        if self.invalid_dates:
            when = bad_profile_time(t, when)
        return (Data.octets(when),
                *(Data.u32(round(e)) for e in energies),
                Data.u8(status))
