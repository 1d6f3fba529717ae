"""The connection under :class:`~workbench.session.client.DlmsClient`: one meter, one
association, one APDU at a time, with timeouts, retries and cancel.

Theory of operation. A connection is TCP → SNRM/UA → AARQ/AARE, built fresh by
:meth:`Connection.connect`. A lost or corrupted frame is repaired on the HDLC link first
(RR poll / resend, up to ``settings.retries`` times, see
:mod:`workbench.session.link_driver`); the meter never executes a resent request twice, so
this holds for SET and ACTION too. Every service call runs as a *transaction*: if the
link is lost, or the meter stays silent through the link-level retries, the transaction
tears the connection down, reconnects, re-associates and runs again, up to
``settings.retries`` times with backoff. Reads are retried so; SET and ACTION are not,
because on a new association the meter cannot tell a repeat from a new request.

Every frame passes through the :class:`Tracer`; every read is bounded by ``timeout`` and
sliced so :meth:`Connection.cancel` from another thread stops the call within ~50 ms.
The COSEM services (GET, SET, ACTION, clock, profile) are the client's, on top.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Self, TypeVar

from workbench.protocol.apdu import (
    Aare,
    ConfirmedServiceError,
    ExceptionResponse,
    decode_apdu,
    encode_acse,
    encode_apdu,
)
from workbench.protocol.errors import ProtocolError
from workbench.protocol.hdlc import (
    LLC_REQUEST,
    ClientLink,
    HdlcParameters,
    client_address,
    server_address,
)
from workbench.session import idle
from workbench.session.association import AssociationInfo, build_aarq, check_aare
from workbench.session.channel import Channel
from workbench.session.diagnosis import Stage, hex_preview
from workbench.session.errors import (
    Cancelled,
    ConnectFailed,
    LinkLost,
    NoResponse,
    NotConnected,
    ProtocolFailure,
    ServiceFailed,
    SessionError,
)
from workbench.session.keepalive import KeepaliveTimer
from workbench.session.link_driver import LinkDriver, LinkPlan
from workbench.session.progress import ConnectProgress, ConnectStep, ProgressCallback
from workbench.session.retry import Backoff
from workbench.session.secure import SecureSession
from workbench.session.settings import ConnectionSettings
from workbench.session.timing import RttEstimator
from workbench.session.trace import FrameObserver, Tracer
from workbench.session.transports import PORT_HINT, SERIAL_TRANSPORTS, TransportMaker
from workbench.session.wrapper_driver import WrapperChannel, WrapperDriver, wrapper_plan
from workbench.transport.base import Transport
from workbench.transport.errors import ConnectError

__all__ = ["CIPHER_OVERHEAD", "Connection", "SessionState"]

_log = logging.getLogger("workbench.session")
_T = TypeVar("_T")

CIPHER_OVERHEAD = 21
"""Bytes glo-ciphering adds to an APDU: tag, length (up to 3), security control, invocation
counter (4) and the 12-byte authentication tag."""
_RECOVERABLE = (NoResponse, LinkLost)
"""Failures worth a reconnect: silence and a lost link. What the meter *said* (an APDU we
cannot decode, frames the link refuses) would be said again, so it is reported at once."""
_UNDECODABLE = ("The meter's answer does not follow the standard in a way we can read; save "
                "the trace (--trace, or File → Save capture) and report it with the bytes.")


@dataclass
class _Totals:
    """Counters of the connections already closed, so the client's totals survive reconnects."""

    sent: int = 0
    received: int = 0
    recoveries: int = 0

    def add(self, channel: Channel | None, driver: LinkDriver | None) -> None:
        if channel is not None:
            self.sent += channel.frames_sent
            self.received += channel.frames_received
        if driver is not None:
            self.recoveries += driver.recoveries


class SessionState(Enum):
    DISCONNECTED = "disconnected"
    TCP = "tcp"
    HDLC = "hdlc"
    ASSOCIATED = "associated"


class Connection:
    """A blocking connection to one meter: connect, send one APDU, run transactions, cancel.

    Args:
        settings: where the meter is and how to talk to it.
        transport_factory: builds the byte transport from (host, port).
        observers: called with every :class:`FrameRecord` sent or received.
        clock: monotonic time source (keepalive timing).
    """

    def __init__(self, settings: ConnectionSettings, *,
                 transport_factory: Callable[[str, int], Transport] | None = None,
                 observers: Iterable[FrameObserver] = (),
                 clock: Callable[[], float] = time.monotonic,
                 on_progress: ProgressCallback | None = None) -> None:
        self.settings = settings
        self.on_progress = on_progress
        self.tracer = Tracer(list(observers))
        self.reconnects = 0
        self.info: AssociationInfo | None = None
        self.rtt = RttEstimator(settings.timeout)
        self._factory = transport_factory or TransportMaker(settings)
        self._secure = (SecureSession(settings, self._factory, self.tracer)
                        if settings.hls is not None else None)  # HLS-GMAC, suite 0
        self._cancel = threading.Event()
        self._keepalive = KeepaliveTimer(settings.keepalive, clock)
        self._backoff = Backoff(attempts=settings.retries, base=0.1, cap=2.0)
        self._transport: Transport | None = None
        self._channel: Channel | None = None
        self._driver: LinkDriver | None = None
        self._totals = _Totals()
        self._state = SessionState.DISCONNECTED
        self._note = ""
        self._attempt = 1
        self._idle: idle.IdleTimeout | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.settings.describe()} {self._state.value}>"

    def __enter__(self) -> Self:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- state ------------------------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        return self._state

    @property
    def is_associated(self) -> bool:
        return self._state is SessionState.ASSOCIATED

    @property
    def next_keepalive(self) -> float:
        """Seconds until :meth:`poll` sends the next keepalive."""
        return self._keepalive.remaining()

    @property
    def max_pdu(self) -> int:
        """Largest plain APDU we may send: the meter's server-max-receive-pdu-size (from
        the AARE), less what ciphering adds under HLS. A longer SET or ACTION goes in
        blocks (see :mod:`.services`)."""
        size = self.info.max_pdu_size if self.info else 0xFFFF
        return size - CIPHER_OVERHEAD if self._secure is not None else size

    @property
    def max_request(self) -> int:
        """Largest plain request sent in one piece: :attr:`max_pdu`, capped to one HDLC
        frame (less ciphering); the wrapper has no frames, so only the PDU counts there."""
        if self.info is None:
            return 0xFFFF
        if self.info.transport == "wrapper":
            return self.max_pdu
        one_frame = self.info.link.max_info_tx - len(LLC_REQUEST)
        one_frame -= CIPHER_OVERHEAD if self._secure is not None else 0
        return min(self.max_pdu, one_frame) if one_frame > 16 else self.max_pdu

    @property
    def max_transfer(self) -> int:
        """Most bytes one block transfer may bring (``settings.max_transfer``)."""
        return self.settings.max_transfer

    @property
    def frames_sent(self) -> int:
        """Valid frames sent since this client was made (every connection)."""
        return self._totals.sent + (self._channel.frames_sent if self._channel else 0)

    @property
    def frames_received(self) -> int:
        """Valid frames received (stale ones drained before an exchange excluded)."""
        return self._totals.received + (self._channel.frames_received if self._channel else 0)

    @property
    def link_recoveries(self) -> int:
        """Link-level retries (RR polls, resent I-frames) sent since this client was made."""
        return self._totals.recoveries + (self._driver.recoveries if self._driver else 0)

    # -- connection lifecycle -----------------------------------------------------------------

    def connect(self) -> AssociationInfo:
        """Open TCP, the HDLC link and the association; retried on silence or a lost link.

        Raises:
            ConnectFailed, NoResponse, AssociationRejected, LinkLost, ProtocolFailure,
            Cancelled.
        """
        self._cancel.clear()
        return self._connect_with_retries()

    def _connect_with_retries(self) -> AssociationInfo:
        for attempt in range(self.settings.retries + 1):
            self._attempt = attempt + 1
            try:
                return self._open()
            except _RECOVERABLE as exc:
                self._teardown()
                if attempt == self.settings.retries:
                    raise
                self._progress(ConnectStep.WAITING, exc.message)
                self.pause(self._backoff.delay(attempt))
            except BaseException:
                self._teardown()
                raise
        raise AssertionError("unreachable")

    def _open(self) -> AssociationInfo:
        s = self.settings
        self._teardown()
        self._progress(ConnectStep.TCP, s.peer)
        self._before_hls()
        transport = self._factory(s.host, s.port)
        self._transport = transport
        try:
            transport.open(s.timeout)
        except ConnectError as exc:
            self._check_cancel()
            hint = PORT_HINT if s.transport in SERIAL_TRANSPORTS else None
            raise ConnectFailed(str(exc), hint) from exc  # it names the peer and the cause
        self._check_cancel()
        self._state = SessionState.TCP
        kind = WrapperChannel if s.transport == "wrapper" else Channel
        self._channel = kind(transport, self.tracer, self._cancel, s.timeout, self.rtt)
        self._channel.drain()
        self._driver = self._new_driver(self._channel)
        self._progress(ConnectStep.HDLC, f"physical address {s.physical}")
        params = self._driver.establish()
        self._state = SessionState.HDLC
        self._progress(ConnectStep.ASSOCIATION, f"client {s.client}")
        aarq = self._secure.aarq() if self._secure is not None else build_aarq(s)
        raw = self._driver.exchange(encode_acse(aarq), "the AARQ")
        answer = self._decode(raw, "the AARE")
        if not isinstance(answer, Aare):
            raise ProtocolFailure(f"the meter answered the AARQ with {type(answer).__name__}")
        if self._secure is not None:
            answer = self._secure.opened(answer)
        self.info = check_aare(answer, s, params, self._driver.warnings)
        self._driver.stage = Stage.ASSOCIATED
        self._state = SessionState.ASSOCIATED
        self._after_hls_association()
        self._keepalive.touch()
        if self._idle is not None:
            self.info = self._with_idle_timeout(self.info, self._idle)
        self._progress(ConnectStep.ASSOCIATED, self.info.describe())
        return self.info

    def _before_hls(self) -> None:
        """Hook before each HLS connection: the client reads the frame counter there."""

    def _after_hls_association(self) -> None:
        """Hook once an HLS association is open: the client answers the challenge there."""

    def _progress(self, step: ConnectStep, detail: str) -> None:
        if self.on_progress is not None:
            attempts = self.settings.retries + 1
            try:
                self.on_progress(ConnectProgress(step, self._attempt, attempts, detail))
            except Exception:  # a display bug must not break the connection
                _log.exception("progress callback failed")

    def _with_idle_timeout(self, info: AssociationInfo, found: idle.IdleTimeout
                           ) -> AssociationInfo:
        self._keepalive.interval = idle.keepalive_interval(self.settings.keepalive, found)
        return dataclasses.replace(info, idle_timeout=found.seconds,
                                   idle_timeout_source=found.source)

    def _new_driver(self, channel: Channel) -> LinkDriver:
        s = self.settings
        if isinstance(channel, WrapperChannel):
            return WrapperDriver(channel, wrapper_plan(s))  # type: ignore[return-value]
        proposal = HdlcParameters(s.max_info, s.max_info, s.window, s.window)
        peer = server_address(s.logical, s.physical, s.address_size)
        link = ClientLink(s.client, peer, proposal)
        where = f"physical address {s.physical}, logical {s.logical}, client {s.client}"
        plan = LinkPlan(client_address(s.client), peer, s.timeout, s.retries, where)
        return LinkDriver(channel, link, plan)

    def close(self) -> None:
        """Release the link (DISC) and the connection. Idempotent; never raises."""
        driver = self._driver
        if driver is not None and self._state in (SessionState.HDLC, SessionState.ASSOCIATED):
            with contextlib.suppress(SessionError, ProtocolError):
                self._cancel.clear()
                driver.release(min(self.settings.timeout, 1.0))
        self._teardown()

    def _teardown(self) -> None:
        self._totals.add(self._channel, self._driver)
        transport, self._transport = self._transport, None
        self._channel, self._driver = None, None
        self._state = SessionState.DISCONNECTED
        if transport is not None:
            transport.close()

    def cancel(self) -> None:
        """Make the running (or next) blocking call raise :class:`Cancelled`. Thread-safe:
        a TCP connect in progress is aborted too, so connect retries stop at once."""
        self._cancel.set()
        transport = self._transport
        if transport is not None:
            transport.abort()

    def pause(self, seconds: float) -> None:
        """Sleep, but wake and raise :class:`Cancelled` at once when cancelled."""
        if self._cancel.wait(seconds):
            raise Cancelled("cancelled by the user")

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise Cancelled("cancelled by the user")

    # -- one APDU ------------------------------------------------------------------------------

    def request(self, apdu: object, what: str) -> object:
        """Send one xDLMS request object, return the decoded answer (no retry here).

        Raises:
            ServiceFailed: exception-response or confirmed-service-error.
            NotConnected, NoResponse, LinkLost, ProtocolFailure, Cancelled.
        """
        if self._driver is None or not self.is_associated:
            raise NotConnected("no association is open")
        try:
            raw = encode_apdu(apdu)
            raw = self._secure.protect(raw) if self._secure is not None else raw
        except ProtocolError as exc:
            raise ServiceFailed(f"{what} cannot be encoded: {exc}",
                                "Check the value and its type.") from exc
        self._keepalive.touch()
        raw = self._driver.exchange(raw, what, self._note)
        raw = self._secure.unprotect(raw) if self._secure is not None else raw
        answer = self._decode(raw, f"the answer to {what}")
        if isinstance(answer, ExceptionResponse | ConfirmedServiceError):
            raise ServiceFailed(f"the meter could not handle {what}: {answer.describe()}")
        return answer

    @staticmethod
    def _decode(raw: bytes, what: str) -> object:
        """Decode an answer; a failure is deterministic and reported once, with the bytes."""
        try:
            return decode_apdu(raw)
        except ProtocolError as exc:
            raise ProtocolFailure(f"{what} could not be decoded: {exc}; the APDU was "
                                  f"{len(raw)} bytes: {hex_preview(raw, 32)}",
                                  _UNDECODABLE) from exc

    # -- transactions ----------------------------------------------------------------------------

    def transaction(self, work: Callable[[], _T], *, retry: bool = True, note: str = "") -> _T:
        """Run ``work`` (a sequence of requests) on an open association.

        Reconnects first when the link is down. With ``retry``, a lost link or a silent meter
        tears the connection down and runs ``work`` again, up to ``settings.retries`` times.
        ``note`` labels the frames in the trace ("keepalive"); retries add "retry N".
        """
        self._cancel.clear()
        for attempt in range(self.settings.retries + 1):
            if not self.is_associated:
                self._reconnect()
            self._note = ", ".join(filter(None, [note, f"retry {attempt}" if attempt else ""]))
            try:
                return work()
            except Cancelled:
                self._teardown()
                raise
            except _RECOVERABLE as exc:
                self._teardown()
                if not retry or attempt == self.settings.retries:
                    raise
                _log.info("retrying after: %s", exc)
                self.pause(self._backoff.delay(attempt))
            finally:
                self._note = ""
        raise AssertionError("unreachable")

    def _reconnect(self) -> None:
        if self.info is not None:
            self.reconnects += 1
        self._connect_with_retries()
