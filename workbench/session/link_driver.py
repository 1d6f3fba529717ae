"""Drives the sans-IO HDLC ``ClientLink`` over a :class:`Channel`, with a deadline on every wait.

Shaped like httpcore's ``_receive_event``: ask the link for its next event; on NEED_DATA
read one frame (bounded by the timeout) and feed it; always send what the link queued
(RR acknowledgements, further request segments). The timeout measures *silence*: it
restarts whenever bytes arrive, so a long answer on a slow line is not cut off while it
progresses, but a silent meter is noticed after ``timeout`` seconds.

Silence in the middle of an exchange is first repaired on the link itself (IEC 62056-46
checkpointing, see :mod:`workbench.protocol.hdlc.link`), and so is a damaged frame, at once: in
normal response mode nothing can follow it until we speak, so there is no use waiting out
the timeout. Up to ``retries`` times in a row, after a short backoff, the driver sends an
RR poll, which makes the meter resend whatever frame of ours or its own went missing; every
second attempt it resends our unacknowledged I-frames instead, if any (for meters that
ignore polls; the meter answers a repeated request again instead of executing it twice).
Only when that fails too does :class:`NoResponse` reach the client, which then reconnects.
Each recovery frame is traced with a note ("retry 1: RR poll").

Transport and link failures leave this module only as session errors: silence is
:class:`NoResponse`, a closed socket or a DM is :class:`LinkLost`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from workbench.protocol.hdlc import (
    NEED_DATA,
    ApduReceived,
    ClientLink,
    Disconnected,
    FrameRejected,
    HdlcParameters,
    LinkEstablished,
    LinkEvent,
)
from workbench.session.channel import Channel, FrameBroken
from workbench.session.errors import AssociationRejected, LinkLost, NoResponse
from workbench.session.retry import Backoff
from workbench.transport.errors import LinkClosed, ReadTimeout, WriteTimeout

__all__ = ["LINK_BACKOFF", "LinkDriver"]

_log = logging.getLogger("workbench.session")

LINK_BACKOFF = Backoff(base=0.02, factor=2.0, cap=0.2)
"""Pause before each link-level retry: the timeout already was the wait, this only lets a
late frame land before we ask again (20, 40, 80 ms ...)."""


class LinkDriver:
    """One HDLC link on one channel: SNRM/UA, APDU exchanges, DISC.

    Args:
        channel: frames in and out (already open).
        link: a fresh :class:`ClientLink` for this connection.
        timeout: seconds to wait for each expected frame.
        describe: "physical 1234, client 16" for messages.
        retries: link-level recoveries (poll / resend) per exchange before giving up.
        pause: sleeps between recoveries (the client's, so that cancel interrupts it).

    Attributes:
        recoveries: link-level retries sent so far on this link.
    """

    def __init__(self, channel: Channel, link: ClientLink, timeout: float, describe: str, *,
                 retries: int = 0, pause: Callable[[float], None] = time.sleep) -> None:
        self._channel = channel
        self._link = link
        self._timeout = timeout
        self._describe = describe
        self._retries = retries
        self._pause = pause
        self.recoveries = 0

    def establish(self) -> HdlcParameters:
        """Send the SNRM and wait for the UA.

        Raises:
            NoResponse: no UA in time (typically a wrong physical address).
            AssociationRejected: the meter answered DM (this client address is refused).
            LinkLost: the connection closed.
        """
        self._send([self._link.connect()], "SNRM")
        event = self._wait(LinkEstablished, "the UA answering our SNRM")
        if isinstance(event, Disconnected):
            raise AssociationRejected(
                f"the meter refused the HDLC link (DM) for {self._describe}",
                "This client address is not allowed on this meter; try client 16, 32 or 1.")
        assert isinstance(event, LinkEstablished)
        return event.params

    def exchange(self, apdu: bytes, what: str, note: str = "") -> bytes:
        """Send one APDU and return the APDU that answers it.

        Raises:
            NoResponse: silence for ``timeout`` seconds (after any frames of progress).
            LinkLost: connection closed or the meter answered DM.
        """
        self._send(self._link.send_apdu(apdu), note)
        event = self._wait_recovering(ApduReceived, f"the answer to {what}")
        if isinstance(event, Disconnected):
            raise LinkLost(f"the meter left the HDLC link while we waited for the answer to "
                           f"{what} ({event.reason})")
        assert isinstance(event, ApduReceived)
        return event.apdu

    def release(self, timeout: float) -> None:
        """Send DISC and wait briefly for UA/DM; never raises (the link may already be gone)."""
        try:
            self._send([self._link.disconnect()], "DISC")
            self._timeout = timeout
            self._wait(Disconnected, "the UA answering our DISC")
        except (NoResponse, LinkLost) as exc:
            _log.debug("DISC not acknowledged: %s", exc)

    def _wait_recovering(self, wanted: type, what: str) -> LinkEvent:
        """:meth:`_wait`, repairing silence on the link up to ``retries`` times in a row.

        The budget restarts whenever the exchange moved forward since the last retry, so a
        long segmented answer survives several separate losses.
        """
        attempt, mark = 0, self._link.progress
        while True:
            try:
                return self._wait(wanted, what, stop_on_broken=self._retries > 0)
            except NoResponse as exc:
                if self._link.progress != mark:
                    attempt, mark = 0, self._link.progress
                if attempt == self._retries:
                    raise
                _log.info("link retry %d after: %s", attempt + 1, exc)
            self._pause(LINK_BACKOFF.delay(attempt))
            attempt += 1
            self._recover(attempt)

    def _recover(self, attempt: int) -> None:
        """Poll first; on even attempts resend our own unacknowledged I-frames if any."""
        if attempt % 2 == 0 and self._link.unacknowledged:
            frames, how = self._link.retransmit(), "resent I-frame"
        else:
            frames, how = [self._link.poll()], "RR poll"
        self.recoveries += 1
        self._send(frames, f"retry {attempt}: {how}")

    def _send(self, frames: list[bytes], note: str) -> None:
        try:
            self._channel.send(frames, note)
        except (LinkClosed, WriteTimeout) as exc:
            raise LinkLost(f"the connection broke while sending: {exc}") from exc

    def _wait(self, wanted: type, what: str, *, stop_on_broken: bool = False) -> LinkEvent:
        while True:
            event = self._link.next_event()
            self._send(self._link.data_to_send(), "")
            if event is NEED_DATA:
                self._link.receive_data(self._receive(what, stop_on_broken))
            elif isinstance(event, wanted | Disconnected):
                return event  # type: ignore[return-value]
            elif isinstance(event, FrameRejected):
                _log.info("frame ignored: %s", event.reason)
            else:
                _log.info("unexpected %s while waiting for %s", type(event).__name__, what)

    def _receive(self, what: str, stop_on_broken: bool) -> bytes:
        try:
            return self._channel.receive(self._timeout, stop_on_broken=stop_on_broken)
        except FrameBroken as exc:
            raise NoResponse(f"the meter's frame arrived damaged ({exc}) while we waited for "
                             f"{what}", "The line is noisy: check the modem or cable, or allow "
                             "more retries.") from exc
        except ReadTimeout as exc:
            raise NoResponse(f"no answer from the meter within {self._timeout:g} s while "
                             f"waiting for {what} ({self._describe})") from exc
        except LinkClosed as exc:
            raise LinkLost(f"the meter closed the connection while we waited for {what}") \
                from exc
