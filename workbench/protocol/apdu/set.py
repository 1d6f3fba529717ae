"""SET service (LN referencing): SET-Request 0xC1 and SET-Response 0xC5, all variants.

A value too long for one APDU goes as SET-Request-with-first-datablock then
-with-datablock; each block is acknowledged by SET-Response-datablock and the last one by
SET-Response-last-datablock carrying the result.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.axdr import Data, encode_data
from workbench.protocol.errors import EncodeError
from workbench.protocol.fields import DLMS, Cursor, encode_axdr_length, uint

from .common import (
    AttributeDescriptor,
    DataAccessResult,
    InvokeIdAndPriority,
    SelectiveAccess,
)
from .parts import (
    Variants,
    decode_access,
    decode_descriptor,
    decode_descriptor_list,
    decode_invoke,
    encode_access,
    encode_datablock,
    encode_descriptor,
    encode_descriptor_list,
    encode_list,
    normalise_access,
    read_access_result,
    read_count,
    read_data,
    read_datablock,
)

__all__ = [
    "SetRequestNormal",
    "SetRequestWithDatablock",
    "SetRequestWithFirstDatablock",
    "SetRequestWithList",
    "SetRequestWithListAndFirstDatablock",
    "SetResponseDatablock",
    "SetResponseLastDatablock",
    "SetResponseLastDatablockWithList",
    "SetResponseNormal",
    "SetResponseWithList",
]

_INVOKE = InvokeIdAndPriority()


@dataclass(frozen=True, slots=True)
class SetRequestNormal:
    descriptor: AttributeDescriptor
    value: Data
    access: SelectiveAccess | None = None
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class SetRequestWithFirstDatablock:
    descriptor: AttributeDescriptor
    last_block: bool
    block_number: int
    raw: bytes
    access: SelectiveAccess | None = None
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class SetRequestWithDatablock:
    last_block: bool
    block_number: int
    raw: bytes
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class SetRequestWithList:
    descriptors: tuple[AttributeDescriptor, ...]
    values: tuple[Data, ...]
    access: tuple[SelectiveAccess | None, ...] | None = None
    invoke: InvokeIdAndPriority = _INVOKE

    def __post_init__(self) -> None:
        if len(self.values) != len(self.descriptors):
            raise EncodeError(f"{len(self.values)} values for {len(self.descriptors)} "
                              "descriptors")
        normalise_access(self, len(self.descriptors))


@dataclass(frozen=True, slots=True)
class SetRequestWithListAndFirstDatablock:
    descriptors: tuple[AttributeDescriptor, ...]
    last_block: bool
    block_number: int
    raw: bytes
    access: tuple[SelectiveAccess | None, ...] | None = None
    invoke: InvokeIdAndPriority = _INVOKE

    def __post_init__(self) -> None:
        normalise_access(self, len(self.descriptors))


@dataclass(frozen=True, slots=True)
class SetResponseNormal:
    result: DataAccessResult
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class SetResponseDatablock:
    block_number: int
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class SetResponseLastDatablock:
    result: DataAccessResult
    block_number: int
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class SetResponseLastDatablockWithList:
    results: tuple[DataAccessResult, ...]
    block_number: int
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class SetResponseWithList:
    results: tuple[DataAccessResult, ...]
    invoke: InvokeIdAndPriority = _INVOKE


SetRequest = (SetRequestNormal | SetRequestWithFirstDatablock | SetRequestWithDatablock
              | SetRequestWithList | SetRequestWithListAndFirstDatablock)
SetResponse = (SetResponseNormal | SetResponseDatablock | SetResponseLastDatablock
               | SetResponseLastDatablockWithList | SetResponseWithList)

SET_REQUESTS = Variants(0xC1, (
    (1, "set-request-normal", SetRequestNormal),
    (2, "set-request-with-first-datablock", SetRequestWithFirstDatablock),
    (3, "set-request-with-datablock", SetRequestWithDatablock),
    (4, "set-request-with-list", SetRequestWithList),
    (5, "set-request-with-list-and-first-datablock", SetRequestWithListAndFirstDatablock),
))
SET_RESPONSES = Variants(0xC5, (
    (1, "set-response-normal", SetResponseNormal),
    (2, "set-response-datablock", SetResponseDatablock),
    (3, "set-response-last-datablock", SetResponseLastDatablock),
    (4, "set-response-last-datablock-with-list", SetResponseLastDatablockWithList),
    (5, "set-response-with-list", SetResponseWithList),
))
SET_REQUEST_TYPES = SET_REQUESTS.names
SET_RESPONSE_TYPES = SET_RESPONSES.names


def _results(results: tuple[DataAccessResult, ...]) -> bytes:
    return encode_axdr_length(len(results)) + bytes(int(r) for r in results)


def encode_set_request(req: SetRequest) -> bytes:
    head = SET_REQUESTS.head(req)
    if isinstance(req, SetRequestNormal):
        return (head + encode_descriptor(req.descriptor) + encode_access(req.access)
                + encode_data(req.value))
    if isinstance(req, SetRequestWithDatablock):
        return head + encode_datablock(req.last_block, req.block_number, req.raw)
    if isinstance(req, SetRequestWithFirstDatablock):
        return (head + encode_descriptor(req.descriptor) + encode_access(req.access)
                + encode_datablock(req.last_block, req.block_number, req.raw))
    body = encode_descriptor_list(req.descriptors, req.access)
    if isinstance(req, SetRequestWithList):
        return head + body + encode_list(req.values, encode_data)
    return head + body + encode_datablock(req.last_block, req.block_number, req.raw)


def encode_set_response(resp: SetResponse) -> bytes:
    head = SET_RESPONSES.head(resp)
    if isinstance(resp, SetResponseNormal):
        return head + bytes([resp.result])
    if isinstance(resp, SetResponseDatablock):
        return head + uint(resp.block_number, 4, "block number")
    if isinstance(resp, SetResponseLastDatablock):
        return head + bytes([resp.result]) + uint(resp.block_number, 4, "block number")
    if isinstance(resp, SetResponseLastDatablockWithList):
        return head + _results(resp.results) + uint(resp.block_number, 4, "block number")
    return head + _results(resp.results)


def _read_block(cur: Cursor) -> tuple[bool, int, bytes]:
    return read_datablock(cur, DLMS.DATABLOCK)


def _read_results(cur: Cursor) -> tuple[DataAccessResult, ...]:
    return tuple(read_access_result(cur) for _ in range(read_count(cur, DLMS.RESULT_COUNT)))


def decode_set_request(cur: Cursor) -> SetRequest:
    choice = SET_REQUESTS.read(cur)
    invoke = decode_invoke(cur)
    if choice in (1, 2):
        desc = decode_descriptor(cur, AttributeDescriptor)
        access = decode_access(cur)
        if choice == 1:
            return SetRequestNormal(desc, read_data(cur, DLMS.VALUE), access, invoke)
        return SetRequestWithFirstDatablock(desc, *_read_block(cur), access, invoke)
    if choice == 3:
        return SetRequestWithDatablock(*_read_block(cur), invoke)
    descriptors, selections = decode_descriptor_list(cur)
    if choice == 5:
        return SetRequestWithListAndFirstDatablock(descriptors, *_read_block(cur), selections,
                                                   invoke)
    count = read_count(cur, DLMS.VALUE_COUNT)
    values = tuple(read_data(cur, DLMS.VALUE, f"value [{i}]") for i in range(count))
    if count != len(descriptors):
        raise cur.error("value count differs from descriptor count", got=str(count),
                        expected=str(len(descriptors)))
    return SetRequestWithList(descriptors, values, selections, invoke)


def decode_set_response(cur: Cursor) -> SetResponse:
    choice = SET_RESPONSES.read(cur)
    invoke = decode_invoke(cur)
    if choice == 1:
        return SetResponseNormal(read_access_result(cur), invoke)
    if choice == 2:
        return SetResponseDatablock(cur.u32(DLMS.BLOCK_NUMBER), invoke)
    if choice == 3:
        return SetResponseLastDatablock(read_access_result(cur), cur.u32(DLMS.BLOCK_NUMBER), invoke)
    results = _read_results(cur)
    if choice == 4:
        return SetResponseLastDatablockWithList(results, cur.u32(DLMS.BLOCK_NUMBER), invoke)
    return SetResponseWithList(results, invoke)
