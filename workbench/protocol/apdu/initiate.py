"""xDLMS Initiate exchange (carried inside AARQ/AARE) and the two error APDUs.

InitiateRequest/Response negotiate the DLMS version, the conformance block (which services
both sides support) and the maximum APDU size. ConfirmedServiceError answers an Initiate
(or SN service) the server refuses; ExceptionResponse answers any APDU the server cannot
handle in its current state. Both carry codes only, so each gets a ``describe()`` that says
in plain words what went wrong and what to try.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntFlag

from workbench.protocol.fields import DLMS, Cursor, encode_axdr_length, uint

from . import names

__all__ = [
    "PROPOSED_LN_CONFORMANCE",
    "VAA_NAME_LN",
    "VAA_NAME_SN",
    "ConfirmedServiceError",
    "Conformance",
    "ExceptionResponse",
    "InitiateRequest",
    "InitiateResponse",
]

VAA_NAME_LN = 0x0007
VAA_NAME_SN = 0xFA00
_CONFORMANCE_HEADER = b"\x5f\x1f\x04\x00"  # [APPLICATION 31] IMPLICIT BIT STRING, 24 bits


class Conformance(IntFlag):
    """The 24-bit conformance block; bit n of the ASN.1 BIT STRING is ``1 << (23 - n)``,
    so ``int(c).to_bytes(3, "big")`` is exactly the wire form."""

    RESERVED_ZERO = 1 << 23
    GENERAL_PROTECTION = 1 << 22
    GENERAL_BLOCK_TRANSFER = 1 << 21
    READ = 1 << 20
    WRITE = 1 << 19
    UNCONFIRMED_WRITE = 1 << 18
    DELTA_VALUE_ENCODING = 1 << 17
    RESERVED_SEVEN = 1 << 16
    ATTRIBUTE0_SUPPORTED_WITH_SET = 1 << 15
    PRIORITY_MGMT_SUPPORTED = 1 << 14
    ATTRIBUTE0_SUPPORTED_WITH_GET = 1 << 13
    BLOCK_TRANSFER_WITH_GET_OR_READ = 1 << 12
    BLOCK_TRANSFER_WITH_SET_OR_WRITE = 1 << 11
    BLOCK_TRANSFER_WITH_ACTION = 1 << 10
    MULTIPLE_REFERENCES = 1 << 9
    INFORMATION_REPORT = 1 << 8
    DATA_NOTIFICATION = 1 << 7
    ACCESS = 1 << 6
    PARAMETERIZED_ACCESS = 1 << 5
    GET = 1 << 4
    SET = 1 << 3
    SELECTIVE_ACCESS = 1 << 2
    EVENT_NOTIFICATION = 1 << 1
    ACTION = 1 << 0

    def labels(self) -> list[str]:
        """Standard names of the bits set, in bit order ("get", "set", ...)."""
        return [label for bit, label in names.CONFORMANCE_BITS.items()
                if self & (1 << (23 - bit))]


PROPOSED_LN_CONFORMANCE = (
    Conformance.BLOCK_TRANSFER_WITH_GET_OR_READ | Conformance.BLOCK_TRANSFER_WITH_SET_OR_WRITE
    | Conformance.BLOCK_TRANSFER_WITH_ACTION | Conformance.MULTIPLE_REFERENCES
    | Conformance.GET | Conformance.SET | Conformance.SELECTIVE_ACCESS | Conformance.ACTION
)


@dataclass(frozen=True, slots=True)
class InitiateRequest:
    """xDLMS InitiateRequest (tag 0x01): what the client proposes."""

    conformance: Conformance = PROPOSED_LN_CONFORMANCE
    max_pdu_size: int = 0xFFFF
    dlms_version: int = 6
    dedicated_key: bytes | None = field(default=None, repr=False)
    response_allowed: bool = True
    quality_of_service: int | None = None


@dataclass(frozen=True, slots=True)
class InitiateResponse:
    """xDLMS InitiateResponse (tag 0x08): what the server accepted."""

    conformance: Conformance
    max_pdu_size: int
    dlms_version: int = 6
    vaa_name: int = VAA_NAME_LN
    quality_of_service: int | None = None


@dataclass(frozen=True, slots=True)
class ConfirmedServiceError:
    """ConfirmedServiceError (tag 0x0E): service (1 initiateError...), error kind, code."""

    service: int
    kind: int
    code: int

    def describe(self) -> str:
        """E.g. "initiateError: initiate / dlms-version-too-low — ..."."""
        kind = names.label(names.SERVICE_ERROR_KINDS, self.kind)
        code = names.label(names.SERVICE_ERRORS.get(self.kind, {}), self.code)
        text = f"{names.label(names.CONFIRMED_SERVICES, self.service)}: {kind} / {code}"
        advice = _INITIATE_ADVICE.get(self.code) if self.kind == 6 else None
        return f"{text} — {advice}" if advice else text


_INITIATE_ADVICE = {
    1: "the meter needs a newer DLMS version than proposed (use 6)",
    2: "the meter shares none of the proposed services — check the conformance block",
    3: "the proposed maximum PDU size is too small for the meter — raise it",
}


@dataclass(frozen=True, slots=True)
class ExceptionResponse:
    """ExceptionResponse (tag 0xD8): the server could not handle the APDU at all."""

    state_error: int
    service_error: int
    invocation_counter: int | None = None

    def describe(self) -> str:
        state = names.label(names.EXCEPTION_STATE_ERRORS, self.state_error)
        service = names.label(names.EXCEPTION_SERVICE_ERRORS, self.service_error)
        advice = _EXCEPTION_ADVICE.get(self.service_error) or _EXCEPTION_ADVICE_STATE.get(
            self.state_error, "")
        text = f"the meter refused the request: {state}, {service}"
        return f"{text} — {advice}" if advice else text


_EXCEPTION_ADVICE_STATE = {
    1: "the request is not allowed now — associate (AARQ) before GET/SET/ACTION",
    2: "the meter does not know this service",
}
_EXCEPTION_ADVICE = {
    2: "the service is not in the negotiated conformance — check what the AARE accepted",
    4: "the request is longer than the meter accepts — lower the PDU size or split the list",
    5: "the meter could not decipher the request — check the keys",
    6: "the invocation counter is too low — resynchronise it",
}


def _conformance_bytes(c: Conformance) -> bytes:
    return _CONFORMANCE_HEADER + uint(int(c), 3, "conformance")


def _optional_u8(value: int | None, what: str) -> bytes:
    return b"\x00" if value is None else b"\x01" + uint(value, 1, what)


def encode_initiate_request(req: InitiateRequest) -> bytes:
    key = b"\x00"
    if req.dedicated_key is not None:
        key = b"\x01" + encode_axdr_length(len(req.dedicated_key)) + req.dedicated_key
    return (b"\x01" + key + (b"\x00" if req.response_allowed else b"\x01\x00")
            + _optional_u8(req.quality_of_service, "quality of service")
            + uint(req.dlms_version, 1, "DLMS version") + _conformance_bytes(req.conformance)
            + uint(req.max_pdu_size, 2, "max PDU size"))


def encode_initiate_response(resp: InitiateResponse) -> bytes:
    return (b"\x08" + _optional_u8(resp.quality_of_service, "quality of service")
            + uint(resp.dlms_version, 1, "DLMS version") + _conformance_bytes(resp.conformance)
            + uint(resp.max_pdu_size, 2, "max PDU size") + uint(resp.vaa_name, 2, "VAA name"))


def encode_confirmed_service_error(err: ConfirmedServiceError) -> bytes:
    return b"\x0e" + b"".join(uint(v, 1, name) for v, name in (
        (err.service, "service"), (err.kind, "service error kind"), (err.code, "error code")))


def encode_exception_response(exc: ExceptionResponse) -> bytes:
    out = b"\xd8" + uint(exc.state_error, 1, "state error") + uint(
        exc.service_error, 1, "service error")
    if exc.service_error == 6:
        out += uint(exc.invocation_counter or 0, 4, "invocation counter")
    return out


def _conformance(cur: Cursor) -> Conformance:
    start = cur.pos
    cur.need(7, "conformance block")
    if cur.buf[start:start + 4] != _CONFORMANCE_HEADER:
        raise cur.error("bad conformance block header", length=4,
                        got=cur.buf[start:start + 4].hex(" "), expected="5F 1F 04 00")
    cur.pos += 7
    value = Conformance(int.from_bytes(cur.buf[start + 4:start + 7], "big"))
    cur.note(DLMS.CONFORMANCE, start, ", ".join(value.labels()) or "none")
    return value


def decode_initiate_request(cur: Cursor) -> InitiateRequest:
    cur.tag(names.APDU_TAGS)
    key = (cur.octets(DLMS.DEDICATED_KEY, secret=True)
           if cur.present(DLMS.DEDICATED_KEY_PRESENT, "dedicated-key") else None)
    allowed = (bool(cur.u8(DLMS.RESPONSE_ALLOWED))
               if cur.present(DLMS.RESPONSE_ALLOWED_PRESENT, "response-allowed") else True)
    qos = (cur.u8(DLMS.PROPOSED_QOS)
           if cur.present(DLMS.QOS_PRESENT, "quality-of-service") else None)
    version = cur.u8(DLMS.PROPOSED_VERSION)
    conformance = _conformance(cur)
    size = cur.u16(DLMS.CLIENT_MAX_PDU)
    return InitiateRequest(conformance, size, version, key, allowed, qos)


def decode_initiate_response(cur: Cursor) -> InitiateResponse:
    cur.tag(names.APDU_TAGS)
    qos = (cur.u8(DLMS.NEGOTIATED_QOS)
           if cur.present(DLMS.QOS_PRESENT, "quality-of-service") else None)
    version = cur.u8(DLMS.NEGOTIATED_VERSION)
    conformance = _conformance(cur)
    size = cur.u16(DLMS.SERVER_MAX_PDU)
    vaa = cur.uint(2, DLMS.VAA_NAME, {VAA_NAME_LN: "logical names", VAA_NAME_SN: "short names"})
    return InitiateResponse(conformance, size, version, vaa, qos)


def decode_confirmed_service_error(cur: Cursor) -> ConfirmedServiceError:
    cur.tag(names.APDU_TAGS)
    service = cur.u8(DLMS.SERVICE, names.CONFIRMED_SERVICES)
    kind = cur.u8(DLMS.SERVICE_ERROR, names.SERVICE_ERROR_KINDS)
    code = cur.u8(DLMS.ERROR_CODE, names.SERVICE_ERRORS.get(kind, {}))
    return ConfirmedServiceError(service, kind, code)


def decode_exception_response(cur: Cursor) -> ExceptionResponse:
    cur.tag(names.APDU_TAGS)
    state = cur.u8(DLMS.STATE_ERROR, names.EXCEPTION_STATE_ERRORS)
    service = cur.u8(DLMS.SERVICE_ERROR, names.EXCEPTION_SERVICE_ERRORS)
    counter = cur.u32(DLMS.INVOCATION_COUNTER) if service == 6 else None
    return ExceptionResponse(state, service, counter)
