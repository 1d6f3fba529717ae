"""The machinery both HDLC link roles share: sequence numbers, acknowledgement, resending,
segmentation and the transition-table dispatch. See :mod:`workbench.protocol.hdlc.link` for the
theory of operation and the two roles built on it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

from workbench.protocol.errors import (
    ApduTooLarge,
    ChecksumError,
    DecodeError,
    LocalProtocolError,
    ProtocolError,
)

from .events import (
    NEED_DATA,
    ApduReceived,
    BytesSkipped,
    FrameRejected,
    LinkEstablished,
    LinkEvent,
    LinkState,
    RejectCause,
)
from .frame import FrameKind, HdlcFrame, encode_frame
from .frmr import read_frmr
from .params import HdlcParameters, split_info
from .reader import BadFrame, FrameReader, FrameReceived, Skipped

__all__ = ["DEFAULT_MAX_APDU_SIZE", "Handler", "Transitions", "Trigger"]

DEFAULT_MAX_APDU_SIZE = 0xFFFF
"""Reassembly cap before an association says otherwise: the largest PDU size xDLMS can
announce (the AARQ/AARE fields are 16 bits). The session lowers it to the negotiated size."""


Trigger = FrameKind | str
Handler = Callable[[Any, HdlcFrame, bytes], "LinkEvent | None"]
"""A role's method taking a received frame (self is the role: ClientLink or ServerLink)."""
Transitions = dict[tuple[LinkState, Trigger], tuple[Handler | None, LinkState]]


class _Link:
    """What both roles share: framing, sequence numbers, segmentation both ways.

    Attributes:
        progress: grows by one for each I-frame accepted in sequence and each of ours the
            peer acknowledged; a caller's retry budget can restart whenever it moves.
        max_apdu_size: the largest APDU (LLC header excluded) the link reassembles from
            segments; settable, e.g. to the negotiated PDU size once the AARE is in.
    """

    TRANSITIONS: ClassVar[Transitions] = {}
    LLC_SEND = b""
    LLC_RECEIVE = b""
    _answers_polls = False  # the secondary (server) must answer an RR poll even when idle

    def __init__(self, own: bytes, peer: bytes, params: HdlcParameters,
                 max_apdu_size: int) -> None:
        self.state = LinkState.DISCONNECTED
        self.max_apdu_size = max_apdu_size
        self.limits = params
        self.params = params
        self._own, self._peer = own, peer
        self._reader = FrameReader()
        self._incoming: deque[FrameReceived | Skipped | BadFrame] = deque()
        self._outbox: list[bytes] = []
        self._vs = self._vr = 0
        self._rx_parts: list[bytes] = []
        self._rx_size = 0  # bytes in _rx_parts
        self._discarding = False  # dropping the rest of an APDU that exceeded the cap
        self._tx_parts: deque[bytes] = deque()
        self._unacked: deque[bytes] = deque()  # I-frames sent, not yet covered by a N(R)
        self._last_ns: int | None = None  # N(S) of the last I-frame accepted
        self._rx_unacked = 0  # I-frames accepted since our last RR or I-frame told the peer
        self.progress = 0
        self._rr_cache: dict[int, bytes] = {}  # by N(R); cleared when the addresses change

    # -- the h11-style surface -------------------------------------------------------------

    def receive_data(self, data: bytes) -> None:
        """Hand over bytes received from the peer (any chunking)."""
        self._incoming.extend(self._reader.feed(data))

    def next_event(self) -> LinkEvent | type[NEED_DATA]:
        """Process buffered frames until one yields an event; NEED_DATA when none left.

        Raises:
            ApduTooLarge: the peer's segmented APDU passed :attr:`max_apdu_size`. Raised
                once; the link then acknowledges and drops that APDU's remaining segments
                and is usable again after its last one.
        """
        while self._incoming:
            item = self._incoming.popleft()
            if isinstance(item, FrameReceived):
                event = self._on_frame(item.frame, item.raw)
            elif isinstance(item, BadFrame):
                cause = (RejectCause.CHECKSUM if isinstance(item.error, ChecksumError)
                         else RejectCause.MALFORMED)
                event = FrameRejected(item.raw, str(item.error), cause)
            else:
                event = BytesSkipped(item.raw[:16], len(item.raw), item.reason)
            if event is not None:
                return event
        return NEED_DATA

    def data_to_send(self) -> list[bytes]:
        """Every frame to send, in order, and drains them: the one way bytes leave the link.

        Both what a call queued (SNRM, DISC, a request's first window, a poll) and what the
        link answers on its own (RR acks, next segments, the server's UA/DM).
        """
        out, self._outbox = self._outbox, []
        return out

    @property
    def unacknowledged(self) -> int:
        """How many I-frames we sent that the peer's N(R) has not yet covered."""
        return len(self._unacked)

    @property
    def sending(self) -> bool:
        """True while segments of the last APDU still wait for the peer's RR."""
        return bool(self._tx_parts)

    def send_apdu(self, apdu: bytes) -> None:
        """Add the LLC header, split at the negotiated max info; queue the first window.

        Raises:
            LocalProtocolError: not connected, or the previous APDU is still being sent.
        """
        next_state = self._transition("send_apdu")
        if self._tx_parts:
            raise LocalProtocolError("previous APDU still being sent (waiting for RR)")
        self._tx_parts.extend(split_info(self.LLC_SEND + apdu, self.params.max_info_tx))
        self.state = next_state
        self._outbox.extend(self._send_window())

    # -- internals -------------------------------------------------------------------------

    def _rule(self, trigger: Trigger) -> tuple[Handler | None, LinkState]:
        """(handler, next state) for ``trigger`` now; LocalProtocolError if none."""
        rule = self.TRANSITIONS.get((self.state, trigger))
        if rule is None:
            name = trigger.name if isinstance(trigger, FrameKind) else trigger
            raise LocalProtocolError(f"can't handle {name} in state {self.state.name}",
                                     what=type(self).__name__)
        return rule

    def _transition(self, trigger: Trigger) -> LinkState:
        return self._rule(trigger)[1]

    def _negotiate(self, frame: HdlcFrame, who: str) -> LinkEstablished:
        """Agree on the parameters of the peer's SNRM/UA, tolerating what can be tolerated."""
        try:
            proposal, warnings = HdlcParameters.read(frame.info, who)
        except DecodeError as exc:
            proposal = HdlcParameters()
            warnings = (f"{who} parameters could not be read ({exc}); using the standard "
                        "defaults (max info 128, window 1)",)
        self.params = self.limits.accept(proposal)
        return LinkEstablished(self.params, frame.warnings + warnings)

    def _on_frame(self, frame: HdlcFrame, raw: bytes) -> LinkEvent | None:
        refusal = self._check_addresses(frame)
        if refusal is not None:
            return FrameRejected(raw, refusal[1], refusal[0], frame)
        try:
            handler, next_state = self._rule(frame.kind)
            event = handler(self, frame, raw) if handler else None
        except ApduTooLarge:
            raise
        except ProtocolError as exc:
            return FrameRejected(raw, str(exc), RejectCause.UNEXPECTED, frame)
        self.state = next_state
        if isinstance(event, FrameRejected):
            return replace(event, frame=frame)
        return event

    def _check_addresses(self, frame: HdlcFrame) -> tuple[RejectCause, str] | None:
        """None when the frame is for us, else why not (cause and a sentence)."""
        raise NotImplementedError

    def _frame(self, kind: FrameKind, *, pf: bool = True, info: bytes = b"",
               segmented: bool = False) -> bytes:
        numbered = kind in (FrameKind.I, FrameKind.RR, FrameKind.RNR)
        return encode_frame(HdlcFrame(
            kind, self._peer, self._own, pf, self._vs if kind is FrameKind.I else 0,
            self._vr if numbered else 0, segmented, info))

    def _rr(self) -> bytes:
        """RR with our N(R) and P/F set; cached, as a long transfer sends one per segment."""
        self._rx_unacked = 0
        rr = self._rr_cache.get(self._vr)
        if rr is None:
            rr = self._rr_cache[self._vr] = self._frame(FrameKind.RR)
        return rr

    def _set_addresses(self, own: bytes, peer: bytes) -> None:
        if (own, peer) != (self._own, self._peer):
            self._own, self._peer = own, peer
            self._rr_cache.clear()

    def _reset_sequence(self) -> None:
        self._vs = self._vr = 0
        self._last_ns = None
        self._rx_unacked = 0
        self._drop_reassembly()
        self._tx_parts.clear()
        self._unacked.clear()

    def _acknowledge(self, n_r: int) -> bool:
        """Forget the frames the peer's N(R) covers; False when N(R) is outside what we sent."""
        covered = (n_r - self._vs + len(self._unacked)) % 8
        if covered > len(self._unacked):
            return False
        for _ in range(covered):
            self._unacked.popleft()
        self.progress += covered
        return True

    def _resend_or_rr(self) -> list[bytes]:
        """Answer a poll or a repeated frame: what the peer still lacks, else our RR."""
        return list(self._unacked) if self._unacked else [self._rr()]

    def _send_window(self) -> list[bytes]:
        """Up to ``window_tx`` I-frames, P set on the last: the peer answers it with an RR."""
        self._rx_unacked = 0  # our I-frames carry N(R)
        frames = []
        for i in range(self.params.window_tx):
            if not self._tx_parts:
                break
            part = self._tx_parts.popleft()
            more = bool(self._tx_parts)
            last = not more or i == self.params.window_tx - 1
            frames.append(self._frame(FrameKind.I, pf=last, info=part, segmented=more))
            self._vs = (self._vs + 1) % 8
        self._unacked.extend(frames)
        return frames

    def _on_info(self, frame: HdlcFrame, raw: bytes) -> LinkEvent | None:
        self._acknowledge(frame.n_r)  # an I-frame's N(R) acknowledges like an RR's
        if frame.n_s == self._last_ns:
            return self._on_repeat(frame, raw)
        if frame.n_s != self._vr:
            if frame.pf:
                self._outbox.append(self._rr())
            return FrameRejected(raw, f"I frame out of sequence: N(S)={frame.n_s}, "
                                      f"expected {self._vr}", RejectCause.SEQUENCE)
        self._last_ns, self._vr = self._vr, (self._vr + 1) % 8
        self.progress += 1
        self._rx_unacked += 1
        if frame.segmented and (frame.pf or self._rx_unacked >= self.params.window_rx):
            self._outbox.append(self._rr())  # the poll bit, or a full window, wants an RR
        return self._reassemble(frame, raw)

    def _reassemble(self, frame: HdlcFrame, raw: bytes) -> LinkEvent | None:
        """Add an in-sequence I-frame's information; the APDU once its last segment is in."""
        if self._discarding:
            self._discarding = frame.segmented
            return None if frame.segmented else FrameRejected(
                raw, "last segment of the oversized APDU dropped", RejectCause.CONTENT)
        self._rx_parts.append(frame.info)
        self._rx_size += len(frame.info)
        received = self._rx_size - len(self.LLC_RECEIVE)
        if received > self.max_apdu_size:
            self._drop_reassembly()
            self._discarding = frame.segmented
            raise ApduTooLarge(received, self.max_apdu_size)
        if frame.segmented:
            return None
        data = b"".join(self._rx_parts)
        self._drop_reassembly()
        return self._deliver(data, raw)

    def _drop_reassembly(self) -> None:
        self._rx_parts.clear()
        self._rx_size = 0
        self._discarding = False

    def _on_repeat(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        """The last accepted I-frame again: never delivered twice (see the module notes)."""
        if self._answers_polls:
            self._outbox.extend(self._resend_or_rr())
            return FrameRejected(raw, f"repeated I frame N(S)={frame.n_s}: answered again, "
                                      f"not delivered twice", RejectCause.SEQUENCE)
        return FrameRejected(raw, f"repeated I frame N(S)={frame.n_s} ignored (already "
                                  f"received)", RejectCause.SEQUENCE)

    def _on_ui(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        """Unnumbered information (e.g. pushed event notifications): outside the sequence."""
        if frame.segmented:
            return FrameRejected(raw, "segmented UI frames are not supported",
                                 RejectCause.CONTENT)
        return self._deliver(frame.info, raw)

    def _deliver(self, data: bytes, raw: bytes) -> LinkEvent:
        if not data.startswith(self.LLC_RECEIVE):
            return FrameRejected(raw, f"information field starts {data[:3].hex(' ').upper()}, "
                                      f"expected LLC {self.LLC_RECEIVE.hex(' ').upper()}",
                                 RejectCause.CONTENT)
        return ApduReceived(data[len(self.LLC_RECEIVE):])

    def _on_rr(self, frame: HdlcFrame, raw: bytes) -> LinkEvent | None:
        if not self._acknowledge(frame.n_r):
            first = (self._vs - len(self._unacked)) % 8
            return FrameRejected(raw, f"RR carries N(R)={frame.n_r}, expected {first}..{self._vs} "
                                      f"(what we sent and is not yet acknowledged)",
                                 RejectCause.SEQUENCE)
        if self._unacked:  # N(R) names a frame we sent: the peer lacks it, resend from there
            self._outbox.extend(self._unacked)
        elif self._tx_parts:
            self._outbox.extend(self._send_window())
        elif frame.pf and self._answers_polls:
            self._outbox.append(self._rr())
        return None

    def _on_rnr(self, frame: HdlcFrame, raw: bytes) -> LinkEvent | None:
        """Peer busy: hold the remaining segments until its next RR."""
        return None

    def _on_frmr(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        frmr = read_frmr(frame.info)
        why = frmr.describe() if frmr else f"information {frame.info.hex(' ').upper() or 'empty'}"
        return FrameRejected(raw, f"the peer rejected our frame (FRMR): {why}",
                             RejectCause.PEER_REJECTED)
