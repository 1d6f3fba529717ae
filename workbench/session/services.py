"""GET / SET / ACTION as request sequences: block transfer, with-list splitting, result checks.

Each function takes a :class:`Requester` (the client: encode, exchange, decode one APDU)
and does only the xDLMS part: following GET-Response-with-datablock with GET-Request-next
until the last block, and cutting a with-list so every request fits the meter's PDU size.
Retrying and reconnecting are the caller's business.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from workbench.protocol.apdu import (
    ActionRequestNormal,
    ActionResponseNormal,
    ActionResult,
    AttributeDescriptor,
    DataAccessResult,
    GetRequestNext,
    GetRequestNormal,
    GetRequestWithList,
    GetResponseNormal,
    GetResponseWithDatablock,
    GetResponseWithList,
    MethodDescriptor,
    SelectiveAccess,
    SetRequestNormal,
    SetResponseNormal,
    decode_get_result,
)
from workbench.protocol.axdr import Data, decode_data_exact, decode_length
from workbench.protocol.errors import ProtocolError
from workbench.protocol.fields import Cursor
from workbench.session.errors import ProtocolFailure

__all__ = ["MAX_LIST", "MIN_BLOCK_AVERAGE", "Requester", "get", "get_list", "invoke",
           "list_batches", "set_value"]

MAX_LIST = 32
"""Most descriptors we put in one with-list request, whatever the PDU size allows."""

MIN_BLOCK_AVERAGE = 16
"""Blocks of a transfer may average no fewer bytes: caps the block count (empty blocks)."""

_DESCRIPTOR_SIZE = 10  # class id (2) + OBIS (6) + attribute (1) + access flag (1)
_LIST_HEADER = 4  # C0 03 C1 + one count byte (MAX_LIST < 128)

BlockCallback = Callable[[bytes, bool], None]


class Requester(Protocol):
    """Sends one xDLMS request object and returns the decoded response object.

    ``max_request`` is the largest request worth sending in one piece: the meter's PDU
    size, or less when one HDLC frame holds less (with window 1 every extra segment costs
    a round trip for its RR, so cutting a list to fit one frame is never slower).
    """

    @property
    def max_request(self) -> int: ...

    @property
    def max_transfer(self) -> int: ...

    def request(self, apdu: object, what: str) -> object: ...


def _unexpected(what: str, response: object) -> ProtocolFailure:
    return ProtocolFailure(f"the meter answered {what} with {type(response).__name__}, "
                           "which does not fit the request")


def _too_long(what: str, size: int, blocks: int, limit: int) -> ProtocolFailure:
    return ProtocolFailure(
        f"the block transfer of {what} passed {limit} bytes ({size} bytes in {blocks} blocks) "
        "without a last block; stopped", "If the meter really holds that much, raise the "
        "transfer limit (ConnectionSettings.max_transfer); otherwise save the trace and "
        "report it.")


def _collect_blocks(req: Requester, first: GetResponseWithDatablock, what: str,
                    on_block: BlockCallback | None) -> bytes | DataAccessResult:
    """Follow a datablock answer to its last block; return the joined raw bytes.

    Bounded: at most ``req.max_transfer`` bytes and ``max_transfer // MIN_BLOCK_AVERAGE``
    blocks, so a meter that never says "last block" cannot hold us or eat the memory.
    """
    parts: list[bytes] = []
    size, max_blocks = 0, max(1, req.max_transfer // MIN_BLOCK_AVERAGE)
    response: object = first
    expected = first.block_number
    while True:
        if not isinstance(response, GetResponseWithDatablock):
            raise _unexpected(f"GET-Request-next for {what}", response)
        if isinstance(response.raw, DataAccessResult):
            return response.raw
        if response.block_number != expected:
            raise ProtocolFailure(f"the meter sent block {response.block_number} of {what}, "
                                  f"expected block {expected}")
        parts.append(response.raw)
        size += len(response.raw)
        if size > req.max_transfer or len(parts) > max_blocks:
            raise _too_long(what, size, len(parts), req.max_transfer)
        if on_block is not None:
            on_block(response.raw, response.last_block)
        if response.last_block:
            return b"".join(parts)
        response = req.request(GetRequestNext(response.block_number), f"block "
                               f"{response.block_number + 1} of {what}")
        expected += 1


def get(req: Requester, desc: AttributeDescriptor, access: SelectiveAccess | None = None,
        on_block: BlockCallback | None = None) -> Data | DataAccessResult:
    """Read one attribute, following block transfer.

    Args:
        on_block: called with each block's raw bytes and the last-block flag as it arrives
            (lets a profile reader decode rows before the transfer ends).
    """
    what = f"GET {desc}"
    response = req.request(GetRequestNormal(desc, access), what)
    if isinstance(response, GetResponseNormal):
        return response.result
    if not isinstance(response, GetResponseWithDatablock):
        raise _unexpected(what, response)
    raw = _collect_blocks(req, response, what, on_block)
    if isinstance(raw, DataAccessResult):
        return raw
    try:
        return decode_data_exact(raw)
    except ProtocolError as exc:
        raise ProtocolFailure(f"the value of {desc} could not be decoded: {exc}") from exc


def list_batches(descs: Sequence[AttributeDescriptor], max_request: int
                 ) -> list[list[AttributeDescriptor]]:
    """Cut a descriptor list so each GET-Request-with-list fits ``max_request`` bytes."""
    per_request = max(1, min(MAX_LIST, (max_request - _LIST_HEADER) // _DESCRIPTOR_SIZE))
    return [list(descs[i:i + per_request]) for i in range(0, len(descs), per_request)]


def _decode_result_list(raw: bytes, count: int, what: str) -> list[Data | DataAccessResult]:
    try:
        n, pos = decode_length(raw, 0)
        cur = Cursor(raw, pos, what=what)
        results = [decode_get_result(cur) for _ in range(n)]
    except ProtocolError as exc:
        raise ProtocolFailure(f"the list answer to {what} could not be decoded: {exc}") from exc
    if len(results) != count:
        raise ProtocolFailure(f"the meter answered {len(results)} results to {what}, "
                              f"expected {count}")
    return results


def get_list(req: Requester, descs: Sequence[AttributeDescriptor]
             ) -> list[Data | DataAccessResult]:
    """Read several attributes with GET-Request-with-list (one request per batch)."""
    results: list[Data | DataAccessResult] = []
    for batch in list_batches(descs, req.max_request):
        if len(batch) == 1:
            results.append(get(req, batch[0]))
            continue
        what = f"GET with a list of {len(batch)} attributes"
        response = req.request(GetRequestWithList(tuple(batch)), what)
        if isinstance(response, GetResponseWithList):
            if len(response.results) != len(batch):
                raise ProtocolFailure(f"the meter answered {len(response.results)} results to "
                                      f"{what}")
            results.extend(response.results)
        elif isinstance(response, GetResponseWithDatablock):
            raw = _collect_blocks(req, response, what, None)
            if isinstance(raw, DataAccessResult):
                results.extend([raw] * len(batch))
            else:
                results.extend(_decode_result_list(raw, len(batch), what))
        else:
            raise _unexpected(what, response)
    return results


def set_value(req: Requester, desc: AttributeDescriptor, value: Data) -> DataAccessResult:
    """Write one attribute; return the meter's data-access-result."""
    what = f"SET {desc}"
    response = req.request(SetRequestNormal(desc, value), what)
    if not isinstance(response, SetResponseNormal):
        raise _unexpected(what, response)
    return response.result


def invoke(req: Requester, desc: MethodDescriptor, parameters: Data | None
           ) -> tuple[ActionResult, Data | DataAccessResult | None]:
    """Run one method; return the action result and the return value if any."""
    what = f"ACTION {desc}"
    response = req.request(ActionRequestNormal(desc, parameters), what)
    if not isinstance(response, ActionResponseNormal):
        raise _unexpected(what, response)
    return response.result, response.return_value
