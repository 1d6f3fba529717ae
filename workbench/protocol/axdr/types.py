"""The value side of A-XDR ``Data``: the type tags and the small immutable values they carry.

Why a ``NamedTuple``: the decoder builds tens of thousands of ``Data`` per load profile, and
a tuple subclass is the cheapest immutable record Python has (no ``__init__`` runs, no
validation). Validation lives in the named constructors (``Data.u32(x)``) and in the encoder,
which checks every range before it writes a byte.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

from workbench.protocol.fields import AXDR

from .cosemtime import CosemDate, CosemDateTime, CosemTime

__all__ = ["BitString", "CompactArray", "Data", "DataType", "OpenEnum", "TypeDesc"]


class OpenEnum(IntEnum):
    """An ``enum`` (one byte, 0..255) that keeps a value it has no name for, as a
    pseudo-member named by :meth:`_unnamed`, instead of failing: what a meter sends is read
    and round-trips, even a code the standard added after us or a vendor's own.
    """

    @classmethod
    def _missing_(cls, value: object) -> OpenEnum | None:
        if not isinstance(value, int) or not 0 <= value <= 255:
            return None
        member = int.__new__(cls, value)
        member._name_ = cls._unnamed(value)
        member._value_ = value
        return member

    @classmethod
    def _unnamed(cls, value: int) -> str:
        return f"UNKNOWN_{value}"


class DataType(IntEnum):
    """The Data CHOICE tags of IEC 62056-6-2 (Blue Book 4.1.5)."""

    NULL_DATA = 0
    ARRAY = 1
    STRUCTURE = 2
    BOOLEAN = 3
    BIT_STRING = 4
    DOUBLE_LONG = 5
    DOUBLE_LONG_UNSIGNED = 6
    OCTET_STRING = 9
    VISIBLE_STRING = 10
    UTF8_STRING = 12
    BCD = 13
    INTEGER = 15
    LONG = 16
    UNSIGNED = 17
    LONG_UNSIGNED = 18
    COMPACT_ARRAY = 19
    LONG64 = 20
    LONG64_UNSIGNED = 21
    ENUM = 22
    FLOAT32 = 23
    FLOAT64 = 24
    DATE_TIME = 25
    DATE = 26
    TIME = 27
    DONT_CARE = 255

    @property
    def label(self) -> str:
        """The standard's spelling: ``double-long-unsigned`` (from the field registry)."""
        return AXDR.TYPES[self].label


@dataclass(frozen=True, slots=True)
class BitString:
    """``bits`` bits, most significant first, packed into ``data`` (unused tail bits zero)."""

    data: bytes
    bits: int

    def __post_init__(self) -> None:
        if self.bits < 0 or len(self.data) != (self.bits + 7) // 8:
            raise ValueError(f"bit-string of {self.bits} bits needs {(self.bits + 7) // 8} "
                             f"bytes, got {len(self.data)}")

    @classmethod
    def from_str(cls, text: str) -> BitString:
        """``BitString.from_str("0101")``; any character other than 0/1 is an error."""
        if set(text) - {"0", "1"}:
            raise ValueError(f"bit-string text must be 0/1 only, got {text!r}")
        padded = text + "0" * (-len(text) % 8)
        data = int(padded, 2).to_bytes(len(padded) // 8, "big") if padded else b""
        return cls(data, len(text))

    def __str__(self) -> str:
        if not self.bits:
            return ""
        return format(int.from_bytes(self.data, "big"), f"0{len(self.data) * 8}b")[:self.bits]


class TypeDesc(NamedTuple):
    """A compact-array contents description.

    Simple types have no ``elements``; a STRUCTURE lists one description per member; an ARRAY
    has ``count`` elements described by ``elements[0]``.
    """

    type: DataType
    elements: tuple[TypeDesc, ...] = ()
    count: int = 0  # type: ignore[assignment]  # the standard's name; shadows tuple.count

    def __str__(self) -> str:
        if self.type == DataType.STRUCTURE:
            return "{" + ", ".join(map(str, self.elements)) + "}"
        if self.type == DataType.ARRAY:
            return f"{self.elements[0]}[{self.count}]"
        return self.type.label


class CompactArray(NamedTuple):
    """A compact-array: one contents description and the element values (untagged on the wire)."""

    description: TypeDesc
    values: tuple[Data, ...]


class Data(NamedTuple):
    """One A-XDR Data value: a type tag and its Python value.

    Value types: NULL_DATA/DONT_CARE None, ARRAY/STRUCTURE tuple[Data, ...], BOOLEAN bool,
    BIT_STRING BitString, integers/ENUM/BCD int, OCTET_STRING bytes, VISIBLE/UTF8 str,
    FLOAT32/64 float, DATE_TIME CosemDateTime, DATE CosemDate, TIME CosemTime,
    COMPACT_ARRAY CompactArray.
    """

    type: DataType
    value: object = None

    @staticmethod
    def null() -> Data:
        return Data(DataType.NULL_DATA, None)

    @staticmethod
    def boolean(b: bool) -> Data:
        return Data(DataType.BOOLEAN, bool(b))

    @staticmethod
    def u8(x: int) -> Data:
        return _int(DataType.UNSIGNED, x)

    @staticmethod
    def u16(x: int) -> Data:
        return _int(DataType.LONG_UNSIGNED, x)

    @staticmethod
    def u32(x: int) -> Data:
        return _int(DataType.DOUBLE_LONG_UNSIGNED, x)

    @staticmethod
    def u64(x: int) -> Data:
        return _int(DataType.LONG64_UNSIGNED, x)

    @staticmethod
    def i8(x: int) -> Data:
        return _int(DataType.INTEGER, x)

    @staticmethod
    def i16(x: int) -> Data:
        return _int(DataType.LONG, x)

    @staticmethod
    def i32(x: int) -> Data:
        return _int(DataType.DOUBLE_LONG, x)

    @staticmethod
    def i64(x: int) -> Data:
        return _int(DataType.LONG64, x)

    @staticmethod
    def enum(x: int) -> Data:
        return _int(DataType.ENUM, x)

    @staticmethod
    def bcd(x: int) -> Data:
        return _int(DataType.BCD, x)

    @staticmethod
    def float32(x: float) -> Data:
        return Data(DataType.FLOAT32, float(x))

    @staticmethod
    def float64(x: float) -> Data:
        return Data(DataType.FLOAT64, float(x))

    @staticmethod
    def octets(b: bytes) -> Data:
        return Data(DataType.OCTET_STRING, bytes(b))

    @staticmethod
    def text(s: str) -> Data:
        """A visible-string (ASCII 0x20..0x7E is what meters accept; checked on encode)."""
        return Data(DataType.VISIBLE_STRING, s)

    @staticmethod
    def utf8(s: str) -> Data:
        return Data(DataType.UTF8_STRING, s)

    @staticmethod
    def bits(b: BitString | str) -> Data:
        return Data(DataType.BIT_STRING, b if isinstance(b, BitString) else BitString.from_str(b))

    @staticmethod
    def struct(*items: Data) -> Data:
        return Data(DataType.STRUCTURE, _items(items))

    @staticmethod
    def array(items: Iterable[object]) -> Data:
        return Data(DataType.ARRAY, _items(items))

    @staticmethod
    def datetime(dt: CosemDateTime) -> Data:
        return Data(DataType.DATE_TIME, dt)

    @staticmethod
    def date(d: CosemDate) -> Data:
        return Data(DataType.DATE, d)

    @staticmethod
    def time(t: CosemTime) -> Data:
        return Data(DataType.TIME, t)

    @staticmethod
    def compact(description: TypeDesc, values: Iterable[object]) -> Data:
        return Data(DataType.COMPACT_ARRAY, CompactArray(description, _items(values)))

    def to_python(self) -> object:
        """Plain value: containers become lists (recursively), a compact-array a list of its
        element values; everything else is the value itself (CosemDateTime stays one)."""
        t, v = self
        if t == DataType.ARRAY or t == DataType.STRUCTURE:
            return [d.to_python() for d in v]  # type: ignore[attr-defined]
        if t == DataType.COMPACT_ARRAY:
            return [d.to_python() for d in v.values]  # type: ignore[attr-defined]
        return v


def _int(t: DataType, x: int) -> Data:
    if not isinstance(x, int) or isinstance(x, bool):
        raise TypeError(f"{t.label} needs an int, got {x!r}")
    return Data(t, int(x))


def _items(items: Iterable[object]) -> tuple[Data, ...]:
    out: list[Data] = []
    for item in items:
        if not isinstance(item, Data):
            raise TypeError(f"container elements must be Data, got {item!r}")
        out.append(item)
    return tuple(out)
