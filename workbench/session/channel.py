"""Whole HDLC frames over a byte transport: traced, cancellable, never waiting past a deadline.

Why a layer of its own: the link state machine (``protocol.hdlc``) wants frames, the
transport gives arbitrary chunks, and four session rules live exactly in between:

* every frame that crosses the wire (including junk and broken frames) goes to the
  :class:`~workbench.session.trace.Tracer` once, with its direction and time, and is
  counted here (the client's frame counters read these, never the trace notes);
* a read never blocks longer than :data:`POLL_SLICE`, so :meth:`DlmsClient.cancel` from
  another thread takes effect within that slice;
* every wait ends at the first of two limits: the silence allowed for the awaited frame,
  and the exchange's :class:`~workbench.session.timing.Deadline`, which bytes arriving do
  not push back (a trickle or a flood cannot hold us); when either passes, a half-received
  frame is flushed (and traced as broken) so it cannot poison the next answer;
* the round trip of every frame sent once is measured for the adaptive timeout, and what
  arrives is noted in a :class:`~workbench.session.diagnosis.Heard` record for diagnosis.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable

from workbench.protocol.hdlc import BadFrame, FrameReader, FrameReceived, ReaderEvent
from workbench.session.diagnosis import Heard
from workbench.session.errors import Cancelled
from workbench.session.timing import Deadline, RttEstimator
from workbench.session.trace import FrameRecord, Tracer
from workbench.transport.base import Transport
from workbench.transport.errors import ReadTimeout

__all__ = ["POLL_SLICE", "Channel", "FrameBroken"]

POLL_SLICE = 0.05
"""Longest single blocking read, in seconds: the cancel latency."""

_DRAIN_LIMIT = 0.2
_READ_SIZE = 4096


class FrameBroken(Exception):
    """A frame arrived damaged (bad FCS or HCS, cut short) and nothing valid came after it."""


class Channel:
    """Sends and receives whole frames on one open transport.

    Args:
        transport: an opened transport.
        tracer: receives a :class:`FrameRecord` for every frame in either direction.
        cancel: when set (from any thread), the waiting call raises :class:`Cancelled`.
        write_timeout: seconds allowed for one frame to leave.
        rtt: the round-trip estimator fed by this channel's measurements.

    Attributes:
        frames_sent, frames_received: valid frames each way (stale ones drained excluded).
        frames_damaged, junk_skipped: broken frames and skipped junk runs received.
        heard: what arrived since the last :meth:`listen`.
    """

    def __init__(self, transport: Transport, tracer: Tracer, cancel: threading.Event,
                 write_timeout: float, rtt: RttEstimator | None = None) -> None:
        self._transport = transport
        self._tracer = tracer
        self._cancel = cancel
        self._write_timeout = write_timeout
        self.rtt = rtt or RttEstimator(write_timeout)
        self._reader = FrameReader()
        self._frames: deque[bytes] = deque()
        self._sent_at: float | None = None  # when the frame now awaiting an answer left
        self.frames_sent = self.frames_received = 0
        self.frames_damaged = self.junk_skipped = 0
        self.heard = Heard()

    def listen(self) -> Heard:
        """Start a fresh record of what arrives (one per exchange) and return it."""
        self.heard = Heard()
        return self.heard

    def send(self, frames: Iterable[bytes], note: str = "", *, resent: bool = False) -> None:
        """Write frames in order, tracing each one just before it leaves.

        ``resent``: these frames repeat or poll for earlier ones; the round trip of their
        answer is not measured (Karn's rule).
        """
        sent = False
        for raw in frames:
            self._check_cancel()
            self._tracer.emit(FrameRecord(time.time(), "tx", raw, note))
            self._transport.write(raw, self._write_timeout)
            self.frames_sent += 1
            sent = True
        if sent:
            self._sent_at = None if resent else time.monotonic()

    def receive(self, silence: float, deadline: Deadline, *,
                stop_on_broken: bool = False) -> bytes:
        """Return the next valid frame (flags included).

        Args:
            silence: seconds without any byte after which the awaited frame counts as lost.
                It restarts whenever bytes arrive (a slow line is not a dead one), but the
                wait never outlasts ``deadline``.
            deadline: the exchange's overall limit.
            stop_on_broken: give up at once when the last thing heard is a damaged frame
                and no other frame is on its way (in normal response mode the meter, having
                sent it, now waits for us: no use waiting out the silence).

        Raises:
            ReadTimeout: no valid frame in time.
            FrameBroken: with ``stop_on_broken``, a damaged frame and nothing valid after it.
            LinkClosed: the peer closed the connection.
            Cancelled: :meth:`DlmsClient.cancel` was called.
        """
        quiet_until = time.monotonic() + silence
        broken: str | None = None
        while not self._frames:
            if broken is not None and stop_on_broken and self._reader.pending <= 1:
                raise FrameBroken(broken)  # (a lone flag may open the next frame)
            self._check_cancel()
            remaining = min(quiet_until, deadline.at) - time.monotonic()
            if remaining <= 0:
                self.heard.cut_by_deadline = self.heard.active_within(
                    max(2 * POLL_SLICE, silence / 4))
                self._absorb(self._reader.flush())
                raise ReadTimeout(f"no answer from {self._transport.peer} in time")
            try:
                chunk = self._transport.read(_READ_SIZE, min(remaining, POLL_SLICE))
            except ReadTimeout:
                continue
            quiet_until = time.monotonic() + silence
            self.heard.bytes_in(chunk)
            broken = self._absorb(self._reader.feed(chunk))
        return self._frames.popleft()

    def drain(self) -> None:
        """Throw away stale bytes (a late answer to an earlier request) before a new exchange."""
        self._frames.clear()
        end = time.monotonic() + _DRAIN_LIMIT
        while time.monotonic() < end:
            try:
                chunk = self._transport.read(_READ_SIZE, 0.001)
            except ReadTimeout:
                break
            self._absorb(self._reader.feed(chunk), stale=True)
        self._absorb(self._reader.flush(), stale=True)
        self._frames.clear()

    def _absorb(self, events: list[ReaderEvent], stale: bool = False) -> str | None:
        """Trace and count every event, queue the valid frames; why the last frame was
        damaged, if it was."""
        now, prefix = time.time(), "stale " if stale else ""
        broken = None
        for event in events:
            if isinstance(event, FrameReceived):
                self._tracer.emit(FrameRecord(now, "rx", event.raw, prefix.strip()))
                if not stale:
                    self._arrived(event)
                broken = None
            elif isinstance(event, BadFrame):
                broken = str(event.error)
                self.frames_damaged += 1
                self.heard.damaged_frame(broken)
                self._tracer.emit(FrameRecord(now, "rx", event.raw, f"{prefix}bad frame: {broken}"))
            else:
                self.junk_skipped += 1
                self._tracer.emit(FrameRecord(now, "rx", event.raw,
                                              f"{prefix}junk skipped: {event.reason}"))
        return broken

    def _arrived(self, event: FrameReceived) -> None:
        self._frames.append(event.raw)
        self.frames_received += 1
        self.heard.frame_in(event.frame.kind.name)
        if self._sent_at is not None:
            self.rtt.sample(time.monotonic() - self._sent_at)
            self._sent_at = None
        self.rtt.reset_backoff()

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise Cancelled("cancelled by the user")
