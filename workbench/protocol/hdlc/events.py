"""Events and states of the sans-IO HDLC link (see :mod:`workbench.protocol.hdlc.link`).

Kept apart so the session, the simulator and the UI can name events without the machinery.
Nothing that arrives is dropped silently: what the link cannot use comes out as
:class:`FrameRejected` (a frame, with a :class:`RejectCause` and a reason in words) or
:class:`BytesSkipped` (bytes that are no frame at all), so a diagnosis can name what really
arrived instead of reporting silence.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .address import HdlcAddress, decode_address
from .frame import HdlcFrame
from .params import HdlcParameters

__all__ = ["NEED_DATA", "ApduReceived", "BytesSkipped", "Disconnected", "FrameRejected",
           "LinkEstablished", "LinkEvent", "LinkState", "RejectCause"]


class NEED_DATA:
    """Returned by ``next_event()`` when a whole frame has not arrived yet."""


class LinkState(Enum):
    DISCONNECTED = "DISCONNECTED"
    CONNECTING = "CONNECTING"  # client: SNRM sent, waiting for UA/DM
    CONNECTED = "CONNECTED"
    DISCONNECTING = "DISCONNECTING"  # client: DISC sent, waiting for UA/DM

    __hash__ = object.__hash__  # singletons; keeps the per-frame table lookup cheap


@dataclass(frozen=True, slots=True)
class LinkEstablished:
    """UA received (client) or sent (server); ``params`` as seen by this side.

    ``warnings``: deviations of the peer's SNRM/UA that were tolerated (a malformed parameter
    field, an out-of-range value replaced by a safe one, an HCS on an empty information field,
    an answer from another form of the address we called), one sentence each, for engineers.
    """

    params: HdlcParameters
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ApduReceived:
    """A complete APDU, reassembled from its segments, LLC header removed."""

    apdu: bytes


@dataclass(frozen=True, slots=True)
class Disconnected:
    """The link is down: DISC acknowledged, DM received, or the client sent DISC."""

    reason: str


class RejectCause(Enum):
    """Why a frame was not used, for code (the event's ``reason`` says it in words)."""

    CHECKSUM = "checksum"  # HCS or FCS mismatch: damaged on the line
    MALFORMED = "malformed"  # started like a frame but is not a valid one (cut short...)
    OTHER_ADDRESS = "other address"  # sent by (client) / to (server) another server address
    OTHER_CLIENT = "other client"  # addressed to another client SAP
    UNEXPECTED = "unexpected"  # a frame kind the link does not take in its state
    SEQUENCE = "sequence"  # N(S) out of sequence or repeated, N(R) outside what we sent
    CONTENT = "content"  # information the link cannot use (no LLC, segmented UI...)
    PEER_REJECTED = "peer rejected"  # FRMR: the peer refused one of our frames


@dataclass(frozen=True, slots=True)
class FrameRejected:
    """A frame that arrived but was not used: ``cause`` for code, ``reason`` for people.

    ``raw`` is the frame's bytes (flags included); ``frame`` is the decoded frame when it
    could be decoded (not for CHECKSUM/MALFORMED), so a diagnosis can name where it came from
    (``source_address``: "a UA from physical address 5678").
    """

    raw: bytes
    reason: str
    cause: RejectCause = RejectCause.UNEXPECTED
    frame: HdlcFrame | None = None

    @property
    def source_address(self) -> HdlcAddress | None:
        """The sender's address, when the frame could be decoded."""
        return None if self.frame is None else decode_address(self.frame.src)


@dataclass(frozen=True, slots=True)
class BytesSkipped:
    """Bytes outside any frame (junk, modem chatter, a garbled header), and why.

    ``head`` is their first 16 bytes (enough to recognise "AT", "CONNECT", a text banner or
    another protocol); ``count`` how many bytes were skipped in all.
    """

    head: bytes
    count: int
    reason: str


LinkEvent = LinkEstablished | ApduReceived | Disconnected | FrameRejected | BytesSkipped
