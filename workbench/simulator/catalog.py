"""The meter's objects, in the order its object list shows them.

Scalers follow common practice for a single-phase meter: voltage in 0.1 V, current in mA,
frequency in 0.01 Hz, powers in 0.1 W/var/VA, power factor in 0.001, energies in Wh/varh.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Protocol

from workbench.protocol.axdr import Data
from workbench.protocol.cosem import Obis
from workbench.simulator.association import AssociationLN
from workbench.simulator.clock import QUARTER, MeterClock
from workbench.simulator.config import MeterConfig
from workbench.simulator.objects import (
    Clock,
    CosemObject,
    DemandRegister,
    DisconnectControl,
    ExtendedRegister,
    ProfileGeneric,
    Register,
    StaticObject,
)
from workbench.simulator.profile import (
    CLOCK_OBIS,
    EVENT_CODE_OBIS,
    PROFILE_STATUS_OBIS,
    EventLog,
    LoadProfile,
)
from workbench.simulator.values import Supply

__all__ = ["MeterParts", "build_objects"]


class MeterParts(Protocol):
    """The state the objects are views of; :class:`~workbench.simulator.meter.Meter` has it.

    Why a protocol: the meter builds its objects from this module, so this module must not
    import the meter back (no import cycle).
    """

    @property
    def config(self) -> MeterConfig: ...

    @property
    def clock(self) -> MeterClock: ...

    @property
    def supply(self) -> Supply: ...

    @property
    def events(self) -> EventLog: ...

    @property
    def load_profile(self) -> LoadProfile: ...

# unit codes (Blue Book enumeration)
V, A, HZ, W, VAR, VA, WH, VARH, NONE = 35, 33, 44, 27, 29, 28, 30, 32, 255

_INSTANT: tuple[tuple[int, str, int, int, Callable[[int], Data]], ...] = (
    # (C of 1-1:C.7.0.255, values.Measurements field, scaler, unit, encoder)
    (32, "voltage", -1, V, Data.u16),
    (31, "current", -3, A, Data.u32),
    (14, "frequency", -2, HZ, Data.u16),
    (1, "p_import", -1, W, Data.u32),
    (2, "p_export", -1, W, Data.u32),
    (3, "q_import", -1, VAR, Data.u32),
    (4, "q_export", -1, VAR, Data.u32),
    (9, "apparent", -1, VA, Data.u32),
    (13, "power_factor", -3, NONE, Data.u16),
)
_ENERGY_UNITS = {1: WH, 2: WH, 3: VARH, 4: VARH}


def _o(text: str) -> Obis:
    return Obis.parse(text)


def _instantaneous(meter: MeterParts) -> list[CosemObject]:
    def quantity(field: str) -> Callable[[float], float]:
        return lambda t: getattr(meter.supply.sample(t), field)
    return [Register(Obis(1, 1, c, 7, 0, 255), quantity(field), scaler, unit, encode)
            for c, field, scaler, unit, encode in _INSTANT]


def _energy(meter: MeterParts, index: int) -> Callable[[float], float]:
    return lambda t: meter.supply.energies(t).as_tuple()[index]


def _energies(meter: MeterParts) -> list[CosemObject]:
    return [Register(Obis(1, 1, c, 8, 0, 255), _energy(meter, c - 1), 0, unit)
            for c, unit in _ENERGY_UNITS.items()]


class _MaxDemand:
    """Highest 15-minute average since the start of the month, and when it ended."""

    def __init__(self, energy: Callable[[float], float]) -> None:
        self.energy = energy
        self._memo: tuple[float, tuple[float, float]] | None = None

    def __call__(self, now: float) -> tuple[float, float]:
        last = now // QUARTER * QUARTER
        if self._memo is None or self._memo[0] != last:
            self._memo = (last, self._compute(last))
        return self._memo[1]

    def _compute(self, last: float) -> tuple[float, float]:
        day = _dt.datetime.fromtimestamp(last, _dt.UTC)
        month_start = day.replace(day=1, hour=0, minute=0, second=0).timestamp()
        best = (0.0, month_start)
        previous = self.energy(month_start)
        t = month_start + QUARTER
        while t <= last:
            current = self.energy(t)
            best = max(best, ((current - previous) * 3600.0 / QUARTER, t))
            previous, t = current, t + QUARTER
        return best


def _demand(meter: MeterParts) -> list[CosemObject]:
    return [
        ExtendedRegister(_o("1-1:1.6.0.255"), _MaxDemand(_energy(meter, 0)), -1, W),
        ExtendedRegister(_o("1-1:2.6.0.255"), _MaxDemand(_energy(meter, 1)), -1, W),
        DemandRegister(_o("1-1:1.4.0.255"), _energy(meter, 0), -1, W),
    ]


def _setups(meter: MeterParts) -> list[CosemObject]:
    config = meter.config
    serial = config.serial.encode()
    system_title = b"MSR" + int(config.serial).to_bytes(8, "big")[-5:]
    return [
        StaticObject(17, _o("0-0:41.0.0.255"), {
            2: Data.array([Data.struct(Data.u16(1), Data.octets(b"MSR" + serial))])},
            method_count=1),
        StaticObject(23, _o("0-0:22.0.0.255"), {
            2: Data.enum(5), 3: Data.u8(config.window), 4: Data.u8(config.window),
            5: Data.u16(config.max_info), 6: Data.u16(config.max_info), 7: Data.u16(25),
            8: Data.u16(int(config.idle_timeout)),
            9: Data.u16(config.physical_address)}, version=1),
        StaticObject(64, _o("0-0:43.0.0.255"), {
            2: Data.enum(0), 3: Data.enum(0), 4: Data.octets(b""),
            5: Data.octets(system_title)}, method_count=2),
    ]


def build_objects(meter: MeterParts) -> list[CosemObject]:
    """Every object of the meter, the Association LN first (it lists all of them)."""
    objects: list[CosemObject] = []
    objects += [
        AssociationLN(_o("0-0:40.0.0.255"), lambda: objects, meter.config.max_pdu_size),
        StaticObject(1, _o("0-0:96.1.0.255"), {2: Data.octets(meter.config.serial.encode())}),
        StaticObject(1, _o("0-0:42.0.0.255"), {2: Data.octets(b"MS-DLMS 2.04")}),
        Clock(CLOCK_OBIS, meter.clock, meter.events),
        *_instantaneous(meter),
        *_energies(meter),
        *_demand(meter),
        ProfileGeneric(_o("1-0:99.1.0.255"), meter.load_profile),
        ProfileGeneric(_o("0-0:99.98.0.255"), meter.events),
        StaticObject(1, EVENT_CODE_OBIS, {2: lambda: Data.u8(meter.events.last_code())}),
        StaticObject(1, PROFILE_STATUS_OBIS, {2: Data.u8(0)}),
        DisconnectControl(_o("0-0:96.3.10.255"), meter.supply),
        *_setups(meter),
    ]
    return objects
