"""The main window: arranges the panels and wires widget signals to the session worker.

It holds no protocol logic. Requests go to the worker as typed values through one queued
signal, stamped with the worker's epoch (so Disconnect and Cancel drop what is still
queued); results come back as frozen values. The worker lives in its own QThread; closing
the window cancels whatever runs, then stops the worker inside its own thread and waits.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from workbench import __version__
from workbench.profiles import ProfileStore
from workbench.protocol.cosem import ObjectListEntry, obis_name
from workbench.session.clock import ClockReading, ClockSync
from workbench.session.settings import ConnectionSettings
from workbench.ui import clipboard, dialogs, help, screen, theme
from workbench.ui.menus import PUBLIC_READ_ONLY, build_menus, shortcut_rows
from workbench.ui.messages import (
    ActionRequest,
    Activity,
    AttributeRef,
    ClockSyncRequest,
    ConnectRequest,
    Failure,
    LinkState,
    LinkStatus,
    MeterIdentity,
    PollSample,
    ProbeRequest,
    ProfileRequest,
    ReadRequest,
    Request,
    WriteRequest,
)
from workbench.ui.meter_clock import drift_text
from workbench.ui.recording import default_recordings_dir
from workbench.ui.reveal_hook import KeyedDissector
from workbench.ui.visit_actions import VisitActions
from workbench.ui.widgets.connection_panel import ConnectionPanel
from workbench.ui.widgets.containers import scroll_when_narrow, scrolling, stacked
from workbench.ui.widgets.failure_banner import FailureBanner
from workbench.ui.widgets.frame_log import FrameLogWidget
from workbench.ui.widgets.live_panel import LivePanel
from workbench.ui.widgets.meter_box import MeterBox
from workbench.ui.widgets.object_browser import ObjectBrowser
from workbench.ui.widgets.profile_view import ProfileView
from workbench.ui.widgets.scrolling_tabs import ScrollingTabs
from workbench.ui.widgets.status_strip import StatusStrip
from workbench.ui.worker import ClientFactory, SessionWorker

__all__ = ["MainWindow"]

_log = logging.getLogger(__name__)
DEFAULT_RECORDINGS = default_recordings_dir()


class MainWindow(QMainWindow):
    """Connection dock (form + Meter box), object / live / profile tabs, frame log dock."""

    request_sent = Signal(object)  # Request, to the worker (queued: another thread)
    disconnect_requested = Signal()
    polling_changed = Signal(int)
    poll_series_changed = Signal(object)  # tuple[PollTarget, ...]
    # Re-emitted in the GUI thread, for tests and status.
    status_shown = Signal(object)  # LinkStatus
    failure_shown = Signal(object)  # Failure

    def __init__(self, settings_store: QSettings | None = None,
                 client_factory: ClientFactory | None = None, *,
                 profile_store: ProfileStore | None = None,
                 recordings: Path | None = DEFAULT_RECORDINGS) -> None:
        """``settings_store`` keeps the layout, ``profile_store`` the connection profiles,
        ``recordings`` the folder every session is recorded to (None: no recording); tests
        pass throwaway ones so the user's configuration is never touched."""
        super().__init__()
        self._qsettings = settings_store or QSettings("DLMS Workbench", "workbench")
        theme.apply_plot_palette()
        self._busy = False
        self._identity: MeterIdentity | None = None
        self._clock: ClockReading | None = None
        self._document = ""
        self.recording_path = ""
        self._build_widgets(profile_store)
        self.meter_actions = build_menus(self, self._commands(),
                                         [self.connection_dock, self.frames_dock])
        self._start_worker(client_factory, recordings)
        self.visit = VisitActions(self)  # report, Site tab, object files, recording
        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self.status_strip.refresh)
        self._ticker.start(500)
        self._update_actions()
        self._update_title()

    # ------------------------------------------------------------------ construction
    def _build_widgets(self, profile_store: ProfileStore | None) -> None:
        self.connection = ConnectionPanel(profile_store)
        self.meter_box = MeterBox()
        self.browser = ObjectBrowser()
        self.plot = LivePanel()
        self.profile = ProfileView()
        self.dissector = KeyedDissector()  # deciphers while the session's HLS keys are known
        self.frame_log = FrameLogWidget(dissect=self.dissector)
        self.banner = FailureBanner()
        self.tabs = ScrollingTabs()
        self.tabs.add_page(self.browser, "Objects")
        self.tabs.add_page(self.plot, "Live values")
        self.tabs.add_page(self.profile, "Profile")
        self.setCentralWidget(stacked(self.banner, self.tabs))
        self.connection_dock = self._dock("Connection", scrolling(self.connection,
                                                                   self.meter_box),
                                          Qt.DockWidgetArea.LeftDockWidgetArea)
        self.frames_dock = self._dock("Frame log", scroll_when_narrow(self.frame_log),
                                      Qt.DockWidgetArea.BottomDockWidgetArea)
        # The left column runs the full height: the form and the Meter box both stay in
        # view at 1366×768; the frame log spans the space under the tabs.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.status_strip = StatusStrip()
        self.statusBar().addPermanentWidget(self.status_strip, 1)
        self.setTabOrder(self.connection.probe_button, self.tabs)
        self._wire_widgets()

    def _wire_widgets(self) -> None:
        self.connection.connect_requested.connect(self.connect_meter)
        self.connection.disconnect_requested.connect(self.disconnect_meter)
        self.connection.probe_requested.connect(lambda s: self.send(ProbeRequest(s)))
        self.banner.retry_requested.connect(self.send)
        self.banner.probe_requested.connect(self.connection.probe_button.click)
        self.status_strip.cancel_requested.connect(self.cancel)
        self.browser.read_requested.connect(
            lambda targets: self.send(ReadRequest(tuple(AttributeRef(*t) for t in targets))))
        self.browser.write_requested.connect(self._confirm_write)
        self.browser.action_requested.connect(self._confirm_action)
        self.browser.plot_requested.connect(self._add_plot_series)
        self.browser.profile_requested.connect(self._open_profile)
        self.browser.whole_profile_requested.connect(self._open_profile)
        self.browser.whole_profile_requested.connect(
            lambda e: self.profile.read_whole(str(e.obis)))
        self.profile.read_requested.connect(lambda r: self.send(ProfileRequest(*r)))
        self.profile.cancel_requested.connect(self.cancel)
        self.frame_log.capture_failed.connect(self._on_capture_failed)
        self.frame_log.capture_loaded.connect(self._on_capture_loaded)
        self.frame_log.capture_saved.connect(
            lambda path, n: self.status_strip.show_notice(f"{n} frames saved to {path}"))
        self.plot.period_changed.connect(self.polling_changed)
        self.plot.series_changed.connect(self.poll_series_changed)  # tuple[PollTarget, ...]

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.replace(" ", "_"))
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _commands(self) -> dict[str, Callable[[], object]]:
        return {
            "open": self._open_capture, "save": self._save_capture, "quit": self.close,
            "copy": lambda: clipboard.copy_focused(QApplication.focusWidget()),
            "find": self._find, "connect": self.connection.connect_button.click,
            "disconnect": self.disconnect_meter, "cancel": self.cancel,
            "probe": self.connection.probe_button.click,
            "read": self.browser.read_button.click, "read_all": self.browser.read_all_button.click,
            "sync_clock": self.sync_clock, "guide": lambda: help.show_guide(self),
            "shortcuts": lambda: help.show_shortcuts(self, shortcut_rows(self)),
            "about": lambda: dialogs.about(self),
        }

    def _start_worker(self, client_factory: ClientFactory | None,
                      recordings: Path | None) -> None:
        self.thread_ = QThread(self)
        self.thread_.setObjectName("session-worker")
        self.worker = SessionWorker(client_factory, recordings)
        self.worker.moveToThread(self.thread_)
        self.thread_.started.connect(self.worker.start_timers)
        self.thread_.finished.connect(self.worker.deleteLater)
        self.request_sent.connect(self.worker.handle)
        self.disconnect_requested.connect(self.worker.disconnect_meter)
        self.polling_changed.connect(self.worker.set_polling)
        self.poll_series_changed.connect(self.worker.set_poll_series)
        # Worker signals go to bound methods, never lambdas: a lambda has no thread, so
        # PySide6 would call it directly in the worker thread and touch widgets from there.
        w = self.worker
        w.status_changed.connect(self._on_status)
        w.activity_changed.connect(self._on_activity)
        w.failed.connect(self._on_failure)
        w.notice.connect(self.status_strip.show_notice)
        w.frames_logged.connect(self.frame_log.append_records)
        w.identified.connect(self._on_identity)
        w.clock_read.connect(self._on_clock)
        w.clock_synced.connect(self._on_clock_synced)
        w.objects_listed.connect(self.browser.set_objects)
        w.attributes_read.connect(self.browser.show_readings)
        w.poll_sampled.connect(self._on_sample)
        w.profile_received.connect(self.profile.add_chunk)
        w.probe_finished.connect(self._on_probe_finished)
        w.recording_started.connect(self._on_recording_started)
        w.link_event.connect(self.frame_log.add_marker)
        self.thread_.start()

    # ------------------------------------------------------------------ requests
    def send(self, request: Request) -> None:
        """Stamp ``request`` with the current epoch and queue it; retrying clears its failure."""
        shown = self.banner.failure
        if shown is not None and (isinstance(request, ConnectRequest)
                                  or type(shown.retry) is type(request)):
            self.banner.clear()
        self.request_sent.emit(dataclasses.replace(request, epoch=self.worker.epoch))

    def connect_meter(self, settings: ConnectionSettings) -> None:
        self.connection.set_connected(True)
        self.meter_box.clear()
        self._identity = None
        self.send(ConnectRequest(settings))

    def disconnect_meter(self) -> None:
        """Stop whatever runs (connect retries, reads, the probe) and close the session."""
        self.worker.cancel_all()
        self.disconnect_requested.emit()

    def cancel(self) -> None:
        """Stop what the session is doing and drop what is queued; the session stays open."""
        self.worker.cancel_all()

    def sync_clock(self) -> None:
        drift = drift_text(self._clock) if self._clock is not None else "not read yet"
        question = (f"The meter clock is {drift}.\n\nSet it to this PC's time? The time is "
                    "taken when the request is sent, and the clock is read again after.")
        if dialogs.confirm(self, "Sync meter clock", question):
            self.send(ClockSyncRequest())

    # ------------------------------------------------------------------ worker results
    def _on_status(self, status: LinkStatus) -> None:
        was = self.status_strip.status.state
        self.status_strip.show_status(status)
        associated = status.state is LinkState.ASSOCIATED
        self.connection.set_connected(status.state is not LinkState.DISCONNECTED)
        if associated:
            self.browser.set_write_allowed(status.client != 16, PUBLIC_READ_ONLY)
            self.meter_box.show_idle(status.idle_limit, status.idle_from_meter)
            self.plot.set_session_open(True)  # polls only while its tab needs it
        else:
            self.browser.set_write_allowed(False, "Connect first.")
            if was is LinkState.ASSOCIATED:
                self.plot.mark_gap(time.time())
            if status.state is LinkState.DISCONNECTED:
                self.plot.set_session_open(False)
        self._update_actions()
        self._update_title()
        self.status_shown.emit(status)

    def _on_activity(self, activity: Activity) -> None:
        self._busy = activity.running
        self.status_strip.show_activity(activity)
        self._update_actions()

    def _on_failure(self, failure: Failure) -> None:
        self.banner.show_failure(failure)
        self.failure_shown.emit(failure)

    def _on_identity(self, identity: MeterIdentity) -> None:
        self._identity = identity
        self.meter_box.show_identity(identity)
        self._update_title()

    def _on_clock(self, reading: ClockReading) -> None:
        self._clock = reading
        self.meter_box.show_clock(reading)

    def _on_clock_synced(self, result: ClockSync) -> None:
        self.status_strip.show_notice(f"Meter clock set. Before: {drift_text(result.before)}; "
                                      f"after: {drift_text(result.after)}.", 20000)

    def _on_recording_started(self, path: str) -> None:
        self.recording_path = path
        self.status_strip.show_recording(path)

    def _on_probe_finished(self, report: str) -> None:
        dialogs.show_report(self, "Probe", report)

    def _on_sample(self, sample: PollSample) -> None:
        if not sample.values:
            self.plot.mark_gap(sample.time)
        for value in sample.values:
            if value.value is not None:
                self.plot.add_point(value.name, sample.time, value.value, value.unit)

    def _update_actions(self) -> None:
        status = self.status_strip.status
        self.meter_actions.follow(status.state, status.client, self._busy)

    def _update_title(self) -> None:
        identity = self._identity
        meter = (f"meter {identity.serial}" if identity is not None and identity.serial
                 else self.connection.profile_name())
        subject = meter or self._document
        self.setWindowTitle(f"{subject} — DLMS Workbench {__version__}" if subject
                            else f"DLMS Workbench {__version__}")

    # ------------------------------------------------------------------ user actions
    def _confirm_write(self, request: tuple[ObjectListEntry, int]) -> None:
        entry, attribute = request
        value = dialogs.ask_value(self, entry, attribute)
        if value is not None:
            self.send(WriteRequest(AttributeRef(entry.class_id, str(entry.obis), attribute),
                                   value))

    def _confirm_action(self, entry: ObjectListEntry) -> None:
        answer = dialogs.ask_method(self, entry)
        if answer is not None:
            method, parameter = answer
            self.send(ActionRequest(AttributeRef(entry.class_id, str(entry.obis), method),
                                    parameter))

    def _add_plot_series(self, request: tuple[int, str, str]) -> None:
        class_id, obis, label = request
        self.plot.add_register(class_id, obis, label)
        self.tabs.setCurrentWidget(self.plot)

    def _open_profile(self, entry: ObjectListEntry) -> None:
        self.profile.set_obis(str(entry.obis), obis_name(entry.obis) or "")
        self.tabs.setCurrentWidget(self.profile)

    def _find(self) -> None:
        self.frames_dock.show()
        search = self.frame_log.current().text_filter
        search.setFocus()
        search.selectAll()

    def _open_capture(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open capture", "",
                                              "Captures (*.wbcap *.pcapng);;All files (*)")
        if path:
            self.open_capture(path)

    def _on_capture_failed(self, message: str) -> None:
        self._on_failure(Failure("Capture", message))

    def _on_capture_loaded(self, path: str, frames: int, skipped: int) -> None:
        damaged = f"; {skipped} damaged parts skipped" if skipped else ""
        self.status_strip.show_notice(f"{Path(path).name}: {frames} frames{damaged}", 15000)

    def open_capture(self, path: str | Path) -> bool:
        """Show a saved capture in the frame log; a damaged file is one line in the failure
        banner, never an exception (the command line and File → Open both come here)."""
        try:
            loaded = self.frame_log.load_capture(path)
        except Exception as exc:  # last resort: a reader bug must not abort the window
            _log.error("opening %s failed", path, exc_info=exc)
            self._on_capture_failed(f"Could not open {Path(path).name}: {exc}")
            return False
        if loaded:
            self.frames_dock.show()
            self._document = Path(path).name
            self._update_title()
        return loaded

    def _save_capture(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save capture", "capture.wbcap",
                                              "Workbench capture (*.wbcap);;pcapng (*.pcapng)")
        if path:
            self.frame_log.save_capture(path)

    def last_failure_text(self) -> str:
        """The failure on screen, as one line (for the self-test and tests)."""
        f = self.banner.failure
        return f"{f.action}: {f.message}" if f is not None else ""

    # ------------------------------------------------------------------ lifecycle
    def showEvent(self, event: QShowEvent) -> None:
        """Lay out for the screen the window opens on (first show only)."""
        super().showEvent(event)
        if not getattr(self, "_laid_out", False):
            self._laid_out = True
            if not screen.restore_layout(self, self._qsettings):
                screen.apply_first_layout(self, self.connection_dock, self.frames_dock)

    def closeEvent(self, event: QCloseEvent) -> None:
        screen.save_layout(self, self._qsettings)
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Cancel any read, stop the worker in its own thread and wait for the thread."""
        if not self.thread_.isRunning():
            return
        self._ticker.stop()
        self.visit.shutdown()
        self.worker.shutdown()
        self.worker.metaObject().invokeMethod(self.worker, "stop",
                                              Qt.ConnectionType.QueuedConnection)
        if not self.thread_.wait(10_000):
            QMessageBox.warning(self, "DLMS Workbench", "The session did not stop in 10 s.")
