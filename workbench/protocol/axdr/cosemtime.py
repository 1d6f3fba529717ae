"""COSEM date, time and date-time values (Blue Book 4.1.6.1), with "not specified" fields.

Why not ``datetime``: a COSEM date-time may leave any field unspecified (0xFF, year 0xFFFF,
deviation 0x8000) — that is how schedules say "every day at 00:00" — and month/day carry
special values (0xFD/0xFE: end/begin of daylight saving, second-last/last day of the month).
So the value types keep every field as sent, ``None`` meaning "not specified", and only
:meth:`CosemDateTime.to_datetime` insists on a complete value.

Deviation sign (the classic trap): the standard defines ``deviation`` as the minutes from
*local* time to UTC, i.e. ``UTC = local + deviation``. Paris in winter (UTC+01:00) is sent as
**-60**, India (UTC+05:30) as -330. Some national companion standards (India, Saudi Arabia,
Italy) send the opposite sign; pass ``inverted_deviation=True`` for those meters.

Wire forms: date 5 bytes (year u16, month, day, weekday), time 4 bytes (hour, minute, second,
hundredths), date-time 12 bytes (date, time, deviation i16, clock status).

Tolerant reading: real meters send fields out of range — the never-set stamp of all zeros
(month 0, day 0, weekday 0), weekday 0 alone, deviation ±900. ``decode(data, strict=False)``
reads such a value instead of failing: each bad field becomes unspecified (None) and is named
in ``invalid`` (e.g. ``("month", "day")``), the bytes are kept in ``raw`` (``encode`` sends
them back unchanged), and ``str()`` says so: "invalid date-time (month 0, day 0)". The
A-XDR decoder reads tagged values this way, so one bad stamp never fails a whole APDU.
"""

from __future__ import annotations

import datetime as _dt
import struct
from dataclasses import dataclass, field
from enum import IntFlag
from typing import ClassVar, TypeVar, cast

from workbench.protocol.errors import DecodeError

__all__ = [
    "DAY_LAST",
    "DAY_SECOND_LAST",
    "MONTH_DST_BEGIN",
    "MONTH_DST_END",
    "ClockStatus",
    "CosemDate",
    "CosemDateTime",
    "CosemTime",
    "IncompleteDateTime",
    "stamp_in_octets",
]

MONTH_DST_END = 0xFD
MONTH_DST_BEGIN = 0xFE
DAY_SECOND_LAST = 0xFD
DAY_LAST = 0xFE
_DEVIATION_UNSPECIFIED = -0x8000  # 0x8000 read as a signed 16-bit integer
_MAX_DEVIATION = 840  # the standard says ±720, but UTC+14:00 (Kiribati) exists
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_T = TypeVar("_T")
_DATE = struct.Struct(">HBBB")
_TIME = struct.Struct(">BBBB")
_DATETIME = struct.Struct(">HBBBBBBBhB")
_TIME_FIELDS = ("hour", "minute", "second", "hundredths")
#: the wire value meaning "not specified", where it is not 0xFF
_UNSPECIFIED = {"year": 0xFFFF, "deviation": _DEVIATION_UNSPECIFIED}
_DATETIME_FIELDS = ("year", "month", "day", "weekday", *_TIME_FIELDS, "deviation", "status")


class ClockStatus(IntFlag):
    """The clock-status byte of a date-time (bits 4–6 are reserved and kept as sent)."""

    INVALID = 0x01
    DOUBTFUL = 0x02
    DIFFERENT_BASE = 0x04
    INVALID_STATUS = 0x08
    DAYLIGHT_SAVING_ACTIVE = 0x80


_STATUSES = [ClockStatus(i) for i in range(0xFF)]  # IntFlag(...) is slow; decode is hot


class IncompleteDateTime(ValueError):
    """A COSEM date/time with unspecified or special fields cannot become a ``datetime``."""


# Allowed ranges per field; special values are listed apart.
_RANGES: dict[str, tuple[int, int, tuple[int, ...]]] = {
    "year": (0, 0xFFFE, ()),
    "month": (1, 12, (MONTH_DST_END, MONTH_DST_BEGIN)),
    "day": (1, 31, (DAY_SECOND_LAST, DAY_LAST)),
    "weekday": (1, 7, ()),
    "hour": (0, 23, ()),
    "minute": (0, 59, ()),
    "second": (0, 59, ()),
    "hundredths": (0, 99, ()),
    "deviation": (-_MAX_DEVIATION, _MAX_DEVIATION, ()),
}


def _validate(obj: object) -> None:
    for name in obj.__slots__:  # type: ignore[attr-defined]
        value = getattr(obj, name)
        if value is None or name not in _RANGES:
            continue
        lo, hi, special = _RANGES[name]
        if type(value) is not int or not (lo <= value <= hi or value in special):
            extra = f" or {', '.join(f'0x{s:02X}' for s in special)}" if special else ""
            raise ValueError(f"{type(obj).__name__}.{name} must be {lo}..{hi}{extra} "
                             f"or None, got {value!r}")


def _opt(raw: int, unspecified: int = 0xFF) -> int | None:
    return None if raw == unspecified else raw


def _raw(value: int | None, unspecified: int = 0xFF) -> int:
    return unspecified if value is None else value


def _check_size(data: bytes, size: int, what: str) -> None:
    if len(data) != size:
        raise DecodeError(f"{what} needs exactly {size} bytes", offset=0,
                          got=f"{len(data)} bytes", what=what)


def _field_text(value: int | None, width: int, special: dict[int, str]) -> str:
    if value is None:
        return "*" * width
    return special.get(value) or f"{value:0{width}d}"


def _date_text(year: int | None, month: int | None, day: int | None,
               weekday: int | None) -> str:
    text = "-".join((
        _field_text(year, 4, {}),
        _field_text(month, 2, {MONTH_DST_END: "dst-end", MONTH_DST_BEGIN: "dst-begin"}),
        _field_text(day, 2, {DAY_SECOND_LAST: "last-1", DAY_LAST: "last"}),
    ))
    if weekday is not None and None in (year, month, day):
        text += f" {_WEEKDAYS[weekday - 1]}"
    return text


def _time_text(hour: int | None, minute: int | None, second: int | None,
               hundredths: int | None) -> str:
    text = ":".join(_field_text(v, 2, {}) for v in (hour, minute, second))
    return text if hundredths in (None, 0) else f"{text}.{hundredths:02d}"


class _Stamp:
    """What the three value types share: range checks, the tolerant-read pair (``invalid``
    with ``raw``), the bytes as received sent back unchanged, and the "invalid ..." text.

    Each subclass names its wire form (``_WHAT``, ``_FIELDS`` in wire order, ``_STRUCT``) and
    writes ``_text``. Decoding stays written out per type: it is on the A-XDR decoder's hot
    path (every time stamp of a profile), where a generic loop costs a third more.
    """

    __slots__ = ()
    _WHAT: ClassVar[str]
    _FIELDS: ClassVar[tuple[str, ...]]
    _STRUCT: ClassVar[struct.Struct]
    invalid: tuple[str, ...]
    raw: bytes | None

    def __post_init__(self) -> None:
        _validate(self)
        _invalid_fields(self)

    def encode(self) -> bytes:
        """The wire form (the bytes as received, for a tolerantly read value)."""
        return self._pack() if self.raw is None else self.raw

    def __str__(self) -> str:
        if self.invalid:
            return _invalid_text(self._WHAT, self.raw or b"", self.invalid, self._FIELDS,
                                 self._STRUCT.unpack(self.raw or bytes(self._STRUCT.size)),
                                 self._text())
        return self._text()

    def _pack(self) -> bytes:
        return self._STRUCT.pack(*(_raw(getattr(self, name), _UNSPECIFIED.get(name, 0xFF))
                                   for name in self._FIELDS))

    def _text(self) -> str:  # the fields as an engineer reads them
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class CosemDate(_Stamp):
    """A 5-byte COSEM date; weekday 1 = Monday … 7 = Sunday."""

    _WHAT: ClassVar[str] = "date"
    _FIELDS: ClassVar[tuple[str, ...]] = ("year", "month", "day", "weekday")
    _STRUCT: ClassVar[struct.Struct] = _DATE

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    #: fields that were out of range on the wire (now None); see the module docstring
    invalid: tuple[str, ...] = ()
    raw: bytes | None = field(default=None, repr=False)

    @classmethod
    def decode(cls, data: bytes, *, strict: bool = True) -> CosemDate:
        """Decode exactly 5 bytes.

        Raises:
            DecodeError: wrong size; with ``strict``, also a field out of range.
        """
        _check_size(data, 5, "date")
        year, month, day, weekday = _DATE.unpack(data)
        return _build(cls, "date", bytes(data), strict, year=_opt(year, 0xFFFF),
                      month=_opt(month), day=_opt(day), weekday=_opt(weekday))

    def _text(self) -> str:
        return _date_text(self.year, self.month, self.day, self.weekday)


@dataclass(frozen=True, slots=True)
class CosemTime(_Stamp):
    """A 4-byte COSEM time of day."""

    _WHAT: ClassVar[str] = "time"
    _FIELDS: ClassVar[tuple[str, ...]] = _TIME_FIELDS
    _STRUCT: ClassVar[struct.Struct] = _TIME

    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    hundredths: int | None = None
    #: fields that were out of range on the wire (now None); see the module docstring
    invalid: tuple[str, ...] = ()
    raw: bytes | None = field(default=None, repr=False)

    @classmethod
    def decode(cls, data: bytes, *, strict: bool = True) -> CosemTime:
        """Decode exactly 4 bytes.

        Raises:
            DecodeError: wrong size; with ``strict``, also a field out of range.
        """
        _check_size(data, 4, "time")
        return _build(cls, "time", bytes(data), strict, **dict(zip(_TIME_FIELDS,
                                                                   map(_opt, data), strict=True)))

    def _text(self) -> str:
        return _time_text(self.hour, self.minute, self.second, self.hundredths)




def _build(cls: type[_T], what: str, raw: bytes, strict: bool, **kwargs: int | None) -> _T:
    """The value of ``kwargs``; out-of-range fields raise (strict) or become unspecified."""
    bad = tuple(name for name, value in kwargs.items() if not _in_range(name, value))
    if bad and not strict:
        return cls(**{**kwargs, **dict.fromkeys(bad)}, invalid=bad, raw=raw)  # type: ignore
    try:
        return cls(**kwargs)
    except ValueError as exc:
        raise DecodeError(str(exc), what=what) from None


def _in_range(name: str, value: int | None) -> bool:
    if value is None or name not in _RANGES:
        return True
    lo, hi, special = _RANGES[name]
    return lo <= value <= hi or value in special


def _invalid_text(what: str, raw: bytes, invalid: tuple[str, ...], names: tuple[str, ...],
                  values: tuple[int, ...], rest: str) -> str:
    """ "invalid date-time (month 0): 2024-**-05 10:00:00" — the bad fields as sent, then
    the rest as read; the all-zero stamp is named for what it is."""
    if not any(raw):
        return f"invalid {what} (all zero: never set)"
    sent = dict(zip(names, values, strict=True))
    return f"invalid {what} ({', '.join(f'{name} {sent[name]}' for name in invalid)}): {rest}"


def _invalid_fields(obj: _Stamp) -> None:
    """Check the tolerant-read pair: ``invalid`` names fields and comes with the wire bytes."""
    invalid, raw, size = obj.invalid, obj.raw, obj._STRUCT.size
    if bool(invalid) != (raw is not None) or (raw is not None and len(raw) != size):
        raise ValueError(f"{type(obj).__name__}: invalid fields need the {size} bytes "
                         f"as sent, got invalid={invalid!r}, raw={raw!r}")


@dataclass(frozen=True, slots=True)
class CosemDateTime(_Stamp):
    """A 12-byte COSEM date-time.

    ``deviation`` is minutes from local time to UTC (``UTC = local + deviation``; UTC+01:00
    is -60), None when not specified (0x8000). ``status`` is None when sent as 0xFF.
    """

    _WHAT: ClassVar[str] = "date-time"
    _FIELDS: ClassVar[tuple[str, ...]] = _DATETIME_FIELDS
    _STRUCT: ClassVar[struct.Struct] = _DATETIME

    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    hundredths: int | None = None
    weekday: int | None = None
    deviation: int | None = None
    status: ClockStatus | None = None
    #: fields that were out of range on the wire (now None); see the module docstring
    invalid: tuple[str, ...] = ()
    raw: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        _Stamp.__post_init__(self)  # not super(): slots=True makes a new class
        status = self.status
        if status is not None:
            if not isinstance(status, int) or isinstance(status, bool) or not 0 <= status <= 0xFE:
                raise ValueError(f"CosemDateTime.status must be a ClockStatus 0..0xFE or "
                                 f"None, got {status!r}")
            object.__setattr__(self, "status", _STATUSES[status])

    @property
    def date(self) -> CosemDate:
        return CosemDate(self.year, self.month, self.day, self.weekday)

    @property
    def time(self) -> CosemTime:
        return CosemTime(self.hour, self.minute, self.second, self.hundredths)

    @property
    def never_set(self) -> bool:
        """The all-zero stamp a meter sends for a time it never recorded."""
        return self.raw is not None and not any(self.raw)

    @classmethod
    def decode(cls, data: bytes, *, strict: bool = True) -> CosemDateTime:
        """Decode exactly 12 bytes.

        Raises:
            DecodeError: wrong size; with ``strict``, also a field outside its range (month
                0 or 13, hour 24...). Without, such fields are read as invalid (see above).
        """
        _check_size(data, 12, "date-time")
        (year, month, day, weekday, hour, minute, second, hundredths, deviation,
         status) = _DATETIME.unpack(data)
        return _build(
            cls, "date-time", bytes(data), strict, year=_opt(year, 0xFFFF), month=_opt(month),
            day=_opt(day),
            weekday=_opt(weekday), hour=_opt(hour), minute=_opt(minute), second=_opt(second),
            hundredths=_opt(hundredths), deviation=_opt(deviation, _DEVIATION_UNSPECIFIED),
            status=_opt(status))

    @classmethod
    def from_datetime(cls, dt: _dt.datetime, *, deviation: int | None = None,
                      status: ClockStatus | None = None,
                      inverted_deviation: bool = False) -> CosemDateTime:
        """Build from a ``datetime``; every field is specified.

        Args:
            dt: naive (local time, deviation None unless given) or aware.
            deviation: overrides the deviation taken from an aware ``dt``.
            status: clock status; default 0, with DAYLIGHT_SAVING_ACTIVE when ``dt.dst()``.
            inverted_deviation: use the "UTC to local" sign of some companion standards.
        """
        offset = dt.utcoffset()
        if deviation is None and offset is not None:
            deviation = -int(offset.total_seconds() // 60)
            if inverted_deviation:
                deviation = -deviation
        if status is None:
            status = ClockStatus(0)
            if dt.dst():
                status |= ClockStatus.DAYLIGHT_SAVING_ACTIVE
        return cls(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second,
                   dt.microsecond // 10_000, dt.isoweekday(), deviation, status)

    def to_datetime(self, *, inverted_deviation: bool = False) -> _dt.datetime:
        """Return a ``datetime``: aware when the deviation is specified, naive otherwise.

        Unspecified hundredths count as 0.

        Raises:
            IncompleteDateTime: year, month, day, hour, minute or second is unspecified or a
                special value (daylight-saving begin/end month, last day of month).
        """
        missing = [name for name in ("year", "month", "day", "hour", "minute", "second")
                   if getattr(self, name) is None]
        if missing:
            raise IncompleteDateTime(f"date-time {self} has unspecified "
                                     f"{', '.join(missing)}; it is not a single instant")
        year, month, day, hour, minute, second = cast(  # none is None: checked above
            list[int], [self.year, self.month, self.day, self.hour, self.minute, self.second])
        if month > 12 or day > 31:
            raise IncompleteDateTime(f"date-time {self} uses a special month/day value; "
                                     "it is not a single instant")
        tz = None
        if self.deviation is not None:
            minutes = self.deviation if inverted_deviation else -self.deviation
            tz = _dt.timezone(_dt.timedelta(minutes=minutes))
        try:
            return _dt.datetime(year, month, day, hour, minute, second,
                                (self.hundredths or 0) * 10_000, tzinfo=tz)
        except ValueError as exc:  # e.g. 31 February
            raise IncompleteDateTime(f"date-time {self} is not a valid date: {exc}") from None

    def _text(self) -> str:
        text = (f"{_date_text(self.year, self.month, self.day, self.weekday)} "
                f"{_time_text(self.hour, self.minute, self.second, self.hundredths)}")
        if self.deviation is not None:
            utc = -self.deviation
            sign = "-" if utc < 0 else "+"
            text += f" UTC{sign}{abs(utc) // 60:02d}:{abs(utc) % 60:02d}"
        if self.status:
            names = [(f.name or "").lower() for f in ClockStatus if f in self.status]
            reserved = self.status & 0x70
            text += f" [{','.join(names + ([f'0x{reserved:02X}'] if reserved else []))}]"
        return text



_GUESSABLE = frozenset(("weekday", "deviation"))


def stamp_in_octets(raw: bytes) -> CosemDateTime | None:
    """The date-time in a 12-byte octet-string, if it reads as one; else None.

    Out-of-range fields are accepted only where a real meter's stamp explains them: the
    all-zero never-set stamp, month or day 0, any weekday or deviation. Anything else
    (month 47, hour 99) is taken for other bytes that happen to be 12 long.
    """
    if len(raw) != 12:
        return None
    stamp = CosemDateTime.decode(raw, strict=False)
    sent = dict(zip(_DATETIME_FIELDS, _DATETIME.unpack(raw), strict=True))
    if all(name in _GUESSABLE or sent[name] == 0 for name in stamp.invalid):
        return stamp
    return None
