"""One-line summaries of frames, for the frame log's summary column and its text filter.

Two paths give the same text:

* :func:`summarize` reads a dissection tree by the field registry's keys
  (:data:`~workbench.protocol.fields.HDLC` ``.CONTROL_KIND``, ``DLMS.CHOICE``,
  ``DLMS.INSTANCE_ID`` ...), never by labels, so rewording a label cannot change a summary;
  it shows exactly what the dissector understood, errors included. It costs a full
  dissection (~130 µs).
* :func:`frame_facts` gets the same words from the protocol core's fast paths: the strict
  HDLC decoder, then ``decode_apdu`` without a recorder (so the APDU is still validated
  to its last byte). It costs ~10–30 µs, and is cached by content, because a polling
  session repeats its requests and RR frames byte for byte. Whenever the dissection would
  carry an error (a bad checksum, a broken APDU, bytes outside the frame), it answers
  ``None`` and the caller falls back to :func:`summarize`: error texts come from one place.

Example: ``I N(S)=2 N(R)=1 · get-request-normal 1-1:32.7.0.255 /2``.
Pure (no Qt): the frame log indexes with it, the window and the CLI show it.
"""

from __future__ import annotations

from functools import lru_cache

from workbench.protocol.apdu import (
    ACTION_REQUEST_TYPES,
    ACTION_RESPONSE_TYPES,
    GET_REQUEST_TYPES,
    GET_RESPONSE_TYPES,
    SET_REQUEST_TYPES,
    SET_RESPONSE_TYPES,
    AttributeDescriptor,
    decode_apdu,
    names,
)
from workbench.protocol.errors import ProtocolError
from workbench.protocol.fields import DLMS, HDLC, Node
from workbench.protocol.hdlc import (
    LLC_REQUEST,
    LLC_RESPONSE,
    FrameKind,
    HdlcFrame,
    HdlcParameters,
    parse_frame,
)

__all__ = ["BAD", "FRAME_KINDS", "frame_facts", "summarize"]

BAD = "bad"
FRAME_KINDS = (*(kind.name for kind in FrameKind), BAD)
"""Every kind :func:`frame_facts` can return, in the order the filter offers them."""

_SEPARATOR = " · "
_COUNTERS = (("N(S)", HDLC.CONTROL_NS.key), ("N(R)", HDLC.CONTROL_NR.key))  # summary words
_NUMBERED = (FrameKind.I, FrameKind.RR, FrameKind.RNR)
_LLC = (LLC_REQUEST, LLC_RESPONSE)
_CHOICES = {0xC0: GET_REQUEST_TYPES, 0xC4: GET_RESPONSE_TYPES, 0xC1: SET_REQUEST_TYPES,
            0xC5: SET_RESPONSE_TYPES, 0xC3: ACTION_REQUEST_TYPES, 0xC7: ACTION_RESPONSE_TYPES}
_CACHE_SIZE = 8192


# --- the dissection path -----------------------------------------------------------------
def summarize(roots: list[Node]) -> str:
    """Summary of every frame in ``roots`` (usually one), joined with `` | ``."""
    return " | ".join(_summarize_frame(root) for root in roots) or "(no frame)"


def _summarize_frame(root: Node) -> str:
    fields = _first_by_key(root)
    kind = fields.get(HDLC.CONTROL_KIND.key)
    parts = []
    if kind is not None:
        counters = [f"{label}={fields[key].value}" for label, key in _COUNTERS if key in fields]
        parts.append(" ".join([kind.value, *counters]))
    apdu = _apdu_text(fields)
    if apdu:
        parts.append(apdu)
    errors = root.errors()
    if errors:
        parts.append(f"⚠ {errors[0].name}: {errors[0].error}")
    return _SEPARATOR.join(parts) or root.name


def _first_by_key(root: Node) -> dict[str, Node]:
    fields: dict[str, Node] = {}
    for node in root.walk():
        if node.key and node.key not in fields:
            fields[node.key] = node
    return fields


def _apdu_text(fields: dict[str, Node]) -> str:
    """The APDU's name (its CHOICE when it has one), then the OBIS code and /attribute."""
    apdu = fields.get(DLMS.APDU.key)
    if apdu is None:
        return ""
    choice = fields.get(DLMS.CHOICE.key)
    words = [_parenthesised(choice.value) if choice is not None else apdu.name]
    obis = fields.get(DLMS.INSTANCE_ID.key)
    if obis is not None:
        words.append(obis.value)
    member = fields.get(DLMS.ATTRIBUTE_ID.key) or fields.get(DLMS.METHOD_ID.key)
    if member is not None:
        words.append(f"/{member.value}")
    return " ".join(words)


def _parenthesised(value: str) -> str:
    """``"1 (get-request-normal)"`` -> ``"get-request-normal"``; other text unchanged."""
    _, sep, rest = value.partition(" (")
    return rest[:-1] if sep and rest.endswith(")") else value


# --- the fast path -----------------------------------------------------------------------
@lru_cache(maxsize=_CACHE_SIZE)
def frame_facts(raw: bytes) -> tuple[str, str | None]:
    """``(kind, summary)`` of one captured frame without dissecting it.

    The kind is the HDLC frame kind ("I", "RR", "SNRM" ...), or "bad" when the bytes are not
    exactly one valid frame (checksums, structure, junk). The summary is None when only the
    dissection can describe the frame (it would show an error); :func:`summarize` then gives
    the text. Never raises.
    """
    try:
        frame, problems = parse_frame(raw)
    except ProtocolError:
        return BAD, None
    if problems:
        return BAD, None
    try:
        apdu = _info_text(frame)
    except ProtocolError:
        return frame.kind.name, None
    head = _control_text(frame)
    return frame.kind.name, f"{head}{_SEPARATOR}{apdu}" if apdu else head


def _control_text(frame: HdlcFrame) -> str:
    words = [frame.kind.name]
    if frame.kind is FrameKind.I:
        words.append(f"N(S)={frame.n_s}")
    if frame.kind in _NUMBERED:
        words.append(f"N(R)={frame.n_r}")
    return " ".join(words)


def _info_text(frame: HdlcFrame) -> str:
    """What the dissector would say about the information field, as summary words.

    Mirrors how ``protocol.dissect`` reads the information field: parameters for SNRM/UA
    (no words, but they must decode), an APDU after the LLC header of an unsegmented I/UI
    frame. Raises ProtocolError where the dissection would record an error.
    """
    if frame.kind in (FrameKind.SNRM, FrameKind.UA):
        if frame.info:
            HdlcParameters.decode(frame.info)
        return ""
    if (frame.kind not in (FrameKind.I, FrameKind.UI) or frame.segmented
            or frame.info[:3] not in _LLC):
        return ""
    body = frame.info[3:]
    return _apdu_words(body, decode_apdu(body))


def _apdu_words(body: bytes, apdu: object) -> str:
    """The APDU's CHOICE name (or its tag name), then the first descriptor's OBIS /index.

    ``body`` decoded without error, so its tag and CHOICE byte are known values.
    """
    tag = body[0]
    choices = _CHOICES.get(tag)
    words = [choices[body[1]] if choices else names.APDU_TAGS[tag]]
    descriptor = getattr(apdu, "descriptor", None)
    if descriptor is None:
        descriptor = next(iter(getattr(apdu, "descriptors", ())), None)
    if descriptor is not None:
        index = (descriptor.attribute if isinstance(descriptor, AttributeDescriptor)
                 else descriptor.method)
        words += [str(descriptor.obis), f"/{index}"]
    return " ".join(words)
