"""ACTION service (LN referencing): ACTION-Request 0xC3 and ACTION-Response 0xC7.

Normal and with-list variants are supported; the parameter-block variants (long method
parameters, pblock) are rejected by the decoder as unsupported.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.axdr import Data, encode_data
from workbench.protocol.errors import EncodeError
from workbench.protocol.fields import DLMS, Cursor

from . import names
from .common import (
    ActionResult,
    DataAccessResult,
    InvokeIdAndPriority,
    MethodDescriptor,
    decode_descriptor,
    decode_get_result,
    decode_invoke,
    encode_descriptor,
    encode_get_result,
    encode_head,
    encode_list,
    encode_optional,
    read_choice,
    read_count,
    read_data,
    read_list,
)

__all__ = [
    "ActionOutcome",
    "ActionRequestNormal",
    "ActionRequestWithList",
    "ActionResponseNormal",
    "ActionResponseWithList",
]

_INVOKE = InvokeIdAndPriority()
ACTION_REQUEST_TYPES = {1: "action-request-normal", 3: "action-request-with-list"}
ACTION_RESPONSE_TYPES = {1: "action-response-normal", 3: "action-response-with-list"}


@dataclass(frozen=True, slots=True)
class ActionRequestNormal:
    descriptor: MethodDescriptor
    parameters: Data | None = None
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
class ActionResponseWithList:
    results: tuple[ActionOutcome, ...]
    invoke: InvokeIdAndPriority = _INVOKE


ActionRequest = ActionRequestNormal | ActionRequestWithList
ActionResponse = ActionResponseNormal | ActionResponseWithList


def _outcome(result: ActionResult, value: Data | DataAccessResult | None) -> bytes:
    """Action-Response-With-Optional-Data."""
    return bytes([result]) + encode_optional(value, encode_get_result)


def encode_action_request(req: ActionRequest) -> bytes:
    if isinstance(req, ActionRequestNormal):
        return (encode_head(0xC3, 1, req.invoke) + encode_descriptor(req.descriptor)
                + encode_optional(req.parameters, encode_data))
    return (encode_head(0xC3, 3, req.invoke) + encode_list(req.descriptors, encode_descriptor)
            + encode_list(req.parameters, encode_data))


def encode_action_response(resp: ActionResponse) -> bytes:
    if isinstance(resp, ActionResponseNormal):
        return encode_head(0xC7, 1, resp.invoke) + _outcome(resp.result, resp.return_value)
    return encode_head(0xC7, 3, resp.invoke) + encode_list(
        resp.results, lambda o: _outcome(o.result, o.return_value))


def decode_action_request(cur: Cursor) -> ActionRequest:
    choice = read_choice(cur, ACTION_REQUEST_TYPES)
    invoke = decode_invoke(cur)
    if choice == 1:
        desc = decode_descriptor(cur, MethodDescriptor)
        params = (read_data(cur, DLMS.PARAMETERS)
                  if cur.present(DLMS.PARAMETERS_PRESENT, "parameters") else None)
        return ActionRequestNormal(desc, params, invoke)  # type: ignore[arg-type]
    count = read_count(cur, DLMS.METHOD_COUNT, 9)
    descriptors = tuple(decode_descriptor(cur, MethodDescriptor) for _ in range(count))
    n_params = read_count(cur, DLMS.PARAMETER_COUNT)
    if n_params != count:
        raise cur.error("parameter count differs from method count", offset=cur.pos - 1,
                        got=str(n_params), expected=str(count))
    params = tuple(read_data(cur, DLMS.PARAMETERS, f"parameters [{i}]") for i in range(n_params))
    return ActionRequestWithList(descriptors, params, invoke)  # type: ignore[arg-type]


#: Exact text of the warning for an Action-Response-With-Optional-Data cut after the result.
MISSING_PRESENCE = ("the return-parameters presence byte is missing after the action-result "
                    "(a known server deviation, e.g. gurux); read as no return parameters")


def _read_outcome(cur: Cursor) -> ActionOutcome:
    result = ActionResult(cur.u8(DLMS.ACTION_RESULT, names.ACTION_RESULTS))
    if cur.remaining == 0:  # tolerated: C7 01 C1 01 has one meaning, "no return value"
        cur.warn(MISSING_PRESENCE)
        return ActionOutcome(result)
    value = (decode_get_result(cur, DLMS.RETURN_CHOICE, "return-parameters")
             if cur.present(DLMS.RETURN_PRESENT, "return-parameters") else None)
    return ActionOutcome(result, value)


def decode_action_response(cur: Cursor) -> ActionResponse:
    choice = read_choice(cur, ACTION_RESPONSE_TYPES)
    invoke = decode_invoke(cur)
    if choice == 1:
        outcome = _read_outcome(cur)
        return ActionResponseNormal(outcome.result, outcome.return_value, invoke)
    return ActionResponseWithList(read_list(cur, DLMS.RESULT_COUNT, _read_outcome), invoke)
