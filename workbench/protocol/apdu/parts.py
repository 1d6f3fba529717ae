"""The wire pieces the GET, SET and ACTION modules are made of: the service head and its
CHOICE table, invoke-id, descriptors, OPTIONAL and SEQUENCE OF, selective access, embedded
Data, result CHOICEs and the datablock header.

Why one module: every service repeats these pieces; writing each once keeps the bytes, the
recorded fields and the error texts the same in all three services.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from workbench.protocol.axdr import Data, decode_data, encode_data, time_warnings
from workbench.protocol.cosem import Obis
from workbench.protocol.errors import EncodeError
from workbench.protocol.fields import DLMS, Cursor, Field, encode_axdr_length, uint

from . import names
from .common import (
    AttributeDescriptor,
    DataAccessResult,
    InvokeIdAndPriority,
    MethodDescriptor,
    SelectiveAccess,
)

_T = TypeVar("_T")
_D = TypeVar("_D", AttributeDescriptor, MethodDescriptor)


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


def decode_descriptor(cur: Cursor, cls: type[_D]) -> _D:
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
    return b"\x00" + encode_value(result)


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


def encode_datablock(last: bool, number: int, raw: bytes) -> bytes:
    """DataBlock-SA (SET datablocks, ACTION pblocks): last-block, block-number, raw-data."""
    return encode_block_header(last, number) + encode_raw_data(raw)


def read_datablock(cur: Cursor, group: Field) -> tuple[bool, int, bytes]:
    """DataBlock-SA under its ``group`` node (SET records DATABLOCK, ACTION PBLOCK)."""
    with cur.group(group):
        return *read_block_header(cur), cur.octets(DLMS.RAW_DATA)


def normalise_access(obj: object, count: int) -> None:
    """Check a with-list ``access`` tuple; all-None collapses to None (no selection)."""
    access = obj.access  # type: ignore[attr-defined]
    if access is None:
        return
    if len(access) != count:
        raise EncodeError(f"{len(access)} access selections for {count} descriptors")
    if all(a is None for a in access):
        object.__setattr__(obj, "access", None)


def encode_descriptor_list(descriptors: tuple[AttributeDescriptor, ...],
                           access: tuple[SelectiveAccess | None, ...] | None) -> bytes:
    """SEQUENCE OF Cosem-Attribute-Descriptor-With-Selection."""
    selections = access or (None,) * len(descriptors)
    return encode_axdr_length(len(descriptors)) + b"".join(
        encode_descriptor(d) + encode_access(a) for d, a in zip(descriptors, selections,
                                                                strict=True))


def _read_descriptor_with_selection(cur: Cursor
                                    ) -> tuple[AttributeDescriptor, SelectiveAccess | None]:
    desc = decode_descriptor(cur, AttributeDescriptor)
    return desc, decode_access(cur)


def decode_descriptor_list(cur: Cursor) -> tuple[tuple[AttributeDescriptor, ...],
                                                 tuple[SelectiveAccess | None, ...]]:
    pairs = read_list(cur, DLMS.DESCRIPTOR_COUNT, _read_descriptor_with_selection, 10)
    return tuple(d for d, _ in pairs), tuple(a for _, a in pairs)


@dataclass(frozen=True)
class Variants:
    """One service's CHOICE in one table: its tag, and per variant the CHOICE number, the
    standard's name and our dataclass. Encoding looks the number up by class, decoding the
    name by number, the frame summary reads ``names``: one table, no parallel maps."""

    tag: int
    rows: tuple[tuple[int, str, type[Any]], ...]
    names: Mapping[int, str] = field(init=False)
    _choice: Mapping[type, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", MappingProxyType({n: name for n, name, _ in self.rows}))
        object.__setattr__(self, "_choice", {cls: n for n, _, cls in self.rows})

    def head(self, apdu: object) -> bytes:
        """Tag, CHOICE and invoke-id byte of ``apdu`` (one of this service's dataclasses)."""
        invoke: InvokeIdAndPriority = apdu.invoke  # type: ignore[attr-defined]
        return bytes([self.tag, self._choice[type(apdu)], invoke.to_byte()])

    def read(self, cur: Cursor) -> int:
        """Tag byte, then the CHOICE byte; an unknown variant is a DecodeError."""
        cur.tag(names.APDU_TAGS)
        choice = cur.u8(DLMS.CHOICE, self.names)
        if choice not in self.names:
            raise cur.error("unknown service variant", offset=cur.pos - 1, got=str(choice),
                            expected=", ".join(f"{k} ({v})" for k, v in self.names.items()))
        return choice
