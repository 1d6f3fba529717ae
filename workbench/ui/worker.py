"""The session worker: a QObject living in its own QThread, driving a blocking DlmsClient.

Why this shape (Qt for Python's Worker/Controller pattern): the session blocks on the
network, so it must never run in the GUI thread. The window sends typed requests
(``messages.py``) through one queued signal to :meth:`SessionWorker.handle`; the worker
answers with frozen values. Two calls do not queue, because they must act while a request
is blocking: :meth:`cancel_all` (thread-safe) interrupts whatever runs and starts a new
*epoch*, so requests still queued from before it are dropped, not sent to the meter.

The worker is the one source of truth for the link state: it publishes a
:class:`LinkStatus` at every step (each connection attempt, TCP, HDLC, association, a
lost link, a cancel), and the window only displays the latest.

Frames are batched: the tracer observer runs in the worker thread for every frame and
emits at most one ``frames_logged`` every 40 ms (and at the end of each request), so a
fast block transfer cannot flood the GUI thread's event queue.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from workbench.capture import CaptureError
from workbench.session.client import DlmsClient
from workbench.session.settings import ConnectionSettings
from workbench.session.trace import FrameRecord
from workbench.ui import meter_io, profile_reading
from workbench.ui.failures import failure_from, is_cancel
from workbench.ui.jobs import ClientJob, JobResult, Steps
from workbench.ui.messages import (
    ActionRequest,
    Activity,
    ClockSyncRequest,
    ConnectRequest,
    Failure,
    LinkState,
    ObjectListRequest,
    PollSample,
    PollTarget,
    ProbeRequest,
    ProfileChunk,
    ProfileRequest,
    ReadRequest,
    Request,
    WriteRequest,
)
from workbench.ui.recording import SessionRecorder
from workbench.ui.worker_state import LinkTracker

__all__ = ["SessionWorker"]

FRAME_BATCH_SECONDS = 0.04
_T = TypeVar("_T")

ClientFactory = Callable[..., DlmsClient]
"""(settings, frame observer, on_progress) → DlmsClient; tests may pass their own."""


class SessionWorker(QObject):
    """Owns the DlmsClient; every slot runs in the worker thread."""

    status_changed = Signal(object)  # LinkStatus
    activity_changed = Signal(object)  # Activity
    failed = Signal(object)  # Failure
    notice = Signal(str)  # plain-language result of a write, an action or a cancel
    frames_logged = Signal(object)  # tuple[FrameRecord, ...]
    identified = Signal(object)  # MeterIdentity
    clock_read = Signal(object)  # session.clock.ClockReading (frozen)
    clock_synced = Signal(object)  # session.clock.ClockSync (frozen)
    objects_listed = Signal(object)  # tuple[ObjectListEntry, ...]
    attributes_read = Signal(object)  # tuple[AttributeReading, ...]
    poll_sampled = Signal(object)  # PollSample
    profile_received = Signal(object)  # ProfileChunk
    probe_finished = Signal(str)  # the probe's report, plain text
    recording_started = Signal(str)  # path of the capture this connection is recorded to
    link_event = Signal(str)  # "link lost: …" / "link resumed", a row of the frame log
    job_progress = Signal(object)  # jobs.JobProgress: a step of a ClientJob
    job_finished = Signal(object)  # jobs.JobResult
    stopped = Signal()

    def __init__(self, client_factory: ClientFactory | None = None,
                 recordings: Path | None = None) -> None:
        super().__init__()
        self._recorder = SessionRecorder(recordings)
        self._client_factory = client_factory or meter_io.make_client
        self._client: DlmsClient | None = None
        self._link = LinkTracker(self.status_changed.emit, self.link_event.emit)
        self._pending: list[FrameRecord] = []
        self._last_flush = 0.0
        self._lock = threading.Lock()
        self._epoch = 0
        self._probe_cancel = threading.Event()
        self._poll_timer: QTimer | None = None
        self._keepalive_timer: QTimer | None = None
        self._poll_series: tuple[PollTarget, ...] = meter_io.DEFAULT_POLL_SERIES
        self._closing = False
        self._handlers: dict[type, Callable[[Any], None]] = {
            ConnectRequest: self._connect, ObjectListRequest: self._list_objects,
            ReadRequest: self._read, WriteRequest: self._write, ActionRequest: self._call,
            ProfileRequest: self._read_profile, ProbeRequest: self._probe,
            ClockSyncRequest: self._sync_clock, ClientJob: self._run_job,
        }

    # ----------------------------------------------------------------- thread-safe API
    @property
    def epoch(self) -> int:
        """Requests stamped with an older epoch are dropped (read from the GUI thread)."""
        return self._epoch

    def cancel_all(self) -> None:
        """Interrupt the blocking call in progress and drop every request queued before now
        (called from the GUI thread: Disconnect, Cancel, closing the window)."""
        with self._lock:
            self._epoch += 1
        self._probe_cancel.set()
        client = self._client
        if client is not None:
            client.cancel()

    def shutdown(self) -> None:
        """Ask the worker to stop: cancel now, then close and quit in the worker thread."""
        self._closing = True
        self.cancel_all()

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
    def handle(self, request: Request) -> None:
        """Run one request, unless a Disconnect or Cancel came after it was sent."""
        if request.epoch != self._epoch or self._closing:
            return
        self.activity_changed.emit(Activity(request.doing, True))
        try:
            self._handlers[type(request)](request)
        finally:
            self._flush_frames(force=True)
            self.activity_changed.emit(Activity())

    @Slot()
    def disconnect_meter(self) -> None:
        self.set_polling(0)
        self._close_client()
        self._link.publish(LinkState.DISCONNECTED, "disconnected by you")

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
    def set_poll_series(self, series: tuple[PollTarget, ...]) -> None:
        self._poll_series = tuple(series)

    @Slot()
    def poll_once(self) -> None:
        """One live sample. After a lost link the client reconnects inside this read."""
        client = self._client
        if client is None:
            self.poll_sampled.emit(PollSample(time.time()))  # a gap in the plot
            return
        if not client.is_associated:
            self._link.publish(LinkState.RECONNECTING, "for the live values")
        try:
            self.poll_sampled.emit(meter_io.poll(client, self._poll_series))
        except Exception as exc:
            self.poll_sampled.emit(PollSample(time.time()))
            self._report("Live values", exc)
        else:
            self._link.associated(client)
        finally:
            self._flush_frames(force=True)

    @Slot()
    def stop(self) -> None:
        """Close the session and quit this thread's event loop (runs in the worker thread)."""
        for timer in (self._poll_timer, self._keepalive_timer):
            if timer is not None:
                timer.stop()
        self._close_client()
        self.stopped.emit()
        self.thread().quit()

    # ----------------------------------------------------------------- requests
    def _connect(self, request: ConnectRequest) -> None:
        self._close_client()
        settings = request.settings
        self._link.start(settings)
        self._start_recording(settings)
        client = self._client_factory(settings, self._on_frame, self._link.progress)
        client.on_clock = self.clock_read.emit  # every clock read, the keepalive's included
        self._client = client
        try:
            if request.epoch != self._epoch:
                raise _Stale
            client.connect()
        except Exception as exc:
            self._close_client()
            self._link.publish(LinkState.DISCONNECTED, _connect_end(exc))
            if not is_cancel(exc) and not isinstance(exc, _Stale):
                self.failed.emit(failure_from("Connect", exc, request, connecting=True))
            return
        self._link.associated(client)
        self._identify(client)
        if request.epoch == self._epoch:
            self._list_objects(ObjectListRequest(request.epoch))

    def _identify(self, client: DlmsClient) -> None:
        identity = self._attempt("Identify meter", None, lambda: meter_io.identify(client))
        if identity is not None:
            self._link.associated(client)  # the countdown uses the meter's limit at once
            self.identified.emit(identity)
        self._read_clock(client)

    def _read_clock(self, client: DlmsClient) -> None:
        """Read the clock now; the reading reaches the window through ``on_clock``."""
        self._attempt("Read clock", None, client.clock)

    def _list_objects(self, request: ObjectListRequest) -> None:
        client = self._require_client("Read object list")
        if client is not None:
            entries = self._attempt("Read object list", request, client.object_list)
            if entries is not None:
                self.objects_listed.emit(tuple(entries))

    def _read(self, request: ReadRequest) -> None:
        client = self._require_client("Read")
        if client is not None:
            readings = self._attempt("Read", request,
                                     lambda: meter_io.read_attributes(client, request.targets))
            if readings is not None:
                self.attributes_read.emit(readings)

    def _write(self, request: WriteRequest) -> None:
        client = self._require_client("Write")
        if client is not None:
            self._announce(self._attempt("Write", None, lambda: meter_io.write(client, request)))
            if request.target.class_id == 8:  # a clock attribute: show what the meter has now
                self._read_clock(client)

    def _call(self, request: ActionRequest) -> None:
        client = self._require_client("Action")
        if client is not None:
            self._announce(self._attempt("Action", None, lambda: meter_io.call(client, request)))
            if request.method.class_id == 8:
                self._read_clock(client)

    def _sync_clock(self, request: ClockSyncRequest) -> None:
        client = self._require_client("Sync clock")
        if client is not None:
            result = self._attempt("Sync clock", None, client.sync_clock)
            if result is not None:
                self.clock_synced.emit(result)

    def _read_profile(self, request: ProfileRequest) -> None:
        client = self._require_client("Read profile")
        if client is None:
            self.profile_received.emit(ProfileChunk(request.obis, (), (), done=True,
                                                    error="not connected"))
            return
        try:
            profile_reading.read_profile(client, request.obis, request.start, request.end,
                                         self.profile_received.emit)
        except Exception as exc:  # every failure reaches the user as a Failure, never a crash
            failure = failure_from("Read profile", exc, request)
            self.profile_received.emit(ProfileChunk(request.obis, (), (), done=True,
                                                    cancelled=is_cancel(exc),
                                                    error=failure.message))
            self._report("Read profile", exc, request)
        else:
            self._link.associated(client)

    def _probe(self, request: ProbeRequest) -> None:
        self._probe_cancel.clear()
        if request.epoch != self._epoch:
            return
        report = self._attempt("Probe", request, lambda: meter_io.probe(
            request.settings, self._on_frame, self._probe_cancel))
        if report is not None:
            self.probe_finished.emit(report)

    def _run_job(self, request: ClientJob) -> None:
        """A longer job on the open session (the report); Cancel stops it at its next step."""
        client = self._require_client(request.doing)
        if client is None:
            self.job_finished.emit(JobResult(request.doing, error="not connected"))
            return
        steps = Steps(request.doing, request.epoch, lambda: self._epoch, self.job_progress.emit)
        try:
            result = request.run(client, steps)
        except Exception as exc:  # reported like any request; the job's owner hears the end
            self._report(request.doing, exc)
            self.job_finished.emit(JobResult(request.doing, error=failure_from(
                request.doing, exc).message, cancelled=is_cancel(exc)))
        else:
            self._link.associated(client)
            self.job_finished.emit(JobResult(request.doing, result))

    # ----------------------------------------------------------------- internals
    def _tick(self) -> None:
        """Once a second: the session sends its keepalive when due (a clock read, which
        refreshes the meter box through ``on_clock``), and the countdown is republished."""
        client = self._client
        if client is None or not client.is_associated:
            return
        try:
            client.poll()
        except Exception as exc:
            self._report("Keepalive", exc)
        self._flush_frames(force=True)
        self._link.associated(client)

    def _attempt(self, action: str, retry: Request | None, call: Callable[[], _T]) -> _T | None:
        """``call()``'s result, or None after reporting why it failed (or was cancelled)."""
        try:
            return call()
        except Exception as exc:  # shown as a Failure; the worker thread must survive
            self._report(action, exc, retry)
            return None

    def _report(self, action: str, exc: Exception, retry: Request | None = None) -> None:
        """Say what happened: a cancel is a notice, anything else a Failure; then the state."""
        if is_cancel(exc):
            if not self._closing:
                self.notice.emit(f"{action} cancelled")
        else:
            self.failed.emit(failure_from(action, exc, retry))
        client = self._client
        if client is not None and not client.is_associated and not self._closing:
            why = "cancelled" if is_cancel(exc) else "lost"
            self._link.publish(LinkState.CLOSED, f"{action.lower()} {why}; the next request "
                               "reconnects")

    def _announce(self, text: str | None) -> None:
        if text is not None:
            self.notice.emit(text)

    def _require_client(self, action: str) -> DlmsClient | None:
        """The session, or None (and a Failure) after Disconnect or a failed Connect.

        A session whose link dropped still counts: its next request reconnects first.
        """
        client = self._client
        if client is None:
            self.failed.emit(Failure(action, "Not connected to a meter.",
                                     "Press Connect first (Ctrl+K)."))
        return client

    def _close_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()
            self._flush_frames(force=True)
        self._recorder.stop()

    def _start_recording(self, settings: ConnectionSettings) -> None:
        try:
            path = self._recorder.start(settings)
        except CaptureError as exc:
            self.failed.emit(Failure("Recording", f"the session is not recorded: {exc}",
                                     "Free some disk space or save the frame log by hand."))
            return
        if path is not None:
            self.recording_started.emit(str(path))

    def _on_frame(self, record: FrameRecord) -> None:
        """Tracer observer (worker thread): collect, and flush at most every 40 ms."""
        with self._lock:
            self._pending.append(record)
        self._link.frame_seen()
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


class _Stale(Exception):
    """A Connect request overtaken by a Disconnect before it started."""


def _connect_end(exc: Exception) -> str:
    if is_cancel(exc) or isinstance(exc, _Stale):
        return "connect cancelled by you"
    return f"connect failed: {getattr(exc, 'message', exc)}"
