"""Values shared by the LN services: invoke-id byte, descriptors, selective access and
result codes (their wire codecs are in ``parts``).

Why result codes are enums that tolerate unknown values: a meter may answer a code newer
than our table; decoding must still succeed and show "unknown (N)" rather than fail.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import ClassVar

from workbench.protocol.axdr import CosemDateTime, Data, OpenEnum
from workbench.protocol.cosem import Obis
from workbench.protocol.errors import EncodeError

from . import names

__all__ = [
    "CLOCK",
    "ActionResult",
    "AttributeDescriptor",
    "DataAccessResult",
    "InvokeIdAndPriority",
    "MethodDescriptor",
    "SelectiveAccess",
    "entry_access",
    "range_access",
]


class _Result(OpenEnum):
    """A result code; an unknown one is kept as a pseudo-member named UNKNOWN_<n>."""

    @property
    def label(self) -> str:
        """Standard name ("object-undefined")."""
        return names.label(self._labels(), self)

    def describe(self) -> str:
        """Plain language: the standard name, then what it means and what to try."""
        advice = self._advice().get(int(self))
        return f"{self.label}: {advice}" if advice else self.label

    def _labels(self) -> dict[int, str]:
        raise NotImplementedError

    def _advice(self) -> dict[int, str]:
        raise NotImplementedError


class DataAccessResult(_Result):
    """Result of reading or writing one attribute."""

    SUCCESS = 0
    HARDWARE_FAULT = 1
    TEMPORARY_FAILURE = 2
    READ_WRITE_DENIED = 3
    OBJECT_UNDEFINED = 4
    OBJECT_CLASS_INCONSISTENT = 9
    OBJECT_UNAVAILABLE = 11
    TYPE_UNMATCHED = 12
    SCOPE_OF_ACCESS_VIOLATED = 13
    DATA_BLOCK_UNAVAILABLE = 14
    LONG_GET_ABORTED = 15
    NO_LONG_GET_IN_PROGRESS = 16
    LONG_SET_ABORTED = 17
    NO_LONG_SET_IN_PROGRESS = 18
    DATA_BLOCK_NUMBER_INVALID = 19
    OTHER_REASON = 250

    def _labels(self) -> dict[int, str]:
        return names.DATA_ACCESS_RESULTS

    def _advice(self) -> dict[int, str]:
        return names.DATA_ACCESS_RESULT_ADVICE


class ActionResult(_Result):
    """Result of invoking one method."""

    SUCCESS = 0
    HARDWARE_FAULT = 1
    TEMPORARY_FAILURE = 2
    READ_WRITE_DENIED = 3
    OBJECT_UNDEFINED = 4
    OBJECT_CLASS_INCONSISTENT = 9
    OBJECT_UNAVAILABLE = 11
    TYPE_UNMATCHED = 12
    SCOPE_OF_ACCESS_VIOLATED = 13
    DATA_BLOCK_UNAVAILABLE = 14
    LONG_ACTION_ABORTED = 15
    NO_LONG_ACTION_IN_PROGRESS = 16
    OTHER_REASON = 250

    def _labels(self) -> dict[int, str]:
        return names.ACTION_RESULTS

    def _advice(self) -> dict[int, str]:
        return names.ACTION_RESULT_ADVICE


@dataclass(frozen=True, slots=True)
class InvokeIdAndPriority:
    """The first byte of every LN service APDU: bits 0–3 invoke id, bit 6 confirmed,
    bit 7 high priority. The default (0xC1) is what Microstar meters expect."""

    invoke_id: int = 1
    confirmed: bool = True
    high_priority: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.invoke_id <= 15:
            raise EncodeError(f"invoke id {self.invoke_id} out of range 0–15")

    def to_byte(self) -> int:
        return self.invoke_id | (0x40 if self.confirmed else 0) | (
            0x80 if self.high_priority else 0)

    @classmethod
    def from_byte(cls, byte: int) -> InvokeIdAndPriority:
        """Reserved bits 4–5 are ignored."""
        return cls(byte & 0x0F, bool(byte & 0x40), bool(byte & 0x80))

    def __str__(self) -> str:
        return (f"id {self.invoke_id}, {'confirmed' if self.confirmed else 'unconfirmed'}, "
                f"{'high' if self.high_priority else 'normal'} priority")


@dataclass(frozen=True, slots=True)
class _Descriptor:
    """What attribute and method descriptors share: class id, logical name and one signed
    index byte. Subclasses add the index field under its own name and say what it is."""

    class_id: int
    obis: Obis
    #: the index field's name ("attribute" / "method"); also the decoder's element names
    kind: ClassVar[str]
    #: the index as ``str()`` writes it ("attr" / "method")
    label: ClassVar[str]

    @property
    def index(self) -> int:
        """The attribute or method number, whichever this descriptor names."""
        return int(getattr(self, self.kind))

    def __post_init__(self) -> None:
        if not 0 <= self.class_id <= 0xFFFF:
            raise EncodeError(f"class id {self.class_id} out of range 0–65535")
        if not -128 <= self.index <= 127:
            raise EncodeError(f"{self.kind} id {self.index} out of range −128–127")
        object.__setattr__(self, "obis", Obis.parse(self.obis))

    def __str__(self) -> str:
        return f"class {self.class_id} {self.obis} {self.label} {self.index}"


@dataclass(frozen=True, slots=True)
class AttributeDescriptor(_Descriptor):
    """Which attribute: class id, logical name (Obis or its text), attribute index."""

    attribute: int
    kind: ClassVar[str] = "attribute"
    label: ClassVar[str] = "attr"


@dataclass(frozen=True, slots=True)
class MethodDescriptor(_Descriptor):
    """Which method: class id, logical name (Obis or its text), method index."""

    method: int
    kind: ClassVar[str] = "method"
    label: ClassVar[str] = "method"


@dataclass(frozen=True, slots=True)
class SelectiveAccess:
    """Access selection: selector (1 range, 2 entry for profile generic) and its parameters."""

    selector: int
    parameters: Data


CLOCK = Obis(0, 0, 1, 0, 0, 255)


def _capture_object(class_id: int, obis: Obis, attribute: int, data_index: int = 0) -> Data:
    return Data.struct(Data.u16(class_id), Data.octets(obis.to_bytes()), Data.i8(attribute),
                       Data.u16(data_index))


def range_access(from_dt: CosemDateTime | _dt.datetime, to_dt: CosemDateTime | _dt.datetime,
                 columns: tuple[tuple[int, Obis, int], ...] = ()) -> SelectiveAccess:
    """range_descriptor (selector 1): rows whose clock (0-0:1.0.0.255 attribute 2) lies in
    [from_dt, to_dt]; ``columns`` as (class_id, obis, attribute) selects captured values
    (empty = all). Date-times go as 12-byte octet strings, as meters expect."""
    def stamp(value: CosemDateTime | _dt.datetime) -> Data:
        if isinstance(value, _dt.datetime):
            value = CosemDateTime.from_datetime(value)
        return Data.octets(value.encode())
    selected = Data.array([_capture_object(c, Obis.parse(o), a) for c, o, a in columns])
    return SelectiveAccess(1, Data.struct(_capture_object(8, CLOCK, 2), stamp(from_dt),
                                          stamp(to_dt), selected))


def entry_access(from_entry: int, to_entry: int, from_value: int = 1,
                 to_value: int = 0) -> SelectiveAccess:
    """entry_descriptor (selector 2): rows from_entry..to_entry (1-based, 0 = last),
    columns from_value..to_value (1-based, 0 = last)."""
    return SelectiveAccess(2, Data.struct(Data.u32(from_entry), Data.u32(to_entry),
                                          Data.u16(from_value), Data.u16(to_value)))
