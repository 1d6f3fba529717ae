"""Sans-IO HDLC link (IEC 62056-46 normal response mode), client and server roles.

No sockets, no clocks: bytes go in through ``receive_data``, events come out of
``next_event`` (h11 style), and every frame to send comes back as ``bytes`` - either from the
method you called (``connect``, ``send_apdu``, ``disconnect``) or, for frames the link sends on
its own (RR acks, next segments, the server's UA/DM), from ``data_to_send()``. Timeouts and
retries belong to the caller (the session).

Client usage::

    link = ClientLink(client_sap=16, server=server_address(1, 1234))
    sock.send(link.connect())                      # SNRM
    while (ev := link.next_event()) is NEED_DATA:   # wait for the UA
        link.receive_data(sock.recv(4096))
    assert isinstance(ev, LinkEstablished)          # ev.params: negotiated, our view
    for frame in link.send_apdu(aarq_bytes):        # LLC header added, split at max info
        sock.send(frame)
    while True:                                     # RRs and further segments are automatic
        ev = link.next_event()
        for frame in link.data_to_send():
            sock.send(frame)
        if ev is NEED_DATA:
            link.receive_data(sock.recv(4096))
        elif isinstance(ev, ApduReceived):          # reassembled, LLC removed
            break
    sock.send(link.disconnect())                    # DISC, then wait for Disconnected

The server is driven the same way: feed it bytes, answer ``ApduReceived`` with
``send_apdu(response)``, and always send what ``data_to_send()`` returns after ``next_event``.

Recovery (IEC 62056-46 normal response mode: the client is the primary station). Every
I-frame sent stays in ``_unacked`` until the peer's N(R) (in an RR or an I-frame) covers it.
When the client's wait times out it sends :meth:`ClientLink.poll` (RR, P=1, its N(R)). The
answer repairs whichever frame was lost, in both roles by the same rule: an RR whose N(R)
names a frame we still hold means the peer lacks it, so it is resent unchanged (same N(S)).
So the meter resends a lost response or segment, answers RR F=1 when nothing is
outstanding, and that RR's N(R) makes the client resend a request that never arrived. An
I-frame repeating the last accepted N(S) (the client resent it: the answer was lost) is
never delivered twice; the server answers it again instead, which is what keeps a resent
SET or ACTION from running twice. The client drops such repeats silently: answering them
would trigger another resend, and so on.

States move only through the ``TRANSITIONS`` table of each role, keyed by (state, trigger) where
the trigger is a received :class:`FrameKind` or a local call name. A local call missing from the
table raises :class:`LocalProtocolError`; a received frame missing from it becomes a
:class:`FrameRejected` event (a meter that says something odd must not crash the session).
"""

from __future__ import annotations

from collections import deque
from typing import ClassVar

from .errors import LocalProtocolError, ProtocolError
from .hdlc import (
    LLC_REQUEST,
    LLC_RESPONSE,
    BadFrame,
    FrameKind,
    FrameReader,
    FrameReceived,
    HdlcFrame,
    HdlcParameters,
    Skipped,
    client_address,
    decode_address,
    encode_frame,
    split_info,
)
from .link_events import (
    NEED_DATA,
    ApduReceived,
    Disconnected,
    FrameRejected,
    LinkEstablished,
    LinkEvent,
    LinkState,
)

__all__ = ["NEED_DATA", "ApduReceived", "ClientLink", "Disconnected", "FrameRejected",
           "LinkEstablished", "LinkEvent", "LinkState", "ServerLink"]


_S = LinkState
Trigger = FrameKind | str
Transitions = dict[tuple[LinkState, Trigger], tuple[str | None, LinkState]]


class _Link:
    """What both roles share: framing, sequence numbers, segmentation both ways.

    Attributes:
        progress: grows by one for each I-frame accepted in sequence and each of ours the
            peer acknowledged; a caller's retry budget can restart whenever it moves.
    """

    TRANSITIONS: ClassVar[Transitions] = {}
    LLC_SEND = b""
    LLC_RECEIVE = b""
    _answers_polls = False  # the secondary (server) must answer an RR poll even when idle

    def __init__(self, own: bytes, peer: bytes, params: HdlcParameters) -> None:
        self.state = LinkState.DISCONNECTED
        self.limits = params
        self.params = params
        self._own, self._peer = own, peer
        self._reader = FrameReader()
        self._incoming: deque[FrameReceived | Skipped | BadFrame] = deque()
        self._outbox: list[bytes] = []
        self._vs = self._vr = 0
        self._rx_parts: list[bytes] = []
        self._tx_parts: deque[bytes] = deque()
        self._unacked: deque[bytes] = deque()  # I-frames sent, not yet covered by a N(R)
        self._last_ns: int | None = None  # N(S) of the last I-frame accepted
        self.progress = 0
        self._rr_cache: dict[tuple[int, bytes, bytes], bytes] = {}

    # -- the h11-style surface -------------------------------------------------------------

    def receive_data(self, data: bytes) -> None:
        """Hand over bytes received from the peer (any chunking)."""
        self._incoming.extend(self._reader.feed(data))

    def next_event(self) -> LinkEvent | type[NEED_DATA]:
        """Process buffered frames until one yields an event; NEED_DATA when none left."""
        while self._incoming:
            item = self._incoming.popleft()
            if isinstance(item, FrameReceived):
                event = self._on_frame(item.frame, item.raw)
            elif isinstance(item, BadFrame):
                event = FrameRejected(item.raw, str(item.error))
            else:
                event = FrameRejected(item.raw, item.reason)
            if event is not None:
                return event
        return NEED_DATA

    def data_to_send(self) -> list[bytes]:
        """Frames the link produced on its own (acks, next segments, UA/DM); drains them."""
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

    def send_apdu(self, apdu: bytes) -> list[bytes]:
        """Add the LLC header, split at the negotiated max info; return the first window.

        Raises:
            LocalProtocolError: not connected, or the previous APDU is still being sent.
        """
        next_state = self._transition("send_apdu")
        if self._tx_parts:
            raise LocalProtocolError("previous APDU still being sent (waiting for RR)")
        self._tx_parts.extend(split_info(self.LLC_SEND + apdu, self.params.max_info_tx))
        self.state = next_state
        return self._send_window()

    # -- internals -------------------------------------------------------------------------

    def _rule(self, trigger: Trigger) -> tuple[str | None, LinkState]:
        """(handler name, next state) for ``trigger`` now; LocalProtocolError if none."""
        rule = self.TRANSITIONS.get((self.state, trigger))
        if rule is None:
            name = trigger.name if isinstance(trigger, FrameKind) else trigger
            raise LocalProtocolError(f"can't handle {name} in state {self.state.name}",
                                     what=type(self).__name__)
        return rule

    def _transition(self, trigger: Trigger) -> LinkState:
        return self._rule(trigger)[1]

    def _on_frame(self, frame: HdlcFrame, raw: bytes) -> LinkEvent | None:
        refusal = self._check_addresses(frame)
        if refusal is not None:
            return FrameRejected(raw, refusal) if refusal else None
        try:
            handler, next_state = self._rule(frame.kind)
            event = getattr(self, handler)(frame, raw) if handler else None
        except ProtocolError as exc:
            return FrameRejected(raw, str(exc))
        self.state = next_state
        return event

    def _check_addresses(self, frame: HdlcFrame) -> str | None:
        """None when the frame is for us; a reason to reject; "" to ignore it silently."""
        raise NotImplementedError

    def _frame(self, kind: FrameKind, *, pf: bool = True, info: bytes = b"",
               segmented: bool = False) -> bytes:
        numbered = kind in (FrameKind.I, FrameKind.RR, FrameKind.RNR)
        return encode_frame(HdlcFrame(
            kind, self._peer, self._own, pf, self._vs if kind is FrameKind.I else 0,
            self._vr if numbered else 0, segmented, info))

    def _rr(self) -> bytes:
        """RR with our N(R) and P/F set; cached, as a long transfer sends one per segment."""
        key = (self._vr, self._own, self._peer)
        if key not in self._rr_cache:
            self._rr_cache[key] = self._frame(FrameKind.RR)
        return self._rr_cache[key]

    def _reset_sequence(self) -> None:
        self._vs = self._vr = 0
        self._last_ns = None
        self._rx_parts.clear()
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
                                      f"expected {self._vr}")
        self._last_ns, self._vr = self._vr, (self._vr + 1) % 8
        self.progress += 1
        self._rx_parts.append(frame.info)
        if frame.segmented:
            if frame.pf:
                self._outbox.append(self._rr())
            return None
        data = b"".join(self._rx_parts)
        self._rx_parts.clear()
        return self._deliver(data, raw)

    def _on_repeat(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        """The last accepted I-frame again: never delivered twice (see the module notes)."""
        if self._answers_polls:
            self._outbox.extend(self._resend_or_rr())
            return FrameRejected(raw, f"repeated I frame N(S)={frame.n_s}: answered again, "
                                      f"not delivered twice")
        return FrameRejected(raw, f"repeated I frame N(S)={frame.n_s} ignored (already "
                                  f"received)")

    def _on_ui(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        """Unnumbered information (e.g. pushed event notifications): outside the sequence."""
        if frame.segmented:
            return FrameRejected(raw, "segmented UI frames are not supported")
        return self._deliver(frame.info, raw)

    def _deliver(self, data: bytes, raw: bytes) -> LinkEvent:
        if not data.startswith(self.LLC_RECEIVE):
            return FrameRejected(raw, f"information field starts {data[:3].hex(' ').upper()}, "
                                      f"expected LLC {self.LLC_RECEIVE.hex(' ').upper()}")
        return ApduReceived(data[len(self.LLC_RECEIVE):])

    def _on_rr(self, frame: HdlcFrame, raw: bytes) -> LinkEvent | None:
        if not self._acknowledge(frame.n_r):
            first = (self._vs - len(self._unacked)) % 8
            return FrameRejected(raw, f"RR carries N(R)={frame.n_r}, expected {first}..{self._vs} "
                                      f"(what we sent and is not yet acknowledged)")
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
        return FrameRejected(raw, f"peer rejected our frame (FRMR {frame.info.hex(' ')})")


class ClientLink(_Link):
    """Client (primary station) link: SNRM/UA, request segments, DISC.

    Args:
        client_sap: our SAP (16 public, 32 or 1 management); sent as a 1-byte address.
        server: the meter's address bytes, e.g. ``server_address(1, 1234)``.
        params: what we propose in the SNRM (sent only when not the defaults).
    """

    TRANSITIONS: ClassVar[Transitions] = {
        (_S.DISCONNECTED, "connect"): (None, _S.CONNECTING),
        (_S.CONNECTED, "connect"): (None, _S.CONNECTING),
        (_S.CONNECTING, FrameKind.UA): ("_on_ua", _S.CONNECTED),
        (_S.CONNECTING, FrameKind.DM): ("_on_dm", _S.DISCONNECTED),
        (_S.CONNECTED, "send_apdu"): (None, _S.CONNECTED),
        (_S.CONNECTED, "poll"): (None, _S.CONNECTED),
        (_S.CONNECTED, "retransmit"): (None, _S.CONNECTED),
        (_S.CONNECTED, FrameKind.I): ("_on_info", _S.CONNECTED),
        (_S.CONNECTED, FrameKind.UI): ("_on_ui", _S.CONNECTED),
        (_S.CONNECTED, FrameKind.RR): ("_on_rr", _S.CONNECTED),
        (_S.CONNECTED, FrameKind.RNR): ("_on_rnr", _S.CONNECTED),
        (_S.CONNECTED, FrameKind.FRMR): ("_on_frmr", _S.CONNECTED),
        (_S.CONNECTED, FrameKind.DM): ("_on_dm", _S.DISCONNECTED),
        (_S.DISCONNECTED, "disconnect"): (None, _S.DISCONNECTING),
        (_S.CONNECTING, "disconnect"): (None, _S.DISCONNECTING),
        (_S.CONNECTED, "disconnect"): (None, _S.DISCONNECTING),
        (_S.DISCONNECTING, FrameKind.UA): ("_on_closed", _S.DISCONNECTED),
        (_S.DISCONNECTING, FrameKind.DM): ("_on_closed", _S.DISCONNECTED),
    }
    LLC_SEND = LLC_REQUEST
    LLC_RECEIVE = LLC_RESPONSE

    def __init__(self, client_sap: int, server: bytes,
                 params: HdlcParameters | None = None) -> None:
        decode_address(server)
        super().__init__(client_address(client_sap), server, params or HdlcParameters())

    def connect(self) -> bytes:
        """Return the SNRM that opens (or resets) the link."""
        self.state = self._transition("connect")
        self._reset_sequence()
        info = b"" if self.limits == HdlcParameters() else self.limits.encode()
        return self._frame(FrameKind.SNRM, info=info)

    def disconnect(self) -> bytes:
        """Return the DISC that closes the link; Disconnected follows on UA or DM."""
        self.state = self._transition("disconnect")
        self._tx_parts.clear()
        self._unacked.clear()
        return self._frame(FrameKind.DISC)

    def poll(self) -> bytes:
        """Return an RR with the P bit and our N(R): "what do you still owe me?"

        For a wait that timed out, at any point of an exchange (request sent, response half
        received). The meter resends its unacknowledged I-frame(s), or answers RR F=1 whose
        N(R) makes this link resend our own lost frames; both arrive as ordinary events.

        Raises:
            LocalProtocolError: the link is not connected.
        """
        self.state = self._transition("poll")
        return self._rr()

    def retransmit(self) -> list[bytes]:
        """Return our unacknowledged I-frames unchanged (same N(S)), or :meth:`poll` if none.

        For a meter that ignores RR polls: it answers a repeated request instead, and
        answers it again rather than executing it twice (same N(S) as the last one).

        Raises:
            LocalProtocolError: the link is not connected.
        """
        self.state = self._transition("retransmit")
        return list(self._unacked) or [self._rr()]

    def _check_addresses(self, frame: HdlcFrame) -> str | None:
        if frame.dest == self._own and frame.src == self._peer:
            return None
        return (f"frame from {frame.src.hex(' ').upper()} to {frame.dest.hex(' ').upper()}, "
                f"expected from {self._peer.hex(' ').upper()} to {self._own.hex(' ').upper()}")

    def _on_ua(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        self.params = self.limits.accept(HdlcParameters.decode(frame.info))
        return LinkEstablished(self.params)

    def _on_dm(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        self._reset_sequence()
        return Disconnected("meter answered DM (disconnected mode)")

    def _on_closed(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        self._reset_sequence()
        return Disconnected(f"link closed ({frame.kind.name})")


class ServerLink(_Link):
    """Server (secondary station, the meter) link.

    Args:
        logical: our upper HDLC address (1 on Microstar meters).
        physical: our lower HDLC address (last 4 digits of the serial).
        params: our limits; the UA carries the smaller of these and the client's proposal.

    Frames for another logical/physical address are ignored silently (another meter on the
    bus would answer them); replies use the address form (1, 2 or 4 bytes) we were called by.
    """

    TRANSITIONS: ClassVar[Transitions] = {
        (_S.DISCONNECTED, FrameKind.SNRM): ("_on_snrm", _S.CONNECTED),
        (_S.CONNECTED, FrameKind.SNRM): ("_on_snrm", _S.CONNECTED),
        (_S.CONNECTED, FrameKind.I): ("_on_info", _S.CONNECTED),
        (_S.CONNECTED, FrameKind.UI): ("_on_ui", _S.CONNECTED),
        (_S.CONNECTED, FrameKind.RR): ("_on_rr", _S.CONNECTED),
        (_S.CONNECTED, FrameKind.RNR): ("_on_rnr", _S.CONNECTED),
        (_S.CONNECTED, FrameKind.DISC): ("_on_disc", _S.DISCONNECTED),
        (_S.CONNECTED, "send_apdu"): (None, _S.CONNECTED),
        **{(_S.DISCONNECTED, kind): ("_reply_dm", _S.DISCONNECTED)
           for kind in (FrameKind.DISC, FrameKind.I, FrameKind.UI, FrameKind.RR,
                        FrameKind.RNR)},
    }
    LLC_SEND = LLC_RESPONSE
    LLC_RECEIVE = LLC_REQUEST
    _answers_polls = True

    def __init__(self, logical: int = 1, physical: int = 1234,
                 params: HdlcParameters | None = None) -> None:
        super().__init__(b"", b"", params or HdlcParameters())
        self.logical, self.physical = logical, physical

    def _check_addresses(self, frame: HdlcFrame) -> str | None:
        address = decode_address(frame.dest)
        if address.upper != self.logical or address.lower not in (None, self.physical):
            return ""
        self._own, self._peer = frame.dest, frame.src
        return None

    def _on_snrm(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        self.params = self.limits.accept(HdlcParameters.decode(frame.info))
        self._reset_sequence()
        self._outbox.append(self._frame(FrameKind.UA, info=self.params.encode()))
        return LinkEstablished(self.params)

    def _on_disc(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        self._reset_sequence()
        self._outbox.append(self._frame(FrameKind.UA))
        return Disconnected("client sent DISC")

    def _reply_dm(self, frame: HdlcFrame, raw: bytes) -> None:
        if frame.pf:
            self._outbox.append(self._frame(FrameKind.DM))
