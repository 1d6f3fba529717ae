"""GET / SET / ACTION as request sequences: block transfer, with-list splitting, result checks.

Each function takes a :class:`Requester` (the client: encode, exchange, decode one APDU)
and does only the xDLMS part: following GET-Response-with-datablock with GET-Request-next
until the last block, and cutting a with-list so every request fits the meter's PDU size.
Retrying and reconnecting are the caller's business.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from workbench.protocol.apdu import (
    ActionRequestNext,
    ActionResponseNext,
    ActionResponseNormal,
    ActionResponseWithPblock,
    ActionResult,
    AttributeDescriptor,
    BlockAssembler,
    BlockTransferError,
    DataAccessResult,
    GetRequestNext,
    GetRequestNormal,
    GetRequestWithList,
    GetResponseNormal,
    GetResponseWithDatablock,
    GetResponseWithList,
    MethodDescriptor,
    SelectiveAccess,
    SetResponseDatablock,
    SetResponseLastDatablock,
    SetResponseNormal,
    decode_get_result,
    plan_action,
    plan_set,
)
from workbench.protocol.axdr import Data, decode_data_exact, decode_length
from workbench.protocol.errors import LocalProtocolError, ProtocolError
from workbench.protocol.fields import Cursor
from workbench.session.errors import ProtocolFailure, ServiceFailed
from workbench.session.settings import ConnectionSettings

__all__ = ["MAX_LIST", "MIN_BLOCK_AVERAGE", "Requester", "get", "get_list", "invoke",
           "list_batches", "set_value"]

MAX_LIST = 32
"""Most descriptors we put in one with-list request, whatever the PDU size allows."""

MIN_BLOCK_AVERAGE = 16
"""Blocks of a transfer may average no fewer bytes: caps the block count (empty blocks)."""

_DESCRIPTOR_SIZE = 10  # class id (2) + OBIS (6) + attribute (1) + access flag (1)
_LIST_HEADER = 4  # C0 03 C1 + one count byte (MAX_LIST < 128)

BlockCallback = Callable[[bytes, bool], None]
_T = TypeVar("_T")


class Requester(Protocol):
    """Sends one xDLMS request object and returns the decoded response object.

    ``max_request`` is the largest request worth sending in one piece: the meter's PDU
    size, or less when one HDLC frame holds less (with window 1 every extra segment costs
    a round trip for its RR, so cutting a list to fit one frame is never slower).
    """

    @property
    def max_request(self) -> int: ...

    @property
    def settings(self) -> ConnectionSettings:
        """Who we are (the client address decides what a refusal means)."""

    @property
    def max_pdu(self) -> int:
        """Largest APDU the meter accepts (its server-max-receive-pdu-size, less what
        ciphering adds): a longer SET or ACTION goes in blocks."""

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
    """Write one attribute; return the meter's data-access-result.

    A request longer than the meter's PDU goes in datablocks (IEC 62056-5-3): the meter
    acknowledges each block but the last with SET-Response-datablock(n) and answers the
    whole write with SET-Response-last-datablock. A refusal may come early, as a
    last-datablock or normal response to any block: the transfer stops there.
    """
    what = f"SET {desc}"
    plan = _planned(lambda: plan_set(desc, value, max_pdu=req.max_pdu), what, req.max_pdu)
    for number, apdu in enumerate(plan, start=1):
        label = what if len(plan) == 1 else f"block {number} of {len(plan)} of {what}"
        response = req.request(apdu, label)
        if isinstance(response, SetResponseNormal | SetResponseLastDatablock):
            if number < len(plan) and response.result == DataAccessResult.SUCCESS:
                raise _unexpected(label, response)  # success before the last block
            _check_number(response, number, label)
            return response.result
        if not isinstance(response, SetResponseDatablock) or number == len(plan):
            raise _unexpected(label, response)
        _check_number(response, number, label)
    raise AssertionError("unreachable: the last block is always answered above")


def invoke(req: Requester, desc: MethodDescriptor, parameters: Data | None
           ) -> tuple[ActionResult, Data | DataAccessResult | None]:
    """Run one method; return the action result and the return value if any.

    Long parameters go in parameter blocks, each but the last acknowledged with
    ACTION-Response-next-pblock(n); a long return value comes back in
    ACTION-Response-with-pblock blocks, fetched with ACTION-Request-next-pblock.
    """
    what = f"ACTION {desc}"
    plan = _planned(lambda: plan_action(desc, parameters, max_pdu=req.max_pdu), what,
                    req.max_pdu)
    for number, apdu in enumerate(plan, start=1):
        label = what if len(plan) == 1 else f"block {number} of {len(plan)} of {what}"
        response = req.request(apdu, label)
        if isinstance(response, ActionResponseNormal):
            if number < len(plan) and response.result == ActionResult.SUCCESS:
                raise _unexpected(label, response)
            return response.result, response.return_value
        if isinstance(response, ActionResponseWithPblock) and number == len(plan):
            return ActionResult.SUCCESS, _action_return(req, response, what)
        if not isinstance(response, ActionResponseNext) or number == len(plan):
            raise _unexpected(label, response)
        _check_number(response, number, label)
    raise AssertionError("unreachable: the last block is always answered above")


def _planned(plan: Callable[[], list[_T]], what: str, max_pdu: int) -> list[_T]:
    """The planner's APDUs; a PDU too small for any block is the meter's limit, said so."""
    try:
        return plan()
    except LocalProtocolError as exc:
        raise ServiceFailed(f"{what} cannot be sent within the meter's {max_pdu}-byte PDU: "
                            f"{exc}", "Check the value and its type.") from exc


def _check_number(response: SetResponseDatablock | SetResponseLastDatablock
                  | SetResponseNormal | ActionResponseNext, number: int, what: str) -> None:
    """A block acknowledgement must carry the number of the block just sent."""
    got = getattr(response, "block_number", number)
    if got != number:
        raise ProtocolFailure(f"the meter acknowledged block {got} in answer to {what}")


def _action_return(req: Requester, first: ActionResponseWithPblock, what: str
                   ) -> Data | DataAccessResult:
    """Fetch and join a return value sent in ACTION-Response-with-pblock blocks."""
    assembler = BlockAssembler(f"the return value of {what}", max_size=req.max_transfer,
                               first=first.block_number)
    response: object = first
    while True:
        if not isinstance(response, ActionResponseWithPblock):
            raise _unexpected(f"ACTION-Request-next-pblock for {what}", response)
        try:
            assembler.add(response.block_number, response.raw, response.last_block)
        except BlockTransferError as exc:
            raise ProtocolFailure(f"{exc}") from exc
        if response.last_block:
            break
        response = req.request(ActionRequestNext(response.block_number),
                               f"block {response.block_number + 1} of the return of {what}")
    try:
        return decode_data_exact(assembler.joined())
    except ProtocolError as exc:
        raise ProtocolFailure(f"the return value of {what} could not be decoded: {exc}"
                              ) from exc
