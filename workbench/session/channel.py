"""Whole HDLC frames over a byte transport: traced, cancellable, never waiting past a deadline.

Why a layer of its own: the link state machine (``protocol.link``) wants frames, the
transport gives arbitrary chunks, and three session rules live exactly in between:

* every frame that crosses the wire (including junk and broken frames) goes to the
  :class:`~workbench.session.trace.Tracer` once, with its direction and time;
* a read never blocks longer than :data:`POLL_SLICE`, so :meth:`DlmsClient.cancel` from
  another thread takes effect within that slice;
* every wait has a limit on silence (and an overall cap); when it passes, a half-received
  frame is flushed (and traced as broken) so a truncated frame cannot poison the next answer.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable

from workbench.protocol.hdlc import BadFrame, FrameReader, FrameReceived, ReaderEvent
from workbench.session.errors import Cancelled
from workbench.session.trace import FrameRecord, Tracer
from workbench.transport.base import Transport
from workbench.transport.errors import ReadTimeout

__all__ = ["MAX_WAIT_FACTOR", "POLL_SLICE", "Channel", "FrameBroken"]

POLL_SLICE = 0.05
"""Longest single blocking read, in seconds: the cancel latency."""

MAX_WAIT_FACTOR = 10
"""A frame that trickles in may take this many timeouts in total, no more."""

_DRAIN_LIMIT = 0.2


class FrameBroken(Exception):
    """A frame arrived damaged (bad FCS or HCS, cut short) and nothing valid came after it."""


class Channel:
    """Sends and receives whole frames on one open transport.

    Args:
        transport: an opened transport.
        tracer: receives a :class:`FrameRecord` for every frame in either direction.
        cancel: when set (from any thread), the waiting call raises :class:`Cancelled`.
        write_timeout: seconds allowed for one frame to leave.
    """

    def __init__(self, transport: Transport, tracer: Tracer, cancel: threading.Event,
                 write_timeout: float) -> None:
        self._transport = transport
        self._tracer = tracer
        self._cancel = cancel
        self._write_timeout = write_timeout
        self._reader = FrameReader()
        self._frames: deque[bytes] = deque()
        self.frames_sent = 0
        self.frames_received = 0

    def send(self, frames: Iterable[bytes], note: str = "") -> None:
        """Write frames in order, tracing each one just before it leaves."""
        for raw in frames:
            self._check_cancel()
            self._tracer.emit(FrameRecord(time.time(), "tx", raw, note))
            self._transport.write(raw, self._write_timeout)
            self.frames_sent += 1

    def receive(self, silence: float, *, stop_on_broken: bool = False) -> bytes:
        """Return the next valid frame (flags included).

        Args:
            silence: seconds without any byte after which the meter counts as silent. The
                wait restarts whenever bytes arrive (a slow line is not a dead one), but
                never runs past :data:`MAX_WAIT_FACTOR` × ``silence`` in total, so a
                peer babbling junk cannot hold us forever.
            stop_on_broken: give up at once when the last thing heard is a damaged frame
                and no other frame is on its way (in normal response mode the meter, having
                sent it, now waits for us: no use waiting out the silence).

        Raises:
            ReadTimeout: no valid frame in time.
            FrameBroken: with ``stop_on_broken``, a damaged frame and nothing valid after it.
            LinkClosed: the peer closed the connection.
            Cancelled: :meth:`DlmsClient.cancel` was called.
        """
        now = time.monotonic()
        deadline, cap = now + silence, now + silence * MAX_WAIT_FACTOR
        broken: str | None = None
        while not self._frames:
            if broken is not None and stop_on_broken and self._reader.pending <= 1:
                raise FrameBroken(broken)  # (a lone flag may open the next frame)
            self._check_cancel()
            remaining = min(deadline, cap) - time.monotonic()
            if remaining <= 0:
                self._absorb(self._reader.flush())
                raise ReadTimeout(f"no answer from {self._transport.peer} in time")
            try:
                chunk = self._transport.read(4096, min(remaining, POLL_SLICE))
            except ReadTimeout:
                continue
            deadline = time.monotonic() + silence
            broken = self._absorb(self._reader.feed(chunk))
        return self._frames.popleft()

    def drain(self) -> None:
        """Throw away stale bytes (a late answer to an earlier request) before a new exchange."""
        self._frames.clear()
        end = time.monotonic() + _DRAIN_LIMIT
        while time.monotonic() < end:
            try:
                chunk = self._transport.read(4096, 0.001)
            except ReadTimeout:
                break
            self._absorb(self._reader.feed(chunk), note_prefix="stale ")
        self._absorb(self._reader.flush(), note_prefix="stale ")
        self._frames.clear()

    def _absorb(self, events: list[ReaderEvent], note_prefix: str = "") -> str | None:
        """Trace every event, queue the valid frames; why the last frame was damaged, if it
        was."""
        now = time.time()
        broken = None
        for event in events:
            if isinstance(event, FrameReceived):
                self._tracer.emit(FrameRecord(now, "rx", event.raw, note_prefix.strip()))
                self._frames.append(event.raw)
                self.frames_received += 1
                broken = None
            elif isinstance(event, BadFrame):
                broken = str(event.error)
                self._tracer.emit(FrameRecord(now, "rx", event.raw,
                                              f"{note_prefix}bad frame: {broken}"))
            else:
                self._tracer.emit(FrameRecord(now, "rx", event.raw,
                                              f"{note_prefix}junk skipped: {event.reason}"))
        return broken

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise Cancelled("cancelled by the user")
