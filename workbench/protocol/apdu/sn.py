"""Short-name referencing services (IEC 62056-5-3 §9.4.?, "SN"): ReadRequest 0x05,
ReadResponse 0x0C, WriteRequest 0x06, WriteResponse 0x0D, UnconfirmedWriteRequest 0x16 and
InformationReportRequest 0x18.

Objects are addressed by a 16-bit short name (base name + attribute offset) inside a
Variable-Access-Specification CHOICE: [2] variable-name, [4] parameterized-access (selective
access), [5] block-number-access, [6] read-data-block-access, [7] write-data-block-access.
The information report's current-time is read as gurux-dlms and meters send it: a length
(0 = absent) and the date-time bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from workbench.protocol.axdr import Data, encode_data, encode_length
from workbench.protocol.errors import EncodeError
from workbench.protocol.fields import SN, Cursor, uint

from . import names
from .common import DataAccessResult
from .parts import read_count, read_data

__all__ = [
    "BlockNumberAccess",
    "InformationReport",
    "ParameterizedAccess",
    "ReadDataBlockAccess",
    "ReadRequest",
    "ReadResponse",
    "SnBlock",
    "SnBlockNumber",
    "UnconfirmedWriteRequest",
    "VariableName",
    "WriteDataBlockAccess",
    "WriteRequest",
    "WriteResponse",
]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class VariableName:
    name: int


@dataclass(frozen=True, slots=True)
class ParameterizedAccess:
    name: int
    selector: int
    parameter: Data


@dataclass(frozen=True, slots=True)
class BlockNumberAccess:
    block_number: int


@dataclass(frozen=True, slots=True)
class ReadDataBlockAccess:
    last_block: bool
    block_number: int
    raw: bytes


@dataclass(frozen=True, slots=True)
class WriteDataBlockAccess:
    last_block: bool
    block_number: int


Variable = (VariableName | ParameterizedAccess | BlockNumberAccess | ReadDataBlockAccess
            | WriteDataBlockAccess)
_KINDS: dict[type, int] = {VariableName: 2, ParameterizedAccess: 4, BlockNumberAccess: 5,
                           ReadDataBlockAccess: 6, WriteDataBlockAccess: 7}
_KIND_NAMES = {2: "variable-name", 4: "parameterized-access", 5: "block-number-access",
               6: "read-data-block-access", 7: "write-data-block-access"}


@dataclass(frozen=True, slots=True)
class SnBlock:
    """Data-Block-Result of a read: one slice of a long value."""

    last_block: bool
    block_number: int
    raw: bytes


@dataclass(frozen=True, slots=True)
class SnBlockNumber:
    """The block number a server acknowledges or asks for."""

    block_number: int


ReadResult = Data | DataAccessResult | SnBlock | SnBlockNumber
WriteResult = DataAccessResult | SnBlockNumber


@dataclass(frozen=True, slots=True)
class ReadRequest:
    variables: tuple[Variable, ...]


@dataclass(frozen=True, slots=True)
class ReadResponse:
    results: tuple[ReadResult, ...]


@dataclass(frozen=True, slots=True)
class WriteRequest:
    variables: tuple[Variable, ...]
    values: tuple[Data, ...]


@dataclass(frozen=True, slots=True)
class UnconfirmedWriteRequest:
    variables: tuple[Variable, ...]
    values: tuple[Data, ...]


@dataclass(frozen=True, slots=True)
class WriteResponse:
    """One result per variable: SUCCESS, another data-access-result, or a block number."""

    results: tuple[WriteResult, ...]


@dataclass(frozen=True, slots=True)
class InformationReport:
    variables: tuple[Variable, ...]
    values: tuple[Data, ...]
    current_time: bytes = b""


SnApdu = (ReadRequest | ReadResponse | WriteRequest | UnconfirmedWriteRequest | WriteResponse
          | InformationReport)
_TAGS: dict[type, int] = {ReadRequest: 0x05, WriteRequest: 0x06, ReadResponse: 0x0C,
                          WriteResponse: 0x0D, UnconfirmedWriteRequest: 0x16,
                          InformationReport: 0x18}


# ---- encoding -----------------------------------------------------------------------------

def _seq(items: Sequence[_T], encode: Callable[[_T], bytes]) -> bytes:
    return encode_length(len(items)) + b"".join(encode(i) for i in items)


def _block(last: bool, number: int) -> bytes:
    return bytes([1 if last else 0]) + uint(number, 2, "block number")


def _variable(v: Variable) -> bytes:
    head = bytes([_KINDS[type(v)]])
    if isinstance(v, VariableName):
        return head + uint(v.name, 2, "short name")
    if isinstance(v, ParameterizedAccess):
        return (head + uint(v.name, 2, "short name") + uint(v.selector, 1, "selector")
                + encode_data(v.parameter))
    if isinstance(v, BlockNumberAccess):
        return head + uint(v.block_number, 2, "block number")
    if isinstance(v, ReadDataBlockAccess):
        return head + _block(v.last_block, v.block_number) + encode_length(len(v.raw)) + v.raw
    return head + _block(v.last_block, v.block_number)


def _read_result(r: ReadResult) -> bytes:
    if isinstance(r, DataAccessResult):
        return bytes([1, r])
    if isinstance(r, SnBlock):
        return b"\x02" + _block(r.last_block, r.block_number) + encode_length(len(r.raw)) + r.raw
    if isinstance(r, SnBlockNumber):
        return b"\x03" + uint(r.block_number, 2, "block number")
    return b"\x00" + encode_data(r)


def _write_result(r: WriteResult) -> bytes:
    if isinstance(r, SnBlockNumber):
        return b"\x02" + uint(r.block_number, 2, "block number")
    return b"\x00" if r == DataAccessResult.SUCCESS else bytes([1, r])


def encode_sn(apdu: SnApdu) -> bytes:
    """Encode one short-name APDU.

    Raises:
        EncodeError: values and variables differ in number, or a field is out of range.
    """
    tag = bytes([_TAGS[type(apdu)]])
    if isinstance(apdu, ReadRequest):
        return tag + _seq(apdu.variables, _variable)
    if isinstance(apdu, ReadResponse):
        return tag + _seq(apdu.results, _read_result)
    if isinstance(apdu, WriteResponse):
        return tag + _seq(apdu.results, _write_result)
    if len(apdu.values) != len(apdu.variables):
        raise EncodeError(f"{len(apdu.values)} values for {len(apdu.variables)} variables")
    time = b""
    if isinstance(apdu, InformationReport):
        time = encode_length(len(apdu.current_time)) + apdu.current_time
    return tag + time + _seq(apdu.variables, _variable) + _seq(apdu.values, encode_data)


# ---- decoding -----------------------------------------------------------------------------

def _list(cur: Cursor, count_field: object, read: Callable[[Cursor, int], _T],
          min_size: int) -> tuple[_T, ...]:
    items = []
    for i in range(read_count(cur, count_field, min_size)):  # type: ignore[arg-type]
        items.append(read(cur, i))
    return tuple(items)


def _read_block(cur: Cursor) -> tuple[bool, int]:
    return cur.boolean(SN.LAST_BLOCK), cur.u16(SN.BLOCK_NUMBER)


def _read_variable(cur: Cursor, index: int) -> Variable:
    with cur.group(SN.VARIABLE, label=f"[{index}]"):
        kind = cur.u8(SN.VARIABLE_KIND, _KIND_NAMES)
        if kind == 2:
            return VariableName(cur.u16(SN.VARIABLE_NAME))
        if kind == 4:
            return ParameterizedAccess(cur.u16(SN.VARIABLE_NAME), cur.u8(SN.SELECTOR),
                                       read_data(cur, SN.PARAMETER))
        if kind == 5:
            return BlockNumberAccess(cur.u16(SN.BLOCK_NUMBER))
        if kind == 6:
            return ReadDataBlockAccess(*_read_block(cur), cur.octets(SN.RAW_DATA))
        if kind == 7:
            return WriteDataBlockAccess(*_read_block(cur))
    raise cur.error("unknown variable-access-specification", offset=cur.pos - 1,
                    got=str(kind), expected=", ".join(f"{k} ({v})" for k, v in
                                                      _KIND_NAMES.items()))


def _read_value(cur: Cursor, index: int) -> Data:
    return read_data(cur, SN.DATA, f"data [{index}]")


_READ_RESULTS = {0: "data", 1: "data-access-error", 2: "data-block-result", 3: "block-number"}
_WRITE_RESULTS = {0: "success", 1: "data-access-error", 2: "block-number"}


def _read_read_result(cur: Cursor, index: int) -> ReadResult:
    with cur.group(SN.RESULT, label=f"[{index}]"):
        choice = cur.u8(SN.RESULT, _READ_RESULTS)
        if choice == 0:
            return read_data(cur, SN.DATA)
        if choice == 1:
            return DataAccessResult(cur.u8(SN.DATA_ACCESS_ERROR, names.DATA_ACCESS_RESULTS))
        if choice == 2:
            return SnBlock(*_read_block(cur), cur.octets(SN.RAW_DATA))
        if choice == 3:
            return SnBlockNumber(cur.u16(SN.BLOCK_NUMBER))
    raise _bad_choice(cur, choice, _READ_RESULTS)


def _read_write_result(cur: Cursor, index: int) -> WriteResult:
    with cur.group(SN.RESULT, label=f"[{index}]"):
        choice = cur.u8(SN.RESULT, _WRITE_RESULTS)
        if choice == 0:
            return DataAccessResult.SUCCESS
        if choice == 1:
            return DataAccessResult(cur.u8(SN.DATA_ACCESS_ERROR, names.DATA_ACCESS_RESULTS))
        if choice == 2:
            return SnBlockNumber(cur.u16(SN.BLOCK_NUMBER))
    raise _bad_choice(cur, choice, _WRITE_RESULTS)


def _bad_choice(cur: Cursor, choice: int, table: dict[int, str]) -> Exception:
    return cur.error("bad result choice", offset=cur.pos - 1, got=str(choice),
                     expected=", ".join(f"{k} ({v})" for k, v in table.items()))


def decode_sn(cur: Cursor) -> SnApdu:
    """Decode the short-name APDU at the cursor (its tag picks the service)."""
    tag = cur.tag(names.APDU_TAGS)
    if tag == 0x05:
        return ReadRequest(_list(cur, SN.VARIABLE_COUNT, _read_variable, 3))
    if tag == 0x0C:
        return ReadResponse(_list(cur, SN.RESULT_COUNT, _read_read_result, 2))
    if tag == 0x0D:
        return WriteResponse(_list(cur, SN.RESULT_COUNT, _read_write_result, 1))
    time = cur.octets(SN.CURRENT_TIME) if tag == 0x18 else b""
    variables = _list(cur, SN.VARIABLE_COUNT, _read_variable, 3)
    values = _list(cur, SN.DATA_COUNT, _read_value, 1)
    if len(values) != len(variables):
        raise cur.error("value count differs from variable count", got=str(len(values)),
                        expected=str(len(variables)))
    if tag == 0x18:
        return InformationReport(variables, values, time)
    return (WriteRequest if tag == 0x06 else UnconfirmedWriteRequest)(variables, values)
