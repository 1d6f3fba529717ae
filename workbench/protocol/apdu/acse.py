"""ACSE association APDUs (AARQ, AARE, RLRQ, RLRE) in BER, with the xDLMS Initiate inside.

Why decoding is table driven: each APDU is a BER SEQUENCE of optional, context-tagged
elements in any subset. One loop reads the elements and looks each tag up in a per-APDU
table of (field, label, parser); unknown elements (implementation-information, AE
qualifiers...) are recorded and skipped, as ACSE's extensibility requires. Every parser
records its span, and the AARQ password is recorded as a ``secret`` node.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import cast

from workbench.protocol.errors import DecodeError
from workbench.protocol.fields import ACSE, DLMS, Cursor, Field, Recorder

from . import names
from .ber import Tlv, decode_integer, decode_oid, encode_integer, encode_oid, read_tlv, tlv
from .initiate import (
    ConfirmedServiceError,
    InitiateRequest,
    InitiateResponse,
    decode_confirmed_service_error,
    decode_initiate_request,
    decode_initiate_response,
    encode_confirmed_service_error,
    encode_initiate_request,
    encode_initiate_response,
)

__all__ = [
    "Aare",
    "Aarq",
    "ApplicationContext",
    "AssociationResult",
    "DiagnosticSource",
    "Mechanism",
    "Rlre",
    "Rlrq",
    "decode_acse",
    "describe_aare",
    "encode_acse",
]

_CONTEXT_ARCS = (2, 16, 756, 5, 8, 1)
_MECHANISM_ARCS = (2, 16, 756, 5, 8, 2)
_AUTH_REQUIREMENT = b"\x07\x80"  # BIT STRING, 7 unused bits, bit 0 = authentication
#: protocol-version BIT STRING {version1 (0)}: 7 unused bits, bit 0 set. The same two bytes
#: as the authentication requirement, but a different field with a different meaning.
_PROTOCOL_VERSION_1 = b"\x07\x80"


class ApplicationContext(IntEnum):
    """Application context name: the last arc of OID 2.16.756.5.8.1.x."""

    LN = 1
    SN = 2
    LN_CIPHERED = 3
    SN_CIPHERED = 4

    @property
    def oid(self) -> tuple[int, ...]:
        return (*_CONTEXT_ARCS, int(self))


class Mechanism(IntEnum):
    """Authentication mechanism name: the last arc of OID 2.16.756.5.8.2.x."""

    NONE = 0
    LLS = 1
    HLS = 2
    HLS_MD5 = 3
    HLS_SHA1 = 4
    HLS_GMAC = 5
    HLS_SHA256 = 6
    HLS_ECDSA = 7

    @property
    def oid(self) -> tuple[int, ...]:
        return (*_MECHANISM_ARCS, int(self))


class AssociationResult(IntEnum):
    ACCEPTED = 0
    REJECTED_PERMANENT = 1
    REJECTED_TRANSIENT = 2


class DiagnosticSource(IntEnum):
    """Who produced the AARE diagnostic: the ACSE service user (the meter's application)
    or the ACSE service provider."""

    USER = 1
    PROVIDER = 2


@dataclass(frozen=True, slots=True)
class Aarq:
    """Association request. ``password`` is the LLS secret (never shown in ``repr``)."""

    context: ApplicationContext = ApplicationContext.LN
    mechanism: Mechanism | None = None
    password: bytes | None = field(default=None, repr=False)
    calling_ap_title: bytes | None = None
    called_ap_title: bytes | None = None
    user_information: InitiateRequest | bytes | None = field(default_factory=InitiateRequest)
    protocol_version: bool = False


@dataclass(frozen=True, slots=True)
class Aare:
    """Association response; ``challenge`` is the server-to-client HLS challenge."""

    result: AssociationResult
    diagnostic: int = 0
    diagnostic_source: DiagnosticSource = DiagnosticSource.USER
    context: ApplicationContext = ApplicationContext.LN
    mechanism: Mechanism | None = None
    responding_ap_title: bytes | None = None
    challenge: bytes | None = None
    user_information: InitiateResponse | ConfirmedServiceError | bytes | None = None


@dataclass(frozen=True, slots=True)
class Rlrq:
    """Release request; reason 0 normal, 1 urgent, 30 user-defined."""

    reason: int | None = None
    user_information: InitiateRequest | bytes | None = None


@dataclass(frozen=True, slots=True)
class Rlre:
    """Release response; reason 0 normal, 1 not-finished, 30 user-defined."""

    reason: int | None = None
    user_information: InitiateResponse | bytes | None = None


def describe_aare(aare: Aare) -> str:
    """Plain-language outcome of an association, with what to try when rejected.

    >>> describe_aare(Aare(AssociationResult.REJECTED_PERMANENT, 13))
    'rejected (permanent): authentication failure — wrong password, or this client \
address does not accept it'
    """
    text = names.label(names.ASSOCIATION_RESULTS, aare.result)
    if aare.result != AssociationResult.ACCEPTED or aare.diagnostic:
        table = (names.ACSE_USER_DIAGNOSTICS if aare.diagnostic_source == DiagnosticSource.USER
                 else names.ACSE_PROVIDER_DIAGNOSTICS)
        text += ": " + names.label(table, aare.diagnostic).replace("-", " ")
        if aare.diagnostic_source == DiagnosticSource.USER:
            advice = names.ACSE_USER_DIAGNOSTIC_ADVICE.get(aare.diagnostic)
            text += f" — {advice}" if advice else ""
    if isinstance(aare.user_information, ConfirmedServiceError):
        text += f"; {aare.user_information.describe()}"
    return text


# ---------------------------------------------------------------- encoding

def _user_info(info: object) -> bytes:
    if isinstance(info, InitiateRequest):
        body = encode_initiate_request(info)
    elif isinstance(info, InitiateResponse):
        body = encode_initiate_response(info)
    elif isinstance(info, ConfirmedServiceError):
        body = encode_confirmed_service_error(info)
    else:
        body = bytes(info)  # type: ignore[call-overload]
    return tlv(0xBE, tlv(0x04, body))


def _title(tag: int, title: bytes | None) -> bytes:
    return b"" if title is None else tlv(tag, tlv(0x04, title))


def _mechanism(req_tag: int, mech: Mechanism | None) -> bytes:
    if mech is None:
        return b""
    return tlv(req_tag, _AUTH_REQUIREMENT) + tlv(req_tag + 1, encode_oid(mech.oid))


def encode_acse(apdu: Aarq | Aare | Rlrq | Rlre) -> bytes:
    """BER-encode an ACSE APDU, elements in ascending tag order."""
    if isinstance(apdu, Aarq):
        parts = [tlv(0x80, _PROTOCOL_VERSION_1) if apdu.protocol_version else b"",
                 tlv(0xA1, tlv(0x06, encode_oid(apdu.context.oid))),
                 _title(0xA2, apdu.called_ap_title), _title(0xA6, apdu.calling_ap_title),
                 _mechanism(0x8A, apdu.mechanism),
                 b"" if apdu.password is None else tlv(0xAC, tlv(0x80, apdu.password))]
        tag = 0x60
    elif isinstance(apdu, Aare):
        parts = [tlv(0xA1, tlv(0x06, encode_oid(apdu.context.oid))),
                 tlv(0xA2, tlv(0x02, encode_integer(apdu.result))),
                 tlv(0xA3, tlv(0xA0 + apdu.diagnostic_source,
                               tlv(0x02, encode_integer(apdu.diagnostic)))),
                 _title(0xA4, apdu.responding_ap_title), _mechanism(0x88, apdu.mechanism),
                 b"" if apdu.challenge is None else tlv(0xAA, tlv(0x80, apdu.challenge))]
        tag = 0x61
    else:
        parts = [b"" if apdu.reason is None else tlv(0x80, encode_integer(apdu.reason))]
        tag = 0x62 if isinstance(apdu, Rlrq) else 0x63
    if apdu.user_information is not None:
        parts.append(_user_info(apdu.user_information))
    return tlv(tag, b"".join(parts))


# ---------------------------------------------------------------- decoding

Parser = Callable[[bytes, Tlv, Recorder | None, str], tuple[object, str]]


def _inner(buf: bytes, t: Tlv, want: int, what: str) -> Tlv:
    """The single element wrapped by an explicit tag, which must be ``want``."""
    inner = read_tlv(buf, t.start, t.end, what)
    if inner.tag != want or inner.end != t.end:
        got = f"tag 0x{inner.tag:02X}" if inner.tag != want else "trailing bytes"
        raise DecodeError(f"bad content in element 0x{t.tag:02X}", offset=inner.offset,
                          got=got, expected=f"one element with tag 0x{want:02X}", what=what)
    return inner


def _known_arc(buf: bytes, t: Tlv, arcs: tuple[int, ...], enum: type[IntEnum],
               what: str) -> tuple[object, str]:
    oid = decode_oid(buf[t.start:t.end], t.start, what)
    dotted = ".".join(map(str, oid))
    if oid[:-1] != arcs or oid[-1] not in enum._value2member_map_:
        raise DecodeError("unknown object identifier", offset=t.start, length=t.end - t.start,
                          got=dotted, expected=f"{'.'.join(map(str, arcs))}.x", what=what)
    value = enum(oid[-1])
    table = names.APPLICATION_CONTEXTS if enum is ApplicationContext else names.MECHANISMS
    return value, f"{table[value]} ({dotted})"


def _context(buf: bytes, t: Tlv, rec: Recorder | None, what: str) -> tuple[object, str]:
    return _known_arc(buf, _inner(buf, t, 0x06, what), _CONTEXT_ARCS, ApplicationContext, what)


def _mechanism_name(buf: bytes, t: Tlv, rec: Recorder | None, what: str) -> tuple[object, str]:
    return _known_arc(buf, t, _MECHANISM_ARCS, Mechanism, what)


def _one_flag(expected: bytes, meaning: str) -> Parser:
    """Parser of a BIT STRING with one defined flag: True (and ``meaning``) when it is set."""
    def parse(buf: bytes, t: Tlv, rec: Recorder | None, what: str) -> tuple[object, str]:
        bits = buf[t.start:t.end]
        return bits == expected, meaning if bits == expected else bits.hex(" ")
    return parse


_requirements = _one_flag(_AUTH_REQUIREMENT, "authentication")
_protocol_version = _one_flag(_PROTOCOL_VERSION_1, "version1")


def _ap_title(buf: bytes, t: Tlv, rec: Recorder | None, what: str) -> tuple[object, str]:
    inner = _inner(buf, t, 0x04, what)
    return buf[inner.start:inner.end], buf[inner.start:inner.end].hex(" ")


def _integer(t: Tlv, buf: bytes, what: str) -> int:
    return decode_integer(buf[t.start:t.end], t.start, what)


def _result(buf: bytes, t: Tlv, rec: Recorder | None, what: str) -> tuple[object, str]:
    inner = _inner(buf, t, 0x02, what)
    code = _integer(inner, buf, what)
    if code not in AssociationResult._value2member_map_:
        raise DecodeError("unknown association result", offset=inner.start, got=str(code),
                          expected="0, 1 or 2", what=what)
    return AssociationResult(code), names.ASSOCIATION_RESULTS[code]


def _diagnostic(buf: bytes, t: Tlv, rec: Recorder | None, what: str) -> tuple[object, str]:
    choice = read_tlv(buf, t.start, t.end, what)
    if choice.tag not in (0xA1, 0xA2):
        raise DecodeError("bad result-source-diagnostic", offset=choice.offset,
                          got=f"tag 0x{choice.tag:02X}", expected="0xA1 (user) or 0xA2 "
                          "(provider)", what=what)
    code = _integer(_inner(buf, choice, 0x02, what), buf, what)
    source = DiagnosticSource(choice.tag - 0xA0)
    table = (names.ACSE_USER_DIAGNOSTICS if source == DiagnosticSource.USER
             else names.ACSE_PROVIDER_DIAGNOSTICS)
    return (source, code), f"acse-service-{source.name.lower()}: {names.label(table, code)}"


def _auth_value(secret: bool) -> Parser:
    def parse(buf: bytes, t: Tlv, rec: Recorder | None, what: str) -> tuple[object, str]:
        inner = read_tlv(buf, t.start, t.end, what)
        if inner.tag not in (0x80, 0x81) or inner.end != t.end:
            raise DecodeError("bad authentication value", offset=inner.offset,
                              got=f"tag 0x{inner.tag:02X}", expected="0x80 (GraphicString)",
                              what=what)
        value = buf[inner.start:inner.end]
        if rec is not None:
            rec.item(ACSE.PASSWORD if secret else ACSE.CHALLENGE, inner.start,
                     inner.end - inner.start, "***" if secret else value.hex(" "), secret=secret)
        return value, "***" if secret else f"{len(value)} bytes"
    return parse


def _is_hls(mechanism: object) -> bool:
    """Whether the AARQ's calling-authentication-value is a challenge: any HLS mechanism.
    Without a mechanism it stays a secret (masking too much beats a leak)."""
    return isinstance(mechanism, Mechanism) and mechanism > Mechanism.LLS


def _reason(buf: bytes, t: Tlv, rec: Recorder | None, what: str) -> tuple[object, str]:
    code = _integer(t, buf, what)
    return code, {0: "normal", 1: "urgent / not-finished", 30: "user-defined"}.get(code, str(code))


_USER_INFO_DECODERS = {0x01: decode_initiate_request, 0x08: decode_initiate_response,
                       0x0E: decode_confirmed_service_error}


def _user_information(buf: bytes, t: Tlv, rec: Recorder | None, what: str) -> tuple[object, str]:
    inner = _inner(buf, t, 0x04, what)
    decoder = _USER_INFO_DECODERS.get(buf[inner.start]) if inner.end > inner.start else None
    if decoder is None:  # ciphered (glo-initiate) or unknown: keep the bytes
        return buf[inner.start:inner.end], f"{inner.end - inner.start} bytes (not decoded)"
    cur = Cursor(buf, inner.start, inner.end, rec, f"{what} user-information")
    with cur.group(DLMS.INITIATE, label=names.APDU_TAGS[buf[inner.start]]):
        value = decoder(cur)
        cur.finish()
    return value, type(value).__name__


_AARQ_FIELDS: dict[int, tuple[str, Field, Parser]] = {
    0x80: ("protocol_version", ACSE.PROTOCOL_VERSION, _protocol_version),
    0xA1: ("context", ACSE.CONTEXT, _context),
    0xA2: ("called_ap_title", ACSE.CALLED_AP_TITLE, _ap_title),
    0xA6: ("calling_ap_title", ACSE.CALLING_AP_TITLE, _ap_title),
    0x8A: ("", ACSE.SENDER_REQUIREMENTS, _requirements),
    0x8B: ("mechanism", ACSE.MECHANISM, _mechanism_name),
    0xAC: ("password", ACSE.CALLING_AUTH, _auth_value(secret=True)),
    0xBE: ("user_information", ACSE.USER_INFORMATION, _user_information),
}
_AARE_FIELDS: dict[int, tuple[str, Field, Parser]] = {
    0x80: ("", ACSE.PROTOCOL_VERSION, _protocol_version),
    0xA1: ("context", ACSE.CONTEXT, _context),
    0xA2: ("result", ACSE.RESULT, _result),
    0xA3: ("diagnostic", ACSE.DIAGNOSTIC, _diagnostic),
    0xA4: ("responding_ap_title", ACSE.RESPONDING_AP_TITLE, _ap_title),
    0x88: ("", ACSE.RESPONDER_REQUIREMENTS, _requirements),
    0x89: ("mechanism", ACSE.MECHANISM, _mechanism_name),
    0xAA: ("challenge", ACSE.RESPONDING_AUTH, _auth_value(secret=False)),
    0xBE: ("user_information", ACSE.USER_INFORMATION, _user_information),
}
_RELEASE_FIELDS: dict[int, tuple[str, Field, Parser]] = {
    0x80: ("reason", ACSE.REASON, _reason),
    0xBE: ("user_information", ACSE.USER_INFORMATION, _user_information),
}
_APDUS: dict[int, tuple[type, str, dict[int, tuple[str, Field, Parser]]]] = {
    0x60: (Aarq, "AARQ", _AARQ_FIELDS),
    0x61: (Aare, "AARE", _AARE_FIELDS),
    0x62: (Rlrq, "RLRQ", _RELEASE_FIELDS),
    0x63: (Rlre, "RLRE", _RELEASE_FIELDS),
}
_REQUIRED = {Aarq: ("context",), Aare: ("context", "result", "diagnostic")}


def decode_acse(data: bytes, rec: Recorder | None = None) -> Aarq | Aare | Rlrq | Rlre:
    """Decode one AARQ/AARE/RLRQ/RLRE occupying all of ``data``.

    Raises:
        DecodeError: wrong tag, bad BER, unknown OID, missing mandatory element, or bytes
            after the APDU; the offset points at the offending byte.
    """
    if not data or data[0] not in _APDUS:
        raise DecodeError("not an ACSE APDU", offset=0, got=data[:1].hex() or "nothing",
                          expected="0x60, 0x61, 0x62 or 0x63", what="ACSE")
    cls, what, table = _APDUS[data[0]]
    outer = read_tlv(data, 0, len(data), what)
    if outer.end != len(data):
        raise DecodeError("unexpected trailing bytes", offset=outer.end,
                          length=len(data) - outer.end, expected="end of APDU", what=what)
    if rec is not None:
        rec.item(ACSE.TAG, 0, 1, what)
        rec.item(ACSE.LENGTH, 1, outer.header_length - 1, str(outer.end - outer.start))
    fields = _read_elements(data, outer, table, rec, what)
    missing = [f for f in _REQUIRED.get(cls, ()) if f not in fields]
    if missing:
        raise DecodeError(f"mandatory element {missing[0]} missing", offset=0, what=what)
    fields.setdefault("user_information", None)  # absent means absent, not the default
    if "diagnostic" in fields:
        fields["diagnostic_source"], fields["diagnostic"] = cast(
            tuple[object, object], fields["diagnostic"])
    return cast(Aarq | Aare | Rlrq | Rlre, cls(**fields))


def _read_elements(data: bytes, outer: Tlv, table: dict[int, tuple[str, Field, Parser]],
                   rec: Recorder | None, what: str) -> dict[str, object]:
    fields: dict[str, object] = {}
    pos = outer.start
    while pos < outer.end:
        t = read_tlv(data, pos, outer.end, what)
        name, field, parse = table.get(t.tag, ("", ACSE.UNKNOWN, None))
        if t.tag == 0xAC and _is_hls(fields.get("mechanism")):
            parse = _auth_value(secret=False)  # an HLS challenge (CtoS), not a password
        if rec is None:
            value = parse(data, t, None, what)[0] if parse else None
        else:
            label = None if parse else f"element 0x{t.tag:02X} (skipped)"
            with rec.subtree(field, t.offset, label=label) as node:
                value, node.value = parse(data, t, rec, what) if parse else (None, "")
            rec.set_end(node, t.end)
        if name:
            fields[name] = value
        pos = t.end
    return fields
