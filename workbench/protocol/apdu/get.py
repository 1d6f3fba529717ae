"""GET service (LN referencing): GET-Request 0xC0 and GET-Response 0xC4, all variants.

A long value comes back as GET-Response-with-datablock: each block carries a slice of the
A-XDR encoding (raw-data), the client asks for the next with GET-Request-next, and the
slices are joined and decoded once at the end (see ``apdu.BlockCollector``).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.axdr import Data
from workbench.protocol.fields import DLMS, Cursor, uint

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
    decode_get_result,
    decode_invoke,
    encode_access,
    encode_block_header,
    encode_descriptor,
    encode_descriptor_list,
    encode_get_result,
    encode_list,
    encode_raw_data,
    encode_result_choice,
    normalise_access,
    read_block_header,
    read_list,
    read_result_choice,
)

__all__ = [
    "GetRequestNext",
    "GetRequestNormal",
    "GetRequestWithList",
    "GetResponseNormal",
    "GetResponseWithDatablock",
    "GetResponseWithList",
]

_INVOKE = InvokeIdAndPriority()


@dataclass(frozen=True, slots=True)
class GetRequestNormal:
    descriptor: AttributeDescriptor
    access: SelectiveAccess | None = None
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class GetRequestNext:
    """Ask for the block after ``block_number`` (the number of the last block received)."""

    block_number: int
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class GetRequestWithList:
    """Several attributes at once; ``access`` is None or one entry (or None) per descriptor."""

    descriptors: tuple[AttributeDescriptor, ...]
    access: tuple[SelectiveAccess | None, ...] | None = None
    invoke: InvokeIdAndPriority = _INVOKE

    def __post_init__(self) -> None:
        normalise_access(self, len(self.descriptors))


@dataclass(frozen=True, slots=True)
class GetResponseNormal:
    result: Data | DataAccessResult
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class GetResponseWithDatablock:
    """One block of a long value: ``raw`` is a slice of its A-XDR encoding, or the
    data-access-result that ended the transfer."""

    last_block: bool
    block_number: int
    raw: bytes | DataAccessResult
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class GetResponseWithList:
    results: tuple[Data | DataAccessResult, ...]
    invoke: InvokeIdAndPriority = _INVOKE


GetRequest = GetRequestNormal | GetRequestNext | GetRequestWithList
GetResponse = GetResponseNormal | GetResponseWithDatablock | GetResponseWithList

GET_REQUESTS = Variants(0xC0, (
    (1, "get-request-normal", GetRequestNormal),
    (2, "get-request-next", GetRequestNext),
    (3, "get-request-with-list", GetRequestWithList),
))
GET_RESPONSES = Variants(0xC4, (
    (1, "get-response-normal", GetResponseNormal),
    (2, "get-response-with-datablock", GetResponseWithDatablock),
    (3, "get-response-with-list", GetResponseWithList),
))
GET_REQUEST_TYPES = GET_REQUESTS.names
GET_RESPONSE_TYPES = GET_RESPONSES.names


def encode_get_request(req: GetRequest) -> bytes:
    head = GET_REQUESTS.head(req)
    if isinstance(req, GetRequestNormal):
        return head + encode_descriptor(req.descriptor) + encode_access(req.access)
    if isinstance(req, GetRequestNext):
        return head + uint(req.block_number, 4, "block number")
    return head + encode_descriptor_list(req.descriptors, req.access)


def encode_get_response(resp: GetResponse) -> bytes:
    head = GET_RESPONSES.head(resp)
    if isinstance(resp, GetResponseNormal):
        return head + encode_get_result(resp.result)
    if isinstance(resp, GetResponseWithDatablock):
        return (head + encode_block_header(resp.last_block, resp.block_number)
                + encode_result_choice(resp.raw, encode_raw_data))
    return head + encode_list(resp.results, encode_get_result)


def decode_get_request(cur: Cursor) -> GetRequest:
    choice = GET_REQUESTS.read(cur)
    invoke = decode_invoke(cur)
    if choice == 1:
        return GetRequestNormal(decode_descriptor(cur, AttributeDescriptor), decode_access(cur),
                                invoke)
    if choice == 2:
        return GetRequestNext(cur.u32(DLMS.BLOCK_NUMBER), invoke)
    descriptors, access = decode_descriptor_list(cur)
    return GetRequestWithList(descriptors, access, invoke)


def decode_get_response(cur: Cursor) -> GetResponse:
    choice = GET_RESPONSES.read(cur)
    invoke = decode_invoke(cur)
    if choice == 1:
        return GetResponseNormal(decode_get_result(cur), invoke)
    if choice == 2:
        return _decode_datablock(cur, invoke)
    return GetResponseWithList(read_list(cur, DLMS.RESULT_COUNT, decode_get_result, 2), invoke)


def _read_raw(cur: Cursor) -> bytes:
    return cur.octets(DLMS.RAW_DATA)


def _decode_datablock(cur: Cursor, invoke: InvokeIdAndPriority) -> GetResponseWithDatablock:
    with cur.group(DLMS.DATABLOCK):
        last, number = read_block_header(cur)
        raw = read_result_choice(cur, DLMS.RESULT_CHOICE, "raw-data", _read_raw,
                                 error_name="datablock result")
    return GetResponseWithDatablock(last, number, raw, invoke)
