"""COSEM objects of the simulated meter: one small class per interface class behaviour.

Each object answers ``read(attr, ctx)``, ``write(attr, value, ctx)`` and
``invoke(method, param, ctx)`` and raises :class:`CosemError` with a data-access-result
code when it cannot. Access rights are *data* (``writable``/``methods`` class attributes
that apply to the management association; the public client only reads), so the object
list a client reads and the checks the handler makes come from the same place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from workbench.protocol.apdu import DataAccessResult, SelectiveAccess
from workbench.protocol.axdr import DAY_LAST, CosemDateTime, Data, DataType
from workbench.protocol.cosem import Obis, build_capture_objects
from workbench.simulator.clock import QUARTER, ClockValueError, MeterClock, from_cosem, to_cosem
from workbench.simulator.profile import EventCode, EventLog
from workbench.simulator.selection import Buffer, SelectionError, select_rows
from workbench.simulator.values import Supply

__all__ = [
    "Clock",
    "CosemError",
    "CosemObject",
    "Ctx",
    "DemandRegister",
    "DisconnectControl",
    "ExtendedRegister",
    "ProfileGeneric",
    "Register",
    "StaticObject",
]


class CosemError(Exception):
    """A request the object refuses; ``result`` is the data-access-result code to answer."""

    def __init__(self, result: DataAccessResult, reason: str) -> None:
        super().__init__(reason)
        self.result = result


@dataclass(frozen=True, slots=True)
class Ctx:
    """One request's view of the world: meter time (fixed for the whole request) and who."""

    now: float
    client_sap: int
    management: bool


def _require(value: Data, *types: DataType) -> object:
    if value.type not in types:
        wanted = " or ".join(t.name.lower() for t in types)
        raise CosemError(DataAccessResult.TYPE_UNMATCHED, f"expected {wanted}, got {value!r}")
    return value.value


class CosemObject:
    """Base: logical name, attribute/method counts and the management access rights."""

    class_id: ClassVar[int]
    version: ClassVar[int] = 0
    attribute_count: ClassVar[int]
    method_count: ClassVar[int] = 0
    writable: ClassVar[frozenset[int]] = frozenset()
    methods: ClassVar[frozenset[int]] = frozenset()
    hidden: ClassVar[frozenset[int]] = frozenset()  # never readable (secrets)
    selectors: ClassVar[dict[int, tuple[int, ...]]] = {}

    def __init__(self, obis: Obis) -> None:
        self.obis = obis

    def get(self, attr: int, ctx: Ctx) -> Data:
        if attr == 1:
            return Data.octets(self.obis.to_bytes())
        return self.read(attr, ctx)

    def read(self, attr: int, ctx: Ctx) -> Data:
        raise CosemError(DataAccessResult.OBJECT_UNAVAILABLE, f"attribute {attr} not available")

    def write(self, attr: int, value: Data, ctx: Ctx) -> None:
        raise CosemError(DataAccessResult.READ_WRITE_DENIED, f"attribute {attr} is read-only")

    def invoke(self, method: int, param: Data | None, ctx: Ctx) -> Data | None:
        raise CosemError(DataAccessResult.OBJECT_UNAVAILABLE, f"method {method} not available")


class StaticObject(CosemObject):
    """An object whose attributes are fixed values or simple getters (serial, setups)."""

    def __init__(self, class_id: int, obis: Obis, values: dict[int, Data | Callable[[], Data]],
                 *, version: int = 0, method_count: int = 0) -> None:
        super().__init__(obis)
        self.class_id = class_id  # type: ignore[misc]
        self.version = version  # type: ignore[misc]
        self.attribute_count = 1 + len(values)  # type: ignore[misc]
        self.method_count = method_count  # type: ignore[misc]
        self._values = values

    def read(self, attr: int, ctx: Ctx) -> Data:
        value = self._values.get(attr)
        if value is None:
            return super().read(attr, ctx)
        return value if isinstance(value, Data) else value()


def scaler_unit(scaler: int, unit: int) -> Data:
    return Data.struct(Data.i8(scaler), Data.enum(unit))


class Register(CosemObject):
    """Class 3: ``value`` is a physical quantity scaled to an integer by ``scaler``."""

    class_id = 3
    attribute_count = 3
    method_count = 1

    def __init__(self, obis: Obis, quantity: Callable[[float], float], scaler: int, unit: int,
                 encode: Callable[[int], Data] = Data.u32) -> None:
        super().__init__(obis)
        self.quantity, self.scaler, self.unit, self.encode = quantity, scaler, unit, encode

    def raw(self, value: float) -> Data:
        return self.encode(round(value / 10**self.scaler))

    def read(self, attr: int, ctx: Ctx) -> Data:
        if attr == 2:
            return self.raw(self.quantity(ctx.now))
        if attr == 3:
            return scaler_unit(self.scaler, self.unit)
        return super().read(attr, ctx)


class ExtendedRegister(Register):
    """Class 4: a register with a status and the time its value was captured."""

    class_id = 4
    attribute_count = 5

    def __init__(self, obis: Obis, capture: Callable[[float], tuple[float, float]],
                 scaler: int, unit: int) -> None:
        super().__init__(obis, lambda t: capture(t)[0], scaler, unit)
        self.capture = capture

    def read(self, attr: int, ctx: Ctx) -> Data:
        if attr == 4:
            return Data.u8(0)
        if attr == 5:
            return Data.octets(to_cosem(self.capture(ctx.now)[1]).encode())
        return super().read(attr, ctx)


class DemandRegister(CosemObject):
    """Class 5: average power over the running and the last 15-minute period."""

    class_id = 5
    attribute_count = 9
    method_count = 2

    def __init__(self, obis: Obis, energy: Callable[[float], float], scaler: int,
                 unit: int) -> None:
        super().__init__(obis)
        self.energy, self.scaler, self.unit = energy, scaler, unit

    def _average(self, t0: float, t1: float) -> Data:
        watts = (self.energy(t1) - self.energy(t0)) * 3600.0 / (t1 - t0) if t1 > t0 else 0.0
        return Data.u32(round(watts / 10**self.scaler))

    def read(self, attr: int, ctx: Ctx) -> Data:
        start = ctx.now // QUARTER * QUARTER
        values = {
            2: lambda: self._average(start, ctx.now),
            3: lambda: self._average(start - QUARTER, start),
            4: lambda: scaler_unit(self.scaler, self.unit),
            5: lambda: Data.u8(0),
            6: lambda: Data.octets(to_cosem(ctx.now).encode()),
            7: lambda: Data.octets(to_cosem(start).encode()),
            8: lambda: Data.u32(int(QUARTER)),
            9: lambda: Data.u16(1),
        }
        if attr in values:
            return values[attr]()
        return super().read(attr, ctx)


def _dst_change(month: int) -> Data:
    """Last Sunday of ``month`` at 02:00, any year (daylight-saving begin/end pattern)."""
    when = CosemDateTime(None, month, DAY_LAST, 2, 0, 0, 0, 7, None, None)
    return Data.octets(when.encode())


class Clock(CosemObject):
    """Class 8: meter time runs; SET time and the adjust/shift methods move it."""

    class_id = 8
    attribute_count = 9
    method_count = 6
    writable = frozenset({2, 5, 6, 7, 8})
    methods = frozenset({1, 2, 3, 6})

    def __init__(self, obis: Obis, clock: MeterClock, events: EventLog) -> None:
        super().__init__(obis)
        self.clock, self.events = clock, events
        self._dst = {5: _dst_change(3), 6: _dst_change(10), 7: Data.i8(60),
                     8: Data.boolean(False)}

    def read(self, attr: int, ctx: Ctx) -> Data:
        fixed = {2: Data.octets(to_cosem(ctx.now).encode()), 3: Data.i16(0), 4: Data.u8(0),
                 9: Data.enum(1), **self._dst}
        if attr in fixed:
            return fixed[attr]
        return super().read(attr, ctx)

    def write(self, attr: int, value: Data, ctx: Ctx) -> None:
        if attr == 2:
            raw = _require(value, DataType.OCTET_STRING, DataType.DATE_TIME)
            try:
                if not isinstance(raw, bytes | CosemDateTime):
                    raise ClockValueError(f"not a date-time: {value!r}")
                self._log_change(self.clock.set(from_cosem(raw)))
            except ClockValueError as exc:
                raise CosemError(DataAccessResult.TYPE_UNMATCHED, str(exc)) from None
            return
        expected = self._dst[attr].type
        _require(value, expected)
        self._dst[attr] = value

    def invoke(self, method: int, param: Data | None, ctx: Ctx) -> Data | None:
        if method in (1, 2):
            self._log_change(self.clock.adjust_to_quarter())
        elif method == 3:
            self._log_change(self.clock.set(round(self.clock.now() / 60) * 60))
        elif method == 6:
            seconds = _require(param or Data.null(), DataType.LONG)
            if not isinstance(seconds, int) or not -900 <= seconds <= 900:
                raise CosemError(DataAccessResult.TYPE_UNMATCHED,
                                 f"shift_time {seconds} s is outside -900..900")
            self._log_change(self.clock.shift(seconds))
        else:
            super().invoke(method, param, ctx)
        return None

    def _log_change(self, change: tuple[float, float]) -> None:
        old, new = change
        self.events.record(old, EventCode.CLOCK_ADJUSTED_OLD_TIME)
        self.events.record(new, EventCode.CLOCK_ADJUSTED_NEW_TIME)


class DisconnectControl(CosemObject):
    """Class 70 in control mode 2: remote disconnect/reconnect act at once on the supply."""

    class_id = 70
    attribute_count = 4
    method_count = 2
    methods = frozenset({1, 2})

    def __init__(self, obis: Obis, supply: Supply) -> None:
        super().__init__(obis)
        self.supply = supply

    def read(self, attr: int, ctx: Ctx) -> Data:
        connected = self.supply.connected
        values = {2: Data.boolean(connected), 3: Data.enum(1 if connected else 0),
                  4: Data.enum(2)}
        if attr in values:
            return values[attr]
        return super().read(attr, ctx)

    def invoke(self, method: int, param: Data | None, ctx: Ctx) -> Data | None:
        if method == 1:
            self.supply.disconnect(ctx.now)
        elif method == 2:
            self.supply.reconnect(ctx.now)
        else:
            super().invoke(method, param, ctx)
        return None


class ProfileGeneric(CosemObject):
    """Class 7 over a computed buffer; the buffer honours selective access 1 and 2."""

    class_id = 7
    version = 1
    attribute_count = 8
    method_count = 2
    selectors: ClassVar[dict[int, tuple[int, ...]]] = {2: (1, 2)}

    def __init__(self, obis: Obis, buffer: Buffer) -> None:
        super().__init__(obis)
        self.buffer = buffer

    def read(self, attr: int, ctx: Ctx) -> Data:
        return self.read_selected(attr, ctx, None)

    def read_selected(self, attr: int, ctx: Ctx, access: SelectiveAccess | None) -> Data:
        """Attribute ``attr``; ``access`` applies to the buffer (attribute 2) only."""
        if attr == 2:
            try:
                return Data.array(select_rows(
                    self.buffer, ctx.now, None if access is None else access.selector,
                    None if access is None else access.parameters))
            except SelectionError as exc:
                raise CosemError(DataAccessResult.OTHER_REASON, str(exc)) from None
        in_use = len(self.buffer.times(ctx.now))
        values = {
            3: lambda: build_capture_objects(self.buffer.capture_objects),
            4: lambda: Data.u32(self.buffer.capture_period),
            5: lambda: Data.enum(1),  # fifo
            6: lambda: Data.struct(Data.u16(0), Data.octets(bytes(6)), Data.i8(0), Data.u16(0)),
            7: lambda: Data.u32(in_use),
            8: lambda: Data.u32(self.buffer.capacity),
        }
        if attr in values:
            return values[attr]()
        return super().read(attr, ctx)
