"""The session worker: a QObject living in its own QThread, driving a blocking DlmsClient.

Why this shape (Qt for Python's Worker/Controller pattern): the session blocks on the
network, so it must never run in the GUI thread. Widgets send requests through the
``*_requested`` signals of :class:`WorkerBridge`; the worker answers with frozen values
(``messages.py``). Cancellation is the one call that does not queue: ``cancel()`` is
thread-safe and interrupts whatever blocking call is running.

Frames are batched: the tracer observer runs in the worker thread for every frame and
emits at most one ``frames_logged`` every 40 ms (and at the end of each request), so a
fast block transfer cannot flood the GUI thread's event queue.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from workbench.capture import CaptureError
from workbench.session.trace import FrameRecord
from workbench.ui import meter_io
from workbench.ui.messages import (
    Failure,
    LinkState,
    LinkStatus,
    PollSample,
    ProfileChunk,
)
from workbench.ui.recording import SessionRecorder

__all__ = ["SessionWorker"]

FRAME_BATCH_SECONDS = 0.04


class SessionWorker(QObject):
    """Owns the DlmsClient; every slot runs in the worker thread."""

    status_changed = Signal(object)  # LinkStatus
    failed = Signal(object)  # Failure
    frames_logged = Signal(object)  # tuple[FrameRecord, ...]
    identified = Signal(object)  # MeterIdentity
    objects_listed = Signal(object)  # tuple[ObjectListEntry, ...]
    attributes_read = Signal(object)  # tuple[AttributeReading, ...]
    action_done = Signal(str)  # plain-language result of a write or action
    poll_sampled = Signal(object)  # PollSample
    profile_received = Signal(object)  # ProfileChunk
    probe_finished = Signal(str)  # the probe's report, plain text
    recording_started = Signal(str)  # path of the capture this connection is recorded to
    stopped = Signal()

    def __init__(self, client_factory: Callable | None = None,
                 recordings: Path | None = None) -> None:
        super().__init__()
        self._recorder = SessionRecorder(recordings)
        self._client_factory = client_factory or meter_io.make_client
        self._client = None
        self._settings = None
        self._pending: list[FrameRecord] = []
        self._last_flush = 0.0
        self._last_activity = 0.0
        self._lock = threading.Lock()
        self._poll_timer: QTimer | None = None
        self._keepalive_timer: QTimer | None = None
        self._poll_series: tuple = meter_io.DEFAULT_POLL_SERIES
        self._closing = False

    # ----------------------------------------------------------------- thread-safe API
    def cancel(self) -> None:
        """Interrupt the blocking call in progress (called from the GUI thread)."""
        client = self._client
        if client is not None:
            client.cancel()

    def shutdown(self) -> None:
        """Ask the worker to stop: cancel now, then close and quit in the worker thread."""
        self._closing = True
        self.cancel()

    # ----------------------------------------------------------------- slots
    @Slot()
    def start_timers(self) -> None:
        """Create the timers in the worker thread (timers belong to the thread that made them)."""
        self._poll_timer = QTimer(self)
        self._poll_timer.timeout.connect(self.poll_once)
        self._keepalive_timer = QTimer(self)
        self._keepalive_timer.setInterval(1000)
        self._keepalive_timer.timeout.connect(self._tick)
        self._keepalive_timer.start()

    @Slot(object)
    def connect_meter(self, settings) -> None:
        self._close_client()
        self._settings = settings
        self._publish(LinkState.CONNECTING, f"{settings.host}:{settings.port}")
        self._start_recording(settings)
        client = self._client_factory(settings, self._on_frame)
        self._client = client
        self._run("Connect", client.connect, on_error=self._close_client)
        if client.is_associated:
            self._publish(LinkState.ASSOCIATED, meter_io.describe_association(settings))
            self._run("Identify meter", lambda: self.identified.emit(meter_io.identify(client)))
            self._run("Read object list", lambda: self.objects_listed.emit(
                tuple(client.object_list())))

    @Slot()
    def disconnect_meter(self) -> None:
        self.set_polling(0)
        self._close_client()
        self._publish(LinkState.DISCONNECTED, "disconnected by user")

    @Slot(object)
    def read_attributes(self, targets) -> None:
        """Read ``targets`` (tuple of (class_id, obis, attribute)) in one GET-with-list."""
        client = self._require_client("Read")
        if client is not None:
            self._run("Read", lambda: self.attributes_read.emit(
                meter_io.read_attributes(client, targets)))

    @Slot(object)
    def write_attribute(self, request) -> None:
        """``request`` is (class_id, obis, attribute, Data)."""
        client = self._require_client("Write")
        if client is not None:
            self._run("Write", lambda: self.action_done.emit(meter_io.write(client, *request)))

    @Slot(object)
    def call_method(self, request) -> None:
        """``request`` is (class_id, obis, method, Data | None)."""
        client = self._require_client("Action")
        if client is not None:
            self._run("Action", lambda: self.action_done.emit(meter_io.call(client, *request)))

    @Slot(object)
    def read_profile(self, request) -> None:
        """``request`` is (obis, start datetime | None, end datetime | None)."""
        client = self._require_client("Read profile")
        if client is None:
            return
        obis, start, end = request
        try:
            meter_io.read_profile(client, obis, start, end, self.profile_received.emit)
        except Exception as exc:  # every failure reaches the user as a Failure, never a crash
            failure = meter_io.failure_from("Read profile", exc)
            self.profile_received.emit(ProfileChunk(obis, (), (), done=True,
                                                    cancelled=meter_io.is_cancel(exc),
                                                    error=failure.message))
            if not meter_io.is_cancel(exc):
                self.failed.emit(failure)
        finally:
            self._flush_frames(force=True)

    @Slot(int)
    def set_polling(self, period_ms: int) -> None:
        """Poll the live-plot registers every ``period_ms`` (0 stops)."""
        if self._poll_timer is None:
            return
        if period_ms > 0:
            self._poll_timer.start(period_ms)
        else:
            self._poll_timer.stop()

    @Slot(object)
    def set_poll_series(self, series) -> None:
        self._poll_series = tuple(series)

    @Slot()
    def poll_once(self) -> None:
        """One live sample. After a lost link the client reconnects inside this read."""
        client = self._client
        if client is None:
            self.poll_sampled.emit(PollSample(time.time(), {}))  # a gap in the plot
            return
        was_down = not client.is_associated
        if was_down:
            self._publish(LinkState.RECONNECTING, meter_io.describe_association(self._settings))
        try:
            self.poll_sampled.emit(meter_io.poll(client, self._poll_series))
        except Exception as exc:
            self.poll_sampled.emit(PollSample(time.time(), {}))
            self._handle_link_error("Live values", exc)
        else:
            if was_down:
                self._publish(LinkState.ASSOCIATED, meter_io.describe_association(self._settings))
        finally:
            self._flush_frames(force=True)

    @Slot(object)
    def probe(self, settings) -> None:
        self._run("Probe", lambda: self.probe_finished.emit(
            meter_io.probe(settings, self._on_frame)))

    @Slot()
    def stop(self) -> None:
        """Close the session and quit this thread's event loop (runs in the worker thread)."""
        for timer in (self._poll_timer, self._keepalive_timer):
            if timer is not None:
                timer.stop()
        self._close_client()
        self.stopped.emit()
        self.thread().quit()

    # ----------------------------------------------------------------- internals
    def _tick(self) -> None:
        """Once a second: let the client send its keepalive when due, and refresh the status."""
        client = self._client
        if client is None or not client.is_associated:
            return
        try:
            client.poll()
        except Exception as exc:
            self._handle_link_error("Keepalive", exc)
        self._publish(LinkState.ASSOCIATED, meter_io.describe_association(self._settings))
        self._flush_frames(force=True)

    def _run(self, action: str, call: Callable[[], object],
             on_error: Callable[[], None] | None = None) -> None:
        try:
            call()
        except Exception as exc:  # shown as a Failure; the worker thread must survive
            if on_error is not None:
                on_error()
            self._handle_link_error(action, exc)
        finally:
            self._flush_frames(force=True)

    def _handle_link_error(self, action: str, exc: Exception) -> None:
        if meter_io.is_cancel(exc) and self._closing:
            return
        self.failed.emit(meter_io.failure_from(action, exc))
        client = self._client
        if client is None:  # the connect itself failed
            self._publish(LinkState.DISCONNECTED, str(exc))
        elif not client.is_associated:  # kept: the next poll or request reconnects
            self._publish(LinkState.RECONNECTING, f"link lost, retrying: {exc}")

    def _require_client(self, action: str):
        """The session, or None (and a Failure) after Disconnect or a failed Connect.

        A session whose link dropped still counts: its next request reconnects first.
        """
        client = self._client
        if client is None:
            self.failed.emit(Failure(action, "Not connected to a meter.",
                                     "Press Connect first (Ctrl+K)."))
            return None
        return client

    def _close_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()
            self._flush_frames(force=True)
        self._recorder.stop()

    def _start_recording(self, settings) -> None:
        try:
            path = self._recorder.start(settings)
        except CaptureError as exc:
            self.failed.emit(Failure("Recording", f"the session is not recorded: {exc}",
                                     "Free some disk space or save the frame log by hand."))
            return
        if path is not None:
            self.recording_started.emit(str(path))

    def _publish(self, state: LinkState, detail: str) -> None:
        settings = self._settings
        client = self._client
        keepalive_at = time.monotonic() + client.next_keepalive if client is not None else 0.0
        self.status_changed.emit(LinkStatus(
            state=state,
            detail=detail,
            last_activity=self._last_activity,
            next_keepalive=keepalive_at,
            client=settings.client if settings is not None else 0,
            authenticated=bool(settings is not None and settings.password is not None),
        ))

    def _on_frame(self, record: FrameRecord) -> None:
        """Tracer observer (worker thread): collect, and flush at most every 40 ms."""
        with self._lock:
            self._pending.append(record)
        self._last_activity = time.monotonic()
        try:
            self._recorder.write(record)
        except CaptureError as exc:
            self.failed.emit(Failure("Recording", f"recording stopped: {exc}",
                                     "The frame log still holds every frame; save it by hand."))
        self._flush_frames()

    def _flush_frames(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_flush < FRAME_BATCH_SECONDS:
            return
        with self._lock:
            batch, self._pending = tuple(self._pending), []
        self._last_flush = now
        if batch:
            self.frames_logged.emit(batch)

