"""HDLC layer of IEC 62056-46: frames, addresses, parameters, reader and the link stations.

The pieces live in small modules (``crc``, ``address``, ``control`` (frame kinds), ``frame``,
``frmr``, ``params``, ``reader``; the sans-IO link in ``events``, ``station`` and ``link``);
this package is the public face every other layer imports from::

    from workbench.protocol.hdlc import FrameKind, HdlcFrame, encode_frame, FrameReader
"""

from __future__ import annotations

from .address import (
    HdlcAddress,
    client_address,
    decode_address,
    encode_address,
    physical_from_serial,
    server_address,
)
from .crc import crc16, crc16_bytes
from .frame import (
    FLAG,
    MAX_FRAME_LENGTH,
    FrameKind,
    HdlcFrame,
    decode_frame,
    encode_frame,
    fast_decode,
    parse_frame,
)
from .frmr import FrmrInfo, read_frmr
from .link import (
    DEFAULT_MAX_APDU_SIZE,
    NEED_DATA,
    ApduReceived,
    BytesSkipped,
    ClientLink,
    Disconnected,
    FrameRejected,
    LinkEstablished,
    LinkEvent,
    LinkState,
    RejectCause,
    ServerLink,
)
from .params import LLC_REQUEST, LLC_RESPONSE, HdlcParameters, split_info
from .reader import (
    BadFrame,
    FrameReader,
    FrameReceived,
    ReaderEvent,
    SegmentKind,
    Skipped,
    find_segment,
)

__all__ = [
    "DEFAULT_MAX_APDU_SIZE",
    "FLAG",
    "LLC_REQUEST",
    "LLC_RESPONSE",
    "MAX_FRAME_LENGTH",
    "NEED_DATA",
    "ApduReceived",
    "BadFrame",
    "BytesSkipped",
    "ClientLink",
    "Disconnected",
    "FrameKind",
    "FrameReader",
    "FrameReceived",
    "FrameRejected",
    "FrmrInfo",
    "HdlcAddress",
    "HdlcFrame",
    "HdlcParameters",
    "LinkEstablished",
    "LinkEvent",
    "LinkState",
    "ReaderEvent",
    "RejectCause",
    "SegmentKind",
    "ServerLink",
    "Skipped",
    "client_address",
    "crc16",
    "crc16_bytes",
    "decode_address",
    "decode_frame",
    "encode_address",
    "encode_frame",
    "fast_decode",
    "find_segment",
    "parse_frame",
    "physical_from_serial",
    "read_frmr",
    "server_address",
    "split_info",
]
