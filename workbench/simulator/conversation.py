"""A capture read back as a conversation: the client's requests paired with the meter's
answers, as APDUs (HDLC framing, segmentation and resends removed).

Why APDUs and not frames: a replayed meter answers a new client whose sequence numbers,
addresses and frame sizes differ from the recorded one's; only the application-layer
exchange carries over. Frames are reassembled per direction exactly as a link would: in
N(S) order, a resent frame (the same N(S) again) counted once, SNRM/DISC starting afresh.
Damaged or foreign frames are skipped and counted, never raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from workbench.protocol.errors import ProtocolError
from workbench.protocol.hdlc import (
    LLC_REQUEST,
    LLC_RESPONSE,
    FrameKind,
    HdlcAddress,
    HdlcFrame,
    decode_address,
    decode_frame,
)

__all__ = ["MAX_APDU", "Conversation", "Exchange", "read_conversation"]

MAX_APDU = 0xFFFF + 3
"""Largest APDU (with its LLC header) reassembled from a capture: xDLMS cannot announce a
larger PDU size, so anything longer is damage."""


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and the meter's answer (None when the capture holds no answer)."""

    request: bytes
    response: bytes | None


@dataclass
class Conversation:
    """What a capture says happened between one client and one meter.

    Attributes:
        exchanges: the requests and answers, in order.
        client_sap: the client's SAP in the first frame sent (None: no frame sent).
        server: the meter's HDLC address as the client called it.
        skipped: frames that could not be decoded or reassembled.
    """

    exchanges: list[Exchange] = field(default_factory=list)
    client_sap: int | None = None
    server: HdlcAddress | None = None
    skipped: int = 0


@dataclass(slots=True)
class _Reassembly:
    """One direction's I-frames joined into APDUs."""

    llc: bytes
    parts: list[bytes] = field(default_factory=list)
    size: int = 0
    expected_ns: int | None = None

    def reset(self) -> None:
        self.parts, self.size, self.expected_ns = [], 0, None

    def add(self, frame: HdlcFrame) -> bytes | None:
        """The APDU this frame completes (LLC removed), or None; a resend adds nothing."""
        if self.expected_ns is not None and frame.n_s != self.expected_ns:
            return None
        self.expected_ns = (frame.n_s + 1) % 8
        self.parts.append(frame.info)
        self.size += len(frame.info)
        if self.size > MAX_APDU:
            self.reset()
            raise ValueError("APDU longer than any PDU size")
        if frame.segmented:
            return None
        data = b"".join(self.parts)
        self.parts, self.size = [], 0
        return data[len(self.llc):] if data.startswith(self.llc) else None


def read_conversation(frames: Iterable[tuple[str, bytes]]) -> Conversation:
    """Pair the requests and answers in ``frames``: (direction ``"tx"``/``"rx"``, bytes)."""
    conversation = Conversation()
    pending: bytes | None = None
    for direction, apdu in _apdus(frames, conversation):
        if direction == "tx":
            if pending is not None:
                conversation.exchanges.append(Exchange(pending, None))
            pending = apdu
        elif pending is not None:
            conversation.exchanges.append(Exchange(pending, apdu))
            pending = None
    if pending is not None:
        conversation.exchanges.append(Exchange(pending, None))
    return conversation


def _apdus(frames: Iterable[tuple[str, bytes]],
           conversation: Conversation) -> Iterator[tuple[str, bytes]]:
    links = {"tx": _Reassembly(LLC_REQUEST), "rx": _Reassembly(LLC_RESPONSE)}
    for direction, raw in frames:
        try:
            frame = decode_frame(raw)
            _note_addresses(conversation, direction, frame)
            apdu = _apdu(links, direction, frame)
        except (ProtocolError, ValueError, KeyError):
            conversation.skipped += 1
            continue
        if apdu is not None:
            yield direction, apdu


def _apdu(links: dict[str, _Reassembly], direction: str, frame: HdlcFrame) -> bytes | None:
    if frame.kind in (FrameKind.SNRM, FrameKind.DISC, FrameKind.UA, FrameKind.DM):
        for link in links.values():
            link.reset()
        return None
    if frame.kind is FrameKind.I:
        return links[direction].add(frame)
    return None


def _note_addresses(conversation: Conversation, direction: str, frame: HdlcFrame) -> None:
    if direction != "tx" or conversation.server is not None:
        return
    conversation.server = decode_address(frame.dest)
    conversation.client_sap = decode_address(frame.src).upper
