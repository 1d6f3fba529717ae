"""Events and states of the sans-IO HDLC link (see :mod:`workbench.protocol.hdlc.link`).

Kept apart so the session, the simulator and the UI can name events without the machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .params import HdlcParameters

__all__ = ["NEED_DATA", "ApduReceived", "Disconnected", "FrameRejected", "LinkEstablished",
           "LinkEvent", "LinkState"]


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


@dataclass(frozen=True, slots=True)
class FrameRejected:
    """Bytes or a frame the link could not use, and why (bad CRC, wrong state, sequence...)."""

    raw: bytes
    reason: str


LinkEvent = LinkEstablished | ApduReceived | Disconnected | FrameRejected
