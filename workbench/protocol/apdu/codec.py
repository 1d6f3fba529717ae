"""Whole APDUs: ``encode_apdu`` / ``decode_apdu`` dispatching on the first byte (the tag).

Why dispatch tables: the tag alone decides the codec (as in Wireshark's COSEM dissector),
so adding a service is one row here; the LN services contribute their classes through their
CHOICE tables (``GET_REQUESTS`` ...). ``decode_apdu`` insists that the whole buffer is one
APDU, so a misunderstood length shows up as an error instead of silently lost bytes.

One decoder with an optional recorder (not two, as for HDLC frames and A-XDR Data): APDU
fields are few, so the ``if rec`` per field costs little; the embedded Data still takes the
fast or recording A-XDR decoder. tests/protocol/test_decoder_pairs.py checks that decoding
with and without a recorder gives the same APDU, the same warnings and the same errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.protocol.errors import DecodeError, EncodeError
from workbench.protocol.fields import DLMS, Cursor, Recorder

from . import names
from .acse import Aare, Aarq, Rlre, Rlrq, decode_acse, encode_acse
from .action import (
    ACTION_REQUESTS,
    ACTION_RESPONSES,
    decode_action_request,
    decode_action_response,
    encode_action_request,
    encode_action_response,
)
from .ciphered import (
    CIPHERED_TAGS,
    CipheredApdu,
    GeneralCiphering,
    GeneralSigning,
    decode_ciphered,
    encode_ciphered,
)
from .get import (
    GET_REQUESTS,
    GET_RESPONSES,
    decode_get_request,
    decode_get_response,
    encode_get_request,
    encode_get_response,
)
from .initiate import (
    ConfirmedServiceError,
    ExceptionResponse,
    InitiateRequest,
    InitiateResponse,
    decode_confirmed_service_error,
    decode_exception_response,
    decode_initiate_request,
    decode_initiate_response,
    encode_confirmed_service_error,
    encode_exception_response,
    encode_initiate_request,
    encode_initiate_response,
)
from .notify import (
    AccessRequest,
    AccessResponse,
    DataNotification,
    EventNotification,
    decode_access,
    decode_data_notification,
    decode_event_notification,
    encode_access,
    encode_data_notification,
    encode_event_notification,
)
from .parts import Variants
from .set import (
    SET_REQUESTS,
    SET_RESPONSES,
    decode_set_request,
    decode_set_response,
    encode_set_request,
    encode_set_response,
)
from .sn import (
    InformationReport,
    ReadRequest,
    ReadResponse,
    UnconfirmedWriteRequest,
    WriteRequest,
    WriteResponse,
    decode_sn,
    encode_sn,
)
from .transfer import GatewayApdu, GeneralBlockTransfer, decode_transfer, encode_transfer

__all__ = ["decode_apdu", "encode_apdu"]

_Encoder = Callable[[Any], bytes]  # each takes its own dataclasses; dispatch picks the right one
_Decoder = Callable[[Cursor], object]

_SERVICES: tuple[tuple[Variants, _Encoder, _Decoder], ...] = (
    (GET_REQUESTS, encode_get_request, decode_get_request),
    (GET_RESPONSES, encode_get_response, decode_get_response),
    (SET_REQUESTS, encode_set_request, decode_set_request),
    (SET_RESPONSES, encode_set_response, decode_set_response),
    (ACTION_REQUESTS, encode_action_request, decode_action_request),
    (ACTION_RESPONSES, encode_action_response,
     decode_action_response),
)
_OTHERS: tuple[tuple[int, type, _Encoder, _Decoder], ...] = (
    (0x01, InitiateRequest, encode_initiate_request,
     decode_initiate_request),
    (0x08, InitiateResponse, encode_initiate_response,
     decode_initiate_response),
    (0x0E, ConfirmedServiceError, encode_confirmed_service_error,
     decode_confirmed_service_error),
    (0xD8, ExceptionResponse, encode_exception_response,
     decode_exception_response),
    (0x0F, DataNotification, encode_data_notification,
     decode_data_notification),
    (0xC2, EventNotification, encode_event_notification,
     decode_event_notification),
    (0xD9, AccessRequest, encode_access, decode_access),
    (0xDA, AccessResponse, encode_access, decode_access),
    (0x05, ReadRequest, encode_sn, decode_sn),
    (0x06, WriteRequest, encode_sn, decode_sn),
    (0x0C, ReadResponse, encode_sn, decode_sn),
    (0x0D, WriteResponse, encode_sn, decode_sn),
    (0x16, UnconfirmedWriteRequest, encode_sn, decode_sn),
    (0x18, InformationReport, encode_sn, decode_sn),
    (0xDD, GeneralCiphering, encode_ciphered, decode_ciphered),
    (0xDF, GeneralSigning, encode_ciphered, decode_ciphered),
    (0xE0, GeneralBlockTransfer, encode_transfer, decode_transfer),
    (0xE6, GatewayApdu, encode_transfer, decode_transfer),
    (0xE7, GatewayApdu, encode_transfer, decode_transfer),
)

_ENCODERS: dict[type, _Encoder] = {
    **dict.fromkeys((Aarq, Aare, Rlrq, Rlre), encode_acse),
    CipheredApdu: encode_ciphered,
    **{cls: encode for _, cls, encode, _ in _OTHERS},
    **{cls: encode for table, encode, _ in _SERVICES for _, _, cls in table.rows},
}
_DECODERS: dict[int, _Decoder] = {
    **{tag: decode for tag, _, _, decode in _OTHERS},
    **{table.tag: decode for table, _, decode in _SERVICES},
    **dict.fromkeys(CIPHERED_TAGS, decode_ciphered),
}
_ACSE_TAGS = frozenset((0x60, 0x61, 0x62, 0x63))


def encode_apdu(obj: object) -> bytes:
    """Encode any APDU dataclass of this package.

    Raises:
        EncodeError: ``obj`` is not an APDU, or a field is out of range for its encoding.
    """
    encoder = _ENCODERS.get(type(obj))
    if encoder is None:
        raise EncodeError(f"{type(obj).__name__} is not an APDU this codec can encode")
    return encoder(obj)


def decode_apdu(data: bytes | bytearray | memoryview, rec: Recorder | None = None, *,
                warnings: list[str] | None = None) -> object:
    """Decode one APDU filling all of ``data``; with ``rec``, record every field.

    Tolerant reading: where a real meter deviates from the standard in a way with one
    clear meaning (a date-time with month 0, an ACTION-Response without its OPTIONAL
    byte ...), the APDU is decoded anyway and each deviation is reported once as a line
    appended to ``warnings`` (when given) and as a warning node in ``rec`` (when given).
    What cannot be read stays a DecodeError carrying the offset and the bytes.

    Returns:
        The APDU dataclass (``GetResponseNormal``, ``Aare``, ...).

    Raises:
        DecodeError: empty input, unknown or unsupported tag (named), malformed content,
            or trailing bytes; the offset points into ``data``.
    """
    data = bytes(data)
    if not data:
        raise DecodeError("empty APDU", offset=0, expected="an APDU tag", what="APDU")
    tag = data[0]
    what = names.APDU_TAGS.get(tag, f"APDU 0x{tag:02X}")
    decoder = _DECODERS.get(tag)
    if decoder is None and tag not in _ACSE_TAGS:
        known = tag in names.APDU_TAGS
        raise DecodeError("unsupported APDU" if known else "unknown APDU tag", offset=0,
                          got=f"0x{tag:02X} ({what})" if known else f"0x{tag:02X}",
                          expected="an xDLMS or ACSE APDU tag of IEC 62056-5-3", what="APDU")
    if rec is None:
        return _decode(data, decoder, None, what, warnings)
    with rec.subtree(DLMS.APDU, 0, label=what):
        return _decode(data, decoder, rec, what, warnings)


def _decode(data: bytes, decoder: _Decoder | None, rec: Recorder | None,
            what: str, warnings: list[str] | None) -> object:
    if decoder is None:
        return decode_acse(data, rec)
    cur = Cursor(data, 0, len(data), rec, what, warnings)
    obj = decoder(cur)
    cur.finish()
    return obj
