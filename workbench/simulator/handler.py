"""The application layer of one connection: association, then GET/SET/ACTION on the meter.

Sans-IO like the protocol core: ``handle(client_sap, apdu)`` returns the response APDU, so
the server only moves bytes. The handler keeps what an association
needs between requests: who is associated, the negotiated PDU size, a GET being sent in
blocks and a SET being received in blocks.

Choices where the standard leaves room (documented for the integrator):

* an unknown client SAP never reaches here: the server ignores its frames (silence);
* a wrong class id for an existing OBIS answers ``object-class-inconsistent``;
* a request before the association answers an ExceptionResponse (service-not-allowed).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

# the one field codec the facade does not re-export: a datablock GET-with-list carries the
# encoded results without the APDU around them
from workbench.protocol.apdu import (
    Aare,
    Aarq,
    ActionOutcome,
    ActionRequestNormal,
    ActionRequestWithFirstPblock,
    ActionRequestWithList,
    ActionRequestWithListAndFirstPblock,
    ActionRequestWithPblock,
    ActionResponseNext,
    ActionResponseNormal,
    ActionResponseWithList,
    ActionResult,
    ApplicationContext,
    AssociationResult,
    AttributeDescriptor,
    DataAccessResult,
    ExceptionResponse,
    GetRequestNext,
    GetRequestNormal,
    GetRequestWithList,
    GetResponseNormal,
    GetResponseWithDatablock,
    GetResponseWithList,
    InitiateRequest,
    InitiateResponse,
    InvokeIdAndPriority,
    Mechanism,
    MethodDescriptor,
    Rlre,
    Rlrq,
    SelectiveAccess,
    SetRequestNormal,
    SetRequestWithDatablock,
    SetRequestWithFirstDatablock,
    SetRequestWithList,
    SetRequestWithListAndFirstDatablock,
    SetResponseDatablock,
    SetResponseLastDatablock,
    SetResponseLastDatablockWithList,
    SetResponseNormal,
    SetResponseWithList,
    decode_apdu,
    encode_apdu,
    encode_get_result,
)
from workbench.protocol.axdr import Data, encode_data, encode_length
from workbench.protocol.errors import ProtocolError
from workbench.simulator.association import (
    MANAGEMENT_CLIENTS,
    PUBLIC_CLIENT,
    SUPPORTED_CONFORMANCE,
)
from workbench.simulator.blocks import BlockTransfer
from workbench.simulator.config import MeterConfig
from workbench.simulator.objects import Ctx
from workbench.simulator.quirks import ACTION_NO_OPTIONAL

__all__ = ["KNOWN_CLIENTS", "MeterModel", "Reply", "RequestHandler"]

log = logging.getLogger("workbench.simulator")

KNOWN_CLIENTS = frozenset({PUBLIC_CLIENT, *MANAGEMENT_CLIENTS})

# AARE diagnostics (acse-service-user) and ExceptionResponse codes, IEC 62056-5-3
_DIAG_NO_REASON = 1
_DIAG_CONTEXT_NOT_SUPPORTED = 2
_DIAG_MECHANISM_NOT_RECOGNISED = 11
_DIAG_AUTHENTICATION_FAILURE = 13
_DIAG_AUTHENTICATION_REQUIRED = 14
_STATE_SERVICE_NOT_ALLOWED, _STATE_SERVICE_UNKNOWN = 1, 2
_SERVICE_OPERATION_NOT_POSSIBLE, _SERVICE_OTHER_REASON, _SERVICE_PDU_TOO_LONG = 1, 3, 4
#: bytes a GET-Response-with-datablock adds around its raw data (tag..length of length)
_BLOCK_OVERHEAD = 12


@dataclass(frozen=True, slots=True)
class Reply:
    """The response APDU; ``partial_block`` marks a GET block that is not the last (the
    ``drop-mid-block`` fault acts on it)."""

    apdu: bytes
    partial_block: bool = False


@dataclass(slots=True)
class _Association:
    client_sap: int
    management: bool
    pdu_size: int


class MeterModel(Protocol):
    """What the handler serves requests from: the simulated :class:`Meter`, or a replay of
    a capture (:mod:`.replay`)."""

    @property
    def config(self) -> MeterConfig: ...

    def context(self, client_sap: int, management: bool) -> Ctx: ...

    def get(self, desc: AttributeDescriptor, access: SelectiveAccess | None,
            ctx: Ctx) -> Data | DataAccessResult: ...

    def set(self, desc: AttributeDescriptor, value: Data, ctx: Ctx) -> DataAccessResult: ...

    def action(self, desc: MethodDescriptor, param: Data | None,
               ctx: Ctx) -> tuple[ActionResult, Data | None]: ...

    def accepts_password(self, given: bytes | None) -> bool: ...


class RequestHandler:
    """One connection's association state and request dispatch."""

    def __init__(self, meter: MeterModel) -> None:
        self.meter = meter
        self._assoc: _Association | None = None
        self._get_blocks: deque[bytes] = deque()
        self._get_block_number = 0
        self._set: BlockTransfer[AttributeDescriptor] | None = None
        self._action: BlockTransfer[MethodDescriptor] | None = None

    @property
    def associated(self) -> bool:
        return self._assoc is not None

    def release(self) -> None:
        """The link went down: the association and any transfer end with it."""
        self._assoc, self._set, self._action = None, None, None
        self._get_blocks.clear()

    def handle(self, client_sap: int, apdu: bytes) -> Reply:
        """Answer one APDU from ``client_sap``."""
        try:
            request = decode_apdu(apdu)
        except ProtocolError as exc:
            log.warning("undecodable APDU from client %d: %s", client_sap, exc)
            return self._exception(_STATE_SERVICE_UNKNOWN, _SERVICE_OTHER_REASON)
        if isinstance(request, Aarq):
            return Reply(encode_apdu(self._associate(client_sap, request)))
        if isinstance(request, Rlrq):
            self.release()
            return Reply(encode_apdu(Rlre(reason=0)))
        if self._assoc is None:
            return self._exception(_STATE_SERVICE_NOT_ALLOWED, _SERVICE_OPERATION_NOT_POSSIBLE)
        if len(apdu) > self.meter.config.max_pdu_size:
            log.warning("client %d sent a %d-byte APDU; this meter accepts at most %d "
                        "(server-max-receive-pdu-size): answered pdu-too-long",
                        client_sap, len(apdu), self.meter.config.max_pdu_size)
            return self._exception(_STATE_SERVICE_NOT_ALLOWED, _SERVICE_PDU_TOO_LONG)
        ctx = self.meter.context(self._assoc.client_sap, self._assoc.management)
        return self._dispatch(request, ctx)

    def _exception(self, state: int, service: int) -> Reply:
        return Reply(encode_apdu(ExceptionResponse(state, service)))

    def _dispatch(self, request: object, ctx: Ctx) -> Reply:
        handlers: dict[type, Callable[[Any, Ctx], Reply]] = {
            GetRequestNormal: self._get_normal, GetRequestNext: self._get_next,
            GetRequestWithList: self._get_list, SetRequestNormal: self._set_normal,
            SetRequestWithList: self._set_list, SetRequestWithFirstDatablock: self._set_first,
            SetRequestWithListAndFirstDatablock: self._set_first,
            SetRequestWithDatablock: self._set_block, ActionRequestNormal: self._action_normal,
            ActionRequestWithList: self._action_list,
            ActionRequestWithFirstPblock: self._action_first,
            ActionRequestWithListAndFirstPblock: self._action_first,
            ActionRequestWithPblock: self._action_block,
        }
        handler = handlers.get(type(request))
        if handler is None:
            log.warning("client %d sent %s, which a server does not accept",
                        ctx.client_sap, type(request).__name__)
            return self._exception(_STATE_SERVICE_UNKNOWN, _SERVICE_OTHER_REASON)
        return handler(request, ctx)

    # -- association -------------------------------------------------------------------------

    def _associate(self, client_sap: int, aarq: Aarq) -> Aare:
        self.release()
        mechanism = aarq.mechanism or Mechanism.NONE
        diagnostic = self._check_aarq(client_sap, aarq, mechanism)
        accepted = diagnostic is None
        log.info("association client=%d mechanism=%s %s", client_sap, mechanism.name,
                 "accepted" if accepted else f"rejected (diagnostic {diagnostic})")
        if not accepted:
            return Aare(AssociationResult.REJECTED_PERMANENT, diagnostic or _DIAG_NO_REASON,
                        mechanism=aarq.mechanism)
        initiate = aarq.user_information
        assert isinstance(initiate, InitiateRequest)  # checked by _check_aarq
        limit = self.meter.config.max_pdu_size
        self._assoc = _Association(client_sap, client_sap in MANAGEMENT_CLIENTS,
                                   min(limit, initiate.max_pdu_size or limit))
        response = InitiateResponse(initiate.conformance & SUPPORTED_CONFORMANCE, limit)
        return Aare(AssociationResult.ACCEPTED, 0, mechanism=aarq.mechanism,
                    user_information=response)

    def _check_aarq(self, client_sap: int, aarq: Aarq, mechanism: Mechanism) -> int | None:
        """None when the AARQ is acceptable, else the AARE diagnostic."""
        if aarq.context is not ApplicationContext.LN:
            return _DIAG_CONTEXT_NOT_SUPPORTED
        if not isinstance(aarq.user_information, InitiateRequest):
            return _DIAG_NO_REASON
        if client_sap == PUBLIC_CLIENT:
            return None if mechanism is Mechanism.NONE else _DIAG_MECHANISM_NOT_RECOGNISED
        if mechanism is Mechanism.NONE:
            return _DIAG_AUTHENTICATION_REQUIRED
        if mechanism is not Mechanism.LLS:
            return _DIAG_MECHANISM_NOT_RECOGNISED
        if not self.meter.accepts_password(aarq.password):
            return _DIAG_AUTHENTICATION_FAILURE
        return None

    # -- GET ---------------------------------------------------------------------------------

    def _get_normal(self, req: GetRequestNormal, ctx: Ctx) -> Reply:
        result = self.meter.get(req.descriptor, req.access, ctx)
        return self._send_get(GetResponseNormal(result, req.invoke), req.invoke,
                              lambda: encode_data(result) if isinstance(result, Data) else b"")

    def _get_list(self, req: GetRequestWithList, ctx: Ctx) -> Reply:
        access = req.access or (None,) * len(req.descriptors)
        results = tuple(self.meter.get(d, a, ctx) for d, a in zip(req.descriptors, access,
                                                                 strict=True))
        return self._send_get(
            GetResponseWithList(results, req.invoke), req.invoke,
            lambda: encode_length(len(results)) + b"".join(map(encode_get_result, results)))

    def _send_get(self, response: object, invoke: InvokeIdAndPriority,
                  raw_data: Callable[[], bytes]) -> Reply:
        """Send ``response`` whole if it fits, else its raw data as datablocks."""
        self._get_blocks.clear()
        encoded = encode_apdu(response)
        size = self._assoc.pdu_size if self._assoc else self.meter.config.max_pdu_size
        block = min(size - _BLOCK_OVERHEAD, self.meter.config.block_size or size)
        raw = raw_data()
        if len(encoded) <= size and (not raw or len(raw) <= block):
            return Reply(encoded)
        self._get_blocks.extend(raw[i:i + block] for i in range(0, len(raw), block))
        self._get_block_number = 0
        return self._next_block(invoke)

    def _next_block(self, invoke: InvokeIdAndPriority) -> Reply:
        self._get_block_number += 1
        chunk = self._get_blocks.popleft()
        last = not self._get_blocks
        response = GetResponseWithDatablock(last, self._get_block_number, chunk, invoke)
        return Reply(encode_apdu(response), partial_block=not last)

    def _get_next(self, req: GetRequestNext, ctx: Ctx) -> Reply:
        if not self._get_blocks:
            error = DataAccessResult.NO_LONG_GET_IN_PROGRESS
        elif req.block_number != self._get_block_number:
            error = DataAccessResult.DATA_BLOCK_NUMBER_INVALID
            self._get_blocks.clear()
        else:
            return self._next_block(req.invoke)
        response = GetResponseWithDatablock(True, req.block_number, error, req.invoke)
        return Reply(encode_apdu(response))

    # -- SET ---------------------------------------------------------------------------------

    def _set_normal(self, req: SetRequestNormal, ctx: Ctx) -> Reply:
        result = self.meter.set(req.descriptor, req.value, ctx)
        return Reply(encode_apdu(SetResponseNormal(result, req.invoke)))

    def _set_list(self, req: SetRequestWithList, ctx: Ctx) -> Reply:
        results = tuple(self.meter.set(d, v, ctx)
                        for d, v in zip(req.descriptors, req.values, strict=True))
        return Reply(encode_apdu(SetResponseWithList(results, req.invoke)))

    def _set_first(self, req: SetRequestWithFirstDatablock | SetRequestWithListAndFirstDatablock,
                   ctx: Ctx) -> Reply:
        self._set = _open_transfer(req, "SET-Request-with-datablock")
        return self._set_block(req, ctx)

    def _set_block(self, req: SetRequestWithDatablock | SetRequestWithFirstDatablock
                   | SetRequestWithListAndFirstDatablock, ctx: Ctx) -> Reply:
        transfer = self._set
        refusal = (DataAccessResult.NO_LONG_SET_IN_PROGRESS if transfer is None
                   else transfer.add(req.block_number, req.raw, req.last_block))
        if transfer is None or refusal is not None:
            self._set = None
            refusal = refusal or DataAccessResult.NO_LONG_SET_IN_PROGRESS
            return Reply(encode_apdu(SetResponseLastDatablock(refusal, req.block_number,
                                                              req.invoke)))
        if not req.last_block:
            return Reply(encode_apdu(SetResponseDatablock(req.block_number, req.invoke)))
        self._set = None
        results = self._apply_set(transfer, ctx)
        if transfer.with_list:
            response: object = SetResponseLastDatablockWithList(results, req.block_number,
                                                                 req.invoke)
        else:
            response = SetResponseLastDatablock(results[0], req.block_number, req.invoke)
        return Reply(encode_apdu(response))

    def _apply_set(self, transfer: BlockTransfer[AttributeDescriptor],
                   ctx: Ctx) -> tuple[DataAccessResult, ...]:
        values = transfer.values()
        if values is None:
            return (DataAccessResult.TYPE_UNMATCHED,) * len(transfer.targets)
        return tuple(self.meter.set(d, v, ctx)
                     for d, v in zip(transfer.targets, values, strict=True))

    # -- ACTION ------------------------------------------------------------------------------

    def _action_normal(self, req: ActionRequestNormal, ctx: Ctx) -> Reply:
        result, value = self.meter.action(req.descriptor, req.parameters, ctx)
        encoded = encode_apdu(ActionResponseNormal(result, value, req.invoke))
        if value is None and self.meter.config.has_quirk(ACTION_NO_OPTIONAL):
            encoded = encoded[:-1]  # the absent OPTIONAL's 00, left out as gurux's server does
        return Reply(encoded)

    def _action_list(self, req: ActionRequestWithList, ctx: Ctx) -> Reply:
        outcomes = tuple(ActionOutcome(*self.meter.action(d, p, ctx))
                         for d, p in zip(req.descriptors, req.parameters, strict=True))
        return Reply(encode_apdu(ActionResponseWithList(outcomes, req.invoke)))

    def _action_first(self, req: ActionRequestWithFirstPblock
                      | ActionRequestWithListAndFirstPblock, ctx: Ctx) -> Reply:
        self._action = _open_transfer(req, "ACTION-Request-with-pblock")
        return self._action_block(req, ctx)

    def _action_block(self, req: ActionRequestWithPblock | ActionRequestWithFirstPblock
                      | ActionRequestWithListAndFirstPblock, ctx: Ctx) -> Reply:
        """One parameter block; the call runs once the last block is in."""
        transfer = self._action
        refused = transfer is None or transfer.add(req.block_number, req.raw,
                                                   req.last_block) is not None
        if transfer is None or refused:
            self._action = None
            result = (ActionResult.NO_LONG_ACTION_IN_PROGRESS if transfer is None
                      else ActionResult.LONG_ACTION_ABORTED)
            return Reply(encode_apdu(ActionResponseNormal(result, None, req.invoke)))
        if not req.last_block:
            return Reply(encode_apdu(ActionResponseNext(req.block_number, req.invoke)))
        self._action = None
        outcomes = self._run_actions(transfer, ctx)
        if transfer.with_list:
            return Reply(encode_apdu(ActionResponseWithList(outcomes, req.invoke)))
        return Reply(encode_apdu(ActionResponseNormal(outcomes[0].result,
                                                      outcomes[0].return_value, req.invoke)))

    def _run_actions(self, transfer: BlockTransfer[MethodDescriptor],
                     ctx: Ctx) -> tuple[ActionOutcome, ...]:
        values = transfer.values()
        if values is None:
            return (ActionOutcome(ActionResult.TYPE_UNMATCHED),) * len(transfer.targets)
        return tuple(ActionOutcome(*self.meter.action(d, v, ctx))
                     for d, v in zip(transfer.targets, values, strict=True))


def _open_transfer(req: SetRequestWithFirstDatablock | SetRequestWithListAndFirstDatablock
                   | ActionRequestWithFirstPblock | ActionRequestWithListAndFirstPblock,
                   what: str) -> BlockTransfer[Any]:
    """The transfer a first block opens: for its one target, or for its list of targets
    (then the joined blocks start with the count of values)."""
    if isinstance(req, SetRequestWithListAndFirstDatablock | ActionRequestWithListAndFirstPblock):
        return BlockTransfer(req.descriptors, True, req.block_number, what)
    return BlockTransfer((req.descriptor,), False, req.block_number, what)
