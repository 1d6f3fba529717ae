"""HDLC layer of IEC 62056-46, one import for callers: frames, addresses, parameters, reader.

The pieces live in small modules (``hdlc_address``, ``hdlc_frame``, ``hdlc_params``,
``hdlc_reader``); this module is the public face other layers import from::

    from workbench.protocol.hdlc import FrameKind, HdlcFrame, encode_frame, FrameReader
"""

from __future__ import annotations

from .hdlc_address import (
    HdlcAddress,
    client_address,
    decode_address,
    encode_address,
    physical_from_serial,
    server_address,
)
from .hdlc_frame import (
    FLAG,
    MAX_FRAME_LENGTH,
    FrameKind,
    HdlcFrame,
    decode_frame,
    encode_frame,
    fast_decode,
    parse_frame,
)
from .hdlc_params import LLC_REQUEST, LLC_RESPONSE, HdlcParameters, split_info
from .hdlc_reader import BadFrame, FrameReader, FrameReceived, ReaderEvent, Skipped

__all__ = [
    "FLAG",
    "LLC_REQUEST",
    "LLC_RESPONSE",
    "MAX_FRAME_LENGTH",
    "BadFrame",
    "FrameKind",
    "FrameReader",
    "FrameReceived",
    "HdlcAddress",
    "HdlcFrame",
    "HdlcParameters",
    "ReaderEvent",
    "Skipped",
    "client_address",
    "decode_address",
    "decode_frame",
    "encode_address",
    "encode_frame",
    "fast_decode",
    "parse_frame",
    "physical_from_serial",
    "server_address",
    "split_info",
]
