"""Sans-IO HDLC link (IEC 62056-46 normal response mode), client and server roles.

No sockets, no clocks: bytes go in through ``receive_data``, events come out of
``next_event`` (h11 style), and frames leave one way only: ``data_to_send()``, which drains
both what a call queued (``connect``, ``send_apdu``, ``poll``, ``disconnect``) and what the
link answers on its own (RR acks, next segments, the server's UA/DM). A caller flushes it
after every call and every event; there is no second source to forget. Timeouts and retries
belong to the caller (the session).

Client usage::

    link = ClientLink(client_sap=16, server=server_address(1, 1234))
    link.connect()                                  # queues the SNRM
    while True:
        for frame in link.data_to_send():
            sock.send(frame)
        ev = link.next_event()
        if ev is NEED_DATA:
            link.receive_data(sock.recv(4096))
        elif isinstance(ev, LinkEstablished):       # ev.params: negotiated, our view
            break
    link.send_apdu(aarq_bytes)                      # LLC header added, split at max info
    ...                                             # same loop, until ApduReceived
    link.disconnect()                               # DISC, then wait for Disconnected

The server is driven the same way: feed it bytes, answer ``ApduReceived`` with
``send_apdu(response)``, and send what ``data_to_send()`` returns after each event.

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

Events (from ``next_event``), for the session to act on and to build its diagnosis from;
nothing that arrives is dropped without one:

* :class:`LinkEstablished` ``(params, warnings)``: the UA to our SNRM (client) or the SNRM
  answered (server); ``params`` negotiated, our view; ``warnings`` the peer's tolerated
  deviations (malformed parameters, an HCS on an empty information field, another address
  form), one sentence each.
* :class:`ApduReceived` ``(apdu)``: a whole APDU, reassembled, LLC header removed.
* :class:`Disconnected` ``(reason)``: DM, or the UA answering DISC.
* :class:`FrameRejected` ``(raw, reason, cause, frame)``: a frame arrived and was not used.
  ``cause`` (:class:`RejectCause`) says why for code: CHECKSUM (bad HCS/FCS), MALFORMED,
  OTHER_ADDRESS ("a UA from physical address 5678 (we called 1234)"; ``source_address``
  names the sender), OTHER_CLIENT ("a UA for client 32 (we are client 16)"), UNEXPECTED
  (a kind the state does not take), SEQUENCE, CONTENT (no LLC, segmented UI) and
  PEER_REJECTED (the peer's FRMR, its information field explained in ``reason``).
* :class:`BytesSkipped` ``(head, count, reason)``: bytes outside any frame, ``head`` being
  the first 16 of them.
* :class:`~workbench.protocol.errors.ApduTooLarge` is *raised*: the peer's segmented APDU
  passed ``max_apdu_size`` and the exchange cannot go on.

States move only through the ``TRANSITIONS`` table of each role, keyed by (state, trigger) where
the trigger is a received :class:`FrameKind` or a local call name, and holding the handler
itself (a function of the role, or None) and the next state. A local call missing from the
table raises :class:`LocalProtocolError`; a received frame missing from it becomes a
:class:`FrameRejected` event (a meter that says something odd must not crash the session).
"""

from __future__ import annotations

from typing import ClassVar

from .address import HdlcAddress, client_address, decode_address
from .events import (
    NEED_DATA,
    ApduReceived,
    BytesSkipped,
    Disconnected,
    FrameRejected,
    LinkEstablished,
    LinkEvent,
    LinkState,
    RejectCause,
)
from .frame import FrameKind, HdlcFrame
from .params import LLC_REQUEST, LLC_RESPONSE, HdlcParameters
from .station import DEFAULT_MAX_APDU_SIZE, Transitions, _Link

__all__ = [
    "DEFAULT_MAX_APDU_SIZE",
    "NEED_DATA",
    "ApduReceived",
    "BytesSkipped",
    "ClientLink",
    "Disconnected",
    "FrameRejected",
    "LinkEstablished",
    "LinkEvent",
    "LinkState",
    "RejectCause",
    "ServerLink",
]

_S = LinkState


class ClientLink(_Link):
    """Client (primary station) link: SNRM/UA, request segments, DISC.

    Args:
        client_sap: our SAP (16 public, 32 or 1 management); sent as a 1-byte address.
        server: the meter's address bytes, e.g. ``server_address(1, 1234)``.
        params: what we propose in the SNRM (sent only when not the defaults).
        max_apdu_size: reassembly cap for the meter's segmented answers (see
            :attr:`max_apdu_size`; lower it to the negotiated PDU size after the AARE).
    """

    LLC_SEND = LLC_REQUEST
    LLC_RECEIVE = LLC_RESPONSE

    def __init__(self, client_sap: int, server: bytes, params: HdlcParameters | None = None,
                 *, max_apdu_size: int = DEFAULT_MAX_APDU_SIZE) -> None:
        decode_address(server)
        super().__init__(client_address(client_sap), server, params or HdlcParameters(),
                         max_apdu_size)
        self._peer_forms = {server}  # plus the form the meter answered our SNRM from

    def connect(self) -> None:
        """Queue the SNRM that opens (or resets) the link; anything queued before is dropped."""
        self.state = self._transition("connect")
        self._reset_sequence()
        self._peer_forms = {self._peer}
        info = b"" if self.limits == HdlcParameters() else self.limits.encode()
        self._outbox = [self._frame(FrameKind.SNRM, info=info)]

    def disconnect(self) -> None:
        """Queue the DISC that closes the link; Disconnected follows on UA or DM."""
        self.state = self._transition("disconnect")
        self._tx_parts.clear()
        self._unacked.clear()
        self._outbox = [self._frame(FrameKind.DISC)]

    def poll(self) -> None:
        """Queue an RR with the P bit and our N(R): "what do you still owe me?"

        For a wait that timed out, at any point of an exchange (request sent, response half
        received). The meter resends its unacknowledged I-frame(s), or answers RR F=1 whose
        N(R) makes this link resend our own lost frames; both arrive as ordinary events.

        Raises:
            LocalProtocolError: the link is not connected.
        """
        self.state = self._transition("poll")
        self._outbox.append(self._rr())

    def retransmit(self) -> None:
        """Queue our unacknowledged I-frames unchanged (same N(S)), or :meth:`poll` if none.

        For a meter that ignores RR polls: it answers a repeated request instead, and
        answers it again rather than executing it twice (same N(S) as the last one).

        Raises:
            LocalProtocolError: the link is not connected.
        """
        self.state = self._transition("retransmit")
        self._outbox.extend(self._unacked or [self._rr()])

    def _check_addresses(self, frame: HdlcFrame) -> tuple[RejectCause, str] | None:
        if frame.dest == self._own and frame.src in self._peer_forms:
            return None
        src, called = decode_address(frame.src), decode_address(self._peer)
        if src[:2] != called[:2]:
            return RejectCause.OTHER_ADDRESS, _from_elsewhere(frame.kind, src, called)
        if frame.dest != self._own:
            client, ours = decode_address(frame.dest).upper, decode_address(self._own).upper
            return (RejectCause.OTHER_CLIENT,
                    f"a {frame.kind.name} for client {client} (we are client {ours})")
        if self.state is _S.CONNECTING:  # the answer to our SNRM, in another address form
            self._peer_forms.add(frame.src)
            return None
        return (RejectCause.OTHER_ADDRESS,
                f"a {frame.kind.name} from {frame.src.hex(' ').upper()}, another form of the "
                f"address we called ({self._peer.hex(' ').upper()}), in the middle of the link")

    def _on_ua(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        established = self._negotiate(frame, "UA")
        if frame.src != self._peer:
            return LinkEstablished(established.params,
                                   (*established.warnings, self._other_form(frame.src)))
        return established

    def _other_form(self, src: bytes) -> str:
        return (f"the meter answered from address {src.hex(' ').upper()} ({len(src)}-byte "
                f"form) though we called {self._peer.hex(' ').upper()} ({len(self._peer)}-byte "
                f"form): the same address ({decode_address(src)}), so accepted; we keep "
                "sending in our form")

    def _on_dm(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        self._reset_sequence()
        return Disconnected("meter answered DM (disconnected mode)")

    def _on_closed(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        self._reset_sequence()
        return Disconnected(f"link closed ({frame.kind.name})")

    # after the methods: the table holds them, not their names
    TRANSITIONS: ClassVar[Transitions] = {
        (_S.DISCONNECTED, "connect"): (None, _S.CONNECTING),
        (_S.CONNECTED, "connect"): (None, _S.CONNECTING),
        (_S.CONNECTING, FrameKind.UA): (_on_ua, _S.CONNECTED),
        (_S.CONNECTING, FrameKind.DM): (_on_dm, _S.DISCONNECTED),
        (_S.CONNECTED, "send_apdu"): (None, _S.CONNECTED),
        (_S.CONNECTED, "poll"): (None, _S.CONNECTED),
        (_S.CONNECTED, "retransmit"): (None, _S.CONNECTED),
        (_S.CONNECTED, FrameKind.I): (_Link._on_info, _S.CONNECTED),
        (_S.CONNECTED, FrameKind.UI): (_Link._on_ui, _S.CONNECTED),
        (_S.CONNECTED, FrameKind.RR): (_Link._on_rr, _S.CONNECTED),
        (_S.CONNECTED, FrameKind.RNR): (_Link._on_rnr, _S.CONNECTED),
        (_S.CONNECTED, FrameKind.FRMR): (_Link._on_frmr, _S.CONNECTED),
        (_S.CONNECTED, FrameKind.DM): (_on_dm, _S.DISCONNECTED),
        (_S.DISCONNECTED, "disconnect"): (None, _S.DISCONNECTING),
        (_S.CONNECTING, "disconnect"): (None, _S.DISCONNECTING),
        (_S.CONNECTED, "disconnect"): (None, _S.DISCONNECTING),
        (_S.DISCONNECTING, FrameKind.UA): (_on_closed, _S.DISCONNECTED),
        (_S.DISCONNECTING, FrameKind.DM): (_on_closed, _S.DISCONNECTED),
    }


class ServerLink(_Link):
    """Server (secondary station, the meter) link.

    Args:
        logical: our upper HDLC address (1 on Microstar meters).
        physical: our lower HDLC address (last 4 digits of the serial).
        params: our limits; the UA carries the smaller of these and the client's proposal.
        max_apdu_size: reassembly cap for the client's segmented requests.

    Frames for another logical/physical address are never answered (another meter on the
    bus would answer them) but come out as :class:`FrameRejected` (OTHER_ADDRESS); replies
    use the address form (1, 2 or 4 bytes) we were called by.
    """

    LLC_SEND = LLC_RESPONSE
    LLC_RECEIVE = LLC_REQUEST
    _answers_polls = True

    def __init__(self, logical: int = 1, physical: int = 1234,
                 params: HdlcParameters | None = None, *,
                 max_apdu_size: int = DEFAULT_MAX_APDU_SIZE) -> None:
        super().__init__(b"", b"", params or HdlcParameters(), max_apdu_size)
        self.logical, self.physical = logical, physical

    def _check_addresses(self, frame: HdlcFrame) -> tuple[RejectCause, str] | None:
        address = decode_address(frame.dest)
        if address.upper != self.logical or address.lower not in (None, self.physical):
            return (RejectCause.OTHER_ADDRESS,
                    f"a {frame.kind.name} for {_named(address)} (we are logical "
                    f"{self.logical}, physical {self.physical}): not answered")
        self._set_addresses(frame.dest, frame.src)
        return None

    def _on_snrm(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        established = self._negotiate(frame, "SNRM")
        self._reset_sequence()
        self._outbox.append(self._frame(FrameKind.UA, info=self.params.encode()))
        return established

    def _on_disc(self, frame: HdlcFrame, raw: bytes) -> LinkEvent:
        self._reset_sequence()
        self._outbox.append(self._frame(FrameKind.UA))
        return Disconnected("client sent DISC")

    def _reply_dm(self, frame: HdlcFrame, raw: bytes) -> None:
        if frame.pf:
            self._outbox.append(self._frame(FrameKind.DM))

    # after the methods: the table holds them, not their names
    TRANSITIONS: ClassVar[Transitions] = {
        (_S.DISCONNECTED, FrameKind.SNRM): (_on_snrm, _S.CONNECTED),
        (_S.CONNECTED, FrameKind.SNRM): (_on_snrm, _S.CONNECTED),
        (_S.CONNECTED, FrameKind.I): (_Link._on_info, _S.CONNECTED),
        (_S.CONNECTED, FrameKind.UI): (_Link._on_ui, _S.CONNECTED),
        (_S.CONNECTED, FrameKind.RR): (_Link._on_rr, _S.CONNECTED),
        (_S.CONNECTED, FrameKind.RNR): (_Link._on_rnr, _S.CONNECTED),
        (_S.CONNECTED, FrameKind.DISC): (_on_disc, _S.DISCONNECTED),
        (_S.CONNECTED, "send_apdu"): (None, _S.CONNECTED),
        **dict.fromkeys(((_S.DISCONNECTED, kind) for kind in (
            FrameKind.DISC, FrameKind.I, FrameKind.UI, FrameKind.RR, FrameKind.RNR)),
            (_reply_dm, _S.DISCONNECTED)),
    }


def _named(address: HdlcAddress) -> str:
    lower = "no physical address" if address.lower is None else f"physical {address.lower}"
    return f"logical {address.upper}, {lower}"


def _from_elsewhere(kind: FrameKind, got: HdlcAddress, called: HdlcAddress) -> str:
    """"a UA from physical address 5678 (we called 1234)": names what differs."""
    if got.upper == called.upper and None not in (got.lower, called.lower):
        return f"a {kind.name} from physical address {got.lower} (we called {called.lower})"
    if got.lower == called.lower:
        return f"a {kind.name} from logical address {got.upper} (we called {called.upper})"
    return f"a {kind.name} from {_named(got)} (we called {_named(called)})"
