"""The IEC 62056-47 wrapper in place of HDLC: one APDU per wrapper PDU over TCP.

The wrapper has no link layer: no SNRM/UA, no segments, no acknowledgements, no checksums
(TCP already delivers in order or not at all). So :class:`WrapperDriver` offers the link
driver's surface — ``establish``/``exchange``/``release`` — with nothing to repair: a
silence is diagnosed once (the client's transaction reconnects and retries reads), and a
header that is not a wrapper header is reported at once with its bytes, never retried.

:class:`WrapperChannel` is the session's :class:`~workbench.session.channel.Channel` with
the HDLC frame reader swapped for a bounded :class:`~workbench.protocol.wrapper.WrapperReader`:
sending, tracing, counting, cancelling and the round-trip measurement stay the channel's.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from workbench.protocol.errors import ProtocolError
from workbench.protocol.hdlc import HdlcParameters
from workbench.protocol.wrapper import WrapperPdu, WrapperReader, decode_wrapper, encode_wrapper
from workbench.session.channel import POLL_SLICE, Channel
from workbench.session.diagnosis import Stage, diagnose, hex_preview
from workbench.session.errors import LinkLost, ProtocolFailure
from workbench.session.link_driver import MAX_ANSWER
from workbench.session.settings import ConnectionSettings
from workbench.session.timing import Deadline, stall_budget
from workbench.session.trace import FrameRecord
from workbench.transport.errors import LinkClosed, ReadTimeout, WriteTimeout

__all__ = ["WRAPPER_LINK", "WrapperChannel", "WrapperDriver", "WrapperPlan", "wrapper_plan"]

_log = logging.getLogger("workbench.session")
_READ_SIZE = 4096
_NOT_WRAPPER = ("Something other than a DLMS meter with the IEC 62056-47 wrapper answers on "
                "this port: check the port (4059 for the wrapper) or try without --wrapper.")

WRAPPER_LINK = HdlcParameters(2030, 2030, 1, 1)
"""What the session sees as "link parameters" over the wrapper: no frame limit below the
PDU size (2030 is the largest value the parameters accept), no window."""


class WrapperChannel(Channel):
    """Whole wrapper PDUs over a byte transport (the channel's HDLC reader is not used)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._wrapper = WrapperReader(MAX_ANSWER)

    def receive(self, silence: float, deadline: Deadline, *,
                stop_on_broken: bool = False) -> bytes:
        """The next whole wrapper PDU (header included), traced as it arrives.

        Raises:
            ReadTimeout: nothing whole within ``silence`` (restarted by bytes) or the deadline.
            ProtocolFailure: a header that is not a wrapper header, or announces too much.
            LinkClosed, Cancelled.
        """
        quiet_until = time.monotonic() + silence
        while (pdu := self._next_pdu()) is None:
            self._check_cancel()
            remaining = min(quiet_until, deadline.at) - time.monotonic()
            if remaining <= 0:
                raise ReadTimeout(f"no answer from {self._transport.peer} in time")
            try:
                chunk = self._transport.read(_READ_SIZE, min(remaining, POLL_SLICE))
            except ReadTimeout:
                continue
            quiet_until = time.monotonic() + silence
            self.heard.bytes_in(chunk)
            self._wrapper.feed(chunk)
        return pdu

    def drain(self) -> None:
        """Throw away stale bytes: a fresh TCP connection has none, so one short look."""
        try:
            chunk = self._transport.read(_READ_SIZE, 0.001)
        except ReadTimeout:
            return
        self._tracer.emit(FrameRecord(time.time(), "rx", chunk, "stale bytes skipped"))

    def _next_pdu(self) -> bytes | None:
        try:
            pdu = self._wrapper.next_pdu()
        except ProtocolError as exc:
            self.junk_skipped += 1
            raise ProtocolFailure(f"the peer sent bytes that are not a wrapper PDU ({exc}); "
                                  f"first bytes: {hex_preview(self.heard.first_bytes)}",
                                  _NOT_WRAPPER) from exc
        if pdu is None:
            return None
        raw = encode_wrapper(pdu)
        self._tracer.emit(FrameRecord(time.time(), "rx", raw, ""))
        self.frames_received += 1
        self.heard.frame_in("wrapper")
        if self._sent_at is not None:
            self.rtt.sample(time.monotonic() - self._sent_at)
            self._sent_at = None
        return raw


@dataclass(frozen=True)
class WrapperPlan:
    """Who talks and how long to wait: wPorts are the client SAP and the logical device."""

    own: int
    peer: int
    timeout: float
    retries: int
    describe: str


def wrapper_plan(settings: ConnectionSettings) -> WrapperPlan:
    """The wPorts for these settings: the client SAP, and the logical device (1)."""
    where = f"wrapper {settings.peer}, logical device {settings.logical}, client {settings.client}"
    return WrapperPlan(settings.client, settings.logical, settings.timeout, settings.retries,
                       where)


class WrapperDriver:
    """One wrapper association on one channel; the same surface as the HDLC link driver."""

    def __init__(self, channel: WrapperChannel, plan: WrapperPlan) -> None:
        self._channel = channel
        self._plan = plan
        self.recoveries = 0
        self.stage = Stage.LINK  # silence before the AARE: "nothing at all arrived"
        self.warnings: tuple[str, ...] = ()

    def establish(self) -> HdlcParameters:
        """Nothing to open below the association: the TCP connection is the link."""
        return WRAPPER_LINK

    def exchange(self, apdu: bytes, what: str, note: str = "") -> bytes:
        """Send one APDU and return the APDU that answers it.

        Raises:
            NoResponse: silence (diagnosed); LinkLost: the connection ended;
            ProtocolFailure: not a wrapper PDU, or an APDU too long for one PDU.
        """
        heard = self._channel.listen()
        deadline = Deadline(stall_budget(self._plan.timeout, self._plan.retries))
        try:
            raw = encode_wrapper(WrapperPdu(self._plan.own, self._plan.peer, apdu))
        except ProtocolError as exc:
            raise ProtocolFailure(f"{what} cannot be sent: {exc}") from exc
        self._send(raw, note)
        while True:
            pdu = decode_wrapper(self._receive(what, deadline))
            if (pdu.source, pdu.destination) == (self._plan.peer, self._plan.own):
                return pdu.apdu
            heard.refused(encode_wrapper(pdu), f"a wrapper PDU from wPort {pdu.source} to "
                          f"{pdu.destination} (we are {self._plan.own}, talking to "
                          f"{self._plan.peer})")
            _log.info("wrapper PDU for others ignored: %d -> %d", pdu.source, pdu.destination)

    def release(self, timeout: float) -> None:
        """Nothing to release below the association: closing the connection ends it."""

    def _receive(self, what: str, deadline: Deadline) -> bytes:
        try:
            return self._channel.receive(self._plan.timeout, deadline)
        except ReadTimeout:
            raise diagnose(self._channel.heard, what=what, where=self._plan.describe,
                           stage=self.stage) from None
        except LinkClosed as exc:
            raise LinkLost(f"the meter closed the connection while we waited for {what} "
                           f"({self._channel.heard.elapsed():.1f} s)") from exc

    def _send(self, raw: bytes, note: str) -> None:
        try:
            self._channel.send([raw], note)
        except (LinkClosed, WriteTimeout) as exc:
            raise LinkLost(f"the connection broke while sending: {exc}") from exc
