"""Whole APDUs: ``encode_apdu`` / ``decode_apdu`` dispatching on the first byte (the tag).

Why dispatch tables: the tag alone decides the codec (as in Wireshark's COSEM dissector),
so adding a service is one row here. ``decode_apdu`` insists that the whole buffer is one
APDU, so a misunderstood length shows up as an error instead of silently lost bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from workbench.protocol.errors import DecodeError, EncodeError
from workbench.protocol.fields import DLMS, Cursor, Recorder

from . import names
from .acse import Aare, Aarq, Rlre, Rlrq, decode_acse, encode_acse
from .action import (
    ActionRequestNormal,
    ActionRequestWithList,
    ActionResponseNormal,
    ActionResponseWithList,
    decode_action_request,
    decode_action_response,
    encode_action_request,
    encode_action_response,
)
from .get import (
    GetRequestNext,
    GetRequestNormal,
    GetRequestWithList,
    GetResponseNormal,
    GetResponseWithDatablock,
    GetResponseWithList,
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
from .set import (
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
    decode_set_request,
    decode_set_response,
    encode_set_request,
    encode_set_response,
)

__all__ = ["decode_apdu", "encode_apdu"]

_ENCODERS: dict[type, Callable[[object], bytes]] = {
    **dict.fromkeys((Aarq, Aare, Rlrq, Rlre), encode_acse),
    InitiateRequest: encode_initiate_request,
    InitiateResponse: encode_initiate_response,
    ConfirmedServiceError: encode_confirmed_service_error,
    ExceptionResponse: encode_exception_response,
    **dict.fromkeys((GetRequestNormal, GetRequestNext, GetRequestWithList), encode_get_request),
    **dict.fromkeys((GetResponseNormal, GetResponseWithDatablock, GetResponseWithList),
                    encode_get_response),
    **dict.fromkeys((SetRequestNormal, SetRequestWithFirstDatablock, SetRequestWithDatablock,
                     SetRequestWithList, SetRequestWithListAndFirstDatablock),
                    encode_set_request),
    **dict.fromkeys((SetResponseNormal, SetResponseDatablock, SetResponseLastDatablock,
                     SetResponseLastDatablockWithList, SetResponseWithList),
                    encode_set_response),
    **dict.fromkeys((ActionRequestNormal, ActionRequestWithList), encode_action_request),
    **dict.fromkeys((ActionResponseNormal, ActionResponseWithList), encode_action_response),
}  # type: ignore[dict-item]

_DECODERS: dict[int, Callable[[Cursor], object]] = {
    0x01: decode_initiate_request,
    0x08: decode_initiate_response,
    0x0E: decode_confirmed_service_error,
    0xC0: decode_get_request,
    0xC1: decode_set_request,
    0xC3: decode_action_request,
    0xC4: decode_get_response,
    0xC5: decode_set_response,
    0xC7: decode_action_response,
    0xD8: decode_exception_response,
}
_ACSE_TAGS = frozenset((0x60, 0x61, 0x62, 0x63))


def encode_apdu(obj: object) -> bytes:
    """Encode any APDU dataclass of :mod:`acse` or :mod:`xdlms`.

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
                          expected="AARQ/AARE/RLRQ/RLRE, GET/SET/ACTION, exception-response",
                          what="APDU")
    if rec is None:
        return _decode(data, decoder, None, what, warnings)
    with rec.subtree(DLMS.APDU, 0, label=what):
        return _decode(data, decoder, rec, what, warnings)


def _decode(data: bytes, decoder: Callable[[Cursor], object] | None, rec: Recorder | None,
            what: str, warnings: list[str] | None) -> object:
    if decoder is None:
        return decode_acse(data, rec)
    cur = Cursor(data, 0, len(data), rec, what, warnings)
    obj = decoder(cur)
    cur.finish()
    return obj
