"""Drives the sans-IO HDLC ``ClientLink`` over a :class:`Channel`, with a deadline on every wait.

Shaped like httpcore's ``_receive_event``: ask the link for its next event; on NEED_DATA
read one frame and feed it; always send what the link queued (RR acknowledgements,
further request segments).

Two limits bound every wait (see :mod:`workbench.session.timing` and ``docs/timeouts.md``):
the *silence* allowed for the next frame, which is the adaptive retransmission timeout
(a few measured round trips, never more than the user's timeout), and the exchange's
*deadline*, pushed back only when the exchange moves forward, so a peer that keeps sending
frames that complete nothing (RR floods, repeats, junk, a byte trickle) is stopped.

Silence in the middle of an exchange is repaired on the link itself (IEC 62056-46
checkpointing, see :mod:`workbench.protocol.hdlc.link`), and so is a damaged frame, at once:
in normal response mode nothing can follow it until we speak. The driver sends an RR poll,
which makes the meter resend whatever frame of ours or its own went missing; every second
attempt it resends our unacknowledged I-frames instead, if any (for meters that ignore
polls; the meter answers a repeated request again instead of executing it twice). Waits
shorter than the user's timeout are free; ``retries`` full-timeout silences (or damaged
frames) in a row without progress make the exchange fail. Each recovery frame is traced
with a note ("retry 1: RR poll").

Failures leave this module only as session errors, chosen by
:func:`~workbench.session.diagnosis.diagnose` from what really arrived.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from workbench.protocol.errors import ApduTooLarge, ProtocolError
from workbench.protocol.hdlc import (
    NEED_DATA,
    ApduReceived,
    BytesSkipped,
    ClientLink,
    Disconnected,
    FrameRejected,
    HdlcParameters,
    LinkEstablished,
    LinkEvent,
    RejectCause,
)
from workbench.session.channel import Channel, FrameBroken
from workbench.session.diagnosis import Heard, Stage, diagnose
from workbench.session.errors import (
    AssociationRejected,
    LinkLost,
    ProtocolFailure,
    SessionError,
)
from workbench.session.timing import Deadline, progress_cap, stall_budget
from workbench.session.transports import PORT_HINT
from workbench.transport.errors import LinkClosed, PortGone, ReadTimeout, WriteTimeout

__all__ = ["MAX_ANSWER", "LinkDriver", "LinkPlan"]

_log = logging.getLogger("workbench.session")

MAX_ANSWER = 0xFFFF
"""Largest answer APDU we accept (the max-receive-pdu-size our AARQ proposes)."""


@dataclass(frozen=True)
class LinkPlan:
    """Who talks and how long to wait.

    Attributes:
        own, peer: our (client) and the meter's HDLC address bytes.
        timeout: the user's timeout: the longest silence before a frame counts as lost.
        retries: full-timeout silences in a row (without progress) before giving up.
        describe: "physical address 1234, logical 1, client 16" for messages.
    """

    own: bytes
    peer: bytes
    timeout: float
    retries: int
    describe: str


class _Silence(Exception):
    """The awaited frame did not come within the silence limit (or came damaged)."""

    def __init__(self, damaged: bool) -> None:
        super().__init__("silence")
        self.damaged = damaged


class LinkDriver:
    """One HDLC link on one channel: SNRM/UA, APDU exchanges, DISC.

    Attributes:
        recoveries: link-level retries sent so far on this link.
        stage: how far the connection got (the client moves it on after the AARE).
        warnings: deviations the link tolerated while opening (from the UA).
    """

    def __init__(self, channel: Channel, link: ClientLink, plan: LinkPlan) -> None:
        self._channel = channel
        self._link = link
        self._plan = plan
        self.recoveries = 0
        self.stage = Stage.LINK
        self.warnings: tuple[str, ...] = ()

    def establish(self) -> HdlcParameters:
        """Send the SNRM and wait for the UA (one wait of the user's timeout, no link retry:
        the client repeats the whole connect instead).

        Raises:
            NoResponse: nothing came back (typically a wrong physical address).
            WrongAddress, ProtocolFailure: something else came back; the message says what.
            AssociationRejected: the meter answered DM (this client address is refused).
            LinkLost: the connection closed.
        """
        self._channel.listen()
        self._link.connect()
        self._send(self._link.data_to_send(), "SNRM")
        deadline = Deadline(self._plan.timeout)
        event = self._await(LinkEstablished, "the UA answering our SNRM", deadline,
                            self._plan.timeout)
        if isinstance(event, Disconnected):
            raise AssociationRejected(
                f"the meter refused the HDLC link (DM) for {self._plan.describe}",
                "This client address is not allowed on this meter; try client 16, 32 or 1.")
        assert isinstance(event, LinkEstablished)
        self.warnings = tuple(getattr(event, "warnings", ()))
        self.stage = Stage.ASSOCIATION
        return event.params

    def exchange(self, apdu: bytes, what: str, note: str = "") -> bytes:
        """Send one APDU and return the APDU that answers it.

        Raises:
            NoResponse: silence through every link repair.
            ProtocolFailure: frames that complete nothing, or more of them than any honest
                answer needs (the message says which).
            LinkLost: connection closed or the meter answered DM.
        """
        self._channel.listen()
        params = self._link.params
        cap = progress_cap(MAX_ANSWER, len(apdu), params.max_info_rx, params.max_info_tx)
        deadline = Deadline(stall_budget(self._plan.timeout, self._plan.retries), cap)
        self._link.send_apdu(apdu)
        self._send(self._link.data_to_send(), note)
        event = self._wait_recovering(ApduReceived, f"the answer to {what}", deadline)
        if isinstance(event, Disconnected):
            raise LinkLost(f"the meter left the HDLC link while we waited for the answer to "
                           f"{what} ({event.reason})")
        assert isinstance(event, ApduReceived)
        return event.apdu

    def release(self, timeout: float) -> None:
        """Send DISC and wait briefly for UA/DM; never raises (the link may already be gone)."""
        try:
            self._channel.listen()
            self._link.disconnect()
            self._send(self._link.data_to_send(), "DISC")
            self._await(Disconnected, "the UA answering our DISC", Deadline(timeout), timeout)
        except (SessionError, ProtocolError) as exc:
            _log.debug("DISC not acknowledged: %s", exc)

    # -- waiting -----------------------------------------------------------------------------

    def _await(self, wanted: type, what: str, deadline: Deadline, silence: float) -> LinkEvent:
        """One wait with no link repair; any failure is diagnosed at once."""
        try:
            return self._wait(wanted, what, deadline, silence)
        except _Silence:
            raise self._failure(what, deadline) from None

    def _wait_recovering(self, wanted: type, what: str, deadline: Deadline) -> LinkEvent:
        """:meth:`_wait`, repairing silence and damaged frames on the link."""
        misses, mark, attempt = 0, self._link.progress, 0
        rtt = self._channel.rtt
        while True:
            silence = rtt.rto
            try:
                return self._wait(wanted, what, deadline, silence,
                                  stop_on_broken=self._plan.retries > 0)
            except _Silence as exc:
                if self._link.progress != mark:
                    misses, attempt, mark = 0, 0, self._link.progress
                if exc.damaged or silence >= rtt.ceiling:
                    misses += 1
                if misses > self._plan.retries or deadline.expired:
                    raise self._failure(what, deadline) from None
                if not exc.damaged:
                    rtt.lost()
                _log.info("link retry %d: %s after %.3f s", attempt + 1, what, silence)
            attempt += 1
            self._recover(attempt)

    def _wait(self, wanted: type, what: str, deadline: Deadline, silence: float, *,
              stop_on_broken: bool = False) -> LinkEvent:
        heard = self._channel.heard
        mark = self._link.progress
        while True:
            event = self._next_event(what)
            self._send(self._link.data_to_send(), "")
            if self._link.progress != mark:
                mark = self._link.progress
                self._progressed(deadline, what)
            if event is NEED_DATA:
                self._link.receive_data(self._receive(silence, deadline, stop_on_broken, what))
            elif isinstance(event, wanted | Disconnected):
                return event  # type: ignore[return-value]
            elif isinstance(event, FrameRejected):
                self._note_rejected(heard, event)
            elif isinstance(event, BytesSkipped):
                pass  # the channel's reader already counted and traced these bytes
            else:
                _log.info("unexpected %s while waiting for %s", type(event).__name__, what)

    def _next_event(self, what: str) -> LinkEvent | type[NEED_DATA]:
        try:
            return self._link.next_event()
        except ApduTooLarge as exc:
            raise ProtocolFailure(
                f"the meter's answer to {what.removeprefix('the answer to ')} grew past "
                f"{exc.limit} bytes (the largest APDU we accept) without ending; "
                f"{exc.received} bytes arrived", "No honest answer is this long; save the "
                "trace and report it.") from exc

    def _progressed(self, deadline: Deadline, what: str) -> None:
        if not deadline.extend():
            raise ProtocolFailure(
                f"the meter kept sending frames for {what} beyond the {MAX_ANSWER} bytes we "
                f"accept ({deadline.elapsed():.1f} s) without completing it",
                "No honest answer is this long; save the trace and report it.")

    @staticmethod
    def _note_rejected(heard: Heard, event: FrameRejected) -> None:
        """Damaged frames are counted by the channel already; the rest is kept for diagnosis
        (frames from or to another address apart: they name the right address)."""
        _log.info("frame ignored: %s", event.reason)
        if event.cause in (RejectCause.CHECKSUM, RejectCause.MALFORMED):
            return
        foreign = event.cause in (RejectCause.OTHER_ADDRESS, RejectCause.OTHER_CLIENT)
        heard.refused(event.raw, event.reason, foreign=foreign)

    def _receive(self, silence: float, deadline: Deadline, stop_on_broken: bool,
                 what: str) -> bytes:
        try:
            return self._channel.receive(silence, deadline, stop_on_broken=stop_on_broken)
        except FrameBroken:
            raise _Silence(damaged=True) from None
        except ReadTimeout:
            raise _Silence(damaged=False) from None
        except PortGone as exc:  # our own device, not the meter: its words say so
            raise LinkLost(str(exc), PORT_HINT) from exc
        except LinkClosed as exc:
            raise LinkLost(f"the meter closed the connection while we waited for {what} "
                           f"({self._channel.heard.elapsed():.1f} s)") from exc

    def _failure(self, what: str, deadline: Deadline) -> SessionError:
        heard = self._channel.heard
        return diagnose(heard, what=what, where=self._plan.describe, stage=self.stage,
                        stalled=deadline.expired and heard.cut_by_deadline)

    # -- sending -----------------------------------------------------------------------------

    def _recover(self, attempt: int) -> None:
        """Poll first; on even attempts resend our own unacknowledged I-frames if any."""
        if attempt % 2 == 0 and self._link.unacknowledged:
            self._link.retransmit()
            how = "resent I-frame"
        else:
            self._link.poll()
            how = "RR poll"
        self.recoveries += 1
        self._send(self._link.data_to_send(), f"retry {attempt}: {how}", resent=True)

    def _send(self, frames: list[bytes], note: str, *, resent: bool = False) -> None:
        try:
            self._channel.send(frames, note, resent=resent)
        except PortGone as exc:
            raise LinkLost(str(exc), PORT_HINT) from exc
        except (LinkClosed, WriteTimeout) as exc:
            raise LinkLost(f"the connection broke while sending: {exc}") from exc
