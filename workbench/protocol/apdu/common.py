"""Building blocks shared by the LN services: invoke-id byte, descriptors, selective access,
result codes, and the field codecs the GET/SET/ACTION modules are made of.

Why result codes are enums that tolerate unknown values: a meter may answer a code newer
than our table; decoding must still succeed and show "unknown (N)" rather than fail.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import ClassVar, TypeVar

from workbench.protocol.axdr import CosemDateTime, Data, decode_data, encode_data, time_warnings
from workbench.protocol.cosem import Obis
from workbench.protocol.errors import EncodeError
from workbench.protocol.fields import DLMS, Cursor, Field, encode_axdr_length, uint

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


class _Result(IntEnum):
    """An IntEnum that accepts unknown codes as pseudo-members named UNKNOWN_<n>."""

    @classmethod
    def _missing_(cls, value: object) -> _Result | None:
        if not isinstance(value, int) or not 0 <= value <= 255:
            return None
        member = int.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member

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
        return getattr(self, self.kind)

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


# ---------------------------------------------------------------- field codecs

_T = TypeVar("_T")


def encode_head(tag: int, choice: int, invoke: InvokeIdAndPriority) -> bytes:
    """What every LN service APDU starts with: tag, variant CHOICE, invoke-id byte."""
    return bytes([tag, choice, invoke.to_byte()])


def decode_invoke(cur: Cursor) -> InvokeIdAndPriority:
    start = cur.pos
    cur.need(1, "invoke-id-and-priority")
    cur.pos += 1
    value = InvokeIdAndPriority.from_byte(cur.buf[start])
    cur.note(DLMS.INVOKE_ID, start, str(value))
    return value


def encode_descriptor(desc: AttributeDescriptor | MethodDescriptor) -> bytes:
    return uint(desc.class_id, 2, "class id") + desc.obis.to_bytes() + uint(
        desc.index, 1, "index", signed=True)


def decode_descriptor(cur: Cursor, cls: type[AttributeDescriptor] | type[MethodDescriptor]
                      ) -> AttributeDescriptor | MethodDescriptor:
    method = cls is MethodDescriptor
    with cur.group(DLMS.METHOD_DESCRIPTOR if method else DLMS.ATTRIBUTE_DESCRIPTOR) as node:
        class_id = cur.u16(DLMS.CLASS_ID)
        obis = Obis.from_bytes(cur.raw(6, DLMS.INSTANCE_ID, lambda b: str(Obis.from_bytes(b))))
        index = cur.uint(1, DLMS.METHOD_ID if method else DLMS.ATTRIBUTE_ID, signed=True)
        desc = cls(class_id, obis, index)
        if node is not None:
            node.value = str(desc)
    return desc


def encode_optional(value: _T | None, encode: Callable[[_T], bytes]) -> bytes:
    """OPTIONAL field: presence flag 0 (absent) or 1 followed by the value."""
    return b"\x00" if value is None else b"\x01" + encode(value)


def encode_list(items: Sequence[_T], encode_item: Callable[[_T], bytes]) -> bytes:
    """SEQUENCE OF: the A-XDR count, then each item."""
    return encode_axdr_length(len(items)) + b"".join(encode_item(i) for i in items)


def read_count(cur: Cursor, field: Field, min_size: int = 1) -> int:
    """A SEQUENCE OF count, refused when ``min_size``-byte items cannot fit in what is left.

    Why: a hostile count must never make a decoder loop or allocate beyond the input.
    """
    start = cur.pos
    count = cur.length(field)
    if count * min_size > cur.remaining:
        raise cur.error(f"{field.label} {count} cannot fit in the {cur.remaining} bytes left",
                        offset=start, length=cur.pos - start)
    return count


def read_list(cur: Cursor, count: Field, read_item: Callable[[Cursor], _T],
              min_size: int = 1) -> tuple[_T, ...]:
    """SEQUENCE OF: the count, then each item under its own ``[i]`` node of the tree."""
    items = []
    for index in range(read_count(cur, count, min_size)):
        with cur.group(DLMS.LIST_ITEM, label=f"[{index}]"):
            items.append(read_item(cur))
    return tuple(items)


def _encode_selection(access: SelectiveAccess) -> bytes:
    return uint(access.selector, 1, "access selector") + encode_data(access.parameters)


def encode_access(access: SelectiveAccess | None) -> bytes:
    return encode_optional(access, _encode_selection)


def decode_access(cur: Cursor) -> SelectiveAccess | None:
    if not cur.present(DLMS.ACCESS_PRESENT, "access-selection"):
        return None
    with cur.group(DLMS.ACCESS_SELECTION):
        selector = cur.u8(DLMS.ACCESS_SELECTOR, {1: "range_descriptor", 2: "entry_descriptor"})
        return SelectiveAccess(selector, read_data(cur, DLMS.ACCESS_PARAMETERS))


def read_data(cur: Cursor, field: Field, label: str | None = None) -> Data:
    """Decode one embedded A-XDR ``Data`` (the axdr decoder records its own leaves)."""
    with cur.group(field, label=label):
        buf = cur.buf if cur.end == len(cur.buf) else cur.buf[:cur.end]
        data, end = decode_data(buf, cur.pos, cur.rec)
    cur.pos = end
    if cur.warnings is not None:
        cur.warnings.extend(f"{cur.what}: {text}" for text in time_warnings(data))
    return data


def encode_result_choice(result: _T | DataAccessResult, encode_value: Callable[[_T], bytes]
                         ) -> bytes:
    """CHOICE [0] value | [1] data-access-result: how a GET result and a GET datablock end."""
    if isinstance(result, DataAccessResult):
        return b"\x01" + bytes([result])
    return b"\x00" + encode_value(result)  # type: ignore[arg-type]


def read_access_result(cur: Cursor) -> DataAccessResult:
    return DataAccessResult(cur.u8(DLMS.DATA_ACCESS_RESULT, names.DATA_ACCESS_RESULTS))


def read_result_choice(cur: Cursor, field: Field, value_name: str,
                       read_value: Callable[[Cursor], _T], *, error_name: str
                       ) -> _T | DataAccessResult:
    """CHOICE [0] value | [1] data-access-result. The CHOICE byte is recorded as ``field``;
    a bad one is reported as "bad ``error_name`` choice"."""
    choice = cur.u8(field, {0: value_name, 1: "data-access-result"})
    if choice == 0:
        return read_value(cur)
    if choice == 1:
        return read_access_result(cur)
    raise cur.error(f"bad {error_name} choice", offset=cur.pos - 1, got=str(choice),
                    expected=f"0 ({value_name}) or 1 (data-access-result)")


def encode_get_result(result: Data | DataAccessResult) -> bytes:
    """Get-Data-Result CHOICE: [0] data | [1] data-access-result."""
    return encode_result_choice(result, encode_data)


def _read_data_value(cur: Cursor) -> Data:
    return read_data(cur, DLMS.DATA)


def decode_get_result(cur: Cursor, field: Field = DLMS.RESULT_CHOICE, error_name: str = "result"
                      ) -> Data | DataAccessResult:
    return read_result_choice(cur, field, "data", _read_data_value, error_name=error_name)


def encode_block_header(last: bool, number: int) -> bytes:
    """DataBlock-G / DataBlock-SA start: last-block BOOLEAN, block-number Unsigned32."""
    return bytes([1 if last else 0]) + uint(number, 4, "block number")


def read_block_header(cur: Cursor) -> tuple[bool, int]:
    return cur.boolean(DLMS.LAST_BLOCK), cur.u32(DLMS.BLOCK_NUMBER)


def encode_raw_data(raw: bytes) -> bytes:
    """A datablock's raw-data OCTET STRING: A-XDR length, then the slice."""
    return encode_axdr_length(len(raw)) + raw


def normalise_access(obj: object, count: int) -> None:
    """Check a with-list ``access`` tuple; all-None collapses to None (no selection)."""
    access = obj.access  # type: ignore[attr-defined]
    if access is None:
        return
    if len(access) != count:
        raise EncodeError(f"{len(access)} access selections for {count} descriptors")
    if all(a is None for a in access):
        object.__setattr__(obj, "access", None)


def encode_descriptor_list(descriptors: tuple, access: tuple | None) -> bytes:
    """SEQUENCE OF Cosem-Attribute-Descriptor-With-Selection."""
    selections = access or (None,) * len(descriptors)
    return encode_axdr_length(len(descriptors)) + b"".join(
        encode_descriptor(d) + encode_access(a) for d, a in zip(descriptors, selections,
                                                                strict=True))


def _read_descriptor_with_selection(cur: Cursor
                                    ) -> tuple[AttributeDescriptor, SelectiveAccess | None]:
    desc = decode_descriptor(cur, AttributeDescriptor)
    return desc, decode_access(cur)  # type: ignore[return-value]


def decode_descriptor_list(cur: Cursor) -> tuple[tuple[AttributeDescriptor, ...],
                                                 tuple[SelectiveAccess | None, ...]]:
    pairs = read_list(cur, DLMS.DESCRIPTOR_COUNT, _read_descriptor_with_selection, 10)
    return tuple(d for d, _ in pairs), tuple(a for _, a in pairs)


def read_choice(cur: Cursor, table: dict[int, str]) -> int:
    """Tag byte, then the CHOICE byte selecting the variant; unknown variant → DecodeError."""
    cur.tag(names.APDU_TAGS)
    choice = cur.u8(DLMS.CHOICE, table)
    if choice not in table:
        raise cur.error("unknown service variant", offset=cur.pos - 1, got=str(choice),
                        expected=", ".join(f"{k} ({v})" for k, v in table.items()))
    return choice
