"""ACTION service (LN referencing): ACTION-Request 0xC3 and ACTION-Response 0xC7, all variants.

Long method parameters go in parameter blocks: ACTION-Request-with-first-pblock (the method
descriptor and block 1), then -with-pblock for each further block; the server answers each
block but the last with ACTION-Response-next-pblock, then answers the whole call. A long
return value comes back the other way: ACTION-Response-with-pblock blocks, each fetched with
ACTION-Request-next-pblock. The joined blocks are the A-XDR encoding of the parameters (of the
return value), without the OPTIONAL presence byte — as gurux-dlms sends them.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.axdr import Data, encode_data
from workbench.protocol.errors import EncodeError
from workbench.protocol.fields import DLMS, Cursor, uint

from . import names
from .common import (
    ActionResult,
    DataAccessResult,
    InvokeIdAndPriority,
    MethodDescriptor,
)
from .parts import (
    Variants,
    decode_descriptor,
    decode_get_result,
    decode_invoke,
    encode_datablock,
    encode_descriptor,
    encode_get_result,
    encode_list,
    encode_optional,
    read_count,
    read_data,
    read_datablock,
    read_list,
)

__all__ = [
    "ACTION_REQUESTS",
    "ACTION_REQUEST_TYPES",
    "ACTION_RESPONSES",
    "ACTION_RESPONSE_TYPES",
    "MISSING_PRESENCE",
    "ActionOutcome",
    "ActionRequestNext",
    "ActionRequestNormal",
    "ActionRequestWithFirstPblock",
    "ActionRequestWithList",
    "ActionRequestWithListAndFirstPblock",
    "ActionRequestWithPblock",
    "ActionResponseNext",
    "ActionResponseNormal",
    "ActionResponseWithList",
    "ActionResponseWithPblock",
]

_INVOKE = InvokeIdAndPriority()
#: Exact text of the warning for an Action-Response-With-Optional-Data cut after the result.
MISSING_PRESENCE = ("the return-parameters presence byte is missing after the action-result "
                    "(a known server deviation, e.g. gurux); read as no return parameters")


@dataclass(frozen=True, slots=True)
class ActionRequestNormal:
    descriptor: MethodDescriptor
    parameters: Data | None = None
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class ActionRequestNext:
    """Ask for the return-value block after ``block_number`` (the last one received)."""

    block_number: int
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class ActionRequestWithList:
    """Several methods at once; one parameter ``Data`` per method (null-data for none)."""

    descriptors: tuple[MethodDescriptor, ...]
    parameters: tuple[Data, ...]
    invoke: InvokeIdAndPriority = _INVOKE

    def __post_init__(self) -> None:
        if len(self.parameters) != len(self.descriptors):
            raise EncodeError(f"{len(self.parameters)} parameters for "
                              f"{len(self.descriptors)} methods")


@dataclass(frozen=True, slots=True)
class ActionRequestWithFirstPblock:
    """The method and the first slice of its encoded parameters."""

    descriptor: MethodDescriptor
    last_block: bool
    block_number: int
    raw: bytes
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class ActionRequestWithListAndFirstPblock:
    descriptors: tuple[MethodDescriptor, ...]
    last_block: bool
    block_number: int
    raw: bytes
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class ActionRequestWithPblock:
    """A further slice of the encoded parameters."""

    last_block: bool
    block_number: int
    raw: bytes
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """Result of one method, with the optional return parameters (data or an access error)."""

    result: ActionResult
    return_value: Data | DataAccessResult | None = None


@dataclass(frozen=True, slots=True)
class ActionResponseNormal:
    result: ActionResult
    return_value: Data | DataAccessResult | None = None
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class ActionResponseWithPblock:
    """A slice of a long return value (its A-XDR encoding)."""

    last_block: bool
    block_number: int
    raw: bytes
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class ActionResponseWithList:
    results: tuple[ActionOutcome, ...]
    invoke: InvokeIdAndPriority = _INVOKE


@dataclass(frozen=True, slots=True)
class ActionResponseNext:
    """The server took parameter block ``block_number`` and asks for the next one."""

    block_number: int
    invoke: InvokeIdAndPriority = _INVOKE


ActionRequest = (ActionRequestNormal | ActionRequestNext | ActionRequestWithList
                 | ActionRequestWithFirstPblock | ActionRequestWithListAndFirstPblock
                 | ActionRequestWithPblock)
ActionResponse = (ActionResponseNormal | ActionResponseWithPblock | ActionResponseWithList
                  | ActionResponseNext)

ACTION_REQUESTS = Variants(0xC3, (
    (1, "action-request-normal", ActionRequestNormal),
    (2, "action-request-next-pblock", ActionRequestNext),
    (3, "action-request-with-list", ActionRequestWithList),
    (4, "action-request-with-first-pblock", ActionRequestWithFirstPblock),
    (5, "action-request-with-list-and-first-pblock", ActionRequestWithListAndFirstPblock),
    (6, "action-request-with-pblock", ActionRequestWithPblock),
))
ACTION_RESPONSES = Variants(0xC7, (
    (1, "action-response-normal", ActionResponseNormal),
    (2, "action-response-with-pblock", ActionResponseWithPblock),
    (3, "action-response-with-list", ActionResponseWithList),
    (4, "action-response-next-pblock", ActionResponseNext),
))
ACTION_REQUEST_TYPES = ACTION_REQUESTS.names
ACTION_RESPONSE_TYPES = ACTION_RESPONSES.names


def _outcome(result: ActionResult, value: Data | DataAccessResult | None) -> bytes:
    """Action-Response-With-Optional-Data."""
    return bytes([result]) + (b"\x00" if value is None else b"\x01" + encode_get_result(value))


def encode_action_request(req: ActionRequest) -> bytes:
    head = ACTION_REQUESTS.head(req)
    if isinstance(req, ActionRequestNormal):
        return (head + encode_descriptor(req.descriptor)
                + encode_optional(req.parameters, encode_data))
    if isinstance(req, ActionRequestNext):
        return head + uint(req.block_number, 4, "block number")
    if isinstance(req, ActionRequestWithList):
        return (head + encode_list(req.descriptors, encode_descriptor)
                + encode_list(req.parameters, encode_data))
    block = encode_datablock(req.last_block, req.block_number, req.raw)
    if isinstance(req, ActionRequestWithFirstPblock):
        return head + encode_descriptor(req.descriptor) + block
    if isinstance(req, ActionRequestWithListAndFirstPblock):
        return head + encode_list(req.descriptors, encode_descriptor) + block
    return head + block


def encode_action_response(resp: ActionResponse) -> bytes:
    head = ACTION_RESPONSES.head(resp)
    if isinstance(resp, ActionResponseNormal):
        return head + _outcome(resp.result, resp.return_value)
    if isinstance(resp, ActionResponseWithPblock):
        return head + encode_datablock(resp.last_block, resp.block_number, resp.raw)
    if isinstance(resp, ActionResponseWithList):
        return head + encode_list(resp.results, lambda o: _outcome(o.result, o.return_value))
    return head + uint(resp.block_number, 4, "block number")


def _read_pblock(cur: Cursor) -> tuple[bool, int, bytes]:
    return read_datablock(cur, DLMS.PBLOCK)


def _read_methods(cur: Cursor) -> tuple[MethodDescriptor, ...]:
    count = read_count(cur, DLMS.METHOD_COUNT, 9)
    return tuple(decode_descriptor(cur, MethodDescriptor)
                 for _ in range(count))


def decode_action_request(cur: Cursor) -> ActionRequest:
    choice = ACTION_REQUESTS.read(cur)
    invoke = decode_invoke(cur)
    if choice == 1:
        desc = decode_descriptor(cur, MethodDescriptor)
        params = (read_data(cur, DLMS.PARAMETERS)
                  if cur.present(DLMS.PARAMETERS_PRESENT, "parameters") else None)
        return ActionRequestNormal(desc, params, invoke)
    if choice == 2:
        return ActionRequestNext(cur.u32(DLMS.BLOCK_NUMBER), invoke)
    if choice == 4:
        desc = decode_descriptor(cur, MethodDescriptor)
        return ActionRequestWithFirstPblock(desc, *_read_pblock(cur), invoke)
    if choice == 6:
        return ActionRequestWithPblock(*_read_pblock(cur), invoke)
    descriptors = _read_methods(cur)
    if choice == 5:
        return ActionRequestWithListAndFirstPblock(descriptors, *_read_pblock(cur), invoke)
    n_params = read_count(cur, DLMS.PARAMETER_COUNT)
    if n_params != len(descriptors):
        raise cur.error("parameter count differs from method count", offset=cur.pos - 1,
                        got=str(n_params), expected=str(len(descriptors)))
    values = tuple(read_data(cur, DLMS.PARAMETERS, f"parameters [{i}]") for i in range(n_params))
    return ActionRequestWithList(descriptors, values, invoke)


def _read_outcome(cur: Cursor) -> ActionOutcome:
    result = ActionResult(cur.u8(DLMS.ACTION_RESULT, names.ACTION_RESULTS))
    if cur.remaining == 0:  # tolerated: C7 01 C1 01 has one meaning, "no return value"
        cur.warn(MISSING_PRESENCE)
        return ActionOutcome(result)
    value = (decode_get_result(cur, DLMS.RETURN_CHOICE, "return-parameters")
             if cur.present(DLMS.RETURN_PRESENT, "return-parameters") else None)
    return ActionOutcome(result, value)


def decode_action_response(cur: Cursor) -> ActionResponse:
    choice = ACTION_RESPONSES.read(cur)
    invoke = decode_invoke(cur)
    if choice == 1:
        outcome = _read_outcome(cur)
        return ActionResponseNormal(outcome.result, outcome.return_value, invoke)
    if choice == 2:
        return ActionResponseWithPblock(*_read_pblock(cur), invoke)
    if choice == 4:
        return ActionResponseNext(cur.u32(DLMS.BLOCK_NUMBER), invoke)
    return ActionResponseWithList(read_list(cur, DLMS.RESULT_COUNT, _read_outcome), invoke)
